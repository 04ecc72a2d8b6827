"""Entity summaries: the SPARQL that gathers what the graph says about one entity.

No web framework here: the pages of ``relgraph serve``, the tests and a
future CLI all use it. Queries run through a *runner*, a callable
``runner(sparql, bindings) -> rows`` (rows are dicts of pyoxigraph terms);
:func:`engine_runner` wraps the killable-worker :class:`~relgraph.engine.Engine`,
:func:`store_runner` a plain ``pyoxigraph.Store`` (tests, scripts).

Values never become SPARQL text by pasting: one IRI is bound with pyoxigraph
``substitutions=``; a list of IRIs (all taken from earlier results) goes into
``VALUES`` only after ``pyoxigraph.NamedNode`` has validated each one.

:func:`gather` collects a :class:`Bundle`: every quad (with its graph) of the
entity and of the things around it that its page shows (agreements it is a
party to, their signings and signatures, institutions located in it, tenures,
projects, quotations, ...), the quads that point at it, and the labels of
every IRI involved. :func:`label` picks a label along the language fallback
chain; :func:`format_date` writes a date at its real precision.

>>> format_date(ox.Literal("2023-06", datatype=ox.NamedNode(XSD + "gYearMonth")), "de")
'Juni 2023'
>>> format_date(ox.Literal("1989", datatype=ox.NamedNode(XSD + "gYear")), "fr")
'1989'
>>> local_name("https://w3id.org/relgraph/id/city/hamburg")
'hamburg'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import pyoxigraph as ox

from .licences import graph_licences
from .namespaces import DCT, PROV, RDF_TYPE, RDFS, RG, SCHEMA, SKOS, XSD
from .text import normalise_label

if TYPE_CHECKING:
    from .engine import SparqlEngine

__all__ = [
    "LABEL_PROPERTIES",
    "Bundle",
    "Indexed",
    "Runner",
    "collect",
    "engine_runner",
    "field_counts",
    "format_date",
    "gather",
    "gather_page",
    "graph_quads",
    "instances_of_kind",
    "kind_counts",
    "label",
    "labels_of",
    "local_name",
    "network",
    "normalize",
    "pair_relations",
    "quads_from",
    "quads_to",
    "relation_index",
    "search_labels",
    "search_pattern",
    "store_runner",
]

#: The graph the reasoner writes (``{base}graph/inferred``).
INFERRED_SUFFIX = "/graph/inferred"

#: Label properties, best first; ``skos:altLabel`` only when nothing else exists.
LABEL_PROPERTIES = (RDFS + "label", SKOS + "prefLabel", DCT + "title", SKOS + "altLabel")
#: Language fallback after the requested one.
FALLBACK = ("en", "de", "fr")

Row = dict[str, Any]
Runner = Callable[[str, Mapping[str, Any]], list[Row]]
#: IRIs → their label literals as (property IRI, literal), as :func:`labels_of` gives them
LabelSource = Callable[[Iterable[str]], dict[str, list[tuple[str, Any]]]]

_PREFIXES = f"""PREFIX rg: <{RG}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
PREFIX dct: <{DCT}>
PREFIX prov: <{PROV}>
PREFIX schema: <{SCHEMA}>
"""


def _name(node: Any) -> str:
    """The IRI or blank-node id of a subject or graph name: the quads here come from named graphs, with no
    RDF-star triples as subjects (pyoxigraph's types allow a default graph and a triple there)."""
    return cast(ox.NamedNode | ox.BlankNode, node).value


# --- runners --------------------------------------------------------------------------


def engine_runner(engine: SparqlEngine, *, timeout: float | None = None) -> Runner:
    """A runner over a query engine (:mod:`relgraph.engine`, embedded or remote): its typed rows."""

    def run(sparql: str, bindings: Mapping[str, Any]) -> list[Row]:
        return engine.select(sparql, bindings, timeout=timeout)

    return run


def store_runner(store: ox.Store) -> Runner:
    """A runner over a pyoxigraph store; the default graph is the union of all graphs."""

    def run(sparql: str, bindings: Mapping[str, Any]) -> list[Row]:
        subs = {ox.Variable(k): v for k, v in bindings.items()}
        solutions = store.query(sparql, substitutions=subs or None, use_default_graph_as_union=True)
        if not isinstance(solutions, ox.QuerySolutions):
            raise TypeError("a runner runs SELECT queries")
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in solutions]

    return run


