"""Backpropagation through time (BPTT) for the Elman cell, two independent ways.

Notebook 01, section "Backpropagation through time, by hand", derives the backward pass
and writes its loop; the ``elman_backward`` exercise asks the learner to write it for a
batch. This module holds the two references that loop is checked against, neither of
which uses the hand-derived equations:

* :func:`tape_gradients`: ``tf.GradientTape`` differentiates the forward pass;
* :func:`numerical_gradients`: central differences, ``(L(p + eps) - L(p - eps)) / 2 eps``.

Both differentiate the scalar ``L = sum(d_states * states)``, whose gradient with respect
to the states is ``d_states``: the gradient that reaches each ``h_t`` from the output
layer at its own step. So they return what the backward loop returns: the gradients of
``W_xh``, ``W_hh``, ``b_h`` and of the initial state ``h0``, summed over every step.
:func:`checked_gradients` returns the tape's after checking they agree with the numbers.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array, check_number

__all__ = ["checked_gradients", "elman_states", "numerical_gradients", "tape_gradients"]

#: The names of the four gradients, in the order every function here returns them.
GRADIENT_NAMES = ("dW_xh", "dW_hh", "db_h", "dh0")


def _check_arguments(x, h0, W_xh, W_hh, b_h, d_states=None):
    """Validate the arrays of one Elman forward pass (and its upstream gradient)."""
    x = check_array("x", x, ndim=3, dims="(batch, time, input_size)")
    batch, time, inputs = x.shape
    W_xh = check_array("W_xh", W_xh, shape=(inputs, None), dims="(input_size, hidden_size)")
    hidden = W_xh.shape[1]
    W_hh = check_array("W_hh", W_hh, shape=(hidden, hidden), dims="(hidden_size, hidden_size)")
    b_h = check_array("b_h", b_h, shape=(hidden,), dims="(hidden_size,)")
    h0 = check_array("h0", h0, shape=(batch, hidden), dims="(batch, hidden_size)")
    arrays = [x, h0, W_xh, W_hh, b_h]
    if d_states is not None:
        shape = (batch, time, hidden)
        arrays.append(check_array("d_states", d_states, shape=shape, dims="like the states"))
    return [a.astype(np.float64) for a in arrays]


def elman_states(x, h0, W_xh, W_hh, b_h) -> np.ndarray:
    """Every hidden state of the Elman recurrence, ``(batch, time, hidden)``, in float64."""
    x, h, W_xh, W_hh, b_h = _check_arguments(x, h0, W_xh, W_hh, b_h)
    states = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ W_xh + h @ W_hh + b_h)  # (batch, hidden)
        states.append(h)
    return np.stack(states, axis=1)  # (batch, time, hidden)


def tape_gradients(x, h0, W_xh, W_hh, b_h, d_states) -> tuple[np.ndarray, ...]:
    """``(dW_xh, dW_hh, db_h, dh0)`` of ``L = sum(d_states * states)``, by ``tf.GradientTape``.

    The same forward pass as :func:`elman_states`, written in TensorFlow (float64); the
    tape records it and ``tape.gradient`` runs the backward pass for us.
    """
    import tensorflow as tf  # heavy optional dependency: loaded only when a check runs

    x, h0, W_xh, W_hh, b_h, d_states = _check_arguments(x, h0, W_xh, W_hh, b_h, d_states)
    x, d_states = tf.constant(x), tf.constant(d_states)  # (batch, time, input), (..., hidden)
    sources = [tf.Variable(a) for a in (W_xh, W_hh, b_h, h0)]
    kernel, recurrent, bias, h = sources  # h: (batch, hidden), the state before step 1
    with tf.GradientTape() as tape:
        states = []
        for t in range(x.shape[1]):
            h = tf.tanh(x[:, t] @ kernel + h @ recurrent + bias)  # (batch, hidden)
            states.append(h)
        loss = tf.reduce_sum(d_states * tf.stack(states, axis=1))  # scalar
    return tuple(g.numpy() for g in tape.gradient(loss, sources))


def numerical_gradients(x, h0, W_xh, W_hh, b_h, d_states, *, eps: float = 1e-6):
    """``(dW_xh, dW_hh, db_h, dh0)`` of ``L = sum(d_states * states)`` by central differences.

    Every entry of every array is nudged by ``+eps`` and ``-eps`` in turn:
    ``dL/dp = (L(p + eps) - L(p - eps)) / (2 eps)``, with an error of order ``eps**2``.
    """
    eps = check_number("eps", eps, minimum=0, strict_minimum=True)
    x, h0, W_xh, W_hh, b_h, d_states = _check_arguments(x, h0, W_xh, W_hh, b_h, d_states)
    params = [W_xh.copy(), W_hh.copy(), b_h.copy(), h0.copy()]

    def loss() -> float:
        W_xh_, W_hh_, b_h_, h0_ = params
        return float(np.sum(d_states * elman_states(x, h0_, W_xh_, W_hh_, b_h_)))

    grads = []
    for p in params:
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            kept = p[i]
            p[i] = kept + eps
            up = loss()
            p[i] = kept - eps
            down = loss()
            p[i] = kept
            g[i] = (up - down) / (2 * eps)
        grads.append(g)
    return tuple(grads)


def checked_gradients(x, h0, W_xh, W_hh, b_h, d_states) -> tuple[np.ndarray, ...]:
    """The tape's gradients, after checking that central differences give the same.

    Raises ``ArithmeticError`` naming the gradient if the two disagree (they never should:
    the course's tests run this on every case of the exercise).
    """
    tape = tape_gradients(x, h0, W_xh, W_hh, b_h, d_states)
    numeric = numerical_gradients(x, h0, W_xh, W_hh, b_h, d_states)
    for name, a, n in zip(GRADIENT_NAMES, tape, numeric, strict=True):
        if not np.allclose(a, n, rtol=1e-5, atol=1e-7):
            raise ArithmeticError(
                f"{name}: tf.GradientTape and the finite-difference gradient disagree by up to "
                f"{np.abs(a - n).max():.2e}."
            )
    return tape
