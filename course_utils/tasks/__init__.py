"""Tasks and data generators used by the lessons (one module per family).

Every generator takes a ``seed`` (int or ``numpy.random.Generator``), returns
float32 arrays shaped ``(batch, time, features)`` and rejects bad arguments
with ``ValueError``/``TypeError``.
"""

from .adding import BASELINE_MSE, adding_problem
from .echo import delayed_echo
from .elman import (
    CONSONANT_PATTERNS,
    FEATURE_NAMES,
    LETTER_FEATURES,
    letter_sequence,
    temporal_xor,
    word_sequence,
)
from .jordan import running_parity

__all__ = [
    "BASELINE_MSE",
    "CONSONANT_PATTERNS",
    "FEATURE_NAMES",
    "LETTER_FEATURES",
    "adding_problem",
    "delayed_echo",
    "letter_sequence",
    "running_parity",
    "temporal_xor",
    "word_sequence",
]
