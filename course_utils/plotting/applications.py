"""Plots for lesson 08: forecasts, accuracy against input length, attention heatmaps."""

from __future__ import annotations

import numpy as np

from ..validation import check_array, check_int

__all__ = [
    "plot_accuracy_by_length",
    "plot_co2",
    "plot_attention",
    "plot_forecasts",
    "plot_labelling_accuracy",
]


def plot_co2(dates, ppm, split_index: int):
    """The whole CO2 record with the training and test periods shaded differently."""
    import matplotlib.pyplot as plt

    ppm = check_array("ppm", ppm, ndim=1, dims="(months,)")
    split_index = check_int("split_index", split_index, minimum=1, maximum=len(ppm) - 1)
    if len(dates) != len(ppm):
        raise ValueError(f"dates must have one entry per value ({len(ppm)}); got {len(dates)}.")
    fig, ax = plt.subplots(figsize=(10, 3.2))
    ax.plot(np.arange(split_index), ppm[:split_index], color="C0", lw=1, label="training period")
    ax.plot(
        np.arange(split_index, len(ppm)), ppm[split_index:], color="C3", lw=1, label="test period"
    )
    ticks = np.arange(0, len(ppm), 60)
    ax.set_xticks(ticks, [dates[t][:4] for t in ticks])
    ax.set_ylabel("CO$_2$ (ppm)")
    ax.set_title("Monthly mean CO$_2$ at Mauna Loa")
    ax.legend()
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_forecasts(
    series, split_index: int, target_starts, forecasts: dict, *, dates=None, title=""
):
    """The series, the train/test split, and multi-step forecasts drawn from each start.

    ``forecasts`` maps a name to an array ``(n_windows, horizon)`` (or with a
    trailing axis of 1) whose row ``i`` forecasts ``series[target_starts[i]:]``.
    """
    import matplotlib.pyplot as plt

    series = check_array("series", series, ndim=1, dims="(time,)")
    split_index = check_int("split_index", split_index, minimum=1, maximum=len(series) - 1)
    starts = check_array("target_starts", target_starts, ndim=1, kind="int")
    if not isinstance(forecasts, dict) or not forecasts:
        raise TypeError("forecasts must be a non-empty dict of name -> (n_windows, horizon) array.")
    time = np.arange(len(series))
    first = max(0, split_index - 36)
    fig, ax = plt.subplots(figsize=(10, 3.6))
    ax.plot(time[first:], series[first:], color="black", lw=1.2, label="measured")
    ax.axvline(split_index, color="grey", ls="--", lw=1)
    ax.text(split_index, ax.get_ylim()[1], " test period ->", va="top", color="grey")
    for (name, values), color in zip(forecasts.items(), ["C0", "C1", "C2", "C3"], strict=False):
        values = check_array(f"forecasts[{name!r}]", np.asarray(values).reshape(len(starts), -1))
        for i, start in enumerate(starts):
            steps = time[start : start + values.shape[1]]
            ax.plot(
                steps, values[i, : len(steps)], color=color, lw=1.6, label=name if i == 0 else None
            )
    if dates is not None:
        ticks = np.arange(first, len(series), 24)
        ax.set_xticks(ticks, [dates[t][:4] for t in ticks])
    ax.set_ylabel("CO$_2$ (ppm)")
    ax.set_title(title or "Year-ahead forecasts, one from each January of the test period")
    ax.legend(loc="upper left")
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_accuracy_by_length(tables: dict, *, title: str = "Exact match against input length"):
    """``tables`` maps a model name to ``{"a-b": (accuracy, count)}`` (``accuracy_by_length``)."""
    import matplotlib.pyplot as plt

    if not isinstance(tables, dict) or not tables:
        raise TypeError("tables must be a non-empty dict of name -> accuracy_by_length table.")
    fig, ax = plt.subplots(figsize=(6, 3.4))
    for name, table in tables.items():
        labels = list(table)
        ax.plot(labels, [table[k][0] for k in labels], marker="o", label=name)
    ax.set_xlabel("input length (characters)")
    ax.set_ylabel("exact-match accuracy")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_attention(weights, inputs, outputs, *, title: str = "Where each output character looks"):
    """One heatmap per example: ``weights[i]`` is (T_out, T_in); rows are output characters.

    ``inputs``/``outputs`` are the strings; columns past ``len(inputs[i])`` (padding) are cut off.
    """
    import matplotlib.pyplot as plt

    weights = check_array("weights", weights, ndim=3, dims="(examples, T_out, T_in)")
    if len(inputs) != len(weights) or len(outputs) != len(weights):
        raise ValueError(
            f"inputs and outputs must have one string per example ({len(weights)}); "
            f"got {len(inputs)} and {len(outputs)}."
        )
    fig, axes = plt.subplots(len(weights), 1, figsize=(11, 1.5 + 1.6 * len(weights)), squeeze=False)
    for ax, w, text, out in zip(axes[:, 0], weights, inputs, outputs, strict=True):
        ax.imshow(w[: len(out), : len(text)], cmap="viridis", aspect="auto", vmin=0, vmax=1)
        ax.grid(False)
        ax.set_xticks(range(len(text)), list(text), fontsize=8, family="monospace")
        ax.set_yticks(range(len(out)), list(out), fontsize=8, family="monospace")
    fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_labelling_accuracy(results: dict, *, title: str = "Accuracy by kind of position"):
    """Grouped bars: ``results`` maps a model name to ``{position kind: accuracy}``."""
    import matplotlib.pyplot as plt

    if not isinstance(results, dict) or not results:
        raise TypeError("results must be a non-empty dict of name -> {kind: accuracy}.")
    kinds = list(next(iter(results.values())))
    width = 0.8 / len(results)
    fig, ax = plt.subplots(figsize=(6, 3.2))
    for i, (name, row) in enumerate(results.items()):
        xs = np.arange(len(kinds)) + i * width
        bars = ax.bar(xs, [row[k] for k in kinds], width, label=name)
        ax.bar_label(bars, fmt="%.2f", fontsize=8)
    ax.set_xticks(np.arange(len(kinds)) + width * (len(results) - 1) / 2, kinds)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("accuracy")
    ax.set_title(title)
    ax.legend(loc="lower right")
    fig.tight_layout()
    plt.close(fig)
    return fig
