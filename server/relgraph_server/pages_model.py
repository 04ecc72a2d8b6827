"""View models of the entity pages: what a :class:`relgraph.summary.Bundle` looks like to a reader.

Everything here is plain data for the templates (and for CSV): a *cell* is a
list of *items* (``text``, optional ``href``, ``lang``, ``refs`` = numbers of
the page's source list, ``cls``); a *table* has a name, a title, columns and
rows of cells. Sources are numbered once per page (:class:`Refs`), so every
fact can cite the graphs that state it, and two sources that disagree (a date
of 1979 and one of 1986) both show, each with its reference.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from relgraph.licences import is_default, licence_name
from relgraph.namespaces import RDF_TYPE, RG, SCHEMA, SKOS, XSD
from relgraph.summary import Bundle, format_date, local_name

__all__ = ["PageModel", "Paging", "Refs", "Table", "build_page", "build_pair", "relation_order"]

PLACE_CLASSES = ("Place", "City", "Region", "Country", "FederalState", "Province", "Site")
ORG_CLASSES = (
    "Organization",
    "GovernmentBody",
    "Ministry",
    "University",
    "ResearchCentre",
    "ResearchConsortium",
    "Cluster",
    "Association",
    "ChamberOfCommerce",
    "InternationalOrganization",
)
#: Order of the relation groups on a place or organisation page.
KIND_ORDER = (
    "strategic-partnership",
    "city-twinning",
    "development-partnership",
    "memorandum-of-understanding",
    "university-partnership",
    "cluster-partnership",
    "cooperation-agreement",
    "joint-declaration",
    "declaration-of-intent",
    "exchange-agreement",
    "friendship-agreement",
)
DATE_TYPES = {XSD + "date", XSD + "gYearMonth", XSD + "gYear", XSD + "dateTime"}
#: Properties the statements table shows last (or not at all).
HIDDEN = {RDF_TYPE}

Item = dict[str, Any]
Cell = list[Item]


@dataclass
class Table:
    name: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    groups: list[tuple[str, list[list[Cell]]]] = field(default_factory=list)  # optional grouped view
    group_totals: dict[str, int] = field(default_factory=dict)  # heading → relations on all pages
    total: int | None = None  # rows there are, when ``rows`` holds only the first of them


@dataclass
class Paging:
    """One page of a long relations list (see :func:`relgraph.summary.relation_index`)."""

    number: int  # 1-based
    pages: int
    size: int
    own_total: int  # relations of the entity itself, on all pages
    held_total: int  # relations of the institutions located in it, on all pages
    shown: set[str]  # agreement IRIs on this page
    kind_totals: dict[str, int]  # kind → relations of the entity itself, on all pages
    fields: dict[str, int]  # thematic field → relations, on all pages
    holders: set[str]  # institutions with a relation on some page

    @classmethod
    def of(
        cls,
        own: Sequence[Any],
        held: Sequence[Any],
        *,
        number: int,
        pages: int,
        size: int,
        fields: Callable[[list[str]], dict[str, int]],
    ) -> Paging:
        """Page ``number`` of the relations ``own`` and ``held`` (rows with ``iri``, ``kind``, ``date``,
        ``holder``), each list ordered as the page orders it; ``fields`` counts the fields of agreements."""
        shown: set[str] = set()
        for rows in (own, held):
            ordered = sorted(rows, key=lambda r: relation_order(r.kind, r.date, r.iri))
            shown |= {r.iri for r in ordered[(number - 1) * size : number * size]}
        return cls(
            number=number,
            pages=pages,
            size=size,
            own_total=len(own),
            held_total=len(held),
            shown=shown,
            kind_totals=dict(Counter(r.kind for r in own)),
            fields=fields([r.iri for r in own]),
            holders={r.holder for r in held if r.holder},
        )

    def span(self, total: int) -> tuple[int, int]:
        """First and last number (1-based) of the relations on this page, out of ``total``."""
        first = (self.number - 1) * self.size + 1
        return (min(first, total), min(self.number * self.size, total))


class Refs:
    """The numbered source list of one page."""

    def __init__(self, bundle: Bundle, link: Callable[[str], str | None], lang: str) -> None:
        self.bundle, self.link, self.lang = bundle, link, lang
        self.numbers: dict[str, int] = {}

    def cite(self, graphs: Iterable[str]) -> list[int]:
        out = []
        for g in graphs:
            if g not in self.numbers:
                self.numbers[g] = len(self.numbers) + 1
            out.append(self.numbers[g])
        return sorted(set(out))

    def entries(self) -> list[dict[str, Any]]:
        out = []
        for g, n in sorted(self.numbers.items(), key=lambda kv: kv[1]):
            info = self.bundle.sources.get(g, {})
            source = info.get("source")
            lic = info.get("license")
            out.append(
                {
                    "n": n,
                    "graph": g,
                    "title": self.bundle.label(g, self.lang),
                    "href": self.link(source) if source else self.link(g),
                    "graph_href": self.link(g),
                    "url": info.get("url"),
                    # only a licence other than relgraph's CC BY 4.0 is named in the list
                    "licence": None if lic is None or is_default(lic) else {"name": licence_name(lic), "href": lic},
                    "attribution": info.get("attribution") if not is_default(lic) else None,
                }
            )
        return out


@dataclass
class PageModel:
    iri: str
    kind: str  # place | org | agreement | person | source | graph | generic
    title: str
    type_labels: list[Item]
    facts: list[tuple[str, Cell]] = field(default_factory=list)  # the key facts box
    tables: list[Table] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    network: dict[str, Any] | None = None
    fields_glance: list[Item] = field(default_factory=list)
    quotations: list[dict[str, Any]] = field(default_factory=list)
    subject_groups: list[dict[str, Any]] = field(default_factory=list)
    refs: list[dict[str, Any]] = field(default_factory=list)
    alt_labels: list[Item] = field(default_factory=list)

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None)


class Ctx:
    def __init__(self, bundle: Bundle, lang: str, t: dict[str, str], link: Callable[[str], str | None]) -> None:
        self.b, self.lang, self.t, self.link = bundle, lang, t, link
        self.refs = Refs(bundle, link, lang)

    def L(self, iri: str) -> str:
        return self.b.label(iri, self.lang)

    def item(self, term: Any, graphs: Iterable[str] = (), **extra: Any) -> Item:
        refs = self.refs.cite(graphs) if graphs else []
        if isinstance(term, str):
            term = ox.NamedNode(term)
        if isinstance(term, ox.NamedNode):
            return {"text": self.L(term.value), "href": self.link(term.value), "iri": term.value, "refs": refs, **extra}
        if isinstance(term, ox.BlankNode):
            return {"text": f"_:{term.value}", "refs": refs, **extra}
        datatype = term.datatype.value if term.datatype is not None else ""
        if datatype in DATE_TYPES:
            return {"text": format_date(term, self.lang), "sort": term.value, "refs": refs, "cls": "date", **extra}
        if datatype == XSD + "boolean":
            return {"text": self.t["yes"] if term.value in ("true", "1") else self.t["no"], "refs": refs, **extra}
        return {"text": term.value, "lang": term.language, "refs": refs, **extra}

    def cell(self, s: str, p: str) -> Cell:
        return [self.item(term, graphs) for term, graphs in self.b.claims(s, p)]

    def iris_cell(self, iris: Iterable[str]) -> Cell:
        return [self.item(i) for i in dict.fromkeys(iris)]


def _class_names(b: Bundle, s: str) -> set[str]:
    return {t[len(RG) :] for t in b.types(s) if t.startswith(RG)}


def classify(b: Bundle, iri: str, path_type: str | None) -> str:
    names = _class_names(b, iri)
    if path_type in ("city", "region", "country", "site") or names & set(PLACE_CLASSES):
        return "place"
    if path_type == "org" or names & set(ORG_CLASSES):
        return "org"
    if path_type in ("agreement", "cooperation") or names & {"Agreement", "Cooperation"}:
        return "agreement"
    if path_type == "person" or "Person" in names:
        return "person"
    if path_type == "source" or "SourceDocument" in names:
        return "source"
    if path_type == "graph" or "SourceGraph" in names:
        return "graph"
    return "generic"


# --- relations ----------------------------------------------------------------------------


@dataclass
class Relation:
    iri: str
    kind: str  # concept IRI of the agreement type, "cooperation" or "other"
    row: dict[str, Cell]
    dates: list[tuple[Any, list[str]]]
    via: list[str] | None = None

    @property
    def sort_key(self) -> str:
        return min((d.value for d, _ in self.dates), default="9999")


def _signings(b: Bundle, a: str) -> list[str]:
    return b.iris(a, RG + "signing")


def relation(
    ctx: Ctx, a: str, exclude: Iterable[str] = (), via: list[str] | None = None, only: list[str] | None = None
) -> Relation:
    b = ctx.b
    signings = _signings(b, a)
    dates = [c for s in signings for c in b.claims(s, RG + "date")]
    if not dates:
        dates = b.claims(a, RG + "validFrom")
    excluded = set(exclude)
    partners = [p for p in b.iris(a, RG + "party") if p not in excluded and (only is None or p in only)]
    signatories: Cell = []
    for s in signings:
        for sig in b.iris(s, RG + "signature"):
            graphs = b.graphs_of(sig)
            for person in b.iris(sig, RG + "signatory"):
                posts = b.iris(sig, RG + "inPost")
                signatories.append(
                    ctx.item(person, graphs, post=[ctx.item(p) for p in posts], party=b.iris(sig, RG + "onBehalfOf"))
                )
    sources = list(dict.fromkeys([*b.graphs_of(a), *(g for s in signings for g in b.graphs_of(s))]))
    # the graphs that list the relation (give a party of it): one alone is shown as such
    listing = list(dict.fromkeys(_graph(q) for q in b.out(a) if q.predicate.value == RG + "party"))
    types = b.iris(a, RG + "agreementType")
    if types:
        kind = types[0]
    elif b.is_a(a, "Cooperation"):
        kind = "cooperation"
    else:
        kind = "other"
    date_cell = [ctx.item(d, graphs) for d, graphs in dates]
    if len({d.value for d, _ in dates}) > 1:
        date_cell.append({"text": ctx.t["sources_disagree"], "cls": "badge warn", "refs": []})
    row = {
        "agreement": [ctx.item(a)],
        "kind": [ctx.item(types[0])] if types else [{"text": ctx.t["cooperation"] if kind == "cooperation" else ""}],
        "partner": ctx.iris_cell(partners),
        "date": date_cell,
        "place": [ctx.item(t, g) for s in signings for t, g in b.claims(s, RG + "place")],
        "status": ctx.cell(a, RG + "status"),
        "fields": ctx.cell(a, RG + "field"),
        "signatories": signatories,
        "sources": _sources_cell(ctx, sources, listing),
        "via": ctx.iris_cell(via or []),
    }
    return Relation(a, kind, row, dates, via)


def _sources_cell(ctx: Ctx, sources: list[str], listing: list[str]) -> Cell:
    """The [n] of every source; "only in: …" when a single source lists the relation (gives its parties)."""
    if not sources:
        return []
    refs = ctx.refs.cite(sources)
    if len(listing) == 1:
        only = {"text": ctx.t["only_in"].format(source=ctx.L(listing[0])), "cls": "badge only-one", "refs": refs}
        return [{**only, "title": ctx.t["only_in_title"]}]
    return [{"text": "", "refs": refs}]


def _graph(q: ox.Quad) -> str:
    """The named graph of a bundle's quad (the bundle reads named graphs only)."""
    return q.graph_name.value if isinstance(q.graph_name, ox.NamedNode | ox.BlankNode) else ""


