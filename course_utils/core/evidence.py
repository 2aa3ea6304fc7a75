"""The course's one statistics core: every outcome, agreement and mean ± spread comes from here.

A lesson measures something over several **seeds** (independent training runs) and asks
whether a claim holds. This module is the only place that turns those numbers into an
outcome, so that every lesson uses the same rules and none can say more than it measured.

Outcomes (:data:`OUTCOMES`):

* ``"holds"`` / ``"does not hold"`` - the measurement supports / contradicts the claim by
  the stated rule, with at least :data:`MIN_SEEDS` seeds on every side;
* ``"inconclusive"`` - the rule cannot decide: the interval straddles the line, the
  seeds disagree, or a contender did not train at the budget;
* ``"observation"`` - fewer than :data:`MIN_SEEDS` seeds: what one run showed, printed as
  such, never a verdict.

The rules, in the lessons' terms:

* **Spread** (:func:`spread`): mean ± sample standard deviation (``ddof=1``) over seeds.
  With one seed there is no spread, and the text says "1 seed".
* **Better** (:func:`compare_seeds`): a t interval (Welch, confidence level printed) for the
  gap between the two means. Holds when the whole interval is on the claimed side of 0,
  does not hold when it is all on the other side, inconclusive when it contains 0. The
  interval widens when there are few seeds (with 3 seeds a side the t value is about
  2.8-4.3, not 2), so a small gap between few seeds stays inconclusive.
* **Did not train** (:func:`did_not_train`): a run that ends within ``within`` (a
  fraction) of the way from the task's trivial baseline to a perfect score. A comparison
  involving such a run is inconclusive, naming the budget: the loser may only have needed
  longer.
* **Comparable** (:func:`equivalent`): needs a margin stated in the rule; holds when the
  whole interval of the gap lies inside ±margin. Without a margin there is no
  equivalence claim, because "no gap found" is not "no gap".
* **Threshold and solved** (:func:`against_threshold`, :func:`solved`): judged seed by
  seed and reported as "k of n seeds". Holds when every seed is on the claimed side, does
  not hold when none is. This is the one meaning of "solved".
* **Agreement** (:func:`agreement`): a live run agrees with committed seeds when it lies in
  their min-max range widened by the metric's tolerance (a factor for losses that span
  decades, an amount otherwise), cut to the metric's range and never across a "solved"
  threshold that every committed seed is on one side of.
* **Timing** (:func:`time_ratio`): a time ratio comes from repeats interleaved in
  alternating order (A B B A ...) in at least 2 separate processes; it holds only when the
  ratio is on the claimed side in every process (beyond a stated noise ``margin``, if
  any), and its scope names the machine and load.
  Repeats are never called seeds.

The module is longer than the course's 300-line guide on purpose: it is the single home
of every rule, and the rules share their checks (seeds, ranges) and their wording; split,
a second home for a rule would be one import away.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from course_utils.core.validation import check_choice, check_number

__all__ = [
    "seeds_text",
    "ALIASES",
    "COMPARABLE",
    "MIN_SEEDS",
    "METRICS",
    "OUTCOMES",
    "Agreement",
    "Metric",
    "Spread",
    "Verdict",
    "against_threshold",
    "agreement",
    "compare_seeds",
    "computed",
    "controlled",
    "did_not_train",
    "equivalent",
    "gap_interval",
    "metric",
    "negated",
    "not_worse",
    "not_run",
    "observation",
    "per_seed",
    "pooled",
    "separation",
    "solved",
    "spread",
    "time_ratio",
]

OUTCOMES = ("holds", "does not hold", "inconclusive", "observation")
#: Seeds needed on every side before a rule may say "holds" or "does not hold".
MIN_SEEDS = 2
#: The confidence level of every interval unless a call states another.
LEVEL = 0.95
#: The margin of "comparable" in the lessons: not worse by more than this share of the
#: reference's mean (lessons 05 and 07 judge "a GRU performs comparably to an LSTM").
COMPARABLE = 0.10


@dataclass(frozen=True)
class Verdict:
    """One claim and what the measurement says of it."""

    claim: str
    measured: str
    rule: str
    outcome: str
    scope: str = ""

    def __post_init__(self):
        for name in ("claim", "measured", "rule", "scope"):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise TypeError(f"{name} must be a str; got {type(value).__name__} {value!r}.")
        if not self.claim.strip():
            raise ValueError("claim must not be empty.")
        check_choice("outcome", self.outcome, OUTCOMES)

    @property
    def holds(self) -> bool | None:
        """True, False, or None (inconclusive, or an observation that is no verdict)."""
        return {"holds": True, "does not hold": False}.get(self.outcome)


# --- metrics: what a number can be -------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """What a measured number is: its direction, its range and how agreement widens it.

    ``tolerance`` widens the committed seeds' range for :func:`agreement`: a factor
    (``log=True``, for losses that span decades: ``[min / f, max * f]``) or an amount in
    the metric's unit (``log=False``: ``[min - t, max + t]``).
    """

    name: str
    lower_is_better: bool
    low: float = 0.0
    high: float = math.inf
    log: bool = False
    tolerance: float = 0.0

    @property
    def best(self) -> float:
        """The perfect score (0 for a loss, the top of the range for an accuracy)."""
        return self.low if self.lower_is_better else self.high

    def check(self, name: str, values) -> np.ndarray:
        """``values`` as a float array, every value finite and inside the metric's range."""
        array = _values(name, values)
        outside = (array < self.low) | (array > self.high)
        if outside.any():
            raise ValueError(
                f"{name} must lie in {self.name}'s range [{self.low:g}, {self.high:g}]; got "
                f"{array[outside].tolist()!r}."
            )
        return array


