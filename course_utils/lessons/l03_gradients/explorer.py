"""Interactive widgets for the lessons: the logic as plain functions, the sliders on top.

The functions compute and draw without a Jupyter kernel, so the tests call them
directly; the ipywidgets UI only reads its sliders and calls them.

Lesson 03 (vanishing and exploding gradients)::

    from course_utils.lessons.l03_gradients.explorer import gradient_curve, gradient_figure, gradient_explorer

    gradient_curve(rho=1.1, length=50, activation="tanh")   # the numbers, as a dict
    gradient_figure(rho=1.1, length=50, activation="tanh")  # the plot, as a Figure
    gradient_explorer()                                     # sliders that redraw the plot
"""

from __future__ import annotations

import math

from course_utils.core.validation import check_choice, check_int, check_number
from course_utils.lessons.l03_gradients.experiments import ACTIVATIONS, decay_slope, gradient_decay
from course_utils.lessons.l03_gradients.plots import plot_gradient_norms

__all__ = [
    "LENGTH_RANGE",
    "RHO_RANGE",
    "GradientExplorer",
    "gradient_curve",
    "gradient_explorer",
    "gradient_figure",
]

#: Slider ranges of :func:`gradient_explorer` (the functions accept any rho >= 0, length >= 1).
RHO_RANGE = (0.0, 2.0)
LENGTH_RANGE = (1, 200)


def gradient_curve(
    rho: float,
    length: int,
    activation: str = "tanh",
    *,
    hidden_size: int = 32,
    input_scale: float = 1.0,
    seed: int = 0,
) -> dict:
    """How ``||dL/dh_k||`` changes with the distance ``T - k`` for one setting.

    rho: spectral radius of ``W_hh`` (``>= 0``; 0 gives the zero matrix).
    length: the number of steps ``T`` (``>= 1``). activation: ``"linear"``, ``"tanh"``
    or ``"relu"``. The probe is ``lessons.l03_gradients.experiments.gradient_decay`` with a Gaussian
    ``W_hh`` and a batch of 8 sequences.

    Returns ``{"rho", "length", "activation", "distance", "ratio", "slope",
    "predicted_slope", "mean_derivative", "summary"}``: ``ratio[d]`` is the gradient norm
    ``d`` steps back divided by the one at the last step; ``slope`` the measured log-rate
    per step (NaN when fewer than two non-zero points), ``predicted_slope`` the linear
    prediction ``log rho``; ``summary`` one line of text saying both.
    """
    rho = check_number("rho", rho, minimum=0.0)
    length = check_int("length", length, minimum=1)
    check_choice("activation", activation, ACTIVATIONS)
    result = gradient_decay(
        rho,
        activation,
        length=length,
        hidden_size=hidden_size,
        batch=8,
        input_scale=input_scale,
        seed=seed,
    )
    slope = decay_slope(result["ratio"], skip=min(10, length // 4))
    predicted = math.log(rho) if rho > 0 else -math.inf
    if math.isfinite(slope):
        measured = f"measured rate per step e^slope = {math.exp(slope):.3f}"
    else:
        measured = "rate not measurable (under two non-zero norms)"
    summary = f"ρ = {rho:.2f}, T = {length}, {activation}: {measured}; linear prediction {rho:.3f}"
    return {
        "rho": rho,
        "length": length,
        "activation": activation,
        "distance": result["distance"],
        "ratio": result["ratio"],
        "slope": slope,
        "predicted_slope": predicted,
        "mean_derivative": result["mean_derivative"],
        "summary": summary,
    }


def gradient_figure(rho: float, length: int, activation: str = "tanh", **probe):
    """The plot the explorer shows: measured ratio (solid) and ``rho**d`` (dashed), log scale.

    Arguments as :func:`gradient_curve`; returns a matplotlib ``Figure``.
    """
    return _draw(gradient_curve(rho, length, activation, **probe))


def _draw(data: dict):
    label = f"{data['activation']}, ρ = {data['rho']:.2f}"
    fig = plot_gradient_norms(
        {label: data["ratio"]},
        references={label: data["rho"]},
        title=data["summary"].split(": ", 1)[1].replace("; ", "\n"),
    )
    fig.axes[0].title.set_fontsize(8)
    return fig


class GradientExplorer:
    """Sliders for rho, sequence length and activation that redraw :func:`gradient_figure`.

    Built by :func:`gradient_explorer`. Attributes: ``rho``, ``length``, ``activation``
    (the controls), ``output`` (where the plot is drawn), ``summary`` (a text line),
    ``widget`` (the whole box), and ``figure`` / ``data`` (the latest drawing, for tests).
    Displaying the explorer displays ``widget``.
    """

    def __init__(self, rho: float = 1.0, length: int = 50, activation: str = "tanh") -> None:
        import ipywidgets as w

        rho = check_number("rho", rho, minimum=RHO_RANGE[0], maximum=RHO_RANGE[1])
        length = check_int("length", length, minimum=LENGTH_RANGE[0], maximum=LENGTH_RANGE[1])
        check_choice("activation", activation, ACTIVATIONS)
        style = {"description_width": "initial"}
        self.rho = w.FloatSlider(
            value=rho,
            min=RHO_RANGE[0],
            max=RHO_RANGE[1],
            step=0.05,
            description="ρ (spectral radius)",
            continuous_update=False,
            readout_format=".2f",
            style=style,
        )
        self.length = w.IntSlider(
            value=length,
            min=LENGTH_RANGE[0],
            max=LENGTH_RANGE[1],
            description="sequence length",
            continuous_update=False,
            style=style,
        )
        self.activation = w.ToggleButtons(
            options=list(ACTIVATIONS), value=activation, description="activation", style=style
        )
        self.summary = w.HTML()
        self.output = w.Output()
        self.widget = w.VBox([self.rho, self.length, self.activation, self.summary, self.output])
        self.figure = None
        self.data = None
        for control in (self.rho, self.length, self.activation):
            control.observe(self.redraw, names="value")
        self.redraw()

    def redraw(self, change=None) -> None:
        """Recompute and redraw from the controls' current values."""
        from IPython.display import display

        args = (self.rho.value, self.length.value, self.activation.value)
        self.data = gradient_curve(*args)
        self.figure = _draw(self.data)
        self.summary.value = f"<code>{self.data['summary']}</code>"
        self.output.clear_output(wait=True)
        with self.output:
            display(self.figure)

    def _ipython_display_(self, **kwargs) -> None:
        # Display the box itself: ipywidgets 8 shows it through _repr_mimebundle_, 7.7
        # (Colab's) through _ipython_display_; display() picks whichever exists.
        from IPython.display import display

        display(self.widget)


def gradient_explorer(
    rho: float = 1.0, length: int = 50, activation: str = "tanh"
) -> GradientExplorer:
    """The lesson-03 widget: move ρ, the sequence length or the activation and the
    gradient-norm plot is redrawn. Make it the last line of a cell to show it."""
    return GradientExplorer(rho, length, activation)
