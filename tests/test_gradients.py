"""course_utils.gradients: the gradient checker (both ways), spectral radius, and
per-step gradient norms measured by the NumPy engine and by Keras."""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils import numpy_rnn
from course_utils.gradients import (
    gradient_check,
    hidden_gradient_norms,
    relative_error,
    set_spectral_radius,
)
from course_utils.keras_cells import ElmanCell

# --- gradient_check -------------------------------------------------------------


def quadratic(params, wrong=False):
    """``L = sum(w**3)``; its gradient ``3 w**2`` (or a wrong ``2 w**2``)."""
    w = params["w"]
    return lambda: (float(np.sum(w**3)), {"w": (2.0 if wrong else 3.0) * w**2})


def test_gradient_check_passes_a_right_gradient_and_fails_a_wrong_one():
    params = {"w": np.random.default_rng(0).standard_normal((3, 4))}
    before = params["w"].copy()
    assert gradient_check(quadratic(params), params) < 1e-8
    assert gradient_check(quadratic(params, wrong=True), params) > 0.1
    np.testing.assert_array_equal(params["w"], before)  # every nudge undone
    sampled = gradient_check(quadratic(params), params, max_entries=5, per_key=True)
    assert set(sampled) == {"w"} and sampled["w"] < 1e-8


def test_gradient_check_works_on_non_contiguous_arrays():
    params = {"w": np.asfortranarray(np.random.default_rng(1).standard_normal((3, 4)))}
    assert gradient_check(quadratic(params), params) < 1e-8


def test_gradient_check_rejects_float32_and_missing_gradients():
    with pytest.raises(TypeError, match=r"params\['w'\] must be a float64"):
        gradient_check(lambda: (0.0, {}), {"w": np.zeros(3, dtype="float32")})
    with pytest.raises(ValueError, match=r"no gradient for \['w'\]"):
        gradient_check(lambda: (0.0, {}), {"w": np.zeros(3)})
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


# --- set_spectral_radius --------------------------------------------------------


@settings(max_examples=25, deadline=None, derandomize=True)
@given(size=st.integers(1, 12), rho=st.floats(0.0, 3.0), seed=st.integers(0, 2**16))
def test_set_spectral_radius_gives_the_requested_radius(size, rho, seed):
    W = np.random.default_rng(seed).standard_normal((size, size))
    scaled = set_spectral_radius(W, rho)
    assert np.max(np.abs(np.linalg.eigvals(scaled))) == pytest.approx(rho, rel=1e-9, abs=1e-12)
    assert scaled is not W and scaled.dtype == W.dtype


def test_set_spectral_radius_rejects_bad_arguments():
    with pytest.raises(ValueError, match="rho must be >= 0.0; got -0.5"):
        set_spectral_radius(np.eye(3), -0.5)
    with pytest.raises(ValueError, match=r"W must be square .*got shape \(2, 3\)"):
        set_spectral_radius(np.ones((2, 3)), 1.0)
    with pytest.raises(ValueError, match="spectral radius 0"):
        set_spectral_radius(np.triu(np.ones((3, 3)), k=1), 1.0)  # nilpotent
    with pytest.raises(TypeError, match="W must be a float array"):
        set_spectral_radius(np.eye(3, dtype=int), 1.0)


# --- hidden_gradient_norms ------------------------------------------------------


@pytest.mark.parametrize("rho", [0.8, 1.0, 1.15])
def test_linear_rnn_gradient_decays_like_rho_to_the_k(rho):
    """h_t = h_{t-1} @ W with W = rho * orthogonal: ||dL/dh_k|| = rho**(T-k) ||dL/dh_T||."""
    steps, hidden = 21, 6
    cell = numpy_rnn.Elman(2, hidden, activation="linear", seed=0)
    cell.params["W_hh"] = set_spectral_radius(
        numpy_rnn.orthogonal((hidden, hidden), np.random.default_rng(1)), rho
    )
    x = np.random.default_rng(2).standard_normal((3, steps, 2))
    norms = hidden_gradient_norms(cell, x, loss="last_sum")  # (time,)
    assert norms.shape == (steps,)
    distance = np.arange(steps)[::-1]  # T - k
    np.testing.assert_allclose(norms / norms[-1], rho**distance, rtol=0.05)
    assert norms[0] / norms[-1] == pytest.approx(rho**20, rel=0.05)  # over 20 steps


def keras_layers():
    yield keras.layers.SimpleRNN(5)
    yield keras.layers.RNN(ElmanCell(5))
    yield keras.layers.LSTM(5)
    yield keras.layers.GRU(5)
    yield keras.layers.GRU(5, reset_after=False)


def mse_on_last_step(outputs):
    """A callable loss: mean squared value of the last outputs, with its gradient."""
    loss, d_last = numpy_rnn.mean_squared_error(outputs[:, -1], np.zeros_like(outputs[:, -1]))
    d_outputs = np.zeros_like(outputs)
    d_outputs[:, -1] = d_last
    return loss, d_outputs


@pytest.mark.parametrize("layer", list(keras_layers()), ids=lambda layer: type(layer).__name__)
@pytest.mark.parametrize(
    "loss", ["last_sum", "sum", mse_on_last_step], ids=["last_sum", "sum", "mse_last"]
)
def test_numpy_and_keras_gradient_norms_agree(layer, loss):
    x = np.random.default_rng(3).standard_normal((2, 8, 3)).astype("float32")
    layer.build((None, None, 3))
    cls = {"LSTMCell": numpy_rnn.LSTM, "GRUCell": numpy_rnn.GRU}.get(
        type(layer.cell).__name__, numpy_rnn.Elman
    )
    cell = cls.from_keras(layer)
    from_numpy = hidden_gradient_norms(cell, x, loss)
    from_keras = hidden_gradient_norms(layer, x, loss)
    assert from_keras.shape == (8,)
    np.testing.assert_allclose(from_numpy, from_keras, rtol=1e-4, atol=1e-7)


def test_hidden_gradient_norms_accepts_a_one_layer_model_and_jordan():
    model = keras.Sequential([keras.Input((5, 2)), keras.layers.SimpleRNN(4)])
    assert hidden_gradient_norms(model, np.ones((1, 5, 2), dtype="float32")).shape == (5,)
    jordan = numpy_rnn.Jordan(2, 4, 3, mu=0.5)
    assert hidden_gradient_norms(jordan, np.ones((1, 5, 2)), loss="sum").shape == (5,)


def test_hidden_gradient_norms_rejects_bad_arguments():
    x = np.ones((1, 5, 2), dtype="float32")
    with pytest.raises(TypeError, match="got Dense"):
        hidden_gradient_norms(keras.layers.Dense(3), x)
    with pytest.raises(ValueError, match="unknown loss 'mean'"):
        hidden_gradient_norms(numpy_rnn.Elman(2, 3), x, loss="mean")
    with pytest.raises(ValueError, match="x must have rank 3"):
        hidden_gradient_norms(numpy_rnn.Elman(2, 3), x[0])
