"""Teacher forcing for the Jordan network, in NumPy.

Lesson 02 (``notebooks/02_jordan_networks.ipynb``) explains it. A Jordan network
(``course_utils.numpy_rnn.Jordan``) feeds its *own* outputs back through the state
units: ``s_{t+1} = mu * s_t + y_t``. With **teacher forcing** the state units receive
the *targets* instead, ``s_{t+1} = mu * s_t + target_t``, during training only:

* the states no longer depend on the weights, so every step is a plain feed-forward
  network of ``(x_t, s_t)``: no backpropagation through time, and no loop over time
  in the forward or the backward pass;
* at test time there are no targets, so the trained network must feed back its own
  predictions, which it never saw during training.

:func:`teacher_states` builds the forced states, :func:`teacher_forced_forward` and
:func:`teacher_forced_backward` run the network with them (same parameters as the
cell). ``course_utils.experiments.next_step.train_next_step(..., teacher_forcing=True)``
trains with them.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_array, check_number
from course_utils.numpy_rnn import Jordan, activate, activation_grad

__all__ = ["teacher_forced_backward", "teacher_forced_forward", "teacher_states"]


def teacher_states(targets, mu: float, s0=None) -> np.ndarray:
    """The state units under teacher forcing: ``s_1 = s0`` (zeros), ``s_{t+1} = mu*s_t + target_t``.

    targets: ``(batch, time, outputs)``. Returns ``(batch, time, outputs)``, the state
    ``s_t`` that step ``t`` reads (so step ``t`` never sees its own target).
    """
    targets = check_array("targets", targets, ndim=3, dims="(batch, time, outputs)")
    mu = check_number("mu", mu, minimum=0.0, maximum=1.0)
    B, T, O = targets.shape
    if s0 is None:
        s = np.zeros((B, O), dtype=targets.dtype)  # (batch, outputs)
    else:
        s = check_array("s0", s0, shape=(B, O), dims="(batch, outputs)")
    dtype = np.result_type(targets.dtype, s.dtype)
    states = np.empty((B, T, O), dtype=dtype)  # (batch, time, outputs)
    for t in range(T):
        states[:, t] = s
        s = mu * s + targets[:, t]  # (batch, outputs)
    return states


def _check_jordan(cell) -> Jordan:
    if not isinstance(cell, Jordan):
        raise TypeError(f"cell must be a course_utils.numpy_rnn.Jordan; got {type(cell).__name__}.")
    return cell


def teacher_forced_forward(cell, x, targets, s0=None) -> tuple[np.ndarray, dict]:
    """Run a Jordan cell whose state units are fed the targets; returns ``(outputs, cache)``.

    x: ``(batch, time, input_size)``; targets: ``(batch, time, output_size)``.
    ``cache["final_state"]`` is the forced state after the last step.
    """
    cell = _check_jordan(cell)
    x = cell._check_x(x)
    targets = check_array(
        "targets",
        targets,
        shape=(x.shape[0], x.shape[1], cell.output_size),
        dims="(batch, time, output_size)",
    ).astype(cell.dtype)
    p = cell.params
    s = teacher_states(targets, cell.mu, s0).astype(cell.dtype)  # (batch, time, outputs)
    # every step at once: the states are known, so nothing waits for the previous step
    h = np.tanh(x @ p["W_xh"] + s @ p["W_sh"] + p["b_h"])  # (batch, time, hidden)
    y = activate(cell.output_activation, h @ p["W_hy"] + p["b_y"])  # (batch, time, outputs)
    final = cell.mu * s[:, -1] + targets[:, -1]  # (batch, outputs)
    return y, {"x": x, "s": s, "h": h, "outputs": y, "final_state": final}


def teacher_forced_backward(cell, d_outputs, cache: dict) -> dict[str, np.ndarray]:
    """Gradients of the teacher-forced network: each step on its own, nothing flows back in time."""
    cell = _check_jordan(cell)
    if not isinstance(cache, dict) or "s" not in cache:
        raise TypeError("cache must be the dict returned by teacher_forced_forward.")
    x, s, h, y = cache["x"], cache["s"], cache["h"], cache["outputs"]
    d_outputs = check_array("d_outputs", d_outputs, shape=y.shape, dims="like outputs")
    p = cell.params
    da_y = d_outputs * activation_grad(cell.output_activation, y)  # (batch, time, outputs)
    da_h = (da_y @ p["W_hy"].T) * (1.0 - h**2)  # (batch, time, hidden)
    flat = lambda a: a.reshape(-1, a.shape[-1])  # noqa: E731 - (batch*time, features)
    return {
        "W_xh": flat(x).T @ flat(da_h),  # (input, hidden)
        "W_sh": flat(s).T @ flat(da_h),  # (outputs, hidden)
        "b_h": flat(da_h).sum(axis=0),  # (hidden,)
        "W_hy": flat(h).T @ flat(da_y),  # (hidden, outputs)
        "b_y": flat(da_y).sum(axis=0),  # (outputs,)
        "x": da_h @ p["W_xh"].T,  # (batch, time, input)
    }
