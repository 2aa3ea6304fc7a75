"""The linear recurrence: every parallel scan equals the loop (lesson 09's first claim),
and equals ``keras.ops.associative_scan``; their depth and work, counted."""

import keras
import numpy as np
import pytest

from course_utils.linear_rnn import (
    combine,
    scan_blelloch,
    scan_cost,
    scan_log_space,
    scan_loop,
    scan_parallel,
)


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


# --- Blelloch, log space, Keras, cost (lesson 09's scan section) --------------------------

TIMES = [1, 2, 3, 5, 7, 8, 9, 16, 33]


@pytest.mark.parametrize("time", TIMES)
@pytest.mark.parametrize("with_h0", [False, True])
def test_blelloch_equals_the_loop(time, with_h0):
    """Tolerance 1e-12 (float64): the scans reorder the same products and sums."""
    rng = np.random.default_rng(time)
    a = rng.uniform(-1, 1, (2, time, 5))  # (batch, time, units)
    b = rng.normal(size=(2, time, 5))  # (batch, time, units)
    h0 = rng.normal(size=(2, 5)) if with_h0 else None  # (batch, units)
    expected = scan_loop(a, b, h0)
    np.testing.assert_allclose(scan_blelloch(a, b, h0), expected, rtol=1e-12, atol=1e-12)


def test_blelloch_complex_diagonal_recurrence():
    rng = np.random.default_rng(0)
    a = 0.9 * np.exp(1j * rng.uniform(0, np.pi, (1, 11, 3)))  # (batch, time, units)
    b = rng.normal(size=(1, 11, 3)) + 0j  # (batch, time, units)
    np.testing.assert_allclose(scan_blelloch(a, b), scan_loop(a, b), atol=1e-12)


@pytest.mark.parametrize("time", TIMES + [500])
@pytest.mark.parametrize("with_h0", [False, True])
def test_log_space_scan_equals_the_loop_on_positive_values(time, with_h0):
    """Relative tolerance 1e-12 (float64) up to T = 500."""
    rng = np.random.default_rng(time)
    a = rng.uniform(0.01, 1, (2, time, 4))  # (batch, time, units), a gate's 1 - z
    b = rng.uniform(0.01, 2, (2, time, 4))  # (batch, time, units)
    h0 = rng.uniform(0.1, 1, (2, 4)) if with_h0 else None  # (batch, units)
    log_h0 = None if h0 is None else np.log(h0)
    got = scan_log_space(np.log(a), np.log(b), log_h0)
    np.testing.assert_allclose(got, scan_loop(a, b, h0), rtol=1e-12)


@pytest.mark.parametrize("time", [1, 2, 7, 16, 33])
def test_scans_equal_keras_associative_scan(time):
    """``keras.ops.associative_scan`` with :func:`combine` (eager; Keras >= 3.5), to 1e-12."""
    rng = np.random.default_rng(time)
    a = rng.uniform(-1, 1, (2, time, 3))  # (batch, time, units)
    b = rng.normal(size=(2, time, 3))  # (batch, time, units)
    _, states = keras.ops.associative_scan(combine, (a, b), axis=1)
    theirs = keras.ops.convert_to_numpy(states)  # (batch, time, units)
    for scan in (scan_loop, scan_parallel, scan_blelloch):
        np.testing.assert_allclose(scan(a, b), theirs, rtol=1e-12, atol=1e-12)


def hillis_steele_work(n):
    return sum(n - 2**k for k in range(n.bit_length()) if 2**k < n)


@pytest.mark.parametrize("time", list(range(1, 40)) + [64, 100, 1000, 1025])
def test_scan_cost_counts_match_the_closed_forms(time):
    """Counted by running each algorithm; n elements, P the next power of two."""
    P = 1 << (time - 1).bit_length()
    assert scan_cost(time, "loop") == (time - 1, time - 1)
    log2 = (time - 1).bit_length()  # ceil(log2 n), 0 for n = 1
    assert scan_cost(time, "hillis_steele") == (log2, hillis_steele_work(time))
    assert scan_cost(time, "blelloch") == (2 * log2, 2 * (P - 1))


def test_scan_cost_orders_of_growth():
    """Hillis-Steele does about T log2 T combines; Blelloch at most 4T, at twice the depth."""
    T = 1024
    hs, bl = scan_cost(T, "hillis_steele"), scan_cost(T, "blelloch")
    assert hs.work == T * 10 - (T - 1)  # T log2 T - (T - 1)
    assert bl.work == 2 * (T - 1) and bl.depth == 2 * hs.depth == 20


@pytest.mark.parametrize(
    ("log_a", "log_b", "error", "words"),
    [
        (np.zeros((1, 3, 2)), np.full((1, 3, 2), np.nan), ValueError, "log_b contains.*negative"),
        (np.zeros((1, 3, 2)), np.full((1, 3, 2), -np.inf), ValueError, "log_b contains.*log.0."),
        (np.full((1, 3, 2), -np.inf), np.zeros((1, 3, 2)), ValueError, "log_a contains"),
        (np.zeros((1, 3, 2), dtype=int), np.zeros((1, 3, 2)), TypeError, "log_a must be a float"),
        (np.zeros((1, 3, 2)) + 0j, np.zeros((1, 3, 2)), TypeError, "log_a must be a float"),
        (np.zeros((3, 2)), np.zeros((3, 2)), ValueError, "log_a must have rank 3"),
        (np.zeros((1, 3, 2)), np.zeros((1, 2, 2)), ValueError, "log_b must have shape"),
    ],
)
def test_log_space_scan_bad_inputs_name_the_argument(log_a, log_b, error, words):
    """NaN is what np.log gives for a negative number, -inf for 0."""
    with pytest.raises(error, match=words):
        scan_log_space(log_a, log_b)


def test_log_space_scan_bad_h0_and_the_other_scans():
    with pytest.raises(ValueError, match="log_h0 must have shape"):
        scan_log_space(np.zeros((1, 3, 2)), np.zeros((1, 3, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="b must have shape"):
        scan_blelloch(np.ones((1, 3, 2)), np.ones((1, 4, 2)))
    with pytest.raises(ValueError, match="h0 contains"):
        scan_blelloch(np.ones((1, 3, 2)), np.ones((1, 3, 2)), np.full((1, 2), np.nan))


@pytest.mark.parametrize(
    ("time", "method", "error", "words"),
    [
        (0, "loop", ValueError, "time must be >= 1"),
        (2.5, "loop", TypeError, "time must be an integer"),
        (8, "bogus", ValueError, "unknown method 'bogus'"),
    ],
)
def test_scan_cost_bad_arguments(time, method, error, words):
    with pytest.raises(error, match=words):
        scan_cost(time, method)
