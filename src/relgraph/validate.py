"""SHACL validation of relgraph data, and the gate that keeps bad data out of the store.

What is checked lives in ``ontology/shapes.ttl``; this module runs it and turns
pyshacl's report into findings grouped by entity: the entity's label and IRI,
the property, the shape's message (de/en/fr), the severity and, when the triple
came from a file, ``file line N``.

Why pyshacl
    It is the only maintained SHACL engine for Python, runs in-process on
    rdflib graphs (no JVM, no server), implements SHACL Core plus the SPARQL
    constraints and SPARQL targets (SHACL-AF) our shapes use, and reports
    ``sh:resultMessage`` in every language the shape gives. Oxigraph has no
    SHACL engine, so the quads are copied into an in-memory rdflib Dataset;
    nothing is written to the store while validating.

How it is run
    The data graph is an rdflib Dataset with one named graph per source (so a
    SPARQL constraint can ask *which graph* a statement is in) and pyshacl's
    default-union view for the other shapes. The ontology files (every RDF
    file under ``ontology/`` but ``shapes.ttl``) are added as named graphs of
    their own, unless the data already holds them, rather
    than passed as ``ont_graph``: pyshacl mixes an ``ont_graph`` into *every*
    named graph of a Dataset, and ``sh:targetClass``/``sh:class`` only need the
    ``rdfs:subClassOf`` triples, which the union then holds. No inference is
    run (``inference="none"``): the shapes are written against asserted types
    plus the class hierarchy, which SHACL follows itself. Measured on the
    bundled data (15 graphs, 2,716 triples): 1.3–1.5 s with ``inference="none"``
    against 2.6–3.0 s with ``ont_graph`` + ``inference="rdfs"``, and the latter
    is also wrong for us: 42 results instead of 20, because pyshacl puts its
    inferences into a named graph of their own (``urn:pyshacl:inference``, which
    then "lacks a source") and mixes the ontology into each graph without the
    concept schemes' ``skos:inScheme``; RDFS range inference would moreover
    *hide* errors (a range axiom makes any value "a Place"). The inferred graph
    ``{base}graph/inferred`` is never validated: it is recomputed from the
    validated data.

Why the gate validates the change, not the store
    Copying the whole would-be store into rdflib does not scale: loading the
    bundled data (2.7k triples) into a store of the 10k-agreement synthetic
    graph (292k triples) took 6 min 30 s and 1.26 GB, into the 100k graph
    (2.9M triples) it ran past 12 min at 11 GB, and a one-triple ``/update``
    took ~2 s on the 3k-triple bundled store. So the gate (:func:`gate` for
    loads and importers, :func:`gate_update` for ``/update``) computes the
    change (quads added and removed), derives from the shapes which focus
    nodes it can affect and which quads the shapes read from them
    (:mod:`relgraph.shacl_scope`), fetches those with SPARQL (embedded and
    remote store alike) and runs pyshacl on that neighbourhood only, reporting
    findings of those foci. ``tests/validate/test_scoped.py`` checks it against
    the whole-store run on every fixture. Measured (``bench/gate.py``, 2 shared
    cores): the same load into the 100k store takes 4.6 s in all, ~1 s of it
    the gate, at 116 MiB peak RSS. ``relgraph validate`` without files still
    checks the whole store, and changes the scoping cannot handle (see
    :mod:`relgraph.shacl_scope`) fall back to the whole-store check.
"""

from __future__ import annotations

import json
import logging
import re
import time
import warnings
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS

from . import progress, settings
from .errors import RelgraphError
from .namespaces import PREFIXES, XSD, graph_iri
from .resources import bundled_dir, ontology_files

if TYPE_CHECKING:
    from .store import GraphStore

__all__ = [
    "INFERRED_GRAPH_SLUG",
    "Finding",
    "ValidationError",
    "ValidationReport",
    "format_json",
    "format_text",
    "gate",
    "gate_summary",
    "gate_update",
    "shapes_graph",
    "update_delta",
    "validate_change",
    "validate_files",
    "validate_quads",
    "validate_store",
    "would_be_content",
]

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


