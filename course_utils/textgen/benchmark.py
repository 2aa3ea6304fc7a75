"""Reading the committed results of ``benchmarks/textgen.py`` in lesson 06.

The benchmark trains the lesson's character model and TensorFlow's tutorial model for
the same wall-clock time and writes ``benchmarks/results/textgen.json``; the lesson
shows its table and checks its own live run against it.
"""

from __future__ import annotations

from pathlib import Path

from course_utils.results import agreement

from ..validation import check_number

__all__ = ["BENCHMARK_PATH", "benchmark_table", "compare_live_run"]

BENCHMARK_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "textgen.json"
METRICS = {"bits_per_char": "carried", "bits_per_char_window": "window 100"}


def _runs(report: dict) -> list[dict]:
    if not isinstance(report, dict) or not isinstance(report.get("runs"), list):
        raise TypeError("report must be the benchmark's JSON dict, with a 'runs' list.")
    return report["runs"]


def benchmark_table(report: dict) -> str:
    """Held-out bits per character at each checkpoint, and characters per second, per model."""
    runs = _runs(report)
    marks = sorted({c["target_minutes"] for run in runs for c in run["checkpoints"]})
    lines = [
        f"{'model (held-out score)':<34}"
        + "".join(f"{m:>8g} min" for m in marks)
        + f"{'chars/s':>10}"
    ]
    for run in runs:
        got = {c["target_minutes"]: c for c in run["checkpoints"]}
        for metric, how in METRICS.items():
            cells = "".join(f"{got[m][metric]:>12.3f}" if m in got else f"{'-':>12}" for m in marks)
            lines.append(
                f"{run['label'] + ' (' + how + ')':<34}{cells}{run['chars_per_second']:>10,.0f}"
            )
    load = report.get("load_average_1min", {})
    lines.append(
        f"measured {report.get('date', '?')}, {report.get('machine', {}).get('cpu_count', '?')} "
        f"CPUs, 1-minute load average {load.get('start', float('nan')):.1f} at start, "
        f"{load.get('end', float('nan')):.1f} at end"
    )
    return "\n".join(lines)


def compare_live_run(report: dict, log, minutes: float, *, tolerance: float = 0.1) -> str:
    """Say whether a live run of the lesson model agrees with the committed one.

    ``log`` is the live :class:`~course_utils.textgen.train.TrainingLog`. The benchmark
    holds one committed run, so the course's rule (:func:`course_utils.results.agreement`)
    reduces to its floor: the final carried bits per character differ by at most
    ``tolerance``. The message also compares the training speeds, which explain most
    differences.
    """
    runs = _runs(report)
    minutes = check_number("minutes", minutes, minimum=0, strict_minimum=True)
    tolerance = check_number("tolerance", tolerance, minimum=0)
    lesson = next((r for r in runs if r["label"].startswith("lesson")), None)
    committed = (
        None
        if lesson is None
        else {c["target_minutes"]: c for c in lesson["checkpoints"]}.get(minutes)
    )
    if committed is None:
        return (
            f"The committed benchmark has no {minutes:g}-minute score for the lesson model "
            "(fast mode trains for less): nothing to compare."
        )
    live, then = log.checkpoints[-1]["bits_per_char"], committed["bits_per_char"]
    agrees, _, _ = agreement(live, [then], rel_floor=0.0, abs_floor=tolerance)
    verdict = "agrees" if agrees else "does NOT agree"
    return (
        f"live run {live:.3f} bits/char vs committed {then:.3f} (difference {live - then:+.3f}): "
        f"{verdict} within {tolerance} bits.\nTraining speed: live {log.chars_per_second:,.0f} "
        f"chars/s vs committed {lesson['chars_per_second']:,.0f} chars/s; a faster machine "
        "trains on more text in the same minutes."
    )
