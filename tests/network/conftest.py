"""Fixtures of the network tests: the fixture graph in a real store on disk, read once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from network_support import DATA

from relgraph.network import RelationData, fetch, store_rows
from relgraph.store import Store


@pytest.fixture(scope="session")
def net_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(tmp_path_factory.mktemp("network") / "store")
    store.load([DATA / "network.trig"])
    yield store
    store.close()


@pytest.fixture(scope="session")
def relation_data(net_store: Store) -> RelationData:
    return fetch(store_rows(net_store))