def _kind_rank(kind: str) -> tuple[int, str]:
    slug = local_name(kind)
    if slug in KIND_ORDER:
        return (KIND_ORDER.index(slug), slug)
    if kind == "cooperation":
        return (len(KIND_ORDER) + 1, slug)
    if kind == "other":
        return (len(KIND_ORDER) + 2, slug)
    return (len(KIND_ORDER), slug)


REL_COLUMNS = ("agreement", "kind", "partner", "date", "status", "fields", "signatories", "sources")


def relation_order(kind: str, date: str, iri: str) -> tuple[tuple[int, str], str, str]:
    """Sort key of a relation: by kind (``KIND_ORDER``), then earliest date, then IRI."""
    return (_kind_rank(kind), date, iri)


def relations_table(
    ctx: Ctx,
    relations: list[Relation],
    name: str = "relations",
    title: str | None = None,
    kind_totals: dict[str, int] | None = None,
) -> Table:
    t = ctx.t
    columns = [t["agreement"], t["kind"], t["partner"], t["date"], t["status"], t["fields"], t["signatories"]]
    columns.append(t["sources"])
    table = Table(name, title or t["relations_of"], columns)
    relations = sorted(relations, key=lambda r: relation_order(r.kind, r.sort_key, r.iri))
    for r in relations:
        table.rows.append([r.row[c] for c in REL_COLUMNS])
    groups: dict[str, list[list[Cell]]] = {}
    for r in relations:
        groups.setdefault(r.kind, []).append([r.row[c] for c in REL_COLUMNS])
    for kind, rows in groups.items():
        if kind == "cooperation":
            heading = t["cooperation"]
        elif kind == "other":
            heading = t["other"]
        else:
            heading = ctx.L(kind)
        heading = heading[:1].upper() + heading[1:]
        table.groups.append((heading, rows))
        if kind_totals is not None:
            table.group_totals[heading] = kind_totals.get(kind, len(rows))
    return table


