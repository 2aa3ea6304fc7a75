"""course_utils.lessons.l03_gradients.explorer: the lesson-03 explorer's functions, tested without a kernel."""

import math

import matplotlib
import numpy as np
import pytest

from course_utils.lessons.l03_gradients.explorer import (
    LENGTH_RANGE,
    RHO_RANGE,
    GradientExplorer,
    gradient_curve,
    gradient_explorer,
    gradient_figure,
)

EDGES = [(0.0, 1), (0.0, 50), (1.0, 1), (RHO_RANGE[1], LENGTH_RANGE[1])]


@pytest.mark.parametrize("activation", ["linear", "tanh", "relu"])
@pytest.mark.parametrize(("rho", "length"), EDGES)
def test_gradient_curve_handles_edge_values(rho, length, activation):
    data = gradient_curve(rho, length, activation)
    assert data["distance"].shape == data["ratio"].shape == (length,)
    assert data["ratio"][0] == pytest.approx(1.0)  # normalised at the last step
    assert data["rho"] == rho and data["length"] == length and data["activation"] == activation
    assert isinstance(data["summary"], str) and f"T = {length}" in data["summary"]
    if rho == 0.0 or length == 1:
        assert math.isnan(data["slope"])  # nothing to fit: zero matrix or a single step
        assert "not measurable" in data["summary"]
    if rho == 0.0:
        assert data["predicted_slope"] == -math.inf
        assert np.all(data["ratio"][1:] == 0.0)  # W_hh = 0 cuts every path back


@pytest.mark.parametrize(("rho", "length"), EDGES)
def test_gradient_figure_returns_a_log_scale_figure(rho, length):
    fig = gradient_figure(rho, length, "tanh")
    assert isinstance(fig, matplotlib.figure.Figure)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert len(ax.lines) == 2  # measured and rho**d
    assert ax.get_title()


def test_linear_curve_measures_rho():
    data = gradient_curve(0.8, 60, "linear")
    assert data["slope"] == pytest.approx(math.log(0.8), abs=0.01)
    assert data["predicted_slope"] == pytest.approx(math.log(0.8))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"rho": -0.1, "length": 10}, ValueError, "rho must be >= 0.0; got -0.1"),
        ({"rho": 1.0, "length": 0}, ValueError, "length must be >= 1; got 0"),
        ({"rho": 1.0, "length": -5}, ValueError, "length must be >= 1"),
        ({"rho": "1", "length": 10}, TypeError, "rho must be a real number"),
        ({"rho": 1.0, "length": 2.5}, TypeError, "length must be an integer"),
        ({"rho": float("nan"), "length": 10}, ValueError, "rho must be finite"),
        ({"rho": 1.0, "length": 10, "activation": "sigmoid"}, ValueError, "unknown activation"),
    ],
)
def test_bad_arguments_raise(kwargs, error, match):
    with pytest.raises(error, match=match):
        gradient_curve(**kwargs)
    with pytest.raises(error, match=match):
        gradient_figure(**kwargs)


def test_explorer_redraws_when_a_control_moves(capsys):
    explorer = gradient_explorer(rho=1.0, length=20, activation="tanh")
    assert isinstance(explorer, GradientExplorer)
    assert explorer.rho.description == "ρ (spectral radius)"
    assert (explorer.rho.min, explorer.rho.max) == RHO_RANGE
    assert (explorer.length.min, explorer.length.max) == LENGTH_RANGE
    first_figure, first_ratio = explorer.figure, explorer.data["ratio"].copy()
    explorer.rho.value = 1.5
    assert explorer.figure is not first_figure
    assert explorer.data["rho"] == 1.5
    assert not np.allclose(explorer.data["ratio"], first_ratio)
    assert "ρ = 1.50" in explorer.summary.value
    explorer.activation.value = "linear"
    assert explorer.data["activation"] == "linear"
    explorer.length.value = 1
    assert explorer.data["ratio"].shape == (1,)
    explorer.rho.value = 0.0
    assert explorer.data["rho"] == 0.0
    capsys.readouterr()  # display() outside a kernel prints the figure's repr


def test_explorer_displays_as_its_widget(monkeypatch):
    # display() of the explorer displays its box, under ipywidgets 7.7 (Colab) and 8 alike:
    # the explorer itself has no _repr_mimebundle_ that would need ipywidgets 8's.
    import IPython.display

    explorer = gradient_explorer(length=5)
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append(obj))
    explorer._ipython_display_()
    assert shown == [explorer.widget]
    assert not hasattr(explorer, "_repr_mimebundle_")
    assert explorer.widget.children[0] is explorer.rho


def test_explorer_rejects_values_outside_its_sliders():
    with pytest.raises(ValueError, match="rho must be <= 2.0"):
        gradient_explorer(rho=3.0)
    with pytest.raises(ValueError, match="length must be >= 1"):
        gradient_explorer(length=0)
    with pytest.raises(ValueError, match="unknown activation"):
        gradient_explorer(activation="sigmoid")
