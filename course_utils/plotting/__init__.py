"""Plotting helpers for the lessons, so notebook cells stay short.

Every function draws with matplotlib, returns the ``Figure`` and never calls
``plt.show()`` itself (Jupyter shows the returned figure).
"""

from .common import plot_curves, plot_history, plot_sequence_predictions

__all__ = ["plot_curves", "plot_history", "plot_sequence_predictions"]
