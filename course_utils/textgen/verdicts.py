"""Lesson 06's verdicts: what the text-generation lesson measured, as verdict objects.

Explained in ``notebooks/06_text_generation.ipynb``. The lesson collects its live checks
(:func:`match_verdict` for "these two computations agree", :func:`beats_uniform` for the
trained model) and adds the committed benchmark's (:func:`benchmark_verdicts`); its
summary renders all of them with :func:`course_utils.verdicts.show_summary` after the
fixed :data:`SUMMARY_POINTS`.
"""

from __future__ import annotations

import math

from ..validation import check_int, check_number
from ..verdicts import Verdict, against_threshold, compare_seeds

__all__ = ["SUMMARY_POINTS", "beats_uniform", "benchmark_verdicts", "match_verdict"]

#: The summary's fixed points: what the lesson built, true whatever was measured.
SUMMARY_POINTS = (
    "A word-level model learns from n-gram prefixes (`TextVectorization`, right-padded "
    "contexts, Embedding -> masked LSTM -> softmax). Its fixed vocabulary turns every unseen "
    "word into `[UNK]`, and its output layer grows with the vocabulary.",
    "A character-level model spells everything itself. A `tf.data` pipeline cuts the text "
    "into windows (or, for stateful training, into streams that continue from batch to "
    "batch), shuffles, batches and prefetches; a short Keras callback trains it for a "
    "wall-clock budget.",
    "Held-out bits per character is the average of $-\\log_2 p$ over text the model never "
    "saw; perplexity is $2^{\\text{bits}}$.",
    "Temperature trades safety for variety, top-k cuts off the unlikely tail, and argmax "
    "can fall into loops.",
)


def _check_scope(scope) -> str:
    if not isinstance(scope, str) or not scope.strip():
        raise TypeError(f"scope must be a non-empty str saying what was measured; got {scope!r}.")
    return scope


def match_verdict(claim: str, gap: float, *, tolerance: float = 1e-4, scope: str) -> Verdict:
    """ "Two computations agree": holds when the largest absolute difference ``gap`` is
    below ``tolerance``."""
    if not isinstance(claim, str) or not claim.strip():
        raise TypeError(f"claim must be a non-empty str; got {claim!r}.")
    gap = check_number("gap", gap, minimum=0.0)
    tolerance = check_number("tolerance", tolerance, minimum=0.0, strict_minimum=True)
    return against_threshold(
        claim, [gap], tolerance, below=True, unit="max |difference|", scope=_check_scope(scope)
    )


def beats_uniform(bits: float, vocab_size: int, *, scope: str) -> Verdict:
    """ "The trained model beats a uniform guess": held-out ``bits`` below ``log2(vocab_size)``."""
    bits = check_number("bits", bits, minimum=0.0)
    vocab_size = check_int("vocab_size", vocab_size, minimum=2)
    return against_threshold(
        f"The character model beats a uniform guess over {vocab_size} characters "
        f"(log2 {vocab_size} = {math.log2(vocab_size):.2f} bits)",
        [bits],
        math.log2(vocab_size),
        below=True,
        unit="bits/char held out",
        scope=_check_scope(scope),
    )


def _final(run: dict, metric: str) -> float:
    checkpoints = run.get("checkpoints") or []
    if not checkpoints or metric not in checkpoints[-1]:
        raise ValueError(f"run {run.get('label', '?')!r} has no final {metric!r} checkpoint.")
    return float(checkpoints[-1][metric])


def benchmark_verdicts(report: dict) -> list[Verdict]:
    """Verdicts from ``benchmarks/results/textgen.json`` (one run per model).

    * the lesson's model against the tutorial's at the same wall-clock budget;
    * for the lesson's model: scoring with the state carried along each held-out row
      against windows of 100 read from a zero state.

    One run each: the scope says so, and a single run decides on any gap.
    """
    if not isinstance(report, dict) or not isinstance(report.get("runs"), list):
        raise TypeError("report must be the textgen benchmark's JSON dict, with a 'runs' list.")
    runs = {r.get("label", "").split()[0]: r for r in report["runs"] if isinstance(r, dict)}
    if not {"lesson", "tutorial"} <= set(runs):
        raise ValueError(
            f"report must hold a 'lesson ...' and a 'tutorial ...' run; got {sorted(runs)}."
        )
    cpus = report.get("machine", {}).get("cpu_count", "?")
    minutes = report.get("minutes")
    budget = f"{minutes:g} min" if isinstance(minutes, (int, float)) else "equal time"
    scope = (
        f"committed: {cpus}-core CPU, 1 run per model, {budget} of training each, "
        f"{str(report.get('date', '?'))[:10]}"
    )
    lesson, tutorial = runs["lesson"], runs["tutorial"]
    return [
        compare_seeds(
            f"At the same training time, the lesson's model ({lesson['label']}) ends below "
            f"the tutorial's ({tutorial['label']}) in held-out bits per character",
            [_final(lesson, "bits_per_char")],
            [_final(tutorial, "bits_per_char")],
            lower_is_better=True,
            names=("lesson", "tutorial"),
            unit="bits/char",
            scope=scope,
        ),
        compare_seeds(
            "Carrying the state along held-out text scores the lesson's model lower than "
            "restarting every 100 characters",
            [_final(lesson, "bits_per_char")],
            [_final(lesson, "bits_per_char_window")],
            lower_is_better=True,
            names=("carried", "window 100"),
            unit="bits/char",
            scope=scope,
        ),
    ]
