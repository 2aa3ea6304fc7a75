"""A small English-like sentence grammar in the style of Elman (1990).

Elman's "Finding structure in time" trained a simple recurrent network on
two- and three-word sentences built from templates over word classes
(humans, animals, food, breakable things, ...). The network was never told the
classes, yet its hidden states grouped nouns apart from verbs. This module is
the course's own version of such a grammar (our word lists and templates). It
serves twice:

* lesson 01 trains next-word prediction on it and clusters the hidden states;
* ``course_utils.core.datasets`` falls back to a text corpus made from it when a
  download is impossible (offline workshop), and lesson 06 measures how many
  generated sentences the grammar accepts (:func:`is_grammatical`).

Reference: J. L. Elman (1990), Finding structure in time. Cognitive Science 14, 179-211.
"""

from __future__ import annotations

import itertools

import numpy as np

from course_utils.core.validation import check_choice, check_int

__all__ = [
    "WORD_CLASSES",
    "TEMPLATES",
    "VOCABULARY",
    "words_in",
    "word_categories",
    "is_noun",
    "sample_sentences",
    "corpus_text",
    "parse_corpus",
    "is_grammatical",
]

# Word classes. A word may belong to several (a lion is an animal and aggressive).
WORD_CLASSES: dict[str, tuple[str, ...]] = {
    "NOUN_HUMAN": ("man", "woman", "girl", "boy"),
    "NOUN_ANIMAL": ("cat", "mouse", "dog", "lion"),
    "NOUN_AGGRESSIVE": ("dragon", "monster", "lion"),
    "NOUN_THING": ("book", "rock", "car"),
    "NOUN_FRAGILE": ("glass", "plate"),
    "NOUN_FOOD": ("cookie", "bread", "apple"),
    "VERB_INTRANSITIVE": ("thinks", "sleeps", "waits"),
    "VERB_TRANSITIVE": ("sees", "chases", "meets"),
    # Elman's VERB-AGPAT: the subject can be the agent ("man moves book") or the
    # patient, the thing that moves or breaks ("car moves", "rock breaks").
    "VERB_AGPAT": ("moves", "breaks"),
    "VERB_PERCEIVE": ("smells", "sees"),
    "VERB_DESTROY": ("breaks", "smashes"),
    "VERB_EAT": ("eats",),
}

# Sentence templates: sequences of word classes.
TEMPLATES: tuple[tuple[str, ...], ...] = (
    ("NOUN_HUMAN", "VERB_EAT", "NOUN_FOOD"),
    ("NOUN_HUMAN", "VERB_PERCEIVE", "NOUN_THING"),
    ("NOUN_HUMAN", "VERB_DESTROY", "NOUN_FRAGILE"),
    ("NOUN_HUMAN", "VERB_INTRANSITIVE"),
    ("NOUN_HUMAN", "VERB_TRANSITIVE", "NOUN_HUMAN"),
    ("NOUN_HUMAN", "VERB_AGPAT", "NOUN_THING"),
    ("NOUN_HUMAN", "VERB_AGPAT"),
    ("NOUN_ANIMAL", "VERB_EAT", "NOUN_FOOD"),
    ("NOUN_ANIMAL", "VERB_TRANSITIVE", "NOUN_ANIMAL"),
    ("NOUN_ANIMAL", "VERB_AGPAT"),
    ("NOUN_THING", "VERB_AGPAT"),
    ("NOUN_AGGRESSIVE", "VERB_DESTROY", "NOUN_FRAGILE"),
    ("NOUN_AGGRESSIVE", "VERB_EAT", "NOUN_HUMAN"),
    ("NOUN_AGGRESSIVE", "VERB_EAT", "NOUN_ANIMAL"),
    ("NOUN_AGGRESSIVE", "VERB_EAT", "NOUN_FOOD"),
)

VOCABULARY: tuple[str, ...] = tuple(
    sorted(set(itertools.chain.from_iterable(WORD_CLASSES.values())))
)


def words_in(word_class: str) -> tuple[str, ...]:
    """The words of one class, e.g. ``words_in("NOUN_FOOD")``."""
    check_choice("word_class", word_class, WORD_CLASSES)
    return WORD_CLASSES[word_class]


def word_categories(word: str) -> tuple[str, ...]:
    """Every class that ``word`` belongs to (raises ``ValueError`` for an unknown word)."""
    check_choice("word", word, VOCABULARY)
    return tuple(c for c, words in WORD_CLASSES.items() if word in words)


def is_noun(word: str) -> bool:
    """True for nouns, False for verbs."""
    return word_categories(word)[0].startswith("NOUN")


def sample_sentences(n_sentences: int, seed: int | np.random.Generator = 0) -> list[list[str]]:
    """Draw ``n_sentences`` sentences: a template uniformly, then each word uniformly."""
    n_sentences = check_int("n_sentences", n_sentences, minimum=1)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    sentences = []
    for t in rng.integers(len(TEMPLATES), size=n_sentences):
        words = [WORD_CLASSES[c][rng.integers(len(WORD_CLASSES[c]))] for c in TEMPLATES[t]]
        sentences.append(words)
    return sentences


def corpus_text(n_sentences: int = 20_000, seed: int = 0) -> str:
    """A plain-text corpus, one sentence a line, each ending with a full stop.

    >>> corpus_text(2, seed=1).splitlines()[0].endswith(".")
    True
    """
    return "".join(" ".join(s) + ".\n" for s in sample_sentences(n_sentences, seed))


def parse_corpus(text: str) -> list[list[str]]:
    """Split text made like :func:`corpus_text` back into word lists (blank lines skipped)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}.")
    return [line.strip().rstrip(".").split() for line in text.splitlines() if line.strip()]


def is_grammatical(sentence: str | list[str]) -> bool:
    """True when some template generates exactly this word sequence.

    Accepts a list of words or a line such as ``"dog chases cat."``.
    """
    if isinstance(sentence, str):
        words = sentence.strip().rstrip(".").split()
    elif isinstance(sentence, (list, tuple)) and all(isinstance(w, str) for w in sentence):
        words = list(sentence)
    else:
        raise TypeError(f"sentence must be a str or a list of str; got {type(sentence).__name__}.")
    return any(
        len(t) == len(words) and all(w in WORD_CLASSES[c] for w, c in zip(words, t, strict=True))
        for t in TEMPLATES
    )
