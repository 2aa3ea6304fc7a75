"""Result plots for lessons 01 (Elman networks) and 02 (Jordan networks); the network
diagrams are in :mod:`course_utils.plotting.diagrams`.

* Elman's (1990) figures: :func:`plot_error_by_position` (temporal XOR),
  :func:`plot_letter_errors` (letter sequences), :func:`plot_dendrogram` (words).
* Inside the network: :func:`plot_pca_trajectory`.
* Lesson 02's comparison: :func:`plot_seed_comparison`.

Every function returns the ``Figure`` (closed, so Jupyter shows it once) with a sentence
computed from the plotted values (:func:`course_utils.plotting.show` prints it).
"""

from __future__ import annotations

import textwrap

import numpy as np

from course_utils.core.evidence import spread
from course_utils.core.validation import check_array, check_int, check_number
from course_utils.plotting.common import describe, series_style
from course_utils.plotting.wording import best

__all__ = [
    "plot_dendrogram",
    "plot_error_by_position",
    "plot_letter_errors",
    "plot_pca_trajectory",
]

_FONT_STYLES = ("normal", "italic", "oblique")

# --- Elman's (1990) figures ---------------------------------------------------


def plot_error_by_position(
    by_position,
    *,
    trace=None,
    position_labels=None,
    chance=None,
    title="Temporal XOR: prediction error by position",
):
    """Mean (bar) and per-seed (dots) error at each position of a repeating pattern.

    by_position: ``(seeds, period)`` errors, e.g. from
    ``course_utils.experiments.next_step.error_by_position`` for each seed.
    trace: optional ``(time,)`` error step by step (e.g. the seed mean), drawn on the
    left as Elman drew it. chance: the error of guessing, drawn as a dashed line.
    Positions are numbered from 0, as ``error_by_position`` returns them: step ``t``
    predicts element ``t + 1`` of the stream, at position ``(t + 1) % period``.
    """
    import matplotlib.pyplot as plt

    by_position = check_array("by_position", by_position, ndim=2, dims="(seeds, period)")
    period = by_position.shape[1]
    labels = position_labels or [f"position {p}" for p in range(period)]
    if len(labels) != period:
        raise ValueError(f"position_labels needs {period} labels; got {len(labels)}.")
    panels = 1 if trace is None else 2
    fig, axes = plt.subplots(
        1,
        panels,
        figsize=(4.2 * panels + 0.6 * (panels - 1), 3.2),
        squeeze=False,
        gridspec_kw={"width_ratios": [1.4, 1][:panels]},
    )
    if trace is not None:
        trace = check_array("trace", trace, ndim=1, dims="(time,)")
        ax = axes[0, 0]
        steps = np.arange(len(trace))
        ax.plot(steps, trace, "-o", ms=3, color="0.3")
        ax.set_xticks(steps)
        ax.set_xticklabels([str((t + 1) % period) for t in steps], fontsize=7)
        ax.set_xlabel("position of the predicted element in the pattern (from 0)")
        ax.set_ylabel("squared error")
        ax.set_title("error step by step")
    ax = axes[0, -1]
    parts = [spread(column, "by_position") for column in by_position.T]  # one per position
    mean = np.array([p.mean for p in parts])  # (period,)
    std = np.array([p.std for p in parts])  # (period,) sample std
    ax.bar(range(period), mean, yerr=std, capsize=4, color="tab:blue", alpha=0.7)
    for row in by_position:
        ax.plot(range(period), row, "o", ms=3, color="0.2", alpha=0.6)
    top = max(float((mean + std).max()), float(by_position.max()))
    if chance is not None:
        ax.axhline(check_number("chance", chance), ls="--", color="0.5", label="guessing")
        ax.legend(fontsize=8, loc="upper right")
        top = max(top, chance)
    ax.set_ylim(0, 1.3 * top if top > 0 else 1.0)  # room for the legend above the bars
    ax.set_xticks(range(period))
    ax.set_xticklabels([textwrap.fill(label, 11) for label in labels], fontsize=8)
    ax.set_xlabel("position in the pattern (from 0)" if position_labels is None else "")
    ax.set_ylabel("mean squared error")
    ax.set_title(f"mean ± std over {len(by_position)} seed(s)")
    fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    means = {label: float(m) for label, m in zip(labels, mean, strict=True)}
    sentence = f"Mean squared error over {len(by_position)} seed(s): " + ", ".join(
        f"{label} {m:.3f}" for label, m in means.items()
    )
    sentence += f"; lowest at {best(means)}"
    guess = f" (guessing: {chance:.3f})" if chance is not None else ""
    return describe(fig, sentence + guess + ".")


