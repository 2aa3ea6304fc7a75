"""tools/hub_link.py: the nbgitpuller link for an institution's JupyterHub."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tools.hub_link import hub_link, main


def test_link_pulls_the_course_and_opens_the_lesson():
    link = hub_link("https://hub.example.edu/", lesson="03")
    parts = urlsplit(link)
    assert parts.netloc == "hub.example.edu"
    assert parts.path == "/hub/user-redirect/git-pull"
    query = parse_qs(parts.query)
    assert query["repo"] == ["https://github.com/rnn-course/rnn-course"]
    assert query["branch"] == ["main"]
    assert query["urlpath"] == [
        "lab/tree/rnn-course/student/03_vanishing_exploding_gradients.ipynb"  # no solutions
    ]
    assert hub_link("https://hub.example.edu/hub") == hub_link("https://hub.example.edu")


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(hub_url="hub.example.edu"), ValueError, "hub_url"),
        (dict(hub_url="https://hub.example.edu/?x=1"), ValueError, "hub_url"),
        (dict(hub_url=3), TypeError, "hub_url"),
        (dict(hub_url="https://h.edu", lesson="42"), ValueError, "lesson must be one of 00"),
        (dict(hub_url="https://h.edu", branch=""), TypeError, "branch"),
    ],
)
def test_bad_input_is_named(kwargs, error, words):
    with pytest.raises(error, match=words):
        hub_link(**kwargs)


def test_command_line(capsys):
    assert main(["https://hub.example.edu", "--lesson", "06"]) == 0
    assert "06_text_generation.ipynb" in capsys.readouterr().out
    assert main(["ftp://x"]) == 2
    assert "hub_url" in capsys.readouterr().err
