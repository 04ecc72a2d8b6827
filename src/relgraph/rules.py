"""Materialisation by rules derived from the ontology, run inside the store as SPARQL Update.

Why: HermiT (owlready2) over the whole graph took about 88 s of the 106 s of
``import-wikidata`` with the 2016 extract, and did not finish usefully at 100k
synthetic agreements (2.9M triples), so big stores were loaded ``--no-reason``.
What the ontology asks for is OWL 2 RL-sized: sub-class/sub-property closure,
inverses, symmetry, transitivity, one property chain, domain/range typing.
Those are read from the ontology graphs (the *TBox*: ``rdfs:subClassOf``,
``rdfs:subPropertyOf``, ``owl:equivalentClass``/``equivalentProperty``,
``owl:inverseOf``, ``owl:SymmetricProperty``, ``owl:TransitiveProperty``,
``owl:propertyChainAxiom``, ``rdfs:domain``/``rdfs:range`` with a named class or
a union of named classes) and compiled into a handful of ``INSERT … WHERE``
operations whose rule tables are ``VALUES`` blocks: a new axiom in
``ontology/`` is a new row, never new code. The data never leaves the store
(measured on the 100k graph: a type rule over 430k subjects is 4.4 s of
evaluation and 4.2 s of writing inside Oxigraph), and the same text runs on a
remote store through its SPARQL Update endpoint.

Evaluation is semi-naive. The single-premise tables are closed in Python (a
property's super-properties, inverses, symmetric twin and domain/range types;
a class's super-classes), so one round reads each fact once: property heads
predicate by predicate, types class by class over their distinct members.
Only the joins (transitive properties and chains) need more rounds, each
reading the previous round's new joined-predicate triples (a delta graph),
until a round adds none, which also ends cycles (``a locatedIn b locatedIn
a``). Every head is guarded ("not yet in a fact graph"), so a round writes
only new triples. On the embedded store a round's CONSTRUCT answers are
serialised by Oxigraph straight into a file that the bulk loader reads: no
Python object per triple (at 100k agreements, 1.7M inferred triples, this
took the full run from 512 s to about a minute on a busy machine). Triples
with blank nodes are written as terms, since a file load relabels blank
nodes. Reflexive property triples (``x partnerOf x`` from the chain ``partyTo
∘ party``) are never produced, as with HermiT before.

Incremental maintenance is delete-and-rederive (DRed) with the changed graphs'
old content (:class:`Change`, recorded by :func:`track_changes` just before a
write replaces or drops graphs): retracted triples over-delete what they can
derive, what survives by another derivation is re-derived, then the changed
graphs and the re-derived triples are propagated. Work graphs are ``{base}graph/.reason-…`` and are
dropped at the end; a run that fails undoes its changes to the inferred graph.
"""

from __future__ import annotations

import contextlib
import itertools
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from . import progress
from .errors import RelgraphError
from .namespaces import OWL, RDF, RDF_TYPE, RDFS, XSD, graph_iri
from .results import graph_triples, solutions

if TYPE_CHECKING:
    from .store import GraphStore

__all__ = [
    "WORK_PREFIX",
    "Change",
    "MaterialiseResult",
    "RuleSet",
    "read_rules",
    "run",
    "track_changes",
]

ProgressFn = Callable[[str], None]
#: Work graphs live under ``{base}graph/`` with this prefix; leftovers mean an interrupted run.
WORK_PREFIX = ".reason-"
#: A round more than this means the rules do not converge (they always do on finite data).
MAX_ROUNDS = 10_000

_SCHEMA_PREDICATES = [
    RDFS + "subClassOf",
    RDFS + "subPropertyOf",
    RDFS + "domain",
    RDFS + "range",
    OWL + "equivalentClass",
    OWL + "equivalentProperty",
    OWL + "inverseOf",
    OWL + "propertyChainAxiom",
]
#: Axioms whose blank-node objects (unions, chains) are read as lists by ``_LIST_QUERY``.
_LISTED = (RDFS + "domain", RDFS + "range", OWL + "propertyChainAxiom")
_SCHEMA_TYPES = [OWL + "TransitiveProperty", OWL + "SymmetricProperty"]
_NOT_CLASSES = (XSD, RDFS + "Literal", RDF + "langString", RDF + "PlainLiteral", OWL + "Thing")


# --- the TBox and the rules it gives ---------------------------------------------------------


@dataclass
class RuleSet:
    """The rule tables compiled from the ontology.

    ``class_sup`` (c, d): ``x a c`` ⇒ ``x a d``; ``prop_fwd`` (p, q): ``x p y`` ⇒ ``x q y``;
    ``prop_inv`` (p, q): ``x p y`` ⇒ ``y q x``; ``subject_type``/``object_type`` (p, d):
    ``x p y`` ⇒ ``x a d`` / ``y a d``; ``transitive`` t: ``x t y, y t z`` ⇒ ``x t z``;
    ``chains`` (q, (p1 … pn)): ``x p1 … pn z`` ⇒ ``x q z``.
    """

    class_sup: list[tuple[str, str]] = field(default_factory=list)
    prop_fwd: list[tuple[str, str]] = field(default_factory=list)
    prop_inv: list[tuple[str, str]] = field(default_factory=list)
    subject_type: list[tuple[str, str]] = field(default_factory=list)
    object_type: list[tuple[str, str]] = field(default_factory=list)
    transitive: list[str] = field(default_factory=list)
    chains: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return (
            len(self.class_sup)
            + len(self.prop_fwd)
            + len(self.prop_inv)
            + len(self.subject_type)
            + len(self.object_type)
            + len(self.transitive)
            + len(self.chains)
        )

    def rules(self) -> list[_Rule]:
        """The rules as triple patterns with their ``VALUES`` tables."""
        out: list[_Rule] = []
        if self.class_sup:
            out.append(
                _Rule(("?x", f"<{RDF_TYPE}>", "?d"), [("?x", f"<{RDF_TYPE}>", "?c")], ("?c", "?d"), self.class_sup)
            )
        if self.prop_fwd:
            out.append(_Rule(("?x", "?q", "?y"), [("?x", "?p", "?y")], ("?p", "?q"), self.prop_fwd, "?x != ?y"))
        if self.prop_inv:
            out.append(
                _Rule(
                    ("?y", "?q", "?x"), [("?x", "?p", "?y")], ("?p", "?q"), self.prop_inv, "!isLiteral(?y) && ?x != ?y"
                )
            )
        if self.subject_type:
            out.append(_Rule(("?x", f"<{RDF_TYPE}>", "?d"), [("?x", "?p", "?y")], ("?p", "?d"), self.subject_type))
        if self.object_type:
            out.append(
                _Rule(
                    ("?y", f"<{RDF_TYPE}>", "?d"),
                    [("?x", "?p", "?y")],
                    ("?p", "?d"),
                    self.object_type,
                    "!isLiteral(?y)",
                )
            )
        for t in self.transitive:
            out.append(
                _Rule(("?x", f"<{t}>", "?z"), [("?x", f"<{t}>", "?y"), ("?y", f"<{t}>", "?z")], filter="?x != ?z")
            )
        for q, chain in self.chains:
            names = [f"?v{i}" for i in range(len(chain) + 1)]
            body = [(names[i], f"<{p}>", names[i + 1]) for i, p in enumerate(chain)]
            out.append(_Rule((names[0], f"<{q}>", names[-1]), body, filter=f"{names[0]} != {names[-1]}"))
        return out