def plot_letter_errors(
    errors,
    letters,
    *,
    n_show: int = 36,
    consonants="bdg",
    title="Letter sequence: prediction error per letter",
):
    """Error step by step under the letter being predicted, and its mean per letter.

    errors: ``(time,)`` error of each prediction; letters: the stream, with
    ``letters[t + 1]`` the letter predicted at step ``t`` (as ``letter_sequence`` returns).
    """
    import matplotlib.pyplot as plt

    errors = check_array("errors", errors, ndim=1, dims="(time,)")
    if not isinstance(letters, str) or len(letters) != len(errors) + 1:
        raise ValueError(
            f"letters must be a string of {len(errors) + 1} letters (one more "
            f"than errors); got {type(letters).__name__} of length {len(letters)}."
        )
    n_show = check_int("n_show", n_show, minimum=1, maximum=len(errors))
    targets = np.array(list(letters[1:]))
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(10, 3.2), gridspec_kw={"width_ratios": [2.4, 1]}
    )
    left.plot(range(n_show), errors[:n_show], "-o", ms=3, color="0.3")
    left.set_xticks(range(n_show))
    left.set_xticklabels(targets[:n_show], fontsize=9)
    for tick, letter in zip(left.get_xticklabels(), targets[:n_show], strict=True):
        if letter in consonants:
            tick.set_color("C3")
            tick.set_fontweight("bold")
    left.set_xlabel("letter being predicted (consonants bold, in red)")
    left.set_ylabel("squared error")
    order = [c for c in sorted(set(targets), key=lambda c: (c not in consonants, c))]
    means = [errors[targets == c].mean() for c in order]
    bars = right.bar(order, means, color=["C3" if c in consonants else "C0" for c in order])
    for bar, letter in zip(bars, order, strict=True):
        bar.set_hatch("//" if letter in consonants else "")  # not by colour alone
    right.set_ylabel("mean squared error")
    right.set_title("mean per predicted letter (hatched: consonants)")
    fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    is_consonant = np.isin(targets, list(consonants))  # (time,)
    sentence = (
        f"Over {len(errors)} predictions, the error averages {errors[is_consonant].mean():.3g} "
    )
    sentence += f"when a consonant ({', '.join(c for c in order if c in consonants)}) is due"
    if (~is_consonant).any():
        sentence += f" and {errors[~is_consonant].mean():.3g} on the other letters"
    top = str(order[int(np.argmax(means))])
    return describe(fig, sentence + f"; highest on {top!r} ({max(means):.3g}).")


