"""The statistics core: each way a verdict could overreach is planted and must be refused."""

import math

import numpy as np
import pytest

from course_utils.core import evidence as ev

# --- one seed is an observation -----------------------------------------------------


def test_one_seed_is_an_observation_whatever_the_gap():
    v = ev.compare_seeds("A is lower", [0.01], [5.0], lower_is_better=True)
    assert v.outcome == "observation" and v.holds is None
    assert "1 seed" in v.measured and "not a verdict" in v.rule
    one_side = ev.compare_seeds("A is lower", [0.01, 0.02], [5.0], lower_is_better=True)
    assert one_side.outcome == "observation"
    assert ev.against_threshold("solved", [0.001], 0.05, below=True).outcome == "observation"


# --- the rule counts the seeds ------------------------------------------------------


def test_the_interval_uses_t_not_2_standard_errors():
    # Gap 2.0, standard error sqrt(2/3) = 0.816 (3 seeds a side): 2.45 standard errors, so
    # the old "2 standard errors" rule said holds; t with 4 degrees of freedom is 2.78.
    a, b = [0.0, 1.0, 2.0], [2.0, 3.0, 4.0]
    gap, low, high = ev.gap_interval(b, a)
    assert gap == pytest.approx(2.0) and gap / math.sqrt(2 / 3) > 2
    assert low < 0 < high
    v = ev.compare_seeds("A is lower", a, b, lower_is_better=True)
    assert v.outcome == "inconclusive" and "95%" in v.rule and "95% interval" in v.measured
    # Many seeds with the same spread and gap: the interval shrinks and the claim holds.
    rng = np.random.default_rng(0)
    many_a, many_b = rng.normal(1, 1, 30), rng.normal(4, 1, 30)
    assert ev.compare_seeds("A is lower", many_a, many_b, lower_is_better=True).outcome == "holds"


def test_clear_outcomes_and_directions():
    win = ev.compare_seeds("A lower", [1.0, 1.1, 0.9], [5.0, 5.2, 4.8], metric="mse")
    loss = ev.compare_seeds("A lower", [5.0, 5.2, 4.8], [1.0, 1.1, 0.9], metric="mse")
    higher = ev.compare_seeds("A higher", [0.9, 0.92], [0.2, 0.25], metric="accuracy")
    assert (win.outcome, loss.outcome, higher.outcome) == ("holds", "does not hold", "holds")


# --- equivalence needs a margin --------------------------------------------------------


def test_no_gap_found_is_not_equivalence():
    a, b = [1.0, 1.4, 0.6], [1.1, 0.5, 1.7]
    assert ev.compare_seeds("A lower", a, b, lower_is_better=True).outcome == "inconclusive"
    wide = ev.equivalent("A comparable to B", a, b, margin=0.1)
    assert wide.outcome == "inconclusive" and "±0.1" in wide.rule
    tight = ev.equivalent("comparable", [1.0, 1.01, 0.99], [1.0, 1.005, 0.995], margin=0.1)
    assert tight.outcome == "holds"
    far = ev.equivalent("comparable", [1.0, 1.01, 0.99], [3.0, 3.01, 2.99], margin=0.1)
    assert far.outcome == "does not hold"
    with pytest.raises(TypeError, match="margin"):
        ev.equivalent("comparable", a, b)  # the margin is part of the claim


# --- a run at the baseline did not train ---------------------------------------------


def test_a_run_at_the_baseline_makes_the_comparison_inconclusive():
    # The mean predictor of the adding problem scores 0.1667; three LSTM runs end there.
    lstm, gru = [0.159, 0.160, 0.160], [0.001, 0.002, 0.0015]
    flags = ev.did_not_train(lstm, 0.1667, metric="mse")
    assert flags.tolist() == [True, True, True]
    assert not ev.did_not_train(gru, 0.1667, metric="mse").any()
    v = ev.compare_seeds(
        "The LSTM ends lower", lstm, gru, metric="mse", baseline=0.1667, budget="20 epochs"
    )
    assert v.outcome == "inconclusive"
    assert "did not train at this budget (20 epochs)" in v.measured
    accuracy = ev.did_not_train([0.52, 0.9], 0.5, metric="accuracy")
    assert accuracy.tolist() == [True, False]


