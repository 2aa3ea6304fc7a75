"""course_utils.core.progress: bars in Jupyter, one line in plain text, nothing under CI."""

import keras
import numpy as np
import pytest

from course_utils.core import progress as pg
from course_utils.core import results


def test_mode_follows_the_environment(monkeypatch):
    monkeypatch.delenv("COURSE_PROGRESS", raising=False)
    monkeypatch.setenv("CI", "true")
    assert pg.progress_mode() == "off"
    monkeypatch.setenv("CI", "")
    assert pg.progress_mode() == "line"  # pytest is no Jupyter kernel
    monkeypatch.setenv("COURSE_PROGRESS", "widget")
    assert pg.progress_mode() == "widget"
    assert pg.progress_mode("off") == "off"  # an explicit mode wins
    monkeypatch.setenv("COURSE_PROGRESS", "loud")
    with pytest.raises(ValueError, match="COURSE_PROGRESS.*'loud'"):
        pg.progress_mode()
    with pytest.raises(ValueError, match="mode"):
        pg.progress_mode("bar")


def test_plain_text_prints_one_line_at_the_end(capsys):
    seen = list(pg.progress(range(4), desc="seeds", unit="seed", mode="line"))
    assert seen == [0, 1, 2, 3]
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("seeds: 4/4 seed in ")
    with pg.progress(total=10, desc="steps", mode="line") as bar:
        bar.update(3)
        bar.set_postfix(loss="0.5")
    assert capsys.readouterr().out.startswith("steps: 3/10 it in ")


def test_off_mode_prints_nothing(capsys):
    assert list(pg.progress([1, 2], mode="off")) == [1, 2]
    bar = pg.time_bar(5.0, mode="off")
    bar.update_to(2.5)
    bar.update_to(99)  # clipped to the budget
    bar.close()
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_time_bar_counts_seconds_spent(capsys):
    bar = pg.time_bar(10.0, desc="budget", mode="line")
    bar.update_to(4.0)
    bar.update_to(3.0)  # never moves back
    bar.update_to(12.0)
    assert bar.n == pytest.approx(10.0)
    bar.close()
    assert capsys.readouterr().out.startswith("budget: 10/10 s in ")


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="desc"):
        pg.progress(range(2), desc=3)
    with pytest.raises(ValueError, match="total"):
        pg.progress(total=-1)
    with pytest.raises(TypeError, match="iterable"):
        pg.progress(5)
    with pytest.raises(ValueError, match="seconds"):
        pg.time_bar(0)
    with pytest.raises(ValueError, match="unit"):
        pg.ProgressCallback(unit="batch")
    with pytest.raises(TypeError, match="live"):
        pg.ProgressCallback(live="yes")
    with pytest.raises(ValueError, match="every_seconds"):
        pg.LiveLoss(every_seconds=-1)


def test_keras_callback_reports_each_epoch(capsys):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.zeros((8, 3), "float32"), np.ones((8, 1), "float32")  # (8, 3), (8, 1)
    live = pg.LiveLoss(mode="line")  # records, draws nothing outside Jupyter
    callback = pg.ProgressCallback(desc="fit", mode="line", live=live)
    model.fit(x, y, epochs=3, batch_size=4, verbose=0, callbacks=[callback])
    out = capsys.readouterr().out
    assert out.startswith("fit: 3/3 epoch in ") and "loss=" in out
    assert live.x == [1.0, 2.0, 3.0] and len(live.y) == 3 and live.redraws == 0
    steps = pg.ProgressCallback(desc="fit", unit="step", mode="line")
    model.fit(x, y, epochs=2, batch_size=4, verbose=0, callbacks=[steps])
    assert capsys.readouterr().out.startswith("fit: 4/4 step in ")


def test_live_loss_redraws_one_figure(monkeypatch):
    import IPython.display

    shown = []

    class Handle:
        def update(self, figure):
            shown.append(("update", figure))

    def fake_display(figure, display_id=False):
        shown.append(("display", figure))
        return Handle()

    monkeypatch.setattr(IPython.display, "display", fake_display)
    live = pg.LiveLoss(every_seconds=0.0, mode="widget")
    for epoch in range(3):
        live.add(epoch, 1.0 / (epoch + 1))
    live.mark(2, 0.4)
    live.close()
    assert [kind for kind, _ in shown] == ["display", "update", "update", "update"]
    assert len({id(figure) for _, figure in shown}) == 1  # one figure, redrawn in place


def test_estimate_reads_committed_timings(monkeypatch):
    monkeypatch.delenv("COURSE_FAST", raising=False)  # make test sets it
    found = results.estimate("forget_bias", "seconds_per_epoch", count=10)
    assert found.seconds > 0 and found.source.endswith("forget_bias.json")
    assert "expected run time: about" in str(found) and found.date[:2] == "20"
    monkeypatch.setenv("COURSE_FAST", "1")
    fast = results.estimate("forget_bias", "seconds_per_epoch", count=10)
    assert str(fast).startswith("expected run time in full mode: about")
    with pytest.raises(ValueError, match="field"):
        results.estimate("forget_bias", "no_such_field")
    with pytest.raises(ValueError, match="rows"):
        results.estimate("forget_bias", "seconds_per_epoch", rows="nothing")
    with pytest.raises(ValueError, match="count"):
        results.estimate("forget_bias", "seconds_per_epoch", count=0)


def test_estimate_filters_rows_and_sums_per_epoch_lists(monkeypatch):
    monkeypatch.delenv("COURSE_FAST", raising=False)
    runs = results.load_results("lstm_vs_gru")["runs"]
    mine = [r for r in runs if r["task"] == "adding_T50" and r["cell"] == "gru"]
    totals = sorted(sum(r["epoch_seconds"]) for r in mine)  # one whole run each
    found = results.estimate(
        "lstm_vs_gru", "epoch_seconds", count=2, where={"task": "adding_T50", "cell": "gru"}
    )
    assert found.seconds == pytest.approx(2 * totals[len(totals) // 2])
    assert str(found).startswith("expected run time: about ")
    with pytest.raises(ValueError, match="where"):
        results.estimate("lstm_vs_gru", "epoch_seconds", where={"task": "no such task"})
    with pytest.raises(TypeError, match="where"):
        results.estimate("lstm_vs_gru", "epoch_seconds", where=["task"])
    monkeypatch.setenv("COURSE_FAST", "1")  # a fast run says the estimate is for full mode
    fast = str(results.estimate("lstm_vs_gru", "epoch_seconds"))
    assert fast.startswith("expected run time in full mode: ") and "fast mode" in fast


def test_train_for_shows_progress_over_its_budget(capsys, monkeypatch):
    from course_utils.textgen import char_dataset, char_model, compile_char_model, train_for

    monkeypatch.setenv("COURSE_PROGRESS", "line")
    keras.utils.set_random_seed(0)
    model = char_model(12, embedding_dim=4, hidden_size=8)
    compile_char_model(model, learning_rate=0.01, clipnorm=1.0)
    ids = np.random.default_rng(0).integers(0, 12, 4_000).astype(np.int32)  # (4000,)
    data = char_dataset(ids, 16, 8, seed=0)
    log = train_for(model, data, minutes=0.03, report_every=5)
    out = capsys.readouterr().out
    assert "training: " in out and " s in " in out and "bits/char" in out
    assert log.curve, "no training loss recorded"
    with pytest.raises(TypeError, match="live"):
        train_for(model, data, minutes=0.01, live="yes")
    train_for(model, data, minutes=0.01, verbose=False)
    assert capsys.readouterr().out == ""
