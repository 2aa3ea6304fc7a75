"""Lessons 01 and 02 build their verdict tables and summaries from these functions."""

import numpy as np
import pytest

from course_utils.core.evidence import Verdict
from course_utils.lessons.l01_elman import hidden_states
from course_utils.lessons.l01_elman import verdicts as elman_verdicts
from course_utils.lessons.l02_jordan import verdicts as jordan_verdicts
from course_utils.verdicts import summary_markdown


def test_shuffled_purity_is_never_below_the_larger_class_share():
    classes = ["noun"] * 18 + ["verb"] * 11
    split = np.array([0] * 15 + [1] * 14)
    purities = hidden_states.shuffled_purity(split, classes, n_shuffles=200, seed=1)
    assert purities.shape == (200,) and purities.min() >= 18 / 29 - 1e-12
    assert np.array_equal(purities, hidden_states.shuffled_purity(split, classes, 200, seed=1))


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [({"n_shuffles": 0}, ValueError), ({"seed": "a"}, TypeError), ({"seed": True}, TypeError)],
)
def test_shuffled_purity_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        hidden_states.shuffled_purity([0, 1], ["a", "b"], **kwargs)


def test_training_verdicts_read_the_xor_bit():
    bptt = np.array([[0.25, 0.25, 0.01], [0.25, 0.26, 0.02], [0.24, 0.25, 0.015]])
    one_step = np.array([[0.25, 0.25, 0.1], [0.25, 0.26, 0.12], [0.24, 0.25, 0.11]])
    better, beats_guess = elman_verdicts.training_verdicts(bptt, one_step, 0.25, scope="test")
    assert better.outcome == "holds" and beats_guess.outcome == "holds"
    with pytest.raises(ValueError, match="bptt"):
        elman_verdicts.training_verdicts(bptt[:, :2], one_step, 0.25)
    with pytest.raises(TypeError, match="scope"):
        elman_verdicts.training_verdicts(bptt, one_step, 0.25, scope=3)


def test_boundary_and_word_verdicts():
    onset_inside = np.array([[1.9, 0.2], [2.0, 0.21], [1.8, 0.19]])
    by_position = np.array([[1.9, 0.4, 0.2, np.nan], [1.9, 0.45, 0.21, 0.1], [1.8, 0.42, 0.2, 0]])
    onsets, falls = elman_verdicts.boundary_verdicts(onset_inside, by_position)
    assert onsets.outcome == "holds" and falls.outcome == "holds"
    with pytest.raises(ValueError, match="positions 0, 1 and 2"):
        elman_verdicts.boundary_verdicts(onset_inside, by_position[:, :2])
    *_, beats = elman_verdicts.boundary_verdicts(onset_inside, by_position, bigram=[2.5, 1.1, 1.6])
    assert beats.outcome == "holds" and "bigram" in beats.claim
    *_, loses = elman_verdicts.boundary_verdicts(onset_inside, by_position, bigram=[2.5, 1.1, 0.1])
    assert loses.outcome == "does not hold"
    with pytest.raises(ValueError, match="bigram"):
        elman_verdicts.boundary_verdicts(onset_inside, by_position, bigram=[2.5, np.nan])
    trained = np.array([[0.9, 0.3], [0.9, 0.25], [1.0, 0.28]])
    untrained = np.array([[1.0, 0.05], [0.6, 0.06], [1.0, 0.04]])
    purity, silhouette = elman_verdicts.word_verdicts(trained, untrained, [0.72, 0.92, 0.8])
    # Untrained networks already split perfectly on 2 of 3 seeds: purity proves nothing.
    assert purity.outcome == "inconclusive" and silhouette.outcome == "holds"
    assert "2 of 3 seeds" in purity.measured
    with pytest.raises(ValueError, match="chance"):
        elman_verdicts.word_verdicts(trained, untrained, [0.7, 0.8])


