"""Lesson 09's verdicts: equalities, gradients, time against length, selective copying.

Explained in ``notebooks/09_rnn_revival.ipynb``. Every function turns measurements into
:class:`course_utils.core.evidence.Verdict` objects through the course's statistics core, so
that the lesson's prose and summary never type an outcome:

* :func:`equality_verdicts` - loop = scan = Keras, each gap against its stated tolerance
  (deterministic computations on fixed weights);
* :func:`gradient_verdicts` - lesson 03's probe through a linear recurrence (backprop
  against the closed form) and through one tanh Elman network (one random draw, one input
  scale: an observation);
* :func:`timing_verdicts` and :func:`crossover` - time per training step of the Keras GRU
  against the Keras MinGRU at each length, from ``scan_timing.json`` (separate processes);
* :func:`copy_verdicts` - the LTI against the selective layer on selective and plain
  copying, from rows of :func:`course_utils.lessons.l09_revival.experiments.train_copy`,
  against chance, with plain copying as the LTI layer's control;
* :func:`lesson09_verdicts` - everything the summary renders.

Longer than the 300-line guide: the copying verdicts carry their control, chance line,
"not yet run" and scope helpers (about 120 lines); they are the next thing to move to a
module of their own (``copy_verdicts.py``) when the lesson is revised.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.evidence import (
    Verdict,
    against_threshold,
    agreement,
    compare_seeds,
    computed,
    controlled,
    observation,
    time_ratio,
)
from course_utils.core.tables import table
from course_utils.core.timing import pair_process
from course_utils.core.validation import check_number
from course_utils.tasks.selective_copy import chance_accuracy

__all__ = [
    "SOLVED_ACCURACY",
    "TIME_MARGIN",
    "SUMMARY_POINTS",
    "budget_text",
    "copy_agreement",
    "gap_table",
    "header_text",
    "copy_verdicts",
    "crossover",
    "equality_verdicts",
    "gradient_verdicts",
    "lesson09_verdicts",
    "timing_scope",
    "timing_rows",
    "timing_verdicts",
    "copy_scope",
    "where_it_stands",
]

#: The course's "solved" for copying: test accuracy per copied token above this.
SOLVED_ACCURACY = 0.9
#: Timing noise on a shared machine: a time ratio counts as faster only below 1 - this,
#: as slower only above 1 / (1 - this) (``time_ratio(margin=)``).
TIME_MARGIN = 0.1


def equality_verdicts(gaps: dict, *, scope: str = "this machine") -> list[Verdict]:
    """``gaps``: ``{"claim": (max |difference|, tolerance)}``; each a computed verdict."""
    if not isinstance(gaps, dict) or not gaps:
        raise TypeError(f"gaps must be a non-empty dict claim -> (gap, tolerance); got {gaps!r}.")
    verdicts = []
    for claim, pair in gaps.items():
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"gaps[{claim!r}] must be (gap, tolerance); got {pair!r}.")
        gap = check_number(f"gaps[{claim!r}] gap", pair[0], minimum=0.0)
        tol = check_number(f"gaps[{claim!r}] tolerance", pair[1], minimum=0.0)
        verdicts.append(
            computed(claim, f"max |difference| = {gap:.1e}", true=gap <= tol,
                     rule=f"the largest difference is at most {tol:.0e}", scope=scope)
        )  # fmt: skip
    return verdicts


def gap_table(gaps: dict) -> str:
    """The gaps of :func:`equality_verdicts` as a text table: claim, gap, tolerance."""
    rows = [[claim, f"{gap:.1e}", f"{tol:.0e}"] for claim, (gap, tol) in gaps.items()]
    return table(["claim", "max |difference|", "tolerance"], rows)


def header_text(report: dict) -> str:
    """A committed report's command, date, machine and notes, in a few lines."""
    cpus = report.get("machine", {}).get("cpu_count", "?")
    lines = [f"{report['command']} | {report['date'][:10]} | {cpus} CPUs"]
    return "\n".join(lines + [f"note: {n}" for n in report.get("notes", [])])


