"""The adding problem over seeds: SimpleRNN, IRNN, LSTM and GRU on one training budget.

Run from the repository root (about an hour on a busy 2-core CPU)::

    python -m benchmarks.adding_problem                  # the full grid, 3 seeds
    python -m benchmarks.adding_problem --resume         # keep finished runs, do the rest
    python -m benchmarks.adding_problem --resume --redo gru   # train one model again
    python -m benchmarks.adding_problem --lengths 10 50 --seeds 0 --out /tmp/x.json
    python -m benchmarks.adding_problem --smoke --out /tmp/x.json   # the smallest run
    python -m benchmarks.adding_problem --models gru min_gru --lengths 1000 \
        --out benchmarks/results/adding_revival.json     # lesson 09: GRU against minGRU

Every run is ``course_utils.experiments.adding_runs.train_adding`` with the budget
``ADDING_BUDGET`` (lesson 03 uses the same function and budget for its live seed).
The JSON holds every run (test MSE after each pass over the training set), the
mean and sample standard deviation per model and length, the constant-prediction
baseline measured on 100,000 sequences, and the header of ``benchmarks/common.py``
(command, machine, date, commit, load average). It is rewritten after every run, so an
interrupted benchmark can ``--resume`` (runs are kept only when the budget is the same).
``--smoke`` trains one LSTM at T=10 for one pass over 64 sequences (``SMOKE_BUDGET``).
"""

from __future__ import annotations

import math

import numpy as np

from benchmarks import common
from course_utils.experiments.adding_runs import (
    ADDING_BUDGET,
    ADDING_MODELS,
    ALL_MODELS,
    BENCHMARK_PATH,
    summarize_runs,
    train_adding,
)
from course_utils.tasks import BASELINE_MSE, adding_problem

LENGTHS = (10, 50, 100, 200)
SEEDS = (0, 1, 2)
#: ``--smoke``: one pass over 64 sequences, the smallest budget that runs every step.
SMOKE_BUDGET = {"hidden_size": 4, "steps": 2, "batch_size": 32, "n_train": 64, "n_test": 64}


def measured_baseline(n: int = 100_000, length: int = 10) -> float:
    """Test MSE of the best constant (the training-set mean) on ``n`` fresh sequences."""
    _, y_train = adding_problem(n, length, seed=1)
    _, y_test = adding_problem(n, length, seed=2)
    return float(np.mean((y_test - y_train.mean()) ** 2))


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


def write(args, report: dict, runs: list[dict]) -> None:
    """Rewrite ``args.out`` with ``runs`` and their summary (after every run)."""
    report["written"] = common.now()
    report["summary"] = summarize_runs(runs) if runs else []
    report["runs"] = runs
    common.record_load(report)
    common.write(args.out, report)


def main(argv=None) -> dict:
    parser = common.Parser(
        "adding_problem",
        __doc__,
        out=BENCHMARK_PATH,
        smoke={"models": ["lstm"], "lengths": [10], "seeds": [0]},
        resume=False,
    )
    parser.add_argument("--models", nargs="+", default=list(ADDING_MODELS), choices=ALL_MODELS)
    parser.add_argument("--lengths", nargs="+", type=int, default=list(LENGTHS))
    parser.add_argument("--seeds", nargs="+", type=int, default=list(SEEDS))
    parser.add_argument(
        "--redo",
        nargs="+",
        default=[],
        choices=ALL_MODELS,
        help="with --resume: train these models again (e.g. after a change)",
    )
    args = parser.parse_args(argv)
    if args.redo and not args.resume:
        parser.error(f"--redo {' '.join(args.redo)} needs --resume: without it every run is new.")
    budget = {**ADDING_BUDGET, **SMOKE_BUDGET} if args.smoke else dict(ADDING_BUDGET)
    report = common.header(args.command, load=True)
    report |= {
        "benchmark": "adding problem: final test MSE per model, sequence length and seed",
        "budget": budget,
        "models": list(args.models),
        "lengths": list(args.lengths),
        "seeds": list(args.seeds),
        "baseline_mse": BASELINE_MSE,
        "measured_baseline_mse": measured_baseline(),
    }
    runs = []
    if args.resume and common.resume(report, args.out, same=["budget"], keep=["runs"]):
        runs = [rounded(run) for run in report["runs"] if run["model"] not in args.redo]
    done = {(r["model"], r["length"], r["seed"]) for r in runs}
    # Seed-major order: after the first pass the JSON already holds one complete seed.
    for seed in args.seeds:
        for length in args.lengths:
            for model in args.models:
                if (model, length, seed) in done:
                    continue
                run = train_adding(
                    model,
                    length,
                    seed=seed,
                    budget=budget,
                    jit_compile="auto" if args.smoke else True,
                )
                runs.append(rounded(run))
                mse = "diverged" if runs[-1]["test_mse"] is None else f"{runs[-1]['test_mse']:.4f}"
                print(
                    f"{model:>10} T={length:<4} seed={seed}  test MSE {mse}"
                    f"  ({runs[-1]['seconds']:.0f} s)",
                    flush=True,
                )
                write(args, report, runs)
    write(args, report, runs)
    for row in report["summary"]:
        print(
            f"{row['model']:>10} T={row['length']:<4} {row['mean']:.4f} ± {row['std']:.4f}"
            f"  (n={row['n']}, diverged {row['diverged']})"
        )
    print(f"wrote {args.out}")
    return report


if __name__ == "__main__":
    main()
