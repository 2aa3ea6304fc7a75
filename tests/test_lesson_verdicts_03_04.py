"""Lessons 03 and 04: verdicts built from measurements, and summaries rendered from the
committed benchmark JSON (the summary-from-verdicts pattern)."""

import math

import numpy as np
import pytest

from course_utils.core.evidence import OUTCOMES, Verdict
from course_utils.core.results import load_results
from course_utils.experiments import adding_runs, gating
from course_utils.lessons.l03_gradients import experiments as gx
from course_utils.lessons.l03_gradients import verdicts as gv
from course_utils.lessons.l04_lstm import verdicts as lv
from course_utils.tasks.adding import SOLVED_MSE
from course_utils.verdicts import summary_markdown

# --- lesson 03 ---------------------------------------------------------------------------


def test_lesson03_summary_renders_from_the_committed_benchmark():
    benchmark = load_results("adding_problem")
    verdicts = gv.lesson03_summary_verdicts(benchmark)
    text = summary_markdown(verdicts, points=gv.SUMMARY_POINTS)
    assert all(v.outcome in OUTCOMES for v in verdicts)
    assert "Hochreiter (1991" in text and "global_clipnorm" in text
    for v in verdicts:
        assert v.claim in text and f"**{v.outcome}**" in text
    by_claim = {v.claim: v.outcome for v in verdicts}
    # Decided from the stored per-seed MSEs with SOLVED_MSE = 1/60, not typed.
    lstm_200 = [
        r["test_mse"] for r in benchmark["runs"] if r["model"] == "lstm" and r["length"] == 200
    ]
    expected = "holds" if all(m < SOLVED_MSE for m in lstm_200) else None
    if expected:
        assert by_claim["LSTM solves the adding problem at T = 200"] == expected
    assert "committed benchmark: " in verdicts[0].scope


def test_adding_verdicts_count_a_diverged_seed_as_unsolved():
    benchmark = {
        "budget": dict(adding_runs.ADDING_BUDGET),
        "machine": {"cpu_count": 2},
        "seeds": [0, 1],
        "runs": [
            {"model": m, "length": t, "seed": s, "test_mse": v}
            for m in ("simple_rnn", "lstm", "gru")
            for t in (10, 50)
            for s, v in ((0, 0.001), (1, None if m == "gru" else 0.001))
        ],
    }
    verdicts = {v.claim: v for v in gv.adding_verdicts(benchmark)}
    assert verdicts["GRU solves the adding problem at T = 50"].outcome == "inconclusive"
    assert "diverged" in verdicts["GRU solves the adding problem at T = 50"].measured
    assert verdicts["LSTM solves the adding problem at T = 10"].outcome == "holds"


def test_decay_verdicts_from_a_small_table():
    rows = gx.decay_table(rhos=(0.9, 1.1), length=30, hidden_size=8, batch=4)
    verdicts = gv.decay_verdicts(rows, scope="test")
    assert [v.outcome for v in verdicts[:2]] == ["observation", "holds"]  # one matrix; the bound
    assert verdicts[2].outcome == "observation" and "one Gaussian matrix" in verdicts[2].scope
    assert all(r["bound_excess"] <= 1e-9 for r in rows)


def test_decay_verdicts_reject_bad_input():
    with pytest.raises(TypeError, match="slopes"):
        gv.decay_verdicts("rows")
    with pytest.raises(ValueError, match="bound_excess"):
        gv.decay_verdicts([{"activation": "linear", "rho": 1.0, "slope": 0.0, "log_rho": 0.0}])
    rows = gx.decay_table(rhos=(0.9,), activations=("linear",), length=20, hidden_size=4)
    with pytest.raises(ValueError, match="linear and nonlinear"):
        gv.decay_verdicts(rows)
    with pytest.raises(ValueError, match="tolerance"):
        gv.decay_verdicts(rows, tolerance=0)


def test_saturation_verdicts_and_a_missing_row():
    rows = [
        {"input_scale": s, "rho": r, "slope": sl, "mean_derivative": 0.9}
        for s, r, sl in ((0.01, 1.1, 0.09), (3.0, 1.1, -0.3), (1.0, 1.5, 0.0))
    ]
    verdicts = gv.saturation_verdicts(rows)
    assert [v.outcome for v in verdicts] == ["observation"] * 3
    assert all(v.measured.endswith("as claimed") and "not as" not in v.measured for v in verdicts)
    # 1.22x per step (1.9e5 growth over 60 steps) is not "settles near 1".
    grows = rows[:2] + [{"input_scale": 1.0, "rho": 1.5, "slope": 0.2, "mean_derivative": 0.8}]
    assert gv.saturation_verdicts(grows)[2].measured.endswith("not as claimed")
    with pytest.raises(ValueError, match="input_scale=0.01"):
        gv.saturation_verdicts(rows[1:])


def _run(diverged, final):
    return {"diverged": diverged, "diverged_at": 2 if diverged else None, "final_loss": final}


def test_clipping_verdicts_three_outcomes():
    runs = {
        "none": [_run(True, math.nan), _run(True, math.nan)],
        "global_clipnorm": [_run(False, 0.1), _run(False, 0.12)],
        "clipnorm": [_run(False, 0.1), _run(False, 0.3)],
    }
    outcomes = [v.outcome for v in gv.clipping_verdicts(runs)]
    assert outcomes == ["does not hold", "holds", "inconclusive"]
    with pytest.raises(TypeError, match="runs"):
        gv.clipping_verdicts([])
    with pytest.raises(ValueError, match="baseline"):
        gv.clipping_verdicts(runs, baseline=0)


