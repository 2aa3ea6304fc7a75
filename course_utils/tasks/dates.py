"""Human-written dates -> ISO dates: the translation task of lesson 08.

``date_examples`` writes random dates the way people do ("3 March 2019",
"Mar 3, 19", "03/03/2019", "on Monday, the 3rd of March 2019, as the letter
says"); the target is always the ISO form "2019-03-03". The long formats put
filler words around the date so that inputs run from 8 to about 70 characters:
an encoder-decoder without attention must squeeze the whole input into one
state vector, and lesson 08 measures how that copes with length.

``parse_date`` is an independent rule-based reader used by the tests: every
generated input must parse back to its target (the round trip).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

import numpy as np

from course_utils.core.validation import check_array, check_int
from course_utils.tasks._rng import as_generator

__all__ = [
    "DATE_FORMATS",
    "INPUT_CHARS",
    "MAX_INPUT_LENGTH",
    "OUTPUT_CHARS",
    "DateExamples",
    "chars_after_date",
    "date_examples",
    "decode_iso",
    "encode_inputs",
    "encode_targets",
    "parse_date",
]

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FIRST_YEAR, LAST_YEAR = 1950, 2049  # two-digit years: 50-99 -> 19xx, 00-49 -> 20xx
LEADS = ["on ", "it was on ", "on the day of ", "we met on ", "dated "]
TAILS = [", as the letter says", ", if I remember well", ", a day I will not forget", ", or so they told me", ""]  # fmt: skip


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _numeric(d, rng):  # 03/03/2019 (day first)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _short(d, rng):  # Mar 3, 19
    return f"{MONTHS[d.month - 1][:3]} {d.day}, {d.year % 100:02d}"


def _long(d, rng):  # 3 March 2019
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _weekday(d, rng):  # Monday, 3 March 2019
    return f"{WEEKDAYS[d.weekday()]}, {_long(d, rng)}"


def _spoken(d, rng):  # on the day of Monday, the 3rd of March 2019
    lead = LEADS[rng.integers(len(LEADS))]
    return f"{lead}{WEEKDAYS[d.weekday()]}, the {_ordinal(d.day)} of {MONTHS[d.month - 1]} {d.year}"


def _story(d, rng):  # the spoken form with a tail of filler after the date
    return _spoken(d, rng) + TAILS[rng.integers(len(TAILS) - 1)]


DATE_FORMATS = {
    "numeric": _numeric,
    "short": _short,
    "long": _long,
    "weekday": _weekday,
    "spoken": _spoken,
    "story": _story,
}

_FILLER = "".join(LEADS + TAILS + WEEKDAYS + MONTHS) + "0123456789/, stndrdthof"
INPUT_CHARS = "".join(sorted(set(_FILLER)))  # index 0 is padding, so char i has id i + 1
MAX_INPUT_LENGTH = (
    max(map(len, LEADS))
    + max(map(len, WEEKDAYS))
    + len(", the 30th of ")
    + max(map(len, MONTHS))
    + len(" 2049")
    + max(map(len, TAILS))
)  # the longest input date_examples can write
OUTPUT_CHARS = "0123456789-"  # id 0: padding, id 1: start token, char i: id i + 2
START_ID = 1

# --- generation -------------------------------------------------------------


@dataclass(frozen=True)
class DateExamples:
    """Parallel lists: the human-written ``inputs``, ISO ``targets`` and each ``formats`` name."""

    inputs: list[str]
    targets: list[str]
    formats: list[str]


def date_examples(n: int, seed=0, formats=None) -> DateExamples:
    """``n`` random dates (1950-2049), each written in one of ``formats`` chosen uniformly.

    ``formats`` is a list of names from ``DATE_FORMATS`` (default: all of them).
    """
    n = check_int("n", n, minimum=1)
    names = list(DATE_FORMATS) if formats is None else list(formats)
    unknown = [f for f in names if f not in DATE_FORMATS]
    if not names or unknown:
        raise ValueError(f"formats must be names from {list(DATE_FORMATS)}; got {formats!r}.")
    rng = as_generator(seed)
    first = _dt.date(FIRST_YEAR, 1, 1).toordinal()
    last = _dt.date(LAST_YEAR, 12, 31).toordinal()
    inputs, targets, used = [], [], []
    for _ in range(n):
        date = _dt.date.fromordinal(int(rng.integers(first, last + 1)))
        name = names[rng.integers(len(names))]
        inputs.append(DATE_FORMATS[name](date, rng))
        targets.append(date.isoformat())
        used.append(name)
    return DateExamples(inputs, targets, used)


# --- the independent parser (for the round-trip test) -----------------------

_MONTH_RE = "|".join(MONTHS)
_PATTERNS = [
    re.compile(r"\b(?P<d>\d{2})/(?P<m>\d{2})/(?P<y>\d{4})\b"),
    re.compile(r"\b(?P<mon>[A-Z][a-z]{2}) (?P<d>\d{1,2}), (?P<yy>\d{2})\b"),
    re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<month>{_MONTH_RE}) (?P<y>\d{{4}})\b"
    ),
]


def parse_date(text: str) -> str:
    """Read a date in any of the generated formats and return it as ISO "YYYY-MM-DD".

    Raises ``ValueError`` for text with no date, an impossible date, or a weekday
    that does not match the date.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string; got {type(text).__name__}.")
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        parts = match.groupdict()
        if parts.get("yy") is not None:
            yy = int(parts["yy"])
            year = 2000 + yy if yy < 50 else 1900 + yy
        else:
            year = int(parts["y"])
        if parts.get("m") is not None:
            month = int(parts["m"])
        else:
            name = parts.get("month") or parts["mon"]
            month = [m[: len(name)] for m in MONTHS].index(name) + 1
        date = _dt.date(year, month, int(parts["d"]))  # ValueError for impossible dates
        named = [w for w in WEEKDAYS if w in text]
        if named and named[0] != WEEKDAYS[date.weekday()]:
            raise ValueError(f"text names {named[0]} but {date} is a {WEEKDAYS[date.weekday()]}.")
        return date.isoformat()
    raise ValueError(f"text contains no date in a known format; got {text!r}.")


