"""Network diagrams for lessons 01 and 02: Elman's and Jordan's networks, folded and unrolled.

:func:`plot_elman_diagram` (folded and unrolled) and :func:`plot_elman_jordan_diagrams`
(where each network's loop runs). Every function returns the ``Figure`` (closed, so
Jupyter shows it once) with a fixed sentence saying what the drawing shows
(:func:`course_utils.plotting.show` prints it).
"""

from __future__ import annotations

from course_utils.core.validation import check_int, check_number
from course_utils.plotting.common import describe

__all__ = ["plot_elman_diagram", "plot_elman_jordan_diagrams"]

LOOP = "#D55E00"  # Okabe-Ito vermillion: every recurrent connection in the diagrams
COLORS = {"input": "#dbe9f6", "hidden": "#fde3c8", "output": "#dcf0d5", "memory": "#f6d5d5"}


# --- diagram primitives -------------------------------------------------------


def _box(ax, xy, text, kind, width=1.3, height=0.62):
    from matplotlib.patches import FancyBboxPatch

    x, y = xy
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.04",
            fc=COLORS[kind],
            ec="0.25",
            lw=1.2,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=10)


def _arrow(ax, start, end, label="", color="0.2", bend=0.0, dashed=False, label_at=(0, 0)):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops=dict(
            arrowstyle="-|>",
            color=color,
            lw=1.6,
            shrinkA=2,
            shrinkB=2,
            linestyle="--" if dashed else "-",
            connectionstyle=f"arc3,rad={bend}",
        ),
    )
    if label:
        mid = ((start[0] + end[0]) / 2 + label_at[0], (start[1] + end[1]) / 2 + label_at[1])
        ax.text(
            *mid,
            label,
            fontsize=9,
            color=color,
            ha="center",
            va="center",
            bbox=dict(fc="white", ec="none", pad=0.5),
        )


def _canvas(ax, xlim, ylim, title):
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=11)


def _draw_elman(ax, title="Elman (1990): the hidden layer loops"):
    _box(ax, (0, 0), "input $x_t$", "input")
    _box(ax, (0, 1.6), "hidden $h_t$", "hidden")
    _box(ax, (0, 3.2), "output $y_t$", "output")
    _box(ax, (-2.3, 1.6), "context\n$h_{t-1}$", "memory", width=1.2, height=0.8)
    _arrow(ax, (0, 0.33), (0, 1.27), "$W_{xh}$", label_at=(0.35, 0))
    _arrow(ax, (0, 1.93), (0, 2.87), "$W_{hy}$", label_at=(0.35, 0))
    _arrow(ax, (-1.7, 1.6), (-0.67, 1.6), "$W_{hh}$", color=LOOP, label_at=(0, 0.25))
    _arrow(
        ax, (0.2, 1.95), (-2.3, 2.02), "copy", color=LOOP, bend=0.5, dashed=True, label_at=(0, 0.75)
    )
    _canvas(ax, (-3.2, 1.2), (-0.6, 3.8), title)


def _draw_jordan(ax, mu_label="$\\mu$"):
    _box(ax, (0, 0), "input $x_t$", "input")
    _box(ax, (0, 1.6), "hidden $h_t$", "hidden")
    _box(ax, (0, 3.2), "output $y_t$", "output")
    _box(ax, (-2.3, 1.6), "state\n$s_t$", "memory", width=1.2, height=0.8)
    _arrow(ax, (0, 0.33), (0, 1.27), "$W_{xh}$", label_at=(0.35, 0))
    _arrow(ax, (0, 1.93), (0, 2.87), "$W_{hy}$", label_at=(0.35, 0))
    _arrow(ax, (-1.7, 1.6), (-0.67, 1.6), "$W_{sh}$", color=LOOP, label_at=(0, 0.25))
    _arrow(
        ax,
        (-0.67, 3.2),
        (-2.3, 2.02),
        "copy $y_t$",
        color=LOOP,
        bend=0.3,
        dashed=True,
        label_at=(-0.75, 0.55),
    )
    _arrow(ax, (-2.9, 1.35), (-2.9, 1.85), "", color=LOOP, bend=-2.2)
    ax.text(-3.0, 2.35, f"keep {mu_label}", color=LOOP, fontsize=9, ha="center", va="center")
    _canvas(ax, (-3.8, 1.2), (-0.6, 3.8), "Jordan (1986): the output loops")


# --- diagrams -----------------------------------------------------------------


def plot_elman_diagram(steps: int = 3):
    """The Elman network folded (with its context units) and unrolled over ``steps`` steps.

    Recurrent connections are red. Unrolled, the same ``W_hh`` carries ``h_{t-1}`` into
    step ``t``: an RNN is a deep feed-forward network whose layers share weights.
    """
    import matplotlib.pyplot as plt

    steps = check_int("steps", steps, minimum=1, maximum=6)
    fig, (left, right) = plt.subplots(
        1,
        2,
        figsize=(4.2 + 2.2 * steps, 3.6),
        gridspec_kw={"width_ratios": [4.4, 2.2 * steps + 1.4]},
    )
    _draw_elman(left, "folded")
    _box(right, (-0.6, 1.6), "$h_0$", "memory", width=0.8)
    for t in range(1, steps + 1):
        x = 2.2 * (t - 1) + 1.2
        _box(right, (x, 0), f"$x_{t}$", "input", width=0.9)
        _box(right, (x, 1.6), f"$h_{t}$", "hidden", width=0.9)
        _box(right, (x, 3.2), f"$y_{t}$", "output", width=0.9)
        _arrow(right, (x, 0.33), (x, 1.27), "$W_{xh}$" if t == 1 else "", label_at=(0.4, 0))
        _arrow(right, (x, 1.93), (x, 2.87), "$W_{hy}$" if t == 1 else "", label_at=(0.4, 0))
        _arrow(
            right,
            (x - 2.2 + 0.45 if t > 1 else -0.2, 1.6),
            (x - 0.45, 1.6),
            "$W_{hh}$",
            color=LOOP,
            label_at=(0, 0.3),
        )
    _canvas(right, (-1.2, 2.2 * steps + 0.3), (-0.6, 3.8), f"unrolled over {steps} steps")
    fig.tight_layout()
    plt.close(fig)
    return describe(
        fig,
        "Diagram: the Elman network folded (input x_t, hidden h_t, output y_t, and context "
        f"units holding h_(t-1)) and unrolled over {steps} steps from h_0, the same W_hh "
        "(red) carrying each hidden state into the next step.",
    )


def plot_elman_jordan_diagrams(mu: float | None = None):
    """Elman and Jordan networks side by side; the loop of each is drawn in red.

    Elman copies the *hidden* layer into context units; Jordan copies the *output* into
    state units that also keep ``mu`` times their own previous value.
    """
    import matplotlib.pyplot as plt

    label = "$\\mu$" if mu is None else f"$\\mu$={check_number('mu', mu, minimum=0, maximum=1):g}"
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.8))
    _draw_elman(left)
    _draw_jordan(right, label)
    fig.tight_layout()
    plt.close(fig)
    keep = "mu" if mu is None else f"mu = {mu:g}"
    return describe(
        fig,
        "Diagram: Elman's network copies its hidden state into context units (red loop); "
        f"Jordan's copies its output y_t into state units s_t that also keep {keep} times "
        "their previous value.",
    )
