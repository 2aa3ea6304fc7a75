"""Linear recurrences and the models built on them (lesson 09, the RNN revival).

When a cell's gates and candidate do not look at ``h_{t-1}``, its recurrence
``h_t = a_t * h_{t-1} + b_t`` is linear in ``h``, and an associative scan computes all
``T`` states in ``O(log T)`` parallel steps instead of ``T`` sequential ones.

NumPy (exported here):

* :mod:`.scan`: the recurrence as a loop, as Hillis-Steele and Blelloch parallel scans,
  and in log space (``scan_log_space``); ``scan_cost`` counts their depth and work.
* :mod:`.mingru`, :mod:`.minlstm`: ``MinGRU`` and ``MinLSTM`` (Feng et al. 2024):
  ``forward_loop``, ``forward_scan``, ``backward`` (a reverse linear recurrence).
* :mod:`.lru`: ``LRU``, the linear recurrent unit (Orvieto et al. 2023): a complex
  diagonal recurrence, stable by construction; loop, scan and a NumPy backward.
* :mod:`.selective`: ``Selective``, a minimal selective state-space layer (Mamba's S6,
  Gu & Dao 2023), with ``time_invariant=True`` for its LTI (S4D-like) counterpart.
* :mod:`.probe`: ``linear_gradient_norms``, lesson 03's gradient probe in closed form
  through a linear diagonal recurrence.

Keras 3 (import these modules directly: they load Keras, and their layers share their
names with the NumPy classes):

* :mod:`.keras_min`: the ``MinGRU`` and ``MinLSTM`` layers (log space, parallel over
  time) and the weight transplant ``to_keras`` / ``from_keras``.
* :mod:`.keras_ssm`: the ``LRU`` and ``Selective`` layers, and ``linear_scan``.
"""

from course_utils.linear_rnn.lru import LRU
from course_utils.linear_rnn.mingru import MinGRU
from course_utils.linear_rnn.minlstm import MinLSTM
from course_utils.linear_rnn.probe import linear_gradient_norms
from course_utils.linear_rnn.scan import (
    ScanCost,
    combine,
    scan_blelloch,
    scan_cost,
    scan_log_space,
    scan_loop,
    scan_parallel,
)
from course_utils.linear_rnn.selective import Selective

__all__ = [
    "LRU",
    "MinGRU",
    "MinLSTM",
    "ScanCost",
    "Selective",
    "combine",
    "linear_gradient_norms",
    "scan_blelloch",
    "scan_cost",
    "scan_log_space",
    "scan_loop",
    "scan_parallel",
]
