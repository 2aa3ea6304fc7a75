"""Time ratios by the course's protocol: interleaved repeats in separate processes.

Run from the repository root::

    python -m benchmarks.timing                    # every case, 3 processes, ~10 min on 2 cores
    python -m benchmarks.timing --processes 2 --cases lesson05:adding_T50
    python -m benchmarks.timing --one              # internal: one process, prints one JSON line
    python -m benchmarks.timing --smoke --out /tmp/t.json   # the smallest run

A time ratio ("the GRU trains faster per epoch than the LSTM") is decided by
:func:`course_utils.core.evidence.time_ratio` from timings made like this:

* every process is a fresh Python (``--one``), started one after the other;
* inside it, each case builds fresh models of every cell, warms them up (graph tracing),
  then times ``BATCHES`` training batches per cell per round, the cells in turn and the
  order reversed every round (``course_utils.core.timing.interleaved``: A B, B A, ...);
* the 1-minute load is recorded before and after every case.

Cases: ``lesson05:<task>`` times the GRU against the LSTM on lesson 05's tasks
(``course_utils.experiments.gating``); ``lesson07:<task>@<size>`` times the SimpleRNN,
the LSTM and the GRU on lesson 07's grid tasks (``course_utils.lessons.l07_choosing``). Results:
``benchmarks/results/timing.json``, with the header of ``benchmarks/common.py``
(command, machine, date, commit, load average before and after). ``--smoke`` times
``lesson05:adding_T50`` in 2 processes, 2 rounds of one batch.
"""

from __future__ import annotations

import json
import os
import sys

from benchmarks import common

RESULTS = common.RESULTS / "timing.json"
ROUNDS, BATCHES = 8, 20
LESSON05 = ("adding_T50", "adding_T200", "char_lm")
LESSON07 = tuple(
    f"{task}@{size}"
    for task in ("adding_T10", "adding_T50", "temporal_order", "char_lm", "co2")
    for size in (16, 64)
)
CASES = tuple(f"lesson05:{t}" for t in LESSON05) + tuple(f"lesson07:{c}" for c in LESSON07)


def _lesson05(task: str, rounds: int, batches: int) -> dict:
    from course_utils.core.datasets import load_corpus
    from course_utils.experiments.gating import TASKS, time_task

    text = load_corpus(TASKS["char_lm"]["corpus"]).text if task == "char_lm" else None
    return time_task(task, text=text, rounds=rounds, batches=batches, raw=True)


def _lesson07(case: str, rounds: int, batches: int) -> dict:
    from course_utils.core.registry import RECURRENT
    from course_utils.core.timing import interleaved
    from course_utils.lessons.l07_choosing.tasks import TASKS, build_model, fit_targets, task_data

    task, size = case.split("@")
    data = task_data(task)
    y = fit_targets(task, data)
    size_b = TASKS[task].batch_size
    models = {cell: build_model(cell, task, int(size), data) for cell in RECURRENT}
    starts = [(k * size_b) % max(len(data.x) - size_b + 1, 1) for k in range(batches)]

    def step(model):
        def run():
            for k in starts:
                model.train_on_batch(data.x[k : k + size_b], y[k : k + size_b])

        return run

    for model in models.values():  # warm-up: trace the training graph
        model.train_on_batch(data.x[:size_b], y[:size_b])
    return interleaved({cell: step(m) for cell, m in models.items()}, rounds=rounds)


def one_process(cases, rounds: int, batches: int) -> dict:
    """Time every case in this process; the load before and after each."""
    from course_utils.core.timing import load_average

    out = {}
    for case in cases:
        lesson, name = case.split(":")
        before = load_average()
        run = _lesson05 if lesson == "lesson05" else _lesson07
        result = run(name, rounds, batches)
        result["load"] = [before, load_average()]
        out[case] = result
        print(f"{case}: " + ", ".join(
            f"{c} {sorted(s)[len(s) // 2]:.3f} s" for c, s in result["seconds"].items()
        ), file=sys.stderr, flush=True)  # fmt: skip
    return out


def main(argv=None) -> dict:
    parser = common.Parser(
        "timing",
        __doc__,
        out=RESULTS,
        smoke={"processes": 2, "cases": ["lesson05:adding_T50"], "rounds": 2, "batches": 1},
    )
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--batches", type=int, default=BATCHES)
    parser.add_argument("--one", action="store_true", help="internal: one process, JSON out")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if args.one:
        print(json.dumps(one_process(args.cases, args.rounds, args.batches)))
        return {}
    if args.processes < 2:
        parser.error("--processes must be at least 2: a time ratio needs separate processes")
    report = common.header(args.command, load=True)
    report |= {
        "benchmark": "time per training batch, interleaved (ABBA) in separate processes",
        "protocol": {
            "processes": args.processes,
            "rounds": args.rounds,
            "batches_per_round": args.batches,
            "order": "cells in turn, reversed every round, in fresh processes one after the other",
        },
        "cases": {case: [] for case in args.cases},
    }
    for p in range(args.processes):
        cases = args.cases if p % 2 == 0 else args.cases[::-1]  # alternate the case order too
        cmd = [sys.executable, "-m", "benchmarks.timing", "--one", "--rounds", str(args.rounds),
               "--batches", str(args.batches), "--cases", *cases]  # fmt: skip
        for case, result in common.run_child(cmd).items():
            report["cases"][case].append(result | {"process": p})
    report["finished"] = common.now()
    common.record_load(report)
    common.write(args.out, report)
    print(f"wrote {args.out}")
    return report


if __name__ == "__main__":
    main()
