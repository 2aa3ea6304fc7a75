"""Lesson 09's loops, repeated over lengths, kinds, tasks and seeds.

Explained in ``notebooks/09_rnn_revival.ipynb``, which shows each loop once in plain NumPy or
Keras before these helpers repeat it:

* :func:`numpy_scan_times` - section 3 times the NumPy loop against the parallel scan at
  one length; this repeats it over lengths (interleaved, :func:`course_utils.core.timing.interleaved`).
* :func:`build_copy_model` and :func:`train_copy` - section 7 builds the copying model and
  trains it once; these repeat it for the LTI and the selective layer, on selective and
  plain copying, over seeds (``benchmarks/selective_copy.py`` runs them).
* :func:`time_training_steps` - one process's interleaved timing of a Keras ``GRU`` against
  the Keras ``MinGRU`` at one length (``benchmarks/scan_timing.py`` runs it in separate
  processes).
"""

from __future__ import annotations

import time

import numpy as np

from course_utils.core.timing import interleaved
from course_utils.core.validation import check_choice, check_int
from course_utils.linear_rnn import scan_loop, scan_parallel
from course_utils.tasks.selective_copy import plain_copy, selective_copy

__all__ = [
    "BUDGET",
    "FAST_BUDGET",
    "KINDS",
    "TASKS",
    "BestWeights",
    "build_copy_model",
    "copy_data",
    "linear_probe_backprop",
    "numpy_scan_times",
    "time_training_steps",
    "train_copy",
]

#: The copying models: the time-invariant layer, the selective layer, and a minGRU stack.
KINDS = ("lti", "selective", "mingru")
#: The two tasks of Gu & Dao (2023), section 3.1.
TASKS = {"selective_copy": selective_copy, "plain_copy": plain_copy}
#: The copying budget (full mode); every model gets the same one.
BUDGET = {
    "length": 32,  # blank-or-data positions before the markers
    "tokens": 4,  # data tokens to copy
    "vocab": 8,  # blank, 6 data tokens, the marker
    "width": 32,  # embedding and residual width
    "state_size": 8,  # N per channel (Selective); minGRU's state is its width
    "layers": 2,
    "n_train": 4000,
    "n_val": 500,
    "n_test": 1000,
    "epochs": 8,
    "batch_size": 64,
    "learning_rate": 3e-3,
}
#: Fast mode's budget: shorter sequences, few of them, one epoch.
FAST_BUDGET = {**BUDGET, "length": 16, "n_train": 256, "n_val": 64, "n_test": 64, "epochs": 1}


def copy_data(task: str, n: int, *, length: int, tokens: int, vocab: int, seed: int):
    """``(inputs, targets)`` of ``task`` (a key of :data:`TASKS`): ``(n, length + tokens)``
    and ``(n, tokens)`` int32."""
    check_choice("task", task, TASKS)
    return TASKS[task](n, length, tokens, vocab, seed=seed)


def build_copy_model(
    kind: str, *, length: int, tokens: int, vocab: int, width: int, state_size: int,
    layers: int, seed: int, **_,
):  # fmt: skip
    """The lesson's copying model, as section 7 builds it: embedding, ``layers`` residual
    blocks (LayerNorm -> recurrent layer -> Dense with GELU), logits at the marker steps."""
    import keras  # heavy: loaded only when a model is built

    from course_utils.linear_rnn import keras_min, keras_ssm  # they load Keras too

    check_choice("kind", kind, KINDS)
    keras.utils.set_random_seed(check_int("seed", seed, minimum=0))
    inputs = keras.Input((length + tokens,), dtype="int32")  # (batch, time)
    h = keras.layers.Embedding(vocab, width)(inputs)  # (batch, time, width)
    for i in range(check_int("layers", layers, minimum=1)):
        normed = keras.layers.LayerNormalization()(h)  # (batch, time, width)
        if kind == "mingru":
            mixed = keras_min.MinGRU(width)(normed)  # (batch, time, width)
        else:
            lti = kind == "lti"
            mixed = keras_ssm.Selective(state_size, time_invariant=lti, seed=seed + i)(normed)
        h = h + keras.layers.Dense(width, activation="gelu")(mixed)  # (batch, time, width)
    logits = keras.layers.Dense(vocab)(h[:, -tokens:])  # (batch, tokens, vocab)
    return keras.Model(inputs, logits, name=f"copy_{kind}")


