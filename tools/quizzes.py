"""The site's in-page quizzes, made from the course's tested exercise bank.

Every :class:`~course_utils.exercises.ChoiceExercise` and every numeric
:class:`~course_utils.exercises.ValueExercise` (a single real number) of a lesson becomes a
quiz on that lesson's page of the website (``tools/book.py``), placed after the cell that
checks it in the notebook. A quiz carries the exercise's own answer, tolerance and
messages, computed here by calling the exercise's ``evaluate`` (never typed):

* a choice: the message the notebook's ``check()`` gives for every label;
* a number: the answer with ``rtol``/``atol``, each declared mistake's value (for a rule,
  ``Mistake.when``, its example) with its message, and the wording of the notebook's
  generic messages, which ``quiz.js`` fills in the way ``course_utils.exercises.answers``
  does (percentage mix-up, close, wrong sign, too large or too small).

One difference is kept, and said here: a rule (``Mistake.when(predicate, ...)``) is Python
code, which a page cannot run, so the quiz knows it only through its example; another
number that the rule would catch gets the generic sentence on the site.

``tests/test_quizzes.py`` proves that every quiz accepts what its exercise accepts and gives
every declared misconception its message; ``tests/browser/test_site_offline.py`` answers one
quiz wrong, then right, in Chromium. Code exercises (functions, arrays, free text) stay in
the notebook: their page says so after their check cell.
"""

from __future__ import annotations

import contextlib
import html
import json
import math
import numbers
import re
from pathlib import Path

from tools.student import BEGIN

__all__ = [
    "QUIZ_CLASS",
    "QUIZ_SCRIPT",
    "add_quizzes",
    "exercise_module",
    "is_quiz",
    "quiz_html",
    "quiz_item",
    "quizzes_for",
]

QUIZ_SCRIPT = Path(__file__).resolve().parent / "site_static" / "quiz.js"
QUIZ_CLASS = "course-quiz"
#: What a feedback message of the notebook ends with that the page replaces with its
#: own "Hint" button (``Exercise.help_line`` names ``ex.NAME.hint()``).
CHECK_CALL = re.compile(r"\bex\.(?P<name>[A-Za-z_]\w*)\.check\(")
#: How a lesson imports its room's exercises (the same line in every lesson).
EXERCISES_IMPORT = re.compile(
    r"from course_utils\.lessons\.(?P<room>l\d\d_\w+) import exercises as ex"
)
#: Said on the page after a code exercise's check cell.
CODE_NOTE = (
    "*Exercise `{name}` is answered and checked in the notebook: open this lesson in Colab "
    "or Binder (the rocket button at the top) or in JupyterLab to try it.*"
)


def _number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


@contextlib.contextmanager
def _unrecorded(exercise):
    """Ask ``exercise`` for its answer and messages without recording anything in the
    maintainer's progress file (a lesson's exercises record checks and answer requests)."""
    lesson, exercise.lesson = exercise.lesson, None
    try:
        yield exercise
    finally:
        exercise.lesson = lesson
        exercise.reset_progress()


def is_quiz(exercise) -> bool:
    """A choice, or a value exercise whose answer is one real number."""
    from course_utils.exercises import ChoiceExercise, ValueExercise

    if isinstance(exercise, ChoiceExercise):
        return True
    if not isinstance(exercise, ValueExercise):
        return False
    with _unrecorded(exercise):
        return _number(exercise.reference_answer())


def quiz_item(exercise) -> dict:
    """The quiz of one exercise (see the module docstring); ``ValueError`` if it is none."""
    if not is_quiz(exercise):
        raise ValueError(f"exercise {exercise.name!r} is not a choice or a single number.")
    with _unrecorded(exercise):
        return _item(exercise)


