"""Exercises for notebook 03, "Vanishing and exploding gradients".

In the notebook::

    from course_utils.exercises import lesson03 as ex

    ex.spectral_radius.check(radius)                # a float, for ex.SPECTRAL_MATRIX
    ex.vanish_or_explode.check("b")                 # an option label, for ex.NON_NORMAL_MATRIX
    ex.clip_global_norm.check(clip_global_norm)     # a function (grads, max_norm) -> list
    ex.baseline_mse.check(value)                    # a float
    ex.progress()
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises.core import Mistake, progress_for
from course_utils.exercises.kinds import ChoiceExercise, FunctionExercise, ValueExercise

#: The matrix of ``spectral_radius``: eigenvalues 0.73 and -1.03.
SPECTRAL_MATRIX = np.array([[0.5, 1.2], [0.3, -0.8]])

#: The matrix of ``vanish_or_explode``: eigenvalues 0.8 (twice), spectral norm 1.85.
NON_NORMAL_MATRIX = np.array([[0.8, 1.5], [0.0, 0.8]])

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
    ],
    hints=[
        "np.linalg.eigvals(W) returns the eigenvalues (possibly complex numbers).",
        "Take their absolute values with np.abs, then the largest.",
    ],
    solution="radius = float(np.max(np.abs(np.linalg.eigvals(W))))  # 1.0346",
    discussion=(
        "1.03 > 1, so far enough back the gradient of a linear RNN with this W_hh grows by "
        "about 3% per step, although its largest eigenvalue is only 0.73."
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


def _gradient_case(rng) -> dict:
    shapes = [
        tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(1, 3)))
        for _ in range(int(rng.integers(2, 4)))
    ]
    scale = float(10.0 ** rng.uniform(-1.5, 1.5))  # norms both below and above max_norm
    grads = [scale * rng.standard_normal(shape) for shape in shapes]
    return {"grads": grads, "max_norm": float(rng.choice([0.5, 1.0, 5.0]))}


clip_global_norm = FunctionExercise(
    name="clip_global_norm",
    prompt=(
        "Write clip_global_norm(grads, max_norm): grads is a list of NumPy arrays (one per "
        "weight tensor). Return a new list in which every array is multiplied by the same "
        "factor, so that the norm of all of them together is at most max_norm. Gradients "
        "that are already small enough come back unchanged."
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
    ],
    hints=[
        "The global norm is sqrt(sum over tensors of sum(g**2)).",
        "scale = min(1, max_norm / norm); mind norm == 0.",
    ],
    discussion=(
        "numpy_rnn.clip_by_global_norm does the same on a dict of gradients, and Keras does "
        "it inside the optimiser when you pass global_clipnorm=..."
    ),
)

# --- baseline_mse ---------------------------------------------------------------------

baseline_mse = ValueExercise(
    name="baseline_mse",
    prompt=(
        "In the adding problem the target is u1 + u2, with u1 and u2 independent and "
        "uniform on [0, 1). A model that ignores its input predicts the best constant. "
        "What mean squared error does it reach? Give a number."
    ),
    answer=1.0 / 6.0,
    rtol=5e-3,
    mistakes=[
        Mistake(
            1.0 / 12.0,
            "1/12 is the variance of ONE uniform number. The target is the sum of two "
            "independent ones, and variances of independent variables add.",
        ),
        Mistake(
            7.0 / 6.0,
            "That is the MSE of predicting 0: E[y**2] = Var(y) + E[y]**2. The best "
            "constant is the mean, E[y] = 1, which removes the E[y]**2 term.",
        ),
        Mistake(
            1.0 / 3.0,
            "1/3 = 4 * Var(u) would be the variance of 2 * u, as if u1 and u2 were the same "
            "number. They are independent: Var(u1 + u2) = Var(u1) + Var(u2).",
        ),
    ],
    hints=[
        "The constant that minimises E[(y - c)**2] is c = E[y]; the MSE is then Var(y).",
        "Var(u) = 1/12 for u uniform on [0, 1).",
    ],
    solution="baseline = 2 * (1 / 12)  # = 1/6: Var(u1 + u2) = Var(u1) + Var(u2)",
)

progress = progress_for(__name__)
