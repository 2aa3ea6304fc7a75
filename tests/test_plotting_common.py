"""Figures everyone can read: the palette, distinct line styles, and a summary sentence."""

import matplotlib
import numpy as np
import pytest

from course_utils.core.environment import OKABE_ITO, _matplotlib_defaults
from course_utils.plotting import common, plot_curves, plot_history, plot_sequence_predictions


def test_setup_installs_the_okabe_ito_cycle():
    _matplotlib_defaults()
    colours = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    assert [c.upper() for c in colours] == list(OKABE_ITO)
    assert matplotlib.colors.to_hex("C0").upper() == OKABE_ITO[0]


def test_series_differ_by_more_than_colour():
    styles = [common.series_style(i) for i in range(4)]
    assert len({s["linestyle"] for s in styles}) == 4 and len({s["marker"] for s in styles}) == 4
    with pytest.raises(ValueError, match="index"):
        common.series_style(-1)


@pytest.mark.usefixtures("full_mode")
def test_describe_and_show_print_the_sentence_after_the_figure(capsys, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    fig = plot_curves({"a": [3.0, 2.0, 1.0], "b": [3.0, 3.0, 3.0]}, ylabel="loss")
    sentence = common.summary_of(fig)
    assert "a falls from 3 to 1" in sentence and "b stays at 3" in sentence
    assert sentence.endswith("Lowest at the end: a.")
    common.show(fig)
    assert shown == [fig]
    assert capsys.readouterr().out == common.FIGURE_PREFIX + sentence + "\n"
    lines = [line for line in fig.axes[0].get_lines()]
    assert lines[0].get_linestyle() != lines[1].get_linestyle()


def test_describe_rejects_bad_input():
    fig = plot_curves({"a": [1.0, 2.0]})
    with pytest.raises(TypeError, match="figure"):
        common.describe("not a figure", "x")
    with pytest.raises(ValueError, match="sentence"):
        common.describe(fig, "  ")
    with pytest.raises(ValueError, match="one line"):
        common.describe(fig, "two\nlines")
    with pytest.raises(TypeError, match="figure"):
        common.show(None)
    assert common.summary_of(object()) is None


@pytest.mark.usefixtures("full_mode")
def test_history_and_predictions_are_described_from_their_data():
    fig = plot_history({"loss": [1.0, 0.5], "val_loss": [1.2, 0.9]})
    assert common.summary_of(fig) == (
        "Over 2 epochs, training loss falls from 1 to 0.5; validation loss falls from 1.2 to 0.9."
    )
    x = np.zeros((1, 4, 1))  # (batch, time, features)
    y = np.array([0.0, 1.0, 0.0, 1.0]).reshape(1, 4, 1)  # (batch, time, outputs)
    pred = y + np.array([0.0, -0.5, 0.1, 0.0]).reshape(1, 4, 1)
    text = common.summary_of(plot_sequence_predictions(x, y, pred))
    assert "by 0.15 on average" in text and "at most 0.5, at step 1" in text


def test_fast_mode_marks_every_figure_sentence(monkeypatch):
    for mode, marked in (("1", True), ("0", False)):
        monkeypatch.setenv("COURSE_FAST", mode)
        figure = plot_curves({"a": [0.91, 0.02]})
        assert common.summary_of(figure).endswith("(fast mode: not evidence)") is marked