def plot_dendrogram(
    tree,
    labels,
    *,
    classes=None,
    title="Hierarchical clustering of mean hidden states",
):
    """The dendrogram of a clustering ``tree`` (scipy's linkage matrix ``(n - 1, 4)``, from
    :func:`course_utils.lessons.l01_elman.hidden_states.linkage_tree`), leaves named by ``labels``.

    classes: optional ``{label: class name}``; leaves are coloured by class (e.g. noun, verb).
    """
    import matplotlib.pyplot as plt
    from scipy.cluster.hierarchy import dendrogram, fcluster

    tree = check_array("tree", tree, ndim=2, dims="(n - 1, 4)")
    if tree.shape[1] != 4:
        raise ValueError(f"tree must be a linkage matrix of shape (n - 1, 4); got {tree.shape}.")
    labels = [str(label) for label in labels]
    if len(labels) != len(tree) + 1:
        raise ValueError(
            f"labels needs one name per clustered point ({len(tree) + 1}); got {len(labels)}."
        )
    fig, ax = plt.subplots(figsize=(6.5, 0.24 * len(labels) + 1.2))
    dendrogram(
        tree,
        labels=labels,
        orientation="right",
        ax=ax,
        color_threshold=0,
        above_threshold_color="0.35",
        leaf_font_size=9,
    )
    if classes is not None:  # a colour and a font style per class, so not by colour alone
        names = sorted(set(classes.values()))
        looks = {n: (f"C{i % 8}", _FONT_STYLES[i % len(_FONT_STYLES)]) for i, n in enumerate(names)}
        for tick in ax.get_yticklabels():
            color, style = looks.get(classes.get(tick.get_text()), ("black", "normal"))
            tick.set_color(color)
            tick.set_fontstyle(style)
        for name, (color, style) in looks.items():
            ax.plot(
                [], [], "s", color=color, label=name + ("" if style == "normal" else f" ({style})")
            )
        ax.legend(loc="lower left", fontsize=8)
    ax.set_xlabel("linkage distance")
    ax.set_title(title)
    fig.tight_layout()
    plt.close(fig)
    halves = fcluster(tree, 2, criterion="maxclust")  # (n,): 1 or 2, the top split
    groups = [[w for w, h in zip(labels, halves, strict=True) if h == g] for g in (1, 2)]
    sentence = f"{len(labels)} leaves; the top split, at distance {tree[-1, 2]:.3g}, separates "
    sentence += " and ".join(
        f"{{{', '.join(g[:6])}{', ...' if len(g) > 6 else ''}}}" for g in groups
    )
    if classes is not None:
        pure = [
            max(sum(classes.get(w) == c for w in g) for c in set(classes.values())) for g in groups
        ]
        sentence += f" (purity {sum(pure) / len(labels):.0%}: leaves whose half has their class as majority)"
    return describe(fig, sentence + ".")


# --- inside the network -------------------------------------------------------


def plot_pca_trajectory(
    points,
    labels,
    *,
    explained,
    n_steps: int = 12,
    title="Hidden-state trajectory",
    legend_title="input",
):
    """Hidden states projected on their first two principal components.

    points: ``(time, 2)``, the projection from
    :func:`course_utils.lessons.l01_elman.hidden_states.pca`; explained: the fraction of the
    variance each component explains ``(2,)``; labels: the input read at each step
    (coloured dots). The first ``n_steps`` steps are joined into a path and annotated
    ``step:label``.
    """
    import matplotlib.pyplot as plt

    points = check_array("points", points, ndim=2, dims="(time, 2)")
    if points.shape[1] != 2:
        raise ValueError(f"points must have 2 columns (PC 1, PC 2); got shape {points.shape}.")
    explained = check_array("explained", explained, ndim=1, dims="(2,)")
    labels = [str(label) for label in labels]
    if len(labels) != len(points):
        raise ValueError(f"labels needs one label per step ({len(points)}); got {len(labels)}.")
    n_steps = check_int("n_steps", n_steps, minimum=1, maximum=len(points))
    fig, ax = plt.subplots(figsize=(7.0, 4.6))
    centres = {}
    for i, name in enumerate(sorted(set(labels))):
        where = np.array([label == name for label in labels])  # (time,)
        style = series_style(i)
        ax.scatter(points[where, 0], points[where, 1], s=12, alpha=0.35, label=name,
                   color=style["color"], marker=style["marker"])  # fmt: skip
        centres[name] = points[where].mean(axis=0)  # (2,)
    path = points[:n_steps]
    ax.plot(path[:, 0], path[:, 1], "-", color="0.15", lw=1.2)
    for t, (px, py) in enumerate(path):
        ax.annotate(
            f"{t}:{labels[t]}", (px, py), fontsize=8, xytext=(3, 3), textcoords="offset points"
        )
    ax.set_xlabel(f"PC 1 ({explained[0]:.0%} of variance)")
    ax.set_ylabel(f"PC 2 ({explained[1]:.0%} of variance)")
    ax.legend(
        title=legend_title, fontsize=8, markerscale=1.5, loc="upper left", bbox_to_anchor=(1.01, 1)
    )
    ax.set_title(title)
    fig.tight_layout()
    plt.close(fig)
    where = ", ".join(f"{n} ({c[0]:.2f}, {c[1]:.2f})" for n, c in list(centres.items())[:8])
    return describe(
        fig,
        f"{len(points)} hidden states on PC 1 and PC 2 ({explained[0]:.0%} and "
        f"{explained[1]:.0%} of the variance); mean position per {legend_title}: {where}.",
    )


# --- lesson 02 ------------------------------------------------------------------
