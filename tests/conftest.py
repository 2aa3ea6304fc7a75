"""Shared fixtures. Tests never touch the real user cache, nor the learner's progress file."""

import os

import pytest

# Checks record their outcome in the user's progress file (course_utils.exercises.outcomes):
# off for every test and every kernel the tests start (nbval's too); the tests of
# recording switch it on into a temporary file.
os.environ["COURSE_RECORD"] = "off"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path_factory.mktemp("course-cache")))


@pytest.fixture
def full_mode(monkeypatch):
    """Full mode for a test of a format (fast mode adds its "not evidence" marks)."""
    monkeypatch.setenv("COURSE_FAST", "0")
