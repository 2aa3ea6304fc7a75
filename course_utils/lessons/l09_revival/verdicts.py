"""Lesson 09's verdicts: equalities, gradients, time against length, selective copying.

Explained in ``notebooks/09_rnn_revival.ipynb``. Every function turns measurements into
:class:`course_utils.core.evidence.Verdict` objects through the course's statistics core, so
that the lesson's prose and summary never type an outcome:

* :func:`equality_verdicts` - loop = scan = Keras, each gap against its stated tolerance
  (deterministic computations on fixed weights);
* :func:`gradient_verdicts` - lesson 03's probe through a linear recurrence (closed form)
  and through one tanh Elman network (one random draw: an observation);
* :func:`timing_verdicts` and :func:`crossover` - time per training step of the Keras GRU
  against the Keras MinGRU at each length, from ``scan_timing.json`` (separate processes);
* :func:`copy_verdicts` - the LTI against the selective layer on selective and plain
  copying, from rows of :func:`course_utils.lessons.l09_revival.experiments.train_copy`;
* :func:`lesson09_verdicts` - everything the summary renders.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.evidence import (
    Verdict,
    against_threshold,
    agreement,
    compare_seeds,
    computed,
    observation,
    time_ratio,
)
from course_utils.core.tables import table
from course_utils.core.timing import pair_process
from course_utils.core.validation import check_number

__all__ = [
    "SOLVED_ACCURACY",
    "SUMMARY_POINTS",
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
]

#: The course's "solved" for copying: test accuracy per copied token above this.
SOLVED_ACCURACY = 0.9


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


def gradient_verdicts(linear, elman, *, distance: int, a: float, rho: float) -> list[Verdict]:
    """``linear``, ``elman``: gradient norms per step, earliest first, normalised to 1 at the
    last step. The linear one is a closed form; the Elman one is one random network."""
    linear, elman = np.asarray(linear, dtype=float), np.asarray(elman, dtype=float)
    if distance < 1 or distance >= min(linear.size, elman.size):
        raise ValueError(
            f"distance must be in [1, {min(linear.size, elman.size) - 1}]; got {distance}."
        )
    lin, elm = float(linear[-1 - distance]), float(elman[-1 - distance])
    return [
        computed(
            f"Through h_t = a h_(t-1) + b_t with |a| = {a}, the gradient {distance} steps back "
            f"is |a|^{distance}",
            f"{lin:.3g} against |a|^{distance} = {abs(a) ** distance:.3g}",
            true=bool(np.isclose(lin, abs(a) ** distance, rtol=1e-9)),
            rule="the probe equals the closed form to 1e-9 (relative)",
        ),
        observation(
            f"A tanh Elman network at spectral radius {rho} keeps less of the gradient "
            f"{distance} steps back than the linear recurrence with |a| = {a}",
            f"Elman {elm:.3g}, linear {lin:.3g}",
            seen=elm < lin,
            rule="the Elman network's normalised norm is below the linear one's",
            run="random network",
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
    ``load_results("scan_timing")``; each from every separate process."""
    if not isinstance(report, dict) or "lengths" not in report:
        raise TypeError("report must be the dict load_results('scan_timing') returns.")
    out = {}
    for key, processes in report["lengths"].items():
        pairs = [pair_process(p, "mingru", "gru", p.get("load", [])) for p in processes]
        out[int(key)] = time_ratio(
            f"A MinGRU training step is faster than a GRU step at T = {int(key)}",
            pairs, names=("MinGRU", "GRU"), scope=timing_scope(report),
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


def _accuracies(rows, kind, task) -> list[float]:
    return [r["test_accuracy"] for r in rows if r["kind"] == kind and r["task"] == task]


def copy_verdicts(rows, *, scope: str) -> list[Verdict]:
    """The LTI layer against the selective layer on both copying tasks (test accuracy of
    the epoch chosen on validation). One seed per side gives observations."""
    if not isinstance(rows, (list, tuple)) or not rows:
        raise TypeError(f"rows must be a non-empty list of train_copy() rows; got {rows!r}.")
    sel = {t: _accuracies(rows, "selective", t) for t in ("selective_copy", "plain_copy")}
    lti = {t: _accuracies(rows, "lti", t) for t in ("selective_copy", "plain_copy")}
    verdicts = [
        compare_seeds(
            "On selective copying the selective layer is more accurate than the LTI layer",
            sel["selective_copy"], lti["selective_copy"], metric="accuracy",
            names=("selective", "LTI"), scope=scope,
        ),
        against_threshold(
            f"The selective layer solves selective copying (accuracy > {SOLVED_ACCURACY})",
            sel["selective_copy"], SOLVED_ACCURACY, below=False, scope=scope,
        ),
        against_threshold(
            f"The LTI layer fails selective copying (accuracy <= {SOLVED_ACCURACY})",
            lti["selective_copy"], SOLVED_ACCURACY, below=True, scope=scope,
        ) if lti["selective_copy"] else None,
    ]  # fmt: skip
    if lti["plain_copy"]:
        verdicts.append(
            against_threshold(
                f"The LTI layer solves plain copying (accuracy > {SOLVED_ACCURACY})",
                lti["plain_copy"], SOLVED_ACCURACY, below=False, scope=scope,
            )
        )  # fmt: skip
    return [v for v in verdicts if v is not None]


def copy_agreement(live: dict, report: dict) -> list[str]:
    """Does each live test accuracy on selective copying (``{kind: accuracy}``) agree with
    the committed seeds? One line per kind (the core's agreement rule)."""
    lines = []
    for kind, value in live.items():
        committed = _accuracies(report["runs"], kind, "selective_copy")
        result = agreement(value, committed, metric="accuracy", threshold=SOLVED_ACCURACY)
        lines.append(result.line(f"{kind} on selective copying"))
    return lines


def lesson09_verdicts(equalities: list, timing: dict, copying: dict) -> list[Verdict]:
    """The summary: the equalities computed live, the committed timing and copying results."""
    verdicts = list(equalities)
    verdicts += list(timing_verdicts(timing).values())
    scope = copy_scope(copying)
    verdicts += copy_verdicts(copying["runs"], scope=scope)
    return verdicts


def copy_scope(report: dict) -> str:
    b = report["budget"]
    return (
        f"committed: {len(report['seeds'])} seeds, length {b['length']}, {b['tokens']} tokens, "
        f"{b['epochs']} epochs x {b['n_train']} sequences, {report['machine'].get('cpu_count', '?')}"
        f"-core CPU, {report['date'][:10]}"
    )


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
    "and its input and output maps depend on the token, which is what selective copying needs.",
    "Time and copying verdicts are scoped to the committed benchmark's machine, widths, "
    "budget and seeds.",
)
