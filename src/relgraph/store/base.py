"""What the embedded and the remote store share: files read through memory, the bundled data, statistics."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from .. import settings
from ..rdf import iter_file, read_file
from ..resources import data_files, ontology_files, world_files
from .protocol import GraphStore, LoadReport, ProgressFn, Stats

__all__ = ["BaseStore"]

_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
_CLASS_SIZES = (
    "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c ORDER BY DESC(?n) ?c"
)


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

    def iter_file(
        self, path: Path, *, graph: str | None = None, progress: ProgressFn | None = None
    ) -> Iterator[ox.Quad]:
        """The quads of one file, rebased to this store's base (see :func:`relgraph.rdf.iter_file`)."""
        return iter_file(path, base=self.base, graph=graph, progress=progress)

    def read_file(self, path: Path, *, graph: str | None = None, progress: ProgressFn | None = None) -> list[ox.Quad]:
        """Parse one file fully into quads, without touching the store."""
        return read_file(path, base=self.base, graph=graph, progress=progress)

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
        by_graph: dict[Any, list[ox.Quad]] = defaultdict(list)  # graph node -> its quads
        per_file: list[tuple[str, list[ox.Quad]]] = []
        for path in paths:
            quads = self.read_file(Path(path), graph=graph, progress=progress)
            for quad in quads:
                by_graph[quad.graph_name].append(quad)
            per_file.append((str(path), quads))
            report.files.append(str(path))
        if validate:
            from ..validate import gate

            if progress:
                progress("validating against the SHACL shapes")
            report.validation = gate(cast(GraphStore, self), by_graph, per_file=per_file, lang=lang)
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
