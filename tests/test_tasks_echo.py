import numpy as np
import pytest

from course_utils.tasks import delayed_echo


def test_echo_rule_and_shapes():
    x, y = delayed_echo(10, 12, delay=3, seed=0)
    assert x.shape == y.shape == (10, 12, 1) and x.dtype == np.float32
    np.testing.assert_array_equal(y[:, 3:], x[:, :-3])
    assert not y[:, :3].any()


def test_seeds_reproduce():
    a, _ = delayed_echo(4, 8, seed=1)
    b, _ = delayed_echo(4, 8, seed=1)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_sequences": 0, "length": 5}, "n_sequences"),
        ({"n_sequences": 2, "length": 0}, "length"),
        ({"n_sequences": 2, "length": 5, "delay": 5}, "delay"),
        ({"n_sequences": 2, "length": 5, "delay": -1}, "delay"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        delayed_echo(**kwargs)


def test_bad_seed_type():
    with pytest.raises(TypeError, match="seed"):
        delayed_echo(2, 5, seed="abc")
