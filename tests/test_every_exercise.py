"""Every exercise of every lesson, as a learner meets it in the student edition.

For each exercise of each ``course_utils/lessons/lNN_topic/exercises.py`` module, in the
notebook that imports it (found by its ``from course_utils.exercises import
lessonNN as ex`` line):

* **the solution pastes** (slow: runs the notebook). The student edition is
  generated (:func:`tools.student.student_notebook`); in the exercise's
  stub cell (the last cell with a solution block before its ``check`` cell) the
  stub is replaced by what ``solution()`` shows: a function stub's whole ``def``
  by the solution's code, ``name = ...`` stub lines by the solution's code. For
  a choice or a free-text answer, which ``solution()`` shows as prose, the label
  or the model answer is typed in place of ``...``. The notebook's code cells
  then run in order, in a fresh kernel, in fast mode (``COURSE_FAST=1``), up to
  the last check cell, every exercise solved this way; after each check cell a
  probe reads the exercise's verdict. Each exercise must get "correct" (an
  ungraded reflection: "noted"). One kernel per notebook, so a lesson's
  exercises share one run.
* **the question is visible**: a cell calls ``ex.NAME.question()``, or the
  markdown between the previous exercise's check and this stub holds most of the
  prompt's words (for a choice, also its options');
* **the answer format is stated**: by ``question()`` (which prints "Answer
  format: ...") or, without it, in that markdown or the stub cell: the label
  form for choices, "fraction" for a value between 0 and 1, what a function
  returns, that free text is a string;
* **free text judges something**: no free-text check accepts its declared
  misconceptions (``misconceptions=[...]`` and the examples of its
  ``Mistake.when``) or :data:`~course_utils.exercises.kinds.VAGUE_ANSWER`; a
  graded one must declare at least one;
* **"close" means close**: no numeric check calls an answer more than 5 % off
  "close";
* **help is one step away**: a wrong answer's feedback ends with how to get a
  hint, and no hint contains a line of the solution's code.

Nothing is skipped or expected to fail: an exercise that breaks a rule fails
here with the reason.
"""

from __future__ import annotations

import json
import os
import re
import sys
import textwrap
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from unittest import mock

import nbformat
import numpy as np
import pytest

from course_utils.exercises import (
    VAGUE_ANSWER,
    ChoiceExercise,
    Exercise,
    FunctionExercise,
    ReflectionExercise,
    ValueExercise,
    exercises_in,
    lesson_key,
)
from course_utils.exercises.answers import CLOSE_FRACTION
from course_utils.lessons import lesson_modules
from tools.student import ANSWER_STUB, RAISE_STUB, student_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
IMPORT = re.compile(r"from course_utils\.lessons\.l(\d\d)_\w+ import exercises as (\w+)")
PROBE = "@@exercise-verdict@@"
CELL_TIMEOUT = 900  # seconds for one cell in fast mode


# --- where each exercise lives in its notebook --------------------------------


@cache
def lesson_notebooks() -> dict[str, tuple[Path, str]]:
    """``{"lesson03": (path, "ex")}`` for every notebook that imports a lesson module."""
    found = {}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        text = "\n".join(
            cell.source
            for cell in nbformat.read(path, as_version=4).cells
            if cell.cell_type == "code"
        )
        for number, alias in IMPORT.findall(text):
            found[f"lesson{number}"] = (path, alias)
    return found


def _module_name(module) -> str:
    return lesson_key(module)


EXERCISES = {
    f"{_module_name(module)}.{exercise.name}": exercise
    for module in lesson_modules()
    for exercise in exercises_in(module)
}
KEYS = sorted(EXERCISES)


def _called(source: str, alias: str, name: str, method: str) -> bool:
    """Whether an uncommented line of ``source`` calls ``alias.name.method(``."""
    pattern = rf"^[^#\n]*\b{re.escape(alias)}\.{re.escape(name)}\.{method}\("
    return re.search(pattern, source, flags=re.MULTILINE) is not None


