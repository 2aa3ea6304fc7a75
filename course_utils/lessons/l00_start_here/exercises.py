"""Exercises for notebook 00, "Start here": the shape of RNN inputs and a first RNN.

In the notebook::

    from course_utils.lessons.l00_start_here import exercises as ex

    ex.sequence_shape.check(shape_answer)          # a tuple
    ex.count_rnn_params.check(count_rnn_params)    # a function (input_size, hidden_size)
    ex.weights_over_time.check("a")                # an option label
    ex.memoryless_accuracy.check(accuracy_guess)   # a number (apply it: predict, then run)
    ex.window_vs_state.check(answer)               # a few sentences, graded on two ideas
    ex.progress()
"""

from __future__ import annotations

from course_utils.exercises.core import progress_for
from course_utils.exercises.feedback import Mistake
from course_utils.exercises.function_kind import FunctionExercise
from course_utils.exercises.ideas import GradedTextExercise, Reading
from course_utils.exercises.kinds import ChoiceExercise, ValueExercise

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
    solution="shape_answer = (32, 50, 100)  # (batch, time, features)",
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
        "Each weight matrix has one entry per pair of units it connects; the bias has one "
        "entry per hidden unit. Multiply, then add the three.",
    ],
    discussion="Compare with `model.summary()`: Keras counts the same three tensors.",
)

# --- weights_over_time -----------------------------------------------------

weights_over_time = ChoiceExercise(
    name="weights_over_time",
    prompt=(
        "The SimpleRNN above has 8 units and reads sequences of 20 steps. You now feed the "
        "same layer sequences of 200 steps. How many trainable parameters does it have?"
    ),
    options={
        "a": "The same number as before: every step reuses the same W_xh, W_hh and b_h.",
        "b": "Ten times as many: one set of weights per step, and there are ten times more steps.",
        "c": "The same kernels, plus one extra bias per added step.",
        "d": "It depends on the batch size, which sets how many states are kept.",
    },
    answer="a",
    explanations={
        "b": "A recurrent layer has no weights per step: step t uses the very W_xh, W_hh "
        "and b_h that step 1 used. Look at the formula behind the count printed above: "
        "the sequence length appears nowhere in it.",
        "c": "No parameter is tied to a step, not even a bias. The bias b_h is one number "
        "per hidden unit, added at every step.",
        "d": "The batch size sets how many sequences (and states) are processed at once; "
        "states are computed, not trained, so they are not parameters.",
    },
    hints=[
        "Which of the three tensors you counted in count_rnn_params depends on the length?",
        "Write the count for length 20 and for length 200 side by side: what changed?",
    ],
    discussion="Sharing the weights across time is what lets one RNN read sequences of any "
    "length, and it is also why its state has to carry everything the past contributes.",
)

# --- memoryless_accuracy (apply it: predict, then run) --------------------------

memoryless_accuracy = ValueExercise(
    name="memoryless_accuracy",
    prompt=(
        "Predict, then run. The Dense model is trained again on a delayed echo with delay "
        "10 (length 20): the target at step t is the input bit from 10 steps earlier, and 0 "
        "for the first 10 steps. What is the best test accuracy a model without memory can "
        "reach? Answer with a fraction between 0 and 1, e.g. 0.6."
    ),
    solution="accuracy_guess = (10 + 0.5 * 10) / 20  # = 0.75: always answer 0",
    answer=0.75,
    atol=0.01,
    rtol=0.0,
    mistakes=[
        Mistake(
            0.5,
            "That is guessing at every step. Without memory the model cannot know the old "
            "bit, but it can learn which answer is right more often: how many of the 20 "
            "targets are always 0?",
        ),
        Mistake(
            0.575,
            "That is the figure for delay 3 (3 zeros, 17 random bits). With delay 10 there "
            "are 10 zeros and 10 random bits.",
        ),
        Mistake(
            0.25,
            "You counted how often the target is 1. A model that always answers 0 is right "
            "whenever the target is 0: at 10 steps for sure and at half of the other 10.",
        ),
        Mistake.when(
            lambda answer: 1 < float(answer) <= 100,
            "Give a fraction between 0 and 1 (0.6 for 60 %), not a percentage.",
            example=75,
        ),
    ],
    hints=[
        "The model sees only the current bit, which says nothing about the target at "
        "steps 10-19. What is its best single answer?",
        "Count the targets that are 0 for sure, then add half of the random ones.",
    ],
    discussion="Always answering 0 is right at the 10 fixed steps and at half of the 10 "
    "random ones: (10 + 5) / 20. The cell below trains the Dense model on delay 10 to check.",
)

