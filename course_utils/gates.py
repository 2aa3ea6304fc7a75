"""Gate inspection: what every gate of a (trained) LSTM or GRU does at every step.

Lessons 04 and 05 watch a trained network work. :func:`gate_activations` reads the
weights of a Keras ``LSTM`` or ``GRU`` layer and recomputes the layer step by step
with ``keras.ops``, keeping what the layer itself throws away: the gate values and,
for an LSTM, the cell state. It checks its own hidden states against the layer's
real output, so the gates shown are the ones the layer used. Given a NumPy cell
(``course_utils.numpy_rnn.LSTM`` / ``GRU``) it returns the same dictionary from the
engine's forward pass: the tests show the two agree for the same weights.

Returned keys, each an array of shape ``(batch, time, units)``:

* LSTM: ``input``, ``forget``, ``candidate``, ``output``, ``cell``, ``hidden``
  (``i_t, f_t, g_t, o_t, c_t, h_t`` in ``course_utils.numpy_rnn.lstm``);
* GRU: ``update``, ``reset``, ``candidate``, ``hidden``
  (``z_t, r_t, n_t, h_t`` in ``course_utils.numpy_rnn.gru``; Keras's convention:
  ``update`` near 1 *keeps* the previous state).

On the adding problem (``course_utils.tasks.adding_problem``), :func:`marker_positions`
and :func:`hold_mask` say where the two marked numbers are and where the first must be
held; :func:`pick_memory_unit` finds the unit whose state holds the first number, and
:func:`gate_summary` averages its gates over the hold span, at the markers and elsewhere.

It is longer than the course's 300-line guide because it recomputes both gated cells
(LSTM and GRU) step by step and checks itself against the layer's output; the
adding-problem helpers beside it read that output and nothing else.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import (
    check_array,
    check_int,
    check_layer_activation,
    check_number,
    check_rnn_layer,
)
from course_utils.numpy_rnn.gru import GRU
from course_utils.numpy_rnn.lstm import LSTM

__all__ = [
    "GATE_NAMES",
    "gate_activations",
    "gate_summary",
    "hold_mask",
    "marker_positions",
    "memory_correlations",
    "pick_memory_unit",
    "find_recurrent_layer",
]

GATE_NAMES = {
    "lstm": ("input", "forget", "candidate", "output", "cell", "hidden"),
    "gru": ("update", "reset", "candidate", "hidden"),
}


def find_recurrent_layer(model, layer=None):
    """The LSTM or GRU layer of ``model`` that ``layer`` names.

    layer: None (the model's only, or first, LSTM/GRU layer), a layer name, or an
    index into ``model.layers``. A bare LSTM/GRU layer is returned as it is.
    """
    import keras

    kinds = (keras.layers.LSTM, keras.layers.GRU)
    if isinstance(model, kinds):
        return model
    if not isinstance(model, keras.Model):
        raise TypeError(
            "model must be a keras.layers.LSTM or GRU layer, a Keras model containing one, or "
            f"a course_utils.numpy_rnn LSTM/GRU cell; got {type(model).__name__}."
        )
    if layer is None:
        found = [candidate for candidate in model.layers if isinstance(candidate, kinds)]
        if not found:
            names = [type(candidate).__name__ for candidate in model.layers]
            raise ValueError(f"model has no LSTM or GRU layer; its layers are {names}.")
        return found[0]
    if isinstance(layer, str):
        names = [candidate.name for candidate in model.layers]
        if layer not in names:
            raise ValueError(f"layer {layer!r} is not in the model; its layers are {names}.")
        chosen = model.get_layer(layer)
    elif isinstance(layer, int) and not isinstance(layer, bool):
        if not -len(model.layers) <= layer < len(model.layers):
            raise ValueError(
                f"layer index {layer} is out of range for a model of {len(model.layers)} layers."
            )
        chosen = model.layers[layer]
    else:
        raise TypeError(f"layer must be None, a layer name or an index; got {layer!r}.")
    if not isinstance(chosen, kinds):
        raise ValueError(f"layer {chosen.name!r} is a {type(chosen).__name__}, not an LSTM or GRU.")
    return chosen


def _layer_inputs(model, layer, x):
    """What ``layer`` receives when ``model`` reads ``x`` (``x`` itself if it is first)."""
    import keras

    if model is layer or model.layers[0] is layer:
        return x
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    feeder = keras.Model(inputs, layer.input)  # everything before the layer
    return keras.ops.convert_to_numpy(feeder(x, training=False))


def gate_activations(model, x, *, layer=None, check: bool = True, atol: float = 1e-4) -> dict:
    """Gate activations of an LSTM or GRU at every step: a dict of ``(batch, time, units)`` arrays.

    model: a built ``keras.layers.LSTM``/``GRU`` (tanh activation, sigmoid gates), a Keras
        model containing one (``layer`` picks which; the layers before it are run on ``x``),
        or a NumPy ``course_utils.numpy_rnn.LSTM``/``GRU`` cell.
    x: the model's input, e.g. ``(batch, time, features)``; for a bare layer or cell,
        exactly what it reads.
    check: compare the recomputed hidden states with the layer's own output and raise
        ``RuntimeError`` if they differ by more than ``atol`` (Keras only).

    The keys are ``GATE_NAMES["lstm"]`` or ``GATE_NAMES["gru"]`` (see the module docstring).
    """
    import keras

    atol = check_number("atol", atol, minimum=0.0, strict_minimum=True)
    if isinstance(model, (LSTM, GRU)):
        x = check_array("x", x, ndim=3, dims="(batch, time, input_size)")
        return _engine_gates(model, x)
    target = find_recurrent_layer(model, layer)
    inputs = check_array(
        "x",
        _layer_inputs(model, target, x),
        ndim=3,
        dims="(batch, time, input_size) at the recurrent layer",
    )
    cell = check_rnn_layer(target, (type(target.cell),), "a keras.layers.LSTM or GRU")
    check_layer_activation(target, "activation", ("tanh",))
    check_layer_activation(target, "recurrent_activation", ("sigmoid",))
    kernel_rows = tuple(cell.kernel.shape)[0]
    if inputs.shape[2] != kernel_rows:
        raise ValueError(
            f"x reaches layer {target.name!r} with {inputs.shape[2]} features (shape "
            f"{inputs.shape}); the layer was built for {kernel_rows}."
        )
    is_lstm = isinstance(cell, keras.layers.LSTMCell)
    gates = _keras_lstm_gates(cell, inputs) if is_lstm else _keras_gru_gates(cell, inputs)
    if check:
        _check_against_layer(target, inputs, gates["hidden"], atol)
    return gates


# --- Keras: recomputed from the layer's weights with keras.ops -------------------------


def _weights(cell, blocks: int):
    from keras import ops

    kernel = ops.convert_to_tensor(cell.kernel)  # (input, blocks*units)
    recurrent = ops.convert_to_tensor(cell.recurrent_kernel)  # (units, blocks*units)
    if cell.use_bias:
        bias = ops.convert_to_tensor(cell.bias)  # (blocks*units,) or (2, blocks*units)
    else:
        bias = ops.zeros(
            (2, blocks * cell.units)
            if getattr(cell, "reset_after", False)
            else (blocks * cell.units,),
            dtype=kernel.dtype,
        )
    return kernel, recurrent, bias


def _stack(steps: list) -> np.ndarray:
    from keras import ops

    return ops.convert_to_numpy(ops.stack(steps, axis=1))  # (batch, time, units)


def _keras_lstm_gates(cell, x: np.ndarray) -> dict:
    from keras import ops

    kernel, recurrent, bias = _weights(cell, 4)
    n = cell.units
    xs = ops.convert_to_tensor(x, dtype=kernel.dtype)  # (batch, time, input)
    xW = ops.matmul(xs, kernel) + bias  # (batch, time, 4*units): Keras order i, f, c, o
    h = ops.zeros((x.shape[0], n), dtype=kernel.dtype)  # (batch, units)
    c = ops.zeros((x.shape[0], n), dtype=kernel.dtype)  # (batch, units)
    trace = {name: [] for name in GATE_NAMES["lstm"]}
    for t in range(x.shape[1]):
        z = xW[:, t] + ops.matmul(h, recurrent)  # (batch, 4*units)
        i = ops.sigmoid(z[:, :n])  # (batch, units) input gate
        f = ops.sigmoid(z[:, n : 2 * n])  # (batch, units) forget gate
        g = ops.tanh(z[:, 2 * n : 3 * n])  # (batch, units) candidate
        o = ops.sigmoid(z[:, 3 * n :])  # (batch, units) output gate
        c = f * c + i * g  # (batch, units) cell state
        h = o * ops.tanh(c)  # (batch, units) hidden state
        for name, value in zip(GATE_NAMES["lstm"], (i, f, g, o, c, h), strict=True):
            trace[name].append(value)
    return {name: _stack(steps) for name, steps in trace.items()}


def _keras_gru_gates(cell, x: np.ndarray) -> dict:
    from keras import ops

    kernel, recurrent, bias = _weights(cell, 3)
    n = cell.units
    b_x, b_h = (bias[0], bias[1]) if cell.reset_after else (bias, None)  # (3*units,) each
    xs = ops.convert_to_tensor(x, dtype=kernel.dtype)  # (batch, time, input)
    xW = ops.matmul(xs, kernel) + b_x  # (batch, time, 3*units): Keras order z, r, h
    h = ops.zeros((x.shape[0], n), dtype=kernel.dtype)  # (batch, units)
    trace = {name: [] for name in GATE_NAMES["gru"]}
    for t in range(x.shape[1]):
        x_z, x_r, x_h = xW[:, t, :n], xW[:, t, n : 2 * n], xW[:, t, 2 * n :]  # (batch, units)
        if cell.reset_after:
            hW = ops.matmul(h, recurrent) + b_h  # (batch, 3*units)
            z = ops.sigmoid(x_z + hW[:, :n])  # (batch, units) update gate
            r = ops.sigmoid(x_r + hW[:, n : 2 * n])  # (batch, units) reset gate
            cand = ops.tanh(x_h + r * hW[:, 2 * n :])  # (batch, units) candidate
        else:
            hW = ops.matmul(h, recurrent[:, : 2 * n])  # (batch, 2*units)
            z = ops.sigmoid(x_z + hW[:, :n])  # (batch, units)
            r = ops.sigmoid(x_r + hW[:, n:])  # (batch, units)
            cand = ops.tanh(x_h + ops.matmul(r * h, recurrent[:, 2 * n :]))  # (batch, units)
        h = z * h + (1.0 - z) * cand  # (batch, units)
        for name, value in zip(GATE_NAMES["gru"], (z, r, cand, h), strict=True):
            trace[name].append(value)
    return {name: _stack(steps) for name, steps in trace.items()}


def _check_against_layer(layer, x: np.ndarray, hidden: np.ndarray, atol: float) -> None:
    from keras import ops

    out = layer(x, training=False)
    out = out[0] if isinstance(out, (list, tuple)) else out  # return_state: outputs first
    out = ops.convert_to_numpy(out)  # (batch, time, units) or (batch, units)
    mine = hidden if out.ndim == 3 else hidden[:, -1]
    gap = float(np.max(np.abs(out.astype(np.float64) - mine)))
    if gap > atol:
        raise RuntimeError(
            f"the recomputed hidden states differ from layer {layer.name!r}'s output by {gap:.2e} "
            f"(> atol={atol:g}); gate_activations supports forward LSTM/GRU layers without "
            "masking. Pass check=False to inspect the gates anyway."
        )


# --- reading the gates of a model trained on the adding problem -----------------------


def marker_positions(x) -> tuple[np.ndarray, np.ndarray]:
    """Step of the first and of the second marker of each adding-problem sequence.

    x: ``(batch, time, 2)`` with the markers in channel 1. Returns two ``(batch,)`` int arrays.
    """
    x = check_array("x", x, ndim=3, dims="(batch, time, 2)")
    if x.shape[2] != 2:
        raise ValueError(f"x must have 2 channels (value, marker); got shape {x.shape}.")
    marks = x[:, :, 1] > 0.5  # (batch, time)
    if np.any(marks.sum(axis=1) != 2):
        raise ValueError("every sequence of x needs exactly two markers (channel 1 equal to 1).")
    first = marks.argmax(axis=1)  # (batch,)
    second = x.shape[1] - 1 - marks[:, ::-1].argmax(axis=1)  # (batch,)
    return first, second


def hold_mask(x) -> np.ndarray:
    """``(batch, time)`` bool: True strictly between the two markers, where the first
    marked number must be held in memory while nothing new is written."""
    first, second = marker_positions(x)
    steps = np.arange(x.shape[1])  # (time,)
    return (steps > first[:, None]) & (steps < second[:, None])  # (batch, time)


def _check_gates(gates, x, gate: str) -> np.ndarray:
    if not isinstance(gates, dict) or gate not in gates:
        keys = sorted(gates) if isinstance(gates, dict) else type(gates).__name__
        raise ValueError(
            f"gates must be the dict from gate_activations with key {gate!r}; got {keys}."
        )
    values = check_array(f"gates[{gate!r}]", gates[gate], ndim=3, dims="(batch, time, units)")
    if values.shape[:2] != np.shape(x)[:2]:
        raise ValueError(
            f"gates[{gate!r}] has shape {values.shape}; expected (batch, time) = "
            f"{np.shape(x)[:2]} like x."
        )
    return values


def memory_correlations(gates, x) -> np.ndarray:
    """For every unit: the correlation, over sequences, between its state just before the
    second marker and the first marked number. Shape ``(units,)``, NaN-free.

    The state is the cell state ``c`` for an LSTM and the hidden state ``h`` for a GRU.
    A unit that holds the first number until the second arrives scores near +1 or -1.
    """
    state = _check_gates(gates, x, "cell" if "cell" in gates else "hidden")
    first, second = marker_positions(x)
    rows = np.arange(len(first))
    held = state[rows, second - 1].astype(np.float64)  # (batch, units): state before marker 2
    value = x[rows, first, 0].astype(np.float64)  # (batch,): the first marked number
    held = held - held.mean(axis=0)
    value = value - value.mean()
    scale = np.sqrt((held**2).sum(axis=0) * (value**2).sum())  # (units,)
    corr = (held * value[:, None]).sum(axis=0) / np.where(scale > 0, scale, 1.0)  # (units,)
    return np.where(scale > 0, corr, 0.0)


def pick_memory_unit(gates, x) -> int:
    """The unit that holds the first marked number best: the largest ``|correlation|``
    of :func:`memory_correlations`.

    The choice looks only at what the state stores, not at how the gates store it, so
    reading the gates of that unit afterwards is a fair test of the "conveyor belt"
    picture (a unit could also hold a number by rewriting it through ``h`` at every step).
    """
    return int(np.argmax(np.abs(memory_correlations(gates, x))))


def gate_summary(gates, x, unit: int) -> dict[str, float]:
    """Mean of every gate of ``unit`` over the hold span, at the markers, and elsewhere.

    Keys ``"<gate>_hold"``, ``"<gate>_marked"`` and ``"<gate>_other"`` (other = neither
    marked nor in the hold span) for every sigmoid gate in ``gates``.
    """
    first, second = marker_positions(x)
    names = [g for g in ("input", "forget", "output", "update", "reset") if g in gates]
    if not names:
        raise ValueError(f"gates has no gate keys; got {sorted(gates)}.")
    units = _check_gates(gates, x, names[0]).shape[2]
    unit = check_int("unit", unit, minimum=0, maximum=units - 1)
    hold = hold_mask(x)  # (batch, time)
    marks = np.zeros_like(hold)
    rows = np.arange(len(first))
    marks[rows, first] = marks[rows, second] = True
    other = ~hold & ~marks
    summary = {}
    for name in names:
        values = _check_gates(gates, x, name)[:, :, unit]  # (batch, time)
        summary[f"{name}_hold"] = float(values[hold].mean())
        summary[f"{name}_marked"] = float(values[marks].mean())
        summary[f"{name}_other"] = float(values[other].mean()) if other.any() else float("nan")
    return summary


# --- the NumPy engine ------------------------------------------------------------------


def _engine_gates(cell, x: np.ndarray) -> dict:
    outputs, cache = cell.forward(x)  # (batch, time, units)
    gates = cache["gates"]  # (batch, time, blocks*units)
    if isinstance(cell, LSTM):
        i, f, g, o = np.split(gates, 4, axis=2)  # (batch, time, units) each
        values = (i, f, g, o, cache["c"], outputs)
        return dict(zip(GATE_NAMES["lstm"], values, strict=True))
    z, r, n = np.split(gates, 3, axis=2)  # (batch, time, units) each
    return dict(zip(GATE_NAMES["gru"], (z, r, n, outputs), strict=True))