#: The metrics the lessons measure, by name (:func:`metric` looks one up).
METRICS = {
    "mse": Metric("MSE", True, log=True, tolerance=2.0),
    "mae": Metric("MAE", True, log=True, tolerance=1.5),
    "loss": Metric("loss", True, log=True, tolerance=1.5),
    "bits": Metric("bits per char", True, tolerance=0.1),
    "error": Metric("error rate", True, high=1.0, tolerance=0.03),
    "accuracy": Metric("accuracy", False, high=1.0, tolerance=0.03),
    "purity": Metric("purity", False, high=1.0, tolerance=0.05),
    "seconds": Metric("seconds", True, log=True, tolerance=1.5),
}


#: The names runs and tasks record for the same metrics (``Run.metric_name``,
#: ``compare.TASKS[...].metric``), so that callers pass what they have.
ALIASES = {"bits_per_char": "bits", "bits/char": "bits", "mae_ppm": "mae"}


def metric(name: str) -> Metric:
    """The :class:`Metric` called ``name`` (one of :data:`METRICS` or :data:`ALIASES`)."""
    check_choice("metric", name, (*METRICS, *ALIASES))
    return METRICS[ALIASES.get(name, name)]


def _metric(value) -> Metric | None:
    if value is None or isinstance(value, Metric):
        return value
    if isinstance(value, str):
        return metric(value)
    raise TypeError(f"metric must be a Metric, a name from METRICS or None; got {value!r}.")


# --- the one mean ± spread -----------------------------------------------------------


def _values(name: str, values) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)  # (seeds,)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"{name} must be a list of numbers (one per seed); got {values!r}."
        ) from err
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one value per seed); got shape {array.shape}.")
    if array.size == 0:
        raise ValueError(f"{name} must hold at least one value (one per seed); got none.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers; got {array.tolist()!r}.")
    return array


def seeds_text(n: int) -> str:
    """``"1 seed"``, ``"3 seeds"``: how every table and sentence counts seeds."""
    return f"{n} seed" if n == 1 else f"{n} seeds"


@dataclass(frozen=True)
class Spread:
    """Mean and sample standard deviation (``ddof=1``) of one value per seed."""

    mean: float
    std: float  #: 0 for a single seed: no spread was measured (``text`` says "1 seed")
    n: int
    low: float
    high: float

    def text(
        self, digits: int = 3, *, fixed: bool = False, unit: str = "", counted: bool = True
    ) -> str:
        """``"0.123 ± 0.004 (3 seeds)"``, or ``"0.123 (1 seed)"``; ``fixed`` uses
        ``digits`` decimals instead of significant digits; ``counted=False`` leaves out the
        count in brackets (a table cell with its own count, or repeats that are not seeds)."""
        f = f".{digits}f" if fixed else f".{digits}g"
        unit = f" {unit}" if unit else ""
        count = f" ({self.n} seed{'s' if self.n > 1 else ''})" if counted else ""
        if self.n == 1:
            return f"{self.mean:{f}}{unit}{count}"
        return f"{self.mean:{f}} ± {self.std:{f}}{unit}{count}"

    def __str__(self) -> str:
        return self.text()


