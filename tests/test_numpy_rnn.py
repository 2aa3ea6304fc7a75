"""The NumPy engine on its own: exact BPTT (float64 gradient checks), argument checks,
one-step API, losses, optimisers and initialisers."""

import keras
import numpy as np
import pytest

from course_utils import numpy_rnn
from course_utils.gradients import gradient_check

KINDS = [
    "elman_tanh",
    "elman_relu",
    "elman_linear",
    "jordan_linear",
    "jordan_sigmoid",
    "lstm",
    "gru",
    "gru_reset_before",
]


def make_cell(kind, input_size=3, hidden_size=4, seed=0, dtype="float64"):
    if kind.startswith("elman"):
        cell = numpy_rnn.Elman(input_size, hidden_size, activation=kind[6:], seed=seed, dtype=dtype)
    elif kind.startswith("jordan"):
        cell = numpy_rnn.Jordan(
            input_size, hidden_size, 2, mu=0.6, output_activation=kind[7:], seed=seed, dtype=dtype
        )
    elif kind == "lstm":
        cell = numpy_rnn.LSTM(input_size, hidden_size, seed=seed, dtype=dtype)
    else:
        cell = numpy_rnn.GRU(
            input_size, hidden_size, reset_after=kind == "gru", seed=seed, dtype=dtype
        )
    rng = np.random.default_rng(seed + 100)
    for p in cell.params.values():
        p[...] = 0.5 * rng.standard_normal(p.shape)
    return cell


def random_state(cell, batch, rng):
    parts = [rng.standard_normal((batch, n)) for n in cell.state_sizes]
    return tuple(parts) if len(parts) > 1 else parts[0]


# --- exact gradients ------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_backward_passes_float64_gradient_check(kind):
    cell = make_cell(kind)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 6, 3))  # (batch, time, input)
    h0 = random_state(cell, 2, rng)
    states = dict(zip(cell.state_names, h0 if isinstance(h0, tuple) else (h0,), strict=True))
    target = rng.standard_normal((2, 6, cell.output_size))

    def f():
        outputs, cache = cell.forward(x, h0)
        loss, d_outputs = numpy_rnn.mean_squared_error(outputs, target)
        return loss, cell.backward(d_outputs, cache)

    errors = gradient_check(f, {**cell.params, "x": x, **states}, per_key=True)
    assert set(errors) == {*cell.params, "x", *cell.state_names}
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("kind", ["elman_tanh", "jordan_linear", "lstm", "gru"])
def test_batch_items_are_independent(kind):
    cell = make_cell(kind)
    x = np.random.default_rng(2).standard_normal((3, 5, 3))
    together = cell(x)
    apart = np.concatenate([cell(x[i : i + 1]) for i in range(3)])
    np.testing.assert_allclose(together, apart, atol=1e-12)


@pytest.mark.parametrize("kind", ["elman_tanh", "lstm", "gru"])
def test_step_equals_one_column_of_forward(kind):
    cell = make_cell(kind)
    x = np.random.default_rng(3).standard_normal((2, 4, 3))
    outputs, _ = cell.forward(x)
    state = None
    for t in range(4):
        state = cell.step(x[:, t], state)
        h = state[0] if kind == "lstm" else state
        np.testing.assert_allclose(h, outputs[:, t], atol=1e-12)


def test_jordan_step_returns_output_and_next_state():
    cell = make_cell("jordan_linear")
    x = np.random.default_rng(4).standard_normal((2, 3, 3))
    outputs, cache = cell.forward(x)
    s = None
    for t in range(3):
        y, s = cell.step(x[:, t], s)
        np.testing.assert_allclose(y, outputs[:, t], atol=1e-12)
    np.testing.assert_allclose(s, cache["final_state"], atol=1e-12)
    assert cache["h"].shape == (2, 3, 4) and outputs.shape == (2, 3, 2)


def test_defaults_match_keras_initialisation():
    lstm = numpy_rnn.LSTM(3, 4)
    np.testing.assert_array_equal(lstm.params["b_f"], 1.0)  # unit_forget_bias
    np.testing.assert_array_equal(lstm.params["b_i"], 0.0)
    W_h = np.concatenate([lstm.params[f"W_h{k}"] for k in "ifco"], axis=1)  # (4, 16)
    np.testing.assert_allclose(W_h @ W_h.T, np.eye(4), atol=1e-12)  # orthogonal rows
    assert np.abs(lstm.params["W_xi"]).max() <= np.sqrt(6 / (3 + 16))
    assert lstm.num_params == 4 * (3 * 4 + 4 * 4 + 4)
    assert (
        numpy_rnn.LSTM(3, 4, seed=7).params["W_xo"].tolist()
        == numpy_rnn.LSTM(3, 4, seed=7).params["W_xo"].tolist()
    )
    assert numpy_rnn.Elman(3, 4, dtype="float32").params["W_hh"].dtype == np.float32


