"""minGRU and minLSTM (lesson 09): NumPy loop = NumPy scan = Keras layer, forward and
gradients; the Keras layer trains inside ``fit`` and survives a save/load round trip.

Tolerances: loop = scan to 1e-12 (float64); the float32 Keras layer against the float64
NumPy cell to 1e-5 (forward, measured ~2e-6) and 1e-4 relative error (gradients,
measured ~3e-6); the NumPy backward against central differences below 1e-6 relative
error (measured ~3e-9).
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_utils.gradients import gradient_check, relative_error
from course_utils.linear_rnn import MinGRU, MinLSTM, keras_min
from course_utils.param_counts import gru_params, lstm_params, min_gru_params, min_lstm_params

CELLS = [MinGRU, MinLSTM]


def make_cell(cls, input_size=3, hidden_size=4, *, log_space=True, seed=0, dtype="float64"):
    """A cell with every parameter drawn at random, so that no bias is trivially 0."""
    cell = cls(input_size, hidden_size, log_space=log_space, seed=seed, dtype=dtype)
    rng = np.random.default_rng(seed + 100)
    for p in cell.params.values():
        p[...] = rng.standard_normal(p.shape)
    return cell


def inputs(cell, batch=2, time=7, *, with_h0=True, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, time, cell.input_size))  # (batch, time, input)
    h0 = rng.uniform(0.2, 1.5, (batch, cell.hidden_size)) if with_h0 else None  # > 0: logs
    return x, h0


# --- NumPy: loop = scan, and exact gradients -----------------------------------------------


@pytest.mark.parametrize("cls", CELLS)
@pytest.mark.parametrize("log_space", [True, False])
@pytest.mark.parametrize("with_h0", [False, True])
def test_loop_equals_every_scan(cls, log_space, with_h0):
    cell = make_cell(cls, log_space=log_space)
    x, h0 = inputs(cell, time=13, with_h0=with_h0)
    expected, _ = cell.forward_loop(x, h0)
    methods = ["hillis_steele", "blelloch"] + (["log_space"] if log_space else [])
    for method in methods:
        states, _ = cell.forward_scan(x, h0, method=method)
        np.testing.assert_allclose(states, expected, rtol=1e-12, atol=1e-12, err_msg=method)


@pytest.mark.parametrize("cls", CELLS)
@pytest.mark.parametrize("log_space", [True, False])
def test_backward_passes_the_numerical_gradient_check(cls, log_space):
    cell = make_cell(cls, log_space=log_space)
    x, h0 = inputs(cell)
    target = np.random.default_rng(2).standard_normal((2, 7, cell.hidden_size))

    def f():
        states, cache = cell.forward_scan(x, h0, method="blelloch")
        return 0.5 * np.sum((states - target) ** 2), cell.backward(states - target, cache)

    errors = gradient_check(f, {**cell.params, "x": x, "h0": h0}, per_key=True)
    assert set(errors) == {*cell.params, "x", "h0"}
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("cls", CELLS)
def test_backward_is_the_same_from_the_loop_and_the_scan(cls):
    cell = make_cell(cls)
    x, h0 = inputs(cell)
    d_states = np.random.default_rng(3).standard_normal((2, 7, cell.hidden_size))
    from_loop = cell.backward(d_states, cell.forward_loop(x, h0)[1])
    from_scan = cell.backward(d_states, cell.forward_scan(x, h0)[1])
    for key, value in from_loop.items():
        np.testing.assert_allclose(from_scan[key], value, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("cls", CELLS)
def test_one_step_at_a_time_carries_the_state(cls):
    """Generation mode: constant memory, the state handed from call to call."""
    cell = make_cell(cls)
    x, h0 = inputs(cell)
    expected, _ = cell.forward_loop(x, h0)
    h = h0
    for t in range(x.shape[1]):
        h = cell.forward_loop(x[:, t : t + 1], h)[0][:, 0]  # (batch, hidden)
    np.testing.assert_allclose(h, expected[:, -1], rtol=1e-12)


def test_the_log_space_candidate_is_positive_and_the_vanilla_one_is_not():
    x, _ = inputs(make_cell(MinGRU), batch=8, time=20)
    for log_space in (True, False):
        states, _ = make_cell(MinGRU, log_space=log_space).forward_loop(x)
        assert (states > 0).all() == log_space


def test_minlstm_gates_sum_to_one():
    """Length independence scaling: with equal forget and input logits, f' = i' = 1/2."""
    cell = make_cell(MinLSTM, 2, 3)
    cell.params["W_xi"][...] = cell.params["W_xf"]
    cell.params["b_i"][...] = cell.params["b_f"]
    a, b = cell._coefficients(cell._project(np.ones((1, 4, 2))), logs=False)
    np.testing.assert_allclose(a, 0.5)


# --- parameter counts -------------------------------------------------------------------------


@pytest.mark.parametrize(("cls", "count"), [(MinGRU, min_gru_params), (MinLSTM, min_lstm_params)])
@pytest.mark.parametrize("hidden_size", [1, 64, 256])
def test_parameter_counts_match_keras(cls, count, hidden_size):
    cell = cls(64, hidden_size)
    layer = keras_min.to_keras(cell)
    assert cell.num_params == layer.count_params() == count(64, hidden_size)


def test_parameter_counts_against_gru_and_lstm():
    """Input 64: minGRU-64 8,320 vs GRU-64 24,960; minGRU-256 33,280 vs GRU-256 247,296."""
    assert (min_gru_params(64, 64), gru_params(64, 64)) == (8_320, 24_960)
    assert (min_lstm_params(64, 64), lstm_params(64, 64)) == (12_480, 33_024)
    assert (min_gru_params(64, 256), gru_params(64, 256)) == (33_280, 247_296)
    assert (min_lstm_params(64, 256), lstm_params(64, 256)) == (49_920, 328_704)


# --- the Keras layers -------------------------------------------------------------------------


def keras_gradients(layer, x, h0, d_states):
    """Gradients of ``sum(states * d_states)`` w.r.t. the weights, ``x`` and ``h0``."""
    x, h0 = tf.constant(x, tf.float32), tf.constant(h0, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch([x, h0])
        loss = tf.reduce_sum(layer(x, initial_state=h0) * tf.constant(d_states, tf.float32))
    return [g.numpy() for g in tape.gradient(loss, [*layer.trainable_weights, x, h0])]


@pytest.mark.parametrize("cls", CELLS)
@pytest.mark.parametrize("with_h0", [False, True])
def test_keras_layer_equals_the_numpy_cell(cls, with_h0):
    cell = make_cell(cls, 3, 5)
    x, h0 = inputs(cell, time=12, with_h0=with_h0)
    expected, _ = cell.forward_loop(x, h0)
    layer = keras_min.to_keras(cell, dtype="float32")
    initial = None if h0 is None else h0.astype("float32")
    got = keras.ops.convert_to_numpy(layer(x.astype("float32"), initial_state=initial))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    last = keras_min.to_keras(cell, return_sequences=False, dtype="float32")
    got_last = keras.ops.convert_to_numpy(last(x.astype("float32"), initial_state=initial))
    np.testing.assert_allclose(got_last, expected[:, -1], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("cls", CELLS)
def test_keras_gradients_equal_numpy_backward(cls):
    cell = make_cell(cls, 3, 5)
    x, h0 = inputs(cell, time=9)
    states, cache = cell.forward_scan(x, h0)
    d_states = np.random.default_rng(4).standard_normal(states.shape)
    grads = cell.backward(d_states, cache)
    mine = [*cell.keras_weights(grads), grads["x"], grads["h0"]]
    theirs = keras_gradients(keras_min.to_keras(cell, dtype="float32"), x, h0, d_states)
    for name, a, b in zip(["kernel", "bias", "x", "h0"], mine, theirs, strict=True):
        assert a.shape == b.shape, name
        assert relative_error(a, b) < 1e-4, name


@pytest.mark.parametrize("cls", CELLS)
def test_keras_layer_is_stable_on_long_sequences(cls):
    """T = 1000 in float32: no state underflows to 0 (a plain exp-cumsum-log would)."""
    cell = cls(2, 3, seed=0)
    x, _ = inputs(cell, batch=1, time=1000, with_h0=False)
    expected, _ = cell.forward_loop(x)
    got = keras.ops.convert_to_numpy(keras_min.to_keras(cell, dtype="float32")(x))
    assert np.isfinite(got).all() and (got > 0).all()
    np.testing.assert_allclose(got, expected, rtol=1e-3)


@pytest.mark.parametrize("layer_class", [keras_min.MinGRU, keras_min.MinLSTM])
def test_a_tiny_model_fits_and_round_trips_through_a_keras_file(layer_class, tmp_path):
    """Two steps of ``fit`` on the TensorFlow backend, with the time axis left unknown."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, 10, 3)).astype("float32")
    y = rng.standard_normal((16, 10, 1)).astype("float32")
    model = keras.Sequential([keras.Input((None, 3)), layer_class(8), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0)  # 16 / 8 = 2 steps
    assert np.isfinite(history.history["loss"]).all()
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded.layers[0], layer_class)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("cls", CELLS)
def test_weights_survive_to_keras_and_back(cls):
    cell = make_cell(cls, 3, 4, dtype="float32")
    back = keras_min.from_keras(keras_min.to_keras(cell))
    assert type(back) is cls and back.dtype == np.float32
    for key, value in cell.params.items():
        np.testing.assert_array_equal(back.params[key], value)


