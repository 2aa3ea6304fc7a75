"""Build a Gradescope autograder bundle for one lesson.

    python -m tools.gradescope --lesson 00 --out build/gradescope/lesson00.zip
    make gradescope LESSON=00

Upload the zip as the assignment's autograder ("Zip file upload"). Gradescope unpacks it
into ``/autograder/source``, runs ``setup.sh`` once to build the image, then, for each
submission in a fresh container of that image, ``run_autograder``, which grades
``/autograder/submission`` with :mod:`tools.grade` (the learner is "submission") and
copies that learner's ``results.json`` to ``/autograder/results/``. The zip holds:

* ``setup.sh``: installs uv, a Python 3.11 of its own and the course's locked packages
  (``requirements.txt``, the Binder lock ``binder/requirements.txt``) into
  ``/autograder/venv``; it needs the network, as Gradescope's image build has;
* ``run_autograder``: the grading command, with the lesson and the time limits (a
  submission with no notebook gets a score of 0 and a message that says so);
* ``requirements.txt``, and ``course/``: ``course_utils``, the committed results
  (``benchmarks/results``), the grader's modules and the lesson's student edition.

The limits fit Gradescope's defaults: it stops an autograder after 10 minutes (its
"Autograder timeout", up to 40 minutes in the assignment's settings), so the notebook
may run 480 s and a cell 300 s, which leaves the rest for the grader to start and write
the results; with a longer Gradescope timeout, pass ``--notebook-timeout`` that timeout
less two minutes. Its default container (768 MB, half a CPU) is likely too small for
TensorFlow: see "Gradescope" in notebooks/INSTRUCTORS.md.

Each submission runs in its own container, so a submission cannot read or change
another's, nor the grader's files of another run. That protects the other learners, not
a learner's own score: the notebook runs in the container with the grader, and a learner
who edits or bypasses the checks in their notebook can forge their results (see "What
the checks cannot know" in notebooks/INSTRUCTORS.md). The bytes are the same on every
build (sorted members, fixed dates), so a bundle can be compared with the last one
uploaded.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

from tools.grade_identify import lesson_name

__all__ = ["bundle_files", "main", "write_bundle"]

ROOT = Path(__file__).resolve().parent.parent
GRADER = ("__init__.py", "grade.py", "grade_collect.py", "grade_identify.py")
GRADER += ("grade_report.py", "grade_run.py", "grade_store.py")

SETUP = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
set -euo pipefail
apt-get update -q
apt-get install -y -q curl ca-certificates
curl -LsSf https://astral.sh/uv/install.sh | env UV_INSTALL_DIR=/autograder/uv sh
/autograder/uv/uv venv --python 3.11 /autograder/venv
/autograder/uv/uv pip install --python /autograder/venv/bin/python \\
    -r /autograder/source/requirements.txt
"""

RUN = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission, in a fresh container: grade it with the
# course's own checks, then hand Gradescope the results.
set -euo pipefail
AUTOGRADER="${{AUTOGRADER:-/autograder}}"
cd "$AUTOGRADER/source/course"
"$AUTOGRADER/venv/bin/python" -m tools.grade "$AUTOGRADER/submission" \\
    --out "$AUTOGRADER/grading" --lesson {lesson} --learner submission \\
    --cell-timeout {cell} --notebook-timeout {notebook}
mkdir -p "$AUTOGRADER/results"
cp "$AUTOGRADER/grading/results/submission.json" "$AUTOGRADER/results/results.json"
"""


def _course_files(lesson: str) -> dict[str, Path]:
    """``{name in the zip: file here}`` for the course's part of the bundle."""
    files = {}
    for path in sorted((ROOT / "course_utils").rglob("*")):  # modules and package data
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files[f"course/{path.relative_to(ROOT).as_posix()}"] = path
    for path in sorted((ROOT / "benchmarks" / "results").glob("*.json")):
        files[f"course/benchmarks/results/{path.name}"] = path
    for name in GRADER:
        files[f"course/tools/{name}"] = ROOT / "tools" / name
    for path in sorted((ROOT / "student").glob(f"{lesson[-2:]}*_*.ipynb")):
        files[f"course/student/{path.name}"] = path
    files["course/LICENSE"] = ROOT / "LICENSE"
    files["requirements.txt"] = ROOT / "binder" / "requirements.txt"
    return files


CELL_LIMIT = 300  # seconds a cell may run
NOTEBOOK_LIMIT = 480  # seconds the notebook may run: within Gradescope's default 10 minutes


def bundle_files(
    lesson: object, *, cell_limit: int = CELL_LIMIT, notebook_limit: int = NOTEBOOK_LIMIT
) -> dict:
    """``{name in the zip: bytes}`` of the bundle for ``lesson`` (its two scripts first)."""
    lesson = lesson_name(lesson)
    for name, value in (("cell_limit", cell_limit), ("notebook_limit", notebook_limit)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive whole number of seconds; got {value!r}.")
    run = RUN.format(lesson=lesson[-2:], cell=cell_limit, notebook=notebook_limit)
    files = {"setup.sh": SETUP.encode(), "run_autograder": run.encode()}
    files.update({name: path.read_bytes() for name, path in _course_files(lesson).items()})
    return files


def write_bundle(lesson: object, out: Path | str, **limits) -> list[str]:
    """Write the bundle for ``lesson`` to ``out`` (a .zip); return its member names."""
    out = Path(out)
    if out.suffix != ".zip":
        raise ValueError(f"out must be a .zip file; got {str(out)!r}.")
    files = bundle_files(lesson, **limits)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            executable = name in {"setup.sh", "run_autograder"}
            info.external_attr = (0o755 if executable else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return sorted(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.gradescope", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--lesson", required=True, help="the lesson to grade, e.g. 00")
    parser.add_argument("--out", type=Path, help="the zip (default build/gradescope/lessonNN.zip)")
    parser.add_argument("--cell-timeout", type=int, default=CELL_LIMIT, help="seconds per cell")
    parser.add_argument(
        "--notebook-timeout",
        type=int,
        default=NOTEBOOK_LIMIT,
        help="seconds per notebook (default 480: Gradescope stops everything after 600)",
    )
    args = parser.parse_args(argv)
    try:
        out = args.out or ROOT / "build" / "gradescope" / f"{lesson_name(args.lesson)}.zip"
        names = write_bundle(
            args.lesson, out, cell_limit=args.cell_timeout, notebook_limit=args.notebook_timeout
        )
    except (TypeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{out}: {len(names)} files (setup.sh, run_autograder, requirements.txt, course/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
