"""The network of the graph for researchers: ``/network`` (de/en/fr), ``/api/network/…`` (JSON) and exports.

Routes (every one takes ``kind`` and ``graph`` (repeatable), ``active_on``
(YYYY-MM-DD) and ``level`` (place, region, country)):

``GET /network``
    The figures and charts: degree distribution (log-log), top places and
    countries, the country-pair heat map, growth by year; a table behind
    every chart.
``GET /api/network/stats``, ``/top``, ``/communities``, ``/countries``, ``/node?iri=``
    The measures as JSON (:mod:`relgraph.network.measures`).
``GET /api/network/export?format=graphml|gexf|nodes.csv|edges.csv``
    A download for Gephi, Cytoscape or a spreadsheet.

The relations are read once per data version (on an embedded store from the
current snapshot with the grouped query, :mod:`relgraph.network.snapshot`; on a
remote one through the engine) and every network built from them is kept
(:class:`relgraph.network.NetworkCache`); the place pages' "position in the
network" uses the default network, so it costs a dictionary lookup per page.
"""

from __future__ import annotations

import logging
import os
import weakref
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request, stream_with_context, url_for

from relgraph.buildonce import give_back
from relgraph.errors import UsageError
from relgraph.network import (
    KINDS,
    LEVELS,
    Analysis,
    NetworkCache,
    NetworkSpec,
    RelationData,
    engine_rows,
    fetch,
    parse_spec,
)
from relgraph.network.export import batched, csv_chunks, gexf_chunks, graphml_chunks
from relgraph.network.geo import NetworkMap, network_map
from relgraph.network.shared import MappedAnalysis, load_shared, shared_analysis

from . import network_charts
from .errors import describe
from .figures import network_figure
from .i18n import LANGUAGES, language, messages
from .rendering import render
from .runtime import runtime
from .urls import urls

__all__ = ["analysis", "bp", "build_shared", "openapi_paths", "position"]

log = logging.getLogger(__name__)

bp = Blueprint("network", __name__)

_EXPORTS = {
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "nodes.csv": ("text/csv", "nodes.csv"),
    "edges.csv": ("text/csv", "edges.csv"),
}


class _ThreadEngine:
    """The engine of the thread that asks, looked up on each use: the network's labels are read later, on
    requests, and must go to the request workers, not to the background engine that loaded the network
    (busy for minutes with whole-graph work at a million agreements: the page waited for it)."""

    def __init__(self, rt: Any) -> None:
        self._rt = rt

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rt.engine, name)


def _cache() -> NetworkCache:
    found: NetworkCache = current_app.extensions.setdefault("relgraph_network", NetworkCache())
    return found


def analysis(spec: NetworkSpec | None = None) -> Analysis:
    """The analysis of ``spec`` (default: every agreement, all graphs, places) at the current data version."""
    rt = runtime()
    engine = rt.engine
    snapshot = rt.deployment.snapshot(engine.version)

    def read() -> RelationData:  # an embedded store: the snapshot itself, as the CLI reads a store
        from relgraph.errors import StoreError
        from relgraph.network.snapshot import read_snapshot

        assert snapshot is not None  # noqa: S101  # read is only passed with a snapshot
        try:
            return read_snapshot(snapshot, labels=engine_rows(_ThreadEngine(rt)))
        except StoreError:  # pruned meanwhile: through the engine
            log.exception("the network of snapshot %s is read through the engine", snapshot)
            return fetch(engine_rows(engine))

    cache, key = _cache(), rt.data_key()
    if snapshot is not None and not cache.holds(key):  # another HTTP process built it: its file (build_shared)
        found = load_shared(snapshot, labels=engine_rows(_ThreadEngine(rt)))
        if found is not None:
            cache.adopt(key, found)
    return cache.analysis(
        key, lambda: engine_rows(engine), spec or NetworkSpec(), read=read if snapshot is not None else None
    )


def build_shared() -> str:
    """The default network, built by one HTTP process per data version and loaded by the others (background).

    Returns how it came: "built", "loaded" (:mod:`relgraph.network.shared`) or "kept" (already there).
    """
    rt = runtime()
    engine = rt.engine
    snapshot = rt.deployment.snapshot(engine.version)
    key = rt.data_key()
    if snapshot is None or _cache().holds(key):  # a remote store: each process its own
        analysis()
        return "kept"
    found, how = shared_analysis(snapshot, analysis, labels=engine_rows(_ThreadEngine(rt)))
    if isinstance(found, MappedAnalysis):  # the builder too: its own copy is dropped, the folder mapped
        _cache().adopt(key, found)
        if how == "built":
            give_back()
    log.info("network of data version %s %s (snapshot %s, pid %s)", key, how, snapshot.name, os.getpid())
    return how


