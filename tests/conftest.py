"""Shared fixtures. Tests never touch the real user cache."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path_factory.mktemp("course-cache")))


@pytest.fixture
def full_mode(monkeypatch):
    """Full mode for a test of a format (fast mode adds its "not evidence" marks)."""
    monkeypatch.setenv("COURSE_FAST", "0")