# --- small helpers --------------------------------------------------------------------


def local_name(iri: str) -> str:
    """The last path segment or fragment of an IRI (the label of last resort)."""
    tail = iri.rstrip("/#")
    for sep in ("#", "/"):
        if sep in tail:
            tail = tail.rsplit(sep, 1)[1]
    return tail or iri


def normalize(text: str) -> str:
    """Case- and diacritics-insensitive form for search (:func:`relgraph.text.normalise_label`, punctuation kept).

    >>> normalize("Québec") == normalize("QUEBEC")
    True
    >>> normalize("München")
    'munchen'
    """
    return normalise_label(text, keep_punctuation=True)


def _values(iris: Iterable[str]) -> str:
    """IRIs in N-Triples form for a VALUES block; each is validated by pyoxigraph."""
    return " ".join(str(ox.NamedNode(iri)) for iri in iris)


def _chunks(items: Sequence[str], size: int = 250) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def format_date(term: Any, lang: str = "en") -> str:
    """A date literal at its real precision, in the language's words (Babel): ``2023-06`` → "June 2023"."""
    from datetime import date

    from .catalogs import format_day, format_month

    value = getattr(term, "value", str(term))
    datatype = getattr(getattr(term, "datatype", None), "value", "")
    try:
        if datatype == XSD + "gYear":
            return str(int(value[:4])) if value[:4].isdigit() else value
        if datatype == XSD + "gYearMonth":
            year, month = value[:7].split("-")
            return format_month(int(year), int(month), lang)
        if datatype in (XSD + "date", XSD + "dateTime"):
            year, month, day = value[:10].split("-")
            return format_day(date(int(year), int(month), int(day)), lang)
    except (ValueError, IndexError):
        return value
    return value


def label(labels: Mapping[str, Sequence[tuple[str, Any]]], iri: str, lang: str) -> str:
    """The label of ``iri`` in ``lang``; fallback requested → en → de → fr → any → local name."""
    found = labels.get(iri, ())
    chain = [lang, *[x for x in FALLBACK if x != lang]]
    for props in (LABEL_PROPERTIES[:3], LABEL_PROPERTIES[3:]):
        candidates = [lit for prop, lit in found if prop in props]
        for code in chain:
            for lit in candidates:
                if (lit.language or "").split("-")[0].lower() == code:
                    return lit.value
        if candidates:
            plain = [lit for lit in candidates if not lit.language]
            return (plain or candidates)[0].value
    return local_name(iri)


# --- queries --------------------------------------------------------------------------


def quads_from(run: Runner, subjects: Iterable[str], *, stated: bool = False) -> list[ox.Quad]:
    """Every quad whose subject is one of ``subjects``, in every named graph (``stated``: not the reasoner's).

    ``stated`` is what pages use: at a million agreements nine in ten quads of a busy place's
    institutions are inferred, and fetching them made a page's bundle ten times slower.
    """
    out: list[ox.Quad] = []
    items = sorted(set(subjects))
    where = _STATED if stated else ""
    for chunk in _chunks(items):
        values = _values(chunk)
        rows = run(f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} {where} }}", {})
        out.extend(ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)
    return out


def quads_to(
    run: Runner, iri: str, *, limit: int = 5000, stated: bool = False, leave_out: Sequence[str] = ()
) -> list[ox.Quad]:
    """Quads whose object is ``iri`` (incoming links), at most ``limit`` (``stated``: not the reasoner's).

    ``leave_out``: properties whose links are not wanted.
    """
    where = _STATED if stated else ""
    if leave_out:
        where += f" FILTER(?p NOT IN ({', '.join(str(ox.NamedNode(p)) for p in leave_out)}))"
    rows = run(
        f"SELECT ?o ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {where} }} LIMIT {int(limit)}", {"o": ox.NamedNode(iri)}
    )
    return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]


def graph_quads(run: Runner, graph: str, *, limit: int = 20000) -> list[ox.Quad]:
    """All quads of one named graph."""
    rows = run(f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {int(limit)}", {"g": ox.NamedNode(graph)})
    return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]