@cache
def layout(lesson: str) -> dict[str, dict]:
    """Per exercise: its check cell, stub cell and the window of cells before it.

    Exercises are ordered by their check cell; the window of one runs from the
    cell after the previous exercise's check to its own check cell.
    """
    path, alias = lesson_notebooks()[lesson]
    cells = nbformat.read(path, as_version=4).cells
    module = next(m for m in lesson_modules() if _module_name(m) == lesson)
    checks = {}
    for exercise in exercises_in(module):
        index = next(
            (
                i
                for i, cell in enumerate(cells)
                if cell.cell_type == "code" and _called(cell.source, alias, exercise.name, "check")
            ),
            None,
        )
        checks[exercise.name] = index
    placed = sorted((index, name) for name, index in checks.items() if index is not None)
    result = {name: {"check": None, "stub": None, "window": (0, 0)} for name in checks}
    previous = -1
    for index, name in placed:
        stub = next(
            (
                i
                for i in range(index, previous, -1)
                if cells[i].cell_type == "code" and "BEGIN SOLUTION" in cells[i].source
            ),
            None,
        )
        result[name] = {"check": index, "stub": stub, "window": (previous + 1, index)}
        previous = index
    return result


def _place(key: str) -> tuple[str, Path, str, dict]:
    lesson, name = key.split(".")
    assert lesson in lesson_notebooks(), (
        f"no notebook imports `course_utils.exercises.{lesson}`, so {name} is never asked"
    )
    path, alias = lesson_notebooks()[lesson]
    place = layout(lesson)[name]
    assert place["check"] is not None, (
        f"{path.name}: no cell runs `{alias}.{name}.check(...)`: the learner cannot answer it"
    )
    return lesson, path, alias, place


# --- pasting the solution into the stub --------------------------------------


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _paste_into_function(lines: list[str], code: str) -> list[str]:
    """Replace the ``def`` whose body is the raise stub by ``code``."""
    at = next(i for i, line in enumerate(lines) if RAISE_STUB in line)
    start = next(
        i
        for i in range(at, -1, -1)
        if re.match(r"\s*(async\s+)?def\s", lines[i]) and _indent(lines[i]) < _indent(lines[at])
    )
    width = _indent(lines[start])
    end = at + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > width):
        end += 1
    while end > at + 1 and not lines[end - 1].strip():  # keep blank lines after the def
        end -= 1
    pasted = textwrap.indent(textwrap.dedent(code).strip("\n"), " " * width).splitlines()
    return lines[:start] + pasted + lines[end:]


def _stub_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.rstrip().endswith(ANSWER_STUB)]


def paste(student_source: str, exercise: Exercise) -> str:
    """The stub cell once the learner has pasted (or typed) the solution."""
    lines = student_source.splitlines()
    if isinstance(exercise, (ChoiceExercise, ReflectionExercise)):
        stubs = _stub_lines(lines)
        assert stubs, f"the stub cell has no `name = {ANSWER_STUB}` line to answer in"
        first = lines[stubs[0]]
        lines[stubs[0]] = first.replace(ANSWER_STUB, repr(exercise.reference_answer()))
        return "\n".join(lines)
    code = exercise.solution_code()
    assert code.strip(), f"{exercise.name}.solution() shows no code to paste"
    if any(RAISE_STUB in line for line in lines):
        return "\n".join(_paste_into_function(lines, code))
    stubs = _stub_lines(lines)
    assert stubs, "the stub cell holds neither a function stub nor a `name = ...` stub"
    width = _indent(lines[stubs[0]])
    pasted = textwrap.indent(textwrap.dedent(code).strip("\n"), " " * width).splitlines()
    kept = [line for i, line in enumerate(lines) if i not in stubs[1:]]
    at = stubs[0]
    return "\n".join(kept[:at] + pasted + kept[at + 1 :])


def _double(x):
    return 2 * x