# --- bad inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", CELLS)
def test_bad_constructor_arguments_name_the_argument(cls):
    with pytest.raises(ValueError, match="hidden_size must be >= 1; got 0"):
        cls(3, 0)
    with pytest.raises(TypeError, match="input_size must be an integer"):
        cls(3.0, 4)
    with pytest.raises(TypeError, match="log_space must be True or False"):
        cls(3, 4, log_space="yes")
    with pytest.raises(ValueError, match="unknown dtype 'int32'"):
        cls(3, 4, dtype="int32")
    with pytest.raises(ValueError, match="units must be >= 1; got 0"):
        getattr(keras_min, cls.__name__)(0)


@pytest.mark.parametrize(
    ("x", "h0", "error", "words"),
    [
        (np.ones((2, 3)), None, ValueError, r"x must have rank 3 \(batch, time, input_size\)"),
        (np.ones((2, 4, 5)), None, ValueError, r"x must have shape \(batch, time, 3\)"),
        (np.ones((2, 4, 3), dtype=int), None, TypeError, "x must be a float array; got dtype int"),
        (np.full((2, 4, 3), np.nan), None, ValueError, "x contains 24 NaN"),
        (np.ones((2, 4, 3)), np.ones((3, 4)), ValueError, r"h0 must have shape \(2, 4\)"),
    ],
)
@pytest.mark.parametrize("cls", CELLS)
def test_bad_inputs_name_the_argument(cls, x, h0, error, words):
    cell = cls(3, 4)
    for forward in (cell.forward_loop, cell.forward_scan):
        with pytest.raises(error, match=words):
            forward(x, h0)


