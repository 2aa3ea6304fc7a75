"""Lesson 01's "Backpropagation through time, by hand" (issue #26, point 4).

* the ``elman_backward`` exercise: its solution passes; learners' typical wrong loops,
  written out in full below as a learner would write them, get the message that names
  the mistake (a missing tanh', a forgotten sum over time, a transposed weight);
* its references: ``tf.GradientTape``, central differences, the solution and the
  course's ``Elman.backward`` agree on every case of the check;
* the notebook's worked example: its hand-written loop equals ``tf.GradientTape`` and a
  numerical gradient (its cells are run here as they stand in the notebook);
* the figure: a closed ``Figure`` with its sentence, and its arguments checked.
"""

import matplotlib

matplotlib.use("Agg")

from pathlib import Path  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils.lessons.l01_elman import bptt, bptt_plots  # noqa: E402
from course_utils.lessons.l01_elman import exercises as ex  # noqa: E402
from course_utils.numpy_rnn import Elman  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXERCISE = ex.elman_backward


def _solution():
    namespace = {"np": np}
    exec(EXERCISE.solution_code(), namespace)
    return namespace["elman_backward"]


def _forward(x, h0, W_xh, W_hh, b_h):
    h = [h0]  # h[t]: the state after step t, (batch, hidden)
    for t in range(1, x.shape[1] + 1):
        h.append(np.tanh(x[:, t - 1] @ W_xh + h[t - 1] @ W_hh + b_h))  # (batch, hidden)
    return h


# --- the typical wrong loops, as a learner writes them --------------------------------


def no_tanh_derivative(x, h0, W_xh, W_hh, b_h, d_states):
    h = _forward(x, h0, W_xh, W_hh, b_h)
    dW_xh, dW_hh, db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(b_h)
    dh_next = np.zeros_like(h0)
    for t in range(x.shape[1], 0, -1):
        da = d_states[:, t - 1] + dh_next  # (a) tanh' forgotten: da is just dh
        dW_xh += x[:, t - 1].T @ da
        dW_hh += h[t - 1].T @ da
        db_h += da.sum(axis=0)
        dh_next = da @ W_hh.T
    return dW_xh, dW_hh, db_h, dh_next


def overwritten(x, h0, W_xh, W_hh, b_h, d_states):
    h = _forward(x, h0, W_xh, W_hh, b_h)
    dh_next = np.zeros_like(h0)
    for t in range(x.shape[1], 0, -1):
        da = (d_states[:, t - 1] + dh_next) * (1 - h[t] ** 2)
        dW_xh = x[:, t - 1].T @ da  # (b) `=` instead of `+=`: no sum over time
        dW_hh = h[t - 1].T @ da
        db_h = da.sum(axis=0)
        dh_next = da @ W_hh.T
    return dW_xh, dW_hh, db_h, dh_next


def last_step_only(x, h0, W_xh, W_hh, b_h, d_states):
    h = _forward(x, h0, W_xh, W_hh, b_h)
    T = x.shape[1]
    da = d_states[:, T - 1] * (1 - h[T] ** 2)  # (b) the last step's share only
    dW_xh, dW_hh, db_h = x[:, T - 1].T @ da, h[T - 1].T @ da, da.sum(axis=0)
    dh_next = np.zeros_like(h0)
    for t in range(T, 0, -1):  # dh0 right, the weights' sums forgotten
        da = (d_states[:, t - 1] + dh_next) * (1 - h[t] ** 2)
        dh_next = da @ W_hh.T
    return dW_xh, dW_hh, db_h, dh_next


def untransposed_recurrent_weight(x, h0, W_xh, W_hh, b_h, d_states):
    h = _forward(x, h0, W_xh, W_hh, b_h)
    dW_xh, dW_hh, db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(b_h)
    dh_next = np.zeros_like(h0)
    for t in range(x.shape[1], 0, -1):
        da = (d_states[:, t - 1] + dh_next) * (1 - h[t] ** 2)
        dW_xh += x[:, t - 1].T @ da
        dW_hh += h[t - 1].T @ da
        db_h += da.sum(axis=0)
        dh_next = da @ W_hh  # (c) W_hh where W_hh.T belongs
    return dW_xh, dW_hh, db_h, dh_next


