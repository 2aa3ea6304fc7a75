"""Plots shared by several lessons (training curves, sequence predictions), and the
course's rules for figures everyone can read:

* :func:`series_style` gives series ``i`` a colour (the Okabe-Ito cycle that
  :func:`course_utils.setup` installs), a line style and a marker, so that no two
  series differ by colour alone;
* :func:`describe` attaches one sentence, computed from the plotted data, to a figure
  (``figure.summary``); :func:`show` displays the figure and prints that sentence
  after it as ``Figure: ...``. The website (``tools/book.py``) puts the printed
  sentence into the image's alt text, for screen readers and for skimming.

A plotting function adopts both with ``return describe(fig, f"...")`` and its
lesson with ``show(plot_something(...))``.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.config import fast_mode
from course_utils.core.validation import check_array, check_int
from course_utils.plotting.wording import trend

__all__ = [
    "FIGURE_PREFIX",
    "describe",
    "summary_of",
    "show",
    "series_style",
    "plot_history",
    "plot_curves",
    "plot_sequence_predictions",
]

#: How :func:`show` starts the printed sentence; ``tools/book.py`` looks for it.
FIGURE_PREFIX = "Figure: "
_LINESTYLES = ("-", "--", "-.", ":")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def series_style(index: int) -> dict:
    """``color``, ``linestyle`` and ``marker`` for the ``index``-th series of a plot."""
    index = check_int("index", index, minimum=0)
    return {
        "color": f"C{index % 8}",
        "linestyle": _LINESTYLES[index % len(_LINESTYLES)],
        "marker": _MARKERS[index % len(_MARKERS)],
    }


def describe(figure, sentence: str):
    """Attach ``sentence`` (what the figure shows, from its data) to ``figure``; return it."""
    from matplotlib.figure import Figure

    if not isinstance(figure, Figure):
        raise TypeError(f"figure must be a matplotlib Figure; got {type(figure).__name__}.")
    if not isinstance(sentence, str) or not sentence.strip():
        raise ValueError(f"sentence must be a non-empty string; got {sentence!r}.")
    if "\n" in sentence.strip():
        raise ValueError(f"sentence must be one line (it becomes alt text); got {sentence!r}.")
    figure.summary = sentence.strip() + (" (fast mode: not evidence)" if fast_mode() else "")
    return figure


def summary_of(figure) -> str | None:
    """The sentence :func:`describe` attached to ``figure``, or ``None``."""
    return getattr(figure, "summary", None)


def show(figure) -> None:
    """Display ``figure``, then print its summary sentence (``Figure: ...``) after it."""
    from IPython.display import display
    from matplotlib.figure import Figure

    if not isinstance(figure, Figure):
        raise TypeError(f"figure must be a matplotlib Figure; got {type(figure).__name__}.")
    display(figure)
    sentence = summary_of(figure)
    if sentence:
        print(FIGURE_PREFIX + sentence)


def _history_dict(history) -> dict[str, list[float]]:
    data = getattr(history, "history", history)
    if not isinstance(data, dict) or not data:
        raise TypeError(
            "history must be a keras History (the value model.fit returns) or a dict of "
            f"metric name -> list of values; got {type(history).__name__}."
        )
    return data


def plot_history(history, *, metrics: tuple[str, ...] | None = None, title: str = "Training"):
    """Plot each metric in a Keras ``History`` (and its ``val_`` twin) per epoch."""
    import matplotlib.pyplot as plt

    data = _history_dict(history)
    names = metrics or tuple(k for k in data if not k.startswith("val_"))
    missing = [n for n in names if n not in data]
    if missing:
        raise ValueError(f"metrics {missing} not in history; available: {sorted(data)}.")
    fig, axes = plt.subplots(1, len(names), figsize=(3.6 * len(names), 3.0), squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        epochs = np.arange(1, len(data[name]) + 1)
        ax.plot(epochs, data[name], ms=3, label="train", **series_style(0))
        if f"val_{name}" in data:
            ax.plot(epochs, data[f"val_{name}"], ms=3, label="validation", **series_style(1))
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    parts = [f"training {name} {trend(data[name])}" for name in names]
    parts += [f"validation {n} {trend(data['val_' + n])}" for n in names if "val_" + n in data]
    epochs = len(data[names[0]])
    return describe(fig, f"Over {epochs} epochs, " + "; ".join(parts) + ".")


def plot_curves(
    curves: dict,
    *,
    xlabel: str = "epoch",
    ylabel: str = "",
    title: str = "",
    logy: bool = False,
    legend_below: bool = False,
):
    """Several named curves on one axes, e.g. ``{"Dense": [...], "SimpleRNN": [...]}``;
    ``legend_below`` puts the legend under the axes (many curves that would hide each other)."""
    import matplotlib.pyplot as plt

    if not isinstance(curves, dict) or not curves:
        raise TypeError(
            f"curves must be a non-empty dict of name -> values; got {type(curves).__name__}."
        )
    fig, ax = plt.subplots(figsize=(5.5, 3.2))
    checked = {}
    for i, (name, values) in enumerate(curves.items()):
        values = check_array(f"curves[{name!r}]", np.asarray(values, dtype=float), ndim=1)
        checked[str(name)] = values
        x = np.arange(1, len(values) + 1)
        ax.plot(x, values, ms=3, label=str(name), **series_style(i))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    ax.set_title(title)
    if legend_below:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=3, fontsize=8)
    else:
        ax.legend()
    fig.tight_layout()
    plt.close(fig)
    what = ylabel or "the value"
    parts = [f"{name} {trend(values)}" for name, values in checked.items() if len(values)]
    ends = {name: float(v[-1]) for name, v in checked.items() if len(v)}
    sentence = f"{what[:1].upper() + what[1:]} per {xlabel}: " + "; ".join(parts) + "."
    low = min(ends.values(), default=0.0)
    tied = [name for name, v in ends.items() if np.isclose(v, low, rtol=1e-6, atol=1e-12)]
    if len(ends) > 1 and len(tied) == 1:  # curves normalised to a common end tie there
        sentence += f" Lowest at the end: {tied[0]}."
    return describe(fig, sentence)


def plot_sequence_predictions(x, y_true, y_pred, *, index: int = 0, title: str = ""):
    """Input, target and prediction of one sequence, step by step."""
    import matplotlib.pyplot as plt

    x = check_array("x", x, ndim=3, dims="(batch, time, features)")
    y_true = check_array("y_true", y_true, ndim=3, dims="(batch, time, outputs)")
    y_pred = check_array("y_pred", y_pred, ndim=3, dims="(batch, time, outputs)")
    index = check_int("index", index, minimum=0, maximum=x.shape[0] - 1)
    steps = np.arange(x.shape[1])
    fig, ax = plt.subplots(figsize=(7.5, 2.6))
    ax.step(steps, x[index, :, 0] + 2.4, where="mid", label="input (shifted up)", color="C6")
    ax.step(steps, y_true[index, :, 0], where="mid", label="target", lw=2, color="C0")
    ax.plot(steps, y_pred[index, :, 0], "s", ms=4, label="prediction", color="C1")
    ax.set_xlabel("time step")
    ax.set_yticks([])
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=3, fontsize=8)
    ax.set_title(title)
    fig.tight_layout()
    plt.close(fig)
    error = np.abs(y_pred[index, :, 0] - y_true[index, :, 0])  # (time,)
    return describe(
        fig,
        f"Sequence {index} over {len(steps)} steps: the prediction is off the target by "
        f"{error.mean():.3g} on average (at most {error.max():.3g}, at step {int(error.argmax())}).",
    )