def test_paste_replaces_a_function_stub_and_keeps_the_rest():
    source = f"import math\n\n\ndef double(x):\n    {RAISE_STUB}\n\n\nex.double.check(double)"
    exercise = FunctionExercise(name="double", reference=_double, cases=[{"x": 1}])
    assert paste(source, exercise) == (
        "import math\n\n\ndef double(x):\n    return 2 * x\n\n\nex.double.check(double)"
    )


def test_paste_replaces_value_and_label_stubs():
    value = ValueExercise(name="mse", answer=0.5, solution="answer = 1 / 2")
    source = f"W = ex.M\nanswer = {ANSWER_STUB}\nex.mse.check(answer)"
    assert paste(source, value) == "W = ex.M\nanswer = 1 / 2\nex.mse.check(answer)"
    choice = ChoiceExercise(name="c", options={"a": "x", "b": "y"}, answer="b")
    assert paste(f"choice = {ANSWER_STUB}", choice) == "choice = 'b'"


# --- running a notebook with every solution pasted ------------------------------


def _probe(module: str, name: str) -> str:
    return (
        f"import json as _j, importlib as _i\n_m = _i.import_module({module!r})\n"
        f"_f = _m.{name}.last_feedback\n"
        f"print({PROBE!r} + _j.dumps({{'status': getattr(_f, 'status', None), "
        f"'text': _f.text() if _f is not None else ''}}))\n"
        "del _j, _i, _m, _f"
    )


def _reset(module: str, name: str) -> str:
    return f"import importlib as _i\n_i.import_module({module!r}).{name}.reset_progress()\ndel _i"


def _outputs_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            parts.append(f"{output.get('ename')}: {output.get('evalue')}")
    return "".join(parts)


def _kernel_manager():
    """A kernel of this very Python (as nbval's --nbval-current-env does)."""
    from jupyter_client.manager import KernelManager

    manager = KernelManager(kernel_name="python3")
    manager.kernel_spec.argv[0] = sys.executable
    return manager


@contextmanager
def _shut_down_after(manager):
    """Stop the kernel when the run ends: nbclient leaves a kernel manager it was given
    running, and an idle kernel of about 1 GB per lesson would stay alive until pytest exits."""
    try:
        yield
    finally:
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)


