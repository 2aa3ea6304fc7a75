import numpy as np
import pytest

from course_utils.core import grammar
from course_utils.tasks import (
    BASELINE_MSE,
    CONSONANT_PATTERNS,
    LETTER_FEATURES,
    adding_problem,
    letter_sequence,
    temporal_xor,
    word_sequence,
)


def test_xor_rule_holds_at_every_third_position():
    x, y = temporal_xor(500, seed=0)
    stream = np.concatenate([x[0, :1, 0], y[0, :, 0]])  # the whole bit stream
    assert stream.shape == (1500,) and x.shape == (1, 1499, 1)
    triplets = stream.reshape(-1, 3).astype(int)
    np.testing.assert_array_equal(triplets[:, 2], triplets[:, 0] ^ triplets[:, 1])
    assert 0.3 < triplets[:, :2].mean() < 0.7  # the first two bits are random


def test_letter_rules_hold():
    x, y, letters = letter_sequence(300, seed=1)
    assert x.shape == (1, len(letters) - 1, 6)
    i = 0
    while i < len(letters):
        pattern = CONSONANT_PATTERNS[letters[i]]
        assert letters[i : i + len(pattern)] == pattern
        i += len(pattern)
    for t, ch in enumerate(letters[1:]):
        np.testing.assert_array_equal(y[0, t], LETTER_FEATURES[ch])
    codes = {tuple(v) for v in LETTER_FEATURES.values()}
    assert len(codes) == len(LETTER_FEATURES)  # every letter has its own code


def test_word_stream_is_grammatical():
    x, y, words = word_sequence(400, seed=2)
    assert x.shape == (1, len(words) - 1, len(grammar.VOCABULARY))
    assert (x.sum(-1) == 1).all()
    # re-split the stream into sentences using the generator's own sentences
    sentences = grammar.sample_sentences(400, np.random.default_rng(2))
    assert [w for s in sentences for w in s] == words
    assert all(grammar.is_grammatical(s) for s in sentences)
    decoded = [grammar.VOCABULARY[i] for i in y[0].argmax(-1)]
    assert decoded == words[1:]


@pytest.mark.parametrize(
    "make",
    [
        lambda s: temporal_xor(20, seed=s)[0],
        lambda s: letter_sequence(20, seed=s)[0],
        lambda s: word_sequence(20, seed=s)[0],
        lambda s: adding_problem(20, 10, seed=s)[0],
    ],
)
def test_seeds_reproduce(make):
    np.testing.assert_array_equal(make(3), make(3))
    assert not np.array_equal(make(3), make(4))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: temporal_xor(0), "n_triplets"),
        (lambda: letter_sequence(-2), "n_consonants"),
        (lambda: word_sequence(0), "n_sentences"),
        (lambda: adding_problem(0, 10), "n_sequences"),
        (lambda: adding_problem(5, 1), "length"),
        (lambda: grammar.words_in("ADJECTIVE"), "word_class"),
    ],
)
def test_bad_arguments_raise_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_adding_problem_markers_and_target():
    x, y = adding_problem(1000, 30, seed=0)
    assert x.shape == (1000, 30, 2) and y.shape == (1000, 1) and x.dtype == np.float32
    assert (x[:, :, 1].sum(1) == 2).all()
    assert set(np.unique(x[:, :, 1])) == {0.0, 1.0}
    np.testing.assert_allclose(y[:, 0], (x[:, :, 0] * x[:, :, 1]).sum(1), rtol=1e-6)
    first = x[:, :15, 1].sum(1)
    assert (first == 1).all()  # one marker in each half


def test_adding_baseline_mse_is_one_sixth():
    _, y = adding_problem(100_000, 10, seed=1)
    baseline = float(np.mean((y - 1.0) ** 2))
    assert abs(baseline - BASELINE_MSE) < 0.005