def chars_after_date(text: str) -> int:
    """How many characters follow the date in ``text``: 0 for every format but ``story``,
    whose filler comes after the date.

    An encoder-decoder without attention reads the input through its final state, so
    what stands between the date and the end of the input is a distance it must carry
    the date across; the input's length mixes that with the filler before the date.
    Raises ``ValueError`` for text with no date in a known format.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string; got {type(text).__name__}.")
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match is not None:
            return len(text) - match.end()
    raise ValueError(f"text contains no date in a known format; got {text!r}.")


# --- encoding to integer ids ------------------------------------------------


def encode_inputs(texts, max_length: int | None = None) -> np.ndarray:
    """Characters -> ids, padded with 0 at the end: int32 ``(n, max_length)``.

    The padding is on the right and no row is all padding: the encoder masks id 0
    (``mask_zero``), and Keras's cuDNN path for GRU/LSTM accepts only right-padded
    masks with at least one real step. An empty text raises ``ValueError``.
    """
    if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
        raise TypeError("texts must be a list of strings.")
    if not texts or any(not t for t in texts):
        empty = [i for i, t in enumerate(texts) if not t]
        raise ValueError(
            f"texts must be a non-empty list of non-empty strings (an empty text would be a row "
            f"of padding only); got {len(texts)} texts, empty at positions {empty[:5]}."
        )
    longest = max(len(t) for t in texts)
    max_length = longest if max_length is None else check_int("max_length", max_length, minimum=1)
    if longest > max_length:
        raise ValueError(f"max_length must be >= the longest text ({longest}); got {max_length}.")
    index = {c: i + 1 for i, c in enumerate(INPUT_CHARS)}
    ids = np.zeros((len(texts), max_length), dtype="int32")  # (n, time)
    for row, text in enumerate(texts):
        unknown = set(text) - set(index)
        if unknown:
            raise ValueError(f"texts contain characters outside INPUT_CHARS: {sorted(unknown)}.")
        ids[row, : len(text)] = [index[c] for c in text]
    return ids


def encode_targets(isos) -> tuple[np.ndarray, np.ndarray]:
    """ISO strings -> (decoder inputs, decoder targets), both int32 ``(n, 10)``.

    The decoder input is the target shifted right by one, starting with the
    start token: what *teacher forcing* feeds the decoder during training.
    """
    if isinstance(isos, str) or not all(isinstance(t, str) and len(t) == 10 for t in isos):
        raise TypeError("isos must be a list of 10-character ISO date strings.")
    targets = np.array([[OUTPUT_CHARS.index(c) + 2 for c in t] for t in isos], dtype="int32")
    starts = np.full((len(isos), 1), START_ID, dtype="int32")  # (n, 1)
    return np.concatenate([starts, targets[:, :-1]], axis=1), targets  # (n, 10) each


def decode_iso(ids) -> list[str]:
    """Output ids ``(n, steps)`` -> strings; ids 0 and 1 (padding, start) decode to "?"."""
    ids = check_array("ids", ids, ndim=2, kind="int", dims="(batch, steps)")
    return ["".join(OUTPUT_CHARS[i - 2] if i >= 2 else "?" for i in row) for row in ids]
