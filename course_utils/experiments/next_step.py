"""Train a NumPy recurrent cell on next-step prediction, Elman (1990) style.

Lesson 01 (``notebooks/01_elman_networks.ipynb``) explains every line of this loop;
lesson 02 reuses it for the Jordan network. The pieces:

* :func:`to_streams` cuts one long stream ``(1, time, features)`` into parallel,
  continuous segments ``(streams, time', features)``, so one update sees several of them.
* :func:`train_next_step` runs truncated backpropagation through time (BPTT): the
  segments are read window by window, and the state at the end of one window is the
  initial state of the next one (as if the network read the stream without a break),
  but gradients stop at the window's edge. Adam updates after every window.
* :func:`predict` reads a stream from a zero state and returns predictions and hidden states.
* :func:`squared_error` and :func:`error_by_position` turn predictions into the error
  curves of Elman's figures.

The model is a recurrent cell (``course_utils.numpy_rnn.Elman`` or ``Jordan``) plus an
optional ``Dense`` read-out (``None`` for a Jordan network, whose cell already
produces the outputs).
"""

from __future__ import annotations

import time

import numpy as np

from course_utils.core.progress import progress
from course_utils.core.validation import check_array, check_choice, check_int, check_number
from course_utils.experiments.teacher_forcing import teacher_forced_backward, teacher_forced_forward
from course_utils.numpy_rnn import Adam, Dense, Jordan, RecurrentCell, clip_by_global_norm
from course_utils.numpy_rnn.losses import mean_squared_error, softmax_cross_entropy

__all__ = [
    "LOSSES",
    "error_by_position",
    "predict",
    "squared_error",
    "to_streams",
    "train_next_step",
]

LOSSES = ("mse", "softmax")


# --- data -------------------------------------------------------------------


