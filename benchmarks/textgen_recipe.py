"""TensorFlow's text-generation tutorial at its own full recipe, once, as the race's
reference row (issue #28): what the race's 5 minutes cut off.

Run from the repository root, with Tiny Shakespeare available (``COURSE_DATA_DIR``)::

    python -m benchmarks.textgen_recipe                 # 20 epochs, about 90 min on 2 cores
    python -m benchmarks.textgen_recipe --smoke --out /tmp/r.json   # the smallest run

The recipe is the tutorial's (``course_utils.textgen.TUTORIAL_SETTINGS``): embedding 256 ->
GRU 1024 -> Dense, non-overlapping windows of 100 characters shuffled in a buffer of
10,000, batches of 64, Adam at a constant 1e-3, no clipping, 20 epochs. One epoch is one
pass over the race's training split (the tutorial passes over the whole text, which here
also holds the validation and test splits). One seed. After epochs ``SCORED`` the model is
scored on the race's test rows with the race's rule (state carried, the first 100
characters of each row not scored; and windows of 100 on the same positions), with the
wall clock paused. The JSON records the wall time and the process's CPU time at every
scored epoch, the load and the quiet share (``common.others_cpu_share``).

Results: ``benchmarks/results/textgen_recipe.json``.
"""

from __future__ import annotations

import os
import time

from benchmarks import common
from benchmarks.textgen import BURN_IN, SMOKE_CHARS, WINDOW, load_data, machine_extra

RESULTS = common.RESULTS / "textgen_recipe.json"
EPOCHS, SCORED = 20, (1, 2, 5, 10, 20)


def main(argv=None) -> dict:
    parser = common.Parser(
        "textgen_recipe", __doc__, out=RESULTS, smoke={"epochs": 2, "steps_per_epoch": 3}
    )
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--steps-per-epoch", type=int, default=None, help="default: one pass")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    from course_utils.textgen import TUTORIAL_SETTINGS as T
    from course_utils.textgen import build_from_settings, char_dataset, compile_char_model
    from course_utils.textgen.train import held_out_evaluator

    data = load_data(SMOKE_CHARS if args.smoke else None)
    keras.utils.set_random_seed(0)
    dataset = char_dataset(data["train_ids"], T["seq_length"], T["batch_size"], seed=0)
    per_epoch = (
        args.steps_per_epoch
        or (len(data["train_ids"]) - 1) // (T["seq_length"] + 1) // T["batch_size"]
    )
    model = build_from_settings(T, data["vocab_size"])
    compile_char_model(model, learning_rate=T["learning_rate"], clipnorm=T["clipnorm"])
    evaluate = held_out_evaluator(model, data["rows"]["test"], burn_in=BURN_IN, window=WINDOW)
    report = common.header(args.command, machine=machine_extra(), load=True)
    report |= {
        "benchmark": "the tutorial's full recipe, scored on test",
        "settings": T,
        "data": data["record"],
        "steps_per_epoch": per_epoch,
        "epochs": [],
    }
    cpu, wall, train_wall = common.cpu_snapshot(), time.perf_counter(), 0.0
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        history = model.fit(dataset, epochs=1, steps_per_epoch=per_epoch, verbose=0)
        train_wall += time.perf_counter() - start
        if epoch in SCORED or epoch == args.epochs:
            scores = evaluate(model)  # the training clock is not running here
            report["epochs"].append(
                {
                    "epoch": epoch,
                    "steps": epoch * per_epoch,
                    "train_minutes": round(train_wall / 60, 2),
                    "train_bits": round(history.history["loss"][-1] / 0.6931471805599453, 4),
                    **{k: round(v, 4) for k, v in scores.items()},
                    "others_cpu_share": common.others_cpu_share(cpu),
                    "load_average_1min": os.getloadavg()[0],
                }
            )
            print(report["epochs"][-1], flush=True)
            common.record_load(report)
            common.write(args.out, report)
    report["wall_minutes"] = round((time.perf_counter() - wall) / 60, 2)
    report["finished"] = common.now()
    common.record_load(report)
    common.write(args.out, report)
    return report


if __name__ == "__main__":
    main()
