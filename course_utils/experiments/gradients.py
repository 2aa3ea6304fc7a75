"""Experiments of lesson 03 (vanishing and exploding gradients).

* :func:`probe_cell`, :func:`gradient_decay`, :func:`decay_slope`, :func:`decay_table` and
  :func:`saturation_table` measure how ``||dL/dh_k||`` shrinks or grows with the distance
  ``T - k``, in the NumPy engine (``course_utils.gradients.hidden_gradient_norms``).
* :func:`clipping_run_keras` and :func:`clipping_run_numpy` train a ReLU RNN that is set up
  to explode, with and without gradient clipping, and log the gradient norm of every step.
* :func:`adding_model`, :func:`train_adding`, :func:`summarize_runs`,
  :func:`load_adding_benchmark` and :func:`compare_with_benchmark` run the adding problem
  for SimpleRNN, IRNN, LSTM and GRU. ``benchmarks/adding_problem.py`` runs the 3-seed grid
  with the same code and commits ``benchmarks/results/adding_problem.json``.
* :func:`format_table` prints a list of dicts as an aligned text table.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np

from course_utils import numpy_rnn
from course_utils.gradients import hidden_gradient_norms, set_spectral_radius
from course_utils.tasks import BASELINE_MSE, adding_problem
from course_utils.tasks.adding import SOLVED_MSE
from course_utils.validation import check_array, check_choice, check_int, check_number

__all__ = [
    "ACTIVATIONS",
    "ADDING_BUDGET",
    "ADDING_MODELS",
    "BENCHMARK_PATH",
    "CLIP_MODES",
    "MODEL_LABELS",
    "RHOS",
    "adding_model",
    "baseline_verdict",
    "bound_excess",
    "describe_budget",
    "clipping_run_keras",
    "clipping_run_numpy",
    "compare_with_benchmark",
    "decay_slope",
    "decay_table",
    "format_table",
    "gradient_decay",
    "load_adding_benchmark",
    "pivot_summary",
    "probe_cell",
    "saturation_table",
    "summarize_runs",
    "train_adding",
]

ACTIVATIONS = ("linear", "tanh", "relu")
RHOS = (0.5, 0.9, 1.0, 1.1, 1.5)
MATRICES = ("gaussian", "orthogonal")

# --- gradient norm against distance ---------------------------------------------------


def probe_cell(
    rho: float,
    activation: str = "linear",
    *,
    hidden_size: int = 32,
    matrix: str = "gaussian",
    seed=0,
) -> numpy_rnn.Elman:
    """An Elman cell (one input) whose ``W_hh`` has spectral radius ``rho``.

    matrix: ``"gaussian"`` (entries N(0, 1/hidden), a non-normal matrix) or
    ``"orthogonal"`` (a normal one, for which the decay is exactly ``rho**k``).
    """
    rho = check_number("rho", rho, minimum=0.0)
    check_choice("matrix", matrix, MATRICES)
    hidden_size = check_int("hidden_size", hidden_size, minimum=1)
    cell = numpy_rnn.Elman(1, hidden_size, activation=activation, seed=seed)
    rng = np.random.default_rng(seed)
    if matrix == "orthogonal":
        W = numpy_rnn.orthogonal((hidden_size, hidden_size), rng)  # (hidden, hidden)
    else:
        W = rng.standard_normal((hidden_size, hidden_size)) / math.sqrt(hidden_size)
    cell.params["W_hh"] = set_spectral_radius(W, rho) if rho > 0 else np.zeros_like(W)
    return cell


def gradient_decay(
    rho: float,
    activation: str = "linear",
    *,
    length: int = 60,
    hidden_size: int = 32,
    batch: int = 16,
    input_scale: float = 1.0,
    matrix: str = "gaussian",
    seed=0,
) -> dict:
    """``||dL/dh_{T-d}|| / ||dL/dh_T||`` for every distance ``d = 0 .. length-1``.

    The loss is ``sum(h_T)`` (``loss="last_sum"``), the inputs standard normal times
    ``input_scale``. Returns ``{"distance": (length,), "ratio": (length,),
    "mean_derivative": float}``; ``mean_derivative`` is the mean of ``act'(a_t)`` over all
    steps and units (1 for linear; smaller when tanh saturates).
    """
    length = check_int("length", length, minimum=1)
    batch = check_int("batch", batch, minimum=1)
    input_scale = check_number("input_scale", input_scale, minimum=0.0)
    cell = probe_cell(rho, activation, hidden_size=hidden_size, matrix=matrix, seed=seed)
    x = input_scale * np.random.default_rng(seed + 1).standard_normal((batch, length, 1))
    norms = hidden_gradient_norms(cell, x, loss="last_sum")  # (time,)
    outputs = cell(x)  # (batch, time, hidden)
    from course_utils.numpy_rnn._base import activation_grad

    derivative = float(np.mean(activation_grad(activation, outputs)))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = norms[::-1] / norms[-1]  # (time,): distance 0 first
    return {
        "distance": np.arange(length),
        "ratio": ratio,
        "mean_derivative": derivative,
        "sigma_max": float(np.linalg.norm(cell.params["W_hh"], 2)),
    }


def bound_excess(ratio, sigma_max: float, gamma: float = 1.0) -> float:
    """``max_d [log ratio(d) - d log(gamma * sigma_max)]``: at most 0 (up to round-off)
    when the curve respects the bound ``ratio(d) <= (gamma * sigma_max)**d``."""
    ratio = check_array("ratio", np.asarray(ratio, dtype=float), ndim=1, allow_nonfinite=True)
    sigma_max = check_number("sigma_max", sigma_max, minimum=0.0, strict_minimum=True)
    gamma = check_number("gamma", gamma, minimum=0.0, strict_minimum=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        excess = np.log(ratio) - np.arange(ratio.size) * math.log(gamma * sigma_max)
    excess = excess[np.isfinite(excess)]
    return float(excess.max()) if excess.size else float("nan")


def decay_slope(ratio, *, skip: int = 10) -> float:
    """Least-squares slope of ``log(ratio)`` against distance: the log of the rate per step.

    Distances below ``skip`` are left out (the transient); when fewer than two
    distances remain, all are used. Zero, infinite and NaN ratios are ignored; with
    fewer than two usable points the slope is NaN. A linear RNN gives ``log(rho)``.
    """
    ratio = np.asarray(ratio, dtype=float)
    if ratio.ndim != 1:
        raise ValueError(f"ratio must be 1-D (distance,); got shape {ratio.shape}.")
    skip = check_int("skip", skip, minimum=0)
    distance = np.arange(ratio.size)
    if ratio.size - skip < 2:
        skip = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(ratio)
    usable = np.isfinite(logs) & (distance >= skip)
    if usable.sum() < 2:
        return float("nan")
    return float(np.polyfit(distance[usable], logs[usable], 1)[0])


def decay_table(rhos=RHOS, activations=ACTIVATIONS, **probe) -> list[dict]:
    """One row per (activation, rho): ``log_rho``, the measured ``slope``, their
    ``difference``, the mean activation derivative, ``sigma_max`` and ``bound_excess``
    (:func:`bound_excess`, gamma = 1). ``probe``: for :func:`gradient_decay`."""
    rows = []
    for activation in activations:
        for rho in rhos:
            result = gradient_decay(rho, activation, **probe)
            slope = decay_slope(result["ratio"])
            log_rho = math.log(rho) if rho > 0 else float("-inf")
            rows.append(
                {
                    "activation": activation,
                    "rho": float(rho),
                    "log_rho": log_rho,
                    "slope": slope,
                    "difference": slope - log_rho,
                    "mean_derivative": result["mean_derivative"],
                    "sigma_max": result["sigma_max"],
                    "bound_excess": bound_excess(result["ratio"], result["sigma_max"]),
                }
            )
    return rows


def saturation_table(
    rhos=(0.9, 1.0, 1.1, 1.5), input_scales=(0.01, 0.3, 1.0, 3.0), **probe
) -> list[dict]:
    """tanh only: measured slope and mean ``tanh'`` for each input scale and rho."""
    rows = []
    for scale in input_scales:
        for rho in rhos:
            result = gradient_decay(rho, "tanh", input_scale=scale, **probe)
            rows.append(
                {
                    "input_scale": float(scale),
                    "rho": float(rho),
                    "log_rho": math.log(rho),
                    "slope": decay_slope(result["ratio"]),
                    "mean_derivative": result["mean_derivative"],
                }
            )
    return rows


