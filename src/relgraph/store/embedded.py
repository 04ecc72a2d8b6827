"""The embedded store: pyoxigraph's on-disk Store with relgraph's loading and query rules.

Why a wrapper: loads must be all-or-nothing and idempotent (a source file
replaces its own named graph), errors must name file, line and column, and
queries default to the union of all graphs. None of that needs Flask.
"""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from .. import settings
from ..errors import QuerySyntaxError, StoreError, UsageError
from ..rdf import UNION_TRIPLES, export_format, parse_syntax_error
from .base import BaseStore
from .protocol import LoadReport, ProgressFn

__all__ = ["Store"]


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
    def native(self) -> ox.Store:
        """The pyoxigraph store: the data is in this process."""
        return self._store

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
            line, col, _ = parse_syntax_error(err)
            raise QuerySyntaxError(str(err), line=line, column=col) from None

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL update as one transaction."""
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as err:
            line, col, _ = parse_syntax_error(err)
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
