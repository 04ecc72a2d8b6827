"""The query engine of the SPARQL endpoint: killable worker processes over snapshots.

pyoxigraph has no query timeout and a thread cannot be stopped inside it, so
every query and update runs in a worker *process*; when the time is up the
worker gets SIGKILL (the CPU is really freed), a replacement is started in the
background and the caller gets :class:`~relgraph.errors.QueryTimeout`.

Workers never open the primary store for reading: they read the newest
snapshot (:mod:`relgraph.engine.snapshots`). Before each query a worker stats
``CURRENT`` and reopens when it changed, so an update (or a ``relgraph load``
followed by :func:`publish_snapshot`) is visible to the next query of every
worker of every server process.

Nothing here knows HTTP: the web layer maps the errors to status codes.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import pickle
import queue
import select
import signal
import struct
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any, cast

from .. import errors, sparql_guard
from ..errors import DataRejected, EngineError, QueryTimeout, RelgraphError, StoreError
from .answers import GRAPH_FORMATS, RESULT_FORMATS, RowLimit, choose, load_formats, too_many, turtle_prefixes
from .bounded import bounded_description, describe_target
from .protocol import QueryResult, Row, select_rows
from .requests import named_iris, parse_term, prepare_update, syntax_error
from .snapshots import current_snapshot, publish_locked, publish_snapshot, snapshots_dir, write_lock

__all__ = ["Engine"]

#: Extra time given to a worker after the limit before it is killed (pipe latency, not query time).
GRACE = 0.05
#: How long a new worker may take to import pyoxigraph and open its snapshot.
STARTUP_TIMEOUT = 60.0


# --- the worker process --------------------------------------------------------------------


@dataclass(frozen=True)
class _Config:
    store_path: str
    max_rows: int
    service_allowlist: tuple[str, ...]
    base: str | None
    validate_updates: bool = True
    nice: int = 0  # added to the worker's niceness (os.nice): background work yields the CPU to requests


class _Reader:
    """The newest snapshot, reopened when ``CURRENT`` changes (one stat per query)."""

    def __init__(self, store_path: str) -> None:
        self.snaps = snapshots_dir(store_path)
        self.pointer = self.snaps / "CURRENT"
        self.key: tuple[int, int, int] | None = None
        self.store: Any = None
        self.version = 0

    def get(self) -> Any:
        import pyoxigraph as ox

        try:
            st = os.stat(self.pointer)
        except FileNotFoundError:
            raise EngineError(f"no snapshot to read in {self.snaps}; start the engine or publish one") from None
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        if key != self.key:
            for _attempt in range(3):
                number = int(self.pointer.read_text().strip())
                try:
                    store = ox.Store.read_only(str(self.snaps / str(number)))
                except OSError as err:  # pruned between reading CURRENT and opening: read again
                    last = err
                    continue
                self.store, self.key, self.version = store, key, number
                break
            else:
                raise EngineError(f"cannot open snapshot {number} in {self.snaps}: {last}")
        return self.store


class _SnapshotView:
    """The newest snapshot, opened read-only in the serving process (:mod:`relgraph.engine.bounded`).

    Snapshots are never written, so reading one here is safe. Thread-safe: the pointer is
    checked and the store reopened under a lock; the opened store is read by any number of threads.
    """

    def __init__(self, store_path: str) -> None:
        self._reader = _Reader(store_path)
        self._lock = threading.Lock()

    def store(self) -> Any:
        """The current snapshot's pyoxigraph Store (reopened when ``CURRENT`` changed since the last call)."""
        with self._lock:
            return self._reader.get()


