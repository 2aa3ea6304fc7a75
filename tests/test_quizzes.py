"""The website's quizzes (tools/quizzes.py) say what the notebooks' checks say.

For every choice and every numeric exercise of the bank: the quiz's accepted answer is the
one the exercise accepts, every option's message is the notebook's, and every declared
misconception (a choice's explanation, a number's ``Mistake``) gets its message. Every
such exercise gets a quiz on its lesson's page, after the cell that checks it. The
JavaScript that shows them is driven in Chromium by tests/browser/test_site_offline.py.
"""

from __future__ import annotations

import html
import json
import math
import shutil
import subprocess

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
    assert [float(m["value"]) for m in item["mistakes"]] == [float(v) for v in declared]
    declared_messages = [m.message for m in exercise.mistakes]
    for mistake, declared in zip(item["mistakes"], declared_messages, strict=True):
        said = exercise.evaluate(float(mistake["value"]))
        assert said.status == "incorrect" and mistake["message"] == said.message
        assert said.message == declared  # no misconception shadowed by an earlier one
        assert not accepts(item, float(mistake["value"]), item["answer"])
    assert all(math.isfinite(v) for v in (item["rtol"], item["atol"]))
    exercise.reset_progress()


@pytest.mark.parametrize("path", lessons(ROOT / "notebooks"), ids=lambda p: p.stem)
def test_every_quiz_comes_before_the_cells_that_answer_it_which_are_folded(path):
    nb = nbformat.read(path, as_version=4)
    module = quizzes.exercise_module(nb)
    expected = 0 if module is None else sum(quizzes.is_quiz(e) for e in exercises_in(module))
    assert quizzes.add_quizzes(nb) == expected
    for k, cell in enumerate(nb.cells):
        if quizzes.QUIZ_CLASS not in str(cell.get("outputs", "")):
            continue
        assert cell.metadata["tags"] == ["remove-input"]
        name = json.loads(
            html.unescape(
                str(cell.outputs[0]["data"]["text/html"]).split('data-quiz="')[1].split('"')[0]
            )
        )["name"]
        after = nb.cells[k + 1 :]
        check = next(i for i, c in enumerate(after) if quizzes.checked_name(c.source) == name)
        for answering in after[: check + 1]:  # the solution cells and the check: folded
            assert "hide-cell" in answering.metadata.get("tags", []), answering.source[:80]
    for cell in nb.cells:  # no solution shows unfolded anywhere on the page
        if cell.cell_type == "code" and "# BEGIN SOLUTION" in cell.source:
            assert "hide-cell" in cell.metadata.get("tags", [])


NODE = shutil.which("node")
RUN_QUIZ_JS = """
const quiz = require(process.argv[1]);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(cases.map(([q, v]) => quiz.verdict(q, v))));
"""


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed: quiz.js runs only in Chromium")
def test_quiz_js_says_what_the_notebook_says_for_every_quiz():
    cases, expected = [], []
    for _, exercise in BANK:
        item = quizzes.quiz_item(exercise)
        if item["kind"] == "choice":
            tries = list(item["options"])
        else:
            a = item["answer"]
            tries = [a, -a, 100 * a, a / 100, a * 1.0213, a * 0.9787, a * 3.17, a * 0.31, 0.0]
            tries += [m["value"] for m in item["mistakes"]]
            rules = [m for m in exercise.mistakes if m.predicate is not None]
            examples = [m.answer for m in rules]
            tries = [
                v
                for v in tries
                if v in examples or not any(m.matches_by_predicate(v) for m in rules)
            ]
        for value in tries:
            said = exercise.evaluate(value)
            typed = (
                value if item["kind"] == "choice" else str(float(value)).replace("inf", "Infinity")
            )
            cases.append([item, typed])
            expected.append([said.status == "correct", said.message])
        exercise.reset_progress()
    done = subprocess.run(
        [NODE, "-e", RUN_QUIZ_JS, str(quizzes.QUIZ_SCRIPT)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout)
    wrong = [
        (c[0]["name"], c[1], g, e) for c, g, e in zip(cases, got, expected, strict=True) if g != e
    ]
    assert not wrong, wrong[:5]
    assert len(cases) > 100


def test_the_quiz_html_carries_its_data_escaped():
    item = quizzes.quiz_item(next(e for _, e in BANK if e.kind == "choice"))
    block = quizzes.quiz_html(item)
    assert block.startswith(f'<div class="{quizzes.QUIZ_CLASS}" data-quiz="{{&quot;')
    assert "<script" not in block and "'" not in block.split('data-quiz="')[1].split('"')[0]
    with pytest.raises(ValueError, match="not a choice or a single number"):
        quizzes.quiz_item(
            next(e for m in lesson_modules() for e in exercises_in(m) if not quizzes.is_quiz(e))
        )
