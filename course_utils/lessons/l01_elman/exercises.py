"""Exercises for notebook 01, "Elman networks": one step of the recurrence, and Elman's experiments.

In the notebook::

    from course_utils.lessons.l01_elman import exercises as ex

    ex.elman_forward.check(elman_forward)            # a function (x, h0, W_xh, W_hh, b_h)
    ex.elman_backward.check(elman_backward)          # BPTT: (x, h0, W_xh, W_hh, b_h, d_states)
    ex.error_by_position.check(error_by_position)    # a function (errors, period)
    ex.stream_error.check(error_guess)               # a number (apply it: predict, then run)
    ex.consonant_error.check("b")                    # an option label
    ex.hidden_clusters.check(answer)                 # a few sentences, graded on two ideas
    ex.progress()

It is longer than the course's 300-line guide because it declares one exercise per
section of a long lesson, each with the typical mistakes it names; the gradients that
``elman_backward`` is checked against are computed in :mod:`.bptt`.
"""

from __future__ import annotations

import re

import numpy as np

from course_utils.exercises.core import progress_for
from course_utils.exercises.feedback import Mistake
from course_utils.exercises.function_kind import FunctionExercise
from course_utils.exercises.ideas import GradedTextExercise, Reading
from course_utils.exercises.kinds import ChoiceExercise, ValueExercise
from course_utils.lessons.l01_elman import bptt

# --- elman_forward -------------------------------------------------------------


def _elman_forward(x, h0, W_xh, W_hh, b_h):
    states = []
    h = h0  # (batch, hidden): the context units before the first step
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ W_xh + h @ W_hh + b_h)  # (batch, hidden)
        states.append(h)
    return np.stack(states, axis=1)  # (batch, time, hidden)


def _forward_case(rng):
    # Four different sizes, so that a transposed or time-major answer has the wrong shape
    # (batch = time would hide it); at least 2 units, so that a transposed W_hh shows.
    batch, steps, inputs, hidden = (int(n) for n in rng.permutation([2, 3, 4, 5]))
    time = steps - 1  # x has time + 1 steps
    return {
        "x": rng.normal(size=(batch, time + 1, inputs)),
        "h0": rng.uniform(-1, 1, (batch, hidden)),
        "W_xh": rng.normal(0, 0.7, size=(inputs, hidden)),
        "W_hh": rng.normal(0, 0.7, size=(hidden, hidden)),
        "b_h": rng.normal(0, 0.5, size=hidden),
    }


def _state_never_updated(x, h0, W_xh, W_hh, b_h):
    return np.stack([np.tanh(x[:, t] @ W_xh + h0 @ W_hh + b_h) for t in range(x.shape[1])], 1)


def _last_state_only(x, h0, W_xh, W_hh, b_h):
    return _elman_forward(x, h0, W_xh, W_hh, b_h)[:, -1]


def _includes_h0(x, h0, W_xh, W_hh, b_h):
    states = _elman_forward(x, h0, W_xh, W_hh, b_h)
    return np.concatenate([h0[:, None], states[:, :-1]], axis=1)


def _transposed_recurrence(x, h0, W_xh, W_hh, b_h):
    return _elman_forward(x, h0, W_xh, W_hh.T, b_h)


def _time_major(x, h0, W_xh, W_hh, b_h):
    return _elman_forward(x, h0, W_xh, W_hh, b_h).transpose(1, 0, 2)  # (time, batch, hidden)


