"""Pages for people: home, search, the entity index, entity pages and pair pages (de/en/fr).

- ``/``: links to search, index, SPARQL, API, ontology, VoID and dumps.
- ``/search?q=``: labels in every language, case- and diacritics-insensitive
  ("Quebec" finds "Québec"); the label index is built once per data version.
- ``/entities`` and ``/entities/<type>`` (``type`` = the IRI path segment:
  city, region, org, agreement, ...).
- ``/id/<type>/<slug>.html`` (reached by 303 from the IRI, see
  :mod:`relgraph_server.linked_data`): the entity page.
- ``/relations/<type>/<slug>/<type>/<slug>``: everything between two entities,
  e.g. ``/relations/city/hamburg/region/quebec`` (agreements of the two and of
  institutions located in them).

Every table downloads as CSV with ``?format=csv&table=<name>``. The language is
``?lang=``, else ``Accept-Language``, else English; links keep an explicit
``?lang=``.
"""

from __future__ import annotations

import functools
import math
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, g, redirect, request
from werkzeug.wrappers import Response as WerkzeugResponse

from relgraph import facets, labelindex, relindex, spreadsheet
from relgraph.namespaces import PROV, RG
from relgraph.summary import (
    collect,
    field_counts,
    gather,
    gather_page,
    graph_quads,
    instances_of_kind,
    label,
    labels_of,
    network,
    normalize,
    pair_relations,
    relation_index,
    search_labels,
)

from . import facet_views
from .figures import home_figures, pair_figures, place_figures, section_query_links
from .i18n import language, messages
from .kinds import TYPES, kind_counts
from .kinds import class_labels as _class_labels
from .kinds import prefixes as _prefixes
from .kinds import run as _run
from .kinds import type_label as _type_label
from .kinds import type_of as _type_of
from .pages_model import PageModel, Paging, Table, build_page, build_pair
from .rendering import SUFFIXES, cached, not_found_page, wants_html
from .rendering import render as _render
from .runtime import runtime
from .urls import Urls, here, urls
from .urls import explicit_lang as _explicit_lang
from .version_memo import per_version

__all__ = ["bp", "entity_page", "kind_counts", "not_found_page"]

bp = Blueprint("pages", __name__)

# --- helpers --------------------------------------------------------------------------------


def _link(iri: str) -> str | None:
    # the request's Urls made once: a place page at 1M agreements links 7,600 IRIs (0.1-0.3 s of CPU each time)
    made: Urls | None = g.get("relgraph_urls")
    if made is None:
        made = g.relgraph_urls = urls()
    return made.page(iri)


def _link_key() -> tuple[str, str, str | None]:
    """What :func:`_link`'s addresses depend on besides the IRI (a key of parts kept per data version)."""
    made = urls()
    return made.base, made.root, made.lang


