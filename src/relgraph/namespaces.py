"""IRIs and prefixes used across relgraph."""

from __future__ import annotations

from .settings import DEFAULT_BASE, ONTOLOGY_NS

__all__ = ["ONTOLOGY_GRAPH", "PREFIXES", "RG", "graph_iri"]

RG = ONTOLOGY_NS

PREFIXES: dict[str, str] = {
    "rg": ONTOLOGY_NS,
    "rgc": DEFAULT_BASE + "concept/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "time": "http://www.w3.org/2006/time#",
    "wd": "http://www.wikidata.org/entity/",
}

#: Graph that holds the ontology itself when loaded from ``ontology/relgraph.ttl``.
ONTOLOGY_GRAPH = DEFAULT_BASE + "graph/relgraph"


def graph_iri(slug: str, *, base: str = DEFAULT_BASE) -> str:
    """The IRI of the named graph ``slug`` under ``base``."""
    return f"{base}graph/{slug}"