@dataclass
class _Rule:
    head: tuple[str, str, str]
    body: list[tuple[str, str, str]]
    variables: tuple[str, ...] = ()
    values: Sequence[tuple[str, ...]] = field(default_factory=list)
    filter: str = ""

    def values_block(self) -> str:
        if not self.variables:
            return ""
        rows = " ".join("(" + " ".join(f"<{v}>" for v in row) + ")" for row in self.values)
        return f"VALUES ({' '.join(self.variables)}) {{ {rows} }}"

    def scan_block(self) -> str:
        """The distinct first column of the table: each body predicate/class is scanned once."""
        if not self.variables:
            return ""
        firsts = sorted({row[0] for row in self.values})
        return f"VALUES {self.variables[0]} {{ {' '.join(f'<{v}>' for v in firsts)} }}"

    def keys(self) -> list[str]:
        """Body variables the head needs: the body is de-duplicated on them before the table is joined."""
        wanted = {t for t in self.head if t.startswith("?")} | set(self.variables)
        return [v for v in dict.fromkeys(t for b in self.body for t in b) if v.startswith("?") and v in wanted]


#: Schema triples, predicate by predicate (``VALUES`` first: Oxigraph reads the predicate index;
#: a ``FILTER`` on ``?p`` scanned every quad, 4 s at 100k agreements).
_TBOX_QUERY = f"""
SELECT ?s ?p ?o WHERE {{
  {{ VALUES ?p {{ {" ".join(f"<{p}>" for p in _SCHEMA_PREDICATES)} }} GRAPH ?g {{ ?s ?p ?o }} }}
  UNION {{ VALUES ?o {{ {" ".join(f"<{t}>" for t in _SCHEMA_TYPES)} }} BIND(<{RDF_TYPE}> AS ?p)
          GRAPH ?g {{ ?s <{RDF_TYPE}> ?o }} }}
  $EXCLUDE }}"""
#: The heads of the lists, and every list node: walked in Python (:func:`_read_tbox`). No property path
#: (``?head rdf:rest* ?node``): Virtuoso 7.2.5 answered that inside ``GRAPH ?g`` without the lists' first
#: nodes, so the chain partyTo ∘ party became party alone (issue 18).
_LIST_QUERY = f"""
SELECT ?owner ?kind ?head ?node ?first ?rest WHERE {{ GRAPH ?g {{
  {{ {{ ?owner <{OWL}propertyChainAxiom> ?head BIND(<{OWL}propertyChainAxiom> AS ?kind) }}
    UNION {{ ?owner ?kind ?u FILTER(?kind IN (<{RDFS}domain>, <{RDFS}range>) && isBlank(?u))
             ?u <{OWL}unionOf> ?head }} }}
  UNION {{ ?node <{RDF}first> ?first ; <{RDF}rest> ?rest FILTER(isBlank(?node)) }} }}
  $EXCLUDE }}"""


def _key(term: Any) -> str:
    return term.value if isinstance(term, ox.NamedNode) else "_:" + str(term.value)


def _read_tbox(
    query: Callable[[str], Iterable[Any]], exclude: str
) -> tuple[list[tuple[str, str, str]], dict[str, list[str]]]:
    """The schema triples and the RDF lists of chains and union domains/ranges, in one result each.

    Blank nodes are only compared within one query's answer (a remote store
    need not keep their labels across queries): a list is keyed by its owner.
    """
    triples = [
        (_key(r["s"]), r["p"].value, _key(r["o"]))
        for r in query(_TBOX_QUERY.replace("$EXCLUDE", exclude))
        if isinstance(r["s"], ox.NamedNode) and not (r["p"].value in _LISTED and isinstance(r["o"], ox.BlankNode))
    ]
    links: dict[str, tuple[str, str]] = {}
    heads: dict[tuple[str, str, str], str] = {}
    for r in query(_LIST_QUERY.replace("$EXCLUDE", exclude)):
        if r["node"] is not None:
            links[_key(r["node"])] = (_key(r["first"]), _key(r["rest"]))
        if r["owner"] is not None:
            heads[(r["owner"].value, r["kind"].value, _key(r["head"]))] = _key(r["head"])
    lists: dict[str, list[str]] = {}
    for (owner, kind, head_key), head in heads.items():
        items, node, seen = [], head, set()
        while node in links and node not in seen:
            seen.add(node)
            first, node = links[node]
            items.append(first)
        key = f"_:{kind}|{owner}|{head_key}"
        lists[key] = items
        triples.append((owner, kind, key))
    return triples, lists


