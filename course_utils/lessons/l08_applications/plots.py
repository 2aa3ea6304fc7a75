"""Plots for lesson 08: forecasts, accuracy against input length, attention heatmaps.

Every function returns the ``Figure`` (closed) with a sentence, computed from the plotted
values, that :func:`course_utils.plotting.show` prints after it. Series differ by line
style, marker or hatch as well as by colour.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array, check_int
from course_utils.plotting.common import describe, series_style
from course_utils.plotting.wording import best, num

_HATCHES = ("", "//", "..", "xx")

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
    test = np.arange(split_index, len(ppm))
    ax.plot(test, ppm[split_index:], color="C1", ls="--", lw=1.2, label="test period")
    ticks = np.arange(0, len(ppm), 60)
    ax.set_xticks(ticks, [dates[t][:4] for t in ticks])
    ax.set_ylabel("CO$_2$ (ppm)")
    ax.set_title("Monthly mean CO$_2$ at Mauna Loa")
    ax.legend()
    fig.tight_layout()
    plt.close(fig)
    return describe(
        fig,
        f"Monthly mean CO2 rises from {ppm[0]:.1f} ppm ({dates[0]}) to {ppm[-1]:.1f} ppm "
        f"({dates[-1]}); {split_index} training months up to {dates[split_index - 1]}, "
        f"{len(ppm) - split_index} test months from {dates[split_index]}.",
    )


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
    errors = {}
    for k, (name, values) in enumerate(forecasts.items()):
        values = check_array(f"forecasts[{name!r}]", np.asarray(values).reshape(len(starts), -1))
        style, misses = series_style(k), []
        for i, start in enumerate(starts):
            steps = time[start : start + values.shape[1]]
            ax.plot(steps, values[i, : len(steps)], lw=1.6, ms=3, markevery=3, **style,
                    label=name if i == 0 else None)  # fmt: skip
            misses.append(np.abs(values[i, : len(steps)] - series[steps]))  # (len(steps),)
        errors[str(name)] = float(np.mean(np.concatenate(misses)))
    if dates is not None:
        ticks = np.arange(first, len(series), 24)
        ax.set_xticks(ticks, [dates[t][:4] for t in ticks])
    ax.set_ylabel("CO$_2$ (ppm)")
    ax.set_title(title or "Year-ahead forecasts, one from each January of the test period")
    ax.legend(loc="upper left")
    fig.tight_layout()
    plt.close(fig)
    parts = [f"{name} {error:.2f}" for name, error in errors.items()]
    return describe(
        fig,
        f"{len(starts)} forecasts of {values.shape[1]} steps each; mean absolute error "
        f"against the measured series: {', '.join(parts)}; closest: {best(errors)}.",
    )


def plot_accuracy_by_length(tables: dict, *, title: str = "Exact match against input length"):
    """``tables`` maps a model name to ``{"a-b": (accuracy, count)}`` (``accuracy_by_length``)."""
    import matplotlib.pyplot as plt

    if not isinstance(tables, dict) or not tables:
        raise TypeError("tables must be a non-empty dict of name -> accuracy_by_length table.")
    fig, ax = plt.subplots(figsize=(6, 3.4))
    parts, longest = [], {}
    for k, (name, table) in enumerate(tables.items()):
        labels = list(table)
        accuracy = [float(table[b][0]) for b in labels]
        ax.plot(labels, accuracy, label=name, **series_style(k))
        parts.append(f"{name} {accuracy[0]:.2f} ({labels[0]}) to {accuracy[-1]:.2f} ({labels[-1]})")
        longest[str(name)] = accuracy[-1]
    ax.set_xlabel("input length (characters)")
    ax.set_ylabel("exact-match accuracy")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    plt.close(fig)
    sentence = "Exact-match accuracy from the shortest to the longest inputs: " + "; ".join(parts)
    if len(set(longest.values())) > 1:  # a tie has no best
        sentence += f"; best on the longest: {best(longest, lowest=False)}"
    return describe(fig, sentence + ".")


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
    peaks = []  # per example: the largest weight of each output character's row
    for ax, w, text, out in zip(axes[:, 0], weights, inputs, outputs, strict=True):
        shown = w[: len(out), : len(text)]  # (len(out), len(text))
        ax.imshow(shown, cmap="viridis", aspect="auto", vmin=0, vmax=1)
        peaks.append(shown.max(axis=1))  # (len(out),)
        ax.grid(False)
        ax.set_xticks(range(len(text)), list(text), fontsize=8, family="monospace")
        ax.set_yticks(range(len(out)), list(out), fontsize=8, family="monospace")
    fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    peak = np.concatenate(peaks)  # (all output characters,)
    return describe(
        fig,
        f"Attention weights of {len(weights)} example(s) (inputs of {min(map(len, inputs))} to "
        f"{max(map(len, inputs))} characters): each output character gives on average "
        f"{peak.mean():.0%} of its weight to one input character; {np.mean(peak > 0.5):.0%} "
        "of them give more than half.",
    )


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
        bars = ax.bar(xs, [row[k] for k in kinds], width, label=name, color=f"C{i % 8}",
                      hatch=_HATCHES[i % len(_HATCHES)], edgecolor="white")  # fmt: skip
        ax.bar_label(bars, fmt="%.2f", fontsize=8)
    ax.set_xticks(np.arange(len(kinds)) + width * (len(results) - 1) / 2, kinds)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("accuracy")
    ax.set_title(title)
    ax.legend(loc="lower right")
    fig.tight_layout()
    plt.close(fig)
    parts = [
        f"{name}: " + ", ".join(f"{kind} {num(row[kind])}" for kind in kinds)
        for name, row in results.items()
    ]
    return describe(fig, "Accuracy by kind of position. " + "; ".join(parts) + ".")
