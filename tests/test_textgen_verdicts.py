"""course_utils.lessons.l06_text_generation.verdicts: lesson 06's summary, rendered from the committed JSON."""

import pytest

from course_utils.core.evidence import OUTCOMES
from course_utils.core.results import load_results
from course_utils.lessons.l06_text_generation.race_verdicts import best_course_model, race_verdicts
from course_utils.lessons.l06_text_generation.verdicts import (
    RACE_SUMMARY_POINTS,
    SUMMARY_POINTS,
    backend_verdicts,
    beats_uniform,
    match_verdict,
    race_backend,
    window_positions,
)
from course_utils.verdicts import show_summary


def test_summary_renders_from_the_committed_json():
    report = load_results("textgen")
    verdicts = race_verdicts(report) + [
        match_verdict("one-step equals full prefix", 3e-7, scope="live"),
        beats_uniform(2.4, 65, scope="live"),
    ]
    text = show_summary(verdicts, points=SUMMARY_POINTS)
    assert all(v.outcome in OUTCOMES and v.claim in text for v in verdicts)
    assert all(p in text for p in SUMMARY_POINTS)
    best = best_course_model(report)
    final = [
        r["checkpoints"][-1]["bits_per_char"]
        for r in report["runs"]
        if r["contender"] == best and not r.get("disturbed")
    ]
    assert f"{sum(final) / len(final):.3g} ± " in text  # the mean of the committed seeds


def test_match_and_uniform_outcomes():
    assert match_verdict("same", 0.0, scope="s").outcome == "holds"
    assert match_verdict("same", 0.3, scope="s").outcome == "does not hold"
    # One trained model is one seed: an observation that says how it went.
    worse = beats_uniform(6.5, 65, scope="s")  # log2 65 = 6.02
    assert worse.outcome == "observation" and "0 of 1 seed below" in worse.measured
    better = beats_uniform(3.0, 65, scope="s")
    assert better.outcome == "observation" and "1 of 1 seed below" in better.measured


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: match_verdict("", 0.1, scope="s"), TypeError, "claim"),
        (lambda: match_verdict("c", -1.0, scope="s"), ValueError, "gap"),
        (lambda: match_verdict("c", 0.1, tolerance=0, scope="s"), ValueError, "tolerance"),
        (lambda: match_verdict("c", 0.1, scope=""), TypeError, "scope"),
        (lambda: beats_uniform(2.0, 1, scope="s"), ValueError, "vocab_size"),
        (lambda: beats_uniform("2", 65, scope="s"), TypeError, "bits"),
    ],
)
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_committed_race_verdicts_carry_the_tuning_and_the_goal_origin():
    report = load_results("textgen")
    verdicts = race_verdicts(report)
    rivals = [v for v in verdicts if "is ahead of" in v.claim]
    assert len(rivals) == 3 * 3  # three rivals x three checkpoints
    assert all("trials of the same search" in v.scope for v in rivals)
    assert all("each on the backend its speed check picked" in v.scope for v in rivals)
    carried = next(v for v in verdicts if v.claim.startswith("Carrying"))
    assert window_positions(report) == ""  # both scores on the same characters (issue #28)
    assert "different characters" not in carried.scope
    goal = next(v for v in verdicts if "test bits per character after" in v.claim)
    assert "4e7cb95" in goal.scope and "course's own bar" in goal.scope
    old = {"data": {"chars": {"test": 55770}, "rows_per_held_out_split": 64, "burn_in": 100,
                    "window": 100}}  # fmt: skip
    assert window_positions(old).endswith("carried 100-869, windows 0-799")
    assert not any("same effort" in p for p in RACE_SUMMARY_POINTS)


def _backend_run(backend, seed, speed, bits):
    return {
        "backend": backend,
        "seed": seed,
        "chars_per_second": speed,
        "others_cpu_share": 0.02,
        "checkpoints": [{"target_minutes": 2.0, "bits_per_char": bits}],
    }


def test_backend_verdicts_compare_speed_and_score_over_seeds():
    runs = []
    for seed in range(3):
        runs += [_backend_run("tensorflow", seed, 30000 + 100 * seed, 2.30 + 0.01 * seed)]
        runs += [_backend_run("jax", seed, 40000 + 100 * seed, 2.30 + 0.01 * seed)]
    report = {"date": "2026-12-07", "machine": {"cpu_count": 2}, "runs": runs}
    speed, score = backend_verdicts(report)
    assert speed.outcome == "holds" and "JAX" in speed.claim and "2-minute" in speed.scope
    assert score.outcome == "inconclusive"  # the same scores: no side
    assert "up to 2.0% of the CPU" in speed.scope
    one = {**report, "runs": runs[:2]}
    assert backend_verdicts(one)[0].outcome == "observation"  # one seed each
    with pytest.raises(ValueError, match="both backends"):
        backend_verdicts({**report, "runs": [r for r in runs if r["backend"] == "jax"]})
    with pytest.raises(TypeError, match="runs"):
        backend_verdicts({"runs": None})


def test_race_backend_is_jax_only_where_jax_is_faster():
    """One rule for every contender: JAX only where the speed verdict holds."""

    def check(jax_speed, seeds=3):
        runs = []
        for seed in range(seeds):
            runs += [_backend_run("tensorflow", seed, 30000 + 100 * seed, 2.3)]
            runs += [_backend_run("jax", seed, jax_speed + 100 * seed, 2.3)]
        return {"date": "2026-12-08", "machine": {"cpu_count": 2}, "runs": runs}

    backend, speed = race_backend(check(40000))
    assert backend == "jax" and speed.holds
    assert race_backend(check(20000))[0] == "tensorflow"  # TensorFlow faster
    assert race_backend(check(30050))[0] == "tensorflow"  # no difference: inconclusive
    assert race_backend(check(40000, seeds=1))[0] == "tensorflow"  # one seed: no verdict