def compile_rules(triples: Iterable[tuple[str, str, str]], lists: dict[str, list[str]]) -> RuleSet:
    """Close the class and property hierarchies and turn them into rule tables."""
    sub_class: dict[str, set[str]] = defaultdict(set)
    prop_edges: dict[str, set[tuple[str, bool]]] = defaultdict(set)
    domains: dict[str, set[str]] = defaultdict(set)
    ranges: dict[str, set[str]] = defaultdict(set)
    unions: dict[str, list[str]] = {}
    rules = RuleSet()
    chains: list[tuple[str, str]] = []
    transitive: set[str] = set()
    iri = lambda k: not k.startswith("_:")  # noqa: E731
    triples = list(triples)
    for key, items in lists.items():
        if not key.startswith(f"_:{OWL}propertyChainAxiom|"):
            unions[key] = items
    for s, p, o in triples:
        if p == RDFS + "subClassOf" and iri(s) and iri(o):
            sub_class[s].add(o)
        elif p == OWL + "equivalentClass" and iri(s) and iri(o):
            sub_class[s].add(o)
            sub_class[o].add(s)
        elif p == RDFS + "subPropertyOf" and iri(s) and iri(o):
            prop_edges[s].add((o, False))
        elif p == OWL + "equivalentProperty" and iri(s) and iri(o):
            prop_edges[s].add((o, False))
            prop_edges[o].add((s, False))
        elif p == OWL + "inverseOf" and iri(s) and iri(o):
            prop_edges[s].add((o, True))
            prop_edges[o].add((s, True))
        elif p == RDF_TYPE and o == OWL + "SymmetricProperty" and iri(s):
            prop_edges[s].add((s, True))
        elif p == RDF_TYPE and o == OWL + "TransitiveProperty" and iri(s):
            transitive.add(s)
        elif p in (RDFS + "domain", RDFS + "range") and iri(s):
            (domains if p == RDFS + "domain" else ranges)[s].add(o)
        elif p == OWL + "propertyChainAxiom" and iri(s):
            chains.append((s, o))

    def sup(cls: str) -> set[str]:
        seen, todo = {cls}, [cls]
        while todo:
            for parent in sub_class.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def is_class(c: str) -> bool:
        return iri(c) and not c.startswith(_NOT_CLASSES)

    def types_of(cls: str) -> set[str]:
        """Named classes every member of ``cls`` (named, or a union of named classes) belongs to."""
        if iri(cls):
            return {c for c in sup(cls) if is_class(c)}
        members = unions.get(cls)
        if not members or not all(iri(m) for m in members):
            return set()
        common = set.intersection(*(sup(m) for m in members))
        return {c for c in common if is_class(c)}

    classes = set(sub_class) | {c for cs in sub_class.values() for c in cs}
    rules.class_sup = sorted((c, d) for c in classes if iri(c) for d in sup(c) - {c} if is_class(d))

    def implied(prop: str) -> set[tuple[str, bool]]:
        seen = {(prop, False)}
        todo = [(prop, False)]
        while todo:
            current, flipped = todo.pop()
            for nxt, inv in prop_edges.get(current, ()):
                state = (nxt, flipped ^ inv)
                if state not in seen:
                    seen.add(state)
                    todo.append(state)
        return seen

    props = set(prop_edges) | {q for qs in prop_edges.values() for q, _ in qs} | set(domains) | set(ranges)
    props |= transitive | {q for q, _ in chains}
    fwd: set[tuple[str, str]] = set()
    inv: set[tuple[str, str]] = set()
    subj: set[tuple[str, str]] = set()
    obj: set[tuple[str, str]] = set()
    for p in props:
        for q, flipped in implied(p):
            if (q, flipped) != (p, False):
                (inv if flipped else fwd).add((p, q))
            for d in domains.get(q, ()):
                for c in types_of(d):
                    (obj if flipped else subj).add((p, c))
            for r in ranges.get(q, ()):
                for c in types_of(r):
                    (subj if flipped else obj).add((p, c))
    rules.prop_fwd, rules.prop_inv = sorted(fwd), sorted(inv)
    rules.subject_type, rules.object_type = sorted(subj), sorted(obj)
    rules.transitive = sorted(transitive)
    for q, head in sorted(chains):
        chain = lists.get(head, [])
        if chain and all(iri(p) for p in chain):
            rules.chains.append((q, tuple(chain)))
        else:
            rules.skipped.append(f"property chain of <{q}> (only chains of named properties are rules)")
    return rules


def read_rules(store: GraphStore, *, exclude: Sequence[str] = ()) -> RuleSet:
    """The rules of the ontology graphs in ``store`` plus bundled ontology files it does not hold."""
    from .resources import ontology_files

    excl = _not_in("g", exclude)

    def query(text: str) -> Iterable[Any]:
        return store.query(text, union=False)

    triples, lists = _read_tbox(query, excl)
    present = set(store.graphs())
    extra = ox.Store()
    for path in ontology_files():
        if path.suffix != ".ttl":
            continue
        if graph_iri(path.stem) in present or any(g.endswith("/graph/" + path.stem) for g in present):
            continue
        extra.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph_iri(path.stem)))
    if len(extra):
        more, more_lists = _read_tbox(lambda text: solutions(extra.query(text)), "")
        triples += more
        lists.update(more_lists)
    return compile_rules(triples, lists)


# --- the SPARQL of one round ---------------------------------------------------------------


def _not_in(var: str, graphs: Iterable[str]) -> str:
    graphs = list(graphs)
    if not graphs:
        return ""
    return f"FILTER(?{var} NOT IN ({', '.join(f'<{g}>' for g in graphs)}))"


def _pattern(triple: tuple[str, str, str]) -> str:
    return " ".join(triple)


@dataclass
class _Plan:
    """Where one phase reads and writes.

    ``exclude``: graphs that are not facts; ``delta``: the graph of new triples
    (``None``: all facts); ``targets``: where heads go; ``head``: ``insert``
    (not yet a fact), ``overdelete`` (in ``inferred`` and not yet in ``targets[0]``)
    or ``rederive`` (in one of ``candidates`` and not a fact).
    """

    exclude: list[str]
    targets: list[str]
    delta: str | None = None
    head: str = "insert"
    inferred: str = ""
    candidates: list[str] = field(default_factory=list)
    #: The next round's delta among ``targets``; only property triples go there.
    delta_out: str = ""


@dataclass
class _Op:
    """One rule application: ``head`` triples for each solution of ``where``, written to ``targets``."""

    head: tuple[str, str, str]
    where: str
    targets: list[str]

    def update(self) -> str:
        template = " ".join(f"GRAPH <{t}> {{ {_pattern(self.head)} }}" for t in self.targets)
        return f"INSERT {{ {template} }} WHERE {{ {self.where} }}"

    def select(self) -> str:
        names = [t for t in self.head if t.startswith("?")]
        return f"SELECT DISTINCT {' '.join(names)} WHERE {{ {self.where} }}"


def _operations(rules: list[_Rule], plan: _Plan) -> list[_Op]:
    ops: list[_Op] = []
    counter = iter(range(1_000_000))

    def facts(triple: tuple[str, str, str]) -> str:
        var = f"g{next(counter)}"
        return f"GRAPH ?{var} {{ {_pattern(triple)} }} {_not_in(var, plan.exclude)}"

    def head_condition(head: tuple[str, str, str]) -> str:
        if plan.head == "overdelete":
            return f"FILTER EXISTS {{ GRAPH <{plan.inferred}> {{ {_pattern(head)} }} }} " + (
                f"FILTER NOT EXISTS {{ GRAPH <{plan.targets[0]}> {{ {_pattern(head)} }} }}"
            )
        return f"FILTER NOT EXISTS {{ {facts(head)} }}"

    def distinct(rule: _Rule, body: str) -> str:
        # Each body predicate is scanned once and de-duplicated on what the head needs
        # before the rule table is joined and the (costlier) check against the facts runs.
        keys = " ".join(rule.keys())
        inner = f"{{ SELECT DISTINCT {keys} WHERE {{ {rule.scan_block()} {body} }} }}"
        return f"{inner} {rule.values_block()} {head_condition(rule.head)}"

    def targets(rule: _Rule) -> list[str]:
        # Types never feed a join (transitive properties, chains) and the type tables are
        # closed, so a derived type is written to the targets but not to the next delta.
        if plan.delta_out and rule.head[1] == f"<{RDF_TYPE}>":
            return [t for t in plan.targets if t != plan.delta_out]
        return plan.targets

    for rule in rules:
        filt = f"FILTER({rule.filter})" if rule.filter else ""
        if plan.head == "rederive":
            for cand in plan.candidates:
                body = " ".join(facts(t) for t in rule.body)
                where = f"GRAPH <{cand}> {{ {_pattern(rule.head)} }} {rule.values_block()} {body} {filt}"
                names = " ".join(t for t in rule.head if t.startswith("?"))
                where = f"{{ SELECT DISTINCT {names} WHERE {{ {where} }} }} {head_condition(rule.head)}"
                ops.append(_Op(rule.head, where, targets(rule)))
            continue
        positions = range(len(rule.body)) if plan.delta is not None else [None]
        for pos in positions:
            parts = []
            if pos is not None:
                parts.append(f"GRAPH <{plan.delta}> {{ {_pattern(rule.body[pos])} }}")
            parts += [facts(t) for i, t in enumerate(rule.body) if i != pos]
            body = " ".join(p for p in parts if p) + f" {filt}"
            ops.append(_Op(rule.head, distinct(rule, body), targets(rule)))
    return ops


