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


# --- the italics promise: a term set in *italics* in a lesson has an entry ------------------

#: Markdown italics (``*x*`` or ``_x_``, not bold), outside maths and code.
ITALIC = re.compile(r"(?<![*\w])\*(?!\*)([^*\n]+?)\*(?![*\w])|(?<![_\w])_(?!_)([^_\n]+?)_(?![_\w])")
MATHS_OR_CODE = re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$|`[^`\n]*`", re.DOTALL)

#: Italicised words that name a glossary entry by another form (casefolded).
ALIASES = {
    "bptt": "backpropagation through time (bptt)",
    "cosine schedule": "cosine (learning-rate) schedule",
    "cosine learning-rate schedule": "cosine (learning-rate) schedule",
    "dominated": "pareto front",
    "holds": "verdict",
    "does not hold": "verdict",
    "inconclusive": "verdict",
    "exploding": "exploding gradient",
    "vanishing": "vanishing gradient",
    "gates": "gate",
    "query": "attention",
    "recurrent neural networks": "recurrent neural network (rnn)",
    "non-normal": "non-normal matrix",
    "multi-step": "multi-step forecast",
}

#: Italics used for emphasis, titles or examples, not terms (casefolded). A new italic
#: phrase must be a glossary term (or alias) or be listed here.
EMPHASIS = {
    # emphasis
    "absolute value", "in absolute value", "after", "and", "before", "below", "carried",
    "concat", "inside", "into", "is", "later", "low", "number", "raise", "result",
    "separately", "shrink", "sufficient", "test", "time", "true", "validation", "weight",
    "input", "output", "targets", "what", "write", "your", "t", "cell", "italics",
    "windows of 100", "relative to its last value", "rounding", "truncation", "every", "new",
    "together", "when", "linear", "with its own bias", "epochs",
    # example sentences from Elman's corpus (lesson 01)
    "breaks", "car moves", "man moves book", "moves", "rock breaks",
    # titles of papers, articles and reading-list sections
    "finding structure in time", "serial order: a parallel distributed processing approach",
    "backpropagation through time: what it does and how to do it",
    "an efficient gradient-based algorithm for on-line training of recurrent network "
    "trajectories",
    "text generation with an rnn",
    "understanding recurrent neural networks (rnns): a deep dive",
    "forecasting practice", "key papers", "modern rnns", "state-space models",
    "temporal convolutions", "transformers",
}  # fmt: skip


def _names() -> set[str]:
    """Every form an entry answers to: 'GRU (gated recurrent unit)' -> itself, 'gru',
    'gated recurrent unit'; 'Encoder / decoder' -> 'encoder', 'decoder'."""
    names = set()
    for term, _ in _entries():
        t = term.casefold()
        names.add(t)
        base = re.sub(r"\s*\(.*?\)", "", t)
        names.update({base, *re.findall(r"\((.*?)\)", t), *(p.strip() for p in t.split("/"))})
    return names


def _italics():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                text = MATHS_OR_CODE.sub("", "".join(cell["source"]))
                for m in ITALIC.finditer(text):
                    yield path.name, (m[1] or m[2]).strip()


def _known(phrase: str, names: set[str]) -> bool:
    p = phrase.casefold()
    p = ALIASES.get(p, p)
    return p in names or p.removesuffix("s") in names or p in EMPHASIS


def test_every_italicised_term_in_a_lesson_has_a_glossary_entry():
    names = _names()
    missing = sorted(
        {f"{nb}: *{phrase}*" for nb, phrase in _italics() if not _known(phrase, names)}
    )
    assert not missing, (
        "italicised in a lesson but not in GLOSSARY.md (add an entry, or un-italicise it, or "
        f"list it in EMPHASIS if it is emphasis): {missing}"
    )


def test_the_italics_lists_name_only_what_exists():
    names = _names()
    assert all(target in names for target in ALIASES.values()), "an alias names no entry"
    assert not EMPHASIS & names, "a glossary term is listed as emphasis"