@cache
def run_lesson(lesson: str) -> dict[str, dict]:
    """Run the student edition of ``lesson`` with every solution pasted, to its last cell.

    Returns ``{name: {"status", "text", "errors"}}``; ``errors`` lists the
    exceptions raised by the cells of that exercise's window. The key ``TAIL`` holds the
    errors of the cells after the last check (the lesson's end, its summary): this run is
    the student edition's only execution in ``make test``, so it goes to the end.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path, _ = lesson_notebooks()[lesson]
    places = layout(lesson)
    module = next(m for m in lesson_modules() if _module_name(m) == lesson)
    by_name = {exercise.name: exercise for exercise in exercises_in(module)}
    notebook = student_notebook(nbformat.read(path, as_version=4), name=path.name)
    pasting_errors, unsolved = {}, {}
    for name, place in places.items():
        if place["stub"] is not None:
            cell = notebook.cells[place["stub"]]
            unsolved[name] = cell.source  # what the learner meets before answering
            try:
                cell.source = paste(cell.source, by_name[name])
            except AssertionError as error:
                pasting_errors[name] = str(error)
    notebook.metadata["sources"] = {
        name: {
            "unsolved": unsolved[name],
            "pasted": notebook.cells[place["stub"]].source,
            "check": notebook.cells[place["check"]].source,
        }
        for name, place in places.items()
        if place["stub"] is not None and place["check"] is not None
    }
    by_check = {
        place["check"]: name for name, place in places.items() if place["check"] is not None
    }
    env = {"COURSE_FAST": "1", "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    results, errors = {}, []
    with mock.patch.dict(os.environ, env):
        client = NotebookClient(
            notebook,
            timeout=CELL_TIMEOUT,
            km=(manager := _kernel_manager()),
            resources={"metadata": {"path": str(path.parent)}},
        )
        with _shut_down_after(manager), client.setup_kernel():
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type != "code":
                    continue
                name = by_check.get(index)
                if name is not None:
                    client.execute_cell(
                        nbformat.v4.new_code_cell(_reset(module.__name__, name)), index
                    )
                try:
                    client.execute_cell(cell, index)
                except CellExecutionError:
                    errors.append(f"cell {index + 1}: {_outputs_text(cell).strip()[-600:]}")
                if name is None:
                    continue
                probe = nbformat.v4.new_code_cell(_probe(module.__name__, name))
                client.execute_cell(probe, index)
                line = next(
                    (ln for ln in _outputs_text(probe).splitlines() if ln.startswith(PROBE)), None
                )
                verdict = json.loads(line[len(PROBE) :]) if line else {"status": None, "text": ""}
                verdict["errors"] = errors
                verdict["pasting"] = pasting_errors.get(name)
                verdict["unanswered"] = _unanswered(client, module.__name__, name, index, places)
                results[name] = verdict
                errors = []
    results[TAIL] = {"errors": errors}
    return results


def _unanswered(client, module: str, name: str, index: int, places: dict) -> dict:
    """Run the exercise as a learner who skips it: the unsolved stub cell, then its check;
    return the check's status and any error. Then run the pasted stub again, so the cells
    after it see the solved names (the run goes on solved)."""
    from nbclient.exceptions import CellExecutionError

    sources = client.nb.metadata["sources"][name]  # saved: nbclient replaces run cells
    place = places[name]
    cells = [nbformat.v4.new_code_cell(_reset(module, name))]
    cells.append(nbformat.v4.new_code_cell(sources["unsolved"]))
    if place["check"] != place["stub"]:
        cells.append(nbformat.v4.new_code_cell(sources["check"]))
    probe = nbformat.v4.new_code_cell(_probe(module, name))
    failed = None
    try:
        for cell in cells:
            client.execute_cell(cell, index)
    except CellExecutionError:
        failed = _outputs_text(cells[-1]).strip()[-600:] or "an error"
    client.execute_cell(probe, index)
    line = next((ln for ln in _outputs_text(probe).splitlines() if ln.startswith(PROBE)), None)
    status = json.loads(line[len(PROBE) :])["status"] if line else None
    restore = nbformat.v4.new_code_cell(sources["pasted"])  # the pasted solution again
    client.execute_cell(restore, index)
    client.execute_cell(nbformat.v4.new_code_cell(_reset(module, name)), index)
    return {"status": status, "error": failed}


#: run_lesson's key for the errors of the cells after the last check.
TAIL = "(after the last check)"


def pytest_generate_tests(metafunc):
    """Each lesson's class gets that lesson's exercise names as ``name``."""
    lesson = getattr(metafunc.cls, "lesson", None)
    if lesson and "name" in metafunc.fixturenames:
        names = [key.split(".")[1] for key in KEYS if key.split(".")[0] == lesson]
        metafunc.parametrize("name", names)


class _LessonRun:
    """The slow tests of one lesson: they share one run of its student edition
    (:func:`run_lesson`). One class per lesson, so that ``pytest-xdist --dist loadscope``
    (``make test``) sends each lesson's run to one worker and spreads the lessons."""

    lesson = ""

    @pytest.mark.slow
    def test_the_student_edition_with_solutions_runs_to_its_end(self):
        path, _ = lesson_notebooks()[self.lesson]
        errors = run_lesson(self.lesson)[TAIL]["errors"]
        assert errors == [], f"{path.name}, after the last check:\n" + "\n".join(errors)

    @pytest.mark.slow
    def test_solution_pasted_into_the_student_stub_passes(self, name):
        key = f"{self.lesson}.{name}"
        lesson, path, alias, place = _place(key)
        exercise = EXERCISES[key]
        assert place["stub"] is not None, (
            f"{path.name}: no cell with a solution block before `{alias}.{name}.check(...)` "
            f"(cell {place['check'] + 1}): the student edition has nothing to answer in"
        )
        verdict = run_lesson(lesson)[name]
        assert verdict["pasting"] is None, f"{path.name}: could not paste: {verdict['pasting']}"
        expected = "noted" if getattr(exercise, "graded", True) is False else "correct"
        where = f"{path.name}, stub cell {place['stub'] + 1}, check cell {place['check'] + 1}"
        assert verdict["status"] == expected, (
            f"{where}: the pasted solution got "
            f"{verdict['status'] or 'no verdict (the check did not run to the end)'}, "
            f"expected {expected}.\n{verdict['text']}\n" + "\n".join(verdict["errors"])
        )

    @pytest.mark.slow
    def test_an_unanswered_stub_is_reported_not_attempted(self, name):
        """A learner who runs the stub as it ships meets "not attempted", never a crash (the
        unsolved student edition ran under nbval before; this replaces that run)."""
        lesson, path, alias, place = _place(f"{self.lesson}.{name}")
        if place["stub"] is None:
            pytest.fail(f"{path.name}: {name} has no stub cell")
        skipped = run_lesson(lesson)[name]["unanswered"]
        assert skipped["error"] is None, f"{path.name}, {name}, unanswered: {skipped['error']}"
        assert skipped["status"] == "not_attempted", f"{path.name}, {name}, unanswered: {skipped}"