def no_recurrent_path(x, h0, W_xh, W_hh, b_h, d_states):
    h = _forward(x, h0, W_xh, W_hh, b_h)
    dW_xh, dW_hh, db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(b_h)
    for t in range(x.shape[1], 0, -1):
        da = d_states[:, t - 1] * (1 - h[t] ** 2)  # nothing from step t + 1
        dW_xh += x[:, t - 1].T @ da
        dW_hh += h[t - 1].T @ da
        db_h += da.sum(axis=0)
        dh_prev = da @ W_hh.T
    return dW_xh, dW_hh, db_h, dh_prev


def _outer_products_reversed(which):
    def backward(x, h0, W_xh, W_hh, b_h, d_states):
        h = _forward(x, h0, W_xh, W_hh, b_h)
        dW_xh, dW_hh, db_h = 0.0, 0.0, np.zeros_like(b_h)
        dh_next = np.zeros_like(h0)
        for t in range(x.shape[1], 0, -1):
            da = (d_states[:, t - 1] + dh_next) * (1 - h[t] ** 2)
            x_t, h_prev = x[:, t - 1], h[t - 1]
            dW_xh = dW_xh + (da.T @ x_t if "xh" in which else x_t.T @ da)  # (c) order
            dW_hh = dW_hh + (da.T @ h_prev if "hh" in which else h_prev.T @ da)
            db_h += da.sum(axis=0)
            dh_next = da @ W_hh.T
        return dW_xh, dW_hh, db_h, dh_next

    return backward


def _correct_but(change):
    """The right loop, with one line changed as ``change`` says (a learner's slip)."""

    def backward(x, h0, W_xh, W_hh, b_h, d_states):
        h = _forward(x, h0, W_xh, W_hh, b_h)
        dW_xh, dW_hh, db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(b_h)
        dh_next = np.zeros_like(h0)
        for t in range(x.shape[1], 0, -1):
            dh = d_states[:, t - 1] + dh_next
            h_tanh = h[t - 1] if change == "tanh' from h_{t-1}" else h[t]
            da = dh * (1 - h_tanh**2)
            dW_xh += x[:, t - 1].T @ da
            dW_hh += (h[t] if change == "h_t in dW_hh" else h[t - 1]).T @ da
            db_h += da.mean(axis=0) if change == "db_h averaged" else da.sum(axis=0)
            dh_next = da @ W_hh.T
        if change == "dh0 is dL/dh_1":
            return dW_xh, dW_hh, db_h, dh  # the gradient at h_1, one step short of h0
        if change == "dh0 is delta_1":
            return dW_xh, dW_hh, db_h, da  # delta_1, not yet sent back through W_hh.T
        return dW_xh, dW_hh, db_h, dh_next

    return backward


def dh0_halved(x, h0, W_xh, W_hh, b_h, d_states):
    """A slip no declared mistake covers: only dh0 is wrong."""
    *weights, dh0 = _solution()(x, h0, W_xh, W_hh, b_h, d_states)
    return (*weights, dh0 / 2)


WRONG = {
    "no tanh derivative": (no_tanh_derivative, ["tanh derivative", "1 - h_t**2"]),
    "overwritten": (overwritten, ["sum over time", "overwrote"]),
    "last step only": (last_step_only, ["sum over time", "last step"]),
    "no recurrent path": (no_recurrent_path, ["gradient coming back", "not through time"]),
    "W_hh not transposed": (untransposed_recurrent_weight, ["W_hh is not transposed", "W_hh.T"]),
    "dW_xh transposed": (_outer_products_reversed({"xh"}), ["dW_xh is transposed"]),
    "dW_hh transposed": (_outer_products_reversed({"hh"}), ["dW_hh is transposed"]),
    "both transposed": (_outer_products_reversed({"xh", "hh"}), ["both transposed"]),
    "dh0 is dL/dh_1": (_correct_but("dh0 is dL/dh_1"), ["dh0 is dL/dh_1", "delta_1 @ W_hh.T"]),
    "dh0 is delta_1": (_correct_but("dh0 is delta_1"), ["dh0 is delta_1", "delta_1 @ W_hh.T"]),
    "h_t in dW_hh": (_correct_but("h_t in dW_hh"), ["dW_hh uses h_t where h_{t-1} belongs"]),
    "tanh' from h_{t-1}": (_correct_but("tanh' from h_{t-1}"), ["taken from h_{t-1}", "h[t]"]),
    "db_h averaged": (_correct_but("db_h averaged"), ["db_h is averaged", "summed"]),
}