elman_forward = FunctionExercise(
    name="elman_forward",
    prompt=(
        "Write elman_forward(x, h0, W_xh, W_hh, b_h): run the Elman recurrence over a whole "
        "batch of sequences and return every hidden state, shape (batch, time, hidden_size). "
        "x is (batch, time, input_size); h0 (batch, hidden_size) is the state before the "
        "first step; the weights are shaped as in the equation above (row vectors)."
    ),
    reference=_elman_forward,
    cases=_forward_case,
    n_cases=8,
    mistakes=[
        Mistake(
            _state_never_updated,
            "Every step reads h0: the state is never carried forward. Each step must read "
            "the state that the step before it produced.",
        ),
        Mistake(
            _last_state_only,
            "You return only the last state, (batch, hidden_size). Return the state after "
            "every step, stacked along a time axis: (batch, time, hidden_size).",
        ),
        Mistake(
            _includes_h0,
            "Your states are shifted by one step: the first one you return is h0. Return "
            "the state after reading x[:, 0] first, and stop after reading the last input.",
        ),
        Mistake(
            _time_major,
            "Your states are time-major, (time, batch, hidden_size): you stacked them along "
            "axis 0. Keras, and this course, put the batch first: stack along axis=1 to get "
            "(batch, time, hidden_size).",
        ),
        Mistake(
            _transposed_recurrence,
            "W_hh is transposed. The course uses row vectors, like Keras: the previous "
            "state multiplies W_hh from the left, (batch, hidden) @ (hidden, hidden).",
        ),
    ],
    hints=[
        "Keep one variable for the current state, start it at h0, and update it once per "
        "time step; collect what it holds after each step.",
        "A step reads x[:, t] (batch, input_size) and the state of the step before. "
        "np.stack(list, axis=1) puts a list of (batch, hidden) arrays on a time axis.",
    ],
    discussion=(
        "This loop is the whole forward pass of an Elman network. "
        "`course_utils.numpy_rnn.Elman.forward` is the same loop, and it also keeps what "
        "the backward pass (BPTT) will need."
    ),
)

# --- elman_backward (backpropagation through time) -------------------------------

_BACKWARD_SOLUTION = """\
def elman_backward(x, h0, W_xh, W_hh, b_h, d_states):
    h = [h0]  # the forward pass, given: h[t] is the state after step t, (batch, hidden)
    for t in range(1, x.shape[1] + 1):
        h.append(np.tanh(x[:, t - 1] @ W_xh + h[t - 1] @ W_hh + b_h))  # (batch, hidden)
    dW_xh, dW_hh, db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(b_h)
    dh_next = np.zeros_like(h0)  # (batch, hidden): nothing comes back into the last state
    for t in range(x.shape[1], 0, -1):  # t = T, ..., 1
        dh = d_states[:, t - 1] + dh_next  # (batch, hidden): from y_t + from step t + 1
        da = dh * (1 - h[t] ** 2)  # (batch, hidden): through tanh
        dW_xh += x[:, t - 1].T @ da  # (input, hidden): this step's share, summed over time
        dW_hh += h[t - 1].T @ da  # (hidden, hidden)
        db_h += da.sum(axis=0)  # (hidden,): summed over the batch too
        dh_next = da @ W_hh.T  # (batch, hidden): dL/dh_{t-1}, into the step before
    return dW_xh, dW_hh, db_h, dh_next
"""

#: The typical mistakes, as flags of one loop (each is also written out as a learner would
#: write it in tests/test_bptt_by_hand.py, which checks that it gets the same message).
_BUGS = (
    "no tanh derivative",
    "overwritten",
    "last step only",
    "no recurrent path",
    "W_hh not transposed",
    "dW_xh transposed",
    "dW_hh transposed",
    "both transposed",
    "dh0 is dL/dh_1",
    "dh0 is delta_1",
    "h_t in dW_hh",
    "tanh' from h_{t-1}",
    "db_h averaged",
)


