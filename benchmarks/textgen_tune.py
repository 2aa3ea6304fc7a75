"""Tuning the character-model race's contenders alike: the same axes, the race's budget,
validation only, each optimum bracketed (issue #28).

Run from the repository root, with Tiny Shakespeare available (``COURSE_DATA_DIR``)::

    python -m benchmarks.textgen_tune --minutes 5              # all contenders, resumable
    python -m benchmarks.textgen_tune --minutes 5 --hours 1.5  # stop starting trials after 1.5 h
    python -m benchmarks.textgen_tune --smoke --out /tmp/t.json   # the smallest run

The protocol:

* **Contenders**: ``benchmarks.textgen.CONTENDERS`` (the lesson's GRU-256, the tutorial's
  GRU-1024, a Transformer 4x128 and lesson 09's minGRU in residual blocks); each starts
  from ``CENTRES`` (its earlier sweep's choice).
* **Axes**, the same three for every contender (``AXES``): the peak learning rate
  (factors of 2), the characters per optimiser step through the batch size (factors of
  2, the sequence or context length fixed) and AdamW's weight decay (the ladder
  ``DECAYS``; 0 is plain Adam).
* **Search**: coordinate-wise from the best trial so far (lowest carried validation
  bits/char at the end of the budget): the next trial is the first untried neighbour of
  the best along the axes in that order. A contender is *bracketed* when both neighbours
  of its best on every axis were tried and were worse (or lie outside the axis's bounds,
  as a weight decay below 0). Each contender then gets further trials until all have the
  same number (``equalise``: the learning rate at half-octave steps around its best), at
  most ``MAX_TRIALS``; a contender not bracketed by then is recorded as such.
* **Budget and clock**: every trial trains for ``--minutes`` of wall time at seed 0
  (``benchmarks.textgen.run_one``: the clock stops while scoring at 1, 2 and the last
  minute), on validation only. A trial counts only if the machine was quiet: other
  processes used at most ``common.QUIET_SHARE`` of its CPU time while it ran
  (``others_cpu_share``, from ``/proc/stat``); a disturbed trial is kept in the file,
  marked, and run again. The 1-minute load average is recorded before and after each.
* **Order**: interleaved, one trial per contender in turn, so a slow spell of the machine
  falls on all of them.

Results: ``benchmarks/results/textgen_tune.json`` (the header of ``benchmarks/common.py``,
every trial with its steps, characters, CPU seconds, load and quiet share; ``chosen``,
``bracketed`` and ``trials`` per contender). The file is rewritten after every trial and a
rerun continues it.
"""

from __future__ import annotations

import math
import time

from benchmarks import common
from benchmarks.textgen import CONTENDERS, SMOKE_CHARS, SMOKE_MINUTES, load_data, machine_extra
from benchmarks.textgen import run_one as race_run

RESULTS = common.RESULTS / "textgen_tune.json"
MAX_TRIALS = 10
DECAYS = (0.0, 0.03, 0.1, 0.3, 1.0)
#: axis -> (kind, bounds): "octave" steps multiply by 2; "ladder" steps along DECAYS.
AXES = {
    "learning_rate": ("octave", (1e-4, 0.1)),
    "batch_size": ("octave", (4, 512)),
    "weight_decay": ("ladder", DECAYS),
}
_START = {"clipnorm": 1.0, "weight_decay": 0.0}
CENTRES = {
    "lesson GRU-256": {**_START, "batch_size": 32, "seq_length": 50, "learning_rate": 6e-3},
    "tutorial GRU-1024": {**_START, "batch_size": 64, "learning_rate": 4e-3},
    "Transformer 4x128": {**_START, "batch_size": 32, "learning_rate": 8e-3},
    "minGRU 2x256": {**_START, "batch_size": 32, "learning_rate": 4e-3},
}


def _bits(run: dict) -> float:
    return run["checkpoints"][-1]["bits_per_char"]


def _counted(runs: list[dict], name: str) -> list[dict]:
    """``name``'s trials that count: finished on a quiet machine."""
    return [r for r in runs if r["contender"] == name and r.get("quiet") is not False]


def neighbours(axis: str, value) -> list:
    """The values one step below and above ``value`` on ``axis`` that lie in its bounds."""
    kind, bounds = AXES[axis]
    if kind == "ladder":
        i = bounds.index(value)
        return [bounds[j] for j in (i - 1, i + 1) if 0 <= j < len(bounds)]
    low, high = bounds
    steps = [value / 2, value * 2]
    if axis == "batch_size":
        steps = [int(v) for v in steps]
    return [v for v in steps if low <= v <= high]


