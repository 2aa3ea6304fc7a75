"""The source article's advice on choosing a cell, tested on the measured grid (lesson 07).

:func:`advice_verdicts` returns one :class:`course_utils.verdicts.Verdict` per claim
(holds / does not hold / inconclusive, each with its rule and scope); time claims use
:func:`ratio_verdict` on paired per-seed time ratios.
"""

from __future__ import annotations

import numpy as np

from course_utils.evidence import Verdict, compare_seeds

from .analysis import (
    LONG_TASKS,
    SHORT_TASKS,
    _best,
    _label,
    multiply_adds,
    recurrent_only,
    simple_rnn_verdict,
)
from .tasks import TASKS

__all__ = ["advice_verdicts", "ratio_verdict", "transformer_verdicts"]


def _by(summary, task, cell, size):
    return next(
        (e for e in summary if e["task"] == task and e["cell"] == cell and e["size"] == size), None
    )


def _paired_ratios(summary, numerator: str, denominator: str) -> list[float]:
    """Per (task, size, seed): seconds per epoch of one cell over another's, same seed.

    In the grid the cells of one (task, size, seed) run one after the other
    (SimpleRNN, LSTM, GRU, then the next seed), so each ratio compares runs made
    minutes apart on the same machine.
    """
    ratios = []
    for e in summary:
        if e["cell"] != numerator:
            continue
        other = _by(summary, e["task"], denominator, e["size"])
        if other is None:
            continue
        theirs = dict(zip(other["seed_list"], other["seconds_per_epoch_values"], strict=True))
        for seed, value in zip(e["seed_list"], e["seconds_per_epoch_values"], strict=True):
            if seed in theirs:
                ratios.append(value / theirs[seed])
    return ratios


def ratio_verdict(claim: str, ratios, *, below: bool, what: str, scope: str = "") -> Verdict:
    """Verdict on paired time ratios (one per task x size x seed): below (or above) 1?

    Rule: the geometric mean of the ratios is below (above) 1 by more than 2 standard
    errors of the mean log-ratio; the other way by as much: does not hold; else
    inconclusive. Pairing (each ratio compares runs made back to back) cancels most of
    a shared machine's slow spells.
    """
    logs = np.log(np.asarray(ratios, dtype=float))  # (pairs,)
    if logs.size < 2:
        raise ValueError(f"ratios must hold at least 2 values; got {list(ratios)!r}.")
    mean, se = float(logs.mean()), float(logs.std(ddof=1) / np.sqrt(logs.size))
    gap = -mean if below else mean
    outcome = "holds" if gap > 2 * se else ("does not hold" if -gap > 2 * se else "inconclusive")
    r = np.exp(logs)  # (pairs,)
    measured = (
        f"{what}: geometric mean {np.exp(mean):.2f}x (2 SE: {np.exp(mean - 2 * se):.2f}-"
        f"{np.exp(mean + 2 * se):.2f}x; range {r.min():.2f}-{r.max():.2f}) over {r.size} "
        "task x size x seed pairs, timed back to back"
    )
    word = "below" if below else "above"
    rule = (
        f"holds when the geometric mean ratio is {word} 1 by more than 2 standard errors of "
        "the mean log-ratio; does not hold when it is that far on the other side; "
        "inconclusive otherwise"
    )
    return Verdict(claim, measured, rule, outcome, scope)


def _lstm_vs_gru(summary, task, scope, claim) -> Verdict:
    """LSTM against GRU on ``task``, each at its best size (is the LSTM better?)."""
    entries = [e for e in summary if e["task"] == task]
    lstm = _best([e for e in entries if e["cell"] == "lstm"])
    gru = _best([e for e in entries if e["cell"] == "gru"])
    return compare_seeds(
        claim, lstm["metric_values"], gru["metric_values"],
        lower_is_better=not lstm["higher_is_better"], names=(_label(lstm), _label(gru)),
        unit=lstm["metric_name"], scope=scope,
    )  # fmt: skip


def _pooled(claim, parts: list[Verdict], rule: str, outcome: str, scope: str) -> Verdict:
    head = parts[0].claim.split(": ")[0] if parts else ""
    measured = f"'{head}' per task: " + "; ".join(
        f"{p.claim.split(': ')[-1]} {p.outcome}" for p in parts
    )
    return Verdict(claim, measured, rule, outcome, scope)