for _lesson in sorted({key.split(".")[0] for key in KEYS}):  # TestLesson00, TestLesson01, ...
    _name = f"TestLesson{_lesson.removeprefix('lesson')}"
    globals()[_name] = type(_name, (_LessonRun,), {"lesson": _lesson})


# --- the question and its format are in the notebook -------------------------

STOPWORDS = set(
    "about above after again against also because been before being below between both "
    "could does doing down during each from further have having here into itself just "
    "more most other over same should some such than that their them then there these "
    "they this those through under until very what when where which while will with "
    "would your yours give write compute return returns answer".split()
)


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z_]{4,}", text.lower()) if word not in STOPWORDS}


@cache
def _student_cells(lesson: str) -> list:
    path, _ = lesson_notebooks()[lesson]
    return student_notebook(nbformat.read(path, as_version=4), name=path.name).cells


def _window_text(lesson: str, place: dict, *, markdown_only: bool = False) -> str:
    cells = _student_cells(lesson)
    start, end = place["window"]
    parts = [cell.source for cell in cells[start:end] if cell.cell_type == "markdown"]
    if not markdown_only:
        for index in {place["stub"], place["check"]} - {None}:
            parts.append(cells[index].source)
    return "\n".join(parts)


def _asks_question(lesson: str, alias: str, name: str, place: dict) -> bool:
    path, _ = lesson_notebooks()[lesson]
    cells = nbformat.read(path, as_version=4).cells
    start, end = place["window"]
    return any(
        cell.cell_type == "code" and _called(cell.source, alias, name, "question")
        for cell in cells[start : end + 1]
    )


def _holds(text: str, passage: str, share: float = 0.5) -> bool:
    wanted = _words(passage)
    return bool(wanted) and len(wanted & _words(text)) >= share * len(wanted)


@pytest.mark.parametrize("key", KEYS)
def test_question_is_visible_in_the_notebook(key):
    lesson, path, alias, place = _place(key)
    exercise = EXERCISES[key]
    name = exercise.name
    assert exercise.prompt.strip(), f"{name} has no prompt: `{alias}.{name}.question()` shows none"
    if _asks_question(lesson, alias, name, place):
        return
    markdown = _window_text(lesson, place, markdown_only=True)
    assert _holds(markdown, exercise.prompt), (
        f"{path.name}: no cell calls `{alias}.{name}.question()` and the markdown before its "
        f"stub does not hold the question: {exercise.prompt!r}"
    )
    if isinstance(exercise, ChoiceExercise):
        for label, option in exercise.options.items():
            assert _holds(markdown, option), (
                f"{path.name}: option ({label}) of {name} is not shown: {option!r}"
            )


