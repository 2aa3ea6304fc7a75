"""What a submitted file is: a notebook of which lesson, of which course version, and how
far it strays from the student edition it started from.

* **The lesson** comes from the first cell that imports a lesson's exercises
  (``from course_utils.lessons.l00_start_here import exercises as ex``), never from the
  file name: a notebook that imports none (lesson 06's appendix ``06b_benchmark_race``
  has no exercises) is "no exercises: not graded", and never stands in for a graded
  one. A file name that names another lesson than the content is flagged, and so is a
  notebook of another lesson than the assignment's (``expected``): that one is not run.
* **The edition**: ``"instructor"`` when a code cell still holds ``# BEGIN SOLUTION``
  (the solutions), else ``"student"``.
* **The course version** comes from the first cell's ``COURSE_VERSION = "..."``; another
  version than the grader's is flagged, and so are checks of exercises this version does
  not have. Such a notebook is still run: the exercises both versions share are graded.
* **Its shape**, compared with the student edition's cells by their ids: cells deleted,
  added or reordered, and solution blocks left in (the instructor edition), are flagged.
  Flags inform the instructor; none of them changes an outcome.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import nbformat

from course_utils.exercises import exercises_in
from course_utils.lessons import rooms
from tools.grade_collect import LESSON_NAME, File

__all__ = [
    "Identity",
    "check_cells",
    "exercise_kinds",
    "identify",
    "lesson_exercises",
    "lesson_name",
]

ROOT = Path(__file__).resolve().parent.parent
STUDENT = ROOT / "student"
IMPORT = re.compile(
    r"from\s+course_utils\.lessons\.(l(\d\d)_\w+)\s+import\s+exercises\s+as\s+(\w+)"
)
VERSION = re.compile(r"""^COURSE_VERSION\s*=\s*["']([^"']+)["']""", re.MULTILINE)


@dataclass
class Identity:
    """A file as the grader reads it; ``problem`` (when set) says why it is not run."""

    lesson: str | None = None  # "lesson00"
    room: str | None = None  # "l00_start_here"
    alias: str | None = None  # the name the notebook imports the exercises as
    notebook: nbformat.NotebookNode | None = None
    edition: str | None = None  # "student", or "instructor" (it holds the solutions)
    problem: str | None = None
    flags: list[str] = field(default_factory=list)


def lesson_name(value: object) -> str:
    """``"lesson03"`` from ``3``, ``"03"``, ``"lesson03"`` or ``"03_vanishing..."``: one of
    the course's lessons (a number it has no lesson for is refused, naming those it has)."""
    text = str(value).strip().lower() if isinstance(value, int | str) else ""
    match = re.fullmatch(r"(?:lesson)?(\d{1,2})(?:[a-z]?_[a-z0-9_]*)?(?:\.ipynb)?", text)
    if isinstance(value, bool) or not match:
        raise ValueError(
            f"lesson must be a lesson number such as 0, '00' or 'lesson00'; got {value!r}."
        )
    number = f"{int(match.group(1)):02d}"
    known = sorted({room[1:3] for room in rooms()})
    if number not in known:
        raise ValueError(
            f"lesson must be one of the course's lessons ({', '.join(known)}); got {value!r}."
        )
    return f"lesson{number}"


@cache
def exercise_kinds(room: str) -> dict[str, str]:
    """``{name: kind}`` of the exercises of the lesson whose room is ``room``, in order,
    from the grader's own copy of the lesson (never from what a notebook recorded)."""
    module = importlib.import_module(f"course_utils.lessons.{room}.exercises")
    return {exercise.name: exercise.kind for exercise in exercises_in(module)}


def lesson_exercises(room: str) -> tuple[str, ...]:
    """The names of the exercises of the lesson whose room is ``room``, in order."""
    return tuple(exercise_kinds(room))


def _code(notebook) -> list[tuple[int, str]]:
    return [(i, c.source) for i, c in enumerate(notebook.cells) if c.cell_type == "code"]


