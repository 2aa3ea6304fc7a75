"""Tests for the lesson 01/02 helpers: experiments.next_step and teacher_forcing, lesson 01's
hidden_states, and core.tables."""

import numpy as np
import pytest

from course_utils.core.tables import format_mean_std, table
from course_utils.experiments.next_step import (
    error_by_position,
    predict,
    squared_error,
    to_streams,
    train_next_step,
)
from course_utils.experiments.teacher_forcing import (
    teacher_forced_backward,
    teacher_forced_forward,
    teacher_states,
)
from course_utils.gradients import gradient_check
from course_utils.lessons.l01_elman.hidden_states import (
    mean_by_label,
    pca,
    silhouette,
    split_purity,
    top_split,
)
from course_utils.numpy_rnn import SGD, Dense, Elman, Jordan, mean_squared_error
from course_utils.tasks import running_parity, temporal_xor

# --- to_streams ------------------------------------------------------------------


def test_to_streams_cuts_continuous_pieces():
    x, y = temporal_xor(100, seed=0)  # (1, 299, 1)
    xs, ys = to_streams(x, y, 4, multiple_of=3)
    assert xs.shape == ys.shape == (4, 72, 1)  # 299 // 4 = 74 -> 72, a multiple of 3
    np.testing.assert_array_equal(xs.reshape(-1), x[0, : 4 * 72, 0])
    np.testing.assert_array_equal(ys.reshape(-1), y[0, : 4 * 72, 0])
    triplets = np.concatenate([xs[:, :1], ys], axis=1)[:, :72, 0].reshape(4, -1, 3).astype(int)
    np.testing.assert_array_equal(triplets[..., 2], triplets[..., 0] ^ triplets[..., 1])


def test_to_streams_rejects_bad_arguments():
    x, y = temporal_xor(10, seed=0)
    with pytest.raises(ValueError, match="n_streams"):
        to_streams(x, y, 100, multiple_of=3)
    with pytest.raises(ValueError, match="one stream"):
        to_streams(np.concatenate([x, x]), np.concatenate([y, y]), 2)
    with pytest.raises(ValueError, match="x"):
        to_streams(x[0], y, 2)
    with pytest.raises(TypeError, match="n_streams"):
        to_streams(x, y, 2.0)


# --- training ----------------------------------------------------------------------


def _xor_model(seed=0):
    return Elman(1, 6, seed=seed), Dense(6, 1, seed=seed + 1)


def test_training_learns_temporal_xor():
    x, y = temporal_xor(400, seed=0)
    cell, readout = _xor_model()
    history = train_next_step(
        cell, readout, *to_streams(x, y, 8, multiple_of=3), epochs=60, window=30
    )
    assert history["loss"][-1] < 0.8 * history["loss"][0]
    assert len(history["seconds"]) == 60 and np.all(np.diff(history["seconds"]) >= 0)
    x_test, y_test = temporal_xor(300, seed=1)
    prediction, hidden = predict(cell, readout, x_test)
    assert prediction.shape == (1, 899, 1) and hidden.shape == (1, 899, 6)
    by_position = error_by_position(squared_error(prediction, y_test), 3)
    assert by_position[2] < 0.75 * by_position[:2].min()  # the XOR bit is being learnt


def test_training_is_deterministic_and_reads_the_seed():
    x, y = running_parity(40, 6, seed=0)
    runs = []
    for seed in (0, 0, 1):
        cell, readout = _xor_model()
        train_next_step(cell, readout, x, y, epochs=3, batch_size=8, seed=seed)
        runs.append(cell.params["W_hh"].copy())
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.array_equal(runs[0], runs[2])  # the seed shuffles the batches


