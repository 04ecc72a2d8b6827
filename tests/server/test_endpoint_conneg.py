"""Content negotiation, table-driven: Accept -> status and Content-Type, and the body parses."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import rdflib
from sparql_http import Reply, Server

OWL = "http://www.w3.org/2002/07/owl#"
SELECT = f"SELECT ?c WHERE {{ ?c a <{OWL}Class> }} LIMIT 5"
ASK = f"ASK {{ ?c a <{OWL}Class> }}"
CONSTRUCT = f"CONSTRUCT {{ ?c a <{OWL}Class> }} WHERE {{ ?c a <{OWL}Class> }} LIMIT 5"
DESCRIBE = "DESCRIBE <https://w3id.org/relgraph/ontology#Agreement>"
QUERIES = {"select": SELECT, "ask": ASK, "construct": CONSTRUCT, "describe": DESCRIBE}

JSON_R, XML_R = "application/sparql-results+json", "application/sparql-results+xml"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

# (query kind, Accept header or None, expected status, expected Content-Type)
MATRIX = [
    ("select", None, 200, JSON_R),
    ("select", "*/*", 200, JSON_R),
    ("select", JSON_R, 200, JSON_R),
    ("select", XML_R, 200, XML_R),
    ("select", "text/csv", 200, "text/csv"),
    ("select", "text/tab-separated-values", 200, "text/tab-separated-values"),
    ("select", "application/json", 200, "application/json"),  # the alias asked for, SPARQL JSON inside
    ("select", "application/xml", 200, "application/xml"),
    ("select", f"text/csv;q=0.5, {XML_R}", 200, XML_R),
    ("select", f"{JSON_R};q=0.1, text/*;q=0.9", 200, "text/csv"),
    ("select", "text/turtle", 406, "text/plain"),
    ("select", "image/png", 406, "text/plain"),
    ("ask", None, 200, JSON_R),
    ("ask", XML_R, 200, XML_R),
    ("ask", JSON_R, 200, JSON_R),
    ("ask", "application/n-triples", 406, "text/plain"),
    ("construct", None, 200, "text/turtle"),
    ("construct", "*/*", 200, "text/turtle"),
    ("construct", "text/turtle", 200, "text/turtle"),
    ("construct", "application/n-triples", 200, "application/n-triples"),
    ("construct", "application/rdf+xml", 200, "application/rdf+xml"),
    ("construct", "application/ld+json", 200, "application/ld+json"),
    ("construct", "application/n-quads", 200, "application/n-quads"),
    ("construct", "application/trig", 200, "application/trig"),
    ("construct", f"{JSON_R}, text/turtle;q=0.9", 200, "text/turtle"),
    ("construct", JSON_R, 406, "text/plain"),
    ("describe", None, 200, "text/turtle"),
    ("describe", "application/rdf+xml", 200, "application/rdf+xml"),
    ("describe", "application/n-triples", 200, "application/n-triples"),
]

RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}


def check_body(reply: Reply, kind: str) -> None:
    """The body parses in its declared format and has the expected shape."""
    ctype = reply.content_type
    if ctype == "text/plain":
        assert reply.text.strip()
    elif ctype in (JSON_R, "application/json"):
        data = json.loads(reply.body)
        assert ("boolean" in data) if kind == "ask" else len(data["results"]["bindings"]) > 0
    elif ctype in (XML_R, "application/xml"):
        root = ET.fromstring(reply.body)  # noqa: S314 - our own server's answer
        assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    elif ctype in ("text/csv", "text/tab-separated-values"):
        rows = list(csv.reader(io.StringIO(reply.text), delimiter="," if ctype == "text/csv" else "\t"))
        assert rows[0] == (["c"] if ctype == "text/csv" else ["?c"])
        assert len(rows) > 1
    elif ctype in RDF_FORMATS:
        fmt = RDF_FORMATS[ctype]
        graph = rdflib.Dataset() if fmt in ("nquads", "trig") else rdflib.Graph()
        graph.parse(data=reply.body, format=fmt)
        assert len(graph) > 0
    else:  # pragma: no cover
        pytest.fail(f"unexpected content type {ctype}")


@pytest.mark.parametrize(
    ("kind", "accept", "status", "content_type"),
    MATRIX,
    ids=[f"{k}-{a or 'none'}" for k, a, _, _ in MATRIX],
)
def test_conneg_matrix(server: Server, kind: str, accept: str | None, status: int, content_type: str) -> None:
    reply = server.query(QUERIES[kind], accept=accept)
    assert (reply.status, reply.content_type) == (status, content_type), reply.text[:500]
    check_body(reply, kind)


@pytest.mark.parametrize(
    ("kind", "fmt", "content_type"),
    [
        ("select", "csv", "text/csv"),
        ("select", "json", JSON_R),
        ("select", "xml", XML_R),
        ("select", "tsv", "text/tab-separated-values"),
        ("construct", "json", "application/ld+json"),
        ("construct", "xml", "application/rdf+xml"),
        ("construct", "ntriples", "application/n-triples"),
    ],
)
def test_format_parameter_overrides_accept(server: Server, kind: str, fmt: str, content_type: str) -> None:
    reply = server.get("/sparql", params={"query": QUERIES[kind], "format": fmt}, headers={"Accept": BROWSER})
    assert (reply.status, reply.content_type) == (200, content_type), reply.text[:300]
    check_body(reply, kind)


def test_unknown_format_is_406(server: Server) -> None:
    reply = server.get("/sparql", params={"query": SELECT, "format": "bogus"})
    assert reply.status == 406
    assert "json" in reply.text


def test_browser_accept_gets_the_html_page_with_results(server: Server) -> None:
    reply = server.get("/sparql", params={"query": SELECT}, headers={"Accept": BROWSER})
    assert (reply.status, reply.content_type) == (200, "text/html")
    assert "<table>" in reply.text and "<th>?c</th>" in reply.text


def test_responses_vary_on_accept(server: Server) -> None:
    reply = server.query(SELECT)
    assert "accept" in reply.headers.get("Vary", "").lower()
