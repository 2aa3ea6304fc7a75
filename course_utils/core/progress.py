"""Progress you can see: bars over epochs, steps, seeds or a time budget.

Every training run in the course goes through one of these, so a cell that runs
for minutes shows a sign of life:

* :func:`progress` wraps a loop (``for seed in progress(seeds, desc="seeds")``);
* :class:`ProgressCallback` is a Keras callback for ``model.fit`` (one bar over the
  epochs, or over the steps of a single epoch);
* :func:`time_bar` is a bar over a time budget (``bar.update_to(seconds_spent)``);
* :class:`LiveLoss` draws a loss curve in one figure that is redrawn every few
  seconds while training runs (not a new figure per update);
* :func:`course_utils.core.results.estimate` (in the one loader of committed results) says how
  long a run took in the committed benchmark JSON, so a long cell can say up front
  about how long it will take.

Where the bars go is decided once, by :func:`progress_mode`:

``"widget"``  a Jupyter kernel (JupyterLab, Colab): ``tqdm.auto`` bars, which work
              under ipywidgets 7.7 (Colab) and 8;
``"line"``    plain text (a terminal, a script): nothing while running, one line at the end;
``"off"``     CI (the ``CI`` environment variable is set): nothing at all.

``COURSE_PROGRESS=widget|line|off`` overrides the choice (``make course`` can set
``line`` so that executed notebooks carry text, not widgets).
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Iterable

import keras

from course_utils.core.validation import check_choice, check_number, check_str

__all__ = [
    "MODES",
    "progress_mode",
    "progress",
    "time_bar",
    "ProgressCallback",
    "LiveLoss",
]

MODES = ("widget", "line", "off")
_FALSE = ("", "0", "false", "no")


def _in_jupyter_kernel() -> bool:
    if "google.colab" in sys.modules:
        return True
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    ip = shell.get_ipython() if hasattr(shell, "get_ipython") else None
    return ip is not None and type(ip).__name__ == "ZMQInteractiveShell"


def progress_mode(mode: str | None = None) -> str:
    """``"widget"``, ``"line"`` or ``"off"``: ``mode`` if given, else ``COURSE_PROGRESS``,
    else ``"off"`` under CI, ``"widget"`` in a Jupyter kernel, ``"line"`` elsewhere."""
    if mode is not None:
        return check_choice("mode", mode, MODES)
    chosen = os.environ.get("COURSE_PROGRESS", "").strip().lower()
    if chosen:
        if chosen not in MODES:
            raise ValueError(f"COURSE_PROGRESS must be one of {', '.join(MODES)}; got {chosen!r}.")
        return chosen
    if os.environ.get("CI", "").strip().lower() not in _FALSE:
        return "off"
    return "widget" if _in_jupyter_kernel() else "line"


#: A bar over a time budget counts seconds of budget, not items per second.
_TIME_FORMAT = (
    "{desc}: {percentage:3.0f}%|{bar}| {n:.0f} of {total:.0f} s [elapsed {elapsed}{postfix}]"
)


def _clock(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


class _OneLine:
    """The part of tqdm's interface the course uses; prints one line when closed."""

    def __init__(self, iterable=None, *, total=None, desc="", unit="it", **_ignored):
        self.iterable, self.total, self.desc, self.unit = iterable, total, desc, unit
        if total is None and iterable is not None and hasattr(iterable, "__len__"):
            self.total = len(iterable)
        self.n, self.postfix, self.start, self.closed = 0, "", time.perf_counter(), False

    def __iter__(self):
        try:
            for item in self.iterable:
                yield item
                self.update(1)
        finally:
            self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def update(self, n=1):
        self.n += n

    def refresh(self):
        pass

    def set_description(self, desc=None, refresh=True):
        self.desc = desc or ""

    def set_postfix(self, ordered_dict=None, refresh=True, **kwargs):
        items = dict(ordered_dict or {}, **kwargs)
        self.postfix = ", ".join(f"{k}={v}" for k, v in items.items())

    def set_postfix_str(self, s="", refresh=True):
        self.postfix = str(s)

    def close(self):
        if self.closed:
            return
        self.closed = True
        done = f"{self.n:g}" + (f"/{self.total:g}" if self.total is not None else "")
        line = f"{self.desc + ': ' if self.desc else ''}{done} {self.unit} in "
        line += _clock(time.perf_counter() - self.start)
        print(line + (f" ({self.postfix})" if self.postfix else ""), flush=True)


def progress(
    iterable: Iterable | None = None,
    *,
    total: float | None = None,
    desc: str = "",
    unit: str = "it",
    mode: str | None = None,
    leave: bool = True,
):
    """A progress bar (``tqdm.auto`` in Jupyter), or its plain-text stand-in.

    Use it like ``tqdm``: wrap an iterable, or call ``update(n)`` on the result and
    ``close()`` it (it is also a context manager).
    """
    desc = check_str("desc", desc)
    unit = check_str("unit", unit)
    if total is not None:
        total = check_number("total", total, minimum=0)
    if not isinstance(leave, bool):
        raise TypeError(f"leave must be True or False; got {leave!r}.")
    if iterable is not None and not isinstance(iterable, Iterable):
        raise TypeError(f"iterable must be iterable (a list, range, ...); got {iterable!r}.")
    chosen = progress_mode(mode)
    if chosen == "line":
        return _OneLine(iterable, total=total, desc=desc, unit=unit)
    from tqdm.auto import tqdm

    return tqdm(
        iterable,
        total=total,
        desc=desc,
        unit=unit,
        leave=leave,
        disable=chosen == "off",
        mininterval=0.5,
        dynamic_ncols=True,
        bar_format=_TIME_FORMAT if unit == "s" and total else None,
    )