def spread(values, name: str = "values") -> Spread:
    """The course's one mean ± spread: mean and sample std (``ddof=1``) over seeds."""
    array = _values(name, values)  # (seeds,)
    std = float(array.std(ddof=1)) if array.size > 1 else 0.0
    return Spread(float(array.mean()), std, int(array.size), float(array.min()), float(array.max()))


def separation(values, *, level: float = LEVEL, name: str = "values") -> float:
    """How far apart two single-seed scores must lie before their gap says more than luck:
    the half-width of the ``level`` t interval of the difference of two single runs,
    ``t(n - 1) * sqrt(2) * s``, where ``s`` is the sample standard deviation of ``values``
    (one setting's score over ``n`` seeds). With 3 seeds, t is 4.30 at 95 %: about 6 s.
    It treats the two runs as independent draws with that spread. ``name`` is the
    argument the caller's errors name."""
    array = _values(name, values)  # (seeds,)
    level = check_number("level", level, minimum=0.5, maximum=0.999)
    if array.size < MIN_SEEDS:
        raise ValueError(f"{name} must hold at least {MIN_SEEDS} seeds; got {array.size}.")
    t = float(stats.t.ppf(0.5 + level / 2, array.size - 1))
    return t * math.sqrt(2) * float(array.std(ddof=1))


# --- comparing two contenders over seeds ------------------------------------------


def gap_interval(a, b, *, level: float = LEVEL) -> tuple[float, float, float]:
    """``(gap, low, high)``: ``mean(a) - mean(b)`` and its Welch t interval at ``level``.

    Needs at least 2 values on each side. With equal values on both sides (no spread at
    all) the interval is the gap itself.
    """
    a, b = _values("a", a), _values("b", b)
    level = check_number("level", level, minimum=0.5, maximum=0.999)
    if a.size < MIN_SEEDS or b.size < MIN_SEEDS:
        raise ValueError(
            f"a and b must hold at least {MIN_SEEDS} seeds each; got {a.size} and {b.size}."
        )
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    gap = float(a.mean() - b.mean())
    se = math.sqrt(va + vb)
    if se == 0.0:
        return gap, gap, gap
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))  # Welch-Satterthwaite
    half = float(stats.t.ppf(0.5 + level / 2, df)) * se
    return gap, gap - half, gap + half


def did_not_train(values, baseline: float, *, metric, within: float = 0.1) -> np.ndarray:
    """Per seed: True where the run ended within ``within`` of the way from the task's
    trivial ``baseline`` (the mean predictor, chance, the majority answer) to a perfect
    score, i.e. it learnt (almost) nothing at this budget."""
    m = _metric(metric)
    if m is None:
        raise TypeError("metric must be given (a Metric or a name from METRICS).")
    array = m.check("values", values)  # (seeds,)
    baseline = check_number("baseline", baseline)
    within = check_number("within", within, minimum=0.0, maximum=1.0)
    span = baseline - m.best
    if span == 0 or not math.isfinite(span):
        raise ValueError(
            f"baseline must differ from {m.name}'s best score {m.best:g}; got {baseline!r}."
        )
    progress = (baseline - array) / span  # (seeds,) 0 at the baseline, 1 at a perfect score
    return progress < within


def _untrained_note(name, values, baseline, m, within, budget) -> str | None:
    if baseline is None:
        return None
    flags = did_not_train(values, baseline, metric=m, within=within)
    if not flags.any():
        return None
    return (
        f"{name}: {int(flags.sum())} of {seeds_text(flags.size)} did not train at this budget"
        + (f" ({budget})" if budget else "")
        + f" (within {within:.0%} of the way from the baseline {baseline:.4g} to a perfect score)"
    )


def _pair(a, b, names, unit: str, digits: int, m: Metric | None = None):
    """The two sides as checked arrays, the unit's text and the "measured" text every
    two-contender rule starts from."""
    a = m.check("a", a) if m else _values("a", a)
    b = m.check("b", b) if m else _values("b", b)
    unit_text = f" {unit}" if unit else ""
    measured = (
        f"{names[0]} {spread(a).text(digits)}{unit_text}; "
        f"{names[1]} {spread(b).text(digits)}{unit_text}"
    )
    return a, b, unit_text, measured


