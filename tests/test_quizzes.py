"""The website's quizzes (tools/quizzes.py) say what the notebooks' checks say.

For every choice and every numeric exercise of the bank: the quiz's accepted answer is the
one the exercise accepts, every option's message is the notebook's, and every declared
misconception (a choice's explanation, a number's ``Mistake``) gets its message. Every
such exercise gets a quiz on its lesson's page, after the cell that checks it. The
JavaScript that shows them is driven in Chromium by tests/browser/test_site_offline.py.
"""

from __future__ import annotations

import math

import nbformat
import pytest

from course_utils.exercises import ChoiceExercise, ValueExercise, exercises_in
from course_utils.lessons import lesson_modules
from tools import quizzes
from tools.lessons import lessons

ROOT = quizzes.QUIZ_SCRIPT.parents[2]
BANK = [(m, e) for m in lesson_modules() for e in exercises_in(m) if quizzes.is_quiz(e)]


def accepts(item: dict, value: float, target: float) -> bool:
    """quiz.js's comparison: NumPy's isclose with the exercise's tolerances."""
    return abs(value - target) <= item["atol"] + item["rtol"] * abs(target)


def test_the_bank_has_both_kinds_and_nothing_else_is_a_quiz():
    kinds = {e.kind for _, e in BANK}
    assert kinds == {"choice", "value"} and len(BANK) >= 20
    for module in lesson_modules():
        for exercise in exercises_in(module):
            if isinstance(exercise, ChoiceExercise):
                assert quizzes.is_quiz(exercise)
            elif not isinstance(exercise, ValueExercise):
                assert not quizzes.is_quiz(exercise), exercise.name  # code and free text


@pytest.mark.parametrize(("module", "exercise"), BANK, ids=[e.name for _, e in BANK])
def test_each_quiz_accepts_what_its_exercise_accepts_and_names_each_mistake(module, exercise):
    item = quizzes.quiz_item(exercise)
    answer = exercise.reference_answer()
    assert exercise.evaluate(answer).status == "correct"
    assert item["correct"] == exercise.evaluate(answer).message
    if item["kind"] == "choice":
        assert item["answer"] == answer and set(item["feedback"]) == set(item["options"]) - {answer}
        for label, message in item["feedback"].items():
            said = exercise.evaluate(label)
            assert said.status == "incorrect" and message == said.message
        for label, explanation in exercise.explanations.items():
            assert item["feedback"][label] == explanation  # each misconception, its message
        return
    assert item["answer"] == float(answer) and accepts(item, float(answer), item["answer"])
    declared = [m.answer for m in exercise.mistakes]  # a rule's example stands for the rule
    assert [m["value"] for m in item["mistakes"]] == [float(v) for v in declared]
    for mistake in item["mistakes"]:
        said = exercise.evaluate(mistake["value"])
        assert said.status == "incorrect" and mistake["message"] == said.message
        assert not accepts(item, mistake["value"], item["answer"])
    assert all(math.isfinite(v) for v in (item["rtol"], item["atol"]))
    exercise.reset_progress()


@pytest.mark.parametrize("path", lessons(ROOT / "notebooks"), ids=lambda p: p.stem)
def test_every_quiz_lands_after_its_check_cell(path):
    nb = nbformat.read(path, as_version=4)
    module = quizzes.exercise_module(nb)
    expected = 0 if module is None else sum(quizzes.is_quiz(e) for e in exercises_in(module))
    assert quizzes.add_quizzes(nb) == expected
    for before, cell in zip(nb.cells, nb.cells[1:], strict=False):
        if quizzes.QUIZ_CLASS in str(cell.get("outputs", "")):
            assert quizzes.checked_name(before.source) in str(cell.outputs)
            assert cell.metadata["tags"] == ["remove-input"]


def test_the_quiz_html_carries_its_data_escaped():
    item = quizzes.quiz_item(next(e for _, e in BANK if e.kind == "choice"))
    block = quizzes.quiz_html(item)
    assert block.startswith(f'<div class="{quizzes.QUIZ_CLASS}" data-quiz="{{&quot;')
    assert "<script" not in block and "'" not in block.split('data-quiz="')[1].split('"')[0]
    with pytest.raises(ValueError, match="not a choice or a single number"):
        quizzes.quiz_item(
            next(e for m in lesson_modules() for e in exercises_in(m) if not quizzes.is_quiz(e))
        )
