"""What the grader writes: the class table (CSV), each learner's feedback (Markdown) and
Gradescope's ``results.json``, all from one :class:`Gradebook`.

* ``grades.csv``: one row per learner (sorted), one column per exercise
  (``lesson00.sequence_shape``) holding ``passed``, ``tried``, ``not attempted`` or
  ``errored`` (a choice passed on a later try: ``passed after 3 tries``), then
  ``passed`` and ``total`` (one point an exercise), ``review`` (why the score needs a
  look before it counts, in a few words a spreadsheet can filter on: ``instructor
  edition``, ``solution seen``, ``choice passed after retries``) and ``flags`` (the
  details: a wrong lesson, a non-notebook file, another course version, a solution
  viewed, a run stopped). It is UTF-8 with a byte-order mark, so that Excel reads it as
  UTF-8, and a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return gets a leading ``'``, so that no spreadsheet runs a learner's name or a
  notebook's text as a formula.
* ``feedback/LEARNER.md``: per exercise its outcome, the cell, and what the check said.
* ``results/LEARNER.json``: Gradescope's autograder format (one test per exercise, one
  point each; https://gradescope-autograders.readthedocs.io/en/latest/specs/).

:mod:`tools.grade_store` writes them, learner by learner.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from tools.grade_run import REVEALING, Outcome

__all__ = [
    "Gradebook",
    "Graded",
    "csv_text",
    "feedback_markdown",
    "results_json",
    "review",
    "words",
]

FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what starts a formula in a spreadsheet cell
WORDS = {
    "passed": "passed",
    "tried": "tried",
    "not_attempted": "not attempted",
    "errored": "errored",
}


@dataclass
class Graded:
    """One submitted file: its learner, lesson, outcomes (None when not run) and flags."""

    learner: str
    name: str
    lesson: str | None = None
    outcomes: dict[str, Outcome] | None = None
    flags: list[str] = field(default_factory=list)
    problem: str | None = None
    seconds: float | None = None
    edition: str | None = None  # "student" or "instructor" (it holds the solutions)


@dataclass
class Gradebook:
    """Every learner's graded files, and the exercise columns (``"lesson00.name"``)."""

    columns: list[str]
    files: list[Graded]

    def learners(self) -> list[str]:
        return sorted({graded.learner for graded in self.files})

    def row(self, learner: str) -> dict[str, Outcome]:
        """The learner's outcome on every column (lessons with no notebook: not attempted)."""
        found = {}
        for graded in self.files:
            if graded.learner == learner and graded.outcomes is not None:
                for name, outcome in graded.outcomes.items():
                    found[f"{graded.lesson}.{name}"] = outcome
        return {
            column: found.get(
                column, Outcome("not_attempted", f"no notebook of {column.split('.')[0]} graded")
            )
            for column in self.columns
        }

    def flags(self, learner: str) -> list[str]:
        flags = []
        for graded in self.files:
            if graded.learner == learner:
                flags += [
                    f"{graded.name}: {text}" for text in [graded.problem, *graded.flags] if text
                ]
        row = self.row(learner)
        for call in REVEALING.values():
            seen = [column for column, outcome in row.items() if call in outcome.revealed]
            if seen:
                flags.append(f"{call} called for " + ", ".join(seen))
        return flags


def words(outcome: Outcome) -> str:
    """The outcome in words; a choice passed on a later try says after how many."""
    if outcome.status == "passed" and outcome.kind == "choice" and outcome.tries > 1:
        return f"passed after {outcome.tries} tries"
    return WORDS[outcome.status]


def review(book: Gradebook, learner: str) -> list[str]:
    """Why ``learner``'s score needs a look before it counts (short, for a filter)."""
    row = book.row(learner)
    run = [g for g in book.files if g.learner == learner and g.outcomes is not None]
    reasons = {
        "instructor edition": any(g.edition == "instructor" for g in run),
        "solution seen": any(o.revealed for o in row.values()),
        "choice passed after retries": any(
            words(o).startswith("passed after") for o in row.values()
        ),
    }
    return [reason for reason, found in reasons.items() if found]


def _safe(value: object) -> object:
    """A spreadsheet cell that cannot start a formula (``'`` before ``=``, ``+``, ...)."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA) else value


def csv_text(book: Gradebook) -> str:
    """``grades.csv``, byte-order mark first: a row per learner, a column per exercise,
    the totals, what to review and the flags."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["learner", *book.columns, "passed", "total", "review", "flags"])
    for learner in book.learners():
        row = book.row(learner)
        passed = sum(o.status == "passed" for o in row.values())
        cells = [words(row[c]) for c in book.columns]
        checks = ["; ".join(review(book, learner)), "; ".join(book.flags(learner))]
        writer.writerow([_safe(v) for v in [learner, *cells, passed, len(book.columns), *checks]])
    return "\ufeff" + text.getvalue()


def _said(outcome: Outcome) -> str:
    extra = []
    if outcome.hints:
        extra.append(f"{outcome.hints} hint{'s' * (outcome.hints > 1)} seen")
    if outcome.revealed:
        extra.append(f"{', '.join(outcome.revealed)} called")
    return "; ".join(extra)


def feedback_markdown(book: Gradebook, learner: str) -> str:
    """The learner's feedback: a heading per exercise, and what its check said."""
    row = book.row(learner)
    passed = sum(o.status == "passed" for o in row.values())
    files = [g.name for g in book.files if g.learner == learner]
    lines = [
        f"# Feedback for {learner}",
        "",
        f"{passed} of {len(row)} exercises passed, as the course's own checks said when your "
        f"notebook ran from the top in a fresh kernel (fast mode). Files: {', '.join(files)}.",
    ]
    flags = book.flags(learner)
    if flags:
        lines += ["", "Notes:", "", *[f"- {flag}" for flag in flags]]
    for column, outcome in row.items():
        where = f" (cell {outcome.cell})" if outcome.cell else ""
        lines += ["", f"## {column}: {words(outcome)}{where}", ""]
        if outcome.status != "passed":
            lines += ["    " + line for line in outcome.detail.splitlines()] or ["    -"]
        extra = _said(outcome)
        if extra:
            lines += ["", extra]
    return "\n".join(lines) + "\n"


def results_json(book: Gradebook, learner: str) -> dict:
    """The learner's results in Gradescope's autograder format."""
    row = book.row(learner)
    tests = []
    for number, (column, outcome) in enumerate(row.items(), start=1):
        where = f" (cell {outcome.cell})" if outcome.cell else ""
        text = "passed" if outcome.status == "passed" else outcome.detail
        extra = _said(outcome)
        tests.append(
            {
                "name": column,
                "number": str(number),
                "score": 1.0 if outcome.status == "passed" else 0.0,
                "max_score": 1.0,
                "status": "passed" if outcome.status == "passed" else "failed",
                "output": f"{words(outcome)}{where}: {text}" + (f"\n{extra}" if extra else ""),
            }
        )
    flags = book.flags(learner)
    output = "Graded by the course's own checks, run from the top in fast mode."
    if flags:
        output += "\n" + "\n".join(f"- {flag}" for flag in flags)
    return {
        "score": float(sum(t["score"] for t in tests)),
        "output": output,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
