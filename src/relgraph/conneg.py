"""Content negotiation for the SPARQL endpoint: Accept headers and ``format=``.

Pure functions, no HTTP framework: the engine calls :func:`negotiate` once it
knows the kind of result (solutions, boolean or graph), the web layer may call
:func:`format_override` to turn a ``format=json`` parameter into an Accept value.

>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", SELECT_TYPES)
'application/sparql-results+xml'
>>> negotiate(None, GRAPH_TYPES)
'text/turtle'
>>> negotiate("image/png", GRAPH_TYPES) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .errors import NotAcceptable

__all__ = [
    "ASK_TYPES",
    "CANONICAL",
    "FORMAT_NAMES",
    "GRAPH_TYPES",
    "SELECT_TYPES",
    "MediaRange",
    "format_override",
    "negotiate",
    "parse_accept",
]

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"

#: What a SELECT can be answered in, server default first; aliases last.
SELECT_TYPES: tuple[str, ...] = (
    SPARQL_JSON,
    SPARQL_XML,
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
    "text/xml",
)
#: ASK results (pyoxigraph writes CSV/TSV booleans as ``true``/``false``).
ASK_TYPES: tuple[str, ...] = SELECT_TYPES
#: CONSTRUCT and DESCRIBE results, Turtle first.
GRAPH_TYPES: tuple[str, ...] = (
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
    "application/x-turtle",
    "text/plain",
    "application/json",
    "application/xml",
    "text/xml",
)

#: Alias media type → the media type of the serializer that produces it.
CANONICAL: dict[str, dict[str, str]] = {
    "results": {"application/json": SPARQL_JSON, "application/xml": SPARQL_XML, "text/xml": SPARQL_XML},
    "graph": {
        "application/x-turtle": "text/turtle",
        "text/plain": "application/n-triples",
        "application/json": "application/ld+json",
        "application/xml": "application/rdf+xml",
        "text/xml": "application/rdf+xml",
    },
}

#: ``format=`` names → an Accept value that works for every result kind.
FORMAT_NAMES: dict[str, str] = {
    "json": f"{SPARQL_JSON}, application/ld+json",
    "xml": f"{SPARQL_XML}, application/rdf+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "nq": "application/n-quads",
}


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header."""

    type: str
    subtype: str
    params: tuple[tuple[str, str], ...]
    q: float

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> tuple[int, int, int]:
        return (self.type != "*", self.subtype != "*", len(self.params))


def _parse_q(value: str) -> float:
    try:
        q = float(value)
    except ValueError:
        return 1.0
    return min(max(q, 0.0), 1.0) if q == q else 1.0  # NaN → 1


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed elements are skipped."""
    ranges = []
    for element in header.split(","):
        parts = [p.strip() for p in element.split(";")]
        main, sep, sub = parts[0].lower().partition("/")
        main, sub = main.strip(), sub.strip()
        if not sep or not main or not sub or (main == "*" and sub != "*"):
            continue
        q, params = 1.0, []
        for param in parts[1:]:
            name, _, value = param.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"')
            if name == "q":
                q = _parse_q(value)
                break  # what follows q are accept-extensions, not media type parameters
            if name:
                params.append((name, value))
        ranges.append(MediaRange(main, sub, tuple(params), q))
    return ranges


def _quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    best: MediaRange | None = None
    for r in ranges:
        if r.matches(media_type) and (best is None or r.specificity > best.specificity):
            best = r
    return best.q if best is not None else 0.0


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers most, or None if none is acceptable.

    Each offered type gets the q of the most specific matching range (exact type
    beats ``text/*`` beats ``*/*``); ``q=0`` means "not this". Ties go to the
    earliest offered type, i.e. the server's default. Media type parameters such
    as ``charset`` do not stop a range from matching. No or an empty Accept
    header accepts anything.
    """
    if not offered:
        return None
    if accept is None or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    best, best_q = None, 0.0
    for media_type in offered:
        q = _quality(ranges, media_type.lower())
        if q > best_q:
            best, best_q = media_type, q
    return best


def format_override(name: str) -> str:
    """An Accept value for a ``format=`` parameter (``json``, ``turtle``, or a media type).

    ``json`` and ``xml`` cover both result kinds: SPARQL JSON/XML for SELECT and
    ASK, JSON-LD/RDF-XML for CONSTRUCT and DESCRIBE.

    >>> format_override("csv")
    'text/csv'
    """
    key = name.strip().lower()
    if key in FORMAT_NAMES:
        return FORMAT_NAMES[key]
    if "/" in key and key in {t.lower() for t in (*SELECT_TYPES, *GRAPH_TYPES)}:
        return key
    known = ", ".join(FORMAT_NAMES)
    raise NotAcceptable(f"unknown format {name!r}; use one of {known} or a media type", offered=list(FORMAT_NAMES))
