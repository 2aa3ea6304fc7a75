"""course_utils.textgen.sampling: temperature and top-k."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_utils.textgen.sampling import distribution, sample

LOGITS = arrays(np.float64, st.integers(2, 40), elements=st.floats(-20, 20))


def test_temperature_one_is_the_softmax():
    logits = np.array([1.0, 2.0, 3.0])
    expected = np.exp(logits) / np.exp(logits).sum()
    np.testing.assert_allclose(distribution(logits), expected, rtol=1e-12)


@given(LOGITS, st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_temperature_to_zero_is_argmax(logits, seed):
    if np.sort(logits)[-1] - np.sort(logits)[-2] < 1e-3:  # a near tie has no single argmax
        return
    assert sample(logits, temperature=1e-6, rng=seed) == int(np.argmax(logits))


@given(LOGITS, st.integers(1, 45), st.floats(0.05, 5.0), st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_top_k_never_samples_outside_the_top_k(logits, k, temperature, seed):
    rng = np.random.default_rng(seed)
    allowed = set(np.argsort(-logits, kind="stable")[:k].tolist())
    draws = [sample(logits, temperature=temperature, top_k=k, rng=rng) for _ in range(30)]
    assert set(draws) <= allowed
    probs = distribution(logits, temperature=temperature, top_k=k)
    assert np.count_nonzero(probs) <= min(k, len(logits))
    assert probs.sum() == pytest.approx(1.0)


def test_top_k_one_is_argmax_and_ties_keep_exactly_k():
    logits = np.array([0.0, 5.0, 5.0, 1.0])
    assert distribution(logits, top_k=1).tolist() == [0.0, 1.0, 0.0, 0.0]
    assert np.count_nonzero(distribution(logits, top_k=2)) == 2


def test_sampling_follows_the_distribution():
    logits = np.log(np.array([0.1, 0.2, 0.7]))
    draws = sample(np.tile(logits, (20_000, 1)), rng=1)
    assert draws.shape == (20_000,)
    np.testing.assert_allclose(
        np.bincount(draws, minlength=3) / 20_000, [0.1, 0.2, 0.7], atol=0.015
    )


def test_high_temperature_flattens():
    logits = np.array([0.0, 1.0, 4.0])
    assert distribution(logits, temperature=100.0).max() < distribution(logits).max()
    assert distribution(logits, temperature=0.5).max() > distribution(logits).max()


def test_same_seed_same_sample_and_batches():
    logits = np.random.default_rng(0).normal(size=(5, 30))
    assert sample(logits, rng=3).tolist() == sample(logits, rng=3).tolist()
    assert sample(logits, rng=3).shape == (5,)


@pytest.mark.parametrize("temperature", [0, -1.0, -1e-9])
def test_rejects_temperature_at_or_below_zero(temperature):
    with pytest.raises(ValueError, match="temperature"):
        sample(np.zeros(3), temperature=temperature)


@pytest.mark.parametrize("top_k", [0, -3])
def test_rejects_top_k_below_one(top_k):
    with pytest.raises(ValueError, match="top_k"):
        sample(np.zeros(3), top_k=top_k)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"logits": "abc"}, TypeError, "logits"),
        ({"logits": np.zeros((2, 2, 2))}, ValueError, "logits"),
        ({"logits": np.array([0.0, np.nan])}, ValueError, "logits"),
        ({"logits": np.zeros(3), "temperature": "hot"}, TypeError, "temperature"),
        ({"logits": np.zeros(3), "top_k": 2.5}, TypeError, "top_k"),
        ({"logits": np.zeros(3), "rng": -1}, ValueError, "rng"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, error, name):
    with pytest.raises(error, match=name):
        sample(**kwargs)
