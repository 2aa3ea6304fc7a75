"""Elman's word-boundary experiment: the letter stream, the error measures and the plot."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from course_utils.core import grammar
from course_utils.lessons.l01_elman import word_boundaries as wb
from course_utils.lessons.l01_elman.word_boundary_plots import plot_word_boundary_errors
from course_utils.tasks import LETTERS, letter_stream


def test_letter_stream_spells_grammar_sentences_without_spaces():
    x, y, letters, word_start = letter_stream(5, seed=3)
    words = [w for s in grammar.sample_sentences(5, np.random.default_rng(3)) for w in s]
    assert letters == "".join(words)
    assert x.shape == (1, len(letters) - 1, len(LETTERS)) and y.shape == x.shape
    assert np.array_equal(x[0, 1:], y[0, :-1])  # y is x shifted by one step
    assert word_start.sum() == len(words) and word_start[0]
    starts = np.flatnonzero(word_start)
    assert [letters[a:b] for a, b in zip(starts, [*starts[1:], len(letters)], strict=True)] == words


@pytest.mark.parametrize("bad", [0, 2.5, "3"])
def test_letter_stream_rejects_bad_sizes(bad):
    with pytest.raises((TypeError, ValueError), match="n_sentences"):
        letter_stream(bad)


def test_cross_entropy_per_step_is_minus_log_p():
    logits = np.log(np.array([[[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]]]))  # (1, 2, 3)
    targets = np.array([[[1.0, 0, 0], [0, 0, 1.0]]])
    assert np.allclose(wb.cross_entropy_per_step(logits, targets), [[np.log(2), -np.log(0.8)]])
    with pytest.raises(ValueError, match="targets"):
        wb.cross_entropy_per_step(logits, targets[:, :1])


def test_position_in_word_and_onset_means():
    word_start = np.array([True, False, False, True, False, True])  # "abc" "de" "f"
    assert wb.position_in_word(word_start).tolist() == [0, 1, 2, 0, 1, 0]
    errors = np.array([1.0, 2.0, 9.0, 1.0, 8.0])  # step t predicts letter t + 1
    assert wb.onset_and_inside(errors, word_start) == (8.5, 4 / 3)
    by_position = wb.error_by_letter_position(errors, word_start, max_position=4)
    assert np.allclose(by_position[:3], [8.5, 1.0, 2.0]) and np.isnan(by_position[3])


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: wb.position_in_word(np.array([0, 1])), TypeError, "bool"),
        (lambda: wb.position_in_word(np.array([False, True])), ValueError, "first letter"),
        (lambda: wb.onset_and_inside(np.ones(3), np.array([True, False])), ValueError, "one entry"),
        (lambda: wb.onset_and_inside(np.ones(2), np.array([True, True, True])), ValueError, "both"),
        (lambda: wb.error_by_letter_position(np.ones(1), np.array([True, False]), 0),
         ValueError, "max_position"),
    ],
)  # fmt: skip
def test_word_boundary_helpers_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_plot_word_boundary_errors():
    _, _, letters, word_start = letter_stream(3, seed=0)
    errors = np.linspace(0, 1, len(letters) - 1)
    fig = plot_word_boundary_errors(errors, letters, word_start, np.ones((2, 4)), n_show=10)
    assert len(fig.axes) == 2
    with pytest.raises(ValueError, match="letters"):
        plot_word_boundary_errors(errors, letters[:-1], word_start, np.ones((2, 4)))


def test_bigram_cross_entropy_counts_letter_pairs():
    eye = np.eye(3)
    x = eye[[0, 0, 0, 1]][None]  # (1, 4, 3): a a a b
    y = eye[[1, 1, 2, 0]][None]  # a -> b twice, a -> c once, b -> a
    # smoothing 1: p(b | a) = (2 + 1) / (3 + 3), p(c | a) = 2 / 6, p(a | b) = 2 / 4
    errors = wb.bigram_cross_entropy(x, y, x, y)
    assert errors.shape == (1, 4)
    np.testing.assert_allclose(errors[0], -np.log([0.5, 0.5, 1 / 3, 0.5]))
    sharp = wb.bigram_cross_entropy(x, y, x, y, smoothing=1e-9)  # the counts alone
    np.testing.assert_allclose(sharp[0], -np.log([2 / 3, 2 / 3, 1 / 3, 1.0]), atol=1e-6)


def test_bigram_beats_no_model_on_the_letter_stream_but_not_inside_long_words():
    x, y, _, word_start = letter_stream(200, seed=0)
    x_test, y_test, _, start_test = letter_stream(100, seed=1)
    errors = wb.bigram_cross_entropy(x, y, x_test, y_test)[0]  # (time,)
    assert errors.mean() < np.log(x.shape[2])  # better than a uniform guess
    assert np.isfinite(wb.error_by_letter_position(errors, start_test)[:3]).all()


@pytest.mark.parametrize(
    "change, match",
    [
        ({"x_train": np.zeros((2, 3))}, "x_train"),
        ({"y_test": np.zeros((1, 2, 4))}, "y_test"),
        ({"x_test": np.zeros((1, 2, 4)), "y_test": np.zeros((1, 2, 4))}, "x_test"),
        ({"smoothing": 0.0}, "smoothing"),
    ],
)
def test_bigram_cross_entropy_checks_its_arguments(change, match):
    eye = np.eye(3)[None]  # (1, 3, 3)
    args = {"x_train": eye, "y_train": eye, "x_test": eye, "y_test": eye}
    with pytest.raises(ValueError, match=match):
        wb.bigram_cross_entropy(**{**args, **change})