# --- insertion rounds: one scan per body predicate, every consequence at once -------------------


#: A head of a derivation: subject, predicate IRI, object (a variable or an IRI), and whether
#: it must not be reflexive (``x q x`` is never derived from a property triple, as with HermiT).
_Head = tuple[str, str, str, bool]


class _Consequences:
    """What one triple gives through the closed single-premise tables.

    The tables are closed (a property's super-properties, inverses and their
    domains and ranges, a class's super-classes), so one step from a triple
    gives all of its single-premise consequences: a triple is read once per
    round, whatever the number of rules, and never joined with a ``VALUES`` table
    (measured at 100k agreements: a type rule joined with its 98-row table took
    18.8 s; the same heads read predicate by predicate, about 1 s per 200k triples).
    """

    def __init__(self, rules: RuleSet) -> None:
        self.of_property: dict[str, list[tuple[str, bool, str]]] = defaultdict(list)
        for p, q in rules.prop_fwd:
            self.of_property[p].append(("fwd", True, q))
        for p, q in rules.prop_inv:
            self.of_property[p].append(("inv", True, q))
        for p, d in rules.subject_type:
            self.of_property[p].append(("subj", False, d))
        for p, d in rules.object_type:
            self.of_property[p].append(("obj", False, d))
        self.of_class: dict[str, list[str]] = defaultdict(list)
        for c, d in rules.class_sup:
            self.of_class[c].append(d)
        #: predicates that feed a join (transitive properties, chain links): the next round's delta
        self.joined = set(rules.transitive) | {p for _, chain in rules.chains for p in chain}

    def property_heads(self, p: str, x: str, y: str) -> list[_Head]:
        heads: list[_Head] = []
        for kind, irreflexive, term in self.of_property.get(p, ()):
            if kind == "fwd":
                heads.append((x, term, y, irreflexive))
            elif kind == "inv":
                heads.append((y, term, x, irreflexive))
            elif kind == "subj":
                heads.append((x, RDF_TYPE, term, False))
            else:
                heads.append((y, RDF_TYPE, term, False))
        return heads

    def class_heads(self, c: str, x: str) -> list[_Head]:
        return [(x, RDF_TYPE, d, False) for d in self.of_class.get(c, ())]


def _term(t: str) -> str:
    return t if t.startswith("?") else f"<{t}>"


@dataclass
class _Derivation:
    """The triples ``head`` gives for each solution of ``where`` that are not yet known.

    Known: in a fact graph (any named graph but the ``exclude``d ones). A body
    that reads every fact (``scan``) is guarded by one ``MINUS`` (a hash
    anti-join); a body over a small delta by a lookup per solution (``FILTER NOT
    EXISTS``), which costs in proportion to the delta, not to the store.
    Measured at 100k agreements: 220k signatures guarded by lookups took 5.5 s
    of CPU, by ``MINUS`` 1.6 s, unguarded 1.7 s. Rendered as a CONSTRUCT
    (embedded: the store writes the answer itself) or an INSERT (remote).
    """

    where: str
    head: _Head
    exclude: list[str]
    scan: bool = False

    def pattern(self) -> str:
        s, p, o, _ = self.head
        return f"{s} <{p}> {_term(o)} ."

    def condition(self) -> str:
        s, _, o, irreflexive = self.head
        conditions = [f"FILTER(!isLiteral({s}))"]
        if irreflexive:
            conditions.append(f"FILTER(!sameTerm({s}, {_term(o)}))")
        known = f"GRAPH ?h {{ {self.pattern()} }} {_not_in('h', self.exclude)}"
        conditions.append(f"MINUS {{ {known} }}" if self.scan else f"FILTER NOT EXISTS {{ {known} }}")
        return f"{self.where} {' '.join(conditions)}"

    def construct(self) -> str:
        return f"CONSTRUCT {{ {self.pattern()} }} WHERE {{ {self.condition()} }}"

    def insert(self, targets: Sequence[str], delta: str, joined: set[str]) -> str:
        graphs = [*targets, *([delta] if delta and self.head[1] in joined else [])]
        template = " ".join(f"GRAPH <{t}> {{ {self.pattern()} }}" for t in graphs)
        return f"INSERT {{ {template} }} WHERE {{ {self.condition()} }}"


def _in_graphs(graphs: Sequence[str], pattern: str) -> str:
    """``pattern`` in any of ``graphs``: a ``VALUES`` of graph names, which Oxigraph evaluates first
    (measured: a join over a UNION of 23 graph patterns took 44 s, the same over ``VALUES`` 0.01 s)."""
    names = " ".join(f"<{g}>" for g in graphs)
    return f"VALUES ?dg {{ {names} }} GRAPH ?dg {{ {pattern} }}"