@pytest.mark.parametrize("cls", CELLS)
def test_log_space_needs_positive_h0_and_a_positive_candidate(cls):
    x = np.ones((2, 4, 3))
    with pytest.raises(ValueError, match=r"h0 has 1 value\(s\) <= 0.*expected h0 > 0"):
        cls(3, 4).forward_scan(x, np.r_[[[1.0, 1, 1, 0]], np.ones((1, 4))])
    states, _ = cls(3, 4).forward_scan(x, -np.ones((2, 4)), method="blelloch")  # any sign
    assert np.isfinite(states).all()
    vanilla = cls(3, 4, log_space=False)
    with pytest.raises(ValueError, match="method 'log_space' needs a positive candidate"):
        vanilla.forward_scan(x, method="log_space")
    with pytest.raises(ValueError, match="unknown method 'fast'"):
        vanilla.forward_scan(x, method="fast")
    with pytest.raises(ValueError, match="cell has log_space=False"):
        keras_min.to_keras(vanilla)


def test_backward_and_transplant_reject_the_wrong_objects():
    cell = MinGRU(3, 4)
    states, cache = cell.forward_loop(np.ones((2, 4, 3)))
    with pytest.raises(ValueError, match=r"d_states must have shape \(2, 4, 4\)"):
        cell.backward(np.ones((2, 4, 3)), cache)
    with pytest.raises(TypeError, match="cache must be the dict a forward returns"):
        cell.backward(states, states)
    with pytest.raises(TypeError, match="layer must be a Keras MinGRU or MinLSTM; got GRU"):
        keras_min.from_keras(keras.layers.GRU(4))
    with pytest.raises(ValueError, match="has no weights yet"):
        keras_min.from_keras(keras_min.MinGRU(4))
    with pytest.raises(TypeError, match="cell must be a NumPy MinGRU or MinLSTM"):
        keras_min.to_keras(keras.layers.GRU(4))
    with pytest.raises(ValueError, match=r"kernel must have shape \(3, 8\)"):
        cell.set_keras_weights([np.ones((3, 4)), np.ones(8)])
