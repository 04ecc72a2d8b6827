"""The store library: all-or-nothing, idempotent loads; export round-trips; union queries."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from relgraph.errors import LoadError, UsageError
from relgraph.store import Store

BASE = "https://w3id.org/relgraph/"
TESTBURG = BASE + "id/city/testburg"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


def count(store: Store, sparql: str) -> int:
    return int(next(iter(store.query(sparql)))["n"].value)


def test_file_goes_to_its_own_named_graph(store: Store, data_dir: Path) -> None:
    report = store.load([data_dir / "good.ttl"])
    assert report.graphs == {BASE + "graph/good": 14}
    assert store.graphs() == [BASE + "graph/good"]
    assert not list(store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def test_graph_option_names_the_graph(store: Store, data_dir: Path) -> None:
    store.load([data_dir / "good.ttl"], graph="urn:example:g")
    assert store.graphs() == ["urn:example:g"]


@pytest.mark.parametrize("name", ["good.ttl", "good.nt", "good.nq", "good.rdf", "good.jsonld", "two-graphs.trig"])
def test_every_supported_format_loads(store: Store, data_dir: Path, name: str) -> None:
    report = store.load([data_dir / name])
    assert report.triples > 0
    assert len(store) == report.triples


def test_trig_keeps_its_graphs_and_sends_loose_triples_to_the_file_graph(store: Store, data_dir: Path) -> None:
    report = store.load([data_dir / "two-graphs.trig"])
    assert report.graphs == {BASE + "graph/source-a": 1, BASE + "graph/source-b": 1, BASE + "graph/two-graphs": 1}


def test_reloading_a_source_does_not_duplicate(store: Store, data_dir: Path) -> None:
    store.load([data_dir / "good.ttl"])
    before = len(store)
    store.load([data_dir / "good.ttl"])
    assert len(store) == before == 14
    # blank nodes are renamed per load, so a reload must not leave a second copy of them
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://w3id.org/relgraph/ontology#note> ?b }") == 1


def test_reloading_a_changed_source_replaces_its_graph(store: Store, data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "good.ttl"
    shutil.copy(data_dir / "good.ttl", source)
    store.load([source])
    shutil.copy(data_dir / "good-changed.ttl", source)
    store.load([source])
    labels = {r["l"].value for r in store.query(f"SELECT ?l WHERE {{ <{TESTBURG}> ?p ?l FILTER isLiteral(?l) }}")}
    assert labels == {"Testburg (changed)"}
    assert len(store) == 2


def test_a_broken_file_names_its_line_and_leaves_the_store_unchanged(store: Store, data_dir: Path) -> None:
    store.load([data_dir / "good.ttl"])
    before = sorted(str(q) for q in store.oxigraph)
    with pytest.raises(LoadError) as caught:
        store.load([data_dir / "good.nt", data_dir / "broken.ttl"])
    err = caught.value
    assert err.line == 8
    assert "broken.ttl:8:" in str(err)
    assert "nothing was loaded" in str(err)
    assert sorted(str(q) for q in store.oxigraph) == before


def test_a_broken_reload_keeps_the_previous_version(store: Store, data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "city.ttl"
    shutil.copy(data_dir / "good.ttl", source)
    store.load([source])
    shutil.copy(data_dir / "broken.ttl", source)
    with pytest.raises(LoadError):
        store.load([source])
    assert len(store) == 14


def test_broken_jsonld_is_a_load_error(store: Store, data_dir: Path) -> None:
    with pytest.raises(LoadError) as caught:
        store.load([data_dir / "broken.jsonld"])
    assert "broken.jsonld" in str(caught.value)
    assert len(store) == 0


def test_unknown_file_type_and_missing_file(store: Store, data_dir: Path, tmp_path: Path) -> None:
    odd = tmp_path / "x.csv"
    odd.write_text("a,b\n")
    with pytest.raises(UsageError, match="unknown RDF file type"):
        store.load([odd])
    with pytest.raises(UsageError, match="no such file"):
        store.load([tmp_path / "missing.ttl"])


def _dataset(data: bytes, fmt: str) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(data=data, format=fmt)
    return ds


def _graphs(ds: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


@pytest.mark.parametrize(("fmt", "rdflib_fmt"), [("nquads", "nquads"), ("trig", "trig")])
def test_export_then_load_round_trips(store: Store, data_dir: Path, tmp_path: Path, fmt: str, rdflib_fmt: str) -> None:
    store.load([data_dir / "good.ttl", data_dir / "two-graphs.trig", data_dir / "good.nq"])
    out = io.BytesIO()
    store.export(out, format=fmt)
    dump = tmp_path / f"dump.{'nq' if fmt == 'nquads' else 'trig'}"
    dump.write_bytes(out.getvalue())
    again = Store(tmp_path / "again")
    again.load([dump])
    out2 = io.BytesIO()
    again.export(out2, format=fmt)
    first, second = _graphs(_dataset(out.getvalue(), rdflib_fmt)), _graphs(_dataset(out2.getvalue(), rdflib_fmt))
    assert first.keys() == second.keys() == set(store.graphs())
    for name in first:
        assert isomorphic(first[name], second[name]), name


def test_turtle_export_of_the_union_and_of_one_graph(store: Store, data_dir: Path) -> None:
    store.load([data_dir / "two-graphs.trig"])
    out = io.BytesIO()
    store.export(out, format="turtle")
    union = rdflib.Graph().parse(data=out.getvalue(), format="turtle")
    assert len(union) == 3
    out = io.BytesIO()
    store.export(out, format="turtle", graph=BASE + "graph/source-a")
    assert len(rdflib.Graph().parse(data=out.getvalue(), format="turtle")) == 1
    with pytest.raises(UsageError):
        store.export(io.BytesIO(), format="turtle", graph="urn:none")
    with pytest.raises(UsageError):
        store.export(io.BytesIO(), format="csv")


def test_queries_see_the_union_of_graphs_by_default(store: Store, data_dir: Path) -> None:
    store.load([data_dir / "two-graphs.trig"])
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{TESTBURG}> ?p ?o }}"
    assert count(store, q) == 3
    assert int(next(iter(store.query(q, union=False)))["n"].value) == 0
    assert int(next(iter(store.query(q, default_graph=[BASE + "graph/source-a"])))["n"].value) == 1


def test_substitutions_bind_values_not_text(store: Store, data_dir: Path) -> None:
    store.load([data_dir / "good.ttl"])
    q = "SELECT ?city ?l WHERE { ?city <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) = 'fr') }"
    rows = list(store.query(q, substitutions={"city": ox.NamedNode(TESTBURG)}))
    assert [r["l"].value for r in rows] == ["Testbourg"]
    hostile = ox.Literal('x" } UNION { ?s ?p ?o } #')
    assert list(store.query(q, substitutions={"city": hostile})) == []


def test_stats_count_graphs_and_classes(store: Store, data_dir: Path) -> None:
    store.load([data_dir / "good.ttl", data_dir / "two-graphs.trig"])
    stats = store.stats()
    assert stats.total == 17
    assert stats.graphs[BASE + "graph/good"] == 14
    assert stats.classes["https://w3id.org/relgraph/ontology#City"] == 2
    assert stats.classes["https://w3id.org/relgraph/ontology#Agreement"] == 1


def test_configured_base_rewrites_instance_and_graph_iris(tmp_path: Path, data_dir: Path) -> None:
    store = Store(tmp_path / "s", base="http://127.0.0.1:5000/")
    store.load([data_dir / "good.ttl"])
    assert store.graphs() == ["http://127.0.0.1:5000/graph/good"]
    iris = {r["s"].value for r in store.query("SELECT DISTINCT ?s WHERE { ?s a ?c }")}
    assert "http://127.0.0.1:5000/id/city/testburg" in iris
    # the ontology namespace is not instance data and keeps its IRI
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/relgraph/ontology#City> }") == 2


def test_the_store_persists_on_disk(tmp_path: Path, data_dir: Path) -> None:
    store = Store(tmp_path / "s")
    store.load([data_dir / "good.ttl"])
    store.close()
    assert len(Store(tmp_path / "s")) == 14


# --- bulk path (`relgraph load --bulk`): streaming, staged replace --------------------------


def _staging(store: Store) -> list[str]:
    return [g for g in store.graphs() if "/.staging-" in g]


def test_bulk_load_writes_new_graphs(store: Store, data_dir: Path) -> None:
    report = store.bulk_load([data_dir / "good.ttl", data_dir / "two-graphs.trig"])
    assert report.graphs[BASE + "graph/good"] == 14
    assert store.graphs() == [
        BASE + "graph/good",
        BASE + "graph/source-a",
        BASE + "graph/source-b",
        BASE + "graph/two-graphs",
    ]
    assert len(store) == report.triples
    assert _staging(store) == []


def test_bulk_load_replaces_a_graph_atomically(store: Store, data_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "src" / "good.ttl"
    source.parent.mkdir()
    shutil.copy(data_dir / "good.ttl", source)
    store.load([source, data_dir / "good.nt"])
    other = set(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(BASE + "graph/good")))
    shutil.copy(data_dir / "good-changed.ttl", source)
    expected = Store(tmp_path / "expected")
    expected.load([source])
    store.bulk_load([source])
    g = ox.NamedNode(BASE + "graph/good")
    got = {(q.subject, q.predicate, q.object) for q in store.oxigraph.quads_for_pattern(None, None, None, g)}
    want = {(q.subject, q.predicate, q.object) for q in expected.oxigraph.quads_for_pattern(None, None, None, g)}
    assert got == want and got  # old content gone, new content present
    assert set(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(BASE + "graph/good"))) != other
    assert _staging(store) == []
    assert BASE + "graph/good" in store.graphs()


class _EagerBulk:
    """A pyoxigraph Store whose bulk loader writes every quad at once (as a big load's full batches are)."""

    def __init__(self, inner: ox.Store) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._inner)

    def __len__(self) -> int:
        return len(self._inner)

    def bulk_extend(self, quads: object) -> None:
        for quad in quads:  # type: ignore[attr-defined]
            self._inner.bulk_extend([quad])


