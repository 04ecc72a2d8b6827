"""What a write can change for the SHACL shapes: the focus nodes to re-check and the triples they read.

The gate (:mod:`relgraph.validate`) used to copy the whole would-be store into
rdflib and run pyshacl over it. Here the shapes are read once and turned into
*chains*: from a focus node, the quad patterns a shape's evaluation reads, step
by step (a property path is one step per predicate, ``sh:inversePath`` a step
backwards, ``sh:class`` the ``rdf:type`` of a value, a SPARQL constraint or
target one step per triple pattern reachable from ``$this``, including the
graph a statement sits in). With the chains:

* **scope** — a changed quad (added or removed) that matches step *k* of a chain
  touches the node it sits on; the focus nodes that reach that node through
  steps *0..k-1* (walked backwards in the store) are the ones whose results can
  change. Removals count like additions: a node that *points at* a node that
  lost its type is reached backwards from that node.
* **neighbourhood** — from the scope, every chain is walked forwards over the
  store as it would be after the write (store minus removed quads plus added
  quads), and the quads read are collected; with the class hierarchy
  (``rdfs:subClassOf``) that is everything pyshacl reads for those foci.

A step that reads through the union of graphs (a property path, ``sh:class``, a
pattern outside ``GRAPH``) is only touched when the union changes: a triple
added to one graph while another graph already states it touches nothing
there. A step inside ``GRAPH`` is touched by every changed quad.

Everything is read through :meth:`Store.query` with SPARQL (``VALUES`` of the
nodes of one step), so the same code serves the embedded and the remote store.

What cannot be scoped, and why (the caller then validates the whole store):

* a path of unbounded length (``sh:zeroOrMorePath``, ``sh:oneOrMorePath``): no
  bound on how far back a focus can be;
* a SPARQL constraint or target with a triple pattern not connected to
  ``$this`` (it reads the whole graph), a property path inside SPARQL, or
  ``SERVICE``; a constraint component this module does not know;
* a change of ``rdfs:subClassOf`` (every instance of the classes below could
  change target or ``sh:class`` verdicts);
* blank nodes in the change, or met on a remote store: a SPARQL query cannot
  name a stored blank node.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS

if TYPE_CHECKING:
    from relgraph.store import GraphStore

__all__ = ["Chain", "Plan", "Step", "Unscopable", "View", "neighbourhood", "plan_for", "scope"]

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
RDF_TYPE = str(RDF.type)
SUBCLASS = str(RDFS.subClassOf)
_POS = {"s": 0, "p": 1, "o": 2, "g": 3}
#: Nodes per ``VALUES`` block of one query.
_BATCH = 500


class Unscopable(Exception):
    """This change (or these shapes) cannot be validated by scope; validate the whole store."""


@dataclass(frozen=True)
class Step:
    """One quad pattern read from a node.

    ``start`` is where the node sits in the quads read (``s``, ``o`` or ``g``),
    ``predicate`` and ``obj`` are constants (``None``: any), ``out`` is the
    position of the next nodes (``None``: the chain ends here). ``union``: the
    step reads the union of graphs (only a change of the union touches it).
    ``exists``: only whether one quad matches is read.
    """

    start: str
    predicate: str | None = None
    obj: str | None = None
    out: str | None = None
    union: bool = True
    exists: bool = False

    def matches(self, quad: ox.Quad) -> bool:
        if self.predicate is not None and quad.predicate.value != self.predicate:
            return False
        return self.obj is None or (isinstance(quad.object, ox.NamedNode) and quad.object.value == self.obj)


Chain = tuple[Step, ...]


@dataclass
class Plan:
    """The chains of a shapes graph, and what cannot be scoped (with the reason)."""

    chains: set[Chain] = field(default_factory=set)
    unscoped: list[str] = field(default_factory=list)

    def prefixes(self) -> list[Chain]:
        """Every non-empty prefix of every chain, shortest first (each walked once)."""
        out = {c[:k] for c in self.chains for k in range(1, len(c) + 1)}
        return sorted(out, key=len)


# --- reading the shapes ------------------------------------------------------------

#: Constraint parameters that read nothing beyond the value node itself (or the value set of the path).
_LOCAL = {
    SH[n]
    for n in [
        "datatype",
        "nodeKind",
        "pattern",
        "flags",
        "minLength",
        "maxLength",
        "languageIn",
        "uniqueLang",
        "in",
        "hasValue",
        "minInclusive",
        "minExclusive",
        "maxInclusive",
        "maxExclusive",
        "minCount",
        "maxCount",
        "qualifiedMinCount",
        "qualifiedMaxCount",
        "message",
        "severity",
        "name",
        "description",
        "deactivated",
        "order",
        "group",
        "defaultValue",
        "path",
        "targetClass",
        "targetNode",
        "targetSubjectsOf",
        "targetObjectsOf",
        "target",
        "ignoredProperties",
        "prefixes",
        "declare",
        "labelTemplate",
    ]
}


class _Reader:
    def __init__(self, shapes: rdflib.Graph) -> None:
        self.g = shapes
        self.plan = Plan()
        self.prefixes = self._prefixes()

    def _prefixes(self) -> dict[str, str]:
        out = {"rdf": str(RDF), "rdfs": str(RDFS), "sh": str(SH)}
        for decl in self.g.objects(None, SH.declare):
            prefix, ns = self.g.value(decl, SH.prefix), self.g.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                out[str(prefix)] = str(ns)
        return out

    def fail(self, why: str) -> None:
        self.plan.unscoped.append(why)

    def read(self) -> Plan:
        g = self.g
        roots = set()
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            roots |= set(g.subjects(p, None))
        for shape in set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape)):
            if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, rdflib.OWL.Class) in g:
                roots.add(shape)  # implicit class target
                self.add((Step("s", RDF_TYPE),))
        for shape in roots:
            self.targets(shape)
            self.any_shape(shape, (), depth=0)
        # the report names each focus by its label
        self.add((Step("s", str(RDFS.label)),))
        return self.plan

    def add(self, chain: Chain) -> None:
        if chain:
            self.plan.chains.add(chain)

    def targets(self, shape: Any) -> None:
        g = self.g
        if any(True for _ in g.objects(shape, SH.targetClass)):
            self.add((Step("s", RDF_TYPE),))
        for p in g.objects(shape, SH.targetSubjectsOf):
            self.add((Step("s", str(p)),))
        for p in g.objects(shape, SH.targetObjectsOf):
            self.add((Step("o", str(p)),))
        for target in g.objects(shape, SH.target):
            select = g.value(target, SH.select)
            if (target, RDF.type, SH.SPARQLTarget) not in g or select is None:
                self.fail(f"{shape}: a custom target type cannot be scoped")
                continue
            for chain in self.sparql(str(select), var="this", what=f"target of {shape}"):
                self.add(chain)

    def any_shape(self, shape: Any, prefix: Chain, *, depth: int) -> None:
        """A shape used by another (sh:node, sh:not, sh:or, sh:qualifiedValueShape …): node or property shape."""
        if self.g.value(shape, SH.path) is not None:
            self.property(shape, prefix, depth=depth)
        else:
            self.shape(shape, prefix, depth=depth)

    def shape(self, shape: Any, prefix: Chain, *, depth: int) -> None:
        """The reads of a node shape at the end of ``prefix``."""
        g = self.g
        if depth > 12:
            self.fail(f"{shape}: shapes nested deeper than 12 (recursive?)")
            return
        for p, o in g.predicate_objects(shape):
            if p == SH["class"]:
                self.add((*prefix, Step("s", RDF_TYPE)))
            elif p in (SH.node, SH["not"]):
                self.any_shape(o, prefix, depth=depth + 1)
            elif p in (SH["and"], SH["or"], SH.xone):
                for member in rdflib.collection.Collection(g, o):
                    self.any_shape(member, prefix, depth=depth + 1)
            elif p == SH.property:
                self.property(o, prefix, depth=depth + 1)
            elif p == SH.sparql:
                select = g.value(o, SH.select)
                if select is None or g.value(shape, SH.path) is not None:
                    self.fail(f"{shape}: a SPARQL constraint of a property shape ($PATH) cannot be scoped")
                    continue
                for chain in self.sparql(str(select), var="this", what=f"constraint {o}"):
                    self.add((*prefix, *chain))
            elif p == SH.closed:
                if o == rdflib.Literal(True):
                    self.add((*prefix, Step("s")))
            elif p in (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals):
                self.add((*prefix, Step("s", str(o), out="o")))
            elif p == SH.qualifiedValueShape:
                pass  # read by property() at the values
            elif p == SH.qualifiedValueShapesDisjoint:
                if o == rdflib.Literal(True):
                    self.fail(f"{shape}: sh:qualifiedValueShapesDisjoint cannot be scoped")
            elif str(p).startswith(str(SH)) and p not in _LOCAL:
                self.fail(f"{shape}: constraint {p} cannot be scoped")

    def property(self, shape: Any, prefix: Chain, *, depth: int) -> None:
        g = self.g
        path = g.value(shape, SH.path)
        if path is None:
            self.fail(f"{shape}: a property shape without sh:path")
            return
        for steps in self.path(path):
            at = (*prefix, *steps)
            self.add(at)
            # constraints on the value nodes
            for p, o in g.predicate_objects(shape):
                if p == SH["class"]:
                    self.add((*at, Step("s", RDF_TYPE)))
                elif p in (SH.node, SH["not"], SH.qualifiedValueShape):
                    self.any_shape(o, at, depth=depth + 1)
                elif p in (SH["and"], SH["or"], SH.xone):
                    for member in rdflib.collection.Collection(g, o):
                        self.any_shape(member, at, depth=depth + 1)
                elif p in (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals):
                    self.add((*prefix, Step("s", str(o), out="o")))
        # node-level parameters of the property shape itself (sh:sparql etc.)
        for p, _ in g.predicate_objects(shape):
            if p == SH.sparql:
                self.fail(f"{shape}: a SPARQL constraint of a property shape ($PATH) cannot be scoped")
            elif p == SH.property:
                self.fail(f"{shape}: sh:property inside a property shape")
            elif (
                str(p).startswith(str(SH))
                and p not in _LOCAL
                and p
                not in {
                    SH["class"],
                    SH.node,
                    SH["not"],
                    SH["and"],
                    SH["or"],
                    SH.xone,
                    SH.qualifiedValueShape,
                    SH.equals,
                    SH.disjoint,
                    SH.lessThan,
                    SH.lessThanOrEquals,
                    SH.qualifiedValueShapesDisjoint,
                    SH.closed,
                }
            ):
                self.fail(f"{shape}: constraint {p} cannot be scoped")

    def path(self, node: Any) -> list[Chain]:
        """The alternative step sequences of a SHACL property path."""
        g = self.g
        if isinstance(node, rdflib.URIRef):
            return [(Step("s", str(node), out="o"),)]
        inverse = g.value(node, SH.inversePath)
        if inverse is not None:
            if not isinstance(inverse, rdflib.URIRef):
                self.fail(f"inverse of a complex path {inverse}")
                return []
            return [(Step("o", str(inverse), out="s"),)]
        alternative = g.value(node, SH.alternativePath)
        if alternative is not None:
            return [seq for member in rdflib.collection.Collection(g, alternative) for seq in self.path(member)]
        optional = g.value(node, SH.zeroOrOnePath)
        if optional is not None:
            return [(), *self.path(optional)]
        if g.value(node, SH.zeroOrMorePath) is not None or g.value(node, SH.oneOrMorePath) is not None:
            self.fail("a path of unbounded length (sh:zeroOrMorePath/sh:oneOrMorePath)")
            return []
        if g.value(node, RDF.first) is not None:
            seqs: list[Chain] = [()]
            for member in rdflib.collection.Collection(g, node):
                seqs = [(*a, *b) for a in seqs for b in self.path(member)]
            return seqs
        self.fail(f"unknown path {node}")
        return []

    def sparql(self, select: str, *, var: str, what: str) -> list[Chain]:
        """The chains of a SPARQL SELECT, from the variable ``var`` (``$this``)."""
        from rdflib.plugins.sparql import prepareQuery
        from rdflib.plugins.sparql.parserutils import CompValue

        try:
            query = prepareQuery(select, initNs=self.prefixes)
        except Exception as err:  # pyshacl would fail on it too
            self.fail(f"{what}: cannot parse ({err})")
            return []
        patterns: list[tuple[Any, Any, Any, Any]] = []  # s, p, o, graph context (None: the union)
        problems: list[str] = []

        def walk(node: Any, ctx: Any) -> None:
            if isinstance(node, CompValue):
                if node.name == "ServiceGraphPattern":
                    problems.append("SERVICE")
                # translated algebra (BGP, Graph) and, inside EXISTS, the parse tree (TriplesBlock, GraphGraphPattern)
                if node.name in ("BGP", "TriplesBlock"):
                    for s, p, o in node.triples:
                        if not isinstance(p, rdflib.URIRef | rdflib.Variable):
                            problems.append("a property path")
                        patterns.append((s, p, o, ctx))
                    return
                if node.name == "Graph":
                    walk(node.p, node.term)
                    return
                if node.name == "GraphGraphPattern":
                    walk(node.graph, node.term)
                    return
                for value in node.values():
                    walk(value, ctx)
            elif isinstance(node, list | tuple):
                for item in node:
                    walk(item, ctx)

        walk(query.algebra, None)
        if problems:
            self.fail(f"{what}: {', '.join(sorted(set(problems)))} cannot be scoped")
            return []
        # how often a variable is mentioned (in the text: filters and projections count too);
        # a blank node of the pattern acts as a variable mentioned where it appears
        occurrences: dict[str, int] = defaultdict(int)
        for name in re.findall(r"[?$]([A-Za-z_]\w*)", select):
            occurrences[name] += 1
        patterns = [tuple(_var(t) for t in pattern) for pattern in patterns]
        for pattern in patterns:
            for t in pattern:
                if isinstance(t, rdflib.Variable) and str(t).startswith("_:"):
                    occurrences[str(t)] += 1
        bound: dict[str, list[Chain]] = {var: [()]}
        todo = list(patterns)
        chains: list[Chain] = []
        while todo:
            progress = False
            for pattern in list(todo):
                s, p, o, ctx = pattern
                positions = {"s": s, "o": o, "g": ctx}
                start = next(
                    (k for k, t in positions.items() if isinstance(t, rdflib.Variable) and str(t) in bound), None
                )
                if start is None:
                    continue
                todo.remove(pattern)
                progress = True
                predicate = str(p) if isinstance(p, rdflib.URIRef) else None
                obj = str(o) if isinstance(o, rdflib.URIRef) and start != "o" else None
                if isinstance(o, rdflib.Literal):
                    obj = None  # a literal constant: read every value (a superset)
                union = ctx is None
                others = [
                    (k, str(t))
                    for k, t in positions.items()
                    if k != start and isinstance(t, rdflib.Variable) and str(t) not in bound
                ]
                used_elsewhere = [(k, name) for k, name in others if occurrences[name] > 1]
                for before in list(bound[str(positions[start])]):
                    if not used_elsewhere:
                        exists = not others or all(occurrences[n] <= 1 for _, n in others)
                        exists = exists and predicate is None and obj is None
                        chains.append((*before, Step(start, predicate, obj, None, union, exists)))
                    for k, name in used_elsewhere:
                        step = Step(start, predicate, obj, k, union)
                        chains.append((*before, step))
                        bound.setdefault(name, []).append((*before, step))
            if not progress:
                self.fail(f"{what}: a triple pattern not connected to ?{var} reads the whole graph")
                return []
        return chains


def _var(term: Any) -> Any:
    """A blank node of a query pattern is a variable."""
    return rdflib.Variable("_:" + str(term)) if isinstance(term, rdflib.BNode) else term


@lru_cache(maxsize=4)
def _plan_cached(key: int, shapes: rdflib.Graph) -> Plan:
    return _Reader(shapes).read()


def plan_for(shapes: rdflib.Graph) -> Plan:
    """The chains of a shapes graph (computed once per graph object)."""
    return _plan_cached(id(shapes), shapes)


# --- reading the store --------------------------------------------------------------


def _nt(term: Any) -> str:
    return str(term)


def _terms(step: Step, at: str, node: Any) -> list[Any]:
    """The ``quads_for_pattern`` arguments of ``step`` with ``node`` at position ``at``."""
    terms: list[Any] = [None, None, None, None]
    terms[_POS[at]] = node
    if step.predicate is not None:
        terms[1] = ox.NamedNode(step.predicate)
    if step.obj is not None and at != "o":
        terms[2] = ox.NamedNode(step.obj)
    return terms


class View:
    """The store as a write would leave it: the store minus ``removed``, plus ``extra`` (an in-memory store).

    ``extra`` holds the added quads and any bundled ontology graph the store
    lacks (validation always sees those). The inferred graph is never read.
    """

    def __init__(self, store: GraphStore, extra: ox.Store, removed: set[ox.Quad], *, inferred: str) -> None:
        self.store = store
        self.extra = extra
        self.removed = removed
        self.inferred = ox.NamedNode(inferred)
        self.embedded = store.native is not None
        self.queries = 0

    # one query: the quads matching ``step`` with a node of ``nodes`` at ``at``
    def _store_match(self, step: Step, at: str, nodes: Sequence[Any], *, limit: int | None = None) -> Iterator[ox.Quad]:
        named = [n for n in nodes if isinstance(n, ox.NamedNode | ox.Literal)]
        blank = [n for n in nodes if isinstance(n, ox.BlankNode)]
        if blank:
            if not self.embedded:
                raise Unscopable("a blank node cannot be named in a SPARQL query to a remote store")
            for n in blank:
                yield from self._pattern(step, at, n, limit)
        for i in range(0, len(named), _BATCH):
            yield from self._query(step, at, named[i : i + _BATCH], limit)

    def _pattern(self, step: Step, at: str, node: Any, limit: int | None) -> Iterator[ox.Quad]:
        n = 0
        for q in self.store.oxigraph.quads_for_pattern(*_terms(step, at, node)):
            if q.graph_name == self.inferred:
                continue
            yield q
            n += 1
            if limit is not None and n >= limit:
                return

    def _query(self, step: Step, at: str, nodes: Sequence[Any], limit: int | None) -> Iterator[ox.Quad]:
        s = "?s"
        p = f"<{step.predicate}>" if step.predicate is not None else "?p"
        o = f"<{step.obj}>" if step.obj is not None and at != "o" else "?o"
        var = {"s": "?s", "o": "?o", "g": "?g"}[at]
        values = f"VALUES {var} {{ {' '.join(_nt(n) for n in nodes)} }}"
        triple = f"{s} {p} {o}"
        named = f"{{ GRAPH ?g {{ {triple} }} FILTER(?g != {_nt(self.inferred)}) }}"
        body = named if at == "g" else f"{named} UNION {{ {triple} }}"
        tail = f" LIMIT {limit}" if limit is not None else ""
        self.queries += 1
        for row in self.store.query(f"SELECT * WHERE {{ {values} {body} }}{tail}", union=False):
            yield ox.Quad(
                row["s"],
                ox.NamedNode(step.predicate) if step.predicate is not None else row["p"],
                ox.NamedNode(step.obj) if step.obj is not None and at != "o" else row["o"],
                row["g"] if row["g"] is not None else ox.DefaultGraph(),
            )

    def _extra_match(self, step: Step, at: str, nodes: Iterable[Any]) -> Iterator[ox.Quad]:
        for node in nodes:
            if at == "g" and not isinstance(node, ox.NamedNode | ox.BlankNode):
                continue
            yield from self.extra.quads_for_pattern(*_terms(step, at, node))

    def match(self, step: Step, nodes: set[Any]) -> list[ox.Quad]:
        """The quads the step reads from these nodes, in the store as the write leaves it."""
        nodes_ = [n for n in nodes if step.start == "o" or not isinstance(n, ox.Literal)]
        if step.start == "g":
            nodes_ = [n for n in nodes_ if n != self.inferred]
        if not nodes_:
            return []
        out: list[ox.Quad] = list(self._extra_match(step, step.start, nodes_))
        if step.exists:
            # one quad per node is enough, but it must not be one the write removes
            for node in nodes_:
                cut = sum(1 for q in self.removed if q[_POS[step.start]] == node) + 1 if self.removed else 1
                out += [q for q in self._store_match(step, step.start, [node], limit=cut) if q not in self.removed]
            return out
        out += [q for q in self._store_match(step, step.start, nodes_) if q not in self.removed]
        return out

    def back(self, step: Step, nodes: set[Any]) -> set[Any]:
        """The nodes from which ``step`` reaches one of ``nodes`` (store and added quads; a superset)."""
        if step.out is None:
            return set()
        nodes_ = [n for n in nodes if step.out == "o" or not isinstance(n, ox.Literal)]
        if not nodes_:
            return set()
        quads = [*self._extra_match(step, step.out, nodes_), *self._store_match(step, step.out, nodes_)]
        return {q[_POS[step.start]] for q in quads}

    def all_with_predicate(self, predicate: str) -> list[ox.Quad]:
        """Every quad of one predicate (the class hierarchy), as the write leaves the store."""
        p = ox.NamedNode(predicate)
        quads = [q for q in self.extra.quads_for_pattern(None, p, None)]
        named = f"{{ GRAPH ?g {{ ?s {p} ?o }} FILTER(?g != {self.inferred}) }} UNION {{ ?s {p} ?o }}"
        self.queries += 1
        for row in self.store.query(f"SELECT * WHERE {{ {named} }}", union=False):
            q = ox.Quad(row["s"], p, row["o"], row["g"] if row["g"] is not None else ox.DefaultGraph())
            if q not in self.removed:
                quads.append(q)
        return quads


def union_changes(view: View, changed: Iterable[ox.Quad], *, virtual_before: set[ox.Triple]) -> set[ox.Triple]:
    """The triples whose presence in the union of graphs the write changes.

    Before: in a graph of the store, or in a bundled ontology graph the store
    lacks (``virtual_before``). After: in the store but not removed, or added
    (the view's ``extra``).
    """
    triples = {q.triple for q in changed}
    stored: dict[ox.Triple, set[Any]] = defaultdict(set)  # the graphs of the store holding each triple
    rows = list(triples)
    for i in range(0, len(rows), _BATCH):
        chunk = rows[i : i + _BATCH]
        values = " ".join(f"({t.subject} {t.predicate} {t.object})" for t in chunk)
        query = (
            f"SELECT * WHERE {{ VALUES (?s ?p ?o) {{ {values} }} "
            f"{{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {view.inferred}) }} UNION {{ ?s ?p ?o }} }}"
        )
        view.queries += 1
        for row in view.store.query(query, union=False):
            g = row["g"] if row["g"] is not None else ox.DefaultGraph()
            stored[ox.Triple(row["s"], row["p"], row["o"])].add(g)
    out = set()
    for t in triples:
        graphs = stored.get(t, set())
        before = bool(graphs) or t in virtual_before
        after = any(ox.Quad(t.subject, t.predicate, t.object, g) not in view.removed for g in graphs) or any(
            True for _ in view.extra.quads_for_pattern(t.subject, t.predicate, t.object)
        )
        if before != after:
            out.add(t)
    return out


def scope(plan: Plan, view: View, changed: Sequence[ox.Quad], *, virtual_before: set[ox.Triple]) -> set[Any]:
    """The focus nodes whose SHACL results the change (quads added or removed) can alter."""
    for q in changed:
        if q.predicate.value == SUBCLASS:
            raise Unscopable("the class hierarchy (rdfs:subClassOf) changes")
        if any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object, q.graph_name)):
            raise Unscopable("a blank node in the change cannot be named in a SPARQL query")
    union = union_changes(view, changed, virtual_before=virtual_before)
    by_predicate: dict[str | None, list[tuple[Chain, int]]] = defaultdict(list)
    for chain in plan.chains:
        for k, step in enumerate(chain):
            by_predicate[step.predicate].append((chain, k))
    frontier: dict[Chain, set[Any]] = defaultdict(set)
    for q in changed:
        in_union = q.triple in union
        for chain, k in (*by_predicate.get(q.predicate.value, ()), *by_predicate.get(None, ())):
            step = chain[k]
            if (step.union and not in_union) or not step.matches(q):
                continue
            node = q[_POS[step.start]]
            if isinstance(node, ox.DefaultGraph):
                continue
            frontier[chain[:k]].add(node)
    foci: set[Any] = set()
    done: dict[tuple[Chain, frozenset[Any]], set[Any]] = {}
    for prefix, nodes in sorted(frontier.items(), key=lambda item: len(item[0])):
        current = set(nodes)
        for i in range(len(prefix) - 1, -1, -1):
            key = (prefix[: i + 1], frozenset(current))
            if key not in done:
                done[key] = view.back(prefix[i], current)
            current = done[key]
            if not current:
                break
        foci |= current
    return {f for f in foci if not isinstance(f, ox.Literal)}


def neighbourhood(plan: Plan, view: View, foci: set[Any]) -> set[ox.Quad]:
    """Every quad the shapes read from the focus nodes (plus the class hierarchy)."""
    quads: set[ox.Quad] = set(view.all_with_predicate(SUBCLASS))
    nodes: dict[Chain, set[Any]] = {(): set(foci)}
    for prefix in plan.prefixes():
        start = nodes.get(prefix[:-1])
        if not start:
            continue
        step = prefix[-1]
        found = view.match(step, start)
        quads.update(found)
        if step.out is not None:
            nodes[prefix] = {q[_POS[step.out]] for q in found if not isinstance(q[_POS[step.out]], ox.DefaultGraph)}
    return quads
