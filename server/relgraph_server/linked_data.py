"""Dereferenceable IRIs ("Cool URIs"): ``/id/<type>/<slug>``, ``/concept/<scheme>/<slug>``, ``/graph/<slug>``.

The thing and the documents about it have different addresses:

- ``GET /id/city/hamburg`` (the IRI of Hamburg itself) answers **303 See
  Other** to a document chosen by ``Accept`` (``Vary: Accept``):
  ``/id/city/hamburg.html`` (the page, default for browsers, ``*/*`` and no
  Accept), ``.ttl`` (Turtle), ``.jsonld`` (JSON-LD), ``.nt`` (N-Triples),
  ``.rdf`` (RDF/XML), ``.trig`` / ``.nq`` (the same description, each quad in
  the named graph of the source that states it). ``Location`` is an absolute
  path on the host the request came to (``/id/...``), so it works on
  127.0.0.1 and behind a proxy that keeps the path.
- An ``Accept`` that allows none of these is **406** with the list of
  documents (as plain text, with ``Link`` headers).
- ``/id/city/hamburg.<suffix>`` is the document itself (200); an unknown
  suffix is 404 with the same list.
- An IRI the graph does not mention is **404** (an HTML page for browsers).

The instance IRI is always ``{base}{request path}`` with ``base`` the
configured public base (``relgraph.settings``, default
``https://w3id.org/relgraph/``), whatever host serves it. Concept IRIs are not
rebased by the loader, so ``/concept/...`` maps to the default base.

A data document holds every triple of the entity from every graph, the
triples that point at it, the labels of what it links to, and a description
of itself: ``foaf:primaryTopic``, ``void:inDataset``, ``dct:license`` and
one ``dct:source`` per graph that states something about it. Each of those
graphs (but the inferred one, which only restates them) gets its
``dct:license`` (its own, else CC BY 4.0) and ``cc:attributionName`` when it
gives one. The document's own ``dct:license`` is CC BY 4.0 when every cited
graph is; otherwise it names every licence of its parts and a ``dct:rights``
text says which source keeps which. The response's ``Link`` header has one
``rel="license"`` per licence.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, request
from werkzeug.wrappers import Response as BaseResponse

from relgraph.licences import DEFAULT_LICENSE as LICENSE
from relgraph.licences import DEFAULT_LICENSE_NAME as LICENSE_NAME
from relgraph.licences import Licence, graph_licences
from relgraph.namespaces import CC, DCT, FOAF, PREFIXES, RDF_TYPE, VOID
from relgraph.summary import INFERRED_SUFFIX, LABEL_PROPERTIES, engine_runner, labels_of, quads_from, quads_to

from .pages import entity_page
from .rendering import SUFFIXES, cached_page, choose_suffix, not_found
from .runtime import runtime
from .urls import Urls, dataset_iri, urls

__all__ = ["bp", "data_document"]

bp = Blueprint("linked_data", __name__)
_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdf": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}
_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

DOC_PREFIXES = {**PREFIXES, "void": VOID, "foaf": FOAF, "cc": CC}


def _iri_for(u: Urls, prefix: str, path: str) -> str:
    namespace = {"id": u.instances, "graph": u.base + "graph/", "concept": u.concepts}[prefix]
    return namespace + path


def _alternatives(u: Urls, path: str) -> list[str]:
    return [u.document(path, suffix) for suffix in SUFFIXES]


def _not_acceptable(u: Urls, path: str) -> Response:
    links = _alternatives(u, path)
    body = "406 Not Acceptable: this resource is available as\n" + "".join(
        f"  {SUFFIXES[href.rsplit('.', 1)[1]]:24} {href}\n" for href in links
    )
    response = Response(body, status=406, content_type="text/plain; charset=utf-8")
    response.headers["Link"] = ", ".join(
        f'<{href}>; rel="alternate"; type="{SUFFIXES[href.rsplit(".", 1)[1]]}"' for href in links
    )
    response.vary.add("Accept")
    return response


def _resource(prefix: str, path: str) -> BaseResponse:
    """The resource at ``/<prefix>/<path>``: a 303 to a document, a document, or a 404 (see the module docstring)."""
    parts = path.split("/")
    last = parts[-1]
    stem, dot, suffix = last.partition(".")
    if not all(_SEGMENT.match(p) for p in parts) or not stem or "." in suffix:
        return not_found()
    doc_path = "/".join([*parts[:-1], stem])
    u = urls()
    iri = _iri_for(u, prefix, doc_path)
    rt = runtime()
    if suffix == "html":  # the page, from the result cache: a kept page needs no existence check
        path_type = prefix if prefix in ("concept", "graph") else parts[0]
        return cached_page(lambda: entity_page(iri, path_type=path_type) if rt.exists(iri) else not_found(iri))
    if not rt.exists(iri):
        return not_found(iri)
    if not dot:
        chosen = choose_suffix(request.headers.get("Accept"))
        if chosen is None:
            return _not_acceptable(u, f"{prefix}/{doc_path}")
        location = u.document(f"{prefix}/{doc_path}", chosen)
        if request.query_string:
            location += "?" + request.query_string.decode("latin-1")
        response = redirect(location, code=303)
        response.vary.add("Accept")
        return response
    if suffix not in SUFFIXES:
        message = f"404 Not Found: no .{suffix} document; use one of " + ", ".join(
            _alternatives(u, f"{prefix}/{doc_path}")
        )
        return Response(message + "\n", status=404, content_type="text/plain; charset=utf-8")
    document = u.base + f"{prefix}/{doc_path}.{suffix}"
    body, licences = data_document(iri, document, suffix)
    response = Response(body, content_type=SUFFIXES[suffix] + ("; charset=utf-8" if suffix != "rdf" else ""))
    response.headers["Link"] = f'<{iri}>; rel="describes", ' + ", ".join(f'<{lic}>; rel="license"' for lic in licences)
    return response


def _licence_quads(doc: ox.NamedNode, graphs: list[str]) -> tuple[list[ox.Quad], list[str]]:
    """Licence and attribution of each cited graph, and the document's licence(s) (module docstring)."""
    default = ox.DefaultGraph()
    cited = [g for g in graphs if not g.endswith(INFERRED_SUFFIX)]
    found: dict[str, Licence] = graph_licences(engine_runner(runtime().engine), cited) if cited else {}
    quads = []
    licences = [LICENSE]
    others = []
    for g in cited:
        lic = found[g]
        quads.append(ox.Quad(ox.NamedNode(g), ox.NamedNode(DCT + "license"), ox.NamedNode(lic.license), default))
        if lic.attribution:
            quads.append(
                ox.Quad(ox.NamedNode(g), ox.NamedNode(CC + "attributionName"), ox.Literal(lic.attribution), default)
            )
        if not lic.default:
            others.append(lic)
            if lic.license not in licences:
                licences.append(lic.license)
    for href in licences:
        quads.append(ox.Quad(doc, ox.NamedNode(DCT + "license"), ox.NamedNode(href), default))
    if others:
        kept = "; ".join(
            f"{o.graph} ({o.name} <{o.license}>{', ' + o.attribution if o.attribution else ''})" for o in others
        )
        text = f"{LICENSE_NAME} <{LICENSE}>, except what these source graphs state, which keeps their licence: {kept}."
        quads.append(ox.Quad(doc, ox.NamedNode(DCT + "rights"), ox.Literal(text, language="en"), default))
    return quads, licences