# --- window_vs_state --------------------------------------------------------

#: Whom an answer speaks of: the RNN, or the window model it is set against.
_WINDOW_READING = Reading(
    subject=["rnn", "recurrent"],
    contrast=["window model", "window network", "dense", "feed-forward", "feedforward", "mlp",
              "window"],
)  # fmt: skip
_STATE = (
    "state", "memor", "remember", "carr", "feed back", "feeds back", "fed back",
    "feeds its", "recurren", "summar", "vector", "so far", "everything it has seen",
    "keeps track", "keep track", "history", "accumulat", "context",
)  # fmt: skip
_REACH = (
    "older", "earlier", "before", "6", "six", "any", "all", "whole", "beyond", "past",
    "length", "long ago", "long before", "long-term", "long term", "long-range", "long range",
    "far back", "further back", "far in the past", "arbitrar", "everything", "start of",
    "beginning", "more than 5", "more than five", "unlimited", "unbounded", "ago", "entire",
    "longer than", "longer dependenc", "longer-range", "throughout", "history",
)  # fmt: skip
#: What the window model does NOT have: an answer granting it to the window model is wrong.
_CONTRAST_REACH = (
    "older", "earlier", "long ago", "any", "all", "whole", "entire", "beyond", "far back",
    "further back", "arbitrar", "everything", "history", "unlimited",
)  # fmt: skip
#: The contrary of reaching back: "it is not limited to 5 steps" affirms the reach.
_LIMITED = (
    "limited to", "restricted to", "bound to", "confined to", "stuck with", "only the last",
    "only uses the last", "only sees the last", "only see the last", "only use the last",
)  # fmt: skip

window_vs_state = GradedTextExercise(
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
    mistakes=[
        _WINDOW_READING.restates(
            [["window"], ["more", "longer", "bigger", "larger"]],
            "A window model cannot be fixed by only making it longer: any window, however "
            "large, still forgets what lies before it. Say what the RNN keeps instead.",
            unless=["state", "memory", "remember", "carr"],
            example="The RNN is just a window model with a longer, bigger window.",
        ),
        Mistake.when(
            lambda text: _WINDOW_READING.contrast_claims(text, _CONTRAST_REACH),
            "Your answer says the window model can use older steps too. It cannot: it sees "
            "only the last 5 steps, and anything before them is gone for it. Say what the RNN "
            "can use that it cannot.",
            example="The RNN can use earlier steps; but the window model can use older steps too.",
        ),
        _WINDOW_READING.denies(
            _STATE,
            "Your answer says the RNN does *not* carry a state (a memory) from one step to the "
            "next. It does: that is what makes it recurrent. Say what it carries forward, and "
            "which steps that lets it use.",
            example="The RNN does not keep a hidden state, so it cannot use any earlier step.",
        ),
        _WINDOW_READING.denies(
            _REACH,
            "Your answer says the RNN can *not* use steps older than the window. Look again at "
            "what its state carries forward: which steps can it still use that the window "
            "model cannot?",
            example="The RNN carries a hidden state, but it cannot use anything older than "
            "the last 5 steps.",
            opposite=_LIMITED,
        ),
        _WINDOW_READING.missing(
            _STATE,
            "Name what the RNN has that the window model lacks: what does it pass from one "
            "step to the next?",
            example="I think the answer depends on many things and on what the data are like.",
        ),
        _WINDOW_READING.missing(
            _REACH,
            "Say what that state makes possible: which steps can the RNN still use that the "
            "window model cannot?",
            example="The RNN has a hidden state that it updates at every step.",
            opposite=_LIMITED,
        ),
    ],
    hints=[
        "What happens to step t-6 in the window model?",
        "Two ideas are needed: what the RNN carries from step to step, and which part of "
        "the past that lets it reach.",
    ],
)

progress = progress_for(__name__)
