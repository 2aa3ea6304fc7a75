"""Keras 3 layers ``LRU`` and ``Selective``: the NumPy models of lesson 09, trainable.

Each layer computes what its NumPy twin computes (``course_utils.linear_rnn.LRU`` and
``.Selective``), with the same weights in the same order: ``from_numpy`` and
``to_numpy`` copy them across. Both take ``(batch, time, features)`` and return every
step, ``(batch, time, outputs)``; both are registered serializable.

The scan. Both recurrences are ``h_t = a_t * h_{t-1} + b_t``, computed by
:func:`linear_scan` in one of two ways:

* ``"hillis_steele"`` (default): the course's own Hillis-Steele scan in ``keras.ops``,
  ``ceil(log2 T)`` rounds inside ``keras.ops.while_loop``. It trains under ``model.fit``
  on the TensorFlow backend with a fixed or a variable length, also when the length is
  unknown at tracing time.
* ``"associative"``: ``keras.ops.associative_scan``. On the TensorFlow backend (Keras
  3.15, TensorFlow 2.21) its result loses its static shape, so a layer after it fails to
  build inside ``fit``; we restore the shape with a reshape, after which ``fit`` works
  when every batch's length is known at tracing time (arrays of one length, as in the
  tests), even under ``Input((None, d))``. Traced with an unknown length (a
  ``tf.function`` over ``TensorSpec((None, None, d))``, batches of varying length) the
  backend's scan itself fails, where ``"hillis_steele"`` works. Kept for comparison.

Complex numbers (the LRU's ``lambda`` and state) are carried as pairs of real tensors
(real part, imaginary part), so every backend and ``float32`` work the same way.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from course_utils.core.validation import check_choice, check_int, check_number
from course_utils.linear_rnn import lru as numpy_lru
from course_utils.linear_rnn import selective as numpy_selective

__all__ = ["LRU", "SCAN_METHODS", "Selective", "linear_scan"]

#: The ways :func:`linear_scan` computes the recurrence.
SCAN_METHODS = ("hillis_steele", "associative")


# --- the scan -----------------------------------------------------------------------


def _combine_real(first, second):
    """``(a1, b1) o (a2, b2) = (a1 a2, a2 b1 + b2)``, real tensors."""
    (a1, b1), (a2, b2) = first, second
    return a1 * a2, a2 * b1 + b2


def _combine_complex(first, second):
    """The same composition for complex ``a, b`` given as ``(a_re, a_im, b_re, b_im)``."""
    (a1r, a1i, b1r, b1i), (a2r, a2i, b2r, b2i) = first, second
    return (
        a1r * a2r - a1i * a2i,  # Re(a1 a2)
        a1r * a2i + a1i * a2r,  # Im(a1 a2)
        a2r * b1r - a2i * b1i + b2r,  # Re(a2 b1 + b2)
        a2r * b1i + a2i * b1r + b2i,  # Im(a2 b1 + b2)
    )


def _hillis_steele(combine, elems, identity):
    """Inclusive scan over axis 1: in the round with ``shift``, every step composes with
    the prefix ending ``shift`` steps earlier (the identity before the start)."""
    shape = ops.shape(elems[0])
    time = shape[1]

    def earlier(x, shift, value):
        widths = [[0, 0], [shift, 0]] + [[0, 0]] * (len(shape) - 2)
        return ops.pad(x, widths, constant_values=value)[:, :time]  # shifted by `shift`

    def body(shift, *elems):
        shifted = tuple(earlier(x, shift, v) for x, v in zip(elems, identity, strict=True))
        new = combine(shifted, elems)
        return (shift * 2, *(ops.reshape(x, shape) for x in new))  # keep the static shape

    start = ops.convert_to_tensor(1, dtype="int32")
    return ops.while_loop(lambda shift, *_: shift < time, body, (start, *elems))[1:]


def linear_scan(a, b, *, method: str = "hillis_steele"):
    """Every state of ``h_t = a_t * h_{t-1} + b_t`` (``h_0 = 0``) along axis 1.

    ``a`` and ``b`` are real tensors of the same shape ``(batch, time, ...)``, or pairs
    ``(real, imaginary)`` of them for a complex recurrence (then a pair is returned).
    ``method``: one of :data:`SCAN_METHODS`.
    """
    check_choice("method", method, SCAN_METHODS)
    complex_ = isinstance(a, (tuple, list))
    elems = (*a, *b) if complex_ else (a, b)
    combine = _combine_complex if complex_ else _combine_real
    identity = (1.0, 0.0, 0.0, 0.0) if complex_ else (1.0, 0.0)
    if method == "hillis_steele":
        out = _hillis_steele(combine, elems, identity)
    else:
        out = ops.associative_scan(combine, elems, axis=1)
        out = tuple(ops.reshape(x, ops.shape(elems[0])) for x in out)  # static shape back
    return (out[2], out[3]) if complex_ else out[1]


def _constant(array):
    """An initialiser that returns ``array`` (drawn by the NumPy twin, same seed)."""
    return lambda shape, dtype=None: ops.convert_to_tensor(np.asarray(array), dtype=dtype)


def _seed(seed):
    if seed is None:  # follow keras.utils.set_random_seed
        return int(keras.random.randint((), 0, 2**31 - 1))
    return check_int("seed", seed, minimum=0)


# --- LRU -------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="course_utils")
class LRU(keras.layers.Layer):
    """Linear recurrent unit (Orvieto et al. 2023); see ``course_utils.linear_rnn.lru``.

    Parameters: ``state_size``; ``output_size`` (default: the input width); ``r_min``,
    ``r_max``, ``max_phase`` (the ring initialisation); ``seed`` (None: from Keras's
    global seed); ``scan`` (one of :data:`SCAN_METHODS`). Weights, in order:
    ``nu_log``, ``theta``, ``gamma_log``, ``B_re``, ``B_im``, ``C_re``, ``C_im``, ``D``.
    """

    def __init__(
        self,
        state_size: int,
        output_size: int | None = None,
        r_min: float = 0.0,
        r_max: float = 0.99,
        max_phase: float = 2 * np.pi,
        seed: int | None = None,
        scan: str = "hillis_steele",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.state_size = check_int("state_size", state_size, minimum=1)
        self.output_size = (
            None if output_size is None else check_int("output_size", output_size, minimum=1)
        )
        self.r_min, self.r_max = numpy_lru.check_ring(r_min, r_max)
        self.max_phase = check_number("max_phase", max_phase, minimum=0.0, strict_minimum=True)
        self.seed = seed if seed is None else check_int("seed", seed, minimum=0)
        self.scan = check_choice("scan", scan, SCAN_METHODS)

    def build(self, input_shape):
        twin = numpy_lru.LRU(
            input_shape[-1],
            self.state_size,
            self.output_size,
            r_min=self.r_min,
            r_max=self.r_max,
            max_phase=self.max_phase,
            seed=_seed(self.seed),
        )
        for name in numpy_lru.PARAM_NAMES:
            value = twin.params[name]
            weight = self.add_weight(shape=value.shape, name=name, initializer=_constant(value))
            setattr(self, name, weight)

    def call(self, x):
        x = ops.cast(x, self.compute_dtype)  # (batch, time, input)
        modulus = ops.exp(-ops.exp(self.nu_log))  # (state,) |lambda| < 1
        lam_re, lam_im = modulus * ops.cos(self.theta), modulus * ops.sin(self.theta)
        gamma = ops.exp(self.gamma_log)  # (state,)
        u_re = ops.matmul(x, self.B_re * gamma)  # (batch, time, state)
        u_im = ops.matmul(x, self.B_im * gamma)  # (batch, time, state)
        a_re, a_im = ops.zeros_like(u_re) + lam_re, ops.zeros_like(u_im) + lam_im
        h_re, h_im = linear_scan((a_re, a_im), (u_re, u_im), method=self.scan)
        y = ops.matmul(h_re, self.C_re) - ops.matmul(h_im, self.C_im)  # (batch, time, out)
        return y + ops.matmul(x, self.D)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.output_size or input_shape[-1])

    def get_config(self):
        return {
            **super().get_config(),
            "state_size": self.state_size,
            "output_size": self.output_size,
            "r_min": self.r_min,
            "r_max": self.r_max,
            "max_phase": self.max_phase,
            "seed": self.seed,
            "scan": self.scan,
        }

    @classmethod
    def from_numpy(cls, model: numpy_lru.LRU, **kwargs) -> LRU:
        """A built layer with ``model``'s weights (``kwargs``: ``scan``, ``dtype``, ...)."""
        if not isinstance(model, numpy_lru.LRU):
            raise TypeError(f"model must be a linear_rnn.LRU; got {type(model).__name__}.")
        layer = cls(model.state_size, model.output_size, **kwargs)
        layer.build((None, None, model.input_size))
        layer.set_weights(model.keras_weights())
        return layer

    def to_numpy(self) -> numpy_lru.LRU:
        """The NumPy twin (float64) with this layer's weights."""
        twin = numpy_lru.LRU(self.B_re.shape[0], self.state_size, self.C_re.shape[1])
        return twin.set_keras_weights([ops.convert_to_numpy(w) for w in self.weights])