class _IllTypedLiterals(logging.Filter):
    """Drops rdflib's warning (with a traceback) for a literal outside its datatype (``"2023-02-31"^^xsd:date``).

    The shapes report such a literal with entity, property, value, file and line;
    rdflib's traceback on stderr before that report only hid it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form to value")


logging.getLogger("rdflib.term").addFilter(_IllTypedLiterals())
INFERRED_GRAPH_SLUG = "inferred"
_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_LANGS = ("en", "de", "fr")


class ValidationError(RelgraphError):
    """Data that breaks the shapes; nothing was written."""

    hint = "nothing was written; fix the data, or load with --no-validate"

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(f"{len(report.violations)} violation(s) of the relgraph shapes")


@dataclass
class Finding:
    """One thing wrong with one entity."""

    focus: str
    label: str | None
    path: str | None
    message: str
    severity: str
    value: str | None = None
    shape: str | None = None
    file: str | None = None
    line: int | None = None

    @property
    def where(self) -> str | None:
        if self.file is None:
            return None
        return f"{self.file} line {self.line}" if self.line is not None else self.file


@dataclass
class ValidationReport:
    """All findings of one validation run."""

    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    triples: int = 0
    #: Focus nodes checked when only what a change touches was validated; ``None``: the whole store.
    scope: int | None = None
    #: Why a gate validated the whole store instead of the change (``None``: it did not have to).
    fallback: str | None = None

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings do not count)."""
        return not self.violations

    def by_entity(self) -> dict[str, list[Finding]]:
        groups: dict[str, list[Finding]] = defaultdict(list)
        for f in sorted(self.findings, key=lambda f: (f.severity != "Violation", f.focus, f.path or "")):
            groups[f.focus].append(f)
        return dict(groups)

    def to_json(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "triples": self.triples,
            "seconds": round(self.seconds, 3),
            "scope": self.scope,
            "entities": [
                {
                    "iri": focus,
                    "label": items[0].label,
                    "findings": [{k: v for k, v in asdict(f).items() if k not in {"focus", "label"}} for f in items],
                }
                for focus, items in self.by_entity().items()
            ],
        }


# --- terms ---------------------------------------------------------------------


def _to_rdflib(term: Any) -> Any:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == XSD + "string":
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(dt))
    if isinstance(term, ox.DefaultGraph):
        return rdflib.URIRef("urn:x-rdflib:default")
    raise TypeError(f"cannot convert {term!r}")


def _compact(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][\w.-]*", iri[len(ns) :] or "-"):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _path_text(graph: rdflib.Graph, node: Any) -> str | None:
    if node is None:
        return None
    if isinstance(node, rdflib.URIRef):
        return _compact(str(node))
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + (_path_text(graph, inverse) or "?")
    items = list(rdflib.collection.Collection(graph, node)) if graph.value(node, RDF.first) else []
    if items:
        return "/".join(_path_text(graph, i) or "?" for i in items)
    return str(node)


# --- shapes and ontology ---------------------------------------------------------


def _shapes_path() -> Path:
    return bundled_dir("ontology") / "shapes.ttl"


@lru_cache(maxsize=1)
def _shapes_cached(path: str, mtime: float) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    return graph


def shapes_graph() -> rdflib.Graph:
    """The shapes of ``ontology/shapes.ttl`` (parsed once per file version)."""
    path = _shapes_path()
    return _shapes_cached(str(path), path.stat().st_mtime)


@lru_cache(maxsize=4)
def _ontology_quads_cached(key: tuple[tuple[str, float], ...]) -> tuple[ox.Quad, ...]:
    quads: list[ox.Quad] = []
    for name, _ in key:
        path = Path(name)
        graph = ox.NamedNode(graph_iri(path.stem))
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, rename_blank_nodes=True):
            quads.append(ox.Quad(q.subject, q.predicate, q.object, graph))
    return tuple(quads)


def ontology_quads() -> tuple[ox.Quad, ...]:
    """The bundled ontology, concepts and rules, one named graph per file."""
    files = [p for p in ontology_files() if p.suffix == ".ttl"]
    return _ontology_quads_cached(tuple((str(p), p.stat().st_mtime) for p in files))


# --- where a triple came from ------------------------------------------------------


