"""Exercises for notebook 05, "GRU": the update rule, reset_after, choosing a cell.

In the notebook::

    from course_utils.lessons.l05_gru import exercises as ex

    ex.gru_new_state.check(gru_new_state)        # a function (z, h_prev, n)
    ex.gru_param_count.check(gru_param_count)    # a function (input_size, hidden_size, reset_after)
    ex.two_biases.check("c")                     # an option label
    ex.kept_after_hold.check(kept_answer)        # a fraction between 0 and 1
    ex.choose_a_cell.check(answer)               # a few sentences, judged on the measurements
    ex.progress()

It is longer than the course's 300-line guide because a lesson's exercises are data
(question, hints, the typical mistakes and their messages), kept in one module per
notebook so that the notebook imports a single ``ex``.
"""

from __future__ import annotations

import functools

import numpy as np

from course_utils.core.results import load_results
from course_utils.exercises.core import progress_for
from course_utils.exercises.feedback import Mistake
from course_utils.exercises.function_kind import FunctionExercise
from course_utils.exercises.ideas import AFFIRMED, GradedTextExercise, Reading, mentions
from course_utils.exercises.kinds import ChoiceExercise, ValueExercise
from course_utils.lessons.l05_gru.verdicts import lesson05_verdicts
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
    prompt=(
        "keras.layers.GRU(reset_after=True) stores two bias vectors in each of its three "
        "blocks, an input bias b_x* and a recurrent bias b_h*. Which recurrent biases change "
        "the function the layer computes, i.e. cannot be folded into the input biases?"
    ),
    options={
        "a": "None of them: every recurrent bias adds to its input bias, so the second "
        "vector only makes the GRU as large as an LSTM.",
        "b": "All three: the reset gate scales every block's recurrent bias, so none of "
        "them can be folded into its input bias.",
        "c": "Only the candidate's b_hh: r multiplies (h_prev @ W_hh + b_hh), so b_hh is "
        "scaled by r. In z and r, b_hz and b_hr sit next to b_xz and b_xr inside the "
        "sigmoid and add to them; Keras keeps them for cuDNN's weight layout.",
        "d": "Only the update gate's b_hz, because z decides what is kept.",
    },
    answer="c",
    explanations={
        "a": "Look at the candidate: with reset_after=True, b_hh sits inside the product "
        "with r, where it is scaled per unit and per step, so no fixed input bias can "
        "replace it. (The extra vectors add only 3 * hidden_size numbers; a GRU stays "
        "three blocks against the LSTM's four.)",
        "b": "r multiplies only the candidate's recurrent term. In the gates, "
        "sigma(x W_xz + b_xz + h W_hz + b_hz): b_xz + b_hz is one bias, and the same holds "
        "for the reset gate.",
        "d": "z's recurrent bias is added next to its input bias before the sigmoid, so "
        "the two act as one bias; only a bias inside a product with a gate cannot merge.",
    },
    hints=[
        "Write the three pre-activations for reset_after=True and look at where each b_h* "
        "ends up: added next to b_x*, or multiplied by a gate?"
    ],
    solution='bias_answer = "c"  # only the candidate\'s b_hh is scaled by r',
    discussion="With reset_after=True only b_hh adds something the function could not "
    "express otherwise; b_hz and b_hr fold into b_xz and b_xr. Keras still stores all "
    "three because cuDNN's GRU has an input and a recurrent bias in every block (Keras "
    "calls the variant cuDNN-compatible, 'thus it has separate biases for kernel and "
    "recurrent_kernel'). With reset_after=False the recurrent product is "
    "(r * h_prev) @ W_hh, and any recurrent bias would add to b_xh, so one bias per "
    "block is enough.",
)

# --- kept_after_hold (apply it: predict, then run) --------------------------------

KEEP_Z, HOLD_STEPS = 0.98, 40

