"""Reading the tutorial's full recipe (``benchmarks/textgen_recipe.py``) in lesson 06's
appendix: TensorFlow's text-generation tutorial trained with its published settings
(batch 64, windows of 100, constant Adam 1e-3, the 20 epochs its code sets), once, on the
race's training split and scored on the race's test rows. Beside the race's 5-minute rows
it shows what a far longer run gives the tutorial's architecture.
"""

from __future__ import annotations

from course_utils.core.evidence import spread
from course_utils.core.results import QUIET_SHARE
from course_utils.core.tables import table
from course_utils.textgen.benchmark import (
    LESSON,
    TUTORIAL,
    contender_values,
    notes_text,
    on_backends,
)

__all__ = ["recipe_against_race", "recipe_table"]


def _busy_epochs(report: dict) -> list[int]:
    """The epochs during which other processes used more than the quiet share of the CPU."""
    return [
        e["epoch"]
        for e in report.get("epoch_seconds", [])
        if (e.get("others_cpu_share") or 0) > QUIET_SHARE
    ]


def _whole_text_steps(report: dict) -> int | None:
    """Steps in one of the tutorial's own epochs: a pass over the whole text (all three
    splits), cut into windows of ``seq_length + 1`` and batched, as the tutorial does."""
    chars = report.get("data", {}).get("chars")
    s = report["settings"]
    if not chars:
        return None
    return (sum(chars.values()) - 1) // (s["seq_length"] + 1) // s["batch_size"]


def _pace(report: dict) -> str:
    """How long an epoch took: the quiet epochs' median when some epochs shared the
    machine, else the mean and range of all of them."""
    busy, quiet = _busy_epochs(report), report.get("quiet_epoch_seconds_median")
    if busy and quiet:
        return f"a quiet epoch took {quiet / 60:.1f} min (median)"
    seconds = [e["seconds"] for e in report.get("epoch_seconds", [])]
    if not seconds:
        return ""
    return (
        f"an epoch took {sum(seconds) / len(seconds) / 60:.1f} min on average "
        f"({min(seconds) / 60:.1f}-{max(seconds) / 60:.1f})"
    )


def recipe_table(report: dict) -> str:
    """The recipe's test bits/char (state carried, and windows of 100 on the same
    positions) after each scored epoch, with its steps, characters, wall and CPU minutes
    and its training loss in bits."""
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
            f"{e['train_cpu_minutes']:.1f}" if e.get("train_cpu_minutes") is not None else "?",
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
    whole = _whole_text_steps(report)
    pace = _pace(report)
    lines.append(
        f"one seed; an epoch here is one pass over the race's training split: "
        f"{report.get('steps_per_epoch', '?')} steps of {per_step:,} characters"
        + (f" (the tutorial's epoch, over the whole text: {whole:,} steps)" if whole else "")
        + "; train minutes: wall-clock training time so far, scoring excluded; CPU minutes: "
        "the process's CPU time over the same epochs, all its threads together (up to twice "
        "the wall minutes on 2 cores; the race's budget is wall time)"
        + (f"; {pace}" if pace else "")
        + ("" if report.get("finished") else "; the run has NOT finished")
        + f"; {str(report.get('date', '?'))[:10]}"
    )
    lines.append(
        "train bits: Keras's running mean of the training loss over the epoch's batches "
        "(windows that start with no context, weights still changing), not a score of a "
        "fixed model like the test columns: read its trend beside theirs, not its level"
    )
    busy = _busy_epochs(report)
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


def _first_at_or_below(report: dict, bits: float) -> str:
    """When the recipe's test score first reached ``bits``, in words."""
    reached = next((e for e in report["epochs"] if e["bits_per_char"] <= bits), None)
    if reached is None:
        return "none of the recipe's scored epochs reached it"
    return (
        f"the recipe first scored at or below it after epoch {reached['epoch']} "
        f"({reached['train_minutes']:.0f} wall minutes)"
    )


