"""Plots of lessons 04 and 05: gates at work, runs over seeds, LSTM against GRU.

Every function returns the ``Figure`` (closed) with a sentence, computed from the plotted
values, that :func:`course_utils.plotting.show` prints after it.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.evidence import seeds_text, spread
from course_utils.core.validation import check_array, check_int, check_number
from course_utils.plotting.common import describe, series_style
from course_utils.plotting.wording import num

__all__ = ["plot_gate_heatmap", "plot_gate_trace", "plot_head_to_head", "plot_seed_runs"]

SIGMOID_GATES = ("input", "forget", "output", "update", "reset")


def _gate_array(gates, name: str) -> np.ndarray:
    if not isinstance(gates, dict) or name not in gates:
        keys = sorted(gates) if isinstance(gates, dict) else type(gates).__name__
        raise ValueError(
            f"gates must be the dict from gate_activations with key {name!r}; got {keys}."
        )
    return check_array(f"gates[{name!r}]", gates[name], ndim=3, dims="(batch, time, units)")


def plot_gate_trace(x, gates, *, unit: int, index: int = 0, title: str = ""):
    """One unit's gates and state over one adding-problem sequence.

    x: ``(batch, time, 2)`` (value, marker); gates: the dict from
    ``course_utils.gates.gate_activations``. Top: the inputs, markers as dashed lines and
    the hold span between them shaded. Middle: every sigmoid gate of ``unit``. Bottom:
    the cell state (LSTM) or hidden state (GRU) of ``unit``.
    """
    import matplotlib.pyplot as plt

    x = check_array("x", x, ndim=3, dims="(batch, time, 2)")
    index = check_int("index", index, minimum=0, maximum=x.shape[0] - 1)
    state = "cell" if "cell" in gates else "hidden"
    units = _gate_array(gates, state).shape[2]
    unit = check_int("unit", unit, minimum=0, maximum=units - 1)
    steps = np.arange(x.shape[1])
    marks = np.flatnonzero(x[index, :, 1] > 0.5)
    fig, axes = plt.subplots(
        3, 1, figsize=(7.5, 5.6), sharex=True, gridspec_kw={"height_ratios": [1, 1.4, 1]}
    )
    axes[0].bar(steps, x[index, :, 0], color="0.7", label="value")
    for ax in axes:
        for m in marks:
            ax.axvline(m, color="crimson", ls="--", lw=1)
        if len(marks) == 2:
            ax.axvspan(marks[0], marks[1], color="gold", alpha=0.15)
    axes[0].set_ylabel("input")
    axes[0].set_title(title or f"unit {unit}: dashed = marked steps, shaded = hold span")
    hold = np.zeros(len(steps), bool)  # (time,): the steps strictly between the markers
    if len(marks) == 2:
        hold[marks[0] + 1 : marks[1]] = True
    said = []
    for k, name in enumerate(n for n in SIGMOID_GATES if n in gates):
        values = _gate_array(gates, name)[index, :, unit]  # (time,)
        axes[1].plot(steps, values, label=name, lw=1.6, ms=3, markevery=4, **series_style(k))
        where = f"{values[hold].mean():.2f} over the hold span, " if hold.any() else ""
        said.append(f"{name} gate {where}{values[marks].mean():.2f} at the marked steps"
                    if len(marks) else f"{name} gate mean {values.mean():.2f}")  # fmt: skip
    axes[1].set_ylim(-0.05, 1.05)
    axes[1].set_ylabel("gate value")
    axes[1].legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
    trace = _gate_array(gates, state)[index, :, unit]  # (time,)
    axes[2].plot(steps, trace, color="k", lw=1.6)
    axes[2].set_ylabel(f"{state} state")
    axes[2].set_xlabel("time step")
    fig.tight_layout()
    plt.close(fig)
    at = f"markers at steps {', '.join(map(str, marks))}" if len(marks) else "no markers"
    return describe(
        fig,
        f"Unit {unit} over sequence {index} ({len(steps)} steps, {at}): "
        + "; ".join(said)
        + f"; the {state} state ends at {trace[-1]:.3g}.",
    )


def plot_gate_heatmap(
    gates, gate: str, *, index: int = 0, highlight: int | None = None, title: str = ""
):
    """Every unit's ``gate`` over one sequence, as a (unit x time) image in [0, 1]."""
    import matplotlib.pyplot as plt

    values = _gate_array(gates, gate)
    index = check_int("index", index, minimum=0, maximum=values.shape[0] - 1)
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    image = ax.imshow(
        values[index].T, aspect="auto", vmin=0, vmax=1, cmap="viridis", interpolation="nearest"
    )
    if highlight is not None:
        highlight = check_int("highlight", highlight, minimum=0, maximum=values.shape[2] - 1)
        ax.axhline(highlight, color="w", lw=0.8, ls=":")
        ax.set_yticks([highlight], [f"unit {highlight}"])
    ax.set_xlabel("time step")
    ax.set_ylabel("unit")
    ax.grid(False)
    ax.set_title(title or f"{gate} gate, every unit")
    fig.colorbar(image, ax=ax, fraction=0.03)
    fig.tight_layout()
    plt.close(fig)
    shown = values[index]  # (time, units)
    sentence = (
        f"The {gate} gate of {shown.shape[1]} units over {shown.shape[0]} steps: mean "
        f"{shown.mean():.2f}, {np.mean(shown > 0.9):.0%} of the values above 0.9 and "
        f"{np.mean(shown < 0.1):.0%} below 0.1"
    )
    if highlight is not None:
        sentence += f"; unit {highlight} averages {shown[:, highlight].mean():.2f}"
    return describe(fig, sentence + ".")


