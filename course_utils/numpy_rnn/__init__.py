"""A from-scratch recurrent-network engine in NumPy, checked against Keras.

Cells (one module each): ``Elman`` (Elman 1990, = ``keras.layers.SimpleRNN``),
``Jordan`` (Jordan 1986, = ``keras.layers.RNN(course_utils.keras_cells.JordanCell)``),
``LSTM`` (Hochreiter & Schmidhuber 1997; forget gate of Gers et al. 2000) and ``GRU``
(Cho et al. 2014; both ``reset_after`` variants). Every cell offers::

    cell = LSTM(input_size, hidden_size, seed=0, dtype="float64")
    outputs, cache = cell.forward(x, h0=None)    # x: (batch, time, input_size)
    grads = cell.backward(d_outputs, cache)      # keys of cell.params + "x", "h0"
    cell.step(x_t, h_prev)                       # one step, for lessons
    cell.to_keras(), LSTM.from_keras(layer), cell.keras_weights()

plus ``Dense`` (a read-out), losses with gradients, ``SGD``/``Adam``,
``clip_by_global_norm``, Keras-default initialisers, and the shared pieces other
modules build on: ``RecurrentCell`` (the base class), ``activate``,
``activation_grad`` and ``sigmoid``. Default dtype is float64
(exact gradient checks); pass ``dtype="float32"`` to compare with Keras (they agree within 1e-5).
"""

from course_utils.numpy_rnn._base import RecurrentCell, activate, activation_grad, sigmoid
from course_utils.numpy_rnn.dense import Dense
from course_utils.numpy_rnn.elman import Elman
from course_utils.numpy_rnn.gru import GRU
from course_utils.numpy_rnn.init import glorot_uniform, orthogonal, zeros
from course_utils.numpy_rnn.jordan import Jordan
from course_utils.numpy_rnn.losses import mean_squared_error, softmax, softmax_cross_entropy
from course_utils.numpy_rnn.lstm import LSTM
from course_utils.numpy_rnn.optim import SGD, Adam, clip_by_global_norm

__all__ = [
    "RecurrentCell",
    "activate",
    "activation_grad",
    "sigmoid",
    "GRU",
    "LSTM",
    "SGD",
    "Adam",
    "Dense",
    "Elman",
    "Jordan",
    "clip_by_global_norm",
    "glorot_uniform",
    "mean_squared_error",
    "orthogonal",
    "softmax",
    "softmax_cross_entropy",
    "zeros",
]
