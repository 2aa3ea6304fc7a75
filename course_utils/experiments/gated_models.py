"""Lessons 05 and 07: the character model of the gated-cell experiments.

:func:`char_lm_model` (``Embedding -> cell -> Dense(vocab)``), for ``"simple_rnn"``,
``"lstm"`` or ``"gru"``; Adam with global-norm clipping (:data:`GLOBAL_CLIPNORM`, as in
lesson 03) unless per-tensor ``clipnorm`` is asked for by name. The adding model is the
course's one :func:`course_utils.experiments.adding_runs.adding_model`.
"""

from __future__ import annotations

from course_utils.core.validation import check_int, check_number
from course_utils.experiments.adding_runs import clipping_args
from course_utils.keras_cells import recurrent_layer

__all__ = ["GLOBAL_CLIPNORM", "char_lm_model"]


#: Gradient clipping for every model here, as in lesson 03: ``global_clipnorm`` (all
#: gradients rescaled together so that their joint norm is at most this).
GLOBAL_CLIPNORM = 1.0


# --- models -------------------------------------------------------------------------


def char_lm_model(
    cell: str,
    *,
    vocab_size: int,
    embedding_size: int = 16,
    hidden_size: int = 96,
    learning_rate: float = 1e-2,
    clipnorm: float | None = None,
    global_clipnorm: float | None = GLOBAL_CLIPNORM,
):
    """A compiled ``Embedding -> cell(return_sequences) -> Dense(vocab)`` next-character model.

    The loss is sparse categorical cross-entropy on logits, in nats per character. Adam
    with global-norm clipping (``global_clipnorm``), or per-tensor ``clipnorm`` instead
    (pass ``global_clipnorm=None`` with it).
    """
    import keras

    vocab_size = check_int("vocab_size", vocab_size, minimum=2)
    embedding_size = check_int("embedding_size", embedding_size, minimum=1)
    hidden_size = check_int("hidden_size", hidden_size, minimum=1)
    learning_rate = check_number("learning_rate", learning_rate, minimum=0.0, strict_minimum=True)
    clips = clipping_args(global_clipnorm, clipnorm)
    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(vocab_size, embedding_size),
            recurrent_layer(
                cell, hidden_size, return_sequences=True, unit_forget_bias=True, reset_after=True
            ),
            keras.layers.Dense(vocab_size),
        ]
    )
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(keras.optimizers.Adam(learning_rate, **clips), loss)
    return model