def _single_derivations(cons: _Consequences, source: str | list[str] | None, exclude: list[str]) -> list[_Derivation]:
    """Single-premise consequences of the triples in ``source`` (graphs; ``None``: every fact graph).

    Property heads (super-properties, inverses) are read predicate by predicate:
    each triple gives distinct heads. Types are read class by class, over the
    distinct members the properties' domains and ranges and the sub-classes give:
    read predicate by predicate they repeat (every signature typed its person
    again: 880k heads for 60k types at 100k agreements), and each repeat costs a
    check and a write.
    """
    scan = source is None

    def body(pattern: str) -> str:
        if source is None:
            return f"GRAPH ?g {{ {pattern} }} {_not_in('g', exclude)}"
        return _in_graphs([source] if isinstance(source, str) else source, pattern)

    out = []
    for p in sorted(cons.of_property):
        for head in cons.property_heads(p, "?x", "?y"):
            if head[1] != RDF_TYPE:
                out.append(_Derivation(body(f"?x <{p}> ?y"), head, exclude, scan))
    members: dict[str, list[str]] = defaultdict(list)
    for p, entries in cons.of_property.items():
        for kind, _, d in entries:
            if kind in ("subj", "obj"):
                members[d].append(f"?x <{p}> ?y" if kind == "subj" else f"?y <{p}> ?x")
    for c, supers in cons.of_class.items():
        for d in supers:
            members[d].append(f"?x <{RDF_TYPE}> <{c}>")
    for d in sorted(members):
        union = " UNION ".join(f"{{ {body(pattern)} }}" for pattern in sorted(set(members[d])))
        where = f"{{ SELECT DISTINCT ?x WHERE {{ {union} }} }}"
        out.append(_Derivation(where, ("?x", RDF_TYPE, d, False), exclude, scan))
    return out


def _join_derivations(
    rules: RuleSet, cons: _Consequences, delta: list[str] | None, exclude: list[str]
) -> list[_Derivation]:
    """Transitive properties and chains, with the delta at each position (``None``: all facts).

    One derivation per head (the rule's own and its single-premise consequences);
    a type head reads the join's distinct members only.
    """
    joins = [(t, (t, t)) for t in rules.transitive] + list(rules.chains)
    out = []
    for q, chain in joins:
        names = [f"?v{i}" for i in range(len(chain) + 1)]
        x, z = names[0], names[-1]
        heads = [(x, q, z, True), *cons.property_heads(q, x, z)]
        for pos in [None] if delta is None else range(len(chain)):
            parts: list[str] = []
            for i, p in enumerate(chain):
                pattern = f"{names[i]} <{p}> {names[i + 1]}"
                if i == pos and delta is not None:
                    parts.insert(0, _in_graphs(delta, pattern))
                else:
                    parts.append(f"GRAPH ?g{i} {{ {pattern} }} {_not_in(f'g{i}', exclude)}")
            body = " ".join(parts) + f" FILTER(!sameTerm({x}, {z}))"
            for head in heads:
                where = f"{{ SELECT DISTINCT {head[0]} WHERE {{ {body} }} }}" if head[1] == RDF_TYPE else body
                out.append(_Derivation(where, head, exclude, delta is None))
    return out


# --- changes -------------------------------------------------------------------------------


@dataclass
class Change:
    """What a write replaced or removed: graph names, and a work graph with their old content."""

    base: str
    graphs: set[str] = field(default_factory=set)
    old_graph: str = ""
    #: True when the change cannot be followed (a bulk load): recompute everything.
    full: bool = False
    _store: GraphStore | None = None

    def replacing(self, graphs: Iterable[str]) -> None:
        """Call before ``graphs`` are replaced or dropped: their content is copied into :attr:`old_graph`."""
        new = [g for g in graphs if g not in self.graphs and not g.startswith(self.base + "graph/" + WORK_PREFIX)]
        if not new or self._store is None:
            return
        self._store.update(" ; ".join(f"ADD SILENT <{g}> TO <{self.old_graph}>" for g in new))
        self.graphs.update(new)

    def discard(self) -> None:
        """Drop the copy of the old content (the change was not applied, or has been reasoned over)."""
        if self._store is not None and self.graphs:
            self._store.update(f"DROP SILENT GRAPH <{self.old_graph}>")


@contextlib.contextmanager
def track_changes(store: GraphStore) -> Iterator[Change]:
    """Record the graphs the writes inside the block replace, with their old content.

    Wraps the store object's own ``replace_graphs`` (and a remote store's
    ``put_graphs``) for the block; ``bulk_load`` marks the change ``full``.
    If the block raises, the copy is dropped.
    """
    token = uuid.uuid4().hex[:12]
    change = Change(store.base, old_graph=graph_iri(f"{WORK_PREFIX}old-{token}", base=store.base), _store=store)
    originals: dict[str, Any] = {}

    def wrap(name: str, graphs_of: Callable[[Any], Iterable[str]] | None) -> None:
        original = getattr(store, name, None)
        if original is None:
            return
        originals[name] = original

        def wrapped(first: Any, *args: Any, **kwargs: Any) -> Any:
            if graphs_of is None:
                change.full = True
            else:
                change.replacing(graphs_of(first))
            return original(first, *args, **kwargs)

        setattr(store, name, wrapped)

    names = lambda by_graph: [g.value if isinstance(g, ox.NamedNode) else str(g) for g in by_graph]  # noqa: E731
    wrap("replace_graphs", names)
    wrap("put_graphs", lambda files: list(files))
    wrap("bulk_load", None)
    try:
        yield change
    except BaseException:
        with contextlib.suppress(Exception):
            change.discard()
        raise
    finally:
        for name in originals:
            with contextlib.suppress(AttributeError):
                delattr(store, name)


# --- running -------------------------------------------------------------------------------


@dataclass
class MaterialiseResult:
    graph: str
    #: the inferred graph's size after a full run; ``None`` after an incremental one (see ``ReasonResult``)
    triples: int | None
    added: int
    removed: int
    rounds: int
    mode: str
    seconds: float
    rules: int
    skipped: list[str] = field(default_factory=list)