def test_the_solution_passes_and_pastes_with_the_stub_names():
    feedback = EXERCISE.evaluate(_solution())
    assert feedback.status == "correct", feedback.text()
    assert EXERCISE.solution_code().startswith(
        "def elman_backward(x, h0, W_xh, W_hh, b_h, d_states):"
    )


@pytest.mark.parametrize("bug", list(WRONG))
def test_each_typical_mistake_is_named(bug):
    function, phrases = WRONG[bug]
    feedback = EXERCISE.evaluate(function)
    assert feedback.status == "incorrect", feedback.text()
    for phrase in phrases:
        assert phrase in feedback.message, (bug, feedback.message)


def test_the_three_classic_mistakes_get_three_different_messages():
    messages = {
        EXERCISE.evaluate(WRONG[bug][0]).message
        for bug in ("no tanh derivative", "overwritten", "W_hh not transposed")
    }
    assert len(messages) == 3


def test_an_undeclared_slip_names_the_wrong_output_and_shows_it():
    feedback = EXERCISE.evaluate(dh0_halved)
    assert feedback.status == "incorrect"
    assert feedback.message.startswith("Wrong result on a test case: dh0 differs.")
    assert "of dh0 is" in feedback.message and "of your output" not in feedback.message
    case = EXERCISE.cases()[0]
    dh0 = bptt.tape_gradients(*case.values())[3]  # (batch, hidden): at most 25 entries
    assert "output:   dh0" in feedback.details
    preview = np.array2string(dh0, precision=4, separator=", ") if dh0.size <= 12 else "shape"
    assert preview.splitlines()[0] in feedback.details


def test_every_declared_mistake_has_its_learners_loop_here():
    assert len(EXERCISE.mistakes) == len(WRONG)


def test_an_unanswered_stub_and_a_crash_never_break_the_notebook():
    def stub(x, h0, W_xh, W_hh, b_h, d_states):
        raise NotImplementedError("Write your solution here")

    def crashes(x, h0, W_xh, W_hh, b_h, d_states):
        return d_states @ W_xh  # a shape error

    assert EXERCISE.evaluate(stub).status == "not_attempted"
    assert EXERCISE.evaluate(crashes).status == "error"
    assert EXERCISE.evaluate(None).status == "not_attempted"


def test_its_cases_separate_batch_time_inputs_and_hidden():
    for case in EXERCISE.cases():
        batch, time, inputs = case["x"].shape
        assert len({batch, time, inputs, case["W_hh"].shape[0]}) == 4


# --- the references agree with each other -----------------------------------------------


