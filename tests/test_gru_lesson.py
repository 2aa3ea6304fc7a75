"""course_utils.lessons.l05_gru.verdicts: lesson 05's verdicts, from the committed JSON."""

import warnings

import pytest

from course_utils.core.evidence import OUTCOMES, Verdict
from course_utils.core.results import load_results
from course_utils.lessons.l05_gru import budgets
from course_utils.lessons.l05_gru import verdicts as gl
from course_utils.verdicts import show_summary


@pytest.fixture(scope="module")
def benches():
    return load_results("lstm_vs_gru"), load_results("adding_problem")


def test_summary_renders_from_the_committed_json(benches, capsys):
    verdicts = gl.lesson05_verdicts(*benches)
    text = show_summary(verdicts, points=gl.SUMMARY_POINTS)
    assert all(isinstance(v, Verdict) and v.outcome in OUTCOMES for v in verdicts)
    for v in verdicts:
        assert v.claim in text and v.outcome in text
    for point in gl.SUMMARY_POINTS:
        assert point in text
    assert "977" in text and "1,233" in text  # printed from the JSON, not typed


def test_quarter_smaller_is_decided_from_the_counts(benches):
    quarter = [v for v in gl.lesson05_verdicts(benches[0]) if "quarter fewer parameters" in v.claim]
    assert quarter and all(v.outcome == "does not hold" for v in quarter)  # 0.79 at these sizes
    macs = [v for v in gl.lesson05_verdicts(benches[0]) if "multiply-adds" in v.claim]
    assert [v.outcome for v in macs] == ["holds"]


def test_budget_rows_put_both_lessons_side_by_side(benches):
    rows = budgets.budget_rows(*benches)
    assert [r["lesson"][:2] for r in rows] == ["05", "03"]
    assert rows[0]["weight updates"] == 12 * 63 and rows[1]["weight updates"] == 1500
    text = budgets.budget_markdown(rows)
    assert "sequences seen" in text and "solved" in text


def _rows(gru_secs, lstm_secs, gru_mse, lstm_mse, task="adding_T200"):
    rows = []
    for cell, secs, mse in (("gru", gru_secs, gru_mse), ("lstm", lstm_secs, lstm_mse)):
        for s, m in zip(secs, mse, strict=True):
            rows.append(
                {"task": task, "cell": cell, "params": 10, "metric": m, "seconds_per_epoch": s}
            )
    return rows


def test_head_to_head_three_outcomes():
    fast_gru = gl.head_to_head_verdicts(
        _rows([1, 1.1], [2, 2.1], [0.1, 0.1], [0.1, 0.1]), scope="x"
    )
    # Timings of one benchmark process are an observation, however many repeats it has.
    assert fast_gru[0].outcome == "observation" and fast_gru[0].measured.endswith("as claimed")
    assert "seed" not in fast_gru[0].measured
    slow_gru = gl.head_to_head_verdicts(
        _rows([3, 3.1], [2, 2.1], [0.1, 0.1], [0.1, 0.1]), scope="x"
    )
    assert slow_gru[0].measured.endswith("not as claimed")
    tie = gl.head_to_head_verdicts(_rows([2, 2.1], [2.1, 2], [0.001, 0.3], [0.3, 0.001]), scope="x")
    assert tie[1].outcome == "inconclusive"
    # Lesson 05's LSTM at T=200 ended at the mean predictor: it did not train at this
    # budget, so "the LSTM ends better" is inconclusive, not "does not hold".
    stuck = gl.head_to_head_verdicts(
        _rows([1, 1, 1], [1, 1, 1], [0.001, 0.002, 0.0015], [0.159, 0.160, 0.160]), scope="x"
    )
    assert stuck[1].outcome == "inconclusive" and "did not train" in stuck[1].measured
    solved = [v for v in tie if "solves" in v.claim]
    assert [v.outcome for v in solved] == ["inconclusive", "inconclusive"]  # seeds disagree


def test_time_verdicts_name_how_they_were_timed(benches):
    committed = gl.head_to_head_verdicts(benches[0]["runs"], scope="c")
    assert all("interleaved" in v.scope for v in committed if "per epoch" in v.claim)
    live = gl.head_to_head_verdicts(_rows([1], [2], [0.1], [0.1]), scope="l")
    assert "one run after the other" in live[0].scope


