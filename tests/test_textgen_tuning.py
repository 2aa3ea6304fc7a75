"""course_utils.textgen.tuning and the verdicts of a race tuned alike (issue #28), on
hand-made search and race records."""

import pytest
from test_textgen_benchmark import LESSON, TRANSFORMER, TUTORIAL, _run

from course_utils.lessons.l06_text_generation.race_verdicts import (
    baseline_verdicts,
    best_course_model,
    race_verdicts,
)
from course_utils.textgen.benchmark import benchmark_table
from course_utils.textgen.race_summary import race_summary
from course_utils.textgen.tuning import (
    bracket_gaps,
    bracket_text,
    noise_text,
    tune_table,
    tuning_text,
)

MINGRU = "minGRU 2x256"
CENTRE = {"learning_rate": 6e-3, "batch_size": 32, "seq_length": 50, "weight_decay": 0.0}


def trial(settings, bits, quiet=True):
    return {
        "contender": LESSON,
        "settings": {**CENTRE, **settings},
        "quiet": quiet,
        "others_cpu_share": 0.02 if quiet else 0.3,
        "steps": 7000,
        "chars_per_second": 39000.0,
        "checkpoints": [{"target_minutes": 5, "bits_per_char": bits}],
    }


def search(bracketed=True):
    runs = [
        trial({}, 2.07),
        trial({"learning_rate": 3e-3}, 2.09),
        trial({"learning_rate": 1.2e-2}, 2.08),
        trial({"batch_size": 16}, 2.10, quiet=False),  # disturbed: does not count
        trial({"batch_size": 16}, 2.11),
        trial({"batch_size": 64}, 2.09),
        trial({"weight_decay": 0.03}, 2.075),
        trial({"learning_rate": 3e-3, "batch_size": 64}, 1.5),  # off the centre's lines
    ]
    if not bracketed:
        runs = runs[:2]
    chosen = runs[0]["settings"]
    if bracketed:
        runs[-1]["settings"]["weight_decay"] = 0.3  # another line again, and the best ...
        runs[-1]["checkpoints"][0]["bits_per_char"] = 2.2  # ... no longer
    summary = {
        LESSON: {
            "chosen": chosen,
            "validation_bits": 2.07,
            "bracketed": bracketed,
            "trials": len(runs) - 1,
            "disturbed_trials": 1,
            "cpu_seconds": 3600.0,
        }
    }
    return {"minutes": 5, "date": "2026-12-07", "runs": runs, "summary": summary}


def test_bracket_text_names_both_sides_of_every_axis():
    text = bracket_text(search(), LESSON)
    assert text.startswith(f"{LESSON}: learning rate 0.006 (2.070): 0.003 -> 2.090 (worse)")
    assert "0.012 -> 2.080 (worse)" in text
    assert "batch 32 (2.070): 16 -> 2.110 (worse); 64 -> 2.090 (worse)" in text  # quiet one
    assert "weight decay 0 (2.070): none below; 0.03 -> 2.075 (worse)" in text
    assert "none above" in bracket_text(search(bracketed=False), LESSON)
    bounded = {**search(), "axes": {"weight_decay": [0.0, 0.03, 0.1], "batch_size": [4, 512]}}
    assert "weight decay 0 (2.070): none below (the search's bound);" in bracket_text(
        bounded, LESSON
    )
    with pytest.raises(ValueError, match="contender must be one of"):
        bracket_text(search(), "nobody")
    with pytest.raises(TypeError, match="tune"):
        bracket_text([], LESSON)


def test_tune_table_marks_the_choice_and_the_disturbed_trial():
    text = tune_table(search())
    assert text.count("<- chosen") == 1 and text.count("disturbed, re-run") == 1
    assert f"{LESSON}: 7 trials (1 more disturbed and re-run), 60 CPU-minutes" in text
    assert "in all: 7 trials that count, 1 disturbed and re-run, 0.0 CPU-hours" in text
    assert "optimum bracketed on every axis" in text and "NOT finished" in text
    assert "NOT bracketed" in tune_table(search(bracketed=False))
    assert "NOT finished" not in tune_table({**search(), "finished": "2026-12-07"})


def tuned_race(lesson_validation=2.07, mingru_validation=2.10):
    """Four contenders, 3 seeds, the minGRU slightly ahead on test, one disturbed run."""
    runs = []
    for seed in range(3):
        d = 0.01 * seed
        runs += [
            _run(LESSON, seed, (2.40 + d, 2.25 + d, 2.09 + d), 45000.0),
            _run(TUTORIAL, seed, (5.8, 5.7, 5.6), 3500.0),  # did not train: near log2 65
            _run(TRANSFORMER, seed, (2.6 + d, 2.4 + d, 2.2 + d), 16000.0),
            _run(MINGRU, seed, (2.45 + d, 2.3 + d, 2.05 + d), 12000.0),
        ]
    runs.append({**_run(TRANSFORMER, 0, (1.0, 1.0, 1.0), 1.0), "disturbed": True})
    search = {
        LESSON: {"validation_bits": lesson_validation, "trials": 8, "bracketed": True},
        TUTORIAL: {"validation_bits": 2.9, "trials": 8, "bracketed": True},
        TRANSFORMER: {"validation_bits": 2.2, "trials": 8, "bracketed": False},
        MINGRU: {"validation_bits": mingru_validation, "trials": 8, "bracketed": True},
    }
    return {
        "date": "2026-12-08",
        "minutes": 5,
        "machine": {"cpu_count": 2},
        "vocab_size": 65,
        "matmul_flops": [6.0e10, 8.0e10],
        "runs": runs,
        "tuning": {"search": search},
    }