PROPORTION = r"percent|%|fraction|share|proportion|ratio|how much of"


def _format_pattern(exercise: Exercise, text: str) -> str | None:
    """What the notebook's text must match to state ``exercise``'s answer format."""
    if isinstance(exercise, ChoiceExercise):
        return r"[\"'][a-h][\"']|\blabel\b|\bletter\b"
    if isinstance(exercise, ReflectionExercise):
        return r"\bsentences?\b|\bstring\b|\btext\b|\bquotes?\b|\bwords\b"
    if isinstance(exercise, FunctionExercise):
        return r"\breturns?\b|\breturning\b|\bthe number of\b|->"
    answer = exercise.reference_answer()
    if isinstance(answer, tuple):
        return r"\btuple\b"
    if isinstance(answer, np.ndarray):
        return r"\barray\b"
    proportion = re.search(PROPORTION, text, flags=re.IGNORECASE)
    if isinstance(answer, float | np.floating) and 0 < abs(float(answer)) < 1 and proportion:
        return r"\bfraction\b|between 0 and 1|not (as )?a percent"
    return None  # a plain quantity ("what is its perplexity?"): the question says it


@pytest.mark.parametrize("key", KEYS)
def test_answer_format_is_stated_in_the_notebook(key):
    lesson, path, alias, place = _place(key)
    exercise = EXERCISES[key]
    name = exercise.name
    if _asks_question(lesson, alias, name, place):
        assert exercise.answer_format(), f"{name}.question() states no answer format"
        return
    text = _window_text(lesson, place)
    pattern = _format_pattern(exercise, text)
    if pattern is None:
        return
    assert re.search(pattern, text, flags=re.IGNORECASE), (
        f"{path.name}: the answer format of {name} is not stated (no `{alias}.{name}.question()`"
        f" cell, and neither the markdown before it nor its stub matches {pattern!r}); "
        f"expected something like: {exercise.answer_format()!r}"
    )


# --- checks that can fail, and fail with the right words -------------------------

FREE_TEXT = [key for key in KEYS if isinstance(EXERCISES[key], ReflectionExercise)]


@pytest.mark.parametrize("key", FREE_TEXT)
def test_free_text_rejects_the_claim_it_corrects_and_vague_answers(key):
    exercise = EXERCISES[key]
    declared = [*exercise.misconceptions, *(m.answer for m in exercise.mistakes)]
    if exercise.graded:
        assert declared, (
            f"{exercise.name} is graded but declares no misconception: list the claim(s) it "
            "corrects, restated as a learner would, in misconceptions=[...] (or as the "
            "example of a Mistake.when), so this test can feed them"
        )
    for text in [*declared, VAGUE_ANSWER]:
        feedback = exercise.evaluate(text)
        assert feedback.status != "correct", f"{exercise.name} accepted {text!r}"


NUMERIC = [
    key
    for key in KEYS
    if isinstance(EXERCISES[key], ValueExercise)
    and isinstance(EXERCISES[key].reference_answer(), int | float | np.number)
    and not isinstance(EXERCISES[key].reference_answer(), bool | np.bool_)
]
#: Answers off by 10 % to 1000 %, and of the wrong sign: none may be called "close".
FACTORS = (-1.0, 0.1, 0.3, 0.4, 0.75, 0.9, 1.1, 1.25, 1.6, 2.0, 3.0, 6.0, 10.0)
CLOSE = re.compile(r"(?<!not )\bclose\b", flags=re.IGNORECASE)


def _far_answers(expected: float) -> list[float]:
    answers = [expected * factor for factor in FACTORS]
    if expected == 0:
        answers = [-1.0, 1.0, 10.0]
    return answers


