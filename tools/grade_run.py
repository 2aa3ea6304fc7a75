"""Run one submitted notebook and read what its checks said.

The notebook runs in a fresh kernel of this Python, in fast mode (``COURSE_FAST=1``), in
a new temporary folder holding only a copy of it (``HOME`` points there too), with a time
limit per cell and one for the whole notebook. Every code cell runs, in order, errors or
not (as nbgrader does); a cell past its limit, a dead kernel or the notebook's limit stops
the run. The kernel's checks append their outcomes to a log in that folder
(``COURSE_GRADER_LOG``, :mod:`course_utils.exercises.outcomes`): the grader never
re-checks an answer, it reads the log, even from a run stopped midway.

The kernel gets a minimal environment, not the grader's (no tokens, no ``JPY_*`` of a
Jupyter the grader runs in): ``PATH``, ``LANG``, ``TMPDIR``, ``HOME``, ``PYTHONPATH``
(the course, which the Gradescope bundle does not install), ``MPLBACKEND``, the
``COURSE_*`` settings the checks need, and the grader's ``COURSE_DATA_DIR``,
``COURSE_CACHE_DIR`` and ``COURSE_OFFLINE`` when set (datasets; every copy is checked
against its sha256); jupyter_client adds ``JPY_PARENT_PID`` (the grader's process, so
that the kernel ends with it). That keeps the grader's secrets out of the notebook's
environment, nothing more: the notebook still runs as the grader's user, can read
whatever that user can read, and can change the course's code and virtual environment
on disk (:mod:`tools.grade` says which container stops that).

Each exercise of the lesson gets one :class:`Outcome`:

* ``passed``: a check of it said correct (or noted, for an ungraded reflection);
* ``tried``: its checks ran and none passed; the detail is the last check's diagnosis;
* ``not_attempted``: its check ran on the stub as shipped, or no cell calls its check;
* ``errored``: no check of it ran because its cell raised (the detail names the cell
  and the error) or the run stopped before it (the detail says why).

``hints`` and ``revealed`` are what the run's own calls of ``hint()``, ``solution()``,
``reference_answer()`` and ``solution_code()`` recorded; ``tries`` counts its checks up to
the first that passed (a choice passed after several tries may have been guessed).
These are what an honest notebook tells: a solution seen in another session, copied,
or read from the exercise's attributes leaves no trace, and a learner who edits or
bypasses the checker in their notebook can forge all of it (see :mod:`tools.grade`).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tools.grade_identify import Identity, check_cells, exercise_kinds

__all__ = ["Outcome", "REVEALING", "Run", "run_notebook"]

ROOT = Path(__file__).resolve().parent.parent
OUTCOMES = ("passed", "tried", "not_attempted", "errored")
#: The recorded events that show an answer, and the call each one is.
REVEALING = {
    "solution": "solution()",
    "reference_answer": "reference_answer()",
    "solution_code": "solution_code()",
}
PASSING = ("correct", "noted")


@dataclass
class Outcome:
    """One exercise of one submission."""

    status: str  # one of OUTCOMES
    detail: str
    cell: int | None = None  # 1-based, in the submitted notebook
    hints: int = 0
    revealed: tuple[str, ...] = ()  # the calls of REVEALING made in the run
    tries: int = 0  # checks (not of the stub) up to the first that passed, or all of them
    kind: str = ""  # the exercise's kind ("choice", "value", ...)


@dataclass
class Run:
    """What running one notebook gave: an outcome per exercise, notes, the time it took."""

    outcomes: dict[str, Outcome]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


#: The grader's variables a kernel inherits, when set; nothing else of its environment.
#: (SYSTEMROOT: Python on Windows cannot start without it.)
INHERITED = ("PATH", "LANG", "TMPDIR", "SYSTEMROOT")
INHERITED += ("COURSE_DATA_DIR", "COURSE_CACHE_DIR", "COURSE_OFFLINE")


def _kernel_env(folder: Path, log: Path) -> dict[str, str]:
    env = {name: os.environ[name] for name in INHERITED if os.environ.get(name)}
    env.setdefault("PATH", os.defpath)
    env.setdefault("LANG", "C.UTF-8")
    env.update(
        COURSE_FAST="1",
        COURSE_RECORD="off",  # the learner's progress file is not the grader's business
        COURSE_PROGRESS="off",  # no progress bars
        COURSE_GRADER_LOG=str(log),
        HOME=str(folder),
        USERPROFILE=str(folder),  # Windows' home
        MPLBACKEND="Agg",
        PYTHONPATH=str(ROOT),
    )
    return env


def _error_text(cell) -> str | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output.get('ename')}: {str(output.get('evalue'))[:300]}"
    return None


def _execute(notebook, folder: Path, env, cell_limit: float, notebook_limit: float):
    """Run the cells; return ``{index: error or None}`` for those that ran, why it stopped
    (or None) and ``{execution_count: index}``."""
    from jupyter_client.manager import AsyncKernelManager  # the grader's own dependencies
    from jupyter_core.utils import run_sync
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    # an async manager: with a blocking one, nbclient waits for output forever and its
    # per-cell timeout never fires (an endless loop would hang the grader)
    manager = AsyncKernelManager(kernel_name="python3")
    manager.kernel_spec.argv[0] = sys.executable  # a kernel of the grader's Python
    client = NotebookClient(
        notebook, km=manager, allow_errors=True, timeout=cell_limit, resources={}
    )
    client.resources = {"metadata": {"path": str(folder)}}
    ran, counts, stopped = {}, {}, None
    start = time.monotonic()
    try:
        with client.setup_kernel(env=env, cwd=str(folder)):
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type != "code":
                    continue
                left = notebook_limit - (time.monotonic() - start)
                if left <= 0:
                    stopped = f"the notebook's time limit ({notebook_limit:g} s) was reached before cell {index + 1}"
                    break
                client.timeout = max(1, int(min(cell_limit, left)))
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    limit = "its per-cell" if client.timeout >= cell_limit else "the notebook's"
                    stopped = f"cell {index + 1} ran past {limit} time limit (an endless loop?)"
                    ran[index] = "stopped: time limit"
                    break
                except DeadKernelError:
                    stopped = (
                        f"the kernel died in cell {index + 1} (out of memory, or the code ended it)"
                    )
                    ran[index] = "the kernel died"
                    break
                ran[index] = _error_text(cell)
                if isinstance(cell.get("execution_count"), int):
                    counts[cell.execution_count] = index
                cell.outputs = []  # only errors matter, and they are read
    except Exception as error:  # the kernel did not start, or nbclient failed
        stopped = stopped or f"the run failed: {type(error).__name__}: {str(error)[:200]}"
    finally:
        if manager.has_kernel:
            run_sync(manager.shutdown_kernel)(now=True)
    return ran, stopped, counts


def _events(log: Path, lesson: str) -> list[dict]:
    if not log.exists():
        return []
    events = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue  # a line the learner's code mangled
        if isinstance(event, dict) and event.get("lesson") == lesson:
            events.append(event)
    return events


def _revealed(mine: list[dict]) -> tuple[str, ...]:
    """The revealing calls among an exercise's events (``solution_seen`` is solution())."""
    events = {e.get("event") for e in mine} | {"solution" for e in mine if e.get("solution_seen")}
    return tuple(call for event, call in REVEALING.items() if event in events)


