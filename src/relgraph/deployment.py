"""Embedded or remote, decided once: the deployment a store setting names, and everything that differs between them.

``--store DIR`` (or ``RELGRAPH_STORE``) is an :class:`EmbeddedDeployment`: a
pyoxigraph store on disk, queried by worker processes over published snapshots.
``--store http(s)://HOST:PORT`` is a :class:`RemoteDeployment`: a SPARQL server
reached over the SPARQL 1.1 Protocol and the Graph Store Protocol.

:func:`deployment` is the one place that looks at the setting; the CLI, the
dumps, the web layer ask the object it returns (the store, the engine, how to
fill an empty store, when the data changed, the dumps folder and how a dump is
written, the snapshot behind the label index, how a ready-made query's values
are bound) instead of branching on the kind of store.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import settings
from .errors import RelgraphError, StoreError
from .store import RemoteStore, Store
from .store.http import redact
from .store.remote import is_url

if TYPE_CHECKING:
    from .engine import SparqlEngine
    from .queries import QueryFile
    from .store import GraphStore

__all__ = ["Deployment", "DumpJob", "EmbeddedDeployment", "RemoteDeployment", "deployment", "open_store"]

log = logging.getLogger("relgraph")


@dataclass(frozen=True)
class DumpJob:
    """How one dump is written: ``writer(*args)`` in a child process; ``reuse_fresh``: a dump read after the
    request came in may stand for it (the remote's data version is a counter, not the data's own)."""

    writer: Callable[..., None]
    args: tuple[Any, ...]
    what: str
    reuse_fresh: bool


class Deployment(ABC):
    """Where the data lives and how it is served: one of :class:`EmbeddedDeployment`, :class:`RemoteDeployment`."""

    base: str
    #: Whether ``relgraph load --bulk`` can stream into the store (Oxigraph's bulk loader writes a directory).
    bulk_loads: bool

    @property
    @abstractmethod
    def location(self) -> str:
        """The store's directory or URL, as shown to people (no credentials)."""

    @abstractmethod
    def open_store(self, *, read_only: bool = False, timeout: float | None = None) -> GraphStore:
        """The store, for loading, reading and exporting (commands, the reasoner, the importers)."""

    @abstractmethod
    def _engine_type(self) -> tuple[Callable[..., SparqlEngine], str | Path]:
        """The engine class for this store and what it is opened on (directory or URL)."""

    def engine(
        self,
        *,
        workers: int,
        timeout: float,
        max_rows: int,
        service_allowlist: Sequence[str],
        validate_updates: bool,
        background: bool = False,
    ) -> SparqlEngine:
        """A new (not yet started) query engine over this store, for the endpoint (``background``: for work no
        request waits for, at a lower CPU priority where the work runs here)."""
        make, target = self._engine_type()
        return make(
            target,
            workers=workers,
            timeout=timeout,
            max_rows=max_rows,
            service_allowlist=tuple(service_allowlist),
            base=self.base,
            validate_updates=validate_updates,
            background=background,
        )

    @abstractmethod
    def prepare(self, *, log: logging.Logger | None = None) -> None:
        """Fill an empty store with the bundled ontology and data (and reason) before serving."""

    @abstractmethod
    def publish(self, store: GraphStore) -> Path | None:
        """After a command wrote ``store``: hand running servers the new data; the snapshot made, if any."""

    @abstractmethod
    def data_modified(self) -> float | None:
        """When the served data last changed (a POSIX time), or None when the store does not say (remote)."""

    @abstractmethod
    def snapshot(self, version: int) -> Path | None:
        """The directory of the published snapshot ``version`` (the label index sits beside it), or None."""

    @abstractmethod
    def default_dumps_dir(self) -> Path:
        """The dumps folder when the ``dumps_dir`` setting is not set."""

    @abstractmethod
    def dump_job(self, version: int, fmt: str, target: Path, *, timeout: float) -> DumpJob:
        """How to write the dump of ``version`` in ``fmt`` (``nq``/``trig``) to ``target``."""

    @abstractmethod
    def bound_query(self, query: QueryFile, bindings: Mapping[str, Any]) -> tuple[str, dict[str, str] | None]:
        """(query text, substitutions for the engine) of a ready-made query with its values bound."""

    def dumps_dir(self, folder: str | Path | None = None) -> Path:
        """The folder of the dumps: ``folder``, else the ``dumps_dir`` setting, else :meth:`default_dumps_dir`."""
        configured = folder or settings.get("dumps_dir")
        return Path(configured).absolute() if configured else self.default_dumps_dir()

    def dump_path(self, version: int, fmt: str, *, folder: str | Path | None = None) -> Path:
        """Where the dump of ``version`` in ``fmt`` lives (whether or not it was written yet)."""
        return self.dumps_dir(folder) / f"relgraph-{int(version)}.{fmt}.gz"