# --- two meanings of solved cannot happen: per seed, k of n ----------------------------


def test_solved_is_judged_per_seed():
    values = [0.001, 0.002, 0.03]  # mean 0.011 is below 1/60, one seed is not
    assert np.mean(values) < 1 / 60
    assert ev.solved(values, 1 / 60) == (2, 3)
    v = ev.against_threshold("solved", values, 1 / 60, below=True)
    assert v.outcome == "inconclusive" and "2 of 3 seeds below" in v.measured


# --- agreement stays in the metric's range and never crosses "solved" --------------------


def test_agreement_interval_stays_in_range():
    acc = ev.agreement(1.0, [0.99, 1.0, 1.0], metric="accuracy")
    assert acc.high <= 1.0 and acc.agrees
    mse = ev.agreement(0.001, [0.0005, 0.002, 0.0009], metric="mse")
    assert mse.low > 0 and mse.agrees
    with pytest.raises(ValueError, match="range"):
        ev.agreement(1.2, [0.9, 0.95], metric="accuracy")


def test_agreement_never_spans_solved_and_unsolved():
    solved_seeds = [0.002, 0.004, 0.006]
    live_unsolved = 0.05  # within a factor 2 of nothing, but well past 1/60
    a = ev.agreement(live_unsolved, solved_seeds, metric="mse", threshold=1 / 60)
    assert not a.agrees and a.high <= 1 / 60
    near = ev.agreement(0.012, solved_seeds, metric="mse", threshold=1 / 60)
    assert near.agrees and near.high == pytest.approx(0.012)
    assert "threshold" in near.rule


# --- timing: interleaved, separate processes ---------------------------------------------