def labels_of(run: Runner, iris: Iterable[str]) -> dict[str, list[tuple[str, Any]]]:
    """Label literals (property IRI, literal) of each IRI, from every graph."""
    labels: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    # One branch per property, not a second VALUES (Oxigraph 0.5 joins two VALUES blocks into a
    # cross product before the lookup: 0.5 s per chunk at 10k agreements) nor ``?x ?p ?l FILTER(?p IN …)``
    # (every triple of each IRI, inferred ones too: 0.35 s per chunk at a million agreements; this way 0.08 s).
    branches = " UNION ".join(f"{{ ?x <{p}> ?l BIND(<{p}> AS ?p) }}" for p in LABEL_PROPERTIES)
    items = sorted(set(iris))
    for chunk in _chunks(items):
        rows = run(
            f"SELECT DISTINCT ?x ?p ?l WHERE {{ VALUES ?x {{ {_values(chunk)} }} {branches} FILTER(isLiteral(?l)) }}",
            {},
        )
        for r in rows:
            labels[r["x"].value].append((r["p"].value, r["l"]))
    return dict(labels)


#: From the entity ``?e`` to what its page shows. Only one- or two-step branches: a
#: path such as ``?x rg:signing/rg:signature/rg:signatory ?e`` is evaluated from every
#: ``?x`` (``?e`` comes in as a substitution, which Oxigraph 0.5's optimiser does not
#: see), 0.3–0.5 s each at 10k agreements; :func:`gather` walks up from the signatures
#: it finds with :func:`_up` instead.
_NODES = (
    _PREFIXES
    + """SELECT DISTINCT ?e ?x WHERE {
  { ?x rg:party ?e } UNION { ?x rg:locatedIn ?e } UNION { ?i rg:locatedIn ?e . ?x rg:party ?i }
  UNION { ?x rg:signatory|rg:inPost|rg:onBehalfOf ?e }
  UNION { ?x rg:signing|rg:signature|(rg:signing/rg:signature) ?e }
  UNION { ?e rg:signing|rg:signature|(rg:signing/rg:signature) ?x }
  UNION { ?x rg:holder|rg:post|rg:postIn ?e }
  UNION { ?x rg:partOf|rg:renews|rg:about|rg:speaker|rg:quotedIn|rg:announcedBy|rg:initiatedBy ?e }
  UNION { ?x rg:author|rg:participant|rg:implements|rg:relatedDocument ?e }
  UNION { ?e rg:partOf|rg:renews|rg:frames|rg:implements|prov:wasDerivedFrom ?x FILTER(isIRI(?x)) }
  UNION { ?x prov:wasDerivedFrom ?e }
}"""
)

#: From agreements, cooperations, signings, signatures and tenures to their parts. Two
#: queries, not one UNION: with the two-pattern tenure branch inside the UNION, Oxigraph
#: 0.5 no longer joins the VALUES first and one chunk took 2 s instead of 20 ms at 10k agreements.
_PARTS = (
    """SELECT DISTINCT ?x WHERE {{ VALUES ?a {{ {values} }}
  {{ ?a <{rg}signing> ?x }} UNION {{ ?a <{rg}signing>/<{rg}signature> ?x }} UNION {{ ?a <{rg}signature> ?x }}
  UNION {{ ?x <{rg}partOf>|<{rg}about>|<{rg}renews> ?a }} UNION {{ ?a <{rg}partOf>|<{rg}renews> ?x }}
}}""",
    """SELECT DISTINCT ?x WHERE {{ VALUES ?a {{ {values} }} ?a <{rg}signatory> ?p . ?x <{rg}holder> ?p }}""",
)