class EmbeddedDeployment(Deployment):
    """A pyoxigraph store directory, served by worker processes over published snapshots."""

    bulk_loads = True

    def __init__(self, path: str | Path, *, base: str | None = None) -> None:
        self.path = Path(path)
        self.base = base or settings.get("base")

    def __repr__(self) -> str:
        return f"EmbeddedDeployment({str(self.path)!r})"

    @property
    def location(self) -> str:
        return str(self.path)

    def open_store(self, *, read_only: bool = False, timeout: float | None = None) -> Store:
        return Store(self.path, read_only=read_only, base=self.base)

    def _engine_type(self) -> tuple[Callable[..., SparqlEngine], str | Path]:
        from .engine import Engine

        return Engine, self.path

    def prepare(self, *, log: logging.Logger | None = None) -> None:
        """Load the bundled data into an empty store (and reason), then publish a snapshot.

        The bundled data is loaded without the SHACL gate (its own tests check it);
        the inferred graph is computed as by ``relgraph load``. Runs in a spawned
        process so that RocksDB never starts in the HTTP server's master: its background
        threads do not survive ``fork`` and a forked worker would hang at exit.
        """
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
            error = pool.submit(_prepare_embedded, str(self.path), self.base).result()
        if error:
            raise StoreError(error)

    def publish(self, store: GraphStore) -> Path | None:
        from .engine import publish_snapshot, snapshots_dir

        if not snapshots_dir(self.path).is_dir():  # no server has served this store
            return None
        return publish_snapshot(self.path, store=store)

    def data_modified(self) -> float | None:
        from .engine import snapshots_dir

        try:
            return (snapshots_dir(self.path) / "CURRENT").stat().st_mtime
        except OSError:
            return time.time()  # nothing published yet: the data is as of now

    def snapshot(self, version: int) -> Path | None:
        from .engine import snapshots_dir

        folder = snapshots_dir(self.path) / str(int(version))
        return folder if folder.is_dir() else None

    def default_dumps_dir(self) -> Path:
        path = self.path.absolute()
        return path.with_name(path.name + ".dumps")

    def dump_job(self, version: int, fmt: str, target: Path, *, timeout: float) -> DumpJob:
        from .dumps import write_dump

        snapshot = self.snapshot(version)
        if snapshot is None:
            raise StoreError(f"snapshot {version} of {self.path} is gone; reload the page for the current data")
        return DumpJob(write_dump, (str(snapshot), str(target), fmt), f"the {fmt} dump of snapshot {version}", False)

    def bound_query(self, query: QueryFile, bindings: Mapping[str, Any]) -> tuple[str, dict[str, str] | None]:
        return query.sparql, {k: str(v) for k, v in bindings.items()}


