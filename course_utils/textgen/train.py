"""Train for a wall-clock budget, and measure held-out bits per character.

Explained in ``notebooks/06_text_generation.ipynb``; ``benchmarks/textgen.py`` uses the
same two functions for both of its models.

* :func:`held_out_rows` cuts held-out ids into a fixed sample of contiguous rows;
* :func:`bits_per_char` scores a model on them, either with the state carried along
  each row (every character sees all the text before it in its row) or restarted
  every ``window`` characters (each window read from a zero state, as in training);
* :func:`train_for` trains through the course's one trainer
  (:class:`~course_utils.core.training.Trainer`) until a time budget is spent (a
  :class:`~course_utils.core.training.Budget` in seconds), evaluates at checkpoints with
  the budget's clock paused, and can set the learning rate from the share of the budget
  used (a schedule that fits any machine's speed).

It is longer than the course's 300-line guide because it is the one training path that
lesson 06 and ``benchmarks/textgen.py`` share (held-out scoring, the learning-rate
schedule, the timed loop, its log and the lesson's settings); two copies would drift.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import keras
import numpy as np

from course_utils.core.environment import seed_all
from course_utils.core.progress import LiveLoss
from course_utils.core.training import Budget, Trainer
from course_utils.core.validation import check_array, check_choice, check_int, check_number
from course_utils.textgen.data import char_dataset, stateful_char_dataset
from course_utils.textgen.generate import inference_model, step, zero_states
from course_utils.textgen.minrnn import is_mingru_model, mingru_bits_per_char
from course_utils.textgen.model import (
    OPTIONAL_SETTINGS,
    SETTINGS_KEYS,
    build_from_settings,
    compile_char_model,
)
from course_utils.textgen.scoring import LN2, cross_entropy, window_pieces
from course_utils.textgen.transformer import LearnedPositions, transformer_bits_per_char

__all__ = [
    "held_out_rows",
    "bits_per_char",
    "held_out_evaluator",
    "learning_rate_at",
    "TrainingLog",
    "train_for",
    "train_settings",
]


def held_out_rows(ids, *, rows: int = 32, length: int | None = None) -> np.ndarray:
    """``rows`` evenly spaced contiguous pieces of ``ids``, int32 ``(rows, length + 1)``.

    Default ``length``: as long as the rows can be without overlapping (all the ids).
    Each row gives ``length`` scored characters: inputs ``row[:-1]``, targets ``row[1:]``.
    """
    ids = check_array("ids", ids, ndim=1, kind="int")
    rows = check_int("rows", rows, minimum=1)
    longest = len(ids) // rows - 1
    length = longest if length is None else check_int("length", length, minimum=1)
    if length < 1 or length > longest:
        raise ValueError(
            f"length must be between 1 and {longest} for {len(ids)} ids in "
            f"{rows} rows; got {length}."
        )
    starts = np.arange(rows) * (len(ids) // rows)  # (rows,)
    return np.stack([ids[s : s + length + 1] for s in starts]).astype(
        np.int32
    )  # (rows, length + 1)


def bits_per_char(
    model: keras.Model,
    rows,
    *,
    window: int | None = None,
    burn_in: int = 0,
    chunk: int = 256,
    max_batch: int = 1024,
) -> float:
    """Mean cross-entropy, in bits per character, of ``model`` on ``rows`` (see :func:`held_out_rows`).

    ``window=None``: the state is carried along each whole row (read ``chunk`` steps
    at a time), and the first ``burn_in`` characters of each row are read but not
    scored. ``window=w``: the same positions (all but the first ``burn_in`` of each row)
    are cut into windows of ``w`` characters (the last of a row shorter if the rest does
    not divide), each read from a zero state and scored in full (``max_batch`` windows
    per call). With the same ``burn_in`` both scores cover the same characters.
    ``model``: a character model or its :func:`~course_utils.textgen.generate.inference_model`.
    Perplexity is ``2 ** bits``.
    """
    rows = check_array("rows", rows, ndim=2, kind="int", dims="(rows, length + 1)")
    burn_in = check_int("burn_in", burn_in, minimum=0, maximum=rows.shape[1] - 2)
    chunk = check_int("chunk", chunk, minimum=1)
    max_batch = check_int("max_batch", max_batch, minimum=1)
    inference = model if len(model.inputs) > 1 else inference_model(model)
    inputs, targets = rows[:, :-1], rows[:, 1:]  # (rows, length) each
    if window is not None:
        window = check_int("window", window, minimum=1, maximum=inputs.shape[1])
        losses = [
            cross_entropy(
                step(
                    inference,
                    x[i : i + max_batch],
                    zero_states(inference, len(x[i : i + max_batch])),
                )[0],
                y[i : i + max_batch],
            ).ravel()
            for x, y in window_pieces(inputs, targets, window, burn_in)
            for i in range(0, len(x), max_batch)
        ]
        return float(np.concatenate(losses).mean() / LN2)
    states, losses = zero_states(inference, len(rows)), []
    for start in range(0, inputs.shape[1], chunk):
        logits, states = step(inference, inputs[:, start : start + chunk], states)
        losses.append(cross_entropy(logits, targets[:, start : start + chunk]))
    return float(np.concatenate(losses, axis=1)[:, burn_in:].mean() / LN2)


def held_out_evaluator(
    model: keras.Model, rows, *, burn_in: int = 100, window: int | None = 100
) -> Callable[[keras.Model], dict]:
    """A function ``evaluate(model) -> {"bits_per_char": ..., "bits_per_char_window": ...}``.

    For an RNN it keeps one :func:`inference_model` twin and copies the current weights
    into it on every call; a Transformer is scored by
    :func:`~course_utils.textgen.transformer.transformer_bits_per_char` and a minGRU stack
    by :func:`~course_utils.textgen.minrnn.mingru_bits_per_char`.
    ``window=None`` leaves out the windowed score. Both scores skip the first ``burn_in``
    characters of each row, so they cover the same characters. (Race runs committed before
    this rule scored the windows from position 0 and dropped each row's tail.)
    """
    score = None  # an RNN with state: scored through a one-step twin, below
    if any(isinstance(layer, LearnedPositions) for layer in model.layers):
        score = transformer_bits_per_char
    elif is_mingru_model(model):
        score = mingru_bits_per_char
    if score is not None:

        def evaluate(trained: keras.Model) -> dict:  # no state to copy between calls
            scores = {"bits_per_char": score(trained, rows, burn_in=burn_in)}
            if window is not None:  # the same positions as the carried score
                scores["bits_per_char_window"] = score(
                    trained, rows, window=window, burn_in=burn_in
                )
            return scores

        return evaluate
    twin = inference_model(model)

    def evaluate(trained: keras.Model) -> dict:
        twin.set_weights(trained.get_weights())
        scores = {"bits_per_char": bits_per_char(twin, rows, burn_in=burn_in)}
        if window is not None:  # the same positions as the carried score
            scores["bits_per_char_window"] = bits_per_char(
                twin, rows, window=window, burn_in=burn_in
            )
        return scores

    return evaluate


def learning_rate_at(
    fraction: float,
    peak: float,
    *,
    schedule: str = "cosine",
    warmup: float = 0.0,
    final: float = 0.0,
) -> float:
    """Learning rate after ``fraction`` of the budget: linear warm-up, then constant or cosine.

    ``"cosine"`` falls from ``peak`` to ``final * peak`` at the end of the budget.
    """
    fraction = min(max(check_number("fraction", fraction), 0.0), 1.0)
    peak = check_number("peak", peak, minimum=0, strict_minimum=True)
    check_choice("schedule", schedule, ("constant", "cosine"))
    warmup = check_number("warmup", warmup, minimum=0, maximum=1)
    final = check_number("final", final, minimum=0, maximum=1)
    if fraction < warmup:
        return peak * min(1.0, (fraction + 1e-3) / warmup)  # never above the peak
    if schedule == "constant":
        return peak
    progress = (fraction - warmup) / max(1.0 - warmup, 1e-12)
    return peak * (final + (1 - final) * 0.5 * (1 + math.cos(math.pi * progress)))


@dataclass
class TrainingLog:
    """What :func:`train_for` measured. Times are training minutes (evaluation excluded)."""

    budget_minutes: float
    curve: list[dict] = field(default_factory=list)  # {"minutes", "chars", "train_bits"}
    checkpoints: list[dict] = field(default_factory=list)  # {"minutes", "chars", **metrics}
    steps: int = 0
    chars: int = 0
    train_seconds: float = 0.0
    warmup_seconds: float = 0.0  # the first batch: graph tracing, not counted in the budget
    eval_seconds: float = 0.0

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.train_seconds if self.train_seconds else float("nan")

    def at(self, minutes: float) -> dict:
        """The checkpoint recorded at (just after) ``minutes`` of training."""
        found = [c for c in self.checkpoints if c["target_minutes"] == minutes]
        if not found:
            raise ValueError(
                f"no checkpoint at {minutes} min; have "
                f"{[c['target_minutes'] for c in self.checkpoints]}."
            )
        return found[0]


def train_for(
    model: keras.Model,
    dataset,
    *,
    minutes: float,
    checkpoints: Sequence[float] = (),
    evaluate: Callable[[keras.Model], dict] | None = None,
    learning_rate: float | None = None,
    schedule: str = "cosine",
    warmup: float = 0.0,
    final: float = 0.0,
    report_every: int = 25,
    clock: str = "wall",
    verbose: bool = True,
    live: bool | None = None,
    stop_at: float | None = None,
) -> TrainingLog:
    """Fit ``model`` on ``dataset`` (infinite, ``(ids, targets)`` batches) for ``minutes``.

    The clock starts after the first batch (graph tracing); ``evaluate(model)`` runs at
    each checkpoint and at the end with the clock stopped. With ``learning_rate`` set,
    the rate follows :func:`learning_rate_at` over the budget; with ``None`` the
    optimizer's own rate is kept. ``clock="process"`` counts this process's CPU time
    instead of wall time (for comparisons on a busy machine).

    ``stop_at`` (minutes, at most ``minutes``): stop early, at that point of a ``minutes``-long
    schedule, and score there. The learning rate follows the full ``minutes`` schedule, so a
    run with ``minutes=5, stop_at=1`` is the first minute of a 5-minute run (the race's
    1-minute checkpoint), not a 1-minute run whose rate falls to zero.

    With ``verbose`` a progress bar runs over the budget (see :mod:`course_utils.core.progress`:
    a bar in Jupyter, one line in plain text, nothing under CI). ``live=True`` draws the
    training loss (bits per character) in one figure redrawn every few seconds; the default
    ``None`` draws it when ``verbose`` and a Jupyter front end shows progress bars.
    """
    minutes = check_number("minutes", minutes, minimum=0, strict_minimum=True)
    if live is not None and not isinstance(live, bool):
        raise TypeError(f"live must be True, False or None; got {live!r}.")
    end = (
        minutes
        if stop_at is None
        else check_number("stop_at", stop_at, minimum=0, strict_minimum=True, maximum=minutes)
    )
    marks = [check_number("checkpoints", m, minimum=0, strict_minimum=True) for m in checkpoints]
    marks = sorted({m for m in marks if m < end} | {end})
    report_every = check_int("report_every", report_every, minimum=1)
    now = {"wall": time.perf_counter, "process": time.process_time}[
        check_choice("clock", clock, ("wall", "process"))
    ]
    if learning_rate is not None:
        learning_rate_at(0.0, learning_rate, schedule=schedule, warmup=warmup, final=final)
    log = TrainingLog(minutes)
    trainer = Trainer(  # the course's one budget; the first batch (graph tracing) is off it
        Budget(seconds=60.0 * end),
        clock=now,
        warmup_batches=1,
        progress="training" if verbose else None,
        postfix=lambda logs: f"{float(logs['loss']) / LN2:.3f} bits/char",
    )
    stop, state = trainer.stop, {"next": 0}
    curve = LiveLoss(
        xlabel="training minutes", ylabel="bits per character", title="training loss (live)"
    )
    curve.drawing = live if live is not None else curve.drawing and verbose

    class Checkpoints(keras.callbacks.Callback):  # the schedule, the checkpoints, the log
        def on_train_batch_begin(self, batch, logs=None):
            if learning_rate is not None:
                rate = learning_rate_at(
                    min(stop.elapsed() / (60.0 * minutes), 1.0),
                    learning_rate,
                    schedule=schedule,
                    warmup=warmup,
                    final=final,
                )
                self.model.optimizer.learning_rate = rate

        def on_train_batch_end(self, batch, logs=None):
            log.steps += 1
            if log.steps == 1:  # the warm-up batch: the budget's clock starts after it
                log.warmup_seconds = time.perf_counter() - fit_start
                return
            log.chars += batch_chars
            spent = stop.spent  # the budget's seconds at the end of this batch
            if state["next"] < len(marks) and spent >= 60.0 * marks[state["next"]]:
                pause_wall = time.perf_counter()
                with stop.paused():  # the clock stops while evaluating
                    metrics = evaluate(self.model) if evaluate is not None else {}
                log.eval_seconds += time.perf_counter() - pause_wall
                log.checkpoints.append(
                    {
                        "target_minutes": marks[state["next"]],
                        "minutes": spent / 60,
                        "chars": log.chars,
                        **metrics,
                    }
                )
                if "bits_per_char" in metrics:
                    curve.mark(spent / 60, metrics["bits_per_char"])
                if verbose:
                    shown = ", ".join(f"{k} {v:.3f}" for k, v in metrics.items())
                    print(f"{spent / 60:5.2f} min  {log.chars:>11,} chars  {shown}", flush=True)
                state["next"] += 1

        def on_epoch_end(self, epoch, logs=None):
            if stop.started and logs and "loss" in logs:
                log.curve.append(
                    {
                        "minutes": stop.elapsed() / 60,
                        "chars": log.chars,
                        "train_bits": float(logs["loss"]) / LN2,
                    }
                )
                curve.add(stop.elapsed() / 60, float(logs["loss"]) / LN2)

    batch_chars = int(np.prod(dataset.element_spec[1].shape))
    fit_start = time.perf_counter()
    try:
        trained = trainer.fit(
            model, dataset, steps_per_epoch=report_every, shuffle=False, callbacks=[Checkpoints()]
        )
    finally:
        if trainer.bar is not None and trainer.bar.bar is not None:
            trainer.bar.bar.close()  # also when interrupted (closing twice is harmless)
        curve.close()
    log.train_seconds = trained.budget_seconds
    return log


def train_settings(
    settings: dict,
    train_ids,
    vocab_size: int,
    *,
    minutes: float,
    checkpoints: Sequence[float] = (),
    rows=None,
    seed: int = 0,
    clock: str = "wall",
    verbose: bool = True,
    jit_compile: bool | str = "auto",
) -> tuple[keras.Model, TrainingLog]:
    """Build, compile and train a model described by a settings dict for ``minutes``.

    ``settings`` has the keys :data:`course_utils.textgen.model.SETTINGS_KEYS`;
    ``rows`` (from :func:`held_out_rows`) are scored at every checkpoint. Returns the
    trained model and its :class:`TrainingLog`. ``benchmarks/textgen.py`` runs every
    contender through this function. ``jit_compile`` goes to :func:`compile_char_model`.
    """
    missing = sorted(set(SETTINGS_KEYS) - set(settings))
    if missing:
        raise ValueError(f"settings lacks {missing}; expected the keys {list(SETTINGS_KEYS)}.")
    s = settings
    seed_all(seed)
    if s["stateful"]:
        dataset, _ = stateful_char_dataset(train_ids, s["seq_length"], s["batch_size"], seed=seed)
    else:
        dataset = char_dataset(train_ids, s["seq_length"], s["batch_size"], seed=seed)
    precision = s.get("precision", OPTIONAL_SETTINGS["precision"])
    check_choice("settings['precision']", precision, ("float32", "mixed_bfloat16"))
    policy = keras.config.dtype_policy()
    keras.config.set_dtype_policy(precision)  # for the layers built now; restored below
    try:
        model = build_from_settings(s, vocab_size)
    finally:
        keras.config.set_dtype_policy(policy)
    compile_char_model(
        model,
        learning_rate=s["learning_rate"],
        clipnorm=s["clipnorm"],
        weight_decay=s.get("weight_decay", OPTIONAL_SETTINGS["weight_decay"]),
        jit_compile=jit_compile,
    )
    log = train_for(
        model,
        dataset,
        minutes=minutes,
        checkpoints=checkpoints,
        evaluate=None if rows is None else held_out_evaluator(model, rows),
        learning_rate=s["learning_rate"],
        schedule=s["schedule"],
        warmup=s["warmup"],
        clock=clock,
        verbose=verbose,
    )
    return model, log
