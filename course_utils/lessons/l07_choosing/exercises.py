"""Exercises for notebook 07, "Choosing an architecture": reading a measured grid.

In the notebook::

    from course_utils.lessons.l07_choosing import exercises as ex

    ex.gap_closed.check(gap_closed)          # a function (metric, chance, best)
    ex.pareto_front.check(pareto_front)      # a function (costs, errors) -> indices
    ex.evidence_enough.check("b")            # an option label
    ex.diagnose_plateau.check("c")           # an option label: apply it to a failing run
    ex.one_seed.check(answer)                # a few sentences, judged on two ideas
    ex.progress()

Five exercises declared as data; the word lists that read the free-text answer take it
past the course's 300-line guide.
"""

from __future__ import annotations

from course_utils.exercises.core import progress_for
from course_utils.exercises.feedback import Mistake
from course_utils.exercises.function_kind import FunctionExercise
from course_utils.exercises.ideas import GradedTextExercise, Reading
from course_utils.exercises.kinds import ChoiceExercise

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
        "work whether lower is better (MSE) or higher is better (accuracy), and keep the sign: "
        "a model worse than chance closes a negative share. Return one number."
    ),
    reference=_gap_closed,
    cases=_gap_cases,
    edge_cases=[
        {"metric": 0.1667, "chance": 0.1667, "best": 0.0001},
        {"metric": 0.0001, "chance": 0.1667, "best": 0.0001},
        {"metric": 0.5, "chance": 0.25, "best": 1.0},
        {"metric": 0.1732, "chance": 0.1667, "best": 0.0003},  # worse than chance: negative
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
        Mistake(
            lambda metric, chance, best: 1 - metric / chance,
            "1 - metric / chance measures the way from chance to a perfect score of 0, not to "
            "the best model's score; it is also wrong for accuracies. Measure against best.",
        ),
        Mistake(
            lambda metric, chance, best: min(1.0, max(0.0, (metric - chance) / (best - chance))),
            "You clipped the share to [0, 1]. A model worse than chance closes a negative share, "
            "and the lesson's decision table prints one wherever a SimpleRNN ends up worse than "
            "the trivial predictor: keep the sign, it says the model learned nothing useful.",
        ),
    ],
    hints=[
        "Measure both the model and the best model from the same starting point: chance.",
        "It is a ratio of two distances: how far the model got from chance, over how far the "
        "best model got. Distances in the 'wrong' direction come out negative, and that is fine.",
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
        "Look at one model at a time and ask: is there any other model that beats it?",
        "'Beats' needs both lists at once: no dearer and no worse, and not the very same point.",
    ],
    discussion="On the trade-off plots, the front is the lower-left edge of the cloud of "
    "points: every model off that edge is dominated by one on it (no dearer and no worse, "
    "and better on at least one axis).",
)

# --- evidence_enough ---------------------------------------------------------

