"""course_utils.lessons.l07_choosing: budget, resume, schema, names, and the analysis on known rows."""

import json
from pathlib import Path

import numpy as np
import pytest

from course_utils.core.registry import RECURRENT
from course_utils.core.training import Budget
from course_utils.lessons import l07_choosing as compare
from course_utils.lessons.l07_choosing import harness

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
    return compare.task_data("adding_T10", fast=True)  # 400 sequences: 7 batches of 64


def test_budget_needs_exactly_one_limit():
    with pytest.raises(ValueError, match="exactly one"):
        Budget()
    with pytest.raises(ValueError, match="exactly one"):
        Budget(epochs=1, seconds=1.0)
    with pytest.raises(ValueError, match="epochs"):
        Budget(epochs=0)
    with pytest.raises(ValueError, match="seconds"):
        Budget(seconds=-1.0)
    assert Budget.parse("epochs=3") == Budget(epochs=3)
    assert Budget.parse(Budget(seconds=2.5).key) == Budget(seconds=2.5)
    with pytest.raises(ValueError, match="epochs=10"):
        Budget.parse("minutes=3")


@pytest.mark.parametrize("seconds, steps", [(5, 5), (12, 12)])
def test_seconds_budget_stops_at_the_first_batch_past_it(adding_data, seconds, steps):
    row = compare.run_one(
        "simple_rnn", "adding_T10", 4, budget=Budget(seconds=seconds),
        fast=True, data=adding_data, clock=FakeClock(),
    )  # fmt: skip
    assert row["steps"] == steps
    assert row["epochs"] == -(-steps // 7)  # a partial last epoch counts


def test_epoch_budget_trains_whole_epochs(adding_data):
    row = compare.run_one(
        "gru", "adding_T10", 4, budget=Budget(epochs=2), fast=True, data=adding_data
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
        ({"tasks": ["imdb"]}, "adding_T10"),
        ({"cells": "lstm"}, "list"),
        ({"sizes": []}, "empty"),
        ({"seeds": [-1]}, "seeds"),
    ],
)
def test_run_grid_rejects_bad_names_and_lists(kwargs, word, tmp_path):
    args = {"cells": ["gru"], "tasks": ["adding_T10"], "sizes": [4], "seeds": [0]} | kwargs
    with pytest.raises((ValueError, TypeError), match=word):
        compare.run_grid(**args, path=tmp_path / "g.json", fast=True, progress=None)


def test_run_one_rejects_unknown_cell_and_task_listing_valid_ones():
    with pytest.raises(ValueError, match="lstm"):
        compare.run_one("rnn", "co2", 8)
    with pytest.raises(ValueError, match="runs on \\['char_lm'\\] only; got task 'co2'"):
        compare.run_one("transformer", "co2", 8)
    with pytest.raises(ValueError, match="temporal_order"):
        compare.run_one("lstm", "sentiment", 8)
    with pytest.raises(TypeError, match="Budget"):
        compare.run_one("lstm", "co2", 8, budget=10)


def test_grid_resumes_after_an_interruption(tmp_path, monkeypatch):
    path = tmp_path / "grid.json"
    args = dict(cells=["simple_rnn", "gru"], tasks=["adding_T10"], sizes=[4], seeds=[0])
    budget = Budget(epochs=1)
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
    grid = {"schema": 2, "command": "", "machine": {}, "created": "", "updated": ""}
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
    grid = compare.validate_grid(compare.migrate_grid(json.loads(path.read_text())))
    assert grid["command"].startswith("python -m benchmarks.architecture_grid")
    assert grid["machine"]["cpu_count"] >= 1 and grid["created"]
    assert grid["runs"][-1]["clipping"] == compare.CLIPPING
    summary = compare.summarise(compare.current_rows(grid))
    assert {e["task"] for e in summary} == set(compare.TASKS)
    assert min(e["seeds"] for e in summary) >= 3


# --- analysis on hand-made rows ----------------------------------------------------


def _history(task, cell, seed):
    """Training loss per epoch: the gated cells pass 1/60 after 5, 6 and 8 epochs."""
    if task != "adding_T50" or cell == "simple_rnn":
        return [0.5] * 10
    return [0.1] * (4 + [0, 1, 3][seed]) + [0.01] * (6 - [0, 1, 3][seed])


