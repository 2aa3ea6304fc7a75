"""Lesson 01's plot of Elman's word-boundary experiment (the error along a letter stream).

The figure is returned closed, with a sentence computed from the plotted values
(:func:`course_utils.plotting.show` prints it).
"""

from __future__ import annotations

import numpy as np

from course_utils.core.evidence import seeds_text
from course_utils.core.validation import check_array, check_int
from course_utils.plotting.common import describe
from course_utils.plotting.wording import last_finite

__all__ = ["plot_word_boundary_errors"]


def plot_word_boundary_errors(errors, letters, word_start, by_position, *, n_show: int = 40):
    """The next-letter error along the stream (word onsets: red squares, bold letters) and
    by position in a word.

    errors: ``(time,)`` error of the prediction at step t, whose target is ``letters[t + 1]``;
    letters: the stream (a string of ``time + 1`` letters); word_start: ``(time + 1,)`` bools;
    by_position: ``(seeds, positions)`` mean error at each position in a word, per seed.
    """
    import matplotlib.pyplot as plt

    errors = check_array("errors", errors, ndim=1, dims="(time,)")
    if not isinstance(letters, str) or len(letters) != len(errors) + 1:
        raise ValueError(
            f"letters must be a string of {len(errors) + 1} letters (one more than errors); "
            f"got {type(letters).__name__} of length {len(letters)}."
        )
    word_start = check_array("word_start", word_start, shape=(len(letters),), kind="any")
    by_position = check_array(
        "by_position", by_position, ndim=2, allow_nonfinite=True, dims="(seeds, positions)"
    )
    n_show = check_int("n_show", n_show, minimum=1, maximum=len(errors))
    onset = word_start[1 : n_show + 1].astype(bool)  # (n_show,)
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(11, 3.2), gridspec_kw={"width_ratios": [2.6, 1]}
    )
    left.plot(range(n_show), errors[:n_show], "-", color="0.4")
    left.scatter(np.flatnonzero(onset), errors[:n_show][onset], color="C3", marker="s", zorder=3)
    left.set_xticks(range(n_show))
    left.set_xticklabels(list(letters[1 : n_show + 1]), fontsize=8)
    for tick, is_onset in zip(left.get_xticklabels(), onset, strict=True):
        if is_onset:
            tick.set_color("C3")
            tick.set_fontweight("bold")
    left.set_xlabel("letter being predicted (first letter of a word: bold, in red)")
    left.set_ylabel("error (nats)")
    positions = np.arange(by_position.shape[1])
    right.bar(positions, np.nanmean(by_position, axis=0), color="0.75")
    for row in by_position:
        right.plot(positions, row, "o", color="0.2", ms=3)
    right.set_xticks(positions)
    right.set_xlabel("position of the letter in its word")
    right.set_title("mean per position (dots: seeds)")
    fig.suptitle("Next-letter error along a stream without spaces")
    fig.tight_layout()
    plt.close(fig)
    starts = word_start[1:].astype(bool)  # (time,): the prediction of a word's first letter
    last, at_last = last_finite(np.nanmean(by_position, axis=0)) or (0, float("nan"))
    sentence = (
        f"Over {len(errors)} predictions, the error averages {errors[starts].mean():.3g} nats at "
        f"the first letter of a word and {errors[~starts].mean():.3g} at the others; by position "
        f"in a word (mean of {seeds_text(len(by_position))}), {np.nanmean(by_position[:, 0]):.3g} at "
        f"position 0 and {at_last:.3g} at position {last}."
    )
    return describe(fig, sentence)