def check_cells(notebook, name: str) -> list[int]:
    """Indexes of the code cells with an uncommented ``<anything>.NAME.check(`` line."""
    pattern = re.compile(rf"^[^#\n]*\.{re.escape(name)}\.check\(", re.MULTILINE)
    return [i for i, source in _code(notebook) if pattern.search(source)]


@cache
def _reference_ids(room: str) -> tuple[tuple[str, ...], ...]:
    """The cell ids of each student-edition notebook of ``room`` (06 and 06b share one)."""
    found = []
    for path in sorted(STUDENT.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        if any(room == m[0] for _, s in _code(notebook) for m in IMPORT.findall(s)):
            found.append(tuple(cell.get("id", "") for cell in notebook.cells))
    return tuple(found)


def _shape_flags(notebook, room: str) -> list[str]:
    ids = [cell.get("id", "") for cell in notebook.cells]
    references = _reference_ids(room)
    if not references:
        return []
    reference = max(references, key=lambda ref: len(set(ref) & set(ids)))
    kept = [i for i in ids if i in set(reference)]
    flags = []
    missing = len(set(reference) - set(ids))
    if not kept:
        return ["no cell of the student edition is left (cell ids differ: another editor?)"]
    if missing:
        flags.append(f"{missing} cell{'s' * (missing > 1)} of the student edition deleted")
    if kept != [i for i in reference if i in set(kept)]:
        flags.append("cells of the student edition reordered")
    if _has_solutions(notebook):
        flags.append("holds `# BEGIN SOLUTION` blocks: the instructor edition, not the student's")
    return flags


def _has_solutions(notebook) -> bool:
    return any("BEGIN SOLUTION" in source for _, source in _code(notebook))


def _read(file: File) -> tuple[nbformat.NotebookNode | None, str | None]:
    if file.problem:
        return None, file.problem
    try:
        notebook = nbformat.reads(file.data.decode("utf-8"), as_version=4)
    except Exception:  # any file at all: a PDF, a .py, a truncated download
        return None, "not a notebook (not JSON in Jupyter's notebook format)"
    if not isinstance(notebook.get("cells"), list):
        return None, "not a notebook (no cells)"
    return notebook, None


def identify(file: File, *, expected: str | None, version: str) -> Identity:
    """Read ``file``: its lesson (checked against ``expected``), its version and shape."""
    notebook, problem = _read(file)
    if problem:
        return Identity(problem=problem)
    found = [(room, alias) for _, s in _code(notebook) for room, _, alias in IMPORT.findall(s)]
    if not found:
        return Identity(problem="no exercises: not graded (no cell imports a lesson's exercises)")
    named = LESSON_NAME.search(Path(file.name).name)
    by_name = f"lesson{named.group(1)}" if named else None
    identity = Identity(notebook=notebook)
    identity.room, identity.alias = found[0]  # the first import, in the notebook's order
    identity.lesson = f"lesson{identity.room[1:3]}"
    identity.edition = "instructor" if _has_solutions(notebook) else "student"
    if len({room for room, _ in found}) > 1:
        identity.flags.append(f"imports several lessons' exercises: graded as {identity.lesson}")
    if by_name and by_name != identity.lesson:
        identity.flags.append(f"file name says {by_name}, the notebook is {identity.lesson}")
    if expected and identity.lesson != expected:
        identity.problem = f"wrong lesson: this is {identity.lesson}'s notebook, not {expected}'s"
        return identity
    match = next((VERSION.search(s) for _, s in _code(notebook)[:3] if VERSION.search(s)), None)
    if match and match.group(1) != version:
        identity.flags.append(f"course version {match.group(1)} (the grader's: {version})")
    known = set(lesson_exercises(identity.room))
    called = set(re.findall(rf"\b{re.escape(identity.alias)}\.(\w+)\.check\(", _all(notebook)))
    if called - known:
        unknown = ", ".join(sorted(called - known))
        identity.flags.append(f"checks exercises this course version does not have: {unknown}")
    identity.flags += _shape_flags(notebook, identity.room)
    return identity


def _all(notebook) -> str:
    return "\n".join(source for _, source in _code(notebook))
