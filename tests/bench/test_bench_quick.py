"""The benchmark's generator and queries, without servers (bench/run.py --quick runs in CI separately)."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402
import loadclient  # noqa: E402

N = 300


def _nquads(agreements: int = N, seed: int = 42) -> bytes:
    out = io.StringIO()
    generate.generate(out, agreements=agreements, seed=seed)
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def data() -> bytes:
    return _nquads()


@pytest.fixture(scope="module")
def store(data: bytes) -> ox.Store:
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_QUADS)
    return store


def _ask(store: ox.Store, body: str) -> bool:
    query = "PREFIX rg: <https://w3id.org/relgraph/ontology#>\nASK { " + body + " }"
    return bool(store.query(query, use_default_graph_as_union=True))


def test_same_seed_gives_identical_bytes(data: bytes) -> None:
    assert _nquads() == data
    assert _nquads(seed=43) != data


def test_generate_counts_every_triple(tmp_path: Path) -> None:
    out = tmp_path / "a.nq"
    assert generate.main(["--agreements", "50", "-o", str(out)]) == 0
    count = sum(1 for _ in ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))
    assert count == generate.generate(io.StringIO(), agreements=50)


def test_every_quad_is_in_a_described_source_graph(store: ox.Store) -> None:
    graphs = {g.value for g in store.named_graphs()}
    assert graphs == {f"{generate.GRAPH}synthetic-source-{k}" for k in range(1, len(graphs) + 1)}
    assert not list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    undescribed = store.query(
        "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { GRAPH ?g { ?g a "
        "<https://w3id.org/relgraph/ontology#SourceGraph> ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?d } } }"
    )
    assert list(undescribed) == []


def test_modelled_shapes_are_present(store: ox.Store) -> None:
    assert _ask(store, "?a a rg:Agreement ; rg:party ?p1 , ?p2 FILTER(?p1 != ?p2)")
    assert _ask(store, "?a a rg:Agreement ; rg:signing ?s . ?s a rg:Signing ; rg:date ?d ; rg:place ?c . ?c a rg:City")
    assert _ask(store, "?s rg:signature ?sig . ?sig rg:signatory ?p ; rg:inPost ?post ; rg:onBehalfOf ?party")
    assert _ask(store, "?c a rg:City ; rg:locatedIn ?r . ?r rg:locatedIn ?k . ?k a rg:Country")
    assert _ask(store, "?t a rg:Tenure ; rg:holder ?p ; rg:post ?post ; rg:startDate ?d . ?post rg:postIn ?x")
    assert _ask(store, "?u a rg:University ; rg:locatedIn ?c . ?c a rg:City")
    for datatype in ("date", "gYearMonth", "gYear"):
        assert _ask(store, f"?s rg:date ?d FILTER(DATATYPE(?d) = <http://www.w3.org/2001/XMLSchema#{datatype}>)")
    for lang in ("de", "en", "fr"):
        assert _ask(
            store, f'?c a rg:City ; <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(LANG(?l) = "{lang}")'
        )


def test_every_agreement_has_two_or_more_parties(store: ox.Store) -> None:
    rows = store.query(
        "PREFIX rg: <https://w3id.org/relgraph/ontology#> SELECT ?a (COUNT(DISTINCT ?p) AS ?n) "
        "WHERE { ?a a rg:Agreement ; rg:party ?p } GROUP BY ?a HAVING (COUNT(DISTINCT ?p) < 2)",
        use_default_graph_as_union=True,
    )
    assert list(rows) == []


def test_instance_iris_follow_the_scheme(data: bytes) -> None:
    pattern = re.compile(r"^https://w3id\.org/relgraph/id/[a-z][a-z0-9]*(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$")
    iris = set(re.findall(rb"<(https://w3id\.org/relgraph/id/[^>]*)>", data))
    assert iris
    bad = [iri for iri in iris if not pattern.match(iri.decode())]
    assert bad == []


def test_used_concepts_exist_in_the_concept_schemes(data: bytes) -> None:
    concepts = ROOT / "ontology" / "concepts.ttl"
    known = {
        str(s.value)
        for s, _, _, _ in ox.parse(path=str(concepts), format=ox.RdfFormat.TURTLE)
        if isinstance(s, ox.NamedNode)
    }
    used = {iri.decode() for iri in re.findall(rb"<(https://w3id\.org/relgraph/concept/[^>]*)>", data)}
    assert used and used <= known, sorted(used - known)


@pytest.mark.parametrize("name", generate.QUERY_NAMES)
def test_each_bench_query_returns_results(store: ox.Store, name: str) -> None:
    text = generate.query_texts(seed=42)[name]
    results = store.query(text, use_default_graph_as_union=True)
    assert len(list(results)) >= 1
    assert loadclient.is_graph_query(text) == (name == "describe-agreement")


@pytest.mark.parametrize("agreements", [100, 5000])
def test_bench_queries_hold_for_other_sizes(agreements: int) -> None:
    """The committed queries name entities that exist for every N >= 100 (entity 0 of each kind)."""
    store = ox.Store()
    store.load(_nquads(agreements), format=ox.RdfFormat.N_QUADS)
    for name, text in generate.query_texts(seed=42).items():
        assert len(list(store.query(text, use_default_graph_as_union=True))) >= 1, name


def test_committed_queries_match_the_generator() -> None:
    for name, text in generate.query_texts(seed=42).items():
        committed = (ROOT / "bench" / "queries" / f"{name}.rq").read_text(encoding="utf-8")
        assert committed == text, f"bench/queries/{name}.rq is stale: run bench/generate.py --queries-out bench/queries"


def test_load_client_only_talks_to_loopback() -> None:
    host, port, raw = loadclient.build_request("http://127.0.0.1:7878/sparql", "ASK {}", loadclient.ACCEPT_SELECT)
    assert (host, port) == ("127.0.0.1", 7878)
    assert raw.startswith(b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\n")
    with pytest.raises(ValueError, match="loopback"):
        loadclient.build_request("http://example.org/sparql", "ASK {}", loadclient.ACCEPT_SELECT)


def test_load_client_gets_a_page_without_a_query() -> None:
    _, _, raw = loadclient.build_request("http://127.0.0.1:7878/id/city/x-0.html", "", "text/html")
    assert raw.startswith(b"GET /id/city/x-0.html HTTP/1.1\r\n")
    _, _, raw = loadclient.build_request("http://127.0.0.1:7878/search?q=fusnunau&lang=de", "", "text/html")
    assert raw.startswith(b"GET /search?q=fusnunau&lang=de HTTP/1.1\r\n")  # the page's own query string stays


def test_growth_table_and_plot_need_no_servers(tmp_path: Path) -> None:
    import growth

    row = {
        "agreements": 10,
        "triples": 290,
        "backend": "remote",
        "load_tps": 1000,
        "oxigraph_load_tps": 2000,
        "load_rss_mib": 50.0,
        "store_server_rss_mib": 40.0,
        "serve_rss_mib": 300.0,
        "geomean_ratio_rps": 0.8,
        "queries": {"partners-of-city": {"rps": 5.0, "p95_ms": 9.0, "oxigraph_rps": 6.0, "oxigraph_p95_ms": 8.0}},
        "page_single_ms": None,
        "page_timed_out_s": 90.0,
        "page_p95_ms": None,
        "page_rps": None,
        "status": "ok",
    }
    pages = {
        "/id/city/x-0.html": {"single_ms": 40.0, "p95_ms": 55.5, "rps": 20.25, "timed_out_s": None},
        "/search?q=x": {"single_ms": None, "timed_out_s": 90.0},
    }
    embedded = {**row, "backend": "embedded", "page_timed_out_s": None, "page_single_ms": 12.0, "pages": pages}
    table = growth.markdown([row, embedded])
    assert "| 10 | 290 | remote | 1,000 (2,000) | 0.80 | > 90 s |" in table
    assert "| 12 / – |" in table
    assert "| `/id/city/x-0.html` one GET ms · p95 ms · req/s | `/search?q=x` one GET ms · p95 ms · req/s |" in table
    assert "| 10 | embedded | 40 · 56 · 20.2 | > 90 s |" in table
    assert "| 10 | remote | – | – |" in table
    assert growth.plot([row], tmp_path / "g.png") and (tmp_path / "g.png").stat().st_size > 0
