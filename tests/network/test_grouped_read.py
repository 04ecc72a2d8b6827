"""The grouped read of an embedded store (one query, grouped inside Oxigraph) against the plain queries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from network_support import DATA

from relgraph.network import RelationData, RowSource, fetch, store_rows
from relgraph.network.data import Q_PARTIES, StoreRows
from relgraph.store import Store


def plain(store: Store) -> RowSource:
    """The same store through the plain queries (the path of remote stores and the server's engine)."""
    grouped = store_rows(store)

    def rows(sparql: str, order: str) -> Iterator[list[str]]:
        return grouped(sparql, order)

    return rows


def relations(data: RelationData) -> Counter[tuple[object, ...]]:
    """Every relation with its (party, graph) assertions, kinds and dates, by IRI: independent of ids and order."""
    names, graphs = data.nodes.names, data.graphs.names
    out: Counter[tuple[object, ...]] = Counter()
    for r in range(data.relation_count):
        held = sorted((names[data.party[i]], graphs[data.graph[i]]) for i in range(data.start[r], data.start[r + 1]))
        out[(tuple(held), tuple(sorted(data.kinds[r])), data.began[r], data.until[r])] += 1
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(Path(tmp_path_factory.mktemp("grouped")) / "store")
    store.load([DATA / "network.trig", DATA / "grouped-extra.trig"])
    yield store
    store.close()


class Recording(StoreRows):
    """The embedded store's own row source, noting which queries it was asked."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.asked: list[str] = []

    def __call__(self, sparql: str, order: str) -> Iterator[list[str]]:
        self.asked.append(sparql)
        return super().__call__(sparql, order)


def test_grouped_read_equals_the_plain_queries(store: Store) -> None:
    assert getattr(store_rows(store), "grouped", False)
    recording = Recording(store)
    grouped, reference = fetch(recording), fetch(plain(store))
    assert Q_PARTIES not in recording.asked and any("GROUP BY ?a" in q for q in recording.asked)  # it was grouped
    assert relations(grouped) == relations(reference)
    assert grouped.source_rows == reference.source_rows
    by_parties = {held: rest for held, *rest in relations(grouped)}
    c, d = "https://w3id.org/relgraph/graph/test-net-c", "https://w3id.org/relgraph/graph/test-net-d"
    p = "https://w3id.org/relgraph/id/city/p"
    # parties in two graphs, one of them in both; the earliest start, the latest end; both kinds
    assert by_parties[((p + "2", c), (p + "5", c), (p + "5", d), (p + "8", d))] == [
        ("city-twinning", "memorandum-of-understanding"),
        "1998-07-01",
        "2021-05-01",
    ]
    assert by_parties[((p + "3", c), (p + "9", c))] == [("city-twinning",), "2002", "2030"]
    a1 = (
        (p + "1", "https://w3id.org/relgraph/graph/test-net-a"),
        (p + "1", "https://w3id.org/relgraph/graph/test-net-b"),
    )
    assert any(held[: len(a1)] == a1 and len(held) == 4 for held in by_parties)  # no party of the inferred graph
    assert "https://w3id.org/relgraph/id/city/québec" in grouped.nodes.ids
    assert not any(g.endswith("/graph/inferred") for g in grouped.graphs.names)


def test_a_blank_node_party_gives_way_to_the_plain_queries(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    try:
        store.load([DATA / "network.trig", DATA / "blank-party.trig"])
        recording = Recording(store)
        grouped, reference = fetch(recording), fetch(plain(store))
        assert Q_PARTIES in recording.asked  # gave way
        assert relations(grouped) == relations(reference)
        assert any(name.startswith("_:") for name in grouped.nodes.names)
        assert "https://w3id.org/relgraph/graph/test-net-e" in grouped.graphs.ids
    finally:
        store.close()
