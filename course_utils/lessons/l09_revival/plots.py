"""Figures of lesson 09: the LRU's ring, the scan's time against length, gradients through
a linear recurrence, and the copying results.

Every function returns the ``Figure`` after ``plt.close(fig)`` (Jupyter shows it once), with
a sentence computed from the plotted values (:func:`course_utils.plotting.show` prints it).
Series differ by marker or line style as well as by colour.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.evidence import spread
from course_utils.core.validation import check_array, check_number
from course_utils.plotting.common import describe, series_style
from course_utils.plotting.wording import num

__all__ = ["plot_copy_accuracy", "plot_gradient_probe", "plot_ring", "plot_step_times"]


def plot_ring(eigenvalues, *, r_min: float, r_max: float):
    """The LRU's eigenvalues in the complex plane, with the unit circle and the ring."""
    import matplotlib.pyplot as plt

    lam = check_array("eigenvalues", np.asarray(eigenvalues), ndim=1, kind="any")
    r_min = check_number("r_min", r_min, minimum=0.0)
    r_max = check_number("r_max", r_max, minimum=0.0)
    fig, ax = plt.subplots(figsize=(4.2, 4.2))
    angle = np.linspace(0, 2 * np.pi, 400)  # (400,)
    ax.plot(np.cos(angle), np.sin(angle), "k-", lw=1, label="|λ| = 1 (unit circle)")
    for r, style in ((r_min, ":"), (r_max, "--")):
        label = f"ring bound |λ| = {r:g}"
        ax.plot(r * np.cos(angle), r * np.sin(angle), color="C1", ls=style, lw=1, label=label)
    ax.plot(lam.real, lam.imag, "o", ms=4, color="C0", label=f"{lam.size} eigenvalues λ")
    ax.set_aspect("equal")
    ax.set_xlabel("Re λ")
    ax.set_ylabel("Im λ")
    ax.set_title(f"LRU ring initialisation, {r_min:g} ≤ |λ| ≤ {r_max:g}")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    modulus = np.abs(lam)
    inside = int((modulus < 1).sum())
    angles = np.sort(np.mod(np.angle(lam), 2 * np.pi))  # (n,) in [0, 2 pi)
    gaps = np.diff(np.concatenate([angles, angles[:1] + 2 * np.pi]))  # (n,) around the circle
    sentence = (
        f"{inside} of {lam.size} eigenvalues lie inside the unit circle, |λ| from "
        f"{modulus.min():.3f} to {modulus.max():.3f}; their angles cover "
        f"{np.degrees(2 * np.pi - gaps.max()):.0f}° of 360° (largest empty arc "
        f"{np.degrees(gaps.max()):.0f}°)"
    )
    return describe(fig, sentence)


def plot_step_times(rows, *, labels: dict, title: str, ylabel: str = "seconds"):
    """Time against length T, log-log: ``rows`` of ``{"T": ..., name: seconds or [seconds
    per process]}`` (the line is the median over processes, the band their range);
    ``labels`` maps each name to its legend label; the sentence compares the first two."""
    import matplotlib.pyplot as plt

    if not isinstance(rows, (list, tuple)) or not rows:
        raise TypeError(f"rows must be a non-empty list of dicts with 'T'; got {rows!r}.")
    lengths = np.array([r["T"] for r in rows], dtype=float)  # (lengths,)
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    means = {}
    for i, (name, label) in enumerate(labels.items()):
        values = [np.atleast_1d(np.asarray(r[name], dtype=float)) for r in rows]
        mean = np.array([np.median(v) for v in values])  # (lengths,): median over processes
        low = np.array([v.min() for v in values])
        high = np.array([v.max() for v in values])
        ax.plot(lengths, mean, ms=4, label=label, **series_style(i))
        if any(v.size > 1 for v in values):
            ax.fill_between(lengths, low, high, alpha=0.2, color=f"C{i}")
        means[label] = mean
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("sequence length T")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    plt.close(fig)
    (a, ma), (b, mb) = list(means.items())[:2]
    ratio = ma / mb  # (lengths,)
    growth = {k: v[-1] / v[0] for k, v in means.items()}
    sentence = (
        f"From T = {int(lengths[0])} to T = {int(lengths[-1])} the time of {a} grows "
        f"{num(growth[a])}x and of {b} {num(growth[b])}x; {a}/{b} goes from "
        f"{ratio[0]:.2f} to {ratio[-1]:.2f}"
    )
    return describe(fig, sentence)