def _rows():
    """Adding T=50: SimpleRNN fails, both gated solve; GRU cheaper. co2: all equal."""
    metric = {"simple_rnn": [0.16, 0.17, 0.165], "lstm": [0.002, 0.003, 0.001]}
    metric["gru"] = [0.001, 0.0015, 0.002]
    speed = {"simple_rnn": 1.0, "lstm": 3.0, "gru": 2.5}
    rows = []
    for task, chance in (("adding_T50", 1 / 6), ("co2", 1.5)):
        for cell in RECURRENT:
            for seed in range(3):
                value = metric[cell][seed] if task == "adding_T50" else 0.5 + 0.01 * seed
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
                        "epochs": 10,
                        "steps": 630,
                        "history": _history(task, cell, seed),
                    }  # fmt: skip
                )
    return rows


def test_the_transformer_runs_on_the_character_task_only(tmp_path):
    assert compare.runs_on("transformer", "char_lm") and not compare.runs_on("transformer", "co2")
    assert all(compare.runs_on(c, "co2") for c in RECURRENT)
    with pytest.raises(ValueError, match="transformer.*char_lm"):
        compare.run_grid(["transformer"], ["adding_T10"], [4], [0], path=tmp_path / "g.json")
    with pytest.raises(ValueError, match="char_lm"):
        compare.build_model("transformer", "co2", 16, compare.task_data("co2", fast=True))


def test_transformer_rows_stay_out_of_the_advice():
    rows = _rows()
    for seed, value in enumerate((0.0001, 0.0002, 0.00015)):  # pretend it won adding_T50
        rows.append(dict(rows[-1], task="adding_T50", cell="transformer", seed=seed, metric=value))
    summary = compare.summarise(rows)
    assert {e["cell"] for e in summary} == {*RECURRENT, "transformer"}
    table = {row["task"]: row for row in compare.decision_table(summary)}
    assert table["adding_T50"]["best_cell"] == "gru"  # the table chooses among RNN cells
    assert [v.claim for v in compare.advice_verdicts(summary, "s")] == [
        v.claim for v in compare.advice_verdicts(compare.recurrent_only(summary), "s")
    ]
    assert compare.transformer_verdicts(summary, "s") == []  # it runs on char_lm only
    char = [
        dict(r, task="char_lm", metric=2.0 + 0.01 * r["seed"])
        for r in _rows()
        if r["task"] == "co2"
    ]
    char += [dict(char[0], cell="transformer", seed=s, metric=2.5 + 0.01 * s) for s in range(3)]
    (verdict,) = compare.transformer_verdicts(compare.summarise(char), "scope")
    assert verdict.outcome == "holds" and "Transformer(16)" in verdict.measured


def test_summarise_and_decision_table():
    summary = compare.summarise(_rows())
    assert len(summary) == 6 and all(e["seeds"] == 3 for e in summary)
    assert summary[0]["metric_values"] == [0.16, 0.17, 0.165] and summary[0]["seed_list"] == [
        0,
        1,
        2,
    ]
    table = {row["task"]: row for row in compare.decision_table(summary)}
    assert table["adding_T50"]["best_cell"] == "gru"
    assert table["adding_T50"]["simple_enough"] == "does not hold"  # no seed below 1/60
    assert table["adding_T50"]["solved"] == pytest.approx(1 / 60)
    assert table["adding_T50"]["cost_vs_simple"] == pytest.approx(2.5)
    assert table["co2"]["simple_enough"] == "holds"  # tied with the best: it is the best
    with pytest.raises(ValueError, match="seconds_per_epoch"):
        compare.summarise(_rows(), value="accuracy")
    with pytest.raises(TypeError, match="rows"):
        compare.summarise("rows")


def _verdicts(summary=None):
    summary = compare.summarise(_rows()) if summary is None else summary
    return {v.claim: v for v in compare.advice_verdicts(summary, "here: test rows")}


