"""Selective copying (Gu & Dao 2023) and its fixed-spacing counterpart, plain copying.

Gu, A. & Dao, T. (2023). Mamba: linear-time sequence modeling with selective state
spaces. arXiv:2312.00752, section 3.1, Figure 2 and Appendix E.1.

Both tasks write ``tokens`` data tokens into ``length`` positions that are otherwise
blank, then append ``tokens`` marker tokens; the target is the data tokens in order,
to be produced at the marker steps::

    plain_copy:      7 3 5 . . . . . . . . . . . | > > >     target 7 3 5
    selective_copy:  . . 7 . . . 3 . . . . 5 . . | > > >     target 7 3 5

In plain copying every data token sits at the same place in every sequence, so a model
that only counts time (a linear time-invariant recurrence, a fixed convolution kernel)
can in principle solve it: Gu & Dao (Figure 2's caption) call it "easily solved by
time-invariant models such as linear recurrences and global convolutions". Whether a
given small LTI layer does at a given budget is a measurement (lesson 09 measures its
own). In selective copying the places are random, different in every sequence:
the model must decide from a token's *content* whether to keep it (the paper's
"content-aware reasoning"). The paper notes that the task appeared before as the
Denoising task (Jing et al. 2019).

What is the paper's: data tokens at random positions among "noise" (blank) tokens, to
be output in order (section 3.1, Figure 2); its setting is "sequences of length 4096, with
a vocab size of 16 possible tokens (including the white noise token) ... to memorize 16
data tokens" (Appendix E.1). What is ours (the paper does not specify it): the token
ids (``0`` blank, ``1 .. vocab - 2`` data, ``vocab - 1`` the marker), one marker per
token to produce, placed after the ``length`` positions (so an input has ``length +
tokens`` steps; we do not know whether the paper's 4096 includes the markers), data
tokens drawn uniformly with replacement, their positions uniformly without
replacement, and the small defaults, sized for a CPU.
"""

from __future__ import annotations

import numpy as np

from course_utils.core.validation import check_int
from course_utils.tasks._rng import as_generator

__all__ = ["BLANK_TOKEN", "chance_accuracy", "marker_token", "plain_copy", "selective_copy"]

#: The blank ("noise", white in the paper's Figure 2) token.
BLANK_TOKEN = 0


def marker_token(vocab: int) -> int:
    """The marker token ("now output the next data token"): ``vocab - 1``."""
    return check_int("vocab", vocab, minimum=3) - 1


def chance_accuracy(vocab: int) -> float:
    """The accuracy per copied token of a model that learnt nothing about the input:
    ``1 / (vocab - 2)``. The data tokens are drawn uniformly from the ``vocab - 2`` data
    ids, so any fixed guess (or the best input-blind one) is right that often."""
    return 1.0 / (check_int("vocab", vocab, minimum=3) - 2)


def _checked(n_sequences, length, tokens, vocab):
    n_sequences = check_int("n_sequences", n_sequences, minimum=1)
    tokens = check_int("tokens", tokens, minimum=1)
    length = check_int("length", length, minimum=1)
    vocab = check_int("vocab", vocab, minimum=3)
    if tokens > length:
        raise ValueError(
            f"tokens must be <= length = {length} (one position per data token); got {tokens}."
        )
    return n_sequences, length, tokens, vocab


def _assemble(rng, positions, length, tokens, vocab):
    """Inputs ``(n, length + tokens)`` with data at ``positions`` ``(n, tokens)``, sorted."""
    n_sequences = positions.shape[0]
    data = rng.integers(1, vocab - 1, size=(n_sequences, tokens))  # (n, tokens) data ids
    inputs = np.full((n_sequences, length + tokens), BLANK_TOKEN, dtype=np.int32)  # (n, L+K)
    rows = np.arange(n_sequences)[:, None]  # (n, 1)
    inputs[rows, positions] = data
    inputs[:, length:] = marker_token(vocab)
    return inputs, data.astype(np.int32)  # (n, L+K), (n, K)


def selective_copy(
    n_sequences: int, length: int = 64, tokens: int = 8, vocab: int = 16, seed=0
) -> tuple[np.ndarray, np.ndarray]:
    """Selective copying: ``tokens`` data tokens at random places among ``length`` steps.

    Returns ``inputs`` ``(n, length + tokens)`` and ``targets`` ``(n, tokens)``, int32:
    ``targets[i]`` are the data tokens of ``inputs[i]`` in order of position, to be
    output at its last ``tokens`` steps (the markers). ``vocab`` counts every input
    token: blank, ``vocab - 2`` data tokens and the marker (``vocab >= 3``).
    """
    n_sequences, length, tokens, vocab = _checked(n_sequences, length, tokens, vocab)
    rng = as_generator(seed)
    keys = rng.random((n_sequences, length))  # (n, L): a random order of the positions
    positions = np.sort(np.argsort(keys, axis=1)[:, :tokens], axis=1)  # (n, K), distinct
    return _assemble(rng, positions, length, tokens, vocab)


def plain_copy(
    n_sequences: int, length: int = 64, tokens: int = 8, vocab: int = 16, seed=0
) -> tuple[np.ndarray, np.ndarray]:
    """Plain copying: the same as :func:`selective_copy`, with the data tokens always at
    the first ``tokens`` positions (constant spacing: an LTI model *can* solve it, Gu & Dao
    2023, Figure 2; whether a given one does at a given budget is measured)."""
    n_sequences, length, tokens, vocab = _checked(n_sequences, length, tokens, vocab)
    rng = as_generator(seed)
    positions = np.tile(np.arange(tokens), (n_sequences, 1))  # (n, K): 0 .. K-1
    return _assemble(rng, positions, length, tokens, vocab)