def test_lesson03_summary_rejects_non_verdicts():
    with pytest.raises(TypeError, match="live"):
        gv.lesson03_summary_verdicts(load_results("adding_problem"), live=["holds"])
    with pytest.raises(TypeError, match="benchmark"):
        gv.benchmark_scope({"runs": []})


def test_bound_excess_and_describe_budget():
    ratio = 0.5 ** np.arange(10)  # (10,)
    assert gx.bound_excess(ratio, 0.5) == pytest.approx(0.0, abs=1e-12)
    assert gx.bound_excess(ratio, 0.25) > 0  # outside the bound
    with pytest.raises(ValueError, match="sigma_max"):
        gx.bound_excess(ratio, 0.0)
    text = adding_runs.describe_budget()
    assert "192,000 sequences seen" in text and "global_clipnorm 1" in text
    with pytest.raises(ValueError, match="jit_compile"):
        adding_runs.train_adding("lstm", 10, jit_compile="yes")


# --- lesson 04 ---------------------------------------------------------------------------


def test_lesson04_summary_renders_from_the_committed_benchmark():
    committed = load_results("forget_bias")
    verdicts = lv.lesson04_summary_verdicts(committed)
    text = summary_markdown(verdicts, points=lv.SUMMARY_POINTS)
    for v in verdicts:
        assert v.claim in text and f"**{v.outcome}**" in text
    assert "4(nm + n^2 + n)" in text
    # Re-decided from the stored MSEs with SOLVED_MSE, whatever threshold the JSON used.
    solved_1 = sum(
        any(m < SOLVED_MSE for m in r["history"])
        for r in committed["runs"]
        if r["forget_bias"] == 1
    )
    assert f"{solved_1} of" in verdicts[0].measured


def test_epochs_to_solve_uses_the_course_threshold():
    assert lv.epochs_to_solve([0.2, 0.04, 0.01]) == 3  # 0.04 is not solved: 1/60 = 0.0167
    assert lv.epochs_to_solve([0.2, 0.1]) is None


def test_live_verdicts_of_lesson04():
    # One trained network is one seed: each is an observation that says how it went.
    v = lv.solved_verdict([0.2, 0.01], scope="x")
    assert v.outcome == "observation" and "epoch 2" in v.measured and "as claimed" in v.measured
    assert "not as claimed" in lv.solved_verdict([0.2, 0.1]).measured
    gates = lv.gate_verdicts({"forget_hold": 0.99, "input_marked": 0.9, "input_hold": 0.01})
    assert [g.outcome for g in gates] == ["observation", "observation"]
    first = {"LSTM, untrained": 1e-5, "SimpleRNN, untrained": 1e-3}
    first |= {"LSTM, trained": 1e-2, "SimpleRNN, trained": 1e-4}
    reach = lv.reach_verdicts(first)
    assert [v.measured.endswith("not as claimed") for v in reach] == [True, False]
    stuck = lv.reach_verdicts(first, untrained=("SimpleRNN, trained",))[1]
    assert (
        "SimpleRNN, trained did not train" in stuck.measured and "as claimed" not in stuck.measured
    )
    assert all(isinstance(v, Verdict) for v in gates)


def test_lesson04_verdicts_reject_bad_input():
    with pytest.raises(ValueError, match="history"):
        lv.solved_verdict([])
    with pytest.raises(TypeError, match="summary"):
        lv.gate_verdicts([0.9])
    with pytest.raises(ValueError, match="input_hold"):
        lv.gate_verdicts({"forget_hold": 0.9, "input_marked": 0.5})
    with pytest.raises(ValueError, match="forget_level"):
        lv.gate_verdicts(
            {"forget_hold": 0.9, "input_marked": 0.5, "input_hold": 0.1}, forget_level=2
        )
    with pytest.raises(ValueError, match="LSTM, untrained"):
        lv.reach_verdicts({"LSTM, trained": 1.0})
    with pytest.raises(TypeError, match="committed"):
        lv.forget_bias_scope({"runs": []})
    with pytest.raises(TypeError, match="scope"):
        lv.solved_verdict([0.1], scope=3)


def test_gating_models_clip_by_the_global_norm():
    model = adding_runs.adding_model("lstm", length=5)
    assert model.optimizer.global_clipnorm == 1.0 and model.optimizer.clipnorm is None
    per_tensor = adding_runs.adding_model("gru", length=5, clipnorm=1.0, global_clipnorm=None)
    assert per_tensor.optimizer.clipnorm == 1.0 and per_tensor.optimizer.global_clipnorm is None
    with pytest.raises(ValueError, match="not both"):
        adding_runs.adding_model("lstm", length=5, clipnorm=1.0)


def test_describe_task_prints_lesson05s_budget_in_lesson03s_form():
    text = gating.describe_task("adding_T200")
    assert "48,000 sequences seen" in text and "global_clipnorm 1" in text
    assert text.split(";")[0] == "16 units"
    with pytest.raises(ValueError, match="adding tasks"):
        gating.describe_task("char_lm")
    with pytest.raises(ValueError, match="name"):
        gating.describe_task("adding_huge")


def test_describe_budget_and_epochs_to_solve_reject_bad_input():
    with pytest.raises(ValueError, match="steps"):
        adding_runs.describe_budget({"steps": 0})
    with pytest.raises(ValueError, match="unknown budget keys"):
        adding_runs.describe_budget({"epochs": 3})
    with pytest.raises(ValueError, match="history"):
        lv.epochs_to_solve([[0.1]])
    with pytest.raises(TypeError, match="label"):
        lv.solved_verdict([0.1], label=None)