def _spec() -> NetworkSpec:
    args = request.args
    spec = parse_spec(
        kinds=args.getlist("kind"),
        graphs=args.getlist("graph"),
        active_on=args.get("active_on"),
        level=args.get("level") or None,
        option="",
    )
    return spec


def _checked(spec: NetworkSpec) -> Analysis:
    found = analysis(spec)
    unknown = [g for g in spec.graphs if g not in found.network.data.graphs.ids]
    if unknown:
        raise UsageError(f"graph {unknown[0]}: no relations are asserted in that graph")
    return found


def _limit(default: int, most: int = 1000) -> int:
    raw = request.args.get("limit", "")
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= most:
        raise UsageError(f"limit {raw[:20]!r}: a whole number from 1 to {most}")
    return int(raw)


def _json(data: Any, status: int = 200) -> Response:
    import json

    body = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    return Response(body, status=status, content_type="application/json; charset=utf-8")


@bp.errorhandler(Exception)
def _error(exc: Exception) -> Response:
    status, message, headers = describe(exc)
    if request.path.startswith("/api/"):
        response = _json({"error": {"status": status, "message": message}}, status)
    else:
        response = Response(message + "\n", status=status, content_type="text/plain; charset=utf-8")
    response.headers.update(headers)
    return response


def number(value: float | int | None, lang: str, pattern: str = "#,##0") -> str:
    """A number as the language writes it (20,730 · 20.730 · 20 730)."""
    from babel.numbers import format_decimal

    return "" if value is None else format_decimal(value, format=pattern, locale=lang)


def _lang_arg() -> str:
    lang = request.args.get("lang", "") or "en"
    if lang not in LANGUAGES:
        raise UsageError(f"lang {lang[:10]!r}: use one of {', '.join(LANGUAGES)}")
    return lang


# --- JSON ------------------------------------------------------------------------------------


@bp.route("/api/network/stats")
def api_stats() -> Response:
    found = _checked(_spec())
    return _json({"data_version": runtime().engine.version, **found.stats()})


@bp.route("/api/network/top")
def api_top() -> Response:
    by = request.args.get("by", "degree")
    if by not in ("degree", "betweenness", "pagerank"):
        raise UsageError("by: use degree, betweenness or pagerank")
    found = _checked(_spec())
    return _json({"by": by, "nodes": found.top(by, _limit(20), lang=_lang_arg())})


@bp.route("/api/network/communities")
def api_communities() -> Response:
    found = _checked(_spec())
    return _json(
        {
            "modularity": found.modularity,
            "count": len(set(found.communities.membership)),
            "communities": found.community_list(_limit(20), lang=_lang_arg()),
        }
    )


@bp.route("/api/network/countries")
def api_countries() -> Response:
    found = _checked(_spec())
    limit = _limit(100, 100_000)
    return _json({"countries": found.country_totals(limit), "pairs": found.country_matrix(limit)})


@bp.route("/api/network/node")
def api_node() -> Response:
    iri = request.args.get("iri", "")
    if not iri:
        raise UsageError("iri: the IRI of a place or organisation is required")
    found = _checked(_spec())
    v = found.network.vertex_of(iri)
    if v is None:
        return _json({"error": {"status": 404, "message": f"{iri[:200]} is not in this network"}}, 404)
    lang = _lang_arg()
    node = found.node(v, lang=lang)
    members = found.community_members(node["community"])
    node["community_size"] = len(members)
    node["community_members"] = [found.node(m, lang=lang) for m in members[:10] if m != v][:9]
    return _json(node)


