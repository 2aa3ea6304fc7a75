"""Time one forward + backward pass per batch: the NumPy engine against Keras.

Run from the repository root::

    python -m benchmarks.numpy_vs_keras            # all cells, hidden 32/128/512
    python -m benchmarks.numpy_vs_keras --cells lstm --hidden 32 128
    python -m benchmarks.numpy_vs_keras --smoke --out /tmp/n.json   # the smallest run

Both sides do the same work: outputs for a ``(batch, time, input_size)`` float32 batch,
then the gradients of ``sum(outputs * d_outputs)`` for every weight and the input.
NumPy runs ``cell.forward`` + ``cell.backward``; Keras runs the layer under
``tf.GradientTape`` inside a ``tf.function`` (compiled, as ``model.fit`` runs it).
Each number is the median of several timed repeats after one warm-up.
Results go to ``benchmarks/results/numpy_vs_keras.json`` with the header of
``benchmarks/common.py`` (command, machine and versions, date, commit). ``--smoke`` times
one Elman cell of 4 units on a batch of 2 sequences of 3 steps of 2 inputs.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from benchmarks import common
from course_utils import numpy_rnn

RESULTS = common.RESULTS / "numpy_vs_keras.json"
CELLS = {
    "elman": lambda d, h: numpy_rnn.Elman(d, h, dtype="float32"),
    "jordan": lambda d, h: numpy_rnn.Jordan(d, h, d, mu=0.5, dtype="float32"),
    "lstm": lambda d, h: numpy_rnn.LSTM(d, h, dtype="float32"),
    "gru": lambda d, h: numpy_rnn.GRU(d, h, dtype="float32"),
}


def median_seconds(run, min_repeats: int = 3, min_total: float = 0.5) -> float:
    """Median wall time of ``run()`` after one warm-up call."""
    run()
    times = []
    while len(times) < min_repeats or sum(times) < min_total:
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
        if len(times) >= 30:
            break
    return statistics.median(times)


def time_pair(cell_name: str, batch: int, steps: int, input_size: int, hidden: int) -> dict:
    import tensorflow as tf

    cell = CELLS[cell_name](input_size, hidden)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, steps, input_size)).astype("float32")
    d_outputs = rng.standard_normal((batch, steps, cell.output_size)).astype("float32")

    def numpy_step():
        outputs, cache = cell.forward(x)
        return cell.backward(d_outputs, cache)

    layer = cell.to_keras()
    x_tf, d_tf = tf.constant(x), tf.constant(d_outputs)

    @tf.function(reduce_retracing=True)
    def keras_step(inputs, d):
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            loss = tf.reduce_sum(layer(inputs) * d)
        return tape.gradient(loss, [*layer.trainable_weights, inputs])

    numpy_s = median_seconds(numpy_step)
    keras_s = median_seconds(lambda: [g.numpy() for g in keras_step(x_tf, d_tf)])
    return {
        "cell": cell_name,
        "batch": batch,
        "time": steps,
        "input_size": input_size,
        "hidden_size": hidden,
        "numpy_ms": round(1e3 * numpy_s, 2),
        "keras_ms": round(1e3 * keras_s, 2),
        "numpy_over_keras": round(numpy_s / keras_s, 2),
    }


def main(argv=None) -> dict:
    parser = common.Parser(
        "numpy_vs_keras",
        __doc__,
        out=RESULTS,
        smoke={"cells": ["elman"], "hidden": [4], "batch": 2, "time": 3, "input_size": 2},
    )
    parser.add_argument("--cells", nargs="+", choices=sorted(CELLS), default=list(CELLS))
    parser.add_argument("--hidden", nargs="+", type=int, default=[32, 128, 512])
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--time", type=int, default=50)
    parser.add_argument("--input-size", type=int, default=32)
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    report = common.header(args.command)
    results = []
    for name in args.cells:
        for hidden in args.hidden:
            row = time_pair(name, args.batch, args.time, args.input_size, hidden)
            print(
                f"{name:>6} hidden={hidden:<4} numpy {row['numpy_ms']:9.2f} ms   "
                f"keras {row['keras_ms']:9.2f} ms   numpy/keras {row['numpy_over_keras']:.2f}"
            )
            results.append(row)
    report |= {
        "benchmark": "forward + backward (all weight and input gradients) per batch, float32",
        "keras_mode": "tf.function + tf.GradientTape",
        "results": results,
    }
    common.write(args.out, report)
    print(f"wrote {args.out}")
    return report


if __name__ == "__main__":
    main()