kept_after_hold = ValueExercise(
    name="kept_after_hold",
    prompt=(
        f"Predict, then run. A GRU unit stores a number in its state h, and then its update "
        f"gate stays at z = {KEEP_Z} for {HOLD_STEPS} steps while the candidate is 0 (nothing "
        "new is written). What fraction of the stored number is left in h after those "
        f"{HOLD_STEPS} steps? Give a fraction between 0 and 1 (not a percentage)."
    ),
    answer=KEEP_Z**HOLD_STEPS,
    rtol=0.02,
    mistakes=[
        Mistake(
            (1 - KEEP_Z) ** HOLD_STEPS,
            "You kept 1 - z at every step. In Keras's convention (and Cho et al.'s) z is "
            "the share that is *kept*; 1 - z is the share written from the candidate.",
        ),
        Mistake(
            1 - HOLD_STEPS * (1 - KEEP_Z),
            "You subtracted the loss linearly (1 - 40 x 0.02). Each step keeps a fraction "
            "z of what is left *after the step before*: the fractions multiply.",
        ),
        Mistake(
            KEEP_Z,
            "That is what one step keeps. The number must survive every one of the steps.",
        ),
        Mistake.when(
            lambda a: isinstance(a, (int, float)) and 1 < a <= 100,
            "Give a fraction between 0 and 1, not a percentage.",
            example=100 * KEEP_Z**HOLD_STEPS,
        ),
    ],
    hints=[
        "Write h after one step when the candidate is 0: h_1 = z * h_0.",
        "Now apply the same step to h_1, and again: what does h become after k steps?",
    ],
    solution=f"kept_answer = {KEEP_Z} ** {HOLD_STEPS}",
    discussion=(
        "A gate just below 1 still leaks: the kept fraction decays geometrically with the "
        "length of the hold span, when nothing is written. This is why section 2 measures how "
        "close to 1 the trained update gate is. In a trained GRU the candidate is not 0: it "
        "can write the number back, so the product of z measures only the direct path."
    ),
)

# --- choose_a_cell ----------------------------------------------------------

# The two cells are each other's contrast: "the GRU is faster" is read in clauses about the
# GRU; "the LSTM is not faster" neither claims nor denies anything about it.
_ABOUT_GRU = Reading(subject=["gru"], contrast=["lstm"])
_ABOUT_LSTM = Reading(subject=["lstm"], contrast=["gru"])
_ANY = Reading()
_MEASURE = (
    "measur", "seed", "benchmark", "experiment", "compar", "evaluat", "time it", "time them",
    "time both", "time each", "time per", "train both", "try both", "test both", "run both",
    "train each", "try each", "test each", "run each", "train them", "run them", "try them",
)  # fmt: skip


def _claims(reading: Reading, text: str, words: tuple[str, ...], also=()) -> bool:
    """True when a clause about ``reading``'s subject affirms one of ``words`` (and one of
    ``also``, if given, in the same answer)."""
    said = reading.status(text, words) == AFFIRMED
    return said and (not also or mentions(text, also))


@functools.cache
def _committed_verdicts() -> tuple:
    return tuple(lesson05_verdicts(load_results("lstm_vs_gru")))


def _measured(claim_start: str) -> bool:
    """Did any committed verdict whose claim starts with ``claim_start`` hold?"""
    return any(
        v.claim.startswith(claim_start) and v.outcome == "holds" for v in _committed_verdicts()
    )


def _says_gru_trains_faster(text: str) -> bool:
    faster = ("faster", "quicker", "less time", "trains fast", "cheaper to train")
    return _claims(_ABOUT_GRU, text, faster) and not _measured("The GRU trains faster")


def _says_lstm_better_on_long(text: str) -> bool:
    better = ("better", "wins", "stronger", "more accurate", "remembers longer", "superior")
    return _claims(_ABOUT_LSTM, text, better, also=("long",)) and not _measured(
        "The LSTM ends better than the GRU on the long"
    )


