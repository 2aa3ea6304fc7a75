"""A small decoder-only Transformer character model, and how to score one on held-out text.

Used by ``benchmarks/textgen.py`` (the character-model race of lesson 06) and by lesson
07's grid. The block is the GPT-2 layout at CPU size: pre-norm residual blocks of causal
multi-head self-attention and a GELU MLP, learned position embeddings, no dropout.
Input: int ids ``(batch, time)`` with ``time <= context``; output: logits
``(batch, time, vocab_size)`` (no softmax), like :func:`course_utils.textgen.char_model`.
"""

from __future__ import annotations

import keras
import numpy as np

from course_utils.core.validation import check_array, check_int
from course_utils.textgen.scoring import LN2, cross_entropy, window_pieces

__all__ = [
    "LearnedPositions",
    "carried_context",
    "residual_blocks",
    "transformer_bits_per_char",
    "transformer_model",
]


@keras.saving.register_keras_serializable(package="course_utils")
class LearnedPositions(keras.layers.Layer):
    """Adds a learned vector per position: ``x + P[:time]`` for ``x`` ``(batch, time, width)``."""

    def __init__(self, context: int, **kwargs):
        super().__init__(**kwargs)
        self.context = int(context)

    def build(self, input_shape):
        self.positions = self.add_weight(
            shape=(self.context, int(input_shape[-1])),  # (context, width)
            initializer=keras.initializers.RandomNormal(stddev=0.02),
            name="positions",
        )

    def call(self, x):
        time = keras.ops.shape(x)[1]
        return x + self.positions[:time]  # (batch, time, width)

    def compute_output_shape(self, input_shape):
        # Stated, not inferred: JAX cannot trace ``P[:time]`` while ``time`` is unknown.
        return input_shape  # (batch, time, width)

    def get_config(self):
        return {**super().get_config(), "context": self.context}


def transformer_model(
    vocab_size: int,
    *,
    width: int = 128,
    num_layers: int = 4,
    heads: int = 4,
    mlp_width: int = 512,
    context: int = 128,
    name: str = "char_transformer",
) -> keras.Model:
    """Embedding + learned positions -> ``num_layers`` pre-norm blocks -> LayerNorm -> Dense logits."""
    vocab_size = check_int("vocab_size", vocab_size, minimum=2)
    width = check_int("width", width, minimum=1)
    num_layers = check_int("num_layers", num_layers, minimum=1)
    heads = check_int("heads", heads, minimum=1)
    mlp_width = check_int("mlp_width", mlp_width, minimum=1)
    context = check_int("context", context, minimum=2)
    if width % heads:
        raise ValueError(f"width must be a multiple of heads ({heads}); got {width}.")
    ids = keras.Input((None,), dtype="int32", name="ids")  # (batch, time)
    x = keras.layers.Embedding(vocab_size, width, name="embedding")(ids)  # (batch, time, width)
    x = LearnedPositions(context, name="positions")(x)  # (batch, time, width)

    def attention(i, h):  # causal self-attention over the context
        layer = keras.layers.MultiHeadAttention(heads, width // heads, name=f"block{i}_attention")
        return layer(h, h, use_causal_mask=True)  # (batch, time, width)

    logits = residual_blocks(x, vocab_size, num_layers, attention, mlp_width=mlp_width)
    return keras.Model(ids, logits, name=name)  # logits: (batch, time, vocab)


def residual_blocks(x, vocab_size: int, num_layers: int, mixer, *, mlp_width: int):
    """``num_layers`` pre-norm residual blocks on ``x`` ``(batch, time, width)``, then a
    LayerNorm and the logits ``(batch, time, vocab_size)``. Each block is
    ``x + mixer(i, LN(x))`` (what mixes the time steps: attention here, a minGRU in
    :mod:`course_utils.textgen.minrnn`), then ``x + MLP(LN(x))`` (GELU, width ``mlp_width``)."""
    width = int(x.shape[-1])
    for i in range(num_layers):
        h = keras.layers.LayerNormalization(epsilon=1e-5, name=f"block{i}_norm1")(x)
        h = mixer(i, h)  # (batch, time, width)
        x = keras.layers.Add(name=f"block{i}_add1")([x, h])  # (batch, time, width)
        h = keras.layers.LayerNormalization(epsilon=1e-5, name=f"block{i}_norm2")(x)
        h = keras.layers.Dense(mlp_width, activation="gelu", name=f"block{i}_mlp_in")(h)
        h = keras.layers.Dense(width, name=f"block{i}_mlp_out")(h)  # (batch, time, width)
        x = keras.layers.Add(name=f"block{i}_add2")([x, h])  # (batch, time, width)
    x = keras.layers.LayerNormalization(epsilon=1e-5, name="final_norm")(x)
    # float32 under any dtype policy: Keras's mixed-precision guide keeps the last layer so
    head = keras.layers.Dense(vocab_size, name="logits", dtype="float32")
    return head(x)  # (batch, time, vocab)


def _context(model: keras.Model) -> int:
    found = [layer.context for layer in model.layers if isinstance(layer, LearnedPositions)]
    if len(found) != 1:
        raise ValueError("model must be built by transformer_model (one LearnedPositions layer).")
    return found[0]


def _stride(context: int) -> int:
    """How far the scoring window slides: half the context."""
    return context // 2


def carried_context(context: int) -> tuple[int, int]:
    """``(fewest, most)`` characters a scored character is predicted from (itself excluded)
    by :func:`transformer_bits_per_char` with ``window=None``, once past the first context:
    the window of ``context`` inputs slides by half of it, and the first character it
    scores has ``context - stride`` inputs before its prediction point plus the one at it.
    """
    context = check_int("context", context, minimum=2)
    return context - _stride(context) + 1, context


def transformer_bits_per_char(
    model: keras.Model, rows, *, window: int | None = None, burn_in: int = 0
) -> float:
    """Held-out bits per character of a :func:`transformer_model` on ``rows`` (``held_out_rows``).

    ``window=None`` (the counterpart of an RNN's carried state): every character after
    the first ``burn_in`` of its row is scored from the characters before it that its
    sliding context holds: windows slide by half the context, so that is between
    :func:`carried_context` ``(context)`` characters, not the whole row.
    ``window=w``: the same positions are cut into windows of ``w`` characters (the last
    of a row shorter), each scored with nothing before it, as an RNN read from a zero state.
    """
    rows = check_array("rows", rows, ndim=2, kind="int", dims="(rows, length + 1)")
    burn_in = check_int("burn_in", burn_in, minimum=0, maximum=rows.shape[1] - 2)
    context = _context(model)
    inputs, targets = rows[:, :-1], rows[:, 1:]  # (rows, length) each
    if window is not None:
        window = check_int("window", window, minimum=1, maximum=min(context, inputs.shape[1]))
        nats = [
            cross_entropy(
                np.asarray(model.predict_on_batch(x[i : i + 512])), y[i : i + 512]
            ).ravel()
            for x, y in window_pieces(inputs, targets, window, burn_in)
            for i in range(0, len(x), 512)
        ]
        return float(np.concatenate(nats).mean() / LN2)
    stride, length, nats, pos = _stride(context), inputs.shape[1], [], burn_in
    while pos < length:  # score [pos, end) with the context that ends at `end`
        end = min(pos + stride, length)
        start = max(0, end - context)
        logits = np.asarray(
            model.predict_on_batch(inputs[:, start:end])
        )  # (rows, <=context, vocab)
        nats.append(
            cross_entropy(logits[:, pos - start :], targets[:, pos:end])
        )  # (rows, end - pos)
        pos = end
    return float(np.concatenate(nats, axis=1).mean() / LN2)
