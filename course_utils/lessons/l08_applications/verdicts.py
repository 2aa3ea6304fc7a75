"""Lesson 08's verdicts, agreement lines and tables from the committed runs over seeds.

:mod:`course_utils.lessons.l08_applications.applications` runs the lesson's experiments;
``benchmarks/applications.py`` repeats them over seeds into
``benchmarks/results/applications.json``. Here that JSON becomes the verdicts
(:func:`lesson_verdicts`, one section at a time or all for the summary), the line that
sets a live seed beside the committed ones (:func:`agreement_line`), and the table of
encoder-decoder variants (:func:`variant_table`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from course_utils.core.config import fast_mode
from course_utils.core.evidence import (
    Verdict,
    against_threshold,
    agreement,
    compare_seeds,
    seeds_text,
)
from course_utils.core.tables import format_mean_std, table
from course_utils.core.validation import check_choice
from course_utils.lessons.l08_applications.applications import OPEN, VARIANTS

__all__ = [
    "FORMAT_PAIR",
    "MIN_GAP",
    "PARTS",
    "SUMMARY_POINTS",
    "VARIANT_CLAIMS",
    "agreement_line",
    "grid_scope",
    "lesson_verdicts",
    "live_agreement",
    "variant_table",
]

#: Lesson 08's summary points: what was built and why, true whatever was measured.
SUMMARY_POINTS = (
    "Forecasting: split by time before windowing, and report the naive and seasonal-naive "
    "baselines beside any model.",
    "An encoder-decoder without attention passes the whole input through one state vector; "
    "attention lets each output step read all encoder states, weighted by a softmax over the "
    "input positions (weights sum to 1; padding is masked before the softmax).",
    "The lesson's attention is Bahdanau et al.'s additive score in Luong et al.'s placement "
    "(query s_t, context combined after the GRU step); Bahdanau's placement queries with "
    "s_{t-1} and feeds the context into the step.",
    "Masked recurrent inputs are right-padded with a real first step: the only masks "
    "cuDNN accepts on a GPU.",
    "A bidirectional RNN can use the future of the sequence, so it cannot stream; "
    "Transformers keep attention and drop the recurrence: parallel training, at the price "
    "of memory that grows with length.",
)


def _values(rows, key, **where):
    return [r[key] for r in rows if all(r.get(k) == v for k, v in where.items())]


def _shortest_longest(rows, variant):
    mine = [r["by_length"] for r in rows if r["variant"] == variant]
    if not mine:
        raise ValueError(f"results['dates'] has no runs of {variant!r}; rerun the benchmark.")
    bins = list(mine[0])
    return [m[bins[0]] for m in mine], [m[bins[-1]] for m in mine], bins[0], bins[-1]


#: ``spoken`` dates end with the date; ``story`` dates are the spoken form with filler after
#: the date. Length alone cannot separate the two (the longest-input bin holds every story
#: date), so where the runs record ``by_format`` the verdicts compare these two formats.
FORMAT_PAIR = ("spoken", "story")


def _groups(rows, variant):
    """(easy values, hard values, easy label, hard label) over seeds for ``variant``: the
    spoken and story formats when every run has ``by_format``, else the shortest and the
    longest input-length bin."""
    if rows and all("by_format" in r for r in rows):
        mine = [r["by_format"] for r in rows if r["variant"] == variant]
        if not mine:
            raise ValueError(f"results['dates'] has no runs of {variant!r}; rerun the benchmark.")
        easy, hard = FORMAT_PAIR
        return (
            [m[easy] for m in mine], [m[hard] for m in mine],
            f"{easy} dates", f"{hard} dates (filler after the date)",
        )  # fmt: skip
    short, long_, b0, b1 = _shortest_longest(rows, variant)
    return (
        short,
        long_,
        f"inputs of {b0} chars",
        f"inputs of {b1} chars (the bin of every story date)",
    )


PARTS = ("forecast", "attention", "variants", "brackets")
#: (variant A, variant B, claim "A beats B" on exact match) for the placement and scores.
VARIANT_CLAIMS = (
    ("bahdanau additive", "luong additive", "Bahdanau's placement beats Luong's (additive score)"),
    ("luong additive", "luong dot", "The additive score beats the dot score (Luong placement)"),
    ("luong additive", "luong general", "The additive score beats the general one (Luong)"),
)


#: Accuracy gaps below this (1 point; 20 of the 2,000 test dates) are too small to call.
MIN_GAP = 0.01


def _compare(claim, a, b, **kwargs):
    """compare_seeds with a floor: near 100 % a gap of a few test examples is too small to
    call, so below ``MIN_GAP`` the verdict is inconclusive."""
    verdict = compare_seeds(claim, a, b, min_gap=MIN_GAP, **kwargs)
    if kwargs.get("lower_is_better"):  # here a claim that the first accuracy is the lower one
        rule = verdict.rule.replace("lower is better; ", "claimed: the first is lower; ", 1)
        return replace(verdict, rule=rule)
    return verdict


def _forecast_verdicts(f, scope):
    best = min(f[0]["naive_mae"], f[0]["seasonal_naive_mae"])
    return [
        against_threshold(
            f"The GRU forecaster's test MAE is below the best baseline's ({best:.3f} ppm)",
            _values(f, "gru_mae"), best, below=True, unit="ppm", scope=scope,
        )
    ]  # fmt: skip


def _attention_verdicts(d, scope):
    easy, hard, easy_label, hard_label = _groups(d, "no attention")
    att_hard = _groups(d, "luong additive")[1]
    verdicts = [
        _compare(
            f"Without attention, exact match is lower on {hard_label} than on {easy_label}",
            hard, easy, lower_is_better=True, names=(hard_label, easy_label), scope=scope,
        ),
        _compare(
            f"Attention (Luong placement, additive score) beats no attention on {hard_label}",
            att_hard, hard, lower_is_better=False, names=("attention", "none"), scope=scope,
        ),
    ]  # fmt: skip
    wide = "no attention, 76 units"
    if any(r["variant"] == wide for r in d):  # a plain model with as many parameters
        verdicts.append(_compare(
            f"Attention beats a plain model of about as many parameters ({wide}) on "
            f"{hard_label}", att_hard, _groups(d, wide)[1], lower_is_better=False,
            names=("attention", wide), scope=scope,
        ))  # fmt: skip
    return verdicts


def _variant_verdicts(d, scope):
    verdicts = []
    for a, b, claim in VARIANT_CLAIMS:
        first, second = _values(d, "exact_match", variant=a), _values(d, "exact_match", variant=b)
        if first and second:  # a grid without this variant has no verdict on it
            verdicts.append(_compare(claim, first, second, lower_is_better=False,
                                          names=(a, b), unit="exact match", scope=scope))  # fmt: skip
    return verdicts


def _bracket_verdicts(b, scope):
    return [
        _compare(
            'A bidirectional GRU labels "(" better than a unidirectional one of similar size',
            _values(b, OPEN, kind="bidirectional"), _values(b, OPEN, kind="unidirectional"),
            lower_is_better=False, names=("bidirectional", "unidirectional"), scope=scope,
        )
    ]  # fmt: skip


def lesson_verdicts(results: dict, scope: str, part: str | None = None) -> list[Verdict]:
    """The lesson's verdicts from the benchmark's ``results`` (the JSON's run lists).

    ``scope`` says what was measured (:func:`grid_scope`); ``part`` (one of ``PARTS``)
    keeps one section's verdicts, ``None`` all of them, in the lesson's order.
    """
    if not isinstance(results, dict) or not {"forecast", "dates", "brackets"} <= set(results):
        raise TypeError(
            "results must be a dict with 'forecast', 'dates' and 'brackets' run lists, as in "
            f"benchmarks/results/applications.json; got {type(results).__name__}."
        )
    if not isinstance(scope, str):
        raise TypeError(f"scope must be a str; got {type(scope).__name__} {scope!r}.")
    if part is not None:
        check_choice("part", part, PARTS)
    makers = {
        "forecast": lambda: _forecast_verdicts(results["forecast"], scope),
        "attention": lambda: _attention_verdicts(results["dates"], scope),
        "variants": lambda: _variant_verdicts(results["dates"], scope),
        "brackets": lambda: _bracket_verdicts(results["brackets"], scope),
    }
    return [v for name in PARTS if part in (None, name) for v in makers[name]()]


def live_agreement(
    live: float, committed, *, metric: str = "accuracy"
) -> tuple[bool, float, float]:
    """The course's one rule, :func:`course_utils.core.evidence.agreement`, for ``metric``
    (``"accuracy"`` or ``"mae"``). Returns ``(agrees, low, high)``."""
    a = agreement(live, committed, metric=check_choice("metric", metric, ("accuracy", "mae")))
    return a.agrees, a.low, a.high


def grid_scope(results: dict) -> str:
    """What the committed grid covers, for a verdict's scope."""
    if not isinstance(results, dict) or "machine" not in results or "seeds" not in results:
        raise TypeError(
            "results must be the dict of benchmarks/results/applications.json (with 'machine' "
            f"and 'seeds'); got {type(results).__name__}."
        )
    cores = results["machine"].get("cpu_count")
    seeds = sorted({r["seed"] for r in results["dates"]})
    return f"committed grid: {cores}-core CPU, full mode, seeds {seeds}, {results['date'][:10]}"


def agreement_line(label: str, live: float, committed, *, metric: str | None = None) -> str:
    """One line: the live value, the committed range and whether they agree
    (:func:`live_agreement`); in fast mode it says agreement is not expected. ``metric``:
    ``"accuracy"`` or ``"mae"``; by default ``"mae"`` when the label names an MAE."""
    if not isinstance(label, str):
        raise TypeError(f"label must be a str; got {type(label).__name__} {label!r}.")
    metric = metric or ("mae" if "mae" in label.lower() else "accuracy")
    agrees, low, high = live_agreement(live, committed, metric=metric)
    line = (
        f"{label}: live {live:.3f}, committed range [{low:.3f}, {high:.3f}] over "
        f"{seeds_text(len(committed))} -> {'agrees' if agrees else 'does not agree'}"
    )
    if fast_mode():
        line += " (fast mode: far shorter training than the committed runs, so not expected to)"
    return line


def variant_table(results: dict) -> str:
    """The date variants over seeds: parameters, exact match, longest-bin accuracy, time."""
    if not isinstance(results, dict) or "dates" not in results:
        raise TypeError(f"results must be the applications.json dict; got {results!r:.60}.")
    rows = []
    for variant in VARIANTS:
        mine = [r for r in results["dates"] if r["variant"] == variant]
        if not mine:
            continue
        longest = list(mine[0]["by_length"])[-1]
        rows.append([
            variant, mine[0]["params"], len(mine),
            format_mean_std([r["exact_match"] for r in mine]),
            format_mean_std([r["by_length"][longest] for r in mine]),
            f"{np.mean([r['train_seconds'] for r in mine]):.0f}",
        ])  # fmt: skip
    header = ["variant", "params", "seeds", "exact match", f"longest ({longest})", "train s"]
    return table(header, rows) + (
        "\ntrain s: the committed runs' wall time, made one after the other on a loaded machine "
        "(see the JSON's notes); an observation, not a speed comparison."
    )
