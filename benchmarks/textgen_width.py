"""What the recurrent layer's width does to the share of the CPU's matmul rate a GRU
character model reaches in training (issue #28), everything else fixed.

Run from the repository root, with Tiny Shakespeare available (``COURSE_DATA_DIR``)::

    python -m benchmarks.textgen_width                  # about 12 min on 2 cores
    python -m benchmarks.textgen_width --smoke --out /tmp/w.json   # the smallest run

The race's two GRUs differ in width and also in window and embedding (and in batch
wherever their tuning chose different ones), so their matmul shares cannot say which of
these costs the narrow one its share. Here only the width changes (``WIDTHS``), at the
lesson GRU's batch and window (32 x 50, embedding 64), and again at the tutorial's own
recipe's (64 x 100, embedding 256; the race's tuned tutorial GRU trained at its own batch,
so this shape is the recipe's, not the race's). Each configuration trains in a fresh
process (the race's code path: ``build_from_settings``, ``compile_char_model`` with
``jit_compile="auto"``, ``char_dataset``, one ``fit`` call), its first ``WARMUP`` batches
(compilation, the shuffle buffer's first fill) untimed, then ``--seconds`` of training
timed by a callback that stops the fit; the same process then
measures the machine's float32 matmul rate (``benchmarks.textgen.matmul_rate``, 2048 x 2048,
best of 20). Share = characters per second x training FLOPs per character
(``course_utils.textgen.cost``) / that rate. The configurations run ``--repeats`` times,
interleaved (A B C ... A B C ...), each recording the share of the CPU other processes used;
a run above ``common.QUIET_SHARE`` is kept, marked ``disturbed``, and run once more (a
second disturbed run counts, marked ``quiet: false``).

Results: ``benchmarks/results/textgen_width.json`` (the header of ``benchmarks/common.py``;
per run: width, batch, window, chars/s, FLOPs per character, achieved FLOP/s, matmul rate,
share, others' CPU share).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from benchmarks import common

RESULTS = common.RESULTS / "textgen_width.json"
WIDTHS = (128, 256, 512, 1024)
#: (label, batch size, window, embedding): the lesson GRU's shape and the tutorial's.
SHAPES = (("lesson shape", 32, 50, 64), ("tutorial shape", 64, 100, 256))
WARMUP = 20


def configurations(widths=WIDTHS) -> list[dict]:
    return [
        {"shape": label, "hidden_size": w, "batch_size": b, "seq_length": t, "embedding_dim": e}
        for label, b, t, e in SHAPES
        for w in widths
    ]


def _stopwatch(seconds: float):
    """A Keras callback: counts the batches after the first ``WARMUP`` for ``seconds`` of
    wall time, then stops training."""
    import keras

    class Stopwatch(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seen, self.steps, self.start, self.elapsed = 0, 0, None, 0.0

        def on_train_batch_end(self, batch, logs=None):
            self.seen += 1
            now = time.perf_counter()
            if self.seen == WARMUP:
                self.start = now
            elif self.start is not None:
                self.steps, self.elapsed = self.seen - WARMUP, now - self.start
                if self.elapsed >= seconds:
                    self.model.stop_training = True

    return Stopwatch()


def one_run(config: dict, seconds: float, chars: int | None, matmul: int) -> dict:
    """Time ``config``'s training in this process; return the run."""
    import keras

    from benchmarks.textgen import load_data, matmul_rate
    from course_utils.textgen import build_from_settings, char_dataset, compile_char_model
    from course_utils.textgen.cost import training_flops_per_char

    data = load_data(chars)
    settings = {
        "cell": "gru", "num_layers": 1, "stateful": False, "schedule": "constant",
        "warmup": 0.0, "learning_rate": 2e-3, "clipnorm": 1.0,
        **{k: v for k, v in config.items() if k != "shape"},
    }  # fmt: skip
    keras.utils.set_random_seed(0)
    model = build_from_settings(settings, data["vocab_size"])
    compile_char_model(
        model, learning_rate=settings["learning_rate"], clipnorm=settings["clipnorm"]
    )
    batch, window = settings["batch_size"], settings["seq_length"]
    dataset = char_dataset(data["train_ids"], window, batch, seed=0)
    clock = _stopwatch(seconds)
    cpu = common.cpu_snapshot()
    # one fit, as the race trains: the clock starts after WARMUP batches (compilation and
    # the shuffle buffer's first fill) and stops training after ``seconds``
    model.fit(dataset, epochs=1, steps_per_epoch=10**9, callbacks=[clock], verbose=0)
    others = common.others_cpu_share(cpu)
    steps, elapsed = clock.steps, clock.elapsed
    chars_per_second = steps * batch * window / elapsed
    flops = training_flops_per_char(settings, data["vocab_size"])
    rate = matmul_rate(matmul)
    return {
        **config,
        "steps": steps,
        "seconds": round(elapsed, 2),
        "chars_per_second": round(chars_per_second, 1),
        "training_flops_per_char": flops,
        "achieved_flops": round(chars_per_second * flops),
        "matmul_flops": round(rate),
        "matmul_share": round(chars_per_second * flops / rate, 4),
        "others_cpu_share": others,
    }


def main(argv=None) -> dict:
    parser = common.Parser(
        "textgen_width",
        __doc__,
        out=RESULTS,
        smoke={"seconds": 1.0, "repeats": 1, "widths": [32]},
    )
    parser.add_argument("--seconds", type=float, default=40.0, help="timed training per run")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--widths", type=int, nargs="+", default=list(WIDTHS))
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child: one configuration, JSON
    args = parser.parse_args(argv)
    from benchmarks.textgen import SMOKE_CHARS, SMOKE_MATMUL

    chars, matmul = (SMOKE_CHARS, SMOKE_MATMUL) if args.smoke else (None, 2048)
    if args.one:
        print(json.dumps(one_run(json.loads(args.one), args.seconds, chars, matmul)), flush=True)
        return {}
    report = common.header(args.command, load=True)
    report |= {"benchmark": "GRU width against matmul share", "seconds": args.seconds, "runs": []}
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    for repeat in range(args.repeats):
        for config in configurations(args.widths):
            command = [
                sys.executable,
                "-m",
                "benchmarks.textgen_width",
                "--one",
                json.dumps(config),
            ]
            command += ["--seconds", str(args.seconds), "--out", str(args.out)]
            command += ["--smoke"] if args.smoke else []
            run = {"repeat": repeat, **common.run_child(command, env=env)}
            if (run["others_cpu_share"] or 0) > common.QUIET_SHARE:  # disturbed: once more
                report["runs"].append(run | {"disturbed": True})
                run = {"repeat": repeat, **common.run_child(command, env=env)}
            report["runs"].append(
                run | {"quiet": (run["others_cpu_share"] or 0) <= common.QUIET_SHARE}
            )
            print(
                f"{run['shape']}, width {run['hidden_size']}: {run['chars_per_second']:,.0f} "
                f"chars/s, {run['matmul_share']:.1%} of the matmul rate",
                flush=True,
            )
            common.record_load(report)
            common.write(args.out, report)
    report["finished"] = common.now()
    common.record_load(report)
    common.write(args.out, report)
    return report


if __name__ == "__main__":
    main()
