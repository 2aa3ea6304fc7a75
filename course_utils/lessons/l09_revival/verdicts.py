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
* the copying verdicts live in :mod:`course_utils.lessons.l09_revival.copy_verdicts`;
* the adding-problem verdicts (GRU against minGRU at a longer length) live in
  :mod:`course_utils.lessons.l09_revival.adding_verdicts`;
* :func:`lesson09_verdicts` - everything the summary renders.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.evidence import (
    Verdict,
    computed,
    observation,
    time_ratio,
)
from course_utils.core.tables import table
from course_utils.core.timing import pair_process
from course_utils.core.validation import check_number
from course_utils.lessons.l09_revival.adding_verdicts import adding_verdicts
from course_utils.lessons.l09_revival.copy_verdicts import budget_text, copy_scope, copy_verdicts

__all__ = [
    "TIME_MARGIN",
    "SETTING_NAMES",
    "SUMMARY_POINTS",
    "gap_table",
    "header_text",
    "crossover",
    "equality_verdicts",
    "faster_setting",
    "faster_settings_text",
    "gradient_verdicts",
    "lesson09_verdicts",
    "timing_scope",
    "timing_rows",
    "timing_verdicts",
    "where_it_stands",
]

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


#: How each timed setting is named (``experiments.TIMING_ARMS``).
SETTING_NAMES = {
    "gru": "GRU",
    "gru_xla": "GRU with XLA",
    "mingru": "MinGRU",
    "mingru_xla": "MinGRU with XLA",
}


def faster_setting(processes: list[dict], cell: str) -> str:
    """The timed setting of ``cell`` ("gru" or "mingru": without or with XLA) whose median
    seconds per round is lower over ``processes`` (one process in a list gives that
    process's choice); a report without XLA rows gives ``cell``."""
    timed = set(processes[0]["seconds"])
    settings = [s for s in (cell, f"{cell}_xla") if s in timed]
    return min(settings, key=lambda s: np.median([np.median(p["seconds"][s]) for p in processes]))


def faster_settings_text(report: dict) -> str:
    """Which setting was faster: for the GRU, per length, in how many processes XLA was;
    for the MinGRU, the setting faster over all processes, per length."""
    gru, mine = [], {}
    for key, processes in sorted(report["lengths"].items(), key=lambda kv: int(kv[0])):
        xla = sum(faster_setting([p], "gru").endswith("_xla") for p in processes)
        gru.append(f"T = {key}: {xla} of {len(processes)}")
        xla_mine = faster_setting(processes, "mingru").endswith("_xla")
        mine.setdefault("with XLA" if xla_mine else "without XLA", []).append(key)
    if len(mine) == 1:
        parts = [f"{next(iter(mine))} at every T"]
    else:
        parts = [f"{words} at T = {', '.join(ts)}" for words, ts in mine.items()]
    return (
        "GRU faster with XLA in (processes): " + "; ".join(gru)
        + ". MinGRU faster " + "; ".join(parts)
    )  # fmt: skip


def timing_verdicts(report: dict) -> dict[int, Verdict]:
    """``{T: verdict on "MinGRU trains faster per step than GRU at T"}`` from
    ``load_results("scan_timing")``: the MinGRU at its setting that is faster over all
    processes, against the GRU at its faster setting *in each process* (the lower of its
    two medians there, which can only make "MinGRU is faster" harder to hold); each pair
    from one separate process, a side counting only beyond the noise margin
    :data:`TIME_MARGIN`."""
    if not isinstance(report, dict) or "lengths" not in report:
        raise TypeError("report must be the dict load_results('scan_timing') returns.")
    out = {}
    for key, processes in report["lengths"].items():
        mine = faster_setting(processes, "mingru")
        pairs = [
            pair_process(p, mine, faster_setting([p], "gru"), p.get("load", [])) for p in processes
        ]
        out[int(key)] = time_ratio(
            f"A MinGRU training step is faster than a GRU step at T = {int(key)} (the "
            f"{SETTING_NAMES[mine]} against the GRU at its faster setting in each process)",
            pairs, names=(SETTING_NAMES[mine], "GRU"), scope=timing_scope(report),
            margin=TIME_MARGIN,
        )  # fmt: skip
    return dict(sorted(out.items()))


def timing_rows(report: dict) -> list[dict]:
    """Per length: ``{"T", <setting>: [median seconds per process], ..., "params"}`` for
    every timed setting, for the figure (medians of each process's interleaved rounds)."""
    rows = []
    for key, processes in sorted(report["lengths"].items(), key=lambda kv: int(kv[0])):
        row = {"T": int(key), "params": processes[0].get("params", {})}
        for name in [s for s in SETTING_NAMES if s in processes[0]["seconds"]]:
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
        "Committed Keras timing, 'a MinGRU training step is faster than a GRU step' (the "
        "GRU at its faster setting in each process): "
        + "; ".join(parts)
        + f" (crossover, from which it holds at every measured T up to {max(verdicts)}: "
        + f"{crossover(verdicts)})."
    )
    return lines


def lesson09_verdicts(
    equalities: list, timing: dict, copying: dict, adding: dict | None = None
) -> list[Verdict]:
    """The summary: the equalities computed live, the committed timing, adding-problem
    (when given) and copying results."""
    verdicts = list(equalities)
    verdicts += list(timing_verdicts(timing).values())
    if adding is not None:
        verdicts += adding_verdicts(adding)
    verdicts += copy_verdicts(
        copying["runs"], scope=copy_scope(copying), vocab=copying["budget"]["vocab"],
        budget=budget_text(copying),
    )  # fmt: skip
    return verdicts


SUMMARY_POINTS = (
    "When the gates and the candidate see only $x_t$, the recurrence $h_t = a_t \\odot "
    "h_{t-1} + b_t$ is linear in $h$; composing two steps is $(a_1, b_1) \\circ (a_2, b_2) = "
    "(a_1 a_2,\\ a_2 b_1 + b_2)$, an associative operator, so a parallel scan computes all "
    "$T$ states in few rounds: Hillis-Steele in $\\lceil \\log_2 T \\rceil$ rounds and about "
    "$T \\log_2 T$ combines, Blelloch in about $2 \\log_2 T$ rounds and $2T$ combines, against "
    "the loop's $T - 1$ of each.",
    "minGRU and minLSTM (Feng et al. 2024) pay for this with gates that no longer see "
    "$h_{t-1}$: one layer decides when to write from the input alone; stacking layers gives "
    "later layers inputs that already carry the past.",
    "The LRU keeps $|\\lambda| < 1$ by construction; the selective layer makes its step size "
    "and its input and output maps depend on the token, which Gu & Dao (2023, section 3.1) "
    "argue is what selective copying needs; this lesson's copying verdicts say what its "
    "small layers did at one budget.",
    "Time, adding-problem and copying verdicts are scoped to the committed benchmarks' "
    "machine, widths, budgets and seeds.",
)
