"""Reading the race's tuning search (``benchmarks/textgen_tune.py``) in lesson 06's appendix.

Every contender was tuned the same way: the same three axes (peak learning rate, batch
size, i.e. characters per optimiser step, and AdamW's weight decay), trials at the race's
budget scored on the validation split, each best value bracketed by a worse one on both
sides. This module prints what the search did, from ``textgen_tune.json`` alone: every
trial, each contender's choice, and for each axis the scores on either side of the choice,
so a reader sees that the optimum was bracketed rather than takes it on trust.
"""

from __future__ import annotations

from course_utils.core.evidence import LEVEL, separation, spread
from course_utils.core.tables import table
from course_utils.textgen.benchmark import LESSON, notes_text

__all__ = [
    "AXES",
    "bracket_gaps",
    "bracket_text",
    "noise_text",
    "search_point",
    "tune_table",
    "tuning_text",
]

#: The search's axes, as the search names them, and how the tables call them.
AXES = {"learning_rate": "learning rate", "batch_size": "batch", "weight_decay": "weight decay"}


def _check(tune) -> dict:
    if not isinstance(tune, dict) or not isinstance(tune.get("runs"), list):
        raise TypeError("tune must be textgen_tune.json's dict, with a 'runs' list.")
    return tune


def _bits(run: dict) -> float:
    return run["checkpoints"][-1]["bits_per_char"]


def _counted(tune: dict, contender: str) -> list[dict]:
    """``contender``'s trials that count: not disturbed by other processes."""
    return [r for r in tune["runs"] if r["contender"] == contender and r.get("quiet") is not False]


def _brackets(tune: dict, contender: str) -> tuple[dict, dict]:
    """``contender``'s chosen trial and, per axis, the nearest counted trial below and above
    its value with the other two axes at their chosen values (None where none was tried)."""
    counted = _counted(_check(tune), contender)
    if not counted:
        names = sorted({r["contender"] for r in tune["runs"]})
        raise ValueError(f"contender must be one of {names}; got {contender!r}.")
    best = min(counted, key=_bits)
    sides = {}
    for axis in AXES:
        value = best["settings"][axis]
        line = [
            r
            for r in counted
            if all(r["settings"][a] == best["settings"][a] for a in AXES if a != axis)
        ]
        below = [r for r in line if r["settings"][axis] < value]
        above = [r for r in line if r["settings"][axis] > value]
        sides[axis] = (
            max(below, key=lambda r: r["settings"][axis]) if below else None,  # noqa: B023
            min(above, key=lambda r: r["settings"][axis]) if above else None,  # noqa: B023
        )
    return best, sides


def _at_bound(tune: dict, axis: str, value, side: str) -> bool:
    """Whether no value of ``axis`` lies on ``side`` of ``value`` within the search's bounds
    (``tune["axes"]``: a ladder of values, or the lowest and highest of an octave axis)."""
    bounds = tune.get("axes", {}).get(axis)
    if not bounds:
        return False
    if len(bounds) > 2:  # a ladder (weight decay: 0, 0.03, 0.1, ...)
        return value == (bounds[0] if side == "below" else bounds[-1])
    return value / 2 < bounds[0] if side == "below" else value * 2 > bounds[1]


def bracket_text(tune: dict, contender: str) -> str:
    """For each axis: the chosen value, and the nearest value tried below and above it with
    the other two axes at their chosen values, each with its validation bits/char; a side
    with nothing tried says whether the choice sits at the search's bound there (as a
    weight decay of 0), which the search counts as bracketed on that side."""
    best, sides = _brackets(tune, contender)
    parts = []
    for axis, label in AXES.items():
        shown = []
        for side, near in zip(("below", "above"), sides[axis], strict=True):
            if near is None:
                bound = _at_bound(tune, axis, best["settings"][axis], side)
                shown.append(f"none {side}" + (" (the search's bound)" if bound else ""))
                continue
            worse = "worse" if _bits(near) > _bits(best) else "NOT worse"
            shown.append(f"{near['settings'][axis]:g} -> {_bits(near):.3f} ({worse})")
        value = best["settings"][axis]
        parts.append(f"{label} {value:g} ({_bits(best):.3f}): " + "; ".join(shown))
    return f"{contender}: " + " | ".join(parts)


def _named_gaps(tune: dict, contender: str) -> list[tuple[str, float]]:
    """Each tried neighbour of ``contender``'s choice ("learning rate 0.006") and how much
    worse it scored (validation bits/char), axis by axis."""
    best, sides = _brackets(tune, contender)
    return [
        (f"{label} {n['settings'][axis]:g}", _bits(n) - _bits(best))
        for axis, label in AXES.items()
        for n in sides[axis]
        if n is not None
    ]


def bracket_gaps(tune: dict, contender: str) -> list[float]:
    """How much worse (validation bits/char) each tried neighbour of ``contender``'s choice
    scored, on every axis: the margins by which its optimum is bracketed."""
    return [gap for _, gap in _named_gaps(tune, contender)]


