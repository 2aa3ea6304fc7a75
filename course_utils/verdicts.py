"""Verdicts on claims, as small tables, and lesson summaries rendered from them.

Every lesson that tests a claim builds :class:`Verdict` objects from what it
measured, shows them as a table (a row per claim: the claim, the measured figures,
the rule that decided, the outcome and what the measurement covered), and ends with
a summary rendered from the same objects by :func:`summary_markdown`. Prose never
types an outcome: if the measurement changes, the table and the summary change.

There are exactly three outcomes (:data:`OUTCOMES`):

* ``"holds"`` - the measurement supports the claim by the stated rule;
* ``"does not hold"`` - the measurement contradicts it by the same rule;
* ``"inconclusive"`` - the difference lies within the seeds' spread (or the rule
  cannot decide from what was measured).

A verdict is scoped: ``scope`` says what was measured (machine, sizes, seeds, mode),
so "holds" never reads as "holds everywhere".

Example::

    v = compare_seeds("GRU trains faster than LSTM", gru_secs, lstm_secs,
                      lower_is_better=True, unit="s/epoch", scope="2-core CPU, 3 seeds")
    show_verdicts([v])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from course_utils.validation import check_array, check_choice, check_number

__all__ = [
    "OUTCOMES",
    "Verdict",
    "VerdictTable",
    "compare_seeds",
    "against_threshold",
    "summary_markdown",
    "show_verdicts",
    "show_summary",
]

OUTCOMES = ("holds", "does not hold", "inconclusive")

SEEDS_RULE = (
    "holds when the gap between the means is more than {z:g} standard errors in the "
    "claimed direction; does not hold when it is that large the other way; "
    "inconclusive otherwise"
)


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
        """True, False, or None for inconclusive."""
        return {"holds": True, "does not hold": False, "inconclusive": None}[self.outcome]


def _values(name: str, values) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"{name} must be a list of numbers (one per seed); got {values!r}."
        ) from err
    array = check_array(name, array, ndim=1, dims="(seeds,)")
    if array.size == 0:
        raise ValueError(f"{name} must hold at least one value (one per seed); got none.")
    return array


def _fmt(values: np.ndarray, digits: int) -> str:
    if values.size == 1:
        return f"{values[0]:.{digits}g} (1 seed)"
    return f"{values.mean():.{digits}g} ± {values.std(ddof=1):.{digits}g} ({values.size} seeds)"


def compare_seeds(
    claim: str,
    a,
    b,
    *,
    lower_is_better: bool,
    names: tuple[str, str] = ("A", "B"),
    unit: str = "",
    scope: str = "",
    z: float = 2.0,
    digits: int = 3,
) -> Verdict:
    """Verdict on "``a`` is better than ``b``" from one value per seed for each.

    The gap between the means is compared with ``z`` standard errors of the
    difference, ``sqrt(var_a/n_a + var_b/n_b)`` (sample variances; one seed counts
    as variance 0, so single-seed comparisons decide on any gap, and the scope should
    say "1 seed"). A rough guide with few seeds, not a significance test.
    """
    a, b = _values("a", a), _values("b", b)
    z = check_number("z", z, minimum=0.0)
    if not isinstance(lower_is_better, bool):
        raise TypeError(f"lower_is_better must be True or False; got {lower_is_better!r}.")
    var_a = a.var(ddof=1) if a.size > 1 else 0.0
    var_b = b.var(ddof=1) if b.size > 1 else 0.0
    gap = (b.mean() - a.mean()) if lower_is_better else (a.mean() - b.mean())
    se = float(np.sqrt(var_a / a.size + var_b / b.size))
    if gap > z * se and gap > 0:
        outcome = "holds"
    elif -gap > z * se and gap < 0:
        outcome = "does not hold"
    else:
        outcome = "inconclusive"
    unit = f" {unit}" if unit else ""
    measured = f"{names[0]} {_fmt(a, digits)}{unit}; {names[1]} {_fmt(b, digits)}{unit}"
    direction = "lower" if lower_is_better else "higher"
    rule = f"{direction} is better; " + SEEDS_RULE.format(z=z)
    return Verdict(claim, measured, rule, outcome, scope)


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
    """Verdict on "the measured value is below (or above) ``threshold``" over seeds.

    Holds when every seed is on the claimed side, does not hold when every seed is on
    the other side, inconclusive when the seeds disagree.
    """
    values = _values("values", values)
    threshold = check_number("threshold", threshold)
    side = values < threshold if below else values > threshold
    outcome = "holds" if side.all() else ("does not hold" if not side.any() else "inconclusive")
    word = "below" if below else "above"
    unit = f" {unit}" if unit else ""
    rule = (
        f"holds when every seed is {word} {threshold:g}{unit}; does not hold when none is; "
        "inconclusive when the seeds disagree"
    )
    return Verdict(claim, f"{_fmt(values, digits)}{unit}", rule, outcome, scope)


def _check_verdicts(verdicts) -> list[Verdict]:
    if isinstance(verdicts, Verdict):
        verdicts = [verdicts]
    if not isinstance(verdicts, Iterable) or isinstance(verdicts, (str, bytes)):
        raise TypeError(f"verdicts must be a list of Verdict objects; got {verdicts!r}.")
    verdicts = list(verdicts)
    for i, v in enumerate(verdicts):
        if not isinstance(v, Verdict):
            raise TypeError(f"verdicts[{i}] must be a Verdict; got {type(v).__name__} {v!r}.")
    return verdicts


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class VerdictTable(list):
    """A list of verdicts that displays as a table (Markdown in Jupyter, text elsewhere)."""

    def __init__(self, verdicts=()):
        super().__init__(_check_verdicts(verdicts))

    def markdown(self, rules: bool = True) -> str:
        header = ["claim", "measured", "outcome", "scope"] + (["rule"] if rules else [])
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for v in self:
            cells = [v.claim, v.measured, f"**{v.outcome}**", v.scope or "-"]
            if rules:
                cells.append(v.rule)
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __str__(self) -> str:
        return "\n".join(
            f"[{v.outcome}] {v.claim}\n    measured: {v.measured}\n    rule: {v.rule}"
            + (f"\n    scope: {v.scope}" if v.scope else "")
            for v in self
        )


def summary_markdown(verdicts, *, points: Iterable[str] = ()) -> str:
    """A lesson summary: fixed teaching ``points`` first, then one bullet per verdict.

    ``points`` are statements that stay true whatever was measured (definitions,
    what was built); every measured outcome comes from ``verdicts``.
    """
    verdicts = _check_verdicts(verdicts)
    if isinstance(points, str):
        raise TypeError("points must be a list of strings, not one string.")
    bullets = [f"- {p}" for p in points]
    for v in verdicts:
        scope = f" *({v.scope})*" if v.scope else ""
        bullets.append(f"- {v.claim}: **{v.outcome}** - {v.measured}{scope}.")
    return "\n".join(bullets)


def _display_markdown(text: str) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display

        if get_ipython() is not None:
            display(Markdown(text))
            return
    except ImportError:  # pragma: no cover - IPython is always there in a notebook
        pass
    print(text)


def show_verdicts(verdicts) -> VerdictTable:
    """Display the verdicts as a table and return them."""
    table = VerdictTable(verdicts)
    _display_markdown(table.markdown())
    return table


def show_summary(verdicts, *, points: Iterable[str] = ()) -> str:
    """Display a lesson's summary rendered from its verdicts; return the Markdown."""
    text = summary_markdown(verdicts, points=points)
    _display_markdown(text)
    return text
