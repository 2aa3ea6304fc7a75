"""The character-model race in words: who is ahead after each budget, and on what.

Lesson 08 and the race's appendix (``notebooks/06b_benchmark_race.ipynb``) print this beside
every ranking (issue #28): a ranking of models that trained on different amounts of text,
with different costs per character, says little without the optimiser steps, the
characters and the FLOPs each spent, and whether its score was still falling when the
budget ran out. Every number comes from the race's JSON (``benchmarks/textgen.py``).
"""

from __future__ import annotations

import numpy as np

from course_utils.core.evidence import spread
from course_utils.textgen.benchmark import (
    LABELS,
    _marks,
    _matmul_share,
    _runs,
    _speeds,
    _values_at,
    contender_values,
    notes_text,
    on_backends,
    race_backends_text,
)
from course_utils.textgen.tuning import tuning_text

__all__ = ["improvement_text", "race_summary", "spent_text"]


def spent_text(report: dict, contender: str) -> str:
    """What ``contender`` spent in the full budget (means over seeds): optimiser steps,
    characters per step, characters seen, FLOPs per character and in all."""
    mine = [r for r in _runs(report) if r.get("contender") == contender]
    if not mine:
        raise ValueError(f"contender {contender!r} has no runs in the report.")
    last = _marks(mine)[-1]
    chars = spread(_values_at(mine, last, "chars")).mean
    steps = spread([r["steps"] for r in mine]).mean
    per_step = int(np.prod([mine[0]["settings"][k] for k in ("batch_size", "seq_length")]))
    flops = mine[0]["training_flops_per_char"]
    return (
        f"{contender}: {steps:,.0f} steps of {per_step:,} characters, {chars / 1e6:.1f} M "
        f"characters seen, {flops / 1e6:.2f} MFLOP per character, {chars * flops / 1e12:.0f} "
        "TFLOP in all"
    )


def improvement_text(report: dict, contender: str) -> str:
    """How ``contender``'s test bits/char changed between its last two checkpoints, per
    seed. With a schedule that anneals the learning rate to zero over that stretch, it
    says whether the score still fell by the end of the schedule, not what more time
    would give."""
    mine = [r for r in _runs(report) if r.get("contender") == contender]
    marks = _marks(mine)
    if len(marks) < 2:
        return f"{contender}: one checkpoint, no change to measure"
    before, after = (contender_values(report, contender, m) for m in marks[-2:])
    changes = [b - a for a, b in zip(before, after, strict=True)]  # negative: still falling
    falling = sum(c < 0 for c in changes)
    return (
        f"{contender}: lower at {marks[-1]:g} than at {marks[-2]:g} min in {falling} of "
        f"{len(changes)} seeds (mean change {spread(changes).mean:+.3f} bits)"
    )


def race_summary(report: dict) -> str:
    """The contenders ranked at each checkpoint, then what each spent, whether it was
    still improving at the end, its speed and matmul share, and the JSON's notes."""
    runs = _runs(report)
    contenders = list(dict.fromkeys(r["contender"] for r in runs))
    lines = []
    marks = _marks(runs)
    for m in marks:
        seeds = {n: spread(contender_values(report, n, m)) for n in contenders}
        ranked = sorted(seeds, key=lambda n: seeds[n].mean)
        when = (
            f"after {m:g} min of training"
            if m == marks[-1]
            else f"at the {m:g}-minute checkpoint of the {marks[-1]:g}-minute schedule"
        )
        lines.append(
            f"{when}, test bits/char (mean ± spread over seeds, lowest mean first): "
            + ", ".join(f"{n} {seeds[n].text(3, fixed=True, counted=False)}" for n in ranked)
        )
    if report.get("tuning"):
        lines.append("how each was tuned (the same search, on the validation split):")
        lines += [f"  {tuning_text(report, n)}" for n in contenders]
    lines.append("what each spent in the full budget (means over seeds):")
    lines += [f"  {spent_text(report, n)}" for n in contenders]
    lines.append(
        f"from the {marks[-2]:g}- to the {marks[-1]:g}-minute checkpoint (the learning rate "
        "anneals to zero over this stretch: it shows each score still moving at the end of "
        "this schedule, not what a longer budget would give):"
        if len(marks) > 1
        else "one checkpoint: no change to measure"
    )
    lines += [f"  {improvement_text(report, n)}" for n in contenders]
    lines.append(
        "training characters per second (mean of seeds): "
        + ", ".join(
            f"{n} {spread(_speeds(runs, n)).mean:,.0f} "
            f"({_matmul_share(report, n):.0%} of the tf.matmul rate{on_backends(report, n)})"
            for n in contenders
        )
    )
    lines += [f"{name}: {LABELS[name]}" for name in contenders if name in LABELS]
    if race_backends_text(report):
        lines.append(race_backends_text(report))
    lines.append(
        "the rankings order means; which gaps are more than the seeds' spread is for the "
        "statistics core to say (the verdicts of lesson 06's appendix)"
    )
    if report.get("notes"):
        lines.append(notes_text(report))
    return "\n".join(lines)
