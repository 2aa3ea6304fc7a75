"""course_utils.textgen.levers, .recipe and .width: the race's one-variable runs, the
tutorial's full recipe and the width-against-matmul-share runs, read from hand-made JSON."""

import pytest

from course_utils.textgen.levers import levers_table
from course_utils.textgen.recipe import recipe_against_race, recipe_table
from course_utils.textgen.width import width_against_race, width_table, width_text


def lever(name, slot, bits, speed=40000.0, quiet=True):
    return {
        "slot": slot,
        "lever": name,
        "quiet": quiet,
        "others_cpu_share": 0.01 if quiet else 0.4,
        "steps": 7000,
        "chars_per_second": speed,
        "checkpoints": [{"target_minutes": 5, "bits_per_char": bits}],
    }


def test_levers_table_compares_each_lever_with_the_mean_baseline():
    report = {
        "minutes": 5,
        "runs": [
            lever("baseline", 0, 2.07),
            lever("XLA (jit_compile=True)", 1, 2.50, quiet=False),  # disturbed, run again
            lever("XLA (jit_compile=True)", 1, 2.06, speed=60000.0),
            lever("dropout 0.2", 2, 2.12, quiet=False),  # disturbed twice: the second counts
            lever("dropout 0.2", 2, 2.11, quiet=False),
            lever("baseline", 3, 2.09),
        ],
    }
    text = levers_table(report)
    assert "2.500" not in text and "2.120" not in text and "2.110" in text
    (xla,) = [line for line in text.splitlines() if line.startswith("XLA")]
    assert "-0.020" in xla and "1.50x" in xla  # against 2.08 and 40,000 chars/s
    assert "baseline 2.080 bits" in text and "differ by 0.020 bits" in text
    assert "ran at 1.00x and 1.00x of their mean speed" in text
    assert "observations, not verdicts" in text and "(disturbed twice)" in text
    noisy = levers_table(report, seed_values=[2.0, 2.01, 2.02])  # s 0.01: 4.30 x 1.41 x s
    assert "a change within 0.061 bits" in noisy and "over 3 seeds" in noisy
    assert "beyond it: no lever" in noisy
    tight = levers_table(report, seed_values=[2.0, 2.001, 2.002])  # limit 0.006
    assert "beyond it: XLA (jit_compile=True) (-0.020), dropout 0.2 (+0.030)" in tight
    with pytest.raises(ValueError, match="baseline"):
        levers_table({"runs": [lever("dropout 0.2", 0, 2.1)]})
    with pytest.raises(TypeError, match="report"):
        levers_table([])


def test_recipe_table_lists_the_scored_epochs():
    epoch = {"bits_per_char": 1.6, "bits_per_char_window": 1.7, "train_bits": 1.2}
    report = {
        "date": "2026-12-08",
        "settings": {"batch_size": 64, "seq_length": 100},
        "steps_per_epoch": 155,
        "epochs": [
            {"epoch": 1, "steps": 155, "train_minutes": 4.8, **epoch},
            {"epoch": 20, "steps": 3100, "train_minutes": 97.0, **epoch},
        ],
        "quiet_epoch_seconds_median": 290.0,
        "finished": "2026-12-08",
    }
    text = recipe_table(report)
    assert "19.8 M" in text and "97.0" in text and "epoch took" not in text  # no epoch times
    assert "NOT finished" not in text and "train bits: Keras's running mean" in text
    assert "NOT finished" in recipe_table({**report, "finished": None})
    quiet = [{"epoch": 1, "seconds": 240.0}, {"epoch": 2, "seconds": 300.0}]
    assert "an epoch took 4.5 min on average (4.0-5.0)" in recipe_table(
        {**report, "epoch_seconds": quiet}
    )
    busy = {**report, "epoch_seconds": [{"epoch": 3, "seconds": 400.0, "others_cpu_share": 0.3}]}
    assert "epochs 3 shared the machine" in recipe_table(busy)
    assert "a quiet epoch took 4.8 min (median)" in recipe_table(busy)
    whole = {**report, "data": {"chars": {"train": 1003855, "validation": 55769, "test": 55770}}}
    assert "(the tutorial's epoch, over the whole text: 172 steps)" in recipe_table(whole)
    assert "resumed from its saved model at epoch(s) 7" in recipe_table(
        {**report, "resumed_at_epoch": [7]}
    )
    with pytest.raises(ValueError, match="no scored epoch"):
        recipe_table({**report, "epochs": []})
    cpu = {**report, "epochs": [{**report["epochs"][0], "train_cpu_minutes": 9.5}]}
    assert " 9.5 " in recipe_table(cpu) and " ? " in text  # older runs recorded no CPU time


