"""The query engine of the endpoint over a remote store: the same API as :class:`relgraph.engine.pool.Engine`.

``relgraph serve --store http://HOST:PORT`` answers with a :class:`RemoteEngine`:
each query is checked here and then forwarded over the SPARQL 1.1 Protocol.
What stays exactly as with the embedded engine:

* **the SERVICE/LOAD guard** (:mod:`relgraph.sparql_guard`) runs *before* a
  request leaves relgraph: a refused query is never sent;
* **content negotiation**: the Accept header is negotiated here (406 before
  sending); the remote is asked for one fixed type (SPARQL JSON for
  SELECT/ASK, N-Triples for CONSTRUCT/DESCRIBE) and the answer is parsed and
  serialised again by pyoxigraph in the negotiated type, so the body is
  byte-for-byte what the embedded engine writes, whatever the remote's layout;
* **the exact row cap**: rows are counted by the same counting sinks as in
  :mod:`relgraph.engine.answers` while serialising; reading stops (and the connection
  is closed) at ``max_rows + 1``;
* **the time limit**: one deadline bounds connecting, sending and every read;
  when it passes the connection is closed and :class:`QueryTimeout` raised
  (the web layer answers 503). Closing the connection does not stop the work
  on every engine: start Oxigraph with ``--timeout-s`` (at most relgraph's
  ``query_timeout``) so the remote frees its CPU too. A remote's own timeout
  answer (a 5xx whose text mentions a timeout) is also QueryTimeout.

``substitutions`` (pyoxigraph's, in the embedded engine) become a ``VALUES``
clause of terms serialised by pyoxigraph, at the query's ``# @values`` line or
trailing (:func:`relgraph.store.remote.with_values`).

``version`` cannot be read from a remote store that others may write, so it
is a counter that moves on every update sent through this engine and every
``remote_version_ttl`` seconds: cached answers are at most that old.

Nothing here knows HTTP status codes of *our* server: errors are the domain
errors of :mod:`relgraph.errors`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, cast

from .. import settings, sparql_guard
from ..errors import DataRejected, EngineError, QuerySyntaxError, QueryTimeout, RelgraphError, StoreError
from ..store.http import RemoteError, Response, redact
from ..store.remote import RemoteStore, with_values
from .answers import GRAPH_FORMATS, RESULT_FORMATS, RowLimit, choose, load_formats, too_many, turtle_prefixes
from .protocol import QueryResult, Row, select_rows
from .requests import named_iris, parse_term, prepare_update

__all__ = ["RemoteEngine", "prepare_remote_store", "query_form"]

_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def query_form(sparql: str) -> str:
    """``select``, ``ask`` or ``graph``: the form of a query, read past its prologue by the tokenizer."""
    tokens = [t for t in sparql_guard.tokenize(sparql) if t.kind not in ("ws", "comment")]
    i = 0
    while i < len(tokens):
        word = tokens[i].upper
        if word in _FORMS and tokens[i].kind == "word":
            return _FORMS[word]
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        else:
            break
    return "select"  # not a query the remote will accept anyway: it answers 400


class RemoteEngine:
    """Forwards queries and updates to a remote SPARQL endpoint, with relgraph's safety rules.

    Thread-safe: every call opens its own connection. ``workers`` is accepted for
    the same signature as :class:`relgraph.engine.pool.Engine` and ignored: the
    remote engine does the work; the number of concurrent requests is bounded
    by the web server's threads.
    """

    def __init__(
        self,
        store: str | RemoteStore,
        *,
        workers: int = 2,
        timeout: float = 30.0,
        max_rows: int = 100_000,
        service_allowlist: Sequence[str] = (),
        base: str | None = None,
        version_ttl: float | None = None,
        validate_updates: bool = True,
        background: bool = False,  # the remote server does the work: nothing here to run at a lower priority
    ) -> None:
        self.validate_updates = validate_updates
        self.store = store if isinstance(store, RemoteStore) else RemoteStore(store, base=base)
        self.workers = workers
        self.timeout = float(timeout)
        self.max_rows = int(max_rows)
        self.service_allowlist = tuple(service_allowlist)
        self.base = base
        self.version_ttl = float(settings.get("remote_version_ttl") if version_ttl is None else version_ttl)
        self._updates = 0
        self._lock = threading.Lock()
        # Updates are announced to the other server processes on this host through a small file.
        digest = hashlib.sha256(self.store.location.encode()).hexdigest()[:16]
        self._counter = Path(tempfile.gettempdir()) / f"relgraph-remote-{digest}.version"
        self._counter_key: tuple[int, int] | None = None
        self._started = False
        load_formats()

    def __repr__(self) -> str:
        return f"RemoteEngine({self.store.location!r})"

    # lifecycle

    def start(self) -> RemoteEngine:
        """Check that the remote answers (``ASK {}``). Idempotent."""
        if not self._started:
            self.query("ASK {}", accept="application/sparql-results+json", timeout=min(self.timeout, 30.0))
            self._started = True
        return self

    def close(self) -> None:
        self._started = False

    def __enter__(self) -> RemoteEngine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pids(self) -> list[int]:
        """No local worker processes: the remote engine does the work."""
        return []

    @property
    def version(self) -> int:
        """Moves on every update sent from this host and every ``version_ttl`` seconds (see the module doc)."""
        with self._lock:
            if self.version_ttl <= 0:
                self._updates += 1  # no caching: every call is a new version
                return self._updates
            try:
                st = os.stat(self._counter)
                key = (st.st_mtime_ns, st.st_ino)
                if key != self._counter_key:
                    self._updates = int(self._counter.read_text().strip() or 0)
                    self._counter_key = key
            except (OSError, ValueError):
                pass
            return int(time.time() // self.version_ttl) + self._updates

    def _announce_update(self) -> None:
        with self._lock:
            try:
                current = int(self._counter.read_text().strip() or 0)
            except (OSError, ValueError):
                current = self._updates
            self._updates = max(current, self._updates) + 1
            tmp = self._counter.with_name(f"{self._counter.name}.{os.getpid()}")
            try:
                tmp.write_text(f"{self._updates}\n")
                os.replace(tmp, self._counter)
            except OSError:
                pass

    # requests

    def _send(self, sparql: str, accept: str, params: list[tuple[str, str]], limit: float, shift: int = 0) -> Response:
        try:
            return self.store.post_query(sparql, accept=accept, params=params, timeout=limit)
        except QuerySyntaxError as err:
            raise _shifted(err, shift) from None
        except QueryTimeout:
            raise QueryTimeout(
                f"the query ran longer than the time limit of {limit:g} s and was stopped", timeout=limit
            ) from None
        except RemoteError as err:
            raise _map_remote(err, limit) from None
        except StoreError as err:
            raise EngineError(str(err)) from None

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
        """Run a query on the remote store; the result is complete and serialized in the negotiated type.

        Same contract as :meth:`relgraph.engine.Engine.query`; raises QueryTimeout,
        QueryRefused, TooManyResults, NotAcceptable, ProtocolError,
        QuerySyntaxError or EngineError.
        """
        import pyoxigraph as ox

        limit = self.timeout if timeout is None else float(timeout)
        deadline = time.monotonic() + limit
        found = sparql_guard.check_query(sparql, service_allowlist=self.service_allowlist)
        kind = query_form(sparql)
        media, canonical = choose(accept, kind)
        params: list[tuple[str, str]] = []
        if default_graph is not None or named_graphs is not None:
            params += [("default-graph-uri", n.value) for n in named_iris(default_graph or (), "default-graph-uri")]
            params += [("named-graph-uri", n.value) for n in named_iris(named_graphs or (), "named-graph-uri")]
        elif not found.has_from and self.store.endpoints.union_param:
            params.append((self.store.endpoints.union_param, ""))
        text = sparql
        if substitutions:
            text = with_values(text, {k: parse_term(v) for k, v in substitutions.items()})
        base = base_iri or self.base
        prologue = f"BASE {ox.NamedNode(base)} " if base else ""
        text = prologue + text
        remote_accept = "application/n-triples" if kind == "graph" else "application/sparql-results+json"
        resp = self._send(text, remote_accept, params, limit, len(prologue))
        try:
            if kind == "graph":
                body, rows = self._graph(resp, canonical)
            else:
                body, rows, kind = self._results(resp, canonical)
        except (TimeoutError, OSError, SyntaxError, ValueError) as err:
            if time.monotonic() >= deadline:
                raise QueryTimeout(
                    f"the query ran longer than the time limit of {limit:g} s and was stopped", timeout=limit
                ) from None
            raise EngineError(f"reading the answer of the remote store failed: {err}") from None
        finally:
            resp.close()
        return QueryResult(kind=kind, media_type=media, body=body, rows=rows)

    def select(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, *, timeout: float | None = None
    ) -> list[Row]:
        """Run a SELECT and return its rows as pyoxigraph terms; ``bindings`` bind variables to terms."""
        return select_rows(self, sparql, bindings, timeout=timeout)

    def _results(self, resp: Response, canonical: str) -> tuple[bytes, int, str]:
        import pyoxigraph as ox

        reader = self.store.engine.results_reader(resp)
        result = ox.parse_query_results(reader, format=ox.QueryResultsFormat.JSON)
        fmt, sink_type = RESULT_FORMATS[canonical]
        if isinstance(result, ox.QueryBoolean):
            media_kind = "ask"
            if canonical not in RESULT_FORMATS:  # pragma: no cover - negotiated from the same table
                raise EngineError(f"cannot write an ASK result as {canonical}")
            return result.serialize(format=fmt) or b"", 1, media_kind
        if not isinstance(result, ox.QuerySolutions):
            raise EngineError("the remote store answered a SELECT or ASK with triples")
        sink = sink_type(self.max_rows)
        try:
            result.serialize(cast("IO[bytes]", sink), fmt)  # a file object as far as pyoxigraph is concerned
        except RowLimit:
            raise too_many(self.max_rows) from None
        if sink.total() > self.max_rows:
            raise too_many(self.max_rows)
        return sink.body(), sink.total(), "select"

    def _graph(self, resp: Response, canonical: str) -> tuple[bytes, int]:
        import pyoxigraph as ox

        counter = [0]
        limit = self.max_rows

        def capped(quads: Iterable[Any]) -> Iterator[Any]:
            for n, quad in enumerate(quads, 1):
                if n > limit:
                    raise RowLimit
                counter[0] = n
                yield quad.triple

        fmt = GRAPH_FORMATS[canonical]
        prefixes = turtle_prefixes() if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        try:
            body = ox.serialize(
                capped(ox.parse(resp, format=ox.RdfFormat.N_TRIPLES)),  # type: ignore[arg-type]
                format=fmt,
                prefixes=prefixes,
            )
        except RowLimit:
            raise too_many(limit, "triples") from None
        return body or b"", counter[0]

    def update(
        self,
        sparql: str,
        *,
        using_graph: Sequence[str] | None = None,
        using_named_graph: Sequence[str] | None = None,
        base_iri: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Check an update (SERVICE/LOAD guard) and send it; the next query sees it."""
        import pyoxigraph as ox

        limit = self.timeout if timeout is None else float(timeout)
        sparql = prepare_update(sparql, using_graph, using_named_graph, service_allowlist=self.service_allowlist)
        base = base_iri or self.base
        if self.validate_updates:
            # The same SHACL gate as the embedded engine; the remote store is read for it,
            # so a concurrent writer elsewhere could slip in between (no cross-engine transaction).
            # An engine whose answers the scoped gate cannot rely on gets the whole-store check.
            from ..validate import ValidationError, format_text, gate_update

            try:
                gate_update(self.store, sparql, base_iri=base, scoped=self.store.engine.scoped_gate)
            except ValidationError as err:
                raise DataRejected(f"{err}:\n{format_text(err.report)}") from None
        prologue = f"BASE {ox.NamedNode(base)} " if base else ""
        sparql = prologue + sparql
        try:
            self.store.post_update(sparql, timeout=limit)
        except QuerySyntaxError as err:
            raise _shifted(err, len(prologue)) from None
        except QueryTimeout:
            raise
        except RemoteError as err:
            raise _map_remote(err, limit) from None
        except StoreError as err:
            raise EngineError(str(err)) from None
        finally:
            self._announce_update()  # even a failed update may have changed something: drop the caches