def _run_query(reader: _Reader, cfg: _Config, req: tuple[Any, ...]) -> tuple[Any, ...]:
    import pyoxigraph as ox

    _, sparql, accept, default_graph, named_graphs, base_iri, *extra = req
    substitutions = extra[0] if extra else None
    found = sparql_guard.check_query(sparql, service_allowlist=cfg.service_allowlist)
    kwargs: dict[str, Any] = {}
    if default_graph is not None or named_graphs is not None:
        # The protocol's dataset replaces FROM/FROM NAMED entirely (query_multiple_dataset).
        kwargs["default_graph"] = named_iris(default_graph or (), "default-graph-uri")
        kwargs["named_graphs"] = named_iris(named_graphs or (), "named-graph-uri")
    elif not found.has_from:
        kwargs["use_default_graph_as_union"] = True
    store = reader.get()
    try:
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(k): parse_term(v) for k, v in substitutions.items()}
        result = store.query(sparql, base_iri=base_iri or cfg.base, **kwargs)
        if isinstance(result, ox.QuerySolutions):
            media, canonical = choose(accept, "select")
            fmt, sink_type = RESULT_FORMATS[canonical]
            sink = sink_type(cfg.max_rows)
            try:
                result.serialize(cast("IO[bytes]", sink), fmt)  # a file object as far as pyoxigraph is concerned
            except RowLimit:
                raise too_many(cfg.max_rows) from None
            if sink.total() > cfg.max_rows:
                raise too_many(cfg.max_rows)
            return ("ok", "select", media, sink.body(), sink.total(), reader.version)
        if isinstance(result, ox.QueryBoolean):
            media, canonical = choose(accept, "ask")
            fmt = RESULT_FORMATS[canonical][0]
            return ("ok", "ask", media, result.serialize(format=fmt), 1, reader.version)
        media, body, count = graph_answer(result, accept, cfg.max_rows)
        return ("ok", "graph", media, body, count, reader.version)
    except SyntaxError as err:
        raise syntax_error(err) from None
    except OSError as err:
        raise EngineError(f"the query failed while reading the store: {err}") from None


def graph_answer(triples: Iterable[Any], accept: str | None, max_rows: int) -> tuple[str, bytes, int]:
    """Media type, body and number of triples of a graph result (CONSTRUCT, DESCRIBE), at most ``max_rows``."""
    import pyoxigraph as ox

    media, canonical = choose(accept, "graph")
    counter = [0]

    def capped(triples: Iterable[Any]) -> Iterator[Any]:
        for n, triple in enumerate(triples, 1):
            if n > max_rows:
                raise RowLimit
            counter[0] = n
            yield triple

    fmt = GRAPH_FORMATS[canonical]
    prefixes = turtle_prefixes() if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    try:
        body = ox.serialize(capped(triples), format=fmt, prefixes=prefixes)
    except RowLimit:
        raise too_many(max_rows, "triples") from None
    return media, body or b"", counter[0]  # serialize gives bytes when given no output file


def _gate(primary: Any, sparql: str, base_iri: str | None) -> None:
    """The SHACL gate of ``relgraph load``, for updates: validate the would-be store first."""
    from ..validate import ValidationError, format_text, gate_update

    try:
        gate_update(primary, sparql, base_iri=base_iri)
    except ValidationError as err:
        raise DataRejected(f"{err}:\n{format_text(err.report)}") from None


def _run_update(cfg: _Config, req: tuple[Any, ...]) -> tuple[Any, ...]:
    from ..store.embedded import Store

    _, sparql, using, using_named, base_iri = req
    sparql = prepare_update(sparql, using, using_named, service_allowlist=cfg.service_allowlist)
    path = Path(cfg.store_path)
    with write_lock(path):
        primary = Store(path)
        try:
            try:
                if cfg.validate_updates:
                    _gate(primary, sparql, base_iri or cfg.base)
                primary.oxigraph.update(sparql, base_iri=base_iri or cfg.base)
            except SyntaxError as err:
                raise syntax_error(err) from None
            except OSError as err:
                raise EngineError(f"the update failed: {err}; the store is unchanged") from None
            target = publish_locked(path, primary.oxigraph)
        finally:
            primary.close()
    return ("ok", "update", "", b"", 0, int(target.name))


def _dumps(message: Any) -> bytes:
    """A message for ``Connection.send_bytes``; ``Connection.recv`` reads it.

    ``Connection.send`` pickles with a fresh ``ForkingPickler``, which copies
    the copyreg dispatch table on every call; requests and replies are plain
    tuples, so the standard pickler does, at a fraction of the cost.
    """
    return pickle.dumps(message, pickle.HIGHEST_PROTOCOL)


#: The first read of a message: a small one (a request, most answers) arrives in this one system call.
_FIRST_READ = 1 << 16


def _read_exactly(fd: int, data: bytes, size: int) -> bytes:
    """``data`` and what follows on ``fd`` until ``size`` bytes (the sender never sends past one message)."""
    parts, have = [data], len(data)
    while have < size:
        chunk = os.read(fd, min(max(size - have, _FIRST_READ), 1 << 20))
        if not chunk:
            raise EOFError if have == 0 else OSError("end of file in the middle of a message")
        parts.append(chunk)
        have += len(chunk)
    return b"".join(parts) if len(parts) > 1 else data