_PREFIX_DECL = re.compile(r"(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)


@dataclass
class _SourceText:
    path: str
    lines: list[str]
    prefixes: dict[str, str]
    turtle_like: bool

    @classmethod
    def read(cls, path: str) -> _SourceText:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX_DECL.finditer(text)}
        suffix = Path(path).suffix.lower()
        return cls(path, text.splitlines(), prefixes, suffix in {".ttl", ".turtle", ".trig", ".nt", ".nq"})

    def forms(self, iri: str) -> list[str]:
        out = [f"<{iri}>"]
        for prefix, ns in self.prefixes.items():
            local = iri[len(ns) :]
            if ns and iri.startswith(ns) and re.fullmatch(r"[\w-]*(?:[\w.-]*[\w-])?", local):
                out.append(f"{prefix}:{local}")
        if iri == str(RDF.type):
            out.append("a")
        return out

    @staticmethod
    def _token(forms: list[str]) -> re.Pattern[str]:
        alternatives = "|".join(re.escape(f) for f in forms)
        return re.compile(rf"(?:^|(?<=[\s;,\[(]))(?:{alternatives})(?=[\s;,.\])]|$)")

    def locate(self, subject: str, predicate: str | None, value: str | None) -> tuple[int | None, bool]:
        """1-based line of the subject's predicate (and value) in the file, and whether the predicate was found.

        Without the predicate, the line of the subject's first statement block.
        """
        if not self.turtle_like:
            # JSON-LD, RDF/XML: the first line naming the subject IRI, when written out in full.
            for i, line in enumerate(self.lines):
                if subject in line:
                    return i + 1, False
            return None, False
        subj = self._token(self.forms(subject))
        pred = self._token(self.forms(predicate)) if predicate else None
        val = self._token(self.forms(value)) if value and re.match(r"^[a-z][a-z0-9+.-]*:", value) else None
        first: int | None = None
        opener: int | None = None
        for i, line in enumerate(self.lines):
            stripped = line.lstrip()
            match = subj.match(stripped)
            if not match:
                continue
            if stripped[match.end() :].lstrip().startswith("{"):
                opener = opener or i + 1  # "GRAPH <g> {": the graph's name, not a statement about it
                continue
            first = first or i + 1
            if pred is None:
                break
            # the statement block: from the subject to the line that ends it with " ."
            end = i
            while end < len(self.lines) - 1 and not _STATEMENT_END.search(self.lines[end]):
                end += 1
            for j in range(i, end + 1):
                text = stripped[match.end() :] if j == i else self.lines[j]
                if pred.search(text):
                    if val is not None:
                        for k in range(j, end + 1):
                            rest = text if k == j else self.lines[k]
                            if val.search(rest):
                                return k + 1, True
                    return j + 1, True
        return first or opener, False


_STATEMENT_END = re.compile(r"(?:^|\s)\.\s*(?:#.*)?$")


class _Locator:
    """Finds the file and line of an entity's triple among the files of a load."""

    def __init__(self, files_by_subject: Mapping[str, Sequence[str]], *, base: str) -> None:
        self.files_by_subject = files_by_subject
        self.base = base
        self._texts: dict[str, _SourceText] = {}

    def _text(self, path: str) -> _SourceText:
        if path not in self._texts:
            self._texts[path] = _SourceText.read(path)
        return self._texts[path]

    def _unrebase(self, iri: str | None) -> str | None:
        default = settings.DEFAULT_BASE
        if iri and self.base != default and iri.startswith((self.base + "id/", self.base + "graph/")):
            return default + iri[len(self.base) :]
        return iri

    def find(self, focus: str, path: str | None, value: str | None) -> tuple[str | None, int | None]:
        """The file stating ``focus path value`` (or, failing that, ``focus``), and the line."""
        files = self.files_by_subject.get(focus, ())
        subject, value = self._unrebase(focus) or focus, self._unrebase(value)
        fallback: tuple[str | None, int | None] = (files[0], None) if files else (None, None)
        for file in files:
            try:
                text = self._text(file)
            except OSError:
                continue
            line, stated = text.locate(subject, path, value)
            if stated:
                return file, line
            if line is not None and fallback[1] is None:
                fallback = (file, line)
        return fallback


# --- running -------------------------------------------------------------------------


def _dataset(quads: Iterable[ox.Quad], *, with_ontology: bool = True) -> tuple[rdflib.Dataset, int]:
    """An rdflib Dataset of the quads, plus the bundled ontology graphs the quads lack."""
    ds = rdflib.Dataset(default_union=True)
    graphs: dict[str, rdflib.Graph] = {}
    count = 0

    def add(q: ox.Quad) -> None:
        nonlocal count
        key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else str(q.graph_name)
        g = graphs.get(key)
        if g is None:
            g = graphs[key] = ds.graph(_to_rdflib(q.graph_name))
        g.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))
        count += 1

    for q in quads:
        add(q)
    if with_ontology:
        present = set(graphs)
        for q in ontology_quads():
            if cast(ox.NamedNode, q.graph_name).value not in present:  # the ontology's graphs are named
                add(q)
    return ds, count


