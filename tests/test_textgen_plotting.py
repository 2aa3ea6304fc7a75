"""course_utils.plotting.textgen: figures are returned, closed, and check their input."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from course_utils.plotting.textgen import (
    plot_next_char_distribution,
    plot_text_training,
    plot_textgen_benchmark,
)

RUN = {
    "curve": [{"minutes": 0.5, "train_bits": 3.0}, {"minutes": 1.0, "train_bits": 2.5}],
    "checkpoints": [{"minutes": 1.0, "bits_per_char": 2.6}],
    "chars_per_second": 1000.0,
}


def test_next_char_distribution_panels():
    logits = np.random.default_rng(0).normal(size=8)
    fig = plot_next_char_distribution(
        logits, tuple("abcd \n.,"), settings=[{"temperature": 0.5}, {"top_k": 3}], n_show=5
    )
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert "entropy" in fig.axes[0].get_title() and "top-k=3" in fig.axes[1].get_title()
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()][0] in set("abcd␣⏎.,")


def test_next_char_distribution_rejects_bad_input():
    with pytest.raises(ValueError, match="chars"):
        plot_next_char_distribution(np.zeros(3), ("a", "b"))
    with pytest.raises(TypeError, match="settings"):
        plot_next_char_distribution(np.zeros(2), ("a", "b"), settings=[0.5])
    with pytest.raises(ValueError, match="n_show"):
        plot_next_char_distribution(np.zeros(2), ("a", "b"), n_show=3)


def test_training_and_benchmark_figures():
    fig = plot_text_training({"lesson": RUN}, title="t")
    assert isinstance(fig, Figure) and len(fig.axes[0].lines) == 2
    results = {"minutes": 1, "runs": [dict(RUN, label="lesson"), dict(RUN, label="tutorial")]}
    assert len(plot_textgen_benchmark(results).axes) == 2
    with pytest.raises(TypeError, match="runs"):
        plot_text_training({})
    with pytest.raises(TypeError, match="curve"):
        plot_text_training({"x": [1, 2]})
    with pytest.raises(TypeError, match="results"):
        plot_textgen_benchmark({"minutes": 1})
