"""The dataset description (VoID with DCAT) at ``/.well-known/void`` and the dumps at ``/dumps/``.

- ``GET /.well-known/void``: Turtle by default; ``Accept`` (or ``?format=``
  ttl, jsonld, nt, rdf, html) chooses JSON-LD, N-Triples, RDF/XML or an HTML
  view; an Accept that allows none of them is 406. ``Vary: Accept``.
  Title, description, publisher, licence, dates, triples, distinct subjects
  and objects, classes and properties (``void:classPartition`` /
  ``void:propertyPartition`` with counts), the SPARQL endpoint, the dumps,
  ``void:uriSpace``, example resources, vocabularies and a linkset to
  Wikidata (the number of ``skos:exactMatch`` links to ``wd:``). The numbers
  are computed once per data version.
- Sources (see :mod:`relgraph.licences`): one ``void:subset`` per source graph
  (``<dataset>-source-{slug}``, ``sd:name`` the graph IRI) with its title,
  ``dct:license`` (its own, else CC BY 4.0), ``cc:attributionName``,
  ``void:triples``, and a class partition ``void:class rg:Agreement`` whose
  ``void:entities`` is the number of relations it states (agreements it gives
  an ``rg:party`` of). Under that partition, ``…-only`` (another
  ``void:class rg:Agreement`` subset) counts the relations no other source
  states. The overlap of two sources is a ``void:Dataset`` of its own,
  ``<dataset>-overlap-{slugA}--{slugB}``, a ``void:subset`` of both sources'
  relation partitions, with ``void:class rg:Agreement`` and ``void:entities``
  = the relations both state (only pairs that share some are listed).
  The dataset's ``dct:license`` is CC BY 4.0 (relgraph's own data); its
  ``dct:rights`` (de/en/fr) names the subsets that keep another licence, and so
  do the dump distributions; a dump's ``Link`` header has one ``rel="license"``
  per licence in the data and ``rel="describedby"`` this description.
- ``GET /dumps/relgraph.nq.gz`` and ``/dumps/relgraph.trig.gz``: the whole
  dataset of the current version, over an embedded or a remote store (see
  :mod:`relgraph.dumps`). Over a remote store ``dct:modified`` is left out:
  the remote does not say when its data last changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, request, send_file, url_for

from relgraph import catalogs, dumps, settings
from relgraph.conneg import negotiate
from relgraph.engine import Row
from relgraph.licences import DEFAULT_LICENSE, RELATION_SOURCES, graph_licences, relation_sources
from relgraph.namespaces import CC, DCAT, DCT, FOAF, OWL, PROV, RDF, RDFS, RG, SCHEMA, SKOS, VOID, WD, XSD
from relgraph.summary import engine_runner

from .i18n import language, messages
from .rendering import render
from .runtime import runtime
from .urls import dataset_iri, public_base

__all__ = ["bp", "source_statistics", "void_graph"]

bp = Blueprint("void", __name__)

SD = "http://www.w3.org/ns/sparql-service-description#"

_TYPES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "html": "text/html",
}
_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdf": ox.RdfFormat.RDF_XML,
}
VOCABULARIES = (
    settings.ONTOLOGY_NS.rstrip("#"),
    SKOS,
    DCT,
    PROV,
    SCHEMA,
    RDFS,
    OWL,
)
EXAMPLES = ("city/hamburg", "region/quebec", "agreement/hamburg-quebec-strategic-partnership-2024")


def _select(sparql: str) -> list[Row]:
    return runtime().engine.select(sparql, timeout=120)


def _count(sparql: str) -> int:
    rows = _select(sparql)
    return int(rows[0]["n"].value) if rows else 0


def statistics() -> dict[str, Any]:
    """The numbers of the description, once per data version."""

    def compute() -> dict[str, Any]:
        return {
            "triples": _count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
            "subjects": _count("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
            "objects": _count("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
            "graphs": _count("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
            "classes": [
                (r["c"].value, int(r["n"].value))
                for r in _select(
                    "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c ORDER BY ?c"
                )
            ],
            "properties": [
                (r["p"].value, int(r["n"].value))
                for r in _select("SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?p ORDER BY ?p")
            ],
            "wikidata_links": _count(
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <http://www.w3.org/2004/02/skos/core#exactMatch> ?o } "
                f'FILTER(STRSTARTS(STR(?o), "{WD}")) }}'
            ),
            "issued": next(
                (
                    r["d"].value
                    for r in _select(
                        "SELECT (MIN(STR(?d)) AS ?d) WHERE { ?g a <https://w3id.org/relgraph/ontology#SourceGraph> ; "
                        "<http://purl.org/dc/terms/issued> ?d }"
                    )
                    if "d" in r
                ),
                None,
            ),
        }

    return runtime().memo("void.statistics", compute)


def _slug(graph: str) -> str:
    """A readable, stable fragment for a graph: its slug under ``{base}graph/``, else a hash."""
    prefix = public_base() + "graph/"
    rest = graph[len(prefix) :] if graph.startswith(prefix) else ""
    if rest and all(c.isalnum() or c in "-_." for c in rest):
        return rest
    import hashlib

    return "g" + hashlib.sha256(graph.encode("utf-8")).hexdigest()[:12]


def source_statistics() -> dict[str, Any]:
    """Per source graph: title, licence, attribution, triples, relations, relations only it states;
    and per pair of sources the relations both state. Once per data version (about 2 s for
    45,000 agreements in 40 graphs; see :mod:`relgraph.licences`)."""

    def compute() -> dict[str, Any]:
        graphs: dict[str, dict[str, Any]] = {}
        for r in _select(f"SELECT DISTINCT ?g WHERE {{ ?g a <{RG}SourceGraph> FILTER(isIRI(?g)) }}"):
            graphs[r["g"].value] = {"graph": r["g"].value, "titles": {}, "triples": 0}
        for r in _select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
            if r["g"].value in graphs:
                graphs[r["g"].value]["triples"] = int(r["n"].value)
        graphs = {g: info for g, info in graphs.items() if info["triples"]}
        for r in _select(f"SELECT ?g ?t WHERE {{ ?g a <{RG}SourceGraph> ; <{DCT}title> ?t }}"):
            info = graphs.get(r["g"].value)
            if info is not None:
                info["titles"].setdefault(getattr(r["t"], "language", None) or "", r["t"].value)
        licences = graph_licences(engine_runner(runtime().engine, timeout=120), graphs)
        overlap = relation_sources(
            {"graphs": r["graphs"].value, "n": r["n"].value} for r in _select(RELATION_SOURCES) if "graphs" in r
        )
        per_source, only = overlap.per_source(), overlap.only_in()
        for g, info in graphs.items():
            lic = licences[g]
            info.update(
                license=lic.license,
                license_name=lic.name,
                default_license=lic.default,
                attribution=lic.attribution,
                relations=per_source.get(g, 0),
                only=only.get(g, 0),
                slug=_slug(g),
            )
        return {
            "sources": sorted(graphs.values(), key=lambda i: i["graph"]),
            "pairs": [(g, h, n) for (g, h), n in overlap.pairs().items() if g in graphs and h in graphs],
            "by_number": overlap.by_number(),
        }

    return runtime().memo("void.sources", compute)


def _title(info: dict[str, Any], lang: str = "en") -> str:
    titles = info["titles"]
    return titles.get(lang) or titles.get("en") or titles.get("") or next(iter(titles.values()), info["graph"])


#: The HTML view's labels (moved into the gettext catalogs by tools/i18n_catalogs.py).
MESSAGES: dict[str, dict[str, str]] = catalogs.table("void")  # tools/i18n_catalogs.py

_RIGHTS = {
    "en": (
        "The data of relgraph is licensed CC BY 4.0, except these source graphs, which keep their own licence: {}.",
        "The data of relgraph is licensed CC BY 4.0.",
    ),
    "de": (
        "Die Daten von relgraph stehen unter CC BY 4.0, außer diesen Quellgraphen, "
        "die ihre eigene Lizenz behalten: {}.",
        "Die Daten von relgraph stehen unter CC BY 4.0.",
    ),
    "fr": (
        "Les données de relgraph sont sous licence CC BY 4.0, sauf ces graphes sources, qui gardent leur propre "
        "licence : {}.",
        "Les données de relgraph sont sous licence CC BY 4.0.",
    ),
}


def rights_texts(sources: list[dict[str, Any]]) -> dict[str, str]:
    """``dct:rights`` of the dataset and its dumps, per language: which sources keep another licence."""
    others = [s for s in sources if not s["default_license"]]
    out = {}
    for lang, (some, none) in _RIGHTS.items():
        if not others:
            out[lang] = none
            continue
        parts = []
        for s in others:
            credit = f", {s['attribution']}" if s["attribution"] else ""
            parts.append(f"{_title(s, lang)} <{s['graph']}> ({s['license_name']} <{s['license']}>{credit})")
        out[lang] = some.format("; ".join(parts))
    return out


def licences_in_data() -> list[str]:
    """Every licence of the data: CC BY 4.0 first, then those source graphs state."""
    found = [DEFAULT_LICENSE]
    for s in source_statistics()["sources"]:
        if not s["default_license"] and s["license"] not in found:
            found.append(s["license"])
    return found


def _modified() -> str | None:
    """When the published data last changed; None over a remote store, which does not say."""
    stamp = runtime().deployment.data_modified()
    if stamp is None:
        return None
    return dt.datetime.fromtimestamp(stamp, dt.UTC).date().isoformat()


def void_graph(root: str) -> list[ox.Triple]:
    """The VoID/DCAT description; ``root`` is the server's public address (``…/``)."""
    stats = statistics()
    base = public_base()
    ds = ox.NamedNode(dataset_iri())
    n, lit = ox.NamedNode, ox.Literal

    def integer(value: int) -> ox.Literal:
        return lit(str(value), datatype=n(XSD + "integer"))

    triples: list[ox.Triple] = []

    def add(s: Any, p: str, o: Any) -> None:
        triples.append(ox.Triple(s, n(p), o))

    add(n(root + ".well-known/void"), RDF + "type", n(VOID + "DatasetDescription"))
    add(n(root + ".well-known/void"), FOAF + "primaryTopic", ds)
    add(ds, RDF + "type", n(VOID + "Dataset"))
    add(ds, RDF + "type", n(DCAT + "Dataset"))
    for text, code in (
        ("relgraph: a knowledge graph of international relations", "en"),
        ("relgraph: ein Wissensgraph internationaler Beziehungen", "de"),
        ("relgraph : un graphe de connaissances des relations internationales", "fr"),
    ):
        add(ds, DCT + "title", lit(text, language=code))
    add(
        ds,
        DCT + "description",
        lit(
            "Partnerships, city twinning, memoranda of understanding and university and cluster partnerships "
            "between places and organisations, with signings, signatories and their posts, dates at their real "
            "precision, and one named graph per source document.",
            language="en",
        ),
    )
    publisher = n(base + "id/org/relgraph-contributors")
    add(ds, DCT + "publisher", publisher)
    add(publisher, RDF + "type", n(FOAF + "Organization"))
    add(publisher, FOAF + "name", lit("relgraph contributors"))
    add(ds, DCT + "license", n(DEFAULT_LICENSE))
    sources = source_statistics()
    rights = rights_texts(sources["sources"])
    for code, text in rights.items():
        add(ds, DCT + "rights", lit(text, language=code))
    if stats["issued"]:
        add(ds, DCT + "issued", lit(stats["issued"][:10], datatype=n(XSD + "date")))
    modified = _modified()
    if modified:
        add(ds, DCT + "modified", lit(modified, datatype=n(XSD + "date")))
    add(ds, VOID + "triples", integer(stats["triples"]))
    add(ds, VOID + "distinctSubjects", integer(stats["subjects"]))
    add(ds, VOID + "distinctObjects", integer(stats["objects"]))
    add(ds, VOID + "classes", integer(len(stats["classes"])))
    add(ds, VOID + "properties", integer(len(stats["properties"])))
    add(ds, VOID + "documents", integer(stats["graphs"]))
    add(ds, VOID + "sparqlEndpoint", n(root + "sparql"))
    add(ds, VOID + "uriSpace", lit(base + "id/"))
    add(ds, VOID + "uriLookupEndpoint", n(root + "search?q="))
    add(ds, VOID + "rootResource", n(base + "id/city/hamburg"))
    for path in EXAMPLES:
        add(ds, VOID + "exampleResource", n(base + "id/" + path))
    for vocab in VOCABULARIES:
        add(ds, VOID + "vocabulary", n(vocab))
    for fmt, (_, media) in dumps.FORMATS.items():
        url = n(root + f"dumps/relgraph.{fmt}.gz")
        add(ds, VOID + "dataDump", url)
        dist = n(root + f"dumps/relgraph.{fmt}.gz#distribution")
        add(ds, DCAT + "distribution", dist)
        add(dist, RDF + "type", n(DCAT + "Distribution"))
        add(dist, DCAT + "downloadURL", url)
        add(dist, DCAT + "mediaType", n("https://www.iana.org/assignments/media-types/" + media))
        add(dist, DCAT + "compressFormat", n("https://www.iana.org/assignments/media-types/application/gzip"))
        add(dist, DCT + "license", n(DEFAULT_LICENSE))
        for code, text in rights.items():
            add(dist, DCT + "rights", lit(text, language=code))
    for i, (cls, count) in enumerate(stats["classes"]):
        part = n(f"{dataset_iri()}-class-{i}")
        add(ds, VOID + "classPartition", part)
        add(part, VOID + "class", n(cls))
        add(part, VOID + "entities", integer(count))
    for i, (prop, count) in enumerate(stats["properties"]):
        part = n(f"{dataset_iri()}-property-{i}")
        add(ds, VOID + "propertyPartition", part)
        add(part, VOID + "property", n(prop))
        add(part, VOID + "triples", integer(count))
    linkset = n(dataset_iri() + "-wikidata")
    add(linkset, RDF + "type", n(VOID + "Linkset"))
    add(linkset, VOID + "subjectsTarget", ds)
    add(linkset, VOID + "objectsTarget", n("http://www.wikidata.org/entity/"))
    add(linkset, VOID + "linkPredicate", n(SKOS + "exactMatch"))
    add(linkset, VOID + "triples", integer(stats["wikidata_links"]))
    add(ds, VOID + "subset", linkset)
    _source_subsets(add, ds, sources, integer)
    return triples


