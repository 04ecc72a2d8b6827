"""The SPARQL behind each section of an entity page, as a person can run it in the editor (issue 15).

The pages build their sections from one collected bundle of quads (:func:`relgraph.summary.collect`),
not from one query per section; these queries select what a section shows (its rows and columns,
the page's labels and formatting aside) so that "show the query" under the section opens a query
that answers with that section's content. ``?x`` is the page's entity, bound by a ``VALUES`` line
(:func:`shown`); a test runs each one against the store and compares it with the page.

>>> "VALUES ?x { <https://w3id.org/relgraph/id/city/hamburg> }" in shown("statements", "https://w3id.org/relgraph/id/city/hamburg")
True
"""

from __future__ import annotations

from .namespaces import PROV, RDFS, RG, SCHEMA
from .summary import INFERRED_SUFFIX

__all__ = ["QUERIES", "shown"]

#: pages show what sources state: the reasoner's graph is left out, as the pages do
_STATED = f'FILTER(!STRENDS(STR(?graph), "{INFERRED_SUFFIX}"))'
_PREFIXES = f"PREFIX rg: <{RG}>\nPREFIX rdfs: <{RDFS}>\nPREFIX prov: <{PROV}>\nPREFIX schema: <{SCHEMA}>\n"

#: section name (a table's name, or quotations, fields, sources) → query; the first ``WHERE {``
#: ends its line (the ``VALUES`` line goes after it)
QUERIES: dict[str, str] = {
    name: _PREFIXES + text.replace("STATED", _STATED)
    for name, text in {
        "statements": """SELECT ?property ?value ?graph WHERE {
  GRAPH ?graph { ?x ?property ?value } STATED
} ORDER BY ?property ?value""",
        "incoming": """SELECT ?subject ?property ?graph WHERE {
  GRAPH ?graph { ?subject ?property ?x } FILTER(isIRI(?subject)) STATED
} ORDER BY ?property ?subject""",
        "institutions": """SELECT ?institution ?type ?agreement ?partner ?date WHERE {
  ?institution rg:locatedIn ?x . FILTER(?institution != ?x)
  OPTIONAL { ?institution a ?type }
  OPTIONAL {
    ?agreement rg:party ?institution
    OPTIONAL { ?agreement rg:party ?partner FILTER(?partner != ?institution) }
    OPTIONAL { ?agreement rg:signing/rg:date ?date }
  }
} ORDER BY ?institution ?date""",
        "signatories": """SELECT ?signatory ?post ?onBehalfOf WHERE {
  ?x rg:signing/rg:signature ?signature . ?signature rg:signatory ?signatory .
  OPTIONAL { ?signature rg:inPost ?post }
  OPTIONAL { ?signature rg:onBehalfOf ?onBehalfOf }
}""",
        "parts": """SELECT ?agreement ?type ?status ?field ?date WHERE {
  ?agreement rg:partOf ?x .
  OPTIONAL { ?agreement a ?type }
  OPTIONAL { ?agreement rg:status ?status }
  OPTIONAL { ?agreement rg:field ?field }
  OPTIONAL { ?agreement rg:signing/rg:date ?date }
} ORDER BY ?agreement""",
        "posts": """SELECT ?post ?from ?until ?attested WHERE {
  ?tenure rg:holder ?x ; rg:post ?post .
  OPTIONAL { ?tenure rg:startDate ?from }
  OPTIONAL { ?tenure rg:endDate ?until }
  OPTIONAL { ?tenure rg:attestedOn ?attested }
} ORDER BY ?from""",
        "tenures": """SELECT ?holder ?from ?until ?attested WHERE {
  ?tenure rg:post ?x ; rg:holder ?holder .
  OPTIONAL { ?tenure rg:startDate ?from }
  OPTIONAL { ?tenure rg:endDate ?until }
  OPTIONAL { ?tenure rg:attestedOn ?attested }
} ORDER BY ?from""",
        "agreements": """SELECT ?agreement ?post ?onBehalfOf ?date WHERE {
  ?signature rg:signatory ?x . ?signing rg:signature ?signature . ?agreement rg:signing ?signing .
  OPTIONAL { ?signature rg:inPost ?post }
  OPTIONAL { ?signature rg:onBehalfOf ?onBehalfOf }
  OPTIONAL { ?signing rg:date ?date }
} ORDER BY ?date""",
        "quotations": """SELECT ?quotation ?text ?speaker WHERE {
  { ?quotation rg:about ?x } UNION { ?quotation rg:speaker ?x }
  ?quotation rg:text ?text .
  OPTIONAL { ?quotation rg:speaker ?speaker }
}""",
        "fields": """SELECT ?field (COUNT(DISTINCT ?agreement) AS ?relations) WHERE {
  { ?agreement rg:party|rg:announcedBy ?x }
  UNION { ?institution rg:locatedIn ?x . ?agreement rg:party ?institution }
  ?agreement rg:field ?field .
} GROUP BY ?field ORDER BY DESC(?relations)""",
        "sources": """SELECT DISTINCT ?graph ?source ?url WHERE {
  { GRAPH ?graph { ?x ?p ?o } } UNION { GRAPH ?graph { ?s ?p ?x } } STATED
  ?graph prov:wasDerivedFrom ?source .
  OPTIONAL { ?source schema:url ?url }
} ORDER BY ?graph""",
    }.items()
}


def shown(name: str, iri: str) -> str:
    """The query of section ``name`` with ``?x`` bound to ``iri`` by a ``VALUES`` line.

    ``iri`` is one of the graph's own IRIs (a page's subject); one with characters an IRI cannot
    hold is refused, so nothing but an IRI ever lands in the text.
    """
    if any(c in iri for c in '<>"{}|^`\\ \n'):
        raise ValueError(f"not an IRI: {iri!r}")
    lines = QUERIES[name].splitlines()
    at = next(i for i, line in enumerate(lines) if line.endswith("WHERE {"))
    lines.insert(at + 1, f"  VALUES ?x {{ <{iri}> }}")
    return "\n".join(lines)
