"""Datasets against a real HTTP server on 127.0.0.1 (no outside network needed)."""

import hashlib
import http.server
import os
import socket
import threading
from pathlib import Path

import pytest

from course_utils.core import datasets

CONTENT = b"to be, or not to be\n" * 2000
SHA = hashlib.sha256(CONTENT).hexdigest()
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        body = {"/good": CONTENT, "/bad": CONTENT[:-1] + b"X"}.get(self.path, CONTENT)
        self.send_response(200)
        self.send_header("Content-Length", str(len(CONTENT)))
        self.end_headers()
        if self.path == "/cut":  # the connection dies half-way
            self.wfile.write(CONTENT[: len(CONTENT) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def tiny(monkeypatch, tmp_path):
    entry = datasets.Dataset(
        "tiny", "tiny.txt", "http://127.0.0.1:9/none", SHA, len(CONTENT), "test", "test corpus"
    )
    monkeypatch.setitem(datasets.REGISTRY, "tiny", entry)
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.delenv("COURSE_OFFLINE", raising=False)
    monkeypatch.setattr(datasets, "_repo_datasets_dir", lambda: None)
    cache = tmp_path / "cache"
    monkeypatch.setenv("COURSE_CACHE_DIR", str(cache))
    return cache


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_good_download_is_verified_and_cached(server, tiny):
    path = datasets.fetch("tiny", url=f"{server}/good")
    assert path == tiny / "tiny.txt" and path.read_bytes() == CONTENT
    assert _leftovers(tiny) == ["tiny.txt"]
    # cached: a second fetch needs no server at all
    assert datasets.fetch("tiny", url="http://127.0.0.1:9/unreachable") == path
    corpus = datasets.load_corpus("tiny")
    assert corpus.source == "cache" and corpus.text == CONTENT.decode()


def test_checksum_mismatch_raises_and_leaves_no_file(server, tiny):
    with pytest.raises(datasets.DatasetError, match="sha256.*nothing was saved"):
        datasets.fetch("tiny", url=f"{server}/bad")
    assert _leftovers(tiny) == []


def test_interrupted_transfer_leaves_no_partial_file(server, tiny):
    with pytest.raises(datasets.DatasetError):
        datasets.fetch("tiny", url=f"{server}/cut")
    assert _leftovers(tiny) == []


def test_offline_falls_back_with_a_message(tiny, capsys):
    corpus = datasets.load_corpus("tiny", url="http://127.0.0.1:9/closed-port")
    err = capsys.readouterr().err
    assert "OFFLINE" in err and "Falling back" in err and "prefetch" in err
    assert corpus.is_fallback and corpus.path is None
    from course_utils.core.grammar import is_grammatical, parse_corpus

    lines = parse_corpus(corpus.text)
    assert len(lines) > 1000 and all(is_grammatical(s) for s in lines[:500])


def test_offline_without_fallback_raises(tiny):
    with pytest.raises(datasets.DatasetError, match="COURSE_DATA_DIR"):
        datasets.load_corpus("tiny", url="http://127.0.0.1:9/closed", allow_fallback=False)


def test_course_offline_skips_network(tiny, monkeypatch, server):
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    with pytest.raises(datasets.DatasetError, match="COURSE_OFFLINE"):
        datasets.fetch("tiny", url=f"{server}/good")


def test_unknown_name_lists_known_names():
    with pytest.raises(ValueError, match="unknown dataset name 'shakespeare'.*tinyshakespeare"):
        datasets.fetch("shakespeare")
    with pytest.raises(ValueError, match="tinyshakespeare"):
        datasets.load_corpus("nope")


def test_lookup_order_and_bad_copies_are_skipped(tiny, tmp_path, monkeypatch, capsys):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "tiny.txt").write_bytes(b"corrupted")
    tiny.mkdir(parents=True)
    (tiny / "tiny.txt").write_bytes(CONTENT)
    monkeypatch.setenv("COURSE_DATA_DIR", str(data_dir))
    label, path = datasets.find("tiny")
    assert label == "cache" and path == tiny / "tiny.txt"
    assert "Ignoring" in capsys.readouterr().err
    (data_dir / "tiny.txt").write_bytes(CONTENT)
    assert datasets.find("tiny")[0] == "COURSE_DATA_DIR"


def test_users_file_is_never_overwritten(server, tiny, tmp_path, monkeypatch):
    data_dir = tmp_path / "mine"
    data_dir.mkdir()
    (data_dir / "tiny.txt").write_bytes(b"my own notes")
    monkeypatch.setenv("COURSE_DATA_DIR", str(data_dir))
    datasets.fetch("tiny", url=f"{server}/good")
    assert (data_dir / "tiny.txt").read_bytes() == b"my own notes"
    # a wrong file in the cache is moved aside, not overwritten
    (tiny / "tiny.txt").write_bytes(b"stale")
    datasets.fetch("tiny", url=f"{server}/good")
    assert (tiny / "tiny.txt.bad-checksum").read_bytes() == b"stale"


def test_cli_list_and_prefetch(server, tiny, capsys):
    assert datasets.main(["list"]) == 0
    assert "tiny" in capsys.readouterr().out
    assert datasets.main(["prefetch", "nope"]) == 1


@pytest.mark.skipif(not (SHARED / "tinyshakespeare.txt").exists(), reason="no shared data copy")
def test_tinyshakespeare_from_course_data_dir(monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(SHARED))
    corpus = datasets.load_corpus("tinyshakespeare")
    assert corpus.source == "COURSE_DATA_DIR" and len(corpus.text) == 1_115_394


def test_registry_entries_are_complete():
    for name, entry in datasets.REGISTRY.items():
        assert entry.name == name and len(entry.sha256) == 64 and entry.size > 0
        assert entry.url.startswith("https://") and entry.license
    assert os.path.basename(datasets.REGISTRY["tinyshakespeare"].filename) == "tinyshakespeare.txt"