def _interval_text(word: str, value: float, low: float, high: float, unit_text, level, digits):
    return (
        f"; {word} {value:.{digits}g}{unit_text}, {level:.0%} interval "
        f"[{low:.{digits}g}, {high:.{digits}g}]"
    )


def _signed_interval_text(name, words, gap, low, high, unit_text, level, digits) -> str:
    """ "A lower by 0.2, interval [0.1, 0.3]" for a gap in the direction ``words[0]``; a
    negative gap reads the other way round ("A higher by 4", interval flipped to match)."""
    if gap < 0:
        return _interval_text(f"{name} {words[1]} by", -gap, -high, -low, unit_text, level, digits)
    return _interval_text(f"{name} {words[0]} by", gap, low, high, unit_text, level, digits)


def _observation_rule(n_a: int, n_b: int | None = None) -> str:
    sizes = f"{n_a}" if n_b is None else f"{n_a} and {n_b}"
    return (
        f"an observation, not a verdict: {sizes} seed(s), and a verdict needs at least "
        f"{MIN_SEEDS} seeds per side"
    )


def compare_seeds(
    claim: str,
    a,
    b,
    *,
    lower_is_better: bool | None = None,
    metric=None,
    names: tuple[str, str] = ("A", "B"),
    unit: str = "",
    scope: str = "",
    level: float = LEVEL,
    digits: int = 3,
    baseline: float | None = None,
    within: float = 0.1,
    budget: str = "",
    min_gap: float = 0.0,
) -> Verdict:
    """Verdict on "``a`` is better than ``b``" from one value per seed for each.

    The claim is that ``a`` is lower (``lower_is_better``) or higher than ``b``; the Welch
    t interval (at ``level``) of how much it is so decides: all above 0 holds, all below 0 does not hold, else inconclusive. Fewer than
    :data:`MIN_SEEDS` seeds on either side gives an ``"observation"``. With ``baseline``
    (the task's trivial score; needs ``metric``), a comparison in which any run did not
    train (:func:`did_not_train`) is inconclusive, naming the ``budget``. ``min_gap``: a
    gap between the means smaller than this is too small to matter (say, a few test
    examples) and is inconclusive whatever the interval.
    """
    m = _metric(metric)
    if lower_is_better is None:
        if m is None:
            raise TypeError("give lower_is_better (True or False) or a metric.")
        lower_is_better = m.lower_is_better
    if not isinstance(lower_is_better, bool):
        raise TypeError(f"lower_is_better must be True or False; got {lower_is_better!r}.")
    a, b, unit_text, measured = _pair(a, b, names, unit, digits, m)
    direction = "lower" if lower_is_better else "higher"
    if a.size < MIN_SEEDS or b.size < MIN_SEEDS:
        return Verdict(claim, measured, _observation_rule(a.size, b.size), "observation", scope)
    notes = [
        note
        for note in (
            _untrained_note(names[0], a, baseline, m, within, budget),
            _untrained_note(names[1], b, baseline, m, within, budget),
        )
        if note
    ]
    gap, low, high = (
        gap_interval(b, a, level=level) if lower_is_better else gap_interval(a, b, level=level)
    )
    measured += _signed_interval_text(
        names[0], (direction, "higher" if lower_is_better else "lower"), gap, low, high,
        unit_text, level, digits,
    )  # fmt: skip
    first, second = (names[1], names[0]) if lower_is_better else names
    rule = (
        f"the claim wants {names[0]} {direction}; holds when the {level:.0%} t interval (Welch) "
        f"of {first} minus {second} lies above 0, does not hold when it lies below 0, "
        "inconclusive when it contains 0"
    )
    if notes:
        rule += "; a comparison with a run that did not train is inconclusive"
        return Verdict(claim, measured + "; " + "; ".join(notes), rule, "inconclusive", scope)
    outcome = "holds" if low > 0 else ("does not hold" if high < 0 else "inconclusive")
    min_gap = check_number("min_gap", min_gap, minimum=0.0)
    if min_gap > 0:
        rule += f"; a gap of the means under {min_gap:g} counts as inconclusive"
        if abs(gap) < min_gap:
            outcome = "inconclusive"
    return Verdict(claim, measured, rule, outcome, scope)


