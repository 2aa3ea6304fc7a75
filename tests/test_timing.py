"""The interleaved timing loop and the process record the statistics core reads."""

import pytest

from course_utils import evidence
from course_utils.timing import interleaved, load_average, pair_process


def test_interleaved_reverses_the_order_every_round():
    calls = []
    result = interleaved({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, rounds=4)
    assert calls == ["a", "b", "b", "a", "a", "b", "b", "a"] == result["order"]
    assert {k: len(v) for k, v in result["seconds"].items()} == {"a": 4, "b": 4}


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
