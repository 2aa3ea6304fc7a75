"""Lesson 06's character model against TensorFlow's tutorial model, same wall-clock budget.

Run from the repository root (Tiny Shakespeare must be available, e.g.
``COURSE_DATA_DIR=/path/to/data``)::

    python -m benchmarks.textgen --minutes 5     # about 11 minutes on a 2-core CPU
    python -m benchmarks.textgen --minutes 0.5   # a quick check

One after the other, in one process, it trains ``LESSON_SETTINGS`` (the lesson's model)
and ``TUTORIAL_SETTINGS`` (Embedding 256 -> GRU 1024 -> Dense, batch 64, sequence 100,
Adam 1e-3) from ``course_utils.textgen.model``, each for ``--minutes`` of training.
The clock starts after the first batch (graph tracing) and stops while the model is
evaluated, at 1, 2 and N minutes, on the whole held-out split (the last 10 % of
the text, cut into 64 rows): ``bits_per_char`` carries the state along each row and
scores every character after the first 100 of its row; ``bits_per_char_window``
reads windows of 100 characters from a zero state (the tutorial trains on such windows).
Results go to ``benchmarks/results/textgen.json`` (with the machine, the thread
settings and the 1-minute load average before and after each run, since other
processes on the machine slow training down) and a plot to ``textgen.png``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "textgen.json"


def cpu_info() -> dict:
    """CPU model and the instruction-set flags that matter for float32/bfloat16 matmuls."""
    model, flags = None, set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and model is None:
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    wanted = ("avx2", "avx512f", "avx512_bf16", "avx512_fp16", "amx_bf16")
    return {"model": model, "flags": [f for f in wanted if f in flags]}


def machine_info() -> dict:
    """``benchmarks.numpy_vs_keras.machine_info`` plus CPU flags and TensorFlow's thread settings."""
    import tensorflow as tf

    from benchmarks.numpy_vs_keras import machine_info as base_info

    return {
        **base_info(),
        "cpu": cpu_info(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "threads": {
            "intra_op": tf.config.threading.get_intra_op_parallelism_threads(),
            "inter_op": tf.config.threading.get_inter_op_parallelism_threads(),
            "note": "0 = TensorFlow's default (one thread per usable core)",
        },
    }


def run_one(label: str, settings: dict, data: dict, args) -> dict:
    from course_utils.textgen import train_settings

    print(f"\n== {label}: {settings}", flush=True)
    load_start = os.getloadavg()[0]
    model, log = train_settings(
        settings,
        data["train_ids"],
        data["vocab_size"],
        minutes=args.minutes,
        checkpoints=[1, 2],
        rows=data["rows"],
        seed=args.seed,
        clock=args.clock,
    )
    return {
        "label": label,
        "settings": settings,
        "parameters": model.count_params(),
        "load_average_1min": {"start": load_start, "end": os.getloadavg()[0]},
        "chars_per_second": round(log.chars_per_second, 1),
        "steps": log.steps,
        "chars": log.chars,
        "train_seconds": round(log.train_seconds, 2),
        "warmup_seconds": round(log.warmup_seconds, 2),
        "eval_seconds": round(log.eval_seconds, 2),
        "checkpoints": [
            {k: round(v, 4) if isinstance(v, float) else v for k, v in c.items()}
            for c in log.checkpoints
        ],
        "curve": [
            {k: round(v, 4) if isinstance(v, float) else v for k, v in p.items()} for p in log.curve
        ],
    }


def parse_overrides(pairs: list[str], defaults: dict) -> dict:
    """``["cell=lstm", "batch_size=64"]`` -> values typed like ``defaults``."""
    overrides = {}
    for pair in pairs:
        key, _, text = pair.partition("=")
        if key not in defaults or not text:
            raise SystemExit(
                f"--set {pair!r}: expected KEY=VALUE with KEY one of {sorted(defaults)}"
            )
        default = defaults[key]
        if isinstance(default, bool):
            overrides[key] = text.lower() in ("1", "true", "yes")
        elif default is None or isinstance(default, (int, float)):
            overrides[key] = None if text == "None" else type(default or 0.0)(text)
        else:
            overrides[key] = text
    return overrides


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="training budget per model")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rows", type=int, default=64, help="held-out rows (see the docstring)")
    parser.add_argument("--only", choices=["lesson", "tutorial"], default=None)
    parser.add_argument(
        "--set",
        nargs="*",
        default=[],
        metavar="KEY=VALUE",
        help="override lesson settings, e.g. --set cell=lstm batch_size=64",
    )
    parser.add_argument(
        "--clock",
        choices=["wall", "process"],
        default="wall",
        help="process: budget in CPU time of this process (for busy machines)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

    import matplotlib
    import tensorflow as tf

    matplotlib.use("Agg")
    tf.get_logger().setLevel("ERROR")  # no retracing notices from the evaluation calls
    from course_utils.datasets import load_corpus
    from course_utils.plotting.textgen import plot_textgen_benchmark
    from course_utils.textgen import (
        LESSON_SETTINGS,
        TUTORIAL_SETTINGS,
        CharVocabulary,
        held_out_rows,
        split_text,
    )
    from course_utils.textgen.benchmark import benchmark_table

    corpus = load_corpus("tinyshakespeare")
    if corpus.is_fallback:
        sys.exit("Tiny Shakespeare is not available (offline fallback); set COURSE_DATA_DIR.")
    vocab = CharVocabulary.from_text(corpus.text)
    train, held_out = split_text(corpus.text, held_out=0.1)
    train_ids, rows = vocab.encode(train), held_out_rows(vocab.encode(held_out), rows=args.rows)
    started, load_start = time.perf_counter(), os.getloadavg()[0]
    lesson = dict(LESSON_SETTINGS, **parse_overrides(args.set, LESSON_SETTINGS))
    data = {"train_ids": train_ids, "rows": rows, "vocab_size": vocab.size}
    models = {
        f"lesson {lesson['cell'].upper()}-{lesson['hidden_size']}": lesson,
        "tutorial GRU-1024": TUTORIAL_SETTINGS,
    }
    runs = [
        run_one(label, settings, data, args)
        for label, settings in models.items()
        if args.only is None or label.startswith(args.only)
    ]
    report = {
        "benchmark": "held-out bits per character after a wall-clock training budget",
        "command": "python -m benchmarks.textgen "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "minutes": args.minutes,
        "clock": args.clock,
        "data": {
            "corpus": "tinyshakespeare",
            "train_chars": len(train),
            "held_out_chars": len(held_out),
            "scored_rows": list(rows.shape),
            "burn_in": 100,
            "window": 100,
        },
        "protocol": (
            "training clock starts after the first batch and stops during evaluation; "
            "bits_per_char: state carried along each held-out row, first 100 characters "
            "of a row not scored; bits_per_char_window: windows of 100 from a zero state"
        ),
        "machine": machine_info(),
        "load_average_1min": {"start": load_start, "end": os.getloadavg()[0]},
        "total_seconds": round(time.perf_counter() - started, 1),
        "runs": runs,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1) + "\n")
    plot_textgen_benchmark(report).savefig(args.output.with_suffix(".png"), dpi=110)
    print("\n" + benchmark_table(report))
    print(
        f"load average (1 min): {load_start:.2f} at start, {report['load_average_1min']['end']:.2f} at end"
    )
    print(f"wrote {args.output} and {args.output.with_suffix('.png')}")
    return report


if __name__ == "__main__":
    main()
