"""A real ``relgraph serve`` on a free loopback port for the page tests (bundled data, default base).

Reuses the stdlib HTTP helpers of the endpoint tests (``tests/server/sparql_http.py``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))
from sparql_http import Server, free_port


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``relgraph serve`` with the bundled data (ontology, seed, curated), updates off."""
    root = tmp_path_factory.mktemp("pages")
    server = Server(port=free_port(), store=root / "store", log=root / "serve.log", token=None)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("RELGRAPH_")}
    environ["PYTHONUNBUFFERED"] = "1"
    command = [sys.executable, "-m", "relgraph.cli", "serve", "--store", str(server.store), "--port", str(server.port)]
    command += ["--workers", "2"]
    with server.log.open("wb") as log:
        server.proc = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=environ, start_new_session=True
        )
    deadline = time.monotonic() + 120
    try:
        while True:
            if server.proc.poll() is not None:
                pytest.fail(f"relgraph serve exited:\n{server.log.read_text()}")
            try:
                if server.get("/health", timeout=5).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"relgraph serve did not start:\n{server.log.read_text()}")
            time.sleep(0.2)
        yield server
    finally:
        _stop(server.proc)
