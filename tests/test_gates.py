"""course_utils.gates: gate activations of Keras LSTM/GRU layers have the right shapes,
match the layer's own output, and are reproduced by the NumPy engine for the same weights."""

import keras
import numpy as np
import pytest

from course_utils import numpy_rnn
from course_utils.experiments.gating import run_task
from course_utils.gates import (
    GATE_NAMES,
    _check_against_layer,
    find_recurrent_layer,
    gate_activations,
    gate_summary,
    hold_mask,
    marker_positions,
    memory_correlations,
    pick_memory_unit,
)
from course_utils.tasks import adding_problem

B, T, M, N = 3, 9, 5, 4
X = np.random.default_rng(0).standard_normal((B, T, M)).astype("float32")


def randomised(layer, seed=0):
    """Build ``layer`` and give every weight (biases too) random values."""
    layer.build((None, None, M))
    rng = np.random.default_rng(seed)
    layer.set_weights(
        [0.6 * rng.standard_normal(w.shape).astype("float32") for w in layer.get_weights()]
    )
    return layer


LAYERS = {
    "lstm": lambda: keras.layers.LSTM(N),
    "lstm_sequences_no_bias": lambda: keras.layers.LSTM(N, return_sequences=True, use_bias=False),
    "gru": lambda: keras.layers.GRU(N),
    "gru_reset_before": lambda: keras.layers.GRU(N, reset_after=False, return_sequences=True),
    "gru_with_state": lambda: keras.layers.GRU(N, return_state=True),
}


def kind_of(layer):
    return "lstm" if isinstance(layer, keras.layers.LSTM) else "gru"


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_shapes_and_ranges(name):
    layer = randomised(LAYERS[name]())
    gates = gate_activations(layer, X)
    assert tuple(gates) == GATE_NAMES[kind_of(layer)]
    for key, values in gates.items():
        assert values.shape == (B, T, N), key
        assert np.all(np.isfinite(values))
    for key in ("input", "forget", "output", "update", "reset"):
        if key in gates:
            assert np.all((gates[key] >= 0) & (gates[key] <= 1)), key
    assert np.all(np.abs(gates["candidate"]) <= 1)


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_hidden_states_equal_the_layers_output(name):
    layer = randomised(LAYERS[name]())
    gates = gate_activations(layer, X, check=False)
    out = layer(X)
    out = keras.ops.convert_to_numpy(out[0] if isinstance(out, (list, tuple)) else out)
    mine = gates["hidden"] if out.ndim == 3 else gates["hidden"][:, -1]
    np.testing.assert_allclose(mine, out, atol=1e-5)


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_numpy_engine_reproduces_the_gates(name):
    layer = randomised(LAYERS[name](), seed=1)
    engine = (numpy_rnn.LSTM if kind_of(layer) == "lstm" else numpy_rnn.GRU).from_keras(layer)
    keras_gates = gate_activations(layer, X)
    engine_gates = gate_activations(engine, X)
    assert tuple(engine_gates) == tuple(keras_gates)
    for key in keras_gates:
        np.testing.assert_allclose(engine_gates[key], keras_gates[key], atol=1e-5, err_msg=key)


def test_a_trained_model_with_layers_before_the_recurrent_one():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(10, M),
            keras.layers.LSTM(N, return_sequences=True, name="memory"),
            keras.layers.Dense(10),
        ]
    )
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    ids = np.random.default_rng(0).integers(0, 10, size=(16, T)).astype("int32")
    model.fit(ids[:, :-1], ids[:, 1:], epochs=1, verbose=0)
    gates = gate_activations(model, ids, layer="memory")
    assert gates["forget"].shape == (16, T, N)
    embedded = keras.ops.convert_to_numpy(model.layers[0](ids))
    engine = numpy_rnn.LSTM.from_keras(model.get_layer("memory"))
    np.testing.assert_allclose(gate_activations(engine, embedded)["cell"], gates["cell"], atol=1e-5)
    assert find_recurrent_layer(model) is model.get_layer("memory")
    assert find_recurrent_layer(model, 1) is model.get_layer("memory")


