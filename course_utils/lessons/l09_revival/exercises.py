"""Exercises for notebook 09, "The RNN revival": the combine operator, a scan's depth,
a growing recurrence, and which layer can copy selectively.

In the notebook::

    from course_utils.lessons.l09_revival import exercises as ex

    ex.combine_operator.check(combine_steps)     # a function (first, second) -> (a, b)
    ex.scan_depth.check(depth_answer)            # a whole number (an int)
    ex.growing_scan.check("a")                   # an option label (apply it: predict, then run)
    ex.copy_model.check("b")                     # an option label
    ex.progress()
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises.core import progress_for
from course_utils.exercises.feedback import Mistake
from course_utils.exercises.function_kind import FunctionExercise
from course_utils.exercises.kinds import ChoiceExercise, ValueExercise
from course_utils.linear_rnn import scan_cost

# --- combine_operator ---------------------------------------------------------------


def _combine_steps(first, second):
    a1, b1 = first
    a2, b2 = second
    return a1 * a2, a2 * b1 + b2  # (batch, units) each: h -> a2 (a1 h + b1) + b2


def _steps_case(rng):
    shape = (int(rng.integers(1, 4)), int(rng.integers(1, 5)))
    pair = lambda: (rng.uniform(-1.5, 1.5, shape), rng.standard_normal(shape))  # noqa: E731
    return {"first": pair(), "second": pair()}


combine_operator = FunctionExercise(
    name="combine_operator",
    prompt=(
        "Write combine_steps(first, second). Each argument is a pair (a, b) of NumPy arrays "
        "of shape (batch, units) standing for the step h -> a * h + b. Return the pair "
        "(a, b) of the single step that does `first` and then `second`."
    ),
    reference=_combine_steps,
    cases=_steps_case,
    edge_cases=[
        {
            "first": (np.array([[2.0]]), np.array([[1.0]])),
            "second": (np.array([[3.0]]), np.array([[5.0]])),
        }
    ],
    n_cases=8,
    seed=0,
    output_names=("a", "b"),
    mistakes=[
        Mistake(
            lambda first, second: (first[0] * second[0], first[0] * second[1] + first[1]),
            "You composed the steps in the other order: `second` first, then `first`. Apply "
            "`first` to h, then feed the result into `second`: a2 * (a1 * h + b1) + b2.",
        ),
        Mistake(
            lambda first, second: (first[0] * second[0], first[0] * first[1] + second[1]),
            "b1 is scaled by a1 in your answer, but b1 is added *after* a1 acted. What "
            "scales b1 is the step that comes after it, the second one.",
        ),
        Mistake(
            lambda first, second: (first[0] * second[0], first[1] + second[1]),
            "You added the two b's. The first step's b1 passes through the second step, which "
            "multiplies everything it receives by a2.",
        ),
        Mistake(
            lambda first, second: (second[0], second[0] * first[1] + second[1]),
            "Your b is right, but the combined step must scale h by both a's: h passes "
            "through a1 and then through a2.",
        ),
    ],
    hints=[
        "Write the first step's output, h1 = a1 * h + b1, then feed h1 into the second step.",
        "Expand a2 * (a1 * h + b1) + b2 and read off what multiplies h and what is left over.",
    ],
    discussion=(
        "This composition is associative: (s1 o s2) o s3 = s1 o (s2 o s3). That one property "
        "lets a parallel scan group the steps in any tree it likes and still get the loop's "
        "states. It is the operator Blelloch (1990) lists for first-order linear recurrences."
    ),
)

# --- scan_depth ---------------------------------------------------------------------

DEPTH_T = 1000

scan_depth = ValueExercise(
    name="scan_depth",
    prompt=(
        f"A Hillis-Steele scan over T = {DEPTH_T} steps (no h0): how many rounds of combines, "
        "one after another, does it need? (Within a round every combine can run at once.) "
        "Answer with a whole number (an int)."
    ),
    answer=lambda: scan_cost(DEPTH_T, "hillis_steele").depth,
    mistakes=[
        Mistake(DEPTH_T - 1, "That is the loop's depth: one combine after another."),
        Mistake(
            2 * scan_cost(DEPTH_T, "hillis_steele").depth,
            "That is Blelloch's depth (an up-sweep and a down-sweep). Hillis-Steele does "
            "one sweep, with more work per round.",
        ),
        Mistake(
            int(np.floor(np.log2(DEPTH_T))),
            "You rounded down. After k rounds each prefix covers 2**k steps; 2**9 = 512 does "
            "not reach back over 1000 steps.",
        ),
        Mistake.when(
            lambda v: isinstance(v, float) and not float(v).is_integer(),
            "Rounds come whole: a round is done or not. Round log2(T) to the whole number "
            "of rounds that covers all T steps.",
            example=float(np.log2(DEPTH_T)),
        ),
    ],
    hints=[
        "In round k (k = 0, 1, ...) every step combines with the prefix ending 2**k steps "
        "earlier, so after k+1 rounds each prefix covers 2**(k+1) steps.",
        "You need the smallest number of rounds r with 2**r >= T.",
    ],
    solution=f"depth_answer = int(np.ceil(np.log2({DEPTH_T})))",
    discussion=(
        "Ten rounds instead of 999 steps, but each round combines up to 1000 pairs: the work "
        "grows to about T log2 T. On a machine with thousands of lanes (a GPU) the rounds "
        "can run in parallel (a prediction here: this lesson times CPUs only); on a CPU the "
        "extra work is paid, and what the fewer rounds save is loop overhead."
    ),
)

# --- growing_scan (apply it: predict, then run) -------------------------------------

GROWTH = 1.05

growing_scan = ChoiceExercise(
    name="growing_scan",
    prompt=(
        f"Predict, then run. Every step has a_t = {GROWTH} (|a_t| > 1) and b_t = 1. What does "
        "the parallel scan give, compared with the loop, for T = 200 and for T = 20,000?"
    ),
    options={
        "a": "The same states as the loop, growing like 1.05**t: the two agree to rounding "
        "error, and both overflow to inf once 1.05**t passes the largest float.",
        "b": "The scan stays bounded, because it never multiplies T numbers one after "
        "another; only the loop blows up.",
        "c": "The scan and the loop disagree: the combine operator is associative only "
        "when |a| <= 1.",
        "d": "The log-space scan keeps the states finite, because logs turn the growth into a sum.",
    },
    answer="a",
    explanations={
        "b": "The scan computes the same prefixes, and the prefix of a is a_1 * ... * a_t = "
        "1.05**t whatever the grouping. Fewer rounds is not fewer factors.",
        "c": "Associativity is algebra: (a1 a2) a3 = a1 (a2 a3) for any numbers. Only the "
        "rounding differs a little between the two groupings.",
        "d": "The log of h_t grows like t log 1.05, and h_t = exp(log h_t) overflows all the "
        "same. (The log-space form avoids products that *underflow*, and needs positive "
        "values.)",
    },
    hints=[
        "What is the prefix of the a's after t steps, in any grouping?",
        "Does grouping change a product of numbers, apart from rounding?",
    ],
    discussion=(
        "The scan inherits the recurrence's stability, good or bad: it is the same function "
        "computed in another order. This is why the LRU parameterises |lambda| < 1 and the "
        "selective layer uses exp(delta A) with A < 0: stability is built into a, not into "
        "the scan."
    ),
)

# --- copy_model ------------------------------------------------------------------------

copy_model = ChoiceExercise(
    name="copy_model",
    prompt=(
        "Selective copying puts the data tokens at random positions among blanks. Which "
        "layer can solve it, and why?"
    ),
    options={
        "a": "The LTI layer: with |a| near 1 its state remembers every token, so it only "
        "has to read them out in order.",
        "b": "The selective layer: its step size and its B_t, C_t depend on the token, so it "
        "can skip the blanks (step size near 0) and write the data tokens, wherever they are.",
        "c": "Both equally: they are the same linear recurrence with the same state size.",
        "d": "Neither: a linear recurrence cannot copy; only attention can.",
    },
    answer="b",
    explanations={
        "a": "Remembering everything is not enough: the LTI layer applies the same kernel to "
        "every position, so it cannot tell 'the third data token' from 'the token 20 steps "
        "back' when the spacing changes from sequence to sequence.",
        "c": "Same shape of recurrence, different coefficients: in the LTI layer a and B do "
        "not depend on x_t; in the selective layer they do, and that is the difference.",
        "d": "Gu & Dao (2023, section 4.1, Table 1) report selective state space layers "
        "solving it; "
        "whether this lesson's small layers do at its budget is what its verdicts below "
        "measure, not something this answer can promise.",
    },
    hints=[
        "What must the model do with a blank token, and can a layer whose coefficients do "
        "not depend on the input do it?",
        "Plain copying has fixed spacing; selective copying does not.",
    ],
    discussion=(
        "Gu & Dao (2023, section 3.1) built selective copying to make this argument: their "
        "Figure 2 calls plain copying easily solved by time-invariant models (linear "
        "recurrences, global convolutions), while ignoring irrelevant tokens needs coefficients that depend on the content. "
        "That is their claim about their models. This lesson's LTI layer is a small "
        "S4D-Real-like layer (real A, N = 8 per channel): whether it solves even plain "
        "copying at this budget is its own verdict below, not something the paper shows."
    ),
)

progress = progress_for(__name__)
