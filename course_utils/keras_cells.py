"""Two small Keras 3 recurrent cells: ``ElmanCell`` and ``JordanCell``.

Both go inside ``keras.layers.RNN`` (with ``return_sequences`` and ``return_state`` as
usual), use ``keras.ops`` only (any backend), and are registered serializable, so a
model that contains them saves to ``.keras`` and loads back without ``custom_objects``.

* ``ElmanCell``: Elman (1990); a readable cell that computes exactly what
  ``keras.layers.SimpleRNNCell`` computes (without dropout).
* ``JordanCell``: Jordan (1986); the previous *output* is fed back through state units
  with an optional self-decay ``mu``.

The NumPy twins are ``course_utils.numpy_rnn.Elman`` and ``.Jordan``; their
``from_keras`` / ``to_keras`` copy weights to and from these cells.
"""

from __future__ import annotations

import keras
from keras import ops

from course_utils.core.validation import check_choice, check_int, check_number

__all__ = ["ElmanCell", "JordanCell", "RECURRENT_KINDS", "recurrent_layer"]

#: The recurrent layers :func:`recurrent_layer` builds.
RECURRENT_KINDS = ("simple_rnn", "irnn", "lstm", "gru")


def _previous(states):
    """The single state tensor, whether Keras passes it alone or in a list."""
    return states[0] if isinstance(states, (list, tuple)) else states


@keras.saving.register_keras_serializable(package="course_utils")
class ElmanCell(keras.layers.Layer):
    """Elman (1990) cell: ``h_t = act(x_t @ kernel + bias + h_{t-1} @ recurrent_kernel)``.

    Parameters
    ----------
    units: width of ``h_t`` (the state and the output).
    activation: any Keras activation, default ``"tanh"``.
    use_bias: add ``bias`` (default True).
    kernel_initializer, recurrent_initializer, bias_initializer: Keras initialisers
        (defaults as ``SimpleRNNCell``: glorot_uniform, orthogonal, zeros).

    Weights: ``kernel`` (input_size, units), ``recurrent_kernel`` (units, units),
    ``bias`` (units,), in that order, the same as ``SimpleRNNCell``.
    """

    def __init__(
        self,
        units: int,
        activation="tanh",
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = check_int("units", units, minimum=1)
        self.activation = keras.activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.recurrent_initializer = keras.initializers.get(recurrent_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        input_size = input_shape[-1]
        self.kernel = self.add_weight(
            shape=(input_size, self.units), name="kernel", initializer=self.kernel_initializer
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,), name="bias", initializer=self.bias_initializer
            )

    def call(self, inputs, states, training=False):
        h_prev = _previous(states)  # (batch, units)
        a = ops.matmul(inputs, self.kernel)  # (batch, units)
        if self.bias is not None:
            a = ops.add(a, self.bias)  # (batch, units)
        a = a + ops.matmul(h_prev, self.recurrent_kernel)  # (batch, units)
        h = self.activation(a)  # (batch, units)
        return h, [h]

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, self.units), dtype=self.compute_dtype)]

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": keras.activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": keras.initializers.serialize(self.recurrent_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }


@keras.saving.register_keras_serializable(package="course_utils")
class JordanCell(keras.layers.Layer):
    """Jordan (1986) cell: the output is fed back through decaying state units.

    For each step, with carried state ``s_t`` (width ``output_units``)::

        h_t     = tanh(x_t @ kernel + s_t @ state_kernel + bias)     # (batch, units)
        y_t     = output_activation(h_t @ output_kernel + output_bias)  # (batch, output_units)
        s_{t+1} = mu * s_t + y_t                                      # (batch, output_units)

    The cell returns ``y_t`` as its output and ``s_{t+1}`` as its state, so
    ``RNN(JordanCell(...), return_state=True)`` returns the state units after the last step.

    Parameters
    ----------
    units: number of hidden units.
    output_units: number of output units (= state units).
    mu: self-decay of the state units, ``0 <= mu <= 1``; a constant, not trained.
    output_activation: Keras activation of the output units, default ``"linear"``.
    kernel_initializer, state_initializer, output_initializer, bias_initializer:
        defaults glorot_uniform, orthogonal, glorot_uniform, zeros.

    Weights, in order: ``kernel`` (input_size, units), ``state_kernel``
    (output_units, units), ``bias`` (units,), ``output_kernel`` (units, output_units),
    ``output_bias`` (output_units,).
    """

    def __init__(
        self,
        units: int,
        output_units: int,
        mu: float = 0.0,
        output_activation="linear",
        kernel_initializer="glorot_uniform",
        state_initializer="orthogonal",
        output_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = check_int("units", units, minimum=1)
        self.output_units = check_int("output_units", output_units, minimum=1)
        self.mu = check_number("mu", mu, minimum=0.0, maximum=1.0)
        self.output_activation = keras.activations.get(output_activation)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.state_initializer = keras.initializers.get(state_initializer)
        self.output_initializer = keras.initializers.get(output_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.state_size = self.output_units
        self.output_size = self.output_units

    def build(self, input_shape):
        input_size = input_shape[-1]
        u, o = self.units, self.output_units
        self.kernel = self.add_weight(
            shape=(input_size, u), name="kernel", initializer=self.kernel_initializer
        )
        self.state_kernel = self.add_weight(
            shape=(o, u), name="state_kernel", initializer=self.state_initializer
        )
        self.bias = self.add_weight(shape=(u,), name="bias", initializer=self.bias_initializer)
        self.output_kernel = self.add_weight(
            shape=(u, o), name="output_kernel", initializer=self.output_initializer
        )
        self.output_bias = self.add_weight(
            shape=(o,), name="output_bias", initializer=self.bias_initializer
        )

    def call(self, inputs, states, training=False):
        s = _previous(states)  # (batch, output_units)
        a = ops.matmul(inputs, self.kernel) + ops.matmul(s, self.state_kernel)  # (batch, units)
        h = ops.tanh(ops.add(a, self.bias))  # (batch, units)
        y = self.output_activation(  # (batch, output_units)
            ops.add(ops.matmul(h, self.output_kernel), self.output_bias)
        )
        s_next = self.mu * s + y  # (batch, output_units)
        return y, [s_next]

    def get_initial_state(self, batch_size=None):
        return [ops.zeros((batch_size, self.output_units), dtype=self.compute_dtype)]

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "output_units": self.output_units,
            "mu": self.mu,
            "output_activation": keras.activations.serialize(self.output_activation),
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "state_initializer": keras.initializers.serialize(self.state_initializer),
            "output_initializer": keras.initializers.serialize(self.output_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }


def recurrent_layer(
    kind: str,
    units: int,
    *,
    return_sequences: bool = False,
    unit_forget_bias: bool = True,
    reset_after: bool = True,
):
    """The course's one factory for Keras's built-in recurrent layers.

    kind: ``"simple_rnn"`` (tanh, Keras defaults), ``"irnn"`` (ReLU, recurrent weights
    initialised to the identity, input weights N(0, 0.001**2): Le, Jaitly & Hinton 2015),
    ``"lstm"`` (``unit_forget_bias``: forget-gate bias 1 at the start, Keras's default) or
    ``"gru"`` (``reset_after``: Keras's default convention, the one cuDNN runs).
    """
    kind = check_choice("kind", kind, RECURRENT_KINDS)
    units = check_int("units", units, minimum=1)
    for name, value in (
        ("return_sequences", return_sequences),
        ("unit_forget_bias", unit_forget_bias),
        ("reset_after", reset_after),
    ):
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False; got {type(value).__name__} {value!r}.")
    if kind == "irnn":
        return keras.layers.SimpleRNN(
            units,
            activation="relu",
            recurrent_initializer=keras.initializers.Identity(),
            kernel_initializer=keras.initializers.RandomNormal(stddev=0.001),
            return_sequences=return_sequences,
        )
    if kind == "lstm":
        return keras.layers.LSTM(
            units, return_sequences=return_sequences, unit_forget_bias=unit_forget_bias
        )
    if kind == "gru":
        return keras.layers.GRU(units, return_sequences=return_sequences, reset_after=reset_after)
    return keras.layers.SimpleRNN(units, return_sequences=return_sequences)
