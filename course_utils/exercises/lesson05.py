"""Exercises for notebook 05, "GRU": the update rule, reset_after, choosing a cell.

In the notebook::

    from course_utils.exercises import lesson05 as ex

    ex.gru_new_state.check(gru_new_state)        # a function (z, h_prev, n)
    ex.gru_param_count.check(gru_param_count)    # a function (input_size, hidden_size, reset_after)
    ex.two_biases.check("c")                     # an option label
    ex.choose_a_cell.check(answer)               # a few sentences
    ex.progress()
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises.core import Mistake, progress_for
from course_utils.exercises.kinds import (
    ChoiceExercise,
    FunctionExercise,
    ReflectionExercise,
)
from course_utils.param_counts import gru_lstm_ratio

# --- gru_new_state ----------------------------------------------------------


def _gru_new_state(z, h_prev, n):
    return z * h_prev + (1.0 - z) * n  # (batch, hidden): z near 1 keeps the old state


def _state_case(rng):
    shape = (int(rng.integers(1, 5)), int(rng.integers(1, 6)))
    return {
        "z": rng.uniform(0, 1, shape),
        "h_prev": rng.uniform(-1, 1, shape),
        "n": rng.uniform(-1, 1, shape),
    }


gru_new_state = FunctionExercise(
    name="gru_new_state",
    prompt=(
        "Write gru_new_state(z, h_prev, n): the GRU's new hidden state h_t from the update "
        "gate z, the previous state h_prev and the candidate n (all (batch, hidden)), in "
        "Keras's convention, where z near 1 keeps the previous state."
    ),
    reference=_gru_new_state,
    cases=_state_case,
    edge_cases=[
        {
            "z": np.array([[1.0, 0.0]]),
            "h_prev": np.array([[0.5, 0.5]]),
            "n": np.array([[-0.5, -0.5]]),
        }
    ],
    n_cases=8,
    seed=0,
    mistakes=[
        Mistake(
            lambda z, h_prev, n: (1.0 - z) * h_prev + z * n,
            "You swapped z and 1 - z. That form appears in some papers (Chung et al., 2014, "
            "for one), but this course, Keras and Cho et al. (2014, eq. 7) all let z near 1 "
            "*keep* the old state. Look at which of your two terms z multiplies.",
        ),
        Mistake(
            lambda z, h_prev, n: z * h_prev + n,
            "The candidate must be weighted by (1 - z): the new state is a mix of old and "
            "new whose weights add up to 1, so it stays within [-1, 1].",
        ),
        Mistake(
            lambda z, h_prev, n: z * h_prev,
            "You forgot the candidate n: without it nothing new is ever written.",
        ),
    ],
    hints=[
        "The update gate mixes two things: the previous state and the candidate.",
        "The two weights of the mix add up to 1, and z is the weight of the part that is "
        "kept: with z = 1 the new state equals h_prev.",
    ],
    discussion="One gate does the work of the LSTM's forget and input gates together: "
    "whatever is kept (z) leaves exactly 1 - z of room for the new candidate.",
)

# --- gru_param_count --------------------------------------------------------


def _gru_param_count(input_size, hidden_size, reset_after):
    biases = 2 if reset_after else 1  # reset_after=True keeps a separate recurrent bias
    return 3 * (hidden_size * input_size + hidden_size * hidden_size + biases * hidden_size)


gru_param_count = FunctionExercise(
    name="gru_param_count",
    prompt=(
        "Write gru_param_count(input_size, hidden_size, reset_after): the number of trainable "
        "parameters of keras.layers.GRU(hidden_size, reset_after=reset_after)."
    ),
    reference=_gru_param_count,
    cases=lambda rng: {
        "input_size": int(rng.integers(1, 200)),
        "hidden_size": int(rng.integers(1, 200)),
        "reset_after": bool(rng.integers(0, 2)),
    },
    edge_cases=[
        {"input_size": 2, "hidden_size": 16, "reset_after": True},
        {"input_size": 2, "hidden_size": 16, "reset_after": False},
    ],
    n_cases=10,
    seed=0,
    mistakes=[
        Mistake(
            lambda m, n, reset_after: 3 * (n * m + n * n + n),
            "Right for reset_after=False, but with reset_after=True (the Keras default) "
            "each block has two bias vectors: 3 more times hidden_size.",
        ),
        Mistake(
            lambda m, n, reset_after: 3 * (n * m + n * n + 2 * n),
            "Right for reset_after=True, but with reset_after=False each block has a "
            "single bias vector.",
        ),
        Mistake(
            lambda m, n, reset_after: 3 * (n * m + n * n + (1 if reset_after else 2) * n),
            "Your bias counts are swapped: it is reset_after=True that keeps the second "
            "(recurrent) bias per block, because r scales it inside the product; "
            "reset_after=False has one bias per block.",
        ),
        Mistake(
            lambda m, n, reset_after: 4 * (n * m + n * n + (2 if reset_after else 1) * n),
            "You counted four blocks, as in an LSTM. A GRU has three: update gate, reset "
            "gate and candidate; there is no output gate.",
        ),
        Mistake(
            lambda m, n, reset_after: 4 * (n * m + n * n + n),
            "That is the LSTM's count. A GRU has three blocks: update gate, reset gate "
            "and candidate.",
        ),
        Mistake(
            lambda m, n, reset_after: 3 * (n * m + n * n),
            "You left out the biases: every block has one bias vector of hidden_size "
            "(two with reset_after=True).",
        ),
        Mistake(
            lambda m, n, reset_after: 3 * (n * m + (2 if reset_after else 1) * n),
            "You left out the recurrent kernels: every block also multiplies h_prev by a "
            "(hidden_size, hidden_size) matrix.",
        ),
    ],
    hints=[
        "Three blocks (z, r, candidate), each with an input kernel, a recurrent kernel and biases.",
        "With reset_after=True every block has two bias vectors, otherwise one.",
    ],
    discussion=(
        "3 * (n*m + n^2 + 2n) by default, against an LSTM's 4 * (n*m + n^2 + n). The "
        "ratio reaches three quarters only as the width grows: for m=2 it is "
        + ", ".join(f"{gru_lstm_ratio(2, n):.2f} at n={n}" for n in (16, 64, 1024))
        + "."
    ),
)

# --- two_biases -------------------------------------------------------------

two_biases = ChoiceExercise(
    name="two_biases",
    prompt="Why does keras.layers.GRU(reset_after=True) need a second bias vector per block?",
    options={
        "a": "To make the GRU as large as an LSTM.",
        "b": "Because the reset gate needs a bias and the update gate does not.",
        "c": "Because the reset gate multiplies (h_prev @ W_hh + b_hh): a bias inside that "
        "product is scaled by r, so it cannot be folded into the input bias b_xh.",
        "d": "Because cuDNN cannot add two matrices.",
    },
    answer="c",
    explanations={
        "a": "It is still three blocks against the LSTM's four; the second bias adds only "
        "3 * hidden_size numbers.",
        "b": "Every block (z, r and the candidate) gets the second bias, not one gate.",
        "d": "cuDNN can add; reset_after=True is what cuDNN computes, and the bias placement "
        "follows from where r is applied.",
    },
    hints=["Write the candidate for both variants and look at where b_hh ends up."],
    discussion="With reset_after=False the recurrent product is (r * h_prev) @ W_hh, and any "
    "recurrent bias would simply add to b_xh, so one bias is enough.",
)

# --- choose_a_cell ----------------------------------------------------------

choose_a_cell = ReflectionExercise(
    name="choose_a_cell",
    prompt=(
        "From the measurements in this lesson (not from the article): for a new sequence "
        "task on a laptop CPU, would you start with an LSTM or a GRU, and what would you "
        "measure before deciding?"
    ),
    discussion=(
        "Only the structural rows are settled in advance: a GRU has a quarter fewer "
        "parameters and multiply-adds per step than an LSTM of the same width. Whether it "
        "learns faster, runs faster or ends better is what the head-to-head measured, and "
        "the verdicts changed from task to task and may change from machine to machine. "
        "So a sound recipe is: start with either, then train both with the same budget "
        "over a few seeds on your own task, and compare the metric you care about, its "
        "spread, and the time per epoch on the machine you will use."
    ),
    min_length=40,
    mistakes=[
        Mistake.when(
            lambda text: "article" in text.lower() and "measur" not in text.lower(),
            "Try to argue from what you measured here rather than from the article.",
            example="The article says the GRU is faster, so I pick the GRU.",
        ),
    ],
    hints=["Look at the verdict column of the rebuilt table: which rows hold, which depend?"],
)

progress = progress_for(__name__)
