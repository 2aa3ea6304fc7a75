"""course_utils: the tested helpers behind the rnn-course notebooks.

Importing this package is cheap: TensorFlow is imported only when a function
needs it. Submodules:

* ``config`` - fast/full mode (``COURSE_FAST``) and ``pick(full=..., fast=...)``
* ``environment`` - ``setup()`` and ``check_environment()``
* ``datasets`` - verified downloads, cache, offline fallback
* ``grammar`` - the Elman-style sentence grammar
* ``tasks`` - data generators (delayed echo, Elman 1990 tasks, adding problem, ...)
* ``numpy_rnn`` - the from-scratch engine (Elman, Jordan, LSTM, GRU) with BPTT
* ``keras_cells`` - Keras 3 ``ElmanCell`` and ``JordanCell``
* ``gradients`` - gradient checks, spectral radius, per-step gradient norms
* ``exercises`` - ``check()`` / ``hint()`` / ``solution()`` for every lesson
* ``plotting`` - the lessons' figures (drawn from values the caller computed)
* ``gradient_explorer`` - lesson 03's widget
* ``progress`` - progress bars and a live loss curve for long cells
* ``experiments``, ``compare``, ``textgen``, ``seq2seq``, ``forecasting`` - each
  lesson's helpers, used after the lesson has shown the loop they repeat
* ``verdicts`` - holds / does not hold / inconclusive, verdict tables, summaries
* ``results`` - the committed benchmark JSON, from a clone or the installed package

Maintainer tooling (``make course``, the website, the offline pack, the first cell,
the student edition, the instructor timetable, the GPU check) lives in ``tools/`` beside this package: it
is not installed on Colab and nothing here imports it.
"""

from course_utils.core.config import fast_mode, pick
from course_utils.core.environment import check_environment, setup

__all__ = ["setup", "check_environment", "pick", "fast_mode", "__version__"]
__version__ = "0.1.0"
