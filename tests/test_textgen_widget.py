"""course_utils.lessons.l06_text_generation.widget: the generation widget, pressed without a browser."""

import keras
import pytest

from course_utils.lessons.l06_text_generation.widget import (
    generate_from_settings,
    generation_widget,
)
from course_utils.textgen.data import CharVocabulary
from course_utils.textgen.generate import inference_model
from course_utils.textgen.model import char_model

VOCAB = CharVocabulary.from_text("ROMEO: abcde\n")


@pytest.fixture(scope="module")
def inference():
    keras.utils.set_random_seed(0)
    return inference_model(char_model(VOCAB.size, embedding_dim=4, hidden_size=8))


def test_generate_from_settings(inference):
    text = generate_from_settings(
        inference, VOCAB, prompt="ROMEO:", temperature=0.8, top_k=0, length=20
    )
    assert text.startswith("ROMEO:") and len(text) == 26
    top1 = generate_from_settings(
        inference, VOCAB, prompt="a", temperature=1.0, top_k=1, length=10, seed=1
    )
    assert top1 == generate_from_settings(
        inference, VOCAB, prompt="a", temperature=1.0, top_k=1, length=10, seed=2
    )  # top-1 is greedy


def test_unknown_prompt_characters_give_a_message(inference):
    text = generate_from_settings(
        inference, VOCAB, prompt="JULIET", temperature=1.0, top_k=0, length=5
    )
    assert "not in the vocabulary" in text and "'J'" in text


def test_bad_settings_raise(inference):
    with pytest.raises(ValueError, match="temperature"):
        generate_from_settings(inference, VOCAB, prompt="a", temperature=0.0, top_k=0, length=5)
    with pytest.raises(ValueError, match="top_k"):
        generate_from_settings(inference, VOCAB, prompt="a", temperature=1.0, top_k=-1, length=5)
    with pytest.raises(TypeError, match="prompt"):
        generate_from_settings(inference, VOCAB, prompt=3, temperature=1.0, top_k=0, length=5)


def test_pressing_generate_fills_the_output(inference):
    box = generation_widget(inference, VOCAB, prompt="abc", length=30)
    assert set(box.controls) == {"prompt", "temperature", "top_k", "length"}
    box.controls["length"].value = 10
    box.controls["top_k"].value = 3
    box.button.click()
    first = box.output.outputs[-1]["text"]
    assert first.startswith("abc") and len(first) == 14  # 3 + 10 sampled characters + "\n"
    box.button.click()  # a new press replaces the text with a new sample
    assert len(box.output.outputs) == 1
