"""The tasks of the architecture comparison (lesson 07): data, model and metric for each.

Every task is a :class:`TaskSpec`. :func:`task_data` makes its data (smaller in fast
mode), :func:`build_model` a compiled Keras model with a given recurrent cell and
size, and :func:`evaluate` the task's metric on held-out data.

=================  ==========================================================  =========
task               what the network must do                                    metric
=================  ==========================================================  =========
``adding_T10``     adding problem, T = 10 (lesson 03)                          MSE
``adding_T50``     adding problem, T = 50                                      MSE
``temporal_order`` order of two symbols, the first held ~40 steps (4 classes)  accuracy
``char_lm``        next character of Tiny Shakespeare, windows of 50           bits/char
``co2``            Mauna Loa CO2, next 12 months from the last 24 (lesson 08)  MAE (ppm)
=================  ==========================================================  =========

The adding tasks are named by their length. Lesson 05 (``experiments.gating.TASKS``) has
its own ``adding_T50`` and ``adding_T200``: the same naming, but lesson 05's ``adding_T50``
has another budget (sequences, epochs, sizes), so results under the one name in the two
lessons are not interchangeable; lesson 07 prints both budgets. :data:`RENAMED` maps this
module's old names (``adding_short``/``adding_long``) to the new.

Each task says what "solved" means for it (``solved``, ``solved_reason``): the adding
problem uses the course's one definition, :data:`course_utils.tasks.adding.SOLVED_MSE`;
temporal order uses :data:`course_utils.tasks.order.SOLVED_ORDER_ACCURACY`. The character
model and the CO2 forecast have no absolute "solved": there a cell is judged against
the best cell over seeds.

Every model trains with Adam and *global-norm* clipping (``global_clipnorm=1``: all
gradients rescaled together so that their joint norm is at most 1, as in lesson 03).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from course_utils.core.datasets import load_corpus
from course_utils.core.registry import RECURRENT
from course_utils.core.validation import check_choice, check_int, check_number
from course_utils.experiments import forecasting as fc
from course_utils.experiments.adding_runs import adding_model
from course_utils.experiments.char_data import char_lm_data
from course_utils.keras_cells import recurrent_layer
from course_utils.tasks import BASELINE_MSE, adding_problem, temporal_order
from course_utils.tasks.adding import SOLVED_MSE
from course_utils.tasks.order import SOLVED_ORDER_ACCURACY
from course_utils.textgen.transformer import transformer_model

__all__ = [
    "CELLS",
    "CELL_TASKS",
    "CLIPPING",
    "RENAMED",
    "TASKS",
    "TaskData",
    "TaskSpec",
    "build_model",
    "evaluate",
    "runs_on",
    "task_data",
]

CELLS = (*RECURRENT, "transformer")
#: Cells that run on some tasks only: the Transformer (lesson 06's race, at the grid's sizes)
#: reads character ids and predicts every next character, so it runs on ``char_lm`` only.
CELL_TASKS = {"transformer": ("char_lm",)}


def runs_on(cell: str, task: str) -> bool:
    """Whether the grid runs ``cell`` on ``task`` (see :data:`CELL_TASKS`)."""
    return task in CELL_TASKS.get(check_choice("cell", cell, CELLS), (task,))


@dataclass(frozen=True)
class TaskSpec:
    """One comparison task. ``epochs``: the default training budget (full mode)."""

    name: str
    description: str
    length: int  # time steps per sequence
    n_train: int  # training sequences (full mode)
    metric: str  # "mse", "accuracy", "bits_per_char" or "mae_ppm"
    higher_is_better: bool
    epochs: int
    batch_size: int
    learning_rate: float
    solved: float | None = None  # metric that counts as solved; None: no absolute notion
    solved_reason: str = ""


_NO_SOLVED = "no absolute 'solved' for {what}: a cell is judged against the best cell over seeds"
_SPECS = (
    # name, description, length, n_train, metric, higher_is_better, epochs, batch, lr, solved
    ("adding_T10", "adding problem, T=10", 10, 4000, "mse", False, 10, 64, 1e-2, SOLVED_MSE),
    ("adding_T50", "adding problem, T=50", 50, 4000, "mse", False, 15, 64, 1e-2, SOLVED_MSE),
    ("temporal_order", "order of two far-apart symbols", 50, 4000, "accuracy", True, 10, 64, 1e-2,
     SOLVED_ORDER_ACCURACY),
    ("char_lm", "next character, Tiny Shakespeare", 50, 1800, "bits_per_char", False, 4, 32, 1e-2,
     None),
    ("co2", "Mauna Loa CO2, 12 months ahead", 24, 350, "mae_ppm", False, 30, 32, 3e-3, None),
)  # fmt: skip
_REASONS = {
    "mse": "MSE below 1/60, the course's one definition for the adding problem "
    "(tasks.adding.SOLVED_MSE: a tenth of the mean predictor's 1/6)",
    "accuracy": "accuracy of at least {solved:g} (tasks.order.SOLVED_ORDER_ACCURACY: a model that "
    "remembers only the later symbol scores 0.5)",
    "bits_per_char": _NO_SOLVED.format(what="a language model"),
    "mae_ppm": _NO_SOLVED.format(what="a forecast"),
}
TASKS = {
    row[0]: TaskSpec(*row, solved_reason=_REASONS[row[4]].format(solved=row[-1] or 0))
    for row in _SPECS
}
#: Old task names of this module (before they were named by T) -> current names.
RENAMED = {"adding_short": "adding_T10", "adding_long": "adding_T50"}
#: How every model of the comparison clips its gradients (the Keras optimiser argument).
CLIPPING = {"global_clipnorm": 1.0}


def is_solved(task: str, metric: float) -> bool | None:
    """Whether ``metric`` counts as solved on ``task``; None when the task has no such notion."""
    spec = _spec(task)
    metric = check_number("metric", metric)
    if spec.solved is None:
        return None
    return metric >= spec.solved if spec.higher_is_better else metric < spec.solved


@dataclass(frozen=True)
class TaskData:
    """Arrays of one task, and the score of the trivial predictor (``chance``).

    For ``co2`` the arrays are scaled (minus each window's last value, divided by
    ``scale``); ``level_val`` holds the levels to undo it for the ppm metric.
    """

    x: np.ndarray
    y: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    chance: float  # the metric of the trivial predictor on the validation data
    vocab_size: int = 0  # char_lm only
    scale: float = 1.0  # co2 only
    level_val: np.ndarray | None = None  # co2 only: (n_val, 1, 1)


def _spec(task: str) -> TaskSpec:
    return TASKS[check_choice("task", task, TASKS)]


def task_data(task: str, *, fast: bool = False) -> TaskData:
    """The data of ``task`` (the same for every cell and seed). ``fast`` shrinks it."""
    spec = _spec(task)
    if not isinstance(fast, bool):
        raise TypeError(f"fast must be True or False; got {fast!r}.")
    n = spec.n_train // 10 if fast else spec.n_train
    if spec.metric == "mse":
        x, y = adding_problem(n, spec.length, seed=0)  # (n, T, 2), (n, 1)
        x_val, y_val = adding_problem(max(n // 4, 50), spec.length, seed=1)  # (n_val, T, 2)
        return TaskData(x, y, x_val, y_val, chance=BASELINE_MSE)
    if spec.name == "temporal_order":
        x, y = temporal_order(n, spec.length, seed=0)  # (n, T, 6), (n,)
        x_val, y_val = temporal_order(max(n // 4, 50), spec.length, seed=1)  # (n_val, T, 6)
        return TaskData(x, y, x_val, y_val, chance=0.25)
    if spec.name == "char_lm":
        return _char_data(spec, n)
    return _co2_data(spec, fast)


def _char_data(spec: TaskSpec, n_windows: int) -> TaskData:
    text = load_corpus("tinyshakespeare", verbose=False).text
    n_chars = int(n_windows * spec.length / 0.9) + 2 * spec.length
    data = char_lm_data(text, n_chars=n_chars, seq_length=spec.length)
    counts = np.bincount(data.y_train.ravel(), minlength=data.vocab_size) + 1  # (vocab,)
    probs = counts / counts.sum()  # unigram model from the training text
    chance = float(-np.mean(np.log2(probs[data.y_val.ravel()])))  # bits/char of unigrams
    return TaskData(
        data.x_train, data.y_train, data.x_val, data.y_val, chance, vocab_size=data.vocab_size
    )


def _co2_data(spec: TaskSpec, fast: bool) -> TaskData:
    co2 = fc.load_co2()
    windows = fc.make_windows(
        co2.ppm, input_width=spec.length, horizon=12, split_index=co2.dates.index("1990-01")
    )
    step = 5 if fast else 1
    x, y = windows.x_train[::step], windows.y_train[::step]  # (n, 24, 1), (n, 12, 1)
    level = x[:, -1:]  # (n, 1, 1): last input value of each window
    scale = float(np.std(y - level))  # data scaling, not a spread over seeds
    level_val = windows.x_test[:, -1:]  # (n_val, 1, 1)
    chance = fc.mae(windows.y_test, fc.seasonal_naive_forecast(windows.x_test, 12, 12))
    return TaskData(
        (x - level) / scale,
        (y - level) / scale,
        (windows.x_test - level_val) / scale,
        windows.y_test,  # in ppm: evaluate() compares forecasts in ppm
        chance,
        scale=scale,
        level_val=level_val,
    )


def build_model(
    cell: str, task: str, size: int, data: TaskData, *, learning_rate: float | None = None
):
    """A compiled model: inputs -> ``cell(size)`` -> a read-out for ``task``.

    Adam at the task's learning rate (or ``learning_rate``) with global-norm clipping
    (:data:`CLIPPING`). The adding model is the course's one (``experiments.adding_runs.adding_model``);
    the character model is lesson 05's shape (embedding 16, a cell over every step); the
    ``"transformer"`` cell (``char_lm`` only) is lesson 06's race model at width ``size``
    with 2 blocks.
    """
    import keras

    spec = _spec(task)
    size = check_int("size", size, minimum=1)
    lr = spec.learning_rate if learning_rate is None else learning_rate
    lr = check_number("learning_rate", lr, minimum=0.0, strict_minimum=True)
    if spec.metric == "mse":
        return adding_model(
            cell, spec.length, hidden_size=size, learning_rate=lr, jit_compile="auto", **CLIPPING
        )
    if not runs_on(cell, task):
        raise ValueError(f"cell {cell!r} runs on {list(CELL_TASKS[cell])} only; got task {task!r}.")
    if cell == "transformer":  # width = size, 2 blocks, 4 heads, MLP 4 x size, context T
        model = transformer_model(
            data.vocab_size, width=size, num_layers=2, heads=4, mlp_width=4 * size,
            context=spec.length, name="transformer",
        )  # fmt: skip
        model.compile(
            keras.optimizers.Adam(lr, **CLIPPING), keras.losses.SparseCategoricalCrossentropy(True)
        )
        return model
    if spec.name == "char_lm":
        layers = [
            keras.Input((None,), dtype="int32"),  # (batch, T) character ids
            keras.layers.Embedding(data.vocab_size, 16),  # (batch, T, 16)
            recurrent_layer(cell, size, return_sequences=True),  # (batch, T, size)
            keras.layers.Dense(data.vocab_size),  # (batch, T, vocab) logits
        ]
    else:
        outputs = 4 if spec.name == "temporal_order" else 12
        layers = [
            keras.Input(data.x.shape[1:]),  # (batch, T, features)
            recurrent_layer(cell, size),  # (batch, size)
            keras.layers.Dense(outputs),  # (batch, 4) class logits or (batch, 12) months
        ]
    model = keras.Sequential(layers)
    loss = "mae" if spec.name == "co2" else keras.losses.SparseCategoricalCrossentropy(True)
    model.compile(keras.optimizers.Adam(lr, **CLIPPING), loss)
    return model


def fit_targets(task: str, data: TaskData) -> np.ndarray:
    """The training targets in the shape the model's output has."""
    return data.y.reshape(len(data.y), -1) if _spec(task).name == "co2" else data.y


def evaluate(model, task: str, data: TaskData) -> float:
    """The task's metric of ``model`` on the held-out data (see the module table)."""
    spec = _spec(task)
    if spec.name == "char_lm":
        nats = model.evaluate(data.x_val, data.y_val, batch_size=256, verbose=0)
        return float(nats) / math.log(2)
    predictions = model.predict(data.x_val, batch_size=256, verbose=0)  # (n_val, outputs)
    if spec.name == "temporal_order":
        return float(np.mean(predictions.argmax(axis=-1) == data.y_val))
    if spec.name == "co2":
        forecast = predictions[..., None] * data.scale + data.level_val  # (n_val, 12, 1) ppm
        return float(np.mean(np.abs(forecast - data.y_val)))
    return float(np.mean((predictions - data.y_val) ** 2))