@pytest.mark.parametrize("key", NUMERIC)
def test_a_numeric_check_never_calls_a_far_answer_close(key):
    exercise = EXERCISES[key]
    expected = float(exercise.reference_answer())
    for answer in _far_answers(expected):
        if isinstance(exercise.reference_answer(), int | np.integer):
            answer = round(answer)
            if expected and abs(answer - expected) <= CLOSE_FRACTION * abs(expected):
                continue
        feedback = exercise.evaluate(answer)
        if feedback.passed:
            continue  # a tolerance this wide is a choice of the exercise
        assert not CLOSE.search(feedback.message), (
            f"{exercise.name}: {answer:g} is more than {CLOSE_FRACTION:.0%} off {expected:g}, yet the "
            f"feedback says close: {feedback.message}"
        )


SCALAR_FUNCTIONS = [
    key
    for key in KEYS
    if isinstance(EXERCISES[key], FunctionExercise)
    and all(
        isinstance(output, int | float | np.number)
        for output in EXERCISES[key]._trusted_outputs(EXERCISES[key].reference)
    )
]


@pytest.mark.parametrize("key", SCALAR_FUNCTIONS)
def test_a_function_check_never_calls_a_far_output_close(key):
    exercise = EXERCISES[key]
    reference = exercise.reference
    for factor in (0.3, 2.0, 3.0, 6.0):

        def scaled(*args, factor=factor):
            return reference(*args) * factor

        feedback = exercise.evaluate(scaled)
        if feedback.passed:
            continue  # every output is 0: scaling changes nothing
        assert not CLOSE.search(feedback.message), (
            f"{exercise.name}: outputs {factor:g} times the right ones are called close: "
            f"{feedback.message}"
        )


# --- help one step away --------------------------------------------------------


def _code_lines(code: str) -> list[str]:
    """Solution lines worth hiding: statements with an operator or a call, no spaces."""
    lines = []
    for line in code.splitlines():
        statement = line.split("#", 1)[0].strip()
        if not statement or re.match(r"(async\s+)?def\s|import\s|from\s|@", statement):
            continue
        if re.search(r"[=()+\-*/@\[]", statement):
            lines.append(re.sub(r"\s+", "", statement))
    return [line for line in lines if len(line) >= 10]


def test_the_heuristics_themselves():
    prompt = "Compute the spectral radius of W_question and say whether gradients vanish."
    assert _holds(
        "### Exercise\nWhat is the spectral radius of `W_question`? Do gradients "
        "vanish or explode?",
        prompt,
    )
    assert not _holds("### Exercise\nWrite the function.", prompt)
    code = "def f(x):\n    y = np.tanh(x @ W)  # (batch, hidden)\n    return y\n"
    assert _code_lines(code) == ["y=np.tanh(x@W)"]
    assert CLOSE.search("Close, but outside") and not CLOSE.search("and not close (more")
    assert not CLOSE.search("gap_closed is wrong")


@pytest.mark.parametrize("key", KEYS)
def test_hints_never_hold_the_solution_code(key):
    exercise = EXERCISES[key]
    if isinstance(exercise, ChoiceExercise | ReflectionExercise):
        return  # their solution is prose, not code
    for level, hint in enumerate(exercise.hints, start=1):
        squeezed = re.sub(r"\s+", "", hint)
        for line in _code_lines(exercise.solution_code()):
            assert line not in squeezed, (
                f"{exercise.name}: hint {level} holds the solution's line {line!r}; hints go "
                "from a nudge to the idea, the code stays in solution()"
            )


@pytest.mark.parametrize("key", KEYS)
def test_a_wrong_answer_ends_with_how_to_get_a_hint(key):
    exercise = EXERCISES[key]
    answer = exercise.wrong_answers()[0][0]
    feedback = exercise.evaluate(answer)
    assert feedback.status in {"incorrect", "error"}, feedback.text()
    assert feedback.help.startswith("Stuck?") and feedback.text().endswith(feedback.help)