def plot_gradient_probe(
    curves: dict,
    *,
    title: str = "Gradient through the steps",
    ylabel: str = "||dL/dh_k|| / ||dL/dh_T||",
):
    """``curves``: label -> a gradient norm per step ``k``, earliest first, normalised to
    1 at ``k = T`` (``ylabel`` says which norm); drawn against the distance ``T - k`` on a
    log y-axis."""
    import matplotlib.pyplot as plt

    if not isinstance(curves, dict) or not curves:
        raise TypeError(f"curves must be a non-empty dict label -> norms; got {curves!r}.")
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    ends = []
    for i, (label, norms) in enumerate(curves.items()):
        norms = check_array(f"curves[{label!r}]", np.asarray(norms, dtype=float), ndim=1)
        distance = np.arange(norms.size)[::-1]  # (T,): T - k
        shown = np.where(norms > 0, norms, np.nan)
        every = max(1, norms.size // 8)
        ax.plot(distance, shown, ms=4, markevery=every, label=str(label), **series_style(i))
        ends.append(f"{label} {num(norms[0])}")
    ax.set_yscale("log")
    ax.set_xlabel("distance T - k (steps back)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    steps = len(next(iter(curves.values()))) - 1
    return describe(fig, f"{steps} steps back the gradient is: " + "; ".join(ends))


def plot_copy_accuracy(rows, *, title: str, chance: float, solved: float):
    """Test accuracy per kind on each copying task: mean over seeds (bar) and each seed
    (dot), with the ``chance`` line and the ``solved`` line drawn across."""
    import matplotlib.pyplot as plt

    if not isinstance(rows, (list, tuple)) or not rows:
        raise TypeError(f"rows must be a non-empty list of train_copy() rows; got {rows!r}.")
    tasks = list(dict.fromkeys(r["task"] for r in rows))
    kinds = list(dict.fromkeys(r["kind"] for r in rows))
    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    width = 0.8 / len(kinds)
    parts = []
    for i, kind in enumerate(kinds):
        for j, task in enumerate(tasks):
            acc = [r["test_accuracy"] for r in rows if r["kind"] == kind and r["task"] == task]
            if not acc:
                continue
            x = j + (i - (len(kinds) - 1) / 2) * width
            hatch = ("", "//", "..")[i % 3]
            ax.bar(x, np.mean(acc), width, color=f"C{i}", hatch=hatch, alpha=0.7,
                   label=kind if j == 0 else None)  # fmt: skip
            ax.plot([x] * len(acc), acc, "k.", ms=5)
            parts.append(f"{kind} on {task.replace('_', ' ')} {spread(acc).text(2)}")
    chance = check_number("chance", chance, minimum=0.0, maximum=1.0)
    solved = check_number("solved", solved, minimum=0.0, maximum=1.0)
    ax.axhline(chance, color="k", ls=":", lw=1, label=f"chance {chance:.3f}")
    ax.axhline(solved, color="k", ls="--", lw=1, label=f"solved > {solved:g}")
    ax.set_xticks(range(len(tasks)), [t.replace("_", " ") for t in tasks])
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("test accuracy per copied token")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    tail = f" (chance {chance:.3f}, solved above {solved:g})"
    return describe(fig, "Test accuracy: " + "; ".join(parts) + tail)