def _pick(values: Iterable[rdflib.term.Node], lang: str) -> str | None:
    best: dict[str, str] = {}
    for v in values:
        best.setdefault(getattr(v, "language", None) or "", str(v))
    for candidate in (lang, *_LANGS, ""):
        if candidate in best:
            return best[candidate]
    return next(iter(best.values()), None)


def validate_quads(
    quads: Iterable[ox.Quad],
    *,
    files_by_subject: Mapping[str, Sequence[str]] | None = None,
    base: str | None = None,
    lang: str = "en",
    with_ontology: bool = True,
) -> ValidationReport:
    """Validate quads (not written anywhere) against the relgraph shapes.

    ``files_by_subject`` maps a subject IRI to the files its triples came from,
    so findings can name ``file line N``. The inferred graph is skipped.
    """
    import pyshacl

    started = time.perf_counter()
    base = base or settings.get("base")
    inferred = graph_iri(INFERRED_GRAPH_SLUG, base=base)
    quads = [q for q in quads if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == inferred)]
    ds, count = _dataset(quads, with_ontology=with_ontology)
    shapes = shapes_graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        _, results, _ = pyshacl.validate(
            ds,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
    locator = _Locator(files_by_subject or {}, base=base)
    findings: list[Finding] = []
    seen: set[tuple[Any, ...]] = set()
    # top-level results only: those of nested shapes (sh:node, sh:or) are details of these
    top = [r for report in results.subjects(RDF.type, SH.ValidationReport) for r in results.objects(report, SH.result)]
    for result in top:
        focus = results.value(result, SH.focusNode)
        path_node = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        severity = _SEVERITY.get(results.value(result, SH.resultSeverity), "Violation")
        messages = list(results.objects(result, SH.resultMessage))
        constraint = results.value(result, SH.sourceConstraint)
        if constraint is not None and not any(getattr(m, "language", None) for m in messages):
            # pyshacl drops the language tags of SPARQL constraint messages; take them from the shape
            template = _pick(shapes.objects(constraint, SH.message), lang)
            if template:
                messages = [rdflib.Literal(template.replace("{$this}", str(focus)).replace("{?this}", str(focus)))]
        message = _pick(messages, lang) or "does not conform"
        shape = results.value(result, SH.sourceShape)
        path_iri = str(path_node) if isinstance(path_node, rdflib.URIRef) else None
        key = (focus, path_node if isinstance(path_node, rdflib.URIRef) else None, value, message, severity)
        if key in seen:
            continue
        seen.add(key)
        focus_text = str(focus)
        value_text = str(value) if value is not None else None
        file, line = locator.find(focus_text, path_iri, value_text if isinstance(value, rdflib.URIRef) else None)
        findings.append(
            Finding(
                focus=focus_text,
                label=_pick(ds.objects(focus, RDFS.label), lang),
                path=_path_text(results, path_node)
                if isinstance(path_node, rdflib.URIRef)
                else (_path_text(shapes, path_node) if path_node is not None else None),
                message=message,
                severity=severity,
                value=(_compact(str(value)) if isinstance(value, rdflib.URIRef) else value_text),
                shape=str(shape) if isinstance(shape, rdflib.URIRef) else None,
                file=file,
                line=line,
            )
        )
    return ValidationReport(findings=findings, seconds=time.perf_counter() - started, triples=count)


def _subjects_by_file(pairs: Iterable[tuple[str, Iterable[ox.Quad]]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for file, quads in pairs:
        for q in quads:
            for node in (q.subject, q.graph_name):
                if isinstance(node, ox.NamedNode) and file not in out[node.value]:
                    out[node.value].append(file)
    return out


def validate_files(
    paths: Sequence[str | Path], *, base: str | None = None, lang: str = "en", store: GraphStore | None = None
) -> ValidationReport:
    """Validate files as they would be loaded (one named graph per file), alone."""
    from .rdf import read_file

    base = store.base if store is not None else (base or settings.get("base"))
    per_file = [(str(p), read_file(Path(p), base=base)) for p in paths]
    quads = [q for _, qs in per_file for q in qs]
    return validate_quads(quads, files_by_subject=_subjects_by_file(per_file), base=base, lang=lang)


def validate_store(
    store: GraphStore, *, lang: str = "en", chunk: int | None = 4000, sample: int | None = None
) -> ValidationReport:
    """Validate everything asserted in the store (the inferred graph is left out).

    One pyshacl run over a copy of the whole store grows faster than the store: the world data
    (half a million triples) ran past 15 minutes at 2 GB. So the store's nodes are validated
    ``chunk`` at a time, each on the quads the shapes read from them (:mod:`relgraph.shacl_scope`,
    the gate's neighbourhoods), which gives the verdict of the single run in time linear in the
    store (``tests/validate`` compares the two). ``chunk=None``, or shapes the scoping cannot
    follow, validate the whole store in one run. ``sample=n`` checks one node in ``n`` (every n-th
    in a fixed order): a quick look at a big store, never a verdict on all of it.
    """
    from .shacl_scope import Unscopable, plan_for

    started = time.perf_counter()
    plan = plan_for(shapes_graph())
    if (chunk is None or plan.unscoped) and not sample:
        return _validate_whole(store, lang=lang, started=started)
    try:
        return _validate_in_chunks(store, plan, lang=lang, chunk=chunk, sample=sample, started=started)
    except Unscopable:  # e.g. blank nodes met on a remote store: a SPARQL query cannot name them
        return _validate_whole(store, lang=lang, started=started)


def _validate_whole(store: GraphStore, *, lang: str, started: float) -> ValidationReport:
    quads = store.oxigraph.quads_for_pattern(None, None, None, None)
    report = validate_quads(quads, base=store.base, lang=lang)
    report.seconds = time.perf_counter() - started  # reading the store included
    return report


def _validate_in_chunks(
    store: GraphStore, plan: Any, *, lang: str, chunk: int | None, sample: int | None, started: float
) -> ValidationReport:
    from .shacl_scope import View, neighbourhood

    inferred = ox.NamedNode(graph_iri(INFERRED_GRAPH_SLUG, base=store.base))
    nodes: set[Any] = set()
    asserted = 0
    for q in store.oxigraph.quads_for_pattern(None, None, None, None):
        if q.graph_name != inferred:
            asserted += 1
            nodes.add(q.subject)
            nodes.add(q.graph_name)
            if not isinstance(q.object, ox.Literal):
                nodes.add(q.object)
    present = {g for g in store.oxigraph.named_graphs()}
    extra = ox.Store()  # validation always sees the bundled ontology graphs (see validate_quads)
    extra.extend([q for g, qs in _ontology_by_graph().items() if g not in present for q in qs])
    view = View(store, extra, set(), inferred=inferred.value)
    ordered = sorted(nodes, key=str)[:: sample or 1]
    chunk = chunk or len(ordered) or 1
    findings: list[Finding] = []
    with progress.bar(desc="validating", total=len(ordered), unit="node", scale=True) as shown:
        for i in range(0, len(ordered), chunk):
            part = set(ordered[i : i + chunk])
            report = validate_quads(neighbourhood(plan, view, part), base=store.base, lang=lang, with_ontology=False)
            keep = {n.value if isinstance(n, ox.NamedNode) else str(n) for n in part}
            findings += [f for f in report.findings if f.focus in keep]
            shown.update(len(part))
    return ValidationReport(
        findings=findings, seconds=time.perf_counter() - started, triples=asserted, scope=len(ordered)
    )


def would_be_content(store: GraphStore, by_graph: Mapping[Any, Sequence[ox.Quad]]) -> list[ox.Quad]:
    """The store's quads as they would be after replacing ``by_graph``: nothing is written."""
    replaced = {g.value if isinstance(g, ox.NamedNode) else str(g) for g in by_graph}
    kept = [
        q
        for q in store.oxigraph.quads_for_pattern(None, None, None, None)
        if (q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else str(q.graph_name)) not in replaced
    ]
    return kept + [q for qs in by_graph.values() for q in qs]


# --- validating a change ------------------------------------------------------------------


def _ontology_by_graph() -> dict[Any, list[ox.Quad]]:
    out: dict[Any, list[ox.Quad]] = defaultdict(list)
    for q in ontology_quads():
        out[q.graph_name].append(q)
    return out


def _graph_has_quads(store: GraphStore, graph: Any, *, besides: set[ox.Quad]) -> bool:
    """Whether the store's graph holds a quad other than ``besides``."""
    limit = sum(1 for q in besides if q.graph_name == graph) + 1
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }} LIMIT {limit}", union=False)
    return any(ox.Quad(r["s"], r["p"], r["o"], graph) not in besides for r in rows)


def _without_renamed_blank_nodes(added: set[ox.Quad], removed: set[ox.Quad]) -> None:
    """Drop, graph by graph, blank-node quads that were only renamed (parsing a file again renames them)."""
    from rdflib.compare import isomorphic

    def blank(q: ox.Quad) -> bool:
        return isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)

    graphs = {q.graph_name for q in added if blank(q)} & {q.graph_name for q in removed if blank(q)}
    for g in graphs:
        new = [q for q in added if q.graph_name == g and blank(q)]
        old = [q for q in removed if q.graph_name == g and blank(q)]
        a, b = rdflib.Graph(), rdflib.Graph()
        for graph, quads in ((a, new), (b, old)):
            for q in quads:
                graph.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))
        if len(new) == len(old) and isomorphic(a, b):
            added.difference_update(new)
            removed.difference_update(old)


