"""Linear recurrences and the models built on them (lesson 09, the RNN revival).

When a cell's gates and candidate do not look at ``h_{t-1}``, its recurrence
``h_t = a_t * h_{t-1} + b_t`` is linear in ``h``, and an associative scan computes all
``T`` states in ``O(log T)`` parallel steps instead of ``T`` sequential ones.

* :mod:`.scan`: the recurrence as a loop, as Hillis-Steele and Blelloch parallel scans,
  and in log space (``scan_log_space``); ``scan_cost`` counts their depth and work.
* :mod:`.mingru`, :mod:`.minlstm`: ``MinGRU`` and ``MinLSTM`` (Feng et al. 2024) in
  NumPy: ``forward_loop``, ``forward_scan``, ``backward`` (a reverse linear recurrence).
* :mod:`.keras_min`: their Keras 3 layers (log-space, parallel over time) and the
  weight transplant ``to_keras`` / ``from_keras``; import it directly (it loads Keras).
"""

from course_utils.linear_rnn.mingru import MinGRU
from course_utils.linear_rnn.minlstm import MinLSTM
from course_utils.linear_rnn.scan import (
    ScanCost,
    combine,
    scan_blelloch,
    scan_cost,
    scan_log_space,
    scan_loop,
    scan_parallel,
)

__all__ = [
    "MinGRU",
    "MinLSTM",
    "ScanCost",
    "combine",
    "scan_blelloch",
    "scan_cost",
    "scan_log_space",
    "scan_loop",
    "scan_parallel",
]
