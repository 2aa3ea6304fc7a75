"""Gradient tools: a numerical gradient check, and the vanishing/exploding-gradient probes.

* :func:`gradient_check` compares analytic gradients with central differences.
* :func:`set_spectral_radius` rescales a recurrent matrix to a chosen spectral radius.
* :func:`hidden_gradient_norms` measures ``||dL/dh_k||`` at every step ``k``, for the
  NumPy engine (``course_utils.numpy_rnn``) and for Keras RNN layers (``tf.GradientTape``).

In a linear RNN ``h_t = h_{t-1} @ W`` the gradient reaching ``h_k`` from step ``T`` scales
like ``rho**(T - k)``, with ``rho`` the spectral radius of ``W`` (Pascanu, Mikolov & Bengio
2013, section 2.1; Bengio, Simard & Frasconi 1994 describe the vanishing and exploding
gradients themselves): the experiment of lesson 03.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from course_utils.core.validation import check_array, check_choice, check_number
from course_utils.keras_cells import ElmanCell
from course_utils.numpy_rnn import RecurrentCell

__all__ = ["gradient_check", "hidden_gradient_norms", "relative_error", "set_spectral_radius"]

LOSSES = ("last_sum", "sum")


# --- gradient check -----------------------------------------------------------


def relative_error(analytic, numeric) -> float:
    """``||a - n|| / (||a|| + ||n||)`` over the whole array (0 when both are 0)."""
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    scale = np.linalg.norm(a) + np.linalg.norm(n)
    return 0.0 if scale == 0.0 else float(np.linalg.norm(a - n) / scale)


def gradient_check(
    f: Callable[[], tuple],
    params: dict,
    eps: float = 1e-6,
    *,
    max_entries: int | None = None,
    seed=0,
    per_key: bool = False,
):
    """Compare analytic gradients with central differences; return the largest relative error.

    f: a function of no arguments returning ``(loss, grads)``: the scalar loss and a dict
        of analytic gradients with (at least) the keys of ``params``. It must read the
        arrays in ``params``, because the check nudges them in place.
    params: dict of float64 arrays to check, e.g. ``{**cell.params, "x": x}``. Every
        entry is restored after its nudge.
    eps: the step of ``(L(p + eps) - L(p - eps)) / (2 eps)``.
    max_entries: check at most this many randomly chosen entries per array (default all).
    per_key: return ``{name: relative error}`` instead of the maximum.

    The relative error of an array is ``||analytic - numeric|| / (||analytic|| +
    ||numeric||)`` over the checked entries; with float64 a correct backward pass gives
    about 1e-9, a wrong one about 1e-1. Example::

        def f():
            outputs, cache = cell.forward(x)
            loss, d_outputs = mean_squared_error(outputs, y)
            return loss, cell.backward(d_outputs, cache)

        gradient_check(f, {**cell.params, "x": x})   # -> 3e-10
    """
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments; got {type(f).__name__}.")
    if not isinstance(params, dict) or not params:
        raise TypeError(f"params must be a non-empty dict of arrays; got {params!r:.60}.")
    eps = check_number("eps", eps, minimum=0.0, strict_minimum=True)
    for name, p in params.items():
        if not isinstance(p, np.ndarray) or p.dtype != np.float64:
            got = p.dtype if isinstance(p, np.ndarray) else type(p).__name__
            raise TypeError(
                f"params[{name!r}] must be a float64 NumPy array (f32 round-off swamps the "
                f"differences); got {got}. Build the cell with dtype='float64'."
            )
    rng = np.random.default_rng(seed)
    _, analytic = f()
    missing = [k for k in params if k not in analytic]
    if missing:
        raise ValueError(f"f() returned no gradient for {missing}; it returned {list(analytic)}.")
    errors = {}
    for name, p in params.items():
        entries = np.arange(p.size)
        if max_entries is not None and p.size > max_entries:
            entries = rng.choice(p.size, size=max_entries, replace=False)
        numeric = np.empty(len(entries))
        for j, flat_index in enumerate(entries):
            idx = np.unravel_index(flat_index, p.shape)  # works for any memory layout
            original = p[idx]
            p[idx] = original + eps
            loss_plus = float(f()[0])
            p[idx] = original - eps
            loss_minus = float(f()[0])
            p[idx] = original
            numeric[j] = (loss_plus - loss_minus) / (2 * eps)
        errors[name] = relative_error(np.asarray(analytic[name]).reshape(-1)[entries], numeric)
    return errors if per_key else max(errors.values())


# --- spectral radius ------------------------------------------------------------


def set_spectral_radius(W, rho: float) -> np.ndarray:
    """Return ``W`` rescaled so that its largest absolute eigenvalue is ``rho``.

    W: a square float matrix with at least one non-zero eigenvalue (a copy is returned,
    same dtype). rho: the wanted spectral radius, ``>= 0``. For an exact decay
    ``||dL/dh_k|| = rho**(T-k)`` use a normal matrix, e.g. an orthogonal one.
    """
    W = check_array("W", W, ndim=2, dims="(hidden, hidden)")
    if W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be square (hidden, hidden); got shape {W.shape}.")
    rho = check_number("rho", rho, minimum=0.0)
    radius = float(np.max(np.abs(np.linalg.eigvals(W.astype(np.float64)))))
    if radius == 0.0:
        raise ValueError("W has spectral radius 0 (all eigenvalues are zero); cannot rescale it.")
    return (W * (rho / radius)).astype(W.dtype)


# --- gradient norms per step ----------------------------------------------------


def _loss_function(loss) -> Callable:
    if callable(loss):
        return loss
    check_choice("loss", loss, LOSSES)

    def named_loss(outputs):
        d = np.zeros_like(outputs)
        if loss == "last_sum":
            d[:, -1] = 1.0
            return float(outputs[:, -1].sum()), d
        d[...] = 1.0
        return float(outputs.sum()), d

    return named_loss


def hidden_gradient_norms(model_or_cell, x, loss="last_sum") -> np.ndarray:
    """``||dL/dh_k||`` for every step ``k``: an array of shape ``(time,)``.

    model_or_cell: a NumPy cell (``numpy_rnn.Elman``, ``Jordan``, ``LSTM``, ``GRU``), or a
        built Keras recurrent layer (``SimpleRNN``, ``LSTM``, ``GRU``, or
        ``keras.layers.RNN(ElmanCell(...))``), or a Keras model made of one such layer.
    x: inputs ``(batch, time, input_size)``.
    loss: what ``L`` is, computed from the full output sequence ``(batch, time, units)``
        (whatever the layer's ``return_sequences``):

        * ``"last_sum"`` (default): ``L = sum(outputs[:, -1])``, the sum of the last outputs;
        * ``"sum"``: ``L = sum(outputs)``;
        * a callable ``loss(outputs) -> (value, d_outputs)`` on NumPy arrays, e.g. built
          from ``numpy_rnn.mean_squared_error``.

    ``h_k`` is the hidden state at step ``k`` (for ``Jordan``: the hidden units, not the
    outputs); the gradient is total, through every later step. The norm is taken over
    the batch and hidden axes together. Keras layers are unrolled step by step under
    ``tf.GradientTape`` so that every ``h_k`` is a tensor the tape can differentiate to.
    """
    loss_fn = _loss_function(loss)
    x = check_array("x", x, ndim=3, dims="(batch, time, input_size)")
    if isinstance(model_or_cell, RecurrentCell):
        outputs, cache = model_or_cell.forward(x)
        _, d_outputs = loss_fn(outputs)
        dh = model_or_cell.hidden_grads(d_outputs, cache)  # (batch, time, hidden)
        return np.sqrt(np.sum(dh.astype(np.float64) ** 2, axis=(0, 2)))  # (time,)
    return _keras_hidden_gradient_norms(model_or_cell, x, loss_fn)


def _keras_hidden_gradient_norms(layer, x, loss_fn) -> np.ndarray:
    import keras
    import tensorflow as tf

    if isinstance(layer, keras.Model) and len(layer.layers) == 1:
        layer = layer.layers[0]
    cell_types = (
        keras.layers.SimpleRNNCell,
        keras.layers.LSTMCell,
        keras.layers.GRUCell,
        ElmanCell,
    )
    if not isinstance(layer, keras.layers.RNN) or not isinstance(layer.cell, cell_types):
        raise TypeError(
            "model_or_cell must be a course_utils.numpy_rnn cell, or a Keras SimpleRNN, LSTM, "
            f"GRU or RNN(ElmanCell) layer (pass the layer itself); got {type(layer).__name__}."
        )
    cell = layer.cell
    if not cell.built:
        layer.build((None, None, x.shape[-1]))
    xt = tf.convert_to_tensor(x, dtype=cell.compute_dtype)  # (batch, time, input)
    sizes = cell.state_size if isinstance(cell.state_size, (list, tuple)) else [cell.state_size]
    states = [tf.zeros((x.shape[0], n), dtype=cell.compute_dtype) for n in sizes]
    with tf.GradientTape() as tape:
        hs = []  # one (batch, units) tensor per step
        for t in range(x.shape[1]):
            h, states = cell(xt[:, t], states, training=False)
            states = list(states) if isinstance(states, (list, tuple)) else [states]
            hs.append(h)
        outputs = tf.stack(hs, axis=1)  # (batch, time, units)
    _, d_outputs = loss_fn(outputs.numpy())
    d_outputs = tf.convert_to_tensor(d_outputs, dtype=outputs.dtype)
    dh = tape.gradient(outputs, hs, output_gradients=d_outputs)  # per step: (batch, units)
    return np.array([np.linalg.norm(g.numpy().astype(np.float64)) for g in dh])  # (time,)