def test_tape_numerical_solution_and_engine_agree_on_every_case():
    solution = _solution()
    for case in EXERCISE.cases():
        args = list(case.values())
        tape = bptt.tape_gradients(*args)
        numeric = bptt.numerical_gradients(*args)
        hand = solution(*args)
        cell = Elman(case["W_xh"].shape[0], case["W_xh"].shape[1])
        cell.params.update(W_xh=case["W_xh"], W_hh=case["W_hh"], b_h=case["b_h"])
        states, cache = cell.forward(case["x"], case["h0"])
        engine = cell.backward(case["d_states"], cache)
        np.testing.assert_allclose(states, bptt.elman_states(*args[:5]), atol=1e-14)
        for i, name in enumerate(("W_xh", "W_hh", "b_h", "h0")):
            np.testing.assert_allclose(hand[i], tape[i], rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(numeric[i], tape[i], rtol=1e-6, atol=1e-8)
            np.testing.assert_allclose(engine[name], tape[i], rtol=1e-12, atol=1e-12)


def test_checked_gradients_refuses_a_tape_that_numbers_contradict(monkeypatch):
    case = EXERCISE.cases()[0]
    wrong = tuple(2 * g for g in bptt.tape_gradients(*case.values()))
    monkeypatch.setattr(bptt, "tape_gradients", lambda *args: wrong)
    with pytest.raises(ArithmeticError, match="dW_xh"):
        bptt.checked_gradients(*case.values())


@pytest.mark.parametrize(
    "change, match",
    [
        ({"x": np.zeros((2, 3))}, "x"),
        ({"W_xh": np.zeros((5, 4))}, "W_xh"),
        ({"W_hh": np.zeros((4, 5))}, "W_hh"),
        ({"b_h": np.zeros(3)}, "b_h"),
        ({"h0": np.zeros((3, 4))}, "h0"),
        ({"d_states": np.zeros((2, 3, 5))}, "d_states"),
    ],
)
def test_the_references_check_their_arguments(change, match):
    args = {
        "x": np.zeros((2, 3, 1)),
        "h0": np.zeros((2, 4)),
        "W_xh": np.zeros((1, 4)),
        "W_hh": np.zeros((4, 4)),
        "b_h": np.zeros(4),
        "d_states": np.zeros((2, 3, 4)),
    }
    with pytest.raises(ValueError, match=match):
        bptt.numerical_gradients(**{**args, **change})


# --- the notebook's worked example --------------------------------------------------------


def _worked_example_cells():
    cells = nbformat.read(ROOT / "notebooks" / "01_elman_networks.ipynb", as_version=4).cells
    start = next(i for i, c in enumerate(cells) if "#### A worked example" in c.source)
    end = next(i for i, c in enumerate(cells) if "bptt_verdict = computed(" in c.source)
    return [c.source for c in cells[start:end] if c.cell_type == "code"]


def test_the_worked_example_matches_gradient_tape_and_a_numerical_gradient(capsys):
    namespace = {"np": np}
    for source in _worked_example_cells():
        exec(source, namespace)
    assert namespace["T"] == 3 and namespace["W_xh"].shape == (1, 2)
    assert namespace["tape_gap"] < 1e-12, namespace["tape_gap"]
    assert namespace["numeric_gap"] < 1e-7, namespace["numeric_gap"]
    # the hand loop is the exercise's solution at batch 1, fed the read-out's gradient
    assert np.abs(namespace["h_0"]).min() > 0  # a nonzero h_0: dW_hh's step-1 share counts
    d_states = np.concatenate([d @ namespace["W_hy"].T for d in namespace["dy"][1:]])[None]
    args = [namespace[k] for k in ("x", "h_0", "W_xh", "W_hh", "b_h")] + [d_states]
    hand = _solution()(*args)
    assert list(namespace["hand"]) == ["W_xh", "W_hh", "b_h", "h_0"]
    for i, name in enumerate(namespace["hand"]):
        np.testing.assert_allclose(namespace["hand"][name], hand[i], atol=1e-15)
    gaps = [gap for _, gap in namespace["gaps"]]  # truncation falls, then rounding rises
    assert gaps[1] < gaps[0] / 30 and gaps[-1] > min(gaps)
    printed = capsys.readouterr().out
    assert "t=3: dL/dh_t" in printed and "(nothing after step T)" in printed
    assert "dL/dh_0 = " in printed and "delta_t" in printed and "eps = 1e-07" in printed


# --- the figure ---------------------------------------------------------------------------


def test_the_figure_is_a_closed_figure_with_its_sentence():
    fig = bptt_plots.plot_bptt_flow(steps=4, window=2)
    assert isinstance(fig, matplotlib.figure.Figure) and not plt.fignum_exists(fig.number)
    assert len(fig.axes) == 2
    assert "unrolled over 4 steps" in fig.summary and "steps 2-3" in fig.summary
    fig = bptt_plots.plot_bptt_flow(steps=3, window=1)
    assert "steps 1-2, 2-3" in fig.summary


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"steps": 1}, ValueError),
        ({"window": 4}, ValueError),
        ({"steps": 2.5}, TypeError),
    ],  # fmt: skip
)
def test_the_figure_checks_its_arguments(kwargs, error):
    with pytest.raises(error):
        bptt_plots.plot_bptt_flow(**kwargs)
