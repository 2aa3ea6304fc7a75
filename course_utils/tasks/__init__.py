"""Tasks and data generators used by the lessons (one module per family).

Every generator takes a ``seed`` (int or ``numpy.random.Generator``), returns
float32 arrays shaped ``(batch, time, features)`` and rejects bad arguments
with ``ValueError``/``TypeError``.
"""

from .echo import delayed_echo

__all__ = ["delayed_echo"]
