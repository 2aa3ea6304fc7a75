"""course_utils.core.training: one trainer, one budget (epochs, steps or seconds)."""

import keras
import numpy as np
import pytest

from course_utils.core import progress as pg
from course_utils.core.training import (
    Budget,
    BudgetBar,
    BudgetStop,
    EpochEvaluation,
    EpochTimer,
    Trained,
    Trainer,
)


class FakeClock:
    """Advances one 'second' per call, so a seconds budget counts clock readings exactly."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        self.now += 1.0
        return self.now


def tiny_model(seed: int = 0) -> keras.Model:
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])  # (batch, 1)
    model.compile(optimizer="sgd", loss="mse")
    return model


X = np.random.default_rng(0).normal(size=(40, 3)).astype("float32")  # (40, 3): 5 batches of 8
Y = X.sum(axis=1, keepdims=True)  # (40, 1)


# --- the budget value ------------------------------------------------------------------------


def test_budget_has_exactly_one_limit_and_a_key():
    assert Budget(epochs=3).kind == "epochs" and Budget(steps=7).amount == 7
    assert (
        Budget(seconds=2.5).key == "seconds=2.5" and Budget(steps=1_500_000).key == "steps=1500000"
    )
    for budget in (Budget(epochs=3), Budget(steps=12), Budget(seconds=0.5)):
        assert Budget.parse(budget.key) == budget
    assert type(Budget(epochs=np.int64(2)).epochs) is int
    with pytest.raises(ValueError, match="exactly one"):
        Budget()
    with pytest.raises(ValueError, match="exactly one.*steps=3"):
        Budget(epochs=1, steps=3)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"epochs": 0}, ValueError, "epochs must be >= 1; got 0"),
        ({"steps": 2.5}, TypeError, "steps must be an integer; got float 2.5"),
        ({"seconds": -1.0}, ValueError, "seconds must be > 0.0; got -1.0"),
        ({"seconds": "ten"}, TypeError, "seconds must be a real number"),
        ({"epochs": True}, TypeError, "epochs must be an integer"),
    ],
)
def test_budget_rejects_bad_values_naming_them(kwargs, error, words):
    with pytest.raises(error, match=words):
        Budget(**kwargs)


def test_budget_parse_names_the_forms_it_reads():
    with pytest.raises(
        ValueError, match="'epochs=10', 'steps=1500' or 'seconds=30'; got 'minutes=3'"
    ):
        Budget.parse("minutes=3")
    with pytest.raises(ValueError, match="epochs=x"):
        Budget.parse("epochs=x")
    with pytest.raises(TypeError, match="key must be a string"):
        Budget.parse(10)


# --- one trainer, three kinds of budget -----------------------------------------------------


def test_an_epochs_budget_trains_whole_epochs_and_times_them():
    trained = Trainer(Budget(epochs=3)).fit(tiny_model(), X, Y, batch_size=8)
    assert isinstance(trained, Trained)
    assert (trained.epochs, trained.steps, trained.stopped) == (3, 15, False)
    assert len(trained.history["loss"]) == 3 == len(trained.epoch_seconds)
    assert all(s > 0 for s in trained.epoch_seconds) and trained.seconds >= sum(
        trained.epoch_seconds
    )
    assert trained.seconds_per_epoch == pytest.approx(np.median(trained.epoch_seconds[1:]))


@pytest.mark.parametrize(("steps", "epochs"), [(7, 2), (10, 2), (1, 1)])
def test_a_steps_budget_stops_after_that_many_batches(steps, epochs):
    trained = Trainer(Budget(steps=steps)).fit(tiny_model(), X, Y, batch_size=8)
    assert (trained.steps, trained.epochs, trained.stopped) == (steps, epochs, True)
    assert len(trained.history["loss"]) == epochs  # a partial last epoch counts


@pytest.mark.parametrize("seconds", [3, 6])
def test_a_seconds_budget_stops_at_the_first_batch_past_it(seconds):
    trainer = Trainer(Budget(seconds=seconds), clock=FakeClock())  # one second per reading
    trained = trainer.fit(tiny_model(), X, Y, batch_size=8)
    assert trained.steps == seconds and trained.budget_seconds == seconds and trained.stopped


def test_warm_up_batches_and_pauses_do_not_count():
    now = [0.0]
    trainer = Trainer(Budget(seconds=4), clock=lambda: now[0], warmup_batches=2)

    class Work(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            now[0] += 1.0  # each batch takes one second

        def on_train_batch_end(self, batch, logs=None):
            with trainer.stop.paused():
                now[0] += 100.0  # e.g. an evaluation: off the budget's clock

    trained = trainer.fit(tiny_model(), X, Y, batch_size=8, callbacks=[Work()])
    # the clock starts after batch 2; batches 3, 4, 5 and 6 spend the 4 seconds
    assert trained.steps == 2 + 4 and trained.budget_seconds == 4
    assert trainer.stop.used() == 1.0


def test_warm_up_batches_count_in_a_steps_budget():
    trained = Trainer(Budget(steps=3), warmup_batches=2).fit(tiny_model(), X, Y, batch_size=8)
    assert trained.steps == 3 and trained.stopped


def test_the_same_trainer_gives_the_same_weights_as_plain_fit():
    plain = tiny_model(seed=3)
    plain.fit(X, Y, batch_size=8, epochs=2, verbose=0)
    model = tiny_model(seed=3)
    Trainer(Budget(epochs=2)).fit(model, X, Y, batch_size=8)
    for a, b in zip(plain.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_an_epoch_evaluation_matches_evaluate_after_each_fit():
    loop = tiny_model(seed=1)
    expected = []
    for _ in range(2):
        loop.fit(X, Y, batch_size=8, epochs=1, verbose=0)
        expected.append(float(loop.evaluate(X[:16], Y[:16], batch_size=256, verbose=0)))
    held_out = EpochEvaluation(X[:16], Y[:16])
    Trainer(Budget(epochs=2)).fit(tiny_model(seed=1), X, Y, batch_size=8, callbacks=[held_out])
    assert held_out.values == expected


# --- the bar and the live curve are optional ------------------------------------------------


def test_no_bar_unless_asked(capsys, monkeypatch):
    monkeypatch.setenv("COURSE_PROGRESS", "line")
    assert Trainer(Budget(epochs=1)).bar is None
    Trainer(Budget(epochs=1)).fit(tiny_model(), X, Y, batch_size=8)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("budget", "line"),
    [(Budget(epochs=2), "fit: 2/2 epoch in "), (Budget(steps=7), "fit: 7/7 step in ")],
)
def test_the_bar_counts_the_budget(capsys, budget, line):
    live = pg.LiveLoss(mode="line")
    trainer = Trainer(budget, progress="fit", mode="line", live=live)
    trainer.fit(tiny_model(), X, Y, batch_size=8)
    out = capsys.readouterr().out
    assert out.startswith(line) and "loss=" in out and live.x == [1.0, 2.0]


def test_a_seconds_bar_shows_the_budget_clock_and_a_postfix(capsys):
    trainer = Trainer(Budget(seconds=5), clock=FakeClock(), progress="fit", mode="line",
                      postfix=lambda logs: f"{logs['loss']:.1f} units")  # fmt: skip
    trainer.fit(tiny_model(), X, Y, batch_size=8)
    out = capsys.readouterr().out
    assert out.startswith("fit: 5/5 s in ") and " units)" in out


def test_async_dispatch_is_kept_for_an_epochs_budget():
    stop = BudgetStop(Budget(epochs=2))
    assert stop.async_safe and BudgetBar(stop, mode="off").async_safe
    assert not BudgetStop(Budget(steps=2)).async_safe
    assert not BudgetBar(BudgetStop(Budget(seconds=2)), mode="off").async_safe


# --- bad arguments are named ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: Trainer(3), TypeError, "budget must be a Budget; got int"),
        (lambda: Trainer(Budget(epochs=1), clock=5), TypeError, "clock must be a function"),
        (lambda: Trainer(Budget(epochs=1), warmup_batches=-1), ValueError, "warmup_batches"),
        (lambda: Trainer(Budget(epochs=1), progress=1), TypeError, "progress must be a string"),
        (lambda: Trainer(Budget(epochs=1), mode="loud"), ValueError, "mode 'loud'"),
        (lambda: Trainer(Budget(epochs=1), live="yes"), TypeError, "live must be a LiveLoss"),
        (lambda: Trainer(Budget(epochs=1), progress="x", postfix="s"), TypeError, "postfix"),
        (lambda: Trainer(Budget(epochs=1), progress="x", leave=1), TypeError, "leave"),
        (lambda: BudgetBar("stop"), TypeError, "stop must be a BudgetStop"),
        (lambda: EpochTimer(clock=None), TypeError, "clock"),
        (lambda: EpochEvaluation(X, None), TypeError, "x and y"),
        (lambda: EpochEvaluation(X, Y, batch_size=0), ValueError, "batch_size must be >= 1"),
    ],
)
def test_bad_arguments_raise_naming_the_argument(make, error, words):
    with pytest.raises(error, match=words):
        make()


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"batch_size": 0}, ValueError, "batch_size must be >= 1; got 0"),
        ({"steps_per_epoch": 1.5}, TypeError, "steps_per_epoch must be an integer"),
        ({"shuffle": "yes"}, TypeError, "shuffle must be True or False"),
        ({"callbacks": "stop"}, TypeError, "callbacks must be a list of Keras callbacks"),
    ],
)
def test_fit_checks_its_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        Trainer(Budget(epochs=1)).fit(tiny_model(), X, Y, **kwargs)


def test_fit_needs_a_compiled_keras_model():
    trainer = Trainer(Budget(epochs=1))
    with pytest.raises(TypeError, match="model must be a compiled keras.Model; got str"):
        trainer.fit("model", X, Y)
    raw = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="not compiled"):
        trainer.fit(raw, X, Y)
