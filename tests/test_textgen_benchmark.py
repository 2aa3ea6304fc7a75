"""course_utils.textgen.benchmark: reading and comparing the committed benchmark."""

import pytest

from course_utils.results import load_results
from course_utils.textgen.benchmark import (
    BENCHMARK_PATH,
    benchmark_table,
    compare_live_run,
)
from course_utils.textgen.train import TrainingLog


def _run(label, bits, speed):
    checkpoints = [
        {"target_minutes": m, "minutes": m, "bits_per_char": b, "bits_per_char_window": b + 0.05}
        for m, b in zip((1, 2, 5), bits, strict=True)
    ]
    return {"label": label, "checkpoints": checkpoints, "chars_per_second": speed, "curve": []}


REPORT = {
    "date": "2026-01-01",
    "machine": {"cpu_count": 2},
    "load_average_1min": {"start": 1.0, "end": 2.0},
    "runs": [
        _run("lesson LSTM", (2.6, 2.4, 2.25), 30000.0),
        _run("tutorial GRU", (3.4, 3.1, 2.6), 7000.0),
    ],
}


def test_benchmark_path():
    assert BENCHMARK_PATH.name == "textgen.json" and BENCHMARK_PATH.parent.name == "results"


def test_committed_benchmark_is_complete():
    report = load_results("textgen")
    labels = [run["label"] for run in report["runs"]]
    assert any(lab.startswith("lesson") for lab in labels) and any(
        lab.startswith("tutorial") for lab in labels
    )
    for run in report["runs"]:
        assert {c["target_minutes"] for c in run["checkpoints"]} >= {1, 2, report["minutes"]}
    assert "load_average_1min" in report and "threads" in report["machine"]


def test_table_lists_both_metrics_for_each_model():
    table = benchmark_table(REPORT)
    assert table.count("carried") == 2 and table.count("window 100") == 2
    assert "2.250" in table and "3.400" in table and "30,000" in table


def test_compare_live_run():
    log = TrainingLog(5.0, checkpoints=[{"target_minutes": 5.0, "bits_per_char": 2.3}])
    log.chars, log.train_seconds = 9_000_000, 300.0
    assert "agrees within 0.1" in compare_live_run(REPORT, log, 5.0)
    log.checkpoints[-1]["bits_per_char"] = 2.5
    assert "does NOT agree" in compare_live_run(REPORT, log, 5.0)
    assert "nothing to compare" in compare_live_run(REPORT, log, 0.1)
    with pytest.raises(TypeError, match="report"):
        compare_live_run({"runs": None}, log, 5.0)
    with pytest.raises(ValueError, match="minutes"):
        compare_live_run(REPORT, log, 0)
