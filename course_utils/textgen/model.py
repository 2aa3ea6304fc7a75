"""Model builders for lesson 06's character-level language models (the word-level one is
:mod:`course_utils.textgen.word`).

Explained in ``notebooks/06_text_generation.ipynb``. Every character model is
Embedding -> one or more recurrent layers -> Dense logits (no softmax: the loss takes
``from_logits=True``), so :func:`course_utils.textgen.generate.inference_model` can rebuild
it with state inputs and outputs for one-step generation.
"""

from __future__ import annotations

import keras

from course_utils.core.results import load_results
from course_utils.core.validation import check_choice, check_int, check_number
from course_utils.textgen.minrnn import mingru_model
from course_utils.textgen.transformer import transformer_model

__all__ = [
    "LESSON_CONTENDER",
    "RECURRENT_LAYERS",
    "OPTIONAL_SETTINGS",
    "SETTINGS_KEYS",
    "TRANSFORMER_SETTINGS",
    "TUTORIAL_SETTINGS",
    "build_from_settings",
    "char_model",
    "compile_char_model",
    "lesson_settings",
    "tuned_settings",
    "tutorial_model",
]

RECURRENT_LAYERS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}

#: The keys every settings dict has (the Transformer adds ``heads``).
SETTINGS_KEYS = (
    "embedding_dim",
    "hidden_size",
    "cell",
    "num_layers",
    "batch_size",
    "seq_length",
    "stateful",  # True: each row continues from the previous batch (truncated BPTT)
    "learning_rate",  # the peak of the schedule
    "schedule",  # "cosine" over the wall-clock budget down to zero, or "constant"
    "warmup",  # share of the budget: a linear warm-up to the peak
    "clipnorm",  # per-variable clipping (each weight's gradient), not lesson 03's global norm
)
#: Optional keys, with the value a settings dict without them means.
OPTIONAL_SETTINGS = {
    "weight_decay": 0.0,  # AdamW's decoupled decay; 0: plain Adam
    "dropout": 0.0,  # an RNN's: the recurrent layers' input dropout (Keras's ``dropout``)
    "unroll": False,  # an RNN's: Keras unrolls the time loop (fixed-length training windows)
    "residual": False,  # an RNN's: layers 2.. as x + layer(LayerNorm(x)) (see char_model)
    "precision": "float32",  # or "mixed_bfloat16": Keras's mixed precision while training
}


def tuned_settings(contender: str) -> dict:
    """The settings the race's tuning search chose for ``contender`` on the validation split.

    Read from ``benchmarks/results/textgen_tune.json`` when called (written by
    ``python -m benchmarks.textgen_tune``): every contender was searched on the same three
    axes (peak learning rate, batch size, weight decay) at the race's budget. An unfinished
    search has no choice yet, and says so.
    """
    tune = load_results("textgen_tune")
    summary = tune.get("summary")
    if not isinstance(summary, dict) or not tune.get("finished"):
        raise ValueError(
            "textgen_tune.json holds no finished search: run `python -m benchmarks.textgen_tune`."
        )
    check_choice("contender", contender, summary)
    return dict(summary[contender]["chosen"])


#: The race's name for lesson 06's character model (a GRU of 256 units).
LESSON_CONTENDER = "lesson GRU-256"


def lesson_settings() -> dict:
    """Lesson 06's character model and how it trains: the tuning search's choice for its GRU.

    Read when called (never at import), so this module imports without any results file.
    """
    return tuned_settings(LESSON_CONTENDER)


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


# The small decoder-only Transformer of the race (``course_utils.textgen.transformer``),
# before its tuning (``tuned_settings("Transformer 4x128")`` gives the chosen one). Its
# settings reuse the RNNs' keys: ``embedding_dim`` is the model width, ``hidden_size`` the
# MLP's width, ``seq_length`` the context (learned positions), plus ``heads``.
TRANSFORMER_SETTINGS = {
    "embedding_dim": 128,
    "hidden_size": 512,
    "cell": "transformer",
    "num_layers": 4,
    "heads": 4,
    "batch_size": 32,
    "seq_length": 128,
    "stateful": False,
    "learning_rate": 2e-3,
    "schedule": "cosine",
    "warmup": 0.05,
    "clipnorm": 1.0,
}