class _Run:
    #: Solutions per write on the embedded store (bounds the quads held in Python).
    CHUNK = 100_000

    def __init__(self, store: GraphStore, inferred: str, progress: ProgressFn | None) -> None:
        self.store = store
        self.inferred = inferred
        self.progress = progress
        self.token = uuid.uuid4().hex[:12]
        self.work: list[str] = []
        self.rounds = 0
        #: the embedded pyoxigraph store (``None``: a remote store, written by SPARQL Update)
        self.native: ox.Store | None = store.native
        #: files of what this run wrote into the inferred graph (embedded), for undoing it
        self.logdir = tempfile.TemporaryDirectory(prefix="relgraph-reason-") if self.native else None
        self.log: list[Path] = []
        self.step = ""  # what the rules being applied are for (the bar's label)

    def graph(self, name: str) -> str:
        g = graph_iri(f"{WORK_PREFIX}{self.token}-{name}", base=self.store.base)
        self.work.append(g)
        return g

    def say(self, message: str) -> None:
        if self.progress:
            self.progress(message)

    def update(self, ops: Sequence[str]) -> None:
        if ops:
            self.store.update(" ;\n".join(ops))

    def apply(self, ops: Sequence[_Op]) -> None:
        """Run rule applications in order, each seeing what the earlier ones wrote.

        A remote store gets one SPARQL Update request. The embedded store runs each
        as a read query and writes the answers itself: measured at 10k agreements,
        ``FILTER NOT EXISTS`` evaluated inside an update transaction was about 4x
        slower than in a query (a domain-typing rule: 8.3 s against 2.1 s).
        """
        native = self.native
        if native is None:
            self.update([op.update() for op in ops])
            return
        for op in progress.track(ops, desc=self.step or "rules", unit="rule"):
            graphs = [ox.NamedNode(t) for t in op.targets]
            fixed = {t: ox.NamedNode(t[1:-1]) for t in op.head if not t.startswith("?")}
            answer = solutions(native.query(op.select()))
            while True:
                # Oxigraph's bulk writer, in bounded chunks: measured at 10k agreements it
                # wrote 130k quads in 0.6 s where a transactional extend took 3.3 s.
                chunk: list[ox.Quad] = []
                for row in itertools.islice(answer, self.CHUNK):
                    subj, pred, obj = (fixed[t] if t in fixed else row[t[1:]] for t in op.head)
                    chunk.extend(ox.Quad(subj, pred, obj, g) for g in graphs)
                if not chunk:
                    break
                native.bulk_extend(chunk)

    def size(self, graph: str) -> int:
        rows = list(
            self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", union=False)
        )
        return int(rows[0]["n"].value) if rows else 0

    def drop(self, graphs: Iterable[str]) -> None:
        graphs = list(graphs)
        native = self.native
        if native is not None:
            # measured: a DROP of 1.9M triples as one SPARQL update took 54 s, remove_graph a few
            for g in graphs:
                native.remove_graph(ox.NamedNode(g))
        elif graphs:
            self.store.update(" ; ".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))

    def derive(self, derivations: Sequence[_Derivation], targets: Sequence[str], delta: str, joined: set[str]) -> int:
        """One round: every derivation's new heads into ``targets``, joined-predicate heads also into ``delta``.

        Returns how many heads went to ``delta`` (a head is written only where it
        was not known when the round began, so any is a new triple). The embedded
        store serialises each CONSTRUCT straight to a file and loads the file: no
        Python object per triple. The file stays until the run ends (the log of
        what went into the inferred graph, to undo a failed run).
        """
        if self.native is None:
            self.update([d.insert(targets, delta, joined) for d in derivations])
            return self.size(delta) if delta else 0
        logdir = self.logdir.name if self.logdir is not None else tempfile.gettempdir()
        out = Path(logdir) / f"round-{len(self.log)}.nt"
        with out.open("wb") as f:
            for d in progress.track(derivations, desc=self.step or "rules", unit="rule"):
                graph_triples(self.native.query(d.construct())).serialize(output=f, format=ox.RdfFormat.N_TRIPLES)
        self.log.append(out)
        wanted = {f"<{p}>".encode() for p in joined} if delta else set()
        return self.write(out, targets, delta, wanted)

    def write(
        self, out: Path, targets: Sequence[str], delta: str = "", wanted: set[bytes] | frozenset = frozenset()
    ) -> int:
        """Load N-Triples file ``out`` into ``targets``, and its lines with a predicate in ``wanted``
        into ``delta``; how many went to ``delta``. Blank-node triples are written as terms."""
        assert self.native is not None  # noqa: S101 (only called on the embedded store)
        to_delta, blank = out.with_suffix(".delta.nt"), []
        count = 0
        with out.open("rb") as f, to_delta.open("wb") as g:
            for line in f:
                if _has_blank(line):
                    blank.append(line)
                elif wanted and line.split(b" ", 2)[1] in wanted:
                    # an N-Triples subject never holds a space: the second token is the predicate
                    g.write(line)
                    count += 1
        quads: list[ox.Quad] = []
        if blank:
            # A file load gives blank nodes new labels; these triples are written as terms instead.
            quads = list(ox.parse(b"".join(blank), format=ox.RdfFormat.N_TRIPLES))
            named = out.with_suffix(".named.nt")
            with out.open("rb") as f, named.open("wb") as g:
                g.writelines(line for line in f if not _has_blank(line))
            named.replace(out)
            out.with_suffix(".blank.nt").write_bytes(b"".join(blank))
            self.log.append(out.with_suffix(".blank.nt"))
            count += sum(1 for q in quads if f"<{q.predicate.value}>".encode() in wanted)
        for target in targets:
            _load_file(self.native, out, target)
            if quads:
                self.native.extend([ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(target)) for q in quads])
        if delta:
            _load_file(self.native, to_delta, delta)
            self.native.extend(
                [
                    ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(delta))
                    for q in quads
                    if f"<{q.predicate.value}>".encode() in wanted
                ]
            )
        to_delta.unlink()
        return count

    def construct(self, query: str, name: str) -> Path:
        """The answer of a CONSTRUCT query as an N-Triples file in this run's folder."""
        assert self.native is not None and self.logdir is not None  # noqa: S101
        out = Path(self.logdir.name) / f"{name}.nt"
        with out.open("wb") as f:
            graph_triples(self.native.query(query)).serialize(output=f, format=ox.RdfFormat.N_TRIPLES)
        return out

    def remove(self, path: Path, graph: str) -> int:
        """Remove the triples of N-Triples file ``path`` from ``graph``; how many (read back as terms)."""
        assert self.native is not None  # noqa: S101
        target, n = ox.NamedNode(graph), 0
        for q in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
            self.native.remove(ox.Quad(q.subject, q.predicate, q.object, target))
            n += 1
        return n

    def added(self, *, minus: str = "") -> int:
        """How many distinct triples this run's rounds added, less those in graph ``minus`` (put back).

        Embedded: the distinct lines of the round files (a line is a triple that
        was not in the inferred graph when its round began). Remote: the log graph.
        """
        if self.native is None:
            log = next(g for g in self.work if g.endswith("-added"))
            return _count_diff(self, log, minus) if minus else self.size(log)
        seen: set[int] = set()
        for path in self.log:
            with path.open("rb") as f:
                seen.update(hash(line) for line in f)
        if minus and seen:
            for q in self.native.quads_for_pattern(None, None, None, ox.NamedNode(minus)):
                seen.discard(hash(f"{q.triple} .\n".encode()))
        return len(seen)

    def undo_log(self) -> None:
        """Remove from the inferred graph what this run's rounds wrote there (embedded)."""
        if self.native is None:
            return
        graph = ox.NamedNode(self.inferred)
        for path in self.log:
            if path.exists():
                for q in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
                    self.native.remove(ox.Quad(q.subject, q.predicate, q.object, graph))

    def close(self) -> None:
        if self.logdir is not None:
            self.logdir.cleanup()

    def propagate(
        self, rules: RuleSet, *, exclude: list[str], targets: list[str], first: list[str] | None, label: str
    ) -> None:
        """Insert everything the graphs ``first`` (``None``: all facts) imply: one round of
        single-premise consequences, then rounds of joins over each round's new joined-predicate triples."""
        cons = _Consequences(rules)
        started = time.perf_counter()
        d1 = self.graph(f"{label}-d1") if first is not None else ""
        self.step = f"{label} round 1"
        self.derive(_single_derivations(cons, first, exclude), targets, d1, cons.joined)
        self.rounds += 1
        self.say(f"{label} round 1: single-premise rules ({time.perf_counter() - started:.2f} s)")
        delta: list[str] | None = None if first is None else [*first, d1]
        for n in range(2, MAX_ROUNDS):
            if not rules.transitive and not rules.chains:
                break
            started = time.perf_counter()
            nxt = self.graph(f"{label}-d{n}")
            self.step = f"{label} round {n}"
            new = self.derive(_join_derivations(rules, cons, delta, exclude), targets, nxt, cons.joined)
            self.rounds += 1
            self.say(f"{label} round {n}: {new:,} new joined triples ({time.perf_counter() - started:.2f} s)")
            self.drop([d for d in (delta or []) if d not in (first or [])])
            if not new:
                self.drop([nxt])
                return
            delta = [nxt]
        else:
            raise RelgraphError(f"the rules did not reach a fixpoint in {MAX_ROUNDS} rounds")
        self.drop([d for d in (delta or []) if d not in (first or [])])

    def fixpoint(self, rules: list[_Rule], plan: _Plan, first: str | None, label: str) -> int:
        """Run rounds from delta ``first`` (``None``: all facts) until one adds nothing; total added."""
        delta, total = first, 0
        extra_targets = list(plan.targets)
        for n in range(MAX_ROUNDS):
            new = self.graph(f"{label}{n}")
            step = _Plan(
                exclude=plan.exclude,
                targets=[*extra_targets, new],
                delta=delta,
                head=plan.head,
                inferred=plan.inferred,
                delta_out=new,
            )
            started = time.perf_counter()
            self.step = f"{label} round {n + 1}"
            self.apply(_operations(rules, step))
            added = self.size(new)
            self.rounds += 1
            self.say(f"{label} round {n + 1}: {added:,} new triples ({time.perf_counter() - started:.2f} s)")
            if delta is not None and delta != first:
                self.drop([delta])
            delta, total = new, total + added
            if not added:
                self.drop([new])
                return total
        raise RelgraphError(f"the rules did not reach a fixpoint in {MAX_ROUNDS} rounds")


