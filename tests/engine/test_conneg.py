"""Content negotiation: (Accept header, offered types) → chosen type, as a table."""

from __future__ import annotations

import pytest

from relgraph.conneg import GRAPH_TYPES, SELECT_TYPES, format_override, negotiate, parse_accept
from relgraph.errors import NotAcceptable

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"

CASES = [
    # (Accept, offered, expected)
    (None, SELECT_TYPES, JSON),
    ("", SELECT_TYPES, JSON),
    ("*/*", SELECT_TYPES, JSON),
    ("application/sparql-results+xml", SELECT_TYPES, XML),
    ("text/csv", SELECT_TYPES, "text/csv"),
    ("text/tab-separated-values", SELECT_TYPES, "text/tab-separated-values"),
    ("application/json", SELECT_TYPES, "application/json"),
    ("text/*", SELECT_TYPES, "text/csv"),
    ("text/csv;q=0.5, application/sparql-results+xml", SELECT_TYPES, XML),
    ("text/csv;q=0.5, */*;q=0.1", SELECT_TYPES, "text/csv"),
    ("*/*;q=0.1, text/tab-separated-values", SELECT_TYPES, "text/tab-separated-values"),
    # a more specific range wins over a wildcard, even with a lower q
    (f"*/*, {JSON};q=0", SELECT_TYPES, XML),
    ("text/*;q=0, */*", SELECT_TYPES, JSON),
    ("text/*, text/csv;q=0", SELECT_TYPES, "text/tab-separated-values"),
    # parameters do not stop a match; accept-extensions after q are ignored
    (f"{XML};charset=utf-8", SELECT_TYPES, XML),
    ('text/csv; charset="utf-8"; q=0.9; foo=bar, application/json;q=0.8', SELECT_TYPES, "text/csv"),
    ("TEXT/CSV", SELECT_TYPES, "text/csv"),
    ("image/png", SELECT_TYPES, None),
    ("application/sparql-results+json;q=0", SELECT_TYPES, None),
    ("garbage, ;;, /x, */json", SELECT_TYPES, JSON),  # nothing parsable: as if absent
    (f"{XML};q=abc", SELECT_TYPES, XML),  # a broken q counts as 1
    # SPARQLWrapper's JSON request
    ("application/sparql-results+json,application/json,text/javascript,application/javascript", SELECT_TYPES, JSON),
    # a browser
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", SELECT_TYPES, "application/xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", GRAPH_TYPES, "application/xml"),
    (None, GRAPH_TYPES, "text/turtle"),
    ("application/n-triples", GRAPH_TYPES, "application/n-triples"),
    ("application/rdf+xml;q=0.5, text/turtle;q=0.4", GRAPH_TYPES, "application/rdf+xml"),
    ("application/ld+json", GRAPH_TYPES, "application/ld+json"),
    ("application/n-quads, application/trig;q=0.9", GRAPH_TYPES, "application/n-quads"),
    ("application/sparql-results+json", GRAPH_TYPES, None),
    ("text/turtle", SELECT_TYPES, None),
]


@pytest.mark.parametrize(("accept", "offered", "expected"), CASES)
def test_negotiate(accept: str | None, offered: tuple[str, ...], expected: str | None) -> None:
    assert negotiate(accept, offered) == expected


def test_parse_accept_q_and_params() -> None:
    (r,) = parse_accept("Text/CSV; charset=utf-8; q=0.3")
    assert (r.type, r.subtype, r.params, r.q) == ("text", "csv", (("charset", "utf-8"),), 0.3)


@pytest.mark.parametrize(
    ("name", "select", "graph"),
    [
        ("json", JSON, "application/ld+json"),
        ("xml", XML, "application/rdf+xml"),
        ("csv", "text/csv", None),
        ("tsv", "text/tab-separated-values", None),
        ("turtle", None, "text/turtle"),
        ("ntriples", None, "application/n-triples"),
        ("jsonld", None, "application/ld+json"),
        ("rdfxml", None, "application/rdf+xml"),
        ("trig", None, "application/trig"),
        ("nquads", None, "application/n-quads"),
        ("TSV", "text/tab-separated-values", None),
        ("text/csv", "text/csv", None),
    ],
)
def test_format_override(name: str, select: str | None, graph: str | None) -> None:
    accept = format_override(name)
    assert negotiate(accept, SELECT_TYPES) == select
    assert negotiate(accept, GRAPH_TYPES) == graph


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(NotAcceptable, match="turtle"):
        format_override("yaml")
