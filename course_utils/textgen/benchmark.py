"""Reading the committed character-model race of ``benchmarks/textgen.py`` in lesson 06.

The race reads its settings from the tuning search, ``textgen_tune.json`` (read by
:mod:`course_utils.textgen.tuning`), and writes ``textgen.json``: the chosen settings over
3 seeds, interleaved, scored on the test split at 1, 2 and 5 minutes. The lesson shows
both in its appendix (``notebooks/06b_benchmark_race.ipynb``), and checks a live run
against the race with the course's one agreement rule. Every table gives the same runs the
same way, as the verdicts do: mean ± sample standard deviation over seeds, from
:func:`course_utils.core.evidence.spread`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from course_utils.core.evidence import seeds_text, spread
from course_utils.core.tables import table
from course_utils.core.validation import check_number

__all__ = [
    "BENCHMARK_PATH",
    "LABELS",
    "LESSON",
    "TUTORIAL",
    "backends_table",
    "benchmark_table",
    "budget_table",
    "contender_backends",
    "contender_values",
    "disturbed_text",
    "notes_text",
    "on_backends",
    "race_backends_text",
]

BENCHMARK_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "textgen.json"
METRICS = {"bits_per_char": "carried", "bits_per_char_window": "window 100"}
LESSON = "lesson GRU-256"  # the lesson's contender in both files
TUTORIAL = "tutorial GRU-1024"  # the race's contender with the tutorial's architecture
#: The settings the backends table prints for the model it trained.
_BACKEND_SHOWN = ("batch_size", "seq_length", "learning_rate", "weight_decay", "clipnorm")
#: What a contender's name does not say, printed under every race table that shows it.
LABELS = {
    TUTORIAL: "the architecture of TensorFlow's tutorial (embedding 256, GRU 1024), "
    "trained the race's way: tuned settings, 5 minutes; not the tutorial's own recipe",
    "minGRU 2x256": "lesson 09's minGRU in two residual blocks of width 256",
}


def _runs(report: dict) -> list[dict]:
    """The runs that count: a run marked ``disturbed`` (other processes took more than the
    race's quiet share of the CPU while it ran) was run again and is left out."""
    if not isinstance(report, dict) or not isinstance(report.get("runs"), list):
        raise TypeError("report must be the benchmark's JSON dict, with a 'runs' list.")
    return [r for r in report["runs"] if not r.get("disturbed")]


def contender_backends(report: dict, contender: str) -> list[str]:
    """The Keras backends ``contender``'s counted runs trained on, sorted; ``[]`` for runs
    recorded before the race offered a choice of backend (all on TensorFlow)."""
    names = {r.get("contender") for r in _runs(report)}
    if contender not in names:
        raise ValueError(f"contender must be one of {sorted(names)}; got {contender!r}.")
    return sorted(
        {r["backend"] for r in _runs(report) if r.get("contender") == contender and "backend" in r}
    )


def on_backends(report: dict, contender: str) -> str:
    """``", on jax"``: :func:`contender_backends` as a clause, or ``""`` when none is recorded."""
    backends = contender_backends(report, contender)
    return f", on {', '.join(backends)}" if backends else ""


def disturbed_text(report: dict) -> str:
    """ "" or a sentence counting the runs left out as disturbed, with their CPU shares."""
    shares = [r.get("others_cpu_share") for r in report["runs"] if r.get("disturbed")]
    if not shares:
        return ""
    shown = ", ".join("?" if s is None else f"{s:.0%}" for s in shares)
    return (
        f"{len(shares)} run(s) left out and run again: other processes used {shown} of the "
        "CPU while they ran"
    )


def _marks(runs: list[dict]) -> list[float]:
    """Every checkpoint (training minutes) any run recorded, in order."""
    return sorted({c["target_minutes"] for r in runs for c in r["checkpoints"]})


def _values_at(runs: list[dict], minutes: float, metric: str = "bits_per_char") -> list[float]:
    """One value per run: ``metric`` at the checkpoint of ``minutes``."""
    return [c[metric] for r in runs for c in r["checkpoints"] if c["target_minutes"] == minutes]


def contender_values(report: dict, contender: str, minutes: float, metric: str = "bits_per_char"):
    """One value per seed: ``metric`` of ``contender`` at ``minutes`` of training."""
    runs = [r for r in _runs(report) if r.get("contender") == contender]
    if not runs:
        names = sorted({r.get("contender") for r in _runs(report)})
        raise ValueError(f"contender must be one of {names}; got {contender!r}.")
    return _values_at(runs, minutes, metric)


def _spread(values: list[float], digits: int = 3) -> str:
    """``"2.284 ± 0.015"``: the course's one mean ± spread (the table says how many seeds)."""
    return spread(values).text(digits, fixed=True, counted=False)


def _over(seeds: int) -> str:
    """How a table counts its seeds: a spread needs two; one seed is one run, shown bare."""
    return f"mean ± spread over {seeds_text(seeds)}" if seeds > 1 else "1 seed: one run, no spread"


def _speeds(runs: list[dict], contender: str) -> list[float]:
    return [r["chars_per_second"] for r in runs if r.get("contender") == contender]


def _matmul_share(report: dict, contender: str) -> float:
    """Mean achieved training FLOP/s of ``contender``'s runs over the best matmul rate."""
    flops = [r["achieved_flops"] for r in _runs(report) if r.get("contender") == contender]
    rate = max(report.get("matmul_flops") or [float("nan")])
    return spread(flops).mean / rate if flops else float("nan")


def notes_text(report: dict) -> str:
    """The JSON's ``notes`` (what went wrong, what was ruled out), one "note:" line each."""
    notes = report.get("notes") or []
    return "\n".join(f"note {i}: {note}" for i, note in enumerate(notes, 1))


def budget_table(report: dict) -> str:
    """What each contender trained on in its budget: optimiser steps, characters seen and
    passes over the training split (epochs), mean over seeds at every checkpoint."""
    runs = _runs(report)
    contenders = list(dict.fromkeys(r["contender"] for r in runs))
    marks = _marks(runs)
    train_chars = report.get("data", {}).get("chars", {}).get("train")
    rows = []
    for name in contenders:
        mine = [r for r in runs if r["contender"] == name]
        cells = []
        for m in marks:
            chars = spread(_values_at(mine, m, "chars")).mean
            epochs = f" ({chars / train_chars:.2f} epochs)" if train_chars else ""
            cells.append(f"{chars / 1e6:.2f} M{epochs}")
        steps = spread([r["steps"] for r in mine]).mean
        per_step = int(np.prod([mine[0]["settings"][k] for k in ("batch_size", "seq_length")]))
        rows.append([name, *cells, f"{steps:,.0f}", f"{per_step:,}"])
    header = ["contender", *(f"chars seen by {m:g} min" for m in marks), "steps", "chars/step"]
    lines = [table(header, rows, align="l" + "r" * (len(marks) + 2))]
    lines.append(
        f"means over the seeds; an epoch is one pass over the {train_chars:,} training "
        "characters; steps: optimiser updates in the full budget"
        if train_chars
        else "means over the seeds"
    )
    if report.get("notes"):
        lines.append(notes_text(report))
    return "\n".join(lines)


def benchmark_table(report: dict, baselines: dict | None = None) -> str:
    """Test bits/char per contender at each checkpoint (mean ± spread over seeds),
    training speed and the share of the machine's matmul rate it achieves.

    ``baselines``: name -> test bits/char of a model that needs no training (say, the
    count models of :mod:`course_utils.textgen.ngram`), scored on the same rows and
    positions as "carried"; each becomes a row with the same value at every budget.
    """
    runs = _runs(report)
    contenders = list(dict.fromkeys(r["contender"] for r in runs))
    if not runs:
        raise ValueError("report has no runs that count (every run was disturbed or none ran).")
    marks = _marks(runs)
    header = [
        "contender (test score)", *(f"{m:g} min" for m in marks), "chars/s", "of matmul",
        "steps", "TFLOP",
    ]  # fmt: skip
    rows = []
    for name in contenders:
        mine = [r for r in runs if r["contender"] == name]
        speed, share = spread(_speeds(runs, name)).mean, _matmul_share(report, name)
        steps = spread([r["steps"] for r in mine]).mean
        tflop = spread([r["chars"] * r["training_flops_per_char"] for r in mine]).mean / 1e12
        for metric, how in METRICS.items():
            cells = []
            for m in marks:
                values = contender_values(report, name, m, metric)
                cells.append(_spread(values) if values else "-")
            tail = (
                [f"{speed:,.0f}", f"{share:.1%}", f"{steps:,.0f}", f"{tflop:.0f}"]
                if metric == "bits_per_char"
                else [""] * 4
            )
            rows.append([f"{name} ({how})", *cells, *tail])
    for name, bits in (baselines or {}).items():
        bits = check_number(f"baselines[{name!r}]", bits, minimum=0.0)
        rows.append([f"{name} (carried positions)", *([f"{bits:.3f}"] * len(marks)), *"----"])
    lines = [table(header, rows)]
    seeds = max(len(contender_values(report, n, marks[-1])) for n in contenders)
    rate = max(report.get("matmul_flops") or [float("nan")])
    load = report.get("load_average_1min", {})
    lines.append(
        f"mean ± spread over {seeds_text(seeds)}, runs interleaved (chars/s, matmul share, "
        f"optimiser steps and training TFLOP in the full budget: means); measured "
        f"{str(report.get('date', '?'))[:10]} on {report.get('machine', {}).get('cpu_count', '?')} "
        f"CPUs (matmul {rate / 1e9:.0f} GFLOP/s float32 with tf.matmul, the yardstick of "
        "every share, whatever backend a model trained on), 1-minute load average "
        f"{load.get('start', float('nan')):.1f} at start, {load.get('end', float('nan')):.1f} at end"
    )
    lines += [f"{name}: {LABELS[name]}" for name in contenders if name in LABELS]
    if race_backends_text(report):
        lines.append(race_backends_text(report))
    if disturbed_text(report):
        lines.append(disturbed_text(report))
    if report.get("notes"):
        lines.append(notes_text(report))
    return "\n".join(lines)


def race_backends_text(report: dict) -> str:
    """Which Keras backend each contender raced on and why (the race's ``backends``), or ""
    for a race recorded before every contender was offered the choice."""
    choice = report.get("backends")
    if not choice:
        return ""
    runs = _runs(report)
    parts = []
    for name, c in choice.items():
        versions = next((r.get("versions", {}) for r in runs if r["contender"] == name), {})
        version = versions.get(c["backend"], "")
        why = c.get("why") or f"speed check: JAX faster {c.get('speed_verdict', '?')}"
        parts.append(f"{name} on {c['backend']} {version}".rstrip() + f" ({why})")
    return (
        "backends, one rule for every contender (JAX where its speed check says JAX trains "
        "more chars/s, else TensorFlow; each run its own process): " + "; ".join(parts)
    )


def backends_table(report: dict) -> str:
    """The lesson's model on TensorFlow and on JAX (``benchmarks/textgen_backends.py``):
    test bits/char and characters per second, mean ± spread over seeds, per backend."""
    runs = _runs(report)
    backends = list(dict.fromkeys(r["backend"] for r in runs))
    marks = _marks(runs)
    rows, speed = [], {}
    for backend in backends:
        mine = [r for r in runs if r["backend"] == backend]
        cells = [_spread(_values_at(mine, m)) for m in marks]
        speeds = spread([r["chars_per_second"] for r in mine])
        speed[backend] = speeds.mean
        version = mine[0]["versions"].get(backend, "?")
        shown = f"{speeds.mean:,.0f}" + (f" ± {speeds.std:,.0f}" if speeds.n > 1 else "")
        rows.append([f"{backend} {version}", *cells, shown])
    lines = [table(["backend", *(f"{m:g} min" for m in marks), "chars/s"], rows)]
    if {"tensorflow", "jax"} <= set(speed):
        lines.append(
            f"mean ratio: JAX trains {speed['jax'] / speed['tensorflow']:.2f}x as many "
            "characters per second (the verdict says whether that is more than noise)"
        )
    lines.append(
        f"test bits/char (state carried), {_over(len(runs) // max(len(backends), 1))}, "
        f"runs alternated; Keras {runs[0]['versions'].get('keras', '?')}, measured "
        f"{str(report.get('date', '?'))[:10]}"
    )
    settings = runs[0].get("settings", {})
    lines.append(
        f"model: {runs[0].get('contender', LESSON)} at "
        + ", ".join(f"{k} {settings[k]}" for k in _BACKEND_SHOWN if k in settings)
    )
    shares = [r["others_cpu_share"] for r in runs if r.get("others_cpu_share") is not None]
    if shares:
        lines.append(
            f"other processes used {min(shares):.0%}-{max(shares):.0%} of the CPU during the runs"
        )
    if report.get("notes"):
        lines.append(notes_text(report))
    return "\n".join(lines)
