import keras
import numpy as np
import pytest

from course_utils.lessons.l08_applications.seq2seq import (
    Attention,
    BahdanauDecoder,
    accuracy_by_group,
    accuracy_by_length,
    additive_attention_numpy,
    attention_weights,
    build_seq2seq,
    format_length_table,
    greedy_decode,
)


def _inputs(seed=0, batch=3, t_out=4, t_in=7, d=5):
    rng = np.random.default_rng(seed)
    query = rng.normal(size=(batch, t_out, d)).astype("float32")  # (batch, T_out, d)
    values = rng.normal(size=(batch, t_in, d)).astype("float32")  # (batch, T_in, d)
    mask = np.ones((batch, t_in), dtype=bool)
    mask[0, 5:] = False
    mask[1, 2:] = False
    return query, values, mask


def test_weights_sum_to_one_and_respect_mask():
    query, values, mask = _inputs()
    layer = Attention(6)
    context, weights = layer(query, values, values_mask=mask)
    weights = keras.ops.convert_to_numpy(weights)
    assert weights.shape == (3, 4, 7) and context.shape == (3, 4, 5)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, atol=1e-5)
    assert np.all(weights[~np.broadcast_to(mask[:, None, :], weights.shape)] == 0.0)
    assert np.all(weights >= 0)


def test_padded_values_do_not_change_the_context():
    query, values, mask = _inputs()
    layer = Attention(6)
    context, _ = layer(query, values, values_mask=mask)
    changed = values.copy()
    changed[~mask] = 1000.0  # garbage in the padded positions
    context2, _ = layer(query, changed, values_mask=mask)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(context), keras.ops.convert_to_numpy(context2), atol=1e-5
    )


def test_numpy_matches_keras():
    query, values, mask = _inputs(seed=1)
    layer = Attention(6)
    context, weights = layer(query, values, values_mask=mask)
    W_query, W_values, v = (keras.ops.convert_to_numpy(w) for w in layer.weights)
    np_context, np_weights = additive_attention_numpy(query, values, W_query, W_values, v, mask)
    np.testing.assert_allclose(np_weights, keras.ops.convert_to_numpy(weights), atol=1e-5)
    np.testing.assert_allclose(np_context, keras.ops.convert_to_numpy(context), atol=1e-5)
    np.testing.assert_allclose(np_weights.sum(axis=-1), 1.0, atol=1e-6)


def test_layer_serializes(tmp_path):
    layer = Attention(6, name="att")
    again = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert isinstance(again, Attention) and again.units == 6


def test_seq2seq_shapes_save_and_greedy_decode(tmp_path):
    s2s = build_seq2seq(20, 13, units=8, embed_dim=4, attention=True)
    enc = np.array([[3, 4, 5, 0, 0], [6, 7, 0, 0, 0]], dtype="int32")  # (batch, T_in)
    dec = np.ones((2, 10), dtype="int32")  # (batch, T_out)
    assert s2s.model.predict([enc, dec], verbose=0).shape == (2, 10, 13)
    weights = s2s.attention_model.predict([enc, dec], verbose=0)  # (batch, T_out, T_in)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-5)
    assert np.all(weights[0, :, 3:] == 0) and np.all(weights[1, :, 2:] == 0)
    out = greedy_decode(s2s.model, enc, steps=10)
    assert out.shape == (2, 10) and out.dtype == np.int32
    path = tmp_path / "m.keras"
    s2s.model.save(path)
    again = keras.saving.load_model(path)
    np.testing.assert_allclose(
        again.predict([enc, dec], verbose=0), s2s.model.predict([enc, dec], verbose=0), atol=1e-6
    )


def test_without_attention_has_no_attention_model():
    s2s = build_seq2seq(20, 13, units=8, attention=False)
    assert s2s.attention_model is None


def test_accuracy_by_length():
    table = accuracy_by_length(
        ["a", "b", "c", "d"], ["a", "x", "c", "d"], [5, 6, 20, 30], [0, 10, 25, 40]
    )
    assert table == {"1-10": (0.5, 2), "11-25": (1.0, 1), "26-40": (1.0, 1)}


def test_bad_arguments():
    with pytest.raises(ValueError, match="units"):
        Attention(0)
    with pytest.raises(TypeError, match="attention"):
        build_seq2seq(20, 13, attention="yes")
    with pytest.raises(ValueError, match="placement"):
        build_seq2seq(20, 13, attention=True, placement="before")
    with pytest.raises(ValueError, match="score"):
        Attention(4, score="cosine")
    with pytest.raises(TypeError, match="score"):
        BahdanauDecoder(4, score=1)
    with pytest.raises(ValueError, match="one width"):
        Attention(4, score="dot")(np.zeros((1, 2, 3)), np.zeros((1, 4, 5)))
    with pytest.raises(ValueError, match="input_vocab_size"):
        build_seq2seq(1, 13)
    with pytest.raises(ValueError, match="bins"):
        accuracy_by_length(["a"], ["a"], [1], [5, 2])
    with pytest.raises(ValueError, match="lengths"):
        accuracy_by_length(["a"], ["a"], [1, 2], [0, 2])
    with pytest.raises(ValueError, match="query"):
        additive_attention_numpy(np.zeros((2, 3)), np.zeros((1, 2, 3)), None, None, None)