@bp.route("/api/network/export")
def api_export() -> Response:
    fmt = request.args.get("format", "graphml")
    if fmt not in _EXPORTS:
        raise UsageError(f"format {fmt[:20]!r}: use one of {', '.join(_EXPORTS)}")
    found = _checked(_spec())
    lang = _lang_arg()
    if fmt == "graphml":
        chunks = graphml_chunks(found, lang=lang)
    elif fmt == "gexf":
        chunks = gexf_chunks(found, lang=lang)
    else:
        chunks = csv_chunks(found, fmt.split(".")[0], lang=lang)
    media, suffix = _EXPORTS[fmt]
    # streamed: a million links never sit in memory as one string
    response = Response(stream_with_context(batched(chunks)), content_type=f"{media}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="relgraph-network.{suffix}"'
    return response


# --- the place pages ---------------------------------------------------------------------------


def position(iri: str, lang: str) -> dict[str, Any] | None:
    """A place's or organisation's position in the default network, or None (not in it, or no network)."""
    try:
        found = analysis()
    except Exception:  # the place page stands without its network section
        log.exception("the network for the place pages could not be built")
        return None
    v = found.network.vertex_of(iri)
    if v is None:
        return None
    node = found.node(v, lang=lang)
    members = [m for m in found.community_members(node["community"]) if m != v]
    found.network.data.load_labels(found.network.vertices[m] for m in members[:12])
    explicit = request.args.get("lang") if request.args.get("lang") in LANGUAGES else None
    node["nodes"] = len(found.degrees)  # the vertices
    node["shown"] = {
        "rank": number(node["rank"], lang),
        "nodes": number(node["nodes"], lang),
        "percentile": number(node["pagerank_percentile"], lang, "0.0"),
        "members": number(len(members) + 1, lang),
    }
    node["community_size"] = len(members) + 1
    node["others"] = [
        {
            "text": found.network.data.label(found.network.vertices[m], lang),
            "href": urls(explicit).page(found.network.iri(m)),
        }
        for m in members[:12]
    ]
    node["href"] = url_for("network.page", lang=explicit) if explicit else url_for("network.page")
    return node


# --- the page ------------------------------------------------------------------------------------

#: the map of each analysis, made once (an analysis lives as long as its data version in the cache)
_MAPS: weakref.WeakKeyDictionary[Analysis, NetworkMap] = weakref.WeakKeyDictionary()


def _map_figure(found: Analysis, lang: str, explicit: str | None) -> dict[str, Any] | None:
    """The network on the world map (:func:`relgraph.network.geo.network_map`), labelled in ``lang``."""
    drawn = _MAPS.get(found)
    if drawn is None:
        drawn = _MAPS[found] = network_map(found)
    found.network.data.load_labels(n.node for n in drawn.nodes)
    names = {n.iri: found.network.data.label(n.node, lang) for n in drawn.nodes}
    return network_figure(drawn, lambda iri: names.get(iri, iri), urls(explicit).page)


def _labels(found: Analysis, iris: list[str]) -> None:
    ids = found.network.data.nodes.ids
    found.network.data.load_labels(ids[i] for i in iris if i in ids)


def _label(found: Analysis, iri: str, lang: str) -> str:
    node = found.network.data.nodes.ids.get(iri)
    return found.network.data.label(node, lang) if node is not None else iri.rsplit("/", 1)[-1]


@bp.route("/network")
def page() -> Response:
    lang = language()
    t = messages(lang)
    spec = _spec()
    found = _checked(spec)
    stats = found.stats()
    explicit = request.args.get("lang") if request.args.get("lang") in LANGUAGES else None
    _labels(found, [c["country"] for c in found.country_totals(20)])
    top = found.top("degree", 15, lang=lang)
    for row in top:
        row["href"] = urls(explicit).page(row["iri"])
        row["country_label"] = _label(found, row["country"], lang) if row["country"] else ""
    countries = found.country_totals(15)
    for row in countries:
        row["label"] = _label(found, row["country"], lang)
        row["href"] = urls(explicit).page(row["country"])
    heat_names = [c["country"] for c in found.country_totals(12)]
    index = {c: i for i, c in enumerate(heat_names)}
    cells = {}
    for pair in found.country_matrix():
        if pair["a"] in index and pair["b"] in index:
            i, j = sorted((index[pair["a"]], index[pair["b"]]))
            cells[(i, j)] = pair["links"]
    heat_labels = [_label(found, c, lang) for c in heat_names]
    pairs = found.country_matrix(20)
    for row in pairs:
        row["a_label"], row["b_label"] = _label(found, row["a"], lang), _label(found, row["b"], lang)
    growth = stats["growth"]
    charts = {
        "degrees": network_charts.loglog(
            stats["degree_distribution"],
            title=t["net_degree_distribution"],
            x_label=t["net_degree"],
            y_label=t["net_count"],
        ),
        "top": network_charts.bars([(r["label"], r["degree"]) for r in top], title=t["net_top_places"]),
        "countries": network_charts.bars([(r["label"], r["links"]) for r in countries], title=t["net_top_countries"]),
        "heat": network_charts.heatmap(heat_labels, cells, title=t["net_country_pairs"]),
        "growth": network_charts.line([(g["year"], g["total"]) for g in growth], title=t["net_growth"]),
    }
    in_lang = [("lang", explicit)] if explicit else []
    query = list(request.args.items(multi=True))
    exports = {
        fmt: url_for("network.api_export")
        + "?"
        + urlencode([*[(k, v) for k, v in query if k != "lang"], ("format", fmt)])
        for fmt in _EXPORTS
    }
    graphs = sorted(found.network.data.graphs.names)
    return render(  # the site's frame: messages, language switch, links in the language, licence
        "pages/network.html",
        lang=lang,
        spec=spec,
        stats=stats,
        top=top,
        countries=countries,
        pairs=pairs,
        growth=growth,
        charts=charts,
        net_map=_map_figure(found, lang, explicit),
        num=lambda value, pattern="#,##0": number(value, lang, pattern),
        exports=exports,
        kinds=list(KINDS),
        levels=LEVELS,
        graphs=graphs,
        api=url_for("network.api_stats") + ("?" + urlencode(query) if query else ""),
        in_lang=in_lang,
        data_version=runtime().engine.version,
    )


# --- OpenAPI ---------------------------------------------------------------------------------------


def openapi_paths() -> dict[str, Any]:
    """The ``/api/network/…`` operations for the API's OpenAPI document."""
    common = [
        {
            "name": "kind",
            "in": "query",
            "required": False,
            "description": "Relations that link (repeatable; default: every agreement).",
            "schema": {"type": "array", "items": {"type": "string", "enum": list(KINDS)}},
            "style": "form",
            "explode": True,
        },
        {
            "name": "graph",
            "in": "query",
            "required": False,
            "description": "Only relations asserted in these source graphs (IRIs, repeatable).",
            "schema": {"type": "array", "items": {"type": "string", "format": "uri"}},
            "style": "form",
            "explode": True,
        },
        {
            "name": "active_on",
            "in": "query",
            "required": False,
            "description": "Only relations in force on that day (undated ones are left out).",
            "schema": {"type": "string", "format": "date"},
        },
        {
            "name": "level",
            "in": "query",
            "required": False,
            "description": "Nodes: the parties (place), their regions or their countries.",
            "schema": {"type": "string", "enum": list(LEVELS), "default": "place"},
        },
    ]
    limit = {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": "How many.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 20},
    }
    lang = {
        "name": "lang",
        "in": "query",
        "required": False,
        "description": "Language of the labels.",
        "schema": {"type": "string", "enum": list(LANGUAGES), "default": "en"},
    }
    error = {
        "description": "error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    obj = {"application/json": {"schema": {"type": "object"}}}

    def op(op_id: str, summary: str, params: list[dict[str, Any]], content: dict[str, Any] | None = None) -> Any:
        return {
            "get": {
                "operationId": op_id,
                "summary": summary,
                "tags": ["network"],
                "parameters": common + params,
                "responses": {
                    "200": {"description": "the answer", "content": content or obj},
                    "400": error,
                    "503": error,
                },
            }
        }

    by = {
        "name": "by",
        "in": "query",
        "required": False,
        "description": "The ranking.",
        "schema": {"type": "string", "enum": ["degree", "betweenness", "pagerank"], "default": "degree"},
    }
    iri = {
        "name": "iri",
        "in": "query",
        "required": True,
        "description": "A place or organisation.",
        "schema": {"type": "string", "format": "uri"},
        "example": "https://w3id.org/relgraph/id/city/hamburg",
    }
    fmt = {
        "name": "format",
        "in": "query",
        "required": False,
        "description": "GraphML or GEXF (Gephi, Cytoscape), or the CSV node or edge list.",
        "schema": {"type": "string", "enum": list(_EXPORTS), "default": "graphml"},
    }
    node_op = op("network_node", "One node's position: degree, rank, centrality, community", [iri, lang])
    node_op["get"]["responses"]["404"] = error
    return {
        "/api/network/stats": op(
            "network_stats", "Measures of the network (size, components, paths, communities…)", []
        ),
        "/api/network/top": op("network_top", "The most central nodes", [by, limit, lang]),
        "/api/network/communities": op("network_communities", "Communities (Leiden) and their members", [limit, lang]),
        "/api/network/countries": op("network_countries", "Links per country and per pair of countries", [limit]),
        "/api/network/node": node_op,
        "/api/network/export": op(
            "network_export",
            "The network as GraphML, GEXF or CSV",
            [fmt, lang],
            {m: {"schema": {"type": "string"}} for m, _ in _EXPORTS.values()},
        ),
    }
