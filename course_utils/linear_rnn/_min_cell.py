"""What minGRU and minLSTM share: weights, argument checks, the scan forward and the
backward as a reverse linear recurrence. Private to ``linear_rnn``; the cells live in
``mingru.py`` and ``minlstm.py``.

A subclass names its gate blocks (``GATES``, the candidate ``"h"`` last) and supplies
``_loop`` (the readable step-by-step forward), ``_coefficients`` (``a`` and ``b`` of
``h_t = a_t * h_{t-1} + b_t``, or their logs) and ``_pre_grads`` (the chain rule from
``a`` and ``b`` back to the pre-activations).
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array, check_choice, check_int
from course_utils.linear_rnn.scan import scan_blelloch, scan_log_space, scan_parallel

__all__ = ["MinCell", "candidate", "candidate_grad", "log_candidate", "sigmoid", "softplus"]

SCANS = ("log_space", "hillis_steele", "blelloch")


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function, written with tanh so that large ``|z|`` never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def softplus(z: np.ndarray) -> np.ndarray:
    """``log(1 + exp(z))`` without overflow; ``-softplus(-z) = log sigmoid(z)``."""
    return np.logaddexp(0.0, z)


def candidate(m: np.ndarray, log_space: bool) -> np.ndarray:
    """``g(m)`` (``m + 0.5`` for ``m >= 0``, ``sigmoid(m)`` below) or, vanilla, ``m``."""
    return np.where(m >= 0, m + 0.5, sigmoid(m)) if log_space else m


def candidate_grad(m: np.ndarray, log_space: bool) -> np.ndarray:
    """d candidate / d m: ``g'(m)`` is 1 above 0 and ``s(1 - s)`` below."""
    if not log_space:
        return np.ones_like(m)
    s = sigmoid(m)
    return np.where(m >= 0, 1.0, s * (1.0 - s))


def log_candidate(m: np.ndarray) -> np.ndarray:
    """``log g(m)`` computed without ``log(sigmoid)`` underflowing (Feng et al.'s ``log_g``)."""
    return np.where(m >= 0, np.log(np.maximum(m, 0.0) + 0.5), -softplus(-m))


