"""Exercises for notebook 01, "Elman networks": one step of the recurrence, and Elman's experiments.

In the notebook::

    from course_utils.exercises import lesson01 as ex

    ex.elman_step.check(elman_step)                  # a function (x_t, h_prev, W_xh, W_hh, b_h)
    ex.error_by_position.check(error_by_position)    # a function (errors, period)
    ex.consonant_error.check("b")                    # an option label
    ex.hidden_clusters.check(answer)                 # a few sentences
    ex.progress()
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises.core import Mistake, progress_for
from course_utils.exercises.kinds import ChoiceExercise, FunctionExercise, ReflectionExercise

# --- elman_step -------------------------------------------------------------


def _elman_step(x_t, h_prev, W_xh, W_hh, b_h):
    a_t = x_t @ W_xh + h_prev @ W_hh + b_h  # (batch, hidden): pre-activation
    return np.tanh(a_t)  # (batch, hidden): the new hidden state h_t


def _step_case(rng, *, zero_state=False):
    batch, inputs, hidden = (int(n) for n in rng.integers(1, 5, size=3))
    hidden += 1  # at least 2 units, so that a transposed W_hh shows
    return {
        "x_t": rng.normal(size=(batch, inputs)),
        "h_prev": np.zeros((batch, hidden)) if zero_state else rng.uniform(-1, 1, (batch, hidden)),
        "W_xh": rng.normal(0, 0.7, size=(inputs, hidden)),
        "W_hh": rng.normal(0, 0.7, size=(hidden, hidden)),
        "b_h": rng.normal(0, 0.5, size=hidden),
    }


elman_step = FunctionExercise(
    name="elman_step",
    prompt=(
        "Write elman_step(x_t, h_prev, W_xh, W_hh, b_h) that returns the new hidden state "
        "h_t = tanh(x_t @ W_xh + h_prev @ W_hh + b_h). Shapes: x_t (batch, input_size), "
        "h_prev (batch, hidden_size), W_xh (input_size, hidden_size), W_hh (hidden_size, "
        "hidden_size), b_h (hidden_size,)."
    ),
    reference=_elman_step,
    cases=lambda rng: _step_case(rng),
    edge_cases=[_step_case(np.random.default_rng(1), zero_state=True)],
    n_cases=8,
    mistakes=[
        Mistake(
            lambda x_t, h_prev, W_xh, W_hh, b_h: x_t @ W_xh + h_prev @ W_hh + b_h,
            "You return the pre-activation: squash it with np.tanh. Without the "
            "non-linearity, stacking steps gives nothing a single linear map could not do.",
        ),
        Mistake(
            lambda x_t, h_prev, W_xh, W_hh, b_h: np.tanh(x_t @ W_xh + h_prev @ W_hh),
            "The bias b_h is missing: add it inside the tanh.",
        ),
        Mistake(
            lambda x_t, h_prev, W_xh, W_hh, b_h: np.tanh(x_t @ W_xh + h_prev @ W_hh.T + b_h),
            "W_hh is transposed. The course uses row vectors, like Keras: h_prev @ W_hh "
            "with W_hh of shape (hidden_size, hidden_size), rows indexed by h_prev.",
        ),
        Mistake(
            lambda x_t, h_prev, W_xh, W_hh, b_h: np.tanh(x_t @ W_xh + b_h),
            "h_prev is never used, so the network has no memory: add h_prev @ W_hh.",
        ),
    ],
    hints=[
        "Two matrix products, one for the input and one for the previous state, plus the bias.",
        "a_t = x_t @ W_xh + h_prev @ W_hh + b_h, then return np.tanh(a_t).",
    ],
    discussion=(
        "This line is the whole Elman network. `course_utils.numpy_rnn.Elman.step` computes "
        "the same thing, and `forward` loops it over time."
    ),
)

# --- error_by_position --------------------------------------------------------


def _error_by_position(errors, period):
    positions = (np.arange(len(errors)) + 1) % period  # the target of step t is element t + 1
    return np.array([errors[positions == p].mean() for p in range(period)])


def _position_case(rng):
    period = int(rng.integers(2, 5))
    return {"errors": rng.uniform(0, 1, size=int(rng.integers(3 * period, 40))), "period": period}


error_by_position = FunctionExercise(
    name="error_by_position",
    prompt=(
        "Write error_by_position(errors, period). errors[t] is the error of the prediction "
        "made at step t, whose target is element t + 1 of a stream that starts at the "
        "beginning of a pattern of length period. Return an array of length period: the "
        "mean error over all targets at position 0, 1, ..., period - 1 of the pattern."
    ),
    reference=_error_by_position,
    cases=_position_case,
    n_cases=10,
    mistakes=[
        Mistake(
            lambda errors, period: np.array(
                [errors[np.arange(len(errors)) % period == p].mean() for p in range(period)]
            ),
            "Off by one: step t predicts element t + 1, so its target sits at position "
            "(t + 1) % period, not t % period.",
        ),
        Mistake(
            lambda errors, period: np.array(
                [errors[(np.arange(len(errors)) + 1) % period == p].sum() for p in range(period)]
            ),
            "Those are sums; positions occur a different number of times, so take the mean.",
        ),
    ],
    hints=[
        "Make an array of positions with one entry per step: (t + 1) % period.",
        "positions = (np.arange(len(errors)) + 1) % period; then errors[positions == p].mean() for each p.",
    ],
)

# --- consonant_error ------------------------------------------------------------

consonant_error = ChoiceExercise(
    name="consonant_error",
    prompt="After training, why does the error stay high whenever the next letter is a consonant?",
    options={
        "a": "The network has not trained for long enough; more epochs would bring it down.",
        "b": "Which consonant comes next is drawn at random, so no network can know it; it "
        "can only know that some consonant is due.",
        "c": "Consonants have more active features than vowels, so their error is larger.",
        "d": "The hidden layer is too small to remember the consonant.",
    },
    answer="b",
    explanations={
        "a": "Training longer would not help: the per-feature errors show that what stays "
        "wrong is exactly what tells b, d and g apart. Look at how the stream is generated.",
        "c": "Every letter has its own code of six features, and the vowels are predicted "
        "almost perfectly; the number of active features is not the reason.",
        "d": "The vowels after each consonant show that the network does remember the "
        "consonant. The problem is the consonant after the vowels.",
    },
    hints=["How does letter_sequence choose each consonant?"],
    discussion="The per-feature error shows it: the features that every consonant shares "
    "are predicted, only the ones that tell b, d and g apart are not.",
)

# --- hidden_clusters -------------------------------------------------------------

hidden_clusters = ReflectionExercise(
    name="hidden_clusters",
    prompt=(
        "The network was never told which words are nouns and which are verbs. Where could "
        "that information come from, and what does the dendrogram group together?"
    ),
    discussion=(
        "Only from the order of the words. To predict the next word the network must know "
        "what may follow the current one, and words that may be followed by the same things "
        "end up with similar hidden states. In this grammar a verb is followed by a noun or "
        "by the start of a new sentence, a subject noun by a verb: so the hidden states "
        "sort words by what they predict. Words that break the noun/verb split are worth a "
        "look: a noun that only ever ends a sentence predicts the same as an intransitive "
        "verb. Comparing with the untrained network shows how much of the structure comes "
        "from training rather than from the recurrence alone."
    ),
    min_length=40,
    hints=["What, besides the word itself, does the hidden state after a word have to encode?"],
)

progress = progress_for(__name__)