#: Below this many bytes a round's file is loaded in one transaction (the bulk loader's fixed cost
#: of writing and ingesting files is tens of milliseconds; a small incremental round has a few triples).
_BULK_FROM = 4 << 20
#: Lines per bulk load: measured at 100k agreements (1.4M new triples), one load peaked at 1.28 GB,
#: chunks of 750k lines at 0.87 GB in the same time, chunks of 200k at 0.28 GB but 2.6x slower.
_BULK_LINES = 500_000


def _has_blank(line: bytes) -> bool:
    """Whether an N-Triples line has a blank node (subject, or object after the predicate)."""
    return line.startswith(b"_:") or line.split(b" ", 2)[2].startswith(b"_:")


def _load_file(native: ox.Store, path: Path, graph: str) -> None:
    size = path.stat().st_size
    if not size:
        return
    to = ox.NamedNode(graph)
    if size < _BULK_FROM:
        native.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=to)
        return
    with path.open("rb") as f:
        while chunk := b"".join(itertools.islice(f, _BULK_LINES)):
            native.bulk_load(input=chunk, format=ox.RdfFormat.N_TRIPLES, to_graph=to)


def _leftovers(store: GraphStore) -> list[str]:
    prefix = graph_iri(WORK_PREFIX, base=store.base)
    return [g for g in store.graphs() if g.startswith(prefix)]


def _schema_changed(store: GraphStore, graphs: Iterable[str], old: str) -> bool:
    """Whether the changed graphs' schema triples differ from their old content's.

    Triples with a blank node (unions, chains) are compared by count only: a
    re-loaded file gets new blank node labels.
    """
    graphs = list(graphs)
    if not graphs:
        return False
    preds = ", ".join(f"<{p}>" for p in _SCHEMA_PREDICATES)
    types = ", ".join(f"<{t}>" for t in _SCHEMA_TYPES)
    schema = f"FILTER(?p IN ({preds}) || (?p = <{RDF_TYPE}> && ?o IN ({types})))"
    values = f"VALUES ?g {{ {' '.join(f'<{g}>' for g in graphs)} }}"
    ask = (
        f"ASK {{ {{ {values} GRAPH ?g {{ ?s ?p ?o }} {schema} FILTER(isIRI(?o)) "
        f"FILTER NOT EXISTS {{ GRAPH <{old}> {{ ?s ?p ?o }} }} }} UNION "
        f"{{ GRAPH <{old}> {{ ?s ?p ?o }} {schema} FILTER(isIRI(?o)) "
        f"FILTER NOT EXISTS {{ {values} GRAPH ?g {{ ?s ?p ?o }} }} }} }}"
    )
    if store.query(ask, union=False):
        return True
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ $G {{ ?s ?p ?o }} {schema} FILTER(isBlank(?o)) }}"
    new_n = list(store.query(count.replace("$G", f"{values} GRAPH ?g"), union=False))
    old_n = list(store.query(count.replace("$G", f"GRAPH <{old}>"), union=False))
    return new_n[0]["n"].value != old_n[0]["n"].value


def run(
    store: GraphStore, *, inferred: str, change: Change | None = None, progress: ProgressFn | None = None
) -> MaterialiseResult:
    """Bring ``inferred`` up to date: incrementally for ``change``, else from scratch.

    On an error the inferred graph is put back as it was and the work graphs are dropped.
    """
    started = time.perf_counter()
    r = _Run(store, inferred, progress)
    leftovers = _leftovers(store)
    old = change.old_graph if change is not None else ""
    leftovers = [g for g in leftovers if g != old]
    exists = inferred in set(store.graphs())
    mode = "incremental"
    why = ""
    if change is None or change.full:
        mode, why = "full", "" if change is None else "the change was a bulk load"
    elif leftovers:
        mode, why = "full", "an earlier run was interrupted"
    elif not exists:
        mode, why = "full", "there was no inferred graph"
    elif _schema_changed(store, sorted(change.graphs), old):
        mode, why = "full", "the change touches the ontology"
    if why:
        r.say(f"recomputing the inferred graph from scratch: {why}")
    if leftovers:
        r.drop(leftovers)
    ruleset = read_rules(store, exclude=[inferred, *([old] if old else [])])
    rules = ruleset.rules()
    r.say(f"{len(ruleset):,} rules from the ontology ({mode})")
    added = removed = 0
    try:
        if mode == "full":
            added, removed = _full(r, ruleset, exists, exclude_extra=[old] if old else [])
        elif change is not None:
            added, removed = _incremental(r, ruleset, rules, change)
    except BaseException:
        with contextlib.suppress(Exception):
            r.drop(r.work)
        raise
    finally:
        r.close()
        if change is not None:
            with contextlib.suppress(Exception):
                change.discard()
    flush = getattr(getattr(store, "oxigraph", None), "flush", None)
    if callable(flush):
        flush()
    return MaterialiseResult(
        graph=inferred,
        triples=r.size(inferred) if mode == "full" else None,
        added=added,
        removed=removed,
        rounds=r.rounds,
        mode=mode,
        seconds=time.perf_counter() - started,
        rules=len(ruleset),
        skipped=ruleset.skipped,
    )


