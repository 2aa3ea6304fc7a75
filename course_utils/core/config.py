"""Run-mode configuration: the single place that reads ``COURSE_FAST``.

Learners get *full* mode by default, which shows the real result. The test
suite sets ``COURSE_FAST=1`` so that every notebook shrinks its epochs and data
and the whole course executes in CI within minutes.

In a notebook, write hyperparameters as ``EPOCHS = pick(full=20, fast=1)``: the
reader sees the real value, CI runs the small one.
"""

from __future__ import annotations

import os

__all__ = ["FAST_NOTE", "fast_mode", "pick", "mode_name"]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def fast_mode() -> bool:
    """Return True when ``COURSE_FAST`` asks for the shrunken CI run.

    Raises ``ValueError`` for a value that is neither true-ish nor false-ish,
    so that a typo such as ``COURSE_FAST=ture`` is not silently full mode.
    """
    raw = os.environ.get("COURSE_FAST", "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueError(
        f"COURSE_FAST must be one of {sorted(_TRUE | _FALSE - {''})} or unset; got {raw!r}. "
        "Fix: `export COURSE_FAST=1` for the quick CI run, or `unset COURSE_FAST`."
    )


#: What fast mode means, said wherever fast-mode numbers are shown.
FAST_NOTE = (
    "fast mode: small runs that test the code; the numbers are not the lesson's results "
    "and not evidence (unset COURSE_FAST for the real run)"
)


def mode_name() -> str:
    """``"fast"`` or ``"full"``."""
    return "fast" if fast_mode() else "full"


def pick(full, fast):
    """Return ``full`` normally and ``fast`` when ``COURSE_FAST`` is set.

    >>> EPOCHS = pick(full=20, fast=1)
    """
    if type(full) is not type(fast) and not (
        isinstance(full, (int, float)) and isinstance(fast, (int, float))
    ):
        raise TypeError(
            f"pick(full=..., fast=...) needs two values of the same kind; got "
            f"full={full!r} ({type(full).__name__}) and fast={fast!r} ({type(fast).__name__})."
        )
    return fast if fast_mode() else full
