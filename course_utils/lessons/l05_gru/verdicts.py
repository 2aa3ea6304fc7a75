"""Lesson 05's verdicts: the GRU against the LSTM, rendered from what was measured.

Explained in ``notebooks/05_gru.ipynb``. Every function here turns measurements into
:class:`course_utils.core.evidence.Verdict` objects (or a small table), so that the lesson's
prose and summary never type an outcome:

* :func:`gate_verdicts` - section 2: does the trained GRU keep its update gate high
  over the hold span and lower it at the markers?
* :func:`head_to_head_verdicts` - section 3: size, time per epoch and final metric of
  GRU against LSTM, from ``Run.to_dict()`` rows (one live seed or the committed seeds);
* :func:`structure_verdicts` - parameters and multiply-adds, from the formulas;
* :func:`timing_verdicts` - time per epoch from separate processes (``timing.json``);
* :func:`lesson05_verdicts` - everything the summary renders, from the committed
  ``lstm_vs_gru`` (and ``adding_problem``) benchmark JSON.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.evidence import (
    Verdict,
    against_threshold,
    compare_seeds,
    computed,
    observation,
    seeds_text,
    spread,
)
from course_utils.core.registry import task_name
from course_utils.core.timing import case_verdict
from course_utils.core.validation import check_int, check_number
from course_utils.lessons.l05_gru.budgets import budget_rows, check_benchmark, run_values
from course_utils.param_counts import multiplies_per_step
from course_utils.tasks.adding import BASELINE_MSE, SOLVED_MSE

__all__ = ["QUARTER_TOLERANCE", "SUMMARY_POINTS", "committed_scope", "gate_verdicts"]
__all__ += ["head_to_head_verdicts", "lesson05_verdicts", "structure_verdicts", "time_ratios"]
__all__ += ["timing_verdicts"]

#: "A quarter smaller" holds when the GRU/LSTM parameter ratio is within this of 0.75.
QUARTER_TOLERANCE = 0.01

TASK_NAMES = {task: task_name(task) for task in ("adding_T50", "adding_T200", "char_lm")}


def _check_rows(rows) -> list[dict]:
    if not isinstance(rows, (list, tuple)) or not rows:
        raise TypeError(
            f"rows must be a non-empty list of run dicts (Run.to_dict()); got {rows!r}."
        )
    for i, row in enumerate(rows):
        missing = {"task", "cell", "params", "metric", "seconds_per_epoch"} - set(
            row if isinstance(row, dict) else {}
        )
        if not isinstance(row, dict) or missing:
            raise ValueError(
                f"rows[{i}] must be a Run.to_dict() dict with task, cell, params, metric and "
                f"seconds_per_epoch; missing {sorted(missing)} in {row!r}."
            )
    return list(rows)


def _check_scope(scope) -> str:
    if not isinstance(scope, str) or not scope.strip():
        raise TypeError(f"scope must be a non-empty str saying what was measured; got {scope!r}.")
    return scope


# --- section 2: the gates of a trained GRU -------------------------------------------


def gate_verdicts(summary: dict, holders: list[dict], *, scope: str, high: float = 0.95):
    """Verdicts on the update gate of a GRU trained on the adding problem.

    summary: ``gates.gate_summary(...)`` of the memory unit (keys ``update_hold``,
    ``update_marked``). holders: the same summaries for every unit whose state
    correlates with the first number (may be empty: then the second verdict is
    inconclusive, with no mean of an empty list).
    """
    if not isinstance(summary, dict) or not {"update_hold", "update_marked"} <= set(summary):
        raise ValueError(
            f"summary must be gate_summary(...) of a GRU (update_hold, update_marked); got {summary!r}."
        )
    if not isinstance(holders, (list, tuple)):
        raise TypeError(f"holders must be a list of gate_summary dicts; got {holders!r}.")
    scope = _check_scope(scope)
    high = check_number("high", high, minimum=0.0, maximum=1.0)
    first = against_threshold(
        f"The memory unit's update gate stays near 1 (> {high:g}) over the hold span",
        [summary["update_hold"]],
        high,
        below=False,
        scope=scope,
    )
    claim = "Units that hold the number lower their update gate at the markers (write) below its hold-span level (keep)"
    rule = "the units' mean update gate at the markers is below their hold-span mean"
    if not holders:
        measured = "no unit passed the correlation test: none holds the number"
        return [first, observation(claim, measured, seen=False, rule=rule, scope=scope)]
    hold = float(np.mean([h["update_hold"] for h in holders]))
    marked = float(np.mean([h["update_marked"] for h in holders]))
    measured = f"{len(holders)} units of one trained GRU: mean update gate {marked:.3f} at the markers, {hold:.3f} over the hold span"
    return [first, observation(claim, measured, seen=bool(marked < hold), rule=rule, scope=scope)]


# --- section 3: head to head ----------------------------------------------------------


def head_to_head_verdicts(rows, *, scope: str) -> list[Verdict]:
    """GRU against LSTM on every task in ``rows``: time per epoch and final metric.

    ``rows``: ``Run.to_dict()`` dicts (live, one seed) or a benchmark's ``"runs"`` (several
    seeds). Claims are stated as the folklore has them ("the GRU trains faster", "the LSTM
    is better on long sequences"); ``compare_seeds`` decides each one.
    """
    rows, scope = _check_rows(rows), _check_scope(scope)
    verdicts = []
    tasks = [t for t in TASK_NAMES if any(r["task"] == t for r in rows)]
    for task in tasks:
        gru, lstm = (run_values(rows, task, c, "seconds_per_epoch") for c in ("gru", "lstm"))
        if gru and lstm:
            # Timings made in one process are one run's observation, whatever the number
            # of repeats: a time verdict needs repeats in separate processes
            # (course_utils.core.evidence.time_ratio). Repeats are not seeds.
            timed = [r.get("timing") for r in rows if r["task"] == task]
            how = (
                "timed interleaved in one process"
                if all(t == "interleaved" for t in timed)
                else "timed during training, one run after the other"
            )
            ratio = float(np.mean(gru) / np.mean(lstm))
            verdicts.append(
                observation(
                    f"The GRU trains faster per epoch than the LSTM ({TASK_NAMES[task]})",
                    f"GRU {spread(gru).text(3, counted=False)} s/epoch, LSTM "
                    f"{spread(lstm).text(3, counted=False)} s/epoch over {len(gru)} timings "
                    f"each; GRU/LSTM {ratio:.2f}",
                    seen=ratio < 1,
                    rule="the GRU/LSTM ratio of mean seconds per epoch is below 1",
                    scope=f"{scope}; {how}",
                )
            )
    for task in tasks:
        gru, lstm = (run_values(rows, task, c, "metric") for c in ("gru", "lstm"))
        if not (gru and lstm):
            continue
        unit = "MSE" if task.startswith("adding") else "bits/char"
        if task == "adding_T200":
            claim = (
                "The LSTM ends better than the GRU on the long sequences (adding problem, T=200)"
            )
            verdicts.append(compare_seeds(
                claim, lstm, gru, metric="mse", names=("LSTM", "GRU"), unit=unit, scope=scope,
                baseline=BASELINE_MSE, budget="lesson 05's budget",
            ))  # fmt: skip
            for cell, values in (("LSTM", lstm), ("GRU", gru)):
                verdicts.append(
                    against_threshold(
                        f"The {cell} solves the adding problem at T=200 (MSE < 1/60)",
                        values,
                        SOLVED_MSE,
                        below=True,
                        unit="MSE",
                        scope=scope,
                    )
                )
        else:
            claim = f"The GRU ends better than the LSTM ({TASK_NAMES[task]})"
            verdicts.append(
                compare_seeds(
                    claim,
                    gru,
                    lstm,
                    lower_is_better=True,
                    names=("GRU", "LSTM"),
                    unit=unit,
                    scope=scope,
                )
            )
    return verdicts


def time_ratios(rows) -> dict[str, float]:
    """Per task: the GRU's mean seconds per epoch over the LSTM's (above 1: GRU slower)."""
    rows = _check_rows(rows)
    ratios = {}
    for task in [t for t in TASK_NAMES if any(r["task"] == t for r in rows)]:
        gru, lstm = (run_values(rows, task, c, "seconds_per_epoch") for c in ("gru", "lstm"))
        if gru and lstm:
            ratios[task] = float(np.mean(gru) / np.mean(lstm))
    return ratios


def structure_verdicts(rows, *, input_size: int = 2, hidden_size: int = 16) -> list[Verdict]:
    """ "A quarter smaller" (from the parameter counts in ``rows``) and "a quarter fewer
    multiply-adds" (from :func:`~course_utils.param_counts.multiplies_per_step`)."""
    rows = _check_rows(rows)
    m = check_int("input_size", input_size, minimum=1)
    n = check_int("hidden_size", hidden_size, minimum=1)
    verdicts = []
    for task in [t for t in TASK_NAMES if any(r["task"] == t for r in rows)]:
        gru, lstm = (run_values(rows, task, c, "params") for c in ("gru", "lstm"))
        if not (gru and lstm):
            continue
        ratio = gru[0] / lstm[0]
        verdicts.append(
            computed(
                f"The GRU has a quarter fewer parameters than the LSTM ({TASK_NAMES[task]})",
                f"GRU {gru[0]:,.0f} / LSTM {lstm[0]:,.0f} = {ratio:.3f} ({1 - ratio:.0%} fewer)",
                true=abs(ratio - 0.75) <= QUARTER_TOLERANCE,
                rule=f"the ratio is within {QUARTER_TOLERANCE:g} of 0.75",
                scope="whole model, read from Keras's count_params(); any machine",
            )
        )
    macs = multiplies_per_step("gru", m, n) / multiplies_per_step("lstm", m, n)
    verdicts.append(
        computed(
            "The GRU does a quarter fewer multiply-adds per step than the LSTM",
            f"GRU/LSTM = {macs:.3f} (3 weight blocks against 4)",
            true=abs(macs - 0.75) <= QUARTER_TOLERANCE,
            rule=f"the ratio is within {QUARTER_TOLERANCE:g} of 0.75",
            scope="the matrix products of one step; any width, any machine",
        )
    )
    return verdicts


# --- the summary ------------------------------------------------------------------------

#: The summary's fixed points: definitions and what was built, true whatever was measured.
SUMMARY_POINTS = (
    "A GRU has two gates and one state. The update gate $z_t$ keeps ($z_t$) and writes "
    "($1 - z_t$) in one move; the reset gate $r_t$ decides how much of the old state the "
    "candidate sees.",
    "`reset_after=True` (Keras's default, the form cuDNN runs; Cho et al.'s first arXiv "
    "version) applies $r_t$ after the recurrent product; `reset_after=False` (their later "
    "version, EMNLP 2014) before. They are different "
    "functions, and `reset_after=True` keeps a second bias vector per block: "
    "$3(nm + n^2 + 2n)$ parameters against $3(nm + n^2 + n)$, and an LSTM's $4(nm + n^2 + n)$.",
    "Every verdict below is scoped to what was measured: these tasks, this budget, this "
    "machine. Section 3 printed the figures, and the budget table shows why lesson 03's "
    "LSTM and this lesson's can end differently at T=200.",
)


def committed_scope(bench: dict) -> str:
    """ "committed: 2-core CPU, 3 seeds, full mode, 2026-11-25" for a benchmark JSON."""
    check_benchmark("bench", bench, ("machine", "seeds", "date"))
    seeds = bench["seeds"] if isinstance(bench["seeds"], int) else len(bench["seeds"])
    return f"committed: {bench['machine'].get('cpu_count', '?')}-core CPU, {seeds_text(seeds)}, full mode, {bench['date'][:10]}"


def timing_verdicts(timing: dict) -> list[Verdict]:
    """ "The GRU trains faster per epoch than the LSTM", per lesson 05 task, from
    ``load_results("timing")`` (``benchmarks/timing.py``: interleaved repeats in separate
    processes), decided by :func:`course_utils.core.evidence.time_ratio`."""
    return [
        case_verdict(
            f"The GRU trains faster per epoch than the LSTM ({TASK_NAMES[task]})",
            timing,
            f"lesson05:{task}",
            "gru",
            "lstm",
            names=("GRU", "LSTM"),
        )  # fmt: skip
        for task in TASK_NAMES
        if timing["cases"].get(f"lesson05:{task}")
    ]


def lesson05_verdicts(
    lstm_vs_gru: dict, adding_problem: dict | None = None, timing: dict | None = None
) -> list[Verdict]:
    """Every verdict lesson 05's summary renders, from the committed benchmark JSON.

    ``lstm_vs_gru``: ``load_results("lstm_vs_gru")``; ``adding_problem`` (optional):
    ``load_results("adding_problem")``, for lesson 03's LSTM at T=200 beside lesson 05's;
    ``timing`` (optional): ``load_results("timing")``, whose time ratios (separate
    processes) replace the one-process timing observations of ``lstm_vs_gru``.
    """
    check_benchmark("lstm_vs_gru", lstm_vs_gru, ("runs", "machine", "seeds", "date", "config"))
    runs = lstm_vs_gru["runs"]
    n = lstm_vs_gru["config"]["adding_T50"]["hidden_size"]
    structure = structure_verdicts(runs, input_size=2, hidden_size=n)
    verdicts = [v for v in structure if "T=200" not in v.claim]  # same model as T=50
    head = head_to_head_verdicts(runs, scope=committed_scope(lstm_vs_gru))
    if timing is not None:
        head = [v for v in head if "per epoch" not in v.claim] + timing_verdicts(timing)
    verdicts += head
    if adding_problem is not None:
        verdicts.append(budget_rows(lstm_vs_gru, adding_problem)[1]["verdict"])
    return verdicts
