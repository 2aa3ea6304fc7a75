import numpy as np
import pytest

from course_utils.tasks.dates import (
    DATE_FORMATS,
    INPUT_CHARS,
    MAX_INPUT_LENGTH,
    OUTPUT_CHARS,
    TAILS,
    chars_after_date,
    date_examples,
    decode_iso,
    encode_inputs,
    encode_targets,
    parse_date,
)


def test_round_trip_every_format():
    data = date_examples(3000, seed=0)
    assert set(data.formats) == set(DATE_FORMATS)
    for text, iso in zip(data.inputs, data.targets, strict=True):
        assert parse_date(text) == iso, text


@pytest.mark.parametrize(
    "text, iso",
    [
        ("3 March 2019", "2019-03-03"),
        ("Mar 3, 19", "2019-03-03"),
        ("Mar 3, 51", "1951-03-03"),
        ("03/03/2019", "2019-03-03"),
        ("on the day of Sunday, the 3rd of March 2019, as the letter says", "2019-03-03"),
    ],
)
def test_parse_known_examples(text, iso):
    assert parse_date(text) == iso


def test_parser_rejects_wrong_weekday_and_nonsense():
    with pytest.raises(ValueError, match="Monday"):
        parse_date("Monday, 3 March 2019")  # it was a Sunday
    with pytest.raises(ValueError, match="no date"):
        parse_date("tomorrow")
    with pytest.raises(TypeError, match="text"):
        parse_date(20190303)


def test_lengths_and_characters():
    data = date_examples(2000, seed=1)
    lengths = [len(t) for t in data.inputs]
    assert min(lengths) <= 10 and max(lengths) > 50 and max(lengths) <= MAX_INPUT_LENGTH
    assert set("".join(data.inputs)) <= set(INPUT_CHARS)


def test_encoding_round_trip():
    data = date_examples(5, seed=2)
    ids = encode_inputs(data.inputs, MAX_INPUT_LENGTH)
    assert ids.shape == (5, MAX_INPUT_LENGTH) and ids.dtype == np.int32
    assert (ids > 0).sum(axis=1).tolist() == [len(t) for t in data.inputs]  # 0 only as padding
    decoder_in, decoder_out = encode_targets(data.targets)
    assert decoder_in.shape == decoder_out.shape == (5, 10)
    assert (decoder_in[:, 0] == 1).all() and (decoder_in[:, 1:] == decoder_out[:, :-1]).all()
    assert decode_iso(decoder_out) == data.targets
    assert len(OUTPUT_CHARS) == 11


def test_seed_reproduces():
    assert date_examples(10, seed=3).inputs == date_examples(10, seed=3).inputs


def test_bad_arguments():
    with pytest.raises(ValueError, match="n"):
        date_examples(0)
    with pytest.raises(ValueError, match="formats"):
        date_examples(3, formats=["klingon"])
    with pytest.raises(ValueError, match="max_length"):
        encode_inputs(["3 March 2019"], max_length=4)
    with pytest.raises(ValueError, match="INPUT_CHARS"):
        encode_inputs(["3 März 2019"])
    with pytest.raises(ValueError, match="empty"):
        encode_inputs(["3 March 2019", ""])
    with pytest.raises(ValueError, match="texts"):
        encode_inputs([])
    with pytest.raises(TypeError, match="isos"):
        encode_targets(["2019-3-3"])


def assert_right_padded(ids):
    """Masked RNN input (id 0 = padding): padding only at the end, never a row of padding."""
    real = ids != 0  # (n, time)
    assert real[:, 0].all(), "a row starts with padding (left-padded or all padding)"
    assert not (~real[:, :-1] & real[:, 1:]).any(), "a real step follows padding"


def test_every_masked_input_is_right_padded_and_never_all_padding():
    """Issue 15: cuDNN (GPU) accepts only right-padded masks with a real first step.
    This covers every builder of lesson 08 that feeds the masked encoder."""
    from course_utils.lessons.l08_applications.applications import date_data

    data = date_examples(3000, seed=0)
    assert_right_padded(encode_inputs(data.inputs, MAX_INPUT_LENGTH))
    for name in DATE_FORMATS:  # the shortest format too
        assert_right_padded(encode_inputs(date_examples(50, seed=1, formats=[name]).inputs))
    encoded = date_data(n_train=200, n_test=100)  # what the lesson and benchmark feed
    assert_right_padded(encoded["x_enc"])
    assert_right_padded(encoded["x_enc_test"])


def test_chars_after_date_is_the_story_filler_only():
    examples = date_examples(300, seed=3)
    for text, name in zip(examples.inputs, examples.formats, strict=True):
        after = chars_after_date(text)
        if name == "story":
            assert text[-after:] in TAILS and after > 0
        else:
            assert after == 0, (name, text)
    with pytest.raises(ValueError, match="no date"):
        chars_after_date("no date here")
    with pytest.raises(TypeError, match="text"):
        chars_after_date(3)