@dataclass
class Bundle:
    """Quads around one entity, with indexes, and the labels of every IRI in them."""

    iri: str
    quads: list[ox.Quad] = field(default_factory=list)
    labels: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    sources: dict[str, dict[str, str]] = field(default_factory=dict)  # graph → {source, url, license, attribution}
    _seen: set[tuple[Any, ...]] = field(default_factory=set, repr=False)
    _by_s: dict[str, list[ox.Quad]] = field(default_factory=lambda: defaultdict(list), repr=False)
    _by_o: dict[str, list[ox.Quad]] = field(default_factory=lambda: defaultdict(list), repr=False)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        for q in quads:
            if _name(q.graph_name).endswith(INFERRED_SUFFIX):
                continue  # pages show what sources state; inferred triples stay in SPARQL and data documents
            key = (q.subject, q.predicate, q.object, q.graph_name)
            if key in self._seen:
                continue
            self._seen.add(key)
            self.quads.append(q)
            self._by_s[_name(q.subject)].append(q)
            if isinstance(q.object, ox.NamedNode):
                self._by_o[q.object.value].append(q)

    def out(self, s: str) -> list[ox.Quad]:
        return self._by_s.get(s, [])

    def incoming(self, o: str) -> list[ox.Quad]:
        return self._by_o.get(o, [])

    def claims(self, s: str, p: str) -> list[tuple[Any, list[str]]]:
        """Distinct values of ``s p ?`` with the graphs that state each, in first-seen order."""
        found: dict[Any, list[str]] = {}
        for q in self.out(s):
            if q.predicate.value == p:
                found.setdefault(q.object, [])
                if _name(q.graph_name) not in found[q.object]:
                    found[q.object].append(_name(q.graph_name))
        return list(found.items())

    def objects(self, s: str, p: str) -> list[Any]:
        return [term for term, _ in self.claims(s, p)]

    def iris(self, s: str, p: str) -> list[str]:
        return [t.value for t in self.objects(s, p) if isinstance(t, ox.NamedNode)]

    def subjects(self, p: str, o: str) -> list[str]:
        seen: dict[str, None] = {}
        for q in self.incoming(o):
            if q.predicate.value == p and isinstance(q.subject, ox.NamedNode):
                seen[_name(q.subject)] = None
        return list(seen)

    def types(self, s: str) -> list[str]:
        return self.iris(s, RDF_TYPE)

    def is_a(self, s: str, *local: str) -> bool:
        return any(t in {RG + name for name in local} for t in self.types(s))

    def graphs_of(self, s: str) -> list[str]:
        return list(dict.fromkeys(_name(q.graph_name) for q in self.out(s)))

    def label(self, iri: str, lang: str) -> str:
        return label(self.labels, iri, lang)


def _all_iris(quads: Iterable[ox.Quad]) -> set[str]:
    out: set[str] = set()
    for q in quads:
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode):
                out.add(term.value)
    return out


def gather(run: Runner, iri: str, *, extra_labels: Iterable[str] = (), drop: Iterable[str] = ()) -> Bundle:
    """Everything the page of ``iri`` shows (a handful of queries per 250 nodes, no N+1).

    ``drop``: agreements the page leaves out (the other pages of a long list, see
    :func:`relation_index`); their signings and signatures are left out with them.
    """
    node = ox.NamedNode(iri)
    nodes = {iri} | {r["x"].value for r in run(_NODES, {"e": node}) if isinstance(r.get("x"), ox.NamedNode)}
    # walk up from signatures the entity signed, in a post or on behalf of, to signings and agreements
    dropped = set(drop)
    nodes -= dropped
    signing_of = _up(run, nodes, RG + "signature")
    signings = set().union(*signing_of.values())
    agreement_of = _up(run, nodes | signings, RG + "signing")
    nodes |= signings | {a for s in signings for a in agreement_of.get(s, ())}
    if dropped:

        def gone(n: str) -> bool:
            if n in dropped:
                return True
            signings_of_n = signing_of.get(n, set()) or {n}
            owners = {a for s in signings_of_n for a in agreement_of.get(s, ())}
            return bool(owners) and owners <= dropped

        left_out = {n for n in nodes if gone(n)}
        nodes -= left_out
        # and their links to the entity: at 1M agreements the busiest city's incoming links were thousands
        # of signatures on its behalf, each in a graph of its own (sources, licences, labels: 10 s)
        dropped |= left_out
    return collect(run, iri, nodes, extra_labels=extra_labels, drop=dropped)


#: From the entity ``?e`` to what a page of its long relations list shows besides the relations: what
#: :data:`_NODES` reaches without going through an agreement (the relations shown come by name).
_PAGE_NODES = (
    _PREFIXES
    + """SELECT DISTINCT ?e ?x WHERE {
  { ?x rg:locatedIn ?e } UNION { ?x rg:signatory|rg:inPost ?e } UNION { ?x rg:holder|rg:post|rg:postIn ?e }
  UNION { ?x rg:partOf|rg:renews|rg:about|rg:speaker|rg:quotedIn|rg:initiatedBy ?e }
  UNION { ?x rg:author|rg:participant|rg:implements|rg:relatedDocument ?e }
  UNION { ?e rg:partOf|rg:renews|rg:frames|rg:implements|prov:wasDerivedFrom ?x FILTER(isIRI(?x)) }
  UNION { ?x prov:wasDerivedFrom ?e }
}"""
)
#: Links that belong to relations (an agreement's party or announcer, a signature's party, a signing's
#: place): a page of a long list shows those of the relations on it (the others are on their pages).
RELATION_LINKS = (RG + "party", RG + "announcedBy", RG + "onBehalfOf", RG + "place")