# --- Selective ---------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="course_utils")
class Selective(keras.layers.Layer):
    """Selective SSM layer (Mamba's S6, no convolution, no gate); see
    ``course_utils.linear_rnn.selective``. Output width = input width (``channels``).

    Parameters: ``state_size`` (N); ``time_invariant`` (True: the LTI layer); ``dt_min``,
    ``dt_max``; ``seed``; ``scan``. Weights in the NumPy twin's ``param_names`` order.
    """

    def __init__(
        self,
        state_size: int = 16,
        time_invariant: bool = False,
        dt_min: float = 0.001,
        dt_max: float = 0.1,
        seed: int | None = None,
        scan: str = "hillis_steele",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.state_size = check_int("state_size", state_size, minimum=1)
        if not isinstance(time_invariant, (bool, np.bool_)):
            raise TypeError(f"time_invariant must be True or False; got {time_invariant!r}.")
        self.time_invariant = bool(time_invariant)
        self.dt_min = check_number("dt_min", dt_min, minimum=0.0, strict_minimum=True)
        self.dt_max = check_number("dt_max", dt_max, minimum=0.0, strict_minimum=True)
        self.seed = seed if seed is None else check_int("seed", seed, minimum=0)
        self.scan = check_choice("scan", scan, SCAN_METHODS)

    def build(self, input_shape):
        twin = self._twin(input_shape[-1], _seed(self.seed))
        for name in twin.param_names:
            value = twin.params[name]
            weight = self.add_weight(shape=value.shape, name=name, initializer=_constant(value))
            setattr(self, name, weight)

    def _twin(self, channels, seed=0) -> numpy_selective.Selective:
        return numpy_selective.Selective(
            channels,
            self.state_size,
            time_invariant=self.time_invariant,
            dt_min=self.dt_min,
            dt_max=self.dt_max,
            seed=seed,
        )

    def call(self, x):
        x = ops.cast(x, self.compute_dtype)  # (batch, time, channels)
        if self.time_invariant:
            delta = ops.zeros_like(x) + ops.softplus(self.b_delta)  # (batch, time, channels)
            B_t, C_t = self.B, self.C  # (channels, N) each
        else:
            delta = ops.softplus(ops.matmul(x, self.W_delta) + self.b_delta)  # (B, T, chan.)
            B_t = ops.expand_dims(ops.matmul(x, self.W_B), 2)  # (batch, time, 1, N)
            C_t = ops.expand_dims(ops.matmul(x, self.W_C), 2)  # (batch, time, 1, N)
        A = -ops.exp(self.A_log)  # (channels, N)
        delta = ops.expand_dims(delta, -1)  # (batch, time, channels, 1)
        Abar = ops.exp(delta * A)  # (batch, time, channels, N)
        Bx = delta * B_t * ops.expand_dims(x, -1)  # (batch, time, channels, N)
        h = linear_scan(Abar, Bx, method=self.scan)  # (batch, time, channels, N)
        return ops.sum(h * C_t, axis=-1) + self.D * x  # (batch, time, channels)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "state_size": self.state_size,
            "time_invariant": self.time_invariant,
            "dt_min": self.dt_min,
            "dt_max": self.dt_max,
            "seed": self.seed,
            "scan": self.scan,
        }

    @classmethod
    def from_numpy(cls, model: numpy_selective.Selective, **kwargs) -> Selective:
        """A built layer with ``model``'s weights (``kwargs``: ``scan``, ``dtype``, ...)."""
        if not isinstance(model, numpy_selective.Selective):
            raise TypeError(f"model must be a linear_rnn.Selective; got {type(model).__name__}.")
        layer = cls(model.state_size, time_invariant=model.time_invariant, **kwargs)
        layer.build((None, None, model.channels))
        layer.set_weights(model.keras_weights())
        return layer

    def to_numpy(self) -> numpy_selective.Selective:
        """The NumPy twin (float64) with this layer's weights."""
        twin = self._twin(self.A_log.shape[0])
        return twin.set_keras_weights([ops.convert_to_numpy(w) for w in self.weights])
