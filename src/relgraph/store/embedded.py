"""The relgraph store: a small library around pyoxigraph's on-disk Store.

Why a wrapper: loads must be all-or-nothing and idempotent (a source file
replaces its own named graph), errors must name file, line and column, and
queries default to the union of all graphs. None of that needs Flask.
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from . import progress as bars
from . import settings
from .errors import LoadError, QuerySyntaxError, StoreError, UsageError
from .namespaces import PREFIXES, graph_iri
from .resources import data_files, ontology_files

__all__ = ["EXPORT_FORMATS", "LoadReport", "Stats", "Store", "open_store", "rdf_format_for"]

_SUFFIX_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}

EXPORT_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
}

_POSITION = re.compile(r"(?:line |at )(\d+)(?::| column )(\d+)")
ProgressFn = Callable[[str], None]


def rdf_format_for(path: Path) -> ox.RdfFormat:
    """The RDF format of a file, from its suffix; ``.gz`` is read through gzip (``x.nq.gz`` is N-Quads)."""
    if path.suffix.lower() == ".gz":
        path = path.with_suffix("")
    try:
        return _SUFFIX_FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(_SUFFIX_FORMATS))
        raise UsageError(f"{path}: unknown RDF file type {path.suffix!r}; use one of {known}") from None


def _position(err: Exception) -> tuple[int | None, int | None]:
    line = getattr(err, "lineno", None)
    col = getattr(err, "offset", None)
    if line is None:
        match = _POSITION.search(str(err))
        if match:
            line, col = int(match.group(1)), int(match.group(2))
    return line, col


def _plain_message(err: Exception) -> str:
    text = str(err.args[0]) if err.args else str(err)
    return re.sub(r"^(Parser error|error) at (line )?\d+(:| column )\d+:\s*", "", text)


@dataclass
class LoadReport:
    """What one load wrote: triples per graph and the files read."""

    files: list[str] = field(default_factory=list)
    graphs: dict[str, int] = field(default_factory=dict)
    #: The SHACL report of the gate (``load(validate=True)``): warnings only, else it raised.
    validation: Any = None

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


@dataclass
class Stats:
    """Triples per graph and instances per class (over the union of graphs)."""

    total: int
    graphs: dict[str, int]
    classes: dict[str, int]


_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
_CLASS_SIZES = (
    "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c ORDER BY DESC(?n) ?c"
)
#: Every triple of the union of all graphs, once (a Turtle export of the whole store).
UNION_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


def export_format(format: str) -> tuple[ox.RdfFormat, dict[str, str] | None]:
    """The RDF format of an export format name, and the prefixes to write with it."""
    try:
        fmt = EXPORT_FORMATS[format]
    except KeyError:
        raise UsageError(f"unknown export format {format!r}; use one of {', '.join(EXPORT_FORMATS)}") from None
    return fmt, (PREFIXES if fmt is not ox.RdfFormat.N_QUADS else None)


class BaseStore:
    """What the embedded :class:`Store` and the remote store share.

    Parsing and rebasing files, the all-or-nothing load through memory, and
    the statistics. A subclass provides ``query``, ``replace_graphs``,
    ``load`` and :meth:`_default_graph_size`.
    """

    base: str
    query: Callable[..., Any]
    load: Callable[..., LoadReport]
    replace_graphs: Callable[..., None]

    # --- loading -----------------------------------------------------------------

    def _rebase(self, term: Any) -> Any:
        if isinstance(term, ox.NamedNode):
            value = term.value
            default = settings.DEFAULT_BASE
            if value.startswith((default + "id/", default + "graph/")):
                return ox.NamedNode(self.base + value[len(default) :])
        return term

    def iter_file(
        self, path: Path, *, graph: str | None = None, progress: ProgressFn | None = None
    ) -> Iterator[ox.Quad]:
        """The quads of one file, parsed lazily, without touching the store.

        Triples outside a named graph go to ``graph`` or to the file's own graph
        ``{base}graph/{file stem}``; quads of TriG/N-Quads keep their graph.
        A parse error is a :class:`LoadError` naming file, line and column.
        """
        path = Path(path)
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        fmt = rdf_format_for(path)
        stem = path.with_suffix("").stem if path.suffix.lower() == ".gz" else path.stem
        target = ox.NamedNode(graph or graph_iri(stem, base=self.base))
        rebase = self.base != settings.DEFAULT_BASE
        gzipped = path.suffix.lower() == ".gz"
        n = done = 0
        try:
            # a gzipped file is streamed through the decompressor, never held whole; the bar (on a
            # terminal) follows the bytes read from disk
            with (
                open(path, "rb") as raw,
                gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else contextlib.nullcontext(raw) as handle,
                bars.bar(desc=path.name, total=path.stat().st_size, unit="B", scale=True) as shown,
            ):
                for quad in ox.parse(input=handle, format=fmt, base_iri=self.base, rename_blank_nodes=True):
                    g = quad.graph_name
                    if isinstance(g, ox.DefaultGraph):
                        g = target
                    s, o = quad.subject, quad.object
                    if rebase:
                        s, o, g = self._rebase(s), self._rebase(o), self._rebase(g)
                    yield ox.Quad(s, quad.predicate, o, g)
                    n += 1
                    if n % 10_000 == 0:
                        shown.update(raw.tell() - done)
                        done = raw.tell()
                    if progress and n % 100_000 == 0:
                        progress(f"{path}: {n:,} triples read")
                shown.update(raw.tell() - done)
        except SyntaxError as err:
            line, col = _position(err)
            raise LoadError(_plain_message(err), file=str(path), line=line, column=col) from None
        except (ValueError, OSError, EOFError) as err:
            raise LoadError(str(err), file=str(path)) from None

    def read_file(self, path: Path, *, graph: str | None = None, progress: ProgressFn | None = None) -> list[ox.Quad]:
        """Parse one file fully into quads (see :meth:`iter_file`), without touching the store."""
        return list(self.iter_file(path, graph=graph, progress=progress))

    def _load_in_memory(
        self,
        paths: Sequence[str | Path],
        *,
        graph: str | None,
        progress: ProgressFn | None,
        validate: bool,
        lang: str,
    ) -> LoadReport:
        """Parse every file, optionally pass the SHACL gate, then replace the graphs written."""
        report = LoadReport()
        by_graph: dict[ox.NamedNode | ox.BlankNode, list[ox.Quad]] = defaultdict(list)
        per_file: list[tuple[str, list[ox.Quad]]] = []
        for path in paths:
            quads = self.read_file(Path(path), graph=graph, progress=progress)
            for quad in quads:
                by_graph[quad.graph_name].append(quad)
            per_file.append((str(path), quads))
            report.files.append(str(path))
        if validate:
            from .validate import gate

            if progress:
                progress("validating against the SHACL shapes")
            report.validation = gate(self, by_graph, per_file=per_file, lang=lang)
        self.replace_graphs(by_graph, progress=progress)
        report.graphs = {g.value: len(q) for g, q in by_graph.items()}
        return report

    def load_bundled(
        self, *, progress: ProgressFn | None = None, validate: bool = False, world: bool | None = None
    ) -> LoadReport:
        """Load the ontology, concept schemes and all of ``data/`` shipped with relgraph.

        The world graphs (``data/world/*.nq.gz``, half a million triples reconciled from outside
        sources by ``relgraph build-world``) are validated when they are built, by the tests, not
        on every machine at every first start: they are streamed in without the gate
        (:meth:`load_prevalidated`). ``validate`` applies to the hand-made files. ``world``
        (default: the ``world_data`` setting) leaves the world graphs out when false.
        """
        from .world.build import world_files

        report = self.load([*ontology_files(), *data_files()], progress=progress, validate=validate)
        world_graphs = world_files() if (settings.get("world_data") if world is None else world) else []
        if world_graphs:
            more = self.load_prevalidated(world_graphs, progress=progress)
            report.files += more.files
            report.graphs.update(more.graphs)
        return report

    def load_prevalidated(self, paths: Sequence[Path], *, progress: ProgressFn | None = None) -> LoadReport:
        """Load files that were validated when they were made, streaming (no gate, bounded memory)."""
        return self.load(paths, progress=progress, validate=False)

    # --- statistics ------------------------------------------------------------------

    def _default_graph_size(self) -> int:
        raise NotImplementedError

    def stats(self) -> Stats:
        """Triples per graph (the default graph too, when it has any) and instances per class."""
        graphs = {row["g"].value: int(row["n"].value) for row in self.query(_GRAPH_SIZES, union=False)}
        default = self._default_graph_size()
        if default:
            graphs["(default graph)"] = default
        classes = {row["c"].value: int(row["n"].value) for row in self.query(_CLASS_SIZES, union=True)}
        return Stats(total=sum(graphs.values()), graphs=graphs, classes=classes)


class Store(BaseStore):
    """An Oxigraph store on disk with relgraph's loading and query rules."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        base: str | None = None,
    ) -> None:
        self.path = Path(path if path is not None else settings.get("store"))
        self.base = base or settings.get("base")
        try:
            if read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as err:
            hint = (
                "another process (a running `relgraph serve`?) holds it; stop it or query the endpoint"
                if "lock" in str(err).lower()
                else "check the path and its permissions"
            )
            raise StoreError(f"cannot open store {self.path}: {err}; {hint}") from None

    @property
    def location(self) -> str:
        """Where the store is, as text (the directory; a remote store's is its URL)."""
        return str(self.path)

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph Store, for callers that need its full API."""
        return self._store

    def close(self) -> None:
        """Release the store (and its lock) now rather than at garbage collection."""
        self._store = None  # type: ignore[assignment]

    def __len__(self) -> int:
        return len(self._store)

    def is_empty(self) -> bool:
        return len(self._store) == 0

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    # --- loading -----------------------------------------------------------------

    def load(
        self,
        paths: Sequence[str | Path],
        *,
        graph: str | None = None,
        progress: ProgressFn | None = None,
        validate: bool = False,
        lang: str = "en",
    ) -> LoadReport:
        """Load files, all or nothing; each graph a file writes is replaced, not merged.

        Every file is parsed before anything is written, so a syntax error in the
        last file leaves the store exactly as it was. Writing is one transaction.
        With ``validate=True`` the store's content as it would be after the load is
        checked against the SHACL shapes first; on a violation nothing is written
        and :class:`relgraph.validate.ValidationError` (carrying the report) is raised.
        """
        return self._load_in_memory(paths, graph=graph, progress=progress, validate=validate, lang=lang)

    def load_prevalidated(self, paths: Sequence[Path], *, progress: ProgressFn | None = None) -> LoadReport:
        """Validated files go through the bulk loader: 0.5 M triples in seconds, memory bounded by a chunk."""
        return self.bulk_load(paths, progress=progress)

    def bulk_load(
        self,
        paths: Sequence[str | Path],
        *,
        graph: str | None = None,
        progress: ProgressFn | None = None,
    ) -> LoadReport:
        """Load big files streaming, without holding them in Python; no SHACL gate.

        Quads are parsed lazily (:meth:`iter_file`) and handed to Oxigraph's bulk
        loader in calls of at most :attr:`BULK_CHUNK` quads, which write sorted
        files straight to disk: memory is bounded by the chunk, not by the file. Each graph the files write is
        replaced, as with :meth:`load`:

        * a graph the store does not hold yet is written directly;
        * a graph it already holds is written into a staging graph
          ``{base}graph/.staging-<uuid>-<n>`` and, once every file has been
          read, swapped in (:meth:`_swap`).

        A parse or write error while reading removes every staging graph and
        every new graph written so far: the store is as it was. Then each
        replaced graph is swapped in (see :meth:`_swap`; not one transaction).
        Staging graphs and new graphs are visible in the union default graph
        of *this* store while the load runs; servers of an embedded store
        answer from published snapshots and do not see them.
        """
        report = LoadReport()
        self._drop_staging()
        existing = {g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)}
        token = uuid.uuid4().hex
        staging: dict[Any, ox.NamedNode] = {}  # target graph -> its staging graph
        written: dict[Any, ox.NamedNode | ox.BlankNode] = {}  # target -> where its quads go
        counts: dict[Any, int] = defaultdict(int)

        def route(g: Any) -> Any:
            dest = written.get(g)
            if dest is None:
                if isinstance(g, ox.NamedNode) and g.value in existing:
                    dest = ox.NamedNode(f"{self.base}graph/.staging-{token}-{len(staging)}")
                    staging[g] = dest
                else:
                    dest = g
                written[g] = dest
            return dest

        def quads() -> Iterator[ox.Quad]:
            for path in paths:
                for quad in self.iter_file(Path(path), graph=graph, progress=progress):
                    g = quad.graph_name
                    counts[g] += 1
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, route(g))
                report.files.append(str(path))

        try:
            if progress:
                progress(f"bulk loading {len(paths)} file(s) (streaming, no SHACL gate)")
            self._bulk_write(quads())
        except BaseException as err:
            self._undo_bulk(written.values(), existing)
            if isinstance(err, OSError):
                raise StoreError(f"writing to {self.path} failed: {err}; the store is unchanged") from None
            raise
        if staging:
            self._swap(staging, counts, progress)
        self._store.flush()
        report.graphs = {g.value: n for g, n in counts.items()}
        return report

    #: Quads per call of Oxigraph's bulk loader: its buffers grow with the call (measured at
    #: 100k bench agreements in one call: 1.6 GB peak RSS), so the stream is cut into calls.
    BULK_CHUNK = 250_000

    def _bulk_write(self, quads: Iterator[ox.Quad]) -> None:
        """Write a stream of quads through the bulk loader, at most :attr:`BULK_CHUNK` per call."""
        while True:
            chunk = itertools.islice(quads, self.BULK_CHUNK)
            first = next(chunk, None)
            if first is None:
                return
            self._store.bulk_extend(itertools.chain((first,), chunk))

    def _drop_staging(self) -> None:
        """Remove staging graphs an interrupted bulk load left behind."""
        prefix = f"{self.base}graph/.staging-"
        stale = [g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode) and g.value.startswith(prefix)]
        if stale:
            self._remove_graphs(stale, {})

    def _undo_bulk(self, written: Iterable[Any], existing: set[str]) -> None:
        for g in list(written):
            if isinstance(g, ox.NamedNode) and g.value in existing:
                continue  # never happens (existing graphs are staged); belt and braces
            if self._store.contains_named_graph(g):
                self._store.remove_graph(g)
        self._store.flush()

    def _swap(self, staging: dict[Any, ox.NamedNode], counts: dict[Any, int], progress: ProgressFn | None) -> None:
        """Put each staged graph in place of its target: drop the target, rewrite, drop the stage.

        Not one transaction: a SPARQL ``MOVE`` of the staging graphs is, but
        measured on the bench data it rewrote ~5k triples/s and its transaction
        grew with the data (292k triples: 61 s, 965 MiB). Here the old graphs
        are dropped one transaction per graph, the staged quads are streamed
        back through the bulk loader under their target names, and the staging
        graphs are dropped. An interruption in between leaves the staging
        graphs (and some targets empty or partly written): run the same load
        again; the next bulk load removes leftover staging graphs first.
        """
        # Deletes pile up in memory until flushed (measured: the peak RSS of a replace
        # doubled without these flushes), so flush every BULK_CHUNK deleted triples.
        self._remove_graphs(list(staging), counts)

        def renamed() -> Iterator[ox.Quad]:
            for target, stage in staging.items():
                for quad in self._store.quads_for_pattern(None, None, None, stage):
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, target)

        if progress:
            progress(f"moving {len(staging)} staged graph(s) into place")
        self._bulk_write(renamed())
        self._remove_graphs([staging[t] for t in staging], {staging[t]: counts[t] for t in staging})

    def _remove_graphs(self, graphs: list[Any], sizes: dict[Any, int]) -> None:
        """Drop graphs (one transaction each: memory follows the biggest graph), flushing as they go."""
        pending = 0
        for g in graphs:
            self._store.remove_graph(g)
            pending += sizes.get(g, 10_000)  # unknown size: flush every 25 graphs
            if pending >= self.BULK_CHUNK:
                self._store.flush()
                pending = 0
        self._store.flush()

    def replace_graphs(
        self,
        by_graph: dict[Any, list[ox.Quad]],
        *,
        progress: ProgressFn | None = None,
    ) -> None:
        """Replace each given graph's content in one transaction."""
        quads = [q for qs in by_graph.values() for q in qs]
        existing = [g for g in by_graph if self._store.contains_named_graph(g)]
        if progress:
            progress(f"writing {len(quads):,} triples into {len(by_graph)} graph(s)")
        try:
            if not existing:
                # Fast path: store.load is itself one transaction.
                self._store.load(ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
            else:
                # One SPARQL update = one transaction: drop the old graphs and insert.
                drops = " ".join(f"DROP SILENT GRAPH {g} ;" for g in existing)
                body = "\n".join(f"GRAPH {q.graph_name} {{ {q.triple} }}" for q in quads)
                self._store.update(f"{drops} INSERT DATA {{\n{body}\n}}")
        except OSError as err:
            raise StoreError(f"writing to {self.path} failed: {err}; the store is unchanged") from None
        for g in by_graph:
            if not self._store.contains_named_graph(g):
                self._store.add_graph(g)
        # Write the memtables out now: otherwise the next process that opens the
        # store replays the write-ahead log first (minutes after a large load).
        self._store.flush()

    def remove_graph(self, graph: str) -> None:
        self._store.remove_graph(ox.NamedNode(graph))
        self._store.flush()

    # --- querying ----------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        union: bool = True,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        substitutions: dict[str, Any] | None = None,
        base_iri: str | None = None,
    ) -> Any:
        """Run a SPARQL query; by default the default graph is the union of all graphs.

        ``substitutions`` binds variables to RDF terms (values stay values; no
        text is pasted into the query).
        """
        kwargs: dict[str, Any] = {"base_iri": base_iri, "prefixes": None}
        if default_graph is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        else:
            kwargs["use_default_graph_as_union"] = union
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        try:
            return self._store.query(sparql, **kwargs)
        except SyntaxError as err:
            line, col = _position(err)
            raise QuerySyntaxError(str(err), line=line, column=col) from None

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL update as one transaction."""
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as err:
            line, col = _position(err)
            raise QuerySyntaxError(str(err), line=line, column=col) from None

    # --- export and statistics -----------------------------------------------------

    def _default_graph_size(self) -> int:
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def export(self, output: IO[bytes], *, format: str = "nquads", graph: str | None = None) -> None:
        """Write the store as N-Quads or TriG (all graphs) or Turtle (one graph, or the union)."""
        fmt, prefixes = export_format(format)
        if graph is not None:
            node = ox.NamedNode(graph)
            if not self._store.contains_named_graph(node):
                raise UsageError(f"no graph {graph} in the store")
            if fmt.supports_datasets:
                quads = self._store.quads_for_pattern(None, None, None, node)
                ox.serialize(quads, output, fmt, prefixes=prefixes)
            else:
                self._store.dump(output, fmt, from_graph=node, prefixes=prefixes)
        elif fmt.supports_datasets:
            self._store.dump(output, fmt, prefixes=prefixes)
        else:
            triples = self.query(UNION_TRIPLES)
            ox.serialize(triples, output, fmt, prefixes=prefixes)


def open_store(path: str | Path | None = None, **kwargs: Any) -> Any:
    """Open the store ``path`` names: a directory (created if needed) or an ``http(s)://`` URL.

    ``None`` means the configured location (``RELGRAPH_STORE``). A URL gives a
    :class:`relgraph.backends.RemoteStore`; see :func:`relgraph.backends.open_store`.
    """
    from .backends import open_store as _open_backend

    return _open_backend(path, **kwargs)
