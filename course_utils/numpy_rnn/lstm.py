"""Long short-term memory (LSTM), from scratch in NumPy, in Keras's gate order i, f, c, o.

Hochreiter, S. & Schmidhuber, J. (1997). Long short-term memory. *Neural Computation*,
9(8), 1735-1780 (the memory cell with input and output gates).
Gers, F. A., Schmidhuber, J. & Cummins, F. (2000). Learning to forget: continual
prediction with LSTM. *Neural Computation*, 12(10), 2451-2471 (the forget gate).

For every step ``t`` (``s`` is the logistic sigmoid, ``*`` elementwise)::

    i_t = s(x_t @ W_xi + h_{t-1} @ W_hi + b_i)      # input gate      (batch, hidden)
    f_t = s(x_t @ W_xf + h_{t-1} @ W_hf + b_f)      # forget gate     (batch, hidden)
    g_t = tanh(x_t @ W_xc + h_{t-1} @ W_hc + b_c)   # candidate cell  (batch, hidden)
    o_t = s(x_t @ W_xo + h_{t-1} @ W_ho + b_o)      # output gate     (batch, hidden)
    c_t = f_t * c_{t-1} + i_t * g_t                 # cell state      (batch, hidden)
    h_t = o_t * tanh(c_t)                           # hidden state    (batch, hidden)

Backward, with ``dh_t`` and ``dc_t`` the total gradients reaching ``h_t`` and ``c_t``::

    do = dh * tanh(c_t);   dc += dh * o * (1 - tanh(c_t)**2)
    di = dc * g;  dg = dc * i;  df = dc * c_{t-1};  dc_{t-1} = dc * f
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_layer_activation, check_rnn_layer
from course_utils.numpy_rnn import _keras
from course_utils.numpy_rnn._base import RecurrentCell, sigmoid
from course_utils.numpy_rnn.init import glorot_uniform, orthogonal, zeros

__all__ = ["LSTM"]

GATES = ("i", "f", "c", "o")  # Keras's order of the four column blocks


class LSTM(RecurrentCell):
    """LSTM layer with a forget gate, the same function as ``keras.layers.LSTM``.

    Parameters
    ----------
    input_size, hidden_size: widths of ``x_t`` and ``h_t`` (= ``c_t``).
    seed: seed or ``numpy.random.Generator``; initialisation as Keras (forget bias 1).
    dtype: ``"float64"`` (default) or ``"float32"``.

    ``params`` (12 arrays, per gate ``k`` in ``i, f, c, o``): ``W_xk``
    (input_size, hidden_size), ``W_hk`` (hidden_size, hidden_size), ``b_k`` (hidden_size,).

    State: the initial state is a pair ``(h0, c0)``, each ``(batch, hidden_size)``, or
    None (zeros). ``backward`` returns ``"h0"`` and ``"c0"`` gradients as separate keys.
    ``step(x_t, (h_prev, c_prev))`` returns ``(h_t, c_t)``; so does
    ``cache["final_state"]``.
    """

    state_names = ("h0", "c0")

    def __init__(self, input_size: int, hidden_size: int, *, seed=0, dtype="float64") -> None:
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)
        D, H, dt = self.input_size, self.hidden_size, self.dtype
        W_x = np.split(glorot_uniform((D, 4 * H), self.rng, dt), 4, axis=1)  # 4 x (input, hidden)
        W_h = np.split(orthogonal((H, 4 * H), self.rng, dt), 4, axis=1)  # 4 x (hidden, hidden)
        self.params = {}
        for k, Wx, Wh in zip(GATES, W_x, W_h, strict=True):
            self.params[f"W_x{k}"] = np.ascontiguousarray(Wx)  # input -> gate k
            self.params[f"W_h{k}"] = np.ascontiguousarray(Wh)  # hidden -> gate k
            self.params[f"b_{k}"] = zeros(H, dt)  # gate k bias
        self.params["b_f"][...] = 1.0  # Keras unit_forget_bias=True (Gers et al. 2000)

    @property
    def state_sizes(self) -> tuple[int, ...]:
        return (self.hidden_size, self.hidden_size)

    def _stacked(self, prefix: str, arrays: dict | None = None) -> np.ndarray:
        """Concatenate the four gate blocks ``prefix + k`` in Keras order i, f, c, o."""
        a = self.params if arrays is None else arrays
        return np.concatenate([a[prefix + k] for k in GATES], axis=-1)

    # --- forward ------------------------------------------------------------

    def _forward(self, x, state):
        h, c = state  # (batch, hidden) each
        B, T, _ = x.shape
        H = self.hidden_size
        W_h = self._stacked("W_h")  # (hidden, 4*hidden): all four gates in one product
        xW = x @ self._stacked("W_x") + self._stacked("b_")  # (batch, time, 4*hidden)
        gates = np.empty((B, T, 4 * H), dtype=self.dtype)  # (batch, time, 4*hidden): i f g o
        cs = np.empty((B, T, H), dtype=self.dtype)  # (batch, time, hidden): c_t
        hs = np.empty((B, T, H), dtype=self.dtype)  # (batch, time, hidden): h_t
        for t in range(T):
            z = xW[:, t] + h @ W_h  # (batch, 4*hidden): pre-activations
            i = sigmoid(z[:, :H])  # (batch, hidden) input gate
            f = sigmoid(z[:, H : 2 * H])  # (batch, hidden) forget gate
            g = np.tanh(z[:, 2 * H : 3 * H])  # (batch, hidden) candidate
            o = sigmoid(z[:, 3 * H :])  # (batch, hidden) output gate
            c = f * c + i * g  # (batch, hidden)
            h = o * np.tanh(c)  # (batch, hidden)
            gates[:, t] = np.concatenate([i, f, g, o], axis=1)
            cs[:, t], hs[:, t] = c, h
        cache = {
            "x": x,
            "h0": state[0],
            "c0": state[1],
            "gates": gates,
            "c": cs,
            "outputs": hs,
            "final_state": (h, c),
        }
        return hs, cache

    # --- backward -----------------------------------------------------------

    def _backward(self, d_outputs, cache):
        x, hs, cs, gates = cache["x"], cache["outputs"], cache["c"], cache["gates"]
        B, T, H = hs.shape
        W_h = self._stacked("W_h")  # (hidden, 4*hidden)
        c_prev_all = np.concatenate([cache["c0"][:, None], cs[:, :-1]], axis=1)  # (B, T, H)
        dz = np.empty((B, T, 4 * H), dtype=self.dtype)  # (batch, time, 4*hidden)
        dh_all = np.empty_like(hs)  # (batch, time, hidden): total dL/dh_t
        dh_next = np.zeros((B, H), dtype=self.dtype)  # (batch, hidden)
        dc_next = np.zeros((B, H), dtype=self.dtype)  # (batch, hidden)
        for t in reversed(range(T)):
            i, f, g, o = np.split(gates[:, t], 4, axis=1)  # (batch, hidden) each
            tanh_c = np.tanh(cs[:, t])  # (batch, hidden)
            dh = d_outputs[:, t] + dh_next  # (batch, hidden)
            dh_all[:, t] = dh
            do = dh * tanh_c  # (batch, hidden)
            dc = dc_next + dh * o * (1.0 - tanh_c**2)  # (batch, hidden)
            di = dc * g  # (batch, hidden)
            df = dc * c_prev_all[:, t]  # (batch, hidden)
            dg = dc * i  # (batch, hidden)
            dc_next = dc * f  # (batch, hidden)
            dz[:, t] = np.concatenate(  # back through the gate nonlinearities
                [di * i * (1 - i), df * f * (1 - f), dg * (1 - g**2), do * o * (1 - o)], axis=1
            )  # (batch, 4*hidden)
            dh_next = dz[:, t] @ W_h.T  # (batch, hidden)
        h_prev = np.concatenate([cache["h0"][:, None], hs[:, :-1]], axis=1)  # (B, T, H)
        dz_flat = dz.reshape(B * T, 4 * H)  # (batch*time, 4*hidden)
        dW_x = x.reshape(B * T, -1).T @ dz_flat  # (input, 4*hidden)
        dW_h = h_prev.reshape(B * T, H).T @ dz_flat  # (hidden, 4*hidden)
        db = dz_flat.sum(axis=0)  # (4*hidden,)
        grads = {}
        for n, k in enumerate(GATES):
            block = slice(n * H, (n + 1) * H)
            grads[f"W_x{k}"] = dW_x[:, block]
            grads[f"W_h{k}"] = dW_h[:, block]
            grads[f"b_{k}"] = db[block]
        grads["x"] = dz @ self._stacked("W_x").T  # (batch, time, input)
        grads["h0"] = dh_next  # (batch, hidden)
        grads["c0"] = dc_next  # (batch, hidden)
        return grads, dh_all

    # --- Keras ----------------------------------------------------------------

    @classmethod
    def from_keras(cls, layer, *, dtype=None) -> LSTM:
        """Copy a built ``keras.layers.LSTM`` (tanh activation, sigmoid recurrent activation)."""
        import keras

        cell = check_rnn_layer(layer, (keras.layers.LSTMCell,), "a keras.layers.LSTM")
        check_layer_activation(layer, "activation", ("tanh",))
        check_layer_activation(layer, "recurrent_activation", ("sigmoid",))
        kernel = keras.ops.convert_to_numpy(cell.kernel)  # (input, 4*hidden)
        dtype = kernel.dtype if dtype is None else dtype
        new = cls(kernel.shape[0], cell.units, dtype=dtype)
        recurrent = _keras.to_numpy(cell.recurrent_kernel, new.dtype)  # (hidden, 4*hidden)
        if cell.use_bias:
            bias = _keras.to_numpy(cell.bias, new.dtype)  # (4*hidden,)
        else:
            bias = np.zeros(4 * cell.units, dtype=new.dtype)
        for k, Wx, Wh, b in zip(
            GATES,
            np.split(kernel, 4, axis=1),
            np.split(recurrent, 4, axis=1),
            np.split(bias, 4),
            strict=True,
        ):
            new.params[f"W_x{k}"][...] = Wx
            new.params[f"W_h{k}"][...] = Wh
            new.params[f"b_{k}"][...] = b
        return new

    def keras_weights(self, arrays: dict | None = None) -> list[np.ndarray]:
        """``[kernel, recurrent_kernel, bias]`` in ``keras.layers.LSTM.get_weights()`` layout.

        ``arrays`` defaults to ``params``; pass ``grads`` to lay gradients out the same way.
        """
        return [
            self._stacked("W_x", arrays),
            self._stacked("W_h", arrays),
            self._stacked("b_", arrays),
        ]

    def to_keras(self, *, return_sequences: bool = True, return_state: bool = False, dtype=None):
        """A built ``keras.layers.LSTM`` computing the same function."""
        import keras

        layer = keras.layers.LSTM(
            self.hidden_size,
            return_sequences=return_sequences,
            return_state=return_state,
            dtype=_keras.keras_dtype(self.dtype, dtype),
        )
        self._set_keras_weights(layer, self.keras_weights())
        return layer
