"""Shared fixtures. Tests never touch the real user cache."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path_factory.mktemp("course-cache")))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Group tests for ``pytest-xdist --dist loadgroup`` (what ``make test`` runs): a file's
    tests stay on one worker (its module fixtures and notebook kernel are shared), except
    ``test_every_exercise.py``, split by lesson so that its nine notebook runs spread over
    the workers (each lesson's tests still share one run)."""
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        group = item.nodeid.split("::")[0]
        params = getattr(getattr(item, "callspec", None), "params", {})
        if group.endswith("test_every_exercise.py") and ("key" in params or "lesson" in params):
            group += "::" + str(params.get("lesson") or params["key"].split(".")[0])
        item.add_marker(pytest.mark.xdist_group(group))