def _keras_callback_base():
    import keras  # heavy: the callback's base class

    return keras.callbacks.Callback


class BestWeights:
    """Keep the weights of the epoch with the best validation accuracy (the choice is made
    on validation data; the test set is read once, afterwards). Use :meth:`callback`."""

    def __init__(self):
        self.best, self.epoch, self.weights = -np.inf, None, None

    def callback(self):
        keeper = self

        class _Keep(_keras_callback_base()):
            def on_epoch_end(self, epoch, logs=None):
                score = (logs or {}).get("val_accuracy", -np.inf)
                if score > keeper.best:
                    keeper.best, keeper.epoch = score, epoch + 1
                    keeper.weights = self.model.get_weights()

        return _Keep()


def train_copy(kind: str, task: str, seed: int, *, callbacks=(), **budget) -> dict:
    """Train one copying model (section 7's recipe) and return its row: kind, task, seed,
    parameters, validation accuracy per epoch, the chosen epoch, its test accuracy, seconds."""
    import keras  # heavy: loaded only when a model is trained

    b = {**BUDGET, **budget}
    data = {"length": b["length"], "tokens": b["tokens"], "vocab": b["vocab"]}
    x, y = copy_data(task, b["n_train"], **data, seed=1000 * seed)
    x_val, y_val = copy_data(task, b["n_val"], **data, seed=1000 * seed + 1)
    x_test, y_test = copy_data(task, b["n_test"], **data, seed=1000 * seed + 2)
    model = build_copy_model(kind, **b, seed=seed)
    model.compile(
        keras.optimizers.Adam(b["learning_rate"]),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    best = BestWeights()
    start = time.perf_counter()
    history = model.fit(
        x, y, batch_size=b["batch_size"], epochs=b["epochs"], validation_data=(x_val, y_val),
        verbose=0, callbacks=[best.callback(), *callbacks],
    )  # fmt: skip
    seconds = time.perf_counter() - start
    model.set_weights(best.weights)
    _, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
    return {
        "kind": kind,
        "task": task,
        "seed": seed,
        "params": int(model.count_params()),
        "val_accuracy": [float(v) for v in history.history["val_accuracy"]],
        "chosen_epoch": best.epoch,
        "test_accuracy": float(test_accuracy),
        "seconds": round(seconds, 2),
    }


def linear_probe_backprop(a: float, steps: int, *, batch: int = 2, units: int = 3) -> np.ndarray:
    """``||dL/dh_k|| / ||dL/dh_T||`` for ``k = 1 .. T`` (earliest first), ``L`` the sum of
    the last states of ``h_t = a h_(t-1) + b_t``, measured by ``tf.GradientTape`` through
    :func:`course_utils.linear_rnn.keras_ssm.linear_scan` in float64: ``dL/db_k`` is
    ``dL/dh_k``, since ``h_k = a h_(k-1) + b_k``. The quantity lesson 03's
    ``hidden_gradient_norms(..., loss="last_sum")`` measures for an Elman network."""
    import tensorflow as tf

    from course_utils.linear_rnn import keras_ssm  # it loads Keras too

    steps = check_int("steps", steps, minimum=1)
    rng = np.random.default_rng(0)
    a_t = tf.constant(np.full((batch, steps, units), float(a)))  # (batch, T, units)
    b_t = tf.Variable(rng.standard_normal((batch, steps, units)))  # (batch, T, units)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(keras_ssm.linear_scan(a_t, b_t)[:, -1])
    grad = tape.gradient(loss, b_t).numpy()  # (batch, T, units): dL/dh_k
    norms = np.sqrt((grad**2).sum(axis=(0, 2)))  # (T,)
    return norms / norms[-1]


def numpy_scan_times(lengths, *, batch: int = 8, units: int = 64, rounds: int = 5, seed=0):
    """Median seconds of :func:`scan_loop` and :func:`scan_parallel` at each length, timed in
    turns (A B, B A, ...). Returns rows ``{"T", "loop", "scan"}``."""
    rng = np.random.default_rng(seed)
    rows = []
    for T in lengths:
        T = check_int("lengths[...]", T, minimum=1)
        a = rng.uniform(0.5, 1.0, (batch, T, units))  # (batch, T, units)
        b = rng.standard_normal((batch, T, units))  # (batch, T, units)
        loop = lambda a=a, b=b: scan_loop(a, b)  # noqa: E731  (binds this length's inputs)
        scan = lambda a=a, b=b: scan_parallel(a, b)  # noqa: E731
        timed = interleaved({"loop": loop, "scan": scan}, rounds=rounds)
        medians = {k: float(np.median(v)) for k, v in timed["seconds"].items()}
        rows.append({"T": T, **medians})
    return rows


#: The timed settings: each layer without and with XLA (``jit_compile``), so that each can be
#: compared at its faster setting (XLA speeds the GRU's loop up on a CPU and slows the
#: MinGRU's cumulative log-sum-exp down).
TIMING_ARMS = {
    "gru": ("gru", False),
    "gru_xla": ("gru", True),
    "mingru": ("mingru", False),
    "mingru_xla": ("mingru", True),
}


def time_training_steps(
    length: int, *, width: int = 64, features: int = 8, batch: int = 16, rounds: int = 5,
    batches: int = 2, seed: int = 0, first: str = "gru", warmup_rounds: int = 1,
    arms=tuple(TIMING_ARMS),
) -> dict:  # fmt: skip
    """Seconds per round of ``batches`` training steps of a Keras ``GRU(width)`` and a Keras
    ``MinGRU(width)`` (each followed by ``Dense(1)`` at every step, MSE), each compiled
    without and with XLA (``arms``, keys of :data:`TIMING_ARMS`), timed in turns.
    ``first`` takes the first slot of every odd round (the others follow in ``arms`` order,
    rotated); after tracing, ``warmup_rounds`` untimed rounds of all run first
    (``interleaved``)."""
    import keras  # heavy: loaded only when timing Keras

    from course_utils.linear_rnn import keras_min  # it loads Keras too

    length = check_int("length", length, minimum=1)
    arms = [check_choice("arms", arm, tuple(TIMING_ARMS)) for arm in arms]
    check_choice("first", first, tuple(arms))
    layers = {"gru": keras.layers.GRU, "mingru": keras_min.MinGRU}
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, length, features)).astype("float32")  # (batch, T, feat.)
    y = rng.standard_normal((batch, length, 1)).astype("float32")  # (batch, T, 1)
    models = {}
    for name in arms:
        cell, xla = TIMING_ARMS[name]
        keras.utils.set_random_seed(seed)
        models[name] = keras.Sequential(
            [keras.Input((length, features)), layers[cell](width, return_sequences=True),
             keras.layers.Dense(1)]
        )  # fmt: skip
        models[name].compile(keras.optimizers.Adam(1e-3), "mse", jit_compile=xla)
        models[name].train_on_batch(x, y)  # warm-up: trace (and compile) the training graph

    def steps(model):
        def run():
            for _ in range(batches):
                model.train_on_batch(x, y)

        return run

    start = arms.index(first)
    order = arms[start:] + arms[:start]
    result = interleaved(
        {name: steps(models[name]) for name in order}, rounds=rounds, warmup_rounds=warmup_rounds
    )
    result["first"] = first
    result["params"] = {name: int(m.count_params()) for name, m in models.items()}
    return result
