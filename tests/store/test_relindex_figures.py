"""The relation index answers a place page's figures (map, per year, per kind, countries) as the SPARQL does."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph import overview, relindex
from relgraph.engine import publish_snapshot
from relgraph.store import Store
from relgraph.summary import labels_of, network, store_runner

RG = "https://w3id.org/relgraph/ontology#"
ID = "https://w3id.org/relgraph/id/"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path]:
    path = tmp_path_factory.mktemp("figures") / "store"
    store = Store(path)
    store.load_bundled()
    graph = ox.NamedNode(ID.replace("/id/", "/graph/") + "coordinates")
    geo = "http://www.w3.org/2003/01/geo/wgs84_pos#"
    for place, (lat, long) in {"region/quebec": ("46.8", "-71.2"), "city/hamburg": ("53.55", "9.99")}.items():
        for prop, value in (("lat", lat), ("long", long)):
            store.oxigraph.add(ox.Quad(ox.NamedNode(ID + place), ox.NamedNode(geo + prop), ox.Literal(value), graph))
    return store, relindex.build(publish_snapshot(path, store=store))


def test_every_party_gets_the_figures_sparql_gives(bundled: tuple[Store, Path]) -> None:
    store, index = bundled
    run = store_runner(store.oxigraph)
    found = store.oxigraph.query(f"SELECT DISTINCT ?e WHERE {{ ?a <{RG}party> ?e }}", use_default_graph_as_union=True)
    parties = sorted(r["e"].value for r in found if isinstance(r["e"], ox.NamedNode))
    assert len(parties) > 15 and ID + "city/hamburg" in parties
    placed = 0
    for iri in parties:
        got = relindex.figures(index, iri)
        # in the same order too (ties by IRI on both sides): a page is the same whichever answered
        assert got.partners == overview.partners(run, iri), iri
        assert got.per_year == overview.per_year(run, iri), iri
        assert got.per_kind == overview.per_kind(run, iri), iri
        assert got.partner_countries == overview.partner_countries(run, iri), iri
        assert [p.relations for p in got.partners] == sorted((p.relations for p in got.partners), reverse=True)
        assert network(run, iri, ranked=[p.iri for p in got.partners]) == network(run, iri), iri  # the picture too
        placed += sum(p.lat is not None for p in got.partners)
    assert placed >= 2  # partners with coordinates were compared, not only unplaced ones


def test_an_index_is_reused_while_the_data_is_the_same(tmp_path: Path) -> None:
    """A new snapshot of unchanged data (every ``serve`` start publishes one) links the index; a write rebuilds it."""
    path = tmp_path / "store"
    store = Store(path)
    graph = ox.NamedNode(ID.replace("/id/", "/graph/") + "test")
    quad = ox.Quad(ox.NamedNode(ID + "agreement/a"), ox.NamedNode(RG + "party"), ox.NamedNode(ID + "city/x"), graph)
    store.oxigraph.add(quad)
    first = relindex.build(publish_snapshot(path, store=store))
    second = relindex.build(publish_snapshot(path, store=store))
    assert second != first and second.stat().st_ino == first.stat().st_ino
    store.oxigraph.add(ox.Quad(quad.subject, quad.predicate, ox.NamedNode(ID + "city/y"), graph))
    third = relindex.build(publish_snapshot(path, store=store))
    assert third.stat().st_ino != first.stat().st_ino
    own, _ = relindex.relations(third, ID + "city/y")
    assert [r.iri for r in own] == [ID + "agreement/a"]


def test_every_label_is_the_one_sparql_gives(bundled: tuple[Store, Path]) -> None:
    """``relindex.labels`` answers what ``labels_of`` answers for every IRI of the data.

    In the same order per property (a page takes the first of several labels in one language).
    """
    store, index = bundled
    run = store_runner(store.oxigraph)
    iris = sorted({t.value for q in store.oxigraph for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)})
    iris.append(ID + "city/nowhere")  # no label: no entry
    want = labels_of(run, iris)
    got = relindex.labels(index, iris)
    assert len(want) > 100 and any(len(found) > 1 for found in want.values())
    assert {iri: _per_property(found) for iri, found in got.items()} == {
        iri: _per_property(found) for iri, found in want.items()
    }


def _per_property(found: list[tuple[str, ox.Literal]]) -> dict[str, list[ox.Literal]]:
    out: dict[str, list[ox.Literal]] = {}
    for prop, literal in found:
        out.setdefault(prop, []).append(literal)
    return out
