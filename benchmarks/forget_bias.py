"""Forget-gate bias 1 against 0 (Gers et al. 2000; Keras ``unit_forget_bias``), over seeds.

Run from the repository root::

    python -m benchmarks.forget_bias               # seeds 0-9, about 9 minutes on 2 idle cores
    python -m benchmarks.forget_bias --seeds 0 1 2
    python -m benchmarks.forget_bias --smoke --out /tmp/f.json   # the smallest run

Each run trains ``keras.layers.LSTM`` on the adding problem with the configuration
``TASKS["forget_bias"]`` of ``course_utils.experiments.gating`` (the one lesson 04 runs
live for seed 0), once with ``unit_forget_bias=True`` (bias 1) and once with False
(bias 0). It records the validation MSE after every epoch and the first epoch below
``SOLVED_MSE``. Results go to ``benchmarks/results/forget_bias.json`` with the header of
``benchmarks/common.py`` (command, machine, date, commit). ``--smoke`` trains seed 0
for 2 epochs on 64 sequences of length 10 (``SMOKE``; its ``config`` says so).
"""

from __future__ import annotations

import json
import os

from benchmarks import common

RESULTS = common.RESULTS / "forget_bias.json"
#: ``--smoke``: the task's settings that shrink (``run_task`` overrides).
SMOKE = {"length": 10, "n_train": 64, "n_val": 32, "epochs": 2}


def summarize(runs: list[dict]) -> dict:
    """Per bias: seeds solved, epochs to solve (mean ± std, an unsolved run counted as
    ``epochs + 1``), final MSE (mean ± std); and on how many seeds bias 1 solved first."""
    from course_utils.core.evidence import spread  # the course's one mean ± spread

    summary, censored = {}, {}
    for bias in (1, 0):
        mine = sorted((r for r in runs if r["forget_bias"] == bias), key=lambda r: r["seed"])
        epochs = [r["epochs_to_solve"] for r in mine]
        censored[bias] = [
            len(r["history"]) + 1 if e is None else e for r, e in zip(mine, epochs, strict=True)
        ]
        solve, final = spread(censored[bias]), spread([r["metric"] for r in mine])
        solve_mean, solve_std = solve.mean, solve.std
        final_mean, final_std = final.mean, final.std
        summary[f"bias_{bias}"] = {
            "runs": len(mine),
            "solved": sum(e is not None for e in epochs),
            "epochs_to_solve": epochs,
            "epochs_to_solve_censored": censored[bias],
            "epochs_to_solve_mean": round(solve_mean, 3),
            "epochs_to_solve_std": round(solve_std, 3),
            "final_mse_mean": round(final_mean, 6),
            "final_mse_std": round(final_std, 6),
        }
    pairs = list(zip(censored[1], censored[0], strict=True))
    summary["bias_1_solved_first"] = sum(a < b for a, b in pairs)
    summary["bias_0_solved_first"] = sum(b < a for a, b in pairs)
    summary["note"] = "epochs_to_solve_censored (and its mean) counts an unsolved run as epochs + 1"
    return summary


def main(argv=None) -> dict:
    parser = common.Parser("forget_bias", __doc__, out=RESULTS, smoke={"seeds": [0]})
    parser.add_argument("--seeds", nargs="+", type=int, default=list(range(10)))
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from course_utils.experiments.gated_models import GLOBAL_CLIPNORM
    from course_utils.experiments.gating import TASKS, epochs_to_reach, run_task
    from course_utils.tasks.adding import SOLVED_MSE

    report = common.header(args.command)
    overrides = SMOKE if args.smoke else {}
    runs = []
    for seed in args.seeds:
        for bias in (1, 0):
            run = run_task(
                "forget_bias", "lstm", seed=seed, unit_forget_bias=bias == 1, **overrides
            )
            row = {
                "forget_bias": bias,
                **run.to_dict(),
                "epochs_to_solve": epochs_to_reach(run.history, SOLVED_MSE),
            }
            print(
                f"seed {seed} bias {bias}: final MSE {row['metric']:.4f}, solved at epoch "
                f"{row['epochs_to_solve']}, {row['seconds_per_epoch']:.1f} s/epoch",
                flush=True,
            )
            runs.append(row)
    report |= {
        "benchmark": "LSTM forget-gate bias 1 vs 0 on the adding problem",
        "config": {**TASKS["forget_bias"], **overrides},
        "clipping": {"global_clipnorm": GLOBAL_CLIPNORM},
        "solved_mse": SOLVED_MSE,
        "seeds": args.seeds,
        "runs": runs,
        "summary": summarize(runs),
    }
    common.write(args.out, report)
    print(json.dumps(report["summary"], indent=2))
    print(f"wrote {args.out}")
    return report


if __name__ == "__main__":
    main()
