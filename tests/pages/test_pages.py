"""Every entity has a page (all three languages); search, index, pair page, CSV, home, VoID and dumps."""

from __future__ import annotations

import csv
import gzip
import html
import io
import re
import time

import pytest
import rdflib
from pages_support import BASE, HTML, select
from sparql_http import Server

LANGS = ("en", "de", "fr")
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAGS = re.compile(r"<[^>]+>")


def _h1(page: str) -> str:
    match = _H1.search(page)
    assert match, "no <h1>"
    return html.unescape(_TAGS.sub("", match.group(1))).strip()


def _entities(site: Server) -> dict[str, set[str]]:
    """Every subject under {base}id/ and its labels (any language)."""
    rows = select(
        site,
        'SELECT DISTINCT ?s ?l WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "' + BASE + 'id/")) '
        "OPTIONAL { ?s <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#prefLabel>"
        "|<http://purl.org/dc/terms/title> ?l } }",
    )
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row["s"], set())
        if "l" in row:
            out[row["s"]].add(row["l"])
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_every_entity_has_a_page(site: Server, lang: str) -> None:
    entities = _entities(site)
    assert len(entities) > 100
    problems = []
    for iri, labels in sorted(entities.items()):
        path = "/" + iri[len(BASE) :] + ".html"
        reply = site.get(path, params={"lang": lang})
        if reply.status != 200:
            problems.append(f"{path}: {reply.status}")
            continue
        text = reply.text
        title = _h1(text)
        if labels and title not in labels:
            problems.append(f"{path}: title {title!r} is none of its labels")
        if not labels and title != iri.rsplit("/", 1)[1]:
            problems.append(f"{path}: unlabelled entity titled {title!r}")
        if f'<html lang="{lang}">' not in text or "None" in _TAGS.sub("", text) or "{{" in text:
            problems.append(f"{path}: template leftovers or wrong language")
    assert not problems, "\n".join(problems[:30])


def test_hamburg_page_in_three_languages(site: Server) -> None:
    titles = {lang: _h1(site.get("/id/city/hamburg.html", params={"lang": lang}).text) for lang in LANGS}
    assert titles == {"en": "Hamburg", "de": "Hamburg", "fr": "Hambourg"}
    accept_lang = site.get("/id/city/hamburg.html", headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    assert _h1(accept_lang.text) == "Hambourg"
    assert "Accept-Language" in accept_lang.headers["Vary"]


def test_hamburg_page_content(site: Server) -> None:
    page = site.get("/id/city/hamburg.html", params={"lang": "de"}).text
    for expected in (
        "Strategische Partnerschaft",  # relation group
        "Städtepartnerschaft",
        "Québec",
        "20. Februar 2024",  # the signing date (day precision)
        "Juni 2023",  # ZAL–CRIAQ at month precision
        "Peter Tschentscher",
        "Martine Biron",
        "Erster Bürgermeister der Freien und Hansestadt Hamburg",
        "Quellen widersprechen sich",  # Shanghai 1979 vs 1986
        "Zeitleiste",
        "<svg",
        "Themenfelder auf einen Blick",
        "Einrichtungen vor Ort",
        "Universität Hamburg",
    ):
        assert expected in page, expected
    assert ">1979<" in page and ">29. Mai 1986<" in page


def test_agreement_page(site: Server) -> None:
    page = site.get("/id/agreement/hamburg-quebec-strategic-partnership-2024.html", params={"lang": "en"}).text
    for expected in (
        "Hamburg City Hall",
        "20 February 2024",
        "First Mayor of Hamburg",
        "Minister of International Relations and La Francophonie",
        "Joint planetarium productions",
        "Hamburg–Quebec cooperation",  # the frame (rg:partOf)
        "Türen für neue gemeinsame Projekte",
        "https://www.hamburg.de/pressearchiv-fhh/18233908/2024-02-20-sk-quebec/",
    ):
        assert expected in page, expected


def test_person_and_source_pages(site: Server) -> None:
    person = site.get("/id/person/martine-biron.html", params={"lang": "fr"}).text
    assert "ministre des Relations internationales et de la Francophonie" in person
    assert "Partenariat stratégique Hambourg–Québec" in person
    source = site.get("/id/source/hamburg-de-partnerstaedte.html", params={"lang": "en"}).text
    assert "Facts this source supports" in source and "Hamburg–Prague city twinning" in source


def test_pair_page_and_csv(site: Server) -> None:
    page = site.get("/relations/city/hamburg/region/quebec", params={"lang": "en"})
    assert page.status == 200
    for expected in (
        "Hamburg–Quebec strategic partnership",
        "ZAL–CRIAQ memorandum of understanding (2023)",
        "June 2023",
    ):
        assert expected in page.text
    reply = site.get("/relations/city/hamburg/region/quebec", params={"format": "csv", "table": "relations"})
    assert reply.content_type == "text/csv"
    rows = list(csv.DictReader(io.StringIO(reply.text)))
    assert {r["IRI"] for r in rows} >= {
        BASE + "id/agreement/hamburg-quebec-strategic-partnership-2024",
        BASE + "id/agreement/zal-criaq-mou-2023",
    }
    assert site.get("/relations/city/hamburg/region/atlantis", headers=HTML).status == 404


def test_place_relations_csv(site: Server) -> None:
    reply = site.get("/id/city/hamburg.html", params={"format": "csv", "table": "relations", "lang": "en"})
    rows = list(csv.DictReader(io.StringIO(reply.text)))
    shanghai = next(r for r in rows if r["Partner"] == "Shanghai")
    assert "1979" in shanghai["Date"] and "29 May 1986" in shanghai["Date"]


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("Quebec", "region/quebec"),
        ("québec", "region/quebec"),
        ("QUEBEC", "region/quebec"),
        ("HAMBOURG", "city/hamburg"),
        ("baviere", "region/bavaria"),
        ("kyoto", "org/kyoto-university"),
        ("Sankt-Peterburg", "city/saint-petersburg"),
    ],
)
def test_search(site: Server, query: str, path: str) -> None:
    reply = site.get("/search", params={"q": query, "lang": "en"})
    assert reply.status == 200
    assert f'href="/id/{path}.html?lang=en"' in reply.text, reply.text[:2000]


