"""Exercises for notebook 00, "Start here": the shape of RNN inputs and a first RNN.

In the notebook::

    from course_utils.exercises import lesson00 as ex

    ex.sequence_shape.check(sequence_shape)      # a tuple
    ex.count_rnn_params.check(count_rnn_params)  # a function (input_size, hidden_size)
    ex.why_recurrence.check("a")                 # an option label
    ex.window_vs_state.check(answer)             # a few sentences
    ex.progress()
"""

from __future__ import annotations

from course_utils.exercises.core import Mistake, progress_for
from course_utils.exercises.kinds import (
    ChoiceExercise,
    FunctionExercise,
    ReflectionExercise,
    ValueExercise,
)

# --- sequence_shape ---------------------------------------------------------

sequence_shape = ValueExercise(
    name="sequence_shape",
    prompt=(
        "A batch holds 32 sentences, each cut to 50 words, and every word is a vector of "
        "100 features. Write the shape of the array a Keras RNN layer takes as a tuple."
    ),
    answer=(32, 50, 100),
    mistakes=[
        Mistake(
            (50, 32, 100),
            "That is the time-major layout (time, batch, features). "
            "Keras puts the batch axis first: (batch, time, features).",
        ),
        Mistake(
            (32, 100, 50),
            "Time and features are swapped: the middle axis is time "
            "(50 steps), the last one the features of each step (100).",
        ),
        Mistake.when(
            lambda answer: len(answer) == 2,
            "An RNN input has three axes, (batch, time, features): the features "
            "of each word are an axis of their own.",
            example=(32, 50),
        ),
    ],
    hints=[
        "Keras RNN layers take inputs of shape (batch, time, features).",
        "batch = how many sentences, time = words per sentence, features = numbers per word.",
    ],
    solution="sequence_shape = (32, 50, 100)  # (batch, time, features)",
)

# --- count_rnn_params -------------------------------------------------------


def _count_rnn_params(input_size, hidden_size):
    W_xh = hidden_size * input_size  # input to hidden
    W_hh = hidden_size * hidden_size  # hidden to hidden: the recurrence
    b_h = hidden_size  # one bias per hidden unit
    return W_xh + W_hh + b_h


count_rnn_params = FunctionExercise(
    name="count_rnn_params",
    prompt=(
        "Write count_rnn_params(input_size, hidden_size): the number of trainable "
        "parameters of a keras.layers.SimpleRNN(hidden_size) fed input_size features."
    ),
    reference=_count_rnn_params,
    cases=lambda rng: {
        "input_size": int(rng.integers(1, 65)),
        "hidden_size": int(rng.integers(1, 65)),
    },
    edge_cases=[
        {"input_size": 1, "hidden_size": 1},
        {"input_size": 100, "hidden_size": 1},
        {"input_size": 1, "hidden_size": 100},
    ],
    n_cases=12,
    seed=0,
    mistakes=[
        Mistake(
            lambda input_size, hidden_size: hidden_size * (input_size + hidden_size),
            "Almost: you forgot the bias, one number per hidden unit.",
        ),
        Mistake(
            lambda input_size, hidden_size: hidden_size * (input_size + 1),
            "You left out the recurrent weights W_hh (hidden_size x hidden_size): they "
            "carry the state from one step to the next.",
        ),
        Mistake(
            lambda input_size, hidden_size: hidden_size * (input_size + hidden_size) + 1,
            "There is one bias per hidden unit, not one for the whole layer.",
        ),
    ],
    hints=[
        "Count three tensors: W_xh (input to hidden), W_hh (hidden to hidden) and b_h.",
        "W_xh has input_size x hidden_size entries, W_hh hidden_size x hidden_size, b_h hidden_size.",
    ],
    discussion="Compare with `model.summary()`: Keras counts the same three tensors.",
)

# --- why_recurrence ---------------------------------------------------------

why_recurrence = ChoiceExercise(
    name="why_recurrence",
    prompt="Why does a recurrent layer feed its hidden state back in at every time step?",
    options={
        "a": "So the output at step t can depend on every earlier input, with the same "
        "weights reused at each step.",
        "b": "To give the network more parameters for each additional time step.",
        "c": "Because each time step needs its own separate set of weights.",
        "d": "So that all time steps can be computed in parallel, at once.",
    },
    answer="a",
    explanations={
        "b": "Recurrence adds no parameters per step: the same W_hh is reused at every "
        "step, so a longer sequence costs no extra weights.",
        "c": "It is the other way round: the weights are shared across time. That sharing "
        "is what lets one RNN read sequences of any length.",
        "d": "Recurrence does the opposite: step t must wait for the state of step t-1, "
        "which is why RNNs run sequentially.",
    },
    hints=["Think about what h_{t-1} carries into step t, and which weights step t uses."],
    discussion="The hidden state is a running summary of the past; weight sharing lets "
    "the same cell process sequences of any length.",
)

# --- window_vs_state --------------------------------------------------------

window_vs_state = ReflectionExercise(
    name="window_vs_state",
    prompt=(
        "A dense network that sees only the last 5 time steps can also predict the next "
        "value. In one or two sentences: what can an RNN do that this window model cannot?"
    ),
    discussion=(
        "The window model forgets everything older than 5 steps and has a fixed input "
        "size. An RNN carries a hidden state forward, so in principle it can use "
        "information from any earlier step, and the same weights handle sequences of any "
        "length. Whether it learns to keep that information is another question: the "
        "vanishing-gradient lessons come back to it."
    ),
    min_length=30,
    hints=["What happens to step t-6 in the window model?"],
)

progress = progress_for(__name__)
