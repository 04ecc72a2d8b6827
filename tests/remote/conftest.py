"""Fixtures of the remote-backend tests: a real ``oxigraph serve`` per test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from oxigraph_proc import OxigraphServer, oxigraph_binary


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    if oxigraph_binary() is None:
        pytest.fail("the oxigraph CLI is needed for tests/remote (pip install oxigraph)")
    root: Path = tmp_path_factory.mktemp("oxigraph")
    server = OxigraphServer(root / "store", root / "oxigraph.log", timeout_s=2).start()
    yield server
    server.stop()