class RemoteDeployment(Deployment):
    """A SPARQL server (``oxigraph serve``, Virtuoso, ...) reached over HTTP; it keeps its own data."""

    bulk_loads = False

    def __init__(self, url: str, *, base: str | None = None) -> None:
        self.url = url
        self.base = base or settings.get("base")

    def __repr__(self) -> str:
        return f"RemoteDeployment({redact(self.url)!r})"

    @property
    def location(self) -> str:
        return redact(self.url)

    def open_store(self, *, read_only: bool = False, timeout: float | None = None) -> RemoteStore:
        return RemoteStore(self.url, base=self.base, timeout=timeout)  # access rights are the remote's business

    def _engine_type(self) -> tuple[Callable[..., SparqlEngine], str | Path]:
        from .engine import RemoteEngine

        return RemoteEngine, self.url

    def prepare(self, *, log: logging.Logger | None = None) -> None:
        from .engine import prepare_remote_store

        prepare_remote_store(self.url, base=self.base, log=log)

    def publish(self, store: GraphStore) -> Path | None:
        return None  # servers read the remote store directly

    def data_modified(self) -> float | None:
        return None

    def snapshot(self, version: int) -> Path | None:
        return None

    def default_dumps_dir(self) -> Path:
        # no directory of its own: the user's cache folder, one subfolder per store URL
        cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        digest = hashlib.sha256(redact(self.url).rstrip("/").encode()).hexdigest()[:16]
        return Path(cache) / "relgraph" / f"dumps-{digest}"

    def dump_job(self, version: int, fmt: str, target: Path, *, timeout: float) -> DumpJob:
        import functools

        from .dumps import write_remote_dump

        writer = functools.partial(write_remote_dump, timeout=timeout)
        return DumpJob(writer, (self.url, str(target), fmt), f"the {fmt} dump of {redact(self.url)}", True)

    def bound_query(self, query: QueryFile, bindings: Mapping[str, Any]) -> tuple[str, dict[str, str] | None]:
        from .queries import values_query

        # the VALUES block at the query's marker, inside its WHERE: a trailing VALUES (what the
        # remote engine makes of substitutions) comes after the WHERE's filters, so optional
        # parameters that only filter (``?__type_iri``) would be ignored
        return values_query(query, bindings), None


def deployment(store: str | Path | Deployment | None = None, *, base: str | None = None) -> Deployment:
    """The deployment ``store`` names: a directory (embedded) or an ``http(s)://`` URL (remote).

    ``None`` means the ``store`` setting (``RELGRAPH_STORE``). The only place relgraph decides between the two.
    """
    if isinstance(store, Deployment):
        return store
    spec = settings.get("store") if store is None else store
    if is_url(str(spec)):
        return RemoteDeployment(str(spec), base=base)
    return EmbeddedDeployment(spec, base=base)


def open_store(spec: str | Path | None = None, **kwargs: Any) -> GraphStore:
    """The store ``spec`` names: a directory (embedded, created if needed) or an ``http(s)://`` URL.

    ``None`` means the ``store`` setting (``RELGRAPH_STORE``), which may itself be a URL. Keyword
    options: ``base``, ``read_only`` (embedded only; a remote store's rights are its own),
    ``timeout`` (remote only).
    """
    base = kwargs.pop("base", None)
    return deployment(spec, base=base).open_store(**kwargs)


def _prepare_embedded(path: str, base: str) -> str | None:
    """In a child process: fill an empty store, publish a snapshot; an error comes back as text."""
    from .engine import publish_snapshot
    from .reason import materialise

    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="[%(asctime)s] %(name)s: %(message)s")
    try:
        store = Store(path, base=base)
        try:
            if store.is_empty():
                log.info("store %s is empty: loading the bundled ontology and data", path)
                report = store.load_bundled()
                log.info("loaded %s triples into %s graph(s)", f"{report.triples:,}", len(report.graphs))
                try:
                    log.info("%s", materialise(store).summary())
                except RelgraphError as err:
                    log.warning("no inferred graph (rg:partnerOf etc. missing): %s; run `relgraph reason` later", err)
        finally:
            store.close()
            del store
        log.info("published snapshot %s", publish_snapshot(path))
    except RelgraphError as err:
        return str(err)
    return None
