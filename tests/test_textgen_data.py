"""course_utils.textgen.data: vocabulary, splits, tf.data pipelines, word n-grams."""

import numpy as np
import pytest

from course_utils.textgen.data import (
    CharVocabulary,
    char_dataset,
    split_text,
    stateful_char_dataset,
    word_ngram_sequences,
)

TEXT = "First Citizen:\nBefore we proceed any further, hear me speak.\n" * 40


def test_vocabulary_round_trip_and_order():
    vocab = CharVocabulary.from_text(TEXT)
    assert list(vocab.chars) == sorted(set(TEXT))
    ids = vocab.encode(TEXT)
    assert ids.dtype == np.int32 and ids.shape == (len(TEXT),)
    assert vocab.decode(ids) == TEXT


def test_vocabulary_rejects_unknown_characters_and_bad_ids():
    vocab = CharVocabulary.from_text("abc")
    with pytest.raises(ValueError, match="outside the vocabulary"):
        vocab.encode("abz")
    with pytest.raises(ValueError, match="ids"):
        vocab.decode(np.array([0, 3]))
    with pytest.raises(TypeError, match="text"):
        vocab.encode(["a"])
    with pytest.raises(ValueError, match="repeat"):
        CharVocabulary(("a", "a"))


def test_split_keeps_the_tail():
    train, held = split_text("abcdefghij" * 10, held_out=0.1)
    assert train + held == "abcdefghij" * 10 and len(held) == 10
    with pytest.raises(ValueError, match="held_out"):
        split_text("abc" * 10, held_out=0.9)


def test_char_dataset_shapes_and_targets_shifted_by_one():
    ids = np.arange(5_000, dtype=np.int32) % 97
    ds = char_dataset(ids, seq_length=20, batch_size=8, shuffle=False)
    x, y = next(iter(ds))
    assert x.shape == (8, 20) and y.shape == (8, 20)
    assert x.dtype.name == "int32"
    np.testing.assert_array_equal(x.numpy()[:, 1:], y.numpy()[:, :-1])  # shifted by one
    np.testing.assert_array_equal(x.numpy()[0], ids[:20])  # windows of seq_length + 1
    np.testing.assert_array_equal(x.numpy()[1], ids[21:41])


def test_char_dataset_shuffles_windows_but_keeps_pairs():
    ids = np.arange(5_000, dtype=np.int32)
    x, y = next(iter(char_dataset(ids, seq_length=10, batch_size=16, seed=1)))
    x, y = x.numpy(), y.numpy()
    np.testing.assert_array_equal(y, x + 1)
    assert not np.array_equal(x[:, 0], np.arange(16) * 11)  # not in file order


def test_stateful_dataset_rows_continue_across_batches():
    ids = np.arange(10_000, dtype=np.int32)
    ds, per_pass = stateful_char_dataset(ids, seq_length=25, batch_size=4, seed=0)
    assert per_pass == (10_000 - 26) // 100
    it = iter(ds)
    (x1, y1), (x2, y2) = next(it), next(it)
    assert x1.shape == (4, 25) and y2.shape == (4, 25)
    np.testing.assert_array_equal(y1.numpy(), x1.numpy() + 1)
    np.testing.assert_array_equal(x2.numpy()[:, 0], x1.numpy()[:, -1] + 1)  # rows continue
    assert len(set(np.diff(x1.numpy()[:, 0]))) == 1  # evenly spaced streams


def test_stateful_dataset_moves_the_offset_each_pass():
    ids = np.arange(3_000, dtype=np.int32)
    ds, per_pass = stateful_char_dataset(ids, seq_length=30, batch_size=4, seed=0)
    starts = [int(x[0, 0]) for x, _ in ds.take(6 * per_pass)][::per_pass]
    assert all(0 <= s < 30 for s in starts) and len(set(starts)) > 1


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: char_dataset(np.arange(10), 0, 2), ValueError, "seq_length"),
        (lambda: char_dataset(np.arange(10), 5, 4), ValueError, "ids"),
        (lambda: char_dataset(np.arange(10.0), 2, 2), TypeError, "ids"),
        (lambda: stateful_char_dataset(np.arange(50), 10, 8), ValueError, "ids"),
        (lambda: stateful_char_dataset(np.arange(500), 10, 0), ValueError, "batch_size"),
    ],
)
def test_pipelines_reject_bad_arguments(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_word_ngrams_are_padded_prefixes():
    import keras

    lines = ["the dog sees the cat", "a cat sleeps"]
    vectorizer = keras.layers.TextVectorization(output_mode="int")
    vectorizer.adapt(lines)
    x, y = word_ngram_sequences(lines, vectorizer)
    assert x.shape == (4 + 2, 4) and y.shape == (6,)
    words = vectorizer.get_vocabulary()
    first = [words[i] for i in x[0] if i] + [words[y[0]]]
    assert first == ["the", "dog"] and x[0, 1:].tolist() == [0, 0, 0]  # right-padded
    last_full = [words[i] for i in x[3]] + [words[y[3]]]
    assert last_full == ["the", "dog", "sees", "the", "cat"]


def test_word_ngrams_reject_bad_input():
    import keras

    vectorizer = keras.layers.TextVectorization()
    vectorizer.adapt(["one two"])
    with pytest.raises(TypeError, match="lines"):
        word_ngram_sequences("one two", vectorizer)
    with pytest.raises(TypeError, match="vectorizer"):
        word_ngram_sequences(["one two"], object())
    with pytest.raises(ValueError, match="two words"):
        word_ngram_sequences(["one"], vectorizer)
