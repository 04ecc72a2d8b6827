"""Fixtures of the ready-made query tests.

``seed_store``: the ontology, the concept schemes and ``data/seed/*.trig`` only
(not ``data/curated/``), so expected results stay fixed while curated data
grows. ``extra_store``: the same plus ``tests/queries/data/extra.trig`` (a
disagreeing source, a shared partner, an unsourced entity). ``sources_store``:
seed plus ``tests/server/data/sources-fixture.trig``. ``api_server``:
a real ``relgraph serve`` on loopback over all bundled data (seed and curated),
started like the fixtures of ``tests/server``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from queries_support import EXTRA, SOURCES_FIXTURE, seed_files

from relgraph.queries import QueryFile, load_queries
from relgraph.store import Store

sys.path.insert(0, str(Path(__file__).parents[1] / "server"))
from serve_proc import relgraph_serve
from sparql_http import Server


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
def sources_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Seed data plus ``tests/server/data/sources-fixture.trig`` (two sources sharing two relations)."""
    store = Store(tmp_path_factory.mktemp("sources") / "store")
    store.load([*seed_files(), SOURCES_FIXTURE])
    yield store
    store.close()


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with relgraph_serve(tmp_path_factory.mktemp("api-server"), "--query-timeout", "10") as server:
        yield server
