"""Linear recurrences and the models built on them (lesson 09, the RNN revival).

When a cell's gates and candidate do not look at ``h_{t-1}``, its recurrence
``h_t = a_t * h_{t-1} + b_t`` is linear in ``h``, and an associative scan computes all
``T`` states in ``O(log T)`` parallel steps instead of ``T`` sequential ones.

* :mod:`.scan`: the recurrence as a loop and as a parallel scan (NumPy).
* :mod:`.lru`: ``LRU``, the linear recurrent unit (Orvieto et al. 2023): a complex
  diagonal recurrence, stable by construction; loop, scan and a NumPy backward.
* :mod:`.selective`: ``Selective``, a minimal selective state-space layer (Mamba's S6,
  Gu & Dao 2023), with ``time_invariant=True`` for its LTI (S4D-like) counterpart.
* :mod:`.probe`: ``linear_gradient_norms``, lesson 03's gradient probe in closed form
  through a linear diagonal recurrence.
* :mod:`.keras_ssm`: the Keras layers ``LRU`` and ``Selective`` (import them from there:
  they load Keras, and share their names with the NumPy classes), and ``linear_scan``.
"""

from course_utils.linear_rnn.lru import LRU
from course_utils.linear_rnn.probe import linear_gradient_norms
from course_utils.linear_rnn.scan import combine, scan_loop, scan_parallel
from course_utils.linear_rnn.selective import Selective

__all__ = ["combine", "scan_loop", "scan_parallel"]
__all__ += ["LRU", "Selective", "linear_gradient_norms"]