def test_trap_verdicts_and_folklore_verdicts():
    with_targets, on_its_own = jordan_verdicts.trap_verdicts([0.1, 0.2], [0.3, 0.26], 0.25)
    assert with_targets.outcome == "holds" and on_its_own.outcome == "does not hold"
    with pytest.raises(ValueError, match="guess"):
        jordan_verdicts.trap_verdicts([0.02], [0.3], 0.0)
    with pytest.raises(ValueError, match="with_targets"):
        jordan_verdicts.trap_verdicts([[0.02]], [0.3], 0.25)
    xor = {"E": [0.01, 0.02, 0.015], "J": [0.25, 0.26, 0.24]}
    parity = {"E": [20, 22, 21], "E7": [30, 31, 29], "J": [3, 4, 3]}
    verdicts = jordan_verdicts.folklore_verdicts(
        xor, parity, elman_names=["E", "E7"], jordan_names=["J"], guess=0.25, scope="test"
    )
    assert [v.outcome for v in verdicts] == ["holds", "holds", "holds", "holds"]
    assert "E learns the XOR bit" in verdicts[0].claim
    assert "J stays at guessing" in verdicts[1].claim and "3 of 3 seeds" in verdicts[1].measured
    assert "J learns parity in fewer epochs than E7" in verdicts[3].claim
    with pytest.raises(ValueError, match="parity_epochs"):
        jordan_verdicts.folklore_verdicts(
            xor, {"E": [1]}, elman_names=["E"], jordan_names=["J"], guess=0.25
        )
    with pytest.raises(TypeError, match="elman_names"):
        jordan_verdicts.folklore_verdicts(
            xor, parity, elman_names="E", jordan_names=["J"], guess=0.25
        )


def test_folklore_xor_asks_who_trains_not_whose_error_is_lower():
    """Both Jordan networks at guessing: 'Elman beats Jordan' would be a comparison with a
    run that did not train (inconclusive by the course's rule), so the verdicts say who
    gets below guessing instead, and a Jordan network that learns the bit breaks them."""
    parity = {"E": [20, 22, 21], "J": [3, 4, 3]}
    at_guess = {"E": [0.05, 0.08, 0.2], "J": [0.25, 0.251, 0.249]}
    v = jordan_verdicts.folklore_verdicts(
        at_guess, parity, elman_names=["E"], jordan_names=["J"], guess=0.25
    )
    # the did-not-train line is 0.225: E's 0.2 learnt, every J seed did not
    assert [x.outcome for x in v[:2]] == ["holds", "holds"]
    learnt = {"E": [0.05, 0.08, 0.24], "J": [0.25, 0.1, 0.249]}
    v = jordan_verdicts.folklore_verdicts(
        learnt, parity, elman_names=["E"], jordan_names=["J"], guess=0.25
    )
    assert [x.outcome for x in v[:2]] == ["inconclusive", "inconclusive"]
    assert "0.225" in v[0].rule and "2 of 3 seeds" in v[1].measured


@pytest.mark.usefixtures("full_mode")
def test_summaries_render_from_the_verdict_objects():
    verdicts = jordan_verdicts.trap_verdicts([0.02], [0.3], 0.25, scope="here: test")
    text = summary_markdown(verdicts, points=["A fixed point."])
    assert text.startswith("- A fixed point.")
    for v in verdicts:
        assert isinstance(v, Verdict) and f"**{v.outcome}" in text and v.claim in text


@pytest.mark.parametrize(
    "name", ["00_start_here.ipynb", "01_elman_networks.ipynb", "02_jordan_networks.ipynb"]
)
def test_lesson_summary_is_rendered_from_verdicts(name):
    from pathlib import Path

    import nbformat

    cells = nbformat.read(Path(__file__).parents[1] / "notebooks" / name, as_version=4).cells
    i = next(k for k, c in enumerate(cells) if c.source.startswith("## Summary"))
    assert cells[i + 1].cell_type == "code" and "show_summary(" in cells[i + 1].source
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert "'yes' if" not in code and '"yes" if' not in code, "a yes/NO print wall is back"