def timeline(ctx: Ctx, relations: list[Relation]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for r in relations:
        disputed = len({d.value for d, _ in r.dates}) > 1
        for d, graphs in r.dates or [(None, [])]:
            entries.append(
                {
                    "sort": d.value if d is not None else "9999",
                    "year": d.value[:4] if d is not None else "",
                    "date": ctx.item(d, graphs) if d is not None else {"text": ctx.t["no_date"], "refs": []},
                    "relation": ctx.item(r.iri),
                    "partners": r.row["partner"],
                    "kind": r.row["kind"],
                    "disputed": disputed,
                }
            )
    entries.sort(key=lambda e: (e["sort"], e["relation"]["text"]))
    return entries


def network_model(ctx: Ctx, center: str, partners: dict[str, list[str]]) -> dict[str, Any] | None:
    """Positions of an inline SVG: the entity, its partners on a ring, their partners outside."""
    if not partners:
        return None
    width, height = 900, 600
    cx, cy = width / 2, height / 2
    inner = sorted(partners, key=ctx.L)
    outer: list[str] = []
    for p in inner:
        for q in sorted(partners[p], key=ctx.L):
            if q not in partners and q != center and q not in outer:
                outer.append(q)
    r1, r2 = 160.0, 270.0
    nodes: dict[str, dict[str, Any]] = {center: {"x": cx, "y": cy, "ring": 0}}
    for i, p in enumerate(inner):
        angle = 2 * math.pi * i / len(inner) - math.pi / 2
        nodes[p] = {"x": cx + r1 * math.cos(angle), "y": cy + r1 * math.sin(angle), "ring": 1, "angle": angle}
    # outer nodes: evenly round the whole circle, in the order of the partner that links them,
    # turned so that they sit as close as possible to their partners
    parents = [next(p for p in inner if q in partners[p]) for q in outer]
    if outer:
        step = 2 * math.pi / len(outer)
        wanted = [nodes[p]["angle"] for p in parents]
        shift = math.atan2(
            sum(math.sin(w - i * step) for i, w in enumerate(wanted)),
            sum(math.cos(w - i * step) for i, w in enumerate(wanted)),
        )
        for i, q in enumerate(outer):
            angle = shift + i * step
            nodes[q] = {"x": cx + r2 * math.cos(angle), "y": cy + r2 * math.sin(angle), "ring": 2, "angle": angle}
    edges = [(center, p) for p in inner]
    for p in inner:
        edges.extend((p, q) for q in partners[p] if q in nodes and q != center and (q, p) not in edges)
    out_nodes = []
    for iri, n in nodes.items():
        anchor = "middle"
        if n["ring"]:
            cos = math.cos(n["angle"])
            anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        dy = 4
        if n["ring"] and anchor == "middle":
            dy = 20 if math.sin(n["angle"]) > 0 else -12
        dx = 0 if anchor == "middle" else (12 if anchor == "start" else -12)
        text = ctx.L(iri)
        if len(text) > 34:
            text = text[:32] + "…"
        out_nodes.append(
            {
                "x": round(n["x"], 1),
                "y": round(n["y"], 1),
                "ring": n["ring"],
                "label": text,
                "title": ctx.L(iri),
                "href": ctx.link(iri),
                "anchor": anchor,
                "dx": dx,
                "dy": dy,
            }
        )
    out_edges = [
        {
            "x1": round(nodes[a]["x"], 1),
            "y1": round(nodes[a]["y"], 1),
            "x2": round(nodes[b]["x"], 1),
            "y2": round(nodes[b]["y"], 1),
            "ring": max(nodes[a]["ring"], nodes[b]["ring"]),
        }
        for a, b in edges
    ]
    return {"width": width, "height": height, "nodes": out_nodes, "edges": out_edges}


# --- generic parts ------------------------------------------------------------------------------


def statements(ctx: Ctx, s: str) -> Table:
    t = ctx.t
    table = Table("statements", t["statements"], [t["property"], t["value"], t["sources"]])
    by_p: dict[str, list[Item]] = {}
    graphs_by_p: dict[str, list[str]] = {}
    for q in ctx.b.out(s):
        p = q.predicate.value
        by_p.setdefault(p, [])
        graphs_by_p.setdefault(p, [])
    for p in by_p:
        for term, graphs in ctx.b.claims(s, p):
            by_p[p].append(ctx.item(term, graphs))
            graphs_by_p[p].extend(g for g in graphs if g not in graphs_by_p[p])
    order = sorted(by_p, key=lambda p: ((p == RDF_TYPE and 0) or 1, ctx.L(p)))
    for p in order:
        table.rows.append([[ctx.item(p)], by_p[p], [{"text": "", "refs": ctx.refs.cite(graphs_by_p[p])}]])
    return table


def incoming(ctx: Ctx, s: str, limit: int | None = None) -> Table:
    """Links to ``s``: at most ``limit`` rows (``total`` counts them all), so only shown rows cite sources."""
    t = ctx.t
    table = Table("incoming", t["incoming"], [t["subject"], t["property"], t["sources"]])
    seen: dict[tuple[str, str], list[str]] = {}
    for q in ctx.b.incoming(s):
        if isinstance(q.subject, ox.NamedNode):
            seen.setdefault((q.subject.value, q.predicate.value), []).append(_graph(q))
    table.total = len(seen)
    ordered = sorted(seen.items(), key=lambda kv: (ctx.L(kv[0][1]), ctx.L(kv[0][0])))
    for (subj, p), graphs in ordered[:limit]:
        table.rows.append([[ctx.item(subj)], [ctx.item(p)], [{"text": "", "refs": ctx.refs.cite(graphs)}]])
    return table


def _alt_labels(ctx: Ctx, s: str, title: str) -> list[Item]:
    seen = {title}
    out = []
    for _prop, lit in ctx.b.labels.get(s, []):
        if lit.value in seen:
            continue
        seen.add(lit.value)
        out.append({"text": lit.value, "lang": lit.language})
    return out


def _facts_box(ctx: Ctx, s: str, props: Iterable[tuple[str, str]]) -> list[tuple[str, Cell]]:
    out = []
    for key, p in props:
        cell = ctx.cell(s, p)
        if cell:
            out.append((ctx.t.get(key, key) if key in ctx.t else ctx.L(p), cell))
    return out


# --- pages --------------------------------------------------------------------------------------


def build_page(
    bundle: Bundle,
    lang: str,
    t: dict[str, str],
    link: Callable[[str], str | None],
    *,
    path_type: str | None = None,
    partners: dict[str, list[str]] | None = None,
    graph_content: list[ox.Quad] | None = None,
    paging: Paging | None = None,
    row_limit: int | None = None,
) -> PageModel:
    """The view model of one entity page; with ``paging``, one page of a long relations list.

    ``row_limit``: most rows of the secondary tables (links to the entity) on an HTML page.
    """
    ctx = Ctx(bundle, lang, t, link)
    b, s = bundle, bundle.iri
    kind = classify(b, s, path_type)
    title = ctx.L(s)
    types = [ctx.item(c) for c in b.types(s)]
    page = PageModel(s, kind, title, types, alt_labels=_alt_labels(ctx, s, title))
    general = [
        ("country", RG + "country"),
        ("located_in", RG + "locatedIn"),
        ("wikidata", SKOS + "exactMatch"),
        ("web", SCHEMA + "url"),
    ]
    page.facts = _facts_box(ctx, s, general)

    if kind in ("place", "org"):
        agreements = b.subjects(RG + "party", s)
        agreements += [x for x in b.subjects(RG + "announcedBy", s) if x not in agreements]
        if paging is not None:
            agreements = [a for a in agreements if a in paging.shown]
        rels = [relation(ctx, a, exclude=[s]) for a in agreements]
        page.tables.append(relations_table(ctx, rels, kind_totals=paging.kind_totals if paging else None))
        page.timeline = timeline(ctx, rels)
        page.network = network_model(ctx, s, partners or {})
        counts: Counter[str] = Counter()
        if paging is not None:
            counts.update(paging.fields)
        else:
            for a in agreements:
                counts.update(dict.fromkeys(b.iris(a, RG + "field"), 1))
        page.fields_glance = [
            {**ctx.item(f), "count": n} for f, n in sorted(counts.items(), key=lambda kv: (-kv[1], ctx.L(kv[0])))
        ]
        institutions = [i for i in b.subjects(RG + "locatedIn", s) if i != s]
        inst = Table(
            "institutions",
            t["institutions"],
            [t["institution"], t["type"], t["agreement"], t["partner"], t["date"], t["sources"]],
        )
        if paging is not None:  # institutions whose relations are all on other pages are listed there
            institutions = [i for i in institutions if paging.number == 1 or i in paging.holders]
        for i in sorted(institutions, key=ctx.L):
            own = b.subjects(RG + "party", i)
            if paging is not None:
                own = [a for a in own if a in paging.shown]
                if not own and i in paging.holders:
                    continue
            if not own:
                inst.rows.append([[ctx.item(i)], ctx.iris_cell(b.types(i)), [], [], [], []])
            for a in own:
                r = relation(ctx, a, exclude=[i])
                cells = [r.row["agreement"], r.row["partner"], r.row["date"], r.row["sources"]]
                inst.rows.append([[ctx.item(i)], ctx.iris_cell(b.types(i)), *cells])
        if inst.rows:
            page.tables.append(inst)
    elif kind == "agreement":
        signings = _signings(b, s)
        facts: list[tuple[str, Cell]] = []
        facts.append((t["parties"], ctx.cell(s, RG + "party")))
        facts.append((t["kind"], ctx.cell(s, RG + "agreementType")))
        facts.append((t["status"], ctx.cell(s, RG + "status")))
        facts.append((t["fields"], ctx.cell(s, RG + "field")))
        dates = [c for sg in signings for c in b.claims(sg, RG + "date")]
        date_cell = [ctx.item(d, g) for d, g in dates]
        if len({d.value for d, _ in dates}) > 1:
            date_cell.append({"text": t["sources_disagree"], "cls": "badge warn", "refs": []})
        facts.append((t["signed"], date_cell))
        facts.append((t["place"], [ctx.item(x, g) for sg in signings for x, g in b.claims(sg, RG + "place")]))
        facts.append((t["valid_from"], ctx.cell(s, RG + "validFrom")))
        facts.append((t["valid_until"], ctx.cell(s, RG + "validUntil")))
        facts.append((t["time_limited"], ctx.cell(s, RG + "timeLimited")))
        facts.append((t["part_of"], ctx.cell(s, RG + "partOf")))
        facts.append((t["renews"], ctx.cell(s, RG + "renews")))
        facts.append((t["renewed_by"], ctx.iris_cell(b.subjects(RG + "renews", s))))
        facts.append((t["aims"], ctx.cell(s, RG + "aim")))
        page.facts = [f for f in facts if f[1]] + page.facts
        signatures = Table(
            "signatories", t["signatories"], [t["signatory"], t["post"], t["on_behalf_of"], t["sources"]]
        )
        for sg in signings:
            for x in b.iris(sg, RG + "signature"):
                signatures.rows.append(
                    [
                        ctx.cell(x, RG + "signatory"),
                        ctx.cell(x, RG + "inPost"),
                        ctx.cell(x, RG + "onBehalfOf"),
                        [{"text": "", "refs": ctx.refs.cite(b.graphs_of(x))}],
                    ]
                )
        if signatures.rows:
            page.tables.append(signatures)
        parts = b.subjects(RG + "partOf", s)
        if parts:
            proj = Table("parts", t["projects"], [t["agreement"], t["type"], t["status"], t["fields"], t["date"]])
            for x in sorted(parts, key=ctx.L):
                part = relation(ctx, x) if _signings(b, x) else None
                proj.rows.append(
                    [
                        [ctx.item(x)],
                        ctx.iris_cell(b.types(x)) + ctx.cell(x, RG + "projectKind") + ctx.cell(x, RG + "agreementType"),
                        ctx.cell(x, RG + "status"),
                        ctx.cell(x, RG + "field"),
                        part.row["date"] if part else [],
                    ]
                )
            page.tables.append(proj)
        page.quotations = _quotations(ctx, b.subjects(RG + "about", s))
    elif kind == "person":
        posts = Table("posts", t["posts_held"], [t["post"]])
        page.tables.append(_tenures(ctx, posts, b.subjects(RG + "holder", s), other=RG + "post"))
        signed = Table(
            "agreements",
            t["agreements_signed"],
            [t["agreement"], t["post"], t["on_behalf_of"], t["date"], t["sources"]],
        )
        for sig in b.subjects(RG + "signatory", s):
            for sg in b.subjects(RG + "signature", sig):
                for a in b.subjects(RG + "signing", sg):
                    r = relation(ctx, a)
                    signed.rows.append(
                        [
                            [ctx.item(a)],
                            ctx.cell(sig, RG + "inPost"),
                            ctx.cell(sig, RG + "onBehalfOf"),
                            r.row["date"],
                            r.row["sources"],
                        ]
                    )
        page.tables.append(signed)
        page.quotations = _quotations(ctx, b.subjects(RG + "speaker", s))
    if kind == "generic" and b.is_a(s, "Post"):
        tenures = Table("tenures", t["tenures"], [t["holder"]])
        page.tables.append(_tenures(ctx, tenures, b.subjects(RG + "post", s), other=RG + "holder"))
    if kind in ("source", "graph") or graph_content:
        page.subject_groups = _grouped(ctx, graph_content or [])
    if kind not in ("person",):
        page.quotations = page.quotations or _quotations(ctx, b.subjects(RG + "about", s))
    page.tables.append(statements(ctx, s))
    inc = incoming(ctx, s, row_limit)
    if inc.rows:
        page.tables.append(inc)
    page.refs = ctx.refs.entries()
    return page


def _tenures(ctx: Ctx, table: Table, tenures: Iterable[str], *, other: str) -> Table:
    """Tenures as rows: ``other`` (the post on a person's page, the holder on a post's), dates, sources."""
    t = ctx.t
    table.columns += [t["from"], t["until"], t["attested"], t["sources"]]
    for tenure in tenures:
        table.rows.append(
            [
                ctx.cell(tenure, other),
                ctx.cell(tenure, RG + "startDate"),
                ctx.cell(tenure, RG + "endDate"),
                ctx.cell(tenure, RG + "attestedOn"),
                [{"text": "", "refs": ctx.refs.cite(ctx.b.graphs_of(tenure))}],
            ]
        )
    return table


def _quotations(ctx: Ctx, quotes: Iterable[str]) -> list[dict[str, Any]]:
    out = []
    for q in quotes:
        if not ctx.b.is_a(q, "Quotation"):
            continue
        texts = ctx.cell(q, RG + "text")
        if not texts:
            continue
        out.append(
            {
                "text": texts,
                "speaker": ctx.iris_cell(ctx.b.iris(q, RG + "speaker")),
                "indirect": any(v.value == "true" for v in ctx.b.objects(q, RG + "indirectSpeech")),
                "about": ctx.iris_cell(ctx.b.iris(q, RG + "about")),
                "refs": ctx.refs.cite(ctx.b.graphs_of(q)),
                "href": ctx.link(q),
            }
        )
    return out


def _grouped(ctx: Ctx, quads: list[ox.Quad]) -> list[dict[str, Any]]:
    """The triples of a source graph, grouped by subject."""
    by_s: dict[str, list[ox.Quad]] = {}
    for q in quads:
        subject = q.subject.value if isinstance(q.subject, ox.NamedNode | ox.BlankNode) else str(q.subject)
        by_s.setdefault(subject, []).append(q)
    groups = []
    for subj in sorted(by_s, key=lambda x: (ctx.L(x).casefold(), x)):
        rows: list[tuple[Item, Item]] = []
        for q in sorted(by_s[subj], key=lambda q: (q.predicate.value != RDF_TYPE, ctx.L(q.predicate.value))):
            rows.append((ctx.item(q.predicate), ctx.item(q.object)))
        groups.append({"subject": ctx.item(subj), "rows": rows})
    return groups


def build_pair(
    bundle: Bundle,
    a: str,
    b_iri: str,
    agreements: dict[str, tuple[list[str], list[str]]],
    lang: str,
    t: dict[str, str],
    link: Callable[[str], str | None],
) -> PageModel:
    """Relations between ``a`` and ``b_iri``; partner = the party on b's side, via = a's party when not a."""
    ctx = Ctx(bundle, lang, t, link)
    title = t["pair_title"].format(a=ctx.L(a), b=ctx.L(b_iri))
    page = PageModel(a, "pair", title, [])
    rels = []
    for x, (side_a, side_b) in agreements.items():
        via = [p for p in side_a if p != a]
        rels.append(relation(ctx, x, exclude=[a], via=via, only=side_b))
    table = relations_table(ctx, rels)
    table.columns.append(t["via"])
    ordered = sorted(rels, key=lambda r: relation_order(r.kind, r.sort_key, r.iri))
    for row, r in zip(table.rows, ordered, strict=True):
        row.append(r.row["via"])
    for _, rows in table.groups:
        for row in rows:
            rel = next(r for r in rels if r.row["agreement"] is row[0])
            if len(row) < len(REL_COLUMNS) + 1:
                row.append(rel.row["via"])
    page.tables.append(table)
    page.timeline = timeline(ctx, rels)
    page.quotations = _quotations(ctx, [q for x in agreements for q in bundle.subjects(RG + "about", x)])
    page.refs = ctx.refs.entries()
    return page
