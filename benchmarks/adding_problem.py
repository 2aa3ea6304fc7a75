"""The adding problem over seeds: SimpleRNN, IRNN, LSTM and GRU on one training budget.

Run from the repository root (about an hour on a busy 2-core CPU)::

    python -m benchmarks.adding_problem                  # the full grid, 3 seeds
    python -m benchmarks.adding_problem --resume         # keep finished runs, do the rest
    python -m benchmarks.adding_problem --resume --redo gru   # train one model again
    python -m benchmarks.adding_problem --lengths 10 50 --seeds 0 --out /tmp/x.json

Every run is ``course_utils.lessons.l03_gradients.experiments.train_adding`` with the budget
``ADDING_BUDGET`` (lesson 03 uses the same function and budget for its live seed).
The JSON holds every run (test MSE after each pass over the training set), the
mean and sample standard deviation per model and length, the constant-prediction
baseline measured on 100,000 sequences, and the command, machine and versions.
It is rewritten after every run, so an interrupted benchmark can ``--resume``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
from pathlib import Path

import numpy as np

from course_utils.experiments.adding_runs import (
    ADDING_BUDGET,
    ADDING_MODELS,
    BENCHMARK_PATH,
    summarize_runs,
    train_adding,
)
from course_utils.tasks import BASELINE_MSE, adding_problem

LENGTHS = (10, 50, 100, 200)
SEEDS = (0, 1, 2)


def machine() -> dict:
    from course_utils.core.environment import machine_description

    return {
        **machine_description(),
        # Other jobs share the machine when the load is above its cpu_count: seconds inflate.
        "load_average_1_5_15_min": [round(v, 2) for v in os.getloadavg()],
    }


def measured_baseline(n: int = 100_000, length: int = 10) -> float:
    """Test MSE of the best constant (the training-set mean) on ``n`` fresh sequences."""
    _, y_train = adding_problem(n, length, seed=1)
    _, y_test = adding_problem(n, length, seed=2)
    return float(np.mean((y_test - y_train.mean()) ** 2))


def command_args(args) -> list[str]:
    """The options that define the grid (so a --resume run records the same command)."""
    out = []
    for name, default in (("models", ADDING_MODELS), ("lengths", LENGTHS), ("seeds", SEEDS)):
        value = list(getattr(args, name))
        if value != list(default):
            out += [f"--{name}", *map(str, value)]
    if args.out != BENCHMARK_PATH:
        out += ["--out", str(args.out)]
    return out


def rounded(run: dict) -> dict:
    """A run ready for JSON: 6 decimals, and None for a diverged (NaN or inf) MSE."""

    def mse(value):
        return None if value is None or not math.isfinite(value) else round(value, 6)

    return {
        **run,
        "test_mse": mse(run["test_mse"]),
        "curve": [mse(v) for v in run["curve"]],
        "seconds": round(run["seconds"], 1),
    }


def write(path: Path, runs: list[dict], args, started: str) -> None:
    result = {
        "benchmark": "adding problem: final test MSE per model, sequence length and seed",
        "command": " ".join(["python -m benchmarks.adding_problem", *command_args(args)]),
        "date": started,
        "written": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "budget": ADDING_BUDGET,
        "models": list(args.models),
        "lengths": list(args.lengths),
        "seeds": list(args.seeds),
        "baseline_mse": BASELINE_MSE,
        "measured_baseline_mse": measured_baseline(),
        "summary": summarize_runs(runs) if runs else [],
        "runs": runs,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1) + "\n")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=ADDING_MODELS, choices=ADDING_MODELS)
    parser.add_argument("--lengths", nargs="+", type=int, default=LENGTHS)
    parser.add_argument("--seeds", nargs="+", type=int, default=SEEDS)
    parser.add_argument("--out", type=Path, default=BENCHMARK_PATH)
    parser.add_argument("--resume", action="store_true", help="keep runs already in --out")
    parser.add_argument(
        "--redo",
        nargs="+",
        default=[],
        choices=ADDING_MODELS,
        help="with --resume: train these models again (e.g. after a change)",
    )
    args = parser.parse_args(argv)
    started = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    runs = []
    if args.resume and args.out.exists():
        old = json.loads(args.out.read_text())
        if old.get("budget") == ADDING_BUDGET:
            runs = [rounded(run) for run in old["runs"] if run["model"] not in args.redo]
            started = old.get("date", started)
    done = {(r["model"], r["length"], r["seed"]) for r in runs}
    # Seed-major order: after the first pass the JSON already holds one complete seed.
    for seed in args.seeds:
        for length in args.lengths:
            for model in args.models:
                if (model, length, seed) in done:
                    continue
                run = rounded(train_adding(model, length, seed=seed))
                runs.append(run)
                mse = "diverged" if run["test_mse"] is None else f"{run['test_mse']:.4f}"
                print(
                    f"{model:>10} T={length:<4} seed={seed}  test MSE {mse}"
                    f"  ({run['seconds']:.0f} s)",
                    flush=True,
                )
                write(args.out, runs, args, started)
    write(args.out, runs, args, started)
    for row in summarize_runs(runs):
        print(
            f"{row['model']:>10} T={row['length']:<4} {row['mean']:.4f} ± {row['std']:.4f}"
            f"  (n={row['n']}, diverged {row['diverged']})"
        )


if __name__ == "__main__":
    main()
