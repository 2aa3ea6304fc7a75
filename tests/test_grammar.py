import numpy as np
import pytest

from course_utils.core import grammar


def test_samples_are_grammatical_and_reproducible():
    sentences = grammar.sample_sentences(3000, seed=5)
    assert all(grammar.is_grammatical(s) for s in sentences)
    assert sentences == grammar.sample_sentences(3000, seed=5)
    assert sentences != grammar.sample_sentences(3000, seed=6)
    assert {len(s) for s in sentences} == {2, 3}


def test_every_template_is_used():
    sentences = grammar.sample_sentences(5000, seed=0)
    for template in grammar.TEMPLATES:
        assert any(
            len(s) == len(template)
            and all(w in grammar.WORD_CLASSES[c] for w, c in zip(s, template, strict=True))
            for s in sentences
        )


@pytest.mark.parametrize(
    "bad", ["cat eats man", "eats cat", "rock eats bread", "man", "", "glass smashes"]
)
def test_ungrammatical_sentences_rejected(bad):
    assert not grammar.is_grammatical(bad)


def test_corpus_round_trip():
    text = grammar.corpus_text(50, seed=2)
    assert text.count("\n") == 50
    assert grammar.parse_corpus(text) == grammar.sample_sentences(50, seed=2)


def test_generator_seed_accepted():
    rng = np.random.default_rng(0)
    assert len(grammar.sample_sentences(3, seed=rng)) == 3


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_sentences"):
        grammar.sample_sentences(0)
    with pytest.raises(TypeError, match="n_sentences"):
        grammar.sample_sentences(2.5)
    with pytest.raises(ValueError, match="unknown word_class 'ADVERB'.*NOUN_HUMAN"):
        grammar.words_in("ADVERB")
    with pytest.raises(ValueError, match="unknown word"):
        grammar.word_categories("zebra")
    with pytest.raises(TypeError, match="sentence"):
        grammar.is_grammatical(42)


def test_word_classes():
    assert grammar.is_noun("lion") and not grammar.is_noun("eats")
    assert set(grammar.word_categories("lion")) == {"NOUN_ANIMAL", "NOUN_AGGRESSIVE"}
