"""Every exercise in every lesson module, checked both ways.

New ``course_utils/lessons/lNN_topic/exercises.py`` modules are found automatically: the
reference answer must pass, and each declared typical wrong answer must get its
own, specific message.
"""

import pytest

from course_utils.exercises import Exercise, exercises_in
from course_utils.lessons import all_exercises, lesson_modules

EXERCISES = all_exercises()


def test_every_lesson_module_has_exercises_and_progress():
    modules = lesson_modules()
    assert modules, "no lesson modules found"
    for module in modules:
        assert exercises_in(module), f"{module.__name__} defines no exercises"
        assert callable(getattr(module, "progress", None)), (
            f"{module.__name__} needs `progress = progress_for(__name__)`"
        )


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_named_for_what_it_checks(key):
    module_name, attribute = key.split(".")
    exercise = EXERCISES[key]
    assert isinstance(exercise, Exercise)
    assert exercise.name == attribute, "the attribute and name= must agree"
    assert not (attribute[0] == "q" and attribute[1:].isdigit()), "no positional names like q1"


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_reference_answer_passes(key):
    exercise = EXERCISES[key]
    feedback = exercise.evaluate(exercise.reference_answer())
    # An ungraded reflection is "noted", never "correct" (see ReflectionExercise).
    expected = "noted" if getattr(exercise, "graded", True) is False else "correct"
    assert feedback.status == expected, feedback.text()


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_typical_wrong_answers_get_their_own_message(key):
    exercise = EXERCISES[key]
    wrong = exercise.wrong_answers()
    assert len(wrong) >= 2, "declare at least two typical wrong answers"
    messages = [message for _, message in wrong]
    assert len(set(messages)) == len(messages), "each wrong answer needs a different message"
    for answer, message in wrong:
        feedback = exercise.evaluate(answer)
        assert feedback.status == "incorrect", f"{answer!r}: {feedback.text()}"
        assert message in feedback.message, f"{answer!r} got: {feedback.message}"


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_not_attempted_and_help_work(key, capsys):
    exercise = EXERCISES[key]
    assert exercise.evaluate(...).status == "not_attempted"
    assert exercise.evaluate(None).status == "not_attempted"
    exercise.hint()
    exercise.solution()
    exercise.question()
    shown = capsys.readouterr().out
    assert f"{exercise.name}: solution" in shown
