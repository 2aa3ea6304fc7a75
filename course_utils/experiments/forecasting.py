"""Time-series forecasting helpers for lesson 08 (``08_applications_and_attention``).

The lesson forecasts the Mauna Loa CO2 record (monthly means, ppm) a year ahead
and compares a recurrent forecaster with two baselines every forecaster must
beat:

- **naive**: every future step equals the last value seen;
- **seasonal naive**: every future step equals the value one season earlier.

Windowing is split *by time* first, so no value from the test period ever enters
a training window (inputs or targets): see :func:`make_windows`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import numpy as np

from course_utils.core.validation import check_array, check_int

__all__ = [
    "CO2Series",
    "Windows",
    "load_co2",
    "make_windows",
    "mae",
    "naive_forecast",
    "seasonal_naive_forecast",
]

# --- data -------------------------------------------------------------------


@dataclass(frozen=True)
class CO2Series:
    """Monthly mean CO2 at Mauna Loa: ``dates`` ("YYYY-MM" strings) and ``ppm`` (float32)."""

    dates: list[str]
    ppm: np.ndarray  # (months,)
    source: str


def load_co2() -> CO2Series:
    """Load the monthly Mauna Loa CO2 record shipped inside ``course_utils/data``.

    Read with ``importlib.resources``, so it works from a git checkout and from a
    non-editable install (Colab) alike, with no network. Provenance: ``datasets/README.md``.
    """
    path = resources.files("course_utils") / "data" / "co2_mauna_loa.csv"
    with path.open("r", encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    dates = [row["month"] for row in rows]
    ppm = np.array([float(row["ppm"]) for row in rows], dtype="float32")  # (months,)
    source = "Scripps CO2 program, Mauna Loa (weekly, via statsmodels.datasets.co2), monthly means"
    return CO2Series(dates=dates, ppm=ppm, source=source)


# --- windows ----------------------------------------------------------------


@dataclass(frozen=True)
class Windows:
    """Input/target windows, split by time. Arrays are float32 ``(n, steps, 1)``.

    ``train_start``/``test_start`` hold the series index of each window's first
    *target* step, so a learner can check where every window comes from.
    """

    x_train: np.ndarray  # (n_train, input_width, 1)
    y_train: np.ndarray  # (n_train, horizon, 1)
    x_test: np.ndarray  # (n_test, input_width, 1)
    y_test: np.ndarray  # (n_test, horizon, 1)
    train_target_start: np.ndarray  # (n_train,)
    test_target_start: np.ndarray  # (n_test,)


def _windows(series, input_width, horizon, first_target, last_target_end, stride):
    starts = np.arange(first_target, last_target_end - horizon + 1, stride)  # target starts
    x = np.stack([series[s - input_width : s] for s in starts]) if len(starts) else None
    y = np.stack([series[s : s + horizon] for s in starts]) if len(starts) else None
    return x, y, starts


def make_windows(
    series, *, input_width: int, horizon: int, split_index: int, test_stride: int | None = None
) -> Windows:
    """Cut ``series`` into (past ``input_width`` values -> next ``horizon`` values) pairs.

    Training windows lie entirely in ``series[:split_index]`` (inputs *and*
    targets), so nothing from the test period leaks into training. Test windows
    forecast targets inside ``series[split_index:]``; their inputs may reach back
    before the split, since at forecast time the past is known. Training windows
    step by 1; test windows by ``test_stride`` (default ``horizon``: forecasts that
    do not overlap, one per year for a 12-month horizon).
    """
    series = check_array("series", series, ndim=1, dims="(time,)")
    input_width = check_int("input_width", input_width, minimum=1)
    horizon = check_int("horizon", horizon, minimum=1)
    split_index = check_int("split_index", split_index, minimum=input_width + horizon)
    if split_index + horizon > len(series):
        raise ValueError(
            f"split_index must leave at least horizon={horizon} values for testing in a series "
            f"of length {len(series)}; got {split_index}."
        )
    test_stride = (
        horizon if test_stride is None else check_int("test_stride", test_stride, minimum=1)
    )
    series = series.astype("float32")[:, None]  # (time, 1)
    x_train, y_train, train_starts = _windows(
        series, input_width, horizon, input_width, split_index, 1
    )
    x_test, y_test, test_starts = _windows(
        series, input_width, horizon, split_index, len(series), test_stride
    )
    return Windows(x_train, y_train, x_test, y_test, train_starts, test_starts)


# --- baselines and the metric ----------------------------------------------


def naive_forecast(inputs, horizon: int) -> np.ndarray:
    """Repeat the last input value ``horizon`` times: ``(n, width, 1) -> (n, horizon, 1)``."""
    inputs = check_array("inputs", inputs, ndim=3, dims="(batch, input_width, 1)")
    horizon = check_int("horizon", horizon, minimum=1)
    last = inputs[:, -1:, :]  # (batch, 1, 1)
    return np.repeat(last, horizon, axis=1)  # (batch, horizon, 1)


def seasonal_naive_forecast(inputs, horizon: int, season: int) -> np.ndarray:
    """Step h of the forecast copies the value one ``season`` before it.

    Step h (0-based) gets ``inputs[:, width - season + h % season]``: for monthly
    data and ``season=12``, next March is forecast as last March.
    """
    inputs = check_array("inputs", inputs, ndim=3, dims="(batch, input_width, 1)")
    horizon = check_int("horizon", horizon, minimum=1)
    season = check_int("season", season, minimum=1)
    width = inputs.shape[1]
    if season > width:
        raise ValueError(f"season must be <= input_width ({width}); got {season}.")
    index = width - season + np.arange(horizon) % season  # (horizon,)
    return inputs[:, index, :]  # (batch, horizon, 1)


def mae(y_true, y_pred) -> float:
    """Mean absolute error over every element; the shapes must agree."""
    y_true = check_array("y_true", y_true)
    y_pred = check_array("y_pred", y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_pred must have the shape of y_true {y_true.shape}; got {y_pred.shape}."
        )
    return float(np.mean(np.abs(y_true.astype("float64") - y_pred.astype("float64"))))