def test_attention_weights_and_table():
    s2s = build_seq2seq(20, 13, units=8, embed_dim=4, attention=True)
    enc = np.array([[3, 4, 5, 0]], dtype="int32")
    weights = attention_weights(s2s, enc, np.full((1, 10), 2, dtype="int32"))
    assert weights.shape == (1, 10, 4) and np.all(weights[0, :, 3] == 0)
    with pytest.raises(ValueError, match="attention=True"):
        attention_weights(build_seq2seq(20, 13, units=4), enc, enc)
    text = format_length_table({"a": {"1-5": (0.5, 2)}, "b": {"1-5": (1.0, 2)}})
    assert "1-5" in text and "0.500" in text and "1.000" in text
    assert format_length_table({"a": {"story": (0.5, 2)}}, label="format").split()[0] == "format"
    with pytest.raises(TypeError, match="label"):
        format_length_table({"a": {"story": (0.5, 2)}}, label=3)


def test_accuracy_by_group():
    table = accuracy_by_group(["a", "b", "c", "d"], ["a", "x", "c", "d"], ["s", "t", "t", "s"])
    assert table == {"s": (1.0, 2), "t": (0.5, 2)}
    ordered = accuracy_by_group(["a", "b"], ["a", "b"], ["s", "t"], order=["t", "u", "s"])
    assert list(ordered) == ["t", "s"]  # in order; the empty group is left out
    with pytest.raises(ValueError, match="groups"):
        accuracy_by_group(["a"], ["a"], ["s", "t"])
    with pytest.raises(TypeError, match="order"):
        accuracy_by_group(["a"], ["a"], ["s"], order="s")


@pytest.mark.parametrize("score", ["dot", "general"])
def test_multiplicative_scores_match_numpy(score):
    query, values, mask = _inputs(seed=2)
    layer = Attention(6, score=score)
    context, weights = (keras.ops.convert_to_numpy(t) for t in layer(query, values, mask))
    W = keras.ops.convert_to_numpy(layer.weights[0]) if score == "general" else np.eye(5)
    scores = np.einsum("bti,ij,bsj->bts", query, W, values)  # (batch, T_out, T_in)
    scores = np.where(mask[:, None, :], scores, -np.inf)
    expected = np.exp(scores - scores.max(-1, keepdims=True))
    expected /= expected.sum(-1, keepdims=True)
    np.testing.assert_allclose(weights, expected, atol=1e-5)
    np.testing.assert_allclose(context, expected @ values, atol=1e-5)
    again = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert again.score == score


def _weights_after_changing_step(placement, step):
    keras.utils.set_random_seed(0)
    s2s = build_seq2seq(20, 13, units=8, embed_dim=4, attention=True, placement=placement)
    enc = np.array([[3, 4, 5, 6, 7, 0]], dtype="int32")  # (1, T_in)
    dec = np.array([[1, 2, 3, 4, 5, 6]], dtype="int32")  # (1, T_out)
    changed = dec.copy()
    changed[0, step] = 9
    before = s2s.attention_model.predict([enc, dec], verbose=0)  # (1, T_out, T_in)
    after = s2s.attention_model.predict([enc, changed], verbose=0)
    return np.abs(before - after).max(axis=-1)[0]  # (T_out,): change per output step


def test_placement_decides_which_state_is_the_query():
    """Luong: step t's weights use s_t, which has read decoder input t. Bahdanau: they
    use s_{t-1}, so input t first changes the weights of step t + 1."""
    luong = _weights_after_changing_step("luong", 3)
    bahdanau = _weights_after_changing_step("bahdanau", 3)
    assert np.all(luong[:3] == 0) and luong[3] > 0
    assert np.all(bahdanau[:4] == 0) and bahdanau[4] > 0


@pytest.mark.parametrize(
    "placement, score", [("luong", "dot"), ("luong", "general"), ("bahdanau", "additive")]
)
def test_every_variant_trains_saves_and_masks(tmp_path, placement, score):
    s2s = build_seq2seq(
        20, 13, units=8, embed_dim=4, attention=True, placement=placement, score=score
    )
    enc = np.array([[3, 4, 5, 0, 0], [6, 7, 0, 0, 0]], dtype="int32")  # (batch, T_in)
    dec = np.ones((2, 10), dtype="int32")  # (batch, T_out)
    s2s.model.fit([enc, dec], np.full((2, 10), 2), epochs=1, verbose=0)
    weights = s2s.attention_model.predict([enc, dec], verbose=0)  # (batch, T_out, T_in)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-5)
    assert np.all(weights[0, :, 3:] == 0) and np.all(weights[1, :, 2:] == 0)
    path = tmp_path / "m.keras"
    s2s.model.save(path)
    again = keras.saving.load_model(path)
    np.testing.assert_allclose(
        again.predict([enc, dec], verbose=0), s2s.model.predict([enc, dec], verbose=0), atol=1e-6
    )
