"""IRIs and prefixes used across relgraph, declared once.

Namespace constants are plain strings (``RG + "Agreement"``); modules that
need rdflib or pyoxigraph terms wrap them where they use them.
"""

from __future__ import annotations

from .settings import DEFAULT_BASE, ONTOLOGY_NS

__all__ = [
    "CC",
    "CONCEPT",
    "DCAT",
    "DCT",
    "FOAF",
    "LANG",
    "ONTOLOGY_GRAPH",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RDFS_LABEL",
    "RDF_TYPE",
    "RG",
    "SCHEMA",
    "SKOS",
    "VOID",
    "WD",
    "XSD",
    "graph_iri",
]

RG = ONTOLOGY_NS
CONCEPT = DEFAULT_BASE + "concept/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "https://schema.org/"
WD = "http://www.wikidata.org/entity/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
CC = "http://creativecommons.org/ns#"
#: ISO 639-1 language codes as IRIs (``LANG + "de"``).
LANG = "http://id.loc.gov/vocabulary/iso639-1/"

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"

PREFIXES: dict[str, str] = {
    "rg": RG,
    "rgc": CONCEPT,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dct": DCT,
    "prov": PROV,
    "org": "http://www.w3.org/ns/org#",
    "foaf": FOAF,
    "schema": SCHEMA,
    "time": "http://www.w3.org/2006/time#",
    "wd": WD,
}

#: Graph that holds the ontology itself when loaded from ``ontology/relgraph.ttl``.
ONTOLOGY_GRAPH = DEFAULT_BASE + "graph/relgraph"


def graph_iri(slug: str, *, base: str = DEFAULT_BASE) -> str:
    """The IRI of the named graph ``slug`` under ``base``."""
    return f"{base}graph/{slug}"
