"""Reading the tutorial's full recipe (``benchmarks/textgen_recipe.py``) in lesson 06's
appendix: TensorFlow's text-generation tutorial trained as published (batch 64, windows of
100, constant Adam 1e-3, 20 epochs), once, on the race's machine and test rows. Beside the
race's 5-minute rows it shows what the race's budget cuts off.
"""

from __future__ import annotations

from course_utils.core.evidence import spread
from course_utils.core.results import QUIET_SHARE
from course_utils.core.tables import table
from course_utils.textgen.benchmark import LESSON, contender_values, notes_text

__all__ = ["TUTORIAL", "recipe_against_race", "recipe_table"]

TUTORIAL = "tutorial GRU-1024"  # the race's contender with the recipe's architecture


def recipe_table(report: dict) -> str:
    """The recipe's test bits/char (state carried, and windows of 100 on the same
    positions) after each scored epoch, with its steps, characters and training minutes."""
    if not isinstance(report, dict) or not isinstance(report.get("epochs"), list):
        raise TypeError("report must be textgen_recipe.json's dict, with an 'epochs' list.")
    if not report["epochs"]:
        raise ValueError("report has no scored epoch yet.")
    s = report["settings"]
    per_step = s["batch_size"] * s["seq_length"]
    rows = [
        [
            str(e["epoch"]),
            f"{e['steps']:,}",
            f"{e['steps'] * per_step / 1e6:.1f} M",
            f"{e['train_minutes']:.1f}",
            f"{e['train_cpu_minutes']:.1f}" if "train_cpu_minutes" in e else "?",
            f"{e['bits_per_char']:.3f}",
            f"{e['bits_per_char_window']:.3f}",
            f"{e['train_bits']:.3f}",
        ]
        for e in report["epochs"]
    ]
    header = [
        "epoch", "steps", "chars seen", "train minutes", "CPU minutes", "test bits (carried)",
        "test bits (window 100)", "train bits",
    ]  # fmt: skip
    lines = [table(header, rows)]
    done = report.get("finished")
    quiet = report.get("quiet_epoch_seconds_median")
    lines.append(
        f"one seed; {report.get('steps_per_epoch', '?')} steps of {per_step:,} characters per "
        f"epoch; train minutes: wall-clock training time so far, scoring excluded; CPU "
        "minutes: the process's CPU time over the same epochs, all its threads together"
        + (f"; a quiet epoch took {quiet / 60:.1f} min (median)" if quiet else "")
        + ("" if done else "; the run has NOT finished")
        + f"; {str(report.get('date', '?'))[:10]}"
    )
    busy = [
        e["epoch"]
        for e in report.get("epoch_seconds", [])
        if (e.get("others_cpu_share") or 0) > QUIET_SHARE
    ]
    if busy:
        lines.append(
            f"epochs {', '.join(map(str, busy))} shared the machine (other processes above "
            f"{QUIET_SHARE:.0%} of the CPU): their minutes are longer than a quiet epoch's; "
            "the scores do not depend on it"
        )
    if report.get("resumed_at_epoch"):
        lines.append(
            "resumed from its saved model at epoch(s) "
            + ", ".join(map(str, report["resumed_at_epoch"]))
            + " (the remaining epochs shuffled with another seed)"
        )
    if report.get("notes"):
        lines.append(notes_text(report))
    return "\n".join(lines)


def _quiet_minutes(report: dict, epoch: int) -> float | None:
    """Minutes ``epoch`` epochs take at the median quiet epoch's pace (None without one)."""
    quiet = report.get("quiet_epoch_seconds_median")
    return epoch * quiet / 60 if quiet else None


def recipe_against_race(report: dict, race: dict) -> str:
    """The recipe's last scored epoch set beside the race's 5-minute rows: the tutorial's
    architecture trained the race's way, and the lesson GRU (mean ± spread over the race's
    seeds, with their range); then the recipe's first scored epoch at or below each. One
    seed of the recipe: observations, not verdicts."""
    if not isinstance(report, dict) or not report.get("epochs"):
        raise ValueError("report must be textgen_recipe.json's dict with a scored epoch.")
    if not isinstance(race, dict) or "minutes" not in race:
        raise TypeError("race must be textgen.json's dict, with its 'minutes'.")
    last, minutes = report["epochs"][-1], race["minutes"]
    quiet = _quiet_minutes(report, last["epoch"])
    lines = [
        f"the tutorial's recipe, epoch {last['epoch']} (seed 0, one run): "
        f"{last['bits_per_char']:.3f} test bits after {last['steps']:,} steps, "
        f"{last['train_minutes']:.0f} wall minutes"
        + (f" (about {quiet:.0f} at a quiet epoch's pace)" if quiet else "")
        + ("" if report.get("finished") else "; NOT finished")
    ]
    for name in (TUTORIAL, LESSON):
        values = contender_values(race, name, minutes)  # (seeds,)
        s = spread(values)
        reached = next((e for e in report["epochs"] if e["bits_per_char"] <= s.mean), None)
        where = (
            f"the recipe first scored at or below that mean after epoch {reached['epoch']} "
            f"({reached['train_minutes']:.0f} wall minutes)"
            if reached
            else "none of the recipe's scored epochs reached that mean"
        )
        lines.append(
            f"{name} in the race after {minutes:g} minutes: {s.text(3, fixed=True)} "
            f"[{s.low:.3f}-{s.high:.3f}]; {where}"
        )
    return "\n".join(lines)