def gather_page(
    run: Runner,
    iri: str,
    shown: Iterable[str],
    *,
    drop: Iterable[str] = (),
    extra_labels: Iterable[str] = (),
    labels: LabelSource | None = None,
) -> Bundle:
    """What one page of a long relations list shows (:func:`gather` when everything fits on one page).

    Starts from the relations ``shown`` (the relation index knows them) instead of from everything
    around ``iri``: at a million agreements the busiest city has 11,000 relations and 14,000
    neighbours, and :func:`gather` read them all to leave most of them out again (9–11 s). The
    links to ``iri`` are those the bundle states, and the others that are not a relation's
    (:data:`RELATION_LINKS`). ``drop``: the relations on other pages (a part of a shown one may be one).
    ``labels``: where the labels come from (default :func:`labels_of` over ``run``; the relation index's
    :func:`relgraph.relindex.labels` answers the same in one lookup).
    """
    node = ox.NamedNode(iri)
    nodes = {iri, *shown}
    nodes |= {r["x"].value for r in run(_PAGE_NODES, {"e": node}) if isinstance(r.get("x"), ox.NamedNode)}
    return collect(run, iri, nodes, extra_labels=extra_labels, drop=drop, incoming_except=RELATION_LINKS, labels=labels)


def _up(run: Runner, objects: Iterable[str], prop: str) -> dict[str, set[str]]:
    """Each ``o`` of ``objects`` → the subjects ``?x`` with ``?x prop o`` (one pattern per query: fast)."""
    out: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(sorted(set(objects))):
        rows = run(f"SELECT ?x ?o WHERE {{ VALUES ?o {{ {_values(chunk)} }} ?x {ox.NamedNode(prop)} ?o }}", {})
        for r in rows:
            if isinstance(r.get("x"), ox.NamedNode):
                out[r["o"].value].add(r["x"].value)
    return out


@dataclass(frozen=True)
class Indexed:
    """One relation of an entity, light: what ordering, paging and totals need."""

    iri: str
    kind: str  # the agreement type's concept IRI, "cooperation" or "other"
    date: str  # earliest signing date, else start of validity, else "9999"
    holder: str | None = None  # the institution located in the entity that is the party


#: Stated, not inferred: pages show what sources say (see :meth:`Bundle.add`).
_STATED = f'FILTER(!STRENDS(STR(?g), "{INFERRED_SUFFIX}"))'
_OWN = (
    _PREFIXES
    + """SELECT ?e ?a ?t ?c ?d ?v WHERE { GRAPH ?g { ?a rg:party|rg:announcedBy ?e } STATED
  OPTIONAL { ?a rg:agreementType ?t } OPTIONAL { ?a a ?c FILTER(?c = rg:Cooperation) }
  OPTIONAL { ?a rg:signing ?s . ?s rg:date ?d } OPTIONAL { ?a rg:validFrom ?v } }""".replace("STATED", _STATED)
)
_HELD = (
    _PREFIXES
    + """SELECT ?e ?i ?a ?t ?c ?d ?v WHERE { GRAPH ?g { ?i rg:locatedIn ?e } STATED
  GRAPH ?g2 { ?a rg:party ?i } STATED2 FILTER(?i != ?e)
  OPTIONAL { ?a rg:agreementType ?t } OPTIONAL { ?a a ?c FILTER(?c = rg:Cooperation) }
  OPTIONAL { ?a rg:signing ?s . ?s rg:date ?d } OPTIONAL { ?a rg:validFrom ?v } }""".replace(
        "STATED2", _STATED.replace("?g", "?g2")
    ).replace("STATED", _STATED)
)