def _backward_with(bug):
    """The BPTT loop of the solution with the mistake ``bug`` (one of ``_BUGS``) made."""

    def backward(x, h0, W_xh, W_hh, b_h, d_states):
        T = x.shape[1]
        h = [h0]  # h[t]: the state after step t, (batch, hidden)
        for t in range(1, T + 1):
            h.append(np.tanh(x[:, t - 1] @ W_xh + h[t - 1] @ W_hh + b_h))  # (batch, hidden)
        grads = {"W_xh": 0.0, "W_hh": 0.0, "b_h": 0.0}
        dh_next = np.zeros_like(h0)  # (batch, hidden)
        for t in range(T, 0, -1):
            dh = d_states[:, t - 1] + (0.0 if bug == "no recurrent path" else dh_next)
            h_tanh = h[t - 1] if bug == "tanh' from h_{t-1}" else h[t]  # (batch, hidden)
            da = dh if bug == "no tanh derivative" else dh * (1 - h_tanh**2)  # (batch, hidden)
            x_t, h_prev = x[:, t - 1], h[t - 1]  # (batch, input), (batch, hidden)
            h_share = h[t] if bug == "h_t in dW_hh" else h_prev  # (batch, hidden)
            b_share = da.mean(axis=0) if bug == "db_h averaged" else da.sum(axis=0)  # (hidden,)
            step = {"W_xh": x_t.T @ da, "W_hh": h_share.T @ da, "b_h": b_share}
            if bug in ("dW_xh transposed", "both transposed"):
                step["W_xh"] = da.T @ x_t  # (hidden, input): the wrong order
            if bug in ("dW_hh transposed", "both transposed"):
                step["W_hh"] = da.T @ h_prev  # (hidden, hidden), transposed
            for key in grads:
                if bug == "overwritten":  # `=` for `+=`: step 1, the last one visited, wins
                    grads[key] = step[key]
                elif bug == "last step only":
                    grads[key] = step[key] if t == T else grads[key]
                else:
                    grads[key] = grads[key] + step[key]
            dh_next = da @ (W_hh if bug == "W_hh not transposed" else W_hh.T)  # (batch, hidden)
        dh0 = {"dh0 is dL/dh_1": dh, "dh0 is delta_1": da}.get(bug, dh_next)  # (batch, hidden)
        return grads["W_xh"], grads["W_hh"], grads["b_h"], dh0

    backward.__name__ = "backward_" + re.sub(r"\W+", "_", bug).strip("_")
    return backward


def _backward_case(rng):
    # Four different sizes (batch, time, inputs, hidden), so that a transposed product or
    # a forgotten sum over the batch has the wrong shape, and at least 2 steps and units.
    batch, time, inputs, hidden = (int(n) for n in rng.permutation([2, 3, 4, 5]))
    return {
        "x": rng.normal(size=(batch, time, inputs)),
        "h0": rng.uniform(-1, 1, (batch, hidden)),
        "W_xh": rng.normal(0, 0.5, size=(inputs, hidden)),
        "W_hh": rng.normal(0, 0.5, size=(hidden, hidden)),
        "b_h": rng.normal(0, 0.3, size=hidden),
        "d_states": rng.normal(size=(batch, time, hidden)),
    }


_TRANSPOSED_PRODUCT = (
    "A weight's gradient has the weight's shape, and its layer input goes on the left, "
    "transposed: x_t.T @ da is (input, batch) @ (batch, hidden) = (input, hidden), like W_xh; "
    "h_{t-1}.T @ da likewise for W_hh. The batch is summed inside that product."
)

