"""Time per training step against the sequence length: Keras GRU (a sequential loop over
the steps) against Keras MinGRU (a parallel log-space scan), at equal width, each without
and with XLA.

Run from the repository root::

    python -m benchmarks.scan_timing                 # T = 64 ... 4096, 4 processes (~10 min on 2 cores)
    python -m benchmarks.scan_timing --lengths 64 256 1024 --processes 2
    python -m benchmarks.scan_timing --one ...       # internal: one process, prints one JSON line
    python -m benchmarks.scan_timing --smoke --out /tmp/s.json   # the smallest run

The protocol is the course's (``benchmarks/timing.py``): every process is a fresh Python,
started one after the other; inside it, for each length, fresh models of both layers are
built, each compiled without and with XLA (``jit_compile``), and warmed up (tracing and
compiling), then ``--batches`` training steps of each setting are timed per round, in
turns, the order reversed every round (A B C D, D C B A, ...), after one untimed warm-up
round of each; the setting that takes the first slot rotates over the processes (the GRU,
the MinGRU, the GRU with XLA, the MinGRU with XLA); the 1-minute load is recorded before
and after every length. Held equal: the width (units), the batch, the input and the
optimiser; each layer is compared at its faster setting. Not equal: the parameters (a
GRU has ``3(nm + n^2 + 2n)``, a MinGRU ``2(m + 1)n``; both counts are recorded). Lesson
09 reads ``benchmarks/results/scan_timing.json`` through
``course_utils.lessons.l09_revival.verdicts.timing_verdicts``.
``--smoke``: T = 16 and 32, 2 processes, 2 rounds of one batch, width 8.
"""

from __future__ import annotations

import json
import os
import sys

from benchmarks import common

RESULTS = common.RESULTS / "scan_timing.json"
LENGTHS = (64, 128, 256, 512, 1024, 2048, 4096)
#: Who takes the first slot, in turn over the processes (process p: FIRST[p % len(FIRST)]).
FIRST = ("gru", "mingru", "gru_xla", "mingru_xla")


def one_process(
    lengths, *, width: int, batch: int, rounds: int, batches: int, first: str = "gru"
) -> dict:
    """Time every length in this process, ``first`` starting each length's first round;
    the load before and after each."""
    from course_utils.core.timing import load_average
    from course_utils.lessons.l09_revival.experiments import time_training_steps

    out = {}
    for T in lengths:
        before = load_average()
        result = time_training_steps(
            T, width=width, batch=batch, rounds=rounds, batches=batches, first=first
        )
        result["load"] = [before, load_average()]
        out[str(T)] = result
        print(f"T={T}: " + ", ".join(
            f"{c} {sorted(s)[len(s) // 2]:.3f} s" for c, s in result["seconds"].items()
        ), file=sys.stderr, flush=True)  # fmt: skip
    return out


def main(argv=None) -> dict:
    parser = common.Parser(
        "scan_timing",
        __doc__,
        out=RESULTS,
        smoke={"processes": 2, "lengths": [16, 32], "rounds": 2, "batches": 1, "width": 8},
    )
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--lengths", nargs="+", type=int, default=list(LENGTHS))
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batches", type=int, default=2)
    parser.add_argument("--note", default="", help="a note stored in the report's notes")
    parser.add_argument("--one", action="store_true", help="internal: one process, JSON out")
    parser.add_argument("--first", choices=FIRST, default=FIRST[0], help="internal: who starts")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sizes = {"width": args.width, "batch": args.batch, "rounds": args.rounds}
    if args.one:
        out = one_process(args.lengths, batches=args.batches, first=args.first, **sizes)
        print(json.dumps(out))
        return {}
    if args.processes < 2:
        parser.error("--processes must be at least 2: a time ratio needs separate processes")
    report = common.header(args.command, load=True)
    report |= {
        "benchmark": "seconds per round of training steps, Keras GRU vs Keras MinGRU, each "
        "without and with XLA, interleaved (ABCD DCBA) in separate processes",
        "protocol": {
            "processes": args.processes,
            "rounds": args.rounds,
            "batches_per_round": args.batches,
            "width": args.width,
            "batch": args.batch,
            "features": 8,
            "held_equal": "width, batch, input, optimiser (Adam 1e-3), loss (MSE at every step); "
            "each layer is timed without and with XLA (jit_compile) and compared at its "
            "faster setting",
            "order": "settings in turn, reversed every round, in fresh processes one after the "
            "other; the setting that starts rotates over the processes ("
            + ", ".join(f"{FIRST[p % len(FIRST)]} in process {p}" for p in range(args.processes))
            + ")",
            "warmup": "per length and layer: one traced step, then one untimed round of both",
        },
        "notes": [args.note] if args.note else [],
        "lengths": {str(T): [] for T in args.lengths},
    }
    for p in range(args.processes):
        lengths = args.lengths if p % 2 == 0 else args.lengths[::-1]  # alternate the order too
        cmd = [sys.executable, "-m", "benchmarks.scan_timing", "--one", "--width",
               str(args.width), "--batch", str(args.batch), "--rounds", str(args.rounds),
               "--batches", str(args.batches), "--first", FIRST[p % len(FIRST)],
               "--lengths", *map(str, lengths)]  # fmt: skip
        for T, result in common.run_child(cmd).items():
            report["lengths"][T].append(result | {"process": p})
    report["finished"] = common.now()
    common.record_load(report)
    common.write(args.out, report)
    print(f"wrote {args.out}")
    return report


if __name__ == "__main__":
    main()