def _source_subsets(add: Any, ds: ox.NamedNode, sources: dict[str, Any], integer: Any) -> None:
    """One ``void:subset`` per source graph, its relations, and the overlap of pairs (module docstring)."""
    n, lit = ox.NamedNode, ox.Literal
    root = dataset_iri()
    relations_of: dict[str, ox.NamedNode] = {}
    titles: dict[str, dict[str, Any]] = {}
    for s in sources["sources"]:
        node = n(f"{root}-source-{s['slug']}")
        rels = n(f"{root}-source-{s['slug']}-relations")
        relations_of[s["graph"]] = rels
        titles[s["graph"]] = s
        add(ds, VOID + "subset", node)
        add(node, RDF + "type", n(VOID + "Dataset"))
        add(node, SD + "name", n(s["graph"]))
        for code, text in s["titles"].items():
            add(node, DCT + "title", lit(text, language=code) if code else lit(text))
        add(node, DCT + "license", n(s["license"]))
        if s["attribution"]:
            add(node, CC + "attributionName", lit(s["attribution"]))
        add(node, VOID + "triples", integer(s["triples"]))
        add(node, VOID + "classPartition", rels)
        add(rels, VOID + "class", n(RG + "Agreement"))
        add(rels, VOID + "entities", integer(s["relations"]))
        if s["relations"]:
            only = n(f"{root}-source-{s['slug']}-only")
            add(rels, VOID + "subset", only)
            add(only, RDF + "type", n(VOID + "Dataset"))
            add(only, VOID + "class", n(RG + "Agreement"))
            add(only, VOID + "entities", integer(s["only"]))
            add(only, DCT + "description", lit(f"Relations only {_title(s)} states", language="en"))
    for g, h, count in sources["pairs"]:
        node = n(f"{root}-overlap-{titles[g]['slug']}--{titles[h]['slug']}")
        add(relations_of[g], VOID + "subset", node)
        add(relations_of[h], VOID + "subset", node)
        add(node, RDF + "type", n(VOID + "Dataset"))
        add(node, VOID + "class", n(RG + "Agreement"))
        add(node, VOID + "entities", integer(count))
        add(node, DCT + "source", n(g))
        add(node, DCT + "source", n(h))
        add(
            node,
            DCT + "description",
            lit(f"Relations both {_title(titles[g])} and {_title(titles[h])} state", language="en"),
        )