elman_backward = FunctionExercise(
    name="elman_backward",
    prompt=(
        "Write elman_backward(x, h0, W_xh, W_hh, b_h, d_states): backpropagation through time "
        "for a batch of sequences. The stub runs the forward pass for you (h[t] is the state "
        "after step t, h[0] = h0). d_states, (batch, time, hidden_size), holds the gradient "
        "that reaches each state from the output layer at its own step. Return the tuple "
        "(dW_xh, dW_hh, db_h, dh0): the gradient of each weight, summed over every step, and "
        "the gradient that reaches h0. The check compares them with tf.GradientTape's, "
        "themselves checked against a finite-difference gradient."
    ),
    reference=bptt.checked_gradients,
    cases=_backward_case,
    n_cases=8,
    output_names=bptt.GRADIENT_NAMES,
    solution=_BACKWARD_SOLUTION,
    mistakes=[
        Mistake(
            _backward_with("no tanh derivative"),
            "The tanh derivative is missing. Between dL/dh_t and the weights the gradient "
            "passes through h_t = tanh(a_t), so multiply it elementwise by tanh'(a_t) = "
            "1 - h_t**2 (written with the state itself) before anything else.",
        ),
        Mistake(
            _backward_with("overwritten"),
            "Your weight gradients hold only the contribution of step 1, the last step your "
            "loop visits: each step overwrote them. The same W_xh, W_hh and b_h serve every "
            "step, so their gradient is the sum over time of every step's contribution: "
            "start from zeros and add (+=) at each step.",
        ),
        Mistake(
            _backward_with("last step only"),
            "Your weight gradients hold only the contribution of the last step, T. The same "
            "W_xh, W_hh and b_h serve every step, so their gradient is the sum over time of "
            "every step's contribution: add each step's share as the loop walks back.",
        ),
        Mistake(
            _backward_with("no recurrent path"),
            "dh_t only holds the gradient from the output at step t: the gradient coming back "
            "from h_{t+1} through W_hh is missing. That is training through one step, not "
            "through time: add the gradient passed back from step t + 1.",
        ),
        Mistake(
            _backward_with("W_hh not transposed"),
            "W_hh is not transposed where the gradient goes back to h_{t-1}. The forward step "
            "computes h_{t-1} @ W_hh, so the gradient of h_{t-1} is da @ W_hh.T. (W_hh is "
            "square, so the shape cannot tell you: only the values show it.)",
        ),
        Mistake(_backward_with("dW_xh transposed"), "dW_xh is transposed. " + _TRANSPOSED_PRODUCT),
        Mistake(
            _backward_with("dW_hh transposed"),
            "dW_hh is transposed (it is square, so its shape does not show it). "
            + _TRANSPOSED_PRODUCT,
        ),
        Mistake(
            _backward_with("both transposed"),
            "dW_xh and dW_hh are both transposed. " + _TRANSPOSED_PRODUCT,
        ),
        Mistake(
            _backward_with("dh0 is dL/dh_1"),
            "Your dh0 is dL/dh_1, the gradient reaching the first state, not h0. h0 is one "
            "step further back: after step 1, pass the gradient through tanh (delta_1) and "
            "back through the recurrent weight, dh0 = delta_1 @ W_hh.T.",
        ),
        Mistake(
            _backward_with("dh0 is delta_1"),
            "Your dh0 is delta_1 = dL/da_1, the gradient at step 1's pre-activation, not at "
            "h0. h0 enters step 1 through h0 @ W_hh, so send delta_1 back through the "
            "transposed weight: dh0 = delta_1 @ W_hh.T (the same line as for every h_{t-1}).",
        ),
        Mistake(
            _backward_with("h_t in dW_hh"),
            "dW_hh uses h_t where h_{t-1} belongs. W_hh multiplies the state that step t "
            "reads, h_{t-1} (h[t - 1]; h0 at step 1), so step t's share is "
            "h[t - 1].T @ delta_t.",
        ),
        Mistake(
            _backward_with("tanh' from h_{t-1}"),
            "tanh' is taken from h_{t-1}: step t's tanh produced h_t, so its derivative is "
            "1 - h_t**2 with the state after the step, h[t], not the state it read.",
        ),
        Mistake(
            _backward_with("db_h averaged"),
            "db_h is averaged over the batch where it should be summed. The loss adds the "
            "sequences of the batch (d_states already carries any 1/batch), so the bias "
            "gradient sums delta_t over the batch, as x_t.T @ delta_t does for W_xh: use "
            ".sum(axis=0), not .mean(axis=0).",
        ),
    ],
    hints=[
        "Walk the steps backwards, from the last to the first, and carry one array from step "
        "to step: the gradient that step t + 1 sends back to h_t (zero after the last step).",
        "At step t: the gradient reaching h_t is the sum of two paths (its output, and step "
        "t + 1); multiply it by tanh's derivative 1 - h_t**2; add this step's share to each "
        "weight's gradient; send the result back to h_{t-1} through the transposed W_hh.",
        "Let the shapes guide you: each gradient has the shape of its weight, and the layer's "
        "input stands on the left of the product, transposed.",
    ],
    discussion=(
        "That loop is backpropagation through time. `Elman.backward` in "
        "`course_utils.numpy_rnn` is the same loop: it keeps dL/da of every step, then forms "
        "dW_xh and dW_hh with one matrix product each, which sums over time and batch at once."
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
        "First give every step the position of its target in the pattern.",
        "Step t predicts element t + 1, so its position is (t + 1) modulo period; then "
        "average the errors of all steps that share a position.",
    ],
)

# --- stream_error (apply it: predict, then run) ----------------------------------

