"""A store with the bundled curated data for the drafting tests (its names link the parties)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from relgraph.drafting import Gazetteer
from relgraph.store import Store

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def curated_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(tmp_path_factory.mktemp("drafting") / "store")
    store.load_bundled(world=False)
    yield store
    store.close()


@pytest.fixture(scope="session")
def gazetteer(curated_store: Store) -> Gazetteer:
    return Gazetteer.from_store(curated_store)


@pytest.fixture
def seed_text() -> str:
    return (DATA / "seed.txt").read_text(encoding="utf-8")


# --- a real `relgraph serve` for the page tests: updates on (token), SHACL gate on ------------------

import sys  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))
from serve_proc import relgraph_serve  # noqa: E402
from sparql_http import TOKEN, Server  # noqa: E402


@pytest.fixture(scope="session")
def draft_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with relgraph_serve(tmp_path_factory.mktemp("draft-site"), token=TOKEN, wait=120) as server:
        yield server
