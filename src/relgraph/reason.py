"""Reasoning: rules from the ontology materialise what it implies; HermiT checks consistency.

``materialise(store)`` writes the triples the ontology implies that are *not
already asserted* into one named graph, ``{base}graph/inferred``:

- types through the class hierarchy (``city:hamburg a rg:Place, schema:City …``)
  and through domains and ranges with a named class (or a union of named classes);
- inverses (``rg:partyTo`` from ``rg:party``, ``rg:frames`` from ``rg:partOf``);
- symmetric ``rg:partnerOf`` via the chain ``rg:partyTo ∘ rg:party`` of
  ``rules/reasoning.ttl`` (reflexive ``x rg:partnerOf x`` dropped);
- transitive ``rg:locatedIn``, with ``rg:country`` as a sub-property;
- super-properties (``rg:signing`` ⊑ ``prov:wasGeneratedBy`` …).

The rules are derived from the ontology graphs and run inside the store as
SPARQL Update (:mod:`relgraph.rules`); with a :class:`relgraph.rules.Change`
(from :func:`relgraph.rules.track_changes` around a write) only what the
changed graphs can change is recomputed. Why not HermiT any more: on the
2016 Wikidata extract HermiT took about 88 s of a 106 s import, and it does
not scale to the 100k-agreement benchmark; the rules give every triple HermiT
gave on the bundled data (``tests/reason/test_rules.py`` compares the sets).

HermiT (owlready2, needs Java) stays as the consistency check:
``relgraph reason --check`` (:func:`check`) reports an inconsistency with the
entities involved (:func:`explain_inconsistency`). The rules do not look for
contradictions.

Queries see the inferred graph by default: it is one of the named graphs whose
union is the default graph. To leave it out, name the graphs you want
(``FROM <…/graph/x>``), or ``GRAPH ?g { … } FILTER(?g != <{base}graph/inferred>)``.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import RelgraphError
from .namespaces import OWL, PREFIXES, RDF, RDF_TYPE, RDFS, graph_iri
from .rules import Change, track_changes

if TYPE_CHECKING:
    from .store import GraphStore

__all__ = [
    "INFERRED_SLUG",
    "Change",
    "InconsistentData",
    "ReasonResult",
    "ReasonerUnavailable",
    "asserted_quads",
    "check",
    "explain_inconsistency",
    "infer",
    "inferred_graph",
    "materialise",
    "track_changes",
]

INFERRED_SLUG = "inferred"
ProgressFn = Callable[[str], None]


class ReasonerUnavailable(RelgraphError):
    """HermiT cannot run (no Java)."""

    hint = "HermiT needs Java: apt-get install default-jre-headless"


class InconsistentData(RelgraphError):
    """HermiT found the ontology and data contradictory; ``clashes`` says where."""

    hint = "fix the data named above; the inferred graph was left out of the store"

    def __init__(self, clashes: list[str]) -> None:
        self.clashes = clashes
        detail = "; ".join(clashes) if clashes else "HermiT gave no details and no simple type clash was found"
        super().__init__(f"the data is inconsistent with the ontology: {detail}")


@dataclass
class ReasonResult:
    """What one materialisation did: the inferred graph's size, what it gained and lost, how.

    ``triples`` is ``None`` after an incremental run: counting the whole inferred
    graph would cost in proportion to the store, not to the change.
    """

    graph: str
    triples: int | None
    added: int = 0
    removed: int = 0
    mode: str = "full"
    rounds: int = 0
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        change = f"+{self.added:,} −{self.removed:,}" if self.mode == "incremental" else f"{self.added:,} new"
        size = f"{self.triples:,} triples" if self.triples is not None else "triples"
        return (
            f"inferred {size} into {self.graph} ({self.mode}, {change}) "
            f"by rules in {self.seconds:.2f} s, {self.rounds} round(s)"
        )


def _short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return f"<{iri}>"


def inferred_graph(base: str) -> str:
    return graph_iri(INFERRED_SLUG, base=base)


def asserted_quads(store: GraphStore) -> list[ox.Quad]:
    """Every quad of the store except the inferred graph (and work graphs of an interrupted run)."""
    from .rules import WORK_PREFIX

    inferred = ox.NamedNode(inferred_graph(store.base))
    work = graph_iri(WORK_PREFIX, base=store.base)
    return [
        q
        for q in store.oxigraph.quads_for_pattern(None, None, None, None)
        if isinstance(q.graph_name, ox.DefaultGraph)
        or (q.graph_name != inferred and not q.graph_name.value.startswith(work))
    ]


def _with_ontology(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The quads plus bundled ontology files whose graph is not in them (e.g. the rules on an old store)."""
    from .resources import ontology_files

    present = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    extra: list[ox.Quad] = []
    for path in ontology_files():
        if path.suffix != ".ttl":
            continue
        names = {graph_iri(path.stem), *(g for g in present if g.endswith("/graph/" + path.stem))}
        if names & present:
            continue
        g = ox.NamedNode(graph_iri(path.stem))
        extra += [
            ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        ]
    return quads + extra


