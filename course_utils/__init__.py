"""course_utils: the tested helpers behind the rnn-course notebooks.

Importing this package is cheap: TensorFlow is imported only when a function
needs it. Its layers, bottom first (ARCHITECTURE.md has the rules and a table of each
lesson's files):

* ``core`` - one of each thing every lesson needs: argument checks, fast/full mode,
  ``setup()``, verified downloads, the committed results, the statistics core
  (``evidence``), timing, tables, the registry of cells and tasks, the trainer, progress
* ``numpy_rnn``, ``keras_cells``, ``tasks``, ``param_counts``, ``gates``, ``gradients`` -
  the from-scratch engine, the Keras cells, the data generators and their analyses
* ``experiments``, ``textgen`` - runs and models more than one lesson repeats
* ``plotting``, ``exercises``, ``verdicts`` - shared figures, the exercise machinery,
  verdict tables and summaries
* ``lessons`` - one room per lesson (``lessons/l05_gru/`` ...): its exercises, verdicts,
  figures and helpers, used after the lesson has shown the loop they repeat

``course_utils.progress()`` shows the learner's progress over every lesson, from the
local file the checks write (``course_utils.exercises.outcomes``).

Maintainer tooling (``make course``, the website, the offline pack, the first cell,
the student edition, the instructor timetable, the GPU check) lives in ``tools/`` beside this package: it
is not installed on Colab and nothing here imports it.
"""

from course_utils.core.config import fast_mode, pick
from course_utils.core.environment import check_environment, setup

__all__ = ["setup", "check_environment", "pick", "fast_mode", "progress", "__version__"]
__version__ = "0.1.0"


def progress() -> None:
    """Show, per lesson, which exercises passed, were tried or are untouched, from the
    progress file the checks write on this machine (nothing is sent anywhere;
    ``COURSE_RECORD=off`` switches recording off). ``ex.progress()`` in a lesson shows
    this session only."""
    # imported only when asked, so that `import course_utils` stays cheap:
    from course_utils.exercises.display import show  # (the exercise machinery)
    from course_utils.exercises.progress_report import progress_report  # (its report)
    from course_utils.lessons import all_exercises  # (every lesson's exercises)

    lessons: dict[str, list[str]] = {}
    for key in all_exercises():
        lesson, name = key.split(".")
        lessons.setdefault(lesson, []).append(name)
    show(progress_report(lessons))