def test_recipe_against_race_finds_the_first_epoch_at_each_race_mean():
    def scored(epoch, bits, minutes, train=2.0):
        return {"epoch": epoch, "steps": 155 * epoch, "train_minutes": minutes,
                "bits_per_char": bits, "train_bits": train}  # fmt: skip

    def run(name, bits):
        checkpoint = {"target_minutes": 5, "bits_per_char": bits, "chars": 700000}
        return {"contender": name, "checkpoints": [checkpoint]}

    report = {
        "settings": {"batch_size": 64, "seq_length": 100},
        "epochs": [scored(1, 3.0, 5.0), scored(5, 2.5, 25.0), scored(20, 2.3, 100.0)],
        "quiet_epoch_seconds_median": 270.0,
        "finished": "2026-12-08",
    }
    race = {
        "minutes": 5,
        "runs": [run("tutorial GRU-1024", b) for b in (2.6, 2.7, 2.8)]
        + [run("lesson GRU-256", b) for b in (2.19, 2.2, 2.21)],
    }
    text = recipe_against_race(report, race)
    assert "2.300 test bits after 3,100 steps, 100 wall minutes\n" in text  # no busy epoch
    assert (
        "tutorial GRU-1024 in the race after 5 minutes: 2.700 ± 0.100 (3 seeds) [2.600-2.800]"
        in text
    )
    assert "at or below it after epoch 5 (25 wall minutes)" in text
    assert (
        "at about the race's budget: the recipe's epoch 1 after 5.0 wall minutes and 1.0 M "
        "characters scored 3.000; the race's tutorial GRU-1024 (same architecture, the race's "
        "tuned settings) after 5 minutes and 0.7 M characters: 2.700 ± 0.100 (3 seeds)" in text
    )
    assert "lesson GRU-256" in text and "none of the recipe's scored epochs reached it" in text
    assert "lowest test score" not in text and "count baseline" not in text  # last is best
    busy = {**report, "epoch_seconds": [{"epoch": 3, "others_cpu_share": 0.5}]}
    assert "100 wall minutes (about 90 at a quiet epoch's pace)" in recipe_against_race(busy, race)
    assert "NOT finished" in recipe_against_race({**report, "finished": None}, race)
    overfit = {**report, "epochs": [*report["epochs"][:2], scored(20, 2.8, 100.0, train=1.0)]}
    text = recipe_against_race(overfit, race, {"counts, 3": 2.65, "counts, 1": 3.6})
    assert "lowest test score among the scored epochs: epoch 5, 2.500" in text
    assert "picked on test, which flatters it" in text and "epochs 2-4, 6-19 were not" in text
    assert "train bits went from 2.000 to 1.000 and its test bits from 2.500 to 2.800" in text
    assert "(overfitting)" in text
    assert (
        "best of the count baselines above (counts, 3, picked on test): 2.650; the recipe first scored at or below it "
        "after epoch 5 (25 wall minutes), and its epoch 20 is above it again" in text
    )
    with pytest.raises(ValueError, match="report"):
        recipe_against_race({"epochs": []}, race)
    with pytest.raises(TypeError, match="race"):
        recipe_against_race(report, [])
    with pytest.raises(TypeError, match="baselines"):
        recipe_against_race(report, race, [2.6])


def test_width_table_gives_the_share_per_width_and_shape():
    def run(shape, width, share, batch=32):
        return {
            "shape": shape,
            "hidden_size": width,
            "batch_size": batch,
            "seq_length": 50,
            "embedding_dim": 64,
            "training_flops_per_char": 1.5e6,
            "chars_per_second": 40000.0,
            "matmul_flops": 1.2e11,
            "matmul_share": share,
            "others_cpu_share": 0.02,
        }

    report = {
        "seconds": 40,
        "date": "2026-12-08",
        "runs": [
            run("lesson shape", 256, 0.30),
            run("lesson shape", 1024, 0.45),
            run("lesson shape", 256, 0.32),
            run("lesson shape", 1024, 0.43),
        ],
    }
    text = width_table(report)
    assert "31.0% (30.0%-32.0%)" in text and "44.0% (43.0%-45.0%)" in text
    assert "2 interleaved repeats" in text and "120-120 GFLOP/s" in text
    assert width_text(report) == (
        "lesson GRU's shape (32 x 50, embedding 64), share of the matmul rate by width: "
        "256: 31.0%, 1024: 44.0% (highest at 1024)"
    )
    wide = {"runs": [*report["runs"], run("tutorial shape", 256, 0.62, batch=64)]}
    assert width_text(wide).splitlines()[1:] == [
        "tutorial recipe's shape (64 x 50, embedding 64), share of the matmul rate by width: "
        "256: 62.0% (highest at 256)",
        "the second shape's share over the first's, same width (means): 256: 2.00x",
    ]
    assert "other processes used under 1% of the CPU" in width_table(
        {"seconds": 40, "runs": [{**run("lesson shape", 256, 0.3), "others_cpu_share": 0.0}]}
    )
    report["runs"].append({**run("lesson shape", 1024, 0.99), "disturbed": True})
    assert "99" not in width_table(report)  # a disturbed run, run again, is left out