def _csv(table: Table, filename: str) -> Response:
    """One table as CSV: the labels as shown, source numbers in brackets, and the IRI of each row.

    Spreadsheet CSV (:mod:`relgraph.spreadsheet`): a UTF-8 BOM so that Excel keeps the accents,
    cells that would run as formulas neutralised.
    """
    rows = []
    for row in table.rows:
        values = []
        for cell in row:
            parts = []
            for item in cell:
                text = item.get("text", "")
                if item.get("post"):
                    text += " (" + "; ".join(p.get("text", "") for p in item["post"]) + ")"
                if item.get("refs"):
                    text = (text + " " if text else "") + "".join(f"[{n}]" for n in item["refs"])
                parts.append(text)
            values.append("; ".join(p for p in parts if p))
        first = row[0][0].get("iri", "") if row and row[0] else ""
        rows.append([*values, first])
    body = spreadsheet.csv_text([*table.columns, "IRI"], rows)
    response = Response(body, content_type=spreadsheet.MEDIA_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _csv_or_none(page: PageModel, stem: str) -> Response | None:
    if request.args.get("format") != "csv":
        return None
    name = request.args.get("table", "relations")
    table = page.table(name)
    if table is None:
        abort(404)
    return _csv(table, f"{stem}-{name}")


def _csv_links(page: PageModel) -> dict[str, str]:
    u, args = urls(), request.args.items()
    return {t.name: u.csv(here(), args, t.name) for t in page.tables}


# --- entity pages -----------------------------------------------------------------------------


def _graph_of_source(bundle: Any, iri: str) -> list[str]:
    return bundle.subjects(PROV + "wasDerivedFrom", iri)


#: Path types whose pages list relations (and split long lists into pages).
_RELATION_TYPES = ("city", "region", "country", "org", "site")


def _page_size() -> int:
    """``page_relations``: relations per page, and rows of the secondary tables."""
    return max(1, int(current_app.config["RELGRAPH"]["page_relations"]))


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        abort(400, description=f"page must be a whole number from 1, not {raw!r}")
    return int(raw)


def _paging(run: Any, iri: str) -> tuple[Paging | None, set[str]]:
    """The page of a long relations list that this request asks for, and the relations it leaves out.

    Ordered like the page orders them (kind, date, IRI), so page 2 goes on
    where page 1 stopped; ``None`` when everything fits on one page.
    """
    size = _page_size()
    number = _page_number()
    index = runtime().relation_index()  # the snapshot's relation index once built, else SPARQL
    own, held = relindex.relations(index, iri) if index is not None else relation_index(run, iri)
    if len(own) <= size and len(held) <= size:
        if number != 1:
            abort(404)
        return None, set()
    pages = max(math.ceil(len(own) / size), math.ceil(len(held) / size))
    if number > pages:
        abort(404)
    paging = Paging.of(
        own,
        held,
        number=number,
        pages=pages,
        size=size,
        fields=(lambda agreements: relindex.field_counts(index, agreements))
        if index is not None
        else (lambda agreements: field_counts(run, agreements)),
    )
    return paging, {r.iri for r in (*own, *held)} - paging.shown


def _paging_links(paging: Paging | None) -> dict[str, Any] | None:
    if paging is None:
        return None
    u, args = urls(), list(request.args.items())

    def href(n: int) -> str:
        return u.variant(here(), args, page=n)

    return {
        "number": paging.number,
        "pages": paging.pages,
        "own": (*paging.span(paging.own_total), paging.own_total),
        "held": (*paging.span(paging.held_total), paging.held_total),
        "prev": href(paging.number - 1) if paging.number > 1 else None,
        "next": href(paging.number + 1) if paging.number < paging.pages else None,
        "first": href(1),
        "last": href(paging.pages),
    }


def entity_page(iri: str, *, path_type: str | None = None) -> Response:
    """The HTML page (or a table as CSV) of any IRI the graph mentions.

    A place or organisation with more than ``page_relations`` relations gets
    its list in pages (``?page=N``); its CSV downloads hold every relation.
    """
    lang = language()
    t = messages(lang)
    run = _run()
    paging: Paging | None = None
    drop: set[str] = set()
    if path_type in _RELATION_TYPES and request.args.get("format") != "csv":
        paging, drop = _paging(run, iri)
    index = runtime().relation_index() if path_type in _RELATION_TYPES else None
    # labels from the relation index when it is built (one lookup; at 1M the map's 4,082 partners took 4.8 s)
    label_source = functools.partial(relindex.labels, index) if index is not None else None
    # a page of a long list: gathered from the relations it shows (the relation index knows them)
    if paging is not None:
        bundle = gather_page(run, iri, paging.shown, drop=drop, labels=label_source)
    else:
        bundle = gather(run, iri, drop=drop)
    # the map's and charts' numbers: the same for every request of a data version
    counts = per_version(("figures", iri), lambda: relindex.figures(index, iri)) if index is not None else None
    ranked = [p.iri for p in counts.partners] if counts is not None else None
    partners = network(run, iri, ranked=ranked) if path_type in _RELATION_TYPES else {}
    content: list[ox.Quad] = []
    if path_type == "graph":
        content = graph_quads(run, iri)
    elif path_type == "source":
        for graph in _graph_of_source(bundle, iri):
            content.extend(graph_quads(run, graph))
    missing = {q for p, qs in partners.items() for q in [p, *qs]}
    if paging is not None:
        missing |= set(paging.fields) | {k for k in paging.kind_totals if k not in ("cooperation", "other")}
    missing |= {x.value for q in content for x in (q.subject, q.predicate, q.object) if isinstance(x, ox.NamedNode)}
    missing -= set(bundle.labels)
    if missing:
        bundle.labels.update(label_source(missing) if label_source is not None else labels_of(run, missing))
    page = build_page(
        bundle,
        lang,
        t,
        _link,
        path_type=path_type,
        partners=partners,
        graph_content=content,
        paging=paging,
        row_limit=None if request.args.get("format") == "csv" else _page_size(),
    )
    csv_response = _csv_or_none(page, iri.rstrip("/").rsplit("/", 1)[-1])
    if csv_response is not None:
        return csv_response
    u, here = urls(), request.path.rsplit(".", 1)[0].lstrip("/")
    data_links = [
        (suffix.upper() if suffix != "jsonld" else "JSON-LD", u.document(here, suffix), media)
        for suffix, media in SUFFIXES.items()
        if suffix != "html"
    ]
    pair_links = []
    if page.kind in ("place", "org"):
        seen: set[str] = set()
        # partners of the relations on this page (the others are on theirs)
        candidates = [p for a in bundle.subjects(RG + "party", iri) for p in bundle.iris(a, RG + "party")]
        for p in candidates:
            if p != iri and p not in seen and p.startswith(u.instances):
                seen.add(p)
        for p in sorted(seen, key=lambda x: bundle.label(x, lang)):
            pair_links.append({"text": bundle.label(p, lang), "href": u.pair(iri, p)})
    from .partners import page_sections

    figures = None
    if page.kind in ("place", "org"):  # maps, charts: from the relation index once built
        figures = per_version(
            ("place_figures", iri, lang, *_link_key(), counts is not None),
            lambda: place_figures(run, iri, lang, _link, counts=counts, labels=label_source),
        )
    finder = page_sections(iri, lang, _link, labels=label_source) if page.kind == "place" else None
    net_position = _position(iri, lang) if page.kind in ("place", "org") else None
    if any(part is not None and part.get("pending") for part in (finder, net_position)):
        g.relgraph_pending = True  # not kept in the result cache (rendering._kept): built again once ready
    return _render(
        "pages/entity.html",
        lang=lang,
        page=page,
        net_position=net_position,
        partner_finder=finder,
        figures=figures,
        section_queries=section_query_links(  # "show the query" under each section
            [
                *(tbl.name for tbl in page.tables),
                *(["quotations"] if page.quotations else []),
                *(["fields"] if page.fields_glance else []),
                *(["sources"] if page.refs else []),
            ],
            iri,
            lang,
        ),
        csv_links=_csv_links(page),
        data_links=data_links,
        pair_links=pair_links,
        paging=_paging_links(paging),
        canonical=iri,
    )


def _position(iri: str, lang: str) -> dict[str, Any] | None:
    """The place's position in the network, or ``{"pending": True}`` while the network is computed."""
    from .background import background
    from .network import position

    if not background().ready("network"):
        return {"pending": True}
    return position(iri, lang)


@bp.route("/relations/<a_type>/<a_slug>/<b_type>/<b_slug>")
@cached
def pair(a_type: str, a_slug: str, b_type: str, b_slug: str) -> Response:
    u = urls()
    base = u.base
    lang = language()
    t = messages(lang)
    try:
        a = str(ox.NamedNode(f"{base}id/{a_type}/{a_slug}").value)
        b = str(ox.NamedNode(f"{base}id/{b_type}/{b_slug}").value)
    except ValueError:
        return not_found_page()
    rt = runtime()
    if not (rt.exists(a) and rt.exists(b)):
        return not_found_page(a)
    run = _run()
    agreements = pair_relations(run, a, b)
    bundle = collect(run, a, agreements, extra_labels=[a, b])
    page = build_pair(bundle, a, b, agreements, lang, t, _link)
    csv_response = _csv_or_none(page, f"{a_slug}-{b_slug}")
    if csv_response is not None:
        return csv_response
    return _render(
        "pages/pair.html",
        lang=lang,
        page=page,
        a={"text": bundle.label(a, lang), "href": _link(a), "iri": a},
        b={"text": bundle.label(b, lang), "href": _link(b), "iri": b},
        csv_links=_csv_links(page),
        swap=u.pair(b, a),
        figures=pair_figures(run, a, b, len(agreements), lang, _link),  # the two on the map
    )


# --- search and index ------------------------------------------------------------------------


#: Most search results shown, and most label matches ranked for them.
SEARCH_RESULTS, SEARCH_MATCHES = 100, 2000
#: Entities listed per page of ``/entities/<kind>``; ``/entities`` lists them all up to
#: ``ENTITY_OVERVIEW`` instances in total, else only the types with their counts.
ENTITY_PAGE, ENTITY_OVERVIEW = 500, 2000


@bp.route("/search")
@cached
def search() -> Response:
    """Labels in every language, case- and diacritics-insensitive, searched by the store per request."""
    lang = language()
    q = request.args.get("q", "").strip()[:200]
    results: list[dict[str, Any]] = []
    needle = normalize(q)
    if needle:
        run = _run()
        scores: dict[str, tuple[int, str]] = {}
        index = runtime().label_index(_prefixes())
        if index is not None:
            matches, source = labelindex.search(index, q, limit=SEARCH_MATCHES), "index"
        else:
            matches, source = search_labels(run, q, _prefixes(), limit=SEARCH_MATCHES), "store"
            # an embedded store's index is being built: keep this page only once the index answers it
            g.relgraph_pending = runtime().deployment.snapshot(runtime().engine.version) is not None
        for iri, lit in matches:
            norm = normalize(lit.value)
            if needle not in norm:  # the regex is a little wider than normalize (e.g. ligatures)
                continue
            score = 0 if norm == needle else 1 if norm.startswith(needle) else 2 if f" {needle}" in f" {norm}" else 3
            if iri not in scores or score < scores[iri][0]:
                scores[iri] = (score, lit.value)
        best = sorted(scores.items(), key=lambda kv: (kv[1][0], kv[1][1].casefold(), kv[0]))[: SEARCH_RESULTS * 2]
        labels = labels_of(run, [iri for iri, _ in best])
        classes = _class_labels()
        ranked = sorted(best, key=lambda kv: (kv[1][0], label(labels, kv[0], lang).casefold(), kv[0]))
        for iri, (_, matched) in ranked[:SEARCH_RESULTS]:
            shown = label(labels, iri, lang)
            results.append(
                {
                    "text": shown,
                    "matched": matched if normalize(matched) != normalize(shown) else None,
                    "href": _link(iri),
                    "type": _type_label(_type_of(iri), lang, classes),
                    "kind": _type_of(iri),
                    "iri": iri,
                }
            )
    results, facet_list = _search_facets(results, lang) if results else (results, [])
    response = _render("pages/search.html", lang=lang, q=q, results=results, facets=facet_list)
    if needle:
        response.headers["X-Relgraph-Search"] = source  # label index of the snapshot, or a scan by the store
    return response


def _facet_titles(lang: str) -> dict[str, str]:
    t = messages(lang)
    return {name: t[f"facet_{name}"] for name in facet_views.FILTERS}


def _facet_filters(*, allowed: tuple[str, ...] = facet_views.FILTERS) -> dict[str, str]:
    try:
        return facet_views.chosen(allowed=allowed)
    except ValueError as err:
        abort(400, description=str(err))


def _search_facets(results: list[dict[str, Any]], lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The results that have the chosen facet values, and the facets of all results (type, country, ...)."""
    selected = _facet_filters()
    run = _run()
    values = facets.facet_values(run, [r["iri"] for r in results])
    for r in results:
        values.setdefault(r["iri"], {})["type"] = {r["kind"]}
    counts = facets.tally(values, [r["iri"] for r in results])
    classes = _class_labels()
    groups = facet_views.facet_groups(
        run, counts, selected, lang, _facet_titles(lang), type_label=lambda k: _type_label(k, lang, classes)
    )
    kept = [r for r in results if all(v in values.get(r["iri"], {}).get(k, ()) for k, v in selected.items())]
    return kept, groups


def _overview_facets(
    run: Any, groups: list[dict[str, Any]], lang: str, classes: Any, *, listed: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The all-types index's groups that have the chosen facet values, and its facets.

    The type facet always (its counts are the types' totals, already counted). The others (country,
    kind, status, source) only when the index lists the entities (a graph of at most
    ``ENTITY_OVERVIEW``): they are read for the listed entities, as on the search; on a large graph
    the index is a table of contents and each type's own page has the full facets.
    """
    selected = _facet_filters(allowed=facet_views.FILTERS if listed else ("type",))
    others = {k: v for k, v in selected.items() if k != "type"}
    iris = [i["iri"] for grp in groups for i in grp["items"]]
    values = facets.facet_values(run, iris) if iris and listed else {}
    for grp in groups:
        for i in grp["items"]:
            values.setdefault(i["iri"], {})["type"] = {grp["kind"]}

    def keep(iri: str) -> bool:
        return all(v in values.get(iri, {}).get(k, ()) for k, v in others.items())

    kept = [i for i in iris if keep(i)]
    counts = facets.tally(values, kept) if listed else {}
    if not others:  # every type with its total (more than are listed on a large graph)
        counts["type"] = [(grp["kind"], grp["total"]) for grp in groups]
    facet_list = facet_views.facet_groups(
        run, counts, selected, lang, _facet_titles(lang), type_label=lambda k: _type_label(k, lang, classes)
    )
    out = []
    for grp in groups:
        if selected.get("type", grp["kind"]) != grp["kind"]:
            continue
        if others:
            items = [i for i in grp["items"] if keep(i["iri"])]
            if not items:
                continue
            sep = "&" if "?" in grp["href"] else "?"  # the type's page, with the same filters
            grp = {**grp, "items": items, "total": len(items), "href": grp["href"] + sep + urlencode(others)}
        out.append(grp)
    return out, facet_list


def _listed(run: Any, kind: str, lang: str, *, offset: int, limit: int) -> list[dict[str, Any]]:
    iris = instances_of_kind(run, _prefixes()[0], kind, offset=offset, limit=limit)
    labels = labels_of(run, iris)
    items = [{"text": label(labels, i, lang), "href": _link(i), "iri": i} for i in iris]
    return sorted(items, key=lambda x: (normalize(x["text"]), x["iri"]))


@bp.route("/entities")
@bp.route("/entities/<kind>")
@cached
def entities(kind: str | None = None) -> Response:
    """Every instance by type: a page per type, in pages of ``ENTITY_PAGE`` (IRI order, labels sorted within)."""
    lang = language()
    counts = kind_counts()
    if kind is not None and kind not in counts:
        return not_found_page()
    classes = _class_labels()
    run = _run()
    order = [k for k in TYPES if k in counts] + sorted(k for k in counts if k not in TYPES)
    number = _page_number() if kind is not None else 1
    pages = math.ceil(counts[kind] / ENTITY_PAGE) if kind is not None else 1
    if number > pages:
        abort(404)
    listed = kind is not None or sum(counts.values()) <= ENTITY_OVERVIEW
    selected = _facet_filters(allowed=facet_views.FILTERS[1:])
    facet_list: list[dict[str, Any]] = []
    cols: dict[str, Any] = {}
    groups: list[dict[str, Any]] = []
    for k in order if kind is None else [kind]:
        href = urls().entities(k)
        total = counts[k]
        if kind is not None and selected:  # a filtered listing (issue 15): the store filters and counts
            iris, total = facets.instances_where(
                run, _prefixes()[0], k, selected, offset=(number - 1) * ENTITY_PAGE, limit=ENTITY_PAGE
            )
            labels = labels_of(run, iris)
            items: list[dict[str, Any]] = sorted(
                ({"text": label(labels, i, lang), "href": _link(i), "iri": i} for i in iris),
                key=lambda x: (normalize(x["text"]), x["iri"]),
            )
        else:
            items = _listed(run, k, lang, offset=(number - 1) * ENTITY_PAGE, limit=ENTITY_PAGE) if listed else []
        groups.append({"kind": k, "title": _type_label(k, lang, classes), "href": href, "items": items, "total": total})
    if kind is None:
        groups, facet_list = _overview_facets(run, groups, lang, classes, listed=listed)
    if kind is not None:
        prefix = _prefixes()[0]
        counted = runtime().memo(f"pages.facets.{kind}", lambda: facet_views.kind_facet_counts(run, prefix, kind))
        facet_list = facet_views.facet_groups(run, counted, selected, lang, _facet_titles(lang))
        items = groups[0]["items"]
        cols = facet_views.columns(
            run, facets.facet_values(run, [i["iri"] for i in items]), [i["iri"] for i in items], lang
        )
        pages = max(1, math.ceil(groups[0]["total"] / ENTITY_PAGE))
    pager = None
    if kind is not None and pages > 1:
        u, args = urls(), list(request.args.items())
        pager = {
            "number": number,
            "pages": pages,
            "first_n": (number - 1) * ENTITY_PAGE + 1,
            "last_n": min(number * ENTITY_PAGE, groups[0]["total"]),
            "prev": u.variant(here(), args, page=number - 1) if number > 1 else None,
            "next": u.variant(here(), args, page=number + 1) if number < pages else None,
        }
    return _render(
        "pages/entities.html",
        lang=lang,
        groups=groups,
        kind=kind,
        pager=pager,
        facets=facet_list,
        cols=cols,
        col_names=[n for n in ("country", "kind", "status") if any(n in c for c in cols.values())],
    )


@bp.route("/")
def home() -> Response | WerkzeugResponse:
    """The home page for browsers; other clients go on to the endpoint (its service description)."""
    u = urls()
    if not wants_html():
        return redirect(u.sparql(), code=302)
    lang = language()
    base = u.base
    paths = ("city/hamburg", "region/quebec", "agreement/hamburg-quebec-strategic-partnership-2024")
    labels = labels_of(_run(), [f"{base}id/{path}" for path in paths])
    featured = []
    for path in paths:
        iri = f"{base}id/{path}"
        if iri in labels:
            featured.append({"text": label(labels, iri, lang), "href": _link(iri)})
    if f"{base}id/city/hamburg" in labels and f"{base}id/region/quebec" in labels:
        pair_href = u.pair(f"{base}id/city/hamburg", f"{base}id/region/quebec")
        names = [label(labels, base + path, lang) for path in ("id/city/hamburg", "id/region/quebec")]
        featured.append({"text": " × ".join(names), "href": pair_href})
    counts = kind_counts()
    classes = _class_labels()
    type_links = [
        {"text": _type_label(k, lang, classes), "n": counts[k], "href": u.entities(k)}
        for k in ("city", "region", "country", "org", "person", "agreement", "cooperation", "project", "source")
        if counts.get(k)
    ]
    figures = runtime().memo(
        f"pages.home-figures.{lang}.{_explicit_lang()}.{request.script_root}", lambda: home_figures(_run(), lang, _link)
    )
    return _render("pages/home.html", lang=lang, featured=featured, type_links=type_links, figures=figures)
