"""The lesson 01/02 plots: each returns a closed Figure with the expected panels, and checks its arguments."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import plotting
from course_utils.lessons.l01_elman import hidden_states  # noqa: E402
from course_utils.lessons.l01_elman import plots as l01_plots
from course_utils.lessons.l02_jordan import plots as l02_plots
from course_utils.tasks import letter_sequence  # noqa: E402


def _is_closed_figure(fig):
    return isinstance(fig, matplotlib.figure.Figure) and not plt.fignum_exists(fig.number)


def test_each_figure_is_exported_from_its_home():
    homes = {
        plotting: ["plot_elman_diagram", "plot_elman_jordan_diagrams"],
        l01_plots: [
            "plot_error_by_position",
            "plot_letter_errors",
            "plot_dendrogram",
            "plot_pca_trajectory",
        ],
        l02_plots: ["plot_seed_comparison"],
    }
    for module, names in homes.items():
        for name in names:
            assert name in module.__all__ and callable(getattr(module, name))


def test_elman_diagram():
    fig = plotting.plot_elman_diagram(steps=4)
    assert _is_closed_figure(fig) and len(fig.axes) == 2
    texts = [t.get_text() for t in fig.axes[1].texts]
    assert "$h_4$" in texts and "$x_1$" in texts and texts.count("$W_{hh}$") == 4
    with pytest.raises(ValueError, match="steps"):
        plotting.plot_elman_diagram(steps=0)
    with pytest.raises(TypeError, match="steps"):
        plotting.plot_elman_diagram(steps=2.5)


def test_elman_jordan_diagrams():
    fig = plotting.plot_elman_jordan_diagrams(mu=0.5)
    assert _is_closed_figure(fig) and len(fig.axes) == 2
    jordan_texts = " ".join(t.get_text() for t in fig.axes[1].texts)
    assert "output" in jordan_texts and "0.5" in jordan_texts and "state" in jordan_texts
    assert "context" in " ".join(t.get_text() for t in fig.axes[0].texts)
    with pytest.raises(ValueError, match="mu"):
        plotting.plot_elman_jordan_diagrams(mu=2.0)


def test_error_by_position():
    by_position = np.array([[0.25, 0.25, 0.01], [0.26, 0.24, 0.02]])
    fig = l01_plots.plot_error_by_position(by_position, chance=0.25)
    assert _is_closed_figure(fig) and len(fig.axes) == 1
    bars = [p.get_height() for p in fig.axes[0].patches]
    np.testing.assert_allclose(bars, by_position.mean(axis=0))
    fig = l01_plots.plot_error_by_position(
        by_position, trace=np.linspace(0, 1, 12), position_labels=["a", "b", "c"]
    )
    assert len(fig.axes) == 2
    assert [t.get_text() for t in fig.axes[1].get_xticklabels()] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="position_labels"):
        l01_plots.plot_error_by_position(by_position, position_labels=["a"])
    with pytest.raises(ValueError, match="by_position"):
        l01_plots.plot_error_by_position(by_position[0])


def test_letter_errors():
    _, _, letters = letter_sequence(20, seed=0)
    errors = np.random.default_rng(0).uniform(0, 1, len(letters) - 1)
    fig = l01_plots.plot_letter_errors(errors, letters, n_show=15)
    assert _is_closed_figure(fig) and len(fig.axes) == 2
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == list(letters[1:16])
    assert [t.get_text() for t in fig.axes[1].get_xticklabels()][:3] == ["b", "d", "g"]
    with pytest.raises(ValueError, match="letters"):
        l01_plots.plot_letter_errors(errors, letters[:-1])
    with pytest.raises(ValueError, match="n_show"):
        l01_plots.plot_letter_errors(errors, letters, n_show=len(letters) + 5)


def test_dendrogram():
    rng = np.random.default_rng(0)
    points = np.concatenate([rng.normal(0, 0.1, (3, 4)), rng.normal(3, 0.1, (3, 4))])
    labels = ["cat", "dog", "man", "eats", "sees", "sleeps"]
    classes = {w: ("noun" if i < 3 else "verb") for i, w in enumerate(labels)}
    fig = l01_plots.plot_dendrogram(
        hidden_states.linkage_tree(points, "average"), labels, classes=classes
    )
    assert _is_closed_figure(fig)
    leaves = {t.get_text(): t.get_color() for t in fig.axes[0].get_yticklabels()}
    assert set(leaves) == set(labels)
    assert leaves["cat"] == leaves["dog"] != leaves["eats"]
    with pytest.raises(ValueError, match="labels"):
        l01_plots.plot_dendrogram(hidden_states.linkage_tree(points), labels[:-1])
    with pytest.raises(ValueError, match="method"):
        hidden_states.linkage_tree(points, method="fastest")
    with pytest.raises(ValueError, match="tree"):
        l01_plots.plot_dendrogram(points[:, :3], labels)  # raw points, not a linkage matrix


def test_pca_trajectory():
    hidden = np.random.default_rng(0).normal(size=(40, 5))
    labels = list("abcd" * 10)
    points, explained = hidden_states.pca(hidden, 2)  # (40, 2), (2,)
    fig = l01_plots.plot_pca_trajectory(points, labels, explained=explained, n_steps=6)
    assert _is_closed_figure(fig)
    assert len([t for t in fig.axes[0].texts if ":" in t.get_text()]) == 6
    assert "PC 1" in fig.axes[0].get_xlabel()
    with pytest.raises(ValueError, match="labels"):
        l01_plots.plot_pca_trajectory(points, labels[:-1], explained=explained)
    with pytest.raises(ValueError, match="n_steps"):
        l01_plots.plot_pca_trajectory(points, labels, explained=explained, n_steps=0)
    with pytest.raises(ValueError, match="2 columns"):
        l01_plots.plot_pca_trajectory(hidden, labels, explained=explained)


def test_seed_comparison():
    results = {
        "parity": {"Elman": [20, 25, 30], "Jordan": [10, 12, 11]},
        "XOR": {"Elman": [0.01, 0.02, 0.01], "Jordan": [0.25, 0.25, 0.26]},
    }
    fig = l02_plots.plot_seed_comparison(results, ylabels={"XOR": "error"}, title="t")
    assert _is_closed_figure(fig) and len(fig.axes) == 2
    assert fig.axes[1].get_ylabel() == "error"
    heights = [p.get_height() for p in fig.axes[0].patches]
    np.testing.assert_allclose(heights, [25, 11])
    with pytest.raises(TypeError, match="results"):
        l02_plots.plot_seed_comparison({})
    with pytest.raises(TypeError, match="results"):
        l02_plots.plot_seed_comparison({"parity": [1, 2]})
