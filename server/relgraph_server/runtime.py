"""Per-process state of the app: the engine (started lazily) and its caches (:mod:`relgraph_server.cache`).

The engine owns worker processes, so it must be created in the process that
serves requests: never in the HTTP server's master before forking. :class:`Runtime`
starts it on first use (or from ``serve.worker_app`` as the process starts) and
notices a fork by the process id.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox
from flask import Flask, Response, current_app

from relgraph.deployment import Deployment, deployment

from .cache import VersionCache

if TYPE_CHECKING:
    from relgraph.engine import SparqlEngine

__all__ = ["Runtime", "runtime"]

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Per-version figures the memo keeps at most (a few dozen names: counts, statistics, per-kind facets).
MEMO_ENTRIES = 256
_EXISTS = "SELECT ?e WHERE { { GRAPH ?g { ?e ?p ?o } } UNION { GRAPH ?h { ?s ?q ?e } } } LIMIT 1"


class Runtime:
    """The engine of this process and the caches that depend on its data version."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        #: Query answers, pages, API answers and existence checks of the current data version; None: ``--no-cache``.
        self.cache: VersionCache | None = (
            VersionCache(entries=config["cache_entries"], max_bytes=config["cache_max_bytes"])
            if config["cache"]
            else None
        )
        self._memo = VersionCache(entries=MEMO_ENTRIES)
        self._engine: SparqlEngine | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._building: set[tuple[str, Path]] = set()
        self._local = threading.local()  # an engine that stands in for this thread's (see using())
        self._data_keys: dict[int, int] = {}  # engine version → data key (see data_key())
        self._by_content: dict[str, int] = {}  # the content of a snapshot → the first version with it
        #: Embedded or remote, decided here once from the ``store`` setting (relgraph.deployment).
        self.deployment: Deployment = deployment(config["store"], base=config["base"])

    @property
    def engine(self) -> SparqlEngine:
        """The started engine of this process (created on first use), or the one :meth:`using` put in."""
        instead: SparqlEngine | None = getattr(self._local, "engine", None)
        if instead is not None:
            return instead
        engine = self._engine
        if engine is not None and self._pid == os.getpid():
            return engine
        with self._lock:
            if self._engine is None or self._pid != os.getpid():
                cfg = self.config
                engine = self.deployment.engine(
                    workers=cfg["workers"],
                    timeout=cfg["query_timeout"],
                    max_rows=cfg["max_rows"],
                    service_allowlist=tuple(cfg["service_allowlist"]),
                    validate_updates=cfg["validate_updates"],
                )
                engine.start()
                self._engine, self._pid = engine, os.getpid()
                self._memo.clear()
                if self.cache is not None:
                    self.cache.clear()
            return self._engine

    def data_key(self) -> int:
        """The data version for what is derived from the data: the same for two snapshots of the same data.

        Every engine start publishes a snapshot (a new ``engine.version``) even when nothing was
        written; memos, the network, the partner finder and the background work are keyed by this
        instead, so a restart does not compute them again: the first engine version this process saw
        with the same data (:func:`relgraph.labelindex.data_key`).
        """
        version = self.engine.version
        found = self._data_keys.get(version)
        if found is None:
            from relgraph.labelindex import data_key

            snapshot = self.deployment.snapshot(version)
            content = data_key(snapshot) if snapshot is not None else None
            first = self._by_content.setdefault(content, version) if content is not None else version
            found = self._data_keys.setdefault(version, first)
        return found

    @contextlib.contextmanager
    def using(self, engine: SparqlEngine) -> Iterator[None]:
        """Within the block, this thread's queries go to ``engine`` (whole-graph work, :mod:`.background`)."""
        before = getattr(self._local, "engine", None)
        self._local.engine = engine
        try:
            yield
        finally:
            self._local.engine = before

    def memo(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per data version (e.g. the graph list of the service description), even with
        ``--no-cache``: these are figures every page needs, not answers to requests. Keyed by
        :meth:`data_key`: a new snapshot of the same data keeps them."""
        return self._memo.fetch(self.data_key(), name, compute)

    def cached(
        self,
        key: Hashable,
        compute: Callable[[], T],
        *,
        size: Callable[[T], int] | None = None,
        keep: Callable[[T], bool] | None = None,
    ) -> T:
        """``compute()``'s value from the result cache of the current data version (``--no-cache``: computed)."""
        cache = self.cache
        if cache is None:
            return compute()
        return cache.fetch(self.engine.version, key, compute, size=size, keep=keep)

    def cached_response(
        self, key: Hashable, build: Callable[[], Response], *, keep: Callable[[Response], bool] | None = None
    ) -> Response:
        """``build()``'s response (status, headers, body) from the result cache, marked ``X-Relgraph-Cache: hit``,
        or ``miss`` when it was built and kept; unmarked when not kept (``keep`` refused, too large, ``--no-cache``)."""
        cache = self.cache
        if cache is None:
            return build()
        version = self.engine.version
        found = cache.get(version, key)
        if found is not None:
            status, headers, body = found
            response = Response(body, status=status, headers=headers)
            response.headers["X-Relgraph-Cache"] = "hit"
            return response
        response = build()
        if keep is None or keep(response):
            body = response.get_data()
            if cache.put(version, key, (response.status_code, list(response.headers.items()), body), size=len(body)):
                response.headers["X-Relgraph-Cache"] = "miss"
        return response

    def answer(
        self,
        text: str,
        *,
        accept: str | None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> tuple[str, bytes]:
        """Media type and complete body of a SPARQL query, from the result cache when it is on."""

        def run() -> tuple[str, bytes]:
            result = self.engine.query(text, accept=accept, default_graph=default_graphs, named_graphs=named_graphs)
            return result.media_type, result.body

        if self.cache is None:  # --no-cache: straight to the engine (the benchmarked path)
            return run()
        dataset = (
            tuple(default_graphs) if default_graphs is not None else None,
            tuple(named_graphs) if named_graphs is not None else None,
        )
        return self.cached(("sparql", text, dataset, accept), run, size=lambda v: len(v[1]))

    def exists(self, iri: str) -> bool:
        """True when some quad of the store has ``iri`` as subject or object (kept per data version)."""

        def ask() -> bool:
            return bool(self.engine.select(_EXISTS, {"e": ox.NamedNode(iri)}))

        return self.cached(("exists", iri), ask)

    def label_index(self, prefixes: tuple[str, ...]) -> Path | None:
        """The label index of the current snapshot (:mod:`relgraph.labelindex`), or None.

        None over a remote store, and while the index is not built yet: then the
        first caller starts building it in a background thread (one process at a
        time, under a file lock), and search asks the store meanwhile.
        """
        from relgraph import labelindex

        return self._snapshot_index("labels", labelindex.index_path, *prefixes)

    def relation_index(self) -> Path | None:
        """The relation index of the current snapshot (:mod:`relgraph.relindex`), or None (as :meth:`label_index`).

        Pages of places and organisations order and count their relations from it, and ask the store meanwhile.
        """
        from relgraph import relindex

        return self._snapshot_index("relations", relindex.index_path)

    def _snapshot_index(self, kind: str, path_of: Any, *args: str) -> Path | None:
        """A file built per snapshot by ``python -m relgraph.<module> SNAPSHOT ARGS`` (labels, relations)."""
        found = self.deployment.snapshot(self.engine.version)
        if found is None:
            return None
        snapshot, snaps = found, found.parent
        path: Path = path_of(snapshot)
        if path.exists():
            return path
        from relgraph.labelindex import reuse

        if reuse(snapshot, path):  # a snapshot of the same data has it (each serve start publishes one)
            return path
        with self._lock:
            if (kind, snapshot) in self._building or not snapshot.is_dir():
                return None
            self._building.add((kind, snapshot))
        module = {"labels": "relgraph.labelindex", "relations": "relgraph.relindex"}[kind]

        def work() -> None:
            try:
                with open(snaps / f"{kind}.lock", "a+b") as lock:
                    try:
                        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except OSError:
                        return  # another process builds it
                    # its own process: streaming and folding millions of triples would hold this
                    # process's GIL for minutes, and the requests it serves with it
                    command = [sys.executable, "-m", module, str(snapshot), *args]
                    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
                    if done.returncode != 0:
                        log.error("%s index of %s not built: %s", kind, snapshot, done.stderr.strip()[-2000:])
            except OSError:  # the snapshot was pruned meanwhile, disk full, ...: the store answers instead
                log.exception("%s index of %s not built", kind, snapshot)
            finally:
                with self._lock:
                    self._building.discard((kind, snapshot))

        threading.Thread(target=work, name=f"relgraph-{kind}-index", daemon=True).start()
        return None

    def close(self) -> None:
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None and self._pid == os.getpid():
            engine.close()


def runtime(app: Flask | None = None) -> Runtime:
    """The :class:`Runtime` of ``app`` (default: the current app)."""
    return (app or current_app).extensions["relgraph"]
