"""Lesson 09's adding-problem verdicts: lesson 03's task at a longer length, GRU against minGRU.

Explained in section 7 of ``notebooks/09_rnn_revival.ipynb``. The runs are
``benchmarks/results/adding_revival.json``, written by ``benchmarks/adding_problem.py
--models gru min_gru --lengths 1000`` with lesson 03's function (``train_adding``) and budget.
Every verdict goes through the course's statistics core.
"""

from __future__ import annotations

from course_utils.core.evidence import Verdict, against_threshold, compare_seeds, not_run
from course_utils.core.registry import cell_name
from course_utils.experiments.adding_runs import describe_budget
from course_utils.tasks import BASELINE_MSE
from course_utils.tasks.adding import SOLVED_MSE

__all__ = ["adding_verdicts", "curve_text"]


#: A run still falling at the end: its last pass cut the test MSE by at least this share,
#: and by at least a hundredth of the "solved" line (smaller drops, near 1e-4, are noise).
STILL_FALLING = 0.1


def _still_falling(runs: list[dict], name: str) -> str:
    """ "still falling at the end (...) in k of n minGRU runs", or "" when none is."""
    curves = [r["curve"] for r in runs if len(r.get("curve") or []) >= 2]
    falling = [
        c for c in curves
        if None not in c[-2:]
        and c[-1] <= (1 - STILL_FALLING) * c[-2]
        and c[-2] - c[-1] >= SOLVED_MSE / 100
    ]  # fmt: skip
    if not falling:
        return ""
    return (
        f"still falling at the end (the last pass cut the test MSE by {STILL_FALLING:.0%} or "
        f"more, and by {SOLVED_MSE / 100:.1e} or more) in {len(falling)} of {len(curves)} "
        f"{name} runs: more steps could change it"
    )


def _joined(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def adding_verdicts(report: dict) -> list[Verdict]:
    """Lesson 03's adding problem at the lengths of ``load_results("adding_revival")``
    (``benchmarks/adding_problem.py`` with ``--models gru min_gru``): per length, does each
    model solve it (every seed below ``SOLVED_MSE``), and is the minGRU's test MSE lower
    than the GRU's (a comparison with a run that did not train, or a diverged one, is
    inconclusive). Scoped to the budget, the width and the parameter counts."""
    if not isinstance(report, dict) or "runs" not in report or "budget" not in report:
        raise TypeError("report must be the dict load_results('adding_revival') returns.")
    budget = describe_budget(report["budget"])
    verdicts = []
    for length in sorted({r["length"] for r in report["runs"]}):
        runs = {
            m: [r for r in report["runs"] if (r["model"], r["length"]) == (m, length)]
            for m in ("gru", "min_gru")
        }
        mse = {m: [r["test_mse"] for r in rs] for m, rs in runs.items()}
        falling = {m: _still_falling(rs, cell_name(m)) for m, rs in runs.items()}
        cpus = report.get("machine", {}).get("cpu_count", "?")
        scope = (
            f"T = {length}; lesson 03's budget: {budget}; {cpus}-core CPU, {report['date'][:10]}"
        )
        for model in ("gru", "min_gru"):
            claim = (
                f"The {cell_name(model)} solves the adding problem at T = {length} "
                f"(test MSE < {SOLVED_MSE:.4f})"
            )
            values = [SOLVED_MSE if v is None else v for v in mse[model]]  # diverged: unsolved
            verdicts.append(
                against_threshold(claim, values, SOLVED_MSE, below=True,
                                  scope=_joined(scope, falling[model]))
                if values else not_run(claim, f"the {cell_name(model)}", scope=scope)
            )  # fmt: skip
        diverged = sum(v is None for vs in mse.values() for v in vs)
        finite = {m: [v for v in vs if v is not None] for m, vs in mse.items()}
        claim = f"At T = {length} the minGRU ends with a lower test MSE than the GRU"
        missing = [cell_name(m) for m, vs in finite.items() if not vs]
        left_out = f"{diverged} diverged run(s) left out" if diverged else ""
        verdicts.append(not_run(claim, " or ".join(f"the {m}" for m in missing), scope=scope) if missing else compare_seeds(
            claim, finite["min_gru"], finite["gru"], metric="mse", names=("minGRU", "GRU"),
            baseline=BASELINE_MSE, budget=budget,
            scope=_joined(scope, left_out, falling["gru"], falling["min_gru"]),
        ))  # fmt: skip
    return verdicts


def curve_text(report: dict) -> list[str]:
    """One line per model: in each run, how many passes it sat near the baseline (test MSE
    above half of it), the pass at which it first went below the solved line, and how much
    the last pass changed the test MSE: the shape behind a fixed-budget comparison."""
    if not isinstance(report, dict) or "runs" not in report:
        raise TypeError("report must be the dict load_results('adding_revival') returns.")
    lines = []
    for model in ("gru", "min_gru"):
        runs = [r for r in report["runs"] if r["model"] == model and None not in r["curve"]]
        if not runs:
            continue
        near = [sum(v > BASELINE_MSE / 2 for v in r["curve"]) for r in runs]
        solved_at = [
            next((i + 1 for i, v in enumerate(r["curve"]) if v < SOLVED_MSE), None) for r in runs
        ]
        last = [f"{r['curve'][-1] / r['curve'][-2] - 1:+.0%}" for r in runs]
        lines.append(
            f"{cell_name(model)} ({len(runs)} runs, {len(runs[0]['curve'])} passes): near the "
            f"baseline for {', '.join(map(str, near))} passes; first below the solved line at "
            f"pass {', '.join('never' if p is None else str(p) for p in solved_at)}; "
            f"last pass {', '.join(last)}"
        )
    return lines
