"""Lesson 08's runs over seeds: argument checks, verdict logic, and the summary rendered
from the committed benchmark JSON."""

import pytest

from course_utils.core.evidence import OUTCOMES, Verdict
from course_utils.core.results import load_results
from course_utils.lessons.l08_applications import applications as app
from course_utils.lessons.l08_applications import verdicts as av
from course_utils.verdicts import summary_markdown


def _fake_results(plain_long, attention_long, bi=(0.99, 0.99, 1.0), gru=(0.4, 0.5, 0.45)):
    dates = []
    for seed in range(3):
        for variant in app.VARIANTS:
            plain = variant.startswith("no attention")
            long_ = plain_long[seed] if plain else attention_long[seed]
            dates.append({
                "seed": seed, "variant": variant, "params": 10, "train_seconds": 1.0,
                "exact_match": long_, "by_length": {"1-12": 0.9, "46-76": long_},
            })  # fmt: skip
    brackets = [
        {"seed": s, "kind": k, app.OPEN: (bi[s] if k == "bidirectional" else 0.72), app.CLOSE: 1}
        for s in range(3)
        for k in app.LABELLER_UNITS
    ]
    forecast = [
        {"seed": s, "gru_mae": gru[s], "naive_mae": 2.1, "seasonal_naive_mae": 1.5}
        for s in range(3)
    ]
    return {
        "forecast": forecast, "brackets": brackets, "dates": dates,
        "machine": {"cpu_count": 2}, "seeds": [0, 1, 2], "date": "2026-11-30T18:00:00",
    }  # fmt: skip


def _fake():
    return _fake_results([0.2, 0.3, 0.25], [0.9, 0.95, 0.92])


def test_verdicts_follow_the_measurements():
    clear = av.lesson_verdicts(_fake_results([0.2, 0.3, 0.25], [0.9, 0.95, 0.92]), "test")
    assert [v.outcome for v in clear[:3]] == ["holds", "holds", "holds"]
    assert len(clear) == 8 and [v.claim for v in clear] == [
        v.claim for part in av.PARTS for v in av.lesson_verdicts(_fake(), "test", part)
    ]
    assert clear[-1].outcome == "holds"  # bidirectional 0.99-1.0 against 0.72
    assert all(v.scope == "test" for v in clear)
    tie = av.lesson_verdicts(
        _fake_results([0.9, 0.5, 0.7], [0.7, 0.9, 0.5], gru=(1.0, 2.0, 1.8)), "test"
    )
    assert tie[0].outcome == "inconclusive"  # seeds on both sides of the baseline
    assert tie[2].outcome == "inconclusive"  # the same values, in another order
    worse = av.lesson_verdicts(_fake_results([0.9, 0.91, 0.92], [0.2, 0.21, 0.2]), "test")
    assert worse[2].outcome == "does not hold"


def test_verdicts_compare_formats_when_the_runs_record_them():
    results = _fake()
    assert (
        "the bin of every story date" in av.lesson_verdicts(results, "test", "attention")[0].claim
    )
    for r in results["dates"]:
        hard = r["by_length"]["46-76"]
        r["by_format"] = {"spoken": 0.95, "story": hard}
    verdicts = av.lesson_verdicts(results, "test", "attention")
    assert verdicts[0].claim == (
        "Without attention, exact match is lower on story dates (filler after the date) "
        "than on spoken dates"
    )
    assert [v.outcome for v in verdicts[:2]] == ["holds", "holds"]
    assert all("story dates" in v.claim for v in verdicts)


def test_every_story_date_is_in_the_longest_input_bin():
    """The length-bin claim names the longest bin as the story dates' bin: check it."""
    from course_utils.tasks import dates

    examples = dates.date_examples(2000, seed=1)
    story = [len(t) for t, f in zip(examples.inputs, examples.formats, strict=True) if f == "story"]
    assert min(story) > app.DATE_BINS[-2]


def test_summary_renders_from_the_committed_results():
    grid = load_results("applications")
    verdicts = av.lesson_verdicts(grid, av.grid_scope(grid))
    assert len(verdicts) >= 5 and all(isinstance(v, Verdict) for v in verdicts)
    assert all(v.outcome in OUTCOMES and "seeds" in v.measured for v in verdicts)
    text = summary_markdown(verdicts, points=av.SUMMARY_POINTS)
    for v in verdicts:
        assert f"{v.claim}: **{v.outcome}**" in text
    assert "full mode" in verdicts[0].scope and len({r["seed"] for r in grid["dates"]}) >= 3
    assert grid["command"].startswith("python -m benchmarks.applications")
    assert "no attention" in av.variant_table(grid)


def test_agreement_line_names_the_rule_outcome_and_mode(monkeypatch):
    monkeypatch.delenv("COURSE_FAST", raising=False)
    assert "-> agrees" in av.agreement_line("x", 0.97, [0.98, 0.99, 1.0])
    assert "does not agree" in av.agreement_line("x", 0.8, [0.98, 0.99, 1.0])
    # The band never leaves accuracy's range [0, 1] (it once reached 1.040).
    assert "1.000]" in av.agreement_line("x", 1.0, [0.98, 0.99, 1.0])
    assert "-> agrees" in av.agreement_line("GRU MAE", 2.0, [1.5, 1.8, 1.9])  # an MAE
    monkeypatch.setenv("COURSE_FAST", "1")
    assert "fast mode" in av.agreement_line("x", 0.5, [0.98, 0.99, 1.0])


def test_bad_arguments():
    with pytest.raises(ValueError, match="seed"):
        app.forecast_run(-1)
    with pytest.raises(ValueError, match="epochs"):
        app.forecast_run(0, epochs=0)
    with pytest.raises(ValueError, match="variant"):
        app.date_run(0, "transformer", {})
    with pytest.raises(ValueError, match="kind"):
        app.bracket_run(0, "sideways")
    with pytest.raises(ValueError, match="n_train"):
        app.date_data(n_train=0)
    with pytest.raises(TypeError, match="results"):
        av.lesson_verdicts([], "scope")
    with pytest.raises(TypeError, match="scope"):
        av.lesson_verdicts(_fake_results([0.2] * 3, [0.9] * 3), None)
    with pytest.raises(ValueError, match="part"):
        av.lesson_verdicts(_fake(), "scope", "summary")
    with pytest.raises(ValueError, match="no runs"):
        av.lesson_verdicts({**_fake(), "dates": []}, "scope")
    with pytest.raises(TypeError, match="results"):
        av.grid_scope({"dates": []})
    with pytest.raises(TypeError, match="label"):
        av.agreement_line(3, 1.0, [1.0])
    with pytest.raises(TypeError, match="results"):
        av.variant_table(None)


def test_a_gap_of_a_few_test_dates_near_the_ceiling_is_inconclusive():
    from course_utils.core.evidence import compare_seeds

    a, b = [1.0, 1.0, 0.9995], [0.999, 0.9985, 0.999]
    assert compare_seeds("c", a, b, lower_is_better=False).outcome == "holds"
    verdict = av._compare("c", a, b, lower_is_better=False)
    assert verdict.outcome == "inconclusive" and f"under {av.MIN_GAP:g}" in verdict.rule
    assert av._compare("c", [0.9, 0.91], [0.5, 0.52], lower_is_better=False).outcome == "holds"