def _java() -> str:
    import owlready2

    java = shutil.which(owlready2.JAVA_EXE or "java")
    if not java:
        raise ReasonerUnavailable("Java was not found, so the HermiT reasoner cannot run")
    return java


def _hermit(quads: list[ox.Quad], triples: set[ox.Triple], *, infer_property_values: bool) -> tuple[Any, float]:
    """Run HermiT over ``triples`` in a fresh owlready2 world; the world (left open) and HermiT's seconds.

    An inconsistency is explained from ``quads`` (:class:`InconsistentData`); the world is closed on failure.
    """
    import owlready2

    owlready2.JAVA_EXE = _java()
    world = owlready2.World()
    with tempfile.TemporaryDirectory(prefix="relgraph-reason-") as tmp:
        path = Path(tmp) / "input.nt"
        with path.open("wb") as out:
            ox.serialize(triples, out, format=ox.RdfFormat.N_TRIPLES)
        world.get_ontology(path.as_uri()).load(format="ntriples")
        started = time.perf_counter()
        try:
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=infer_property_values, debug=0, ignore_unsupported_datatypes=True
            )
        except owlready2.OwlReadyInconsistentOntologyError:
            world.close()
            raise InconsistentData(explain_inconsistency(quads)) from None
        except owlready2.OwlReadyJavaError as err:
            world.close()
            raise RelgraphError(f"HermiT failed: {str(err).strip()[-2000:]}") from None
        return world, time.perf_counter() - started


def infer(quads: Iterable[ox.Quad], *, with_ontology: bool = True) -> tuple[set[ox.Triple], float]:
    """The triples HermiT entails from the quads that are not among them, and HermiT's time.

    Raises :class:`InconsistentData` (with an explanation) or :class:`ReasonerUnavailable`.
    """
    quads = list(quads)
    if with_ontology:
        quads = _with_ontology(quads)
    asserted = {q.triple for q in quads}
    world, hermit = _hermit(quads, asserted, infer_property_values=True)
    with _descendants_memo():
        new = _entailed(world, asserted)
    world.close()
    return new, hermit


@contextlib.contextmanager
def _descendants_memo() -> Iterator[None]:
    """Answer owlready2's ``Prop.descendants()`` from a memo while the entailments are read.

    owlready2 recomputes a property's sub-properties (a recursive SQLite query)
    twice for every individual and property it is asked about. Nothing changes
    the world while we read, so each answer is the same every time. Measured on
    the bundled Wikidata extract (27 630 individuals, 43 properties): without the
    memo these queries were 97% of the reading time, about 30 minutes.
    """
    from owlready2.prop import PropertyClass

    original = PropertyClass.descendants
    memo: dict[tuple[Any, ...], frozenset[Any]] = {}

    def descendants(prop: Any, include_self: bool = True, only_loaded: bool = False, world: Any = None) -> set[Any]:
        key = (prop, include_self, only_loaded, world)
        if key not in memo:
            memo[key] = frozenset(original(prop, include_self, only_loaded, world))
        return set(memo[key])

    PropertyClass.descendants = descendants
    try:
        yield
    finally:
        PropertyClass.descendants = original


