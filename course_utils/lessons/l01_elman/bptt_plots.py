"""The figure of notebook 01's section "Backpropagation through time, by hand".

:func:`plot_bptt_flow` draws the Elman network unrolled over a few steps twice: with the
gradient flowing back through every step (full BPTT), and cut at the edge of each window
(truncated BPTT, as ``train_next_step(window=k)`` trains). It returns the ``Figure``
(closed, so Jupyter shows it once) with a sentence saying what it shows
(:func:`course_utils.plotting.show` prints it).
"""

from __future__ import annotations

from course_utils.core.validation import check_int
from course_utils.plotting.common import describe
from course_utils.plotting.diagrams import COLORS

__all__ = ["plot_bptt_flow"]

GRADIENT = "#0072B2"  # Okabe-Ito blue: every gradient arrow
FORWARD = "0.6"  # grey: the forward pass
CUT = "#D55E00"  # Okabe-Ito vermillion: where truncation stops the gradient
SPACING = 2.0  # distance between two steps
Y = {"x": 0.0, "h": 1.5, "loss": 3.0, "sum": -1.55}  # the rows of the drawing


def _box(ax, x, y, text, kind, width=0.8, height=0.6):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.04",
            fc=COLORS[kind],
            ec="0.25",
            lw=1.1,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def _arrow(ax, start, end, *, color, lw=1.2, dashed=False, bend=0.0):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops=dict(
            arrowstyle="-|>",
            color=color,
            lw=lw,
            shrinkA=1,
            shrinkB=1,
            linestyle="--" if dashed else "-",
            connectionstyle=f"arc3,rad={bend}",
        ),
    )


def _label(ax, x, y, text, color, size=9.5):
    ax.text(x, y, text, ha="center", va="center", fontsize=size, color=color,
            bbox=dict(fc="white", ec="none", pad=0.3))  # fmt: skip


