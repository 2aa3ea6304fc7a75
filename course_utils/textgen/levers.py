"""Reading the race's levers (``benchmarks/textgen_levers.py``) in lesson 06's appendix.

Each lever changes one thing of the lesson GRU's tuned settings (precision, XLA, threads,
unrolling, stateful training, depth, dropout, embedding size) and trains for the race's
budget at seed 0, scored on the validation split, each in its own process, the baseline
run first and last. One seed per lever: each row is an observation. The two baselines'
difference is the run-to-run noise a lever's change has to exceed before it says anything.
"""

from __future__ import annotations

from course_utils.core.evidence import LEVEL, separation
from course_utils.core.tables import table
from course_utils.textgen.benchmark import notes_text

__all__ = ["levers_table"]


def _bits(run: dict) -> float:
    return run["checkpoints"][-1]["bits_per_char"]


def _diverged(run: dict) -> bool:
    """A run whose last score is worse than its first checkpoint's: it learnt, then lost it.
    (Not the statistics core's "did not train", which measures from the uniform guess.)"""
    return len(run["checkpoints"]) > 1 and _bits(run) > run["checkpoints"][0]["bits_per_char"]


def _cores(run: dict) -> str:
    """The CPU cores the run kept busy on average (its CPU seconds over its wall time)."""
    wall = sum(run.get(k) or 0.0 for k in ("train_seconds", "warmup_seconds", "eval_seconds"))
    return "?" if not run.get("cpu_seconds") or wall <= 0 else f"{run['cpu_seconds'] / wall:.2f}"


def levers_table(report: dict, seed_values=None) -> str:
    """Every lever's validation bits/char after the budget beside the baseline's (the mean
    of its first and last run), its change, characters per second, steps, the CPU cores it
    kept busy and the share of the CPU other processes used; a run disturbed and run again
    is left out, a slot's second disturbed run counts and is marked; a run whose score
    ended worse than at its first checkpoint is marked as diverged. ``seed_values``: the
    baseline settings' scores over seeds (say, the race's): a change within their
    :func:`~course_utils.core.evidence.separation` is not distinguishable from the
    baseline."""
    if not isinstance(report, dict) or not isinstance(report.get("runs"), list):
        raise TypeError("report must be textgen_levers.json's dict, with a 'runs' list.")
    runs = [r for r in report["runs"] if r.get("quiet") is not False or _last_try(report, r)]
    baselines = [r for r in runs if r["lever"] == "baseline"]
    if not baselines:
        raise ValueError("report has no baseline run: nothing to compare the levers with.")
    base = sum(_bits(r) for r in baselines) / len(baselines)
    base_speed = sum(r["chars_per_second"] for r in baselines) / len(baselines)
    rows = []
    for run in runs:
        share = run.get("others_cpu_share")
        rows.append(
            [
                run["lever"] + (" (diverged)" if _diverged(run) else ""),
                f"{_bits(run):.3f}",
                f"{_bits(run) - base:+.3f}",
                f"{run['chars_per_second']:,.0f}",
                f"{run['chars_per_second'] / base_speed:.2f}x",
                f"{run['steps']:,}",
                _cores(run),
                ("?" if share is None else f"{share:.0%}")
                + (" (disturbed twice)" if run.get("quiet") is False else ""),
            ]
        )
    header = [
        "lever (one change)", "validation bits", "vs baseline", "chars/s", "speed",
        "steps", "cores busy", "others' CPU",
    ]  # fmt: skip
    lines = [table(header, rows, align="lrrrrrrr")]
    band = sorted(r["chars_per_second"] / base_speed for r in baselines)
    noise = (
        f"the baseline's two runs (same seed, the first and the last run, not interleaved) "
        f"differ by {abs(_bits(baselines[0]) - _bits(baselines[-1])):.3f} bits and ran at "
        f"{band[0]:.2f}x and {band[-1]:.2f}x of their mean speed: a speed inside that band is "
        "no sign of a change, and one outside it is a single-run observation, not a ratio "
        "(that needs interleaved repeats)"
        if len(baselines) > 1
        else "one baseline run"
    )
    if seed_values is not None:
        limit = separation(seed_values, name="seed_values")
        noise += (
            f"; a change within {limit:.3f} bits (two single runs' "
            f"{LEVEL:.0%} t interval over {len(seed_values)} seeds; a rough screen, since "
            "every lever shares seed 0) is not distinguishable from the baseline"
        )
        beyond = [
            f"{r['lever']} ({_bits(r) - base:+.3f}" + (", diverged)" if _diverged(r) else ")")
            for r in runs
            if r["lever"] != "baseline" and abs(_bits(r) - base) > limit
        ]
        noise += "; beyond it: " + (", ".join(beyond) if beyond else "no lever")
    lines.append(
        f"{report.get('minutes', '?'):g} min each, seed 0, validation split (state carried), "
        f"each in its own process, in this order; baseline {base:.3f} bits (mean of its runs), "
        f"{base_speed:,.0f} chars/s; {noise}. One seed per lever: observations, not verdicts."
    )
    threads = (report.get("machine") or {}).get("threads")
    if isinstance(threads, dict):
        lines.append(
            f"the baseline's threads: {threads.get('intra_op')} intra-op, "
            f"{threads.get('inter_op')} inter-op; {threads.get('note', '')}; cores busy: "
            "the run's CPU seconds over its wall time"
        )
    if diverged := [r["lever"] for r in runs if _diverged(r)]:
        lines.append(
            "diverged: "
            + ", ".join(diverged)
            + " (its score at the end is worse than at its first checkpoint): its row says "
            "that this run failed, not what the lever is worth"
        )
    if report.get("notes"):
        lines.append(notes_text(report))
    return "\n".join(lines)


def _last_try(report: dict, run: dict) -> bool:
    """A disturbed run counts when it was its slot's second try (the script tries twice)."""
    tries = [r for r in report["runs"] if r.get("slot") == run.get("slot")]
    return run.get("slot") is not None and len(tries) > 1 and tries[-1] is run