def test_one_sgd_step_follows_the_numerical_gradient():
    x, y = running_parity(3, 5, seed=0)
    x, y = x.astype("float64"), y.astype("float64")
    cell, readout = _xor_model()
    params = {
        **{f"c{k}": v for k, v in cell.params.items()},
        **{f"r{k}": v for k, v in readout.params.items()},
    }

    def loss_only():
        hidden, _ = cell.forward(x)
        return mean_squared_error(readout(hidden), y)[0], {}

    numeric = {}
    for name, value in params.items():
        grad = np.zeros_like(value)
        for i in np.ndindex(value.shape):
            old = value[i]
            value[i] = old + 1e-6
            up = loss_only()[0]
            value[i] = old - 1e-6
            grad[i] = (up - loss_only()[0]) / 2e-6
            value[i] = old
        numeric[name] = grad
    before = {name: value.copy() for name, value in params.items()}
    train_next_step(cell, readout, x, y, epochs=1, optimizer=SGD(0.1), clip=1e6)
    for name, value in params.items():
        np.testing.assert_allclose(value, before[name] - 0.1 * numeric[name], atol=1e-7)


def test_state_is_carried_between_windows():
    x, y = temporal_xor(20, seed=0)
    results = []
    for window in (None, 59, 10):
        cell, readout = _xor_model()
        train_next_step(cell, readout, x, y, epochs=1, window=window, optimizer=SGD(0.0001))
        results.append(cell.params["W_hh"].copy())
    assert not np.allclose(results[0], results[2])  # 6 updates instead of one
    np.testing.assert_allclose(results[0], results[1])  # a window as long as the stream


def test_callback_stops_training_early():
    x, y = running_parity(16, 5, seed=0)
    calls = []

    def stop_at_two(epoch, loss):
        calls.append((epoch, loss))
        return epoch == 2

    history = train_next_step(*_xor_model(), x, y, epochs=10, callback=stop_at_two)
    assert len(history["loss"]) == 2 and [c[0] for c in calls] == [1, 2]
    assert calls[-1][1] == history["loss"][-1]


def test_softmax_loss_trains_a_word_model():
    from course_utils.tasks import word_sequence

    x, y, _ = word_sequence(200, seed=0)
    cell, readout = Elman(x.shape[2], 8), Dense(8, x.shape[2])
    history = train_next_step(
        cell, readout, *to_streams(x, y, 4), loss="softmax", epochs=5, window=20
    )
    assert history["loss"][-1] < history["loss"][0] < np.log(x.shape[2]) + 0.5


@pytest.mark.parametrize(
    ("change", "error", "word"),
    [
        ({"loss": "hinge"}, ValueError, "loss"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"window": 0}, ValueError, "window"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"learning_rate": 0.0}, ValueError, "learning_rate"),
        ({"clip": -1.0}, ValueError, "clip"),
        ({"optimizer": "adam"}, TypeError, "optimizer"),
        ({"callback": 3}, TypeError, "callback"),
        ({"teacher_forcing": True}, ValueError, "teacher_forcing"),
    ],
)
def test_train_rejects_bad_arguments(change, error, word):
    x, y = running_parity(4, 5, seed=0)
    with pytest.raises(error, match=word):
        train_next_step(*_xor_model(), x, y, **change)


def test_train_rejects_bad_models_and_data():
    x, y = running_parity(4, 5, seed=0)
    with pytest.raises(TypeError, match="cell"):
        train_next_step("elman", None, x, y)
    with pytest.raises(TypeError, match="readout"):
        train_next_step(Elman(1, 4), "dense", x, y)
    with pytest.raises(ValueError, match="readout.input_size"):
        train_next_step(Elman(1, 4), Dense(5, 1), x, y)
    with pytest.raises(ValueError, match="y"):
        train_next_step(*_xor_model(), x, y[:, :3])
    with pytest.raises(TypeError, match="x"):
        train_next_step(*_xor_model(), x.astype(int), y)


# --- evaluation -------------------------------------------------------------------