def relation_index(run: Runner, iri: str) -> tuple[list[Indexed], list[Indexed]]:
    """The relations of ``iri`` (party or announcer) and of the institutions located in it.

    Two light queries, one row per relation after folding: a page can order and
    count thousands of relations and then gather only the ones it shows.
    """
    out: list[list[Indexed]] = []
    for query, holder_var in ((_OWN, None), (_HELD, "i")):
        folded: dict[tuple[str, str | None], dict[str, set[str]]] = {}
        for r in run(query, {"e": ox.NamedNode(iri)}):
            holder = r[holder_var].value if holder_var else None
            entry = folded.setdefault((r["a"].value, holder), {"t": set(), "c": set(), "d": set(), "v": set()})
            for key in entry:
                if key in r:
                    entry[key].add(r[key].value)
        rows = []
        for (a, holder), e in folded.items():
            kind = min(e["t"]) if e["t"] else "cooperation" if e["c"] else "other"
            date = min(e["d"] or e["v"] or {"9999"})
            rows.append(Indexed(a, kind, date, holder))
        out.append(rows)
    return out[0], out[1]


def field_counts(run: Runner, agreements: Iterable[str]) -> dict[str, int]:
    """Thematic field → how many of ``agreements`` cover it (for a whole list, not one page)."""
    counts: dict[str, int] = defaultdict(int)
    for chunk in _chunks(sorted(set(agreements))):
        values = _values(chunk)
        query = f"SELECT DISTINCT ?a ?f WHERE {{ VALUES ?a {{ {values} }} GRAPH ?g {{ ?a <{RG}field> ?f }} {_STATED} }}"
        for r in run(query, {}):
            counts[r["f"].value] += 1
    return dict(counts)


def collect(
    run: Runner,
    root: str,
    nodes: Iterable[str],
    *,
    extra_labels: Iterable[str] = (),
    drop: Iterable[str] = (),
    incoming_except: Sequence[str] = (),
    labels: LabelSource | None = None,
) -> Bundle:
    """A bundle of ``nodes`` (and their parts: signings, signatures, projects, ...) around ``root``.

    Links from an agreement in ``drop`` to ``root`` are left out too, and links to ``root`` by a
    property in ``incoming_except`` unless a node of the bundle states them.
    """
    bundle = Bundle(root)
    nodes = set(nodes)
    dropped = set(drop)
    parts = {
        r["x"].value
        for chunk in _chunks(sorted(nodes))
        for query in _PARTS
        for r in run(query.format(values=_values(chunk), rg=RG), {})
        if isinstance(r.get("x"), ox.NamedNode)
    }
    bundle.add(quads_from(run, (nodes | parts) - dropped, stated=True))  # the bundle keeps stated quads only
    if root in nodes:
        found = quads_to(run, root, stated=True, leave_out=incoming_except)
        incoming = [q for q in found if _name(q.subject) not in dropped]
        if dropped:  # signings of dropped agreements that name the root (e.g. as their place) go with them
            outside = {_name(q.subject) for q in incoming} - nodes - parts
            owners = _up(run, outside, RG + "signing")
            gone = {s for s, agreements in owners.items() if agreements <= dropped}
            incoming = [q for q in incoming if _name(q.subject) not in gone]
        bundle.add(incoming)
    graphs = sorted({_name(q.graph_name) for q in bundle.quads})
    if graphs:
        for chunk in _chunks(graphs):
            rows = run(
                _PREFIXES + f"SELECT ?g ?src ?url WHERE {{ VALUES ?g {{ {_values(chunk)} }} "
                "?g prov:wasDerivedFrom ?src OPTIONAL { ?src schema:url ?url } }",
                {},
            )
            for r in rows:
                info = bundle.sources.setdefault(r["g"].value, {})
                info.setdefault("source", r["src"].value)
                if "url" in r:
                    info.setdefault("url", r["url"].value)
        for g, lic in graph_licences(run, graphs).items():
            if lic.stated:  # a licence of its own (else relgraph's CC BY 4.0)
                info = bundle.sources.setdefault(g, {})
                info["license"] = lic.license
                if lic.attribution:
                    info["attribution"] = lic.attribution
    wanted = (
        _all_iris(bundle.quads) | set(extra_labels) | {i["source"] for i in bundle.sources.values() if "source" in i}
    )
    bundle.labels = labels(wanted) if labels is not None else labels_of(run, wanted)
    return bundle


#: Partners of ``?e`` by number of shared agreements or cooperations, most first.
_NETWORK = (
    _PREFIXES
    + """SELECT ?e ?p (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a rg:party ?e . ?a rg:party ?p FILTER(?p != ?e) }
GROUP BY ?e ?p ORDER BY DESC(?n) ?p LIMIT %d"""
)
#: Some partners of one partner ``?p`` (other than ``?e``): a sample in index order, not a count.
_NETWORK_OUTER = """{ SELECT DISTINCT ?p ?q WHERE { VALUES (?p ?e) { (%s %s) } ?b <%sparty> ?p . ?b <%sparty> ?q
  FILTER(?q != ?p && ?q != ?e) } LIMIT %d }"""


