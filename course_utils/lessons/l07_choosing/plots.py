"""Lesson 07: the architecture grid as trade-off plots (metric against a cost).

The cells differ by marker as well as by colour (grey, blue, orange: the Okabe-Ito cycle
that :func:`course_utils.setup` installs); the figure carries a sentence computed from the
plotted means (:func:`course_utils.plotting.show` prints it).
"""

from __future__ import annotations

from course_utils.core.registry import cell_name
from course_utils.core.validation import check_choice
from course_utils.plotting.common import describe
from course_utils.plotting.wording import num

__all__ = ["front_indices", "plot_tradeoff"]

COLOURS = {"simple_rnn": "0.5", "lstm": "C0", "gru": "C1", "transformer": "C4"}
MARKERS = {"simple_rnn": "s", "lstm": "o", "gru": "^", "transformer": "D"}
FRONT = "C2"  # the Pareto front's rings: bluish green, paired with no red
COSTS = {
    "params": "parameters",
    "train_seconds": "training time (s)",
    "seconds_per_epoch": "seconds per epoch",
    "inference_us": "inference (µs / sequence)",
}
METRICS = {
    "mse": "MSE (lower is better)",
    "accuracy": "accuracy (higher is better)",
    "bits_per_char": "bits/char (lower is better)",
    "mae_ppm": "MAE, ppm (lower is better)",
}


def _scale_x(ax, values) -> None:
    """Log scale when the values span more than a factor of 10; plain numbers as labels."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    if max(values) > 10 * min(values) > 0:
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 10 else f"{v:g}"))


def front_indices(front, costs: list[float], errors: list[float]) -> list[int]:
    """``front(costs, errors)``, checked: a list of distinct valid indices, sorted."""
    if not callable(front):
        raise TypeError(f"front must be a function (costs, errors) -> indices; got {front!r}.")
    chosen = front(list(costs), list(errors))
    try:
        chosen = sorted({int(i) for i in chosen})
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"front(costs, errors) must return indices; it returned {chosen!r}."
        ) from err
    if any(i < 0 or i >= len(costs) for i in chosen):
        raise ValueError(f"front returned {chosen}; expected indices in 0..{len(costs) - 1}.")
    return chosen


def _draw_front(ax, front, entries, cost: str) -> None:
    costs = [e[f"{cost}_mean"] for e in entries]
    sign = -1 if entries[0]["higher_is_better"] else 1
    errors = [sign * e["metric_mean"] for e in entries]  # lower is better for both
    chosen = front_indices(front, costs, errors)
    points = sorted((costs[i], entries[i]["metric_mean"]) for i in chosen)
    ax.plot(*zip(*points, strict=True), color=FRONT, lw=1.2, ls=":", marker="o", mfc="none",
            ms=14, zorder=0)  # fmt: skip


def plot_tradeoff(summary: list[dict], cost: str = "params", *, front=None):
    """One panel per task: each cell and size at (mean cost, mean metric), std as bars.

    ``summary``: :func:`course_utils.lessons.l07_choosing.summarise` output. ``cost``: ``"params"``,
    ``"train_seconds"``, ``"seconds_per_epoch"`` or ``"inference_us"`` (a log x axis
    when the costs span more than a factor of 10).
    The dashed line is the trivial predictor's score (``chance``); small markers are
    the smaller size, large ones the larger. ``front``: a function ``(costs, errors) ->
    indices`` (lower is better for both, as lesson 07's ``pareto_front``); the points it
    returns are ringed and joined in green (dotted).
    """
    import matplotlib.pyplot as plt

    cost = check_choice("cost", cost, COSTS)
    if not isinstance(summary, list) or not summary:
        raise TypeError("summary must be a non-empty list from compare.summarise(rows).")
    if front is not None and not callable(front):
        raise TypeError(f"front must be a function (costs, errors) -> indices; got {front!r}.")
    tasks = list(dict.fromkeys(e["task"] for e in summary))
    sizes = sorted({e["size"] for e in summary})
    ncols = min(3, len(tasks))
    nrows = -(-len(tasks) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.1 * nrows), squeeze=False)
    said = []
    for ax, task in zip(axes.flat, tasks, strict=False):
        entries = [e for e in summary if e["task"] == task]
        for e in entries:
            ax.errorbar(
                e[f"{cost}_mean"], e["metric_mean"], yerr=e["metric_std"], fmt=MARKERS[e["cell"]],
                ms=5 + 4 * sizes.index(e["size"]), color=COLOURS[e["cell"]], capsize=2,
            )  # fmt: skip
        said.append(_best_of(task, entries, cost))
        ax.axhline(entries[0]["chance"], color="k", ls="--", lw=0.8)
        if front is not None:
            _draw_front(ax, front, entries, cost)
        _scale_x(ax, [e[f"{cost}_mean"] for e in entries])
        ax.set_title(task, fontsize=10)
        ax.set_xlabel(COSTS[cost])
        ax.set_ylabel(METRICS.get(entries[0]["metric_name"], entries[0]["metric_name"]))
        if entries[0]["metric_name"] == "mse":
            ax.set_yscale("log")
    spare = list(axes.flat)[len(tasks) :]
    for ax in spare:
        ax.axis("off")
    handles = [
        plt.Line2D([], [], marker=MARKERS[c], ls="", color=COLOURS[c], label=cell_name(c))
        for c in COLOURS
        if any(e["cell"] == c for e in summary)
    ]
    handles.append(plt.Line2D([], [], ls="--", color="k", lw=0.8, label="trivial predictor"))
    if front is not None:
        handles.append(plt.Line2D([], [], color=FRONT, ls=":", marker="o", mfc="none",
                                  label="Pareto front"))  # fmt: skip
    sizes_text = " / ".join(map(str, sizes))
    if spare:
        spare[0].legend(handles=handles, loc="center", frameon=False, title=f"units: {sizes_text}")
    else:
        fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False)
    fig.suptitle(f"Metric against {COSTS[cost]} (small / large markers: {sizes_text} units)")
    fig.tight_layout()
    plt.close(fig)
    return describe(fig, "Best mean metric per task: " + "; ".join(said) + ".")


def _best_of(task: str, entries: list[dict], cost: str) -> str:
    """``"adding_T50: LSTM(64) 0.0012, parameters 12,545"``: the best entry of one panel."""
    sign = -1 if entries[0]["higher_is_better"] else 1
    top = min(entries, key=lambda e: sign * e["metric_mean"])
    value = top[f"{cost}_mean"]
    spent = f"{value:,.0f}" if value >= 10 else f"{value:.3g}"
    name = f"{cell_name(top['cell'])}({top['size']})"
    return f"{task}: {name} {num(top['metric_mean'])}, {COSTS[cost]} {spent}"
