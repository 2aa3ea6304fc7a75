"""notebooks/GLOSSARY.md: one page, alphabetical, every entry linked to a lesson that
exists, and every lesson links it from its first markdown cell (#26 point 7)."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
GLOSSARY = NOTEBOOKS / "GLOSSARY.md"
LINE = "Words in *italics* on first use are defined in the [glossary](GLOSSARY.md)."
ENTRY = re.compile(r"^\*\*(?P<term>[^*]+?)\.\*\* ", re.MULTILINE)
LESSON_LINK = re.compile(r"\]\((?P<target>[^)\s]+\.ipynb)\)")

#: Lessons whose glossary line is added on another branch; remove this list at merge.


def _entries() -> list[tuple[str, str]]:
    """(term, its paragraph) for every entry, in the page's order."""
    text = GLOSSARY.read_text(encoding="utf-8")
    starts = list(ENTRY.finditer(text))
    ends = [m.start() for m in starts[1:]] + [len(text)]
    return [(m["term"], text[m.start() : end]) for m, end in zip(starts, ends, strict=True)]


def _sort_key(term: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", term.casefold())


def _lessons():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        yield pytest.param(path, id=path.name)


def test_the_glossary_exists_and_has_the_terms_the_lessons_use():
    terms = [term.casefold() for term, _ in _entries()]
    assert len(terms) >= 30, f"only {len(terms)} entries found; each starts '**Term.** '"
    for needed in (
        "hidden state", "elman network", "jordan network", "truncated bptt", "teacher forcing",
        "vanishing gradient", "exploding gradient", "gradient clipping", "lstm", "gru", "gate",
        "cell state", "forget-gate bias", "perplexity", "bits per character", "entropy",
        "cross-entropy", "temperature", "top-k sampling", "stateful rnn", "embedding",
        "sequence-to-sequence", "encoder / decoder", "attention", "seed", "verdict",
    ):  # fmt: skip
        assert any(t == needed or t.startswith(needed + " (") for t in terms), needed


def test_terms_are_in_alphabetical_order():
    terms = [term for term, _ in _entries()]
    assert terms == sorted(terms, key=_sort_key)
    assert len(set(map(_sort_key, terms))) == len(terms), "a term appears twice"


@pytest.mark.parametrize("term, paragraph", _entries(), ids=lambda x: x[:30])
def test_every_entry_links_a_lesson_that_exists(term, paragraph):
    targets = [m["target"] for m in LESSON_LINK.finditer(paragraph)]
    assert targets, f"{term}: no link to the lesson that teaches it"
    for target in targets:
        assert (NOTEBOOKS / target).is_file(), f"{term}: {target} is not a notebook"


@pytest.mark.parametrize("path", _lessons())
def test_every_lesson_links_the_glossary_in_its_first_markdown_cell(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    first = next(c for c in cells if c["cell_type"] == "markdown")
    assert LINE in "".join(first["source"]), f"{path.name}: add {LINE!r} to the title cell"
