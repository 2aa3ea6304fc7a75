"""minGRU, from scratch in NumPy: a GRU whose gate and candidate see only ``x_t``.

Feng, L., Tung, F., Ahmed, M. O., Bengio, Y. & Hajimirsadeghi, H. (2024). Were RNNs
all we needed? arXiv:2410.01201. Section 3.1 derives it from the GRU in two steps:
drop ``h_{t-1}`` from the update gate and the candidate (3.1.1; with no ``h_{t-1}`` in
the candidate, the reset gate has nothing left to act on),
and drop the candidate's ``tanh`` (3.1.2). For every step (``s`` the logistic sigmoid,
``*`` elementwise)::

    z_t  = s(x_t @ W_xz + b_z)                   # update gate    (batch, hidden)
    h~_t = g(x_t @ W_xh + b_h)                   # candidate      (batch, hidden)
    h_t  = (1 - z_t) * h_{t-1} + z_t * h~_t      # = a_t * h_{t-1} + b_t

with ``a_t = 1 - z_t`` and ``b_t = z_t * h~_t`` (their algorithms 1-2). Note the paper's
convention: ``z_t`` near 1 takes the *new* candidate, the opposite of the course's GRU
(Keras and Cho et al. 2014, see ``numpy_rnn/gru.py``).

``g`` is the identity in the paper's "vanilla" version (appendix A, ``log_space=False``)
and ``g(x) = x + 0.5`` for ``x >= 0``, ``sigmoid(x)`` below, in the log-space version it
trains with (appendix B, ``log_space=True``, the default): ``h~ > 0``, so ``b_t > 0`` has
a log. In log space (their listing 8), ``log a_t = -softplus(k_t)`` and
``log z_t = -softplus(-k_t)`` for ``k_t = x_t @ W_xz + b_z``. Parameters:
``2 * (input_size + 1) * hidden_size`` against the GRU's
``3 * (input_size * hidden_size + hidden_size**2 + 2 * hidden_size)``.

What is lost: the gate no longer sees ``h_{t-1}``, so one layer decides *when* to write
from the input alone; Feng et al. (sections 3.1.1 and 4.1, their table 1) recover
time-dependent behaviour by stacking layers.
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

__all__ = ["MinGRU"]


class MinGRU(MinCell):
    """minGRU layer: ``MinGRU(input_size, hidden_size, log_space=True, seed=0, dtype="float64")``.

    ``params``: ``W_xz``, ``W_xh`` (input_size, hidden_size); ``b_z``, ``b_h``
    (hidden_size,). ``forward_loop(x, h0)`` and ``forward_scan(x, h0, method)`` return
    the same ``(states, cache)``; ``backward(d_states, cache)`` the gradients.
    ``course_utils.linear_rnn.keras_min.MinGRU`` is the Keras layer (``to_keras``,
    ``from_keras`` there).
    """

    GATES = ("z", "h")

    def _loop(self, x, h):
        B, T, _ = x.shape
        H = self.hidden_size
        p = self.params
        h = np.zeros((B, H), dtype=self.dtype) if h is None else h  # (batch, hidden)
        pre = np.empty((B, T, 2 * H), dtype=self.dtype)  # (batch, time, 2*hidden): k, m
        states = np.empty((B, T, H), dtype=self.dtype)  # (batch, time, hidden)
        for t in range(T):
            k = x[:, t] @ p["W_xz"] + p["b_z"]  # (batch, hidden)
            m = x[:, t] @ p["W_xh"] + p["b_h"]  # (batch, hidden)
            z = sigmoid(k)  # (batch, hidden) update gate
            h_tilde = candidate(m, self.log_space)  # (batch, hidden)
            h = (1.0 - z) * h + z * h_tilde  # (batch, hidden)
            pre[:, t, :H], pre[:, t, H:] = k, m
            states[:, t] = h
        return states, pre

    def _coefficients(self, pre, logs):
        k, m = np.split(pre, 2, axis=-1)  # (batch, time, hidden) each
        if logs:  # log(1 - z), log z + log h~
            return -softplus(k), -softplus(-k) + log_candidate(m)
        z = sigmoid(k)  # (batch, time, hidden)
        return 1.0 - z, z * candidate(m, self.log_space)

    def _pre_grads(self, pre, h_prev, dh):
        k, m = np.split(pre, 2, axis=-1)  # (batch, time, hidden) each
        z = sigmoid(k)  # (batch, time, hidden)
        dz = dh * (candidate(m, self.log_space) - h_prev)  # dL/dz: -da + h~ db
        dk = dz * z * (1.0 - z)  # (batch, time, hidden): through the sigmoid
        dm = dh * z * candidate_grad(m, self.log_space)  # (batch, time, hidden): through g
        return np.concatenate([dk, dm], axis=-1)  # (batch, time, 2*hidden)
