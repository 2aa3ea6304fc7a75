"""course_utils.textgen.generate and .model: stateful one-step generation, saving."""

import keras
import numpy as np
import pytest

from course_utils.textgen import generate
from course_utils.textgen.data import CharVocabulary
from course_utils.textgen.generate import (
    generate_text,
    grammatical_share,
    inference_model,
    next_char_distribution,
    step,
    zero_states,
)
from course_utils.textgen.model import char_model, compile_char_model, tutorial_model
from course_utils.textgen.word import word_model

VOCAB = CharVocabulary.from_text("abcdefgh ,.\n")


def _softmax(z):
    z = np.asarray(z, dtype=np.float64)
    return np.exp(z - z.max()) / np.exp(z - z.max()).sum()


def _model(cell, num_layers, seed=0, residual=False):
    keras.utils.set_random_seed(seed)
    model = char_model(
        VOCAB.size,
        embedding_dim=8,
        hidden_size=24,
        cell=cell,
        num_layers=num_layers,
        residual=residual,
    )
    for layer in model.layers:  # larger weights: a peaked, state-dependent distribution
        if layer.weights:
            layer.set_weights([3 * w for w in layer.get_weights()])
    return model


@pytest.mark.parametrize(
    ("cell", "num_layers", "residual"),
    [
        ("lstm", 1, False),
        ("lstm", 2, False),
        ("gru", 1, False),
        ("gru", 2, False),
        ("gru", 3, True),
    ],
)
def test_one_step_generation_matches_the_full_prefix(cell, num_layers, residual):
    model = _model(cell, num_layers, residual=residual)
    prompt = "abc, fed hag.\nbeg gab dab ache"
    full = _softmax(model.predict_on_batch(VOCAB.encode(prompt)[None])[0, -1])
    stepped = next_char_distribution(inference_model(model), VOCAB, prompt)
    assert np.abs(stepped - full).max() < 1e-5
    assert np.abs(full - 1 / VOCAB.size).max() > 0.05  # a test with teeth: not uniform


def test_state_is_carried_between_calls():
    model = _model("lstm", 1)
    inference = inference_model(model)
    ids = VOCAB.encode("badge cafe")[None]
    whole, _ = step(inference, ids, zero_states(inference))
    first, states = step(inference, ids[:, :4], zero_states(inference))
    rest, _ = step(inference, ids[:, 4:], states)
    np.testing.assert_allclose(np.concatenate([first, rest], axis=1), whole, atol=1e-5)
    forgotten, _ = step(inference, ids[:, 4:], zero_states(inference))
    assert np.abs(forgotten - whole[:, 4:]).max() > 1e-3  # a zero state is not the same


def test_generation_reads_the_prompt_once_then_one_character_at_a_time(monkeypatch):
    inference = inference_model(_model("gru", 1))
    lengths = []
    real_step = generate.step

    def counting_step(model, ids, states):
        lengths.append(np.asarray(ids).shape[1])
        return real_step(model, ids, states)

    monkeypatch.setattr(generate, "step", counting_step)
    text = generate_text(inference, VOCAB, "cab", 12, temperature=0.7, rng=0)
    assert text.startswith("cab") and len(text) == 15
    assert lengths == [3] + [1] * 12


def test_generation_is_reproducible_and_respects_top_k():
    inference = inference_model(_model("lstm", 2))
    a = generate_text(inference, VOCAB, "ab", 40, temperature=1.0, top_k=3, rng=5)
    b = generate_text(inference, VOCAB, "ab", 40, temperature=1.0, top_k=3, rng=5)
    assert a == b
    greedy = generate_text(inference, VOCAB, "ab", 40, temperature=1e-6, rng=1)
    assert greedy == generate_text(inference, VOCAB, "ab", 40, temperature=1e-6, rng=2)


def test_keras_round_trip_gives_identical_logits(tmp_path):
    model = _model("lstm", 2)
    ids = VOCAB.encode("a bad cage\nfed")[None]
    path = tmp_path / "char_model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(loaded.predict_on_batch(ids), model.predict_on_batch(ids))
    twin = inference_model(loaded)
    np.testing.assert_array_equal(
        step(twin, ids, zero_states(twin))[0], model.predict_on_batch(ids)
    )


def test_stateful_training_model_gives_the_same_twin():
    stateless = _model("lstm", 1)
    stateful = char_model(VOCAB.size, embedding_dim=8, hidden_size=24, batch_size=4, stateful=True)
    stateful.set_weights(stateless.get_weights())
    ids = VOCAB.encode("beach")[None]
    a, b = inference_model(stateless), inference_model(stateful)
    np.testing.assert_array_equal(step(a, ids, zero_states(a))[0], step(b, ids, zero_states(b))[0])


def test_model_builders():
    assert (
        tutorial_model(65).count_params() == 65 * 256 + 3 * (256 + 1024 + 2) * 1024 + 1024 * 65 + 65
    )
    model = char_model(30, embedding_dim=4, hidden_size=6, num_layers=3)
    assert model.output_shape == (None, None, 30)
    assert word_model(50, embedding_dim=4, hidden_size=5).output_shape == (None, 50)
    residual = char_model(30, embedding_dim=4, hidden_size=6, num_layers=3, residual=True)
    kinds = [type(layer).__name__ for layer in residual.layers[1:]]
    assert kinds == [
        "Embedding", "LSTM", "LayerNormalization", "LSTM", "Add", "LayerNormalization",
        "LSTM", "Add", "Dense",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: char_model(1), ValueError, "vocab_size"),
        (lambda: char_model(10, cell="rnn"), ValueError, "cell"),
        (lambda: char_model(10, stateful=True), ValueError, "batch_size"),
        (lambda: char_model(10, hidden_size=2.0), TypeError, "hidden_size"),
        (lambda: char_model(10, residual=1), TypeError, "residual"),
        (lambda: compile_char_model("model"), TypeError, "model"),
        (lambda: compile_char_model(char_model(5), learning_rate=0), ValueError, "learning_rate"),
        (lambda: inference_model(word_model(5)), ValueError, "model"),
        (lambda: inference_model("model"), TypeError, "model"),
    ],
)
def test_builders_reject_bad_arguments(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_generate_rejects_bad_arguments():
    inference = inference_model(_model("gru", 1))
    with pytest.raises(ValueError, match="temperature"):
        generate_text(inference, VOCAB, "ab", 5, temperature=0)
    with pytest.raises(ValueError, match="top_k"):
        generate_text(inference, VOCAB, "ab", 5, top_k=0)
    with pytest.raises(ValueError, match="length"):
        generate_text(inference, VOCAB, "ab", -1)
    with pytest.raises(TypeError, match="vocab"):
        generate_text(inference, "abc", "ab", 5)
    with pytest.raises(ValueError, match="states"):
        step(inference, np.zeros((1, 2), np.int32), [])


def test_grammatical_share_judges_complete_lines():
    share, n = grammatical_share("dog chases cat.\ncat eats dragon.\nman sle")
    assert (share, n) == (0.5, 2)
    assert grammatical_share("no newline")[1] == 0
    with pytest.raises(TypeError, match="text"):
        grammatical_share(3)
