"""Per-process state of the app: the engine (started lazily) and the result cache.

The engine owns worker processes, so it must be created in the process that
serves requests: never in the gunicorn master before forking. :class:`Runtime`
starts it on first use (or from gunicorn's ``post_worker_init`` hook) and
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
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from relgraph.deployment import Deployment, deployment

if TYPE_CHECKING:
    from relgraph.engine import SparqlEngine

__all__ = ["ResultCache", "Runtime", "runtime"]

log = logging.getLogger(__name__)


class ResultCache:
    """A small thread-safe LRU of complete query answers (media type, body)."""

    def __init__(self, entries: int, max_bytes: int) -> None:
        self.entries, self.max_bytes = entries, max_bytes
        self._data: OrderedDict[Hashable, tuple[str, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> tuple[str, bytes] | None:
        with self._lock:
            value = self._data.get(key)
            if value is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, media_type: str, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            self._data[key] = (media_type, body)
            self._data.move_to_end(key)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class Runtime:
    """The engine of this process and the caches that depend on its data version."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.cache = ResultCache(config["cache_entries"], config["cache_max_bytes"]) if config["cache"] else None
        self._engine: SparqlEngine | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._memo: dict[tuple[Hashable, Hashable], Any] = {}  # (name, data key) -> value
        self._building: set[tuple[str, Path]] = set()
        self._local = threading.local()  # an engine that stands in for this thread's (see using())
        self._data_keys: dict[int, Hashable] = {}  # engine version → data key (see data_key())
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
            return self._engine

    def data_key(self) -> Hashable:
        """The data version for what is derived from the data: the same for two snapshots of the same data.

        Every engine start publishes a snapshot (a new ``engine.version``) even when nothing was
        written; memos, the network, the partner finder and the background work are keyed by this
        instead, so a restart does not compute them again (:func:`relgraph.labelindex.data_key`).
        """
        version = self.engine.version
        found = self._data_keys.get(version)
        if found is None:
            from relgraph.labelindex import data_key

            snapshot = self.deployment.snapshot(version)
            key = data_key(snapshot) if snapshot is not None else None
            found = self._data_keys.setdefault(version, key if key is not None else version)
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

    def memo(self, name: str, compute: Any) -> Any:
        """``compute()`` once per data version (e.g. the graph list of the service description)."""
        key = (name, self.data_key())
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = compute()
        with self._lock:
            self._memo = {k: v for k, v in self._memo.items() if k[1] == key[1]}
            self._memo[key] = value
        return value

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
