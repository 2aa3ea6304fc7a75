"""course_utils.textgen.ngram: the count-based baseline printed beside the race."""

import math

import numpy as np
import pytest

from course_utils.textgen.ngram import ngram_bits_per_char


def test_counts_by_hand():
    train = np.array([0, 1, 0, 1, 0, 2], dtype=np.int32)  # after 0: 1 twice, 2 once
    rows = np.array([[0, 1, 0, 2]], dtype=np.int32)  # targets 1, 0, 2 after 0, 1, 0
    # context 1, alpha 1, V 3: p(1|0) = 3/6, p(0|1) = 3/5, p(2|0) = 2/6
    expected = -np.mean(np.log2([3 / 6, 3 / 5, 2 / 6]))
    got = ngram_bits_per_char(train, rows, context=1, vocab_size=3, alpha=1.0, burn_in=0)
    assert got == pytest.approx(expected)
    # context 0: unigram counts 0:3, 1:2, 2:1 of 6; scored targets from burn_in=1 on: 0, 2
    expected = -np.mean(np.log2([(3 + 1) / 9, (1 + 1) / 9]))
    got = ngram_bits_per_char(train, rows, context=0, vocab_size=3, alpha=1.0, burn_in=1)
    assert got == pytest.approx(expected)


def test_unseen_contexts_fall_back_to_uniform_and_more_context_helps():
    train = np.tile(np.arange(5, dtype=np.int32), 200)  # 0 1 2 3 4 0 1 ...
    rows = np.tile(np.arange(5, dtype=np.int32), 10)[None]
    assert ngram_bits_per_char(
        train, rows, context=2, vocab_size=5, burn_in=2
    ) < ngram_bits_per_char(train, rows, context=0, vocab_size=5, burn_in=2)
    unseen = np.full((1, 12), 7, dtype=np.int32)  # a context never counted
    got = ngram_bits_per_char(train, unseen, context=2, vocab_size=8, burn_in=2)
    assert got == pytest.approx(math.log2(8))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"context": -1}, "context"), ({"alpha": 0.0}, "alpha"), ({"vocab_size": 2}, "ids")],
)
def test_bad_input_is_named(kwargs, match):
    train, rows = np.arange(9, dtype=np.int32) % 3, np.zeros((1, 8), np.int32)
    args = {"context": 1, "vocab_size": 3, "burn_in": 1} | kwargs
    with pytest.raises((TypeError, ValueError), match=match):
        ngram_bits_per_char(train, rows, **args)
