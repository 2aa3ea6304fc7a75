"""Lesson 06's verdicts: what the text-generation lesson and its appendix measured.

``notebooks/06_text_generation.ipynb`` collects its live checks (:func:`match_verdict` for
"these two computations agree", :func:`beats_uniform` for the trained model) and renders its
summary from them after the fixed :data:`SUMMARY_POINTS`. Its appendix,
``notebooks/06b_benchmark_race.ipynb``, renders the committed race's verdicts
(:func:`~course_utils.lessons.l06_text_generation.race_verdicts.race_verdicts`, with the
:data:`GOAL`) after :data:`RACE_SUMMARY_POINTS`. Both
render with :func:`course_utils.verdicts.show_summary`.
"""

from __future__ import annotations

import math

from course_utils.core.evidence import (
    Verdict,
    against_threshold,
    compare_seeds,
    computed,
)
from course_utils.core.results import QUIET_SHARE
from course_utils.core.validation import check_int, check_number
from course_utils.textgen.benchmark import LESSON

__all__ = [
    "GOAL",
    "RACE_SUMMARY_POINTS",
    "SUMMARY_POINTS",
    "backend_verdicts",
    "race_backend",
    "beats_uniform",
    "match_verdict",
    "window_positions",
]

#: The race's goal: test bits per character after the full budget. The course's own bar,
#: added for the lesson's model in commit 4e7cb95 (Nov 2026), together with the race
#: results it judged, so the repository cannot show it came first; issue #28 moved it to
#: the course's best model (:func:`best_course_model`, chosen on
#: validation). Neither the source article (its tutorial gives no number) nor a published
#: result. The appendix says so, and prints what the bar means (its perplexity, the
#: uniform guess's bits).
GOAL = 2.10

#: The summary's fixed points: what the lesson built and defined, true whatever was
#: measured. What the lesson measured (the NumPy engine's state, the reloaded logits) is in
#: the checks rendered after these points, with their outcomes.
SUMMARY_POINTS = (
    "A word-level model learns from n-gram prefixes (`TextVectorization`, right-padded "
    "contexts, Embedding -> masked LSTM -> softmax). Its fixed vocabulary turns every unseen "
    "word into `[UNK]`, and its output layer grows with the vocabulary.",
    "A character-level model spells everything itself. A `tf.data` pipeline cuts the text "
    "into windows, shuffles, batches and prefetches them; a short Keras callback trains it "
    "for a wall-clock budget.",
    "Held-out bits per character is the average of $-\\log_2 p$ over text the model never "
    "saw; perplexity is $2^{\\text{bits}}$.",
    "Generation is a loop: read a character, step the recurrent layer from the state it "
    "carried, sample from softmax(logits / T), feed the sample back; the state is all it "
    "carries between steps (the checks below compare it with the NumPy engine's).",
    "Temperature trades safety for variety, top-k cuts off the unlikely tail, and argmax "
    "can fall into loops.",
    "A Keras 3 model saves to one `.keras` file (the checks below say whether it reloaded "
    "to the same logits).",
)

