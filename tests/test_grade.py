"""The grader (tools/grade.py) on a simulated class, built from lesson 00's student edition.

Lesson 00 is the fastest lesson in fast mode (about 20 s a run on 2 busy cores). The
class, graded once (slow: five kernels, one of them stopped by the per-cell limit):

* alice: every solution pasted, as tests/test_every_exercise.py pastes them;
* bob: a typical mistake in every exercise (the exercises' own declared mistakes);
* carol: two exercises done, after calling ``solution()`` once; an older course version
  (another ``COURSE_VERSION``, a check of an exercise this version lacks), cells
  deleted and reordered;
* dan: his first cell raises, one stub raises a NameError, one exercise done;
* eve: one exercise done, then a cell that loops forever;
* frank: lesson 01's notebook, saved under lesson 00's name (wrong lesson: not run);
* erin: a text file.

The CSV and Gradescope's results.json are asserted exactly; the diagnoses in them are
what the same exercises say to the same answers in this process.
"""

from __future__ import annotations

import codecs
import copy
import csv
import io
import json
import zipfile
from pathlib import Path

import nbformat
import pytest
from test_every_exercise import EXERCISES, layout, paste  # the all-exercise test's pasting

from tools.grade import choose, grade, main
from tools.grade_collect import File, collect, learner_of
from tools.grade_identify import Identity, check_cells, identify, lesson_name
from tools.grade_report import Gradebook, Graded, csv_text, feedback_markdown
from tools.grade_run import Outcome, _kernel_env, _outcome
from tools.grade_store import unique_names
from tools.gradescope import bundle_files, write_bundle
from tools.student import ANSWER_STUB, RAISE_STUB

ROOT = Path(__file__).resolve().parent.parent
STUDENT = ROOT / "student" / "00_start_here.ipynb"
NAMES = [
    "sequence_shape",
    "count_rnn_params",
    "weights_over_time",
    "memoryless_accuracy",
    "window_vs_state",
]
COLUMNS = [f"lesson00.{name}" for name in NAMES]
CELL_LIMIT = 40  # seconds; lesson 00's slowest cell takes about 7 s on 2 busy cores


def _wrong_count(input_size, hidden_size):
    return hidden_size * (input_size + hidden_size)


#: bob's answers: the first declared mistake of each exercise, as code in its stub.
WRONG = {
    "sequence_shape": ((50, 32, 100), "shape_answer = (50, 32, 100)"),
    "count_rnn_params": (
        _wrong_count,
        "def count_rnn_params(input_size, hidden_size):\n"
        "    return hidden_size * (input_size + hidden_size)",
    ),
    "weights_over_time": ("b", 'choice = "b"'),
    "memoryless_accuracy": (0.5, "accuracy_guess = 0.5"),
    "window_vs_state": (
        "The RNN is just a window model with a longer, bigger window.",
        'my_answer = "The RNN is just a window model with a longer, bigger window."',
    ),
}


def _student():
    return nbformat.read(STUDENT, as_version=4)


def _stub(name):
    return layout("lesson00")[name]["stub"]


def _solve(notebook, name):
    cell = notebook.cells[_stub(name)]
    cell.source = paste(cell.source, EXERCISES[f"lesson00.{name}"])


def _answer(notebook, name, code):
    """Put ``code`` in place of the stub (a whole ``def``, or the ``name = ...`` line)."""
    cell = notebook.cells[_stub(name)]
    lines = cell.source.splitlines()
    if any(RAISE_STUB in line for line in lines):
        start = next(i for i, line in enumerate(lines) if line.startswith("def "))
        end = next(i for i, line in enumerate(lines) if RAISE_STUB in line)
        lines[start : end + 1] = code.splitlines()
    else:
        at = next(i for i, line in enumerate(lines) if line.rstrip().endswith(ANSWER_STUB))
        lines[at] = code
    cell.source = "\n".join(lines)


