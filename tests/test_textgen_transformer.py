"""The race's Transformer, its held-out score, FLOP counts, settings and the three-way split."""

import numpy as np
import pytest

from course_utils.textgen import (
    TRANSFORMER_SETTINGS,
    build_from_settings,
    lesson_settings,
    split_train_validation_test,
)
from course_utils.textgen.cost import forward_macs_per_char, training_flops_per_char
from course_utils.textgen.transformer import transformer_bits_per_char, transformer_model

VOCAB = 11


@pytest.fixture(scope="module")
def model():
    from course_utils.core.environment import seed_all

    seed_all(0)
    return transformer_model(VOCAB, width=16, num_layers=2, heads=4, mlp_width=32, context=12)


def _nats(logits, targets):
    z = logits.astype(np.float64)  # (rows, time, vocab)
    z = z - z.max(-1, keepdims=True)
    return np.log(np.exp(z).sum(-1)) - np.take_along_axis(z, targets[..., None], -1)[..., 0]


def test_shape_and_causality(model):
    ids = np.random.default_rng(0).integers(0, VOCAB, (3, 12)).astype(np.int32)  # (3, 12)
    logits = np.asarray(model(ids))  # (3, 12, vocab)
    assert logits.shape == (3, 12, VOCAB)
    changed = ids.copy()
    changed[:, 7:] = (changed[:, 7:] + 1) % VOCAB  # change the future only
    after = np.asarray(model(changed))  # (3, 12, vocab)
    np.testing.assert_allclose(after[:, :7], logits[:, :7], atol=1e-5)
    assert np.abs(after[:, 7:] - logits[:, 7:]).max() > 1e-4


def test_saves_and_loads(model, tmp_path):
    import keras

    model.save(tmp_path / "t.keras")
    again = keras.saving.load_model(tmp_path / "t.keras")
    ids = np.arange(10, dtype=np.int32)[None] % VOCAB  # (1, 10)
    np.testing.assert_allclose(np.asarray(again(ids)), np.asarray(model(ids)), atol=1e-6)


def test_scores_equal_a_direct_computation(model):
    rows = np.random.default_rng(1).integers(0, VOCAB, (4, 41)).astype(np.int32)  # (4, 41)
    x, y = rows[:, :-1], rows[:, 1:]  # (4, 40) each
    # windows of 8 from nothing: score each window in one call
    windows = [_nats(np.asarray(model(x[:, i : i + 8])), y[:, i : i + 8]) for i in range(0, 40, 8)]
    expected = np.concatenate(windows, axis=1).mean() / np.log(2)
    assert transformer_bits_per_char(model, rows, window=8) == pytest.approx(expected, rel=1e-6)
    # carried: character t is scored from the context that ends at its stride's end
    nats = []
    for t in range(5, 40):
        end = min(5 + ((t - 5) // 6 + 1) * 6, 40)
        start = max(0, end - 12)
        nats.append(_nats(np.asarray(model(x[:, start:end])), y[:, start:end])[:, t - start])
    expected = np.mean(nats) / np.log(2)
    assert transformer_bits_per_char(model, rows, burn_in=5) == pytest.approx(expected, rel=1e-6)


def test_score_and_model_reject_bad_input(model):
    rows = np.zeros((2, 20), np.int32)
    with pytest.raises(ValueError, match="window"):
        transformer_bits_per_char(model, rows, window=13)  # longer than the context
    with pytest.raises(ValueError, match="rows"):
        transformer_bits_per_char(model, rows[0])
    with pytest.raises(ValueError, match="width"):
        transformer_model(VOCAB, width=10, heads=4)
    with pytest.raises(ValueError, match="transformer_model"):
        from course_utils.textgen import char_model

        transformer_bits_per_char(char_model(VOCAB, hidden_size=4), rows)


def test_flop_counts_by_hand():
    gru = dict(lesson_settings(), cell="gru", embedding_dim=64, hidden_size=256, num_layers=1)
    assert forward_macs_per_char(gru, 65) == 3 * 256 * (64 + 256) + 256 * 65
    lstm2 = dict(gru, cell="lstm", num_layers=2)
    assert forward_macs_per_char(lstm2, 65) == 4 * 256 * 320 + 4 * 256 * 512 + 256 * 65
    t = TRANSFORMER_SETTINGS  # width 128, MLP 512, 4 layers, context 128
    per_layer = 4 * 128 * 128 + 2 * 128 * 512 + 2 * 128 * 128
    assert forward_macs_per_char(t, 65) == 4 * per_layer + 128 * 65
    assert training_flops_per_char(t, 65) == 6 * forward_macs_per_char(t, 65)
    with pytest.raises(ValueError, match="cell"):
        forward_macs_per_char(dict(gru, cell="rnn"), 65)


def test_build_from_settings():
    import keras

    assert any(
        isinstance(layer, keras.layers.MultiHeadAttention)
        for layer in build_from_settings(dict(TRANSFORMER_SETTINGS, num_layers=1), VOCAB).layers
    )
    assert isinstance(build_from_settings(lesson_settings(), VOCAB).layers[2], keras.layers.GRU)
    with pytest.raises(ValueError, match="settings\\['cell'\\]"):
        build_from_settings(dict(lesson_settings(), cell="rnn"), VOCAB)
    with pytest.raises(ValueError, match="lacks \\['heads'\\]|lacks \\['batch_size'\\]"):
        build_from_settings(
            {k: v for k, v in lesson_settings().items() if k != "batch_size"}, VOCAB
        )
    with pytest.raises(ValueError, match="stateful"):
        build_from_settings(dict(TRANSFORMER_SETTINGS, stateful=True), VOCAB)
    with pytest.raises(TypeError, match="settings"):
        build_from_settings([("cell", "gru")], VOCAB)


def test_three_way_split():
    text = "".join(chr(97 + i % 26) for i in range(1000))
    train, validation, test = split_train_validation_test(text)
    assert (len(train), len(validation), len(test)) == (900, 50, 50)
    assert train + validation + test == text
    with pytest.raises(ValueError, match="validation"):
        split_train_validation_test(text, validation=0.0)
    with pytest.raises(ValueError, match="too short"):
        split_train_validation_test("abcdefgh", 0.1, 0.1)


def test_carried_context_is_what_the_scoring_loop_reads(model):
    from course_utils.textgen.transformer import carried_context

    class Recorder:  # the model, recording how many inputs each scored position had
        layers = model.layers

        def __init__(self):
            self.widths = []

        def predict_on_batch(self, x):
            self.widths.append(x.shape[1])
            return model.predict_on_batch(x)

    rows = np.random.default_rng(3).integers(0, VOCAB, (2, 61)).astype(np.int32)
    recorder = Recorder()
    transformer_bits_per_char(recorder, rows, burn_in=20)
    full = [w for w in recorder.widths if w == 12]  # windows past the row's start
    assert full and carried_context(12) == (12 - 6 + 1, 12)
    # a full window scores its last stride (6) positions: they read 7..12 inputs
    assert (12 - 6 + 1, 12) == (min(full) - 6 + 1, max(full))
