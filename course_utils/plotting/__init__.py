"""Plotting helpers for the lessons, so notebook cells stay short.

Every function draws with matplotlib, returns the ``Figure`` and never calls
``plt.show()`` itself. Each figure carries one sentence, computed from the plotted data,
that says what it shows; a lesson displays a figure with :func:`show`, which prints that
sentence after it as ``Figure: ...`` (the website turns it into the image's alt text).
"""

from course_utils.plotting.applications import (
    plot_accuracy_by_length,
    plot_attention,
    plot_co2,
    plot_forecasts,
    plot_labelling_accuracy,
)
from course_utils.plotting.common import (
    plot_curves,
    plot_history,
    plot_sequence_predictions,
    show,
    summary_of,
)
from course_utils.plotting.compare import plot_tradeoff
from course_utils.plotting.diagrams import plot_elman_diagram, plot_elman_jordan_diagrams
from course_utils.plotting.elman import (
    plot_dendrogram,
    plot_error_by_position,
    plot_letter_errors,
    plot_pca_trajectory,
    plot_seed_comparison,
)
from course_utils.plotting.gates import (
    plot_gate_heatmap,
    plot_gate_trace,
    plot_head_to_head,
    plot_seed_runs,
)
from course_utils.plotting.gradients import (
    plot_adding_results,
    plot_clipping_runs,
    plot_decay_grid,
    plot_decay_slopes,
    plot_gradient_norms,
)
from course_utils.plotting.textgen import (
    plot_next_char_distribution,
    plot_text_training,
    plot_textgen_benchmark,
)
from course_utils.plotting.word_boundaries import plot_word_boundary_errors

__all__ = ["plot_curves", "plot_history", "plot_sequence_predictions", "show", "summary_of"]
__all__ += [
    "plot_dendrogram",
    "plot_elman_diagram",
    "plot_elman_jordan_diagrams",
    "plot_error_by_position",
    "plot_letter_errors",
    "plot_pca_trajectory",
    "plot_seed_comparison",
]
__all__ += ["plot_next_char_distribution", "plot_text_training", "plot_textgen_benchmark"]

__all__ += [
    "plot_adding_results",
    "plot_clipping_runs",
    "plot_decay_grid",
    "plot_decay_slopes",
    "plot_gradient_norms",
]
__all__ += ["plot_gate_heatmap", "plot_gate_trace", "plot_head_to_head", "plot_seed_runs"]
__all__ += [
    "plot_accuracy_by_length",
    "plot_attention",
    "plot_co2",
    "plot_forecasts",
    "plot_labelling_accuracy",
]
__all__ += ["plot_tradeoff", "plot_word_boundary_errors"]