# --- argument checks --------------------------------------------------------------------


def test_bad_inputs_raise_clear_errors():
    cell = numpy_rnn.Elman(3, 4)
    x = np.zeros((2, 5, 3))
    with pytest.raises(ValueError, match=r"x must have rank 3 .*got shape \(5, 3\)"):
        cell.forward(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"x has input size 7 .*input_size=3"):
        cell.forward(np.zeros((2, 5, 7)))
    with pytest.raises(ValueError, match=r"h0 must have shape \(2, 4\).*got \(2, 5\)"):
        cell.forward(x, np.zeros((2, 5)))
    bad = x.copy()
    bad[1, 2, 0] = np.nan
    with pytest.raises(ValueError, match=r"x contains 1 NaN or inf .*\(1, 2, 0\)"):
        cell.forward(bad)
    bad[1, 2, 0] = np.inf
    with pytest.raises(ValueError, match="NaN or inf"):
        cell.forward(bad)
    with pytest.raises(ValueError, match="h0 contains"):
        cell.forward(x, np.full((2, 4), np.inf))
    with pytest.raises(TypeError, match=r"x must be a float array; got dtype int64"):
        cell.forward(np.zeros((2, 5, 3), dtype=np.int64))
    with pytest.raises(ValueError, match=r"d_outputs must have shape \(2, 5, 4\)"):
        cell.backward(np.zeros((2, 5, 3)), cell.forward(x)[1])
    with pytest.raises(ValueError, match=r"x_t must have rank 2"):
        cell.step(x)


def test_lstm_initial_state_must_be_a_pair():
    cell = numpy_rnn.LSTM(3, 4)
    x = np.zeros((2, 5, 3))
    with pytest.raises(TypeError, match=r"pair \(h0, c0\)"):
        cell.forward(x, np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"c0 must have shape \(2, 4\)"):
        cell.forward(x, (np.zeros((2, 4)), np.zeros((3, 4))))


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="hidden_size must be >= 1; got 0"):
        numpy_rnn.LSTM(3, 0)
    with pytest.raises(TypeError, match="input_size must be an integer"):
        numpy_rnn.GRU(2.5, 4)
    with pytest.raises(ValueError, match="unknown activation 'sigmoid'"):
        numpy_rnn.Elman(3, 4, activation="sigmoid")
    with pytest.raises(ValueError, match="unknown dtype 'int32'"):
        numpy_rnn.Elman(3, 4, dtype="int32")
    with pytest.raises(ValueError, match="mu must be <= 1.0; got 1.5"):
        numpy_rnn.Jordan(3, 4, 2, mu=1.5)
    with pytest.raises(TypeError, match="reset_after must be True or False"):
        numpy_rnn.GRU(3, 4, reset_after="yes")


def test_from_keras_rejects_the_wrong_kind_of_layer():
    gru = keras.layers.GRU(4)
    gru.build((None, None, 3))
    with pytest.raises(TypeError, match="layer must be a keras.layers.LSTM; got GRU"):
        numpy_rnn.LSTM.from_keras(gru)
    with pytest.raises(TypeError, match=r"SimpleRNN .*got Dense"):
        numpy_rnn.Elman.from_keras(keras.layers.Dense(3))
    with pytest.raises(TypeError, match=r"RNN\(JordanCell.*got GRU with cell GRUCell"):
        numpy_rnn.Jordan.from_keras(gru)
    with pytest.raises(ValueError, match="has no weights yet"):
        numpy_rnn.LSTM.from_keras(keras.layers.LSTM(4))
    sigmoid_rnn = keras.layers.SimpleRNN(4, activation="sigmoid")
    sigmoid_rnn.build((None, None, 3))
    with pytest.raises(ValueError, match="activation='sigmoid'"):
        numpy_rnn.Elman.from_keras(sigmoid_rnn)


# --- losses, optimisers, clipping -------------------------------------------------------


