"""``clusterobs serve`` runs a real multi-process server: started here as a user would start it,
on a fresh SQLite data directory after ``clusterobs init`` (which publishes the observatories of
the embedded data), and stopped with SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from clusterobs.web.serving import default_workers, gunicorn_available, gunicorn_options

CLI = Path(sys.executable).with_name("clusterobs")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTEROBS_")}
    env["CLUSTEROBS_DATA_DIR"] = str(data_dir)  # SQLite in a directory of its own
    return env


def _get_json(url: str, deadline: float) -> Any:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return json.load(r)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def test_gunicorn_options_choose_the_worker_class() -> None:
    sync = gunicorn_options("127.0.0.1", 8000, workers=2, threads=1)
    assert sync["worker_class"] == "sync" and sync["bind"] == "127.0.0.1:8000"
    assert gunicorn_options("0.0.0.0", 80, workers=4, threads=4)["worker_class"] == "gthread"
    assert default_workers() >= 1


@pytest.mark.skipif(not gunicorn_available(), reason="gunicorn runs on POSIX only")
def test_serve_with_two_workers_answers_and_stops_cleanly(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run([str(CLI), "init", "--no-starter"], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [str(CLI), "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        stats = _get_json(f"http://127.0.0.1:{port}/api/stats/", time.monotonic() + 60)
        assert stats["counts"]["clusters"] == 0  # the fresh database, not the test database
        base = f"http://127.0.0.1:{port}"
        later = time.monotonic() + 120  # the first request opens four results
        names = {d["name"] for d in _get_json(f"{base}/api/observatory/datasets/", later)}
        assert names == {"us-states", "eu-nuts2", "india-districts", "india-products"}
        texas = _get_json(f"{base}/api/observatory/regions/48/?year=2011", later)
        assert texas["region"]["name"] == "Texas"
        assert 8.5e6 < texas["summary"]["region"]["employment"] < 1e7  # CBP 2011: 9.0 M
        with urllib.request.urlopen(f"{base}/observatory/regions/state/48/", timeout=30) as page:
            assert page.status == 200 and b"Texas" in page.read()
        # gunicorn's arbiter is the CLI process itself; it forks the two workers.
        deadline = time.monotonic() + 20
        while len(_children(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(_children(server.pid)) == 2
    finally:
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=40)
    assert server.returncode == 0, out
    assert "2 process(es)" in out


def test_serve_rejects_bad_options(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(CLI), "serve", "--threads", "0"], env=_env(tmp_path), capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "--threads" in result.stdout + result.stderr