def _unscored(report: dict) -> str:
    """The epochs up to the last scored one that were not scored, as ranges: "6-9, 11-19"."""
    scored = {e["epoch"] for e in report["epochs"]}
    missing = [e for e in range(1, max(scored)) if e not in scored]
    runs = [[e] for e in missing[:1]]
    for epoch in missing[1:]:  # group consecutive epochs into runs
        if epoch == runs[-1][-1] + 1:
            runs[-1].append(epoch)
        else:
            runs.append([epoch])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def recipe_against_race(report: dict, race: dict, baselines: dict | None = None) -> str:
    """The recipe against the race, one line each: its last scored epoch; its first epoch
    beside the race's tutorial row at the race's budget (about the same wall time); its
    lowest test score among the scored epochs, picked on test; the race's 5-minute rows for
    the tutorial's architecture and the lesson GRU (mean ± spread over the race's seeds,
    with their range); and the best of ``baselines`` (name -> test bits, from
    :func:`course_utils.textgen.ngram.ngram_bits_per_char`), each with the recipe's first
    scored epoch at or below it. The recipe ran once: observations, not verdicts."""
    if not isinstance(report, dict) or not report.get("epochs"):
        raise ValueError("report must be textgen_recipe.json's dict with a scored epoch.")
    if not isinstance(race, dict) or "minutes" not in race:
        raise TypeError("race must be textgen.json's dict, with its 'minutes'.")
    if baselines is not None and not isinstance(baselines, dict):
        raise TypeError(f"baselines must be a dict of name -> bits or None; got {baselines!r}.")
    epochs, minutes = report["epochs"], race["minutes"]
    first, last = epochs[0], epochs[-1]
    per_step = report["settings"]["batch_size"] * report["settings"]["seq_length"]
    quiet = report.get("quiet_epoch_seconds_median")
    paced = (
        f" (about {last['epoch'] * quiet / 60:.0f} at a quiet epoch's pace)"
        if quiet and _busy_epochs(report)
        else ""
    )
    lines = [
        f"the tutorial's recipe, epoch {last['epoch']} (seed 0, one run): "
        f"{last['bits_per_char']:.3f} test bits after {last['steps']:,} steps, "
        f"{last['train_minutes']:.0f} wall minutes{paced}"
        + ("" if report.get("finished") else "; NOT finished")
    ]
    trained_on = report.get("machine", {}).get("keras_backend")  # the recipe's process
    recipe_backend = f", on {trained_on}" if trained_on else ""
    tutorial = spread(contender_values(race, TUTORIAL, minutes))  # over the race's seeds
    seen = spread(contender_values(race, TUTORIAL, minutes, "chars")).mean
    lines.append(
        f"at about the race's budget: the recipe's epoch {first['epoch']} after "
        f"{first['train_minutes']:.1f} wall minutes and {first['steps'] * per_step / 1e6:.1f} M "
        f"characters scored {first['bits_per_char']:.3f}{recipe_backend}; the race's {TUTORIAL} "
        f"(same architecture, the race's tuned settings{on_backends(race, TUTORIAL)}) after {minutes:g} "
        "minutes and "
        f"{seen / 1e6:.1f} M characters: {tutorial.text(3, fixed=True)}"
    )
    best = min(epochs, key=lambda e: e["bits_per_char"])
    if best is not last:
        unscored = _unscored(report)
        lines.append(
            f"its lowest test score among the scored epochs: epoch {best['epoch']}, "
            f"{best['bits_per_char']:.3f} ({best['train_minutes']:.0f} wall minutes), picked "
            "on test, which flatters it (the run scored no validation text)"
            + (f"; epochs {unscored} were not scored" if unscored else "")
            + f"; from there to epoch {last['epoch']} its train bits went from "
            f"{best['train_bits']:.3f} to {last['train_bits']:.3f} and its test bits from "
            f"{best['bits_per_char']:.3f} to {last['bits_per_char']:.3f}"
            + (
                ": it fit its training text more closely and held-out text worse "
                "(overfitting); the tutorial holds out no text and never stops early, so "
                "nothing in its recipe notices"
                if last["train_bits"] < best["train_bits"]
                else ""
            )
        )
    for name, s in (
        (TUTORIAL, tutorial),
        (LESSON, spread(contender_values(race, LESSON, minutes))),
    ):
        lines.append(
            f"{name} in the race after {minutes:g} minutes: {s.text(3, fixed=True)} "
            f"[{s.low:.3f}-{s.high:.3f}]; {_first_at_or_below(report, s.mean)}"
        )
    if baselines:
        name, bits = min(baselines.items(), key=lambda kv: kv[1])
        lines.append(
            f"the best of the count baselines above ({name}, picked on test): {bits:.3f}; "
            f"{_first_at_or_below(report, bits)}"
            + (
                f", and its epoch {last['epoch']} is above it again"
                if last["bits_per_char"] > bits and any(e["bits_per_char"] <= bits for e in epochs)
                else ""
            )
        )
    return "\n".join(lines)
