"""course_utils.lessons.l03_gradients.plots: every plot returns a closed Figure with log axes."""

import matplotlib
import numpy as np
import pytest

from course_utils.lessons.l03_gradients import plots as l03_plots
from course_utils.lessons.l03_gradients.plots import (
    plot_adding_results,
    plot_clipping_runs,
    plot_decay_grid,
    plot_decay_slopes,
    plot_gradient_norms,
)


def is_figure(fig) -> bool:
    return isinstance(fig, matplotlib.figure.Figure)


def test_exported_from_the_plotting_package():
    assert l03_plots.plot_decay_grid is plot_decay_grid
    assert l03_plots.plot_adding_results is plot_adding_results


def test_plot_gradient_norms_skips_zeros_and_draws_references():
    ratio = np.array([1.0, 0.5, 0.0, np.nan, np.inf, 0.1])
    fig = plot_gradient_norms({"a": ratio, "b": [1.0]}, references={"a": 0.5}, title="t")
    assert is_figure(fig)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_title() == "t"
    assert len(ax.lines) == 3
    drawn = ax.lines[0].get_ydata()
    assert np.isnan(drawn[2:5]).all()  # zero, NaN and inf are left out
    assert ax.lines[1].get_marker() not in ("None", "")  # a single point gets a marker
    assert ax.lines[0].get_marker() != ax.lines[1].get_marker()  # not told apart by colour alone


def test_plot_decay_grid_one_panel_per_activation():
    d = np.arange(20)
    results = {act: {rho: rho**d for rho in (0.5, 1.0, 1.5)} for act in ("linear", "tanh")}
    fig = plot_decay_grid(results)
    assert is_figure(fig) and len(fig.axes) == 2
    assert all(ax.get_yscale() == "log" for ax in fig.axes)
    assert len(fig.axes[0].lines) == 6  # 3 measured + 3 references


def test_plot_decay_slopes_with_the_diagonal():
    rows = [
        {"activation": a, "rho": r, "log_rho": np.log(r), "slope": np.log(r) - k}
        for k, a in enumerate(("linear", "tanh"))
        for r in (0.5, 1.0, 1.5)
    ]
    fig = plot_decay_slopes(rows)
    assert is_figure(fig)
    assert len(fig.axes[0].lines) == 2 + 1 + 1  # two activations, diagonal, zero line


def test_plot_clipping_runs_marks_the_divergence():
    finite = {"loss": np.linspace(1, 0.1, 10), "grad_norm": np.ones(10), "diverged_at": None}
    loss = np.full(10, np.nan)
    loss[:3] = [1.0, 10.0, np.inf]
    diverged = {"loss": loss, "grad_norm": np.array([5.0, 50.0] + [np.nan] * 8), "diverged_at": 2}
    fig = plot_clipping_runs({"clipped": finite, "not clipped": diverged})
    assert is_figure(fig) and len(fig.axes) == 2
    assert all(ax.get_yscale() == "log" for ax in fig.axes)
    markers = [line for line in fig.axes[0].lines if line.get_marker() == "x"]
    assert len(markers) == 1 and markers[0].get_xdata()[0] == 1  # the last finite step


def test_plot_adding_results_with_live_runs_and_baseline():
    summary = [
        {"model": m, "length": t, "mean": mean, "std": std}
        for m, mean, std in (("simple_rnn", 0.16, 0.01), ("lstm", 0.001, 0.002))
        for t in (10, 50, 100)
    ]
    live = [{"model": "lstm", "length": 10, "test_mse": 0.002}]
    fig = plot_adding_results(summary, baseline=1 / 6, live_runs=live)
    assert is_figure(fig)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_xscale() == "log"
    assert "this run" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["10", "50", "100"]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: plot_gradient_norms({}), TypeError, "curves must be a non-empty dict"),
        (lambda: plot_gradient_norms([1, 2]), TypeError, "curves must be a non-empty dict"),
        (lambda: plot_gradient_norms({"a": np.ones((2, 2))}), ValueError, "must have rank 1"),
        (lambda: plot_gradient_norms({"a": [1.0]}, references={"a": -1}), ValueError, ">= 0"),
        (lambda: plot_decay_grid({"tanh": {}}), TypeError, "results\\['tanh'\\]"),
        (lambda: plot_decay_slopes([]), TypeError, "rows must be"),
        (lambda: plot_clipping_runs({"a": {"loss": [1.0]}}), TypeError, "clipping_run"),
        (lambda: plot_adding_results([], baseline=0.1), TypeError, "summary must be"),
        (
            lambda: plot_adding_results(
                [{"model": "lstm", "length": 1, "mean": 1, "std": 0}], baseline=0
            ),
            ValueError,
            "baseline must be > 0",
        ),
    ],
)
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()
