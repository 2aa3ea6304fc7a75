"""Exercises for notebook 03, "Vanishing and exploding gradients".

In the notebook::

    from course_utils.lessons.l03_gradients import exercises as ex

    ex.spectral_radius.check(radius)                # a float, for ex.SPECTRAL_MATRIX
    ex.vanish_or_explode.check("b")                 # an option label, for ex.NON_NORMAL_MATRIX
    ex.clip_global_norm.check(clip_global_norm)     # a function (grads, max_norm) -> list
    ex.per_tensor_step_bound.check(value)           # a float (apply it: clipnorm vs global)
    ex.one_number_mse.check(value)                  # a float
    ex.progress()

It is longer than the course's 300-line guide because a lesson's exercises are data
(question, hints, the typical mistakes and their messages), kept in one module per
notebook so that the notebook imports a single ``ex``.
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises.core import progress_for
from course_utils.exercises.feedback import Mistake
from course_utils.exercises.function_kind import FunctionExercise
from course_utils.exercises.kinds import ChoiceExercise, ValueExercise

#: The matrix of ``spectral_radius``: eigenvalues 0.73 and -1.03.
SPECTRAL_MATRIX = np.array([[0.5, 1.2], [0.3, -0.8]])

#: The matrix of ``vanish_or_explode``: eigenvalues 0.8 (twice), spectral norm 1.85.
NON_NORMAL_MATRIX = np.array([[0.8, 1.5], [0.0, 0.8]])


def far_off(answer: float, name: str, example: float) -> Mistake:
    """A wrong value more than 50 % away from ``answer``: said plainly, never "close"."""

    def predicate(value) -> bool:
        return abs(float(value) / answer - 1.0) > 0.5

    return Mistake.when(
        predicate,
        f"That is more than 50 % away from the answer, so not a rounding slip: rethink the "
        f"idea. `ex.{name}.hint()` gives a nudge.",
        example=example,
    )


# --- spectral_radius ------------------------------------------------------------------


def _eigenvalues() -> np.ndarray:
    return np.linalg.eigvals(SPECTRAL_MATRIX)


spectral_radius = ValueExercise(
    name="spectral_radius",
    prompt=(
        "W_hh = [[0.5, 1.2], [0.3, -0.8]] (ex.SPECTRAL_MATRIX). Compute its spectral radius, "
        "as a float: will a linear RNN with this W_hh explode or vanish in the long run?"
    ),
    answer=lambda: float(np.max(np.abs(_eigenvalues()))),
    rtol=1e-3,
    mistakes=[
        Mistake(
            float(np.max(np.linalg.eigvals(SPECTRAL_MATRIX).real)),
            "That is the largest eigenvalue, 0.73, which would predict vanishing. The "
            "spectral radius is the largest *absolute* eigenvalue: here the eigenvalue "
            "-1.03 wins, and the gradient grows (with alternating sign) instead.",
        ),
        Mistake(
            float(np.min(np.linalg.eigvals(SPECTRAL_MATRIX).real)),
            "Right eigenvalue, wrong sign: the spectral radius is an absolute value, so it "
            "is never negative.",
        ),
        Mistake(
            float(np.linalg.norm(SPECTRAL_MATRIX, 2)),
            "That is the spectral norm (the largest singular value, np.linalg.norm(W, 2)). "
            "It bounds the growth of one step; the long-run rate is set by the eigenvalues.",
        ),
        Mistake(
            1.2,
            "That is the largest entry of the matrix. Entries say little about growth: "
            "compute the eigenvalues with np.linalg.eigvals.",
        ),
        far_off(1.0346, "spectral_radius", 3.0),
    ],
    hints=[
        "The definition above: the largest *absolute value* among the eigenvalues.",
        "np.linalg.eigvals returns the eigenvalues (possibly complex numbers); np.abs "
        "gives their moduli.",
    ],
    solution="radius = float(np.max(np.abs(np.linalg.eigvals(W_question))))  # 1.0346",
    discussion=(
        "1.03 > 1, so far enough back the gradient of a linear RNN with this W_hh grows by "
        "about 3.5 % per step (1.0346), although its largest eigenvalue is only 0.73."
    ),
)

# --- vanish_or_explode ----------------------------------------------------------------

vanish_or_explode = ChoiceExercise(
    name="vanish_or_explode",
    prompt=(
        "A linear RNN has W_hh = [[0.8, 1.5], [0.0, 0.8]] (ex.NON_NORMAL_MATRIX). What "
        "happens to ||dL/dh_k|| as the distance T - k grows to 50 steps?"
    ),
    options={
        "a": "It explodes, because an entry of W_hh (1.5) is larger than 1.",
        "b": "It vanishes in the long run, because the spectral radius is 0.8; it may grow "
        "for the first few steps, because W_hh is not a normal matrix.",
        "c": "It stays about constant, because the large entry and the small eigenvalues "
        "cancel out.",
        "d": "It explodes, because the spectral norm of W_hh (1.85) is larger than 1.",
    },
    answer="b",
    solution='choice = "b"  # vanishes in the long run (rho = 0.8), after a transient growth',
    explanations={
        "a": "Single entries do not decide long-run growth. The matrix is triangular, so its "
        "eigenvalues are on the diagonal: both are 0.8.",
        "c": "Nothing cancels: the k-th power of W_hh has the off-diagonal entry "
        "1.5 * k * 0.8**(k - 1). The factor k grows, but 0.8**k shrinks faster, so it "
        "goes to zero.",
        "d": "The spectral norm bounds what one step can do (here: grow up to 1.85x). "
        "Multiplied over many steps, the eigenvalues win: the rate tends to rho = 0.8 per "
        "step, after a transient growth.",
    },
    hints=[
        "The eigenvalues of a triangular matrix are its diagonal entries.",
        "Compare what one step can do (the spectral norm) with what many steps do (rho).",
    ],
    discussion=(
        "This is transient growth of a non-normal matrix: ||W^k|| first rises (the off-"
        "diagonal entry feeds one direction into the other), then falls like k * 0.8**k. "
        "The cell below the exercise prints ||W^k|| so you can see both phases."
    ),
)

# --- clip_global_norm -----------------------------------------------------------------


def _clip_global_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))  # one norm over all tensors
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0  # only ever shrink
    return [g * scale for g in grads]


def _clip_each_tensor(grads, max_norm):
    out = []
    for g in grads:
        norm = np.sqrt(np.sum(g**2))
        out.append(g * (min(1.0, max_norm / norm) if norm > 0 else 1.0))
    return out


def _always_rescale(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    return [g * (max_norm / norm if norm > 0 else 1.0) for g in grads]


def _clip_values(grads, max_norm):
    return [np.clip(g, -max_norm, max_norm) for g in grads]


def _clip_in_place(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    for g in grads:
        g *= scale  # changes the caller's arrays
    return grads


def _with_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return [g * scale for g in grads], norm


IN_PLACE_MESSAGE = (
    "Your function changes the arrays it was given (g *= scale writes into the caller's "
    "gradients). Return new arrays (g * scale) and leave the inputs as they were: the "
    "caller may still need the unclipped gradients, e.g. to log their norm."
)
WITH_NORM_MESSAGE = (
    "You returned (clipped, norm), as numpy_rnn.clip_by_global_norm does. This exercise "
    "asks for the list of clipped arrays only: return the list, without the norm."
)


class _ClipExercise(FunctionExercise):
    """A function exercise that also rejects changing the caller's arrays in place and
    names a returned ``(clipped, norm)`` pair (``FunctionExercise`` calls on copies)."""

    def _evaluate(self, answer):
        if callable(answer):
            grads = [np.array([3.0, 4.0]), np.array([[12.0]])]  # joint norm 13 > 1
            before = [g.copy() for g in grads]
            try:
                out = answer(grads, 1.0)
            except Exception:
                out = None  # the generic check below reports the error
            if isinstance(out, tuple) and len(out) == 2 and np.ndim(out[1]) == 0:
                return self.incorrect(WITH_NORM_MESSAGE)
            if any(not np.array_equal(g, b) for g, b in zip(grads, before, strict=True)):
                return self.incorrect(IN_PLACE_MESSAGE)
        return super()._evaluate(answer)


def _gradient_case(rng) -> dict:
    shapes = [
        tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(1, 3)))
        for _ in range(int(rng.integers(2, 4)))
    ]
    scale = float(10.0 ** rng.uniform(-1.5, 1.5))  # norms both below and above max_norm
    grads = [scale * rng.standard_normal(shape) for shape in shapes]
    return {"grads": grads, "max_norm": float(rng.choice([0.5, 1.0, 5.0]))}


clip_global_norm = _ClipExercise(
    name="clip_global_norm",
    prompt=(
        "Write clip_global_norm(grads, max_norm): grads is a list of NumPy arrays (one per "
        "weight tensor). Return a list of NumPy arrays (new ones: do not change the arrays "
        "you were given) in which every array is multiplied by the same factor, so that the "
        "norm of all of them together is at most max_norm. Gradients that are already small "
        "enough come back unchanged. Return only the list, not the norm."
    ),
    reference=_clip_global_norm,
    cases=_gradient_case,
    edge_cases=[
        {"grads": [np.array([3.0, 4.0])], "max_norm": 1.0},  # norm 5 -> 1
        {"grads": [np.array([0.3]), np.array([[0.4]])], "max_norm": 1.0},  # 0.5: unchanged
        {"grads": [np.array([6.0, 0.0]), np.array([0.0, 8.0])], "max_norm": 5.0},
        {"grads": [np.zeros(3), np.zeros((2, 2))], "max_norm": 1.0},  # no division by zero
    ],
    n_cases=12,
    seed=3,
    mistakes=[
        Mistake(
            _clip_each_tensor,
            "You clipped each tensor on its own (Keras's clipnorm). Global clipping "
            "computes ONE norm over all tensors and scales them all by the same factor, "
            "so the direction of the full gradient is kept.",
        ),
        Mistake(
            _always_rescale,
            "You rescale every gradient to norm max_norm, also the small ones. Clipping "
            "only ever shrinks: use min(1, max_norm / norm).",
        ),
        Mistake(
            _clip_values,
            "That clips each entry to [-max_norm, max_norm] (clipvalue). It changes the "
            "gradient's direction; clip the norm instead.",
        ),
        Mistake(_clip_in_place, IN_PLACE_MESSAGE),
        Mistake(_with_norm, WITH_NORM_MESSAGE),
    ],
    hints=[
        "'Global' means one norm for all the tensors together, as if they were one long "
        "vector; then one factor for all of them.",
        "The factor only ever shrinks (never above 1), and a zero gradient must not divide "
        "by zero.",
    ],
    discussion=(
        "numpy_rnn.clip_by_global_norm does the same on a dict of gradients, and Keras does "
        "it inside the optimiser when you pass global_clipnorm=..."
    ),
)

# --- per_tensor_step_bound (apply it) -------------------------------------------------

#: The model of the lesson's clipping loop: SimpleRNN(32, relu) -> Dense(1) has five weight
#: tensors (kernel, recurrent kernel, bias; Dense kernel, Dense bias).
CLIP_MODEL_TENSORS = 5
STEP_LEARNING_RATE = 0.1
STEP_MAX_NORM = 1.0

per_tensor_step_bound = ValueExercise(
    name="per_tensor_step_bound",
    prompt=(
        "Change the loop above: instead of one global norm, clip each of the model's weight "
        "tensors on its own to norm at most max_norm = 1 (Keras's clipnorm=1), and keep plain "
        "SGD with learning rate 0.1. How large can one step be, at most: what is the largest "
        "possible norm of the change of all the weights together? Count the model's weight "
        "tensors (model.trainable_variables). Give a number (a float)."
    ),
    answer=STEP_LEARNING_RATE * STEP_MAX_NORM * float(np.sqrt(CLIP_MODEL_TENSORS)),
    rtol=1e-3,
    mistakes=[
        Mistake(
            STEP_LEARNING_RATE * STEP_MAX_NORM,
            "0.1 = learning rate x max_norm is the bound for GLOBAL clipping, where all the "
            "tensors share one norm. Clipped one by one, every tensor may reach norm 1 at the "
            "same time.",
        ),
        Mistake(
            STEP_LEARNING_RATE * STEP_MAX_NORM * CLIP_MODEL_TENSORS,
            "0.5 adds up the tensors' norms. The tensors are separate blocks of one long "
            "vector, so their squared norms add: the joint norm is sqrt(sum of squares).",
        ),
        Mistake(
            STEP_MAX_NORM * float(np.sqrt(CLIP_MODEL_TENSORS)),
            "That is the largest clipped gradient. A step of SGD moves the weights by the "
            "learning rate times the gradient.",
        ),
        Mistake.when(
            lambda a: (
                np.isclose(float(a), 0.1 * np.sqrt(3), rtol=1e-3)
                or np.isclose(float(a), 0.1 * np.sqrt(2), rtol=1e-3)
                or np.isclose(float(a), 0.1 * np.sqrt(4), rtol=1e-3)
            ),
            "The right idea, with the wrong number of tensors: SimpleRNN has a kernel, a "
            "recurrent kernel and a bias, and Dense a kernel and a bias. Count "
            "len(model.trainable_variables).",
            example=0.1 * np.sqrt(3),
        ),
        far_off(0.1 * np.sqrt(5), "per_tensor_step_bound", 2.0),
    ],
    hints=[
        "Each tensor's clipped gradient has norm at most 1, and they can all be that large at "
        "once. The tensors together are one long vector: how do their norms combine?",
        "Squared norms of separate blocks add. Then multiply by the learning rate.",
    ],
    solution=("per_tensor_step_bound = 0.1 * np.sqrt(5)  # learning rate x sqrt(5 tensors x 1**2)"),
    discussion=(
        "0.1 * sqrt(5) = 0.22: per-tensor clipping allows steps sqrt(5) times larger than "
        "global clipping at the same max_norm, and it changes the gradient's direction "
        "(each tensor is shrunk by its own factor). That is why lessons 03-05 and 07 clip "
        "by the global norm; lessons 06 and 08 clip per tensor, and say so where they do."
    ),
)

# --- one_number_mse ---------------------------------------------------------------------

one_number_mse = ValueExercise(
    name="one_number_mse",
    prompt=(
        "A model of the adding problem (target u1 + u2, both uniform on [0, 1) and "
        "independent) remembers the first marked number u1 exactly, but not the second: "
        "the best it can predict is u1 plus the best constant for u2. What mean squared error "
        "does it reach? Give a number (a float, e.g. 1 / 7)."
    ),
    answer=1.0 / 12.0,
    rtol=5e-3,
    mistakes=[
        Mistake(
            1.0 / 6.0,
            "1/6 is the baseline of a model that remembers nothing. Remembering u1 removes "
            "its part of the variance: what is left is the variance of u2 alone.",
        ),
        Mistake(
            1.0 / 3.0,
            "1/3 = E[u2**2] is the error of predicting u1 alone. The best prediction adds "
            "the mean of u2, 1/2, and then the error is the variance of u2.",
        ),
        Mistake(
            0.0,
            "The model cannot know u2: some error is left, the spread of u2 around the best "
            "constant.",
        ),
        Mistake.when(
            lambda a: np.isclose(float(a), 100 / 12, rtol=5e-3),
            "Give a fraction of the squared target, not a percentage.",
            example=100 / 12,
        ),
        far_off(1 / 12, "one_number_mse", 0.5),
    ],
    hints=[
        "With u1 known, the error is u2 minus the best constant for u2.",
        "The best constant is the mean, and the MSE is then the variance of u2; the "
        "derivation of the baseline above gives the variance of one uniform number.",
    ],
    solution="one_number_mse = 1 / 12  # Var(u2): the spread of the number not remembered",
    discussion=(
        "1/12 = 0.083, half the baseline. That is why the course's 'solved' line, "
        "tasks.adding.SOLVED_MSE = 1/60, sits well below 1/12: a model under it must be "
        "using both numbers."
    ),
)

progress = progress_for(__name__)