def _proc(a, b, load=(1.0, 1.2)):
    return {"a": a, "b": b, "order": "ABBA" * (len(a) // 2), "load": list(load)}


def test_one_process_of_timings_is_an_observation():
    v = ev.time_ratio("GRU faster", [_proc([1.0, 1.0], [2.0, 2.0])], names=("GRU", "LSTM"))
    assert v.outcome == "observation" and "load 1.0-1.2" in v.scope
    assert "seed" not in v.measured


def test_time_ratio_needs_the_sign_in_every_process():
    same = [_proc([1.0, 1.1], [2.0, 2.1]), _proc([1.2, 1.0], [1.5, 1.6])]
    mixed = [_proc([1.0, 1.1], [2.0, 2.1]), _proc([1.8, 1.9], [1.5, 1.6])]
    slower = [_proc([3.0, 3.1], [2.0, 2.1]), _proc([1.8, 1.9], [1.5, 1.6])]
    assert ev.time_ratio("A faster", same).outcome == "holds"
    assert ev.time_ratio("A faster", mixed).outcome == "inconclusive"
    assert ev.time_ratio("A faster", slower).outcome == "does not hold"
    with pytest.raises(ValueError, match="order"):
        ev.time_ratio("A faster", [{"a": [1.0, 1.0], "b": [2.0, 2.0], "order": "AABB"}] * 2)


def test_time_ratio_margin_leaves_ratios_near_one_inconclusive():
    near = [_proc([0.95, 0.95], [1.0, 1.0]), _proc([0.97, 0.97], [1.0, 1.0])]  # 5 % and 3 %
    assert ev.time_ratio("A faster", near).outcome == "holds"  # no margin: any side counts
    v = ev.time_ratio("A faster", near, margin=0.1)
    assert v.outcome == "inconclusive" and "margin of 10%" in v.rule and "0.9" in v.rule
    clear = [_proc([0.5, 0.5], [1.0, 1.0]), _proc([0.8, 0.8], [1.0, 1.0])]
    assert ev.time_ratio("A faster", clear, margin=0.1).outcome == "holds"
    slow = [_proc([1.2, 1.2], [1.0, 1.0]), _proc([1.5, 1.5], [1.0, 1.0])]  # beyond 1/0.9
    assert ev.time_ratio("A faster", slow, margin=0.1).outcome == "does not hold"
    assert ev.time_ratio("A slower", slow, faster=False, margin=0.1).outcome == "holds"
    barely = [_proc([1.05, 1.05], [1.0, 1.0]), _proc([1.5, 1.5], [1.0, 1.0])]
    assert ev.time_ratio("A faster", barely, margin=0.1).outcome == "inconclusive"
    with pytest.raises(ValueError, match="margin"):
        ev.time_ratio("A faster", near, margin=1.0)


# --- the one mean ± spread ---------------------------------------------------------------


def test_spread_is_the_sample_std():
    s = ev.spread([1.0, 2.0, 3.0])
    assert (s.mean, s.std, s.n) == (2.0, 1.0, 3)
    assert s.text(2, fixed=True) == "2.00 ± 1.00 (3 seeds)"
    assert ev.spread([0.5]).text() == "0.5 (1 seed)"


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: ev.spread([]), ValueError, "values"),
        (lambda: ev.spread([[1.0, 2.0]]), ValueError, "1-D"),
        (lambda: ev.spread([1.0, np.nan]), ValueError, "finite"),
        (lambda: ev.spread("abc"), TypeError, "values"),
        (lambda: ev.compare_seeds("c", [1.0, 2.0], [1.0, 2.0]), TypeError, "lower_is_better"),
        (lambda: ev.compare_seeds("c", [1.0], [2.0], metric="f1"), ValueError, "metric"),
        (lambda: ev.compare_seeds("c", [-1.0, 2.0], [1, 2], metric="mse"), ValueError, "range"),
        (lambda: ev.did_not_train([0.1], 0.0, metric="mse"), ValueError, "baseline"),
        (lambda: ev.agreement(0.5, [0.4], metric=None), TypeError, "metric"),
        (lambda: ev.time_ratio("c", []), TypeError, "processes"),
    ],
)
def test_bad_inputs_name_the_argument(call, error, words):
    with pytest.raises(error, match=words):
        call()


# --- the core is the only path -----------------------------------------------------------


def _modules():
    from pathlib import Path

    root = Path(ev.__file__).resolve().parents[1]  # the whole package, not only core/
    return [
        p
        for p in sorted(root.rglob("*.py"))
        if p.name != "evidence.py" and "_results" not in p.parts
    ]


def test_no_module_decides_an_outcome_or_a_spread_itself():
    """Outside evidence.py no module produces an outcome literal (reading one, as in
    ``v.outcome == "holds"``, is fine) or computes a standard deviation itself."""
    import io
    import tokenize

    literals = {'"holds"', '"does not hold"', '"inconclusive"', '"observation"'}
    offenders = []
    for path in _modules():
        text = path.read_text()
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(text).readline)
            if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT)
        ]
        for i, tok in enumerate(tokens):
            if tok.type == tokenize.STRING and tok.string in literals:
                before, after = tokens[i - 1].string, tokens[i + 1].string
                # Reading an outcome is fine: a comparison, a membership test, a dict key.
                if before not in ("==", "!=") and after not in ("in", "==", "!=", ":"):
                    offenders.append(f"{path.name}:{tok.start[0]}: produces {tok.string}")
        for n, line in enumerate(text.splitlines(), 1):
            code, _, comment = line.partition("#")
            if (".std(" in code or "ddof" in code) and "data scaling" not in comment:
                offenders.append(f"{path.name}:{n}: a spread outside the core: {line.strip()}")
    assert offenders == [], "\n".join(offenders)


