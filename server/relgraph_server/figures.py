"""Maps and charts of the pages (issue 15): drawn on the server as inline SVG, no script, no tiles.

The map is an equirectangular projection over the bundled Natural Earth country outlines
(``static/vendor/world.svg``, built by ``tools/frontend``; x = (lon + 180) · 1000/360,
y = (90 − lat) · 500/180, the same formula as there). Partners are markers sized by their number
of relations (area ∝ relations), with a curved line from the place; each marker is a link (keyboard
and screen reader reach it, its ``<title>`` is the tooltip). Partners without coordinates are
listed beside the map, never dropped. Every chart has its table (``<details>``) and a link that
opens its query in the editor. The figures come from :mod:`relgraph.overview`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from relgraph import overview, relindex, section_queries
from relgraph.summary import LabelSource, label, labels_of

from .urls import urls

__all__ = ["home_figures", "network_figure", "pair_figures", "place_figures", "project", "section_query_links"]

WIDTH, HEIGHT = 1000, 500
#: the map shows latitudes 84° N to 58° S (Antarctica and the Arctic sea hold no partners)
TOP, BOTTOM = 84.0, -58.0
_UNPLACED_SHOWN = 40


def project(lat: float, long: float) -> tuple[float, float]:
    """Equirectangular position in the 1000 × 500 frame of ``world.svg``."""
    return round((long + 180) * WIDTH / 360, 1), round((90 - lat) * HEIGHT / 180, 1)


def _query_href(name: str, iri: str | None, lang: str) -> str:
    """The editor, opened with the figure's query (shown with the entity in a VALUES line)."""
    return urls().editor(overview.shown_query(name, iri), lang)


def section_query_links(names: Iterable[str], iri: str, lang: str) -> dict[str, str]:
    """The editor opened with the query of each section of an entity page (:mod:`relgraph.section_queries`)."""
    u = urls()
    return {name: u.editor(section_queries.shown(name, iri), lang) for name in names if name in section_queries.QUERIES}


def _map(
    center: tuple[str, float, float] | None,
    points: list[overview.Located],
    name: Callable[[str], str],
    link: Callable[[str], str | None],
    *,
    lines: bool,
    links: Iterable[tuple[str, str, int]] = (),
) -> dict[str, Any]:
    top_y, bottom_y = project(TOP, 0)[1], project(BOTTOM, 0)[1]
    most = max((p.relations for p in points), default=1)
    markers: list[dict[str, Any]] = []
    unplaced: list[dict[str, Any]] = []
    paths: list[str] = []
    cx = cy = None
    if center is not None:
        cx, cy = project(center[1], center[2])
    for p in points:
        entry = {"label": name(p.iri), "href": link(p.iri), "n": p.relations, "lat": p.lat, "long": p.long}
        if p.lat is None or p.long is None:
            unplaced.append(entry)
            continue
        x, y = project(p.lat, p.long)
        markers.append({**entry, "x": x, "y": y, "r": round(2.5 + 9 * math.sqrt(p.relations / most), 1)})
        if lines and cx is not None and cy is not None:
            mx, my = (cx + x) / 2, (cy + y) / 2
            bend = 0.18 * math.hypot(x - cx, y - cy)
            paths.append(f"M{cx} {cy} Q{round(mx, 1)} {round(my - bend, 1)} {x} {y}")
    at = {p.iri: project(p.lat, p.long) for p in points if p.lat is not None and p.long is not None}
    for a, b, _ in links:  # links between two markers (the network page), slightly bent
        if a in at and b in at:
            (ax, ay), (bx, by) = at[a], at[b]
            bend = 0.12 * math.hypot(bx - ax, by - ay)
            paths.append(f"M{ax} {ay} Q{round((ax + bx) / 2, 1)} {round((ay + by) / 2 - bend, 1)} {bx} {by}")
    markers.sort(key=lambda m: -m["r"])  # small markers on top of large ones
    # most relations first, then by name: the same list whether the points came from the relation
    # index or from SPARQL (their orders of equal counts differ), so a page is the same either way
    unplaced.sort(key=lambda m: (-m["n"], m["label"]))
    return {
        "width": WIDTH,
        "view": f"0 {top_y} {WIDTH} {round(bottom_y - top_y, 1)}",
        "top": top_y,
        "height": HEIGHT,
        "center": {"x": cx, "y": cy, "label": name(center[0])} if center is not None else None,
        "markers": markers,
        "lines": paths,
        "unplaced": unplaced[:_UNPLACED_SHOWN],
        "unplaced_more": max(0, len(unplaced) - _UNPLACED_SHOWN),
        "rows": sorted(markers, key=lambda m: (-m["n"], m["label"])),
    }


def _bars(items: list[tuple[str, str | None, int]], *, limit: int = 15) -> dict[str, Any] | None:
    """Horizontal bars, largest first (the table has them all)."""
    if not items:
        return None
    most = max(n for _, _, n in items) or 1
    shown = items[:limit]
    bars = [
        {"label": text, "href": href, "n": n, "y": i * 24, "w": round(max(1.0, 225 * n / most), 1)}
        for i, (text, href, n) in enumerate(shown)
    ]
    return {"bars": bars, "height": len(bars) * 24 + 4, "rows": items, "more": len(items) - len(shown)}