@bp.route("/.well-known/void", methods=["GET", "HEAD"])
def void_document() -> Response:
    fmt = request.args.get("format")
    if fmt is None:
        best = negotiate(request.headers.get("Accept"), list(_TYPES.values()))
        if best is None:
            response = Response(
                "406 Not Acceptable: the dataset description is available as " + ", ".join(_TYPES.values()) + "\n",
                status=406,
                content_type="text/plain; charset=utf-8",
            )
            response.vary.add("Accept")
            return response
        fmt = next(k for k, v in _TYPES.items() if v == best)
    if fmt not in _TYPES:
        return Response(
            f"unknown format {fmt!r}; use one of {', '.join(_TYPES)}\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    root = request.url_root
    triples = void_graph(root)
    prefixes = {"void": VOID, "dcat": DCAT, "dct": DCT, "foaf": FOAF, "xsd": XSD, "cc": CC, "sd": SD, "rg": RG}
    if fmt == "html":
        lang = language()
        turtle = (ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b"").decode("utf-8")
        return render(
            "pages/void.html",
            lang=lang,
            stats=statistics(),
            turtle=turtle,
            t_void=messages(lang)["void"],
            tv=MESSAGES[lang],
        )
    body = ox.serialize(triples, format=_FORMATS[fmt], prefixes=prefixes if fmt in ("ttl", "rdf") else None)
    response = Response(body, content_type=_TYPES[fmt] + ("; charset=utf-8" if fmt != "rdf" else ""))
    response.vary.add("Accept")
    return response


@bp.route("/dumps/<name>", methods=["GET", "HEAD"])
def dump(name: str) -> Response:
    fmt = {"relgraph.nq.gz": "nq", "relgraph.trig.gz": "trig"}.get(name)
    if fmt is None:
        return Response(
            "404 Not Found: the dumps are relgraph.nq.gz and relgraph.trig.gz\n",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    rt = runtime()
    version = rt.engine.version
    path = dumps.ensure_dump(rt.deployment, version, fmt, folder=rt.config.get("dumps_dir"))
    response = send_file(
        path, mimetype="application/gzip", as_attachment=True, download_name=name, etag=True, conditional=True
    )
    licences = ", ".join(f'<{lic}>; rel="license"' for lic in licences_in_data())
    response.headers["Link"] = f'{licences}, <{url_for("void.void_document")}>; rel="describedby"'

    return response
