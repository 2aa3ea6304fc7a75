"""Lesson 08's headline comparisons over seeds, in full-mode settings.

Run from the repository root::

    python -m benchmarks.applications                # seeds 0-2, about 25 min on 2 shared cores
    python -m benchmarks.applications --seeds 0 1 2 3
    python -m benchmarks.applications --resume     # keep the runs already in the JSON
    python -m benchmarks.applications --smoke --out /tmp/a.json   # the smallest run

For every seed it runs, with ``course_utils.lessons.l08_applications.applications`` (the same code
and settings lesson 08 runs live for seed 0):

- the GRU forecaster on Mauna Loa CO2 (test MAE against naive and seasonal naive);
- the bracket labellers, unidirectional against bidirectional (accuracy on "(" and ")");
- the date encoder-decoders: no attention, Luong's placement with the additive, dot and
  general scores, and Bahdanau's placement with the additive score (exact match overall
  and per input-length bin).

Results go to ``benchmarks/results/applications.json`` with the header of
``benchmarks/common.py`` (command, machine, date, commit); the file is rewritten after
every run, so an interrupted run keeps what it did, and ``--resume`` (with the same
``config``) does the rest. ``--smoke`` runs seed 0 for one epoch each, on 256 date
examples and one date variant, Luong's additive attention (its ``config`` says so).
"""

from __future__ import annotations

import json
import os

from benchmarks import common

RESULTS = common.RESULTS / "applications.json"
HEADLINE = ["no attention", "luong additive"]
#: ``--smoke``: the settings that shrink (every other one is the lesson's, ``FULL``).
SMOKE = {"forecast_epochs": 1, "date_train": 256, "date_test": 64, "date_epochs": 1}
SMOKE |= {"bracket_epochs": 1}


def main(argv=None) -> dict:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from course_utils.lessons.l08_applications import applications as app

    parser = common.Parser(
        "applications",
        __doc__,
        out=RESULTS,
        smoke={"seeds": [0], "variants": ["luong additive"]},
        resume=False,
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument(
        "--variants", nargs="+", choices=list(app.VARIANTS), default=list(app.VARIANTS),
        help="the date encoder-decoders to train (default: all)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    config = {**app.FULL, **(SMOKE if args.smoke else {})}
    report = common.header(args.command)
    report |= {
        "benchmark": "lesson 08: forecaster vs baselines, bracket labellers, date seq2seq variants",
        "config": {**config, "date_bins": list(app.DATE_BINS), "variants": app.VARIANTS},
        "seeds": args.seeds,
        "forecast": [],
        "brackets": [],
        "dates": [],
    }
    if args.resume:
        common.resume(report, args.out, same=["config"], keep=["forecast", "brackets", "dates"])

    def done(key: str, **where) -> bool:
        return any(all(r[k] == v for k, v in where.items()) for r in report[key])

    def record(key: str, row: dict) -> None:
        report[key].append(row)
        print(key, json.dumps(row), flush=True)
        common.write(args.out, report)

    for seed in args.seeds:
        if not done("forecast", seed=seed):
            record("forecast", app.forecast_run(seed, epochs=config["forecast_epochs"]))
        for kind in app.LABELLER_UNITS:
            if not done("brackets", seed=seed, kind=kind):
                record("brackets", app.bracket_run(seed, kind, epochs=config["bracket_epochs"]))
    data = app.date_data(config["date_train"], config["date_test"])
    # the headline pair first for every seed, then the placement and score variants
    variants = [v for v in HEADLINE if v in args.variants]
    variants += [v for v in args.variants if v not in HEADLINE]
    for variant, seed in [(v, s) for v in variants for s in args.seeds]:
        if not done("dates", seed=seed, variant=variant):
            record("dates", app.date_run(seed, variant, data, epochs=config["date_epochs"]))
    report["finished"] = common.now()
    common.write(args.out, report)
    print(f"wrote {args.out}")
    return report


if __name__ == "__main__":
    main()