def advice_verdicts(summary: list[dict], scope: str, *, co2_windows: int | None = None):
    """The advice of the source article's "choosing an architecture" section, on the numbers.

    Returns a list of :class:`~course_utils.verdicts.Verdict` (holds / does not hold /
    inconclusive), each with the rule that decided it and ``scope`` (say what the grid
    covers: :func:`grid_scope`). ``co2_windows``: the number of CO2 test windows, quoted
    in the time-series verdict.
    """
    if not isinstance(scope, str) or not scope:
        raise TypeError(f"scope must be a non-empty str (see grid_scope); got {scope!r}.")
    summary = recurrent_only(summary)  # the advice is about the three recurrent cells
    tasks = {e["task"] for e in summary}
    out = []
    for task in (t for t in SHORT_TASKS if t in tasks):
        v = simple_rnn_verdict(summary, task, scope)
        out.append(Verdict(f"A SimpleRNN suffices for short sequences: {task}",
                           v.measured, v.rule, v.outcome, scope))  # fmt: skip
    flipped = {"holds": "does not hold", "does not hold": "holds", "inconclusive": "inconclusive"}
    for task in (t for t in LONG_TASKS if t in tasks):
        v = simple_rnn_verdict(summary, task, scope)
        out.append(Verdict(f"Long-range dependencies need an LSTM or a GRU: {task}",
                           v.measured, "holds when a SimpleRNN is not enough: " + v.rule,
                           flipped[v.outcome], scope))  # fmt: skip
    slower = _paired_ratios(summary, "lstm", "simple_rnn") + _paired_ratios(
        summary, "gru", "simple_rnn"
    )
    out.append(ratio_verdict("A SimpleRNN is cheaper to train (per epoch) than an LSTM or a GRU",
                             slower, below=False, what="gated / SimpleRNN seconds per epoch",
                             scope=scope))  # fmt: skip
    sizes = sorted({e["size"] for e in summary})
    ratios = [multiply_adds("gru", 1, n) / multiply_adds("lstm", 1, n) for n in sizes]
    out.append(Verdict(
        "A GRU does less arithmetic per step than an LSTM",
        f"GRU/LSTM multiply-adds per step = 3n(m+n) / 4n(m+n) = {min(ratios):.2f} at every size",
        "holds when the ratio, computed from the weight shapes, is below 1", "holds",
        "any input size m and width n",
    ))  # fmt: skip
    gru_time = _paired_ratios(summary, "gru", "lstm")
    out.append(ratio_verdict("...so a GRU trains faster per epoch than an LSTM", gru_time,
                             below=True, what="GRU / LSTM seconds per epoch",
                             scope=scope))  # fmt: skip
    parts = [_lstm_vs_gru(summary, t, scope, f"LSTM better: {t}") for t in TASKS if t in tasks]
    lstm_better = sum(p.outcome == "holds" for p in parts)
    outcome = "holds" if lstm_better == 0 else (
        "does not hold" if 2 * lstm_better > len(parts) else "inconclusive")  # fmt: skip
    out.append(_pooled(
        "A GRU performs comparably to an LSTM (not clearly worse)", parts,
        "per task, each cell at its best size, 'LSTM better' by the seeds rule (2 standard "
        "errors); holds when the LSTM is better on no task, does not hold when on more than "
        "half, inconclusive otherwise", outcome, scope,
    ))  # fmt: skip
    for task in (t for t in LONG_TASKS if t in tasks):
        v = _lstm_vs_gru(summary, task, scope, "LSTM better")
        out.append(Verdict(f"An LSTM is the stronger choice on long sequences: {task}",
                           v.measured, "each cell at its best size; " + v.rule, v.outcome,
                           scope))  # fmt: skip
    if "co2" in tasks:
        v = simple_rnn_verdict(summary, "co2", scope)
        windows = f" with {co2_windows} test windows" if co2_windows else ""
        out.append(Verdict(
            "Time series benefit from LSTM/GRU memory",
            f"one series (Mauna Loa CO2){windows}: {v.measured}; on this series a SimpleRNN "
            f"being enough {v.outcome}",
            "inconclusive by rule: one series is one sample of 'time series', whatever its "
            "gap; a verdict needs several series", "inconclusive", scope,
        ))  # fmt: skip
    return out


def transformer_verdicts(summary: list[dict], scope: str) -> list[Verdict]:
    """Per size on ``char_lm``: is the best recurrent cell of that size ahead of the
    Transformer of that width (same data, budget, learning rate and seeds)? Empty when
    the grid has no Transformer rows."""
    out = []
    for e in sorted(
        (e for e in summary if e["cell"] == "transformer" and e["task"] == "char_lm"),
        key=lambda e: e["size"],
    ):
        rivals = [
            r for r in recurrent_only(summary) if (r["task"], r["size"]) == ("char_lm", e["size"])
        ]
        if not rivals:
            continue
        best = _best(rivals)
        out.append(compare_seeds(
            f"On char_lm at size {e['size']}, the best recurrent cell is ahead of a Transformer",
            best["metric_values"], e["metric_values"], lower_is_better=True,
            names=(_label(best), _label(e)), unit=e["metric_name"], scope=scope,
        ))  # fmt: skip
    return out
