"""The verdicts of lesson 01 (``notebooks/01_elman_networks.ipynb``), from its measurements.

Each function takes what the lesson measured, one value per seed, and returns
:class:`course_utils.core.evidence.Verdict` objects: the claim, the figures, the rule and
the outcome. The lesson shows them with ``show_verdicts`` and renders its summary from
them with ``show_summary``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from course_utils.core.evidence import Verdict, against_threshold, compare_seeds, seeds_text
from course_utils.core.validation import check_array, check_number

__all__ = ["boundary_verdicts", "training_verdicts", "word_verdicts"]


def _scope(scope) -> str:
    if not isinstance(scope, str):
        raise TypeError(f"scope must be a str such as 'here: full mode, 3 seeds'; got {scope!r}.")
    return scope


def training_verdicts(bptt, one_step, guess: float, *, scope: str = "") -> list[Verdict]:
    """Temporal XOR trained with 30-step BPTT against Elman's one-step training.

    bptt, one_step: ``(seeds, 3)`` mean squared error at each triplet position;
    guess: the error of always guessing 0.5.
    """
    bptt = check_array("bptt", bptt, ndim=2, shape=(None, 3), dims="(seeds, 3)")
    one_step = check_array("one_step", one_step, ndim=2, shape=(None, 3), dims="(seeds, 3)")
    guess = check_number("guess", guess, minimum=0.0)
    scope = _scope(scope)
    return [
        compare_seeds(
            "30-step BPTT predicts the XOR bit better than one-step training",
            bptt[:, 2], one_step[:, 2], lower_is_better=True,
            names=("30-step BPTT", "one step"), unit="squared error", scope=scope,
        ),
        against_threshold(
            "one-step training (Elman's) still beats guessing on the XOR bit",
            one_step[:, 2], guess, below=True, unit="squared error", scope=scope,
        ),
    ]  # fmt: skip


def boundary_verdicts(onset_inside, by_position, *, bigram=None, scope: str = "") -> list[Verdict]:
    """Elman's word-boundary experiment.

    onset_inside: ``(seeds, 2)`` mean error at word onsets and at the other letters;
    by_position: ``(seeds, positions)`` mean error at each position in a word (>= 3);
    bigram: ``(positions,)`` the same for a model that knows only which letter follows
    which (``word_boundaries.bigram_cross_entropy``), or None. Given, a third verdict
    compares the networks with it at a word's third letter, where a memory of more than
    the current letter is needed to do better.
    """
    onset_inside = check_array(
        "onset_inside", onset_inside, ndim=2, shape=(None, 2), dims="(seeds, 2)"
    )
    by_position = check_array(
        "by_position", by_position, ndim=2, allow_nonfinite=True, dims="(seeds, positions)"
    )
    if by_position.shape[1] < 3 or not np.isfinite(by_position[:, :3]).all():
        raise ValueError(
            "by_position needs finite errors at positions 0, 1 and 2 of a word; got "
            f"shape {by_position.shape}."
        )
    if bigram is not None:
        bigram = check_array("bigram", bigram, ndim=1, allow_nonfinite=True, dims="(positions,)")
        if bigram.size < 3 or not np.isfinite(bigram[:3]).all():
            raise ValueError(f"bigram needs finite errors at positions 0, 1 and 2; got {bigram}.")
    scope = _scope(scope)
    verdicts = [
        compare_seeds(
            "the next-letter error is higher at word onsets than inside words",
            onset_inside[:, 0], onset_inside[:, 1], lower_is_better=False,
            names=("onsets", "inside"), unit="nats", scope=scope,
        ),
        compare_seeds(
            "the error keeps falling from a word's second letter to its third",
            by_position[:, 2], by_position[:, 1], lower_is_better=True,
            names=("3rd letter", "2nd letter"), unit="nats", scope=scope,
        ),
    ]  # fmt: skip
    if bigram is not None:
        verdicts.append(
            against_threshold(
                "at a word's third letter the network beats a letter-follows-letter (bigram) "
                "model (it remembers more than the current letter)",
                by_position[:, 2],
                float(bigram[2]),
                below=True,
                unit="nats",
                scope=scope,
            )  # fmt: skip
        )
    return verdicts


def word_verdicts(trained, untrained, chance, *, scope: str = "") -> list[Verdict]:
    """Noun/verb separation of the word networks, against the same networks untrained.

    trained, untrained: ``(seeds, 2)`` (purity, silhouette) after and before training;
    chance: ``(seeds,)`` the 95th percentile of the purity of each trained network's top
    split with the classes shuffled (``hidden_states.shuffled_purity``), reported beside
    the purity. An untrained network can already split nouns from verbs (its states
    follow the input words), so a grouping counts as learnt only against untrained
    networks: both verdicts compare trained with untrained, seed by seed.
    """
    trained = check_array("trained", trained, ndim=2, shape=(None, 2), dims="(seeds, 2)")
    untrained = check_array("untrained", untrained, ndim=2, shape=(None, 2), dims="(seeds, 2)")
    chance = check_array("chance", chance, shape=(len(trained),), dims="(seeds,)")
    scope = _scope(scope)
    purity = compare_seeds(
        "training makes the top split purer (nouns apart from verbs) than random weights do",
        trained[:, 0], untrained[:, 0], metric="purity", names=("trained", "untrained"),
        scope=scope,
    )  # fmt: skip
    above = int((trained[:, 0] > chance).sum())
    purity = replace(
        purity,
        measured=f"{purity.measured}; trained purity above its shuffled-class 95th percentile "
        f"in {above} of {seeds_text(len(chance))}",
    )
    return [
        purity,
        compare_seeds(
            "training separates nouns from verbs more than random weights do (silhouette)",
            trained[:, 1], untrained[:, 1], lower_is_better=False,
            names=("trained", "untrained"), scope=scope,
        ),
    ]  # fmt: skip