def test_bad_arguments_are_named():
    layer = randomised(keras.layers.LSTM(N))
    with pytest.raises(TypeError, match="model"):
        gate_activations("lstm", X)
    with pytest.raises(TypeError, match="model"):
        gate_activations(keras.layers.SimpleRNN(N), X)
    with pytest.raises(ValueError, match="x"):
        gate_activations(layer, X[0])
    with pytest.raises(ValueError, match="features"):
        gate_activations(layer, X[:, :, :2])
    with pytest.raises(ValueError, match="atol"):
        gate_activations(layer, X, atol=0)
    with pytest.raises(ValueError, match="no weights"):
        gate_activations(keras.layers.GRU(N), X)
    with pytest.raises(ValueError, match="activation"):
        gate_activations(randomised(keras.layers.LSTM(N, activation="relu")), X)
    model = keras.Sequential([keras.Input((T, M)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="no LSTM or GRU"):
        gate_activations(model, X)
    model = keras.Sequential([keras.Input((T, M)), keras.layers.GRU(N), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="layer 'nope'"):
        gate_activations(model, X, layer="nope")
    with pytest.raises(ValueError, match="not an LSTM or GRU"):
        gate_activations(model, X, layer=1)
    with pytest.raises(ValueError, match="out of range"):
        gate_activations(model, X, layer=5)
    with pytest.raises(TypeError, match="layer"):
        gate_activations(model, X, layer=1.0)


def test_backwards_layers_are_refused_and_a_mismatch_is_reported():
    backwards = randomised(keras.layers.LSTM(N, go_backwards=True))
    with pytest.raises(ValueError, match="go_backwards"):
        gate_activations(backwards, X)
    layer = randomised(keras.layers.LSTM(N, return_sequences=True))
    hidden = gate_activations(layer, X)["hidden"]
    _check_against_layer(layer, X, hidden, 1e-5)  # agrees: no error
    with pytest.raises(RuntimeError, match="differ"):
        _check_against_layer(layer, X, hidden + 1e-3, 1e-4)


# --- reading the gates on the adding problem -------------------------------------------


def test_marker_positions_and_hold_mask():
    x, _ = adding_problem(20, 12, seed=3)
    first, second = marker_positions(x)
    assert np.all(x[np.arange(20), first, 1] == 1) and np.all(x[np.arange(20), second, 1] == 1)
    assert np.all(first < 6) and np.all(second >= 6)
    hold = hold_mask(x)
    assert hold.shape == (20, 12)
    np.testing.assert_array_equal(hold.sum(axis=1), second - first - 1)
    bad = x.copy()
    bad[0, :, 1] = 0
    with pytest.raises(ValueError, match="two markers"):
        marker_positions(bad)
    with pytest.raises(ValueError, match="channels"):
        marker_positions(x[:, :, :1])


def synthetic_gates(x, unit=2, units=4):
    """Gates of a made-up LSTM whose ``unit`` writes at the markers and holds in between."""
    rng = np.random.default_rng(0)
    shape = (*x.shape[:2], units)
    gates = {k: rng.uniform(0.3, 0.7, shape) for k in ("input", "forget", "output")}
    gates["cell"] = rng.standard_normal(shape)
    marks = x[:, :, 1] > 0.5
    gates["input"][:, :, unit] = np.where(marks, 0.95, 0.02)
    gates["forget"][:, :, unit] = np.where(hold_mask(x), 0.99, 0.5)
    first, _ = marker_positions(x)
    gates["cell"][:, :, unit] = -x[np.arange(len(x)), first, 0][:, None]  # holds -u1 throughout
    return gates


def test_pick_memory_unit_and_gate_summary_on_known_gates():
    x, _ = adding_problem(30, 15, seed=0)
    gates = synthetic_gates(x)
    corr = memory_correlations(gates, x)
    assert corr.shape == (4,) and corr[2] == pytest.approx(-1.0)
    assert np.all(np.abs(np.delete(corr, 2)) < 0.9)
    assert pick_memory_unit(gates, x) == 2
    summary = gate_summary(gates, x, 2)
    assert summary["forget_hold"] == pytest.approx(0.99)
    assert summary["input_marked"] == pytest.approx(0.95)
    assert summary["input_hold"] == pytest.approx(0.02)
    gru = {"update": 1 - gates["input"], "reset": gates["output"], "hidden": gates["cell"]}
    assert pick_memory_unit(gru, x) == 2
    gru["hidden"][:, :, 3] = 0.0  # a dead unit: correlation 0, not NaN
    assert memory_correlations(gru, x)[3] == 0.0
    with pytest.raises(ValueError, match="unit"):
        gate_summary(gates, x, 4)
    with pytest.raises(ValueError, match="'hidden'"):
        pick_memory_unit({"forget": gates["forget"]}, x)
    with pytest.raises(ValueError, match="expected"):
        pick_memory_unit(gates, x[:, :5])


def test_gate_reading_on_a_real_model():
    run = run_task("adding_T50", "lstm", length=10, n_train=64, n_val=20, epochs=1, hidden_size=3)
    x, _ = adding_problem(20, 10, seed=1)
    gates = gate_activations(run.model, x)
    unit = pick_memory_unit(gates, x)
    summary = gate_summary(gates, x, unit)
    assert set(summary) >= {"forget_hold", "input_marked", "output_other"}
    assert all(0 <= v <= 1 for v in summary.values())


# --- the plots of lessons 04 and 05 (course_utils.plotting.gates) -------------------------


def test_gate_plots_return_figures_and_check_their_arguments():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from course_utils.plotting import (
        plot_gate_heatmap,
        plot_gate_trace,
        plot_head_to_head,
        plot_seed_runs,
    )

    x, _ = adding_problem(5, 12, seed=0)
    gates = synthetic_gates(x)
    assert isinstance(plot_gate_trace(x, gates, unit=2, index=1), Figure)
    assert isinstance(plot_gate_heatmap(gates, "forget", highlight=2), Figure)
    gru = {"update": gates["forget"], "reset": gates["input"], "hidden": gates["cell"]}
    assert isinstance(plot_gate_trace(x, gru, unit=0), Figure)
    runs = {"bias 1": [[0.2, 0.1, 0.01]], "bias 0": [[0.2, 0.2, 0.1], [0.2, 0.1, 0.05]]}
    assert isinstance(plot_seed_runs(runs, live={"bias 1": [0.2, 0.05]}, threshold=0.05), Figure)
    rows = [
        {
            "task": t,
            "cell": c,
            "params": 10,
            "seconds_per_epoch": 1.0,
            "inference_us": 5.0,
            "metric": 0.1 + seed,
        }
        for t in ("a", "b")
        for c in ("lstm", "gru")
        for seed in range(2)
    ]
    assert isinstance(plot_head_to_head(rows), Figure)
    with pytest.raises(ValueError, match="unit"):
        plot_gate_trace(x, gates, unit=9)
    with pytest.raises(ValueError, match="'update'"):
        plot_gate_heatmap(gates, "update")
    with pytest.raises(ValueError, match="highlight"):
        plot_gate_heatmap(gates, "forget", highlight=-1)
    with pytest.raises(TypeError, match="groups"):
        plot_seed_runs([])
    with pytest.raises(TypeError, match="rows"):
        plot_head_to_head([])
