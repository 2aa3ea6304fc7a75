"""Exercises for notebook 02, "Jordan networks": output feedback and teacher forcing.

In the notebook::

    from course_utils.lessons.l02_jordan import exercises as ex

    ex.jordan_step.check(jordan_step)                      # a function -> (y_t, s_next)
    ex.teacher_forced_states.check(teacher_forced_states)  # a function (targets, mu)
    ex.state_unit_limit.check(limit_guess)                 # a number (apply it: predict, then run)
    ex.jordan_echo.check("c")                              # an option label
    ex.folklore_claim.check(answer)                        # a few sentences, graded on ideas
    ex.progress()
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises.core import progress_for
from course_utils.exercises.feedback import Mistake
from course_utils.exercises.function_kind import FunctionExercise
from course_utils.exercises.ideas import GradedTextExercise, Reading
from course_utils.exercises.kinds import ChoiceExercise, ValueExercise

# --- jordan_step ------------------------------------------------------------------


def _jordan_step(x_t, s_t, W_xh, W_sh, b_h, W_hy, b_y, mu):
    h_t = np.tanh(x_t @ W_xh + s_t @ W_sh + b_h)  # (batch, hidden): hidden units
    y_t = h_t @ W_hy + b_y  # (batch, output): linear output units
    s_next = mu * s_t + y_t  # (batch, output): state units keep mu of themselves
    return y_t, s_next


def _jordan_case(rng):
    batch, inputs, hidden, outputs = (int(n) for n in rng.integers(1, 5, size=4))
    return {
        "x_t": rng.normal(size=(batch, inputs)),
        "s_t": rng.normal(size=(batch, outputs)),
        "W_xh": rng.normal(0, 0.7, size=(inputs, hidden)),
        "W_sh": rng.normal(0, 0.7, size=(outputs, hidden)),
        "b_h": rng.normal(0, 0.5, size=hidden),
        "W_hy": rng.normal(0, 0.7, size=(hidden, outputs)),
        "b_y": rng.normal(0, 0.5, size=outputs),
        "mu": float(rng.uniform(0.1, 0.9)),
    }


def _no_decay(x_t, s_t, W_xh, W_sh, b_h, W_hy, b_y, mu):
    y_t = np.tanh(x_t @ W_xh + s_t @ W_sh + b_h) @ W_hy + b_y
    return y_t, y_t


def _mu_on_output(x_t, s_t, W_xh, W_sh, b_h, W_hy, b_y, mu):
    y_t = np.tanh(x_t @ W_xh + s_t @ W_sh + b_h) @ W_hy + b_y
    return y_t, s_t + mu * y_t


def _swapped_return(x_t, s_t, W_xh, W_sh, b_h, W_hy, b_y, mu):
    y_t, s_next = _jordan_step(x_t, s_t, W_xh, W_sh, b_h, W_hy, b_y, mu)
    return s_next, y_t


def _tanh_output(x_t, s_t, W_xh, W_sh, b_h, W_hy, b_y, mu):
    y_t = np.tanh(np.tanh(x_t @ W_xh + s_t @ W_sh + b_h) @ W_hy + b_y)
    return y_t, mu * s_t + y_t


jordan_step = FunctionExercise(
    name="jordan_step",
    prompt=(
        "Write jordan_step(x_t, s_t, W_xh, W_sh, b_h, W_hy, b_y, mu) returning the pair "
        "(y_t, s_next): hidden units h_t = tanh(x_t @ W_xh + s_t @ W_sh + b_h), linear "
        "outputs y_t = h_t @ W_hy + b_y, and the next state s_next = mu * s_t + y_t."
    ),
    reference=_jordan_step,
    cases=_jordan_case,
    n_cases=8,
    mistakes=[
        Mistake(
            _no_decay,
            "s_next forgets the old state: the state units keep mu times "
            "their own value, s_next = mu * s_t + y_t.",
        ),
        Mistake(
            _swapped_return,
            "You returned (s_next, y_t); the exercise expects (y_t, s_next): the output "
            "first, then the next state.",
        ),
        Mistake(
            _mu_on_output,
            "mu multiplies the wrong term: it is the decay of the old state, "
            "s_next = mu * s_t + y_t, while the new output enters in full.",
        ),
        Mistake(
            _tanh_output,
            "The output units are linear here (the default of "
            "numpy_rnn.Jordan): y_t = h_t @ W_hy + b_y, without tanh.",
        ),
    ],
    hints=[
        "Three quantities, in order: the hidden units, the outputs, the next state.",
        "The hidden units read the input and the state units; the outputs are a linear map "
        "of the hidden units; the state keeps mu of itself and adds the new output.",
    ],
    discussion="Compare with Elman's step: the loop now runs through y_t, which training "
    "pins to the targets, instead of through h_t, which training leaves free.",
)

# --- teacher_forced_states --------------------------------------------------------


def _teacher_forced_states(targets, mu):
    states = np.zeros(len(targets))
    for t in range(1, len(targets)):
        states[t] = mu * states[t - 1] + targets[t - 1]  # step t sees targets up to t - 1
    return states


def _states_case(rng):
    return {
        "targets": rng.integers(0, 2, size=int(rng.integers(3, 15))).astype(float),
        "mu": float(rng.uniform(0.2, 0.9)),
    }


def _includes_current(targets, mu):
    states, s = np.zeros(len(targets)), 0.0
    for t, target in enumerate(targets):
        s = mu * s + target
        states[t] = s
    return states


def _no_decay_states(targets, mu):
    return np.concatenate([[0.0], targets[:-1]])


teacher_forced_states = FunctionExercise(
    name="teacher_forced_states",
    prompt=(
        "Write teacher_forced_states(targets, mu) for one sequence: targets has shape "
        "(time,). Return the state s_t that step t reads under teacher forcing, for every t: "
        "s_0 = 0 and s_t = mu * s_{t-1} + targets[t-1]."
    ),
    reference=_teacher_forced_states,
    cases=_states_case,
    edge_cases=[{"targets": np.array([1.0, 0.0, 1.0, 1.0]), "mu": 0.5}],
    n_cases=8,
    mistakes=[
        Mistake(
            _includes_current,
            "Step t would then see its own target: s_t may only hold "
            "targets up to t - 1, so s_0 = 0.",
        ),
        Mistake(
            _no_decay_states,
            "That is teacher forcing with mu = 0: only the last target "
            "survives. Keep mu times the previous state as well.",
        ),
    ],
    hints=[
        "Step t may only see targets before t, so the first state is 0.",
        "Fill the states one after the other: each one keeps mu of the state before it and "
        "adds the target of the step before.",
    ],
    discussion="No weight appears in this computation: under teacher forcing the states are "
    "data, which is why training needs no backpropagation through time.",
)

# --- state_unit_limit (apply it: predict, then run) -----------------------------

state_unit_limit = ValueExercise(
    name="state_unit_limit",
    prompt=(
        "Predict, then run. A Jordan network with mu = 0.8 outputs 1 at every step, for a "
        "long time, starting from s_0 = 0. What value do its state units settle at? Answer "
        "with a number, e.g. 2.5."
    ),
    solution="limit_guess = 1 / (1 - 0.8)  # = 5: solve s = 0.8 * s + 1",
    answer=5.0,
    atol=0.05,
    rtol=0.0,
    mistakes=[
        Mistake(
            1.0,
            "That is the state with mu = 0, where only the last output survives. With mu = "
            "0.8 the state also keeps 0.8 of everything it held before.",
        ),
        Mistake(
            1.8,
            "You added two terms, 1 + 0.8. The state keeps adding: 1 + 0.8 + 0.8^2 + ... "
            "Where does that sum stop growing?",
        ),
        Mistake(
            0.8,
            "mu is the fraction the state keeps of itself, not the state. The new output "
            "is added at every step on top of it.",
        ),
        Mistake.when(
            lambda answer: float(answer) > 1e6,
            "The state does not grow without bound: each step it keeps only 0.8 of itself, "
            "so the sum 1 + 0.8 + 0.8^2 + ... converges.",
            example=float("inf"),
        ),
    ],
    hints=[
        "Write the first few states: s_1 = 1, s_2 = 0.8 * 1 + 1, ...",
        "At the limit the state no longer changes from one step to the next. Write that "
        "as an equation in s and solve it.",
    ],
    discussion="s = mu * s + 1 gives s = 1 / (1 - mu) = 5: a decaying trace grows until "
    "what it loses each step (0.2 s) equals what it gains (1). The larger mu, the longer "
    "the memory and the larger the state.",
)

# --- jordan_echo --------------------------------------------------------------------

jordan_echo = ChoiceExercise(
    name="jordan_echo",
    prompt=(
        "Delayed echo with delay 2: the target at step t is the input bit x_{t-2}. A Jordan "
        "network (mu = 0) feeds back its own previous output. Can it solve the task?"
    ),
    options={
        "a": "Yes: its state units remember the past, which is all the task needs.",
        "b": "Yes, but only if it is trained with teacher forcing.",
        "c": "No: while its outputs equal their targets, its only memory is its previous "
        "output, the bit x_{t-3}; the bit it needs now, x_{t-2}, could reach its state only "
        "through small deviations of its outputs from their targets.",
        "d": "No: a Jordan network cannot be trained with gradient descent.",
    },
    answer="c",
    explanations={
        "a": "The state units remember only what the outputs showed. Write down what "
        "y_{t-1} is once the network is trained.",
        "b": "Teacher forcing feeds back the previous target, x_{t-3}: still not the bit "
        "the network needs now.",
        "d": "It trains fine with backpropagation through time (this notebook does it); the "
        "problem is what its memory can hold.",
    },
    hints=["Once trained, y_{t-1} equals the target at t-1. Which input bit is that?"],
    discussion="A Jordan network remembers the past only through what it has already said. "
    "An Elman network can keep in its hidden state whatever it needs.",
)

# --- folklore_claim ------------------------------------------------------------------

#: Answers about the Jordan network, as against the Elman network.
_JORDAN_READING = Reading(subject=["jordan"], contrast=["elman"])
_OUTPUTS = (
    "output", "target", "visible", "show", "reveal", "appear", "predict", "what it said",
    "what it has said", "emits", "emitted",
)  # fmt: skip

folklore_claim = GradedTextExercise(
    name="folklore_claim",
    prompt=(
        "The course's source article says that Elman networks suit fine-grained temporal "
        "dependencies and Jordan networks suit tasks that need a summarised "
        "representation. Rewrite the claim in one or two sentences so that it matches "
        "the table you measured."
    ),
    discussion=(
        "What decides is where the memory must live. A Jordan network remembers only "
        "what its outputs have shown, so it does well when the past the task needs is "
        "visible in the targets (running parity) and fails when it is not (temporal XOR), "
        "however fine or coarse the dependency. An Elman network can store anything in "
        "its hidden state, so it can solve both tasks; whether it did here, and whether "
        "either learns parity faster, is what your table and the parity verdicts say. Check "
        "each part of this against the numbers printed there."
    ),
    min_length=40,
    mistakes=[
        _JORDAN_READING.restates(
            [["fine", "detail", "short"], ["summar"]],
            "That restates the article's claim. The table shows that the grain of the "
            "dependency is not what decides: rewrite it around where the needed past must be "
            "kept, and whether the outputs show it.",
            unless=_OUTPUTS,
            example="Elman networks are best for fine-grained temporal dependencies and "
            "Jordan networks for a summarised representation.",
        ),
        _JORDAN_READING.denies(
            _OUTPUTS,
            "Your answer says a Jordan network's memory does *not* depend on what its outputs "
            "show. It does: its state is built from its own past outputs. Say when that is "
            "enough for a task and when it is not.",
            example="What the outputs of a Jordan network show does not matter.",
        ),
        _JORDAN_READING.missing(
            _OUTPUTS,
            "Say what decides whether a Jordan network can remember what a task needs: "
            "where does its memory come from?",
            example="I think the answer depends on many things and on what the data are like.",
        ),
        _JORDAN_READING.missing(
            ["parity", "xor", "echo", "task", "when", "if", "whether", "unless", "where"],
            "Now say when each network suits a task: name the condition, or the tasks you "
            "measured (parity, temporal XOR).",
            example="A Jordan network can only remember what its outputs showed.",
        ),
    ],
    hints=[
        "For each task, ask: is what must be remembered visible in the previous outputs?",
        "A good rewrite names the condition (the needed past is, or is not, in the outputs) "
        "and which network suits each case.",
    ],
)


progress = progress_for(__name__)
