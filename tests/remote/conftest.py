"""Fixtures of the remote-backend tests: a real ``oxigraph serve`` (or, with
``RELGRAPH_TEST_BACKEND=virtuoso``, a real Virtuoso) per test module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from oxigraph_proc import oxigraph_binary
from remote_proc import RemoteServer, engine, remote_env
from virtuoso_proc import virtuoso_binary


@pytest.fixture(scope="session", autouse=True)
def engine_settings() -> Iterator[None]:
    """The engine profile and account of the test engine, for this process and the commands it runs."""
    if engine() == "virtuoso" and virtuoso_binary() is None:
        pytest.fail("virtuoso-t is needed for RELGRAPH_TEST_BACKEND=virtuoso (apt install virtuoso-opensource)")
    saved = {k: os.environ.get(k) for k in remote_env()}
    os.environ.update(remote_env())
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The remote store of a test module (named for its first engine; Virtuoso with that backend)."""
    if oxigraph_binary() is None:
        pytest.fail("the oxigraph CLI is needed for tests/remote (pip install oxigraph)")
    root: Path = tmp_path_factory.mktemp("oxigraph")
    # Oxigraph's time limit of 2 s; Virtuoso's stops whole transactions (SR171), and the gate's reads
    # of the bundled data take longer there: 10 s.
    server = RemoteServer(root / "store", root / "oxigraph.log", timeout_s=10 if engine() == "virtuoso" else 2).start()
    yield server
    server.stop()
