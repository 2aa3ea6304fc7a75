import pytest

from course_utils.core import config


@pytest.mark.parametrize("value", ["1", "true", "YES", " on "])
def test_fast_values(monkeypatch, value):
    monkeypatch.setenv("COURSE_FAST", value)
    assert config.fast_mode() is True
    assert config.pick(full=20, fast=1) == 1
    assert config.mode_name() == "fast"


@pytest.mark.parametrize("value", ["", "0", "false", "no", "off"])
def test_full_values(monkeypatch, value):
    monkeypatch.setenv("COURSE_FAST", value)
    assert config.fast_mode() is False
    assert config.pick(full=20, fast=1) == 20


def test_unset_is_full(monkeypatch):
    monkeypatch.delenv("COURSE_FAST", raising=False)
    assert config.pick(full=[1, 2], fast=[1]) == [1, 2]


def test_typo_is_an_error_that_says_how_to_fix(monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "ture")
    with pytest.raises(ValueError, match="COURSE_FAST.*'ture'.*export COURSE_FAST=1"):
        config.fast_mode()


def test_pick_rejects_mixed_kinds():
    with pytest.raises(TypeError, match="same kind"):
        config.pick(full=10, fast="1")


def test_pick_accepts_int_and_float():
    assert config.pick(full=1e-3, fast=1) in (1e-3, 1)
