"""Selective copying (Gu & Dao 2023, section 3.1) and plain copying: the task generators."""

import numpy as np
import pytest

from course_utils.tasks import BLANK_TOKEN, marker_token, plain_copy, selective_copy

TASKS = [selective_copy, plain_copy]


@pytest.mark.parametrize("task", TASKS)
def test_shapes_and_token_ranges(task):
    inputs, targets = task(5, length=20, tokens=4, vocab=7, seed=0)
    assert inputs.shape == (5, 24) and targets.shape == (5, 4)
    assert inputs.dtype == np.int32 and targets.dtype == np.int32
    assert marker_token(7) == 6 and np.all(inputs[:, 20:] == 6)
    body = inputs[:, :20]
    assert np.all((body == BLANK_TOKEN) | ((body >= 1) & (body <= 5)))
    assert np.all((targets >= 1) & (targets <= 5))


@pytest.mark.parametrize("task", TASKS)
def test_the_data_tokens_appear_in_order(task):
    inputs, targets = task(50, length=30, tokens=6, vocab=10, seed=1)
    for row, target in zip(inputs, targets, strict=True):
        body = row[:30]
        data = body[body != BLANK_TOKEN]
        np.testing.assert_array_equal(data, target)  # every data token, in order of position


def test_selective_positions_vary_and_plain_positions_do_not():
    selective, _ = selective_copy(200, length=40, tokens=5, seed=2)
    plain, _ = plain_copy(200, length=40, tokens=5, seed=2)
    selective_places = {tuple(np.flatnonzero(row[:40])) for row in selective}
    plain_places = {tuple(np.flatnonzero(row[:40])) for row in plain}
    assert plain_places == {(0, 1, 2, 3, 4)}
    assert len(selective_places) > 150  # random places: almost every sequence differs
    first = np.array([np.flatnonzero(row[:40])[0] for row in selective])
    assert first.max() > 10  # not bunched at the start


@pytest.mark.parametrize("task", TASKS)
def test_seeds_are_reproducible(task):
    a, b = task(8, seed=3), task(8, seed=3)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    c = task(8, seed=4)
    assert not np.array_equal(a[0], c[0]) or not np.array_equal(a[1], c[1])
    generator = np.random.default_rng(5)
    assert task(2, seed=generator)[0].shape == (2, 72)  # defaults: length 64, tokens 8


def test_every_position_can_hold_data_when_tokens_equal_length():
    inputs, targets = selective_copy(3, length=4, tokens=4, vocab=5, seed=0)
    np.testing.assert_array_equal(inputs[:, :4], targets)


@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"tokens": 11, "length": 10}, ValueError, "tokens must be <= length = 10"),
        ({"tokens": 0}, ValueError, "tokens must be >= 1"),
        ({"vocab": 2}, ValueError, "vocab must be >= 3"),
        ({"n_sequences": 0}, ValueError, "n_sequences must be >= 1"),
        ({"length": 2.5}, TypeError, "length must be an integer"),
        ({"seed": "x"}, TypeError, "seed must be an int"),
    ],
)
def test_bad_arguments_name_themselves(task, kwargs, error, words):
    arguments = {"n_sequences": 2, "length": 10, "tokens": 3, **kwargs}
    with pytest.raises(error, match=words):
        task(**arguments)
