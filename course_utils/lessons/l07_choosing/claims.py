"""The source article's advice on choosing a cell, tested on the measured grid (lesson 07).

:func:`advice_verdicts` returns one :class:`course_utils.core.evidence.Verdict` per claim
(holds / does not hold / inconclusive, each with its rule and scope); time claims use
:func:`ratio_verdict` on paired per-seed time ratios.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.evidence import (
    COMPARABLE,
    Verdict,
    compare_seeds,
    computed,
    negated,
    not_worse,
    observation,
    pooled,
)
from course_utils.core.timing import case_verdict, timing_scope
from course_utils.lessons.l07_choosing.analysis import (
    NAMES,
    SHORT_TASKS,
    _best,
    _label,
    good_enough,
    multiply_adds,
    recurrent_only,
    simple_rnn_verdict,
)
from course_utils.lessons.l07_choosing.tasks import TASKS

__all__ = [
    "DEPENDENCY_TASKS",
    "advice_verdicts",
    "ratio_verdict",
    "transformer_verdicts",
]

#: The grid's tasks that isolate a long-range dependency (a signal far back that the
#: answer needs). char_lm at T=50 mixes short and long context, so the long-range claims
#: are not judged on it.
DEPENDENCY_TASKS = ("adding_T50", "temporal_order")


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
    """What the grid's paired time ratios (one per task x size x seed) show: an observation.

    The grid times each (task, size, seed) triple in one process, in a fixed order
    (SimpleRNN, then LSTM, then GRU) on a machine that may be loaded, so its ratios are
    one run's observation, never a verdict: a time ratio needs interleaved repeats in
    separate processes (:func:`course_utils.core.evidence.time_ratio`).
    """
    logs = np.log(np.asarray(ratios, dtype=float))  # (pairs,)
    if logs.size < 2:
        raise ValueError(f"ratios must hold at least 2 values; got {list(ratios)!r}.")
    r = np.exp(logs)  # (pairs,)
    geo = float(np.exp(logs.mean()))
    measured = (
        f"{what}: geometric mean {geo:.2f}x (range {r.min():.2f}-{r.max():.2f}) over {r.size} "
        "task x size x seed pairs, timed in one process in a fixed order (SimpleRNN, LSTM, GRU)"
    )
    word = "below" if below else "above"
    return observation(
        claim, measured, seen=bool(geo < 1 if below else geo > 1),
        rule=f"the geometric mean ratio is {word} 1", scope=scope,
    )  # fmt: skip


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


def _gru_comparable(summary, task, scope) -> Verdict:
    """Is the GRU within ``COMPARABLE`` of the LSTM's mean on ``task`` (each at its best size)?"""
    entries = [e for e in summary if e["task"] == task]
    lstm = _best([e for e in entries if e["cell"] == "lstm"])
    gru = _best([e for e in entries if e["cell"] == "gru"])
    margin = COMPARABLE * abs(float(np.mean(lstm["metric_values"])))
    return not_worse(
        f"GRU comparable: {task}", gru["metric_values"], lstm["metric_values"], margin=margin,
        lower_is_better=not lstm["higher_is_better"], names=(_label(gru), _label(lstm)),
        unit=lstm["metric_name"], scope=scope,
    )  # fmt: skip


def _pooled_text(parts: list[Verdict]) -> str:
    head = parts[0].claim.split(": ")[0] if parts else ""
    return f"'{head}' per task: " + "; ".join(
        f"{p.claim.split(': ')[-1]} {p.outcome}" for p in parts
    )


def _timing_verdict(claim, timing: dict, pairs: list[tuple[str, str]]) -> Verdict:
    """``claim`` pooled over lesson 07's timed cases and the (faster, slower) cell ``pairs``:
    each part is :func:`course_utils.core.evidence.time_ratio` over the separate processes."""
    scope = timing_scope(timing)
    parts = [
        case_verdict(
            f"{case[9:]}: {NAMES[fast]} / {NAMES[slow]}",
            timing,
            case,
            fast,
            slow,
            names=(NAMES[fast], NAMES[slow]),
        )  # fmt: skip
        for case in sorted(timing["cases"])
        if case.startswith("lesson07:")
        for fast, slow in pairs
    ]
    if not parts:
        raise ValueError("timing has no lesson07 cases; run python -m benchmarks.timing.")
    ratios = "; ".join(f"{v.claim} {v.measured.split(': ')[1].split(' (')[0]}" for v in parts)
    loads = [x for r in timing["cases"].values() for q in r for x in q.get("load", [])]
    return pooled(
        claim, parts, scope=scope + f"; 1-min load {min(loads):.1f}-{max(loads):.1f}",
        measured=f"time per training batch, ratio per process: {ratios}",
        rule=f"per task x size and pair of cells, {parts[0].rule}",
    )  # fmt: skip