#: The appendix's fixed points: how the race was run, true whatever it measured.
RACE_SUMMARY_POINTS = (
    "The question is which model is ahead at the 1- and 2-minute checkpoints and after 5 "
    "minutes of one 5-minute schedule on one 2-core CPU, with the steps, characters and "
    "FLOPs each spent: it says nothing about which architecture is better once each has "
    "trained to convergence.",
    "Every contender was tuned the same way: the same three settings (peak learning rate, "
    "batch size, weight decay), trials as long as a race run, scored on validation, the "
    "same number of trials each (the tuning table prints the counts), each best value "
    "bracketed or recorded as not bracketed. The models' shapes were not searched: the "
    "lesson GRU's came from an earlier search scored on text that overlaps the test split. "
    "The race then ran each choice on new seeds, interleaved, scored on test.",
    f"Search and race runs during which other processes used more than {QUIET_SHARE:.0%} of "
    "the CPU were left out and run again (a race run at most twice); the load and that share are "
    "recorded for every run.",
    "Every race result is a mean ± spread (sample standard deviation over seeds); the "
    "levers are single runs and the width runs a mean and range of interleaved repeats. "
    "Every verdict comes from the course's statistics core with its scope: for the race, one "
    "machine, one data set, checkpoints of one 5-minute schedule, the tuning above; the "
    "JAX verdicts print their own (run length, settings, machine, load).",
    "Every contender was offered the same choice of Keras backend: each raced on JAX where "
    "its own speed check (3 alternated seeds per backend; 5-minute runs for the lesson GRU, "
    "1-minute runs for the others) found JAX faster, on TensorFlow otherwise, every run in a "
    "fresh process. The search that chose the settings ran on TensorFlow, so a contender "
    "racing on JAX took more steps in the race than in its chosen trial; the levers and width "
    "runs ran on TensorFlow too.",
    "Efficiency is a model's training FLOP/s as a share of the machine's matmul rate. The "
    "width runs change only the recurrent layer's width, at a fixed batch, window and "
    "embedding, to see what width alone does to that share; the other causes (batch, "
    "window, embedding, per-step overhead) were not separated from each other.",
    "The levers (precision, XLA, threads, unrolling, stateful training, depth, dropout, "
    "weight decay, embedding size) were each tried alone on the lesson GRU, at its chosen "
    "learning rate, batch and weight decay, one seed each, scored on validation: "
    "observations that say which lever may merit a test over seeds, not verdicts.",
    "The tutorial's own recipe (batch 64, windows of 100, constant Adam at 1e-3, 20 epochs "
    "over the race's training split) ran once, one seed, on the race's machine, scored on "
    "the race's test rows: a reference for what a far longer run gives the tutorial's "
    "architecture, an observation, not a race result.",
    f"The {GOAL:.2f} bits/char goal is the course's own bar, not a result of its sources; "
    "it is judged for the course's best model, chosen on validation.",
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
    return computed(
        claim,
        f"max |difference| {gap:.3g}",
        true=gap < tolerance,
        rule=f"the largest absolute difference is below {tolerance:g}",
        scope=_check_scope(scope),
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


def window_positions(report: dict) -> str:
    """Which characters of each test row the race's two scores cover (from its ``data``):
    "" when both cover the same ones, else a sentence saying where they differ."""
    data = report.get("data", {})
    if data.get("window_positions"):
        return ""
    if not {"chars", "rows_per_held_out_split", "burn_in", "window"} <= set(data):
        return "the record does not say which characters each score covers"
    length = data["chars"]["test"] // data["rows_per_held_out_split"] - 1  # scored per row
    burn_in, window = data["burn_in"], data["window"]
    return (
        f"the two scores cover different characters of each {length}-character test row: "
        f"carried {burn_in}-{length - 1}, windows 0-{length // window * window - 1}"
    )


def backend_verdicts(report: dict) -> list[Verdict]:
    """Verdicts from ``benchmarks/results/textgen_backends.json``: the lesson's model on JAX
    against TensorFlow, one run per seed and backend, each in its own process, alternated:
    characters trained per second, and test bits per character at the last checkpoint."""
    if not isinstance(report, dict) or not isinstance(report.get("runs"), list):
        raise TypeError("report must be the textgen_backends JSON dict, with a 'runs' list.")
    counted = [r for r in report["runs"] if not r.get("disturbed")]  # re-run: left out
    runs = {b: [r for r in counted if r.get("backend") == b] for b in ("jax", "tensorflow")}
    if not all(runs.values()):
        raise ValueError(f"report must hold runs of both backends; got {sorted(runs)}.")
    last = max(c["target_minutes"] for r in counted for c in r["checkpoints"])
    shares = [r["others_cpu_share"] for r in counted if r.get("others_cpu_share") is not None]
    busy = (
        f"; other processes used up to {max(shares):.1%} of the CPU during a run" if shares else ""
    )
    model = report.get("contender", LESSON)
    s = counted[0].get("settings", {})
    shown = ", ".join(f"{k} {s[k]:g}" for k in ("learning_rate", "weight_decay") if k in s)
    scope = (
        f"{model} at the runs' own settings ({shown or 'not recorded'}), {last:g}-minute runs on a "
        f"{report.get('machine', {}).get('cpu_count', '?')}-core CPU, "
        f"{str(report.get('date', '?'))[:10]}, jit_compile='auto' on both{busy}"
    )
    speed = compare_seeds(
        f"On this CPU, Keras on JAX trains the {model} on more characters per second "
        "than Keras on TensorFlow",
        [r["chars_per_second"] for r in runs["jax"]],
        [r["chars_per_second"] for r in runs["tensorflow"]],
        lower_is_better=False,
        names=("JAX", "TensorFlow"),
        unit="chars/s",
        digits=4,
        scope=scope,
    )
    bits = [
        [
            c["bits_per_char"]
            for r in runs[b]
            for c in r["checkpoints"]
            if c["target_minutes"] == last
        ]
        for b in ("jax", "tensorflow")
    ]
    score = compare_seeds(
        f"After {last:g} min, the model trained on JAX scores lower test bits per character "
        "than the one trained on TensorFlow",
        *bits,
        lower_is_better=True,
        names=("JAX", "TensorFlow"),
        unit="bits/char",
        scope=scope,
    )
    return [speed, score]


def race_backend(report: dict) -> tuple[str, Verdict]:
    """The Keras backend the race gives ``report``'s contender, and the verdict it rests on.

    ``report`` is that contender's speed check (``benchmarks/textgen_backends.py``). The rule,
    the same for every contender: JAX where "JAX trains more characters per second" holds,
    TensorFlow (the backend the race used before) where it does not hold or is inconclusive.
    """
    speed = backend_verdicts(report)[0]
    return ("jax" if speed.holds else "tensorflow"), speed