def plot_seed_runs(
    groups: dict,
    *,
    ylabel: str = "validation MSE",
    threshold: float | None = None,
    live: dict | None = None,
    title: str = "",
    logy: bool = True,
):
    """Learning curves over seeds, one colour per group.

    groups: ``{label: [history, ...]}`` (e.g. committed benchmark runs), drawn thin;
    live: ``{label: history}`` drawn thick in the group's colour; threshold: a dashed line.
    """
    import matplotlib.pyplot as plt

    if not isinstance(groups, dict) or not groups:
        raise TypeError(
            f"groups must be a non-empty dict of label -> list of histories; "
            f"got {type(groups).__name__}."
        )
    live = live or {}
    fig, ax = plt.subplots(figsize=(6.5, 3.4))
    said = []
    for k, (label, histories) in enumerate(groups.items()):
        style = series_style(k)  # colour and line style per group; the live run has markers
        finals = []
        for j, history in enumerate(histories):
            values = check_array(f"groups[{label!r}][{j}]", np.asarray(history, float), ndim=1)
            finals.append(float(values[-1]))
            ax.plot(
                np.arange(1, len(values) + 1),
                values,
                color=style["color"],
                ls=style["linestyle"],
                lw=0.9,
                alpha=0.6,
                label=f"{label} (committed seeds)" if j == 0 else None,
            )
        text = f"{label}: {seeds_text(len(finals))} end between {num(min(finals))} and {num(max(finals))}"
        if label in live:
            values = check_array(f"live[{label!r}]", np.asarray(live[label], float), ndim=1)
            ax.plot(np.arange(1, len(values) + 1), values, lw=2.6, ms=4, label=f"{label} (this run)",
                    **style)  # fmt: skip
            text += f", this run at {num(values[-1])}"
        said.append(text)
    if threshold is not None:
        threshold = check_number("threshold", threshold)
        ax.axhline(threshold, color="k", ls="--", lw=1, label=f"solved: < {threshold:g}")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    solved = f" (solved below {num(threshold)})" if threshold is not None else ""
    return describe(fig, f"Final {ylabel}{solved}: " + "; ".join(said) + ".")


MEASURES = (
    ("params", "parameters"),
    ("seconds_per_epoch", "s / epoch"),
    ("inference_us", "inference µs / sequence"),
    ("metric", "final metric (lower = better)"),
)


def plot_head_to_head(rows: list[dict], *, title: str = "LSTM against GRU"):
    """Bars of mean ± std over seeds: LSTM beside GRU for every task and measure.

    rows: ``Run.to_dict()`` records from ``course_utils.experiments.gating``.
    """
    import matplotlib.pyplot as plt

    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise TypeError("rows must be a non-empty list of Run.to_dict() records.")
    tasks = sorted({r["task"] for r in rows})
    fig, axes = plt.subplots(1, len(MEASURES), figsize=(12, 3.2))
    width, metric = 0.38, {}
    for ax, (key, label) in zip(axes, MEASURES, strict=True):
        for j, cell in enumerate(("lstm", "gru")):
            stats = []
            for task in tasks:
                values = [r[key] for r in rows if r["task"] == task and r["cell"] == cell]
                s = spread(values)  # over seeds
                stats.append((s.mean, s.std))
            means, stds = zip(*stats, strict=True)
            if key == "metric":
                metric[cell] = means
            ax.bar(
                np.arange(len(tasks)) + (j - 0.5) * width,
                means,
                width,
                yerr=stds,
                capsize=3,
                label=cell.upper(),
                color=f"C{j}",
                hatch=("", "//")[j],  # the cells differ by pattern too, not by colour alone
                edgecolor="white",
            )
        ax.set_xticks(np.arange(len(tasks)), [t.replace("_", "\n") for t in tasks], fontsize=8)
        ax.set_title(label, fontsize=9)
        if key in ("params", "metric"):  # tasks of very different sizes share the axis
            ax.set_yscale("log")
    axes[0].legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    parts = [
        f"{task} LSTM {num(lstm)} / GRU {num(gru)}"
        for task, lstm, gru in zip(tasks, metric["lstm"], metric["gru"], strict=True)
    ]
    return describe(
        fig, "Mean final metric over seeds (lower is better): " + "; ".join(parts) + "."
    )