def validate_change(
    store: GraphStore,
    added: Iterable[ox.Quad],
    removed: Iterable[ox.Quad],
    *,
    files_by_subject: Mapping[str, Sequence[str]] | None = None,
    lang: str = "en",
) -> ValidationReport:
    """Validate only what adding ``added`` and removing ``removed`` can change; nothing is written.

    ``removed`` are quads the store holds now, ``added`` quads it does not.
    The focus nodes the change touches (and those that reach them through the
    shapes' paths) are validated on the quads the shapes read from them,
    fetched from the store with SPARQL; findings are reported for those foci
    only. On a store without violations the verdict is that of validating the
    whole store after the change. Raises :class:`relgraph.shacl_scope.Unscopable`
    when the change cannot be scoped (see that module).
    """
    from .shacl_scope import Unscopable, View, neighbourhood, plan_for, scope

    started = time.perf_counter()
    plan = plan_for(shapes_graph())
    if plan.unscoped:
        raise Unscopable("; ".join(plan.unscoped))
    inferred = ox.NamedNode(graph_iri(INFERRED_GRAPH_SLUG, base=store.base))
    added_raw = {q for q in added if q.graph_name != inferred}
    removed_raw = {q for q in removed if q.graph_name != inferred}
    # Validation sees every bundled ontology graph the store lacks (see validate_quads): such a
    # graph counts as present before and after; one that appears or disappears changes by its
    # difference to the bundled file.
    eff_added, eff_removed = set(added_raw), set(removed_raw)
    virtual_before: set[ox.Triple] = set()
    virtual_after: list[ox.Quad] = []
    for graph, bundled in _ontology_by_graph().items():
        new_here = {q for q in added_raw if q.graph_name == graph}
        gone_here = {q for q in removed_raw if q.graph_name == graph}
        before = bool(gone_here) or _graph_has_quads(store, graph, besides=set())
        after = bool(new_here) or (before and _graph_has_quads(store, graph, besides=gone_here))
        if not before:
            virtual_before.update(q.triple for q in bundled)
        if not after:
            virtual_after.extend(bundled)
        if before != after:
            old = set(bundled) if not before else gone_here  # a graph that disappears was removed whole
            new = new_here if after else set(bundled)
            eff_added = (eff_added - new_here) | (new - old)
            eff_removed = (eff_removed - gone_here) | (old - new)
    _without_renamed_blank_nodes(eff_added, eff_removed)
    extra = ox.Store()
    extra.extend([*added_raw, *virtual_after])
    view = View(store, extra, removed_raw, inferred=inferred.value)
    foci = scope(plan, view, [*eff_added, *eff_removed], virtual_before=virtual_before)
    if not foci:
        return ValidationReport(seconds=time.perf_counter() - started, scope=0)
    quads = neighbourhood(plan, view, foci)
    report = validate_quads(quads, files_by_subject=files_by_subject, base=store.base, lang=lang, with_ontology=False)
    keep = {f.value if isinstance(f, ox.NamedNode) else str(f) for f in foci}
    report.findings = [f for f in report.findings if f.focus in keep]
    report.scope = len(foci)
    report.seconds = time.perf_counter() - started
    return report