def next_trial(name: str, runs: list[dict]) -> dict | None:
    """The settings of ``name``'s next search trial, or None once its best is bracketed."""
    counted = _counted(runs, name)
    if not counted:
        return {**CONTENDERS[name], **CENTRES[name]}
    best = min(counted, key=_bits)["settings"]
    tried = [r["settings"] for r in counted]
    for axis in AXES:
        for value in neighbours(axis, best[axis]):
            candidate = {**best, axis: value}
            if candidate not in tried:
                return candidate
    return None


def equalise(name: str, runs: list[dict]) -> dict:
    """A spare trial for a bracketed contender: the learning rate half an octave either
    side of its best (below first), then a quarter, until one is untried."""
    counted = _counted(runs, name)
    best = min(counted, key=_bits)["settings"]
    tried = [r["settings"] for r in counted]
    for power in (0.5, 0.25, 0.125):
        for sign in (-1, 1):
            candidate = {**best, "learning_rate": best["learning_rate"] * 2 ** (sign * power)}
            if candidate not in tried:
                return candidate
    raise RuntimeError(f"{name}: no untried learning rate near its best")


def plan(names: list[str], runs: list[dict]) -> list[tuple[str, dict]]:
    """The next round: one trial for each contender that needs one (empty when done)."""
    counts = {n: len(_counted(runs, n)) for n in names}
    searching = {n: next_trial(n, runs) for n in names}
    searching = {n: s for n, s in searching.items() if s is not None and counts[n] < MAX_TRIALS}
    if searching:
        return list(searching.items())
    most = max(counts.values())
    return [(n, equalise(n, runs)) for n in names if counts[n] < most]


def summary(names: list[str], runs: list[dict]) -> dict:
    out = {}
    for name in names:
        counted = _counted(runs, name)
        if not counted:
            continue
        best = min(counted, key=_bits)
        out[name] = {
            "chosen": best["settings"],
            "validation_bits": _bits(best),
            "bracketed": next_trial(name, runs) is None,
            "trials": len(counted),
            "disturbed_trials": sum(
                r["contender"] == name and r.get("quiet") is False for r in runs
            ),
            "cpu_seconds": round(sum(r.get("cpu_seconds") or 0 for r in counted), 1),
        }
    return out


def main(argv=None) -> dict:
    parser = common.Parser(
        "textgen_tune",
        __doc__,
        out=RESULTS,
        smoke={"minutes": SMOKE_MINUTES, "contenders": ["lesson GRU-256"], "hours": 0.003},
    )
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--hours", type=float, default=math.inf, help="start no trial after")
    parser.add_argument(
        "--contenders", nargs="+", choices=list(CONTENDERS), default=list(CONTENDERS)
    )
    args = parser.parse_args(argv)
    data = load_data(SMOKE_CHARS if args.smoke else None)
    report = common.header(args.command, machine=machine_extra(), load=True)
    report |= {"benchmark": "tuning on validation", "minutes": args.minutes, "data": data["record"]}
    report |= {"axes": {k: list(v[1]) for k, v in AXES.items()}, "centres": CENTRES, "runs": []}
    report["protocol"] = __doc__.split("The protocol:", 1)[1].split("Results:", 1)[0].strip()
    report["quiet_share"], report["max_trials"] = common.QUIET_SHARE, MAX_TRIALS
    if common.resume(report, args.out, same=["minutes", "data"], keep=["runs"]):
        print(f"{len(report['runs'])} trials kept", flush=True)
    start = time.perf_counter()
    while rounds := plan(args.contenders, report["runs"]):
        for name, settings in rounds:
            if time.perf_counter() - start > 3600 * args.hours:
                break
            run = race_run(name, settings, data, split="validation", minutes=args.minutes, seed=0)
            if args.smoke:  # a smoke run tests code: the quiet rule is not applied
                run["quiet"] = None
            report["runs"].append({"trial": len(_counted(report["runs"], name)), **run})
            report["summary"] = summary(args.contenders, report["runs"])
            common.record_load(report)
            common.write(args.out, report)
        else:
            continue
        break
    report["summary"] = summary(args.contenders, report["runs"])
    report["finished"] = None if plan(args.contenders, report["runs"]) else common.now()
    common.record_load(report)
    common.write(args.out, report)
    for name, row in report["summary"].items():
        print(f"{name}: {row}", flush=True)
    return report


if __name__ == "__main__":
    main()
