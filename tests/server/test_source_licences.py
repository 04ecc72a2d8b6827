"""Licences per source and sources that agree or disagree, on a real server over both backends.

``sources_server``: the bundled data plus ``data/sources-fixture.trig`` (written
with INSERT DATA, so the same fixture reaches an embedded and a remote store): a
CC BY-SA 4.0 graph with an attribution line and a CC0 graph that share two
relations (Hamburg–Testburg, Testburg–Teststadt); Hamburg–Teststadt is only in
the CC BY-SA graph, Testburg–Testdorf only in the CC0 one.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from sparql_http import TOKEN, Server

FIXTURE = Path(__file__).parent / "data" / "sources-fixture.trig"
BASE = "https://w3id.org/relgraph/"
TWINS = BASE + "graph/test-wikipedia-twins"
WD_TWINS = BASE + "graph/test-wikidata-twins"
BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
BY = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "Wikipedia contributors, via a test fixture"
HTML = {"Accept": "text/html"}
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
CC = rdflib.Namespace("http://creativecommons.org/ns#")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
RG = rdflib.Namespace("https://w3id.org/relgraph/ontology#")


def insert_fixture(server: Server) -> None:
    by_graph: dict[str, list[str]] = defaultdict(list)
    for q in ox.parse(FIXTURE.read_bytes(), format=ox.RdfFormat.TRIG):
        by_graph[str(q.graph_name)].append(f"{q.subject} {q.predicate} {q.object} .")
    body = " ".join(f"GRAPH {g} {{ {' '.join(lines)} }}" for g, lines in by_graph.items())
    reply = server.update(f"INSERT DATA {{ {body} }}")
    assert reply.status == 204, reply.text


@pytest.fixture(scope="session")
def sources_server(start_server: Any) -> Server:
    server = start_server(
        "sources", token=TOKEN, env={"RELGRAPH_VALIDATE_UPDATES": "false", "RELGRAPH_REMOTE_VERSION_TTL": "1e9"}
    )
    insert_fixture(server)
    return server


def page(server: Server, path: str, lang: str = "en") -> str:
    reply = server.get(path, params={"lang": lang}, headers=HTML)
    assert reply.status == 200, reply.text[:500]
    return reply.text


def row_of(text: str, href: str) -> str:
    """The table row of the relations table whose partner links to ``href``."""
    rows = [r for r in re.findall(r"<tr>.*?</tr>", text, flags=re.S) if f'href="{href}' in r]
    assert len(rows) == 1, rows
    return rows[0]


# --- licences ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "footer", "label", "credit"),
    [
        ("en", "the sources marked otherwise keep their licence", "Licence", "Attribution"),
        ("de", "anders gekennzeichnete Quellen behalten ihre Lizenz", "Lizenz", "Namensnennung"),
        ("fr", "les sources indiquées autrement gardent leur licence", "Licence", "Attribution"),
    ],
)
def test_a_page_citing_a_cc_by_sa_source_names_its_licence(
    sources_server: Server, lang: str, footer: str, label: str, credit: str
) -> None:
    text = page(sources_server, "/id/city/hamburg.html", lang)
    sources = text.split('<section class="sources"', 1)[1].split("</section>", 1)[0]
    item = next(li for li in re.findall(r"<li .*?</li>", sources, flags=re.S) if "Test Wikipedia twin towns" in li)
    assert f'{label}: <a rel="license" href="{BY_SA}">CC BY-SA 4.0</a>' in item
    assert f"{credit}: {html.escape(ATTRIBUTION)}" in item
    # the CC0 graph and the curated (CC BY 4.0) ones are listed too; CC BY 4.0 is never named per source
    assert "CC0 1.0" in sources and "CC BY 4.0" not in sources
    foot = text.split('<footer class="site">', 1)[1]
    assert html.escape(footer) in foot
    assert f'<a rel="license" href="{BY}">CC BY 4.0</a>' in foot and f'href="{BY_SA}">CC BY-SA 4.0</a>' in foot


def test_a_page_citing_only_cc_by_sources_keeps_the_plain_footer(sources_server: Server) -> None:
    text = page(sources_server, "/id/region/quebec.html")
    assert "keep their licence" not in text and "CC BY-SA" not in text
    assert 'Data: <a rel="license"' in text


def test_the_source_and_pair_pages_name_the_licence(sources_server: Server) -> None:
    assert f'href="{BY_SA}">CC BY-SA 4.0</a>' in page(sources_server, "/graph/test-wikipedia-twins.html")
    pair = page(sources_server, "/relations/city/hamburg/city/teststadt")
    assert f'href="{BY_SA}">CC BY-SA 4.0</a>' in pair and "keep their licence" in pair


@pytest.mark.parametrize("suffix", ["ttl", "jsonld", "trig"])
def test_a_data_document_states_each_sources_licence(sources_server: Server, suffix: str) -> None:
    reply = sources_server.get(f"/id/agreement/test-hamburg-testburg.{suffix}")
    assert reply.status == 200
    fmt = {"ttl": "turtle", "jsonld": "json-ld", "trig": "trig"}[suffix]
    graph = rdflib.Dataset() if suffix == "trig" else rdflib.Graph()
    graph.parse(data=reply.body, format=fmt)
    doc = rdflib.URIRef(f"{BASE}id/agreement/test-hamburg-testburg.{suffix}")
    twins, wd = rdflib.URIRef(TWINS), rdflib.URIRef(WD_TWINS)
    assert {twins, wd} <= set(graph.objects(doc, DCT.source))
    assert set(graph.objects(twins, DCT.license)) == {rdflib.URIRef(BY_SA)}
    assert str(graph.value(twins, CC.attributionName)) == ATTRIBUTION
    assert set(graph.objects(wd, DCT.license)) == {rdflib.URIRef(CC0)}
    assert set(graph.objects(doc, DCT.license)) == {rdflib.URIRef(u) for u in (BY, BY_SA, CC0)}
    assert TWINS in str(graph.value(doc, DCT.rights))
    links = reply.headers["Link"]
    assert all(f'<{u}>; rel="license"' in links for u in (BY, BY_SA, CC0))


def test_a_data_document_of_curated_data_stays_cc_by(sources_server: Server) -> None:
    reply = sources_server.get("/id/region/quebec.ttl")
    graph = rdflib.Graph().parse(data=reply.body, format="turtle")
    doc = rdflib.URIRef(f"{BASE}id/region/quebec.ttl")
    assert set(graph.objects(doc, DCT.license)) == {rdflib.URIRef(BY)}
    assert graph.value(doc, DCT.rights) is None
    for g in graph.objects(doc, DCT.source):
        if not str(g).endswith("/graph/inferred"):
            assert set(graph.objects(g, DCT.license)) == {rdflib.URIRef(BY)}, g


# --- VoID ----------------------------------------------------------------------------------------


def void(server: Server) -> rdflib.Graph:
    reply = server.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert reply.status == 200
    return rdflib.Graph().parse(data=reply.body, format="turtle")


def subset_of(graph: rdflib.Graph, g: str) -> rdflib.term.Node:
    return next(graph.subjects(SD.name, rdflib.URIRef(g)))


def stated(server: Server) -> dict[str, set[str]]:
    """Source graph → relations it lists (gives a party of), counted straight from the store."""
    rows = server.select(
        f"SELECT DISTINCT ?g ?a WHERE {{ GRAPH ?g {{ ?a <{RG}party> ?x }} "
        f"?a a <{RG}Agreement> . ?g a <{RG}SourceGraph> }}"
    )
    out: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        out[r["g"]].add(r["a"])
    return out


def test_void_describes_each_source_with_its_licence(sources_server: Server) -> None:
    graph = void(sources_server)
    ds = next(graph.subjects(rdflib.RDF.type, VOID.Dataset))
    assert set(graph.objects(ds, DCT.license)) == {rdflib.URIRef(BY)}
    rights = {r.language: str(r) for r in graph.objects(ds, DCT.rights)}
    assert set(rights) == {"en", "de", "fr"} and all(
        TWINS in text and "CC BY-SA 4.0" in text for text in rights.values()
    )
    assert WD_TWINS in rights["en"] and "Wikidata contributors (test)" in rights["en"]
    node = subset_of(graph, TWINS)
    assert (ds, VOID.subset, node) in graph
    assert str(graph.value(node, DCT.title)) == "Test Wikipedia twin towns"
    assert graph.value(node, DCT.license) == rdflib.URIRef(BY_SA)
    assert str(graph.value(node, CC.attributionName)) == ATTRIBUTION
    triples = sources_server.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{TWINS}> {{ ?s ?p ?o }} }}")[0]["n"]
    assert int(graph.value(node, VOID.triples)) == int(triples)
    curated = subset_of(graph, BASE + "graph/hamburg-de-2024-02-28-quebec")
    assert graph.value(curated, DCT.license) == rdflib.URIRef(BY)
    for dist in graph.objects(ds, DCAT.distribution):
        assert any(TWINS in str(r) for r in graph.objects(dist, DCT.rights)), dist


def test_void_counts_relations_per_source_and_their_overlap_as_sparql_does(sources_server: Server) -> None:
    graph = void(sources_server)
    lists = stated(sources_server)
    assert len(lists[TWINS]) == 3 and len(lists[WD_TWINS]) == 3
    for g, relations in lists.items():
        parts = list(graph.objects(subset_of(graph, g), VOID.classPartition))
        assert len(parts) == 1 and graph.value(parts[0], VOID["class"]) == RG.Agreement
        assert int(graph.value(parts[0], VOID.entities)) == len(relations), g
        others = set().union(*(r for h, r in lists.items() if h != g))
        only = graph.value(parts[0], VOID.subset)
        assert int(graph.value(only, VOID.entities)) == len(relations - others), g
    expected = {
        tuple(sorted((g, h))): len(lists[g] & lists[h]) for g, h in combinations(lists, 2) if lists[g] & lists[h]
    }
    found = {}
    for node in graph.subjects(DCT.source, None):
        if "-overlap-" in str(node):
            pair = tuple(sorted(str(s) for s in graph.objects(node, DCT.source)))
            found[pair] = int(graph.value(node, VOID.entities))
            for g in pair:  # a subset of both sources' relations
                part = graph.value(subset_of(graph, g), VOID.classPartition)
                assert (part, VOID.subset, node) in graph
    assert found == expected
    assert found[tuple(sorted((TWINS, WD_TWINS)))] == 2


def test_a_dump_links_every_licence_of_the_data(sources_server: Server) -> None:
    reply = sources_server.get("/dumps/relgraph.nq.gz", timeout=120)
    assert reply.status == 200
    links = reply.headers["Link"]
    assert all(f'<{u}>; rel="license"' in links for u in (BY, BY_SA, CC0))
    assert 'rel="describedby"' in links


# --- agreeing and disagreeing sources ----------------------------------------------------------


def test_a_relation_only_one_source_lists_is_marked(sources_server: Server) -> None:
    text = page(sources_server, "/id/city/hamburg.html")
    alone = row_of(text, "/id/city/teststadt.html")
    assert "only in: Test Wikipedia twin towns" in alone and 'class="badge only-one"' in alone
    shared = row_of(text, "/id/city/testburg.html")
    assert "only in:" not in shared and "only-one" not in shared
    assert "nur in: Test Wikipedia twin towns" in row_of(
        page(sources_server, "/id/city/hamburg.html", "de"), "/id/city/teststadt.html"
    )
    assert "seulement dans : Test Wikipedia twin towns" in row_of(
        page(sources_server, "/id/city/hamburg.html", "fr"), "/id/city/teststadt.html"
    )


def api_rows(server: Server, name: str, **params: str) -> list[dict[str, str]]:
    reply = server.get(f"/api/queries/{name}", params=params)
    assert reply.status == 200, reply.text
    return reply.json()["rows"]


def test_relations_by_sources_over_http(sources_server: Server) -> None:
    two = api_rows(sources_server, "relations-by-sources", sources="2")
    shared = {r["relation"].rsplit("/", 1)[1]: sorted(r["graphs"].split()) for r in two}
    assert shared["test-hamburg-testburg"] == shared["test-testburg-teststadt"] == sorted([TWINS, WD_TWINS])
    one = api_rows(sources_server, "relations-by-sources", sources="1", place=BASE + "id/city/teststadt")
    assert [(r["relation"], r["graphs"]) for r in one] == [(BASE + "id/agreement/test-hamburg-teststadt", TWINS)]
    lists = stated(sources_server)
    every = api_rows(sources_server, "relations-by-sources")
    assert len(every) == len(set().union(*lists.values()))


def test_source_overlap_over_http(sources_server: Server) -> None:
    result = api_rows(sources_server, "source-overlap", source=TWINS)
    assert [(r["source"], r["otherSource"], r["both"], r["onlySource"], r["onlyOther"]) for r in result] == [
        (WD_TWINS, TWINS, "2", "1", "1")
    ]
