"""Fixtures of the engine tests: a real on-disk store and real worker processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import make_store

from relgraph.engine import Engine


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("engine") / "store")


@pytest.fixture(scope="module")
def engine(store_path: Path) -> Iterator[Engine]:
    """A shared read-only engine (tests that write make their own)."""
    with Engine(store_path, workers=2, timeout=10.0, max_rows=1000, validate_updates=False) as eng:
        yield eng
