"""Exercises for notebook 04, "LSTM": the gates, the conveyor belt, the parameter count.

In the notebook::

    from course_utils.lessons.l04_lstm import exercises as ex

    ex.forget_gate.check(forget_gate)    # a function (x_t, h_prev, kernel, recurrent_kernel, bias)
    ex.memory_after_hold.check(memory_after_hold)  # a fraction between 0 and 1
    ex.model_param_count.check(model_param_count)  # a function (input_size, hidden_size)
    ex.forget_bias_effect.check("b")     # an option label, a string
    ex.stuck_gate.check("b")             # an option label, a string (apply it: a diagnosis)
    ex.progress()
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises.core import progress_for
from course_utils.exercises.feedback import Mistake
from course_utils.exercises.function_kind import FunctionExercise
from course_utils.exercises.kinds import ChoiceExercise, ValueExercise

# --- forget_gate (from Keras's packed weights) -------------------------------


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _forget_gate(x_t, h_prev, kernel, recurrent_kernel, bias):
    n = bias.shape[0] // 4  # four blocks side by side: i, f, c, o
    f = slice(n, 2 * n)  # the forget gate's block
    return 1.0 / (1.0 + np.exp(-(x_t @ kernel[:, f] + h_prev @ recurrent_kernel[:, f] + bias[f])))


def _block(k):
    def gate(x_t, h_prev, kernel, recurrent_kernel, bias):
        n = bias.shape[0] // 4
        b = slice(k * n, (k + 1) * n)
        return _sigmoid(x_t @ kernel[:, b] + h_prev @ recurrent_kernel[:, b] + bias[b])

    return gate


def _gate_case(rng):
    batch, m, n = (int(v) for v in rng.integers(1, 6, size=3))
    return {
        "x_t": rng.standard_normal((batch, m)),
        "h_prev": rng.uniform(-1, 1, (batch, n)),
        "kernel": rng.standard_normal((m, 4 * n)),
        "recurrent_kernel": rng.standard_normal((n, 4 * n)),
        "bias": rng.standard_normal(4 * n),
    }


forget_gate = FunctionExercise(
    name="forget_gate",
    prompt=(
        "Write forget_gate(x_t, h_prev, kernel, recurrent_kernel, bias): the forget gate f_t "
        "of a Keras LSTM, computed from its packed weights. x_t is (batch, input_size), "
        "h_prev (batch, hidden_size); kernel is (input_size, 4 * hidden_size), "
        "recurrent_kernel (hidden_size, 4 * hidden_size) and bias (4 * hidden_size,), with "
        "the four blocks side by side in Keras's order i, f, c, o. Return a NumPy array of "
        "shape (batch, hidden_size)."
    ),
    reference=_forget_gate,
    cases=_gate_case,
    edge_cases=[
        {
            "x_t": np.ones((1, 1)),
            "h_prev": np.ones((1, 1)),
            "kernel": np.array([[1.0, 2.0, 3.0, 4.0]]),
            "recurrent_kernel": np.array([[0.5, -1.0, 0.25, 2.0]]),
            "bias": np.array([0.0, 1.0, 0.0, 0.0]),
        }
    ],
    n_cases=8,
    seed=4,
    mistakes=[
        Mistake(
            _block(0),
            "You took the first block, which is the input gate i. Keras's order is i, f, c, o: "
            "the forget gate is the second block, columns hidden_size to 2 * hidden_size.",
        ),
        Mistake(
            _block(2),
            "You took the third block, the candidate c (and Keras squashes that one with "
            "tanh). The forget gate is the second block.",
        ),
        Mistake(
            lambda x_t, h_prev, kernel, recurrent_kernel, bias: np.tanh(
                x_t @ kernel[:, bias.shape[0] // 4 : bias.shape[0] // 2]
                + h_prev @ recurrent_kernel[:, bias.shape[0] // 4 : bias.shape[0] // 2]
                + bias[bias.shape[0] // 4 : bias.shape[0] // 2]
            ),
            "Right block, wrong squashing: a gate is a sigmoid (between 0 and 1), not a tanh.",
        ),
        Mistake(
            lambda x_t, h_prev, kernel, recurrent_kernel, bias: _sigmoid(
                x_t @ kernel[:, bias.shape[0] // 4 : bias.shape[0] // 2]
                + h_prev @ recurrent_kernel[:, bias.shape[0] // 4 : bias.shape[0] // 2]
            ),
            "You left out the bias. It matters more than it looks: Keras starts the forget "
            "block of the bias at 1 (section 4).",
        ),
    ],
    hints=[
        "The formula is the one of section 1; what is new is finding the forget gate's "
        "weights inside the packed ones. hidden_size is len(bias) // 4.",
        "The forget gate is the second of four blocks of columns, in every one of the three "
        "arrays.",
    ],
    discussion="numpy_rnn.LSTM.from_keras cuts the packed weights the same way, for all four "
    "blocks. Keras computes the four blocks in one matrix product and splits the result.",
)

# --- memory_after_hold ------------------------------------------------------

memory_after_hold = ValueExercise(
    name="memory_after_hold",
    prompt=(
        "A unit's input gate is 0 and its forget gate is 0.95 at every step, for 50 steps. "
        "What fraction of its cell state c is left after those 50 steps? Give a fraction "
        "between 0 and 1 (a float), not a percentage."
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
        Mistake(
            100 * 0.95**50,
            "Give a fraction, not a percentage: a number between 0 and 1.",
        ),
        Mistake(
            0.95 * 50,
            "Multiplying by 50 adds the gate up 50 times. Each step multiplies the cell "
            "state by the gate: use a power.",
        ),
    ],
    hints=[
        "With i_t = 0 the cell-state update of section 1 keeps only one term.",
        "Each step multiplies c by the same factor; after 50 steps that is a power.",
    ],
    solution="memory_after_hold = 0.95 ** 50  # about 0.077",
    discussion="Less than 8 % survives: 'near 1' must be very near 1 to hold a value for 50 "
    "steps. The gradient along the cell state shrinks by the same factor "
    "(dc_{t-1} = dc_t * f_t), which is why a forget gate near 1 also keeps the "
    "learning signal alive.",
)

# --- model_param_count ------------------------------------------------------


def _model_param_count(input_size, hidden_size):
    lstm = 4 * (hidden_size * input_size + hidden_size * hidden_size + hidden_size)
    readout = hidden_size + 1  # Dense(1): a weight per unit and a bias
    return lstm + readout


model_param_count = FunctionExercise(
    name="model_param_count",
    prompt=(
        "Write model_param_count(input_size, hidden_size): the number of trainable "
        "parameters of the whole model of section 2, Input -> LSTM(hidden_size) -> Dense(1), "
        "for input_size features. Return an int."
    ),
    reference=_model_param_count,
    cases=lambda rng: {
        "input_size": int(rng.integers(1, 300)),
        "hidden_size": int(rng.integers(1, 300)),
    },
    edge_cases=[{"input_size": 1, "hidden_size": 1}, {"input_size": 2, "hidden_size": 16}],
    n_cases=10,
    seed=0,
    mistakes=[
        Mistake(
            lambda m, n: 4 * (n * m + n * n + n),
            "That is the LSTM layer alone. The model also has its Dense(1) read-out: one "
            "weight per unit and a bias.",
        ),
        Mistake(
            lambda m, n: 3 * (n * m + n * n + n) + n + 1,
            "Three blocks is one short: the three gates (i, f, o) *and* the candidate g "
            "each have their own weights and bias, so there are four.",
        ),
        Mistake(
            lambda m, n: 4 * (n * m + n * n) + n + 1,
            "You forgot the LSTM's biases: one vector of hidden_size per block.",
        ),
        Mistake(
            lambda m, n: n * (m + n + 1) + n + 1,
            "That is a SimpleRNN with its read-out: one block. An LSTM has four blocks of "
            "the same shape.",
        ),
    ],
    hints=[
        "Count block by block with the shapes in the table of the introduction, then add the "
        "read-out layer.",
        "Four blocks (i, f, g, o), each with an input kernel, a recurrent kernel and a bias; "
        "then Dense(1) on hidden_size inputs.",
    ],
    discussion="4 (nm + n^2 + n) + n + 1: the LSTM has four times the parameters of a "
    "SimpleRNN of the same width, and the read-out adds n + 1.",
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
    solution='bias_answer = "b"  # the cell state and its gradient fade more slowly at the start',
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

# --- stuck_gate (apply it: diagnose a failing run) -----------------------------

stuck_gate = ChoiceExercise(
    name="stuck_gate",
    prompt=(
        "Diagnose a failing run. An LSTM(16) on the adding problem with T = 100 stays at a "
        "validation MSE of about 0.167 for all 20 epochs. Read as in sections 2 and 3: every "
        "unit's input gate opens at the markers (above 0.8) and shuts in between; every "
        "unit's forget gate sits near 0.12 over the hold span; ||dL/dh_1|| / ||dL/dh_T|| is "
        "about 1e-30. What is wrong?"
    ),
    options={
        "a": "The gradients explode: add gradient clipping.",
        "b": "The forget gates are stuck nearly shut: 0.12 per step leaves nothing of the "
        "first number at the second marker, and the gradient back to the first marker "
        "vanishes the same way. Start the forget-gate bias at 1 or more (it was probably "
        "started negative).",
        "c": "The input gates are stuck shut, so nothing is ever written to the cell state.",
        "d": "The model is too small: use more units.",
    },
    answer="b",
    solution='stuck_answer = "b"  # forget gates stuck nearly shut: start the forget bias high',
    explanations={
        "a": "A ratio of 1e-30 is a gradient that vanishes, not one that explodes; clipping "
        "only ever shrinks a gradient, so it cannot help.",
        "c": "The input gates open at the markers (above 0.8): writing works. What fails is "
        "keeping what was written.",
        "d": "Every unit has the same forget gate near 0.12: more units forget just as fast. "
        "The MSE of 1/6 is the baseline, the error of remembering nothing.",
    },
    hints=[
        "Compare the error 0.167 with the baselines of lesson 03, then ask which gate "
        "decides how long a written value survives.",
        "How much of c survives 50 steps at 0.12 per step? Which setting of section 4 moves "
        "where the forget gate starts?",
    ],
    discussion="0.12 ** 50 is about 1e-46: the cell state is wiped long before the second "
    "marker, and so is the gradient that would teach the gate to stay open. A forget-gate "
    "bias that starts high (Keras's unit_forget_bias=True) gives the signal a path at the "
    "start of training.",
)

progress = progress_for(__name__)