def advice_verdicts(
    summary: list[dict], scope: str, *, co2_windows: int | None = None, timing: dict | None = None
):
    """The advice of the source article's "choosing an architecture" section, on the numbers.

    Returns a list of :class:`~course_utils.core.evidence.Verdict` (holds / does not hold /
    inconclusive), each with the rule that decided it and ``scope`` (say what the grid
    covers: :func:`grid_scope`). ``co2_windows``: the number of CO2 test windows, quoted
    in the time-series verdict. ``timing``: ``load_results("timing")``; its time ratios
    (interleaved, separate processes) decide the time claims, which the grid's own
    timings (one process, fixed order) can only observe.
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
    for task in (t for t in DEPENDENCY_TASKS if t in tasks):
        spec = TASKS[task]
        not_enough = negated(f"a SimpleRNN is not enough: {task}",
                             simple_rnn_verdict(summary, task, scope))  # fmt: skip
        gated = _best([e for e in summary if e["task"] == task and e["cell"] in ("lstm", "gru")])
        solves = good_enough(gated, gated, scope)
        out.append(pooled(
            f"Long-range dependencies need an LSTM or a GRU: {task} (at the grid's budget: "
            f"{spec.epochs} epochs, Adam {spec.learning_rate:g}, untuned)",
            [not_enough, solves], scope=scope,
            measured=f"SimpleRNN: {not_enough.measured}; best gated cell: {solves.measured}",
            rule="a SimpleRNN is not enough by the task's notion of solved, and the best gated "
            "cell is",
        ))  # fmt: skip
    cheaper = "A SimpleRNN is cheaper to train (per epoch) than an LSTM or a GRU"
    if timing is not None:
        pairs = [("simple_rnn", "lstm"), ("simple_rnn", "gru")]
        out.append(_timing_verdict(cheaper, timing, pairs))
    else:  # the grid's own times: one process, a fixed order
        slower = [*_paired_ratios(summary, "lstm", "simple_rnn"),
                  *_paired_ratios(summary, "gru", "simple_rnn")]  # fmt: skip
        out.append(ratio_verdict(cheaper, slower, below=False,
                                 what="gated / SimpleRNN seconds per epoch", scope=scope))  # fmt: skip
    sizes = sorted({e["size"] for e in summary})
    ratios = [multiply_adds("gru", 1, n) / multiply_adds("lstm", 1, n) for n in sizes]
    out.append(computed(
        "A GRU does less arithmetic per step than an LSTM",
        f"GRU/LSTM multiply-adds per step = 3n(m+n) / 4n(m+n) = {min(ratios):.2f} at every size",
        true=max(ratios) < 1, rule="the ratio, computed from the weight shapes, is below 1",
        scope="any input size m and width n",
    ))  # fmt: skip
    faster = "...so a GRU trains faster per epoch than an LSTM"
    if timing is not None:
        out.append(_timing_verdict(faster, timing, [("gru", "lstm")]))
    else:
        gru_time = _paired_ratios(summary, "gru", "lstm")
        out.append(ratio_verdict(faster, gru_time, below=True, what="GRU / LSTM seconds per epoch",
                                 scope=scope))  # fmt: skip
    parts = [_gru_comparable(summary, t, scope) for t in TASKS if t in tasks]
    out.append(pooled(
        f"A GRU performs comparably to an LSTM (not worse by more than {COMPARABLE:.0%} of the "
        "LSTM's mean)",
        parts, measured=_pooled_text(parts),
        rule=f"per task, each cell at its best size, comparable = the 95% t interval of how "
        f"much worse the GRU is lies below {COMPARABLE:.0%} of the LSTM's mean",
        scope=scope,
    ))  # fmt: skip
    for task in (t for t in DEPENDENCY_TASKS if t in tasks):
        v = _lstm_vs_gru(summary, task, scope, "LSTM better")
        out.append(Verdict(f"An LSTM is the stronger choice on long sequences: {task}",
                           v.measured, "each cell at its best size; " + v.rule, v.outcome,
                           scope))  # fmt: skip
    if "co2" in tasks:
        v = simple_rnn_verdict(summary, "co2", scope)
        windows = f" with {co2_windows} test windows" if co2_windows else ""
        out.append(observation(
            "Time series benefit from LSTM/GRU memory",
            f"one series (Mauna Loa CO2){windows}: {v.measured}; on this series a SimpleRNN "
            f"being enough {v.outcome}",
            run="series",
            unreadable="on this series the comparison is inconclusive"
            if v.outcome == "inconclusive" else "",
            seen=v.outcome == "does not hold",
            rule="a SimpleRNN is not enough on the series; one series is one sample of "
            "'time series', whatever its gap, so a verdict needs several series",
            scope=scope,
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
            names=(_label(best), _label(e)), unit=e["metric_name"],
            scope=scope + "; the Transformer ran at the recurrent cells' settings (Adam 1e-2, "
            "constant, no warm-up), not tuned for it",
        ))  # fmt: skip
    return out