def gradient_verdicts(
    linear, elman, *, distance: int, a: float, rho: float, input_std: float
) -> list[Verdict]:
    """``linear``, ``elman``: ``||dL/dh_k|| / ||dL/dh_T||`` per step ``k``, earliest first,
    for ``L`` the sum of the last states, both by backpropagation (the linear one through
    the scan, the Elman one through one random network fed inputs of std ``input_std``).
    The linear one is checked against the closed form ``|a|^distance``; the Elman one is
    one random network: an observation, scoped to its input scale."""
    linear, elman = np.asarray(linear, dtype=float), np.asarray(elman, dtype=float)
    if distance < 1 or distance >= min(linear.size, elman.size):
        raise ValueError(
            f"distance must be in [1, {min(linear.size, elman.size) - 1}]; got {distance}."
        )
    input_std = check_number("input_std", input_std, minimum=0.0, strict_minimum=True)
    lin, elm = float(linear[-1 - distance]), float(elman[-1 - distance])
    return [
        computed(
            f"Through h_t = a h_(t-1) + b_t with |a| = {a}, the gradient {distance} steps back "
            f"is |a|^{distance}",
            f"backprop {lin:.6g} against |a|^{distance} = {abs(a) ** distance:.6g}",
            true=bool(np.isclose(lin, abs(a) ** distance, rtol=1e-9)),
            rule="the gradient measured by backpropagation through the scan equals the "
            "closed form to 1e-9 (relative)",
            scope="float64",
        ),
        observation(
            f"A tanh Elman network at spectral radius {rho} keeps less of the gradient "
            f"{distance} steps back than the linear recurrence with |a| = {a}",
            f"Elman {elm:.3g}, linear {lin:.3g}",
            seen=elm < lin,
            rule="the Elman network's normalised norm is below the linear one's",
            run="random network",
            scope=f"inputs of std {input_std:g} (how far tanh saturates depends on it)",
        ),
    ]


def timing_scope(report: dict) -> str:
    p, m = report["protocol"], report["machine"]
    return (
        f"{m.get('cpu_count', '?')}-core CPU, {p['processes']} processes x {p['rounds']} rounds "
        f"x {p['batches_per_round']} batches, width {p['width']}, batch {p['batch']}, "
        f"{report['date'][:10]}"
    )


def timing_verdicts(report: dict) -> dict[int, Verdict]:
    """``{T: verdict on "MinGRU trains faster per step than GRU at T"}`` from
    ``load_results("scan_timing")``; each from every separate process, a side counting
    only beyond the noise margin :data:`TIME_MARGIN`."""
    if not isinstance(report, dict) or "lengths" not in report:
        raise TypeError("report must be the dict load_results('scan_timing') returns.")
    out = {}
    for key, processes in report["lengths"].items():
        pairs = [pair_process(p, "mingru", "gru", p.get("load", [])) for p in processes]
        out[int(key)] = time_ratio(
            f"A MinGRU training step is faster than a GRU step at T = {int(key)}",
            pairs, names=("MinGRU", "GRU"), scope=timing_scope(report), margin=TIME_MARGIN,
        )  # fmt: skip
    return dict(sorted(out.items()))


def timing_rows(report: dict) -> list[dict]:
    """Per length: ``{"T", "gru": [median seconds per process], "mingru": [...], "params"}``,
    for the figure (medians of each process's interleaved rounds)."""
    rows = []
    for key, processes in sorted(report["lengths"].items(), key=lambda kv: int(kv[0])):
        row = {"T": int(key), "params": processes[0].get("params", {})}
        for name in ("gru", "mingru"):
            row[name] = [float(np.median(p["seconds"][name])) for p in processes]
        rows.append(row)
    return rows


def crossover(verdicts: dict[int, Verdict]) -> int | None:
    """The shortest T from which on every longer T "MinGRU is faster" holds; None if none."""
    lengths = sorted(verdicts)
    for i, T in enumerate(lengths):
        if all(verdicts[t].outcome == "holds" for t in lengths[i:]):
            return T
    return None


