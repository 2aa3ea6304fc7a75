"""The Elman network ("simple RNN"), from scratch in NumPy.

Elman, J. L. (1990). Finding structure in time. *Cognitive Science*, 14(2), 179-211.
Elman copied the hidden layer into "context units" and fed it back at the next
step; Keras calls this ``SimpleRNN``. For every step ``t = 1..T``::

    a_t = x_t @ W_xh + h_{t-1} @ W_hh + b_h      # (batch, hidden)
    h_t = act(a_t)                               # act: tanh (default), linear or relu

Backpropagation through time walks the steps backwards with ``dh_t`` the *total*
gradient reaching ``h_t`` (from the output at ``t`` and from ``h_{t+1}``)::

    da_t      = dh_t * act'(a_t)
    dh_{t-1} += da_t @ W_hh.T
    dW_hh    += h_{t-1}.T @ da_t,  dW_xh += x_t.T @ da_t,  db_h += sum_batch(da_t)
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_choice, check_layer_activation, check_rnn_layer
from course_utils.numpy_rnn import _keras
from course_utils.numpy_rnn._base import RecurrentCell, activate, activation_grad
from course_utils.numpy_rnn.init import glorot_uniform, orthogonal, zeros

__all__ = ["Elman"]

ELMAN_ACTIVATIONS = ("tanh", "linear", "relu")


class Elman(RecurrentCell):
    """Elman (1990) recurrent layer, the same function as ``keras.layers.SimpleRNN``.

    Parameters
    ----------
    input_size, hidden_size: widths of ``x_t`` and ``h_t``.
    activation: ``"tanh"`` (default, as Keras), ``"linear"`` or ``"relu"``.
    seed: seed or ``numpy.random.Generator`` for the Keras-default initialisation.
    dtype: ``"float64"`` (default, for gradient checks) or ``"float32"`` (as Keras).

    ``params``: ``W_xh`` (input_size, hidden_size), ``W_hh`` (hidden_size, hidden_size),
    ``b_h`` (hidden_size,). ``forward(x, h0)``: ``h0`` is ``(batch, hidden_size)`` or
    None (zeros); outputs are all hidden states ``(batch, time, hidden_size)``.
    ``step(x_t, h_prev)`` returns ``h_t``.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        *,
        activation: str = "tanh",
        seed=0,
        dtype="float64",
    ) -> None:
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)
        self.activation = check_choice("activation", activation, ELMAN_ACTIVATIONS)
        D, H, dt = self.input_size, self.hidden_size, self.dtype
        self.params = {
            "W_xh": glorot_uniform((D, H), self.rng, dt),  # input -> hidden
            "W_hh": orthogonal((H, H), self.rng, dt),  # hidden -> hidden (context units)
            "b_h": zeros(H, dt),  # hidden bias
        }

    def __repr__(self) -> str:
        return super().__repr__()[:-1] + f", activation={self.activation!r})"

    # --- forward ------------------------------------------------------------

    def _forward(self, x, state):
        p = self.params
        (h,) = state  # (batch, hidden)
        B, T, _ = x.shape
        xW = x @ p["W_xh"] + p["b_h"]  # (batch, time, hidden): input part of every step
        hs = np.empty((B, T, self.hidden_size), dtype=self.dtype)  # (batch, time, hidden)
        for t in range(T):
            h = activate(self.activation, xW[:, t] + h @ p["W_hh"])  # (batch, hidden)
            hs[:, t] = h
        cache = {"x": x, "h0": state[0], "outputs": hs, "final_state": h}
        return hs, cache

    # --- backward -----------------------------------------------------------

    def _backward(self, d_outputs, cache):
        p = self.params
        x, h0, hs = cache["x"], cache["h0"], cache["outputs"]
        B, T, H = hs.shape
        da = np.empty_like(hs)  # (batch, time, hidden): dL/d pre-activation
        dh_all = np.empty_like(hs)  # (batch, time, hidden): total dL/dh_t
        dh_next = np.zeros((B, H), dtype=self.dtype)  # (batch, hidden): from step t+1
        for t in reversed(range(T)):
            dh = d_outputs[:, t] + dh_next  # (batch, hidden): output path + recurrent path
            dh_all[:, t] = dh
            da[:, t] = dh * activation_grad(self.activation, hs[:, t])  # (batch, hidden)
            dh_next = da[:, t] @ p["W_hh"].T  # (batch, hidden)
        h_prev = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)  # (batch, time, hidden)
        da_flat = da.reshape(B * T, H)  # (batch*time, hidden)
        grads = {
            "W_xh": x.reshape(B * T, -1).T @ da_flat,  # (input, hidden)
            "W_hh": h_prev.reshape(B * T, H).T @ da_flat,  # (hidden, hidden)
            "b_h": da_flat.sum(axis=0),  # (hidden,)
            "x": da @ p["W_xh"].T,  # (batch, time, input)
            "h0": dh_next,  # (batch, hidden)
        }
        return grads, dh_all

    # --- Keras ----------------------------------------------------------------

    @classmethod
    def from_keras(cls, layer, *, dtype=None) -> Elman:
        """Copy a built ``keras.layers.SimpleRNN`` (or ``keras.layers.RNN(ElmanCell)``).

        ``dtype`` defaults to the layer's weight dtype (float32 for a default layer).
        """
        import keras

        from course_utils.keras_cells import ElmanCell  # known exception (ARCHITECTURE.md)

        cell = check_rnn_layer(
            layer,
            (keras.layers.SimpleRNNCell, ElmanCell),
            "a keras.layers.SimpleRNN or keras.layers.RNN(ElmanCell(...))",
        )
        activation = check_layer_activation(layer, "activation", ELMAN_ACTIVATIONS)
        kernel = keras.ops.convert_to_numpy(cell.kernel)
        dtype = kernel.dtype if dtype is None else dtype
        D, H = kernel.shape
        new = cls(D, H, activation=activation, dtype=dtype)
        new.params["W_xh"][...] = kernel
        new.params["W_hh"][...] = _keras.to_numpy(cell.recurrent_kernel, new.dtype)
        if cell.bias is not None:  # use_bias=False leaves b_h at zero
            new.params["b_h"][...] = _keras.to_numpy(cell.bias, new.dtype)
        return new

    def keras_weights(self, arrays: dict | None = None) -> list[np.ndarray]:
        """``[kernel, recurrent_kernel, bias]`` as ``SimpleRNN.get_weights()`` orders them.

        ``arrays`` defaults to ``params``; pass ``grads`` to lay gradients out the same way.
        """
        a = self.params if arrays is None else arrays
        return [a["W_xh"], a["W_hh"], a["b_h"]]

    def to_keras(self, *, return_sequences: bool = True, return_state: bool = False, dtype=None):
        """A built ``keras.layers.SimpleRNN`` computing the same function."""
        import keras

        layer = keras.layers.SimpleRNN(
            self.hidden_size,
            activation=self.activation,
            return_sequences=return_sequences,
            return_state=return_state,
            dtype=_keras.keras_dtype(self.dtype, dtype),
        )
        self._set_keras_weights(layer, self.keras_weights())
        return layer
