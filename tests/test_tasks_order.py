"""The temporal-order task: shapes, labels that match the relevant symbols, bad input."""

import numpy as np
import pytest

from course_utils.tasks import ORDER_CLASSES, ORDER_SYMBOLS, temporal_order


@pytest.mark.parametrize("length", [10, 50, 101])
def test_labels_are_the_order_of_the_two_relevant_symbols(length):
    x, y = temporal_order(300, length, seed=1)
    assert x.shape == (300, length, len(ORDER_SYMBOLS)) and x.dtype == np.float32
    assert y.shape == (300,) and y.dtype == np.int32
    assert np.all(x.sum(-1) == 1)  # one-hot
    ids = x.argmax(-1)  # (n, T)
    for row, label in zip(ids, y, strict=True):
        positions = np.flatnonzero(row >= 4)
        assert len(positions) == 2
        first, second = positions
        assert length // 10 <= first < max(length // 5, length // 10 + 1)
        assert length // 2 <= second < max(3 * length // 5, length // 2 + 1)
        pair = "".join(ORDER_SYMBOLS[row[p]] for p in positions)
        assert ORDER_CLASSES[label] == pair


def test_classes_are_balanced_and_seeded():
    _, y = temporal_order(4000, 50, seed=0)
    assert np.all(np.abs(np.bincount(y, minlength=4) / 4000 - 0.25) < 0.03)
    a, b = temporal_order(5, 20, seed=7), temporal_order(5, 20, seed=7)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


@pytest.mark.parametrize(
    "args, error, word",
    [((0, 50), ValueError, "n_sequences"), ((5, 9), ValueError, "length"),
     ((5, 50.0), TypeError, "length"), (("5", 50), TypeError, "n_sequences")],
)  # fmt: skip
def test_bad_arguments_name_themselves(args, error, word):
    with pytest.raises(error, match=word):
        temporal_order(*args)


def test_solved_means_carrying_the_first_symbol_on_most_sequences():
    from course_utils.tasks.order import SOLVED_ORDER_ACCURACY

    # remembering only the later symbol scores 0.5; carrying the first on a share p
    # and guessing it on the rest scores 0.5 + p / 2, so "solved" needs p >= 0.8
    assert 0.5 < SOLVED_ORDER_ACCURACY <= 1.0
    assert (SOLVED_ORDER_ACCURACY - 0.5) * 2 == pytest.approx(0.8)
