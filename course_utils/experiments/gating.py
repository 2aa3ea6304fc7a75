"""Experiments of lessons 04 (LSTM) and 05 (GRU): gated cells trained, timed and compared.

* :func:`run_task` trains one Keras model on one configuration of :data:`TASKS` (the
  adding problem, or a character model on windows from :func:`char_lm_data`) and returns
  a :class:`Run`: parameters, seconds per epoch, inference time, the metric per epoch.
  :func:`time_task` times several cells on a task in alternation, for fair speed figures,
  and :func:`apply_timing` writes its figures into a run's record.
* :func:`readout_mse_loss` turns a model's ``Dense`` read-out into the loss that
  ``course_utils.gradients.hidden_gradient_norms`` differentiates (lesson 04).
* Summaries over seeds (``agreement``, ``claims_table``, the Markdown helpers, ...) live in
  :mod:`course_utils.experiments.gating_results`, the models in
  :mod:`course_utils.experiments.adding_runs` (``adding_model``) and
  :mod:`course_utils.experiments.gated_models` (``char_lm_model``), the character data in
  :mod:`course_utils.experiments.char_data`: import each from there. The verdicts of
  lesson 04 are in :mod:`course_utils.lessons.l04_lstm.verdicts`.

Longer than the course's 300-line guide (about 400 lines): the shared task settings, the timed training and the interleaved timing
read the same configuration (:func:`_task_setup`), so they stay together.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from course_utils.core.environment import seed_all
from course_utils.core.registry import RECURRENT
from course_utils.core.timing import interleaved
from course_utils.core.training import Budget, EpochEvaluation, Trainer
from course_utils.core.validation import check_array, check_choice, check_int, check_number
from course_utils.experiments.adding_runs import adding_model
from course_utils.experiments.char_data import char_lm_data
from course_utils.experiments.gated_models import GLOBAL_CLIPNORM, char_lm_model
from course_utils.tasks import adding_problem
from course_utils.tasks.adding import SOLVED_MSE

__all__ = [
    "TASKS",
    "Run",
    "apply_timing",
    "describe_task",
    "epochs_to_reach",
    "inference_us",
    "readout_mse_loss",
    "run_task",
    "time_task",
]


#: The configurations the lessons and the benchmarks share (full mode).
TASKS = {
    "adding_T50": {
        "task": "adding",
        "length": 50,
        "n_train": 5000,
        "n_val": 1000,
        "hidden_size": 16,
        "epochs": 12,
        "batch_size": 64,
        "learning_rate": 1e-2,
    },
    "adding_T200": {
        "task": "adding",
        "length": 200,
        "n_train": 4000,
        "n_val": 1000,
        "hidden_size": 16,
        "epochs": 12,
        "batch_size": 64,
        "learning_rate": 1e-2,
    },
    "forget_bias": {
        "task": "adding",
        "length": 100,
        "n_train": 5000,
        "n_val": 1000,
        "hidden_size": 16,
        "epochs": 20,
        "batch_size": 64,
        "learning_rate": 1e-2,
    },
    "char_lm": {
        "task": "char_lm",
        "corpus": "tinyshakespeare",
        "n_chars": 200_000,
        "seq_length": 100,
        "embedding_size": 16,
        "hidden_size": 96,
        "epochs": 6,
        "batch_size": 32,
        "learning_rate": 1e-2,
    },
}


# --- training, timed ---------------------------------------------------------------------


@dataclass
class Run:
    """One trained model and what was measured on it.

    ``history``: the validation metric after every epoch (``metric_name``: ``"mse"`` or
    ``"bits_per_char"``; lower is better). ``epoch_seconds``: wall time of each epoch's
    training (without validation). ``inference_us``: microseconds per sequence to run
    the model on the validation set in batches of 256 (``predict_on_batch``, after a
    warm-up call), the median of 3 timed passes.
    """

    task: str
    cell: str
    seed: int
    params: int
    metric_name: str
    history: list[float]
    epoch_seconds: list[float]
    inference_us: float
    model: object = field(default=None, repr=False)

    @property
    def metric(self) -> float:
        """The final validation metric."""
        return self.history[-1]

    @property
    def seconds_per_epoch(self) -> float:
        """Median epoch time, leaving out the first epoch (it includes graph tracing)."""
        times = self.epoch_seconds[1:] or self.epoch_seconds
        return float(np.median(times))

    def to_dict(self) -> dict:
        """The measurements as plain JSON-ready values (without the model)."""
        return {
            "task": self.task,
            "cell": self.cell,
            "seed": self.seed,
            "params": self.params,
            "metric_name": self.metric_name,
            "metric": round(self.metric, 6),
            "history": [round(v, 6) for v in self.history],
            "epoch_seconds": [round(v, 3) for v in self.epoch_seconds],
            "seconds_per_epoch": round(self.seconds_per_epoch, 3),
            "inference_us": round(self.inference_us, 2),
        }


def _val_batches(x_val, size: int = 256) -> list:
    """``x_val`` in equal batches of ``size`` (the remainder dropped, so one graph serves)."""
    size = min(size, len(x_val))
    return [x_val[k : k + size] for k in range(0, len(x_val) - size + 1, size)]


def _fit_timed(
    model, x, y, x_val, y_val, *, epochs: int, batch_size: int, to_metric, repeats: int = 3
):
    """Train for ``epochs`` through the course's one trainer, scoring ``(x_val, y_val)``
    after every epoch; returns the metric per epoch, the seconds per epoch (training only)
    and the inference time."""
    held_out = EpochEvaluation(x_val, y_val, batch_size=256)
    trainer = Trainer(Budget(epochs=epochs), progress="epochs", leave=False)
    trained = trainer.fit(model, x, y, batch_size=batch_size, shuffle=True, callbacks=[held_out])
    history = [to_metric(value) for value in held_out.values]
    return history, trained.epoch_seconds, inference_us(model, x_val, repeats=repeats)


def inference_us(model, x_val, *, repeats: int = 3) -> float:
    """Microseconds per sequence to run ``model`` over ``x_val`` in batches of up to 256
    (``predict_on_batch``, after a warm-up call): the median of ``repeats`` passes."""
    repeats = check_int("repeats", repeats, minimum=1)
    batches = _val_batches(x_val)
    model.predict_on_batch(batches[0])  # warm-up: trace the graph for this batch shape
    calls = []
    for _ in range(repeats):
        start = time.perf_counter()
        for chunk in batches:
            model.predict_on_batch(chunk)
        calls.append(time.perf_counter() - start)
    return 1e6 * float(np.median(calls)) / sum(len(chunk) for chunk in batches)


def _seeded(seed) -> int:

    seed = check_int("seed", seed, minimum=0)
    seed_all(seed)
    return seed


def _task_setup(name: str, text, overrides: dict):
    """The merged configuration, the data ``(x, y, x_val, y_val)``, a model builder
    ``build(cell)`` and the metric ``(name, loss -> value)`` of task ``name``."""
    check_choice("name", name, TASKS)
    unknown = set(overrides) - set(TASKS[name]) - {"unit_forget_bias", "reset_after"}
    if unknown:
        raise ValueError(
            f"unknown settings {sorted(unknown)} for task {name!r}; "
            f"expected some of {sorted(TASKS[name])}."
        )
    config = {**TASKS[name], **overrides}
    for key in ("epochs", "batch_size"):
        check_int(key, config[key], minimum=1)
    if config["task"] == "adding":
        n_train = check_int("n_train", config["n_train"], minimum=1)
        n_val = check_int("n_val", config["n_val"], minimum=1)
        x, y = adding_problem(n_train, config["length"], seed=0)  # (n, T, 2), (n, 1)
        x_val, y_val = adding_problem(n_val, config["length"], seed=1)  # (n_val, T, 2), (n_val, 1)

        def build(cell):
            return adding_model(
                cell,
                length=config["length"],
                hidden_size=config["hidden_size"],
                learning_rate=config["learning_rate"],
                unit_forget_bias=config.get("unit_forget_bias", True),
                reset_after=config.get("reset_after", True),
            )

        return config, (x, y, x_val, y_val), build, ("mse", float)
    if not isinstance(text, str):
        raise ValueError(f"task {name!r} needs text=, the corpus to train on (a str).")
    data = char_lm_data(text, n_chars=config["n_chars"], seq_length=config["seq_length"])

    def build(cell):
        return char_lm_model(
            cell,
            vocab_size=data.vocab_size,
            embedding_size=config["embedding_size"],
            hidden_size=config["hidden_size"],
            learning_rate=config["learning_rate"],
        )

    arrays = (data.x_train, data.y_train, data.x_val, data.y_val)
    return config, arrays, build, ("bits_per_char", lambda nats: float(nats) / math.log(2))


def run_task(name: str, cell: str, *, seed: int = 0, text: str | None = None, **overrides) -> Run:
    """Train ``cell`` on the configuration ``TASKS[name]``; ``overrides`` replace its values.

    Adding tasks use the same data for every seed (training set seed 0, validation set
    seed 1); ``seed`` sets the initial weights and the batch order. ``"char_lm"`` needs
    ``text``, the corpus (see :func:`char_lm_data`). Example, as in lesson 05::

        run = run_task("adding_T50", "gru", seed=0, epochs=pick(full=12, fast=1))
    """
    config, (x, y, x_val, y_val), build, (metric_name, to_metric) = _task_setup(
        name, text, overrides
    )
    seed = _seeded(seed)
    model = build(cell)
    history, seconds, inference_us = _fit_timed(
        model,
        x,
        y,
        x_val,
        y_val,
        epochs=config["epochs"],
        batch_size=config["batch_size"],
        to_metric=to_metric,
    )
    params = model.count_params()
    return Run(name, cell, seed, params, metric_name, history, seconds, inference_us, model)


def time_task(
    name: str,
    *,
    cells=("lstm", "gru"),
    text: str | None = None,
    seed: int = 0,
    rounds: int = 5,
    batches: int = 10,
    raw: bool = False,
    **overrides,
) -> dict:
    """Time training and inference of several cells on task ``name``, interleaved.

    Fresh models of every cell are built (speed does not depend on the weights' values)
    and warmed up; then, for ``rounds`` rounds, each cell in turn (the order reversed
    every round: :func:`course_utils.core.timing.interleaved`) trains on ``batches`` batches
    (``train_on_batch``); inference is timed the same way over the validation set.
    Interleaving puts a slow spell of a shared machine on every cell alike, which timing
    one whole training run after the other does not. One process is still one run: a
    time verdict needs several (``benchmarks/timing.py``,
    :func:`course_utils.core.evidence.time_ratio`).

    Returns ``{cell: {"seconds_per_epoch": median seconds per batch x batches per epoch,
    "inference_us": median microseconds per sequence}}``; with ``raw=True`` the training
    timings as :func:`~course_utils.core.timing.interleaved` gives them (seconds per round of
    ``batches`` batches, and the order).
    """
    config, (x, y, x_val, _), build, _ = _task_setup(name, text, overrides)
    rounds = check_int("rounds", rounds, minimum=2)
    batches = check_int("batches", batches, minimum=1)
    if isinstance(cells, str) or not cells:
        raise TypeError(f"cells must be a list of cell names; got {cells!r}.")
    cells = [check_choice("cells", cell, RECURRENT) for cell in cells]
    _seeded(seed)
    models = {cell: build(cell) for cell in cells}
    size = config["batch_size"]
    starts = [(k * size) % max(len(x) - size + 1, 1) for k in range(batches)]
    val = _val_batches(x_val)
    for model in models.values():  # warm-up: trace the training and inference graphs
        model.train_on_batch(x[starts[0] : starts[0] + size], y[starts[0] : starts[0] + size])
        model.predict_on_batch(val[0])

    def train(model):
        def run():
            for k in starts:
                model.train_on_batch(x[k : k + size], y[k : k + size])

        return run

    def infer(model):
        def run():
            for chunk in val:
                model.predict_on_batch(chunk)

        return run

    trained = interleaved({c: train(m) for c, m in models.items()}, rounds=rounds)
    if raw:
        return trained
    inferred = interleaved({c: infer(m) for c, m in models.items()}, rounds=rounds)
    steps, n_val = math.ceil(len(x) / size), sum(len(c) for c in val)
    return {
        cell: {
            "seconds_per_epoch": float(np.median(trained["seconds"][cell])) / batches * steps,
            "inference_us": 1e6 * float(np.median(inferred["seconds"][cell])) / n_val,
        }
        for cell in cells
    }


def apply_timing(rows: list[dict], task: str, timing: dict) -> None:
    """Put :func:`time_task` results into the ``Run.to_dict()`` rows of ``task``, in place.

    The times measured during training move to ``sequential_seconds_per_epoch`` and
    ``sequential_inference_us``; ``timing`` becomes ``"interleaved"``.
    """
    for row in rows:
        if row["task"] == task and row["cell"] in timing:
            if row.get("timing") != "interleaved":
                row["sequential_seconds_per_epoch"] = row["seconds_per_epoch"]
                row["sequential_inference_us"] = row["inference_us"]
            row["seconds_per_epoch"] = round(timing[row["cell"]]["seconds_per_epoch"], 3)
            row["inference_us"] = round(timing[row["cell"]]["inference_us"], 2)
            row["timing"] = "interleaved"


def describe_task(name: str, **overrides) -> str:
    """An adding task's training budget in words, in the form of lesson 03's
    ``experiments.adding_runs.describe_budget``, so that the lessons' budgets can be read side by side."""
    check_choice("name", name, TASKS)
    config = {**TASKS[name], **overrides}
    if config["task"] != "adding":
        raise ValueError(f"describe_task() describes adding tasks; {name!r} is {config['task']!r}.")
    steps = config["epochs"] * math.ceil(config["n_train"] / config["batch_size"])
    seen = config["epochs"] * config["n_train"]
    return (
        f"{config['hidden_size']} units; {steps} Adam steps (learning rate "
        f"{config['learning_rate']:g}, global_clipnorm {GLOBAL_CLIPNORM:g}) on batches of "
        f"{config['batch_size']} = {seen:,} sequences seen ({config['epochs']} passes over "
        f"{config['n_train']:,} training sequences); validation set {config['n_val']:,}"
    )


def epochs_to_reach(history, threshold: float = SOLVED_MSE) -> int | None:
    """The first epoch (1-based) whose value is below ``threshold``; None if never."""
    values = check_array("history", np.asarray(history, dtype=float), ndim=1, dims="(epochs,)")
    threshold = check_number("threshold", threshold)
    below = np.flatnonzero(values < threshold)
    return int(below[0]) + 1 if below.size else None


# --- the loss behind the gradient-flow plot -----------------------------------------


def readout_mse_loss(model, y):
    """The model's MSE as a function of its recurrent layer's outputs, for
    ``hidden_gradient_norms(model.layers[0], x, loss=readout_mse_loss(model, y))``.

    model: ``recurrent layer -> Dense(1)`` (as :func:`adding_model` builds); the loss
    reads the last step through the ``Dense`` weights: ``mean((h_T @ W + b - y)**2)``.
    """
    import keras

    layers = getattr(model, "layers", None)
    if not layers or not isinstance(layers[-1], keras.layers.Dense):
        raise TypeError(
            f"model must be a Keras model ending in a Dense read-out; got {type(model).__name__}."
        )
    W, b = (np.asarray(w, dtype=np.float64) for w in layers[-1].get_weights())  # (H, 1), (1,)
    y = check_array("y", y, ndim=2, shape=(None, W.shape[1]), dims="(batch, outputs)")

    def loss(outputs):
        pred = outputs[:, -1] @ W + b  # (batch, outputs)
        diff = pred - y  # (batch, outputs)
        d_outputs = np.zeros_like(outputs)  # (batch, time, hidden)
        d_outputs[:, -1] = (2.0 / diff.size) * diff @ W.T  # (batch, hidden)
        return float(np.mean(diff**2)), d_outputs

    return loss
