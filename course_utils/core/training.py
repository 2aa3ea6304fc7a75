"""One trainer for the course's Keras runs: ``model.fit`` under one budget, with callbacks.

Every lesson shows its own plain ``model.fit`` loop once, in the notebook; the helpers
that repeat it over seeds, sizes and cells run it through :class:`Trainer`:

* :class:`Budget` says how long to train: ``Budget(epochs=10)``, ``Budget(steps=1500)`` or
  ``Budget(seconds=30)`` (exactly one). It is the course's one budget mechanism;
* :class:`BudgetStop` is the callback that keeps to it (``model.stop_training`` after the
  first batch that ends past a steps or seconds budget; an epochs budget is ``fit``'s own
  ``epochs=``). Its clock can be injected (tests pass a fake one), it can leave the first
  batches (graph tracing) out of a seconds budget, and :meth:`BudgetStop.paused` stops the
  clock while a callback evaluates;
* :class:`EpochTimer` records the wall time of every epoch; :class:`EpochEvaluation`
  scores held-out data after every epoch; :class:`BudgetBar` is the progress bar
  (:class:`~course_utils.core.progress.ProgressCallback` over epochs, steps or the
  budget's seconds), which also feeds a live loss curve
  (:class:`~course_utils.core.progress.LiveLoss`) when given one;
* :meth:`Trainer.fit` runs ``model.fit`` once with these callbacks (and the caller's:
  an evaluation, a learning-rate schedule) and returns a :class:`Trained` record.

Who uses it: lesson 07's grid (``lessons/l07_choosing/harness.run_one``), the text model's
timed training (``textgen/train.train_for``), the gated-cell runs
(``experiments/gating.run_task``), the adding-problem runs
(``experiments/adding_runs.train_adding``) and lesson 08's three experiments
(``lessons/l08_applications/applications``).

Not here, on purpose: the NumPy engine's training from scratch
(``experiments/next_step.train_next_step``) is not Keras at all, and lesson 03's clipping
runs (``lessons/l03_gradients/clipping``) are a hand-written ``tf.GradientTape`` loop
(and its NumPy twin) because they read every step's gradient norm before clipping, which
``fit`` does not expose. ``experiments/gating.time_task`` calls ``train_on_batch`` to
time cells in alternation, not to train them.

Longer than the course's 300-line guide: the budget, the callback that keeps to it, the
bar that counts it and the trainer that wires them share one :class:`Budget` and one
:class:`BudgetStop` state (``spent``, ``elapsed()``, ``paused()``); apart, each module
would reach into another's internals.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import keras
import numpy as np

from course_utils.core.progress import MODES, LiveLoss, ProgressCallback, progress, time_bar
from course_utils.core.validation import check_choice, check_int, check_number, check_str

__all__ = [
    "Budget",
    "BudgetStop",
    "EpochTimer",
    "EpochEvaluation",
    "BudgetBar",
    "Trained",
    "Trainer",
]

KINDS = ("epochs", "steps", "seconds")
#: ``fit``'s ``epochs=`` for a steps or seconds budget: more than any run reaches.
_UNTIL_STOPPED = 10**9


def _check_callable(name: str, value, expected: str):
    if not callable(value):
        raise TypeError(f"{name} must be {expected}; got {type(value).__name__} {value!r:.60}.")
    return value


# --- the budget ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """How long to train: ``Budget(epochs=10)``, ``Budget(steps=1500)`` or ``Budget(seconds=30)``.

    Exactly one is given. A steps or seconds budget is checked after every batch:
    training stops at the first batch that reaches it (a seconds budget overshoots by
    at most one batch), and a partial last epoch counts as an epoch.
    """

    epochs: int | None = None
    steps: int | None = None
    seconds: float | None = None

    def __post_init__(self):
        given = [kind for kind in KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            raise ValueError(
                "Budget needs exactly one of epochs=, steps= or seconds=; got "
                f"epochs={self.epochs!r}, steps={self.steps!r}, seconds={self.seconds!r}."
            )
        kind = given[0]
        if kind == "seconds":
            value = check_number("seconds", self.seconds, minimum=0.0, strict_minimum=True)
        else:
            value = check_int(kind, getattr(self, kind), minimum=1)
        object.__setattr__(self, kind, value)  # a plain int or float (not numpy's)

    @property
    def kind(self) -> str:
        """``"epochs"``, ``"steps"`` or ``"seconds"``."""
        return next(kind for kind in KINDS if getattr(self, kind) is not None)

    @property
    def amount(self) -> float:
        """The number of epochs, steps or seconds."""
        return getattr(self, self.kind)

    @property
    def key(self) -> str:
        """``"epochs=10"``, ``"steps=1500"`` or ``"seconds=30"``: how results record the budget."""
        if self.seconds is not None:
            return f"seconds={self.seconds:g}"
        return f"{self.kind}={self.amount}"

    @classmethod
    def parse(cls, key: str) -> Budget:
        """The budget a :attr:`key` names: ``Budget.parse("epochs=10") == Budget(epochs=10)``."""
        kind, _, value = check_str("key", key).partition("=")
        try:
            if kind in ("epochs", "steps"):
                return cls(**{kind: int(value)})
            if kind == "seconds":
                return cls(seconds=float(value))
        except ValueError as error:
            raise ValueError(f"budget key {key!r}: {error}") from None
        raise ValueError(
            f"budget must look like 'epochs=10', 'steps=1500' or 'seconds=30'; got {key!r}."
        )


class BudgetStop(keras.callbacks.Callback):
    """The callback that keeps ``fit`` to a :class:`Budget` (the course's one budget mechanism).

    ``clock`` (seconds, e.g. ``time.perf_counter`` or ``time.process_time``) times a
    seconds budget; it starts when training starts, or after ``warmup_batches`` batches
    (graph tracing) when that is not 0 (a steps budget counts those batches). Time spent
    inside ``with stop.paused():`` does not count. ``steps`` counts batches and ``spent`` the seconds at the last check (both for
    steps and seconds budgets; an epochs budget needs no per-batch work, so Keras keeps
    dispatching batch callbacks asynchronously).
    """

    def __init__(
        self,
        budget: Budget,
        *,
        clock: Callable[[], float] = time.perf_counter,
        warmup_batches: int = 0,
    ):
        super().__init__()
        if not isinstance(budget, Budget):
            raise TypeError(f"budget must be a Budget; got {type(budget).__name__} {budget!r:.60}.")
        self.budget = budget
        self.clock = _check_callable("clock", clock, "a function returning seconds")
        self.warmup_batches = check_int("warmup_batches", warmup_batches, minimum=0)
        self.async_safe = budget.epochs is not None  # nothing to do after a batch
        self._reset()

    def _reset(self) -> None:
        self.epochs, self.steps, self.spent, self.stopped = 0, 0, 0.0, False
        self._start, self._paused = None, 0.0

    @property
    def started(self) -> bool:
        """Whether the budget's clock is running (after the warm-up batches)."""
        return self._start is not None

    def elapsed(self) -> float:
        """Seconds on the budget's clock so far (0 before it starts; pauses left out)."""
        return 0.0 if self._start is None else self.clock() - self._start - self._paused

    def used(self) -> float:
        """The share of the budget used so far, between 0 and 1."""
        if self.budget.seconds is not None:
            return min(self.elapsed() / self.budget.seconds, 1.0)
        done = self.epochs if self.budget.epochs is not None else self.steps
        return min(done / self.budget.amount, 1.0)

    @contextlib.contextmanager
    def paused(self):
        """``with stop.paused(): ...``: the clock stops while the block runs."""
        start = None if self._start is None else self.clock()  # not started: nothing to stop
        try:
            yield
        finally:
            if start is not None:
                self._paused += self.clock() - start

    def on_train_begin(self, logs=None):
        self._reset()
        if self.warmup_batches == 0:
            self._start = self.clock()

    def on_train_batch_end(self, batch, logs=None):
        if self.budget.epochs is not None:
            return
        self.steps += 1
        if self._start is None:  # a warm-up batch: the clock starts after the last one
            if self.steps >= self.warmup_batches:
                self._start = self.clock()
        elif self.budget.seconds is not None:
            self.spent = self.elapsed()  # one reading of the clock per batch
            self.stopped = self.spent >= self.budget.seconds
        if self.budget.steps is not None:
            self.stopped = self.steps >= self.budget.steps
        if self.stopped:
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        self.epochs += 1


# --- what is recorded on the way -----------------------------------------------------------


class EpochTimer(keras.callbacks.Callback):
    """Records each epoch's wall time in ``seconds`` (``on_epoch_begin`` to ``on_epoch_end``,
    so callbacks that run after it at the epoch's end, like an evaluation, are left out)."""

    def __init__(self, *, clock: Callable[[], float] = time.perf_counter):
        super().__init__()
        self.clock = _check_callable("clock", clock, "a function returning seconds")
        self.seconds: list[float] = []

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = self.clock()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(self.clock() - self.start)


class EpochEvaluation(keras.callbacks.Callback):
    """After every epoch, ``model.evaluate(x, y)``: the loss is appended to ``values``."""

    def __init__(self, x, y, *, batch_size: int = 256):
        super().__init__()
        if x is None or y is None:
            raise TypeError(f"x and y must be the held-out data; got x={x!r:.40}, y={y!r:.40}.")
        self.x, self.y = x, y
        self.batch_size = check_int("batch_size", batch_size, minimum=1)
        self.values: list[float] = []

    def on_epoch_end(self, epoch, logs=None):
        result = self.model.evaluate(self.x, self.y, batch_size=self.batch_size, verbose=0)
        self.values.append(float(result[0] if isinstance(result, list) else result))


class BudgetBar(ProgressCallback):
    """The bar of a budgeted ``fit``: over the epochs, the steps, or the seconds of the budget.

    ``postfix(logs) -> str`` (optional) writes the text beside the bar at the end of every
    epoch (by default the loss); ``live`` is fed the loss after every epoch.
    """

    def __init__(
        self,
        stop: BudgetStop,
        *,
        desc: str = "training",
        mode: str | None = None,
        leave: bool = True,
        live: LiveLoss | None = None,
        postfix: Callable[[dict], str] | None = None,
    ):
        if not isinstance(stop, BudgetStop):
            raise TypeError(f"stop must be a BudgetStop; got {type(stop).__name__}.")
        kind = stop.budget.kind
        super().__init__(
            desc=desc, unit="epoch" if kind == "epochs" else "step", mode=mode, live=live
        )
        if not isinstance(leave, bool):
            raise TypeError(f"leave must be True or False; got {leave!r}.")
        if postfix is not None:
            _check_callable("postfix", postfix, "a function logs -> str, or None")
        self.stop, self.leave, self.postfix = stop, leave, postfix
        self.unit = "second" if kind == "seconds" else self.unit
        self.async_safe = kind == "epochs"  # the bar moves once per epoch only

    def on_train_begin(self, logs=None):
        budget = self.stop.budget
        if budget.seconds is not None:
            self.bar = time_bar(budget.seconds, desc=self.desc, mode=self.mode)
        else:
            self.bar = progress(total=budget.amount, desc=self.desc, unit=self.unit,
                                mode=self.mode, leave=self.leave)  # fmt: skip

    def on_train_batch_end(self, batch, logs=None):
        if self.unit == "second":
            self.bar.update_to(self.stop.spent)
        else:
            super().on_train_batch_end(batch, logs)

    def _show(self, logs) -> None:
        if self.postfix is None:
            super()._show(logs)
        elif logs and "loss" in logs:
            self.bar.set_postfix_str(self.postfix(logs), refresh=False)


# --- the trainer ---------------------------------------------------------------------------


@dataclass
class Trained:
    """What :meth:`Trainer.fit` measured.

    ``history``: Keras's ``History.history`` (``{"loss": [per epoch], ...}``);
    ``epoch_seconds``: wall time of each epoch; ``epochs``: epochs run (a partial last one
    counts); ``steps``: optimizer steps taken; ``seconds``: wall time of the whole ``fit``,
    callbacks included; ``budget_seconds``: the budget clock's seconds at the end (pauses
    and warm-up batches left out); ``stopped``: whether a steps or seconds budget ended it.
    """

    history: dict
    epoch_seconds: list
    epochs: int
    steps: int
    seconds: float
    budget_seconds: float
    stopped: bool

    @property
    def seconds_per_epoch(self) -> float:
        """Median epoch time, leaving out the first epoch (it includes graph tracing)."""
        return float(np.median(self.epoch_seconds[1:] or self.epoch_seconds))


class Trainer:
    """``Trainer(budget).fit(model, x, y, batch_size=...)``: one ``model.fit`` under ``budget``.

    ``clock`` and ``warmup_batches`` go to the :class:`BudgetStop` (``trainer.stop``, which
    callbacks may ask for ``elapsed()``, ``used()`` or ``paused()``). ``progress``: the
    bar's description, or ``None`` for no bar; ``mode``, ``leave``, ``live`` and
    ``postfix`` go to the :class:`BudgetBar`.
    """

    def __init__(
        self,
        budget: Budget,
        *,
        clock: Callable[[], float] = time.perf_counter,
        warmup_batches: int = 0,
        progress: str | None = None,
        mode: str | None = None,
        leave: bool = True,
        live: LiveLoss | None = None,
        postfix: Callable[[dict], str] | None = None,
    ):
        self.stop = BudgetStop(budget, clock=clock, warmup_batches=warmup_batches)
        self.budget = budget
        if progress is not None:
            check_str("progress", progress)
        if mode is not None:
            check_choice("mode", mode, MODES)
        self.bar = None
        if progress is not None or live is not None:
            shown = "off" if progress is None else mode
            self.bar = BudgetBar(self.stop, desc=progress or "training", mode=shown,
                                 leave=leave, live=live, postfix=postfix)  # fmt: skip

    def fit(
        self,
        model: keras.Model,
        x,
        y=None,
        *,
        batch_size: int | None = None,
        steps_per_epoch: int | None = None,
        shuffle: bool = True,
        callbacks: Iterable[keras.callbacks.Callback] = (),
    ) -> Trained:
        """Train the compiled ``model`` on ``x`` (and ``y``) until the budget is spent.

        The arguments are ``model.fit``'s (``x`` may be a ``tf.data.Dataset`` with
        ``y=None``; ``steps_per_epoch`` is needed for an endless one). ``callbacks`` run
        after the budget stop and the epoch timer, before the bar. ``fit`` is quiet
        (``verbose=0``): the bar is the sign of life.
        """
        if not isinstance(model, keras.Model):
            raise TypeError(f"model must be a compiled keras.Model; got {type(model).__name__}.")
        if not getattr(model, "compiled", False):
            raise ValueError(
                f"model {model.name!r} is not compiled; call model.compile(...) first."
            )
        if batch_size is not None:
            batch_size = check_int("batch_size", batch_size, minimum=1)
        if steps_per_epoch is not None:
            steps_per_epoch = check_int("steps_per_epoch", steps_per_epoch, minimum=1)
        if not isinstance(shuffle, bool):
            raise TypeError(f"shuffle must be True or False; got {shuffle!r}.")
        callbacks = list(callbacks) if isinstance(callbacks, Iterable) else callbacks
        if not isinstance(callbacks, list) or not all(
            isinstance(c, keras.callbacks.Callback) for c in callbacks
        ):
            raise TypeError(f"callbacks must be a list of Keras callbacks; got {callbacks!r:.80}.")
        timer = EpochTimer()
        chain = [self.stop, timer, *callbacks] + ([self.bar] if self.bar is not None else [])
        epochs = self.budget.epochs if self.budget.epochs is not None else _UNTIL_STOPPED
        steps_before = int(model.optimizer.iterations.numpy())
        start = time.perf_counter()
        history = model.fit(x, y, batch_size=batch_size, epochs=epochs,
                            steps_per_epoch=steps_per_epoch, shuffle=shuffle,
                            callbacks=chain, verbose=0)  # fmt: skip
        seconds = time.perf_counter() - start
        return Trained(
            history={k: [float(v) for v in values] for k, values in history.history.items()},
            epoch_seconds=list(timer.seconds),
            epochs=self.stop.epochs,
            steps=int(model.optimizer.iterations.numpy()) - steps_before,
            seconds=seconds,
            budget_seconds=self.stop.spent if self.stop.spent else self.stop.elapsed(),
            stopped=self.stop.stopped,
        )