def negated(claim: str, verdict: Verdict, *, rule: str = "") -> Verdict:
    """The verdict on the opposite claim, from the same measurement: holds and does not
    hold swap; inconclusive and observation stay."""
    if not isinstance(verdict, Verdict):
        raise TypeError(f"verdict must be a Verdict; got {type(verdict).__name__}.")
    swap = {"holds": "does not hold", "does not hold": "holds"}
    outcome = swap.get(verdict.outcome, verdict.outcome)
    return Verdict(claim, verdict.measured, rule + verdict.rule, outcome, verdict.scope)


def controlled(verdict: Verdict, control: Verdict) -> Verdict:
    """``verdict`` read beside its positive ``control`` (the same model on a task it should
    manage: "fails task X" means little if it also fails the control task). A verdict that
    holds stays so only when the control holds too; otherwise it is inconclusive. Every
    other outcome is kept; the rule and the measurement name the control either way."""
    if not isinstance(verdict, Verdict) or not isinstance(control, Verdict):
        raise TypeError("verdict and control must be Verdicts.")
    rule = (
        f"{verdict.rule}; read only beside the control '{control.claim}', which must hold "
        "for this verdict to hold (else inconclusive)"
    )
    measured = f"{verdict.measured}; control: {control.outcome}"
    outcome = verdict.outcome
    if outcome == "holds" and control.outcome != "holds":
        outcome = "inconclusive"
    return Verdict(verdict.claim, measured, rule, outcome, verdict.scope)


def pooled(claim: str, parts, *, rule: str = "", scope: str = "", measured: str = "") -> Verdict:
    """One verdict from several (one per task, say): holds when every part holds; does not
    hold when some part does not hold; an observation when a part is one; else
    inconclusive."""
    parts = list(parts)
    if not parts or not all(isinstance(p, Verdict) for p in parts):
        raise TypeError(f"parts must be a non-empty list of Verdicts; got {parts!r:.80}.")
    outcomes = [p.outcome for p in parts]
    if all(o == "holds" for o in outcomes):
        outcome = "holds"
    elif "does not hold" in outcomes:
        outcome = "does not hold"
    elif "observation" in outcomes:
        outcome = "observation"
    else:
        outcome = "inconclusive"
    measured = measured or "; ".join(f"{p.claim}: {p.outcome}" for p in parts)
    rule = (rule + "; " if rule else "") + (
        "holds when every part holds; does not hold when some part does not; inconclusive otherwise"
    )
    return Verdict(claim, measured, rule, outcome, scope)


def equivalent(
    claim: str,
    a,
    b,
    *,
    margin: float,
    names: tuple[str, str] = ("A", "B"),
    unit: str = "",
    scope: str = "",
    level: float = LEVEL,
    digits: int = 3,
) -> Verdict:
    """Verdict on "``a`` and ``b`` are comparable, within ``margin``" (an equivalence claim).

    Holds when the whole t interval of ``mean(a) - mean(b)`` lies inside
    ``[-margin, margin]``; does not hold when it lies wholly outside; inconclusive
    otherwise. The margin is part of the claim: without one, "no gap found" says nothing.
    """
    a, b, unit_text, measured = _pair(a, b, names, unit, digits)
    margin = check_number("margin", margin, minimum=0.0, strict_minimum=True)
    if a.size < MIN_SEEDS or b.size < MIN_SEEDS:
        return Verdict(claim, measured, _observation_rule(a.size, b.size), "observation", scope)
    gap, low, high = gap_interval(a, b, level=level)
    measured += _interval_text("gap", gap, low, high, unit_text, level, digits)
    rule = (
        f"comparable means within ±{margin:g}{unit_text}: holds when the {level:.0%} t interval "
        "of the gap lies inside the margin, does not hold when it lies wholly outside it, "
        "inconclusive otherwise"
    )
    if -margin <= low and high <= margin:
        outcome = "holds"
    elif low > margin or high < -margin:
        outcome = "does not hold"
    else:
        outcome = "inconclusive"
    return Verdict(claim, measured, rule, outcome, scope)