choose_a_cell = GradedTextExercise(
    name="choose_a_cell",
    prompt=(
        "From the measurements in this lesson (not from the article): for a new sequence "
        "task on a laptop CPU, would you start with an LSTM or a GRU, and what would you "
        "measure before deciding? Answer in two or three sentences, as a string; each "
        "reason you give must agree with what this lesson measured."
    ),
    discussion=(
        "Only the structural rows are settled in advance: a GRU has three weight blocks to "
        "the LSTM's four, so three quarters of the multiply-adds per step, and a parameter "
        "ratio that approaches three quarters as the width grows ("
        f"{gru_lstm_ratio(2, 16):.2f} for this lesson's adding model). Whether it learns "
        "faster, runs faster or ends better is what the head-to-head measured, and the "
        "verdicts changed from task to task and may change from machine to machine. So a "
        "sound recipe is: start with either, then train both with the same budget over a "
        "few seeds on your own task, and compare the metric you care about, its spread, and "
        "the time per epoch on the machine you will use."
    ),
    model_answer=(
        "I would start with either cell and decide by measuring: train both with the same "
        "budget over a few seeds on my own task and machine, and compare the final metric, "
        "its spread over the seeds and the time per epoch. The verdicts in this lesson "
        "changed from task to task, so neither the parameter count nor the article settles it."
    ),
    min_length=30,
    solution=(
        'choice_text = "I would start with either cell and decide by measuring: train both '
        "with the same budget over a few seeds on my own task and machine, and compare the "
        "final metric, its spread over the seeds and the time per epoch. The verdicts in this "
        'lesson changed from task to task, so neither the parameter count nor the article settles it."'
    ),
    mistakes=[
        Mistake.when(
            _says_gru_trains_faster,
            "Your reason is that the GRU trains faster. This lesson's measurements do not "
            "support that here: look at the time-per-epoch verdicts of section 3 (the GRU "
            "does fewer multiply-adds, yet was not measurably faster per epoch on this CPU).",
            example="A GRU, because it is faster to train.",
        ),
        Mistake.when(
            _says_lstm_better_on_long,
            "Your reason is that the LSTM is better on long sequences. This lesson's longest "
            "task (the adding problem at T=200) does not support that: look at its verdicts "
            "in section 3, and at the budget table beside lesson 03's.",
            example="LSTM, because it is better on long sequences.",
        ),
        Mistake.when(
            lambda text: (
                _claims(_ANY, text, ("smaller", "fewer param", "less param"))
                and mentions(text, ("quarter",))
            ),
            "At this lesson's sizes the GRU has "
            f"{1 - gru_lstm_ratio(2, 16):.0%} fewer parameters than the LSTM, not a quarter: "
            "the ratio reaches 3/4 only as the width grows (section 1 printed it).",
            example="The GRU is a quarter smaller, so I would pick it and measure its time.",
        ),
        Mistake.when(
            lambda text: mentions(text, ("article",)) and _ANY.status(text, _MEASURE) != AFFIRMED,
            "Try to argue from what you measured here rather than from the article.",
            example="The article says the GRU is the better choice, so I pick the GRU.",
        ),
        _ANY.denies(
            _MEASURE,
            "Your answer says there is *no* need to measure. This lesson's verdicts changed "
            "from task to task, so say what you would measure before deciding: which metric, "
            "over how many seeds, on which machine.",
            example="I would just pick the GRU; there is no need to run experiments or compare.",
        ),
        Mistake.when(
            lambda text: _ANY.status(text, _MEASURE) != AFFIRMED,
            "Say what you would measure before deciding: which metric, over how many seeds, "
            "on which machine. This lesson's verdicts changed from task to task, so a choice "
            "without a measurement is a guess.",
            example="I think the answer depends on many things and on what the data are like.",
        ),
    ],
    hints=[
        "Look at the verdict tables of section 3: which claims held, which did not, and "
        "which were inconclusive?",
        "A good answer names a starting cell (or either) and the measurements that would "
        "decide: metric, seeds, time per epoch, machine.",
    ],
)

progress = progress_for(__name__)
