"""Linear recurrences and the models built on them (lesson 09, the RNN revival).

When a cell's gates and candidate do not look at ``h_{t-1}``, its recurrence
``h_t = a_t * h_{t-1} + b_t`` is linear in ``h``, and an associative scan computes all
``T`` states in ``O(log T)`` parallel steps instead of ``T`` sequential ones.

* :mod:`.scan`: the recurrence as a loop and as a parallel scan (NumPy).
"""

from course_utils.linear_rnn.scan import combine, scan_loop, scan_parallel

__all__ = ["combine", "scan_loop", "scan_parallel"]