def time_bar(seconds: float, *, desc: str = "time budget", mode: str | None = None):
    """A bar over a time budget of ``seconds``; move it with ``bar.update_to(spent)``."""
    seconds = check_number("seconds", seconds, minimum=0, strict_minimum=True)
    bar = progress(total=round(seconds, 1), desc=desc, unit="s", mode=mode)

    def update_to(spent: float) -> None:
        step = round(min(max(float(spent), 0.0), seconds), 1) - bar.n
        if step > 0:
            bar.update(step)

    bar.update_to = update_to
    return bar


class ProgressCallback(keras.callbacks.Callback):
    """A progress bar for ``model.fit``: ``model.fit(..., verbose=0, callbacks=[ProgressCallback()])``.

    ``unit="epoch"`` moves once per epoch (the bar's total is ``epochs``);
    ``unit="step"`` moves once per batch, for a long single epoch. The latest
    training loss (and validation loss, when there is one) is shown beside the bar.
    ``live`` (a :class:`LiveLoss`, optional) is fed the loss after every epoch.
    """

    def __init__(
        self,
        *,
        desc: str = "training",
        unit: str = "epoch",
        mode: str | None = None,
        live: LiveLoss | None = None,
    ):
        super().__init__()
        self.desc = check_str("desc", desc)
        self.unit = check_choice("unit", unit, ("epoch", "step"))
        self.mode = progress_mode(mode)
        if live is not None and not isinstance(live, LiveLoss):
            raise TypeError(f"live must be a LiveLoss or None; got {live!r}.")
        self.live, self.bar, self.epoch = live, None, 0

    def on_train_begin(self, logs=None):
        params = self.params or {}
        total = params.get("epochs") if self.unit == "epoch" else params.get("steps")
        if self.unit == "step" and total is not None:
            total *= params.get("epochs", 1)
        self.bar = progress(total=total, desc=self.desc, unit=self.unit, mode=self.mode)

    def _show(self, logs) -> None:
        shown = {k: f"{v:.4g}" for k, v in (logs or {}).items() if k in ("loss", "val_loss")}
        if shown:
            self.bar.set_postfix(shown, refresh=False)

    def on_train_batch_end(self, batch, logs=None):
        if self.unit == "step" and self.bar is not None:
            self._show(logs)
            self.bar.update(1)

    def on_epoch_end(self, epoch, logs=None):
        self.epoch = epoch + 1
        if self.bar is not None:
            self._show(logs)
            if self.unit == "epoch":
                self.bar.update(1)
        if self.live is not None and logs and "loss" in logs:
            self.live.add(self.epoch, float(logs["loss"]), val=logs.get("val_loss"))

    def on_train_end(self, logs=None):
        if self.bar is not None:
            self.bar.close()
        if self.live is not None:
            self.live.close()


class LiveLoss:
    """A loss curve that grows while a model trains: one figure, redrawn in place at
    most every ``every_seconds`` (and once more by :meth:`close`).

    Only in ``"widget"`` mode (a Jupyter front end); elsewhere it records the points
    and draws nothing, so CI and the site build are not flooded with figures.
    """

    def __init__(
        self,
        *,
        xlabel: str = "epoch",
        ylabel: str = "loss",
        title: str = "training loss (live)",
        every_seconds: float = 3.0,
        mode: str | None = None,
    ):
        self.xlabel = check_str("xlabel", xlabel)
        self.ylabel = check_str("ylabel", ylabel)
        self.title = check_str("title", title)
        self.every = check_number("every_seconds", every_seconds, minimum=0)
        self.drawing = progress_mode(mode) == "widget"
        self.x, self.y, self.val, self.marks = [], [], [], []
        self.figure, self.handle, self.last, self.redraws = None, None, -math.inf, 0

    def add(self, x: float, loss: float, *, val: float | None = None) -> None:
        """Record one point of the training loss (and optionally of a validation score)."""
        self.x.append(float(x))
        self.y.append(float(loss))
        if val is not None:
            self.val.append((float(x), float(val)))
        if self.drawing and time.perf_counter() - self.last >= self.every:
            self._draw()

    def mark(self, x: float, value: float) -> None:
        """Record a checkpoint score (drawn as a dot), e.g. held-out bits per character."""
        self.marks.append((float(x), float(value)))

    def _draw(self) -> None:
        import matplotlib.pyplot as plt
        from IPython.display import display

        if self.figure is None:
            self.figure, ax = plt.subplots(figsize=(6.0, 3.0))
            plt.close(self.figure)  # shown through the display handle only, never twice
        ax = self.figure.axes[0]
        ax.clear()
        ax.plot(self.x, self.y, "-", label="training loss")
        if self.val:
            ax.plot(*zip(*self.val, strict=True), "--s", label="validation loss")
        if self.marks:
            ax.plot(*zip(*self.marks, strict=True), "o", linestyle="none", label="held-out score")
        ax.set(xlabel=self.xlabel, ylabel=self.ylabel, title=self.title)
        ax.legend(loc="upper right")
        if self.handle is None:
            self.handle = display(self.figure, display_id=True)
        else:
            self.handle.update(self.figure)
        self.last, self.redraws = time.perf_counter(), self.redraws + 1

    def close(self) -> None:
        """Draw the final curve (in ``"widget"`` mode, when there is anything to draw)."""
        if self.drawing and self.x:
            self._draw()