stream_error = ValueExercise(
    name="stream_error",
    prompt=(
        "Predict, then run. A new stream is made of quadruplets: three random bits a, b, c, "
        "then the parity a XOR b XOR c. A network that predicts as well as possible outputs "
        "the probability that the next bit is 1. What squared error does it make, averaged "
        "over all four positions? Answer with a number, e.g. 0.1."
    ),
    solution="error_guess = (3 * 0.25 + 0) / 4  # = 3/16: three random bits, one determined",
    answer=3 / 16,
    atol=0.005,
    rtol=0.0,
    mistakes=[
        Mistake(
            1 / 6,
            "That is the triplet stream of this lesson, where one bit in three is "
            "predictable. Here one bit in four is.",
        ),
        Mistake(
            0.25,
            "That is guessing 0.5 at every position. The fourth bit is fixed by the three "
            "before it, so the best predictor makes no error there.",
        ),
        Mistake(
            1 / 16,
            "You counted one unpredictable bit and three predictable ones. It is the other "
            "way round: a, b and c are random, only the parity is determined.",
        ),
        Mistake(
            0.5,
            "Guessing 0.5 for a random bit makes an error of (0.5)^2 = 0.25, not 0.5: "
            "the squared error is the square of the distance to the target.",
        ),
    ],
    hints=[
        "Take the four positions one by one: which can be predicted from the bits before it?",
        "A random bit is best predicted by 0.5, with squared error 0.25 whatever the bit; a "
        "determined bit can be predicted exactly. Then average over the four positions.",
    ],
    discussion="Three random positions at 0.25 and one at 0: (3 x 0.25 + 0) / 4 = 3/16. "
    "The next cells train a network and score it on a fresh stream; 3/16 is the lowest "
    "error it can reach in expectation (on a finite stream, chance can put it a little "
    "below); their check (one network: an observation, not a verdict) "
    "says whether it learnt the parity bit, which needs one bit of memory, the running "
    "XOR of the group so far, and the position in the group.",
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

#: The trained network's hidden states, as against an untrained network's.
_CLUSTER_READING = Reading(
    contrast=["untrained", "random weights", "before training"], denials_win=True
)
_SOURCE = (
    "order", "follow", "next", "predict", "context", "sequence", "position", "neighbo",
    "around", "after", "precede", "before it", "distribution", "co-occur", "occur", "surround",
    "comes after", "come after", "what comes", "successor", "place in the sentence",
)  # fmt: skip
_TOGETHER = (
    "similar", "same", "together", "group", "cluster", "close", "alike", "branch", "near",
    "separate", "split",
)  # fmt: skip

hidden_clusters = GradedTextExercise(
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
    mistakes=[
        _CLUSTER_READING.restates(
            [["told", "label", "tagged", "given"]],
            "The network is never given word classes, labels or tags: it sees one-hot words "
            "and the next word. Say where the information could come from in that stream.",
            unless=_SOURCE,
            example="The network was given the word classes as labels during training.",
        ),
        _CLUSTER_READING.denies(
            _SOURCE,
            "Your answer says the information does *not* come from the order of the words. It "
            "can come from nowhere else: the network sees only which word follows which.",
            example="The information cannot come from the order of the words.",
        ),
        _CLUSTER_READING.denies(
            _TOGETHER,
            "Your answer says the dendrogram does *not* group words together. Look again: which "
            "words end up close to each other, and why are their hidden states alike?",
            example="It comes from the word order, but the hidden states of nouns are not "
            "similar at all.",
        ),
        _CLUSTER_READING.missing(
            _SOURCE,
            "Where could the information come from? Think of what the network sees: which "
            "words come after which.",
            example="I think the answer depends on many things and on what the data are like.",
        ),
        _CLUSTER_READING.missing(
            _TOGETHER,
            "Now the second part: what ends up together in the dendrogram, and why?",
            example="The information comes from the order in which the words appear.",
        ),
    ],
    hints=[
        "What, besides the word itself, does the hidden state after a word have to encode?",
        "Two ideas are needed: what the network can learn from, and which words that makes "
        "look alike to it.",
    ],
)

progress = progress_for(__name__)