def _entailed(world: Any, asserted: set[ox.Triple]) -> set[ox.Triple]:
    """The entailed triples of ``world`` (after HermiT) that are not among ``asserted``."""
    import owlready2

    new: set[ox.Triple] = set()

    def add(s: str, p: str, o: str) -> None:
        if s == o and p != RDF_TYPE:
            return  # a party is not its own partner (rg:partnerOf via the chain), nor anything else of itself
        t = ox.Triple(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o))
        if t not in asserted:
            new.add(t)

    thing = owlready2.Thing
    # owlready2 lists only declared owl:NamedIndividuals; our data types its individuals directly.
    names = {
        term.value
        for t in asserted
        if t.predicate.value == RDF_TYPE
        for term in (t.subject,)
        if isinstance(term, ox.NamedNode)
    }
    individuals = [ind for ind in (world[name] for name in sorted(names)) if isinstance(ind, thing)]
    properties = list(world.object_properties())
    for ind in individuals:
        for cls in ind.INDIRECT_is_a:
            if isinstance(cls, owlready2.ThingClass) and cls is not thing and cls.iri:
                add(ind.iri, RDF_TYPE, cls.iri)
        # transitive, symmetric, inverse and super-properties, plus what HermiT added (chains)
        for prop in properties:
            for value in prop._get_indirect_values_for_individual(ind):
                if isinstance(value, thing) and value.iri:
                    add(ind.iri, prop.iri, value.iri)
    return new


def materialise(store: GraphStore, *, change: Change | None = None, progress: ProgressFn | None = None) -> ReasonResult:
    """Bring ``{base}graph/inferred`` up to date with the rules of the ontology.

    With ``change`` (recorded by :func:`track_changes` around the write) only
    what the changed graphs can change is recomputed; without it, everything
    is (the result is the same). On an error the inferred graph stays as it was.
    """
    from .rules import run

    result = run(store, inferred=inferred_graph(store.base), change=change, progress=progress)
    return ReasonResult(
        result.graph,
        result.triples,
        added=result.added,
        removed=result.removed,
        mode=result.mode,
        rounds=result.rounds,
        seconds=result.seconds,
        skipped=result.skipped,
    )


def check(store: GraphStore, *, progress: ProgressFn | None = None) -> float:
    """HermiT's consistency check over the asserted graphs and the ontology; its seconds.

    Raises :class:`InconsistentData` naming the entities involved, or
    :class:`ReasonerUnavailable` without Java. Reads the whole store into
    memory (owlready2 needs it there), so it is a check to run on purpose and in CI.
    """
    if progress:
        progress("checking consistency with HermiT")
    started = time.perf_counter()
    quads = _with_ontology(asserted_quads(store))
    world, _ = _hermit(quads, {q.triple for q in quads}, infer_property_values=False)
    world.close()
    return time.perf_counter() - started


# --- explaining an inconsistency -------------------------------------------------------


