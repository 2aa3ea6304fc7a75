"""The LRU (lesson 09): NumPy loop = NumPy scan = Keras layer, and its gradients.

Tolerances: loop vs scan 1e-12 (float64); NumPy vs Keras 1e-12 in float64 and 1e-5 in
float32; the NumPy backward and the Keras gradients (``tf.GradientTape``, float64)
against central differences of the NumPy forward, relative error below 1e-7. Also
lesson 03's probe through a linear recurrence, ``linear_gradient_norms``.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_utils import numpy_rnn
from course_utils.gradients import gradient_check, hidden_gradient_norms, set_spectral_radius
from course_utils.linear_rnn import LRU, keras_ssm, linear_gradient_norms


def _x(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape)


@pytest.mark.parametrize("time", [1, 2, 7, 16])
def test_loop_equals_scan(time):
    model = LRU(3, 6, 2, r_min=0.5, r_max=0.99, seed=time)
    x = _x((2, time, 3))
    (y_loop, c_loop), (y_scan, c_scan) = model.forward_loop(x), model.forward_scan(x)
    assert y_loop.shape == (2, time, 2)
    np.testing.assert_allclose(y_scan, y_loop, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(c_scan["h"], c_loop["h"], rtol=1e-12, atol=1e-12)


def test_ring_initialisation_and_normalisation():
    model = LRU(4, 2000, r_min=0.4, r_max=0.9, max_phase=np.pi / 4, seed=1)
    lam = model.eigenvalues()
    assert np.all(np.abs(lam) >= 0.4 - 1e-12) and np.all(np.abs(lam) <= 0.9 + 1e-12)
    assert np.all(np.angle(lam) >= 0) and np.all(np.angle(lam) <= np.pi / 4)
    gamma = np.exp(model.params["gamma_log"])
    np.testing.assert_allclose(gamma, np.sqrt(1 - np.abs(lam) ** 2), rtol=1e-12)
    # uniform on the ring's area: |lambda|^2 is uniform on [r_min^2, r_max^2]
    assert np.mean(np.abs(lam) ** 2) == pytest.approx((0.4**2 + 0.9**2) / 2, abs=0.01)


def test_stable_whatever_nu_log_is():
    model = LRU(2, 5)
    model.params["nu_log"] = np.array([-30.0, -5.0, 0.0, 5.0, 30.0])
    assert np.all(np.abs(model.eigenvalues()) < 1)


def test_backward_matches_numerical_gradient():
    model = LRU(3, 4, 2, r_min=0.6, r_max=0.95, seed=2)
    x, w = _x((2, 6, 3), 1), _x((2, 6, 2), 2)

    def f():
        y, cache = model.forward_scan(x)
        return float(np.sum(w * y)), model.backward(w, cache)

    errors = gradient_check(f, {**model.params, "x": x}, per_key=True)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"r_min": -0.1}, "r_min must be >= 0"),
        ({"r_max": 1.0}, "r_max must be < 1"),
        ({"r_min": 0.9, "r_max": 0.5}, "r_min must be < r_max"),
        ({"max_phase": 0.0}, "max_phase must be > 0"),
        ({"state_size": 0}, "state_size must be >= 1"),
    ],
)
def test_bad_arguments_name_themselves(kwargs, words):
    arguments = {"input_size": 2, "state_size": 3, **kwargs}
    with pytest.raises(ValueError, match=words):
        LRU(**arguments)
    if "state_size" not in kwargs:
        with pytest.raises(ValueError, match=words):
            keras_ssm.LRU(3, **kwargs)


def test_bad_input_shape():
    with pytest.raises(ValueError, match="x must have shape"):
        LRU(3, 4).forward_scan(np.ones((2, 5, 2)))


# --- Keras ------------------------------------------------------------------------------


@pytest.mark.parametrize("scan", keras_ssm.SCAN_METHODS)
@pytest.mark.parametrize(("dtype", "tolerance"), [("float64", 1e-12), ("float32", 1e-5)])
def test_keras_layer_equals_numpy(scan, dtype, tolerance):
    model = LRU(3, 5, 4, r_min=0.5, seed=3)
    x = _x((2, 9, 3), 4)
    layer = keras_ssm.LRU.from_numpy(model, scan=scan, dtype=dtype)
    y = keras.ops.convert_to_numpy(layer(x.astype(dtype)))
    np.testing.assert_allclose(y, model.forward_scan(x)[0], atol=tolerance, rtol=tolerance)
    back = layer.to_numpy()
    for name, value in model.params.items():
        np.testing.assert_allclose(back.params[name], value, rtol=1e-6 if dtype == "float32" else 0)


def test_keras_gradients_match_numerical_gradient_of_numpy():
    model = LRU(2, 3, 2, r_min=0.6, r_max=0.95, seed=5)
    x, w = _x((2, 5, 2), 6), _x((2, 5, 2), 7)
    layer = keras_ssm.LRU.from_numpy(model, dtype="float64")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * layer(x))
    tape_grads = tape.gradient(loss, layer.trainable_weights)
    grads = {v.name: g.numpy() for v, g in zip(layer.trainable_weights, tape_grads, strict=True)}

    def f():
        return float(np.sum(w * model.forward_scan(x)[0])), grads

    errors = gradient_check(f, model.params, per_key=True)
    assert max(errors.values()) < 1e-7, errors


def test_tiny_fit_runs_and_the_model_round_trips(tmp_path):
    keras.utils.set_random_seed(0)
    x, y = _x((16, 12, 2)).astype("float32"), _x((16, 1), 1).astype("float32")
    inputs = keras.Input((None, 2))
    hidden = keras_ssm.LRU(8, seed=0)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(hidden[:, -1]))
    model.compile("adam", "mse")
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    path = tmp_path / "lru.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


# --- lesson 03's probe through a linear recurrence --------------------------------------


def test_linear_gradient_norms_closed_form():
    norms = linear_gradient_norms(0.99, 50)
    np.testing.assert_allclose(norms, 0.99 ** np.arange(49, -1, -1), rtol=1e-12)
    lam = np.array([0.9 * np.exp(1j), 0.5])  # the largest |a| sets the norm
    np.testing.assert_allclose(linear_gradient_norms(lam, 4), 0.9 ** np.arange(3, -1, -1))
    varying = np.array([[0.1], [0.5], [0.2]])  # a_t per step: products from the end
    np.testing.assert_allclose(linear_gradient_norms(varying), [0.1, 0.2, 1.0])


def test_linear_probe_against_elman_of_the_same_spectral_radius():
    """A linear Elman with an orthogonal W_hh of radius rho gives exactly rho^(T-k) (times
    the norm of the ones the loss sends back); tanh adds a factor tanh' < 1 per step."""
    steps, rho, hidden = 60, 0.99, 8
    x = 0.5 * _x((1, steps, 2), 8)
    expected = linear_gradient_norms(rho, steps) * np.sqrt(hidden)
    measured = {}
    for activation in ("linear", "tanh"):
        cell = numpy_rnn.Elman(2, hidden, activation=activation, seed=0, dtype="float64")
        cell.params["W_hh"] = set_spectral_radius(cell.params["W_hh"], rho)  # orthogonal init
        measured[activation] = hidden_gradient_norms(cell, x, loss="last_sum")
    np.testing.assert_allclose(measured["linear"], expected, rtol=1e-9)
    assert np.all(measured["tanh"][:-1] < expected[:-1])
    assert measured["tanh"][0] / expected[0] < 0.1  # tanh' compounds over 60 steps


@pytest.mark.parametrize(
    ("a", "steps", "error", "words"),
    [
        (0.9, None, ValueError, "steps is required"),
        (np.ones((3, 2)), 4, ValueError, "steps must equal"),
        (np.array([1, 2]), 3, TypeError, "a must be a float"),
        (np.array([np.nan]), 3, ValueError, "a contains 1 NaN"),
        (np.array([np.nan * 1j]), 3, ValueError, "a contains NaN"),
        (0.9, 0, ValueError, "steps must be >= 1"),
    ],
)
def test_linear_gradient_norms_bad_arguments(a, steps, error, words):
    with pytest.raises(error, match=words):
        linear_gradient_norms(a, steps)