def _item(exercise) -> dict:
    item = {
        "name": exercise.name,
        "question": exercise.prompt or exercise.question_text(),  # the page shows the options
        "hints": list(exercise.hints),
    }
    answer = exercise.reference_answer()
    item["correct"] = exercise.evaluate(answer).message
    if exercise.kind == "choice":
        item |= {"kind": "choice", "options": dict(exercise.options), "answer": answer}
        item["feedback"] = {
            label: exercise.evaluate(label).message for label in exercise.options if label != answer
        }
        return item
    mistakes = []
    for mistake in exercise.mistakes:
        value = mistake.answer  # for a rule (Mistake.when), its example
        if _number(value):  # JSON has no infinity: those go as "Infinity", "-Infinity", "NaN"
            shown = (
                float(value)
                if math.isfinite(value)
                else str(float(value)).replace("inf", "Infinity").replace("nan", "NaN")
            )
            mistakes.append({"value": shown, "message": exercise.evaluate(value).message})
    item |= {
        "kind": "number",
        "answer": float(answer),
        "rtol": exercise.rtol,
        "atol": exercise.atol,
        "mistakes": mistakes,
    }
    return item


def quizzes_for(module) -> dict[str, dict]:
    """Every quiz of a lesson's ``exercises`` module, by exercise name."""
    from course_utils.exercises import exercises_in

    return {e.name: quiz_item(e) for e in exercises_in(module) if is_quiz(e)}


def quiz_html(item: dict) -> str:
    """The quiz as an HTML block; ``quiz.js`` turns it into a question with a check button.
    Without JavaScript the question and its options still read as text."""
    data = html.escape(json.dumps(item, allow_nan=False), quote=True)
    question = html.escape(item["question"]).replace("\n", "<br>")
    options = "".join(
        f"<li>({html.escape(label)}) {html.escape(text)}</li>"
        for label, text in item.get("options", {}).items()
    )
    static = f'<ul class="quiz-static">{options}</ul>' if options else ""
    return (
        f'<div class="{QUIZ_CLASS}" data-quiz="{data}">'
        f"<p><strong>Quick check ({html.escape(item['name'])})</strong></p>"
        f'<p class="quiz-question">{question}</p>{static}</div>'
    )


def checked_name(source: str) -> str | None:
    """The exercise a code cell checks (``ex.NAME.check(...)``), or ``None``."""
    found = CHECK_CALL.search(source)
    return found["name"] if found else None


def exercise_module(nb):
    """The room's ``exercises`` module a notebook imports, or ``None``."""
    import importlib

    for cell in nb.cells:
        found = EXERCISES_IMPORT.search(cell.source) if cell.cell_type == "code" else None
        if found:
            return importlib.import_module(f"course_utils.lessons.{found['room']}.exercises")
    return None


def _has_solution(source: str) -> bool:
    """Whether a code cell holds a solution block (the student edition stubs it)."""
    return any(BEGIN.match(line) for line in source.splitlines())


def _hide(cell) -> None:
    """Fold a cell away on the page (Jupyter Book's ``hide-cell``: a button shows it)."""
    tags = cell.metadata.setdefault("tags", [])
    if "hide-cell" not in tags:
        tags.append("hide-cell")


def add_quizzes(nb) -> int:
    """Put each choice or numeric exercise's quiz (a hidden-input cell whose output is
    :func:`quiz_html`) before the cells that answer it, and fold away every cell that holds
    a solution (``# BEGIN SOLUTION``) or checks one, so a reader answers before seeing the
    answer. After a code exercise's check, a note says it is answered in the notebook.
    Returns the number of quizzes added."""
    import nbformat

    module = exercise_module(nb)
    if module is None:
        return 0
    from course_utils.exercises import exercises_in

    names = {e.name for e in exercises_in(module)}
    quizzes, added, cells = quizzes_for(module), 0, []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        name = checked_name(cell.source)
        if _has_solution(cell.source) or name in names:
            _hide(cell)
        if name in quizzes:
            at = len(cells) - 1  # before the solution cells just above the check, if any
            while (
                at > 0 and cells[at - 1].cell_type == "code" and _has_solution(cells[at - 1].source)
            ):
                at -= 1
            shown = nbformat.v4.new_code_cell("# quiz", metadata={"tags": ["remove-input"]})
            shown.outputs = [
                nbformat.v4.new_output(
                    "display_data", data={"text/html": quiz_html(quizzes.pop(name))}
                )
            ]
            cells.insert(at, shown)
            added += 1
        elif name in names:
            cells.append(nbformat.v4.new_markdown_cell(CODE_NOTE.format(name=name)))
    nb.cells = cells
    return added