def test_squared_error_and_error_by_position():
    errors = squared_error(
        np.zeros((1, 4, 2)), np.array([[[1.0, 1.0], [0.0, 2.0], [0.0, 0.0], [3.0, 1.0]]])
    )
    np.testing.assert_allclose(errors, [[1.0, 2.0, 0.0, 5.0]])
    # step t predicts element t + 1: positions of steps 0..3 with period 2 are 1, 0, 1, 0
    np.testing.assert_allclose(error_by_position(errors, 2), [3.5, 0.5])
    np.testing.assert_allclose(error_by_position(errors[0], 2, offset=0), [0.5, 3.5])
    two_streams = np.stack([errors[0], errors[0] + 1])  # (2, 4)
    np.testing.assert_allclose(error_by_position(two_streams, 2), [4.0, 1.0])


def test_evaluation_rejects_bad_arguments():
    with pytest.raises(ValueError, match="targets"):
        squared_error(np.zeros((1, 4, 1)), np.zeros((1, 3, 1)))
    with pytest.raises(ValueError, match="errors"):
        error_by_position(np.zeros((1, 2, 3)), 2)
    with pytest.raises(ValueError, match="period"):
        error_by_position(np.zeros(3), 4)
    with pytest.raises(ValueError, match="period"):
        error_by_position(np.zeros(3), 0)
    with pytest.raises(TypeError, match="cell"):
        predict(None, None, np.zeros((1, 2, 1)))


# --- teacher forcing ------------------------------------------------------------------


def test_teacher_states_follow_the_recurrence():
    targets = np.array([[[1.0], [0.0], [1.0], [1.0]]])
    np.testing.assert_allclose(teacher_states(targets, 0.5)[0, :, 0], [0.0, 1.0, 0.5, 1.25])
    np.testing.assert_allclose(teacher_states(targets, 0.0)[0, :, 0], [0.0, 1.0, 0.0, 1.0])
    s0 = np.array([[2.0]])
    np.testing.assert_allclose(teacher_states(targets, 0.5, s0)[0, :, 0], [2.0, 2.0, 1.0, 1.5])


def test_teacher_forcing_with_the_networks_own_outputs_is_free_running():
    x, _ = running_parity(3, 7, seed=0)
    x2 = np.concatenate([x, 1 - x], axis=2).astype("float64")  # (3, 7, 2)
    cell = Jordan(2, 5, 2, mu=0.4, seed=1)
    free, cache = cell.forward(x2)
    forced, forced_cache = teacher_forced_forward(cell, x2, free)
    np.testing.assert_allclose(forced, free, atol=1e-12)
    np.testing.assert_allclose(forced_cache["final_state"], cache["final_state"], atol=1e-12)


def test_teacher_forced_gradients_pass_a_numerical_check():
    x, y = running_parity(3, 6, seed=0)
    x, y = x.astype("float64"), y.astype("float64")
    cell = Jordan(1, 4, 1, mu=0.3, output_activation="tanh", seed=2)

    def loss_and_grads():
        outputs, cache = teacher_forced_forward(cell, x, y)
        loss, d_outputs = mean_squared_error(outputs, y)
        return loss, teacher_forced_backward(cell, d_outputs, cache)

    assert gradient_check(loss_and_grads, cell.params) < 1e-6


def test_teacher_forcing_learns_parity_quickly():
    x, y = running_parity(200, 12, seed=0)
    cell = Jordan(1, 8, 1, seed=0)
    history = train_next_step(cell, None, x, y, epochs=25, batch_size=32, teacher_forcing=True)
    assert history["loss"][-1] < 0.05
    prediction, hidden = predict(cell, None, *running_parity(50, 12, seed=1)[:1])
    assert hidden.shape == (50, 12, 8)  # predict returns a Jordan cell's hidden units


