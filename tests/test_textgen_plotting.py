"""course_utils.lessons.l06_text_generation.plots: figures are returned, closed, and check their input."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from course_utils.lessons.l06_text_generation.plots import (
    plot_generation_loop,
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
    from course_utils.textgen.sampling import distribution

    logits = np.random.default_rng(0).normal(size=8)
    panels = {
        "T=0.5": distribution(logits, temperature=0.5),
        "top-k=3": distribution(logits, top_k=3),
    }
    fig = plot_next_char_distribution(panels, tuple("abcd \n.,"), n_show=5)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert "entropy" in fig.axes[0].get_title() and "top-k=3" in fig.axes[1].get_title()
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()][0] in set("abcd␣⏎.,")


def test_next_char_distribution_rejects_bad_input():
    with pytest.raises(ValueError, match="chars"):
        plot_next_char_distribution({"a": np.ones(3) / 3}, ("a", "b"))
    with pytest.raises(TypeError, match="distributions"):
        plot_next_char_distribution([0.5, 0.5], ("a", "b"))
    with pytest.raises(ValueError, match="probabilities"):
        plot_next_char_distribution({"raw logits": np.array([2.0, -1.0])}, ("a", "b"))
    with pytest.raises(ValueError, match="n_show"):
        plot_next_char_distribution({"p": np.array([0.5, 0.5])}, ("a", "b"), n_show=3)


def test_training_and_benchmark_figures():
    from test_textgen_benchmark import race_report  # tests/ is on sys.path (pytest prepend mode)

    from course_utils.plotting.common import summary_of

    fig = plot_text_training({"lesson": RUN}, title="t")
    assert isinstance(fig, Figure) and len(fig.axes[0].lines) == 2
    race = plot_textgen_benchmark(race_report())
    assert len(race.axes) == 2
    sentence = summary_of(race)
    assert "lesson GRU-256 2.260 after 5 min" in sentence and "Lowest: lesson GRU-256" in sentence
    assert "30,001" in sentence
    report = race_report()
    slow = {**report["runs"][0], "chars_per_second": 1.0, "disturbed": True}
    assert (
        summary_of(plot_textgen_benchmark({**report, "runs": [*report["runs"], slow]})) == sentence
    )
    with pytest.raises(TypeError, match="runs"):
        plot_text_training({})
    with pytest.raises(TypeError, match="curve"):
        plot_text_training({"x": [1, 2]})
    with pytest.raises(TypeError, match="results"):
        plot_textgen_benchmark({"minutes": 1})


def test_generation_loop_diagram():
    from course_utils.plotting.common import summary_of

    fig = plot_generation_loop(state="h", prompt="ab")
    assert isinstance(fig, Figure) and not fig.axes[0].axison
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "softmax(logits / T)" in texts and "'ab'" in texts and "carried" in texts
    assert "fed back as the next input" in summary_of(fig)
    with pytest.raises(TypeError, match="state"):
        plot_generation_loop(state="")
    with pytest.raises(TypeError, match="prompt"):
        plot_generation_loop(prompt=3)