def _read_message(fd: int) -> Any:
    """One message framed as ``Connection.send_bytes`` frames it, unpickled.

    ``Connection.recv`` reads the 4-byte length and the body with two system calls and copies the
    body through a ``BytesIO``; in the serving process every system call also hands the GIL to
    another thread and waits to get it back. Here a small message takes one ``read``, a large
    one its length and as many reads as the pipe needs, joined once. Only one message is ever in
    flight on a worker's pipe, so a read never takes the start of the next one.
    """
    head = _read_exactly(fd, b"", 4)
    (size,) = struct.unpack_from("!i", head)
    start = 4
    if size == -1:  # over 2 GiB: an 8-byte length follows
        head = _read_exactly(fd, head, 12)
        (size,) = struct.unpack_from("!Q", head, 4)
        start = 12
    body = _read_exactly(fd, head, start + size)
    return pickle.loads(memoryview(body)[start : start + size])  # noqa: S301 - our own worker pipe, as Connection.recv


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the server process dies (best effort)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _worker_main(conn: Connection, cfg: _Config) -> None:
    """The loop of one worker process: receive a request, send one reply, repeat."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    _die_with_parent()
    if cfg.nice:
        os.nice(cfg.nice)
    load_formats()
    reader = _Reader(cfg.store_path)
    try:
        reader.get()
        conn.send(("ready", os.getpid()))
    except RelgraphError as err:
        conn.send(("err", type(err).__name__, str(err.args[0]) if err.args else "", dict(vars(err))))
        return
    fd = conn.fileno()
    while True:
        try:
            req = _read_message(fd)
        except (EOFError, OSError):
            return
        if req is None:
            return
        try:
            reply = _run_query(reader, cfg, req) if req[0] == "q" else _run_update(cfg, req)
        except RelgraphError as err:
            reply = ("err", type(err).__name__, str(err.args[0]) if err.args else "", dict(vars(err)))
        except Exception as err:  # a bug or an unexpected pyoxigraph error: report, keep serving
            reply = ("err", "EngineError", f"{type(err).__name__}: {err}", {})
        try:
            conn.send_bytes(_dumps(reply))
        except (OSError, ValueError):
            return


def _rebuild_error(name: str, message: str, attrs: dict[str, Any]) -> RelgraphError:
    cls = getattr(errors, name, None)
    if not (isinstance(cls, type) and issubclass(cls, RelgraphError)):
        cls = EngineError
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(attrs)
    return err


# --- the pool, in the serving process ---------------------------------------------------------


class _Worker:
    __slots__ = ("conn", "fd", "pid", "poller", "process")

    def __init__(self, process: Any, conn: Connection) -> None:
        self.process, self.conn, self.pid = process, conn, process.pid
        self.fd = conn.fileno()
        # One poll object per worker: Connection.poll builds a selector on every call,
        # which costs more than the whole round trip to the worker.
        self.poller = select.poll()
        self.poller.register(conn.fileno(), select.POLLIN | select.POLLPRI)

    def wait(self, seconds: float) -> bool:
        """True when a reply (or the end of the pipe) is there within ``seconds``."""
        return bool(self.poller.poll(max(0, math.ceil(seconds * 1000))))


class Engine:
    """Runs SPARQL queries and updates on a store in killable worker processes.

    Thread-safe: each call takes an idle worker (waiting counts against the
    time limit), sends one request and receives one reply.
    """

    def __init__(
        self,
        store_path: str | Path,
        *,
        workers: int = 2,
        timeout: float = 30.0,
        max_rows: int = 100_000,
        service_allowlist: Sequence[str] = (),
        base: str | None = None,
        validate_updates: bool = True,
        background: bool = False,
    ) -> None:
        """``background``: work no request waits for (whole-graph counts and indexes); its workers run at a lower
        CPU priority (niceness +10), so that on a busy machine the requests' workers get the CPU first."""
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.store_path = Path(store_path).absolute()
        self.workers = workers
        self.timeout = float(timeout)
        self.max_rows = int(max_rows)
        self.service_allowlist = tuple(service_allowlist)
        self.base = base
        self._cfg = _Config(
            str(self.store_path), self.max_rows, self.service_allowlist, base, validate_updates, 10 if background else 0
        )
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._live: dict[int, _Worker] = {}
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        self._pointer = snapshots_dir(self.store_path) / "CURRENT"
        self._version_key: tuple[int, int, int] | None = None
        self._version = 0
        self._spawn_requests: queue.Queue[Any] = queue.Queue()
        self._spawner: threading.Thread | None = None
        self._view: _SnapshotView | None = None  # the snapshot read in this process (relgraph.engine.bounded)
        #: Queries answered in this process without a worker (their work was bounded; for tests and monitoring).
        self.in_process = 0

    # lifecycle

    def start(self) -> Engine:
        """Publish a fresh snapshot if possible and start the workers. Idempotent."""
        with self._lock:
            if self._started:
                return self
            self._started, self._closed = True, False
        try:
            try:
                publish_snapshot(self.store_path)
            except StoreError:
                if current_snapshot(self.store_path) is None:
                    raise
                # The primary is busy (a load is running): serve the last snapshot meanwhile.
            # Workers are started by one long-lived thread: Linux's parent-death signal,
            # which ends orphaned workers, fires when the *thread* that started them ends.
            self._spawn_requests = queue.Queue()
            self._spawner = threading.Thread(target=self._spawner_loop, name="relgraph-spawner", daemon=True)
            self._spawner.start()
            failures: list[RelgraphError] = []
            done = threading.Event()
            self._spawn_requests.put((self.workers, failures, done))
            done.wait()
            if failures:
                raise failures[0]
        except BaseException:
            self.close()
            raise
        return self

    def _spawner_loop(self) -> None:
        requests = self._spawn_requests
        while True:
            item = requests.get()
            if item is None:
                return
            count, failures, done = item
            try:
                for worker in [self._spawn() for _ in range(count)]:
                    try:
                        self._await_ready(worker)
                    except RelgraphError as err:
                        failures.append(err)
            except Exception as err:  # cannot even start a process (out of resources)
                failures.append(EngineError(f"cannot start a query worker: {err}"))
            finally:
                done.set()

    def close(self) -> None:
        """Stop all workers (idle ones politely, busy ones by SIGKILL)."""
        with self._lock:
            self._closed, self._started = True, False
            live = list(self._live.values())
            self._live.clear()
            self._view = None
        if self._spawner is not None:
            self._spawn_requests.put(None)
            self._spawner.join(timeout=STARTUP_TIMEOUT)
            self._spawner = None
        for worker in live:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        for worker in live:
            worker.process.join(timeout=1.0)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=1.0)
            worker.conn.close()
        while True:
            try:
                self._idle.get_nowait()
            except queue.Empty:
                break

    def __enter__(self) -> Engine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and monitoring)."""
        with self._lock:
            return list(self._live)

    @property
    def version(self) -> int:
        """The number of the newest snapshot: changes with every update or publish."""
        try:
            st = os.stat(self._pointer)
        except FileNotFoundError:
            return 0
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        if key != self._version_key:
            try:
                self._version = int(self._pointer.read_text().strip())
                self._version_key = key
            except (OSError, ValueError):
                pass
        return self._version

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_worker_main, args=(child, self._cfg), daemon=True, name="relgraph-query")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._live[worker.pid] = worker
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        ok = False
        try:
            if worker.conn.poll(STARTUP_TIMEOUT):
                reply = worker.conn.recv()
                if reply[0] == "ready":
                    ok = True
                else:
                    raise _rebuild_error(*reply[1:])
            else:
                raise EngineError(f"a query worker did not start within {STARTUP_TIMEOUT:g} s")
        except (EOFError, OSError):
            raise EngineError("a query worker died while starting") from None
        finally:
            if ok and not self._closed:
                self._idle.put(worker)
            else:
                self._discard(worker)

    def _replace_later(self) -> None:
        if not self._closed:
            self._spawn_requests.put((1, [], threading.Event()))

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._live.pop(worker.pid, None)
        if worker.process.is_alive():
            worker.process.kill()  # SIGKILL: pyoxigraph cannot be interrupted any other way
        worker.process.join(timeout=2.0)
        worker.conn.close()

    # requests

    def _call(self, message: tuple[Any, ...], limit: float) -> tuple[Any, ...]:
        if not self._started:
            self.start()
        deadline = time.monotonic() + limit
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            raise QueryTimeout(
                f"no query worker became free within the time limit of {limit:g} s (the endpoint is busy)",
                timeout=limit,
            ) from None
        try:
            worker.conn.send_bytes(_dumps(message))
            if not worker.wait(deadline - time.monotonic() + GRACE):
                self._discard(worker)
                self._replace_later()
                raise QueryTimeout(
                    f"the query ran longer than the time limit of {limit:g} s and was stopped", timeout=limit
                )
            reply = _read_message(worker.fd)
        except (EOFError, OSError, ValueError):
            self._discard(worker)
            self._replace_later()
            raise EngineError("the query worker died (out of memory?); the query was not answered") from None
        except BaseException:
            if worker.pid in self._live and worker.process.is_alive():
                # Interrupted mid-request (KeyboardInterrupt): the reply would be misread later.
                self._discard(worker)
                self._replace_later()
            raise
        self._idle.put(worker)
        if reply[0] == "ok":
            return reply
        raise _rebuild_error(*reply[1:])

    def query(
        self,
        sparql: str,
        *,
        accept: str | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
        timeout: float | None = None,
        substitutions: Mapping[str, str] | None = None,
    ) -> QueryResult:
        """Run a query; the result is complete and serialized in the negotiated type.

        ``substitutions`` binds variables (name without ``?``) to RDF terms given
        in N-Triples syntax (``str()`` of a pyoxigraph term); they are rebuilt as
        terms in the worker and passed to pyoxigraph's ``substitutions=``, so
        values stay values. pyoxigraph requires each such variable in the SELECT projection.

        Without ``default_graph``/``named_graphs`` (the protocol's dataset) the
        default graph is the union of all graphs, unless the query has FROM.
        A query whose work is provably bounded (``DESCRIBE <iri>`` of a small description
        without blank nodes, :mod:`relgraph.engine.bounded`) is answered in this thread.
        Raises QueryTimeout, QueryRefused, TooManyResults, NotAcceptable,
        ProtocolError, QuerySyntaxError or EngineError.
        """
        if default_graph is None and named_graphs is None and base_iri is None and not substitutions:
            found = self._in_process(sparql, accept)
            if found is not None:
                return found
        limit = self.timeout if timeout is None else float(timeout)
        reply = self._call(
            (
                "q",
                sparql,
                accept,
                list(default_graph) if default_graph is not None else None,
                list(named_graphs) if named_graphs is not None else None,
                base_iri,
                dict(substitutions) if substitutions else None,
            ),
            limit,
        )
        return QueryResult(kind=reply[1], media_type=reply[2], body=reply[3], rows=reply[4])

    def _in_process(self, sparql: str, accept: str | None) -> QueryResult | None:
        """The answer of a query whose work is provably bounded, computed in this thread; None: a worker's job.

        The same guard, negotiation, serialization and row cap as in a worker, on the same
        snapshot opened read-only here; only ``DESCRIBE <iri>`` of an IRI with few quads and no blank
        node objects qualifies (:mod:`relgraph.engine.bounded`).
        """
        iri = describe_target(sparql)
        if iri is None:
            return None
        if not self._started:
            self.start()
        view = self._view
        if view is None:
            with self._lock:
                if self._view is None:
                    load_formats()
                    self._view = _SnapshotView(str(self.store_path))
                view = self._view
        sparql_guard.check_query(sparql, service_allowlist=self.service_allowlist)  # as in a worker
        try:
            triples = bounded_description(view.store(), iri)
        except (RelgraphError, OSError):
            return None  # the snapshot could not be read here: a worker tries (and reports)
        if triples is None:
            return None
        media, body, count = graph_answer(triples, accept, self.max_rows)
        self.in_process += 1
        return QueryResult(kind="graph", media_type=media, body=body, rows=count)

    def select(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[Row]:
        """Run a SELECT and return its rows as pyoxigraph terms; ``bindings`` bind variables to terms."""
        return select_rows(self, sparql, bindings, timeout=timeout)

    def update(
        self,
        sparql: str,
        *,
        using_graph: Sequence[str] | None = None,
        using_named_graph: Sequence[str] | None = None,
        base_iri: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Run a SPARQL update as one transaction and publish a new snapshot.

        ``using_graph``/``using_named_graph`` are the protocol's
        ``using-graph-uri``/``using-named-graph-uri``. The next query (from any
        engine on this store) sees the change.
        """
        limit = self.timeout if timeout is None else float(timeout)
        self._call(
            (
                "u",
                sparql,
                list(using_graph) if using_graph is not None else None,
                list(using_named_graph) if using_named_graph is not None else None,
                base_iri,
            ),
            limit,
        )
