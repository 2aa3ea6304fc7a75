"""Lesson 03's verdicts: each claim the lesson tests, decided from what was measured.

Every function returns :class:`course_utils.core.evidence.Verdict` objects (a claim, the
measured figures, the rule that decided, the outcome and the scope), which the lesson
shows with ``show_verdicts`` and renders its summary from with ``show_summary``:

* :func:`decay_verdicts` - Experiment 2's slope table (linear rate, the bound
  ``(gamma * sigma_max)**d``, and "below log rho", a measured result for these matrices);
* :func:`saturation_verdicts` - the tanh saturation table;
* :func:`clipping_verdicts` - the clipping runs over seeds, per kind of clipping;
* :func:`adding_verdicts` - the committed adding-problem benchmark (SimpleRNN, IRNN,
  LSTM, GRU; solved means ``tasks.adding.SOLVED_MSE``);
* :func:`lesson03_summary_verdicts` and :data:`SUMMARY_POINTS` - the lesson's summary.
"""

from __future__ import annotations

import math

from course_utils.core.evidence import (
    Verdict,
    against_threshold,
    computed,
    observation,
    per_seed,
    seeds_text,
    solved,
)
from course_utils.core.registry import cell_name
from course_utils.core.validation import check_number
from course_utils.tasks.adding import BASELINE_MSE, SOLVED_MSE

__all__ = [
    "SUMMARY_POINTS",
    "adding_verdicts",
    "benchmark_scope",
    "clipping_verdicts",
    "decay_verdicts",
    "lesson03_summary_verdicts",
    "saturation_verdicts",
]

#: What lesson 03's summary states whatever was measured (definitions, what was built).
SUMMARY_POINTS = (
    "The gradient that reaches step k from step t is multiplied by the product of "
    "diag(f'(a_j)) W over the steps between. Its long-run rate for a linear network is the "
    "spectral radius (the largest *absolute* eigenvalue); every step is bounded by "
    "gamma * sigma_max, so the product is bounded by (gamma * sigma_max)^d. A non-normal "
    "matrix can grow the gradient for a few steps before it decays.",
    "Clipping comes in two kinds: global_clipnorm rescales all gradients by one factor "
    "(an SGD step then moves the weights by at most learning rate x max_norm); clipnorm "
    "clips each tensor on its own (up to sqrt(number of tensors) times more). Clipping "
    "does nothing for vanishing gradients.",
    "The vanishing-gradient analysis goes back to Hochreiter (1991, diploma thesis) and "
    "Bengio, Simard & Frasconi (1994); the conditions in their modern form are from "
    "Pascanu, Mikolov & Bengio (2013).",
)


def _rows(name: str, rows, keys) -> list[dict]:
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise TypeError(f"{name} must be a non-empty list of dicts; got {rows!r:.80}.")
    for key in keys:
        if any(key not in r for r in rows):
            raise ValueError(f"every row of {name} must have {key!r}; expected keys {keys}.")
    return rows


def _probe_scope(scope: str) -> str:
    """``scope`` plus what every probe row is: one matrix, rescaled, not several seeds."""
    return scope + ("; " if scope else "") + "one Gaussian matrix (seed 0) rescaled to each rho"


def _scope(scope) -> str:
    if not isinstance(scope, str):
        raise TypeError(f"scope must be a str; got {type(scope).__name__} {scope!r}.")
    return scope


# --- Experiment 2: the slopes ----------------------------------------------------------


