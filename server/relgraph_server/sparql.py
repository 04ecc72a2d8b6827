"""The ``/sparql`` blueprint: SPARQL 1.1 Protocol queries.

GET without a query is the endpoint's front door: browsers (``Accept`` that
explicitly prefers ``text/html``) get the query page, everybody else the
SPARQL 1.1 Service Description. A GET with a query from a browser (the
page's form works without JavaScript) gets the query page with the result
table; add ``format=`` (json, xml, csv, tsv, turtle, ntriples, rdfxml,
jsonld; see ``relgraph.conneg.FORMAT_NAMES``) or send a machine ``Accept`` to get the raw result instead.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from relgraph.conneg import format_override

from . import service_description, ui
from .errors import HttpError
from .protocol import Operation, read_operation
from .runtime import runtime

__all__ = ["bp", "run_query", "wants_html"]

bp = Blueprint("sparql", __name__)

#: Machine types a client may prefer over HTML; on a tie (e.g. ``*/*``) they win.
_MACHINE_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "application/json",
    "application/xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "text/plain",
]
_HTML_TYPES = ["text/html", "application/xhtml+xml"]


def wants_html() -> bool:
    """True when ``Accept`` names HTML explicitly and ranks it above every machine type."""
    accept = request.accept_mimetypes
    if not any(value in _HTML_TYPES and q > 0 for value, q in accept):
        return False
    return accept.best_match([*_MACHINE_TYPES, *_HTML_TYPES]) in _HTML_TYPES


def requested_accept() -> str | None:
    """The Accept the engine negotiates with: ``format=`` (json, csv, turtle, ...) wins over the header."""
    fmt = request.args.get("format")
    return format_override(fmt) if fmt else request.headers.get("Accept")


def run_query(op: Operation, accept: str | None) -> tuple[str, bytes]:
    """Media type and complete body of ``op``, from the cache when it is enabled."""
    rt = runtime()
    engine = rt.engine
    key = None
    if rt.cache is not None:
        key = (engine.version, op.text, op.dataset_key(), accept)
        hit = rt.cache.get(key)
        if hit is not None:
            return hit
    result = engine.query(op.text, accept=accept, default_graph=op.default_graphs, named_graphs=op.named_graphs)
    if key is not None:
        rt.cache.put(key, result.media_type, result.body)
    return result.media_type, result.body


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    try:
        op = read_operation(request, "query")
    except HttpError as exc:
        if request.method == "GET" and wants_html():  # e.g. the page's form sent an empty query
            return ui.query_page(error=exc)
        raise
    if op is None:
        if wants_html() and "format" not in request.args:
            return ui.query_page()
        return service_description.response()
    if request.method == "GET" and "format" not in request.args and wants_html():
        return ui.query_page(op)
    media_type, body = run_query(op, requested_accept())
    response = Response(body, content_type=media_type)
    response.vary.add("Accept")
    return response