def test_search_finds_quebec_by_its_french_label(site: Server) -> None:
    page = site.get("/search", params={"q": "Quebec", "lang": "de"}).text
    assert 'href="/id/region/quebec.html?lang=de">Québec</a>' in page


def test_index_and_home(site: Server) -> None:
    index = site.get("/entities", params={"lang": "en"}).text
    assert "Hamburg" in index and "Kyoto University" in index
    cities = site.get("/entities/city", params={"lang": "fr"}).text
    assert "Hambourg" in cities and "Vereinbarung" not in cities
    home = site.get("/", headers=HTML)
    assert home.status == 200
    for href in ("/search", "/entities", "/sparql", "/api", "/ontology", "/.well-known/void", "/dumps/relgraph.nq.gz"):
        assert f'href="{href}' in home.text, href
    assert site.get("/").status == 302  # machines still go on to the endpoint


def test_void(site: Server) -> None:
    reply = site.get("/.well-known/void")
    assert reply.status == 200 and reply.content_type == "text/turtle"
    graph = rdflib.Graph().parse(data=reply.body, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = rdflib.URIRef(BASE + ".well-known/void#relgraph")
    triples = int(graph.value(ds, void.triples))
    count = int(select(site, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"])
    assert triples == count
    assert len(list(graph.objects(ds, void.classPartition))) > 10
    linkset = next(graph.subjects(rdflib.RDF.type, void.Linkset))
    wd = select(
        site,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <http://www.w3.org/2004/02/skos/core#exactMatch> ?o "
        'FILTER(STRSTARTS(STR(?o), "http://www.wikidata.org/entity/")) } }',
    )
    assert int(graph.value(linkset, void.triples)) == int(wd[0]["n"]) > 0
    assert str(graph.value(ds, void.uriSpace)) == BASE + "id/"
    assert (ds, rdflib.URIRef("http://purl.org/dc/terms/license"), None) in graph
    for accept, parser in (
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ):
        other = site.get("/.well-known/void", headers={"Accept": accept})
        assert other.content_type == accept
        assert len(rdflib.Graph().parse(data=other.body, format=parser)) == len(graph)
    assert site.get("/.well-known/void", headers={"Accept": "image/png"}).status == 406


@pytest.mark.parametrize(("name", "parser"), [("relgraph.nq.gz", "nquads"), ("relgraph.trig.gz", "trig")])
def test_dumps(site: Server, name: str, parser: str) -> None:
    reply = site.get(f"/dumps/{name}", timeout=120)
    assert reply.status == 200 and reply.content_type == "application/gzip"
    ds = rdflib.Dataset().parse(data=gzip.decompress(reply.body), format=parser)
    count = int(select(site, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"])
    assert sum(len(ctx) for ctx in ds.graphs()) == count
    assert site.get("/dumps/other.zip").status == 404


def test_entity_lists_come_in_pages(site: Server) -> None:
    counts = {
        r["k"]: int(r["n"])
        for r in select(
            site,
            f'SELECT ?k (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a ?t FILTER(STRSTARTS(STR(?x), "{BASE}id/")) '
            f'BIND(STRBEFORE(STRAFTER(STR(?x), "{BASE}id/"), "/") AS ?k) }} GROUP BY ?k',
        )
    }
    page = site.get("/entities/agreement", params={"lang": "en"}).text
    assert f'<span class="count">{counts["agreement"]}</span>' in page
    assert len(re.findall(r'<tr><td><a href="/id/agreement/', page)) == counts["agreement"]  # one page holds them
    assert 'class="pager"' not in page
    assert site.get("/entities/agreement", params={"page": "2"}).status == 404
    assert site.get("/entities/agreement", params={"page": "x"}).status == 400
    overview = site.get("/entities", params={"lang": "de"}).text
    assert f'href="#city">Stadt <span class="count">{counts["city"]}</span>' in overview


def test_search_moves_to_the_label_index_of_the_snapshot(site: Server) -> None:
    sources = []
    deadline = time.monotonic() + 60
    for _ in range(1000):  # the same address: a page the store answered is not kept in the page cache
        reply = site.get("/search", params={"q": "Hambourg", "lang": "fr"})
        assert reply.status == 200
        assert 'href="/id/city/hamburg.html?lang=fr"' in reply.text
        sources.append(reply.headers["X-Relgraph-Search"])
        if sources[-1] == "index" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert sources[-1] == "index", sources
    assert set(sources) <= {"store", "index"}


def test_corrected_facts_show_with_their_sources(site: Server) -> None:
    """The curated facts held against their sources (Hamburg, Dar es Salaam, GACP, OECD study)."""
    reply = site.get("/id/city/hamburg.html", params={"format": "csv", "table": "relations", "lang": "en"})
    rows = {
        r["Partner"]: r for r in csv.DictReader(io.StringIO(reply.text)) if r["Kind"] != "memorandum of understanding"
    }
    assert "1 July 2010" in rows["Dar es Salaam"]["Date"] and "disagree" not in rows["Dar es Salaam"]["Date"]
    assert "Ole von Beust (First Mayor of Hamburg)" in rows["Dar es Salaam"]["Signatories"]
    assert rows["León (Nicaragua)"]["Kind"] == "development partnership"
    assert "10 May 1989" in rows["León (Nicaragua)"]["Date"] and "Sources disagree" in rows["León (Nicaragua)"]["Date"]
    assert "14 December 1987" in rows["Dresden"]["Date"] and "15 December 1987" in rows["Dresden"]["Date"]
    assert "11 May 1989" in rows["Osaka"]["Date"] and "20 July 1994" in rows["Chicago"]["Date"]
    assert rows["Saint Petersburg"]["Status"] == ""  # no source states the partnership's own status

    dar = site.get("/id/agreement/hamburg-dar-es-salaam-city-twinning.html", params={"lang": "en"}).text
    assert "1 July 2010" in dar and "Sources disagree" not in dar
    assert "Hamburg City Hall" in dar and "Ole von Beust" in dar
    assert "https://www.hamburg.de/international/daressalaam-chronologie/" in dar
    assert "Hamburg Parliament approves the partnership with Dar es Salaam" in dar  # the vote, an event of its own

    gacp = site.get("/id/cooperation/gacp.html", params={"lang": "en"}).text
    assert "23 June 2023" in gacp and ">active</a>" in gacp and ">announced</a>" not in gacp
    assert "supported by" in gacp and "Aéro Montréal" in gacp
    assert "https://www.hamburg-business.com/de/news/gacp-neue-partnerschaft-fuer-luft-und-raumfahrtcluster" in gacp

    oecd = site.get("/id/study/oecd-hamburg-climate-neutrality-2040.html", params={"lang": "de"}).text
    assert "26. Januar 2024" in oecd and "Handelskammer Hamburg" in oecd
    assert "OECD-Studie: So kann Hamburg klimaneutral wirtschaften" in oecd
