"""Grade a folder of submitted student-edition notebooks with the course's own checks.

    python -m tools.grade SUBMISSIONS --out OUT [--lesson 00] [--jobs 2] [--fresh]
    make grade SUBMISSIONS=dir OUT=dir [LESSON=00] [JOBS=2] [FRESH=1]
    python -m tools.grade /home --hub --lesson 03 --out room   # a JupyterHub's learners

Each notebook runs from the top in a fresh kernel, in fast mode, in a temporary copy,
with a time limit per cell and per notebook (:mod:`tools.grade_run`); the grader reads
the outcome every ``check()`` recorded (passed, tried, not attempted, errored) and
writes ``OUT/grades.csv``, ``OUT/feedback/LEARNER.md`` and Gradescope's
``OUT/results/LEARNER.json`` (:mod:`tools.grade_report`), each learner's as soon as they
are graded; a rerun skips the learners already in ``OUT`` (:mod:`tools.grade_store`).
Who sent which file: :mod:`tools.grade_collect`; which lesson, version and edition a file
is: :mod:`tools.grade_identify`; which of a learner's copies is graded: :func:`choose`.

One bad submission never stops the batch: a file that is not a notebook, a notebook of
another lesson (with ``--lesson``), one that raises or loops, each gets its row and says
why. The exit status is 0 whatever the submissions did; 2 for a wrong command line.

Trust. The outcomes are what the learner's own kernel recorded, so a learner who edits
or bypasses the checker in their notebook can forge a pass: write the grader's log
(its path is in the kernel's environment), replace an exercise's check
(``ex.NAME._evaluate = ...``), pass ``ex.NAME.reference_answer()`` to ``check()``, try
every label of a choice, or hide ``solution()`` from the log. In-kernel grading cannot
be made tamper-proof; the grader reports what an honest notebook leaves (tries before a
pass, calls of ``solution()``, ``reference_answer()`` and ``solution_code()``: the
``review`` column) and is meant for formative feedback and an honest class's
gradebook. For credit, review the flagged rows and do not take a score as proof.

It also runs the learners' code with the rights of whoever runs it. The kernel gets a
minimal environment and a temporary folder, which keeps the grader's secrets out of its
environment and other submissions out of its relative paths, not out of its reach: a
notebook can read whatever the grader's user can read and change the course's code, its
virtual environment and the gradebook on disk. Never grade as root (nor with ``sudo``);
run it as an unprivileged user who can read the submissions, and for a real class in a
container as its own user, as nbgrader's and otter-grader's documentation advise: e.g.
the course's Binder image, built from the repository's root (``repo2docker --no-run
--user-id 1000 --user-name jovyan --image-name rnn-course .``, which reads
``binder/``), run with ``docker run --rm
--network none --user 1000 -v "$PWD/subs:/subs:ro" -v "$PWD/out:/out" rnn-course python
-m tools.grade /subs --out /out``. Submissions graded in one container still share it;
one container per learner (as Gradescope runs each submission, :mod:`tools.gradescope`)
keeps learners from each other too.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import course_utils
from tools.grade_collect import File, collect
from tools.grade_identify import Identity, identify, lesson_exercises, lesson_name
from tools.grade_report import Gradebook, Graded
from tools.grade_run import run_notebook
from tools.grade_store import Store

__all__ = ["CELL_LIMIT", "NOTEBOOK_LIMIT", "choose", "grade", "main"]

CELL_LIMIT = 600  # seconds a cell may run (fast mode; the slowest lesson cell is far below)
NOTEBOOK_LIMIT = 1800  # seconds a whole notebook may run
NOTHING = "nothing was submitted: upload the lesson's notebook (the .ipynb file)"


def choose(files: list[File], identities: list[Identity]) -> dict[int, str]:
    """Which of a learner's notebooks of one lesson is graded: ``{index: why not}`` for
    the others. The student edition goes before the instructor edition (it holds the
    solutions), whatever their times; between copies of one edition, the newest; two
    with the same time, the first by name."""
    groups = defaultdict(list)
    for index, (file, identity) in enumerate(zip(files, identities, strict=True)):
        if identity.problem is None:
            groups[(file.learner, identity.lesson)].append(index)
    why = {}
    for (_, lesson), indexes in groups.items():
        best, *others = sorted(
            indexes,
            key=lambda i: (identities[i].edition != "student", -files[i].modified, files[i].name),
        )
        kept = files[best].name
        for index in others:
            if identities[index].edition != identities[best].edition:
                why[index] = (
                    f"the instructor edition of {lesson} (it holds the solutions): {kept}, "
                    "the student edition, is graded instead"
                )
            elif files[index].modified == files[best].modified:
                why[index] = f"two copies of {lesson} with the same time: {kept} is graded"
            else:
                why[index] = f"an older copy of {lesson} than {kept}: not graded"
    return why


def _grade_file(file: File, identity: Identity, skipped: str | None, limits) -> Graded:
    graded = Graded(file.learner, file.name, identity.lesson, None, identity.flags)
    graded.problem, graded.edition = identity.problem or skipped, identity.edition
    if graded.problem is None:
        try:
            run = run_notebook(identity, cell_limit=limits[0], notebook_limit=limits[1])
        except Exception as error:  # one bad submission never stops the batch
            graded.problem = f"the grader could not run it ({type(error).__name__}: {error})"
            return graded
        graded.outcomes, graded.seconds = run.outcomes, run.seconds
        graded.flags = [*graded.flags, *run.notes]
    return graded


def _identify(file: File, expected: str | None) -> Identity:
    try:
        return identify(file, expected=expected, version=course_utils.__version__)
    except Exception as error:  # a notebook malformed in a way nbformat let through
        return Identity(problem=f"not a readable notebook ({type(error).__name__}: {error})")


def _check_arguments(submissions: Path, out: Path, cell_limit, notebook_limit, jobs) -> None:
    if out == submissions or submissions in out.parents:
        raise ValueError(f"out must lie outside the submissions folder; got {str(out)!r}.")
    for name, value in (("cell_limit", cell_limit), ("notebook_limit", notebook_limit)):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError(f"{name} must be a positive number of seconds; got {value!r}.")
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a whole number of at least 1; got {jobs!r}.")


def _columns(identities: list[Identity], expected: str | None) -> list[str]:
    rooms = {i.lesson: i.room for i in identities if i.problem is None}
    if expected:
        rooms = {expected: rooms.get(expected) or _room(expected)}
    return [
        f"{lesson}.{name}" for lesson in sorted(rooms) for name in lesson_exercises(rooms[lesson])
    ]


def grade(
    submissions: Path | str,
    out: Path | str,
    *,
    lesson: object = None,
    cell_limit: float = CELL_LIMIT,
    notebook_limit: float = NOTEBOOK_LIMIT,
    jobs: int = 1,
    hub: bool = False,
    learner: str | None = None,
    fresh: bool = False,
    echo=print,
) -> Gradebook:
    """Grade every file under ``submissions`` into ``out``, learner by learner; learners
    ``out`` already holds are kept and skipped unless ``fresh`` (:mod:`tools.grade_store`)."""
    submissions, out = Path(submissions).resolve(), Path(out).resolve()
    _check_arguments(submissions, out, cell_limit, notebook_limit, jobs)
    expected = None if lesson is None else lesson_name(lesson)
    files = collect(submissions, hub=hub)
    if learner is not None:  # one submission (Gradescope's): every file is this learner's
        files = [File(learner, f.name, f.data, f.modified, f.problem) for f in files]
        files = files or [File(learner, "(no file)", None, 0.0, NOTHING)]
    if not files:
        echo(f"{submissions}: no submissions found")
    identities = [_identify(file, expected) for file in files]
    skipped = choose(files, identities)
    store = Store(out, lesson=expected, version=course_utils.__version__, fresh=fresh)
    mine = defaultdict(list)  # learner -> indexes of their files
    for index, file in enumerate(files):
        mine[file.learner].append(index)
    store.name_learners(list(mine))
    book = Gradebook(_columns(identities, expected), [g for f in store.done.values() for g in f])
    store.write_csv(book)
    todo = [name for name in sorted(mine) if name not in store.done]
    for name in sorted(set(mine) - set(todo)):
        echo(f"{name}: already graded in {out} (kept; --fresh grades everyone again)")

    def work(name: str) -> list[Graded]:
        limits = (cell_limit, notebook_limit)
        return [_grade_file(files[i], identities[i], skipped.get(i), limits) for i in mine[name]]

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        running = {pool.submit(work, name): name for name in todo}
        for done in as_completed(running):
            graded_files = done.result()
            book.files += graded_files
            store.save(book, running[done], graded_files)  # now: a stop loses no one else
            for graded in graded_files:
                seconds = f" in {graded.seconds:.1f} s" if graded.seconds is not None else ""
                echo(f"{graded.name} ({graded.learner}): {graded.problem or 'graded'}{seconds}")
    echo(f"{len(book.learners())} learners, {len(book.columns)} exercises: {out / 'grades.csv'}")
    return book


def _room(lesson: str) -> str:
    from course_utils.lessons import rooms  # the rooms are listed only when a lesson is named

    return next(room for room in rooms() if room[1:3] == lesson[-2:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.grade", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "submissions", type=Path, help="the folder of submitted files (or of homes, with --hub)"
    )
    parser.add_argument("--out", type=Path, required=True, help="where the gradebook goes")
    parser.add_argument(
        "--lesson", help="the assignment's lesson (e.g. 00): other lessons are flagged, not run"
    )
    parser.add_argument("--cell-timeout", type=float, default=CELL_LIMIT, help="seconds per cell")
    parser.add_argument(
        "--notebook-timeout", type=float, default=NOTEBOOK_LIMIT, help="seconds per notebook"
    )
    parser.add_argument("--jobs", type=int, default=1, help="notebooks run at once (default 1)")
    parser.add_argument(
        "--hub", action="store_true", help="SUBMISSIONS holds JupyterHub homes (nbgitpuller layout)"
    )
    parser.add_argument(
        "--learner", help="every file is this learner's (Gradescope: one submission)"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="grade everyone again (default: skip those in OUT)"
    )
    args = parser.parse_args(argv)
    try:
        grade(
            args.submissions,
            args.out,
            lesson=args.lesson,
            cell_limit=args.cell_timeout,
            notebook_limit=args.notebook_timeout,
            jobs=args.jobs,
            hub=args.hub,
            learner=args.learner,
            fresh=args.fresh,
        )
    except (TypeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