def to_streams(x, y, n_streams: int, *, multiple_of: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Cut one stream into ``n_streams`` equal, continuous segments (the rest is dropped).

    x, y: ``(1, time, features)`` arrays (inputs and next-step targets). Each segment
    is ``length`` steps long, a multiple of ``multiple_of`` (3 keeps every segment of the
    temporal XOR stream starting at the first bit of a triplet). Returns arrays of shape
    ``(n_streams, length, features)``.
    """
    x = check_array("x", x, ndim=3, dims="(1, time, features)")
    y = check_array("y", y, ndim=3, dims="(1, time, features)")
    if x.shape[0] != 1 or y.shape[:2] != x.shape[:2]:
        raise ValueError(
            f"x and y must be one stream each, (1, time, ...); got {x.shape} and {y.shape}."
        )
    n_streams = check_int("n_streams", n_streams, minimum=1)
    multiple_of = check_int("multiple_of", multiple_of, minimum=1)
    length = (x.shape[1] // n_streams) // multiple_of * multiple_of
    if length == 0:
        raise ValueError(
            f"n_streams={n_streams} is too many for a stream of {x.shape[1]} steps "
            f"(segments must be at least {multiple_of} step(s) long)."
        )
    cut = n_streams * length
    return (
        x[0, :cut].reshape(n_streams, length, x.shape[2]),  # (streams, length, features)
        y[0, :cut].reshape(n_streams, length, y.shape[2]),  # (streams, length, outputs)
    )


# --- model helpers ------------------------------------------------------------


def _check_model(cell, readout) -> None:
    if not isinstance(cell, RecurrentCell):
        raise TypeError(f"cell must be a course_utils.numpy_rnn cell; got {type(cell).__name__}.")
    if readout is not None:
        if not isinstance(readout, Dense):
            raise TypeError(
                f"readout must be a numpy_rnn.Dense or None; got {type(readout).__name__}."
            )
        if readout.input_size != cell.output_size:
            raise ValueError(
                f"readout.input_size={readout.input_size} must equal the cell's output size "
                f"{cell.output_size}."
            )


def _model_params(cell, readout) -> dict:
    """One dict of every trainable array (the same objects, so updates land in the model)."""
    params = {f"cell.{k}": v for k, v in cell.params.items()}
    if readout is not None:
        params.update({f"readout.{k}": v for k, v in readout.params.items()})
    return params


def _forward(cell, readout, x, state):
    outputs, cache = cell.forward(x, state)  # (batch, time, cell output)
    if readout is None:
        return outputs, cache, None
    predictions, readout_cache = readout.forward(outputs)  # (batch, time, readout output)
    return predictions, cache, readout_cache


def _loss(name: str, predictions, targets):
    if name == "mse":
        return mean_squared_error(predictions, targets)
    return softmax_cross_entropy(predictions, targets)


# --- training -----------------------------------------------------------------


def train_next_step(
    cell,
    readout,
    x,
    y,
    *,
    loss: str = "mse",
    epochs: int = 10,
    window: int | None = None,
    batch_size: int | None = None,
    learning_rate: float = 0.01,
    clip: float = 5.0,
    seed=0,
    optimizer=None,
    teacher_forcing: bool = False,
    callback=None,
) -> dict[str, list[float]]:
    """Train ``cell`` (+ ``readout``) in place with Adam and truncated BPTT.

    x, y: ``(streams, time, features)`` inputs and targets; streams are continuous
        (see :func:`to_streams`) or independent sequences (then use ``window=None``).
    loss: ``"mse"`` (linear outputs, float targets) or ``"softmax"`` (the outputs are
        logits, the targets one-hot).
    window: steps per truncated-BPTT window; ``None`` = the whole sequence. The state
        is carried from one window to the next within an epoch and reset to zero at
        the start of every epoch.
    batch_size: streams per update (``None`` = all); streams are shuffled each epoch with ``seed``.
    clip: the global gradient norm is clipped to this value.
    optimizer: an ``Adam``/``SGD`` to keep using across calls (default: a new ``Adam``).
    teacher_forcing: for a Jordan cell without read-out, feed the targets (not the
        outputs) back into the state units; see :mod:`course_utils.experiments.teacher_forcing`.
    callback: ``callback(epoch, loss)`` after every epoch (``epoch`` counts from 1);
        training stops early when it returns True (e.g. once a test score is reached).

    Returns ``{"loss": [mean training loss of each epoch], "seconds": [training time
    so far, at the end of each epoch, not counting the callback]}``.
    """
    _check_model(cell, readout)
    x = check_array("x", x, ndim=3, dims="(streams, time, features)")
    y = check_array("y", y, ndim=3, dims="(streams, time, outputs)")
    if y.shape[:2] != x.shape[:2]:
        raise ValueError(f"y must have the (streams, time) of x {x.shape[:2]}; got {y.shape[:2]}.")
    loss = check_choice("loss", loss, LOSSES)
    epochs = check_int("epochs", epochs, minimum=1)
    n, T = x.shape[:2]
    window = T if window is None else check_int("window", window, minimum=1)
    batch_size = n if batch_size is None else check_int("batch_size", batch_size, minimum=1)
    learning_rate = check_number("learning_rate", learning_rate, minimum=0, strict_minimum=True)
    optimizer = Adam(learning_rate) if optimizer is None else optimizer
    if not hasattr(optimizer, "step"):
        raise TypeError(
            f"optimizer must be a numpy_rnn Adam or SGD; got {type(optimizer).__name__}."
        )
    if callback is not None and not callable(callback):
        raise TypeError(
            f"callback must be a function (epoch, loss) or None; got {type(callback).__name__}."
        )
    if teacher_forcing and (not isinstance(cell, Jordan) or readout is not None):
        raise ValueError("teacher_forcing=True needs a numpy_rnn.Jordan cell and readout=None.")
    clip = check_number("clip", clip, minimum=0, strict_minimum=True)
    rng = np.random.default_rng(seed)
    params = _model_params(cell, readout)
    history, seconds, elapsed = [], [], 0.0
    for epoch in progress(range(1, epochs + 1), desc="epochs", unit="epoch", leave=False):
        epoch_start = time.perf_counter()
        state = np.zeros((n, cell.state_sizes[0]), dtype=cell.dtype)  # (streams, state)
        order = rng.permutation(n)
        losses = []
        for start in range(0, T, window):
            for first in range(0, n, batch_size):
                idx = order[first : first + batch_size]
                xb, yb = x[idx, start : start + window], y[idx, start : start + window]
                step = (xb, yb, state[idx], loss, teacher_forcing)
                value, state[idx] = _update(cell, readout, step, optimizer, params, clip)
                losses.append(value)
        history.append(float(np.mean(losses)))
        elapsed += time.perf_counter() - epoch_start
        seconds.append(elapsed)
        if callback is not None and callback(epoch, history[-1]):
            break
    return {"loss": history, "seconds": seconds}


def _update(cell, readout, step, optimizer, params, clip):
    """One forward, backward and optimiser step on one window; returns (loss, final state)."""
    xb, yb, state, loss, teacher_forcing = step
    if teacher_forcing:
        predictions, cache = teacher_forced_forward(cell, xb, yb, state)  # (batch, time, outputs)
        readout_cache = None
    else:
        predictions, cache, readout_cache = _forward(
            cell, readout, xb, state
        )  # (batch, time, outputs)
    value, d_predictions = _loss(loss, predictions, yb)  # (batch, time, outputs)
    grads = {}
    d_outputs = d_predictions
    if readout is not None:
        readout_grads = readout.backward(d_predictions, readout_cache)
        grads.update({"readout.W": readout_grads["W"], "readout.b": readout_grads["b"]})
        d_outputs = readout_grads["x"]  # (batch, time, hidden)
    if teacher_forcing:  # no gradient flows back in time
        cell_grads = teacher_forced_backward(cell, d_outputs, cache)
    else:  # backpropagation through time, within the window
        cell_grads = cell.backward(d_outputs, cache)
    grads.update({f"cell.{k}": cell_grads[k] for k in cell.params})
    grads, _ = clip_by_global_norm(grads, clip)
    optimizer.step(params, grads)
    return value, cache["final_state"]


# --- evaluation ---------------------------------------------------------------


def predict(cell, readout, x) -> tuple[np.ndarray, np.ndarray]:
    """Read ``x`` ``(streams, time, features)`` from a zero state.

    Returns ``(predictions, hidden)``: the model's outputs ``(streams, time, outputs)``
    (logits for a softmax model) and the hidden units ``(streams, time, hidden)``.
    """
    _check_model(cell, readout)
    predictions, cache, _ = _forward(cell, readout, x, None)
    hidden = cache.get("h", cache["outputs"])  # a Jordan cell keeps its hidden units in "h"
    return predictions, hidden


def squared_error(predictions, targets) -> np.ndarray:
    """Squared error per step, averaged over the feature axis: ``(streams, time)``."""
    predictions = check_array("predictions", predictions, ndim=3, dims="(streams, time, outputs)")
    targets = check_array("targets", targets, shape=predictions.shape, dims="like predictions")
    return np.mean((predictions - targets) ** 2, axis=-1)  # (streams, time)


def error_by_position(errors, period: int, *, offset: int = 1) -> np.ndarray:
    """Mean error at each position of a repeating pattern of ``period`` steps.

    errors: ``(streams, time)`` or ``(time,)`` per-step errors, every stream starting at
    the beginning of a pattern. The target of step ``t`` sits at position
    ``(t + offset) % period`` (``offset=1`` for next-step prediction). Returns ``(period,)``.
    """
    errors = check_array("errors", errors)
    if errors.ndim not in (1, 2):
        raise ValueError(f"errors must have shape (time,) or (streams, time); got {errors.shape}.")
    period = check_int("period", period, minimum=1)
    offset = check_int("offset", offset)
    errors = errors.reshape(-1, errors.shape[-1])  # (streams, time)
    positions = (np.arange(errors.shape[1]) + offset) % period  # (time,)
    if errors.shape[1] < period:
        raise ValueError(f"errors needs at least period={period} steps; got {errors.shape[1]}.")
    return np.array([errors[:, positions == p].mean() for p in range(period)])  # (period,)