def decay_verdicts(slopes, *, scope: str = "", tolerance: float = 0.05) -> list[Verdict]:
    """Three verdicts from :func:`.experiments.decay_table` rows.

    1. The linear network's rate ``e^slope`` is within ``tolerance`` of rho for every rho.
    2. Every measured curve respects the bound ``ratio(d) <= (gamma * sigma_max)^d``
       (``gamma = 1`` for these activations; the rows' ``bound_excess``).
    3. Every tanh and ReLU slope lies below ``log rho``: a *measured* result for these
       random matrices, not a theorem (``diag(f') W`` can have a larger spectral radius
       than ``W``).
    """
    rows = _rows("slopes", slopes, ("activation", "rho", "slope", "log_rho", "bound_excess"))
    tolerance = check_number("tolerance", tolerance, minimum=0.0, strict_minimum=True)
    scope = _scope(scope)
    probe_scope = _probe_scope(scope)
    linear = [r for r in rows if r["activation"] == "linear"]
    nonlinear = [r for r in rows if r["activation"] != "linear"]
    if not linear or not nonlinear:
        raise ValueError("slopes must hold linear and nonlinear rows (decay_table() gives both).")
    gaps = [abs(math.exp(r["slope"]) / r["rho"] - 1) for r in linear]
    worst = max(gaps)
    excess = max(r["bound_excess"] for r in rows)
    below = [r["slope"] < r["log_rho"] for r in nonlinear]
    rhos = ", ".join(f"{r['rho']:g}" for r in linear)
    return [
        observation(
            "A linear RNN's gradient decays (or grows) like rho^d",
            f"largest gap between the measured rate e^slope and rho: {worst:.2%} (rho = {rhos})",
            seen=bool(worst < tolerance),
            rule=f"the gap is under {tolerance:.0%} for every rho",
            scope=probe_scope,
        ),
        computed(
            "Every measured gradient stays within the bound (gamma * sigma_max)^d",
            f"largest log(ratio) - d log(gamma sigma_max) over all curves and d: {excess:.2g}",
            true=bool(excess <= 1e-9),
            rule="it is <= 1e-9 (round-off) for every curve",
            scope=scope,
        ),
        observation(
            "For these random matrices, every tanh and ReLU slope lies below log rho",
            f"{sum(below)} of {len(below)} (activation, rho) pairs below log rho",
            seen=all(below),
            rule="all are below",
            scope=probe_scope,
        ),
    ]


# --- tanh saturation -------------------------------------------------------------------


def _saturation_row(rows, scale: float, rho: float) -> dict:
    found = [r for r in rows if r["input_scale"] == scale and r["rho"] == rho]
    if not found:
        raise ValueError(
            f"saturation rows have no input_scale={scale:g}, rho={rho:g}; "
            "expected the grid of saturation_table()."
        )
    return found[0]


def saturation_verdicts(
    rows,
    *,
    scope: str = "",
    small: float = 0.01,
    large: float = 3.0,
    rho: float = 1.1,
    settle: float = 1.05,
) -> list[Verdict]:
    """Three verdicts from :func:`.experiments.saturation_table` rows (tanh).

    At ``rho`` (above 1): with input scale ``small`` the gradient grows (slope > 0); with
    ``large`` it shrinks (slope < 0). At rho = 1.5 and input scale 1, saturation tames the
    explosion: the gradient settles near a constant size, its rate per step within
    ``1/settle`` to ``settle`` (default 1.05: at most 5 % growth or decay a step).
    Every row rescales one Gaussian matrix (seed 0) to its rho, so the scope says so.
    """
    rows = _rows("rows", rows, ("input_scale", "rho", "slope", "mean_derivative"))
    settle = check_number("settle", settle, minimum=1.0, strict_minimum=True)
    scope = _probe_scope(_scope(scope))
    tiny, strong = _saturation_row(rows, small, rho), _saturation_row(rows, large, rho)
    big = _saturation_row(rows, 1.0, 1.5)

    def rate(r):
        return f"rate {math.exp(r['slope']):.3f}/step, mean tanh' {r['mean_derivative']:.2f}"

    return [
        observation(
            f"rho = {rho:g} with a tiny input (x {small:g}): the gradient grows",
            rate(tiny),
            seen=bool(tiny["slope"] > 0),
            rule="the rate per step is above 1",
            scope=scope,
        ),
        observation(
            f"rho = {rho:g} with a strong input (x {large:g}): saturation makes it shrink",
            rate(strong),
            seen=bool(strong["slope"] < 0),
            rule="the rate per step is below 1",
            scope=scope,
        ),
        observation(
            "rho = 1.5, input x 1: saturation tames the explosion (the gradient settles near "
            "a constant size)",
            rate(big) + " (rho = 1.5)",
            seen=bool(abs(big["slope"]) < math.log(settle)),
            rule=f"the rate per step lies between 1/{settle:g} and {settle:g}",
            scope=scope,
        ),
    ]


# --- clipping --------------------------------------------------------------------------


