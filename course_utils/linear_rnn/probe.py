"""Lesson 03's gradient probe, through a linear diagonal recurrence.

In ``h_t = a_t * h_{t-1} + b_t`` (elementwise, no ``tanh``) the Jacobian from one state to
the next is ``diag(a_t)``, so the gradient from the last state ``h_T`` back to ``h_k`` is
the diagonal matrix of products ``a_{k+1} * ... * a_T``, whatever the inputs are. Its
norm (the largest of its entries, in absolute value) is a closed form::

    ||dh_T / dh_k|| = max_j  prod_{r=k+1..T} |a_{r,j}|          (= |a|^(T-k) for a constant a)

In lesson 03's Elman network the same product carries a ``tanh'`` factor (at most 1, and
small when the units saturate) at every step, and the matrix ``W_hh`` mixes the units: the
decay at spectral radius ``rho`` is at best ``rho^(T-k)``. With ``|a|`` near 1 and no
``tanh``, what vanishes is only the ``|a|^(T-k)`` a learner chooses, through ``|a|``.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array, check_int

__all__ = ["linear_gradient_norms"]


def linear_gradient_norms(a, steps: int | None = None) -> np.ndarray:
    """``||dh_T / dh_k||`` for ``k = 1 .. T``, earliest first: an array of shape ``(T,)``.

    a: the diagonal of the recurrence, real or complex: a number or ``(units,)`` (the same
        every step, e.g. an LRU's ``lambda``; then ``steps`` gives ``T``), or
        ``(steps, units)`` (a different ``a_t`` each step, e.g. a selective layer's
        ``Abar_t``; ``steps`` may be left out).
    steps: ``T``, the number of states, ``>= 1``.

    The last entry (``k = T``) is 1: the identity. ``|a| > 1`` is allowed: the norms then
    grow backwards in time, the exploding case.
    """
    a = check_array("a", a, kind="any")
    if not (np.issubdtype(a.dtype, np.floating) or np.issubdtype(a.dtype, np.complexfloating)):
        raise TypeError(f"a must be a float or complex array; got dtype {a.dtype}.")
    if not np.isfinite(a).all():
        raise ValueError("a contains NaN or inf values; expected finite numbers.")
    if a.ndim == 2:
        if steps is not None and check_int("steps", steps, minimum=1) != a.shape[0]:
            raise ValueError(
                f"steps must equal a.shape[0] = {a.shape[0]} when a is (steps, units); "
                f"got steps = {steps}."
            )
        steps = a.shape[0]
    elif a.ndim <= 1:
        if steps is None:
            raise ValueError("steps is required when a is a number or (units,); got None.")
        steps = check_int("steps", steps, minimum=1)
    else:
        raise ValueError(f"a must be a number, (units,) or (steps, units); got shape {a.shape}.")
    magnitude = np.abs(a).astype(np.float64).reshape(-1, a.shape[-1] if a.ndim else 1)
    magnitude = np.broadcast_to(magnitude, (steps, magnitude.shape[1]))  # (steps, units)
    products = np.ones(magnitude.shape)  # (steps, units): prod_{r=k+1..T} |a_r|
    products[:-1] = np.cumprod(magnitude[:0:-1], axis=0)[::-1]
    return products.max(axis=1)  # (steps,)
