import numpy as np
import pytest

from course_utils.tasks import running_parity


def test_parity_rule_holds():
    x, y = running_parity(200, 30, seed=0)
    assert x.shape == y.shape == (200, 30, 1)
    assert x.dtype == y.dtype == np.float32
    bits = x[..., 0].astype(int)
    np.testing.assert_array_equal(y[:, 0, 0], bits[:, 0])  # the first target is the first bit
    previous = np.concatenate([np.zeros((200, 1), int), y[:, :-1, 0].astype(int)], axis=1)
    np.testing.assert_array_equal(y[..., 0].astype(int), previous ^ bits)  # y_t = y_{t-1} XOR x_t
    assert 0.4 < bits.mean() < 0.6 and 0.4 < y.mean() < 0.6


def test_seeds_reproduce_and_differ():
    np.testing.assert_array_equal(running_parity(5, 8, seed=3)[0], running_parity(5, 8, seed=3)[0])
    assert not np.array_equal(running_parity(5, 8, seed=3)[0], running_parity(5, 8, seed=4)[0])
    rng = np.random.default_rng(1)
    assert running_parity(2, 4, seed=rng)[0].shape == (2, 4, 1)


@pytest.mark.parametrize(
    ("kwargs", "error", "word"),
    [
        ({"n_sequences": 0, "length": 5}, ValueError, "n_sequences"),
        ({"n_sequences": 2, "length": 0}, ValueError, "length"),
        ({"n_sequences": 2.5, "length": 5}, TypeError, "n_sequences"),
        ({"n_sequences": 2, "length": 5, "seed": "x"}, TypeError, "seed"),
    ],
)
def test_bad_arguments_raise(kwargs, error, word):
    with pytest.raises(error, match=word):
        running_parity(**kwargs)