def where_it_stands(scan_rows, verdicts: dict[int, Verdict]) -> list[str]:
    """Section 9's lines on time, from the live NumPy rows (``{"T", "loop", "scan"}``, one
    process: an observation) and the committed timing verdicts (by outcome)."""
    ratios = ", ".join(f"{r['loop'] / r['scan']:.2f} at T = {r['T']}" for r in scan_rows)
    scan_won = all(r["loop"] > r["scan"] for r in scan_rows)
    reading = (
        "the scan was faster at every length: its few rounds cost fewer Python-level steps "
        "than the loop's T, more than its extra work cost"
        if scan_won
        else "the scan was not faster at every length: its extra work was not always repaid"
    )
    lines = [f"Live NumPy, one process (an observation): loop / scan time {ratios}; {reading}."]
    by_outcome: dict[str, list[int]] = {}
    for T, v in sorted(verdicts.items()):
        by_outcome.setdefault(v.outcome, []).append(T)
    parts = [f"{o} at T = {', '.join(map(str, Ts))}" for o, Ts in by_outcome.items()]
    lines.append(
        "Committed Keras timing, 'a MinGRU training step is faster than a GRU step': "
        + "; ".join(parts)
        + f" (crossover: {crossover(verdicts)})."
    )
    return lines


def _runs(rows, kind, task) -> list[dict]:
    return [r for r in rows if r.get("kind") == kind and r.get("task") == task]


def _accuracies(rows, kind, task) -> list[float]:
    return [r["test_accuracy"] for r in _runs(rows, kind, task)]


NAMES = {"lti": "LTI", "selective": "selective", "mingru": "minGRU"}


def _not_yet_run(claim: str, missing: list[str], scope: str) -> Verdict:
    """A claim whose runs are not (yet) in the results: an observation that says so."""
    return observation(
        claim, "not yet run: no rows of " + " or ".join(missing), seen=False,
        rule="its runs are in the results", scope=scope,
        unreadable="not yet run (no such rows in these results)",
    )  # fmt: skip


def _still_improving(rows, groups) -> str:
    """ "best epoch was the last (still improving) in k of n runs" over ``groups`` of
    ``(kind, task)``; "" when no run's best epoch was its last."""
    runs = [r for kind, task in groups for r in _runs(rows, kind, task)]
    last = [
        r for r in runs
        if r.get("val_accuracy") and r.get("chosen_epoch") == len(r["val_accuracy"])
    ]  # fmt: skip
    if not last:
        return ""
    return f"best epoch was the last (still improving) in {len(last)} of {len(runs)} runs"


def _scoped(scope: str, *parts: str) -> str:
    return "; ".join(p for p in (scope, *parts) if p)


def copy_verdicts(rows, *, scope: str, vocab: int, budget: str = "") -> list[Verdict]:
    """The LTI layer against the selective layer on both copying tasks (test accuracy of
    the epoch chosen on validation), against chance ``1 / (vocab - 2)``: a comparison with
    a run that did not train is inconclusive. "The LTI layer fails selective copying" is
    read beside its control, "the LTI layer solves plain copying"; a kind and task with
    no rows yet (a results file still being written) is reported as not yet run. One
    seed per side gives observations."""
    if not isinstance(rows, (list, tuple)):
        raise TypeError(f"rows must be a list of train_copy() rows; got {rows!r}.")
    chance = chance_accuracy(vocab)
    tasks = ("selective_copy", "plain_copy")
    sel = {t: _accuracies(rows, "selective", t) for t in tasks}
    lti = {t: _accuracies(rows, "lti", t) for t in tasks}
    fixed = f"at a fixed, possibly unconverged budget{f' ({budget})' if budget else ''}"
    gap_scope = _scoped(
        scope, fixed,
        _still_improving(rows, [("selective", "selective_copy"), ("lti", "selective_copy")]),
    )  # fmt: skip

    def scope_of(kind, task):
        return _scoped(scope, _still_improving(rows, [(kind, task)]))

    claim = "On selective copying the selective layer is more accurate than the LTI layer"
    missing = [f"{k} on selective copying" for k, v in (("selective", sel), ("LTI", lti))
               if not v["selective_copy"]]  # fmt: skip
    verdicts = [
        _not_yet_run(claim, missing, gap_scope) if missing else compare_seeds(
            claim, sel["selective_copy"], lti["selective_copy"], metric="accuracy",
            names=("selective", "LTI"), scope=gap_scope, baseline=chance, budget=budget,
        )
    ]  # fmt: skip

    def threshold(claim, values, kind, task, *, below):
        if not values:  # this kind and task not run yet
            return _not_yet_run(claim, [f"{kind} on {task.replace('_', ' ')}ing"], scope)
        return against_threshold(claim, values, SOLVED_ACCURACY, below=below,
                                 scope=scope_of(kind.lower(), task))  # fmt: skip

    verdicts.append(threshold(
        f"The selective layer solves selective copying (accuracy > {SOLVED_ACCURACY})",
        sel["selective_copy"], "selective", "selective_copy", below=False,
    ))  # fmt: skip
    control = threshold(
        f"The LTI layer solves plain copying (accuracy > {SOLVED_ACCURACY})",
        lti["plain_copy"], "LTI", "plain_copy", below=False,
    )  # fmt: skip
    fails = threshold(
        f"The LTI layer fails selective copying (accuracy <= {SOLVED_ACCURACY})",
        lti["selective_copy"], "LTI", "selective_copy", below=True,
    )  # fmt: skip
    return verdicts + [controlled(fails, control), control]


