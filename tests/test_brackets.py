import numpy as np
import pytest

from course_utils.tasks.brackets import accuracy_by_kind, bracket_labels, bracket_sequences


@pytest.mark.parametrize(
    "text, labels",
    [
        ("()", [1, 1]),
        (")(", [0, 0]),
        ("(()x(", [0, 1, 1, 0, 0]),
        ("(x(x))", [1, 0, 1, 0, 1, 1]),
        ("", []),
    ],
)
def test_labels(text, labels):
    assert bracket_labels(text).tolist() == labels


def test_opening_label_depends_on_the_future():
    # identical pasts, different futures -> different label at position 0
    assert bracket_labels("(x)")[0] == 1 and bracket_labels("(xx")[0] == 0


def test_sequences_shapes_and_consistency():
    data = bracket_sequences(50, 12, seed=0)
    assert data.x.shape == (50, 12, 3) and data.y.shape == (50, 12, 1)
    np.testing.assert_array_equal(data.x.sum(axis=-1), 1)
    for text, y in zip(data.texts, data.y, strict=True):
        np.testing.assert_array_equal(y[:, 0], bracket_labels(text))
    assert not data.y[..., 0][~(data.opening_mask() | data.closing_mask())].any()


def test_no_padding_so_no_mask():
    """Issue 15: the bracket labellers feed no masked RNN; every step is a real character."""
    data = bracket_sequences(200, 24, seed=0)
    np.testing.assert_array_equal(data.x.sum(axis=-1), 1)  # one-hot at every step, no zero rows


def test_bad_arguments():
    with pytest.raises(ValueError, match="text"):
        bracket_labels("(a)")
    with pytest.raises(TypeError, match="text"):
        bracket_labels(3)
    with pytest.raises(ValueError, match="length"):
        bracket_sequences(3, 0)
    with pytest.raises(ValueError, match="p_bracket"):
        bracket_sequences(3, 5, p_bracket=1.5)


def test_accuracy_by_kind():
    data = bracket_sequences(20, 10, seed=4)
    perfect = accuracy_by_kind(data.y, data)
    assert all(v == 1.0 for v in perfect.values()) and len(perfect) == 2
    flipped = accuracy_by_kind(1 - data.y, data)
    assert all(v == 0.0 for v in flipped.values())
    with pytest.raises(ValueError, match="probabilities"):
        accuracy_by_kind(np.zeros((3, 3)), data)
