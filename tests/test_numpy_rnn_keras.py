"""The NumPy engine against Keras: same weights in, same numbers out.

Forward outputs agree within 1e-5 and BPTT gradients agree with ``tf.GradientTape``
within 1e-4 relative error (float32); weights survive ``from_keras``/``to_keras``.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils import numpy_rnn
from course_utils.gradients import relative_error
from course_utils.keras_cells import ElmanCell, JordanCell

KINDS = ["elman_tanh", "elman_relu", "elman_linear", "jordan", "lstm", "gru", "gru_reset_before"]


def make_cell(kind, input_size, hidden_size, output_size=3, seed=0, dtype="float32"):
    """A NumPy cell of ``kind`` with every parameter drawn at random (biases included)."""
    if kind.startswith("elman"):
        cell = numpy_rnn.Elman(input_size, hidden_size, activation=kind[6:], seed=seed, dtype=dtype)
    elif kind == "jordan":
        cell = numpy_rnn.Jordan(
            input_size,
            hidden_size,
            output_size,
            mu=0.5,
            output_activation="tanh",
            seed=seed,
            dtype=dtype,
        )
    elif kind == "lstm":
        cell = numpy_rnn.LSTM(input_size, hidden_size, seed=seed, dtype=dtype)
    else:
        cell = numpy_rnn.GRU(
            input_size, hidden_size, reset_after=kind == "gru", seed=seed, dtype=dtype
        )
    rng = np.random.default_rng(seed)
    scale = 0.3 if kind in ("elman_linear", "elman_relu") else 0.5  # keep linear RNNs tame
    for p in cell.params.values():
        p[...] = scale * rng.standard_normal(p.shape)
    return cell


def random_state(cell, batch, rng):
    parts = [rng.standard_normal((batch, n)).astype(cell.dtype) for n in cell.state_sizes]
    return tuple(parts) if len(parts) > 1 else parts[0]


shapes = st.fixed_dictionaries(
    {
        "batch": st.integers(1, 4),
        "time": st.integers(1, 12),
        "input_size": st.integers(1, 16),
        "hidden_size": st.integers(1, 16),
        "output_size": st.integers(1, 16),
        "seed": st.integers(0, 2**16),
    }
)


# --- forward ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=25, deadline=None, derandomize=True)
@given(s=shapes)
def test_forward_matches_keras(kind, s):
    cell = make_cell(kind, s["input_size"], s["hidden_size"], s["output_size"], s["seed"])
    rng = np.random.default_rng(s["seed"] + 1)
    x = rng.standard_normal((s["batch"], s["time"], s["input_size"])).astype("float32")
    h0 = random_state(cell, s["batch"], rng)
    outputs, cache = cell.forward(x, h0)
    layer = cell.to_keras()
    initial = list(h0) if isinstance(h0, tuple) else [h0]
    expected = keras.ops.convert_to_numpy(layer(x, initial_state=initial))
    assert outputs.shape == expected.shape == (s["batch"], s["time"], cell.output_size)
    np.testing.assert_allclose(outputs, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("kind", ["elman_tanh", "jordan", "lstm", "gru"])
def test_final_state_matches_keras_return_state(kind):
    cell = make_cell(kind, 3, 5)
    x = np.random.default_rng(1).standard_normal((2, 6, 3)).astype("float32")
    _, cache = cell.forward(x)
    result = cell.to_keras(return_state=True)(x)
    final = cache["final_state"]
    final = final if isinstance(final, tuple) else (final,)
    for mine, theirs in zip(final, result[1:], strict=True):
        np.testing.assert_allclose(mine, keras.ops.convert_to_numpy(theirs), atol=1e-5)


# --- backward --------------------------------------------------------------------


def keras_gradients(layer, x, h0, d_outputs):
    """Gradients of ``sum(outputs * d_outputs)`` w.r.t. the weights, ``x`` and the state."""
    x = tf.constant(x)
    states = [tf.constant(h) for h in (h0 if isinstance(h0, tuple) else (h0,))]
    with tf.GradientTape() as tape:
        tape.watch([x, *states])
        loss = tf.reduce_sum(layer(x, initial_state=states) * d_outputs)
    grads = tape.gradient(loss, [*layer.trainable_weights, x, *states])
    return [g.numpy() for g in grads]


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=10, deadline=None, derandomize=True)
@given(s=shapes)
def test_backward_matches_gradient_tape(kind, s):
    cell = make_cell(kind, s["input_size"], s["hidden_size"], s["output_size"], s["seed"])
    rng = np.random.default_rng(s["seed"] + 2)
    x = rng.standard_normal((s["batch"], s["time"], s["input_size"])).astype("float32")
    h0 = random_state(cell, s["batch"], rng)
    outputs, cache = cell.forward(x, h0)
    d_outputs = rng.standard_normal(outputs.shape).astype("float32")
    grads = cell.backward(d_outputs, cache)
    assert set(grads) == {*cell.params, "x", *cell.state_names}
    mine = [*cell.keras_weights(grads), grads["x"], *(grads[n] for n in cell.state_names)]
    theirs = keras_gradients(cell.to_keras(), x, h0, d_outputs)
    for a, b in zip(mine, theirs, strict=True):
        assert a.shape == b.shape
        assert relative_error(a, b) < 1e-4


# --- transplant round trips ------------------------------------------------------


def keras_layers():
    yield keras.layers.SimpleRNN(5, return_sequences=True)
    yield keras.layers.SimpleRNN(5, activation="relu", return_sequences=True)
    yield keras.layers.RNN(ElmanCell(5), return_sequences=True)
    yield keras.layers.LSTM(5, return_sequences=True)
    yield keras.layers.GRU(5, return_sequences=True)
    yield keras.layers.GRU(5, reset_after=False, return_sequences=True)
    yield keras.layers.RNN(JordanCell(5, 2, mu=0.3), return_sequences=True)


CELL_FOR = {"SimpleRNN": numpy_rnn.Elman, "LSTM": numpy_rnn.LSTM, "GRU": numpy_rnn.GRU}


@pytest.mark.parametrize("layer", list(keras_layers()), ids=lambda layer: type(layer).__name__)
def test_from_keras_then_to_keras_reproduces_outputs_exactly(layer):
    x = np.random.default_rng(3).standard_normal((3, 7, 4)).astype("float32")
    before = keras.ops.convert_to_numpy(layer(x))  # builds it with Keras's own init
    if isinstance(layer.cell, JordanCell):
        cls = numpy_rnn.Jordan
    elif isinstance(layer.cell, ElmanCell):
        cls = numpy_rnn.Elman
    else:
        cls = CELL_FOR[type(layer).__name__]
    cell = cls.from_keras(layer)
    assert cell.dtype == np.float32
    after = keras.ops.convert_to_numpy(cell.to_keras()(x))
    np.testing.assert_array_equal(after, before)
    np.testing.assert_allclose(cell(x), before, rtol=1e-5, atol=1e-5)
    for a, b in zip(cell.keras_weights(), layer.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_from_keras_can_convert_to_float64_and_keeps_hyperparameters():
    layer = keras.layers.GRU(4, reset_after=False)
    layer.build((None, None, 2))
    cell = numpy_rnn.GRU.from_keras(layer, dtype="float64")
    assert cell.dtype == np.float64 and not cell.reset_after
    assert (cell.input_size, cell.hidden_size) == (2, 4)
    jordan = numpy_rnn.Jordan(2, 3, 4, mu=0.25, output_activation="sigmoid")
    back = numpy_rnn.Jordan.from_keras(jordan.to_keras())
    assert (back.mu, back.output_activation, back.output_size) == (0.25, "sigmoid", 4)


def test_use_bias_false_layers_transplant_with_zero_bias():
    layer = keras.layers.SimpleRNN(3, use_bias=False, return_sequences=True)
    x = np.random.default_rng(4).standard_normal((2, 5, 2)).astype("float32")
    expected = keras.ops.convert_to_numpy(layer(x))
    cell = numpy_rnn.Elman.from_keras(layer)
    np.testing.assert_array_equal(cell.params["b_h"], 0.0)
    np.testing.assert_allclose(cell(x), expected, atol=1e-6)
