"""A stack of minGRU layers as a character model, and how to score one on held-out text.

The fourth contender of the character-model race (``benchmarks/textgen_tune.py``): lesson
09's :class:`~course_utils.linear_rnn.keras_min.MinGRU` (Feng et al. 2024) in the block
layout of :func:`course_utils.textgen.transformer.transformer_model`, with the minGRU
where attention was: pre-norm residual blocks ``x + MinGRU(LN(x))`` and
``x + MLP(LN(x))``. The block is the course's choice, not the paper's recipe. A minGRU
layer reads a whole sequence in one parallel scan from a zero state, so a held-out row is
scored in one call with its state carried through the row, with no sliding window.
Input: int ids ``(batch, time)``; output: logits ``(batch, time, vocab_size)``.
"""

from __future__ import annotations

import keras
import numpy as np

from course_utils.core.validation import check_array, check_int
from course_utils.linear_rnn.keras_min import MinGRU
from course_utils.textgen.scoring import LN2, cross_entropy, window_pieces
from course_utils.textgen.transformer import residual_blocks

__all__ = ["is_mingru_model", "mingru_bits_per_char", "mingru_model"]


def mingru_model(
    vocab_size: int,
    *,
    width: int = 256,
    num_layers: int = 2,
    mlp_width: int = 512,
    name: str = "char_mingru",
) -> keras.Model:
    """Embedding -> ``num_layers`` pre-norm blocks (minGRU, then a GELU MLP) -> LayerNorm -> logits."""
    vocab_size = check_int("vocab_size", vocab_size, minimum=2)
    width = check_int("width", width, minimum=1)
    num_layers = check_int("num_layers", num_layers, minimum=1)
    mlp_width = check_int("mlp_width", mlp_width, minimum=1)
    ids = keras.Input((None,), dtype="int32", name="ids")  # (batch, time)
    x = keras.layers.Embedding(vocab_size, width, name="embedding")(ids)  # (batch, time, width)

    def mingru(i, h):  # a minGRU layer mixes the time steps, from a zero state
        return MinGRU(width, name=f"block{i}_mingru")(h)  # (batch, time, width)

    logits = residual_blocks(x, vocab_size, num_layers, mingru, mlp_width=mlp_width)
    return keras.Model(ids, logits, name=name)


def is_mingru_model(model: keras.Model) -> bool:
    """Whether ``model`` has a minGRU layer (and is scored by :func:`mingru_bits_per_char`)."""
    return any(isinstance(layer, MinGRU) for layer in model.layers)


def mingru_bits_per_char(
    model: keras.Model, rows, *, window: int | None = None, burn_in: int = 0
) -> float:
    """Held-out bits per character of a :func:`mingru_model` on ``rows`` (``held_out_rows``).

    ``window=None``: each row is read whole, from a zero state, so every character is
    predicted from all the row before it (the carried score of an RNN); the first
    ``burn_in`` characters are read, not scored. ``window=w``: the same positions cut into
    windows of ``w``, each read from a zero state.
    """
    rows = check_array("rows", rows, ndim=2, kind="int", dims="(rows, length + 1)")
    burn_in = check_int("burn_in", burn_in, minimum=0, maximum=rows.shape[1] - 2)
    if not is_mingru_model(model):
        raise ValueError("model must be built by mingru_model (it has no MinGRU layer).")
    inputs, targets = rows[:, :-1], rows[:, 1:]  # (rows, length) each
    if window is None:
        logits = np.asarray(model.predict_on_batch(inputs))  # (rows, length, vocab)
        return float(cross_entropy(logits, targets)[:, burn_in:].mean() / LN2)
    window = check_int("window", window, minimum=1, maximum=inputs.shape[1])
    nats = [
        cross_entropy(np.asarray(model.predict_on_batch(x[i : i + 512])), y[i : i + 512]).ravel()
        for x, y in window_pieces(inputs, targets, window, burn_in)
        for i in range(0, len(x), 512)
    ]
    return float(np.concatenate(nats).mean() / LN2)