def test_advice_verdicts_follow_the_numbers():
    verdicts = _verdicts()
    assert all(v.rule for v in verdicts.values())
    assert all(v.scope == "here: test rows" for c, v in verdicts.items() if "arithmetic" not in c)
    outcome = {claim: v.outcome for claim, v in verdicts.items()}
    assert outcome["A SimpleRNN suffices for short sequences: co2"] == "holds"
    long_range = next(c for c in outcome if c.startswith("Long-range dependencies need"))
    assert outcome[long_range] == "holds" and "adding_T50 (at the grid's budget" in long_range
    # The grid times in one process, in a fixed order: its time ratios are observations.
    cheaper = verdicts["A SimpleRNN is cheaper to train (per epoch) than an LSTM or a GRU"]
    assert cheaper.outcome == "observation" and cheaper.measured.endswith("as claimed")
    assert outcome["A GRU does less arithmetic per step than an LSTM"] == "holds"
    assert "0.75" in verdicts["A GRU does less arithmetic per step than an LSTM"].measured
    assert outcome["...so a GRU trains faster per epoch than an LSTM"] == "observation"
    stronger = "An LSTM is the stronger choice on long sequences: adding_T50"
    assert outcome[stronger] == "inconclusive"  # 0.002 +- 0.001 against 0.0015 +- 0.0005
    assert outcome["Time series benefit from LSTM/GRU memory"] == "observation"  # one series
    with pytest.raises(TypeError, match="scope"):
        compare.advice_verdicts(compare.summarise(_rows()), "")


def test_an_exact_tie_is_inconclusive_not_a_refutation():
    rows = [r | {"metric": 0.001 * (1 + r["seed"])} for r in _rows() if r["cell"] != "simple_rnn"]
    rows += [r for r in _rows() if r["cell"] == "simple_rnn"]
    verdicts = _verdicts(compare.summarise(rows))
    assert verdicts["An LSTM is the stronger choice on long sequences: adding_T50"].outcome == (
        "inconclusive"
    )
    # No gap found is not "comparable": with 3 seeds and a 10 % margin it stays inconclusive.
    comparable = verdicts[
        "A GRU performs comparably to an LSTM (not worse by more than 10% of the LSTM's mean)"
    ]
    assert comparable.outcome == "inconclusive" and "below 10%" in comparable.rule


def test_time_ratios_use_a_paired_rule():
    fast = compare.ratio_verdict("faster", [0.8, 0.9, 0.85], below=True, what="x")
    slow = compare.ratio_verdict("faster", [1.3, 1.2, 1.25], below=True, what="x")
    mixed = compare.ratio_verdict("faster", [0.7, 1.4, 1.0], below=True, what="x")
    # One grid run, timed in a fixed order: observations however many pairs it has.
    assert {fast.outcome, slow.outcome, mixed.outcome} == {"observation"}
    assert "geometric mean 0.85x" in fast.measured and "fixed order" in fast.measured
    assert slow.measured.endswith("not as claimed") and not fast.measured.endswith("not as claimed")
    with pytest.raises(ValueError, match="at least 2"):
        compare.ratio_verdict("faster", [0.9], below=True, what="x")


def test_multiply_adds_pareto_front_and_gap_share():
    assert compare.multiply_adds("gru", 6, 64) / compare.multiply_adds("lstm", 6, 64) == 0.75
    assert compare.multiply_adds("simple_rnn", 2, 16) == 16 * 18
    with pytest.raises(ValueError, match="cell"):
        compare.multiply_adds("rnn", 2, 16)
    with pytest.raises(ValueError, match="units"):
        compare.multiply_adds("gru", 2, 0)
    assert compare.pareto_front([1, 2, 3], [3, 2, 1]) == [0, 1, 2]
    assert compare.pareto_front([2, 2, 1], [1, 1, 5]) == [0, 1, 2]
    assert compare.pareto_front([1, 2, 3], [1, 2, 3]) == [0]
    with pytest.raises(ValueError, match="same length"):
        compare.pareto_front([1, 2], [1])
    with pytest.raises(TypeError, match="costs"):
        compare.pareto_front("12", [1, 2])
    assert compare.gap_share(0.18, 1 / 6, 0.0) < 0  # worse than chance: negative, kept
    assert compare.gap_share(1.0, 0.25, 1.0) == 1.0


