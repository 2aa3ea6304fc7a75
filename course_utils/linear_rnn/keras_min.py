"""Keras 3 layers ``MinGRU`` and ``MinLSTM``: the parallel (log-space) form in ``keras.ops``.

The NumPy cells (``course_utils.linear_rnn.mingru`` and ``.minlstm``) define the maths;
these layers compute the same function in Feng et al.'s (2024) log-space version
(appendix B), all time steps at once::

    pre     = x @ kernel + bias                      # (batch, time, blocks*units)
    log_a, log_b = the cell's log coefficients      # (batch, time, units) each
    a*      = cumsum(log_a)                          # along time
    h       = exp(a* + logcumsumexp(log_b - a*))     # (batch, time, units)

Why not ``keras.ops.associative_scan`` with the combine operator: it computes the same
states when called eagerly (equal to the NumPy loop, ``tests/test_linear_scan.py``), but
inside ``model.fit`` on the TensorFlow backend (Keras 3.15.1, TensorFlow 2.21) it fails
with "as_list() is not defined on an unknown TensorShape", and without a
``compute_output_shape`` the functional model does not even build. ``keras.ops`` has no
``logcumsumexp`` (3.15), so :func:`logcumsumexp` uses the backend's own stable op on
TensorFlow (``tf.math.cumulative_logsumexp``) and a log-space associative scan elsewhere.
A plain ``log(cumsum(exp(x - max)))`` is not an option: ``a*`` falls by about ``0.7`` per
step at ``z = 0.5``, so ``exp`` of the early terms underflows in float32 once ``-a*``
passes about 90: for a freshly initialised minGRU(2, 3), measured, the states are off by
7e-3 (relative) at T = 125 and the early ones come out exactly 0 at T = 150.
In float32 the log-space form itself loses about ``eps * |a*_T|`` relative (``a*`` and
the log-sum are large numbers that cancel): 2e-4 at T = 2000 here, 1e-6 at T = 12.

Both layers are registered serializable (a model saves to ``.keras`` and loads back
without ``custom_objects``) and take ``initial_state`` (``(batch, units)``, > 0: its log is
taken). Weights: ``kernel`` ``(input, blocks*units)`` and ``bias`` ``(blocks*units,)``,
blocks in the NumPy cell's ``GATES`` order; :func:`to_keras` and :func:`from_keras` copy
them. Imports run one way: this module imports the NumPy cells, never the reverse.
"""

from __future__ import annotations

import keras
from keras import ops

from course_utils.core.validation import check_int
from course_utils.linear_rnn import mingru, minlstm

__all__ = ["MinGRU", "MinLSTM", "from_keras", "logcumsumexp", "to_keras"]


def logcumsumexp(x, axis: int = 1):
    """``log(cumsum(exp(x)))`` along ``axis``, computed without overflow or underflow."""
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf  # the TensorFlow backend's own op; keras.ops has none

        return tf.math.cumulative_logsumexp(x, axis=axis)
    return ops.associative_scan(ops.logaddexp, x, axis=axis)


def _log_g(m):
    """``log g(m)``: ``log(m + 0.5)`` for ``m >= 0``, ``log sigmoid(m)`` below."""
    return ops.where(m >= 0, ops.log(ops.relu(m) + 0.5), -ops.softplus(-m))


class _MinLayer(keras.layers.Layer):
    """What the two layers share; a subclass sets ``BLOCKS`` and ``_log_coefficients``."""

    BLOCKS = 0

    def __init__(
        self,
        units: int,
        return_sequences: bool = True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = check_int("units", units, minimum=1)
        if not isinstance(return_sequences, bool):
            raise TypeError(f"return_sequences must be True or False; got {return_sequences!r}.")
        self.return_sequences = return_sequences
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)

    def build(self, input_shape):
        width = self.BLOCKS * self.units
        self.kernel = self.add_weight(
            shape=(input_shape[-1], width), name="kernel", initializer=self.kernel_initializer
        )
        self.bias = self.add_weight(shape=(width,), name="bias", initializer=self.bias_initializer)

    def call(self, inputs, initial_state=None):
        pre = ops.matmul(inputs, self.kernel) + self.bias  # (batch, time, blocks*units)
        log_a, log_b = self._log_coefficients(pre)  # (batch, time, units) each
        a_star = ops.cumsum(log_a, axis=1)  # (batch, time, units)
        terms = log_b - a_star  # (batch, time, units)
        if initial_state is not None:  # h0 is the element in front, with a*_0 = 0
            h0 = initial_state[0] if isinstance(initial_state, (list, tuple)) else initial_state
            terms = ops.concatenate([ops.expand_dims(ops.log(h0), 1), terms], axis=1)
            a_star = ops.pad(a_star, [[0, 0], [1, 0], [0, 0]])  # (batch, 1+time, units)
        log_h = a_star + logcumsumexp(terms, axis=1)  # (batch, [1+]time, units)
        if initial_state is not None:
            log_h = log_h[:, 1:]  # (batch, time, units)
        states = ops.exp(log_h)  # (batch, time, units)
        return states if self.return_sequences else states[:, -1]

    def compute_output_shape(self, input_shape):
        if self.return_sequences:
            return (*input_shape[:-1], self.units)
        return (input_shape[0], self.units)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "return_sequences": self.return_sequences,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }


@keras.saving.register_keras_serializable(package="course_utils")
class MinGRU(_MinLayer):
    """minGRU (Feng et al. 2024), log-space version: ``MinGRU(units, return_sequences=True)``.

    ``kernel`` blocks ``z, h``: ``log(1 - z) = -softplus(k)``, ``log z = -softplus(-k)``.
    """

    BLOCKS = 2

    def _log_coefficients(self, pre):
        k, m = ops.split(pre, 2, axis=-1)  # (batch, time, units) each
        return -ops.softplus(k), -ops.softplus(-k) + _log_g(m)


@keras.saving.register_keras_serializable(package="course_utils")
class MinLSTM(_MinLayer):
    """minLSTM (Feng et al. 2024), log-space version: ``MinLSTM(units, return_sequences=True)``.

    ``kernel`` blocks ``f, i, h``; with ``d = softplus(-k_f) - softplus(-k_i)``,
    ``log f' = -softplus(d)`` and ``log i' = -softplus(-d)``.
    """

    BLOCKS = 3

    def _log_coefficients(self, pre):
        k_f, k_i, m = ops.split(pre, 3, axis=-1)  # (batch, time, units) each
        d = ops.softplus(-k_f) - ops.softplus(-k_i)  # (batch, time, units): log(i / f)
        return -ops.softplus(d), -ops.softplus(-d) + _log_g(m)


_KERAS_CLASS = {mingru.MinGRU: MinGRU, minlstm.MinLSTM: MinLSTM}  # NumPy cell -> Keras layer
_NUMPY_CLASS = {MinGRU: mingru.MinGRU, MinLSTM: minlstm.MinLSTM}


def to_keras(cell, *, return_sequences: bool = True, dtype=None):
    """A built Keras layer computing what the NumPy ``cell`` computes (log-space version)."""
    keras_class = _KERAS_CLASS.get(type(cell))
    if keras_class is None:
        raise TypeError(f"cell must be a NumPy MinGRU or MinLSTM; got {type(cell).__name__}.")
    if not cell.log_space:
        raise ValueError(
            "cell has log_space=False (candidate Linear(x), any sign), but the Keras layer "
            "computes the log-space version; expected a cell built with log_space=True."
        )
    layer = keras_class(
        cell.hidden_size, return_sequences=return_sequences, dtype=dtype or cell.dtype.name
    )
    layer.build((None, None, cell.input_size))
    layer.set_weights(cell.keras_weights())
    return layer


def from_keras(layer, *, dtype=None):
    """The NumPy cell (``log_space=True``) with a built Keras ``MinGRU``/``MinLSTM``'s weights."""
    numpy_class = _NUMPY_CLASS.get(type(layer))
    if numpy_class is None:
        raise TypeError(f"layer must be a Keras MinGRU or MinLSTM; got {type(layer).__name__}.")
    if not layer.built:
        raise ValueError(
            f"layer {layer.name!r} has no weights yet; build it first, e.g. "
            "layer.build((None, None, input_size)) or call it on a batch."
        )
    kernel, bias = (ops.convert_to_numpy(w) for w in (layer.kernel, layer.bias))
    cell = numpy_class(
        kernel.shape[0], layer.units, log_space=True, dtype=dtype or kernel.dtype.name
    )
    cell.set_keras_weights([kernel, bias])
    return cell