def _full(r: _Run, rules: RuleSet, exists: bool, *, exclude_extra: list[str]) -> tuple[int, int]:
    """From scratch: straight into the inferred graph when there is none, else into a stage and then the diff."""
    inferred = r.inferred
    if not exists:
        try:
            # the graph exists from now on, even when nothing is inferred (the next run is incremental)
            r.update([f"CREATE SILENT GRAPH <{inferred}>"])
            r.propagate(rules, exclude=exclude_extra, targets=[inferred], first=None, label="full")
            added = r.size(inferred)
        except BaseException:
            with contextlib.suppress(Exception):
                r.drop([inferred])
            raise
        return added, 0
    stage = r.graph("stage")
    r.propagate(rules, exclude=[inferred, *exclude_extra], targets=[stage], first=None, label="full")
    r.say("replacing the inferred graph by the difference")
    if r.native is None:
        removed = _count_diff(r, inferred, stage)
        added = _count_diff(r, stage, inferred)
        r.update(
            [
                f"DELETE {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{inferred}> {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH <{stage}> {{ ?s ?p ?o }} }} }}",
                f"INSERT {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{stage}> {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }} }}",
            ]
        )
    else:
        # Two anti-joins into files (measured at 100k agreements, 1.7M inferred triples: the same
        # DELETE/INSERT as one update transaction took minutes), then the file writes. A lookup per
        # triple, not MINUS: MINUS held the other graph in a hash table (2.7 GB peak at 100k).
        diff = (
            "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{a}> {{ ?s ?p ?o }} "
            "FILTER NOT EXISTS {{ GRAPH <{b}> {{ ?s ?p ?o }} }} }}"
        )
        gone = r.construct(diff.format(a=inferred, b=stage), "gone")
        new = r.construct(diff.format(a=stage, b=inferred), "new")
        try:
            r.write(new, [inferred])
            removed = r.remove(gone, inferred)
        except BaseException:
            with contextlib.suppress(Exception):
                r.remove(new, inferred)
                r.write(gone, [inferred])
            raise
        with new.open("rb") as f:
            added = sum(1 for _ in f)
    r.drop([stage])
    return added, removed


def _count_diff(r: _Run, a: str, b: str) -> int:
    rows = list(
        r.store.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{a}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH <{b}> {{ ?s ?p ?o }} }} }}",
            union=False,
        )
    )
    return int(rows[0]["n"].value) if rows else 0


def _incremental(r: _Run, ruleset: RuleSet, rules: list[_Rule], change: Change) -> tuple[int, int]:
    """Delete and re-derive: what the old content supported goes, unless it is still derivable; then insert.

    The changed graphs themselves are the first delta (their triples that other
    graphs already asserted only give heads that are known, which the guards
    drop): nothing is copied before the rounds. A change that replaced nothing
    (a new source) skips the deletion steps.
    """
    inferred, old = r.inferred, change.old_graph
    changed = sorted(change.graphs)
    seed, deleted, rederived = r.graph("seed"), r.graph("deleted"), r.graph("rederived")
    # a remote store's writes are logged in a graph; the embedded store's in the round files
    added_log = r.graph("added") if r.native is None else ""
    logs = [added_log] if added_log else []
    work = [old, seed, deleted, rederived, *logs]
    try:
        if r.size(old):
            # 1. triples of the old content that no graph asserts any more
            r.update(
                [
                    f"INSERT {{ GRAPH <{seed}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{old}> {{ ?s ?p ?o }} "
                    f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} {_not_in('h', [inferred, *work])} }} }}"
                ]
            )
        if r.size(seed):
            # 2. over-delete: everything in the inferred graph they derive, over the old facts
            r.say("over-deleting what the retracted triples derived")
            over = _Plan(
                exclude=[seed, deleted, rederived, *logs], targets=[deleted], head="overdelete", inferred=inferred
            )
            r.fixpoint(rules, over, seed, "delete")
            r.update([f"DELETE {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{deleted}> {{ ?s ?p ?o }} }}"])
            # 3. re-derive what is still derivable in one step
            rederive = _Plan(
                exclude=work, targets=[*logs, inferred, rederived], head="rederive", candidates=[deleted, seed]
            )
            r.apply(_operations(rules, rederive))
        # 4. propagate the changed graphs and what was re-derived
        r.propagate(ruleset, exclude=work, targets=[*logs, inferred], first=[*changed, rederived], label="insert")
        # 5. what a changed graph now asserts is no longer inferred
        unasserted = _unless_asserted(r, changed)
    except BaseException:
        with contextlib.suppress(Exception):
            r.undo_log()
            undo = [f"DELETE {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{rederived}> {{ ?s ?p ?o }} }}"]
            if added_log:
                undo.append(
                    f"DELETE {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{added_log}> {{ ?s ?p ?o }} }}"
                )
            undo.append(f"INSERT {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{deleted}> {{ ?s ?p ?o }} }}")
            r.update(undo)
        raise
    over_deleted = r.size(deleted)
    removed = unasserted + (_count_diff(r, deleted, inferred) if over_deleted else 0)
    added = r.added(minus=deleted if over_deleted else "")
    r.drop([seed, deleted, rederived, *logs])
    return added, removed


def _unless_asserted(r: _Run, graphs: list[str]) -> int:
    """Remove from the inferred graph what ``graphs`` assert (the inferred graph holds no asserted
    triple); how many went (on a remote store: 0, not counted)."""
    inferred = r.inferred
    if r.native is None:
        r.update(
            [
                f"DELETE {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} "
                f"GRAPH <{inferred}> {{ ?s ?p ?o }} }}"
                for g in graphs
            ]
        )
        return 0
    # as a read query and single removals: an update transaction would scan the graphs under a write lock
    target, removed = ox.NamedNode(inferred), 0
    for g in graphs:
        both = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} GRAPH <{inferred}> {{ ?s ?p ?o }} }}"
        rows = list(solutions(r.native.query(both)))
        for row in rows:
            r.native.remove(ox.Quad(row["s"], row["p"], row["o"], target))
        removed += len(rows)
    return removed
