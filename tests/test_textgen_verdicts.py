"""course_utils.lessons.l06_text_generation.verdicts: lesson 06's summary, rendered from the committed JSON."""

import pytest
from test_textgen_benchmark import race_report  # tests/ is on sys.path (pytest prepend mode)

from course_utils.core.evidence import OUTCOMES
from course_utils.core.results import load_results
from course_utils.lessons.l06_text_generation.verdicts import (
    HEAD_START,
    RACE_SUMMARY_POINTS,
    SUMMARY_POINTS,
    backend_verdicts,
    beats_uniform,
    benchmark_verdicts,
    match_verdict,
    window_positions,
)
from course_utils.textgen.benchmark import LESSON
from course_utils.verdicts import show_summary


def test_summary_renders_from_the_committed_json():
    report = load_results("textgen")
    verdicts = benchmark_verdicts(report) + [
        match_verdict("one-step equals full prefix", 3e-7, scope="live"),
        beats_uniform(2.4, 65, scope="live"),
    ]
    text = show_summary(verdicts, points=SUMMARY_POINTS)
    assert all(v.outcome in OUTCOMES and v.claim in text for v in verdicts)
    assert all(p in text for p in SUMMARY_POINTS)
    final = [
        r["checkpoints"][-1]["bits_per_char"] for r in report["runs"] if r["contender"] == LESSON
    ]
    assert f"{sum(final) / len(final):.3g} ± " in text  # the mean of the committed seeds


def test_race_verdicts_on_a_hand_made_race():
    verdicts = benchmark_verdicts(race_report())
    assert len(verdicts) == 2 * 3 + 2  # two rivals x three budgets, carried, goal
    assert all(v.outcome == "holds" for v in verdicts[:6])
    assert verdicts[6].outcome == "holds"  # carried 2.25-2.27 vs window 2.30-2.32
    assert verdicts[7].outcome == "does not hold"  # 2.25-2.27 is above the 2.10 goal
    assert benchmark_verdicts(race_report(), goal=2.3)[7].outcome == "holds"


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
        (lambda: benchmark_verdicts([]), TypeError, "report"),
        (lambda: benchmark_verdicts({"runs": [{"contender": LESSON}]}), ValueError, "contender"),
        (lambda: benchmark_verdicts(race_report(), goal=0), ValueError, "goal"),
    ],
)
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_race_verdicts_carry_the_tuning_and_the_positions_in_their_scope():
    report, sweep = load_results("textgen"), load_results("textgen_sweep")
    verdicts = benchmark_verdicts(report, sweep=sweep)
    rivals = [v for v in verdicts if "is ahead of" in v.claim]
    assert rivals and all(HEAD_START in v.scope for v in rivals)
    transformer = [v for v in rivals if "Transformer" in v.claim]
    assert all("optimum not bracketed" in v.scope for v in transformer)
    assert "optimum not bracketed" not in " ".join(v.scope for v in rivals if v not in transformer)
    carried = next(v for v in verdicts if v.claim.startswith("Carrying"))
    assert "carried 100-869, windows 0-799" in carried.scope  # the committed run's positions
    assert "4e7cb95" in verdicts[-1].scope
    aligned = dict(report, data=dict(report["data"], window_positions="the carried score's"))
    assert window_positions(aligned) == ""
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
    assert "up to 2% of the CPU" in speed.scope
    one = {**report, "runs": runs[:2]}
    assert backend_verdicts(one)[0].outcome == "observation"  # one seed each
    with pytest.raises(ValueError, match="both backends"):
        backend_verdicts({**report, "runs": [r for r in runs if r["backend"] == "jax"]})
    with pytest.raises(TypeError, match="runs"):
        backend_verdicts({"runs": None})
