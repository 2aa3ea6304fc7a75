"""minLSTM, from scratch in NumPy: an LSTM whose gates and candidate see only ``x_t``.

Feng, L., Tung, F., Ahmed, M. O., Bengio, Y. & Hajimirsadeghi, H. (2024). Were RNNs
all we needed? arXiv:2410.01201. Section 3.2 derives it from the LSTM in three steps:
drop ``h_{t-1}`` from the gates and the candidate (3.2.1), drop the candidate's ``tanh``
(3.2.2), and drop the output gate and the ``tanh`` on the state, normalising the two
remaining gates so that ``f'_t + i'_t = 1`` (3.2.3, "length independence scaling": the
state's scale then no longer grows with the sequence's length, as a sum of unnormalised
inputs would). For every step (``s`` the logistic sigmoid, ``*`` elementwise)::

    f_t  = s(x_t @ W_xf + b_f)                  # forget gate   (batch, hidden)
    i_t  = s(x_t @ W_xi + b_i)                  # input gate    (batch, hidden)
    f'_t = f_t / (f_t + i_t),  i'_t = i_t / (f_t + i_t)
    h~_t = g(x_t @ W_xh + b_h)                  # candidate     (batch, hidden)
    h_t  = f'_t * h_{t-1} + i'_t * h~_t         # = a_t * h_{t-1} + b_t

(their algorithms 3-4 and 7-8). The state is the output: no cell state, no output
gate. ``g`` is the identity in the "vanilla" version (appendix A, ``log_space=False``)
and ``x + 0.5`` for ``x >= 0``, ``sigmoid(x)`` below, in the log-space version
(appendix B, ``log_space=True``, the default), where (listing 10)
``d = softplus(-k_f) - softplus(-k_i)``, ``log f' = -softplus(d)``,
``log i' = -softplus(-d)``. Parameters: ``3 * (input_size + 1) * hidden_size`` against
the LSTM's ``4 * (input_size * hidden_size + hidden_size**2 + hidden_size)``.
"""

from __future__ import annotations

import numpy as np

from course_utils.linear_rnn._min_cell import (
    MinCell,
    candidate,
    candidate_grad,
    log_candidate,
    sigmoid,
    softplus,
)

__all__ = ["MinLSTM"]


class MinLSTM(MinCell):
    """minLSTM layer: ``MinLSTM(input_size, hidden_size, log_space=True, seed=0, dtype="float64")``.

    ``params``: ``W_xf``, ``W_xi``, ``W_xh`` (input_size, hidden_size); ``b_f``, ``b_i``,
    ``b_h`` (hidden_size,). Methods as ``MinGRU``; the Keras layer is
    ``course_utils.linear_rnn.keras_min.MinLSTM``.
    """

    GATES = ("f", "i", "h")

    def _loop(self, x, h):
        B, T, _ = x.shape
        H = self.hidden_size
        p = self.params
        h = np.zeros((B, H), dtype=self.dtype) if h is None else h  # (batch, hidden)
        pre = np.empty((B, T, 3 * H), dtype=self.dtype)  # (batch, time, 3*hidden): kf, ki, m
        states = np.empty((B, T, H), dtype=self.dtype)  # (batch, time, hidden)
        for t in range(T):
            k_f = x[:, t] @ p["W_xf"] + p["b_f"]  # (batch, hidden)
            k_i = x[:, t] @ p["W_xi"] + p["b_i"]  # (batch, hidden)
            m = x[:, t] @ p["W_xh"] + p["b_h"]  # (batch, hidden)
            f, i = sigmoid(k_f), sigmoid(k_i)  # (batch, hidden) each
            f_norm, i_norm = f / (f + i), i / (f + i)  # (batch, hidden) each, sum 1
            h = f_norm * h + i_norm * candidate(m, self.log_space)  # (batch, hidden)
            pre[:, t] = np.concatenate([k_f, k_i, m], axis=1)
            states[:, t] = h
        return states, pre

    def _coefficients(self, pre, logs):
        k_f, k_i, m = np.split(pre, 3, axis=-1)  # (batch, time, hidden) each
        if logs:  # log f', log i' + log h~
            d = softplus(-k_f) - softplus(-k_i)  # (batch, time, hidden): log(i / f)
            return -softplus(d), -softplus(-d) + log_candidate(m)
        f, i = sigmoid(k_f), sigmoid(k_i)  # (batch, time, hidden) each
        return f / (f + i), i / (f + i) * candidate(m, self.log_space)

    def _pre_grads(self, pre, h_prev, dh):
        k_f, k_i, m = np.split(pre, 3, axis=-1)  # (batch, time, hidden) each
        f, i = sigmoid(k_f), sigmoid(k_i)  # (batch, time, hidden) each
        f_norm = f / (f + i)  # (batch, time, hidden)
        i_norm = 1.0 - f_norm  # (batch, time, hidden)
        df_norm = dh * (h_prev - candidate(m, self.log_space))  # i' = 1 - f'
        dk_f = df_norm * f_norm * i_norm * (1.0 - f)  # d f' / d k_f = f' i' (1 - f)
        dk_i = -df_norm * f_norm * i_norm * (1.0 - i)  # d f' / d k_i = -f' i' (1 - i)
        dm = dh * i_norm * candidate_grad(m, self.log_space)  # (batch, time, hidden)
        return np.concatenate([dk_f, dk_i, dm], axis=-1)  # (batch, time, 3*hidden)