class MinCell:
    """Base class of ``MinGRU`` and ``MinLSTM``; not used directly.

    ``params``: per block ``k`` in ``GATES``, ``W_x{k}`` (input_size, hidden_size) and
    ``b_{k}`` (hidden_size,). Keras-default initialisation: Glorot-uniform over the
    stacked kernel ``(input_size, blocks * hidden_size)``, zero biases.
    """

    GATES: tuple[str, ...] = ()

    def __init__(self, input_size, hidden_size, *, log_space=True, seed=0, dtype="float64"):
        self.input_size = check_int("input_size", input_size, minimum=1)
        self.hidden_size = check_int("hidden_size", hidden_size, minimum=1)
        if not isinstance(log_space, (bool, np.bool_)):
            raise TypeError(f"log_space must be True or False; got {log_space!r}.")
        self.log_space = bool(log_space)
        try:
            name = np.dtype(dtype).name
        except TypeError:
            name = repr(dtype)
        self.dtype = np.dtype(check_choice("dtype", name, ("float32", "float64")))
        D, H, G = self.input_size, self.hidden_size, len(self.GATES)
        limit = np.sqrt(6.0 / (D + G * H))  # Glorot & Bengio (2010), as keras
        kernel = np.random.default_rng(seed).uniform(-limit, limit, (D, G * H))  # (input, G*hidden)
        self.params: dict[str, np.ndarray] = {}
        for k, block in zip(self.GATES, np.split(kernel, G, axis=1), strict=True):
            self.params[f"W_x{k}"] = np.ascontiguousarray(block, dtype=self.dtype)  # input -> k
            self.params[f"b_{k}"] = np.zeros(H, dtype=self.dtype)  # bias of block k

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(input_size={self.input_size}, hidden_size="
            f"{self.hidden_size}, log_space={self.log_space}, dtype={self.dtype.name})"
        )

    @property
    def num_params(self) -> int:
        """Number of trainable numbers: ``blocks * (input_size + 1) * hidden_size``."""
        return int(sum(p.size for p in self.params.values()))

    # --- Keras layout (no Keras needed: see keras_min.py for the layers) -------------

    def keras_weights(self, arrays: dict | None = None) -> list[np.ndarray]:
        """``[kernel (input, blocks*hidden), bias (blocks*hidden,)]``, blocks in ``GATES`` order.

        Pass ``grads`` to lay gradients out the same way.
        """
        a = self.params if arrays is None else arrays
        kernel = np.concatenate([a[f"W_x{k}"] for k in self.GATES], axis=1)
        return [kernel, np.concatenate([a[f"b_{k}"] for k in self.GATES])]

    def set_keras_weights(self, weights) -> None:
        """Copy ``[kernel, bias]`` in :meth:`keras_weights` layout into ``params``."""
        G, D, H = len(self.GATES), self.input_size, self.hidden_size
        if not isinstance(weights, (list, tuple)) or len(weights) != 2:
            raise TypeError(f"weights must be a list [kernel, bias]; got {type(weights).__name__}.")
        kernel = check_array("kernel", weights[0], shape=(D, G * H), dims="(input, blocks*hidden)")
        bias = check_array("bias", weights[1], shape=(G * H,), dims="(blocks*hidden,)")
        for m, k in enumerate(self.GATES):
            self.params[f"W_x{k}"][...] = kernel[:, m * H : (m + 1) * H]
            self.params[f"b_{k}"][...] = bias[m * H : (m + 1) * H]

    # --- argument checks ---------------------------------------------------------------

    def _check(self, x, h0):
        x = check_array("x", x, ndim=3, dims="(batch, time, input_size)")
        if x.shape[2] != self.input_size or 0 in x.shape:
            raise ValueError(
                f"x must have shape (batch, time, {self.input_size}) with batch, time >= 1 "
                f"({type(self).__name__} was built with input_size={self.input_size}); "
                f"got {x.shape}."
            )
        if h0 is not None:
            shape = (x.shape[0], self.hidden_size)
            h0 = check_array("h0", h0, shape=shape, dims="(batch, hidden_size)")
            h0 = h0.astype(self.dtype)
        return x.astype(self.dtype, copy=False), h0

    def _project(self, x) -> np.ndarray:
        W, b = self.keras_weights()
        return x @ W + b  # (batch, time, blocks*hidden): every block's pre-activation

    # --- forward -----------------------------------------------------------------------

    def forward_loop(self, x, h0=None) -> tuple[np.ndarray, dict]:
        """Every state, one step after another. x: ``(batch, time, input_size)``; h0:
        ``(batch, hidden_size)`` or None (zeros). Returns ``(states, cache)``."""
        x, h0 = self._check(x, h0)
        states, pre = self._loop(x, h0)
        return states, {"x": x, "h0": h0, "pre": pre, "states": states}

    def forward_scan(self, x, h0=None, method=None) -> tuple[np.ndarray, dict]:
        """The same states by a parallel scan of ``h_t = a_t * h_{t-1} + b_t``.

        method: ``"log_space"`` (the default when ``log_space=True``; needs ``h0 > 0``),
        ``"hillis_steele"`` or ``"blelloch"`` (the default otherwise).
        """
        x, h0 = self._check(x, h0)
        if method is None:
            method = "log_space" if self.log_space else "blelloch"
        check_choice("method", method, SCANS)
        pre = self._project(x)  # (batch, time, blocks*hidden)
        if method == "log_space":
            if not self.log_space:
                raise ValueError(
                    "method 'log_space' needs a positive candidate; this cell has "
                    "log_space=False (candidate Linear(x), any sign). Expected method "
                    "'hillis_steele' or 'blelloch'."
                )
            if h0 is not None and (h0 <= 0).any():
                raise ValueError(
                    f"h0 has {int((h0 <= 0).sum())} value(s) <= 0 (min {h0.min():.3g}); the "
                    "log-space scan takes log(h0), so expected h0 > 0, or method='blelloch'."
                )
            log_a, log_b = self._coefficients(pre, logs=True)  # (batch, time, hidden) each
            states = scan_log_space(log_a, log_b, None if h0 is None else np.log(h0))
        else:
            a, b = self._coefficients(pre, logs=False)  # (batch, time, hidden) each
            states = (scan_parallel if method == "hillis_steele" else scan_blelloch)(a, b, h0)
        states = states.astype(self.dtype, copy=False)
        return states, {"x": x, "h0": h0, "pre": pre, "states": states}

    # --- backward ----------------------------------------------------------------------

    def backward(self, d_states, cache: dict) -> dict[str, np.ndarray]:
        """Gradients of a loss from ``d_states = dL/dh_t`` (the loss's own, per step).

        The backward of a linear recurrence is itself a linear recurrence, run in reverse:
        the total gradient ``dh_t = d_states_t + a_{t+1} * dh_{t+1}``, so it is computed by
        the same scan on the time-reversed sequence, with ``a`` shifted by one step. Then
        ``dL/da_t = dh_t * h_{t-1}`` and ``dL/db_t = dh_t`` feed the chain rule to the
        pre-activations. Returns the keys of ``params`` plus ``"x"`` and ``"h0"``.
        """
        if not isinstance(cache, dict) or "states" not in cache:
            raise TypeError(
                f"cache must be the dict a forward returns; got {type(cache).__name__}."
            )
        states, pre, x = cache["states"], cache["pre"], cache["x"]
        d_states = check_array("d_states", d_states, shape=states.shape, dims="like states")
        h0 = np.zeros_like(states[:, 0]) if cache["h0"] is None else cache["h0"]  # (batch, hidden)
        h_prev = np.concatenate([h0[:, None], states[:, :-1]], axis=1)  # (batch, time, hidden)
        a, _ = self._coefficients(pre, logs=False)  # (batch, time, hidden)
        a_next = np.concatenate([a[:, 1:], np.zeros_like(a[:, :1])], axis=1)  # a_{t+1}; 0 at T
        dh = scan_parallel(a_next[:, ::-1], d_states[:, ::-1])[:, ::-1]  # (batch, time, hidden)
        d_pre = self._pre_grads(pre, h_prev, dh)  # (batch, time, blocks*hidden)
        B, T, _ = x.shape
        flat = d_pre.reshape(B * T, -1)  # (batch*time, blocks*hidden)
        H = self.hidden_size
        dW = x.reshape(B * T, -1).T @ flat  # (input, blocks*hidden)
        grads = {}
        for m, k in enumerate(self.GATES):
            grads[f"W_x{k}"] = dW[:, m * H : (m + 1) * H]
            grads[f"b_{k}"] = flat[:, m * H : (m + 1) * H].sum(axis=0)
        grads["x"] = d_pre @ self.keras_weights()[0].T  # (batch, time, input)
        grads["h0"] = a[:, 0] * dh[:, 0]  # (batch, hidden): h0 enters only step 1
        return grads