def test_teacher_forcing_rejects_bad_arguments():
    cell = Jordan(1, 3, 1)
    x, y = running_parity(2, 4, seed=0)
    with pytest.raises(TypeError, match="Jordan"):
        teacher_forced_forward(Elman(1, 3), x, y)
    with pytest.raises(ValueError, match="targets"):
        teacher_forced_forward(cell, x, y[:, :2])
    with pytest.raises(ValueError, match="mu"):
        teacher_states(y, 1.5)
    with pytest.raises(ValueError, match="s0"):
        teacher_states(y, 0.5, np.zeros((3, 1)))
    with pytest.raises(TypeError, match="cache"):
        teacher_forced_backward(cell, y, {})


# --- hidden states -------------------------------------------------------------------


def _two_blobs(seed=0):
    rng = np.random.default_rng(seed)
    points = np.concatenate([rng.normal(0, 0.1, (6, 3)), rng.normal(5, 0.1, (4, 3))])  # (10, 3)
    return points, ["a"] * 6 + ["b"] * 4


def test_mean_by_label():
    hidden = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    labels, means = mean_by_label(hidden, ["x", "y", "x"])
    assert labels == ["x", "y"]
    np.testing.assert_allclose(means, [[2.0, 3.0], [2.0, 3.0]])
    _, means = mean_by_label(hidden, np.array(["x", "y", "x"]), order=["y", "x"])
    np.testing.assert_allclose(means[0], [2.0, 3.0])
    with pytest.raises(ValueError, match="never occur"):
        mean_by_label(hidden, ["x", "y", "x"], order=["z"])
    with pytest.raises(ValueError, match="labels"):
        mean_by_label(hidden, ["x", "y"])
    with pytest.raises(TypeError, match="labels"):
        mean_by_label(hidden, "xyx")


def test_clusters_of_separated_blobs():
    points, classes = _two_blobs()
    side = top_split(points, method="average")
    assert list(side) == [0] * 6 + [1] * 4
    assert split_purity(side, classes) == 1.0
    assert split_purity([0] * 10, classes) == 0.6  # one cluster: the majority class
    assert silhouette(points, classes) > 0.9
    shuffled = np.random.default_rng(0).permutation(classes)
    assert abs(silhouette(points, list(shuffled))) < 0.5


def test_cluster_helpers_reject_bad_arguments():
    points, classes = _two_blobs()
    with pytest.raises(ValueError, match="method"):
        top_split(points, method="centroidal")
    with pytest.raises(ValueError, match="points"):
        top_split(points[:1])
    with pytest.raises(ValueError, match="classes"):
        split_purity([0, 1], ["a"])
    with pytest.raises(ValueError, match="two classes"):
        silhouette(points, ["a"] * 10)
    with pytest.raises(ValueError, match="assignment"):
        split_purity([], [])


def test_pca_finds_the_main_direction():
    t = np.linspace(-1, 1, 50)
    points = np.stack([t, 2 * t, np.zeros_like(t)], axis=1)  # a line in 3-D
    projected, explained = pca(points, 2)
    assert projected.shape == (50, 2)
    np.testing.assert_allclose(explained, [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(np.abs(projected[:, 0]), np.sqrt(5) * np.abs(t), atol=1e-12)
    with pytest.raises(ValueError, match="n_components"):
        pca(points, 4)


# --- seeds -------------------------------------------------------------------------


def test_seed_summaries():
    assert format_mean_std([1.0, 3.0]) == "2.000 ± 1.414"  # sample std, as the verdicts use
    assert format_mean_std([5], digits=1) == "5.0 (1 seed)"  # one value has no spread
    text = table(["net", "score"], [["Elman", "0.1"], ["Jordan mu=0", "12.5"]])
    lines = text.splitlines()
    assert lines[0].startswith("net") and set(lines[1]) <= {"-", " "}
    assert lines[3].endswith("12.5") and len({len(line) for line in lines}) == 1


def test_seed_summaries_reject_bad_arguments():
    with pytest.raises(ValueError, match="values"):
        format_mean_std([])
    with pytest.raises(ValueError, match="rows"):
        table(["a", "b"], [["only one"]])
    with pytest.raises(TypeError, match="header"):
        table([], [])
