"""Two follow-ups to the architecture grid (lesson 07), small enough to rerun.

Run from the repository root::

    python -m benchmarks.architecture_probes                 # both probes
    python -m benchmarks.architecture_probes --only order_lr # one of them, the other kept
    python -m benchmarks.architecture_probes --smoke --out /tmp/p.json   # the smallest run

* ``order_lr``: why does an LSTM of 64 units stay at chance on temporal order while one
  of 16 solves it? The same task and budget at smaller learning rates, three seeds
  (the grid's rate, 1e-2, is the grid's own rows). Adam moves every weight by about
  the learning rate per step whatever the layer's width, so a unit's pre-activation,
  a sum over ``units`` recurrent weights, moves about 4x more per step at 64 units
  than at 16; 1e-2 x 16/64 = 2.5e-3 gives the wider layer the narrow one's step.
* ``data_sweep``: "a GRU overfits less when data is limited" (the source article). An
  LSTM and a GRU of 64 units on the adding problem (T=50) trained on a few dataset
  sizes, three seeds each, for the same number of gradient steps (so a small dataset
  is not also a shorter training), scored on the same held-out set; the JSON keeps the
  training and held-out MSE of every run, so "overfits" can be read as their gap.

Every run uses ``course_utils.lessons.l07_choosing``'s models (global-norm clipping). Results:
``benchmarks/results/architecture_probes.json`` with the header of
``benchmarks/common.py`` (command, machine, date, commit). A run resumes the file by
default: the probe it does not run (``--only``) keeps its earlier rows; ``--fresh``
drops them. ``--smoke`` runs each probe once: seed 0, one learning rate, one epoch, one
dataset size of 64 and 2 steps, on the fast-mode data (``task_data(fast=True)``).
"""

from __future__ import annotations

import math
import time

from benchmarks import common

RESULTS = common.RESULTS / "architecture_probes.json"
ORDER_RATES = (2.5e-3, 1e-3)
SWEEP = {"task": "adding_T50", "size": 64, "cells": ("lstm", "gru"), "steps": 600}
SWEEP_SIZES = (100, 300, 1000, 4000)
SEEDS = (0, 1, 2)
#: ``--smoke``: the smallest settings of both probes (the data in fast mode too).
SMOKE = {"seeds": (0,), "rates": ORDER_RATES[:1], "epochs": 1, "sizes": (64,), "steps": 2}


def order_lr(seeds=SEEDS, rates=ORDER_RATES, *, epochs: int | None = None, fast: bool = False):
    """LSTM(64) on temporal order at each learning rate and seed: accuracy and loss history
    (``epochs``: the task's own budget when None; ``fast``: the fast-mode data)."""
    from course_utils.core.training import Budget
    from course_utils.lessons.l07_choosing import run_one

    budget = None if epochs is None else Budget(epochs=epochs)
    rows = []
    for rate in rates:
        for seed in seeds:
            row = run_one("lstm", "temporal_order", 64, seed, budget, fast=fast, learning_rate=rate)
            keep = ("cell", "task", "size", "seed", "epochs", "metric", "chance", "history")
            rows.append({k: row[k] for k in keep} | {"learning_rate": rate})
            print(f"order_lr lr={rate:g} seed {seed}: accuracy {row['metric']:.3f}")
    return rows


def _subset(data, n: int):
    """The first ``n`` training sequences of ``data``; the held-out set unchanged."""
    from dataclasses import replace

    return replace(data, x=data.x[:n], y=data.y[:n])  # (n, T, 2), (n, 1)


def data_sweep(seeds=SEEDS, sizes=SWEEP_SIZES, *, steps=SWEEP["steps"], fast: bool = False):
    """LSTM and GRU on ``SWEEP['task']`` at each training-set size, ``steps`` gradient steps
    for all (``fast``: the fast-mode data, for ``--smoke``)."""
    import keras

    from course_utils.lessons.l07_choosing import TASKS, build_model, evaluate, task_data

    spec = TASKS[SWEEP["task"]]
    full = task_data(SWEEP["task"], fast=fast)
    rows = []
    for n in sizes:
        data = _subset(full, n)
        seen = replace_val(data)
        batches = math.ceil(n / spec.batch_size)
        epochs = math.ceil(steps / batches)
        for seed in seeds:
            for cell in SWEEP["cells"]:  # interleaved: LSTM, GRU, LSTM, GRU, ...
                keras.utils.set_random_seed(seed)
                model = build_model(cell, SWEEP["task"], SWEEP["size"], data)
                start = time.perf_counter()
                model.fit(data.x, data.y, batch_size=spec.batch_size, epochs=epochs, verbose=0)
                row = {
                    "cell": cell, "task": SWEEP["task"], "size": SWEEP["size"], "seed": seed,
                    "n_train": n, "epochs": epochs,
                    "steps": int(model.optimizer.iterations.numpy()),
                    "train_seconds": round(time.perf_counter() - start, 2),
                    "train_mse": round(evaluate(model, SWEEP["task"], seen), 6),
                    "val_mse": round(evaluate(model, SWEEP["task"], data), 6),
                    "n_val": len(data.y_val),
                }  # fmt: skip
                rows.append(row)
                print(
                    f"data_sweep n={n} {cell} seed {seed}: train {row['train_mse']:.4f} "
                    f"held-out {row['val_mse']:.4f}"
                )
    return rows


def replace_val(data):
    """``data`` with its training set as the 'held-out' one: evaluate() then scores training."""
    from dataclasses import replace

    return replace(data, x_val=data.x, y_val=data.y)


def main(argv: list[str] | None = None) -> dict:
    import course_utils

    parser = common.Parser("architecture_probes", __doc__, out=RESULTS, smoke={}, resume=True)
    parser.add_argument("--only", choices=["order_lr", "data_sweep"])
    args = parser.parse_args(argv)
    course_utils.setup()
    small = SMOKE if args.smoke else {"seeds": SEEDS, "rates": ORDER_RATES, "epochs": None}
    small = {"sizes": SWEEP_SIZES, "steps": SWEEP["steps"], **small}
    result = common.header(args.command)
    if args.resume:  # the probe not run now keeps its earlier rows
        common.resume(result, args.out, keep=["order_lr", "data_sweep"])
    if args.only in (None, "order_lr"):
        rows = order_lr(small["seeds"], small["rates"], epochs=small["epochs"], fast=args.smoke)
        result["order_lr"] = {"settings": {"rates": list(small["rates"])}, "rows": rows}
        common.write(args.out, result)
    if args.only in (None, "data_sweep"):
        settings = SWEEP | {"cells": list(SWEEP["cells"]), "sizes": list(small["sizes"])}
        settings["steps"] = small["steps"]
        rows = data_sweep(small["seeds"], small["sizes"], steps=small["steps"], fast=args.smoke)
        result["data_sweep"] = {"settings": settings, "rows": rows}
    result["finished"] = common.now()
    common.write(args.out, result)
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    main()
