"""Figures of a place, an organisation or the whole graph: partners with coordinates, relations per
year and per kind, partners' countries. What the maps and charts of the pages draw (issue 15).

Each figure is one grouped SPARQL query (the grouping is the store's, so a city with hundreds of
partners or the whole world data costs one round trip); the entity is bound with substitutions,
never pasted into the text. The query texts are public (:data:`QUERIES`) so that a page can show
the SPARQL behind a figure and open it in the editor (:func:`shown_query`).

A relation here is an agreement or cooperation the entity is a party of (``rg:party``); its year is
the earliest signing date (else the start of validity), as on the relations table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from .engine.protocol import Term
from .namespaces import RDFS, RG
from .store.engines import profile
from .summary import Runner

__all__ = [
    "GEO",
    "QUERIES",
    "Counted",
    "Located",
    "coordinates",
    "partner_countries",
    "partners",
    "per_kind",
    "per_year",
    "shown_query",
    "top_places",
]

GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
_PREFIXES = f"PREFIX rg: <{RG}>\nPREFIX geo: <{GEO}>\nPREFIX rdfs: <{RDFS}>\n"

#: name → query; ``?x`` is the entity (bound by substitution, so it is projected), absent from the
#: whole-graph variants ``*_all``.
QUERIES: dict[str, str] = {
    "partners": _PREFIXES
    + """SELECT ?x ?partner ?relations (SAMPLE(?at) AS ?where) WHERE {
  { SELECT ?x ?partner (COUNT(DISTINCT ?a) AS ?relations) WHERE {
      ?a rg:party ?x , ?partner . FILTER(?partner != ?x)
    } GROUP BY ?x ?partner }
  LATERAL { OPTIONAL { ?partner geo:lat ?lat ; geo:long ?long } }
  BIND(CONCAT(STR(?lat), " ", STR(?long)) AS ?at)
} GROUP BY ?x ?partner ?relations ORDER BY DESC(?relations) ?partner""",
    #: ``partners`` in SPARQL 1.1, for engines without LATERAL (the coordinates are joined after grouping)
    "partners_standard": _PREFIXES
    + """SELECT ?x ?partner ?relations (SAMPLE(?at) AS ?where) WHERE {
  { SELECT ?x ?partner (COUNT(DISTINCT ?a) AS ?relations) WHERE {
      ?a rg:party ?x , ?partner . FILTER(?partner != ?x)
    } GROUP BY ?x ?partner }
  OPTIONAL { ?partner geo:lat ?lat ; geo:long ?long }
  BIND(CONCAT(STR(?lat), " ", STR(?long)) AS ?at)
} GROUP BY ?x ?partner ?relations ORDER BY DESC(?relations) ?partner""",
    "coordinates": _PREFIXES + "SELECT ?x ?lat ?long WHERE { ?x geo:lat ?lat ; geo:long ?long } LIMIT 1",
    "per_year": _PREFIXES
    + """SELECT ?x ?year (COUNT(?a) AS ?relations) WHERE {
  { SELECT ?x ?a (MIN(STR(?d)) AS ?first) WHERE {
      ?a rg:party ?x .
      OPTIONAL { ?a rg:signing/rg:date ?signed } OPTIONAL { ?a rg:validFrom ?from }
      BIND(COALESCE(?signed, ?from) AS ?d) FILTER(BOUND(?d))
    } GROUP BY ?x ?a }
  BIND(SUBSTR(?first, 1, 4) AS ?year)
} GROUP BY ?x ?year ORDER BY ?year""",
    "per_year_all": _PREFIXES
    + """SELECT ?year (COUNT(?a) AS ?relations) WHERE {
  { SELECT ?a (MIN(STR(?d)) AS ?first) WHERE {
      ?a rg:party [] .
      OPTIONAL { ?a rg:signing/rg:date ?signed } OPTIONAL { ?a rg:validFrom ?from }
      BIND(COALESCE(?signed, ?from) AS ?d) FILTER(BOUND(?d))
    } GROUP BY ?a }
  BIND(SUBSTR(?first, 1, 4) AS ?year)
} GROUP BY ?year ORDER BY ?year""",
    "per_kind": _PREFIXES
    + """SELECT ?x ?kind (COUNT(DISTINCT ?a) AS ?relations) WHERE {
  ?a rg:party ?x .
  OPTIONAL { ?a rg:agreementType ?type }
  OPTIONAL { ?a a rg:Cooperation BIND(rg:Cooperation AS ?coop) }
  BIND(COALESCE(?type, ?coop, rg:Agreement) AS ?kind)
} GROUP BY ?x ?kind ORDER BY DESC(?relations) ?kind""",
    "per_kind_all": _PREFIXES
    + """SELECT ?kind (COUNT(DISTINCT ?a) AS ?relations) WHERE {
  { SELECT DISTINCT ?a WHERE { ?a rg:party [] } }
  OPTIONAL { ?a rg:agreementType ?type }
  OPTIONAL { ?a a rg:Cooperation BIND(rg:Cooperation AS ?coop) }
  BIND(COALESCE(?type, ?coop, rg:Agreement) AS ?kind)
} GROUP BY ?kind ORDER BY DESC(?relations) ?kind""",
    "partner_countries": _PREFIXES
    + """SELECT ?x ?country (COUNT(DISTINCT ?a) AS ?relations) WHERE {
  ?a rg:party ?x , ?partner . FILTER(?partner != ?x)
  { ?partner rg:country ?country } UNION { ?partner a rg:Country BIND(?partner AS ?country) }
} GROUP BY ?x ?country ORDER BY DESC(?relations) ?country""",
    "partner_countries_all": _PREFIXES
    + """SELECT ?country (COUNT(DISTINCT ?a) AS ?relations) WHERE {
  ?a rg:party ?partner .
  { ?partner rg:country ?country } UNION { ?partner a rg:Country BIND(?partner AS ?country) }
} GROUP BY ?country ORDER BY DESC(?relations) ?country""",
    "relations": _PREFIXES
    + """SELECT ?x ?relation (SAMPLE(?k) AS ?kind) (SAMPLE(?p) AS ?partner) (MIN(STR(?d)) AS ?date) WHERE {
  ?relation rg:party ?x , ?p . FILTER(?p != ?x)
  OPTIONAL { ?relation rg:agreementType ?k }
  OPTIONAL { ?relation rg:signing/rg:date ?d }
} GROUP BY ?x ?relation ORDER BY ?date ?relation""",
    "top_places_all": _PREFIXES
    + """SELECT ?place (COUNT(DISTINCT ?a) AS ?relations) (SAMPLE(?at) AS ?where) WHERE {
  ?a rg:party ?place . ?place geo:lat ?lat ; geo:long ?long BIND(CONCAT(STR(?lat), " ", STR(?long)) AS ?at)
} GROUP BY ?place ORDER BY DESC(?relations) ?place LIMIT 300""",
}


@dataclass(frozen=True)
class Counted:
    iri: str  # or a year
    relations: int


@dataclass(frozen=True)
class Located:
    iri: str
    relations: int
    lat: float | None = None
    long: float | None = None


def _for_engine(name: str) -> str:
    """``name``, or its SPARQL 1.1 form when the configured engine has no LATERAL (Virtuoso, generic)."""
    if name + "_standard" in QUERIES and not profile().lateral:
        return name + "_standard"
    return name


def _run(run: Runner, name: str, iri: str | None) -> list[dict[str, Term]]:
    bindings: Mapping[str, Term] = {"x": ox.NamedNode(iri)} if iri is not None else {}
    return run(QUERIES[_for_engine(name) if iri is not None else name + "_all"], bindings)


def _at(value: Term | None) -> tuple[float | None, float | None]:
    """``"lat long"`` → floats; None when absent or out of range (a bad coordinate is not drawn)."""
    if value is None:
        return None, None
    try:
        lat, long = (float(x) for x in value.value.split())
    except ValueError:
        return None, None
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        return None, None
    return lat, long


def partners(run: Runner, iri: str) -> list[Located]:
    """The partners of ``iri`` with their number of shared relations and coordinates (if the graph has them)."""
    rows = _run(run, "partners", iri)
    return [Located(r["partner"].value, int(r["relations"].value), *_at(r.get("where"))) for r in rows]


def coordinates(run: Runner, iri: str) -> tuple[float, float] | None:
    rows = _run(run, "coordinates", iri)
    if not rows:
        return None
    lat, long = _at(ox.Literal(f"{rows[0]['lat'].value} {rows[0]['long'].value}"))
    return None if lat is None or long is None else (lat, long)


def top_places(run: Runner) -> list[Located]:
    """The 300 places with coordinates that have the most relations (the home page's map)."""
    rows = _run(run, "top_places", None)
    return [Located(r["place"].value, int(r["relations"].value), *_at(r.get("where"))) for r in rows]


def per_year(run: Runner, iri: str | None = None) -> list[Counted]:
    """Relations by the year of their earliest date, of ``iri`` or of the whole graph."""
    return [Counted(r["year"].value, int(r["relations"].value)) for r in _run(run, "per_year", iri) if "year" in r]


def per_kind(run: Runner, iri: str | None = None) -> list[Counted]:
    """Relations by agreement type (``rg:Cooperation``, else ``rg:Agreement`` when untyped)."""
    return [Counted(r["kind"].value, int(r["relations"].value)) for r in _run(run, "per_kind", iri)]


def partner_countries(run: Runner, iri: str | None = None) -> list[Counted]:
    """Relations by the partner's country (of ``iri``'s partners, or of every party in the graph)."""
    return [Counted(r["country"].value, int(r["relations"].value)) for r in _run(run, "partner_countries", iri)]


def shown_query(name: str, iri: str | None = None) -> str:
    """The text of a figure's query as a person can run it in the editor: ``?x`` bound by VALUES.

    Only for display: the pages run :data:`QUERIES` with substitutions. ``iri`` is one of the graph's
    own IRIs (a page's subject); one with characters an IRI cannot hold is refused.
    """
    if iri is None:
        return QUERIES[name + "_all"]
    if any(c in iri for c in '<>"{}|^`\\ \n'):
        raise ValueError(f"not an IRI: {iri!r}")
    values = f"VALUES ?x {{ <{iri}> }}"
    lines = QUERIES[_for_engine(name)].splitlines()
    for i, line in enumerate(lines):
        if "?x" not in line or (
            (line.lstrip().startswith("{ SELECT") or line.startswith("SELECT")) and "WHERE { " not in line
        ):
            continue  # a projection
        if "WHERE { " in line:  # a one-line query
            lines[i] = line.replace("WHERE { ", f"WHERE {{ {values} ", 1)
        else:
            lines.insert(i, line[: len(line) - len(line.lstrip())] + values)
        break
    return "\n".join(lines)
