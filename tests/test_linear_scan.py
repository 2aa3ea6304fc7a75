"""The linear recurrence: the parallel scan equals the loop (lesson 09's first claim)."""

import numpy as np
import pytest

from course_utils.linear_rnn import combine, scan_loop, scan_parallel


@pytest.mark.parametrize("time", [1, 2, 3, 7, 8, 33])
def test_parallel_scan_equals_the_loop(time):
    rng = np.random.default_rng(time)
    a = rng.uniform(-1, 1, (2, time, 5))  # (batch, time, units)
    b = rng.normal(size=(2, time, 5))  # (batch, time, units)
    h0 = rng.normal(size=(2, 5))  # (batch, units)
    np.testing.assert_allclose(scan_parallel(a, b, h0), scan_loop(a, b, h0), rtol=1e-12, atol=1e-12)


def test_complex_diagonal_recurrence():
    rng = np.random.default_rng(0)
    a = 0.9 * np.exp(1j * rng.uniform(0, np.pi, (1, 9, 3)))  # (batch, time, units)
    b = rng.normal(size=(1, 9, 3)) + 0j  # (batch, time, units)
    np.testing.assert_allclose(scan_parallel(a, b), scan_loop(a, b), atol=1e-12)


def test_combine_is_associative():
    rng = np.random.default_rng(1)
    x, y, z = [tuple(rng.normal(size=(2, 4)) for _ in range(2)) for _ in range(3)]
    left, right = combine(combine(x, y), z), combine(x, combine(y, z))
    np.testing.assert_allclose(left, right)


@pytest.mark.parametrize(
    ("a", "b", "error", "words"),
    [
        (np.ones((2, 3)), np.ones((2, 3)), ValueError, "a must have rank 3"),
        (np.ones((1, 3, 2)), np.ones((1, 4, 2)), ValueError, "b must have shape"),
        (np.ones((1, 3, 2), dtype=int), np.ones((1, 3, 2)), TypeError, "a must be a float"),
        (np.full((1, 3, 2), np.nan), np.ones((1, 3, 2)), ValueError, "a contains"),
    ],
)
def test_bad_inputs_name_the_argument(a, b, error, words):
    for scan in (scan_loop, scan_parallel):
        with pytest.raises(error, match=words):
            scan(a, b)
