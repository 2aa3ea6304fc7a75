"""Verdicts: three outcomes, rules printed, summaries rendered from verdicts."""

import numpy as np
import pytest

from course_utils.core.evidence import OUTCOMES, Verdict, against_threshold, compare_seeds
from course_utils.verdicts import VerdictTable, show_outcome, summary_markdown


def test_clear_win_holds_clear_loss_does_not_hold_tie_inconclusive():
    win = compare_seeds("A is lower", [1.0, 1.1, 0.9], [5.0, 5.2, 4.8], lower_is_better=True)
    loss = compare_seeds("A is lower", [5.0, 5.2, 4.8], [1.0, 1.1, 0.9], lower_is_better=True)
    tie = compare_seeds("A is lower", [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], lower_is_better=True)
    spread = compare_seeds("A is lower", [1.0, 3.0, 2.0], [2.2, 1.2, 3.2], lower_is_better=True)
    assert [v.outcome for v in (win, loss, tie, spread)] == [
        "holds",
        "does not hold",
        "inconclusive",
        "inconclusive",
    ]
    assert (
        "t interval" in win.rule
        and "the claim wants A lower" in win.rule
        and "B minus A" in win.rule
    )
    assert "A lower by" in win.measured
    assert "A higher by" in loss.measured and "by -" not in loss.measured  # never "lower by -4"


def test_direction_is_named_without_calling_a_higher_error_better():
    # "the error is higher at onsets": the claim wants a higher error, which is not "better"
    v = compare_seeds(
        "the error is higher at onsets", [2.0, 2.1, 1.9], [1.0, 1.1, 0.9],
        lower_is_better=False, names=("onsets", "inside"), unit="nats",
    )  # fmt: skip
    assert v.outcome == "holds"
    assert "better" not in v.rule and "better" not in v.measured
    assert "onsets higher by" in v.measured and "onsets minus inside" in v.rule


def test_higher_is_better_flips_direction():
    v = compare_seeds("A is higher", [0.9, 0.95], [0.2, 0.25], lower_is_better=False)
    assert v.outcome == "holds"


def test_threshold_verdicts():
    assert against_threshold("solved", [0.01, 0.02], 0.05, below=True).outcome == "holds"
    assert against_threshold("solved", [0.1, 0.2], 0.05, below=True).outcome == "does not hold"
    assert against_threshold("solved", [0.01, 0.2], 0.05, below=True).outcome == "inconclusive"


@pytest.mark.usefixtures("full_mode")
def test_summary_renders_every_verdict_and_points():
    v = [Verdict("c1", "m1", "r1", "holds", "here"), Verdict("c2", "m2", "r2", "inconclusive")]
    text = summary_markdown(v, points=["a fact"])
    assert text.splitlines()[0] == "- a fact"
    assert "c1: **holds** - m1 *(here)*." in text and "c2: **inconclusive**" in text
    table = VerdictTable(v).markdown()
    assert table.count("\n") == 3 and "r1" in table


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(outcome="partly"), ValueError, "outcome"),
        (dict(claim=3), TypeError, "claim"),
        (dict(claim=" "), ValueError, "claim"),
    ],
)
def test_verdict_rejects_bad_fields(kwargs, error, words):
    fields = dict(claim="c", measured="m", rule="r", outcome="holds") | kwargs
    with pytest.raises(error, match=words):
        Verdict(**fields)


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="a"):
        compare_seeds("c", [], [1.0], lower_is_better=True)
    with pytest.raises((ValueError, TypeError), match="b"):
        compare_seeds("c", [1.0], [np.nan], lower_is_better=True)
    with pytest.raises(TypeError, match="lower_is_better"):
        compare_seeds("c", [1.0], [1.0], lower_is_better="yes")
    with pytest.raises(TypeError, match="verdicts"):
        summary_markdown(["holds"])
    assert set(OUTCOMES) == {"holds", "does not hold", "inconclusive", "observation"}


def test_fast_mode_marks_every_table_and_summary_as_not_evidence(monkeypatch):
    v = Verdict(claim="c", measured="m", outcome="holds", rule="r", scope="s")
    monkeypatch.setenv("COURSE_FAST", "1")
    for text in (summary_markdown([v]), VerdictTable([v]).markdown(), str(VerdictTable([v]))):
        assert "not evidence" in text.splitlines()[0], text
    monkeypatch.setenv("COURSE_FAST", "0")
    for text in (summary_markdown([v]), VerdictTable([v]).markdown(), str(VerdictTable([v]))):
        assert "not evidence" not in text


@pytest.mark.usefixtures("full_mode")
@pytest.mark.parametrize(
    "outcome, said",
    [
        ("holds", "**holds**"),
        ("does not hold", "**does not hold**"),
        ("inconclusive", "**inconclusive**: the measurement cannot decide"),
        ("observation", "**an observation, not a verdict**"),
    ],
)
def test_outcome_sentence_says_what_the_verdict_says(outcome, said):
    v = Verdict("the RNN beats the Dense network", "0.51 against 0.57", "r", outcome, "here")
    text = show_outcome(v)
    assert text.startswith(f"The RNN beats the Dense network: {said}")
    assert text.endswith(" - measured 0.51 against 0.57 *(here)*.") and "fast mode" not in text


def test_outcome_sentences_are_marked_in_fast_mode(monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "1")
    verdicts = [against_threshold("above 0.95", [0.5], 0.95, below=False)] * 2
    text = show_outcome(verdicts)
    assert text.count("(fast mode: not evidence).") == 2
    assert "1 seed" in text and "observation" in text
    with pytest.raises(TypeError, match="verdicts"):
        show_outcome("holds")