def _shifted(err: QuerySyntaxError, shift: int) -> QuerySyntaxError:
    """The remote's syntax error in the embedded engine's words, positions as in the text the client sent."""
    line, col = err.line, err.column
    if line == 1 and col is not None:
        col = max(1, col - shift)
    message = getattr(err, "remote_message", str(err))
    where = f"line {line}, column {col}: " if line is not None else ""
    out = QuerySyntaxError(f"SPARQL syntax error at {where}{message}", line=line, column=col)
    out.message = message
    return out


def _map_remote(err: RemoteError, limit: float) -> RelgraphError:
    """A remote error status as the error the embedded engine would raise."""
    status = err.status or 0
    if "timeout" in err.text.lower() or "timed out" in err.text.lower() or status in (503, 504):
        return QueryTimeout(
            f"the remote store stopped the query at its time limit (HTTP {status}); relgraph's limit is {limit:g} s",
            timeout=limit,
        )
    return EngineError(str(err))


def prepare_remote_store(url: str, *, base: str, log: Any = None) -> None:
    """Fill an empty remote store with the bundled ontology and data and reason, as ``serve`` does locally."""
    from ..reason import materialise

    store = RemoteStore(url, base=base)
    if not store.is_empty():
        return
    if log:
        log.info("remote store %s is empty: loading the bundled ontology and data", redact(url))
    report = store.load_bundled()
    if log:
        log.info("loaded %s triples into %s graph(s)", f"{report.triples:,}", len(report.graphs))
    try:
        summary = materialise(store).summary()
        if log:
            log.info("%s", summary)
    except RelgraphError as err:
        if log:
            log.warning("no inferred graph (rg:partnerOf etc. missing): %s; run `relgraph reason` later", err)