def network(
    run: Runner, iri: str, *, inner: int = 24, outer: int = 3, ranked: Sequence[str] | None = None
) -> dict[str, list[str]]:
    """Partners of ``iri`` → their other partners: a picture, not a list.

    At most ``inner`` partners (those with the most agreements in common) and
    ``outer`` partners of each, so that the drawing stays readable and cheap
    for a city with hundreds of partners; the relations table lists them all.
    IRIs go into the query text only as validated ``NamedNode`` terms.

    ``ranked``: the partners already ranked as the query ranks them (most shared relations first,
    then by IRI), e.g. by :func:`relgraph.relindex.figures`; else the store counts them.
    """
    node = ox.NamedNode(iri)
    if ranked is not None:
        partners = [p for p in ranked if ":" in p][: int(inner)]  # IRIs (a blank node's id has no colon)
    else:
        rows = run(_NETWORK % int(inner), {"e": node})
        partners = [r["p"].value for r in rows if isinstance(r["p"], ox.NamedNode)]
    out: dict[str, list[str]] = {p: [] for p in partners}
    if partners:  # one small LIMITed subquery per partner: counting their partners grows with the graph
        parts = [_NETWORK_OUTER % (ox.NamedNode(p), node, RG, RG, int(outer)) for p in partners]
        for r in run("SELECT ?p ?q WHERE { " + " UNION ".join(parts) + " }", {}):
            if isinstance(r.get("q"), ox.NamedNode) and r["q"].value not in out[r["p"].value]:
                out[r["p"].value].append(r["q"].value)
    return out


def _around(run: Runner, iri: str) -> set[str]:
    """``iri`` and everything located in it, at any depth (stated or inferred)."""
    query = f"SELECT DISTINCT ?p WHERE {{ VALUES ?a {{ {_values([iri])} }} ?p <{RG}locatedIn>* ?a }}"
    return {iri} | {r["p"].value for r in run(query, {}) if isinstance(r.get("p"), ox.NamedNode)}


def _parties(run: Runner, agreements: Iterable[str]) -> dict[str, set[str]]:
    """Agreement → its parties."""
    out: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(sorted(set(agreements))):
        for r in run(f"SELECT ?x ?p WHERE {{ VALUES ?x {{ {_values(chunk)} }} ?x <{RG}party> ?p }}", {}):
            out[r["x"].value].add(r["p"].value)
    return out


def pair_relations(run: Runner, a: str, b: str, *, limit: int = 2000) -> dict[str, tuple[list[str], list[str]]]:
    """Agreements and cooperations with one party that is (or is located in) ``a`` and another ``b``.

    Maps each to (its parties on the side of ``a``, its parties on the side of ``b``).
    Walks from the two sides with one-pattern queries (``VALUES`` of validated
    IRIs the optimiser can start from), so the cost follows the two entities'
    own relations, not the size of the graph. At most ``limit`` agreements.
    """
    side_a, side_b = _around(run, a), _around(run, b)
    candidates = _up(run, side_a, RG + "party")  # party on a's side → its agreements
    parties = _parties(run, {x for xs in candidates.values() for x in xs})
    out: dict[str, tuple[list[str], list[str]]] = {}
    for x in sorted(parties):
        pairs = [(p, q) for p in parties[x] & side_a for q in parties[x] & side_b if p != q]
        if pairs:
            out[x] = (sorted({p for p, _ in pairs}), sorted({q for _, q in pairs}))
            if len(out) >= limit:
                break
    return out


# --- index and search: SPARQL per request, nothing graph-sized held in Python ----------


def _kind_of(iri: str, prefix: str) -> str:
    return iri[len(prefix) :].split("/", 1)[0]


def kind_counts(run: Runner, prefix: str) -> dict[str, int]:
    """Typed instances per IRI type segment: ``{prefix}<kind>/<slug>`` → ``{kind: n}``."""
    lit = ox.Literal(prefix)  # a setting, not user input; a literal term all the same
    rows = run(
        f"SELECT ?k (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a ?t FILTER(isIRI(?x) && STRSTARTS(STR(?x), {lit})) "
        f'BIND(STRBEFORE(STRAFTER(STR(?x), {lit}), "/") AS ?k) }} GROUP BY ?k',
        {},
    )
    return {r["k"].value: int(r["n"].value) for r in rows if r.get("k") is not None and r["k"].value}


