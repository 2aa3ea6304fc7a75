"""Plots shared by several lessons: training curves and sequence predictions."""

from __future__ import annotations

import numpy as np

from ..validation import check_array, check_int

__all__ = ["plot_history", "plot_curves", "plot_sequence_predictions"]


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
        ax.plot(epochs, data[name], marker="o", ms=3, label="train")
        if f"val_{name}" in data:
            ax.plot(epochs, data[f"val_{name}"], marker="o", ms=3, label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_curves(
    curves: dict, *, xlabel: str = "epoch", ylabel: str = "", title: str = "", logy: bool = False
):
    """Several named curves on one axes, e.g. ``{"Dense": [...], "SimpleRNN": [...]}``."""
    import matplotlib.pyplot as plt

    if not isinstance(curves, dict) or not curves:
        raise TypeError(
            f"curves must be a non-empty dict of name -> values; got {type(curves).__name__}."
        )
    fig, ax = plt.subplots(figsize=(5.5, 3.2))
    for name, values in curves.items():
        values = check_array(f"curves[{name!r}]", np.asarray(values, dtype=float), ndim=1)
        ax.plot(np.arange(1, len(values) + 1), values, marker="o", ms=3, label=str(name))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_sequence_predictions(x, y_true, y_pred, *, index: int = 0, title: str = ""):
    """Input, target and prediction of one sequence, step by step."""
    import matplotlib.pyplot as plt

    x = check_array("x", x, ndim=3, dims="(batch, time, features)")
    y_true = check_array("y_true", y_true, ndim=3, dims="(batch, time, outputs)")
    y_pred = check_array("y_pred", y_pred, ndim=3, dims="(batch, time, outputs)")
    index = check_int("index", index, minimum=0, maximum=x.shape[0] - 1)
    steps = np.arange(x.shape[1])
    fig, ax = plt.subplots(figsize=(7.5, 2.6))
    ax.step(steps, x[index, :, 0] + 2.4, where="mid", label="input (shifted up)")
    ax.step(steps, y_true[index, :, 0], where="mid", label="target", lw=2)
    ax.plot(steps, y_pred[index, :, 0], "o", ms=4, label="prediction")
    ax.set_xlabel("time step")
    ax.set_yticks([])
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=3, fontsize=8)
    ax.set_title(title)
    fig.tight_layout()
    plt.close(fig)
    return fig
