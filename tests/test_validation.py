import numpy as np
import pytest

from course_utils.core.validation import check_array, check_choice, check_int, check_number


def test_check_array_messages_name_argument():
    with pytest.raises(
        ValueError, match=r"x must have rank 3 \(batch, time, input_size\); got shape \(2, 3\)"
    ):
        check_array("x", np.zeros((2, 3)), ndim=3, dims="(batch, time, input_size)")
    with pytest.raises(TypeError, match=r"x must be a float array; got dtype int64.*astype"):
        check_array("x", np.zeros((2, 3), dtype=np.int64))
    with pytest.raises(
        ValueError, match=r"x contains 1 NaN or inf value\(s\), first at index \(1, 0\)"
    ):
        check_array("x", np.array([[0.0], [np.nan]]))
    with pytest.raises(ValueError, match=r"h0 must have shape \(any, 4\)"):
        check_array("h0", np.zeros((2, 3)), shape=(None, 4))
    with pytest.raises(TypeError, match="x must be an array"):
        check_array("x", None)
    with pytest.raises(TypeError, match="numeric"):
        check_array("x", np.array(["a"], dtype=object))


def test_check_array_accepts_good_input():
    a = check_array("x", [[1.0, 2.0]], ndim=2)
    assert a.shape == (1, 2)
    assert check_array("i", np.arange(3), kind="int").dtype.kind == "i"


def test_scalars():
    assert check_int("n", np.int64(3), minimum=1) == 3
    with pytest.raises(TypeError, match="n must be an integer; got bool"):
        check_int("n", True)
    with pytest.raises(ValueError, match="n must be >= 1; got 0"):
        check_int("n", 0, minimum=1)
    with pytest.raises(ValueError, match="t must be > 0"):
        check_number("t", 0.0, minimum=0, strict_minimum=True)
    with pytest.raises(ValueError, match="finite"):
        check_number("t", float("nan"))
    with pytest.raises(ValueError, match=r"unknown cell 'rnn'; expected one of \['lstm', 'gru'\]"):
        check_choice("cell", "rnn", ["lstm", "gru"])