def test_tasks_are_named_by_length_and_say_what_solved_means():
    from course_utils.lessons.l07_choosing.tasks import is_solved
    from course_utils.tasks.adding import SOLVED_MSE
    from course_utils.tasks.order import SOLVED_ORDER_ACCURACY

    assert compare.TASKS["adding_T10"].length == 10 and compare.TASKS["adding_T50"].length == 50
    assert compare.TASKS["adding_T50"].solved == SOLVED_MSE
    assert compare.TASKS["temporal_order"].solved == SOLVED_ORDER_ACCURACY
    assert (
        compare.TASKS["char_lm"].solved is None
        and "best cell" in compare.TASKS["co2"].solved_reason
    )
    assert is_solved("adding_T50", 0.01) and not is_solved("adding_T50", 0.02)
    assert is_solved("temporal_order", 0.95) and is_solved("co2", 0.1) is None
    assert compare.CLIPPING == {"global_clipnorm": 1.0}
    model = compare.build_model(
        "lstm", "temporal_order", 4, compare.task_data("temporal_order", fast=True)
    )
    assert model.optimizer.global_clipnorm == 1.0 and model.optimizer.clipnorm is None
    with pytest.raises(ValueError, match="learning_rate"):
        compare.build_model("lstm", "co2", 4, None, learning_rate=-1.0)


def test_migrate_grid_renames_tasks_and_marks_the_old_clipping():
    old = {"schema": 1, "command": "c", "machine": {}, "created": "", "updated": ""}
    row = {key: 0 for key in harness.ROW_KEYS if key != "clipping"}
    old["rows"] = [row | {"cell": "gru", "task": "adding_short", "metric_name": "mse"}]
    new = compare.migrate_grid(old)
    assert new["schema"] == compare.SCHEMA_VERSION and old["schema"] == 1  # a new dict
    assert new["rows"][0]["task"] == "adding_T10" and new["rows"][0]["clipping"] == "clipnorm=1"
    assert compare.validate_grid(new) is new
    assert compare.current_rows(new) == []  # trained another way: not read by the lesson
    assert compare.migrate_grid(new) is new
    with pytest.raises(ValueError, match="schema"):
        compare.migrate_grid(old | {"schema": 7})
    with pytest.raises(TypeError, match="grid"):
        compare.migrate_grid([])
    with pytest.raises(TypeError, match="fast"):
        compare.current_rows(new, fast="no")


def test_recommend_cites_rows_and_respects_the_budget():
    rows = _rows()
    summary = compare.summarise(rows)
    advice = compare.recommend(60, 4000, 1000.0, summary, rows=rows)
    assert (advice.task, advice.cell, advice.fits) == ("adding_T50", "gru", True)
    text = str(advice)
    assert text.startswith("Use GRU with 16 units.") and "3 seeds" in text
    assert "least training time" in text  # 'cheapest' says what it measures
    short = compare.recommend(20, 350, 1000.0, summary, rows=rows)
    assert (short.task, short.cell) == ("co2", "simple_rnn")  # as good, and cheapest
    poor = compare.recommend(60, 4000, 1.0, summary, rows=rows)
    assert not poor.fits and str(poor).startswith("Nothing that does well fits your budget")
    assert "Use " not in str(poor).splitlines()[0]  # no 'Use X' beside 'nothing fits'
    # 25 s for 630 steps; the slowest seed passed 1/60 after 8 epochs of 63 steps: 504 steps
    assert poor.cell == "gru" and poor.seconds == pytest.approx(25.0 * 504 / 630)
    with pytest.raises(ValueError, match="sequence_length"):
        compare.recommend(0, 10, 1.0, summary, rows=rows)
    with pytest.raises(ValueError, match="compute_budget"):
        compare.recommend(10, 10, -5, summary, rows=rows)
    with pytest.raises(ValueError, match="empty"):
        compare.recommend(10, 10, 5.0, [], rows=rows)


def test_recommend_scales_time_by_the_steps_the_runs_needed_not_by_data():
    rows = _rows()
    summary = compare.summarise(rows)
    small, large = (compare.recommend(60, n, 1000.0, summary, rows=rows) for n in (300, 200_000))
    assert small.seconds == large.seconds == pytest.approx(25.0 * 504 / 630)
    assert large.fits  # 200,000 sequences need no more steps than 4,000
    assert "scaled by optimiser steps" in small.reason and "315-504 steps" in small.reason
    assert "(315-504 steps needed)" in str(small)
    assert "epochs of your 300 sequences" in small.reason
    co2 = compare.recommend(20, 350, 1000.0, summary, rows=rows)
    assert "all the steps of the measured runs" in co2.reason and co2.seconds == 10.0
    with pytest.raises(TypeError, match="rows"):
        compare.recommend(60, 300, 1000.0, summary, rows="grid")
    other = [r | {"metric": r["metric"] + 1} for r in rows]
    with pytest.raises(ValueError, match="rows must be the grid rows"):
        compare.recommend(60, 300, 1000.0, summary, rows=other)
    without = [{k: v for k, v in r.items() if k != "history"} for r in rows]
    with pytest.raises(ValueError, match="history"):
        compare.recommend(60, 300, 1000.0, summary, rows=without)


