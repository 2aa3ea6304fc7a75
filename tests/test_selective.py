"""The selective SSM layer (lesson 09): NumPy loop = NumPy scan = Keras layer.

Tolerances: loop vs scan 1e-12 (float64); NumPy vs Keras 1e-12 in float64 and 1e-5 in
float32; Keras gradients (``tf.GradientTape``, float64) against central differences of
the NumPy forward, relative error below 1e-7. Selective (Algorithm 2 of Gu & Dao 2023)
and time-invariant (``time_invariant=True``) alike.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_utils.gradients import gradient_check
from course_utils.linear_rnn import Selective, keras_ssm
from course_utils.linear_rnn.selective import softplus

MODES = [False, True]  # time_invariant


def _x(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape)


@pytest.mark.parametrize("time_invariant", MODES)
@pytest.mark.parametrize("time", [1, 3, 16])
def test_loop_equals_scan(time_invariant, time):
    model = Selective(4, 3, time_invariant=time_invariant, seed=time)
    x = _x((2, time, 4))
    (y_loop, c_loop), (y_scan, c_scan) = model.forward_loop(x), model.forward_scan(x)
    assert y_loop.shape == (2, time, 4) and c_scan["h"].shape == (2, time, 4, 3)
    np.testing.assert_allclose(y_scan, y_loop, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(c_scan["h"], c_loop["h"], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("time_invariant", MODES)
def test_initialisation(time_invariant):
    model = Selective(5, 4, time_invariant=time_invariant, dt_min=0.01, dt_max=0.2, seed=1)
    A = -np.exp(model.params["A_log"])
    np.testing.assert_allclose(A, -np.tile([1.0, 2.0, 3.0, 4.0], (5, 1)))  # S4D-Real
    dt = softplus(model.params["b_delta"])
    assert np.all(dt >= 0.01 - 1e-12) and np.all(dt <= 0.2 + 1e-12)
    np.testing.assert_array_equal(model.params["D"], np.ones(5))
    Abar, _, _ = model.discretise(_x((2, 6, 5)))
    assert np.all((Abar > 0) & (Abar < 1))
    assert set(model.params) == set(model.param_names)


def test_the_lti_layer_is_linear_and_the_selective_one_is_not():
    x1, x2 = _x((1, 10, 3), 1), _x((1, 10, 3), 2)
    for time_invariant, linear in [(True, True), (False, False)]:
        model = Selective(3, 4, time_invariant=time_invariant, seed=0)
        lhs = model.forward_scan(2 * x1 + 3 * x2)[0]
        rhs = 2 * model.forward_scan(x1)[0] + 3 * model.forward_scan(x2)[0]
        assert np.allclose(lhs, rhs, atol=1e-12) == linear


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"channels": 0}, ValueError, "channels must be >= 1"),
        ({"state_size": 0}, ValueError, "state_size must be >= 1"),
        ({"dt_min": 0.0}, ValueError, "dt_min must be > 0"),
        ({"dt_min": 0.1, "dt_max": 0.01}, ValueError, "dt_max must be > dt_min"),
        ({"time_invariant": "yes"}, TypeError, "time_invariant must be True or False"),
    ],
)
def test_bad_arguments_name_themselves(kwargs, error, words):
    with pytest.raises(error, match=words):
        Selective(**{"channels": 3, "state_size": 2, **kwargs})


def test_bad_input_and_weights():
    model = Selective(3, 2)
    with pytest.raises(ValueError, match="x must have shape"):
        model.forward_scan(np.ones((1, 4, 2)))
    with pytest.raises(ValueError, match="weights must be a list of 6 arrays"):
        model.set_keras_weights(model.keras_weights()[:-1])
    with pytest.raises(ValueError, match=r"A_log must have shape \(3, 2\)"):
        model.set_keras_weights(
            [np.ones((3, 3)) if w.ndim == 2 else w for w in model.keras_weights()]
        )


# --- Keras ------------------------------------------------------------------------------


@pytest.mark.parametrize("time_invariant", MODES)
@pytest.mark.parametrize("scan", keras_ssm.SCAN_METHODS)
@pytest.mark.parametrize(("dtype", "tolerance"), [("float64", 1e-12), ("float32", 1e-5)])
def test_keras_layer_equals_numpy(time_invariant, scan, dtype, tolerance):
    model = Selective(3, 4, time_invariant=time_invariant, seed=3)
    x = _x((2, 9, 3), 4)
    layer = keras_ssm.Selective.from_numpy(model, scan=scan, dtype=dtype)
    y = keras.ops.convert_to_numpy(layer(x.astype(dtype)))
    np.testing.assert_allclose(y, model.forward_scan(x)[0], atol=tolerance, rtol=tolerance)
    back = layer.to_numpy()
    for name, value in model.params.items():
        np.testing.assert_allclose(back.params[name], value, rtol=1e-6 if dtype == "float32" else 0)


@pytest.mark.parametrize("time_invariant", MODES)
def test_keras_gradients_match_numerical_gradient_of_numpy(time_invariant):
    model = Selective(3, 2, time_invariant=time_invariant, seed=5)
    # larger step sizes than the default, so that every parameter matters at T = 6
    model.params["b_delta"] = model.params["b_delta"] + 2.0
    x, w = _x((2, 6, 3), 6), _x((2, 6, 3), 7)
    layer = keras_ssm.Selective.from_numpy(model, dtype="float64")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * layer(x))
    tape_grads = tape.gradient(loss, layer.trainable_weights)
    grads = {v.name: g.numpy() for v, g in zip(layer.trainable_weights, tape_grads, strict=True)}

    def f():
        return float(np.sum(w * model.forward_scan(x)[0])), grads

    errors = gradient_check(f, model.params, per_key=True)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("time_invariant", MODES)
def test_tiny_fit_runs_and_the_model_round_trips(time_invariant, tmp_path):
    keras.utils.set_random_seed(0)
    x, y = _x((16, 12, 3)).astype("float32"), _x((16, 1), 1).astype("float32")
    inputs = keras.Input((None, 3))
    hidden = keras_ssm.Selective(4, time_invariant=time_invariant, seed=0)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(hidden[:, -1]))
    model.compile("adam", "mse")
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    path = tmp_path / "selective.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_hillis_steele_scan_traces_with_an_unknown_length():
    layer = keras_ssm.Selective(2, seed=0)
    x = _x((2, 7, 3)).astype("float32")
    expected = keras.ops.convert_to_numpy(layer(x))
    traced = tf.function(layer, input_signature=[tf.TensorSpec((None, None, 3), tf.float32)])
    np.testing.assert_allclose(traced(x).numpy(), expected, rtol=1e-6)
    assert traced(x[:, :4]).shape == (2, 4, 3)
