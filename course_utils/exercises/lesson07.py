"""Exercises for notebook 07, "Choosing an architecture": reading a measured grid.

In the notebook::

    from course_utils.exercises import lesson07 as ex

    ex.gap_closed.check(gap_closed)          # a function (metric, chance, best)
    ex.pareto_front.check(pareto_front)      # a function (costs, errors) -> indices
    ex.evidence_enough.check("b")            # an option label
    ex.one_seed.check(answer)                # a few sentences
    ex.progress()
"""

from __future__ import annotations

from course_utils.exercises.core import Mistake, progress_for
from course_utils.exercises.function_kind import FunctionExercise
from course_utils.exercises.kinds import ChoiceExercise, ReflectionExercise

# --- gap_closed --------------------------------------------------------------


def _gap_closed(metric, chance, best):
    return (metric - chance) / (best - chance)


def _gap_cases(rng):
    chance = float(rng.uniform(0.1, 2.0))
    best = chance * float(rng.uniform(0.0, 0.5))  # lower is better, as for an MSE
    if rng.random() < 0.5:  # or higher is better, as for an accuracy
        chance, best = float(rng.uniform(0.1, 0.5)), float(rng.uniform(0.6, 1.0))
    metric = float(rng.uniform(min(chance, best), max(chance, best)))
    return {"metric": metric, "chance": chance, "best": best}


gap_closed = FunctionExercise(
    name="gap_closed",
    prompt=(
        "Write gap_closed(metric, chance, best): the share of the distance from the trivial "
        "predictor's score (chance) to the best model's score (best) that a model scoring "
        "metric covers. 0 means no better than chance, 1 means as good as the best. It must "
        "work whether lower is better (MSE) or higher is better (accuracy)."
    ),
    reference=_gap_closed,
    cases=_gap_cases,
    edge_cases=[
        {"metric": 0.1667, "chance": 0.1667, "best": 0.0001},
        {"metric": 0.0001, "chance": 0.1667, "best": 0.0001},
        {"metric": 0.5, "chance": 0.25, "best": 1.0},
    ],
    n_cases=12,
    mistakes=[
        Mistake(
            lambda metric, chance, best: (best - metric) / (best - chance),
            "That is the share still missing (1 minus the answer): measure how far the model "
            "got from chance, not how far it is from the best.",
        ),
        Mistake(
            lambda metric, chance, best: metric / best,
            "A plain ratio to the best ignores the trivial predictor: a model at chance level "
            "would get a large share. Subtract chance from both scores first.",
        ),
        Mistake(
            lambda metric, chance, best: abs(metric - chance) / chance,
            "Dividing by chance measures the improvement over chance, not the share of the gap "
            "to the best model: divide by (best - chance).",
        ),
    ],
    hints=[
        "Both the model and the best model are measured from the same starting point: chance.",
        "The gap is best - chance; the model has covered metric - chance of it.",
    ],
    discussion="Because both differences flip sign together, the same formula works for "
    "metrics where lower is better and where higher is better.",
)

# --- pareto_front ------------------------------------------------------------


def _pareto_front(costs, errors):
    front = []
    for i in range(len(costs)):
        dominated = any(
            costs[j] <= costs[i]
            and errors[j] <= errors[i]
            and (costs[j], errors[j]) != (costs[i], errors[i])
            for j in range(len(costs))
        )
        if not dominated:
            front.append(i)
    return front


def _front_cases(rng):
    n = int(rng.integers(3, 9))
    return {
        "costs": [float(v) for v in rng.integers(1, 20, size=n)],
        "errors": [float(v) for v in rng.integers(1, 20, size=n)],
    }


def _cheapest_only(costs, errors):
    return [min(range(len(costs)), key=lambda i: (costs[i], errors[i]))]


def _best_only(costs, errors):
    return [min(range(len(errors)), key=lambda i: (errors[i], costs[i]))]


def _strict_front(costs, errors):
    return [
        i
        for i in range(len(costs))
        if not any(
            costs[j] < costs[i] or errors[j] < errors[i] for j in range(len(costs)) if j != i
        )
    ]


pareto_front = FunctionExercise(
    name="pareto_front",
    prompt=(
        "Write pareto_front(costs, errors): the indices (in increasing order) of the models "
        "worth considering. A model is *dominated* when another is at least as cheap and at "
        "least as accurate, and strictly better in one of the two; return the models no "
        "other model dominates. Lower is better for both lists."
    ),
    reference=_pareto_front,
    cases=_front_cases,
    edge_cases=[
        {"costs": [1.0, 2.0, 3.0], "errors": [3.0, 2.0, 1.0]},
        {"costs": [1.0, 2.0, 3.0], "errors": [1.0, 2.0, 3.0]},
        {"costs": [2.0, 2.0, 1.0], "errors": [1.0, 1.0, 5.0]},
    ],
    n_cases=15,
    check_dtype=False,
    mistakes=[
        Mistake(
            _cheapest_only,
            "Only the cheapest model? A dearer one belongs on the front too when it is more "
            "accurate than every cheaper model.",
        ),
        Mistake(
            _best_only,
            "Only the most accurate model? Cheaper models that are less accurate are still "
            "worth considering: the front is a trade-off, not a single winner.",
        ),
        Mistake(
            _strict_front,
            "You drop a model as soon as another is better in *either* cost or error. Dominated "
            "means worse-or-equal in *both*, and strictly worse in at least one.",
        ),
    ],
    hints=[
        "Loop over the models; for each, look for another model that dominates it.",
        "j dominates i when costs[j] <= costs[i] and errors[j] <= errors[i] and they differ.",
    ],
    discussion="On the trade-off plots, the front is the lower-left edge of the cloud of "
    "points: every model off that edge is beaten on both axes by one on it.",
)

# --- evidence_enough ---------------------------------------------------------

evidence_enough = ChoiceExercise(
    name="evidence_enough",
    prompt="Which observation is good evidence that a SimpleRNN is enough for your task?",
    options={
        "a": "Its training loss keeps going down epoch after epoch.",
        "b": "Over several seeds, with the same budget, its held-out metric is about as close "
        "to the best gated cell's as the seed-to-seed spread.",
        "c": "It trains faster per epoch than an LSTM.",
        "d": "On seed 0 it beat the LSTM.",
    },
    answer="b",
    explanations={
        "a": "A falling training loss says it learns something, not that it learns what a "
        "gated cell would: compare held-out scores against the alternatives.",
        "c": "Speed is its cost, not its quality: it is cheaper whether or not it solves the task.",
        "d": "One seed can be lucky or unlucky; in this lesson's grid single runs of the same "
        "cell differ by far more than the cells' means do on some tasks.",
    },
    hints=["Ask what would change your mind: held-out quality, compared fairly, repeated."],
)

# --- one_seed ----------------------------------------------------------------

one_seed = ReflectionExercise(
    name="one_seed",
    prompt=(
        "A colleague runs an LSTM and a GRU once each on their data and concludes that the "
        "GRU is better because its validation loss is lower. In two or three sentences: what "
        "would you ask them to measure before you believe it?"
    ),
    discussion=(
        "Repeat both over several seeds with the same budget and data split, and compare the "
        "difference of the means with the seed-to-seed spread. Report the cost too (time per "
        "epoch on the same machine, parameters), and check the result on held-out data the "
        "tuning never looked at."
    ),
    min_length=40,
    hints=["What in the grid varies between two runs of the same cell?"],
)

progress = progress_for(__name__)