def _columns(counts: list[overview.Counted]) -> dict[str, Any] | None:
    """Columns per year, every year from the first to the last (years without relations at 0)."""
    years = {int(c.iri): c.relations for c in counts if c.iri.isdigit()}
    if not years:
        return None
    first, last = min(years), max(years)
    span = list(range(first, last + 1))
    most = max(years.values())
    step = 440 / len(span)
    cols = []
    for i, year in enumerate(span):
        n = years.get(year, 0)
        h = round(150 * n / most, 1)
        cols.append({"year": year, "n": n, "x": round(i * step, 1), "w": round(max(1.0, step * 0.8), 1), "h": h})
    every = 20 if len(span) > 60 else 10 if len(span) > 25 else 5 if len(span) > 8 else 1
    ticks = [c for c in cols if c["year"] % every == 0]
    if not ticks:
        ticks = [cols[0], cols[-1]]
    return {
        "cols": cols,
        "ticks": ticks,
        "most": most,
        "rows": [(y, n) for y, n in sorted(years.items())],
    }


def _labels(run: Any, iris: Iterable[str], lang: str, source: LabelSource | None = None) -> Callable[[str], str]:
    wanted = [i for i in set(iris) if i.startswith("http")]
    labels = source(wanted) if source is not None else labels_of(run, wanted)
    return lambda iri: label(labels, iri, lang)


def place_figures(
    run: Any,
    iri: str,
    lang: str,
    link: Callable[[str], str | None],
    *,
    counts: relindex.PlaceFigures | None = None,
    labels: LabelSource | None = None,
) -> dict[str, Any] | None:
    """Map of partners, relations per year and per kind, partners' countries of a place or organisation.

    ``counts``: the same numbers from the snapshot's relation index (:func:`relgraph.relindex.figures`);
    ``labels``: the labels from it too (:func:`relgraph.relindex.labels`: at a million agreements the map's
    4,082 partners' labels took 1–5 s in SPARQL).
    """
    if counts is not None:
        partners, years, kinds, countries = counts.partners, counts.per_year, counts.per_kind, counts.partner_countries
    else:
        partners = overview.partners(run, iri)
        years = overview.per_year(run, iri)
        kinds = overview.per_kind(run, iri)
        countries = overview.partner_countries(run, iri)
    if not (partners or years or kinds):
        return None
    here = overview.coordinates(run, iri)
    shown = [iri, *(p.iri for p in partners), *(k.iri for k in kinds), *(c.iri for c in countries)]
    name = _labels(run, shown, lang, labels)
    center = (iri, *here) if here is not None else None
    return {
        "scope": "place",
        "map": _map(center, partners, name, link, lines=True) if partners else None,
        "years": _columns(years),
        "kinds": _bars([(name(k.iri), link(k.iri), k.relations) for k in kinds]),
        "countries": _bars([(name(c.iri), link(c.iri), c.relations) for c in countries]),
        "queries": {
            n: _query_href(n, iri, lang) for n in ("partners", "per_year", "per_kind", "partner_countries", "relations")
        },
        "root": urls().root,
    }


def home_figures(run: Any, lang: str, link: Callable[[str], str | None]) -> dict[str, Any] | None:
    """The whole graph: the most connected places on the map, relations per year and kind, countries."""
    places = overview.top_places(run)
    years = overview.per_year(run)
    kinds = overview.per_kind(run)
    countries = overview.partner_countries(run)
    if not (places or years or kinds):
        return None
    name = _labels(run, [*(p.iri for p in places), *(k.iri for k in kinds), *(c.iri for c in countries)], lang)
    return {
        "scope": "home",
        "map": _map(None, places, name, link, lines=False) if places else None,
        "years": _columns(years),
        "kinds": _bars([(name(k.iri), link(k.iri), k.relations) for k in kinds]),
        "countries": _bars([(name(c.iri), link(c.iri), c.relations) for c in countries]),
        "queries": {
            "partners": _query_href("top_places", None, lang),
            **{n: _query_href(n, None, lang) for n in ("per_year", "per_kind", "partner_countries")},
        },
        "root": urls().root,
    }


def pair_figures(
    run: Any, a: str, b: str, relations: int, lang: str, link: Callable[[str], str | None]
) -> dict[str, Any] | None:
    """The two parties of a pair page on the map, with a line between them (``relations`` of theirs)."""
    if not relations:
        return None
    here, there = overview.coordinates(run, a), overview.coordinates(run, b)
    name = _labels(run, [a, b], lang)
    other = overview.Located(b, relations, *(there or (None, None)))
    drawn = _map((a, *here) if here is not None else None, [other], name, link, lines=True)
    if here is None:  # the first party, too, is listed beside the map, not dropped
        drawn["unplaced"].insert(0, {"label": name(a), "href": link(a), "n": relations, "lat": None, "long": None})
    return {"scope": "place", "map": drawn, "years": None, "kinds": None, "countries": None, "queries": {}}


def network_figure(drawn: Any, name: Callable[[str], str], link: Callable[[str], str | None]) -> dict[str, Any] | None:
    """The network page's map: its most connected nodes sized by degree, its strongest links as lines.

    ``drawn`` is a :class:`relgraph.network.geo.NetworkMap`; a marker's number is the node's degree
    (partners in the network), not its relations.
    """
    if not drawn.nodes:
        return None
    points = [overview.Located(n.iri, n.degree, n.lat, n.long) for n in drawn.nodes]
    return {
        "scope": "network",
        "map": _map(None, points, name, link, lines=False, links=[(x.a, x.b, x.weight) for x in drawn.links]),
        "queries": {},
    }
