"""Every speed and quality lever of the character-model race, one at a time (issue #28).

Run from the repository root, with Tiny Shakespeare available (``COURSE_DATA_DIR``)::

    python -m benchmarks.textgen_levers --minutes 5    # about 60 min on 2 cores, resumable
    python -m benchmarks.textgen_levers --smoke --out /tmp/l.json   # the smallest run

Each lever (``LEVERS``) changes one thing of the lesson GRU's tuned settings (the choice in
``benchmarks/results/textgen_tune.json`` when it has one, else ``lesson_settings()``): a
setting, ``jit_compile`` or TensorFlow's thread counts. Every run trains for ``--minutes``
of wall time at seed 0 with ``benchmarks.textgen.run_one`` (the race's code path) and is
scored on the validation split, in a fresh process (thread counts and the precision
policy are fixed per process), one after another: the baseline first and last (their
difference is the run-to-run noise a single lever's change must exceed), the levers in
between. Each run records whether the machine was quiet (``common.QUIET_SHARE``); a
disturbed run is run again once. One seed per lever: each row is an observation, the
input to a multi-seed comparison, not a verdict.

Results: ``benchmarks/results/textgen_levers.json`` (the header of ``benchmarks/common.py``;
per run: its slot in ``order``, the lever, its change, steps, characters, chars/s, CPU
seconds, the scores at 1, 2 and the last minute). A rerun with the same minutes, baseline
and order continues it (``--fresh`` starts over).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from benchmarks import common
from benchmarks.textgen import SMOKE_CHARS, SMOKE_MINUTES

RESULTS = common.RESULTS / "textgen_levers.json"
#: name -> what it changes: "settings" (merged into the baseline's), "jit_compile", "threads"
#: ((intra-op, inter-op) thread counts; the baseline uses TensorFlow's default, one per core).
LEVERS = {
    "baseline": {},
    "bfloat16 mixed precision": {"settings": {"precision": "mixed_bfloat16"}},
    "XLA (jit_compile=True)": {"jit_compile": True},
    "threads: 1 intra-op, 1 inter-op": {"threads": (1, 1)},
    "threads: 2 intra-op, 1 inter-op": {"threads": (2, 1)},
    "unrolled time loop": {"settings": {"unroll": True}},
    "stateful truncated BPTT": {"settings": {"stateful": True}},
    "a second GRU layer as a pre-norm residual block": {
        "settings": {"num_layers": 2, "residual": True}
    },
    "dropout 0.2": {"settings": {"dropout": 0.2}},
    "no weight decay (from 0.03)": {"settings": {"weight_decay": 0.0}},
    "embedding 128 (from 64)": {"settings": {"embedding_dim": 128}},
}


def baseline_settings() -> tuple[dict, str]:
    """The lesson GRU's tuned settings and where they come from."""
    tune = common.read(common.RESULTS / "textgen_tune.json") or {}
    chosen = (tune.get("summary") or {}).get("lesson GRU-256", {}).get("chosen")
    if chosen:
        return dict(chosen), "benchmarks/results/textgen_tune.json (its current best)"
    from course_utils.textgen import lesson_settings

    return lesson_settings(), "lesson_settings() (textgen_tune.json)"


def one_run(lever: str, minutes: float, chars: int | None) -> dict:
    """Train the baseline with ``lever`` in this process; return the run."""
    from benchmarks.textgen import load_data, run_one

    base, source = baseline_settings()
    change = LEVERS[lever]
    settings = {**base, **change.get("settings", {})}
    run = run_one(
        "lesson GRU-256",
        settings,
        load_data(chars),
        split="validation",
        minutes=minutes,
        seed=0,
        jit_compile=change.get("jit_compile", "auto"),
    )
    change = {k: list(v) if isinstance(v, tuple) else v for k, v in change.items()}
    return {"lever": lever, "change": change, "baseline_from": source, **run}


def _child(args, lever: str) -> dict:
    """Run ``lever`` in a fresh process (``--one``) and return its run."""
    command = [sys.executable, "-m", "benchmarks.textgen_levers", "--one", lever]
    command += ["--minutes", str(args.minutes), "--out", str(args.out)]
    command += ["--smoke"] if args.smoke else []
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    intra, inter = LEVERS[lever].get("threads", (0, 0))  # 0: TensorFlow's default
    if intra:
        env |= {"TF_NUM_INTRAOP_THREADS": str(intra), "TF_NUM_INTEROP_THREADS": str(inter)}
    return common.run_child(command, env=env)


def main(argv=None) -> dict:
    parser = common.Parser(
        "textgen_levers",
        __doc__,
        out=RESULTS,
        smoke={"minutes": SMOKE_MINUTES, "levers": ["baseline", "dropout 0.2"]},
        resume=True,
    )
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--levers", nargs="+", choices=list(LEVERS), default=list(LEVERS))
    parser.add_argument("--one", choices=list(LEVERS), help=argparse.SUPPRESS)  # a child
    args = parser.parse_args(argv)
    chars = SMOKE_CHARS if args.smoke else None
    if args.one:
        print(json.dumps(one_run(args.one, args.minutes, chars)), flush=True)  # the last line
        return {}
    from benchmarks.textgen import machine_extra

    report = common.header(args.command, machine=machine_extra(), load=True)
    report |= {"benchmark": "levers, one at a time", "minutes": args.minutes, "runs": []}
    report["baseline"] = baseline_settings()[0]
    order = ["baseline", *(x for x in args.levers if x != "baseline"), "baseline"]
    report["order"] = order
    if args.resume and common.resume(
        report, args.out, same=["minutes", "baseline", "order"], keep=["runs"]
    ):
        print(f"{len(report['runs'])} runs kept", flush=True)
    for slot, lever in enumerate(order):
        tries = [r for r in report["runs"] if r.get("slot") == slot]
        if tries and (tries[-1].get("quiet") is not False or len(tries) > 1):
            continue  # done: a quiet run, or a disturbed one already run again
        run = {"slot": slot, **_child(args, lever)}
        if run.get("quiet") is False and not tries:  # disturbed: keep it, run once more
            report["runs"].append(run)
            common.write(args.out, report)
            run = {"slot": slot, **_child(args, lever)}
        report["runs"].append(run)
        last = run["checkpoints"][-1]
        print(f"{lever}: {last['bits_per_char']:.3f} bits, {run['chars_per_second']:,.0f} chars/s")
        common.record_load(report)
        common.write(args.out, report)
    report["finished"] = common.now()
    common.record_load(report)
    common.write(args.out, report)
    return report


if __name__ == "__main__":
    main()
