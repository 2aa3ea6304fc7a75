"""Plots of lesson 03: gradient norms over distance, decay rates, clipping, the adding problem.

Every function returns the ``Figure`` after ``plt.close(fig)`` (Jupyter shows it once),
with a sentence computed from the plotted values (:func:`course_utils.plotting.show`
prints it). Lines differ by marker or line style as well as by colour.
Gradient norms and MSEs span many orders of magnitude, so the y-axes are logarithmic;
zero, negative and non-finite values cannot be drawn there and are left out.
"""

from __future__ import annotations

import math

import numpy as np

from course_utils.core.registry import cell_name
from course_utils.core.validation import check_array, check_number
from course_utils.plotting.common import describe, series_style
from course_utils.plotting.wording import last_finite, num, trend

__all__ = [
    "plot_adding_results",
    "plot_clipping_runs",
    "plot_decay_grid",
    "plot_decay_slopes",
    "plot_gradient_norms",
]


def _positive(values, name: str) -> np.ndarray:
    """A 1-D float array with zero, negative and non-finite entries replaced by NaN."""
    values = check_array(name, np.asarray(values, dtype=float), ndim=1, allow_nonfinite=True)
    return np.where(np.isfinite(values) & (values > 0), values, np.nan)  # (n,)


def _check_curves(curves, name: str) -> dict:
    if not isinstance(curves, dict) or not curves:
        raise TypeError(
            f"{name} must be a non-empty dict of label -> values; got {type(curves).__name__}."
        )
    return curves


