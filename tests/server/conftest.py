"""Real servers for the endpoint tests: ``relgraph serve`` subprocesses on loopback.

``server``: updates on (a token), cache on, no CORS, ``--query-timeout 2``.
``open_server``: no token (updates off), ``--cors``, ``--no-cache``, max 1000 rows.
Each gets its own temporary store, which the serve command fills with the
bundled data. Requests use the standard library only (``sparql_http.Server``).

With ``RELGRAPH_TEST_BACKEND=remote`` each server gets its own real ``oxigraph
serve`` (temporary directory, free loopback port, ``--timeout-s``) and is
started with ``--store http://127.0.0.1:PORT``: the same tests, over a remote
store. Tests marked ``embedded_only`` are deselected in that mode (tests/conftest.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from sparql_http import MAX_BODY, OPEN_MAX_ROWS, QUERY_TIMEOUT, TOKEN, Server, free_port

sys.path.insert(0, str(Path(__file__).parents[1] / "remote"))
from oxigraph_proc import OxigraphServer, backend


def _wait_healthy(server: Server, deadline: float) -> None:
    assert server.proc is not None
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            pytest.fail(f"relgraph serve exited with {server.proc.returncode}:\n{server.log.read_text()}")
        try:
            if server.get("/health", timeout=5).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"relgraph serve did not become healthy:\n{server.log.read_text()}")


def _stop(server: Server) -> None:
    proc = server.proc
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # gunicorn: graceful stop, the workers close their engines
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the process group this fixture started
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def start_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Factory: start a ``relgraph serve`` with options; all are stopped at session end."""
    started: list[Server] = []
    remotes: list[OxigraphServer] = []

    def start(name: str, *args: str, token: str | None = None, env: Mapping[str, str] | None = None) -> Server:
        root = tmp_path_factory.mktemp(name)
        server = Server(port=free_port(), store=root / "store", log=root / "serve.log", token=token)
        environ = {k: v for k, v in os.environ.items() if not k.startswith("RELGRAPH_")}
        environ.update({"RELGRAPH_MAX_BODY": str(MAX_BODY), "PYTHONUNBUFFERED": "1", **(env or {})})
        if token:
            environ["RELGRAPH_UPDATE_TOKEN"] = token
        store_spec = str(server.store)
        if backend() == "remote":
            remote = OxigraphServer(root / "oxigraph", root / "oxigraph.log", timeout_s=QUERY_TIMEOUT).start()
            remotes.append(remote)
            store_spec = remote.url
        server.store_spec = store_spec  # type: ignore[attr-defined] - what /health reports as the store
        command = [
            sys.executable,
            "-m",
            "relgraph.cli",
            "serve",
            "--store",
            store_spec,
            "--port",
            str(server.port),
            "--query-timeout",
            str(QUERY_TIMEOUT),
            "--workers",
            "2",
            *args,
        ]
        with server.log.open("wb") as log:
            server.proc = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=environ, start_new_session=True
            )
        started.append(server)
        _wait_healthy(server, time.monotonic() + 90)
        return server

    yield start
    for server in started:
        _stop(server)
    for remote in remotes:
        remote.stop()


@pytest.fixture(scope="session")
def server(start_server: Any) -> Server:
    """Updates on (bearer token), result cache on, CORS off."""
    return start_server("with-token", token=TOKEN)


@pytest.fixture(scope="session")
def open_server(start_server: Any) -> Server:
    """No token (updates off), ``--cors``, ``--no-cache``, at most 1000 result rows."""
    return start_server("no-token", "--cors", "--no-cache", env={"RELGRAPH_MAX_ROWS": str(OPEN_MAX_ROWS)})
