"""The interleaved timing loop and the process record the statistics core reads."""

import pytest

from course_utils.core import evidence
from course_utils.core.timing import interleaved, load_average, pair_process


def test_interleaved_reverses_the_order_every_round():
    calls = []
    result = interleaved({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, rounds=4)
    assert calls == ["a", "b", "b", "a", "a", "b", "b", "a"] == result["order"]
    assert {k: len(v) for k, v in result["seconds"].items()} == {"a": 4, "b": 4}


def test_interleaved_warmup_rounds_run_every_contender_untimed():
    calls = []
    steps = {"b": lambda: calls.append("b"), "a": lambda: calls.append("a")}
    result = interleaved(steps, rounds=2, warmup_rounds=1)
    assert calls == ["b", "a", "b", "a", "a", "b"]  # warm-up b a, then timed b a, a b
    assert result["order"] == ["b", "a", "a", "b"]
    assert {k: len(v) for k, v in result["seconds"].items()} == {"b": 2, "a": 2}


def test_pair_process_feeds_time_ratio():
    result = {
        "order": ["x", "y", "z", "z", "y", "x"],
        "seconds": {"x": [1, 1], "y": [2, 2], "z": [3, 3]},
    }
    p = pair_process(result, "x", "z", [load_average(), 1.0])
    assert p["order"] == "ABBA" and p["a"] == [1, 1] and p["b"] == [3, 3]
    v = evidence.time_ratio("x faster than z", [p, p], names=("x", "z"))
    assert v.outcome == "holds" and "2 processes" in v.measured


def test_bad_arguments():
    with pytest.raises(TypeError, match="steps"):
        interleaved({"a": lambda: None})
    with pytest.raises(ValueError, match="rounds"):
        interleaved({"a": lambda: None, "b": lambda: None}, rounds=1)
    with pytest.raises(ValueError, match="a and b"):
        pair_process({"order": [], "seconds": {"x": []}}, "x", "q", [])


def test_committed_timing_decides_lessons_05_and_07_time_claims():
    from course_utils.core.results import load_results
    from course_utils.lessons import l07_choosing as compare
    from course_utils.lessons.l05_gru import verdicts as gru_lesson

    timing = load_results("timing")
    assert timing["protocol"]["processes"] >= 2 and timing["command"].startswith("python -m")
    for case in timing["cases"].values():
        assert len(case) >= 2 and all(len(p["load"]) == 2 for p in case)
    verdicts = gru_lesson.timing_verdicts(timing)
    assert len(verdicts) == 3 and all("3 processes" in v.measured for v in verdicts)
    assert all(v.outcome != "observation" and "1-min load" in v.scope for v in verdicts)
    lesson07 = compare.lesson_verdicts(compare.load_grid(), compare.load_probes(), timing)
    timed = [v for v in lesson07 if "per epoch" in v.claim]
    assert len(timed) == 2 and all("committed timing" in v.scope for v in timed)
    # Without the timing file the grid's own one-process times stay observations.
    untimed = compare.lesson_verdicts(compare.load_grid(), compare.load_probes())
    assert {v.outcome for v in untimed if "per epoch" in v.claim} == {"observation"}