def format_table(rows: list[dict], columns=None, *, digits: int = 3) -> str:
    """Rows of dicts as an aligned text table; floats get ``digits`` decimals."""
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise TypeError("rows must be a non-empty list of dicts.")
    columns = list(columns or rows[0])
    digits = check_int("digits", digits, minimum=0)

    def cell(value) -> str:
        if isinstance(value, float):
            return f"{value:.{digits}f}" if math.isfinite(value) else str(value)
        return str(value)

    table = [columns] + [[cell(r.get(c, "")) for c in columns] for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    lines = ["  ".join(v.rjust(w) for v, w in zip(line, widths, strict=True)) for line in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --- exploding gradients in training: with and without clipping -------------------------

CLIP_MODES = ("none", "clipnorm", "global_clipnorm")


def _run_record(losses: list, norms: list, steps: int) -> dict:
    loss = np.full(steps, np.nan)  # (steps,): NaN after a divergence
    grad_norm = np.full(steps, np.nan)  # (steps,)
    loss[: len(losses)] = losses
    grad_norm[: len(norms)] = norms
    bad = ~np.isfinite(loss[: len(losses)]) | ~np.isfinite(grad_norm[: len(losses)])
    diverged_at = int(np.argmax(bad)) if bad.any() else None
    tail = loss[np.isfinite(loss)][-20:]
    return {
        "loss": loss,
        "grad_norm": grad_norm,
        "diverged": diverged_at is not None,
        "diverged_at": diverged_at,
        "final_loss": float(tail.mean()) if tail.size else math.nan,
    }


def _check_clip_setup(max_norm, rho, length, hidden_size, steps, batch_size, learning_rate):
    return (
        check_number("max_norm", max_norm, minimum=0.0, strict_minimum=True),
        check_number("rho", rho, minimum=0.0),
        check_int("length", length, minimum=2),
        check_int("hidden_size", hidden_size, minimum=1),
        check_int("steps", steps, minimum=1),
        check_int("batch_size", batch_size, minimum=1),
        check_number("learning_rate", learning_rate, minimum=0.0, strict_minimum=True),
    )


def clipping_run_keras(
    clip: str = "none",
    *,
    max_norm: float = 1.0,
    rho: float = 2.5,
    length: int = 10,
    hidden_size: int = 32,
    steps: int = 800,
    batch_size: int = 32,
    learning_rate: float = 0.1,
    seed: int = 0,
) -> dict:
    """Train ``SimpleRNN(relu) -> Dense(1)`` on the adding problem with plain SGD.

    ``W_hh`` starts as an orthogonal matrix scaled to spectral radius ``rho > 1``, so the
    gradients explode. clip: ``"none"``, ``"clipnorm"`` (each weight tensor's gradient
    clipped to norm ``max_norm``) or ``"global_clipnorm"`` (all gradients rescaled together
    so that their joint norm is at most ``max_norm``): the Keras optimiser arguments.

    Returns ``{"loss": (steps,), "grad_norm": (steps,), "diverged", "diverged_at",
    "final_loss"}``. ``grad_norm`` is the global norm *before* clipping; after a
    divergence (a NaN or inf loss or norm) training stops and the rest is NaN.
    """
    import keras
    import tensorflow as tf

    check_choice("clip", clip, CLIP_MODES)
    max_norm, rho, length, hidden_size, steps, batch_size, learning_rate = _check_clip_setup(
        max_norm, rho, length, hidden_size, steps, batch_size, learning_rate
    )
    seed = check_int("seed", seed, minimum=0)
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((length, 2)),
            keras.layers.SimpleRNN(hidden_size, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    W = numpy_rnn.orthogonal((hidden_size, hidden_size), np.random.default_rng(seed))
    model.layers[0].cell.recurrent_kernel.assign(set_spectral_radius(W, rho))
    options = {} if clip == "none" else {clip: max_norm}
    optimizer = keras.optimizers.SGD(learning_rate, **options)
    optimizer.build(model.trainable_variables)
    x, y = adding_problem(steps * batch_size, length, seed=seed)  # (n, T, 2), (n, 1)

    @tf.function(jit_compile=True)  # XLA: faster, and skips a Grappler pass that logs errors
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(xb, training=True) - yb))
        grads = tape.gradient(loss, model.trainable_variables)
        norm = tf.linalg.global_norm(grads)  # before the optimiser clips
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss, norm

    losses, norms = [], []
    for step in range(steps):
        batch = slice(step * batch_size, (step + 1) * batch_size)
        loss, norm = train_step(x[batch], y[batch])
        losses.append(float(loss))
        norms.append(float(norm))
        if not (math.isfinite(losses[-1]) and math.isfinite(norms[-1])):
            break
    return _run_record(losses, norms, steps)


def _numpy_loss_and_grads(rnn, head, x, y):
    """MSE of ``head(rnn(x)[:, -1])`` and its gradients; None once anything overflows."""
    with np.errstate(over="ignore", invalid="ignore"):
        hs, cache = rnn.forward(x)  # (batch, time, hidden)
        if not np.all(np.isfinite(hs)):
            return None
        pred, head_cache = head.forward(hs[:, -1])  # (batch, 1)
        if not np.all(np.isfinite(pred)):
            return None
        loss, d_pred = numpy_rnn.mean_squared_error(pred, y)
        if not np.all(np.isfinite(d_pred)):
            return None
        head_grads = head.backward(d_pred, head_cache)
        d_hs = np.zeros_like(hs)  # (batch, time, hidden): only the last step is read out
        d_hs[:, -1] = head_grads["x"]
        if not np.all(np.isfinite(d_hs)):
            return None
        rnn_grads = rnn.backward(d_hs, cache)
    grads = {
        **{f"rnn.{k}": rnn_grads[k] for k in rnn.params},
        **{f"head.{k}": head_grads[k] for k in head.params},
    }
    return loss, grads


def clipping_run_numpy(
    max_norm: float | None = None,
    *,
    rho: float = 2.5,
    length: int = 10,
    hidden_size: int = 32,
    steps: int = 800,
    batch_size: int = 32,
    learning_rate: float = 0.1,
    seed: int = 0,
) -> dict:
    """The same experiment in the NumPy engine: ``Elman(relu) -> Dense``, SGD, and
    ``numpy_rnn.clip_by_global_norm`` when ``max_norm`` is given (None: no clipping).

    Returns the same dict as :func:`clipping_run_keras`.
    """
    clip = 1.0 if max_norm is None else max_norm
    clip, rho, length, hidden_size, steps, batch_size, learning_rate = _check_clip_setup(
        clip, rho, length, hidden_size, steps, batch_size, learning_rate
    )
    rnn = numpy_rnn.Elman(2, hidden_size, activation="relu", seed=seed)
    head = numpy_rnn.Dense(hidden_size, 1, seed=seed)
    rnn.params["W_hh"] = set_spectral_radius(rnn.params["W_hh"], rho)  # orthogonal * rho
    params = {
        **{f"rnn.{k}": v for k, v in rnn.params.items()},
        **{f"head.{k}": v for k, v in head.params.items()},
    }  # the same arrays, renamed
    optimizer = numpy_rnn.SGD(learning_rate)
    x, y = adding_problem(steps * batch_size, length, seed=seed)  # (n, T, 2), (n, 1)
    losses, norms = [], []
    for step in range(steps):
        batch = slice(step * batch_size, (step + 1) * batch_size)
        result = _numpy_loss_and_grads(rnn, head, x[batch], y[batch].astype(np.float64))
        if result is None:
            losses.append(math.nan)
            break
        loss, grads = result
        with np.errstate(over="ignore"):  # an overflowing norm is what we detect below
            clipped, norm = numpy_rnn.clip_by_global_norm(grads, clip)
        losses.append(loss)
        norms.append(norm)
        if not math.isfinite(norm):
            break
        optimizer.step(params, grads if max_norm is None else clipped)
    return _run_record(losses, norms, steps)


# --- the adding problem: SimpleRNN, IRNN, LSTM and GRU on one budget -----------------------

ADDING_MODELS = ("simple_rnn", "irnn", "lstm", "gru")
MODEL_LABELS = {"simple_rnn": "SimpleRNN", "irnn": "IRNN", "lstm": "LSTM", "gru": "GRU"}

#: The training budget every model gets, in the benchmark and in the lesson's full mode.
ADDING_BUDGET = {
    "hidden_size": 32,
    "steps": 1500,
    "batch_size": 128,
    "learning_rate": 1e-2,
    "global_clipnorm": 1.0,
    "n_train": 12_800,
    "n_test": 2000,
}

#: Test-set seed, shared by every model, length and training seed.
TEST_SEED = 10_000


BENCHMARK_PATH = (
    Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "adding_problem.json"
)


def _budget(budget: dict | None) -> dict:
    merged = dict(ADDING_BUDGET)
    if budget is not None:
        if not isinstance(budget, dict):
            raise TypeError(
                f"budget must be a dict like ADDING_BUDGET; got {type(budget).__name__}."
            )
        unknown = sorted(set(budget) - set(ADDING_BUDGET))
        if unknown:
            raise ValueError(
                f"unknown budget keys {unknown}; expected some of {sorted(ADDING_BUDGET)}."
            )
        merged.update(budget)
    for key in ("hidden_size", "steps", "batch_size", "n_train", "n_test"):
        merged[key] = check_int(f"budget[{key!r}]", merged[key], minimum=1)
    for key in ("learning_rate", "global_clipnorm"):
        merged[key] = check_number(
            f"budget[{key!r}]", merged[key], minimum=0.0, strict_minimum=True
        )
    return merged


def adding_model(
    kind: str,
    length: int,
    *,
    hidden_size: int = 32,
    learning_rate: float = 1e-2,
    global_clipnorm: float | None = 1.0,
    clipnorm: float | None = None,
    unit_forget_bias: bool = True,
    reset_after: bool = True,
    jit_compile: bool | str = True,
):
    """A compiled ``Input((length, 2)) -> recurrent layer(hidden_size) -> Dense(1)``, MSE.

    kind: ``"simple_rnn"`` (tanh, Keras defaults), ``"irnn"`` (ReLU, ``W_hh`` = identity,
    input weights N(0, 0.001**2): Le, Jaitly & Hinton 2015), ``"lstm"`` or ``"gru"``.
    Adam with ``global_clipnorm`` (lesson 03) or per-variable ``clipnorm`` (lessons 04,
    05 and 07, through ``gating.adding_model``; set the other to None).
    ``unit_forget_bias`` (LSTM) and ``reset_after`` (GRU) go to the Keras layer;
    ``jit_compile`` to ``model.compile``. Seed Keras first (``keras.utils.set_random_seed``).
    """
    import keras

    check_choice("kind", kind, ADDING_MODELS)
    length = check_int("length", length, minimum=2)
    hidden_size = check_int("hidden_size", hidden_size, minimum=1)
    learning_rate = check_number("learning_rate", learning_rate, minimum=0.0, strict_minimum=True)
    clips = {"global_clipnorm": global_clipnorm, "clipnorm": clipnorm}
    for name, value in clips.items():
        if value is not None:
            check_number(name, value, minimum=0.0, strict_minimum=True)
    if None not in clips.values():
        raise ValueError(f"set global_clipnorm or clipnorm, not both; got {clips}.")
    for name, value in (("unit_forget_bias", unit_forget_bias), ("reset_after", reset_after)):
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False; got {type(value).__name__} {value!r}.")
    if kind == "irnn":
        layer = keras.layers.SimpleRNN(
            hidden_size,
            activation="relu",
            recurrent_initializer=keras.initializers.Identity(),
            kernel_initializer=keras.initializers.RandomNormal(stddev=0.001),
        )
    elif kind == "lstm":
        layer = keras.layers.LSTM(hidden_size, unit_forget_bias=unit_forget_bias)
    elif kind == "gru":
        layer = keras.layers.GRU(hidden_size, reset_after=reset_after)
    else:
        layer = keras.layers.SimpleRNN(hidden_size)
    model = keras.Sequential([keras.Input((length, 2)), layer, keras.layers.Dense(1)])
    optimizer = keras.optimizers.Adam(learning_rate, **clips)
    # XLA compiles the loop over time: about 1.5-2x faster training steps on a CPU, for a
    # few seconds of compilation (lesson 03); "auto" is Keras's default (no XLA on a CPU).
    model.compile(optimizer, "mse", jit_compile=jit_compile)
    return model


def train_adding(
    kind: str,
    length: int,
    *,
    seed: int = 0,
    budget: dict | None = None,
    jit_compile: bool | str = True,
) -> dict:
    """Train one model on the adding problem of ``length`` steps; return what was measured.

    budget: overrides of :data:`ADDING_BUDGET` (the same for every model). The training
    set (``n_train`` sequences, seed ``seed``) is seen ``steps / (n_train / batch_size)``
    times; the test set (``n_test`` sequences) is the same for every run. Returns
    ``{"model", "length", "seed", "test_mse", "curve", "seconds"}``; ``curve`` is the
    test MSE after every pass over the training set. ``jit_compile`` goes to
    :func:`adding_model`: XLA pays for its compilation on long runs (the benchmark); a
    short fast-mode run is quicker without it (``"auto"``).
    """
    import keras

    check_choice("kind", kind, ADDING_MODELS)
    if jit_compile not in (True, False, "auto"):
        raise ValueError(f"jit_compile must be True, False or 'auto'; got {jit_compile!r}.")
    length = check_int("length", length, minimum=2)
    seed = check_int("seed", seed, minimum=0)
    b = _budget(budget)
    steps_per_epoch = max(1, b["n_train"] // b["batch_size"])
    epochs = max(1, round(b["steps"] / steps_per_epoch))
    x, y = adding_problem(b["n_train"], length, seed=seed)  # (n_train, T, 2), (n_train, 1)
    x_test, y_test = adding_problem(b["n_test"], length, seed=TEST_SEED)  # (n_test, T, 2)
    keras.utils.set_random_seed(seed)
    model = adding_model(
        kind,
        length,
        hidden_size=b["hidden_size"],
        learning_rate=b["learning_rate"],
        global_clipnorm=b["global_clipnorm"],
        jit_compile=jit_compile,
    )
    start, curve = time.perf_counter(), []
    for _ in range(epochs):
        model.fit(x, y, batch_size=b["batch_size"], epochs=1, verbose=0)
        curve.append(float(model.evaluate(x_test, y_test, batch_size=1000, verbose=0)))
    return {
        "model": kind,
        "length": length,
        "seed": seed,
        "test_mse": curve[-1],
        "curve": curve,
        "seconds": time.perf_counter() - start,
    }


def describe_budget(budget: dict | None = None) -> str:
    """The adding-problem budget in words, with the number of sequences seen in training,
    so that budgets of different lessons can be compared (lesson 05 prints its own)."""
    b = _budget(budget)
    seen = b["steps"] * b["batch_size"]
    return (
        f"{b['hidden_size']} units; {b['steps']} Adam steps (learning rate "
        f"{b['learning_rate']:g}, global_clipnorm {b['global_clipnorm']:g}) on batches of "
        f"{b['batch_size']} = {seen:,} sequences seen ({seen / b['n_train']:.1f} passes over "
        f"{b['n_train']:,} training sequences); test set {b['n_test']:,}"
    )


def _mse(value) -> float:
    """A run's test MSE as a float; a diverged run (NaN, inf, or None in JSON) gives NaN."""
    return math.nan if value is None or not math.isfinite(float(value)) else float(value)


def _model_order(model: str) -> int:
    return ADDING_MODELS.index(model) if model in ADDING_MODELS else len(ADDING_MODELS)


def summarize_runs(runs: list[dict]) -> list[dict]:
    """Mean and sample standard deviation of ``test_mse`` per (model, length), over seeds.

    A run whose test MSE is not a finite number (None in the JSON) diverged: it is left
    out of ``mean``/``std``/``n`` and counted in ``diverged``. ``solved``: no run diverged
    and the mean is below ``tasks.adding.SOLVED_MSE`` (1/60, a tenth of the baseline).
    """
    if not isinstance(runs, list) or not runs:
        raise TypeError("runs must be a non-empty list of train_adding() results.")
    groups: dict[tuple, list[float]] = {}
    for run in runs:
        groups.setdefault((run["model"], run["length"]), []).append(_mse(run["test_mse"]))
    rows = []
    for (model, length), values in sorted(
        groups.items(), key=lambda kv: (_model_order(kv[0][0]), kv[0][1])
    ):
        values = np.array(values)  # (seeds,)
        finite = values[np.isfinite(values)]  # (finite seeds,)
        mean = float(finite.mean()) if finite.size else math.nan
        std = float(finite.std(ddof=1)) if finite.size > 1 else (0.0 if finite.size else math.nan)
        diverged = int(values.size - finite.size)
        rows.append(
            {
                "model": model,
                "length": length,
                "mean": mean,
                "std": std,
                "n": int(finite.size),
                "diverged": diverged,
                "solved": bool(diverged == 0 and mean < SOLVED_MSE),
            }
        )
    return rows


def load_adding_benchmark(path=None) -> dict | None:
    """The committed benchmark JSON (``benchmarks/results/adding_problem.json``), or None
    when it is not there.

    Without ``path`` it is read from the clone or from the copy shipped inside the
    installed package (Colab), as :func:`course_utils.results.load_results` does.
    """
    if path is None:
        from course_utils.results import load_results

        try:
            return load_results("adding_problem")
        except FileNotFoundError:
            return None
    path = Path(path)
    if not path.is_file():
        return None
    return json.loads(path.read_text())


def compare_with_benchmark(
    live_runs: list[dict], benchmark: dict, *, budget: dict | None = None, floor: float = 0.02
) -> list[dict]:
    """Does each live run agree with the committed seeds of the same model and length?

    Agreement: ``|live - mean| <= max(2 * std, floor)`` (the floor, in MSE units, keeps
    three nearly equal seeds from making the interval vanish), and the same verdict
    (solved or not). Runs whose budget differs from the benchmark's (fast mode) are
    reported with ``agrees=None``.
    """
    if not isinstance(benchmark, dict) or "summary" not in benchmark:
        raise TypeError("benchmark must be the dict load_adding_benchmark() returns.")
    floor = check_number("floor", floor, minimum=0.0)
    same_budget = _budget(budget) == _budget(benchmark["budget"])
    committed = {(r["model"], r["length"]): r for r in benchmark["summary"]}
    rows = []
    for run in live_runs:
        ref = committed.get((run["model"], run["length"]))
        row = {
            "model": run["model"],
            "length": run["length"],
            "live": _mse(run["test_mse"]),
            "committed": math.nan,
            "std": math.nan,
            "agrees": None,
        }
        if ref is not None:
            row.update(committed=ref["mean"], std=ref["std"])
            if same_budget:
                live_solved = row["live"] < SOLVED_MSE
                spread = ref["std"] if math.isfinite(ref["std"]) else 0.0
                close = abs(row["live"] - ref["mean"]) <= max(2 * spread, floor)
                row["agrees"] = bool(close and live_solved == ref["solved"])
        rows.append(row)
    return rows


def pivot_summary(summary: list[dict], models=None) -> list[dict]:
    """One row per length with a ``"mean ± std"`` column per model, for printing.

    summary: rows of :func:`summarize_runs` (or the benchmark's ``"summary"``).
    models: which models, in which column order (default: all, in ``ADDING_MODELS`` order).
    """
    if not isinstance(summary, list) or not summary:
        raise TypeError("summary must be the non-empty list that summarize_runs() returns.")
    present = list(dict.fromkeys(r["model"] for r in summary))
    models = present if models is None else list(models)
    rows = []
    for length in sorted({r["length"] for r in summary}):
        row = {"T": length}
        for model in models:
            found = [r for r in summary if r["model"] == model and r["length"] == length]
            text = "-"
            if found:
                text = f"{found[0]['mean']:.4f} ± {found[0]['std']:.4f}"
                if found[0].get("diverged"):
                    text += f" ({found[0]['diverged']} diverged)"
            row[MODEL_LABELS.get(model, model)] = text
        rows.append(row)
    return rows


def baseline_verdict(mse: float, baseline: float = BASELINE_MSE) -> str:
    """Words for an adding-problem MSE: ``"far below the baseline"`` (under a tenth of it,
    the course's ``SOLVED_MSE`` for the baseline 1/6), ``"near the baseline"`` (over half of
    it) or ``"below the baseline"`` in between."""
    mse = check_number("mse", mse, minimum=0.0)
    baseline = check_number("baseline", baseline, minimum=0.0, strict_minimum=True)
    if mse < baseline / 10:
        return "far below the baseline"
    if mse > 0.5 * baseline:
        return "near the baseline"
    return "below the baseline"
