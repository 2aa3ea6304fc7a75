"""Reading the tutorial's full recipe (``benchmarks/textgen_recipe.py``) in lesson 06's
appendix: TensorFlow's text-generation tutorial trained as published (batch 64, windows of
100, constant Adam 1e-3, 20 epochs), once, on the race's machine and test rows. Beside the
race's 5-minute rows it shows what the race's budget cuts off.
"""

from __future__ import annotations

from course_utils.core.results import QUIET_SHARE
from course_utils.core.tables import table
from course_utils.textgen.benchmark import notes_text

__all__ = ["recipe_table"]


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
            f"{e['bits_per_char']:.3f}",
            f"{e['bits_per_char_window']:.3f}",
            f"{e['train_bits']:.3f}",
        ]
        for e in report["epochs"]
    ]
    header = [
        "epoch", "steps", "chars seen", "train minutes", "test bits (carried)",
        "test bits (window 100)", "train bits",
    ]  # fmt: skip
    lines = [table(header, rows)]
    done = report.get("finished")
    quiet = report.get("quiet_epoch_seconds_median")
    lines.append(
        f"one seed; {report.get('steps_per_epoch', '?')} steps of {per_step:,} characters per "
        f"epoch; train minutes: wall-clock training time so far, scoring excluded"
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
