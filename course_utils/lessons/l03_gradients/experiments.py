"""Experiments of lesson 03 (vanishing and exploding gradients).

* :func:`probe_cell`, :func:`gradient_decay`, :func:`decay_slope`, :func:`decay_table` and
  :func:`saturation_table` measure how ``||dL/dh_k||`` shrinks or grows with the distance
  ``T - k``, in the NumPy engine (``course_utils.gradients.hidden_gradient_norms``).
* :func:`dict_table` prints a list of dicts as an aligned text table
  (:func:`course_utils.core.tables.table`).

The lesson's clipping runs are in :mod:`.clipping`, the adding problem's runs (shared with
lessons 04, 05 and 07) in :mod:`course_utils.experiments.adding_runs`, its verdicts in
:mod:`.verdicts`.
"""

from __future__ import annotations

import math

import numpy as np

from course_utils import numpy_rnn
from course_utils.core.tables import table
from course_utils.core.validation import check_array, check_choice, check_int, check_number
from course_utils.gradients import hidden_gradient_norms, set_spectral_radius
from course_utils.numpy_rnn import activation_grad

__all__ = [
    "ACTIVATIONS",
    "RHOS",
    "bound_excess",
    "decay_slope",
    "decay_table",
    "dict_table",
    "gradient_decay",
    "probe_cell",
    "saturation_table",
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


def dict_table(rows: list[dict], columns=None, *, digits: int = 3) -> str:
    """Rows of dicts as an aligned text table; floats get ``digits`` decimals."""
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise TypeError("rows must be a non-empty list of dicts.")
    columns = list(columns or rows[0])
    digits = check_int("digits", digits, minimum=0)

    def cell(value) -> str:
        if isinstance(value, float):
            return f"{value:.{digits}f}" if math.isfinite(value) else str(value)
        return str(value)

    cells = [[cell(r.get(c, "")) for c in columns] for r in rows]
    return table(columns, cells, align="r" * len(columns))
