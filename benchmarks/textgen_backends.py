"""The same Keras model on two backends: lesson 06's GRU on TensorFlow and on JAX.

Run from the repository root, with Tiny Shakespeare available (``COURSE_DATA_DIR``) and
JAX installed (``pip install "jax[cpu]"``)::

    python -m benchmarks.textgen_backends --minutes 5 --seeds 3   # about 35 min on 2 cores
    python -m benchmarks.textgen_backends --contender "Transformer 4x128" --minutes 1 \
        --out benchmarks/results/textgen_backends_transformer_4x128.json  # a speed check
    python -m benchmarks.textgen_backends --smoke --out /tmp/b.json   # the smallest run

Keras picks its backend once per process (``KERAS_BACKEND``), so every run is a fresh
process; runs alternate (TensorFlow, JAX, TensorFlow, JAX, ...) so that a busy spell of
the machine falls on both. Each run trains ``--contender`` (lesson 06's GRU by default) at
the tuning search's choice (``benchmarks.textgen.tuned``) with ``train_settings``, the code
path of the race, on the race's training split, and
is scored on its test split at 1, 2 and ``--minutes`` minutes. Results go to
``benchmarks/results/textgen_backends.json`` with the header of ``benchmarks/common.py``
(command, machine, date, commit, load average) and each run's library versions. A run
on a machine that other processes used for more than ``common.QUIET_SHARE`` of its CPU is
kept, marked ``disturbed``, and run once more (the tables leave it out).
The race (``benchmarks.textgen``) reads one such report per contender (its
``BACKEND_CHECKS``: the lesson's model in ``textgen_backends.json``, the others in
``textgen_backends_<contender>.json``, 1-minute runs, since only the speed decides) to pick
each contender's backend, and starts every race run the way this script starts its
runs (``run_child``).
``--smoke`` trains on TensorFlow only (``--backends``), one seed, with the race's smoke
sizes (``benchmarks.textgen.SMOKE_MINUTES`` on its first ``SMOKE_CHARS`` characters).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from benchmarks import common
from benchmarks.textgen import SMOKE_CHARS, SMOKE_MINUTES

RESULTS = common.RESULTS / "textgen_backends.json"
BACKENDS = ("tensorflow", "jax")


def settings_of(contender: str, smoke: bool) -> dict:
    """``contender``'s settings: the tuning search's choice (an unfinished one in a smoke run)."""
    from benchmarks.textgen import tuned

    return tuned(allow_unfinished=smoke)["chosen"][contender]


def one_run(
    backend: str, minutes: float, seed: int, chars: int | None, contender: str, smoke: bool
) -> dict:
    """Train in this process (its ``KERAS_BACKEND`` must be ``backend``); return the run."""
    import keras

    from benchmarks.textgen import load_data, run_one

    if keras.backend.backend() != backend:
        raise SystemExit(f"KERAS_BACKEND is {keras.backend.backend()!r}; expected {backend!r}.")
    data = load_data(chars)
    run = run_one(
        contender, settings_of(contender, smoke), data, split="test", minutes=minutes, seed=seed
    )
    versions = {"keras": keras.__version__}
    if backend == "jax":
        import jax

        versions["jax"] = jax.__version__
        versions["jax_devices"] = [str(d) for d in jax.devices()]
    else:
        import tensorflow as tf

        versions["tensorflow"] = tf.__version__
    return {"backend": backend, "versions": versions, **run}


def _clock_class():
    import keras

    class Clock(keras.callbacks.Callback):
        """Times every batch; with ``every_batch`` it also sets the learning rate first."""

        def __init__(self, every_batch: bool, peak: float):
            super().__init__()
            self.every_batch, self.peak, self.times = every_batch, peak, []

        def on_train_batch_begin(self, batch, logs=None):
            if self.every_batch:
                self.model.optimizer.learning_rate = self.peak * 0.999**batch

        def on_train_batch_end(self, batch, logs=None):
            self.times.append(time.perf_counter())

    return Clock


def _Clock(**kwargs):
    return _clock_class()(**kwargs)


def throughput(backend: str, steps: int, chars: int | None, contender: str, smoke: bool) -> dict:
    """Characters per second of plain ``fit`` on the lesson's model, ``steps`` batches,
    with no callback and with one that sets the learning rate before every batch (what
    ``train_for``'s wall-clock schedule does); the first 20 batches (compilation) excluded."""
    import keras

    from benchmarks.textgen import load_data
    from course_utils.textgen import build_from_settings, char_dataset, compile_char_model

    S = settings_of(contender, smoke)

    data = load_data(chars)
    out = {"backend": backend, "steps": steps}
    for variant in ("plain fit", "learning rate set every batch"):
        keras.utils.set_random_seed(0)
        model = build_from_settings(S, data["vocab_size"])
        compile_char_model(model, learning_rate=S["learning_rate"], clipnorm=S["clipnorm"])
        dataset = char_dataset(data["train_ids"], S["seq_length"], S["batch_size"], seed=0)

        clock = _Clock(every_batch=variant != "plain fit", peak=S["learning_rate"])
        model.fit(dataset, epochs=1, steps_per_epoch=steps + 20, callbacks=[clock], verbose=0)
        seconds = clock.times[-1] - clock.times[19]
        out[variant] = round(steps * S["batch_size"] * S["seq_length"] / seconds, 1)
    return out


def run_child(
    backend: str, contender: str, *, minutes: float, seed: int, smoke: bool, throughput: int = 0
) -> dict:
    """Train ``contender`` on ``backend`` in a fresh process (``--one``) and return its run
    (with ``throughput``: its chars/s check instead), or SystemExit with its errors. The race
    (``benchmarks.textgen``) runs every run this way too."""
    command = [sys.executable, "-m", "benchmarks.textgen_backends", "--one", backend]
    command += ["--minutes", str(minutes), "--seed", str(seed), "--contender", contender]
    command += ["--throughput", str(throughput)]
    if smoke:  # the child writes nothing, but a smoke run must name an --out of its own
        command += ["--smoke", "--out", os.path.join(tempfile.gettempdir(), "child.json")]
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    print(done.stdout.split("RUN ", 1)[0].strip(), flush=True)  # what the child said
    lines = [x for x in done.stdout.splitlines() if x.startswith("RUN ")]
    if done.returncode or not lines:
        raise SystemExit(f"{contender} on {backend}, seed {seed}, failed:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1][4:])


def _child(args, backend: str, seed: int) -> dict:
    return run_child(
        backend, args.contender, minutes=args.minutes, seed=seed, smoke=args.smoke,
        throughput=args.throughput,
    )  # fmt: skip


def main(argv=None) -> dict:
    parser = common.Parser(
        "textgen_backends",
        __doc__,
        out=RESULTS,
        smoke={"minutes": SMOKE_MINUTES, "seeds": 1, "backends": ["tensorflow"]},
    )
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument(
        "--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS),
        help="the Keras backends to alternate (default: both)",
    )  # fmt: skip
    parser.add_argument(
        "--throughput",
        type=int,
        default=0,
        metavar="STEPS",
        help="instead of training runs: chars/s of plain fit over STEPS batches, per backend",
    )
    from benchmarks.textgen import CONTENDERS

    parser.add_argument(
        "--contender", choices=list(CONTENDERS), default="lesson GRU-256",
        help="the race's model to train, at the tuning search's choice (default: the lesson's)",
    )  # fmt: skip
    parser.add_argument("--one", choices=BACKENDS, help=argparse.SUPPRESS)  # a child process
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    chars = SMOKE_CHARS if args.smoke else None
    if args.one:
        run = (
            throughput(args.one, args.throughput, chars, args.contender, args.smoke)
            if args.throughput
            else one_run(args.one, args.minutes, args.seed, chars, args.contender, args.smoke)
        )
        print("RUN " + json.dumps(run), flush=True)
        return {}
    from benchmarks.textgen import machine_extra

    report = common.header(args.command, machine=machine_extra(), load=True)
    report |= {
        "benchmark": "one of the race's models on two Keras backends, alternated",
        "contender": args.contender,
        "minutes": args.minutes,
        "quiet_share": common.QUIET_SHARE,
        "runs": [],
    }
    for seed in range(args.seeds):
        for backend in args.backends:
            run = _child(args, backend, seed)
            if run.get("quiet") is False and not args.smoke and not args.throughput:
                report["runs"].append(run | {"disturbed": True})  # kept, left out, run again
                common.write(args.out, report)
                run = _child(args, backend, seed)
            if args.throughput:
                report.setdefault("throughput", []).append(run)
                print(run, flush=True)
            else:
                report["runs"].append(run)
                last = run["checkpoints"][-1]
                print(
                    f"{backend:10s} seed {seed}: {last['bits_per_char']:.3f} bits/char, "
                    f"{run['chars_per_second']:,.0f} chars/s",
                    flush=True,
                )
            common.record_load(report)
            common.write(args.out, report)
    report["finished"] = common.now()
    common.record_load(report)
    common.write(args.out, report)
    print(f"wrote {args.out}")
    return report


if __name__ == "__main__":
    main()