def test_time_ratios():
    ratios = gl.time_ratios(_rows([3, 3], [2, 2], [0.1, 0.1], [0.1, 0.1]))
    assert ratios == {"adding_T200": pytest.approx(1.5)}
    with pytest.raises(TypeError, match="rows"):
        gl.time_ratios("rows")


def test_gate_verdicts_without_holders_are_inconclusive_and_silent():
    summary = {"update_hold": 0.97, "update_marked": 0.4}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Mean of empty slice"
        first, second = gl.gate_verdicts(summary, [], scope="live")
    # One trained GRU: observations; with no unit holding the number, "not as claimed".
    assert first.outcome == "observation" and second.outcome == "observation"
    assert second.measured.startswith("no unit passed")
    _, third = gl.gate_verdicts(
        summary, [summary, {"update_hold": 0.9, "update_marked": 0.95}], scope="s"
    )
    assert third.outcome == "observation" and third.measured.endswith(" as claimed")


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: gl.head_to_head_verdicts([], scope="x"), TypeError, "rows"),
        (lambda: gl.head_to_head_verdicts([{"task": "a"}], scope="x"), ValueError, "rows\\[0\\]"),
        (lambda: gl.head_to_head_verdicts(_rows([1], [1], [1], [1]), scope=""), TypeError, "scope"),
        (
            lambda: gl.structure_verdicts(_rows([1], [1], [1], [1]), hidden_size=0),
            ValueError,
            "hidden_size",
        ),
        (lambda: gl.gate_verdicts({}, [], scope="x"), ValueError, "summary"),
        (
            lambda: gl.gate_verdicts({"update_hold": 1, "update_marked": 0}, None, scope="x"),
            TypeError,
            "holders",
        ),
        (lambda: budgets.budget_rows({}, {}), ValueError, "lstm_vs_gru"),
        (lambda: budgets.budget_markdown("rows"), TypeError, "rows"),
        (lambda: gl.lesson05_verdicts({"runs": []}), ValueError, "lstm_vs_gru"),
        (lambda: gl.committed_scope(None), ValueError, "bench"),
    ],
)
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


def _held(z_hold: float, rewrite: bool):
    """Synthetic GRU gates for one unit: the state takes the first number at its marker;
    over the hold z is ``z_hold``, and the candidate either writes the number back
    (``rewrite``) or writes nothing."""
    import numpy as np

    from course_utils.gates import hold_mask, marker_positions
    from course_utils.tasks import adding_problem

    x, _ = adding_problem(200, 20, seed=0)
    first, second = marker_positions(x)
    rows = np.arange(len(first))
    u1 = x[rows, first, 0]
    hold = hold_mask(x)
    z = np.where(hold, z_hold, 0.0)  # (batch, time)
    h = np.zeros(x.shape[:2])
    for t in range(x.shape[1]):
        prev = h[:, t - 1] if t else 0.0
        n = np.where(t == first, u1, u1 if rewrite else 0.0)
        h[:, t] = z[:, t] * prev + (1 - z[:, t]) * n
    gates = {"update": z[:, :, None], "hidden": h[:, :, None]}
    return gates, x


def test_direct_path_slopes_split_what_the_state_holds_between_path_and_candidate():
    from course_utils.lessons.l05_gru.direct_path import direct_path_slopes, direct_path_verdict

    gates, x = _held(0.9, rewrite=True)  # the candidate keeps writing the number back
    s = direct_path_slopes(gates, x, 0)
    assert s["start"] == pytest.approx(1.0) and s["end"] == pytest.approx(1.0)
    assert s["direct"] < 0.5  # 0.9 ** (hold length): the direct path alone loses most of it
    v = direct_path_verdict(s, scope="synthetic")
    assert v.outcome == "observation" and "not as claimed" not in v.measured

    coast = direct_path_slopes(*_held(1.0, rewrite=False), 0)  # z = 1: pure coasting
    assert coast["direct"] == pytest.approx(coast["end"]) == pytest.approx(1.0)
    assert "not as claimed" in direct_path_verdict(coast, scope="synthetic").measured

    lost = direct_path_slopes(*_held(0.5, rewrite=False), 0)  # forgets, writes nothing
    assert "cannot be read" in direct_path_verdict(lost, scope="synthetic").measured