def explain_inconsistency(quads: Iterable[ox.Quad]) -> list[str]:
    """Name the individuals whose types clash, in words, with the graphs that state them.

    HermiT (through owlready2) only says "inconsistent"; this looks for the usual
    causes: an individual in two disjoint classes (asserted, via sub-classes, or
    via the domain/range of a property it is used with), and two values of a
    functional property.
    """
    quads = list(quads)
    sub: dict[str, set[str]] = defaultdict(set)
    domain: dict[str, set[str]] = defaultdict(set)
    range_: dict[str, set[str]] = defaultdict(set)
    functional: set[str] = set()
    disjoint: set[frozenset[str]] = set()
    lists: dict[Any, tuple[Any, Any]] = {}
    all_disjoint: list[Any] = []
    labels: dict[str, str] = {}
    for q in quads:
        s, p, o = q.subject, q.predicate.value, q.object
        if isinstance(s, ox.Triple):
            continue  # an RDF-star statement about a statement: no class or property axiom
        if p == RDFS + "subClassOf" and isinstance(o, ox.NamedNode) and isinstance(s, ox.NamedNode):
            sub[s.value].add(o.value)
        elif p == RDFS + "domain" and isinstance(o, ox.NamedNode):
            domain[s.value].add(o.value)
        elif p == RDFS + "range" and isinstance(o, ox.NamedNode):
            range_[s.value].add(o.value)
        elif p == RDF_TYPE and o == ox.NamedNode(OWL + "FunctionalProperty"):
            functional.add(s.value)
        elif p == OWL + "disjointWith" and isinstance(o, ox.NamedNode):
            disjoint.add(frozenset((s.value, o.value)))
        elif p == OWL + "members":
            all_disjoint.append(o)
        elif p in (RDF + "first", RDF + "rest"):
            first, rest = lists.get(s, (None, None))
            lists[s] = (o, rest) if p == RDF + "first" else (first, o)
        elif (
            p == RDFS + "label" and isinstance(o, ox.Literal) and (o.language in (None, "en") or s.value not in labels)
        ):
            labels[s.value] = o.value
    for head in all_disjoint:
        members, node, guard = [], head, 0
        while node in lists and guard < 10_000:
            first, node = lists[node]
            if isinstance(first, ox.NamedNode):
                members.append(first.value)
            guard += 1
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                disjoint.add(frozenset((a, b)))

    def ancestors(cls: str) -> set[str]:
        seen, todo = {cls}, [cls]
        while todo:
            for parent in sub.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    # why each individual has each type: (class, reason)
    why: dict[str, list[tuple[str, str]]] = defaultdict(list)
    values: dict[tuple[str, str], set[str]] = defaultdict(set)
    for q in quads:
        s, p, o = q.subject, q.predicate.value, q.object
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "default graph"
        if not isinstance(s, ox.NamedNode):
            continue
        if p == RDF_TYPE and isinstance(o, ox.NamedNode):
            why[s.value].append((o.value, f"stated a {_short(o.value)} in <{g}>"))
            continue
        for cls in domain.get(p, ()):
            why[s.value].append((cls, f"subject of {_short(p)} (domain {_short(cls)}) in <{g}>"))
        if isinstance(o, ox.NamedNode):
            for cls in range_.get(p, ()):
                why[o.value].append((cls, f"value of {_short(p)} (range {_short(cls)}) in <{g}>"))
        if p in functional:
            values[(s.value, p)].add(str(o))

    clashes: list[str] = []
    for ind, reasons in sorted(why.items()):
        closure: dict[str, str] = {}
        for cls, reason in reasons:
            for anc in ancestors(cls):
                closure.setdefault(anc, f"{_short(cls)} ({reason})")
        found = sorted({tuple(sorted(pair)) for pair in disjoint if all(c in closure for c in pair)})
        for a, b in found:
            name = labels.get(ind)
            who = f"{name} <{ind}>" if name else f"<{ind}>"
            clashes.append(
                f"{who} is both {_short(a)} and {_short(b)}, which the ontology declares disjoint: "
                f"{closure[a]}; {closure[b]}"
            )
    for (ind, prop), vals in sorted(values.items()):
        literal_vals = {v for v in vals if v.startswith('"')}
        if len(literal_vals) > 1:
            clashes.append(
                f"<{ind}> has {len(literal_vals)} values of the functional property {_short(prop)}: "
                + ", ".join(sorted(literal_vals))
            )
    return clashes