def test_each_contender_against_the_best_count_baseline():
    counts = {"counts, 2-char context": 3.0, "counts, 3-char context": 2.5}
    verdicts = baseline_verdicts(tuned_race(), counts)
    assert len(verdicts) == 4  # the disturbed Transformer run is no fifth contender
    outcome = {v.claim.split("the ")[1].split(" scores")[0]: v.outcome for v in verdicts}
    assert outcome == {
        LESSON: "holds", TUTORIAL: "does not hold", TRANSFORMER: "holds", MINGRU: "holds",
    }  # fmt: skip
    assert "counts, 3-char context, 2.500 bits/char" in verdicts[0].claim
    assert baseline_verdicts(tuned_race(), {}) == []  # offline: nothing to compare
    with pytest.raises(TypeError, match="baselines"):
        baseline_verdicts(tuned_race(), [2.5])
    with pytest.raises(ValueError, match="baselines"):
        baseline_verdicts(tuned_race(), {"bad": float("nan")})


def test_the_course_model_is_chosen_on_validation():
    assert best_course_model(tuned_race()) == LESSON  # 2.07 < 2.10 on validation ...
    assert best_course_model(tuned_race(mingru_validation=2.0)) == MINGRU
    with pytest.raises(ValueError, match="search row"):
        best_course_model({"tuning": {"search": {}}})
    assert "NOT bracketed" in tuning_text(tuned_race(), TRANSFORMER)
    assert "commit 9b00261" in tuning_text(tuned_race(), LESSON)


def test_race_verdicts_on_a_race_tuned_alike():
    verdicts = race_verdicts(tuned_race())
    assert len(verdicts) == 3 * 3 + 3  # three rivals x three budgets, carried, goal, matmul
    by_rival = {o: verdicts[3 * i : 3 * i + 3] for i, o in enumerate((TUTORIAL, TRANSFORMER))}
    assert by_rival[TUTORIAL][0].claim.startswith("At the 1-minute checkpoint of a 5-minute")
    assert by_rival[TUTORIAL][2].claim.startswith("After 5 min of a 5-minute schedule")
    assert "one of 9 such comparisons" in by_rival[TUTORIAL][0].scope
    # the tutorial did not train: inconclusive, said, whatever the gap
    assert {v.outcome for v in by_rival[TUTORIAL]} == {"inconclusive"}
    assert "did not train" in by_rival[TUTORIAL][0].measured
    # the Transformer's disturbed run (1.0 bits) is left out: the lesson model is ahead
    assert {v.outcome for v in by_rival[TRANSFORMER]} == {"holds"}
    assert "NOT bracketed" in by_rival[TRANSFORMER][0].scope
    mingru = verdicts[6:9]  # the minGRU is ahead of the lesson model at 5 min, behind before
    assert [v.outcome for v in mingru] == ["holds", "holds", "does not hold"]
    goal = verdicts[-2]
    assert goal.outcome == "inconclusive"  # 2.09, 2.10, 2.11: one seed below 2.10
    matmul = verdicts[-1]  # 45,000 chars/s x 1 MFLOP / 80 GFLOP/s = 56 %
    assert matmul.outcome == "holds" and "50%" in matmul.claim
    with pytest.raises(TypeError, match="report"):
        race_verdicts([])
    with pytest.raises(ValueError, match="goal"):
        race_verdicts(tuned_race(), goal=0)


def test_race_tables_leave_out_disturbed_runs_and_say_how_each_was_tuned():
    report = tuned_race()
    summary = race_summary(report)
    assert "how each was tuned (the same search, on the validation split):" in summary
    assert f"  {TRANSFORMER}: 8 trials of the same search, optimum NOT bracketed" in summary
    # the disturbed Transformer run (1.0 bits) is in no mean
    assert f"{TRANSFORMER} 2.210" in summary and "1.000" not in summary
    table = benchmark_table(report)
    assert "1 run(s) left out and run again: other processes used ? of the CPU" in table


def test_bracket_gaps_and_the_noise_of_one_seed():
    gaps = bracket_gaps(search(), LESSON)
    assert sorted(round(g, 3) for g in gaps) == [0.005, 0.01, 0.02, 0.02, 0.04]
    text = noise_text(search(), LESSON, [2.0, 2.001, 2.002])  # s 0.001: 4.30 x 1.41 x s
    assert "within ±0.006 bits in 95% of pairs" in text
    assert "weight decay 0.03 +0.005 (within)" in text and "learning rate 0.003 +0.020," in text
    assert "1 of 5 not distinguishable from the choice" in text
    assert "every neighbour is worse" in noise_text(search(), LESSON, [2.0, 2.0005, 2.001])
    assert "nothing bracketed" in noise_text({"runs": [trial({}, 2.0)]}, LESSON, [2.0, 2.1])


def test_search_point_counts_the_bracketed_optima():
    from course_utils.textgen.tuning import search_point

    assert search_point(search()).startswith(
        f"The search bracketed 1 of 1 contenders' optima on every axis within 7 trials each ({LESSON})"
    )
    with pytest.raises(ValueError, match="summary"):
        search_point({"runs": []})


def test_noise_text_names_a_bad_spread():
    with pytest.raises(ValueError, match="values"):
        noise_text(search(), LESSON, [2.0, float("nan")])
    with pytest.raises(ValueError, match="at least 2 seeds"):
        noise_text(search(), LESSON, [2.0])