def _draw(ax, steps: int, window: int | None):
    """One unrolled network; ``window`` None: full BPTT, else windows of that many steps."""
    from matplotlib.patches import Rectangle

    window = window or steps
    starts = list(range(1, steps + 1, window))  # the first step of each window
    for w, first in enumerate(starts):
        last = min(first + window - 1, steps)
        left, right = SPACING * first - 0.95, SPACING * last + 0.95
        if len(starts) > 1:  # shade the windows, and name each one
            ax.add_patch(Rectangle((left, -2.05), right - left, 5.6, fc=f"{0.93 + 0.04 * (w % 2)}",
                                   ec="0.75", lw=0.8, zorder=0))  # fmt: skip
            span = f": steps {first}-{last}" if last > first else ""
            ax.text((left + right) / 2, 3.7, f"window {w + 1}{span}",
                    ha="center", fontsize=9, color="0.3")  # fmt: skip
        what = (
            r"$\partial L/\partial W_{xh},\ \partial L/\partial W_{hh},\ \partial L/\partial b_h$"
        )
        if len(starts) == 1:  # one line when it fits, two otherwise
            text = what + (" = sum over all steps" if steps >= 4 else "\n= sum over all steps")
        else:
            text = f"update {w + 1}" + (f": sum of steps {first}-{last}" if last > first else "")
        height = 0.55 if text.count("\n") == 0 else 0.8
        _box(
            ax,
            (left + right) / 2,
            Y["sum"],
            text,
            "memory",
            width=right - left - 0.3,
            height=height,
        )
    _box(ax, 0.0, Y["h"], "$h_0$", "memory", width=0.7)
    for t in range(1, steps + 1):
        x = SPACING * t
        _box(ax, x, Y["x"], f"$x_{t}$", "input")
        _box(ax, x, Y["h"], f"$h_{t}$", "hidden")
        _box(ax, x, Y["loss"], f"$L_{t}$", "output")
        _arrow(ax, (x - 0.2, Y["x"] + 0.32), (x - 0.2, Y["h"] - 0.32), color=FORWARD)
        _arrow(ax, (x - 0.2, Y["h"] + 0.32), (x - 0.2, Y["loss"] - 0.32), color=FORWARD)
        _arrow(ax, (x + 0.2, Y["loss"] - 0.32), (x + 0.2, Y["h"] + 0.32), color=GRADIENT, lw=2)
        _arrow(
            ax, (x + 0.3, Y["h"] - 0.32), (x + 0.55, Y["sum"] + 0.3), color=GRADIENT, dashed=True
        )
        previous = x - SPACING + (0.35 if t == 1 else 0.42)
        _arrow(ax, (previous, Y["h"] + 0.13), (x - 0.42, Y["h"] + 0.13), color=FORWARD)
        cut = t > 1 and (t - 1) % window == 0  # step t opens a new window
        if cut:
            ax.text((previous + x - 0.42) / 2, Y["h"] - 0.14, "✕", color=CUT, fontsize=15,
                    ha="center", va="center", fontweight="bold")  # fmt: skip
            _label(ax, (previous + x - 0.42) / 2, Y["h"] - 0.62, "gradient\ncut", CUT)
        else:
            _arrow(ax, (x - 0.42, Y["h"] - 0.13), (previous, Y["h"] - 0.13), color=GRADIENT, lw=2)
        if t == 1:
            _label(ax, x - SPACING / 2, Y["h"] + 0.45, "$W_{hh}$", "0.35", size=11)
            _label(ax, x - SPACING / 2, Y["h"] - 0.5, r"$\cdot W_{hh}^{\top}$", GRADIENT, size=11)
            _label(ax, x + 0.95, Y["sum"] + 1.05, f"step {t}'s\nshare", GRADIENT)
            # path 1: L_t -> h_t; then tanh' at h_t, before the gradient leaves for both the
            # weights' share (dashed) and h_{t-1} (through W_hh transposed)
            _label(ax, x + 0.6, (Y["h"] + Y["loss"]) / 2, r"$\cdot W_{hy}^{\top}$", GRADIENT,
                   size=11)  # fmt: skip
            _label(ax, x + 1.02, Y["h"] - 0.52, r"$\odot\,(1-h_1^2)$", GRADIENT, size=10.5)
    ax.set_xlim(-0.7, SPACING * steps + 1.0)
    ax.set_ylim(-2.15, 4.0)
    ax.set_aspect("equal")
    ax.axis("off")


def plot_bptt_flow(steps: int = 4, window: int = 2):
    """The unrolled Elman network with its gradients: full BPTT (top), truncated (bottom).

    steps: how many steps to unroll (2 to 6). window: the truncation length ``k`` of the
    bottom panel (1 to ``steps - 1``), as in ``train_next_step(window=k)``: the state
    crosses a window's edge, the gradient does not, and the weights are updated once per
    window with the sum of that window's steps.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    steps = check_int("steps", steps, minimum=2, maximum=6)
    window = check_int("window", window, minimum=1, maximum=steps - 1)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(1.55 * steps + 2.4, 8.4))
    _draw(top, steps, None)
    top.set_title(f"Backpropagation through time over {steps} steps", fontsize=11)
    _draw(bottom, steps, window)
    bottom.set_title(f"Truncated BPTT, windows of k = {window} step(s)", fontsize=11)
    handles = [
        Line2D([], [], color=FORWARD, lw=1.2, label="forward pass"),
        Line2D([], [], color=GRADIENT, lw=2, label="gradient, flowing back"),
        Line2D([], [], color=GRADIENT, lw=1.2, ls="--", label="each step's share of the weights' gradient"),
    ]  # fmt: skip
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8.5, frameon=False)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    plt.close(fig)
    cuts = ", ".join(f"{t}-{t + 1}" for t in range(window, steps, window))
    return describe(
        fig,
        f"Diagram: the Elman network unrolled over {steps} steps, with the gradient of each "
        f"loss L_t flowing down into h_t through W_hy transposed, multiplied there by tanh's "
        f"derivative (1 - h_t^2), then going both back through W_hh transposed to h_0 and "
        f"into each step's share of the weights' gradient; truncated to windows of {window} "
        f"step(s), the state still crosses between steps {cuts} but the gradient does not.",
    )