def not_worse(
    claim: str,
    a,
    b,
    *,
    margin: float,
    lower_is_better: bool,
    names: tuple[str, str] = ("A", "B"),
    unit: str = "",
    scope: str = "",
    level: float = LEVEL,
    digits: int = 3,
) -> Verdict:
    """Verdict on "``a`` is not worse than ``b`` by more than ``margin``" (non-inferiority).

    One-sided, unlike :func:`equivalent`: an ``a`` that is clearly *better* passes. Holds
    when the whole t interval of how much worse ``a`` is lies below ``margin``; does not
    hold when it lies wholly above; inconclusive otherwise.
    """
    a, b, unit_text, measured = _pair(a, b, names, unit, digits)
    margin = check_number("margin", margin, minimum=0.0, strict_minimum=True)
    if a.size < MIN_SEEDS or b.size < MIN_SEEDS:
        return Verdict(claim, measured, _observation_rule(a.size, b.size), "observation", scope)
    worse, low, high = (
        gap_interval(a, b, level=level) if lower_is_better else gap_interval(b, a, level=level)
    )
    measured += _signed_interval_text(
        names[0], ("worse", "better"), worse, low, high, unit_text, level, digits
    )
    rule = (
        f"not worse by more than {margin:.{digits}g}{unit_text}: holds when the {level:.0%} t "
        "interval of how much worse it is lies below the margin, does not hold when it lies "
        "wholly above it, inconclusive otherwise"
    )
    outcome = "holds" if high < margin else ("does not hold" if low > margin else "inconclusive")
    return Verdict(claim, measured, rule, outcome, scope)


# --- one run, a computation, or a yes/no per seed ------------------------------------


def observation(
    claim: str,
    measured: str,
    *,
    seen: bool,
    rule: str,
    scope: str = "",
    unreadable: str = "",
    run: str = "run",
) -> Verdict:
    """What one run (one seed, one trained model) showed: printed, never a verdict.

    ``seen``: whether this run went the way the claim says, by ``rule``. ``unreadable``:
    why this run cannot speak to the claim at all (say, a contender that did not train);
    then it says so instead of "as claimed" or "not as claimed". ``run``: what the one
    measurement is ("run", "series", ...).
    """
    if not isinstance(seen, (bool, np.bool_)):
        raise TypeError(f"seen must be True or False; got {seen!r}.")
    if unreadable:
        measured = f"{measured}; this {run} cannot be read for the claim: {unreadable}"
    else:
        measured = f"{measured}; in this one {run} {'as claimed' if seen else 'not as claimed'}"
    rule = f"an observation, not a verdict (one {run}): it would count as claimed when {rule}"
    return Verdict(claim, measured, rule, "observation", scope)


def not_run(claim: str, missing: str, *, scope: str = "") -> Verdict:
    """A claim whose runs are not in the results (not run here, or a results file still
    being written): an observation that names what is ``missing`` and says so."""
    if not isinstance(claim, str) or not claim:
        raise TypeError(f"claim must be a non-empty string; got {claim!r}.")
    if not isinstance(missing, str) or not missing:
        raise TypeError(f"missing must be a non-empty string naming the runs; got {missing!r}.")
    return observation(
        claim, f"not run: no runs of {missing} in these results", seen=False,
        rule="its runs are in the results", scope=scope,
        unreadable="not run here (no such runs in these results)",
    )  # fmt: skip


def computed(claim: str, measured: str, *, true: bool, rule: str, scope: str = "") -> Verdict:
    """A deterministic check: a formula, a count of weights, or two computations on the
    same weights. No seed changes it, so its rule decides holds / does not hold directly."""
    if not isinstance(true, (bool, np.bool_)):
        raise TypeError(f"true must be True or False; got {true!r}.")
    rule = f"a deterministic computation (no seed changes it): holds when {rule}"
    return Verdict(claim, measured, rule, "holds" if true else "does not hold", scope)


def per_seed(claim: str, flags, *, measured: str, rule: str, scope: str = "") -> Verdict:
    """A yes/no per seed: holds when every seed says yes, does not hold when none does,
    inconclusive when they disagree; fewer than :data:`MIN_SEEDS` seeds is an observation."""
    array = np.asarray(flags)  # (seeds,)
    if array.ndim != 1 or array.size == 0 or array.dtype != bool:
        raise TypeError(
            f"flags must be a non-empty list of True/False, one per seed; got {flags!r}."
        )
    k, n = int(array.sum()), int(array.size)
    measured = f"{measured}; {k} of {seeds_text(n)}"
    if n < MIN_SEEDS:
        return Verdict(claim, measured, _observation_rule(n), "observation", scope)
    rule = f"holds when {rule} for every seed; does not hold when for none; inconclusive otherwise"
    outcome = "holds" if k == n else ("does not hold" if k == 0 else "inconclusive")
    return Verdict(claim, measured, rule, outcome, scope)