def build_class(folder: Path) -> dict[str, nbformat.NotebookNode]:
    """Write the class into ``folder``; return each learner's notebook as submitted."""
    notebooks = {}
    alice = _student()
    for name in NAMES:
        _solve(alice, name)
    notebooks["alice"] = alice

    bob = _student()
    for name in NAMES:
        _answer(bob, name, WRONG[name][1])
    notebooks["bob"] = bob

    carol = _student()
    _solve(carol, "sequence_shape")
    _solve(carol, "count_rnn_params")
    carol.cells[_stub("sequence_shape") + 1].source = "ex.sequence_shape.solution()"
    carol.cells[3].source = carol.cells[3].source.replace('"0.1.0"', '"0.0.9"')
    stub = _stub("window_vs_state")  # now a check of an exercise this version lacks
    carol.cells[stub].source = 'ex.state_vs_window.check("an older exercise")'
    del carol.cells[stub - 1]  # its question()
    carol.cells[0], carol.cells[1] = carol.cells[1], carol.cells[0]
    notebooks["carol"] = carol

    dan = _student()
    dan.cells[3].source = 'raise RuntimeError("my setup is broken")\n' + dan.cells[3].source
    _answer(dan, "sequence_shape", "shape_answer = (batch, 50, 100)")
    _solve(dan, "count_rnn_params")
    notebooks["dan"] = dan

    eve = _student()
    _solve(eve, "sequence_shape")
    eve.cells[_stub("sequence_shape") + 1].source = "while True:\n    pass"
    notebooks["eve"] = eve

    for learner, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{learner}_00_start_here.ipynb")
    elman = ROOT / "student" / "01_elman_networks.ipynb"
    (folder / "frank_00_start_here.ipynb").write_bytes(elman.read_bytes())
    (folder / "erin.txt").write_text("I could not open Jupyter, here is my answer: (32, 50, 100)\n")
    return notebooks


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    submissions = tmp_path_factory.mktemp("submissions")
    out = tmp_path_factory.mktemp("gradebook")
    notebooks = build_class(submissions)
    book = grade(submissions, out, lesson="00", cell_limit=CELL_LIMIT, jobs=2, echo=print)
    return notebooks, book, out


EXPECTED_CSV = """\
learner,lesson00.sequence_shape,lesson00.count_rnn_params,lesson00.weights_over_time,\
lesson00.memoryless_accuracy,lesson00.window_vs_state,passed,total,review,flags
alice,passed,passed,passed,passed,passed,5,5,,
bob,tried,tried,tried,tried,tried,0,5,,
carol,passed,passed,not attempted,not attempted,not attempted,2,5,solution seen,\
carol_00_start_here.ipynb: course version 0.0.9 (the grader's: 0.1.0); \
carol_00_start_here.ipynb: checks exercises this course version does not have: \
state_vs_window; \
carol_00_start_here.ipynb: 1 cell of the student edition deleted; \
carol_00_start_here.ipynb: cells of the student edition reordered; \
carol_00_start_here.ipynb: cell 41 raised AttributeError; \
solution() called for lesson00.sequence_shape
dan,errored,passed,not attempted,not attempted,not attempted,1,5,,\
dan_00_start_here.ipynb: cell 4 raised RuntimeError; \
dan_00_start_here.ipynb: cell 16 raised NameError
erin,not attempted,not attempted,not attempted,not attempted,not attempted,0,5,,\
erin.txt: not a notebook (not JSON in Jupyter's notebook format)
eve,passed,errored,errored,errored,errored,1,5,,\
eve_00_start_here.ipynb: stopped: cell 17 ran past its per-cell time limit (an endless loop?)
frank,not attempted,not attempted,not attempted,not attempted,not attempted,0,5,,\
"frank_00_start_here.ipynb: wrong lesson: this is lesson01's notebook, not lesson00's; \
frank_00_start_here.ipynb: file name says lesson00, the notebook is lesson01"
"""