def tune_table(tune: dict) -> str:
    """Every counted trial of the search (validation bits/char at the budget, steps, speed),
    the chosen one marked; then per contender: trials, disturbed trials re-run, CPU time,
    whether its optimum is bracketed, and :func:`bracket_text`."""
    runs = _check(tune)["runs"]
    summary = tune.get("summary", {})
    rows = []
    for run in runs:
        name, s = run["contender"], run["settings"]
        chosen = summary.get(name, {}).get("chosen") == s and run.get("quiet") is not False
        mark = "<- chosen" if chosen else ("disturbed, re-run" if run.get("quiet") is False else "")
        share = run.get("others_cpu_share")
        rows.append(
            [
                name,
                f"{s['learning_rate']:g}",
                f"{s['batch_size']} x {s['seq_length']}",
                f"{s.get('weight_decay', 0.0):g}",
                f"{_bits(run):.3f}",
                f"{run['steps']:,}",
                f"{run['chars_per_second']:,.0f}",
                "?" if share is None else f"{share:.0%}",
                mark,
            ]
        )
    header = [
        "contender", "learning rate", "batch x length", "weight decay", "validation bits",
        "steps", "chars/s", "others' CPU", "",
    ]  # fmt: skip
    lines = [table(header, rows, align="lrrrrrrrl")]
    lines.append(
        f"{tune.get('minutes', '?'):g} min per trial, seed 0, scored on the validation split "
        f"(state carried); others' CPU: the share of the machine other processes used during "
        f"the trial (a trial above the search's quiet limit is re-run); "
        f"{str(tune.get('date', '?'))[:10]}"
        + ("" if tune.get("finished") else "; the search has NOT finished")
    )
    if summary:
        lines.append(
            f"in all: {sum(r['trials'] for r in summary.values())} trials that count, "
            f"{sum(r['disturbed_trials'] for r in summary.values())} disturbed and re-run, "
            f"{sum(r.get('cpu_seconds') or 0 for r in runs) / 3600:.1f} CPU-hours, the "
            "disturbed trials included (per contender below: its counted trials only)"
        )
    for name, row in summary.items():
        lines.append(
            f"{name}: {row['trials']} trials ({row['disturbed_trials']} more disturbed and "
            f"re-run), {row['cpu_seconds'] / 60:.0f} CPU-minutes, "
            + (
                "optimum bracketed on every axis (each side tried and worse, or the bound)"
                if row["bracketed"]
                else "NOT bracketed"
            )
        )
        lines.append("  " + bracket_text(tune, name))
    if tune.get("notes"):
        lines.append(notes_text(tune))
    return "\n".join(lines)


def tuning_text(report: dict, contender: str) -> str:
    """How ``contender`` was tuned, from the search summary a race recorded
    (``report["tuning"]["search"]``): its trials and whether its optimum was bracketed."""
    row = report.get("tuning", {}).get("search", {}).get(contender)
    if row is None:
        return f"{contender}: no tuning record"
    bracket = "bracketed on every axis" if row.get("bracketed") else "NOT bracketed"
    text = f"{contender}: {row['trials']} trials of the same search, optimum {bracket}"
    if contender == LESSON:
        text += (
            " (its fixed shape, width 256, embedding 64, sequence 50, came from an earlier "
            "search scored on text overlapping the test split, commit 9b00261)"
        )
    return text


def noise_text(tune: dict, contender: str, seed_values) -> str:
    """Whether ``contender``'s bracket is wider than the luck of one seed per trial.

    ``seed_values``: one setting's scores over seeds (say, the race's at the same budget,
    on test). A neighbour worse by less than :func:`~course_utils.core.evidence.separation`
    of them (the 95 % t interval of the gap of two single runs) cannot be told apart from
    the choice. A rough screen: the chosen trial is the best of several, which flatters
    its margins, and all trials shared seed 0, so their luck is not independent."""
    seeds = spread(seed_values, "seed_values")
    limit = separation(seed_values, name="seed_values")
    named = _named_gaps(tune, contender)
    if not named:
        return f"{contender}: no neighbour tried, nothing bracketed"
    ties = [g for _, g in named if g < limit]
    each = ", ".join(
        f"{name} +{gap:.3f}" + (" (within)" if gap < limit else "") for name, gap in named
    )
    return (
        f"{contender}: two single runs of one setting differ by luck within ±{limit:.3f} bits "
        f"in {LEVEL:.0%} of pairs (t interval, spread {seeds.std:.3f} over {seeds.n} seeds); "
        f"neighbours worse by: {each}: "
        + (
            f"{len(ties)} of {len(named)} not distinguishable from the choice"
            if ties
            else "every neighbour is worse by more than that"
        )
    )


def search_point(tune: dict) -> str:
    """One sentence for a summary: how many contenders' optima the search bracketed on
    every axis, in how many trials each (from ``tune["summary"]``)."""
    summary = _check(tune).get("summary") or {}
    if not summary:
        raise ValueError("tune has no summary: the search has not chosen anything yet.")
    trials = sorted({row["trials"] for row in summary.values()})
    bracketed = [name for name, row in summary.items() if row["bracketed"]]
    return (
        f"The search bracketed {len(bracketed)} of {len(summary)} contenders' optima on every "
        f"axis within {'/'.join(map(str, trials))} trials each"
        + (f" ({', '.join(bracketed)})" if bracketed else "")
        + "; the bracket lines and the noise screen show which neighbours lie within one-seed "
        "luck, so the choices are the best of what was tried, not proven optima."
    )
