"""Lesson 08's headline comparisons over seeds, in full-mode settings.

Run from the repository root::

    python -m benchmarks.applications                # seeds 0-2, about 25 min on 2 shared cores
    python -m benchmarks.applications --seeds 0 1 2 3
    python -m benchmarks.applications --resume     # keep the runs already in the JSON

For every seed it runs, with ``course_utils.lessons.l08_applications.applications`` (the same code
and settings lesson 08 runs live for seed 0):

- the GRU forecaster on Mauna Loa CO2 (test MAE against naive and seasonal naive);
- the bracket labellers, unidirectional against bidirectional (accuracy on "(" and ")");
- the date encoder-decoders: no attention, Luong's placement with the additive, dot and
  general scores, and Bahdanau's placement with the additive score (exact match overall
  and per input-length bin).

Results go to ``benchmarks/results/applications.json`` with the command, machine and
date; the file is rewritten after every run, so an interrupted run keeps what it did.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "applications.json"


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--resume", action="store_true", help="keep the runs already in --output; do the rest"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from course_utils.core.environment import machine_description
    from course_utils.lessons.l08_applications import applications as app

    report = {
        "benchmark": "lesson 08: forecaster vs baselines, bracket labellers, date seq2seq variants",
        "command": (
            "python -m benchmarks.applications " + " ".join(sys.argv[1:] if argv is None else argv)
        ).strip(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_description(),
        "config": {**app.FULL, "date_bins": list(app.DATE_BINS), "variants": app.VARIANTS},
        "seeds": args.seeds,
        "forecast": [],
        "brackets": [],
        "dates": [],
    }
    if args.resume and args.output.is_file():
        old = json.loads(args.output.read_text())
        report |= {key: old[key] for key in ("forecast", "brackets", "dates")}
        earlier = old.get("resumed_from", [])
        earlier = [earlier] if isinstance(earlier, dict) else earlier
        earlier += [{key: old[key] for key in ("command", "date")}]
        report |= {"resumed_from": earlier, "notes": old.get("notes", [])}
    args.output.parent.mkdir(parents=True, exist_ok=True)

    def done(key: str, **where) -> bool:
        return any(all(r[k] == v for k, v in where.items()) for r in report[key])

    def record(key: str, row: dict) -> None:
        report[key].append(row)
        print(key, json.dumps(row), flush=True)
        args.output.write_text(json.dumps(report, indent=2) + "\n")

    for seed in args.seeds:
        if not done("forecast", seed=seed):
            record("forecast", app.forecast_run(seed))
        for kind in app.LABELLER_UNITS:
            if not done("brackets", seed=seed, kind=kind):
                record("brackets", app.bracket_run(seed, kind))
    data = app.date_data()
    # the headline pair first for every seed, then the placement and score variants
    headline = ["no attention", "luong additive"]
    order = [(v, s) for v in headline for s in args.seeds]
    order += [(v, s) for v in app.VARIANTS if v not in headline for s in args.seeds]
    for variant, seed in order:
        if not done("dates", seed=seed, variant=variant):
            record("dates", app.date_run(seed, variant, data))
    report["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.output}")
    return report


if __name__ == "__main__":
    main()
