"""course_utils.compare: budget, resume, schema, names, and the analysis on known rows."""

import json
from pathlib import Path

import numpy as np
import pytest

from course_utils import compare
from course_utils.compare import harness

ROOT = Path(__file__).resolve().parents[1]


class FakeClock:
    """Advances one 'second' per call, so a seconds budget counts batches exactly."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        self.now += 1.0
        return self.now


@pytest.fixture(scope="module")
def adding_data():
    return compare.task_data("adding_short", fast=True)  # 400 sequences: 7 batches of 64


def test_budget_needs_exactly_one_limit():
    with pytest.raises(ValueError, match="exactly one"):
        compare.Budget()
    with pytest.raises(ValueError, match="exactly one"):
        compare.Budget(epochs=1, seconds=1.0)
    with pytest.raises(ValueError, match="epochs"):
        compare.Budget(epochs=0)
    with pytest.raises(ValueError, match="seconds"):
        compare.Budget(seconds=-1.0)
    assert compare.Budget.parse("epochs=3") == compare.Budget(epochs=3)
    assert compare.Budget.parse(compare.Budget(seconds=2.5).key) == compare.Budget(seconds=2.5)
    with pytest.raises(ValueError, match="epochs=10"):
        compare.Budget.parse("minutes=3")


@pytest.mark.parametrize("seconds, steps", [(5, 5), (12, 12)])
def test_seconds_budget_stops_at_the_first_batch_past_it(adding_data, seconds, steps):
    row = compare.run_one(
        "simple_rnn", "adding_short", 4, budget=compare.Budget(seconds=seconds),
        fast=True, data=adding_data, clock=FakeClock(),
    )  # fmt: skip
    assert row["steps"] == steps
    assert row["epochs"] == -(-steps // 7)  # a partial last epoch counts


def test_epoch_budget_trains_whole_epochs(adding_data):
    row = compare.run_one(
        "gru", "adding_short", 4, budget=compare.Budget(epochs=2), fast=True, data=adding_data
    )
    assert (row["epochs"], row["steps"]) == (2, 14)
    assert set(row) == set(harness.ROW_KEYS)
    assert row["params"] == 3 * (2 * 4 + 4 * 4 + 2 * 4) + 5  # GRU(4, reset_after) + Dense(1)
    assert row["peak_memory_mb"] is None or row["peak_memory_mb"] > 0
    assert np.isfinite(row["metric"]) and row["chance"] == pytest.approx(1 / 6, abs=1e-6)


@pytest.mark.parametrize(
    "kwargs, word",
    [
        ({"cells": ["rnn"]}, "simple_rnn"),
        ({"tasks": ["imdb"]}, "adding_short"),
        ({"cells": "lstm"}, "list"),
        ({"sizes": []}, "empty"),
        ({"seeds": [-1]}, "seeds"),
    ],
)
def test_run_grid_rejects_bad_names_and_lists(kwargs, word, tmp_path):
    args = {"cells": ["gru"], "tasks": ["adding_short"], "sizes": [4], "seeds": [0]} | kwargs
    with pytest.raises((ValueError, TypeError), match=word):
        compare.run_grid(**args, path=tmp_path / "g.json", fast=True, progress=None)


def test_run_one_rejects_unknown_cell_and_task_listing_valid_ones():
    with pytest.raises(ValueError, match="lstm"):
        compare.run_one("transformer", "co2", 8)
    with pytest.raises(ValueError, match="temporal_order"):
        compare.run_one("lstm", "sentiment", 8)
    with pytest.raises(TypeError, match="Budget"):
        compare.run_one("lstm", "co2", 8, budget=10)


def test_grid_resumes_after_an_interruption(tmp_path, monkeypatch):
    path = tmp_path / "grid.json"
    args = dict(cells=["simple_rnn", "gru"], tasks=["adding_short"], sizes=[4], seeds=[0])
    budget = compare.Budget(epochs=1)
    real_run_one, calls = harness.run_one, []

    def flaky(*a, **k):
        calls.append(a[:4])
        if len(calls) == 2:
            raise KeyboardInterrupt  # the user stops the grid after one run
        return real_run_one(*a, **k)

    monkeypatch.setattr(harness, "run_one", flaky)
    with pytest.raises(KeyboardInterrupt):
        compare.run_grid(**args, budget=budget, path=path, fast=True, progress=None)
    assert [r["cell"] for r in json.loads(path.read_text())["rows"]] == ["simple_rnn"]
    monkeypatch.setattr(harness, "run_one", real_run_one)
    seen = []
    grid = compare.run_grid(**args, budget=budget, path=path, fast=True, progress=seen.append)
    assert len(seen) == 1 and "gru" in seen[0]  # only the missing run was trained
    assert [r["cell"] for r in grid["rows"]] == ["simple_rnn", "gru"]
    assert compare.validate_grid(json.loads(path.read_text())) is not None
    again = []
    compare.run_grid(**args, budget=budget, path=path, fast=True, progress=again.append)
    assert again == []


def test_validate_grid_names_what_differs():
    grid = {"schema": 1, "command": "", "machine": {}, "created": "", "updated": ""}
    with pytest.raises(ValueError, match="rows"):
        compare.validate_grid(grid)
    row = {key: 0 for key in harness.ROW_KEYS} | {"cell": "gru", "task": "co2"}
    with pytest.raises(ValueError, match="measures"):
        compare.validate_grid(grid | {"rows": [row]})
    row["metric_name"] = "mae_ppm"
    compare.validate_grid(grid | {"rows": [row]})
    with pytest.raises(ValueError, match="unknown keys"):
        compare.validate_grid(grid | {"rows": [row | {"colour": "red"}]})
    with pytest.raises(ValueError, match="schema"):
        compare.validate_grid(grid | {"rows": [], "schema": 99})
    with pytest.raises(TypeError):
        compare.validate_grid([])


def test_committed_grid_matches_the_current_schema():
    path = ROOT / "benchmarks" / "results" / "architecture_grid.json"
    grid = compare.validate_grid(json.loads(path.read_text()))
    assert grid["command"].startswith("python -m benchmarks.architecture_grid")
    assert grid["machine"]["cpu_count"] >= 1 and grid["created"]
    summary = compare.summarise([r for r in grid["rows"] if not r["fast"]])
    assert {e["task"] for e in summary} == set(compare.TASKS)
    assert min(e["seeds"] for e in summary) >= 3


# --- analysis on hand-made rows ----------------------------------------------------


def _rows():
    """Adding T=50: SimpleRNN fails, both gated solve; GRU cheaper. co2: all equal."""
    metric = {"simple_rnn": [0.16, 0.17, 0.165], "lstm": [0.002, 0.003, 0.001]}
    metric["gru"] = [0.001, 0.0015, 0.002]
    speed = {"simple_rnn": 1.0, "lstm": 3.0, "gru": 2.5}
    rows = []
    for task, chance in (("adding_long", 1 / 6), ("co2", 1.5)):
        for cell in compare.CELLS:
            for seed in range(3):
                value = metric[cell][seed] if task == "adding_long" else 0.5 + 0.01 * seed
                rows.append(
                    {
                        "task": task,
                        "cell": cell,
                        "size": 16,
                        "seed": seed,
                        "metric": value,
                        "metric_name": compare.TASKS[task].metric,
                        "higher_is_better": False,
                        "chance": chance,
                        "params": 100 * speed[cell],
                        "train_seconds": 10 * speed[cell],
                        "seconds_per_epoch": speed[cell],
                        "inference_us": speed[cell],
                    }  # fmt: skip
                )
    return rows


def test_summarise_and_decision_table():
    summary = compare.summarise(_rows())
    assert len(summary) == 6 and all(e["seeds"] == 3 for e in summary)
    table = {row["task"]: row for row in compare.decision_table(summary)}
    assert table["adding_long"]["best_cell"] == "gru"
    assert not table["adding_long"]["simple_enough"]
    assert table["adding_long"]["cost_vs_simple"] == pytest.approx(2.5)
    assert table["co2"]["simple_enough"]
    with pytest.raises(ValueError, match="seconds_per_epoch"):
        compare.summarise(_rows(), value="accuracy")


def test_article_verdicts_follow_the_numbers():
    verdicts = {
        v["claim"]: v["verdict"] for v in compare.article_verdicts(compare.summarise(_rows()))
    }
    assert verdicts["A SimpleRNN suffices for short sequences"] == "holds"
    assert verdicts["Long-range dependencies need an LSTM or a GRU"] == "holds"
    assert verdicts["A GRU costs less compute than an LSTM"] == "holds"
    assert verdicts["An LSTM is the stronger choice on long, complex sequences"] == "does not hold"
    assert verdicts["Time series benefit from LSTM/GRU memory"] == "does not hold"


def test_recommend_cites_rows_and_respects_the_budget():
    summary = compare.summarise(_rows())
    advice = compare.recommend(60, 4000, 1000.0, summary)
    assert (advice.task, advice.cell) == ("adding_long", "gru")
    assert "adding_long" in str(advice) and "3 seeds" in str(advice)
    short = compare.recommend(20, 350, 1000.0, summary)
    assert (short.task, short.cell) == ("co2", "simple_rnn")  # as good, and cheapest
    poor = compare.recommend(60, 4000, 1.0, summary)
    assert "Nothing measured that does well fits" in poor.reason
    assert poor.cell == "gru"  # not the cheap SimpleRNN, which fails this task
    with pytest.raises(ValueError, match="sequence_length"):
        compare.recommend(0, 10, 1.0, summary)
    with pytest.raises(ValueError, match="compute_budget"):
        compare.recommend(10, 10, -5, summary)
    with pytest.raises(ValueError, match="empty"):
        compare.recommend(10, 10, 5.0, [])


def test_markdown_tables_and_agreement():
    summary = compare.summarise(_rows())
    text = compare.summary_markdown(summary)
    assert text.count("\n") == 1 + len(summary) and "GRU" in text
    assert "adding_long" in compare.decision_markdown(compare.decision_table(summary))
    assert "**holds**" in compare.verdicts_markdown(compare.article_verdicts(summary))
    rows = [r | {"budget": "epochs=10", "fast": False} for r in _rows()]
    live = rows[0] | {"metric": 0.17}
    far = rows[0] | {"metric": 0.5}
    lines = compare.agreement_lines([live, far], rows)
    assert lines[0].endswith("agrees") and lines[1].endswith("does NOT agree")
    with pytest.raises(TypeError, match="summary"):
        compare.summary_markdown("not rows")
    with pytest.raises(TypeError, match="committed_rows"):
        compare.agreement_lines([live], None)
    lonely = compare.agreement_lines([rows[0] | {"size": 99}], rows)
    assert "nothing to compare" in lonely[0]


@pytest.mark.parametrize("cost", ["params", "train_seconds"])
def test_plot_tradeoff_draws_one_panel_per_task(cost):
    from course_utils.plotting import plot_tradeoff

    fig = plot_tradeoff(compare.summarise(_rows()), cost=cost)
    assert [ax.get_title() for ax in fig.axes] == ["adding_long", "co2"]
    assert fig.axes[0].get_xscale() == "linear"  # costs span 3x: no log axis
    wide = [r | {cost: r[cost] * 100 ** (r["cell"] == "lstm")} for r in _rows()]
    three = wide + [r | {"task": "adding_short"} for r in wide]
    fig = plot_tradeoff(compare.summarise(three), cost=cost)
    assert fig.axes[0].get_xscale() == "log" and len(fig.axes) == 3
    with pytest.raises(ValueError, match="params"):
        plot_tradeoff(compare.summarise(_rows()), cost="colour")
    with pytest.raises(TypeError):
        plot_tradeoff([], cost=cost)