def data_document(iri: str, document: str, suffix: str) -> tuple[bytes, list[str]]:
    """The description of ``iri`` in the format of ``suffix`` (see the module docstring), and its licences."""
    run = engine_runner(runtime().engine)
    out = quads_from(run, [iri])
    inc = quads_to(run, iri)
    linked = {q.object.value for q in out if isinstance(q.object, ox.NamedNode) and q.predicate.value != RDF_TYPE}
    linked |= {q.subject.value for q in inc if isinstance(q.subject, ox.NamedNode)}
    linked.discard(iri)
    labels = labels_of(run, linked)
    graphs = sorted({q.graph_name.value for q in out + inc if isinstance(q.graph_name, ox.NamedNode)})
    doc = ox.NamedNode(document)
    default = ox.DefaultGraph()
    meta = [
        ox.Quad(doc, ox.NamedNode(RDF_TYPE), ox.NamedNode(FOAF + "Document"), default),
        ox.Quad(doc, ox.NamedNode(FOAF + "primaryTopic"), ox.NamedNode(iri), default),
        ox.Quad(doc, ox.NamedNode(VOID + "inDataset"), ox.NamedNode(dataset_iri()), default),
        *(ox.Quad(doc, ox.NamedNode(DCT + "source"), ox.NamedNode(g), default) for g in graphs),
    ]
    licence_quads, licences = _licence_quads(doc, graphs)
    meta += licence_quads
    label_quads = [
        ox.Quad(ox.NamedNode(x), ox.NamedNode(p), lit, default)
        for x, found in sorted(labels.items())
        for p, lit in found
        if p in LABEL_PROPERTIES[:2]
    ]
    fmt = _FORMATS[suffix]
    if suffix in ("trig", "nq"):
        quads = [*meta, *out, *(q for q in inc if q not in out), *label_quads]
        body = ox.serialize(quads, format=fmt, prefixes=DOC_PREFIXES if suffix == "trig" else None)
        return body or b"", licences
    triples = list(dict.fromkeys(q.triple for q in [*meta, *out, *inc, *label_quads]))
    prefixes = DOC_PREFIXES if suffix in ("ttl", "rdf") else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes) or b"", licences


@bp.route("/id/<path:path>", methods=["GET", "HEAD"])
def instance(path: str) -> BaseResponse:
    return _resource("id", path)


@bp.route("/concept/<path:path>", methods=["GET", "HEAD"])
def concept(path: str) -> BaseResponse:
    return _resource("concept", path)


@bp.route("/graph/<path:path>", methods=["GET", "HEAD"])
def graph(path: str) -> BaseResponse:
    return _resource("graph", path)