def test_bad_input_is_named():
    with pytest.raises(TypeError, match="report"):
        width_text([])
    with pytest.raises(ValueError, match="at least 2 seeds"):
        levers_table({"runs": [lever("baseline", 0, 2.0)]}, seed_values=[2.0])


def test_width_against_race_finds_the_raced_shape():
    shape = {"hidden_size": 256, "batch_size": 32, "seq_length": 50, "embedding_dim": 64}
    width = {
        "runs": [
            {**shape, "chars_per_second": 40000.0},
            {**shape, "chars_per_second": 44000.0},
            {**shape, "chars_per_second": 10.0, "disturbed": True},  # run again: left out
            {**shape, "hidden_size": 512, "chars_per_second": 20000.0},
        ]
    }
    race = {
        "summary": {
            "lesson GRU-256": {
                "chars_per_second": {"median": 40000.0, "min": 39000.0, "max": 41000.0}
            }
        },
        "runs": [
            {"contender": "lesson GRU-256", "settings": shape, "chars_per_second": speed}
            for speed in (38000.0, 42000.0)
        ]
        + [{"contender": "lesson GRU-256", "chars_per_second": 1.0, "disturbed": True}],
    }
    text = width_against_race(width, race)
    assert "42,000 chars/s (mean of 2)" in text and "40,000 chars/s (mean of 2 runs" in text
    assert "38,000-42,000" in text and "ratio 1.05" in text
    other = {"runs": [{**shape, "hidden_size": 128, "chars_per_second": 1.0}]}
    assert width_against_race(other, race).startswith("no width run")
    with pytest.raises(ValueError, match="contender"):
        width_against_race(width, race, contender="GRU-9")
    with pytest.raises(TypeError, match="race"):
        width_against_race(width, [])
    # raced on JAX, measured for width on TensorFlow: the speed check's TensorFlow runs instead
    on_jax = {**race, "runs": [{**r, "backend": "jax"} for r in race["runs"]]}
    text = width_against_race(width, on_jax)
    assert "the race ran it on jax, another backend" in text and "no tensorflow run" in text
    check = {"runs": [
        {"backend": b, "settings": shape, "chars_per_second": v}
        for b, v in (("tensorflow", 41000.0), ("jax", 50000.0), ("tensorflow", 43000.0))
    ]}  # fmt: skip
    text = width_against_race(width, on_jax, check=check)
    assert "on tensorflow in its speed check, at the race's settings: 42,000 chars/s" in text
    assert "(mean of 2 runs, 41,000-43,000); ratio 1.00" in text
    with pytest.raises(TypeError, match="check"):
        width_against_race(width, on_jax, check=[])


def test_levers_table_marks_a_run_that_diverged_and_the_cores_it_used():
    failed = lever("no weight decay (from 0.03)", 1, 3.5)
    failed["checkpoints"] = [
        {"target_minutes": 1, "bits_per_char": 2.5},
        {"target_minutes": 5, "bits_per_char": 3.5},
    ]
    base = {**lever("baseline", 0, 2.0), "cpu_seconds": 450.0, "train_seconds": 300.0}
    report = {
        "minutes": 5,
        "machine": {"threads": {"intra_op": 0, "inter_op": 0, "note": "0 = default"}},
        "runs": [base, failed, lever("baseline", 2, 2.02, speed=44000.0)],
    }
    text = levers_table(report, seed_values=[2.0, 2.01, 2.02])
    (row,) = [line for line in text.splitlines() if line.startswith("no weight decay")]
    assert "(diverged)" in row
    assert "beyond it: no weight decay (from 0.03) (+1.490, diverged)" in text
    assert "diverged: no weight decay (from 0.03)" in text
    assert "0.95x and 1.05x of their mean speed" in text
    assert "0 intra-op, 0 inter-op; 0 = default; cores busy" in text
    (first,) = [line for line in text.splitlines() if line.startswith("baseline ")][:1]
    assert " 1.50 " in first  # 450 CPU seconds over 300 s of wall time