def instances_of_kind(run: Runner, prefix: str, kind: str, *, offset: int = 0, limit: int = 500) -> list[str]:
    """One page of the typed instances ``{prefix}{kind}/…``, in the store's own order.

    No ``ORDER BY``: sorting 100k IRIs for every page took 10 s; the store's
    order is the same for every page of one data version, so the pages
    still split the list without gaps or repeats.
    """
    lit = ox.Literal(f"{prefix}{kind}/")
    rows = run(
        f"SELECT DISTINCT ?x WHERE {{ ?x a ?t FILTER(isIRI(?x) && STRSTARTS(STR(?x), {lit})) }} "
        f"LIMIT {int(limit)} OFFSET {int(offset)}",
        {},
    )
    return [r["x"].value for r in rows]


def _fold_classes() -> dict[str, str]:
    """Base letter → every Latin letter that folds to it (``e`` → ``eéèêë…``)."""
    found: dict[str, set[str]] = defaultdict(set)
    for cp in range(0x00C0, 0x0250):
        ch = chr(cp)
        base = normalize(ch)
        if len(base) == 1 and base.isascii() and base.isalpha():
            found[base].add(ch.lower())
    return {base: base + "".join(sorted(v - {base})) for base, v in found.items()}


_FOLD = _fold_classes()
_REGEX_META = set("\\.^$|?*+()[]{}-/")


def search_pattern(needle: str) -> str:
    """A case-insensitive regex that finds ``needle`` (already :func:`normalize`-d) in any spelling.

    >>> import re
    >>> bool(re.search(search_pattern("quebec"), "Québec", re.I))
    True
    >>> bool(re.search(search_pattern("strasse"), "Hafenstraße", re.I))
    True
    """
    out, i = [], 0
    while i < len(needle):
        if needle.startswith("ss", i):
            out.append("(?:ss|ß)")
            i += 2
            continue
        c = needle[i]
        if c in _FOLD:
            out.append(f"[{_FOLD[c]}]")
        elif c.isspace():
            out.append(r"\s+")
        elif c in _REGEX_META:
            out.append("\\" + c)
        else:
            out.append(c)
        i += 1
    return "".join(out)


def search_labels(run: Runner, needle: str, prefixes: Sequence[str], *, limit: int = 2000) -> list[tuple[str, Any]]:
    """``(IRI, label)`` of instances and concepts whose label contains ``needle`` in any spelling.

    The store scans the labels (about 1.5 s per 440k labels here); nothing
    graph-sized is kept in the server; the best matches come first (the label itself, then
    labels starting with the needle, then a word starting with it). The pattern goes into the query as a
    pyoxigraph-escaped literal: bound as ``substitutions=`` the same query took
    20× longer (the regex was compiled again for every label).
    """
    folded = normalize(needle)
    if not folded:
        return []
    core = search_pattern(folded)
    pattern, exact, prefix, word = (ox.Literal(p) for p in (core, f"^{core}$", f"^{core}", rf"(^|\s){core}"))
    path = "|".join(str(ox.NamedNode(p)) for p in LABEL_PROPERTIES)  # a path, not ?p: the predicate index
    starts = " || ".join(f"STRSTARTS(STR(?x), {ox.Literal(p)})" for p in prefixes) or "true"
    # ranked before the LIMIT (as the label index does): an exact match is never cut off by longer labels
    rank = (
        f'IF(REGEX(STR(?l), {exact}, "i"), 0, IF(REGEX(STR(?l), {prefix}, "i"), 1, '
        f'IF(REGEX(STR(?l), {word}, "i"), 2, 3)))'
    )
    rows = run(
        f"SELECT ?x ?l WHERE {{ ?x {path} ?l FILTER(isLiteral(?l) && isIRI(?x)) "
        f'FILTER(({starts}) && REGEX(STR(?l), {pattern}, "i")) BIND({rank} AS ?rank) }} '
        f"ORDER BY ?rank STRLEN(STR(?l)) STR(?l) ?x LIMIT {int(limit)}",
        {},
    )
    return [(r["x"].value, r["l"]) for r in rows]
