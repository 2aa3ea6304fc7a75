"""Model builders for lesson 06: word-level and character-level language models.

Explained in ``notebooks/06_text_generation.ipynb``. Every character model is
Embedding -> one or more recurrent layers -> Dense logits (no softmax: the loss takes
``from_logits=True``), so :func:`course_utils.textgen.generate.inference_model` can rebuild
it with state inputs and outputs for one-step generation.
"""

from __future__ import annotations

import keras

from ..validation import check_choice, check_int, check_number

__all__ = [
    "LESSON_SETTINGS",
    "RECURRENT_LAYERS",
    "TUTORIAL_SETTINGS",
    "char_model",
    "compile_char_model",
    "tutorial_model",
    "word_model",
]

RECURRENT_LAYERS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}

# The lesson's character model and how it trains. How these were chosen: by hand, from
# short trial runs that changed one setting at a time (held-out bits per character after
# about 3 CPU-minutes each, one seed, on a busy 2-core CPU), e.g.
#   python -m benchmarks.textgen --only lesson --clock process --minutes 3 \
#       --set cell=lstm --output /tmp/lstm.json
# Those trial runs were not committed, and one seed on a busy machine cannot separate close
# settings, so nothing here is a measured optimum: it is a reasonable starting point. A
# fair sweep, committed with its seeds, is future work (issue 19).
LESSON_SETTINGS = {
    "embedding_dim": 64,
    "hidden_size": 256,
    "cell": "gru",
    "num_layers": 1,
    "batch_size": 32,
    "seq_length": 50,
    "stateful": False,  # True: each row continues from the previous batch (truncated BPTT)
    "learning_rate": 6e-3,  # the peak of the schedule
    "schedule": "cosine",  # over the wall-clock budget, down to zero
    "warmup": 0.05,  # share of the budget: a linear warm-up to the peak
    "clipnorm": 1.0,  # per-variable clipping (each weight's gradient), not lesson 03's global norm
}

# TensorFlow's text-generation tutorial, as published: shuffled windows, constant Adam 1e-3.
TUTORIAL_SETTINGS = {
    "embedding_dim": 256,
    "hidden_size": 1024,
    "cell": "gru",
    "num_layers": 1,
    "batch_size": 64,
    "seq_length": 100,
    "stateful": False,
    "learning_rate": 1e-3,
    "schedule": "constant",
    "warmup": 0.0,
    "clipnorm": None,
}


def char_model(
    vocab_size: int,
    *,
    embedding_dim: int = 64,
    hidden_size: int = 256,
    cell: str = "lstm",
    num_layers: int = 1,
    batch_size: int | None = None,
    stateful: bool = False,
    name: str = "char_model",
) -> keras.Model:
    """Embedding -> ``num_layers`` x LSTM/GRU (``return_sequences``) -> Dense logits.

    Input: int ids ``(batch, time)``; output: logits ``(batch, time, vocab_size)``.
    ``stateful=True`` keeps each row's state from one batch to the next (the batch
    size must then be fixed: pass ``batch_size``).
    """
    vocab_size = check_int("vocab_size", vocab_size, minimum=2)
    embedding_dim = check_int("embedding_dim", embedding_dim, minimum=1)
    hidden_size = check_int("hidden_size", hidden_size, minimum=1)
    check_choice("cell", cell, RECURRENT_LAYERS)
    num_layers = check_int("num_layers", num_layers, minimum=1)
    if batch_size is not None:
        batch_size = check_int("batch_size", batch_size, minimum=1)
    if not isinstance(stateful, bool):
        raise TypeError(f"stateful must be True or False; got {stateful!r}.")
    if stateful and batch_size is None:
        raise ValueError(
            "stateful=True needs a fixed batch_size (each row is one stream); got None."
        )
    ids = keras.Input((None,), batch_size=batch_size, dtype="int32", name="ids")  # (batch, time)
    x = keras.layers.Embedding(vocab_size, embedding_dim, name="embedding")(
        ids
    )  # (batch, time, emb)
    for i in range(num_layers):
        layer = RECURRENT_LAYERS[cell](
            hidden_size, return_sequences=True, stateful=stateful, name=f"{cell}_{i}"
        )
        x = layer(x)  # (batch, time, hidden)
    logits = keras.layers.Dense(vocab_size, name="logits")(x)  # (batch, time, vocab)
    return keras.Model(ids, logits, name=name)


def tutorial_model(vocab_size: int, *, batch_size: int | None = None) -> keras.Model:
    """TensorFlow's text-generation tutorial model: Embedding 256 -> GRU 1024 -> Dense."""
    t = TUTORIAL_SETTINGS
    return char_model(
        vocab_size,
        embedding_dim=t["embedding_dim"],
        hidden_size=t["hidden_size"],
        cell=t["cell"],
        batch_size=batch_size,
        name="tutorial_gru1024",
    )


def compile_char_model(
    model: keras.Model,
    *,
    learning_rate: float = 1e-3,
    clipnorm: float | None = None,
    jit_compile: bool = False,
) -> keras.Model:
    """Adam and sparse categorical cross-entropy on logits; returns ``model``.

    ``clipnorm`` clips each weight's gradient on its own (per variable), the kind the
    committed text-generation benchmark used; lessons 03-05 and 07 clip the global norm.

    The learning rate is a variable, so a schedule may set it between batches
    (``model.optimizer.learning_rate.assign(...)``).
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}.")
    learning_rate = check_number("learning_rate", learning_rate, minimum=0, strict_minimum=True)
    if clipnorm is not None:
        clipnorm = check_number("clipnorm", clipnorm, minimum=0, strict_minimum=True)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate, clipnorm=clipnorm),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=bool(jit_compile),
    )
    return model


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
