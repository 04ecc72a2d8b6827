"""``/ontology``: the ontology for people (HTML in de/en/fr) and for machines (Turtle, RDF/XML, JSON-LD).

A self-contained Flask blueprint; it needs nothing else from the app::

    from relgraph_server.ontology_docs import blueprint
    app.register_blueprint(blueprint)

- ``GET /ontology`` (and ``/ontology/``) negotiates on ``Accept``: ``text/html``
  (browsers), ``text/turtle``, ``application/rdf+xml``, ``application/ld+json``;
  anything else is ``406`` with the list of what is offered. ``Vary: Accept``.
- ``/ontology.html``, ``.ttl``, ``.rdf``, ``.jsonld`` choose the format by suffix.
- The HTML language is ``?lang=de|en|fr``, else the best ``Accept-Language``,
  else English (``Vary: Accept-Language``).

The RDF is the bundled ontology, concept schemes and rules merged into one graph
(the same files ``relgraph load`` puts into the store); the HTML is
:func:`relgraph.docs.render_html`.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, Response, request, url_for

from relgraph.docs import LANGUAGES, load_ontology, render_html

try:
    from relgraph.conneg import negotiate
except ImportError:  # pragma: no cover - conneg ships with relgraph; kept for older trees
    negotiate = None  # type: ignore[assignment]

__all__ = ["FORMATS", "SUFFIXES", "blueprint"]

blueprint = Blueprint("ontology_docs", __name__)

#: media type → (rdflib serializer or "html", file suffix); the first is the default for */*.
FORMATS: dict[str, tuple[str, str]] = {
    "text/html": ("html", "html"),
    "text/turtle": ("turtle", "ttl"),
    "application/rdf+xml": ("xml", "rdf"),
    "application/ld+json": ("json-ld", "jsonld"),
}
#: aliases a client may ask for, answered with the canonical type
_ALIASES = {
    "application/xhtml+xml": "text/html",
    "application/x-turtle": "text/turtle",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
    "application/json": "application/ld+json",
}
SUFFIXES = {suffix: media for media, (_, suffix) in FORMATS.items()}
_OFFERED = (*FORMATS, *_ALIASES)


def _negotiate(accept: str | None) -> str | None:
    if negotiate is not None:
        chosen = negotiate(accept, _OFFERED)
    else:  # pragma: no cover
        chosen = _OFFERED[0] if not accept or "*/*" in accept else next((t for t in _OFFERED if t in accept), None)
    return _ALIASES.get(chosen, chosen) if chosen else None


@lru_cache(maxsize=8)
def _serialized(fmt: str, key: int) -> bytes:
    graph = load_ontology()
    data = graph.serialize(format=fmt, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def _language() -> str:
    asked = (request.args.get("lang") or "").strip().lower()
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES, default="en") or "en"


def _respond(media: str) -> Response:
    fmt, _ = FORMATS[media]
    if fmt == "html":
        lang = _language()
        body = render_html(
            lang,
            lang_href=lambda code: url_for("ontology_docs.ontology", lang=code),
            format_href=lambda suffix: url_for("ontology_docs.ontology_suffix", suffix=suffix),
        )
        response = Response(body, mimetype="text/html")
        response.headers["Content-Language"] = lang
        response.vary.add("Accept-Language")
    else:
        graph = load_ontology()
        response = Response(_serialized(fmt, id(graph)), mimetype=media)
        if media == "text/turtle":
            response.headers["Content-Type"] = "text/turtle; charset=utf-8"
    response.headers["Link"] = '<https://w3id.org/relgraph/ontology>; rel="describedby"'
    return response


@blueprint.get("/ontology")
def ontology() -> Response:
    media = _negotiate(request.headers.get("Accept"))
    if media is None:
        offered = ", ".join(FORMATS)
        response = Response(
            f"406 Not Acceptable: /ontology is offered as {offered} (or add .html, .ttl, .rdf, .jsonld)\n",
            status=406,
            mimetype="text/plain",
        )
    else:
        response = _respond(media)
    response.vary.add("Accept")
    return response


@blueprint.get("/ontology/")
def ontology_slash() -> Response:
    return ontology()


@blueprint.get("/ontology.<suffix>")
def ontology_suffix(suffix: str) -> Response:
    media = SUFFIXES.get(suffix.lower())
    if media is None:
        known = ", ".join("." + s for s in SUFFIXES)
        return Response(
            f"404 Not Found: no /ontology.{suffix}; use one of {known}\n", status=404, mimetype="text/plain"
        )
    return _respond(media)
