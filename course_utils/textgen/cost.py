"""How many floating-point operations a character model spends per training character.

``benchmarks/textgen.py`` divides a model's achieved training FLOP/s (characters per
second x :func:`training_flops_per_char`) by the machine's measured matrix-multiply rate
to say how well training uses the CPU. The counts are the matrix products only (they
dominate); training is taken as 3x the forward pass (the backward pass costs about two
forward passes), the usual convention (Kaplan et al. 2020, section 2.1).
"""

from __future__ import annotations

from course_utils.core.registry import GATED, blocks
from course_utils.core.validation import check_int

__all__ = ["forward_macs_per_char", "training_flops_per_char"]


def forward_macs_per_char(settings: dict, vocab_size: int) -> int:
    """Multiply-adds of one forward step per character, for a settings dict (see :func:`~course_utils.textgen.model.lesson_settings`).

    RNN: ``gates x hidden x (input + hidden)`` per layer (the input and recurrent kernels)
    plus the output layer ``hidden x vocab``. Transformer of context ``T`` and width ``d``:
    ``4 d^2`` (query, key, value, output projections) + ``2 d m`` (MLP of width ``m``) +
    ``2 T d`` (scores and weighted sum over the full ``T x T`` matrix, which Keras computes
    before masking) per layer, plus ``d x vocab``. A minGRU stack of width ``d``
    (:mod:`course_utils.textgen.minrnn`): ``2 d^2`` (its two kernels) + ``2 d m`` (MLP) per
    layer plus ``d x vocab``; its scan is elementwise and not counted.
    """
    vocab_size = check_int("vocab_size", vocab_size, minimum=2)
    cell, layers = settings["cell"], int(settings["num_layers"])
    emb, hidden = int(settings["embedding_dim"]), int(settings["hidden_size"])
    if cell == "transformer":
        context = int(settings["seq_length"])
        per_layer = 4 * emb * emb + 2 * emb * hidden + 2 * context * emb
        return layers * per_layer + emb * vocab_size
    if cell == "min_gru":  # two kernels (z, candidate) from the input only, then the MLP
        return layers * (2 * emb * emb + 2 * emb * hidden) + emb * vocab_size
    if cell not in GATED:
        raise ValueError(
            f"settings['cell'] must be one of {[*GATED, 'min_gru', 'transformer']}; got {cell!r}."
        )
    macs, width_in = 0, emb
    for _ in range(layers):
        macs += blocks(cell) * hidden * (width_in + hidden)
        width_in = hidden
    return macs + hidden * vocab_size


def training_flops_per_char(settings: dict, vocab_size: int) -> int:
    """``3 x 2 x`` :func:`forward_macs_per_char`: forward and backward FLOPs per training character."""
    return 6 * forward_macs_per_char(settings, vocab_size)
