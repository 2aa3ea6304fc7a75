"""Keras cells ElmanCell and JordanCell: inside keras.layers.RNN, and saved to .keras."""

import keras
import numpy as np
import pytest

from course_utils import numpy_rnn
from course_utils.keras_cells import ElmanCell, JordanCell


def as_numpy(tensors):
    return [keras.ops.convert_to_numpy(t) for t in tensors]


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_elman_cell_computes_what_simple_rnn_computes(activation):
    x = np.random.default_rng(0).standard_normal((3, 6, 4)).astype("float32")
    reference = keras.layers.SimpleRNN(
        5, activation=activation, return_sequences=True, return_state=True
    )
    mine = keras.layers.RNN(
        ElmanCell(5, activation=activation), return_sequences=True, return_state=True
    )
    expected = as_numpy(reference(x))
    mine.build((None, None, 4))
    mine.set_weights(reference.get_weights())
    got = as_numpy(mine(x))
    assert [g.shape for g in got] == [(3, 6, 5), (3, 5)]
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def test_jordan_cell_returns_outputs_and_state_units():
    cell = numpy_rnn.Jordan(4, 6, 2, mu=0.5, output_activation="tanh", dtype="float32")
    x = np.random.default_rng(1).standard_normal((3, 5, 4)).astype("float32")
    outputs, cache = cell.forward(x)
    layer = keras.layers.RNN(
        JordanCell(6, 2, mu=0.5, output_activation="tanh"), return_sequences=True, return_state=True
    )
    layer.build((None, None, 4))
    layer.set_weights(cell.keras_weights())
    sequence, state = as_numpy(layer(x))
    np.testing.assert_allclose(sequence, outputs, atol=1e-6)
    np.testing.assert_allclose(state, cache["final_state"], atol=1e-6)  # mu*s_T + y_T
    last_only = keras.layers.RNN(layer.cell)(x)  # return_sequences=False: y_T
    np.testing.assert_allclose(keras.ops.convert_to_numpy(last_only), outputs[:, -1], atol=1e-6)


def test_model_with_both_cells_saves_and_loads_with_identical_predictions(tmp_path):
    inputs = keras.Input(shape=(7, 3))
    h = keras.layers.RNN(ElmanCell(8, activation="relu"), return_sequences=True)(inputs)
    outputs = keras.layers.RNN(JordanCell(6, 2, mu=0.4, output_activation="sigmoid"))(h)
    model = keras.Model(inputs, outputs)
    x = np.random.default_rng(2).standard_normal((4, 7, 3)).astype("float32")
    before = keras.ops.convert_to_numpy(model(x))
    path = tmp_path / "cells.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)  # no custom_objects: the cells are registered
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(loaded(x)), before)
    cells = [layer.cell for layer in loaded.layers if isinstance(layer, keras.layers.RNN)]
    assert isinstance(cells[0], ElmanCell) and isinstance(cells[1], JordanCell)
    assert cells[1].mu == 0.4 and cells[1].output_units == 2


@pytest.mark.parametrize(
    "cell",
    [
        ElmanCell(3, activation="linear", use_bias=False),
        JordanCell(3, 2, mu=0.9, output_activation="tanh"),
    ],
)
def test_config_round_trip(cell):
    config = cell.get_config()
    assert type(cell).from_config(config).get_config() == config
    assert keras.saving.get_registered_name(type(cell)) == f"course_utils>{type(cell).__name__}"


def test_cells_check_their_arguments():
    with pytest.raises(ValueError, match="units must be >= 1; got 0"):
        ElmanCell(0)
    with pytest.raises(TypeError, match="output_units must be an integer"):
        JordanCell(3, 2.0)
    with pytest.raises(ValueError, match="mu must be <= 1.0; got 2.0"):
        JordanCell(3, 2, mu=2.0)


def test_one_recurrent_layer_factory():
    import keras

    from course_utils.keras_cells import RECURRENT_KINDS, recurrent_layer

    types = {kind: type(recurrent_layer(kind, 4)) for kind in RECURRENT_KINDS}
    assert types == {
        "simple_rnn": keras.layers.SimpleRNN,
        "irnn": keras.layers.SimpleRNN,
        "lstm": keras.layers.LSTM,
        "gru": keras.layers.GRU,
    }
    assert recurrent_layer("irnn", 4).activation.__name__ == "relu"
    assert recurrent_layer("gru", 4, reset_after=False).reset_after is False
    with pytest.raises(ValueError, match="kind"):
        recurrent_layer("transformer", 4)
    with pytest.raises(TypeError, match="return_sequences"):
        recurrent_layer("lstm", 4, return_sequences="yes")
    with pytest.raises(ValueError, match="units"):
        recurrent_layer("lstm", 0)