def test_agreement_never_spans_trained_and_untrained():
    # Committed SimpleRNN seeds that learnt nothing (the mean predictor scores 1/6): a live
    # run that halved the error has learnt something and must not "agree" with them.
    stuck = [0.17, 0.171, 0.172]
    a = ev.agreement(0.0854, stuck, metric="mse", threshold=1 / 60, baseline=1 / 6)
    assert not a.agrees and a.low == pytest.approx(1 / 6 - 0.1 / 6)
    assert "did-not-train line" in a.rule
    assert ev.agreement(0.165, stuck, metric="mse", threshold=1 / 60, baseline=1 / 6).agrees


def test_an_observation_that_cannot_be_read_says_so():
    v = ev.observation("trained LSTM reaches further", "1e-2 vs 1e-4", seen=True, rule="larger",
                       unreadable="the SimpleRNN did not train")  # fmt: skip
    assert v.outcome == "observation" and "cannot be read" in v.measured
    assert "as claimed" not in v.measured


def test_not_worse_is_one_sided():
    lstm = [1.0, 1.01, 0.99]
    better = ev.not_worse(
        "GRU not worse", [0.5, 0.51, 0.49], lstm, margin=0.1, lower_is_better=True
    )
    assert better.outcome == "holds"  # clearly better passes (equivalence would not)
    assert (
        ev.equivalent("comparable", [0.5, 0.51, 0.49], lstm, margin=0.1).outcome == "does not hold"
    )
    worse = ev.not_worse("GRU not worse", [1.5, 1.51, 1.49], lstm, margin=0.1, lower_is_better=True)
    assert worse.outcome == "does not hold"
    acc = ev.not_worse(
        "x", [0.9, 0.91, 0.89], [0.95, 0.951, 0.949], margin=0.01, lower_is_better=False
    )
    assert acc.outcome == "does not hold" and "worse by 0.05" in acc.measured


def test_controlled_holds_only_beside_a_control_that_holds():
    fails = ev.against_threshold("X fails task", [0.3, 0.4], 0.9, below=True)
    solves = ev.against_threshold("X solves control", [0.95, 0.97], 0.9, below=False)
    unsolved = ev.against_threshold("X solves control", [0.3, 0.2], 0.9, below=False)
    assert ev.controlled(fails, solves).outcome == "holds"
    v = ev.controlled(fails, unsolved)
    assert v.outcome == "inconclusive" and "X solves control" in v.rule
    assert "control: does not hold" in v.measured
    one = ev.against_threshold("X fails task", [0.3], 0.9, below=True)
    assert ev.controlled(one, unsolved).outcome == "observation"
    passes = ev.against_threshold("X fails task", [0.95, 0.97], 0.9, below=True)
    assert ev.controlled(passes, unsolved).outcome == "does not hold"
    with pytest.raises(TypeError, match="Verdicts"):
        ev.controlled(fails, "control")


def test_not_run_is_an_observation_naming_the_missing_runs():
    from course_utils.core.evidence import not_run

    verdict = not_run("A beats B", "B on task X", scope="committed")
    assert verdict.outcome == "observation" and verdict.scope == "committed"
    assert "not run: no runs of B on task X" in verdict.measured
    for claim, missing, word in (("", "B", "claim"), ("A", "", "missing"), ("A", ["B"], "missing")):
        with pytest.raises(TypeError, match=word):
            not_run(claim, missing)


def test_separation_is_the_t_interval_of_two_single_runs():
    from scipy import stats

    values = [2.0, 2.01, 2.02]  # s = 0.01, 2 degrees of freedom
    expected = stats.t.ppf(0.975, 2) * math.sqrt(2) * 0.01
    assert ev.separation(values) == pytest.approx(expected) and 0.060 < expected < 0.061
    assert ev.separation(values, level=0.9) < expected
    with pytest.raises(ValueError, match="at least 2 seeds"):
        ev.separation([2.0])
    with pytest.raises(ValueError, match="values"):
        ev.separation([2.0, float("nan")])