def test_softmax_cross_entropy_matches_keras_and_its_gradient_checks():
    rng = np.random.default_rng(5)
    logits = rng.standard_normal((2, 3, 5))  # (batch, time, classes)
    labels = rng.integers(0, 5, size=(2, 3))
    loss, dlogits = numpy_rnn.softmax_cross_entropy(logits, labels)
    keras_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits)
    assert loss == pytest.approx(float(keras_loss), rel=1e-6)
    one_hot_loss, one_hot_grad = numpy_rnn.softmax_cross_entropy(logits, np.eye(5)[labels])
    assert one_hot_loss == pytest.approx(loss)
    np.testing.assert_allclose(one_hot_grad, dlogits)

    def f():
        loss, dlogits = numpy_rnn.softmax_cross_entropy(logits, labels)
        return loss, {"logits": dlogits}

    assert gradient_check(f, {"logits": logits}) < 1e-7
    with pytest.raises(ValueError, match=r"class ids in \[0, 4\]"):
        numpy_rnn.softmax_cross_entropy(logits, labels + 5)
    np.testing.assert_allclose(numpy_rnn.softmax(np.array([1e4, 0.0])), [1.0, 0.0])


def test_mean_squared_error_matches_keras():
    rng = np.random.default_rng(6)
    pred, target = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 4, 3))
    loss, dpred = numpy_rnn.mean_squared_error(pred, target)
    assert loss == pytest.approx(float(keras.losses.MeanSquaredError()(target, pred)), rel=1e-6)
    np.testing.assert_allclose(dpred, 2 * (pred - target) / pred.size)
    with pytest.raises(ValueError, match="targets must have shape"):
        numpy_rnn.mean_squared_error(pred, target[:, :2])


def test_clip_by_global_norm():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]]), "x": np.array([100.0])}
    clipped, norm = numpy_rnn.clip_by_global_norm(grads, 1.0, keys=["a", "b"])
    assert norm == pytest.approx(5.0)
    np.testing.assert_allclose(clipped["a"], [0.6, 0.0])
    np.testing.assert_allclose(clipped["x"], [100.0])  # not counted, not clipped
    np.testing.assert_allclose(grads["a"], [3.0, 0.0])  # input untouched
    same, _ = numpy_rnn.clip_by_global_norm(grads, 1e3)
    np.testing.assert_array_equal(same["x"], grads["x"])
    with pytest.raises(ValueError, match="max_norm must be > 0.0"):
        numpy_rnn.clip_by_global_norm(grads, 0.0)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (numpy_rnn.SGD(0.1, momentum=0.9), keras.optimizers.SGD(0.1, momentum=0.9)),
        (numpy_rnn.Adam(0.1), keras.optimizers.Adam(0.1)),
    ],
)
def test_optimisers_match_keras(ours, theirs):
    rng = np.random.default_rng(7)
    params = {"w": rng.standard_normal(4)}
    variable = keras.Variable(params["w"].astype("float32"))
    for _ in range(3):
        grad = rng.standard_normal(4)
        ours.step(params, {"w": grad, "x": np.zeros(9)})  # extra keys are ignored
        theirs.apply_gradients([(grad.astype("float32"), variable)])
    np.testing.assert_allclose(params["w"], keras.ops.convert_to_numpy(variable), atol=1e-5)


def test_a_scratch_model_learns():
    """Elman + Dense + Adam fit a tiny task: output the previous input."""
    rng = np.random.default_rng(8)
    x = rng.standard_normal((16, 8, 1))
    y = np.concatenate([np.zeros((16, 1, 1)), x[:, :-1]], axis=1)  # (batch, time, 1)
    rnn, readout = numpy_rnn.Elman(1, 8, seed=1), numpy_rnn.Dense(8, 1, seed=2)
    optimizer = numpy_rnn.Adam(0.03)
    losses = []
    for _ in range(150):
        h, cache = rnn.forward(x)
        out, out_cache = readout.forward(h)
        loss, d_out = numpy_rnn.mean_squared_error(out, y)
        d_read = readout.backward(d_out, out_cache)
        grads, _ = numpy_rnn.clip_by_global_norm(rnn.backward(d_read["x"], cache), 5.0)
        optimizer.step(rnn.params, grads)
        optimizer.step(readout.params, d_read)
        losses.append(loss)
    assert losses[-1] < 0.1 * losses[0]
