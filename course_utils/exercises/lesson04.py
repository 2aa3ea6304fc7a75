"""Exercises for notebook 04, "LSTM": the gates, the conveyor belt, the parameter count.

In the notebook::

    from course_utils.exercises import lesson04 as ex

    ex.forget_gate.check(forget_gate)            # a function (x_t, h_prev, W_xf, W_hf, b_f)
    ex.memory_after_hold.check(memory_after_hold)  # a number
    ex.lstm_param_count.check(lstm_param_count)  # a function (input_size, hidden_size)
    ex.forget_bias_effect.check("b")             # an option label
    ex.progress()
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises.core import Mistake, progress_for
from course_utils.exercises.kinds import ChoiceExercise, FunctionExercise, ValueExercise

# --- forget_gate ------------------------------------------------------------


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _forget_gate(x_t, h_prev, W_xf, W_hf, b_f):
    return 1.0 / (1.0 + np.exp(-(x_t @ W_xf + h_prev @ W_hf + b_f)))  # (batch, hidden)


def _gate_case(rng):
    batch, m, n = (int(v) for v in rng.integers(1, 6, size=3))
    return {
        "x_t": rng.standard_normal((batch, m)),
        "h_prev": rng.uniform(-1, 1, (batch, n)),
        "W_xf": rng.standard_normal((m, n)),
        "W_hf": rng.standard_normal((n, n)),
        "b_f": rng.standard_normal(n),
    }


forget_gate = FunctionExercise(
    name="forget_gate",
    prompt=(
        "Write forget_gate(x_t, h_prev, W_xf, W_hf, b_f): the LSTM forget gate f_t for a batch. "
        "x_t is (batch, input_size), h_prev (batch, hidden_size), W_xf (input_size, "
        "hidden_size), W_hf (hidden_size, hidden_size), b_f (hidden_size,). Return "
        "(batch, hidden_size)."
    ),
    reference=_forget_gate,
    cases=_gate_case,
    edge_cases=[
        {
            "x_t": np.zeros((1, 1)),
            "h_prev": np.zeros((1, 1)),
            "W_xf": np.ones((1, 1)),
            "W_hf": np.ones((1, 1)),
            "b_f": np.ones(1),
        }
    ],
    n_cases=8,
    seed=4,
    mistakes=[
        Mistake(
            lambda x_t, h_prev, W_xf, W_hf, b_f: np.tanh(x_t @ W_xf + h_prev @ W_hf + b_f),
            "A gate is a sigmoid, not a tanh: its value must lie between 0 (forget all) "
            "and 1 (keep all). tanh is for the candidate g_t and for the output squashing.",
        ),
        Mistake(
            lambda x_t, h_prev, W_xf, W_hf, b_f: _sigmoid(x_t @ W_xf + b_f),
            "The gate also reads the previous hidden state: add h_prev @ W_hf. Without it "
            "the LSTM could not decide to forget based on what it already holds.",
        ),
        Mistake(
            lambda x_t, h_prev, W_xf, W_hf, b_f: _sigmoid(x_t @ W_xf + h_prev @ W_hf),
            "You left out the bias b_f. It matters more than it looks: Keras starts it at "
            "1 so that a new LSTM keeps most of its cell state (section 4).",
        ),
    ],
    hints=[
        "Same shape of formula as the input gate above, with the forget gate's own weights.",
        "f_t = sigmoid(x_t @ W_xf + h_prev @ W_hf + b_f), with sigmoid(z) = 1 / (1 + exp(-z)).",
    ],
    discussion="All three gates share this form; only their weights differ. Keras computes "
    "the four blocks (i, f, g, o) in one matrix product and splits the result.",
)

# --- memory_after_hold ------------------------------------------------------

memory_after_hold = ValueExercise(
    name="memory_after_hold",
    prompt=(
        "A unit's input gate is 0 and its forget gate is 0.95 at every step, for 50 steps. "
        "What fraction of its cell state c is left after those 50 steps?"
    ),
    answer=0.95**50,
    rtol=1e-3,
    mistakes=[
        Mistake(
            0.95,
            "That is what survives one step. Each step multiplies c by f again: "
            "c_t = f * c_{t-1} when the input gate is closed.",
        ),
        Mistake(
            1 - 0.05 * 50,
            "The losses do not add up step by step; they multiply: each "
            "step keeps 95 % of what the previous step kept.",
        ),
        Mistake(
            0.05**50,
            "0.05 is the part that is forgotten each step; the part kept is "
            "the forget gate itself, 0.95.",
        ),
    ],
    hints=["With i_t = 0 the update is c_t = f_t * c_{t-1}.", "Apply it 50 times: 0.95 ** 50."],
    solution="memory_after_hold = 0.95 ** 50  # about 0.077",
    discussion="Less than 8 % survives: 'near 1' must be very near 1 to hold a value for 50 "
    "steps. The gradient along the cell state shrinks by the same factor "
    "(dc_{t-1} = dc_t * f_t), which is why a forget gate near 1 also keeps the "
    "learning signal alive.",
)

# --- lstm_param_count -------------------------------------------------------


def _lstm_param_count(input_size, hidden_size):
    per_block = hidden_size * input_size + hidden_size * hidden_size + hidden_size
    return 4 * per_block  # input gate, forget gate, candidate, output gate


lstm_param_count = FunctionExercise(
    name="lstm_param_count",
    prompt=(
        "Write lstm_param_count(input_size, hidden_size): the number of trainable "
        "parameters of keras.layers.LSTM(hidden_size) reading input_size features."
    ),
    reference=_lstm_param_count,
    cases=lambda rng: {
        "input_size": int(rng.integers(1, 300)),
        "hidden_size": int(rng.integers(1, 300)),
    },
    edge_cases=[{"input_size": 1, "hidden_size": 1}, {"input_size": 2, "hidden_size": 16}],
    n_cases=10,
    seed=0,
    mistakes=[
        Mistake(
            lambda m, n: 3 * (n * m + n * n + n),
            "Three blocks is one short: the three gates (i, f, o) *and* the candidate g "
            "each have their own weights and bias, so there are four.",
        ),
        Mistake(
            lambda m, n: 4 * (n * m + n * n),
            "You forgot the biases: one vector of hidden_size per block, 4 * hidden_size in all.",
        ),
        Mistake(
            lambda m, n: n * (m + n + 1),
            "That is a SimpleRNN: one block. An LSTM has four blocks of the same shape.",
        ),
    ],
    hints=[
        "Each of the four blocks (i, f, g, o) has an input kernel, a recurrent kernel and a bias.",
        "One block: hidden_size * input_size + hidden_size * hidden_size + hidden_size.",
    ],
    discussion="4 * (n*m + n^2 + n): an LSTM has four times the parameters of a SimpleRNN "
    "of the same width.",
)

# --- forget_bias_effect -----------------------------------------------------

forget_bias_effect = ChoiceExercise(
    name="forget_bias_effect",
    prompt="Why can a forget-gate bias of 1 at initialisation help an LSTM learn long dependencies?",
    options={
        "a": "It adds parameters, so the model is more expressive.",
        "b": "The forget gate starts near sigmoid(1) = 0.73 instead of 0.5, so the cell state "
        "and its gradient fade more slowly over the steps, and the first updates can "
        "already see distant steps.",
        "c": "It opens the input gate, so every step writes more into the cell state.",
        "d": "It stops exploding gradients, because the forget gate can never exceed 1.",
    },
    answer="b",
    explanations={
        "a": "The bias exists either way; only its starting value changes. The parameter count "
        "is the same.",
        "c": "It changes only the forget gate's bias; the input gate starts as before.",
        "d": "A forget gate below 1 does bound the cell-state path, but that holds for any "
        "bias. The point of 1 is that the signal fades less at the start.",
    },
    hints=["Compare 0.5 ** 20 with 0.73 ** 20."],
    discussion="0.5 ** 20 is about 1e-6, 0.73 ** 20 about 2e-3: three orders of magnitude more "
    "signal from 20 steps back at the first update.",
)

progress = progress_for(__name__)
