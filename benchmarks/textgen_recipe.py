"""TensorFlow's text-generation tutorial at its own full recipe, once, as the race's
reference row (issue #28): what the race's 5 minutes cut off.

Run from the repository root, with Tiny Shakespeare available (``COURSE_DATA_DIR``)::

    python -m benchmarks.textgen_recipe                 # 20 epochs, about 100 min on 2 cores
    python -m benchmarks.textgen_recipe --smoke --out /tmp/r.json   # the smallest run

The recipe is the tutorial's (``course_utils.textgen.TUTORIAL_SETTINGS``): embedding 256 ->
GRU 1024 -> Dense, non-overlapping windows of 100 characters shuffled in a buffer of
10,000, batches of 64, Adam at a constant 1e-3, no clipping, 20 epochs. One epoch is one
pass over the race's training split (the tutorial passes over the whole text, which here
also holds the validation and test splits). One seed. After epochs ``SCORED`` the model is
scored on the race's test rows with the race's rule (state carried, the first 100
characters of each row not scored; and windows of 100 on the same positions), with the
wall clock paused. The JSON records the wall time and the process's CPU time (all its
threads) at every scored epoch, and every epoch's wall and CPU time with the share of the CPU other processes used
during it (``common.others_cpu_share``): the scores do not depend on the machine's load,
only the times do, and ``quiet_epoch_seconds_median`` is taken over the quiet epochs. The
model (with its optimiser) is saved after every epoch in ``--checkpoint``, and a rerun
continues from the last saved epoch (``--fresh`` starts over); the folder is removed
when the run finishes.

Results: ``benchmarks/results/textgen_recipe.json``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from pathlib import Path

from benchmarks import common
from benchmarks.textgen import BURN_IN, SMOKE_CHARS, WINDOW, load_data, machine_extra

RESULTS = common.RESULTS / "textgen_recipe.json"
EPOCHS, SCORED = 20, (1, 2, 5, 10, 20)


CHECKPOINT = common.ROOT / "build" / "textgen_recipe"


def _resumable(args) -> dict | None:
    """The unfinished report at ``--out`` whose model was saved after its last epoch."""
    old = common.read(args.out) if args.resume else None
    done = (old or {}).get("epochs_done", 0)
    if not old or old.get("finished") or not done or done >= args.epochs:
        return None
    if old.get("steps_per_epoch_requested") != args.steps_per_epoch:
        return None
    if not (args.checkpoint / f"epoch{done}.keras").is_file():
        print(f"not resuming: no saved model for epoch {done} in {args.checkpoint}", flush=True)
        return None
    return old


def _cpu_minutes(epochs: list[dict]) -> float | None:
    """The process's CPU minutes over ``epochs``; None when an epoch (from a report written
    before CPU time was recorded, then resumed) lacks it: a partial sum would mislead."""
    if any("cpu_seconds" not in e for e in epochs):
        return None
    return round(sum(e["cpu_seconds"] for e in epochs) / 60, 2)


def main(argv=None) -> dict:
    parser = common.Parser(
        "textgen_recipe",
        __doc__,
        out=RESULTS,
        smoke={"epochs": 2, "steps_per_epoch": 3},
        resume=True,
    )
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--steps-per-epoch", type=int, default=None, help="default: one pass")
    parser.add_argument(
        "--checkpoint", type=Path, default=CHECKPOINT,
        help="where the model is saved after every epoch, so that a rerun continues",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.smoke and args.checkpoint == CHECKPOINT:  # beside the smoke run's JSON
        args.checkpoint = args.out.parent / f"{args.out.stem}_model"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    from course_utils.textgen import TUTORIAL_SETTINGS as T
    from course_utils.textgen import build_from_settings, char_dataset, compile_char_model
    from course_utils.textgen.train import held_out_evaluator

    data = load_data(SMOKE_CHARS if args.smoke else None)
    per_epoch = (
        args.steps_per_epoch
        or (len(data["train_ids"]) - 1) // (T["seq_length"] + 1) // T["batch_size"]
    )
    report = common.header(args.command, machine=machine_extra(), load=True)
    report |= {
        "benchmark": "the tutorial's full recipe, scored on test",
        "settings": T,
        "data": data["record"],
        "steps_per_epoch": per_epoch,
        "steps_per_epoch_requested": args.steps_per_epoch,
        "epochs": [],
        "epoch_seconds": [],
        "epochs_done": 0,
    }
    old = _resumable(args)
    if old and old.get("data") == report["data"]:
        common.resume(report, args.out, keep=["epochs", "epoch_seconds", "epochs_done"])
        first = report["epochs_done"] + 1
        model = keras.models.load_model(args.checkpoint / f"epoch{first - 1}.keras")
        report["resumed_at_epoch"] = [*old.get("resumed_at_epoch", []), first]
        print(f"resuming at epoch {first}", flush=True)
    else:
        first = 1
        keras.utils.set_random_seed(0)
        model = build_from_settings(T, data["vocab_size"])
        compile_char_model(model, learning_rate=T["learning_rate"], clipnorm=T["clipnorm"])
    # a resumed run shuffles its remaining epochs with another seed (the order differs from
    # an uninterrupted run's; the recipe's constant learning rate has no schedule to break)
    dataset = char_dataset(data["train_ids"], T["seq_length"], T["batch_size"], seed=first - 1)
    evaluate = held_out_evaluator(model, data["rows"]["test"], burn_in=BURN_IN, window=WINDOW)
    args.checkpoint.mkdir(parents=True, exist_ok=True)
    cpu = common.cpu_snapshot()
    for epoch in range(first, args.epochs + 1):
        epoch_cpu, start = common.cpu_snapshot(), time.perf_counter()
        process_start = time.process_time()
        history = model.fit(dataset, epochs=1, steps_per_epoch=per_epoch, verbose=0)
        seconds = time.perf_counter() - start
        report["epoch_seconds"].append(
            {
                "epoch": epoch,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(time.process_time() - process_start, 2),
                "others_cpu_share": common.others_cpu_share(epoch_cpu),
            }
        )
        if epoch in SCORED or epoch == args.epochs:
            scores = evaluate(model)  # the training clock is not running here
            report["epochs"].append(
                {
                    "epoch": epoch,
                    "steps": epoch * per_epoch,
                    "train_minutes": round(
                        sum(e["seconds"] for e in report["epoch_seconds"]) / 60, 2
                    ),
                    "train_cpu_minutes": _cpu_minutes(report["epoch_seconds"]),
                    "train_bits": round(history.history["loss"][-1] / 0.6931471805599453, 4),
                    **{k: round(v, 4) for k, v in scores.items()},
                    "others_cpu_share": common.others_cpu_share(cpu),
                    "load_average_1min": os.getloadavg()[0],
                }
            )
            print(report["epochs"][-1], flush=True)
        model.save(args.checkpoint / f"epoch{epoch}.keras")
        (args.checkpoint / f"epoch{epoch - 1}.keras").unlink(missing_ok=True)
        report["epochs_done"] = epoch
        common.record_load(report)
        common.write(args.out, report)
    quiet = [
        e["seconds"]
        for e in report["epoch_seconds"]
        if (e["others_cpu_share"] or 0) <= common.QUIET_SHARE
    ]
    report["quiet_epoch_seconds_median"] = round(statistics.median(quiet), 2) if quiet else None
    report["finished"] = common.now()
    common.record_load(report)
    common.write(args.out, report)
    shutil.rmtree(args.checkpoint, ignore_errors=True)  # finished: nothing left to resume
    return report


if __name__ == "__main__":
    main()
