"""How many parameters a recurrent layer has, and how much work one step costs.

Lessons 04 (LSTM) and 05 (GRU) derive these formulas; ``tests/test_param_counts.py``
checks every one against Keras's ``count_params()`` over many sizes.

With ``m`` input features and ``n`` units, a layer is a set of blocks, one per gate
(and one for the candidate), each with an input kernel ``(m, n)``, a recurrent kernel
``(n, n)`` and a bias ``(n,)``:

==========================  ======  ===============================  ==================
layer                       blocks  parameters                       biases per block
==========================  ======  ===============================  ==================
``SimpleRNN``               1       ``n*m + n**2 + n``               1
``LSTM``                    4       ``4 * (n*m + n**2 + n)``         1
``GRU(reset_after=False)``  3       ``3 * (n*m + n**2 + n)``         1
``GRU(reset_after=True)``   3       ``3 * (n*m + n**2 + 2*n)``       2 (input, recurrent)
minGRU (lesson 09)          2       ``2 * (n*m + n)``                1 (no recurrent kernel)
minLSTM (lesson 09)         3       ``3 * (n*m + n)``                1 (no recurrent kernel)
==========================  ======  ===============================  ==================

``reset_after=True`` (the Keras default) multiplies the reset gate with
``h_{t-1} @ W_hh + b_hh``: the candidate's recurrent bias sits *inside* that
product, so it cannot be merged with the input bias ``b_xh``. The update and reset
gates' recurrent biases ``b_hz`` and ``b_hr`` are added next to ``b_xz`` and ``b_xr``
and could be folded into them without changing the function; Keras stores two bias
vectors in every block anyway, the layout of cuDNN's GRU, so the count has ``2*n``
per block.
"""

from __future__ import annotations

from course_utils.core.registry import RECURRENT, blocks
from course_utils.core.validation import check_choice, check_int

__all__ = [
    "dense_params",
    "gru_lstm_ratio",
    "gru_params",
    "lstm_params",
    "min_gru_params",
    "min_lstm_params",
    "multiplies_per_step",
    "recurrent_params",
    "simple_rnn_params",
]


def _sizes(input_size, hidden_size) -> tuple[int, int]:
    return (
        check_int("input_size", input_size, minimum=1),
        check_int("hidden_size", hidden_size, minimum=1),
    )


def _check_flag(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False; got {type(value).__name__} {value!r}.")
    return value


def simple_rnn_params(input_size: int, hidden_size: int) -> int:
    """``keras.layers.SimpleRNN(hidden_size)`` on ``input_size`` features: ``n*m + n**2 + n``."""
    m, n = _sizes(input_size, hidden_size)
    return n * m + n * n + n


def lstm_params(input_size: int, hidden_size: int) -> int:
    """``keras.layers.LSTM(hidden_size)``: ``4 * (n*m + n**2 + n)`` (gates i, f, o and candidate g)."""
    m, n = _sizes(input_size, hidden_size)
    return 4 * (n * m + n * n + n)


def gru_params(input_size: int, hidden_size: int, reset_after: bool = True) -> int:
    """``keras.layers.GRU(hidden_size, reset_after=...)``.

    ``3 * (n*m + n**2 + 2*n)`` with ``reset_after=True`` (two bias vectors per block),
    ``3 * (n*m + n**2 + n)`` with ``reset_after=False``.
    """
    m, n = _sizes(input_size, hidden_size)
    biases = 2 if _check_flag("reset_after", reset_after) else 1
    return 3 * (n * m + n * n + biases * n)


def min_gru_params(input_size: int, hidden_size: int) -> int:
    """minGRU (Feng et al. 2024): ``2 * (n*m + n)``, an update gate and a candidate that
    see ``x_t`` only, so no ``(n, n)`` recurrent kernel (``course_utils.linear_rnn``)."""
    m, n = _sizes(input_size, hidden_size)
    return 2 * (n * m + n)


def min_lstm_params(input_size: int, hidden_size: int) -> int:
    """minLSTM (Feng et al. 2024): ``3 * (n*m + n)``, forget and input gates and a
    candidate from ``x_t`` only, no output gate (``course_utils.linear_rnn``)."""
    m, n = _sizes(input_size, hidden_size)
    return 3 * (n * m + n)


def gru_lstm_ratio(input_size: int, hidden_size: int, reset_after: bool = True) -> float:
    """A GRU layer's parameters over an LSTM layer's of the same sizes.

    ``3 (nm + n^2 + 2n) / 4 (nm + n^2 + n)`` with ``reset_after=True``: it tends to 3/4
    only as ``hidden_size`` grows; at small widths the GRU's second bias vectors keep it
    above (0.79 for ``m=2, n=16``, lesson 05's adding model).
    """
    return gru_params(input_size, hidden_size, reset_after) / lstm_params(input_size, hidden_size)


def dense_params(input_size: int, output_size: int) -> int:
    """``keras.layers.Dense(output_size)`` on ``input_size`` features: ``(m + 1) * k``."""
    m = check_int("input_size", input_size, minimum=1)
    k = check_int("output_size", output_size, minimum=1)
    return (m + 1) * k


def recurrent_params(
    kind: str, input_size: int, hidden_size: int, *, reset_after: bool = True
) -> int:
    """Parameters of a ``"simple_rnn"``, ``"lstm"`` or ``"gru"`` layer (see the table above)."""
    check_choice("kind", kind, RECURRENT)
    if kind == "lstm":
        return lstm_params(input_size, hidden_size)
    if kind == "gru":
        return gru_params(input_size, hidden_size, reset_after)
    return simple_rnn_params(input_size, hidden_size)


def multiplies_per_step(kind: str, input_size: int, hidden_size: int) -> int:
    """Multiply-adds in one time step's matrix products, per sequence: ``blocks * n * (m + n)``.

    This is the bulk of a step's arithmetic; the elementwise gate products add
    ``O(n)`` more. An LSTM does 4 blocks, a GRU 3, a SimpleRNN 1.
    """
    check_choice("kind", kind, RECURRENT)
    m, n = _sizes(input_size, hidden_size)
    return blocks(kind) * n * (m + n)
