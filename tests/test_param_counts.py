"""course_utils.param_counts: every formula against Keras's count_params(), over many sizes."""

import keras
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.core.registry import RECURRENT, blocks
from course_utils.param_counts import (
    dense_params,
    gru_params,
    lstm_params,
    multiplies_per_step,
    recurrent_params,
    simple_rnn_params,
)

SIZES = [(1, 1), (1, 7), (7, 1), (2, 16), (16, 2), (28, 64), (64, 128), (300, 17)]


def keras_count(layer, input_size):
    layer.build((None, None, input_size))
    return layer.count_params()


@pytest.mark.parametrize(("m", "n"), SIZES)
def test_lstm_formula_matches_keras(m, n):
    assert lstm_params(m, n) == 4 * (n * m + n * n + n)
    assert lstm_params(m, n) == keras_count(keras.layers.LSTM(n), m)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize(("m", "n"), SIZES)
def test_gru_formula_matches_keras_with_and_without_reset_after(m, n, reset_after):
    expected = keras_count(keras.layers.GRU(n, reset_after=reset_after), m)
    assert gru_params(m, n, reset_after=reset_after) == expected
    assert recurrent_params("gru", m, n, reset_after=reset_after) == expected


@pytest.mark.parametrize(("m", "n"), SIZES)
def test_reset_after_costs_exactly_one_more_bias_vector_per_block(m, n):
    assert gru_params(m, n, True) - gru_params(m, n, False) == 3 * n


@pytest.mark.parametrize(("m", "n"), SIZES)
def test_simple_rnn_and_dense_match_keras(m, n):
    assert simple_rnn_params(m, n) == keras_count(keras.layers.SimpleRNN(n), m)
    assert recurrent_params("simple_rnn", m, n) == simple_rnn_params(m, n)
    assert recurrent_params("lstm", m, n) == lstm_params(m, n)
    assert dense_params(m, n) == keras_count(keras.layers.Dense(n), m)


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 40), st.integers(1, 40))
def test_formulas_match_keras_on_random_sizes(m, n):
    assert lstm_params(m, n) == keras_count(keras.layers.LSTM(n), m)
    assert gru_params(m, n) == keras_count(keras.layers.GRU(n), m)


def test_multiplies_per_step_count_the_blocks():
    assert {cell: blocks(cell) for cell in RECURRENT} == {"simple_rnn": 1, "lstm": 4, "gru": 3}
    assert multiplies_per_step("lstm", 2, 16) == 4 * 16 * 18
    assert multiplies_per_step("gru", 2, 16) == 3 * 16 * 18
    assert multiplies_per_step("simple_rnn", 3, 5) == 5 * 8


@pytest.mark.parametrize(
    ("call", "error", "names"),
    [
        (lambda: lstm_params(0, 4), ValueError, "input_size"),
        (lambda: lstm_params(3, -1), ValueError, "hidden_size"),
        (lambda: lstm_params(2.5, 4), TypeError, "input_size"),
        (lambda: gru_params(3, True), TypeError, "hidden_size"),
        (lambda: gru_params(3, 4, reset_after="yes"), TypeError, "reset_after"),
        (lambda: dense_params(3, 0), ValueError, "output_size"),
        (lambda: recurrent_params("rnn", 3, 4), ValueError, "kind"),
        (lambda: multiplies_per_step(4, 3, 4), TypeError, "kind"),
    ],
)
def test_bad_arguments_are_named(call, error, names):
    with pytest.raises(error, match=names):
        call()


def test_gru_lstm_ratio_tends_to_three_quarters_only_as_width_grows():
    from course_utils.param_counts import gru_lstm_ratio

    assert gru_lstm_ratio(2, 16) == pytest.approx(960 / 1216)  # lesson 05: 21 % smaller
    assert gru_lstm_ratio(2, 16) > gru_lstm_ratio(2, 64) > gru_lstm_ratio(2, 4096) > 0.75
    assert gru_lstm_ratio(2, 16, reset_after=False) == pytest.approx(3 / 4)
    with pytest.raises(ValueError, match="hidden_size"):
        gru_lstm_ratio(2, 0)
    with pytest.raises(TypeError, match="reset_after"):
        gru_lstm_ratio(2, 16, reset_after="yes")
