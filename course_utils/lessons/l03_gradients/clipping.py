"""Lesson 03: exploding gradients in training, with and without clipping.

:func:`clipping_run_keras` and :func:`clipping_run_numpy` train a ReLU RNN that is set up
to explode (``W_hh`` scaled to a spectral radius above 1) on the adding problem with plain
SGD, with no clipping, per-tensor ``clipnorm`` or global-norm clipping, and log the global
gradient norm of every step. Lesson 03 writes the Keras loop out before these repeat it
over seeds.
"""

from __future__ import annotations

import math

import numpy as np

from course_utils import numpy_rnn
from course_utils.core.environment import seed_all
from course_utils.core.progress import progress
from course_utils.core.validation import check_choice, check_int, check_number
from course_utils.gradients import set_spectral_radius
from course_utils.tasks import adding_problem

__all__ = ["CLIP_MODES", "clipping_run_keras", "clipping_run_numpy"]

# --- exploding gradients in training: with and without clipping -------------------------

CLIP_MODES = ("none", "clipnorm", "global_clipnorm")


def _run_record(losses: list, norms: list, steps: int) -> dict:
    loss = np.full(steps, np.nan)  # (steps,): NaN after a divergence
    grad_norm = np.full(steps, np.nan)  # (steps,)
    loss[: len(losses)] = losses
    grad_norm[: len(norms)] = norms
    bad = ~np.isfinite(loss[: len(losses)]) | ~np.isfinite(grad_norm[: len(losses)])
    diverged_at = int(np.argmax(bad)) if bad.any() else None
    tail = loss[np.isfinite(loss)][-20:]
    return {
        "loss": loss,
        "grad_norm": grad_norm,
        "diverged": diverged_at is not None,
        "diverged_at": diverged_at,
        "final_loss": float(tail.mean()) if tail.size else math.nan,
    }


def _check_clip_setup(max_norm, rho, length, hidden_size, steps, batch_size, learning_rate):
    return (
        check_number("max_norm", max_norm, minimum=0.0, strict_minimum=True),
        check_number("rho", rho, minimum=0.0),
        check_int("length", length, minimum=2),
        check_int("hidden_size", hidden_size, minimum=1),
        check_int("steps", steps, minimum=1),
        check_int("batch_size", batch_size, minimum=1),
        check_number("learning_rate", learning_rate, minimum=0.0, strict_minimum=True),
    )


