"""Parts of a page kept per data version (the busiest places' maps and charts): never older than the data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from relgraph_server.app import create_app
from relgraph_server.runtime import runtime
from relgraph_server.version_memo import ENTRIES, per_version

from relgraph.store import Store

EX = "http://example.org/memo/"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    store = Store(tmp_path / "store")
    store.oxigraph.add(ox.Quad(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}p"), ox.Literal("x"), ox.NamedNode(f"{EX}g")))
    store.close()
    made = create_app({"store": str(tmp_path / "store"), "workers": 1, "cache": False, "validate_updates": False})
    try:
        yield made
    finally:
        runtime(made).close()


def test_kept_per_data_version_even_without_the_result_cache(app: Flask) -> None:
    with app.app_context():
        calls: list[str] = []

        def count() -> int:
            calls.append("x")
            return (
                runtime(app)
                .engine.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EX}g> {{ ?s ?p ?o }} }}")[0]["n"]
                .value
            )

        assert per_version(("n", 1), count) == per_version(("n", 1), count) == "1"
        assert len(calls) == 1
        runtime(app).engine.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}b> <{EX}p> <{EX}a> }} }}")
        assert per_version(("n", 1), count) == "2"  # a new data version: the kept value is not served
        assert len(calls) == 2


def test_only_the_latest_parts_are_kept(app: Flask) -> None:
    with app.app_context():
        for i in range(ENTRIES + 1):
            per_version(("part", i), lambda i=i: i)
        calls: list[int] = []
        per_version(("part", 0), lambda: calls.append(0) or 0)  # the oldest went first
        per_version(("part", ENTRIES), lambda: calls.append(1) or 1)
        assert calls == [0]
