"""Shared fixtures: data fixtures are files under tests/data/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"

# The tests run on the curated data; the world graphs (half a million triples, data/world) are
# loaded only where a test means to (tests/world), so CI stays within its time. Servers and CLI
# runs started by the tests inherit this.
os.environ.setdefault("RELGRAPH_WORLD_DATA", "off")


@pytest.fixture
def data_dir() -> Path:
    return DATA


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Over a remote store (``RELGRAPH_TEST_BACKEND=remote`` or ``virtuoso``), deselect (visibly: "N deselected")
    tests marked ``embedded_only``; with ``virtuoso`` also those marked ``client_only`` (they test relgraph's
    HTTP client against fake servers and proxies in front of ``oxigraph serve``; the remote run has them)."""
    if os.environ.get("RELGRAPH_TEST_BACKEND", "embedded").strip().lower() not in ("remote", "oxigraph", "virtuoso"):
        return
    virtuoso = os.environ["RELGRAPH_TEST_BACKEND"].strip().lower() == "virtuoso"
    marks = ("embedded_only", "client_only") if virtuoso else ("embedded_only",)
    keep = [i for i in items if not any(i.get_closest_marker(m) for m in marks)]
    dropped = [i for i in items if any(i.get_closest_marker(m) for m in marks)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
