import numpy as np
import pytest

from course_utils.experiments.forecasting import (
    load_co2,
    mae,
    make_windows,
    naive_forecast,
    seasonal_naive_forecast,
)


def test_load_co2_is_monthly_and_complete():
    co2 = load_co2()
    assert len(co2.dates) == len(co2.ppm) == 526
    assert co2.dates[0] == "1958-03" and co2.dates[-1] == "2001-12"
    assert np.isfinite(co2.ppm).all() and 300 < co2.ppm.min() < co2.ppm.max() < 400


def test_window_shapes():
    w = make_windows(np.arange(100, dtype=float), input_width=10, horizon=4, split_index=60)
    assert w.x_train.shape == (60 - 10 - 4 + 1, 10, 1) and w.y_train.shape == (47, 4, 1)
    assert w.x_test.shape == (10, 10, 1) and w.y_test.shape == (10, 4, 1)  # 60, 64, ..., 96
    assert w.x_train.dtype == np.float32


def test_windows_follow_the_series():
    series = np.arange(50, dtype=float)
    w = make_windows(series, input_width=5, horizon=3, split_index=30, test_stride=1)
    for x, y, start in zip(w.x_train, w.y_train, w.train_target_start, strict=True):
        np.testing.assert_array_equal(x[:, 0], series[start - 5 : start])
        np.testing.assert_array_equal(y[:, 0], series[start : start + 3])
    np.testing.assert_array_equal(w.y_test[0, :, 0], [30, 31, 32])


def test_no_leakage_from_test_period():
    series = np.arange(120, dtype=float)  # value == time index
    split = 80
    w = make_windows(series, input_width=12, horizon=6, split_index=split)
    assert w.x_train.max() < split and w.y_train.max() < split  # inputs and targets
    assert w.y_train.max() == split - 1  # ... yet training uses all data before the split
    assert w.y_test.min() >= split  # every test target lies in the test period


def test_baselines_on_hand_made_series():
    # a period-4 pattern on a trend of +1 per step
    series = np.array([0, 5, 2, 1] * 6, dtype=float) + np.arange(24)
    x = series[None, :8, None]  # (1, 8, 1)
    np.testing.assert_array_equal(naive_forecast(x, 3)[0, :, 0], [series[7]] * 3)
    np.testing.assert_array_equal(
        seasonal_naive_forecast(x, 6, 4)[0, :, 0], series[[4, 5, 6, 7, 4, 5]]
    )
    truth = series[8:14]
    # seasonal naive misses exactly the trend: one season (4) back for the first 4 steps,
    # two seasons (8) back for the last 2
    assert mae(truth[None, :, None], seasonal_naive_forecast(x, 6, 4)) == pytest.approx(32 / 6)
    assert mae(truth[None, :, None], naive_forecast(x, 6)) == pytest.approx(
        np.abs(truth - series[7]).mean()
    )


def test_mae():
    assert mae(np.array([1.0, 2.0]), np.array([2.0, 0.0])) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="y_pred"):
        mae(np.zeros(3), np.zeros(4))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"input_width": 0, "horizon": 2, "split_index": 10}, "input_width"),
        ({"input_width": 3, "horizon": 0, "split_index": 10}, "horizon"),
        ({"input_width": 3, "horizon": 2, "split_index": 4}, "split_index"),
        ({"input_width": 3, "horizon": 2, "split_index": 19}, "split_index"),
    ],
)
def test_make_windows_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_windows(np.arange(20, dtype=float), **kwargs)


def test_bad_types():
    with pytest.raises(TypeError, match="series"):
        make_windows("abc", input_width=1, horizon=1, split_index=2)
    with pytest.raises(ValueError, match="season"):
        seasonal_naive_forecast(np.zeros((1, 4, 1)), 2, 5)
    with pytest.raises(ValueError, match="inputs"):
        naive_forecast(np.zeros((4, 1)), 2)