def _replace_delta(store: GraphStore, by_graph: Mapping[Any, Sequence[ox.Quad]]) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """The quads replacing ``by_graph`` adds and removes (each replaced graph is read from the store)."""
    added: set[ox.Quad] = set()
    removed: set[ox.Quad] = set()
    for graph, quads in by_graph.items():
        old = set(store.oxigraph.quads_for_pattern(None, None, None, graph))
        new = set(quads)
        added |= new - old
        removed |= old - new
    return added, removed


def gate(
    store: GraphStore,
    by_graph: Mapping[Any, Sequence[ox.Quad]],
    *,
    per_file: Sequence[tuple[str, Sequence[ox.Quad]]] = (),
    lang: str = "en",
    scoped: bool = True,
) -> ValidationReport:
    """Validate what the store would hold after replacing ``by_graph``; raise on a violation.

    Nothing is written. ``Store.load(validate=True)`` and the importers call
    this. Only what the change touches is validated (:func:`validate_change`);
    a change that cannot be scoped, or ``scoped=False``, validates the whole
    would-be store. Returns the report (warnings only) when the new content may
    be committed.
    """
    from .shacl_scope import Unscopable

    files = _subjects_by_file(per_file)
    report: ValidationReport | None = None
    fallback = None if scoped else "asked for"
    if scoped:
        try:
            added, removed = _replace_delta(store, by_graph)
            report = validate_change(store, added, removed, files_by_subject=files, lang=lang)
        except Unscopable as err:
            fallback = str(err)
    if report is None:
        report = validate_quads(would_be_content(store, by_graph), files_by_subject=files, base=store.base, lang=lang)
        report.fallback = fallback
    if report.violations:
        raise ValidationError(report)
    return report


