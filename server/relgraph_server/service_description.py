"""The SPARQL 1.1 Service Description of the endpoint (GET /sparql without a query).

It lists the languages (Update only when updates are on, at ``/update``), every
result format, the features (the default graph is the union of all named
graphs) and the default dataset with one ``sd:namedGraph`` per graph of the
store. Turtle unless ``Accept`` prefers N-Triples, RDF/XML or JSON-LD.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Response, request, url_for

from relgraph.conneg import CANONICAL, GRAPH_TYPES, SELECT_TYPES
from relgraph.namespaces import DCT, RDF, RDFS, VOID, XSD

from .runtime import runtime

__all__ = ["RESULT_FORMATS", "describe_service", "response"]

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"

#: W3C format IRIs (local names under ``formats:``) of the media types the engine writes.
_FORMAT_IRIS: dict[str, str] = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON-LD",
    "application/trig": "TriG",
    "application/n-quads": "N-Quads",
}
_ALIASES = {alias for table in CANONICAL.values() for alias in table}
#: Every result format of the engine (aliases such as application/json left out).
RESULT_FORMATS: dict[str, str] = {
    t: _FORMAT_IRIS[t] for t in dict.fromkeys((*SELECT_TYPES, *GRAPH_TYPES)) if t not in _ALIASES and t in _FORMAT_IRIS
}

_SERIALIZATIONS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_BY_NAME = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
_PREFIXES = {"sd": SD, "formats": FORMATS_NS, "rdfs": RDFS, "void": VOID, "dct": DCT, "xsd": XSD}
_GRAPHS_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def _n(local: str, ns: str = SD) -> ox.NamedNode:
    return ox.NamedNode(ns + local)


def graph_sizes() -> list[tuple[str, int]]:
    """(graph IRI, triples) for every non-empty named graph, once per data version."""

    def compute() -> list[tuple[str, int]]:
        return [(row["g"].value, int(row["n"].value)) for row in runtime().engine.select(_GRAPHS_QUERY)]

    return runtime().memo("graph_sizes", compute)


def describe_service(
    *,
    endpoint: str,
    update_endpoint: str | None,
    config: dict[str, Any],
    graphs: list[tuple[str, int]],
) -> list[ox.Triple]:
    """The description as triples (pure: no request, no engine)."""
    triples: list[ox.Triple] = []

    def add(s: Any, p: ox.NamedNode, o: Any) -> None:
        triples.append(ox.Triple(s, p, o))

    a = _n("type", RDF)
    service = ox.NamedNode(endpoint + "#service")
    add(service, a, _n("Service"))
    add(service, _n("endpoint"), ox.NamedNode(endpoint))
    add(service, _n("title", DCT), ox.Literal("relgraph SPARQL endpoint", language="en"))
    add(service, _n("supportedLanguage"), _n("SPARQL11Query"))
    for local in RESULT_FORMATS.values():
        add(service, _n("resultFormat"), ox.NamedNode(FORMATS_NS + local))
    add(service, _n("feature"), _n("UnionDefaultGraph"))
    add(service, _n("feature"), _n("EmptyGraphs"))
    if config["service_allowlist"]:
        add(service, _n("feature"), _n("BasicFederatedQuery"))
    comment = (
        "The default graph is the union of all named graphs (sd:UnionDefaultGraph); "
        "default-graph-uri and named-graph-uri narrow the dataset of one request. "
        f"Queries time out after {config['query_timeout']:g} s and may return at most "
        f"{config['max_rows']:,} rows. SERVICE and LOAD are refused"
        + (" except for the allowed endpoints." if config["service_allowlist"] else ".")
    )
    add(service, _n("comment", RDFS), ox.Literal(comment, language="en"))
    if update_endpoint:
        updater = ox.NamedNode(update_endpoint + "#service")
        add(updater, a, _n("Service"))
        add(updater, _n("endpoint"), ox.NamedNode(update_endpoint))
        add(updater, _n("supportedLanguage"), _n("SPARQL11Update"))
        add(
            updater,
            _n("comment", RDFS),
            ox.Literal("SPARQL 1.1 Update; needs Authorization: Bearer <token>.", language="en"),
        )
        add(service, _n("seeAlso", RDFS), updater)

    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("default")
    add(service, _n("defaultDataset"), dataset)
    add(dataset, a, _n("Dataset"))
    add(dataset, _n("defaultGraph"), default)
    add(default, a, _n("Graph"))
    add(default, _n("comment", RDFS), ox.Literal("The union of all named graphs.", language="en"))
    add(default, _n("triples", VOID), ox.Literal(str(sum(n for _, n in graphs)), datatype=_n("integer", XSD)))
    for i, (iri, count) in enumerate(graphs):
        named, graph = ox.BlankNode(f"ng{i}"), ox.BlankNode(f"g{i}")
        add(dataset, _n("namedGraph"), named)
        add(named, a, _n("NamedGraph"))
        add(named, _n("name"), ox.NamedNode(iri))
        add(named, _n("graph"), graph)
        add(graph, a, _n("Graph"))
        add(graph, _n("triples", VOID), ox.Literal(str(count), datatype=_n("integer", XSD)))
    return triples


def response() -> Response:
    rt = runtime()
    endpoint = url_for("sparql.sparql", _external=True)
    update_endpoint = url_for("update.update", _external=True) if rt.config["update_token"] else None
    triples = describe_service(
        endpoint=endpoint,
        update_endpoint=update_endpoint,
        config=rt.config,
        graphs=graph_sizes(),
    )
    media_type = _BY_NAME.get(request.args.get("format", "").lower()) or (
        request.accept_mimetypes.best_match(list(_SERIALIZATIONS)) or "text/turtle"
    )
    fmt = _SERIALIZATIONS[media_type]
    prefixes = _PREFIXES if fmt in {ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML} else None
    body = ox.serialize(triples, format=fmt, prefixes=prefixes) if prefixes else ox.serialize(triples, format=fmt)
    content_type = media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")
    out = Response(body, content_type=content_type)
    out.vary.add("Accept")
    return out