def test_recommend_reads_the_committed_grid_by_default():
    grid = compare.load_grid()
    rows = compare.current_rows(grid)
    summary = compare.summarise(rows)
    assert str(compare.recommend(60, 300, 600.0, summary)) == str(
        compare.recommend(60, 300, 600.0, summary, rows=rows)
    )


def test_recommend_names_a_better_model_that_also_fits():
    rows = [r for r in _rows() if r["task"] == "adding_T50"]
    rows = [r | {"metric": 0.0001 * (1 + r["seed"])} if r["cell"] == "gru" else r for r in rows]
    rows = [r | {"metric": 0.01 + 0.0001 * r["seed"]} if r["cell"] == "lstm" else r for r in rows]
    rows = [r | {"train_seconds": 40.0} if r["cell"] == "gru" else r for r in rows]
    advice = compare.recommend(50, 4000, 100.0, compare.summarise(rows), rows=rows)
    assert advice.cell == "lstm"  # solves on every seed and is the cheapest in seconds
    assert "The best that fits is GRU(16) (better by the seeds rule" in advice.reason


def _sweep(gru_gap, lstm_gap):
    rows = []
    for n in (100, 1000):
        for seed in range(3):
            for cell, gap in (("lstm", lstm_gap), ("gru", gru_gap)):
                val = 0.05 + gap + 0.001 * seed
                rows.append({"cell": cell, "seed": seed, "n_train": n, "train_mse": 0.05,
                             "val_mse": val})  # fmt: skip
    settings = {"task": "adding_T50", "size": 64, "steps": 600, "cells": ["lstm", "gru"]}
    return {"settings": settings, "rows": rows}


def test_data_sweep_verdicts_and_recommend_use_the_dataset_size():
    verdicts = compare.data_sweep_verdicts(_sweep(0.01, 0.05), "here: test")
    assert [v.outcome for v in verdicts] == ["holds"] * 4
    assert compare.overfitting_verdict(_sweep(0.01, 0.05), "s").outcome == "holds"
    assert compare.overfitting_verdict(_sweep(0.05, 0.01), "s").outcome == "does not hold"
    assert compare.overfitting_verdict(_sweep(0.02, 0.02), "s").outcome == "inconclusive"
    rows = _rows()
    summary = compare.summarise(rows)
    advice = compare.recommend(60, 120, 1000.0, summary, sweep=_sweep(0.05, 0.01), rows=rows)
    assert advice.cell == "lstm" and "GRU is dropped" in advice.reason
    assert "Neither solved adding_T50" in advice.reason  # 0.06 and up: above 1/60
    with pytest.raises(TypeError, match="sweep"):
        compare.data_sweep_verdicts({"rows": []}, "s")
    with pytest.raises(ValueError, match="limited"):
        compare.overfitting_verdict(_sweep(0.01, 0.05), "s", limited=0)


def test_markdown_tables_and_agreement():
    summary = compare.summarise(_rows())
    text = compare.summary_markdown(summary)
    assert text.count("\n") == 1 + len(summary) and "GRU" in text
    decision = compare.decision_markdown(compare.decision_table(summary))
    assert "adding_T50" in decision and "does not hold" in decision and "0.01667" in decision
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


# --- the committed JSON: lesson 07's verdicts and summary ---------------------------


@pytest.mark.usefixtures("full_mode")
def test_lesson_summary_renders_from_the_committed_json():
    from course_utils.verdicts import summary_markdown

    grid, probes = compare.load_grid(), compare.load_probes()
    verdicts = compare.lesson_verdicts(grid, probes)
    claims = [v.claim for v in verdicts]
    assert "A GRU overfits less than an LSTM when data is limited" in claims
    assert any(
        c.startswith("LSTM(64) solves temporal order at learning rate 0.0025") for c in claims
    )
    assert all(
        v.scope.startswith("here: 2-core CPU") for v in verdicts if "arithmetic" not in v.claim
    )
    text = summary_markdown(verdicts, points=["fixed point"])
    assert text.startswith("- fixed point") and text.count("\n- ") == len(verdicts)
    time_series = next(v for v in verdicts if v.claim.startswith("Time series"))
    assert time_series.outcome == "observation"  # one series is one sample


