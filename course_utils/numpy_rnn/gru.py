"""Gated recurrent unit (GRU), from scratch in NumPy, in Keras's gate order z, r, h.

Cho, K., van Merrienboer, B., Gulcehre, C., Bahdanau, D., Bougares, F., Schwenk, H. &
Bengio, Y. (2014). Learning phrase representations using RNN encoder-decoder for
statistical machine translation. *EMNLP 2014*, 1724-1734.

For every step ``t`` (``s`` is the logistic sigmoid, ``*`` elementwise)::

    z_t = s(x_t @ W_xz + b_xz + h_{t-1} @ W_hz [+ b_hz])      # update gate (batch, hidden)
    r_t = s(x_t @ W_xr + b_xr + h_{t-1} @ W_hr [+ b_hr])      # reset gate  (batch, hidden)
    reset_after=True  (Keras default, cuDNN):
        n_t = tanh(x_t @ W_xh + b_xh + r_t * (h_{t-1} @ W_hh + b_hh))
    reset_after=False (Cho et al. 2014):
        n_t = tanh(x_t @ W_xh + b_xh + (r_t * h_{t-1}) @ W_hh)
    h_t = z_t * h_{t-1} + (1 - z_t) * n_t                     # (batch, hidden)

``n_t`` is the candidate state. ``z_t`` near 1 *keeps* the old state: this is Cho et
al.'s (2014) own update, their eq. 7, and Keras's convention. The form with ``z`` and
``1 - z`` swapped, ``h_t = (1 - z_t) * h_{t-1} + z_t * n_t``, is the one written by
Chung, Gulcehre, Cho & Bengio (2014), *Empirical evaluation of gated recurrent neural
networks on sequence modeling*, arXiv:1412.3555; check a source's convention before
reading its gate values. The
recurrent biases ``b_hz, b_hr, b_hh`` exist only with ``reset_after=True``, as in Keras.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_layer_activation, check_rnn_layer
from course_utils.numpy_rnn import _keras
from course_utils.numpy_rnn._base import RecurrentCell, sigmoid
from course_utils.numpy_rnn.init import glorot_uniform, orthogonal, zeros

__all__ = ["GRU"]

GATES = ("z", "r", "h")  # Keras's order of the three column blocks


class GRU(RecurrentCell):
    """GRU layer, the same function as ``keras.layers.GRU(reset_after=...)``.

    Parameters
    ----------
    input_size, hidden_size: widths of ``x_t`` and ``h_t``.
    reset_after: True (Keras default) applies the reset gate after the recurrent
        product; False applies it before, as in Cho et al. (2014).
    seed, dtype: as for the other cells (default ``"float64"``).

    ``params``, per gate ``k`` in ``z, r, h``: ``W_xk`` (input_size, hidden_size),
    ``W_hk`` (hidden_size, hidden_size), ``b_xk`` (hidden_size,) and, only with
    ``reset_after=True``, ``b_hk`` (hidden_size,). ``h0``: ``(batch, hidden_size)`` or
    None. ``step(x_t, h_prev)`` returns ``h_t``.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        *,
        reset_after: bool = True,
        seed=0,
        dtype="float64",
    ) -> None:
        super().__init__(input_size, hidden_size, seed=seed, dtype=dtype)
        if not isinstance(reset_after, (bool, np.bool_)):
            raise TypeError(f"reset_after must be True or False; got {reset_after!r}.")
        self.reset_after = bool(reset_after)
        D, H, dt = self.input_size, self.hidden_size, self.dtype
        W_x = np.split(glorot_uniform((D, 3 * H), self.rng, dt), 3, axis=1)  # 3 x (input, hidden)
        W_h = np.split(orthogonal((H, 3 * H), self.rng, dt), 3, axis=1)  # 3 x (hidden, hidden)
        self.params = {}
        for k, Wx, Wh in zip(GATES, W_x, W_h, strict=True):
            self.params[f"W_x{k}"] = np.ascontiguousarray(Wx)  # input -> gate k
            self.params[f"W_h{k}"] = np.ascontiguousarray(Wh)  # hidden -> gate k
            self.params[f"b_x{k}"] = zeros(H, dt)  # input bias of gate k
            if self.reset_after:
                self.params[f"b_h{k}"] = zeros(H, dt)  # recurrent bias of gate k

    def __repr__(self) -> str:
        return super().__repr__()[:-1] + f", reset_after={self.reset_after})"

    def _stacked(self, prefix: str, arrays: dict | None = None) -> np.ndarray:
        """Concatenate the three blocks ``prefix + k`` in Keras order z, r, h."""
        a = self.params if arrays is None else arrays
        return np.concatenate([a[prefix + k] for k in GATES], axis=-1)

    # --- forward ------------------------------------------------------------

    def _forward(self, x, state):
        (h,) = state  # (batch, hidden)
        B, T, _ = x.shape
        H = self.hidden_size
        W_h = self._stacked("W_h")  # (hidden, 3*hidden)
        b_h = self._stacked("b_h") if self.reset_after else 0.0  # (3*hidden,)
        xW = x @ self._stacked("W_x") + self._stacked("b_x")  # (batch, time, 3*hidden)
        gates = np.empty((B, T, 3 * H), dtype=self.dtype)  # (batch, time, 3*hidden): z r n
        rec = np.empty((B, T, H), dtype=self.dtype)  # (B, T, H): h@W_hh+b_hh or r*h_prev
        hs = np.empty((B, T, H), dtype=self.dtype)  # (batch, time, hidden)
        for t in range(T):
            xz, xr, xh = np.split(xW[:, t], 3, axis=1)  # (batch, hidden) each
            if self.reset_after:
                hW = h @ W_h + b_h  # (batch, 3*hidden)
                z = sigmoid(xz + hW[:, :H])  # (batch, hidden) update gate
                r = sigmoid(xr + hW[:, H : 2 * H])  # (batch, hidden) reset gate
                rec[:, t] = hW[:, 2 * H :]  # (batch, hidden)
                n = np.tanh(xh + r * rec[:, t])  # (batch, hidden) candidate
            else:
                hW = h @ W_h[:, : 2 * H]  # (batch, 2*hidden)
                z = sigmoid(xz + hW[:, :H])  # (batch, hidden)
                r = sigmoid(xr + hW[:, H:])  # (batch, hidden)
                rec[:, t] = r * h  # (batch, hidden) reset hidden state
                n = np.tanh(xh + rec[:, t] @ W_h[:, 2 * H :])  # (batch, hidden)
            h = z * h + (1.0 - z) * n  # (batch, hidden)
            gates[:, t] = np.concatenate([z, r, n], axis=1)
            hs[:, t] = h
        cache = {
            "x": x,
            "h0": state[0],
            "gates": gates,
            "rec": rec,
            "outputs": hs,
            "final_state": h,
        }
        return hs, cache

    # --- backward -----------------------------------------------------------

    def _backward(self, d_outputs, cache):
        x, hs, gates, rec = cache["x"], cache["outputs"], cache["gates"], cache["rec"]
        B, T, H = hs.shape
        W_h = self._stacked("W_h")  # (hidden, 3*hidden)
        W_hh = W_h[:, 2 * H :]  # (hidden, hidden)
        h_prev_all = np.concatenate([cache["h0"][:, None], hs[:, :-1]], axis=1)  # (B, T, H)
        d_in = np.empty((B, T, 3 * H), dtype=self.dtype)  # dL/d input pre-activations z r n
        d_rec = np.empty((B, T, 3 * H), dtype=self.dtype)  # dL/d recurrent products
        dh_all = np.empty_like(hs)  # (batch, time, hidden): total dL/dh_t
        dh_next = np.zeros((B, H), dtype=self.dtype)  # (batch, hidden)
        for t in reversed(range(T)):
            z, r, n = np.split(gates[:, t], 3, axis=1)  # (batch, hidden) each
            h_prev = h_prev_all[:, t]  # (batch, hidden)
            dh = d_outputs[:, t] + dh_next  # (batch, hidden)
            dh_all[:, t] = dh
            da_n = dh * (1.0 - z) * (1.0 - n**2)  # (batch, hidden): through n and tanh
            da_z = dh * (h_prev - n) * z * (1.0 - z)  # (batch, hidden): through z and sigmoid
            if self.reset_after:
                da_r = da_n * rec[:, t] * r * (1.0 - r)  # (batch, hidden)
                d_rec[:, t] = np.concatenate([da_z, da_r, da_n * r], axis=1)  # (batch, 3*hidden)
                dh_prev = dh * z + d_rec[:, t] @ W_h.T  # (batch, hidden)
            else:
                d_rh = da_n @ W_hh.T  # (batch, hidden): dL/d(r * h_prev)
                da_r = d_rh * h_prev * r * (1.0 - r)  # (batch, hidden)
                d_rec[:, t] = np.concatenate([da_z, da_r, da_n], axis=1)  # (batch, 3*hidden)
                dh_prev = dh * z + d_rh * r + d_rec[:, t, : 2 * H] @ W_h[:, : 2 * H].T
            d_in[:, t] = np.concatenate([da_z, da_r, da_n], axis=1)  # (batch, 3*hidden)
            dh_next = dh_prev
        flat_in = d_in.reshape(B * T, 3 * H)  # (batch*time, 3*hidden)
        flat_rec = d_rec.reshape(B * T, 3 * H)  # (batch*time, 3*hidden)
        dW_x = x.reshape(B * T, -1).T @ flat_in  # (input, 3*hidden)
        db_x = flat_in.sum(axis=0)  # (3*hidden,)
        dW_h = h_prev_all.reshape(B * T, H).T @ flat_rec  # (hidden, 3*hidden)
        if not self.reset_after:  # the candidate's product takes r * h_prev, not h_prev
            dW_h[:, 2 * H :] = rec.reshape(B * T, H).T @ flat_rec[:, 2 * H :]
        grads = {}
        for m, k in enumerate(GATES):
            block = slice(m * H, (m + 1) * H)
            grads[f"W_x{k}"] = dW_x[:, block]
            grads[f"W_h{k}"] = dW_h[:, block]
            grads[f"b_x{k}"] = db_x[block]
            if self.reset_after:
                grads[f"b_h{k}"] = flat_rec[:, block].sum(axis=0)
        grads["x"] = d_in @ self._stacked("W_x").T  # (batch, time, input)
        grads["h0"] = dh_next  # (batch, hidden)
        return grads, dh_all

    # --- Keras ----------------------------------------------------------------

    @classmethod
    def from_keras(cls, layer, *, dtype=None) -> GRU:
        """Copy a built ``keras.layers.GRU`` (either ``reset_after``)."""
        import keras

        cell = check_rnn_layer(layer, (keras.layers.GRUCell,), "a keras.layers.GRU")
        check_layer_activation(layer, "activation", ("tanh",))
        check_layer_activation(layer, "recurrent_activation", ("sigmoid",))
        kernel = keras.ops.convert_to_numpy(cell.kernel)  # (input, 3*hidden)
        dtype = kernel.dtype if dtype is None else dtype
        new = cls(kernel.shape[0], cell.units, reset_after=cell.reset_after, dtype=dtype)
        H = cell.units
        recurrent = _keras.to_numpy(cell.recurrent_kernel, new.dtype)  # (hidden, 3*hidden)
        if cell.use_bias:
            bias = _keras.to_numpy(cell.bias, new.dtype)  # (2, 3*hidden) or (3*hidden,)
        else:
            bias = np.zeros((2, 3 * H) if new.reset_after else 3 * H, dtype=new.dtype)
        b_x, b_h = (bias[0], bias[1]) if new.reset_after else (bias, None)
        for m, k in enumerate(GATES):
            block = slice(m * H, (m + 1) * H)
            new.params[f"W_x{k}"][...] = kernel[:, block]
            new.params[f"W_h{k}"][...] = recurrent[:, block]
            new.params[f"b_x{k}"][...] = b_x[block]
            if new.reset_after:
                new.params[f"b_h{k}"][...] = b_h[block]
        return new

    def keras_weights(self, arrays: dict | None = None) -> list[np.ndarray]:
        """``[kernel, recurrent_kernel, bias]`` in ``keras.layers.GRU.get_weights()`` layout.

        The bias is ``(2, 3*hidden)`` (input row, recurrent row) with ``reset_after=True``
        and ``(3*hidden,)`` otherwise. Pass ``grads`` to lay gradients out the same way.
        """
        bias = self._stacked("b_x", arrays)  # (3*hidden,)
        if self.reset_after:
            bias = np.stack([bias, self._stacked("b_h", arrays)])  # (2, 3*hidden)
        return [self._stacked("W_x", arrays), self._stacked("W_h", arrays), bias]

    def to_keras(self, *, return_sequences: bool = True, return_state: bool = False, dtype=None):
        """A built ``keras.layers.GRU`` computing the same function."""
        import keras

        layer = keras.layers.GRU(
            self.hidden_size,
            reset_after=self.reset_after,
            return_sequences=return_sequences,
            return_state=return_state,
            dtype=_keras.keras_dtype(self.dtype, dtype),
        )
        self._set_keras_weights(layer, self.keras_weights())
        return layer
