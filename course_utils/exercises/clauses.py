"""Reading a written answer clause by clause: whom each clause is about, and whether it
affirms or denies what it says. :mod:`.ideas` grades free-text answers with it.

An answer is cut into sentences (at ``. ! ? ; :``), then into clauses (at commas,
dashes, brackets and connectives such as *but, whereas, while, unlike, because, so,
which, when, if*), then wherever it turns from one model to another ("the RNN can see
further back than | the window model"). Each piece is a :class:`Clause`:

- ``role``: ``"subject"`` when it speaks of what the learner's idea is about (the RNN,
  attention), ``"contrast"`` when it speaks of the model the question sets against it
  (the window model, the plain decoder). A clause names its model in its first few
  words or inherits the role of the clause before (a *which*-clause that of the model
  just named; after *but, whereas, while*, a clause about the contrast hands back to
  the subject). Nothing named at all: every clause is about the subject.
- ``negations``: how many negators it holds (*not, n't, no, never, cannot, without,
  nothing, neither, nor*, and words that deny what follows: *lack, forget, lose,
  ignore, miss, irrelevant, rather than, instead of*). An even count affirms ("never
  forgets", "doesn't lose"); *not only*, *not just* do not count. ("Limited to" is no
  negator: an idea names its opposite instead, see :meth:`.ideas.Reading.status`.)
- ``conditional``: a clause opened by *when, if, unless, where*: it names a condition
  ("fails when it is not in the outputs"), so it counts as naming the idea whatever
  its polarity.

It is a reader of sentences, not of meaning: its limits are stated in
``CONTRIBUTING-exercises.md`` (graded free text) and the tests in
``tests/test_free_text.py`` say which learner sentences it must read right.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Clause", "affirms", "clauses", "stem_pattern"]

SUBJECT, CONTRAST = "subject", "contrast"

_SENTENCE_END = re.compile(r"[.!?;:]+(?=\s|$)|\n+")
_PUNCTUATION = re.compile(r",|\s[-\u2013\u2014]+\s|[()\[\]]")
_RELATIVE = ("which", "who", "whose")
_CONTRASTIVE = ("but", "whereas", "while", "whilst", "however", "although", "though")
_CONDITIONAL = ("when", "whenever", "if", "unless", "where")
_ASIDE = ("unlike", "as opposed to", "in contrast", "compared with", "compared to")
_OTHER = ("because", "since", "therefore", "thus", "hence", "instead of", "rather than")
_CONNECTIVE = re.compile(
    r"\b(?=(?:"
    + "|".join(re.escape(w) for w in _RELATIVE + _CONTRASTIVE + _CONDITIONAL + _ASIDE + _OTHER)
    + r"|so(?!\s+(?:far|much|many|long|well|called)\b)"
    # "and"/"or" opening a negation of its own: "has no state and cannot use step t-6"
    + r"|(?:and|or)(?=\s+(?:\w+\s+){0,3}?(?:not|no|never|cannot|none|nothing|\w+n't|dont|"
    + r"doesnt|didnt|cant|wont|isnt|arent)\b))\b)"
)
#: Phrases that look negative but are not ("not only the last state but all of them").
_NOT_NEGATING = re.compile(
    r"\bnot (?:only|just|merely|simply)\b|\bno (?:matter|doubt)\b|\bnothing but\b"
)
_NEGATOR = re.compile(
    r"n't\b|\b(?:not|no|never|cannot|without|neither|nor|none|nothing|nobody|nowhere|"
    r"unable|impossible|dont|doesnt|didnt|cant|wont|isnt|arent|wasnt|werent|couldnt|"
    r"wouldnt|shouldnt|hasnt|havent|hadnt)\b|\b(?:lack|forget|forgot|lose\b|loses|losing|"
    r"lost\b|ignor|disregard|miss|vanish|disappear|irrelevan|unimportant|rather than|"
    r"instead of)"
)
#: A model named this many words into its clause at most is what the clause is about.
_HEAD_WORDS = 4


@dataclass(frozen=True)
class Clause:
    """One piece of an answer: its ``text`` (lower case), whom it is about (``role``),
    how many negators it holds (``negations``) and whether it states a condition."""

    text: str
    role: str
    negations: int
    conditional: bool

    @property
    def affirmative(self) -> bool:
        """An even number of negators: "never forgets" affirms, "does not keep" denies."""
        return self.conditional or self.negations % 2 == 0


def stem_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """One regular expression for ``words`` as stems matched at the start of a word
    ("remember" matches "remembers", "any" does not match "many"); None for no words."""
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w.lower()) for w in words) + ")")


def _normalise(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}.")
    return re.sub(r"[\u2018\u2019\u02bc`]", "'", text.lower())


def _opening(piece: str) -> str:
    """The connective a clause starts with, or ""."""
    for word in _RELATIVE + _CONTRASTIVE + _CONDITIONAL + _ASIDE + _OTHER + ("so",):
        if re.match(re.escape(word) + r"\b", piece):
            return word
    return ""


def _mentions(piece: str, subject, contrast) -> list[tuple[int, int, str]]:
    """``(start, end, role)`` of every model named in ``piece``, in order."""
    found = []
    for role, pattern in ((SUBJECT, subject), (CONTRAST, contrast)):
        if pattern is not None:
            found += [(m.start(), m.end(), role) for m in pattern.finditer(piece)]
    found.sort(key=lambda m: (m[0], -m[1]))
    kept, end = [], -1
    for mention in found:  # the longest name wins where two overlap
        if mention[0] >= end:
            kept.append(mention)
            end = mention[1]
    return kept


def _negations(text: str, names: list[tuple[int, int, str]]) -> int:
    for start, end, _ in reversed(names):  # "without attention" names a model, no negation
        text = text[:start] + " " + text[end:]
    text = _NOT_NEGATING.sub(" ", text)
    if re.search(r"\bneither\b", text):  # "neither a state nor a memory": one negation
        text = re.sub(r"\bnor\b", " ", text)
    return len(_NEGATOR.findall(text))


def clauses(text: str, subject: Sequence[str] = (), contrast: Sequence[str] = ()) -> list[Clause]:
    """``text`` cut into :class:`Clause` s, each with its role, negations and whether it
    states a condition. ``subject``/``contrast``: stems naming the two models."""
    lower = _normalise(text)
    subject_pattern, contrast_pattern = stem_pattern(subject), stem_pattern(contrast)
    result: list[Clause] = []
    carried = last = SUBJECT  # "It cannot see step t-6." speaks of the model named before
    for sentence in _SENTENCE_END.split(lower):
        for part in _PUNCTUATION.split(sentence):
            for piece in _CONNECTIVE.split(part):
                piece = piece.strip()
                if not re.search(r"\w", piece):
                    continue
                opening = _opening(piece)
                names = _mentions(piece, subject_pattern, contrast_pattern)
                head_named = names and len(re.findall(r"\w+", piece[: names[0][0]])) <= _HEAD_WORDS
                if head_named:
                    head = names[0][2]
                elif opening in _RELATIVE or opening == "where":
                    head = last
                elif opening in _CONTRASTIVE and carried == CONTRAST:
                    head = SUBJECT
                else:
                    head = carried
                if opening not in _ASIDE:
                    carried = head
                conditional = opening in _CONDITIONAL
                cuts = [(0, head)]
                for start, _, role in names:  # a new piece wherever the model changes
                    if role != cuts[-1][1]:
                        cuts.append((start, role))
                for (start, role), (stop, _) in zip(
                    cuts, cuts[1:] + [(len(piece), None)], strict=True
                ):
                    segment = piece[start:stop]
                    if not re.search(r"\w", segment):
                        continue
                    inside = [(s - start, e - start, r) for s, e, r in names if start <= s < stop]
                    result.append(
                        Clause(segment.strip(), role, _negations(segment, inside), conditional)
                    )
                    last = role
    return result


def affirms(clause: Clause, pattern: re.Pattern[str]) -> bool | None:
    """True when ``clause`` affirms a word of ``pattern``, False when it names one only
    to deny it, None when it names none."""
    if not pattern.search(clause.text):
        return None
    return clause.affirmative