def clipping_verdicts(
    runs: dict, *, baseline: float = BASELINE_MSE, scope: str = ""
) -> list[Verdict]:
    """One verdict per clipping kind: "training stays finite and ends below ``baseline``".

    runs: ``{kind: [run, ...]}``, one :func:`.clipping.clipping_run_keras` (or ``_numpy``)
    result per seed. Holds when every seed trains, does not hold when none does,
    inconclusive when the seeds disagree.
    """
    if not isinstance(runs, dict) or not runs:
        raise TypeError(f"runs must be a dict kind -> list of runs; got {runs!r:.80}.")
    baseline = check_number("baseline", baseline, minimum=0.0, strict_minimum=True)
    scope = _scope(scope)
    verdicts = []
    for kind, seeds in runs.items():
        if isinstance(seeds, dict):
            seeds = [seeds]
        _rows(f"runs[{kind!r}]", list(seeds), ("diverged", "final_loss"))
        trained = [not r["diverged"] and r["final_loss"] < baseline for r in seeds]
        diverged = [r["diverged_at"] for r in seeds if r["diverged"]]
        finals = [f"{r['final_loss']:.3g}" for r in seeds if not r["diverged"]]
        measured = f"{sum(trained)} of {seeds_text(len(seeds))} train"
        if diverged:
            measured += f"; diverged at steps {diverged}"
        if finals:
            measured += f"; final losses {', '.join(finals)}"
        verdicts.append(
            per_seed(
                f"{kind}: training stays finite and ends below the baseline {baseline:.3f}",
                trained,
                measured=measured,
                rule="the run stays finite and its final loss (mean of the last 20 finite "
                "steps) ends below the baseline",
                scope=scope,
            )
        )
    return verdicts


# --- the adding problem, from the committed benchmark -----------------------------------


def benchmark_scope(benchmark: dict) -> str:
    """ "committed benchmark: 2-core CPU, 3 seeds, 1500 steps of 128, hidden 32"."""
    if not isinstance(benchmark, dict) or "budget" not in benchmark:
        raise TypeError("benchmark must be the dict load_results('adding_problem') returns.")
    b = benchmark["budget"]
    return (
        f"committed benchmark: {benchmark['machine']['cpu_count']}-core CPU, "
        f"{seeds_text(len(benchmark['seeds']))}, {b['steps']} steps of {b['batch_size']}, "
        f"hidden {b['hidden_size']}, global_clipnorm {b['global_clipnorm']:g}"
    )


def _mse_values(benchmark: dict, model: str, length: int) -> list:
    values = [
        r["test_mse"] for r in benchmark["runs"] if r["model"] == model and r["length"] == length
    ]
    if not values:
        raise ValueError(f"the benchmark has no runs of {model!r} at T = {length}.")
    return [math.inf if v is None or not math.isfinite(v) else float(v) for v in values]


def _solved_verdict(benchmark, model, length, label, scope) -> Verdict:
    values = _mse_values(benchmark, model, length)
    # A diverged seed is not solved: it enters the per-seed count at the threshold itself.
    counted = [SOLVED_MSE if math.isinf(v) else v for v in values]
    v = against_threshold(
        f"{label} solves the adding problem at T = {length}", counted, SOLVED_MSE, below=True,
        scope=scope,
    )  # fmt: skip
    k, n = solved(counted, SOLVED_MSE)
    text = ", ".join("diverged" if math.isinf(x) else f"{x:.4f}" for x in values)
    return Verdict(
        v.claim,
        f"test MSE per seed: {text}; {k} of {seeds_text(n)} solved",
        f"solved: a seed's test MSE below {SOLVED_MSE:.4f} (1/60, a tenth of the baseline "
        "1/6; a diverged seed is not); " + v.rule,
        v.outcome,
        scope,
    )


def adding_verdicts(benchmark: dict, *, models=("simple_rnn", "lstm", "gru")) -> list[Verdict]:
    """ "<model> solves the adding problem at T" at the shortest and the longest T, per model,
    and the IRNN beside the SimpleRNN at T = 50 when the benchmark has it."""
    scope = benchmark_scope(benchmark)
    lengths = sorted({r["length"] for r in benchmark["runs"]})
    verdicts = [
        _solved_verdict(benchmark, model, length, cell_name(model), scope)
        for length in (lengths[0], lengths[-1])
        for model in models
    ]
    present = {(r["model"], r["length"]) for r in benchmark["runs"]}
    for model in ("irnn", "simple_rnn"):
        if (model, 50) in present:
            verdicts.append(_solved_verdict(benchmark, model, 50, cell_name(model), scope))
    return verdicts


def lesson03_summary_verdicts(benchmark: dict, live=()) -> list[Verdict]:
    """The verdicts lesson 03's summary renders: the live ones (``live``: the verdicts the
    notebook computed) followed by those from the committed adding-problem benchmark."""
    live = list(live)
    if not all(isinstance(v, Verdict) for v in live):
        raise TypeError("live must be a list of Verdict objects.")
    return live + adding_verdicts(benchmark)
