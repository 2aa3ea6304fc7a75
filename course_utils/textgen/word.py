"""Lesson 06's word-level language model: the first model of the lesson, before the
character models of :mod:`course_utils.textgen.model`.
"""

from __future__ import annotations

import keras

from course_utils.core.validation import check_int

__all__ = ["word_model"]


def word_model(vocab_size: int, *, embedding_dim: int = 64, hidden_size: int = 128) -> keras.Model:
    """The word-level model: Embedding -> LSTM (last state only) -> Dense softmax over words.

    Input: right-padded word ids ``(batch, context)`` (0 = padding, masked; at least one
    real word per row), as :func:`~course_utils.textgen.data.word_ngram_sequences`
    makes them: the layout cuDNN accepts on a GPU. The masked LSTM's output is its state
    after the last real word. Output: next-word probabilities ``(batch, vocab_size)``.
    Compiled with Adam and sparse categorical cross-entropy.
    """
    vocab_size = check_int("vocab_size", vocab_size, minimum=2)
    embedding_dim = check_int("embedding_dim", embedding_dim, minimum=1)
    hidden_size = check_int("hidden_size", hidden_size, minimum=1)
    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),  # (batch, context)
            keras.layers.Embedding(
                vocab_size, embedding_dim, mask_zero=True
            ),  # (batch, context, emb)
            keras.layers.LSTM(hidden_size),  # (batch, hidden): the state after the last word
            keras.layers.Dense(vocab_size, activation="softmax"),  # (batch, vocab)
        ],
        name="word_model",
    )
    model.compile(
        keras.optimizers.Adam(1e-2),
        "sparse_categorical_crossentropy",
        metrics=["sparse_categorical_accuracy"],
    )
    return model
