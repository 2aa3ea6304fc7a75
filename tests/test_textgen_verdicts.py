"""course_utils.textgen.verdicts: lesson 06's summary, rendered from the committed JSON."""

import pytest

from course_utils.results import load_results
from course_utils.textgen.verdicts import (
    SUMMARY_POINTS,
    beats_uniform,
    benchmark_verdicts,
    match_verdict,
)
from course_utils.verdicts import OUTCOMES, show_summary


def test_summary_renders_from_the_committed_json():
    report = load_results("textgen")
    verdicts = benchmark_verdicts(report) + [
        match_verdict("one-step equals full prefix", 3e-7, scope="live"),
        beats_uniform(2.4, 65, scope="live"),
    ]
    text = show_summary(verdicts, points=SUMMARY_POINTS)
    assert all(v.outcome in OUTCOMES and v.claim in text for v in verdicts)
    assert all(p in text for p in SUMMARY_POINTS)
    lesson = next(r for r in report["runs"] if r["label"].startswith("lesson"))
    assert f"{lesson['checkpoints'][-1]['bits_per_char']:.3g}" in text  # from the JSON


def test_match_and_uniform_outcomes():
    assert match_verdict("same", 0.0, scope="s").outcome == "holds"
    assert match_verdict("same", 0.3, scope="s").outcome == "does not hold"
    assert beats_uniform(6.5, 65, scope="s").outcome == "does not hold"  # log2 65 = 6.02
    assert beats_uniform(3.0, 65, scope="s").outcome == "holds"


def test_a_tie_is_inconclusive():
    run = {"checkpoints": [{"bits_per_char": 2.0, "bits_per_char_window": 2.0}]}
    report = {"runs": [{"label": "lesson x", **run}, {"label": "tutorial y", **run}]}
    assert [v.outcome for v in benchmark_verdicts(report)] == ["inconclusive", "inconclusive"]


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
        (lambda: benchmark_verdicts({"runs": [{"label": "lesson"}]}), ValueError, "tutorial"),
        (
            lambda: benchmark_verdicts({"runs": [{"label": "lesson"}, {"label": "tutorial"}]}),
            ValueError,
            "checkpoint",
        ),
    ],
)
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