def _draw_ratios(ax, curves: dict, references: dict | None) -> list[str]:
    """Draw each curve (solid, with its own marker) and its dashed reference; return, per
    curve, where its last drawable value lies (``"a reaches 0.001 at distance 49"``)."""
    colors, ends = {}, []
    for i, (label, ratio) in enumerate(curves.items()):
        ratio = _positive(ratio, f"curves[{label!r}]")  # (distance,)
        distance = np.arange(ratio.size)
        style = series_style(i) | {"linestyle": "-"}  # dashed is kept for the references
        every = 1 if np.isfinite(ratio).sum() <= 3 else max(1, ratio.size // 8)
        (line,) = ax.plot(distance, ratio, ms=4, markevery=every, label=str(label), **style)
        colors[label] = line.get_color()
        end = last_finite(ratio)
        ends.append(
            f"{label} reaches {num(end[1])} at distance {end[0]}" if end else f"{label}: none drawn"
        )
    for label, rho in (references or {}).items():
        rho = check_number(f"references[{label!r}]", rho, minimum=0.0)
        size = len(curves[label]) if label in curves else 2
        distance = np.arange(size)
        with np.errstate(divide="ignore"):
            expected = _positive(rho ** distance.astype(float), "reference")
        ax.plot(distance, expected, ls="--", lw=1, color=colors.get(label, "grey"), alpha=0.8)
    ax.set_yscale("log")
    ax.set_xlim(0, max(max(len(v) for v in curves.values()) - 1, 1))
    ax.set_xlabel("distance T - k (steps back from the loss)")
    return ends


def plot_gradient_norms(
    curves: dict,
    *,
    references: dict | None = None,
    title: str = "",
    ylabel: str = "‖∂L/∂h_k‖ / ‖∂L/∂h_T‖",
):
    """Gradient-norm ratios against distance on a log scale, one line per label.

    curves: ``{label: ratio}`` with ``ratio[d]`` the norm ``d`` steps back (as
    ``lessons.l03_gradients.experiments.gradient_decay`` returns). references: ``{label: rho}`` adds a
    dashed ``rho**d`` line in the same colour: what a linear RNN would give.
    """
    import matplotlib.pyplot as plt

    curves = _check_curves(curves, "curves")
    fig, ax = plt.subplots(figsize=(6.0, 3.6))
    ends = _draw_ratios(ax, curves, references)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    return describe(fig, "Gradient-norm ratio: " + "; ".join(ends) + ".")


def plot_decay_grid(results: dict, *, title: str = "Gradient norm against distance"):
    """One panel per activation, one line per rho, dashed ``rho**d`` references.

    results: ``{activation: {rho: ratio}}``. The y-axes are shared, so the panels compare.
    """
    import matplotlib.pyplot as plt

    results = _check_curves(results, "results")
    fig, axes = plt.subplots(
        1, len(results), figsize=(4.0 * len(results), 3.6), sharey=True, squeeze=False
    )
    said = []
    for ax, (activation, by_rho) in zip(axes[0], results.items(), strict=True):
        by_rho = _check_curves(by_rho, f"results[{activation!r}]")
        curves = {f"ρ = {rho:g}": ratio for rho, ratio in by_rho.items()}
        references = {f"ρ = {rho:g}": rho for rho in by_rho}
        said.append(f"{activation}: " + ", ".join(_draw_ratios(ax, curves, references)))
        ax.set_title(str(activation))
        ax.set_ylim(1e-12, 1e12)
    axes[0, 0].set_ylabel("‖∂L/∂h_k‖ / ‖∂L/∂h_T‖")
    axes[0, -1].legend(
        fontsize=8,
        title="solid: measured\ndashed: ρ^d",
        title_fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
    )
    fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    return describe(fig, "Gradient-norm ratio. " + "; ".join(said) + ".")


def plot_decay_slopes(rows: list[dict], *, title: str = "Measured decay rate against log ρ"):
    """Measured log-slope per step against ``log rho``, one line per activation.

    rows: ``lessons.l03_gradients.experiments.decay_table()`` (keys ``activation``, ``log_rho``,
    ``slope``). The dashed diagonal is ``slope = log rho``, the linear-RNN prediction.
    """
    import matplotlib.pyplot as plt

    if not isinstance(rows, list) or not rows:
        raise TypeError("rows must be the non-empty list that decay_table() returns.")
    fig, ax = plt.subplots(figsize=(5.0, 3.6))
    activations = list(dict.fromkeys(r["activation"] for r in rows))
    said = []
    for i, activation in enumerate(activations):
        mine = [r for r in rows if r["activation"] == activation and math.isfinite(r["log_rho"])]
        x, y = [r["log_rho"] for r in mine], [r["slope"] for r in mine]
        ax.plot(x, y, label=activation, **series_style(i) | {"linestyle": "-"})
        gap = max((abs(b - a) for a, b in zip(x, y, strict=True)), default=float("nan"))
        said.append(f"{activation} from {num(min(y))} to {num(max(y))}, at most {num(gap)} off it")
    finite = [r["log_rho"] for r in rows if math.isfinite(r["log_rho"])]
    span = np.array([min(finite), max(finite)])
    ax.plot(span, span, "k--", lw=1, label="slope = log ρ")
    ax.axhline(0, color="grey", lw=0.5)
    ax.set_xlabel("log ρ")
    ax.set_ylabel("measured slope of log-norm per step")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    return describe(
        fig, "Measured slope per step against the diagonal slope = log ρ: " + "; ".join(said) + "."
    )


def plot_clipping_runs(
    runs: dict,
    *,
    title: str = "Training with and without clipping",
    loss_cap: float = 1e3,
    norm_cap: float = 1e6,
):
    """Loss and gradient norm per step (log scales), one line per run; an ✕ marks the last
    finite value of a run that diverged.

    runs: ``{label: record}`` with the ``loss``, ``grad_norm`` and ``diverged_at`` that
    ``lessons.l03_gradients.clipping.clipping_run_keras`` / ``clipping_run_numpy`` return.
    loss_cap, norm_cap: the top of each y-axis, so that one overflowing run does not
    squash the others; an ✕ above its cap is drawn on the top edge.
    """
    import matplotlib.pyplot as plt

    runs = _check_curves(runs, "runs")
    caps = (
        check_number("loss_cap", loss_cap, minimum=0.0, strict_minimum=True),
        check_number("norm_cap", norm_cap, minimum=0.0, strict_minimum=True),
    )
    fig, axes = plt.subplots(1, 2, figsize=(10.0, 3.6))
    lowest = [np.inf, np.inf]  # smallest drawn value per panel, for the y-axis bottom
    said = []
    for k, (label, record) in enumerate(runs.items()):
        if not isinstance(record, dict) or "loss" not in record or "grad_norm" not in record:
            raise TypeError(f"runs[{label!r}] must be a clipping_run_* record.")
        for i, (ax, key, cap) in enumerate(zip(axes, ("loss", "grad_norm"), caps, strict=True)):
            values = _positive(record[key], f"runs[{label!r}][{key!r}]")  # (steps,)
            if np.isfinite(values).any():
                lowest[i] = min(lowest[i], float(np.nanmin(values)))
            style = series_style(k) | {"marker": None}  # steps are many: line styles only
            (line,) = ax.plot(np.arange(values.size), values, lw=1, label=str(label), **style)
            at = record.get("diverged_at")
            if at is not None:
                finite = np.flatnonzero(np.isfinite(values[: at + 1]))
                if finite.size:
                    last = finite[-1]
                    y = min(values[last], cap)
                    ax.plot(last, y, "x", ms=10, mew=2, clip_on=False, color=line.get_color())
        loss = _positive(record["loss"], f"runs[{label!r}]['loss']")  # (steps,)
        norms = _positive(record["grad_norm"], f"runs[{label!r}]['grad_norm']")  # (steps,)
        finite = loss[np.isfinite(loss)]  # (finite steps,)
        text = f"{label}: loss {trend(finite) if finite.size else 'never finite'}"
        if np.isfinite(norms).any():
            text += f", largest gradient norm {num(np.nanmax(norms))}"
        at = record.get("diverged_at")
        said.append(text + (f", diverged at step {at}" if at is not None else ""))
    names = ("training loss (MSE)", "gradient norm before clipping")
    for ax, name, cap, low in zip(axes, names, caps, lowest, strict=True):
        ax.set_yscale("log")
        ax.set_ylim(low / 2 if low < cap else None, cap)
        ax.set_xlabel("training step")
        ax.set_ylabel(name)
    axes[0].legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    return describe(fig, "Per training step: " + "; ".join(said) + ".")


def plot_adding_results(
    summary: list[dict],
    *,
    baseline: float,
    live_runs=None,
    title: str = "Adding problem: final test MSE",
):
    """Test MSE against sequence length, mean ± std over seeds (log scale), per model.

    summary: rows with ``model``, ``length``, ``mean``, ``std`` (as
    ``experiments.adding_runs.summarize_runs`` returns). baseline: the constant-prediction
    MSE, drawn dashed. live_runs: optional runs of this session, drawn as open circles.
    """
    import matplotlib.pyplot as plt

    if not isinstance(summary, list) or not summary:
        raise TypeError("summary must be the non-empty list that summarize_runs() returns.")
    baseline = check_number("baseline", baseline, minimum=0.0, strict_minimum=True)
    fig, ax = plt.subplots(figsize=(7.0, 3.8))
    colors, said = {}, []
    for k, model in enumerate(dict.fromkeys(r["model"] for r in summary)):
        rows = sorted((r for r in summary if r["model"] == model), key=lambda r: r["length"])
        lengths = np.array([r["length"] for r in rows])
        mean = np.array([r["mean"] for r in rows])  # (lengths,)
        std = np.array([r["std"] for r in rows])  # (lengths,)
        lower = np.minimum(std, 0.9 * mean)  # keep the bar above zero on a log axis
        bars = ax.errorbar(
            lengths,
            mean,
            yerr=[lower, std],
            capsize=3,
            label=cell_name(model),
            **series_style(k),
        )
        colors[model] = bars.lines[0].get_color()
        name = cell_name(model)
        said.append(
            f"{name} {num(mean[0])} at T = {lengths[0]}, {num(mean[-1])} at T = {lengths[-1]}"
        )
    for run in live_runs or []:
        ax.plot(
            run["length"],
            run["test_mse"],
            "o",
            mfc="none",
            ms=10,
            color=colors.get(run["model"], "k"),
        )
    ax.axhline(baseline, color="k", ls="--", lw=1, label=f"baseline {baseline:.3f}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    lengths = sorted({r["length"] for r in summary})
    ax.set_xticks(lengths, [str(t) for t in lengths])
    ax.xaxis.set_minor_locator(plt.NullLocator())
    ax.set_xlabel("sequence length T")
    ax.set_ylabel("test MSE")
    ax.set_title(title + (" (open circles: this run)" if live_runs else ""))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    plt.close(fig)
    live = f"; {len(live_runs)} live run(s) drawn as open circles" if live_runs else ""
    return describe(
        fig,
        "Mean test MSE over seeds: "
        + "; ".join(said)
        + f"; constant baseline {num(baseline)}"
        + live
        + ".",
    )