def test_committed_probes_cover_three_seeds_and_the_sweep_sizes():
    probes = compare.load_probes()
    assert probes["command"].startswith("python -m benchmarks.architecture_probes")
    sweep = probes["data_sweep"]
    sizes = {r["n_train"] for r in sweep["rows"]}
    assert len(sizes) >= 3 and {r["seed"] for r in sweep["rows"]} == {0, 1, 2}
    assert {r["steps"] for r in sweep["rows"]} <= set(range(590, 700))  # same steps at every size
    assert {r["learning_rate"] for r in probes["order_lr"]["rows"]} == {0.0025, 0.001}


@pytest.mark.parametrize("cost", ["params", "train_seconds"])
def test_plot_tradeoff_draws_one_panel_per_task(cost):
    from course_utils.lessons.l07_choosing.plots import plot_tradeoff

    fig = plot_tradeoff(compare.summarise(_rows()), cost=cost)
    assert [ax.get_title() for ax in fig.axes] == ["adding_T50", "co2"]
    assert fig.axes[0].get_xscale() == "linear"  # costs span 3x: no log axis
    wide = [r | {cost: r[cost] * 100 ** (r["cell"] == "lstm")} for r in _rows()]
    three = wide + [r | {"task": "adding_T10"} for r in wide]
    fig = plot_tradeoff(compare.summarise(three), cost=cost)
    assert fig.axes[0].get_xscale() == "log" and len(fig.axes) == 3
    with_transformer = _rows() + [dict(_rows()[-1], cell="transformer", metric=0.1)]
    fig = plot_tradeoff(compare.summarise(with_transformer), cost=cost)  # on one task only
    assert "Transformer" in [t.get_text() for t in fig.legends[0].get_texts()]
    with pytest.raises(ValueError, match="params"):
        plot_tradeoff(compare.summarise(_rows()), cost="colour")
    with pytest.raises(TypeError):
        plot_tradeoff([], cost=cost)


def test_plot_tradeoff_marks_the_front_given_and_checks_it():
    from course_utils.lessons.l07_choosing.plots import FRONT, front_indices, plot_tradeoff

    summary = compare.summarise(_rows())
    fig = plot_tradeoff(summary, front=compare.pareto_front)
    assert any(line.get_color() == FRONT for line in fig.axes[0].get_lines())
    assert front_indices(compare.pareto_front, [1, 2], [2, 1]) == [0, 1]
    with pytest.raises(ValueError, match="indices"):
        front_indices(lambda c, e: [5], [1, 2], [2, 1])
    with pytest.raises(TypeError, match="indices"):
        front_indices(lambda c, e: None, [1, 2], [2, 1])
    with pytest.raises(TypeError, match="front"):
        plot_tradeoff(summary, front="pareto")


def test_scopes_and_probe_verdicts_reject_bad_input():
    grid = {"schema": 2, "command": "", "machine": {"cpu_count": 2}, "created": "", "updated": ""}
    rows = [
        r | {"budget": "epochs=1", "fast": False, "clipping": "global_clipnorm=1"} for r in _rows()
    ]
    assert compare.grid_scope(grid, rows) == "here: 2-core CPU, T <= 50, 3 seeds, full mode"
    with pytest.raises(ValueError, match="no rows"):
        compare.grid_scope(grid, [])
    with pytest.raises(ValueError, match="SimpleRNN"):
        compare.simple_rnn_verdict(compare.summarise(_rows()), "char_lm")
    with pytest.raises(TypeError, match="data_sweep"):
        compare.sweep_scope({"order_lr": {}})
    with pytest.raises(TypeError, match="order_lr"):
        compare.order_lr_verdicts({}, grid | {"rows": []}, "s")
    probes = {"machine": {"cpu_count": 2}, "data_sweep": _sweep(0.01, 0.02)}
    assert (
        compare.sweep_scope(probes) == "here: 2-core CPU, adding_T50, 64 units, 3 seeds, 600 steps"
    )
