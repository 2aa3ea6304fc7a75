"""The figures two or more lessons share, and the rules every figure follows.

A lesson's own figures live in its room (``course_utils/lessons/lNN_*/plots.py``) and
follow the same rules.

Every function draws with matplotlib, returns the ``Figure`` and never calls
``plt.show()`` itself. Each figure carries one sentence, computed from the plotted data,
that says what it shows; a lesson displays a figure with :func:`show`, which prints that
sentence after it as ``Figure: ...`` (the website turns it into the image's alt text).
"""

from course_utils.plotting.common import (
    describe,
    plot_curves,
    plot_history,
    plot_sequence_predictions,
    series_style,
    show,
    summary_of,
)
from course_utils.plotting.diagrams import plot_elman_diagram, plot_elman_jordan_diagrams
from course_utils.plotting.gates import (
    plot_gate_heatmap,
    plot_gate_trace,
    plot_head_to_head,
    plot_seed_runs,
)

__all__ = [
    "describe",
    "plot_curves",
    "plot_elman_diagram",
    "plot_elman_jordan_diagrams",
    "plot_gate_heatmap",
    "plot_gate_trace",
    "plot_head_to_head",
    "plot_history",
    "plot_seed_runs",
    "plot_sequence_predictions",
    "series_style",
    "show",
    "summary_of",
]
