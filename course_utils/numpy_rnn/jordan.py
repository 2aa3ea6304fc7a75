"""The Jordan network: the *output* is fed back, through decaying state units.

Jordan, M. I. (1986). Serial order: a parallel distributed processing approach.
ICS Report 8604, Institute for Cognitive Science, UC San Diego.

Jordan's state units hold a decaying trace of the past outputs. For ``t = 1..T``::

    h_t     = tanh(x_t @ W_xh + s_t @ W_sh + b_h)    # hidden units  (batch, hidden)
    y_t     = act(h_t @ W_hy + b_y)                  # output units  (batch, output)
    s_{t+1} = mu * s_t + y_t                         # state units   (batch, output)

``act`` is ``output_activation`` ("linear" by default; "tanh" or "sigmoid", Jordan's own
choice). ``mu`` in [0, 1] is the self-decay: 0 feeds back only the last output. The
carried state is ``s`` (width ``output_size``), so ``h0`` means ``s_1``, zeros by default.

Backward, with ``ds_{t+1}`` arriving from the future::

    dy_t = d_outputs_t + ds_{t+1};   da_y = dy_t * act'(y_t);   dh_t = da_y @ W_hy.T
    da_h = dh_t * (1 - h_t**2);      ds_t = da_h @ W_sh.T + mu * ds_{t+1}
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import (
    check_array,
    check_choice,
    check_int,
    check_layer_activation,
    check_number,
    check_rnn_layer,
)
from course_utils.numpy_rnn import _keras
from course_utils.numpy_rnn._base import RecurrentCell, activate, activation_grad
from course_utils.numpy_rnn.init import glorot_uniform, orthogonal, zeros

__all__ = ["Jordan"]

OUTPUT_ACTIVATIONS = ("linear", "tanh", "sigmoid")


class Jordan(RecurrentCell):
    """Jordan (1986) network; the same function as ``keras.layers.RNN(JordanCell(...))``.

    Parameters
    ----------
    input_size, hidden_size, output_size: widths of ``x_t``, ``h_t`` and ``y_t``.
    mu: self-decay of the state units, ``0 <= mu <= 1`` (fixed, not trained).
    output_activation: ``"linear"`` (default), ``"tanh"`` or ``"sigmoid"``.
    seed, dtype: as for the other cells (default ``"float64"``).

    ``params``: ``W_xh`` (input_size, hidden_size), ``W_sh`` (output_size, hidden_size),
    ``b_h`` (hidden_size,), ``W_hy`` (hidden_size, output_size), ``b_y`` (output_size,).

    ``forward(x, h0)`` returns the outputs ``y`` of shape ``(batch, time, output_size)``;
    ``h0`` is the first state ``s_1`` of shape ``(batch, output_size)`` and
    ``backward`` returns its gradient under ``"h0"``. ``cache["h"]`` holds the hidden
    units ``(batch, time, hidden_size)``. ``step(x_t, s_t)`` returns ``(y_t, s_next)``.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_size: int,
        *,
        mu: float = 0.0,
        output_activation: str = "linear",
        seed=0,
        dtype="float64",
    ) -> None:
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)
        self._output_size = check_int("output_size", output_size, minimum=1)
        self.mu = check_number("mu", mu, minimum=0.0, maximum=1.0)
        self.output_activation = check_choice(
            "output_activation", output_activation, OUTPUT_ACTIVATIONS
        )
        D, H, O, dt = self.input_size, self.hidden_size, self._output_size, self.dtype
        self.params = {
            "W_xh": glorot_uniform((D, H), self.rng, dt),  # input -> hidden
            "W_sh": orthogonal((O, H), self.rng, dt),  # state units -> hidden
            "b_h": zeros(H, dt),  # hidden bias
            "W_hy": glorot_uniform((H, O), self.rng, dt),  # hidden -> output
            "b_y": zeros(O, dt),  # output bias
        }

    @property
    def output_size(self) -> int:
        return self._output_size

    @property
    def state_sizes(self) -> tuple[int, ...]:
        return (self._output_size,)

    def __repr__(self) -> str:
        return (
            f"Jordan(input_size={self.input_size}, hidden_size={self.hidden_size}, "
            f"output_size={self.output_size}, mu={self.mu}, "
            f"output_activation={self.output_activation!r}, dtype={self.dtype.name})"
        )

    def step(self, x_t, h_prev=None):
        """One step: returns ``(y_t, s_next)``; ``h_prev`` is the state ``s_t`` (or None)."""
        x_t = check_array("x_t", x_t, ndim=2, dims="(batch, input_size)")
        y, cache = self.forward(x_t[:, None, :], h_prev)
        return y[:, 0], cache["final_state"]

    # --- forward ------------------------------------------------------------

    def _forward(self, x, state):
        p = self.params
        (s,) = state  # (batch, output)
        B, T, _ = x.shape
        xW = x @ p["W_xh"] + p["b_h"]  # (batch, time, hidden)
        ss = np.empty((B, T, self.output_size), dtype=self.dtype)  # (batch, time, output): s_t
        hs = np.empty((B, T, self.hidden_size), dtype=self.dtype)  # (batch, time, hidden)
        ys = np.empty((B, T, self.output_size), dtype=self.dtype)  # (batch, time, output)
        for t in range(T):
            ss[:, t] = s
            h = np.tanh(xW[:, t] + s @ p["W_sh"])  # (batch, hidden)
            y = activate(self.output_activation, h @ p["W_hy"] + p["b_y"])  # (batch, output)
            s = self.mu * s + y  # (batch, output): next state units
            hs[:, t], ys[:, t] = h, y
        cache = {"x": x, "s": ss, "h": hs, "outputs": ys, "final_state": s}
        return ys, cache

    # --- backward -----------------------------------------------------------

    def _backward(self, d_outputs, cache):
        p = self.params
        x, ss, hs, ys = cache["x"], cache["s"], cache["h"], cache["outputs"]
        B, T, H = hs.shape
        O = self.output_size
        da_h = np.empty_like(hs)  # (batch, time, hidden): dL/d hidden pre-activation
        da_y = np.empty_like(ys)  # (batch, time, output): dL/d output pre-activation
        dh_all = np.empty_like(hs)  # (batch, time, hidden): total dL/dh_t
        ds_next = np.zeros((B, O), dtype=self.dtype)  # (batch, output): dL/ds_{t+1}
        for t in reversed(range(T)):
            dy = d_outputs[:, t] + ds_next  # (batch, output): y_t also feeds s_{t+1}
            da_y[:, t] = dy * activation_grad(self.output_activation, ys[:, t])
            dh_all[:, t] = da_y[:, t] @ p["W_hy"].T  # (batch, hidden)
            da_h[:, t] = dh_all[:, t] * (1.0 - hs[:, t] ** 2)  # (batch, hidden)
            ds_next = da_h[:, t] @ p["W_sh"].T + self.mu * ds_next  # (batch, output)
        flat_h = da_h.reshape(B * T, H)  # (batch*time, hidden)
        flat_y = da_y.reshape(B * T, O)  # (batch*time, output)
        grads = {
            "W_xh": x.reshape(B * T, -1).T @ flat_h,  # (input, hidden)
            "W_sh": ss.reshape(B * T, O).T @ flat_h,  # (output, hidden)
            "b_h": flat_h.sum(axis=0),  # (hidden,)
            "W_hy": hs.reshape(B * T, H).T @ flat_y,  # (hidden, output)
            "b_y": flat_y.sum(axis=0),  # (output,)
            "x": da_h @ p["W_xh"].T,  # (batch, time, input)
            "h0": ds_next,  # (batch, output): dL/ds_1
        }
        return grads, dh_all

    # --- Keras ----------------------------------------------------------------

    @classmethod
    def from_keras(cls, layer, *, dtype=None) -> Jordan:
        """Copy a built ``keras.layers.RNN(JordanCell(...))``."""
        from course_utils.keras_cells import JordanCell  # known exception (ARCHITECTURE.md)

        cell = check_rnn_layer(layer, (JordanCell,), "a keras.layers.RNN(JordanCell(...))")
        output_activation = check_layer_activation(layer, "output_activation", OUTPUT_ACTIVATIONS)
        kernel = _keras.to_numpy(cell.kernel, None)  # (input, hidden)
        dtype = kernel.dtype if dtype is None else dtype
        new = cls(
            kernel.shape[0],
            cell.units,
            cell.output_units,
            mu=cell.mu,
            output_activation=output_activation,
            dtype=dtype,
        )
        weights = (cell.kernel, cell.state_kernel, cell.bias, cell.output_kernel, cell.output_bias)
        for name, weight in zip(("W_xh", "W_sh", "b_h", "W_hy", "b_y"), weights, strict=True):
            new.params[name][...] = _keras.to_numpy(weight, new.dtype)
        return new

    def keras_weights(self, arrays: dict | None = None) -> list[np.ndarray]:
        """``[kernel, state_kernel, bias, output_kernel, output_bias]`` as ``JordanCell``."""
        a = self.params if arrays is None else arrays
        return [a[name] for name in ("W_xh", "W_sh", "b_h", "W_hy", "b_y")]

    def to_keras(self, *, return_sequences: bool = True, return_state: bool = False, dtype=None):
        """A built ``keras.layers.RNN(JordanCell(...))`` computing the same function."""
        import keras

        from course_utils.keras_cells import JordanCell  # known exception (ARCHITECTURE.md)

        dtype = _keras.keras_dtype(self.dtype, dtype)
        cell = JordanCell(
            self.hidden_size,
            self.output_size,
            mu=self.mu,
            output_activation=self.output_activation,
            dtype=dtype,
        )
        layer = keras.layers.RNN(
            cell, return_sequences=return_sequences, return_state=return_state, dtype=dtype
        )
        self._set_keras_weights(layer, self.keras_weights())
        return layer
