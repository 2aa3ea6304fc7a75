"""Selective copying and plain copying (Gu & Dao 2023, section 3.1): the time-invariant
(LTI) layer against the selective layer, over seeds, with the same budget.

Run from the repository root::

    python -m benchmarks.selective_copy               # lti + selective, 2 tasks, 3 seeds (~30 min on 2 cores)
    python -m benchmarks.selective_copy --kinds lti selective mingru --seeds 0 1 2 3 4
    python -m benchmarks.selective_copy --smoke --out /tmp/c.json   # the smallest run

Every run trains ``course_utils.lessons.l09_revival.experiments.build_copy_model`` (the model
lesson 09 builds in its section 7: embedding, two residual blocks around the recurrent
layer, logits at the marker steps) with the same budget (``experiments.BUDGET``: data,
epochs, batch, optimiser, width and state size). Training, validation and test sets are
drawn with different seeds; the epoch is chosen on validation accuracy, and its weights
report test accuracy once. Not equal: the parameters (the selective layer adds its
``x -> delta, B, C`` maps; each run records its count). The report resumes by default:
runs already in ``--out`` with the same budget are kept.
``--smoke``: selective copying only, length 8, 2 tokens, 64 sequences, 1 epoch, seed 0.
"""

from __future__ import annotations

import os

from benchmarks import common

RESULTS = common.RESULTS / "selective_copy.json"


def main(argv=None) -> dict:
    from course_utils.lessons.l09_revival import experiments

    parser = common.Parser(
        "selective_copy",
        __doc__,
        out=RESULTS,
        smoke={
            "seeds": [0, 1],
            "length": 8,
            "tokens": 2,
            "n_train": 64,
            "n_val": 32,
            "n_test": 32,
            "epochs": 1,
            "width": 8,
            "state_size": 2,
        },  # fmt: skip
        resume=True,
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument(
        "--kinds", nargs="+", choices=experiments.KINDS, default=["lti", "selective"]
    )
    parser.add_argument(
        "--tasks", nargs="+", choices=list(experiments.TASKS), default=list(experiments.TASKS)
    )
    for key, value in experiments.BUDGET.items():
        parser.add_argument(f"--{key.replace('_', '-')}", type=type(value), default=value)
    parser.add_argument("--note", default="", help="a note stored in the report's notes")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    budget = {key: getattr(args, key) for key in experiments.BUDGET}
    report = common.header(args.command, load=True)
    report |= {
        "benchmark": "test accuracy per copied token, epoch chosen on validation",
        "budget": budget,
        "seeds": args.seeds,
        "held_equal": "data, epochs, batch, optimiser, width, state size; not parameters",
        "notes": [args.note] if args.note else [],
        "runs": [],
    }
    if args.resume:
        common.resume(report, args.out, same=["budget"], keep=["runs"])
        report["seeds"] = sorted(set(report["seeds"]) | {r["seed"] for r in report["runs"]})
        if args.note and args.note not in report["notes"]:
            report["notes"].append(args.note)
    done = {(r["kind"], r["task"], r["seed"]) for r in report["runs"]}
    for seed in args.seeds:
        for task in args.tasks:
            for kind in args.kinds:
                if (kind, task, seed) in done:
                    continue
                row = experiments.train_copy(kind, task, seed, **budget)
                report["runs"].append(row)
                print(f"{kind} {task} seed {seed}: test accuracy {row['test_accuracy']:.3f} "
                      f"(epoch {row['chosen_epoch']}, {row['seconds']:.0f} s)", flush=True)  # fmt: skip
                common.record_load(report)
                common.write(args.out, report)  # after every run: an interruption keeps them
    common.record_load(report)
    common.write(args.out, report)
    print(f"wrote {args.out}")
    return report


if __name__ == "__main__":
    main()
