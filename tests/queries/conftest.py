"""Fixtures of the ready-made query tests.

``seed_store``: the ontology, the concept schemes and ``data/seed/*.trig`` only
(not ``data/curated/``), so expected results stay fixed while curated data
grows. ``extra_store``: the same plus ``tests/queries/data/extra.trig`` (a
disagreeing source, a shared partner, an unsourced entity). ``api_server``:
a real ``relgraph serve`` on loopback over all bundled data (seed and curated),
started like the fixtures of ``tests/server``.
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
from queries_support import EXTRA, seed_files

from relgraph.queries import QueryFile, load_queries
from relgraph.store import Store

sys.path.insert(0, str(Path(__file__).parents[1] / "server"))
from sparql_http import Server, free_port


@pytest.fixture(scope="session")
def queries() -> dict[str, QueryFile]:
    return load_queries()


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(tmp_path_factory.mktemp("seed") / "store")
    store.load(seed_files())
    yield store
    store.close()


@pytest.fixture(scope="session")
def extra_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(tmp_path_factory.mktemp("extra") / "store")
    store.load([*seed_files(), EXTRA])
    yield store
    store.close()


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("api-server")
    server = Server(port=free_port(), store=root / "store", log=root / "serve.log", token=None)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELGRAPH_")}
    env["PYTHONUNBUFFERED"] = "1"
    command = [sys.executable, "-m", "relgraph.cli", "serve", "--store", str(server.store),
               "--port", str(server.port), "--query-timeout", "10", "--workers", "2"]
    with server.log.open("wb") as log:
        server.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    deadline = time.monotonic() + 90
    while True:
        if server.proc.poll() is not None:
            pytest.fail(f"relgraph serve exited:\n{server.log.read_text()}")
        try:
            if server.get("/health", timeout=5).status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"relgraph serve did not become healthy:\n{server.log.read_text()}")
        time.sleep(0.2)
    yield server
    server.proc.send_signal(signal.SIGTERM)
    try:
        server.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.proc.pid, signal.SIGKILL)
        server.proc.wait(timeout=10)