# --- one value against a threshold, seed by seed -----------------------------------


def solved(values, threshold: float, *, below: bool = True) -> tuple[int, int]:
    """``(k, n)``: how many of the ``n`` seeds are on the solved side of ``threshold``
    (strictly below it, or above it with ``below=False``). The course's one "solved"."""
    array = _values("values", values)  # (seeds,)
    threshold = check_number("threshold", threshold)
    side = array < threshold if below else array > threshold
    return int(side.sum()), int(array.size)


def against_threshold(
    claim: str,
    values,
    threshold: float,
    *,
    below: bool,
    unit: str = "",
    scope: str = "",
    digits: int = 3,
) -> Verdict:
    """Verdict on "the measured value is below (or above) ``threshold``", seed by seed.

    Holds when every seed is on the claimed side, does not hold when none is,
    inconclusive when the seeds disagree; one seed is an observation.
    """
    array = _values("values", values)
    k, n = solved(array, threshold, below=below)
    word = "below" if below else "above"
    unit_text = f" {unit}" if unit else ""
    measured = (
        f"{spread(array).text(digits)}{unit_text}; {k} of {seeds_text(n)} {word} {threshold:g}"
    )
    if n < MIN_SEEDS:
        return Verdict(claim, measured, _observation_rule(n), "observation", scope)
    rule = (
        f"holds when every seed is {word} {threshold:g}{unit_text}; does not hold when none is; "
        "inconclusive when the seeds disagree"
    )
    outcome = "holds" if k == n else ("does not hold" if k == 0 else "inconclusive")
    return Verdict(claim, measured, rule, outcome, scope)


# --- does a live run agree with the committed seeds? ------------------------------


@dataclass(frozen=True)
class Agreement:
    """The live value, the interval it was checked against and the answer."""

    live: float
    low: float
    high: float
    agrees: bool
    rule: str

    def line(self, label: str, digits: int = 4) -> str:
        word = "agrees" if self.agrees else "does NOT agree"
        return (
            f"{label}: live {self.live:.{digits}g}, committed seeds widened to "
            f"[{self.low:.{digits}g}, {self.high:.{digits}g}] -> {word}"
        )


def agreement(
    live: float,
    committed,
    *,
    metric,
    threshold: float | None = None,
    tolerance: float | None = None,
    baseline: float | None = None,
    within: float = 0.1,
) -> Agreement:
    """Does a live value agree with committed values over seeds?

    The committed min-max range is widened by the metric's ``tolerance`` (a factor on a
    log scale, or an amount), cut to the metric's range, and cut at each line that every
    committed seed is on one side of: ``threshold`` (the "solved" line) and, with
    ``baseline`` (the task's trivial score), the "did not train" line of
    :func:`did_not_train`. A live run on the other side of such a line never agrees.
    """
    m = _metric(metric)
    if m is None:
        raise TypeError("metric must be given (a Metric or a name from METRICS).")
    live = float(m.check("live", [check_number("live", live)])[0])
    values = m.check("committed", committed)  # (seeds,)
    tol = m.tolerance if tolerance is None else check_number("tolerance", tolerance, minimum=0.0)
    lo, hi = float(values.min()), float(values.max())
    if m.log:
        if tol < 1:
            raise ValueError(f"tolerance must be a factor >= 1 for {m.name}; got {tol!r}.")
        lo, hi = lo / tol, hi * tol
        widen = f"divided and multiplied by {tol:g}"
    else:
        lo, hi = lo - tol, hi + tol
        widen = f"widened by {tol:g}"
    lo, hi = max(lo, m.low), min(hi, m.high)
    rule = (
        f"the live value lies within the committed seeds' min-max range {widen}, "
        f"inside {m.name}'s range [{m.low:g}, {m.high:g}]"
    )
    lines = []
    if threshold is not None:
        lines.append(("the threshold", check_number("threshold", threshold)))
    if baseline is not None:
        baseline = check_number("baseline", baseline)
        within = check_number("within", within, minimum=0.0, maximum=1.0)
        lines.append(("the did-not-train line", baseline - within * (baseline - m.best)))
    for name, line in lines:
        better = values < line if m.lower_is_better else values > line  # (seeds,)
        if better.all():  # every committed seed on the good side: the live run must be too
            lo, hi = (lo, min(hi, line)) if m.lower_is_better else (max(lo, line), hi)
        elif not better.any():
            lo, hi = (max(lo, line), hi) if m.lower_is_better else (lo, min(hi, line))
        else:
            continue
        rule += f", and on the same side of {name} {line:.4g} as every committed seed"
    return Agreement(live, lo, hi, bool(lo <= live <= hi), rule)