evidence_enough = ChoiceExercise(
    name="evidence_enough",
    prompt="Which observation is good evidence that a SimpleRNN is enough for your task?",
    options={
        "a": "Its training loss keeps going down epoch after epoch.",
        "b": "Over several seeds, with the same budget, its held-out metric meets the task's "
        "own criterion of solved on every seed (or, where a task has none, it is not worse "
        "than the best gated cell by more than a margin you stated first).",
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
    discussion="A gap about the size of the seed-to-seed spread is not evidence of "
    "'enough': finding no gap is not showing there is none. 'Enough' needs a criterion "
    "stated before the runs: the task's notion of solved, or a margin.",
    hints=["Ask what would change your mind: held-out quality, compared fairly, repeated."],
)

# --- diagnose_plateau --------------------------------------------------------

diagnose_plateau = ChoiceExercise(
    name="diagnose_plateau",
    prompt=(
        "A run of an LSTM with 64 units on temporal order (4 classes, Adam at learning rate "
        "1e-2) logs these training losses per epoch: 1.31, 1.39, 1.389, 1.388, 1.388, 1.387, "
        "... and ends at 25 % accuracy. The same LSTM with 16 units reaches 100 %. What is "
        "the most likely diagnosis, and what would you change first? Answer with a label."
    ),
    options={
        "a": "64 units are too few for this task: try 256.",
        "b": "It needs more epochs: the loss is still going down, so training longer at the "
        "same settings will fix it.",
        "c": "The loss went below ln 4 and came back to ln 4 = 1.386, the loss of predicting "
        "1/4 for every class: the run is stuck on the uniform prediction. Suspect the step "
        "size at this width first: rerun at a lower learning rate, over several seeds.",
        "d": "The data are wrong: no model can learn them.",
    },
    answer="c",
    explanations={
        "a": "The narrower LSTM solves it, so capacity is not what is missing. The lesson's "
        "hypothesis points the other way: with more units each Adam step may move a unit's "
        "pre-activation further. A lower learning rate is the cheaper test.",
        "b": "At 1.387, which is ln 4, the model predicts the uniform distribution; a loss "
        "that moves by 0.001 per epoch there is not progress. Longer training can get a run "
        "off the plateau (one seed of the committed LSTM(64) left it after a few epochs), "
        "but the other seeds stayed on it for the whole budget: more epochs is a gamble, "
        "not a diagnosis, while the lower learning rate solved every seed of the probe.",
        "d": "The 16-unit LSTM reaches 100 % on the same data.",
    },
    hints=[
        "Compute the cross-entropy (in nats, Keras's unit) of a model that gives every one of "
        "the 4 classes probability 1/4, and compare it with the log.",
        "The lesson's hypothesis: Adam moves each weight by about the learning rate per step, "
        "whatever the layer's width. How many weights feed one unit of a 64-unit layer, "
        "against a 16-unit one?",
    ],
    discussion="A loss that dips below ln 4 and comes back to it has learned something and "
    "then fallen back to the uniform prediction, where the gradients are small. That the "
    "steps were too large for this width is the lesson's hypothesis, not a finding: the "
    "probe at a quarter of the learning rate (16/64 of 1e-2) solved every seed, which fits "
    "it, but it varied nothing else. So rerun at a lower learning rate, over several seeds, "
    "before blaming the architecture; more epochs alone sometimes get a run off the "
    "plateau and sometimes do not.",
)

# --- one_seed ----------------------------------------------------------------

#: The learner's request, as against the colleague's single run.
_SEED_READING = Reading(
    subject=["i would", "i'd", "i ", "ask", "we ", "repeat", "rerun", "re-run", "measure", "compare",
             "check", "report", "have them", "get them", "should", "train each", "run each"],
    contrast=["colleague", "one run", "single run", "only once", "ran once", "only ran", "their"],
)  # fmt: skip
_REPEATS = (
    "seed", "repeat", "runs", "rerun", "re-run", "again", "times", "initialis", "initializ",
    "average over", "average across", "more than once", "more than one run", "replicat",
)  # fmt: skip
_SPREAD = (
    "spread", "varian", "std", "standard deviation", "standard error", "nois", "vary", "varies",
    "variation", "variab", "error bar", "confidence", "range", "run-to-run", "seed-to-seed",
    "from seed to seed", "significan", "uncertain", "luck", "fluctuat", "scatter", "consisten",
)  # fmt: skip
_ENDORSES = (
    "gru is better", "gru was better", "gru is clearly better", "it is better", "it was better",
    "loss means", "loss shows", "loss proves", "run is enough", "believe it", "trust it",
)  # fmt: skip

one_seed = GradedTextExercise(
    name="one_seed",
    prompt=(
        "A colleague runs an LSTM and a GRU once each on their data and concludes that the "
        "GRU is better because its validation loss is lower. In two or three sentences: what "
        "would you ask them to measure before you believe it? (Checked for two ideas: what "
        "to repeat, and what to compare the difference with.)"
    ),
    discussion=(
        "Repeat both over several seeds with the same budget and data split, and compare the "
        "difference of the means with the seed-to-seed spread. Report the cost too (time per "
        "epoch on the same machine, parameters), and check the result on held-out data the "
        "tuning never looked at."
    ),
    min_length=40,
    mistakes=[
        _SEED_READING.restates(
            [_ENDORSES],
            "That accepts the colleague's conclusion from one run each, which is the mistake "
            "the question is about: one lower loss can be a lucky seed.",
            unless=_REPEATS,
            example="The GRU is better because its validation loss is lower, so I believe it.",
        ),
        _SEED_READING.denies(
            _REPEATS,
            "Your answer says there is no need to repeat the runs. There is: one run per cell "
            "cannot separate the cells from the luck of one initialisation.",
            example="I would not ask for more runs or seeds before deciding.",
        ),
        _SEED_READING.denies(
            _SPREAD,
            "Your answer says not to look at the spread between runs. Without it the difference "
            "of the means cannot be judged: is it more than runs of the same cell differ?",
            example="Repeat the runs with several seeds, but ignore the spread between them.",
        ),
        _SEED_READING.missing(
            _REPEATS,
            "Say what to repeat: one run per cell cannot separate the cells from the luck of "
            "one initialisation. How many runs, and what changes between them?",
            example="I think the answer depends on many things and on what the data are like.",
        ),
        _SEED_READING.missing(
            _SPREAD,
            "Repeating is half of it: what do you compare the difference between the means "
            "with, to know whether it is more than noise?",
            example="Run each model five times with different seeds and average the losses.",
        ),
    ],
    hints=[
        "What in the grid varies between two runs of the same cell?",
        "A difference means something only next to how much runs of the same cell differ.",
    ],
)

progress = progress_for(__name__)