def copy_agreement(live: dict, report: dict) -> list[str]:
    """Does each live test accuracy on selective copying (``{kind: accuracy}``) agree with
    the committed seeds? One line per kind (the core's agreement rule, with the solved
    line and the did-not-train line above chance); a kind not yet run says so."""
    chance = chance_accuracy(report["budget"]["vocab"])
    lines = []
    for kind, value in live.items():
        committed = _accuracies(report["runs"], kind, "selective_copy")
        if not committed:
            lines.append(f"{kind} on selective copying: not yet run in the committed results")
            continue
        result = agreement(
            value, committed, metric="accuracy", threshold=SOLVED_ACCURACY, baseline=chance
        )
        lines.append(result.line(f"{kind} on selective copying"))
    return lines


def budget_text(report: dict) -> str:
    """ "8 epochs x 4000 sequences, Adam 0.003" from a selective_copy report's budget."""
    b = report["budget"]
    return f"{b['epochs']} epochs x {b['n_train']} sequences, Adam {b['learning_rate']:g}"


def lesson09_verdicts(equalities: list, timing: dict, copying: dict) -> list[Verdict]:
    """The summary: the equalities computed live, the committed timing and copying results."""
    verdicts = list(equalities)
    verdicts += list(timing_verdicts(timing).values())
    verdicts += copy_verdicts(
        copying["runs"], scope=copy_scope(copying), vocab=copying["budget"]["vocab"],
        budget=budget_text(copying),
    )  # fmt: skip
    return verdicts


def copy_scope(report: dict) -> str:
    """The committed copying benchmark's scope: seeds, sizes, budget, parameters per kind,
    the one untuned learning rate, the machine and date, and the report's notes."""
    b = report["budget"]
    params = {}
    for r in report.get("runs", []):
        params.setdefault(NAMES.get(r["kind"], r["kind"]), r.get("params"))
    counts = ", ".join(f"{k} {v:,}" for k, v in params.items() if v is not None)
    parts = [
        f"committed: {len(report['seeds'])} seeds, length {b['length']}, {b['tokens']} tokens, "
        f"{b['epochs']} epochs x {b['n_train']} sequences",
        f"one untuned learning rate ({b['learning_rate']:g})",
        f"parameters: {counts}" if counts else "",
        f"{report['machine'].get('cpu_count', '?')}-core CPU, {report['date'][:10]}",
        *(f"note: {n}" for n in report.get("notes", [])),
    ]
    return "; ".join(p for p in parts if p)


SUMMARY_POINTS = (
    "When the gates and the candidate see only $x_t$, the recurrence $h_t = a_t \\odot "
    "h_{t-1} + b_t$ is linear in $h$; composing two steps is $(a_1, b_1) \\circ (a_2, b_2) = "
    "(a_1 a_2,\\ a_2 b_1 + b_2)$, an associative operator, so a parallel scan computes all "
    "$T$ states in $\\lceil \\log_2 T \\rceil$ rounds (Hillis-Steele) or about $2T$ combines "
    "(Blelloch).",
    "minGRU and minLSTM (Feng et al. 2024) pay for this with gates that no longer see "
    "$h_{t-1}$: one layer decides when to write from the input alone; stacking layers gives "
    "later layers inputs that already carry the past.",
    "The LRU keeps $|\\lambda| < 1$ by construction; the selective layer makes its step size "
    "and its input and output maps depend on the token, which Gu & Dao (2023, section 3.1) "
    "argue is what selective copying needs; this lesson's copying verdicts say what its "
    "small layers did at one budget.",
    "Time and copying verdicts are scoped to the committed benchmark's machine, widths, "
    "budget and seeds.",
)