# --- the change an update makes ------------------------------------------------------------

_UPDATE_TOKEN = re.compile(
    r"""\#[^\n]*
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\" | '''(?:[^'\\]|\\.|'(?!''))*'''
    | "(?:[^"\\\n]|\\.)*" | '(?:[^'\\\n]|\\.)*'
    | <[^<>"{}|^`\\\x00-\x20]*>
    | [{}]
    | [A-Za-z_][\w-]*(?::[\w.%-]*)?
    | \S""",
    re.VERBOSE | re.DOTALL,
)


def _data_only(update: str) -> list[int] | None:
    """Where each ``DELETE DATA`` starts, for an update of ``INSERT DATA``/``DELETE DATA`` only; else ``None``.

    Such an update reads nothing but the quads it names, so its change can be
    computed on a scratch store holding just those quads.
    """
    depth = 0
    words: list[tuple[str, int]] = []
    for m in _UPDATE_TOKEN.finditer(update):
        piece = m.group(0)
        if piece == "{":
            depth += 1
        elif piece == "}":
            depth -= 1
        elif depth == 0 and piece[0].isalpha() and ":" not in piece:
            words.append((piece.upper(), m.start()))
    deletes: list[int] = []
    i = 0
    while i < len(words):
        word, at = words[i]
        if word in ("PREFIX", "BASE"):
            i += 1
        elif word in ("INSERT", "DELETE") and i + 1 < len(words) and words[i + 1][0] == "DATA":
            if word == "DELETE":
                deletes.append(at)
            i += 2
        else:
            return None
    return deletes


def _existing(store: GraphStore, quads: Sequence[ox.Quad]) -> list[ox.Quad]:
    """The quads (without blank nodes) the store holds, asked with SPARQL."""
    found: list[ox.Quad] = []
    named = [q for q in quads if isinstance(q.graph_name, ox.NamedNode)]
    default = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    for i in range(0, len(named), 500):
        values = " ".join(f"({q.subject} {q.predicate} {q.object} {q.graph_name})" for q in named[i : i + 500])
        query = f"SELECT * WHERE {{ VALUES (?s ?p ?o ?g) {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        found += [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in store.query(query, union=False)]
    for i in range(0, len(default), 500):
        values = " ".join(f"({q.subject} {q.predicate} {q.object})" for q in default[i : i + 500])
        query = f"SELECT * WHERE {{ VALUES (?s ?p ?o) {{ {values} }} ?s ?p ?o }}"
        found += [ox.Quad(r["s"], r["p"], r["o"], ox.DefaultGraph()) for r in store.query(query, union=False)]
    return found