# --- timing: interleaved repeats in separate processes ------------------------------


def time_ratio(
    claim: str,
    processes: list[dict],
    *,
    names: tuple[str, str] = ("A", "B"),
    faster: bool = True,
    scope: str = "",
    digits: int = 3,
    margin: float = 0.0,
) -> Verdict:
    """Verdict on "``A`` is faster than ``B``" (or slower, ``faster=False``) from timings.

    ``processes`` holds one dict per separate process: ``{"a": [seconds, ...], "b":
    [seconds, ...], "order": "ABBA...", "load": [before, after]}``, the repeats of A and B
    interleaved in alternating order. Per process the ratio is median(A) / median(B).
    Holds when the ratio is on the claimed side of 1 in every process, does not hold when
    it is on the other side in every process, inconclusive otherwise; one process (one
    run, whatever its repeats) is an observation. The scope gets the load.

    ``margin`` (a share, ``0 <= margin < 1``): the noise a time ratio may carry on this
    machine. A side counts only beyond it: faster means a ratio below ``1 - margin``,
    slower a ratio above ``1 / (1 - margin)``; a ratio in between is on neither side, so
    it makes the verdict inconclusive.
    """
    margin = check_number("margin", margin, minimum=0.0, maximum=1.0)
    if margin >= 1:
        raise ValueError(f"margin must be below 1 (a share of the time); got {margin!r}.")
    if not isinstance(processes, list) or not processes:
        raise TypeError(f"processes must be a non-empty list of dicts; got {processes!r}.")
    ratios, loads = [], []
    for i, p in enumerate(processes):
        if not isinstance(p, dict) or "a" not in p or "b" not in p:
            raise TypeError(f"processes[{i}] must be a dict with 'a' and 'b' timings; got {p!r}.")
        a, b = _values(f"processes[{i}]['a']", p["a"]), _values(f"processes[{i}]['b']", p["b"])
        if (a <= 0).any() or (b <= 0).any():
            raise ValueError(f"processes[{i}] timings must be positive seconds; got {p!r}.")
        order = str(p.get("order", ""))
        if len(a) > 1 and ("AB" not in order or "BA" not in order):
            raise ValueError(
                f"processes[{i}]['order'] must record alternating order (e.g. 'ABBA'); got {order!r}."
            )
        ratios.append(float(np.median(a) / np.median(b)))
        loads += [float(x) for x in p.get("load", [])]
    r = np.asarray(ratios)  # (processes,)
    word = "below" if faster else "above"
    measured = (
        f"{names[0]} / {names[1]} time per process: "
        + ", ".join(f"{x:.{digits}g}" for x in r)
        + f" ({r.size} process{'es' if r.size > 1 else ''}, interleaved repeats)"
    )
    load = f"1-min load {min(loads):.1f}-{max(loads):.1f}" if loads else "load not recorded"
    scope = f"{scope}; {load}" if scope else f"this machine, {load}"
    if r.size < MIN_SEEDS:
        rule = (
            "an observation, not a verdict: one process; a time ratio needs interleaved "
            f"repeats in at least {MIN_SEEDS} separate processes"
        )
        return Verdict(claim, measured, rule, "observation", scope)
    fast_line, slow_line = 1 - margin, 1 / (1 - margin)  # 1 and 1 without a margin
    below, above = r < fast_line, r > slow_line  # (processes,)
    on_side, other_side = (below, above) if faster else (above, below)
    if margin > 0:
        line = f"{fast_line:.3g}" if faster else f"{slow_line:.3g}"
        rule = (
            f"holds when the ratio is {word} {line} in every process; does not hold when it "
            f"is beyond {slow_line if faster else fast_line:.3g} on the other side in every "
            f"process; inconclusive otherwise (a margin of {margin:.0%} for timing noise)"
        )
    else:
        rule = (
            f"holds when the ratio is {word} 1 in every process; does not hold when it is on "
            "the other side in every process; inconclusive otherwise"
        )
    outcome = (
        "holds" if on_side.all() else ("does not hold" if other_side.all() else "inconclusive")
    )
    return Verdict(claim, measured, rule, outcome, scope)
