"""The gradebook on disk, written learner by learner, and read back to resume.

As soon as a learner's notebooks are graded, :meth:`Store.save` writes their
``feedback/NAME.md`` and ``results/NAME.json``, then ``graded/NAME.json`` (everything the
grader knows about them, to rebuild the table), then ``grades.csv`` again with every
learner graded so far: a grader stopped midway (killed, a power cut) loses at most the
learners it was grading. Files are written to a temporary name and renamed, so none is
ever half written.

Run again into the same ``OUT``, the grader skips the learners ``graded/`` already holds
(``fresh=True``, ``--fresh``: it deletes the grader's own files there first, nothing
else). To regrade one learner, delete their ``graded/NAME.json``. ``OUT`` keeps one
assignment: grades of another lesson or course version there are refused.

``NAME`` is the learner's name as a file name (:func:`file_name`), made unique by a
number when two learners' names would give the same one ("a b" and "a_b": ``a_b`` and
``a_b-1``); a learner keeps their name across runs.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import re
import tempfile
from pathlib import Path

from tools.grade_report import Gradebook, Graded, csv_text, feedback_markdown, results_json
from tools.grade_run import Outcome

__all__ = ["FORMAT", "Store", "file_name", "unique_names"]

FORMAT = 1  # the format of graded/NAME.json
_OWN = (("graded", "*.json"), ("feedback", "*.md"), ("results", "*.json"), (".", "grades.csv"))


def file_name(learner: str) -> str:
    """A file name for ``learner`` (letters, digits, ``.``, ``_`` and ``-``)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", learner).strip("._") or "learner"


def unique_names(learners: list[str], taken: set[str]) -> dict[str, str]:
    """``{learner: file name}``, none of them in ``taken`` (compared without case) nor
    shared; ``taken`` gets the new names."""
    names = {}
    for learner in learners:
        base = file_name(learner)
        for number in itertools.count():
            name = base if number == 0 else f"{base}-{number}"
            if name.lower() not in taken:
                break
        taken.add(name.lower())
        names[learner] = name
    return names


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` in UTF-8 through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _graded_from(data: dict) -> Graded:
    outcomes = data.get("outcomes")
    if outcomes is not None:
        outcomes = {
            name: Outcome(**{**fields, "revealed": tuple(fields.get("revealed", ()))})
            for name, fields in outcomes.items()
        }
    return Graded(**{**data, "outcomes": outcomes})


class Store:
    """``out`` as the grader's gradebook for one assignment (``lesson``, or every lesson
    when None) of one course ``version``."""

    def __init__(self, out: Path, *, lesson: str | None, version: str, fresh: bool = False):
        self.out, self.lesson, self.version = out, lesson, version
        out.mkdir(parents=True, exist_ok=True)
        if fresh:
            for folder, pattern in _OWN:
                for path in (out / folder).glob(pattern):
                    path.unlink()
        self.names: dict[str, str] = {}  # learner -> file name
        self.done: dict[str, list[Graded]] = {}  # the learners graded in an earlier run
        for path in sorted((out / "graded").glob("*.json")):
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            learner, files = data["learner"], [_graded_from(g) for g in data["files"]]
        except Exception:  # not a record this grader wrote: that learner is graded again
            return
        if data.get("format") != FORMAT or not isinstance(learner, str):
            return
        if (data.get("lesson"), data.get("version")) != (self.lesson, self.version):
            raise ValueError(
                f"out holds grades of {data.get('lesson') or 'every lesson'} graded by course "
                f"version {data.get('version')} ({path.name}), not of "
                f"{self.lesson or 'every lesson'} by {self.version}: give another out, or "
                f"--fresh to regrade into it; got {str(self.out)!r}."
            )
        self.names[learner] = path.stem
        self.done[learner] = files

    def name_learners(self, learners: list[str]) -> None:
        """Give each learner without a name yet a unique one, in sorted order."""
        new = sorted(set(learners) - set(self.names))
        taken = {name.lower() for name in self.names.values()}
        self.names.update(unique_names(new, taken))

    def write_csv(self, book: Gradebook) -> None:
        _write(self.out / "grades.csv", csv_text(book))

    def save(self, book: Gradebook, learner: str, graded: list[Graded]) -> None:
        """Write ``learner``'s files (their ``graded`` notebooks are in ``book``), then the
        table with every learner graded so far."""
        name = self.names[learner]
        _write(self.out / "feedback" / f"{name}.md", feedback_markdown(book, learner))
        results = json.dumps(results_json(book, learner), indent=1, ensure_ascii=False)
        _write(self.out / "results" / f"{name}.json", results + "\n")
        record = {
            "format": FORMAT,
            "learner": learner,
            "lesson": self.lesson,
            "version": self.version,
            "files": [dataclasses.asdict(g) for g in graded],
        }
        _write(self.out / "graded" / f"{name}.json", json.dumps(record, indent=1) + "\n")
        self.write_csv(book)
