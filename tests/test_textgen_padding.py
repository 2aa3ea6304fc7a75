"""Every masked recurrent input that course_utils.textgen builds is right-padded and
never all padding (issue 15, the GPU path).

On a GPU, Keras runs LSTM and GRU through cuDNN, which accepts only right-padded masks
(``keras/src/backend/tensorflow/rnn.py``, ``_assert_valid_mask``) and fails on rows that
are all padding. These tests run on a CPU and check the data itself, plus that the
masked model still predicts from the last real token.
"""

import inspect

import keras
import numpy as np
import pytest

import course_utils.textgen as textgen
from course_utils.textgen import word_model, word_ngram_sequences

LINES = [
    "the dog sees the cat",
    "a cat sleeps",
    "the old dog sees a very small cat near the door of the house",
    "dogs bark",
]


def assert_right_padded_never_empty(x):
    """Each row: real ids (non-zero) first, then only zeros; at least one real id."""
    x = np.asarray(x)
    real = x != 0  # (rows, time)
    assert real[:, 0].all(), "a row starts with padding (left-padded or all padding)"
    # once a row has a zero, everything after it is zero: real is non-increasing in time
    assert not (real[:, 1:] & ~real[:, :-1]).any(), "a real id follows padding"


def _vectorizer():
    vectorizer = keras.layers.TextVectorization(output_mode="int")
    vectorizer.adapt(LINES)
    return vectorizer


@pytest.mark.parametrize("max_length", [None, 2, 3, 6])
def test_word_ngrams_are_right_padded_and_never_all_padding(max_length):
    x, y = word_ngram_sequences(LINES, _vectorizer(), max_length=max_length)
    assert_right_padded_never_empty(x)
    assert (y != 0).all()


def test_word_ngrams_keep_the_last_words_before_the_target():
    vectorizer = _vectorizer()
    words = vectorizer.get_vocabulary()
    x, y = word_ngram_sequences(LINES[2:3], vectorizer, max_length=4)
    last = [words[i] for i in x[-1] if i] + [words[y[-1]]]
    assert last == ["door", "of", "the", "house"]  # the last max_length words of the line


def test_the_checker_catches_left_padding_and_empty_rows():
    with pytest.raises(AssertionError, match="starts with padding"):
        assert_right_padded_never_empty([[0, 0, 5, 6]])
    with pytest.raises(AssertionError, match="starts with padding"):
        assert_right_padded_never_empty([[4, 0], [0, 0]])
    with pytest.raises(AssertionError, match="follows padding"):
        assert_right_padded_never_empty([[4, 0, 7]])


def test_masked_word_model_predicts_from_the_last_real_word():
    keras.utils.set_random_seed(0)
    model = word_model(30, embedding_dim=4, hidden_size=5)
    unpadded = np.array([[3, 7, 2]], dtype=np.int32)  # (1, 3)
    padded = np.array([[3, 7, 2, 0, 0, 0]], dtype=np.int32)  # (1, 6), right-padded
    np.testing.assert_allclose(
        model.predict_on_batch(padded), model.predict_on_batch(unpadded), rtol=1e-5, atol=1e-6
    )


def test_every_masked_model_in_textgen_is_covered_here():
    """If a textgen model gains mask_zero=True, it needs a data builder test above."""
    masked = [
        name
        for name in textgen.__all__
        if callable(getattr(textgen, name))
        and "mask_zero=True" in inspect.getsource(getattr(textgen, name))
    ]
    assert masked == ["word_model"]
