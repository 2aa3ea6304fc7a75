"""LSTM against GRU, head to head: the same tasks, budget and machine, over seeds.

Run from the repository root::

    python -m benchmarks.lstm_vs_gru                 # seeds 0-2, about 25 minutes on 2 cores
    python -m benchmarks.lstm_vs_gru --seeds 0 --tasks adding_T50
    python -m benchmarks.lstm_vs_gru --timing-only   # re-time the runs in the results file

Tasks are the configurations ``TASKS`` of ``course_utils.experiments.gating`` that
lesson 05 runs live for seed 0: the adding problem at two lengths (``adding_T50``,
``adding_T200``) and a character-level language model (``char_lm``) on the first
characters of Tiny Shakespeare (the generated grammar corpus when offline; the JSON
says which). Each run records its parameters and the validation metric after every
epoch. Speed is then measured by ``gating.time_task``: fresh LSTM and GRU models
trained and run in alternation, so that a busy spell of the machine slows both alike;
those figures replace the ones taken during training (kept as ``sequential_*``).
Results: ``benchmarks/results/lstm_vs_gru.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

from benchmarks.numpy_vs_keras import machine_info

RESULTS = Path(__file__).parent / "results" / "lstm_vs_gru.json"
TASK_NAMES = ("adding_T50", "adding_T200", "char_lm")
ROUNDS, BATCHES = 7, 10


def add_timing(report: dict, text: str) -> None:
    """Interleaved timing for every (task, seed) of ``report``, written into its runs."""
    from course_utils.experiments.gating import apply_timing, time_task

    for task in report["config"]:
        for seed in report["seeds"]:
            timing = time_task(task, text=text, seed=seed, rounds=ROUNDS, batches=BATCHES)
            mine = [r for r in report["runs"] if r["task"] == task and r["seed"] == seed]
            apply_timing(mine, task, timing)
            print(
                f"{task:<13} seed {seed} timing: "
                + ", ".join(
                    f"{cell} {t['seconds_per_epoch']:.2f} s/epoch {t['inference_us']:.0f} µs/seq"
                    for cell, t in timing.items()
                ),
                flush=True,
            )
    report["timing"] = {
        "method": "gating.time_task, interleaved",
        "rounds": ROUNDS,
        "batches": BATCHES,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


def clipping() -> str:
    """How the adding models clip gradients, read from a freshly built optimizer (lesson 05
    prints it beside lesson 03's budget)."""
    from course_utils.experiments.gating import adding_model

    optimizer = adding_model("lstm", length=10).optimizer
    if getattr(optimizer, "global_clipnorm", None):
        return f"global_clipnorm={optimizer.global_clipnorm:g} (global norm)"
    if getattr(optimizer, "clipnorm", None):
        return f"clipnorm={optimizer.clipnorm:g} (per variable)"
    return "none"


def train_all(tasks, seeds, text) -> list[dict]:
    from course_utils.experiments.gating import run_task

    runs = []
    for task in tasks:
        for seed in seeds:
            for cell in ("lstm", "gru"):
                row = run_task(task, cell, seed=seed, text=text).to_dict()
                print(
                    f"{task:<13} {cell:<4} seed {seed}: {row['metric_name']} "
                    f"{row['metric']:.4f}, {row['params']} params",
                    flush=True,
                )
                runs.append(row)
    return runs


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--tasks", nargs="+", choices=TASK_NAMES, default=list(TASK_NAMES))
    parser.add_argument(
        "--timing-only",
        action="store_true",
        help="keep the trained runs of --output, measure their speed again",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from course_utils.core.datasets import load_corpus
    from course_utils.experiments.gating import TASKS

    corpus = load_corpus(TASKS["char_lm"]["corpus"])
    command = (
        "python -m benchmarks.lstm_vs_gru " + " ".join(sys.argv[1:] if argv is None else argv)
    ).strip()
    if args.timing_only:
        report = json.loads(args.output.read_text())
        report["timing_command"] = command
    else:
        report = {
            "benchmark": "LSTM vs GRU: same tasks, same budget, same machine",
            "command": command,
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": machine_info(),
            "config": {task: TASKS[task] for task in args.tasks},
            "clipping": clipping(),
            "corpus": {
                "name": corpus.name,
                "source": corpus.source,
                "fallback": corpus.is_fallback,
            },
            "seeds": args.seeds,
            "runs": train_all(args.tasks, args.seeds, corpus.text),
        }
    add_timing(report, corpus.text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.output}")
    return report


if __name__ == "__main__":
    main()