def build_from_settings(settings: dict, vocab_size: int, *, name: str | None = None) -> keras.Model:
    """The (uncompiled) model a settings dict describes: an RNN (:func:`char_model`) or a Transformer."""
    if not isinstance(settings, dict):
        raise TypeError(f"settings must be a dict; got {type(settings).__name__}.")
    missing = sorted(set(SETTINGS_KEYS) - set(settings))
    if missing:
        raise ValueError(f"settings lacks {missing}; expected the keys {list(SETTINGS_KEYS)}.")
    s = settings
    check_choice("settings['cell']", s["cell"], [*RECURRENT_LAYERS, "min_gru", "transformer"])
    rnn_only = [
        k
        for k in ("dropout", "unroll", "residual")
        if s.get(k) and s["cell"] not in RECURRENT_LAYERS
    ]
    if rnn_only:
        raise ValueError(
            f"settings{rnn_only} apply to an LSTM or GRU only; got cell {s['cell']!r}."
        )
    if s["cell"] == "min_gru":  # lesson 09's minGRU in residual blocks: reads whole rows
        if s["stateful"]:
            raise ValueError("settings['stateful'] must be False for a minGRU stack; got True.")
        return mingru_model(
            vocab_size,
            width=s["embedding_dim"],
            num_layers=s["num_layers"],
            mlp_width=s["hidden_size"],
            name=name or "char_mingru",
        )
    if s["cell"] == "transformer":
        if s["stateful"]:
            raise ValueError("settings['stateful'] must be False for a Transformer; got True.")
        return transformer_model(
            vocab_size,
            width=s["embedding_dim"],
            num_layers=s["num_layers"],
            heads=s.get("heads", 4),
            mlp_width=s["hidden_size"],
            context=s["seq_length"],
            name=name or "char_transformer",
        )
    return char_model(
        vocab_size,
        embedding_dim=s["embedding_dim"],
        hidden_size=s["hidden_size"],
        cell=s["cell"],
        num_layers=s["num_layers"],
        batch_size=s["batch_size"],
        stateful=s["stateful"],
        dropout=s.get("dropout", OPTIONAL_SETTINGS["dropout"]),
        unroll=s.get("unroll", OPTIONAL_SETTINGS["unroll"]),
        residual=s.get("residual", OPTIONAL_SETTINGS["residual"]),
        name=name or "char_model",
    )


def char_model(
    vocab_size: int,
    *,
    embedding_dim: int = 64,
    hidden_size: int = 256,
    cell: str = "lstm",
    num_layers: int = 1,
    batch_size: int | None = None,
    stateful: bool = False,
    dropout: float = 0.0,
    unroll: bool = False,
    residual: bool = False,
    name: str = "char_model",
) -> keras.Model:
    """Embedding -> ``num_layers`` x LSTM/GRU (``return_sequences``) -> Dense logits.

    Input: int ids ``(batch, time)``; output: logits ``(batch, time, vocab_size)``.
    ``stateful=True`` keeps each row's state from one batch to the next (the batch
    size must then be fixed: pass ``batch_size``). ``dropout``: each recurrent layer's
    input dropout while training; ``unroll``: Keras's unrolled time loop (inputs of a fixed
    length; :func:`~course_utils.textgen.generate.inference_model` builds its twin rolled).
    ``residual``: every layer after the first (whose input is the embedding, of another
    width) becomes a pre-norm residual block, ``x + layer(LayerNorm(x))``.
    """
    dropout = check_number("dropout", dropout, minimum=0, maximum=0.9)
    for flag, value in (("unroll", unroll), ("residual", residual)):
        if not isinstance(value, bool):
            raise TypeError(f"{flag} must be True or False; got {value!r}.")
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
            hidden_size,
            return_sequences=True,
            stateful=stateful,
            dropout=dropout,
            unroll=unroll,
            name=f"{cell}_{i}",
        )
        if residual and i > 0:  # widths match from the second layer on
            h = keras.layers.LayerNormalization(epsilon=1e-5, name=f"norm_{i}")(x)
            x = keras.layers.Add(name=f"add_{i}")([x, layer(h)])  # (batch, time, hidden)
        else:
            x = layer(x)  # (batch, time, hidden)
    # float32 under any dtype policy: Keras's mixed-precision guide keeps the last layer so
    head = keras.layers.Dense(vocab_size, name="logits", dtype="float32")
    logits = head(x)  # (batch, time, vocab)
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
    weight_decay: float = 0.0,
    jit_compile: bool | str = "auto",
) -> keras.Model:
    """Adam (AdamW when ``weight_decay`` > 0) and cross-entropy on logits; returns ``model``.

    ``clipnorm`` clips each weight's gradient on its own (per variable), the kind the
    committed text-generation benchmark used; lessons 03-05 and 07 clip the global norm.

    The learning rate is a variable, so a schedule may set it between batches
    (``model.optimizer.learning_rate.assign(...)``). ``weight_decay`` is AdamW's decoupled
    decay (each step multiplies the weights by ``1 - learning_rate * weight_decay``).

    ``jit_compile`` goes to ``model.compile`` as given. Keras's default ``"auto"`` compiles
    the whole train step with ``jax.jit`` on the JAX backend and leaves TensorFlow on a CPU
    without XLA; ``False`` on JAX runs the step op by op and retraces the GRU's ``lax.scan``
    at every step (about ten times slower: ``tests/test_textgen_jax.py``).
    """
    if jit_compile not in (True, False, "auto"):
        raise ValueError(f"jit_compile must be True, False or 'auto'; got {jit_compile!r}.")
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model; got {type(model).__name__}.")
    learning_rate = check_number("learning_rate", learning_rate, minimum=0, strict_minimum=True)
    if clipnorm is not None:
        clipnorm = check_number("clipnorm", clipnorm, minimum=0, strict_minimum=True)
    weight_decay = check_number("weight_decay", weight_decay, minimum=0)
    optimizer = (
        keras.optimizers.AdamW(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm)
        if weight_decay
        else keras.optimizers.Adam(learning_rate, clipnorm=clipnorm)
    )
    model.compile(
        optimizer=optimizer,
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=jit_compile,
    )
    return model
