"""A real ``relgraph serve`` subprocess on a free loopback port, for the tests that need one.

Used by the fixtures of ``tests/server``, ``tests/pages`` and ``tests/queries``
(the latter two put this folder on ``sys.path``). The child gets a clean
environment (no ``RELGRAPH_*`` of the caller), its own process group and
session, and a log file that the failure messages quote.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from sparql_http import Server, free_port


def start_relgraph(
    root: Path,
    *args: str,
    token: str | None = None,
    env: Mapping[str, str] | None = None,
    store: str | None = None,
    wait: float = 90,
) -> Server:
    """Start ``relgraph serve --workers 2 ARGS`` over ``root/store`` (or ``store``) and wait for /health."""
    server = Server(port=free_port(), store=root / "store", log=root / "serve.log", token=token)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("RELGRAPH_") or k == "RELGRAPH_WORLD_DATA"}
    environ.update({"PYTHONUNBUFFERED": "1", **(env or {})})
    if token:
        environ["RELGRAPH_UPDATE_TOKEN"] = token
    command = [sys.executable, "-m", "relgraph.cli", "serve", "--store", store or str(server.store)]
    command += ["--port", str(server.port), "--workers", "2", *args]
    with server.log.open("wb") as log:
        server.proc = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=environ, start_new_session=True
        )
    try:
        _wait_healthy(server, time.monotonic() + wait)
    except BaseException:
        stop_relgraph(server)
        raise
    return server


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


def stop_relgraph(server: Server) -> None:
    """SIGTERM (granian stops gracefully, the workers close their engines); SIGKILL the group if it hangs."""
    proc = server.proc
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the process group start_relgraph started
        proc.wait(timeout=10)


@contextmanager
def relgraph_serve(root: Path, *args: str, **options: object) -> Iterator[Server]:
    """:func:`start_relgraph` for the length of a ``with`` block."""
    server = start_relgraph(root, *args, **options)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        stop_relgraph(server)


def log_matches(server: Server, pattern: re.Pattern[str]) -> list[tuple[str, ...]]:
    """The groups of every line of the server's log that ``pattern`` finds, in the log's order."""
    return [m.groups() for m in pattern.finditer(server.log.read_text(errors="replace"))]


def wait_for_events(
    server: Server, events: Callable[[], list[tuple[str, ...]]], count: int, *, timeout: float, what: str
) -> list[tuple[str, ...]]:
    """``events()`` once it has ``count`` items (background work logs them when done); the log's tail if never."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = events()
        if len(found) >= count:
            return found
        time.sleep(0.3)
    pytest.fail(f"{count} {what} expected, log:\n{server.log.read_text()[-4000:]}")