def _tries(checks: list[dict]) -> int:
    graded = [e for e in checks if e.get("status") != "not_attempted"]
    return next((n for n, e in enumerate(graded, 1) if e.get("status") in PASSING), len(graded))


def _outcome(name: str, kind: str, events: list[dict], identity: Identity, ran, stopped, counts):
    mine = [e for e in events if e.get("exercise") == name]
    checks = [e for e in mine if e.get("event") == "check"]
    hints = max([int(e.get("hints") or 0) for e in mine] or [0])
    revealed, tries = _revealed(mine), _tries(checks)

    def cell_of(event):
        index = counts.get(event.get("cell"))
        return None if index is None else index + 1

    def made(status, detail, cell=None):
        return Outcome(status, detail, cell, hints, revealed, tries, kind)

    passing = [e for e in checks if e.get("status") in PASSING]
    failing = [e for e in checks if e.get("status") in ("incorrect", "error")]
    if passing:
        return made("passed", "passed", cell_of(passing[-1]))
    if failing:
        return made("tried", failing[-1].get("text", ""), cell_of(failing[-1]))
    if checks:
        cell = cell_of(checks[-1])
        return made("not_attempted", "its check ran on the unanswered stub", cell)
    cells = check_cells(identity.notebook, name)
    if not cells:
        return made("not_attempted", f"no cell calls `{identity.alias}.{name}.check(...)`")
    for index in cells:
        if ran.get(index):
            return made("errored", f"cell {index + 1} raised {ran[index]}", index + 1)
    if any(index not in ran for index in cells):
        return made("errored", f"not run: {stopped}", cells[0] + 1)
    return made("not_attempted", f"cell {cells[0] + 1} ran, but no check of {name} did")


def run_notebook(identity: Identity, *, cell_limit: float, notebook_limit: float) -> Run:
    """Run ``identity.notebook`` in a temporary copy and return each exercise's outcome."""
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="grade-"))
    try:
        notebook = identity.notebook
        nbformat.write(notebook, folder / "submission.ipynb")
        log = folder / "outcomes.jsonl"
        env = _kernel_env(folder, log)
        ran, stopped, counts = _execute(notebook, folder, env, cell_limit, notebook_limit)
        events = _events(log, identity.lesson)
        outcomes = {
            name: _outcome(name, kind, events, identity, ran, stopped, counts)
            for name, kind in exercise_kinds(identity.room).items()
        }
        raised = [
            f"cell {index + 1} raised {error.split(':')[0]}"
            for index, error in sorted(ran.items())
            if error and not error.startswith(("stopped:", "the kernel died"))
        ]
        notes = raised[:5] + [f"and {len(raised) - 5} more cells raised"] * (len(raised) > 5)
        notes += [f"stopped: {stopped}"] if stopped else []
        return Run(outcomes, notes, time.monotonic() - started)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
