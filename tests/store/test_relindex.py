"""The relation index of a snapshot gives what the two SPARQL queries of the place pages give, from a file."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph import relindex
from relgraph.engine import publish_snapshot
from relgraph.store import Store
from relgraph.summary import field_counts, relation_index, store_runner

RG = "https://w3id.org/relgraph/ontology#"
ID = "https://w3id.org/relgraph/id/"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path]:
    """The bundled data with its inferred graph, and one agreement whose party is stated only by the reasoner."""
    path = tmp_path_factory.mktemp("relations") / "store"
    store = Store(path)
    store.load_bundled()
    inferred = ox.NamedNode("https://w3id.org/relgraph/graph/inferred")
    store.oxigraph.add(ox.Quad(ox.NamedNode(ID + "agreement/only-inferred"), ox.NamedNode(RG + "party"),
                               ox.NamedNode(ID + "city/hamburg"), inferred))  # fmt: skip
    snapshot = publish_snapshot(path, store=store)
    return store, relindex.build(snapshot)


def _entities(store: Store) -> list[str]:
    found = store.oxigraph.query(
        f"SELECT DISTINCT ?e WHERE {{ {{ ?a <{RG}party>|<{RG}announcedBy> ?e }} UNION {{ ?i <{RG}locatedIn> ?e }} }}",
        use_default_graph_as_union=True,
    )
    return sorted(row["e"].value for row in found if isinstance(row["e"], ox.NamedNode))


def _key(rows: list) -> list:
    return sorted((r.iri, r.kind, r.date, r.holder or "") for r in rows)


def test_every_entity_as_sparql_has_it(bundled: tuple[Store, Path]) -> None:
    store, index = bundled
    run = store_runner(store.oxigraph)
    entities = _entities(store)
    assert len(entities) > 15 and ID + "city/hamburg" in entities
    busy = 0
    for iri in entities:
        own, held = relation_index(run, iri)
        got_own, got_held = relindex.relations(index, iri)
        assert (_key(got_own), _key(got_held)) == (_key(own), _key(held)), iri
        agreements = [r.iri for r in own]
        assert relindex.field_counts(index, agreements) == field_counts(run, agreements), iri
        busy += bool(own and held)
    assert busy >= 2  # places with relations of their own and of their institutions were compared


def test_the_reasoners_graph_is_left_out(bundled: tuple[Store, Path]) -> None:
    own, _ = relindex.relations(bundled[1], ID + "city/hamburg")
    assert own and ID + "agreement/only-inferred" not in {r.iri for r in own}


def test_built_once_next_to_the_snapshot(bundled: tuple[Store, Path]) -> None:
    index = bundled[1]
    assert index.name.endswith(relindex.SUFFIX) and index.parent.name.endswith(".snapshots")
    mtime = index.stat().st_mtime_ns
    snapshot = index.with_name(index.name.removesuffix(relindex.SUFFIX))
    assert relindex.build(snapshot).stat().st_mtime_ns == mtime
    assert not list(index.parent.glob(".tmp-relations-*"))
