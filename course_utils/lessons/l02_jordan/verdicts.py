"""The verdicts of lesson 02 (``notebooks/02_jordan_networks.ipynb``), from its measurements.

* :func:`trap_verdicts` - do Jordan networks trained with teacher forcing predict the
  XOR bit when the targets are fed back, and when their own outputs are?
* :func:`folklore_verdicts` - the popular Elman-versus-Jordan claim: on temporal XOR,
  does each network get below guessing (a Jordan network that stays at guessing did not
  train, so a comparison of errors would be inconclusive; the lesson asks who trains), and
  on parity seed comparisons, including a parameter-matched pair so that a speed
  difference is not just a size one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from course_utils.core.evidence import (
    Verdict,
    against_threshold,
    compare_seeds,
    did_not_train,
    per_seed,
    spread,
)
from course_utils.core.validation import check_array, check_number

__all__ = ["folklore_verdicts", "trap_verdicts"]


def _scope(scope) -> str:
    if not isinstance(scope, str):
        raise TypeError(f"scope must be a str such as 'here: full mode, 5 seeds'; got {scope!r}.")
    return scope


def trap_verdicts(with_targets, on_its_own, guess: float, *, scope: str = ""):
    """Teacher-forced Jordan networks on temporal XOR, with the targets or their own
    outputs fed back: is the error at the XOR bit below that of always guessing 0.5?

    with_targets, on_its_own: the XOR-bit error of each seed's network, each way.
    """
    with_targets = check_array("with_targets", np.asarray(with_targets, dtype=float), ndim=1)
    on_its_own = check_array("on_its_own", np.asarray(on_its_own, dtype=float), ndim=1)
    guess = check_number("guess", guess, minimum=0.0, strict_minimum=True)
    scope = _scope(scope)
    return [
        against_threshold(
            "targets fed back (as in training): XOR-bit error below guessing's",
            with_targets, guess, below=True, unit="squared error", scope=scope,
        ),
        against_threshold(
            "own outputs fed back (as in use): XOR-bit error below guessing's",
            on_its_own, guess, below=True, unit="squared error", scope=scope,
        ),
    ]  # fmt: skip


def _runs(name: str, runs: Mapping, keys: Sequence[str]) -> dict:
    if not isinstance(runs, Mapping):
        raise TypeError(f"{name} must be a dict of network name -> one value per seed.")
    missing = [k for k in keys if k not in runs]
    if missing:
        raise ValueError(f"{name} has no entry for {missing}; it has {sorted(runs)}.")
    return {k: np.asarray(runs[k], dtype=float) for k in keys}


#: The share of the way from guessing's error to 0 that a run must go to count as having
#: learnt the XOR bit: the course's "did not train" line (``evidence.did_not_train``).
WITHIN = 0.1


def _xor_verdict(claim: str, errors, guess: float, *, learns: bool, scope: str) -> Verdict:
    """Per seed: did this network's XOR-bit error get below guessing's (``learns``) or stay
    at it (not ``learns``), by the course's did-not-train line?"""
    stayed = did_not_train(errors, guess, metric="mse", within=WITHIN)  # (seeds,)
    line = guess * (1 - WITHIN)
    measured = (
        f"XOR-bit squared error {spread(errors).text(3)}; guessing 0.5 scores {guess:.3f}, "
        f"the did-not-train line is {line:.3f}"
    )
    side = "below" if learns else "at or above"
    rule = f"the seed's error ends {side} {line:.3f} (a tenth of the way from guessing's to 0)"
    return per_seed(claim, ~stayed if learns else stayed, measured=measured, rule=rule, scope=scope)


def folklore_verdicts(
    xor_errors: Mapping,
    parity_epochs: Mapping,
    *,
    elman_names: Sequence[str],
    jordan_names: Sequence[str],
    guess: float,
    scope: str = "",
) -> list[Verdict]:
    """ "Elman for fine-grained dependencies, Jordan for a summary", as verdicts.

    xor_errors: network name -> XOR-bit error per seed; parity_epochs: network name ->
    epochs to 99 % on running parity per seed; guess: the XOR-bit error of always guessing
    0.5. Temporal XOR: does the first Elman network learn the XOR bit (every seed below
    guessing, by the did-not-train line), and does every Jordan network stay at guessing?
    A Jordan network at guessing did not train, so "Elman's error is lower" would be
    inconclusive by the course's rule; who trains is what the lesson argues. Parity: does
    each Jordan network learn it in fewer epochs than each Elman network (list a
    parameter-matched one in ``elman_names``)?
    """
    for name, names in (("elman_names", elman_names), ("jordan_names", jordan_names)):
        if isinstance(names, str) or not names or not all(isinstance(n, str) for n in names):
            raise TypeError(f"{name} must be a non-empty list of network names; got {names!r}.")
    xor = _runs("xor_errors", xor_errors, [elman_names[0], *jordan_names])
    parity = _runs("parity_epochs", parity_epochs, [*elman_names, *jordan_names])
    guess = check_number("guess", guess, minimum=0.0, strict_minimum=True)
    scope = _scope(scope)
    elman = elman_names[0]
    verdicts = [
        _xor_verdict(
            f"{elman} learns the XOR bit of temporal XOR (gets below guessing)",
            xor[elman],
            guess,
            learns=True,
            scope=scope,
        )  # fmt: skip
    ]
    for jordan in jordan_names:
        verdicts.append(
            _xor_verdict(
                f"{jordan} stays at guessing on the XOR bit of temporal XOR",
                xor[jordan],
                guess,
                learns=False,
                scope=scope,
            )  # fmt: skip
        )
        for other in elman_names:
            verdicts.append(
                compare_seeds(
                    f"{jordan} learns parity in fewer epochs than {other}",
                    parity[jordan],
                    parity[other],
                    lower_is_better=True,
                    names=(jordan, other),
                    unit="epochs",
                    scope=scope,
                )  # fmt: skip
            )
    return verdicts