@pytest.mark.slow
def test_the_class_table_is_exactly_what_the_checks_said(graded_class):
    _, _, out = graded_class
    assert (out / "grades.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 for Excel
    assert (out / "grades.csv").read_text(encoding="utf-8-sig") == EXPECTED_CSV


def _check_cell(notebook, name) -> int:
    return check_cells(notebook, name)[0] + 1


def _expected_results(tests_output: list[str], flags: list[str]) -> dict:
    tests = [
        {
            "name": column,
            "number": str(number),
            "score": 1.0 if output.startswith("passed") else 0.0,
            "max_score": 1.0,
            "status": "passed" if output.startswith("passed") else "failed",
            "output": output,
        }
        for number, (column, output) in enumerate(zip(COLUMNS, tests_output, strict=True), 1)
    ]
    output = "Graded by the course's own checks, run from the top in fast mode."
    output += "".join(f"\n- {flag}" for flag in flags)
    return {
        "score": float(sum(t["score"] for t in tests)),
        "output": output,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


@pytest.mark.slow
def test_results_json_for_gradescope_is_exact(graded_class):
    notebooks, _, out = graded_class
    alice = notebooks["alice"]
    expected = [f"passed (cell {_check_cell(alice, name)}): passed" for name in NAMES]
    assert json.loads((out / "results" / "alice.json").read_text()) == _expected_results(
        expected, []
    )
    bob = notebooks["bob"]
    expected = []
    for name in NAMES:
        exercise = copy.deepcopy(EXERCISES[f"lesson00.{name}"])
        exercise.reset_progress()
        said = exercise.evaluate(WRONG[name][0]).text()
        expected.append(f"tried (cell {_check_cell(bob, name)}): {said}")
    assert json.loads((out / "results" / "bob.json").read_text()) == _expected_results(expected, [])
    frank = json.loads((out / "results" / "frank.json").read_text())
    assert frank["score"] == 0.0 and "wrong lesson" in frank["output"]
    assert [t["output"] for t in frank["tests"]] == [
        "not attempted: no notebook of lesson00 graded"
    ] * 5


@pytest.mark.slow
def test_each_outcome_says_why(graded_class):
    _, book, out = graded_class
    dan = book.row("dan")["lesson00.sequence_shape"]
    assert (dan.status, dan.cell) == ("errored", 16)
    assert dan.detail == "cell 16 raised NameError: name 'batch' is not defined"
    eve = book.row("eve")["lesson00.count_rnn_params"]
    assert eve.detail == "not run: cell 17 ran past its per-cell time limit (an endless loop?)"
    carol = book.row("carol")
    assert carol["lesson00.sequence_shape"].revealed == ("solution()",)
    assert carol["lesson00.window_vs_state"].detail == (
        "no cell calls `ex.window_vs_state.check(...)`"
    )
    assert carol["lesson00.weights_over_time"].detail == "its check ran on the unanswered stub"
    feedback = (out / "feedback" / "bob.md").read_text()
    assert feedback.startswith("# Feedback for bob\n\n0 of 5 exercises passed")
    assert "## lesson00.count_rnn_params: tried (cell 31)" in feedback
    assert "Almost: you forgot the bias" in feedback
    assert sorted(p.name for p in (out / "feedback").iterdir()) == [
        f"{learner}.md" for learner in ("alice", "bob", "carol", "dan", "erin", "eve", "frank")
    ]
    seconds = {g.learner: round(g.seconds, 1) for g in book.files if g.seconds is not None}
    print("grading time per notebook (s):", seconds)  # shown with -s; the report quotes it
    assert set(seconds) == {"alice", "bob", "carol", "dan", "eve"}


# --- quick tests: no kernel ----------------------------------------------------


def _check(cell, status, **more):
    return {"event": "check", "exercise": "pick", "status": status, "cell": cell, **more}


def test_a_choice_passed_after_tries_and_revealing_calls_are_reported():
    events = [
        _check(5, "not_attempted"),  # the stub as shipped: not a try
        _check(5, "incorrect", text="Not b."),
        {"event": "reference_answer", "exercise": "pick"},
        _check(5, "incorrect", text="Not c."),
        _check(5, "correct"),
        _check(5, "incorrect"),  # after the pass: the pass stands
    ]
    outcome = _outcome("pick", "choice", events, None, {}, None, {5: 4})
    assert (outcome.status, outcome.cell, outcome.tries, outcome.kind) == ("passed", 5, 3, "choice")
    assert outcome.revealed == ("reference_answer()",)
    value = _outcome(
        "size", "value", [{**_check(2, "correct"), "exercise": "size"}], None, {}, None, {}
    )
    assert (value.tries, value.revealed) == (1, ())
    book = Gradebook(
        ["lesson42.pick", "lesson42.size"],
        [Graded("ann", "ann.ipynb", "lesson42", {"pick": outcome, "size": value})],
    )
    rows = list(csv.reader(io.StringIO(csv_text(book).lstrip("\ufeff"))))
    assert rows[1][:5] == ["ann", "passed after 3 tries", "passed", "2", "2"]
    assert rows[1][-2] == "solution seen; choice passed after retries"
    assert "reference_answer() called for lesson42.pick" in rows[1][-1]
    feedback = feedback_markdown(book, "ann")
    assert "## lesson42.pick: passed after 3 tries (cell 5)" in feedback
    assert "## lesson42.size: passed\n" in feedback


def test_an_empty_folder_gives_an_empty_table(tmp_path):
    (tmp_path / "in").mkdir()
    said = []
    book = grade(tmp_path / "in", tmp_path / "out", lesson=0, echo=said.append)
    assert book.learners() == [] and said[0].endswith("no submissions found")
    header = (tmp_path / "out" / "grades.csv").read_text(encoding="utf-8-sig")
    assert header == "learner," + ",".join(COLUMNS) + ",passed,total,review,flags\n"


def test_files_that_only_look_like_notebooks_are_flagged_not_run(tmp_path):
    submissions = tmp_path / "in"
    submissions.mkdir()
    (submissions / "x_00_start_here.ipynb").write_text(
        '{"cells": [{"cell_type": "code"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    (submissions / "y.ipynb").write_bytes(b"\xff\xfe not text")
    (submissions / "z.ipynb").write_text("")
    (submissions / ".hidden.ipynb").write_text("{}")  # skipped, as __MACOSX/ would be
    book = grade(submissions, tmp_path / "out", lesson="00", echo=lambda _: None)
    assert book.learners() == ["x", "y", "z"]
    assert all(g.outcomes is None and g.problem.startswith("not a notebook") for g in book.files)


def test_an_lms_zip_is_read_as_if_unpacked_and_nothing_unsafe_is_run(tmp_path):
    submissions = tmp_path / "in"
    submissions.mkdir()
    with zipfile.ZipFile(submissions / "class.zip", "w") as archive:
        archive.writestr("Smith John_1234_assignsubmission_file_/notes.pdf", b"%PDF-1.4")
        archive.writestr("jane_doe_5678_01_elman_networks-1.ipynb", STUDENT.read_bytes())
        archive.writestr("../../escape.ipynb", b"{}")
        archive.writestr("__MACOSX/._x.ipynb", b"junk")
    book = grade(submissions, tmp_path / "out", lesson="lesson01", echo=lambda _: None)
    assert book.learners() == ["Smith John_1234_assignsubmission_file_", "class", "jane_doe_5678"]
    text = (tmp_path / "out" / "grades.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    jane = next(row for row in rows if row[0] == "jane_doe_5678")
    assert "wrong lesson: this is lesson00's notebook, not lesson01's" in jane[-1]
    assert "unsafe path" in next(row for row in rows if row[0] == "class")[-1]


def _file(name: str, path: Path, learner: str = "ann", modified: float = 0.0) -> File:
    return File(learner, name, path.read_bytes(), modified)


def test_the_lesson_is_the_first_exercises_imported_and_none_is_not_graded():
    appendix = ROOT / "student" / "06b_benchmark_race.ipynb"  # lesson 06's, no exercises
    identity = identify(_file("06b_benchmark_race.ipynb", appendix), expected=None, version="x")
    assert identity.lesson is None
    assert identity.problem == "no exercises: not graded (no cell imports a lesson's exercises)"
    notebook = _student()  # lesson 00, then an import of lesson 01's exercises below it
    notebook.cells.append(
        nbformat.v4.new_code_cell("from course_utils.lessons.l01_elman import exercises as e1")
    )
    data = nbformat.writes(notebook).encode()
    identity = identify(File("ann", "ann_01.ipynb", data, 0.0), expected=None, version="x")
    assert (identity.lesson, identity.room, identity.alias, identity.edition) == (
        "lesson00",
        "l00_start_here",
        "ex",
        "student",
    )
    assert "imports several lessons' exercises: graded as lesson00" in identity.flags


def test_learners_are_named_by_folder_or_by_file_name_without_the_lesson():
    from pathlib import PurePosixPath as P

    assert learner_of(P("alice.ipynb")) == "alice"
    assert learner_of(P("smith_john_12345_00_start_here-1.ipynb")) == "smith_john_12345"
    assert learner_of(P("bob/00_start_here.ipynb")) == "bob"
    assert (
        learner_of(P("03_vanishing_exploding_gradients.ipynb"))
        == "03_vanishing_exploding_gradients"
    )


def test_the_hub_layout_finds_each_home_s_course_folder(tmp_path):
    for user, folder in (("jupyter-ana", "student"), ("jupyter-ben", "notebooks")):
        course = tmp_path / user / "rnn-course" / folder
        course.mkdir(parents=True)
        (course / "00_start_here.ipynb").write_bytes(STUDENT.read_bytes())
    (tmp_path / "jupyter-ana" / "other.ipynb").write_text("{}")
    found = collect(tmp_path, hub=True)
    assert [(f.learner, f.name) for f in found] == [
        ("jupyter-ana", "jupyter-ana/rnn-course/student/00_start_here.ipynb"),
        ("jupyter-ben", "jupyter-ben/rnn-course/notebooks/00_start_here.ipynb"),
    ]


def test_a_notebook_reached_through_a_link_out_of_the_home_is_not_read(tmp_path):
    course = tmp_path / "jupyter-ana" / "rnn-course" / "student"
    course.mkdir(parents=True)
    (course / "00_start_here.ipynb").write_bytes(STUDENT.read_bytes())
    (tmp_path / "jupyter-eve").mkdir()  # eve's course folder is ana's
    (tmp_path / "jupyter-eve" / "rnn-course").symlink_to(tmp_path / "jupyter-ana" / "rnn-course")
    (tmp_path / "jupyter-mal").symlink_to(tmp_path / "jupyter-ana")  # a home that is ana's
    found = {f.learner: f for f in collect(tmp_path, hub=True)}
    assert sorted(found) == ["jupyter-ana", "jupyter-eve", "jupyter-mal"]
    assert found["jupyter-ana"].problem is None and found["jupyter-ana"].data
    for learner in ("jupyter-eve", "jupyter-mal"):
        assert found[learner].data is None
        assert found[learner].problem == (
            f"reached through a link to {course.resolve()}, outside "
            f"{tmp_path.resolve() / learner}: not read"
        )


def test_bad_arguments_name_what_was_given(tmp_path, capsys):
    with pytest.raises(ValueError, match="lesson must be a lesson number.*'twelve'"):
        lesson_name("twelve")
    assert lesson_name(3) == lesson_name("03") == lesson_name("lesson03") == "lesson03"
    known = r"\(00, 01, 02, 03, 04, 05, 06, 07, 08, 09\); got 42"
    with pytest.raises(ValueError, match=f"lesson must be one of the course's lessons {known}"):
        grade(tmp_path / "missing", tmp_path / "o", lesson=42)  # before anything is read
    with pytest.raises(ValueError, match="lesson must be one of the course's lessons"):
        bundle_files("42")
    assert main([str(tmp_path), "--out", str(tmp_path.parent / "o"), "--lesson", "42"]) == 2
    assert "lesson must be one of the course's lessons" in capsys.readouterr().err
    with pytest.raises(ValueError, match="folder must be a folder of submissions"):
        collect(tmp_path / "missing")
    with pytest.raises(ValueError, match="out must lie outside the submissions folder"):
        grade(tmp_path, tmp_path / "out")
    with pytest.raises(ValueError, match="cell_limit must be a positive number.*-1"):
        grade(tmp_path, tmp_path.parent / "x", cell_limit=-1)
    assert main([str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert "folder must be a folder of submissions" in capsys.readouterr().err


# --- the Gradescope bundle ---------------------------------------------------------


def test_the_gradescope_bundle_holds_the_scripts_the_course_and_the_lesson(tmp_path):
    names = write_bundle("00", tmp_path / "a.zip")
    assert names[:1] == ["course/LICENSE"] and {
        "requirements.txt",
        "run_autograder",
        "setup.sh",
    } <= set(names)
    assert {
        "course/course_utils/__init__.py",
        "course/course_utils/exercises/outcomes.py",
        "course/course_utils/lessons/l00_start_here/exercises.py",
        "course/course_utils/data/co2_mauna_loa.csv",
        "course/tools/grade.py",
        "course/tools/grade_run.py",
        "course/student/00_start_here.ipynb",
    } <= set(names)
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)
    assert [n for n in names if n.startswith("course/student/")] == [
        "course/student/00_start_here.ipynb"
    ]
    write_bundle(0, tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        run = archive.read("run_autograder").decode()
        mode = archive.getinfo("run_autograder").external_attr >> 16
    assert "--lesson 00 --learner submission" in run and mode == 0o755
    assert "--cell-timeout 300 --notebook-timeout 480" in run  # within Gradescope's 600 s
    with pytest.raises(ValueError, match="out must be a .zip file"):
        write_bundle("00", tmp_path / "a.tar")
    with pytest.raises(ValueError, match="cell_limit must be a positive whole number.*0"):
        bundle_files("00", cell_limit=0)


@pytest.mark.slow
def test_the_bundle_grades_a_submission_as_gradescope_would(tmp_path):
    """run_autograder, unpacked as Gradescope unpacks it, with this machine's Python as
    the venv setup.sh would build, and no PYTHONPATH: the bundle is all it needs."""
    import os
    import subprocess
    import sys

    write_bundle("00", tmp_path / "bundle.zip")
    with zipfile.ZipFile(tmp_path / "bundle.zip") as archive:
        archive.extractall(tmp_path / "source")
    (tmp_path / "venv" / "bin").mkdir(parents=True)
    python = tmp_path / "venv" / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    (tmp_path / "submission").mkdir()
    alice = _student()
    for name in NAMES:
        _solve(alice, name)
    nbformat.write(alice, tmp_path / "submission" / "my_notebook.ipynb")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(AUTOGRADER=str(tmp_path), COURSE_RECORD="off")
    script = tmp_path / "source" / "run_autograder"
    script.chmod(0o755)
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert results["score"] == 5.0 and [t["status"] for t in results["tests"]] == ["passed"] * 5


def test_a_gradescope_submission_with_no_notebook_says_so(tmp_path):
    (tmp_path / "submission").mkdir()
    grade(tmp_path / "submission", tmp_path / "out", lesson="00", learner="submission")
    results = json.loads((tmp_path / "out" / "results" / "submission.json").read_text())
    assert results["score"] == 0.0
    assert (
        "nothing was submitted: upload the lesson's notebook (the .ipynb file)"
        in (results["output"])
    )
    (tmp_path / "submission" / "answers.pdf").write_bytes(b"%PDF-1.4")
    grade(tmp_path / "submission", tmp_path / "o2", lesson="00", learner="submission")
    results = json.loads((tmp_path / "o2" / "results" / "submission.json").read_text())
    assert "answers.pdf: not a notebook" in results["output"]


def test_two_learners_whose_names_clash_as_file_names_get_two_files(tmp_path):
    (tmp_path / "in").mkdir()
    for name in ("a b.txt", "a_b.txt", "x.txt"):
        (tmp_path / "in" / name).write_text("not a notebook")
    grade(tmp_path / "in", tmp_path / "out", lesson="00", echo=lambda _: None)
    feedback = sorted(p.name for p in (tmp_path / "out" / "feedback").iterdir())
    assert feedback == ["a_b-1.md", "a_b.md", "x.md"]
    assert (tmp_path / "out" / "feedback" / "a_b-1.md").read_text().startswith("# Feedback for a_b")


def test_a_kernel_gets_a_minimal_environment_not_the_grader_s(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "secret")
    monkeypatch.setenv("JPY_PARENT_PID", "1")
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    monkeypatch.setenv("COURSE_RECORD_FILE", "/home/me/progress.json")
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("COURSE_DATA_DIR", "TMPDIR", "SYSTEMROOT"):
        monkeypatch.delenv(name, raising=False)
    env = _kernel_env(tmp_path, tmp_path / "log.jsonl")
    assert sorted(env) == [
        "COURSE_CACHE_DIR",
        "COURSE_FAST",
        "COURSE_GRADER_LOG",
        "COURSE_OFFLINE",
        "COURSE_PROGRESS",
        "COURSE_RECORD",
        "HOME",
        "LANG",
        "MPLBACKEND",
        "PATH",
        "PYTHONPATH",
        "USERPROFILE",
    ]
    assert (env["HOME"], env["PYTHONPATH"], env["COURSE_OFFLINE"]) == (
        str(tmp_path),
        str(ROOT),
        "1",
    )
    assert (env["COURSE_FAST"], env["COURSE_RECORD"]) == ("1", "off")
    assert env["COURSE_GRADER_LOG"] == str(tmp_path / "log.jsonl")


def test_the_csv_is_utf8_for_excel_and_runs_no_formula_and_flags_the_instructor_edition():
    solved = {"pick": Outcome("passed", "passed", kind="choice", tries=1)}
    book = Gradebook(
        ["lesson42.pick"],
        [
            Graded('=HYPERLINK("http://x")', "a.txt", problem="-not a notebook"),
            Graded("+ann", "ann.ipynb", "lesson42", solved, edition="instructor"),
            Graded("@bo", "bo.ipynb", "lesson42", solved, edition="student"),
            Graded("zoë", "z.ipynb", "lesson42", solved, edition="student"),
        ],
    )
    text = csv_text(book)
    assert text.startswith("\ufefflearner,") and text.encode("utf-8").startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row[0] for row in rows[1:]] == ["'+ann", '\'=HYPERLINK("http://x")', "'@bo", "zoë"]
    assert rows[1][1:] == ["passed", "1", "1", "instructor edition", ""]
    assert rows[2][-1] == "a.txt: -not a notebook"  # inside a cell: no formula starts there
    assert rows[3][-2:] == ["", ""]


def test_names_that_clash_get_the_next_free_number():
    assert unique_names(["a", "a-2", "a_", "A"], set()) == {
        "a": "a",
        "a-2": "a-2",
        "a_": "a-1",  # "a", then "a-1": free (the old loop tried "a-2" forever)
        "A": "A-3",
    }


def _notes(folder: Path, *learners: str) -> None:
    folder.mkdir(exist_ok=True)
    for learner in learners:
        (folder / f"{learner}.txt").write_text("not a notebook")


def test_each_learner_is_written_when_graded_and_a_rerun_resumes(tmp_path, monkeypatch):
    import tools.grade

    submissions, out = tmp_path / "in", tmp_path / "out"
    _notes(submissions, "x", "y", "z")
    real = tools.grade._grade_file

    def stop_at_y(file, *rest):
        if file.learner == "y":
            raise KeyboardInterrupt  # the grader killed while grading y
        return real(file, *rest)

    monkeypatch.setattr(tools.grade, "_grade_file", stop_at_y)
    with pytest.raises(KeyboardInterrupt):
        grade(submissions, out, lesson="00", echo=lambda _: None)
    assert sorted(p.name for p in (out / "graded").iterdir()) == ["x.json"]
    rows = (out / "grades.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [row.split(",")[0] for row in rows] == ["learner", "x"]
    monkeypatch.setattr(tools.grade, "_grade_file", real)
    said = []
    book = grade(submissions, out, lesson="00", echo=said.append)
    assert "x: already graded in" in said[0] and book.learners() == ["x", "y", "z"]
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["x.md", "y.md", "z.md"]
    rows = (out / "grades.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [row.split(",")[0] for row in rows] == ["learner", "x", "y", "z"]
    (submissions / "z.txt").unlink()
    said.clear()
    book = grade(submissions, out, lesson="00", fresh=True, echo=said.append)
    assert book.learners() == ["x", "y"] and not any("already graded" in s for s in said)
    assert sorted(p.name for p in (out / "graded").iterdir()) == ["x.json", "y.json"]
    with pytest.raises(ValueError, match="out holds grades of lesson00 graded by course version"):
        grade(submissions, out, lesson="01", echo=lambda _: None)


def _identity(edition: str | None, problem: str | None = None) -> Identity:
    return Identity(lesson="lesson06", room="l06_text_generation", edition=edition, problem=problem)


def test_the_student_edition_is_graded_before_a_newer_instructor_copy():
    files = [
        File("ann", "ann/rnn-course/notebooks/06_text_generation.ipynb", b"", 300.0),
        File("ann", "ann/rnn-course/student/06_text_generation.ipynb", b"", 100.0),
        File("ann", "ann/rnn-course/student/06b_benchmark_race.ipynb", b"", 400.0),
        File("bob", "bob/06_text_generation.ipynb", b"", 100.0),
        File("bob", "bob/06_text_generation (1).ipynb", b"", 100.0),
        File("cy", "cy/06_old.ipynb", b"", 100.0),
        File("cy", "cy/06_new.ipynb", b"", 200.0),
        File("dee", "dee/06_text_generation.ipynb", b"", 100.0),
    ]
    identities = [
        _identity("instructor"),
        _identity("student"),
        _identity(None, "no exercises: not graded (no cell imports a lesson's exercises)"),
        _identity("student"),
        _identity("student"),
        _identity("student"),
        _identity("student"),
        _identity("instructor"),  # the only copy: graded (and flagged)
    ]
    assert choose(files, identities) == {
        0: "the instructor edition of lesson06 (it holds the solutions): "
        "ann/rnn-course/student/06_text_generation.ipynb, the student edition, is graded instead",
        3: "two copies of lesson06 with the same time: bob/06_text_generation (1).ipynb is graded",
        5: "an older copy of lesson06 than cy/06_new.ipynb: not graded",
    }
