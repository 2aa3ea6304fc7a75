"""Verdicts on claims, as small tables, and lesson summaries rendered from them.

Every lesson that tests a claim builds :class:`Verdict` objects from what it
measured, shows them as a table (a row per claim: the claim, the measured figures,
the rule that decided, the outcome and what the measurement covered), and ends with
a summary rendered from the same objects by :func:`summary_markdown`. Prose never
types an outcome: where a lesson's text needs one, it asks the question and
:func:`show_outcome` answers it in a sentence rendered from the verdict. If the
measurement changes, the table, the sentence and the summary change.

The outcomes and the rules that decide them live in :mod:`course_utils.core.evidence`, the
course's one statistics core: ``"holds"``, ``"does not hold"``, ``"inconclusive"``, and
``"observation"`` for fewer than two seeds (what one run showed, never a verdict).

A verdict is scoped: ``scope`` says what was measured (machine, sizes, seeds, mode),
so "holds" never reads as "holds everywhere".

Example (``compare_seeds`` from :mod:`course_utils.core.evidence`)::

    v = compare_seeds("The GRU ends with a lower loss than the LSTM", gru_mse, lstm_mse,
                      metric="mse", scope="adding problem T=50, 2-core CPU, 3 seeds")
    show_verdicts([v])
"""

from __future__ import annotations

from collections.abc import Iterable

from course_utils.core.config import FAST_NOTE, fast_mode
from course_utils.core.evidence import Verdict
from course_utils.core.tables import table

__all__ = [
    "VerdictTable",
    "summary_markdown",
    "show_verdicts",
    "show_summary",
    "show_outcome",
]


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


def _fast_mark() -> str:
    """In fast mode, a first line saying the outcomes below are not evidence."""
    return f"> **{FAST_NOTE[0].upper()}{FAST_NOTE[1:]}.**\n\n" if fast_mode() else ""


def _outcome_text(v: Verdict) -> str:
    return "observation (not a verdict)" if v.outcome == "observation" else v.outcome


class VerdictTable(list):
    """A list of verdicts that displays as a table (Markdown in Jupyter, text elsewhere)."""

    def __init__(self, verdicts=()):
        super().__init__(_check_verdicts(verdicts))

    def markdown(self, rules: bool = True) -> str:
        header = ["claim", "measured", "outcome", "scope"] + (["rule"] if rules else [])
        rows = [
            [v.claim, v.measured, f"**{_outcome_text(v)}**", v.scope or "-"]
            + ([v.rule] if rules else [])
            for v in self
        ]
        return _fast_mark() + table(header, rows, style="markdown")

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __str__(self) -> str:
        return _fast_mark().removeprefix("> ") + "\n".join(
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
        outcome = _outcome_text(v)
        bullets.append(f"- {v.claim}: **{outcome}** - {v.measured}{scope}.")
    return _fast_mark() + "\n".join(bullets)


#: How a sentence names each outcome (read from the verdict, never typed by a lesson).
_SAID = {
    "holds": "**holds**",
    "does not hold": "**does not hold**",
    "inconclusive": "**inconclusive**: the measurement cannot decide",
    "observation": "**an observation, not a verdict** (too few seeds to decide)",
}


def _outcome_sentence(v: Verdict) -> str:
    scope = f" *({v.scope})*" if v.scope else ""
    fast = " (fast mode: not evidence)" if fast_mode() else ""
    claim = v.claim[:1].upper() + v.claim[1:]
    return f"{claim}: {_SAID[v.outcome]} - measured {v.measured}{scope}{fast}."


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
    shown = VerdictTable(verdicts)
    _display_markdown(shown.markdown())
    return shown


def show_summary(verdicts, *, points: Iterable[str] = ()) -> str:
    """Display a lesson's summary rendered from its verdicts; return the Markdown."""
    text = summary_markdown(verdicts, points=points)
    _display_markdown(text)
    return text


def show_outcome(verdicts) -> str:
    """Display one sentence per verdict, "<Claim>: **holds** - measured ... *(scope)*.",
    and return the Markdown.

    Where a lesson's text would name an outcome ("memory makes the difference"), it asks
    the question instead and this sentence answers it from the verdict: holds, does not
    hold, inconclusive, or an observation, with the measured figures and the scope, and in
    fast mode "(fast mode: not evidence)".
    """
    text = "\n\n".join(_outcome_sentence(v) for v in _check_verdicts(verdicts))
    _display_markdown(text)
    return text