def update_delta(
    store: GraphStore, update: str, *, base_iri: str | None = None
) -> tuple[set[ox.Quad], set[ox.Quad]] | None:
    """The quads a SPARQL update would add and remove, or ``None`` when that needs the whole store.

    For an update of ``INSERT DATA``/``DELETE DATA`` only: the quads it names
    are looked up in the store, copied to a scratch store, and the update runs
    there (Oxigraph's own semantics); the difference is the change. Anything
    with a ``WHERE`` (or ``CLEAR``, ``DROP`` …) may read any part of the store.
    """
    deletes = _data_only(update)
    if deletes is None:
        return None
    named_text = update
    for at in deletes:  # same length, so error positions stay those of the text sent
        named_text = named_text[:at] + "INSERT" + named_text[at + 6 :]
    named = ox.Store()
    named.update(named_text, base_iri=base_iri)
    mentioned = [
        q
        for q in named.quads_for_pattern(None, None, None, None)
        if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object, q.graph_name))
    ]
    existing = _existing(store, mentioned)
    scratch = ox.Store()
    scratch.extend(existing)
    scratch.update(update, base_iri=base_iri)
    before = set(existing)
    after = set(scratch.quads_for_pattern(None, None, None, None))
    return after - before, before - after


def gate_update(
    store: GraphStore, update: str, *, base_iri: str | None = None, lang: str = "en", scoped: bool = True
) -> ValidationReport:
    """Validate what the store would hold after a SPARQL update; raise on a violation.

    Nothing is written; the caller runs the update for real only when this
    returns. For ``/update``. The change is computed by :func:`update_delta`
    (an update with ``WHERE`` runs on an in-memory copy of the store instead)
    and validated by scope like a load (:func:`validate_change`); what cannot
    be scoped, or ``scoped=False``, validates the whole would-be store.
    """
    from .shacl_scope import Unscopable

    started = time.perf_counter()
    scratch: ox.Store | None = None
    delta = update_delta(store, update, base_iri=base_iri) if scoped else None
    fallback = None if scoped else "asked for"
    if delta is None and scoped:
        scratch = ox.Store()
        before = set(store.oxigraph.quads_for_pattern(None, None, None, None))
        scratch.extend(before)
        scratch.update(update, base_iri=base_iri)
        after = set(scratch.quads_for_pattern(None, None, None, None))
        delta = (after - before, before - after)
    report: ValidationReport | None = None
    if delta is not None:
        try:
            report = validate_change(store, delta[0], delta[1], lang=lang)
        except Unscopable as err:
            fallback = str(err)
    if report is None:
        if scratch is None:
            scratch = ox.Store()
            scratch.extend(store.oxigraph.quads_for_pattern(None, None, None, None))
            scratch.update(update, base_iri=base_iri)
        report = validate_quads(scratch.quads_for_pattern(None, None, None, None), base=store.base, lang=lang)
        report.fallback = fallback
    report.seconds = time.perf_counter() - started
    if report.violations:
        raise ValidationError(report)
    return report


# --- reporting ---------------------------------------------------------------------------


def format_text(report: ValidationReport) -> str:
    """The report for people: one block per entity, violations first."""
    if not report.findings:
        return f"conforms: {report.triples:,} triples, no violations, no warnings ({report.seconds:.2f} s)"
    lines: list[str] = []
    for focus, items in report.by_entity().items():
        label = items[0].label
        lines.append(f"{label} <{focus}>" if label else f"<{focus}>")
        for f in items:
            where = f" — {f.where}" if f.where else ""
            value = f" (value: {f.value})" if f.value is not None and f.value != focus else ""
            lines.append(f"  {f.severity:<9} {f.path or '(entity)'}: {f.message}{value}{where}")
        lines.append("")
    verdict = "does not conform" if report.violations else "conforms (with warnings)"
    lines.append(
        f"{verdict}: {len(report.violations)} violation(s), {len(report.warnings)} warning(s) "
        f"in {report.triples:,} triples ({report.seconds:.2f} s)"
    )
    return "\n".join(lines)


def gate_summary(report: ValidationReport) -> str:
    """One line on what the gate checked and how long it took (for ``relgraph load``)."""
    if report.scope is not None:
        what = f"{report.scope:,} focus node(s) the change touches, {report.triples:,} triples read"
    else:
        what = f"the whole store, {report.triples:,} triples" + (f" ({report.fallback})" if report.fallback else "")
    return f"SHACL gate: checked {what} in {report.seconds:.2f} s"


def format_json(report: ValidationReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)