def clipping_run_keras(
    clip: str = "none",
    *,
    max_norm: float = 1.0,
    rho: float = 2.5,
    length: int = 10,
    hidden_size: int = 32,
    steps: int = 800,
    batch_size: int = 32,
    learning_rate: float = 0.1,
    seed: int = 0,
) -> dict:
    """Train ``SimpleRNN(relu) -> Dense(1)`` on the adding problem with plain SGD.

    ``W_hh`` starts as an orthogonal matrix scaled to spectral radius ``rho > 1``, so the
    gradients explode. clip: ``"none"``, ``"clipnorm"`` (each weight tensor's gradient
    clipped to norm ``max_norm``) or ``"global_clipnorm"`` (all gradients rescaled together
    so that their joint norm is at most ``max_norm``): the Keras optimiser arguments.

    Returns ``{"loss": (steps,), "grad_norm": (steps,), "diverged", "diverged_at",
    "final_loss"}``. ``grad_norm`` is the global norm *before* clipping; after a
    divergence (a NaN or inf loss or norm) training stops and the rest is NaN.
    """
    import keras
    import tensorflow as tf

    check_choice("clip", clip, CLIP_MODES)
    max_norm, rho, length, hidden_size, steps, batch_size, learning_rate = _check_clip_setup(
        max_norm, rho, length, hidden_size, steps, batch_size, learning_rate
    )
    seed = check_int("seed", seed, minimum=0)
    seed_all(seed)
    model = keras.Sequential(
        [
            keras.Input((length, 2)),
            keras.layers.SimpleRNN(hidden_size, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    W = numpy_rnn.orthogonal((hidden_size, hidden_size), np.random.default_rng(seed))
    model.layers[0].cell.recurrent_kernel.assign(set_spectral_radius(W, rho))
    options = {} if clip == "none" else {clip: max_norm}
    optimizer = keras.optimizers.SGD(learning_rate, **options)
    optimizer.build(model.trainable_variables)
    x, y = adding_problem(steps * batch_size, length, seed=seed)  # (n, T, 2), (n, 1)

    @tf.function(jit_compile=True)  # XLA: faster, and skips a Grappler pass that logs errors
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(xb, training=True) - yb))
        grads = tape.gradient(loss, model.trainable_variables)
        norm = tf.linalg.global_norm(grads)  # before the optimiser clips
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss, norm

    losses, norms = [], []
    for step in progress(range(steps), desc="steps", unit="step", leave=False):
        batch = slice(step * batch_size, (step + 1) * batch_size)
        loss, norm = train_step(x[batch], y[batch])
        losses.append(float(loss))
        norms.append(float(norm))
        if not (math.isfinite(losses[-1]) and math.isfinite(norms[-1])):
            break
    return _run_record(losses, norms, steps)


def _numpy_loss_and_grads(rnn, head, x, y):
    """MSE of ``head(rnn(x)[:, -1])`` and its gradients; None once anything overflows."""
    with np.errstate(over="ignore", invalid="ignore"):
        hs, cache = rnn.forward(x)  # (batch, time, hidden)
        if not np.all(np.isfinite(hs)):
            return None
        pred, head_cache = head.forward(hs[:, -1])  # (batch, 1)
        if not np.all(np.isfinite(pred)):
            return None
        loss, d_pred = numpy_rnn.mean_squared_error(pred, y)
        if not np.all(np.isfinite(d_pred)):
            return None
        head_grads = head.backward(d_pred, head_cache)
        d_hs = np.zeros_like(hs)  # (batch, time, hidden): only the last step is read out
        d_hs[:, -1] = head_grads["x"]
        if not np.all(np.isfinite(d_hs)):
            return None
        rnn_grads = rnn.backward(d_hs, cache)
    grads = {
        **{f"rnn.{k}": rnn_grads[k] for k in rnn.params},
        **{f"head.{k}": head_grads[k] for k in head.params},
    }
    return loss, grads


def clipping_run_numpy(
    max_norm: float | None = None,
    *,
    rho: float = 2.5,
    length: int = 10,
    hidden_size: int = 32,
    steps: int = 800,
    batch_size: int = 32,
    learning_rate: float = 0.1,
    seed: int = 0,
) -> dict:
    """The same experiment in the NumPy engine: ``Elman(relu) -> Dense``, SGD, and
    ``numpy_rnn.clip_by_global_norm`` when ``max_norm`` is given (None: no clipping).

    Returns the same dict as :func:`clipping_run_keras`.
    """
    clip = 1.0 if max_norm is None else max_norm
    clip, rho, length, hidden_size, steps, batch_size, learning_rate = _check_clip_setup(
        clip, rho, length, hidden_size, steps, batch_size, learning_rate
    )
    rnn = numpy_rnn.Elman(2, hidden_size, activation="relu", seed=seed)
    head = numpy_rnn.Dense(hidden_size, 1, seed=seed)
    rnn.params["W_hh"] = set_spectral_radius(rnn.params["W_hh"], rho)  # orthogonal * rho
    params = {
        **{f"rnn.{k}": v for k, v in rnn.params.items()},
        **{f"head.{k}": v for k, v in head.params.items()},
    }  # the same arrays, renamed
    optimizer = numpy_rnn.SGD(learning_rate)
    x, y = adding_problem(steps * batch_size, length, seed=seed)  # (n, T, 2), (n, 1)
    losses, norms = [], []
    for step in progress(range(steps), desc="steps", unit="step", leave=False):
        batch = slice(step * batch_size, (step + 1) * batch_size)
        result = _numpy_loss_and_grads(rnn, head, x[batch], y[batch].astype(np.float64))
        if result is None:
            losses.append(math.nan)
            break
        loss, grads = result
        with np.errstate(over="ignore"):  # an overflowing norm is what we detect below
            clipped, norm = numpy_rnn.clip_by_global_norm(grads, clip)
        losses.append(loss)
        norms.append(norm)
        if not math.isfinite(norm):
            break
        optimizer.step(params, grads if max_norm is None else clipped)
    return _run_record(losses, norms, steps)
