"""Tasks and data generators used by the lessons (one module per family).

Every generator takes a ``seed`` (int or ``numpy.random.Generator``) and rejects
bad arguments with ``ValueError``/``TypeError``. Numeric tasks return float32
arrays shaped ``(batch, time, features)``; the date task returns strings; the copying
tasks return int32 token ids.
"""

from course_utils.tasks.adding import BASELINE_MSE, adding_problem
from course_utils.tasks.brackets import bracket_labels, bracket_sequences
from course_utils.tasks.dates import date_examples, parse_date
from course_utils.tasks.echo import delayed_echo
from course_utils.tasks.elman1990 import (
    CONSONANT_PATTERNS,
    FEATURE_NAMES,
    LETTER_FEATURES,
    LETTERS,
    letter_sequence,
    letter_stream,
    temporal_xor,
    word_sequence,
)
from course_utils.tasks.jordan import running_parity
from course_utils.tasks.order import ORDER_CLASSES, ORDER_SYMBOLS, temporal_order
from course_utils.tasks.selective_copy import BLANK_TOKEN, marker_token, plain_copy, selective_copy

__all__ = [
    "BASELINE_MSE",
    "CONSONANT_PATTERNS",
    "FEATURE_NAMES",
    "LETTER_FEATURES",
    "LETTERS",
    "adding_problem",
    "delayed_echo",
    "letter_sequence",
    "letter_stream",
    "running_parity",
    "temporal_xor",
    "word_sequence",
]
__all__ += ["bracket_labels", "bracket_sequences", "date_examples", "parse_date"]
__all__ += ["ORDER_CLASSES", "ORDER_SYMBOLS", "temporal_order"]
__all__ += ["BLANK_TOKEN", "marker_token", "plain_copy", "selective_copy"]
