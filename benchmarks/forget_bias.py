"""Forget-gate bias 1 against 0 (Gers et al. 2000; Keras ``unit_forget_bias``), over seeds.

Run from the repository root::

    python -m benchmarks.forget_bias               # seeds 0-9, about 9 minutes on 2 idle cores
    python -m benchmarks.forget_bias --seeds 0 1 2

Each run trains ``keras.layers.LSTM`` on the adding problem with the configuration
``TASKS["forget_bias"]`` of ``course_utils.experiments.gating`` (the one lesson 04 runs
live for seed 0), once with ``unit_forget_bias=True`` (bias 1) and once with False
(bias 0). It records the validation MSE after every epoch and the first epoch below
``SOLVED_MSE``. Results go to ``benchmarks/results/forget_bias.json`` with the machine.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

from benchmarks.numpy_vs_keras import machine_info

RESULTS = Path(__file__).parent / "results" / "forget_bias.json"


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=list(range(10)))
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from course_utils.experiments.gating import (
        GLOBAL_CLIPNORM,
        SOLVED_MSE,
        TASKS,
        epochs_to_reach,
        run_task,
    )

    runs = []
    for seed in args.seeds:
        for bias in (1, 0):
            run = run_task("forget_bias", "lstm", seed=seed, unit_forget_bias=bias == 1)
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
    report = {
        "benchmark": "LSTM forget-gate bias 1 vs 0 on the adding problem",
        "command": (
            "python -m benchmarks.forget_bias " + " ".join(sys.argv[1:] if argv is None else argv)
        ).strip(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "config": TASKS["forget_bias"],
        "clipping": {"global_clipnorm": GLOBAL_CLIPNORM},
        "solved_mse": SOLVED_MSE,
        "seeds": args.seeds,
        "runs": runs,
        "summary": summarize(runs),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report["summary"], indent=2))
    print(f"wrote {args.output}")
    return report


if __name__ == "__main__":
    main()