@pytest.mark.parametrize("eager", [False, True], ids=["buffered", "written-before-the-error"])
def test_bulk_load_of_a_broken_file_leaves_the_store_unchanged(
    store: Store, data_dir: Path, tmp_path: Path, eager: bool
) -> None:
    store.load([data_dir / "good.ttl"])
    if eager:
        store._store = _EagerBulk(store._store)  # type: ignore[assignment]
    before = set(store.oxigraph)
    graphs = store.graphs()
    broken = tmp_path / "good.ttl"  # same graph as the loaded file: staged, then dropped
    shutil.copy(data_dir / "broken.ttl", broken)
    with pytest.raises(LoadError) as caught:
        store.bulk_load([data_dir / "two-graphs.trig", broken])
    assert "good.ttl:8:" in str(caught.value)
    assert set(store.oxigraph) == before
    assert store.graphs() == graphs
    assert _staging(store) == []


def test_bulk_load_removes_staging_left_by_an_interrupted_load(store: Store, data_dir: Path) -> None:
    store.load([data_dir / "good.ttl"])
    stale = ox.NamedNode(BASE + "graph/.staging-dead-0")
    store.oxigraph.add(ox.Quad(ox.NamedNode(TESTBURG), ox.NamedNode(BASE + "p"), ox.Literal("x"), stale))
    store.bulk_load([data_dir / "good.nt"])
    assert _staging(store) == []
