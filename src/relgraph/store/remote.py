"""The remote store: a SPARQL server reached over HTTP, with the embedded store's API.

``--store DIR`` (or ``RELGRAPH_STORE``) is the embedded :class:`relgraph.store.Store`;
``--store http(s)://HOST:PORT`` is a :class:`RemoteStore`, which speaks

* the SPARQL 1.1 Protocol for queries (``POST application/sparql-query``) and
  updates (``POST application/sparql-update``);
* the SPARQL 1.1 Graph Store HTTP Protocol for whole graphs: ``PUT``
  ``{store}?graph=IRI`` replaces a graph, ``GET`` reads one (or, without
  ``graph``, the whole dataset as N-Quads), ``DELETE`` drops one.

By default the URL is an Oxigraph server (``oxigraph serve``): ``{url}/query``,
``{url}/update`` and ``{url}/store``, and the union default graph is asked for
with Oxigraph's ``union-default-graph`` query parameter. Other engines are
reached with ``RELGRAPH_QUERY_URL``/``RELGRAPH_UPDATE_URL``/``RELGRAPH_STORE_URL``
and ``RELGRAPH_REMOTE_UNION_PARAM`` (empty when the engine's default graph is
already the union, e.g. GraphDB, or Fuseki with ``tdb2:unionDefaultGraph``).
Credentials come only from the environment (``RELGRAPH_REMOTE_USER`` and
``RELGRAPH_REMOTE_PASSWORD`` for HTTP Basic, or ``RELGRAPH_REMOTE_TOKEN`` for a
bearer token) and never appear in a message: URLs are shown without user info.

Atomicity: a ``PUT`` of one graph is one transaction on Oxigraph (a body cut
short or with a syntax error leaves the graph as it was; tested). Fuseki (TDB2)
also runs each GSP request in a transaction; other engines may not. A load that
writes several graphs sends one ``PUT`` per graph: when a later ``PUT`` fails,
the graphs already written are put back from copies taken (``GET``) before the
first write. If relgraph itself dies between two ``PUT`` s, or the remote stays
away during the rollback, the earlier graphs stay replaced: per-graph atomicity
is what the protocol guarantees; the error message names the graphs concerned.

Nothing here knows Flask.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlencode, urlsplit

import pyoxigraph as ox

from .. import settings
from ..errors import LoadError, QuerySyntaxError, QueryTimeout, StoreError, UsageError
from ..rdf import UNION_TRIPLES, export_format, parse_syntax_error
from .base import BaseStore
from .engines import ENGINES, EngineProfile, profile
from .http import CHUNK, HttpClient, RemoteError, Response, error_text, read_all, redact
from .protocol import LoadReport, ProgressFn, Stats

__all__ = ["RemoteEndpoints", "RemoteStore", "is_url", "values_clause", "with_values"]


def is_url(spec: object) -> bool:
    """True when ``spec`` is an ``http(s)://`` URL (a remote store), not a directory."""
    return isinstance(spec, str) and spec.lower().startswith(("http://", "https://"))


def values_clause(substitutions: Mapping[str, Any]) -> str:
    """A trailing ``VALUES`` clause binding each variable to one pyoxigraph term.

    Used where the SPARQL Protocol has no equivalent of pyoxigraph's
    ``substitutions=``. The terms are pyoxigraph objects serialised by
    pyoxigraph (N-Triples syntax): values stay values. Literals containing a
    ``\\u``/``\\U`` sequence are refused, since some SPARQL parsers unescape those
    before tokenising. A trailing VALUES is joined before projection, ORDER BY
    and LIMIT, so for a variable that is projected (pyoxigraph requires that of
    substitutions too) it gives the same rows.
    """
    names, terms = [], []
    for name, term in substitutions.items():
        if not re.fullmatch(r"[A-Za-z0-9_]+", name):
            raise UsageError(f"{name!r} is not a SPARQL variable name")
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise UsageError(f"?{name}: only IRIs and literals can be sent to a remote store")
        if isinstance(term, ox.Literal) and re.search(r"\\[uU]", term.value):
            raise UsageError(f"?{name}: a backslash followed by u cannot be sent safely to a remote store")
        names.append(f"?{name}")
        terms.append(str(term))
    return f"\nVALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}\n"


def with_values(sparql: str, substitutions: Mapping[str, Any]) -> str:
    """``sparql`` with its substitutions as a ``VALUES`` block: at the line ``# @values`` if the
    query has exactly one (the ready-made questions mark the first line of their outermost
    WHERE group), else trailing.

    A trailing VALUES joins after GROUP BY and aggregation (SPARQL 1.1, 18.2.4), so a query that
    aggregates over the bound variable, or binds it only inside a sub-query, answered other rows
    than the embedded engine's substitutions: 9 of the 19 ready-made questions over Oxigraph server.
    """
    lines = sparql.splitlines()
    marks = [i for i, line in enumerate(lines) if line.strip() == "# @values"]
    if len(marks) != 1:
        return sparql.rstrip() + values_clause(substitutions)
    lines[marks[0]] = values_clause(substitutions).strip()
    return "\n".join(lines) + "\n"


# --- HTTP ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemoteEndpoints:
    """Where a remote store answers, how to ask it for the union default graph, and its engine profile."""

    query_url: str
    update_url: str
    store_url: str
    union_param: str = "union-default-graph"
    profile: EngineProfile = field(default_factory=lambda: ENGINES["oxigraph"])

    @classmethod
    def for_url(cls, url: str, *, engine: str | None = None) -> RemoteEndpoints:
        """The engine profile's layout under ``url`` unless the ``*_url`` settings say otherwise."""
        parts = urlsplit(url)
        if parts.username is not None or parts.password is not None:
            raise UsageError(
                f"{redact(url)}: put no credentials in the store URL; "
                "set RELGRAPH_REMOTE_USER/RELGRAPH_REMOTE_PASSWORD or RELGRAPH_REMOTE_TOKEN"
            )
        root = url.rstrip("/")
        prof = profile(engine)
        paths = (prof.query_path, prof.update_path, prof.store_path)
        if prof.auth_paths and (os.environ.get("RELGRAPH_REMOTE_USER") or os.environ.get("RELGRAPH_REMOTE_TOKEN")):
            paths = prof.auth_paths
        urls = []
        for name, path in zip(("query_url", "update_url", "store_url"), paths, strict=True):
            value = settings.get(name) or (root + path if path is not None else None)
            if value is None:
                raise UsageError(
                    f"--engine {prof.name}: set RELGRAPH_{name.upper()} (the engine's {name.split('_')[0]} endpoint)"
                )
            urls.append(value)
        return cls(query_url=urls[0], update_url=urls[1], store_url=urls[2], union_param=prof.union_param, profile=prof)


def _syntax_error(text: str) -> QuerySyntaxError:
    line, col, message = parse_syntax_error(text)
    where = f"line {line}, column {col}: " if line is not None else ""
    err = QuerySyntaxError(f"SPARQL syntax error at {where}{message} (remote store)", line=line, column=col)
    err.remote_message = message  # type: ignore[attr-defined]
    return err


# --- the read view used by validate/reason/sources/importers --------------------------------


class _RemoteView:
    """The part of pyoxigraph's ``Store`` API that relgraph's readers use, over HTTP.

    ``validate``, ``reason``, ``sources`` and the importers call
    ``store.oxigraph.quads_for_pattern``/``named_graphs``/``contains_named_graph``/``query``;
    on a remote store these fetch the data (GSP ``GET`` for everything, SPARQL otherwise).
    """

    def __init__(self, store: RemoteStore) -> None:
        self._store = store

    def __len__(self) -> int:
        return len(self._store)

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return iter([ox.NamedNode(g) for g in self._store.graphs()])

    def contains_named_graph(self, graph: Any) -> bool:
        return self._store.has_graph(graph.value if isinstance(graph, ox.NamedNode) else str(graph))

    def quads_for_pattern(self, subject: Any, predicate: Any, obj: Any, graph: Any = None) -> Iterator[ox.Quad]:
        if subject is None and predicate is None and obj is None and graph is None:
            return iter(list(self._store.quads()))
        if subject is None and predicate is None and obj is None and isinstance(graph, ox.NamedNode):
            return iter(list(self._store.quads(graph.value)))
        bindings: dict[str, Any] = {}
        for name, term in (("s", subject), ("p", predicate), ("o", obj)):
            if term is not None:
                bindings[name] = term
        if isinstance(graph, ox.DefaultGraph):
            if self._store.engine.default_is_union:
                return iter([])  # no default graph of its own (Virtuoso): nothing is ever in it
            query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
        else:
            if graph is not None:
                bindings["g"] = graph
            query = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        rows = self._store.query(query, union=False, substitutions=bindings or None)
        default = isinstance(graph, ox.DefaultGraph)
        return iter([ox.Quad(r["s"], r["p"], r["o"], ox.DefaultGraph() if default else r["g"]) for r in rows])

    def query(
        self,
        sparql: str,
        *,
        default_graph: Any = None,
        named_graphs: Any = None,
        use_default_graph_as_union: bool = False,
        base_iri: str | None = None,
        substitutions: Mapping[Any, Any] | None = None,
        **_: Any,
    ) -> Any:
        def names(value: Any) -> list[str] | None:
            if value is None:
                return None
            items = value if isinstance(value, list | tuple | set) else [value]
            return [i.value for i in items if isinstance(i, ox.NamedNode)]

        subs = {getattr(k, "value", str(k)): v for k, v in (substitutions or {}).items()}
        return self._store.query(
            sparql,
            union=use_default_graph_as_union,
            default_graph=names(default_graph),
            named_graphs=names(named_graphs),
            substitutions=subs or None,
            base_iri=base_iri,
        )


# --- the remote store ----------------------------------------------------------------------


_RESULTS_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


class RemoteStore(BaseStore):
    """A store behind a SPARQL 1.1 Protocol + Graph Store Protocol endpoint (e.g. ``oxigraph serve``).

    Parsing and rebasing files, the validating load and the statistics are
    those of the embedded store (:class:`relgraph.store.base.BaseStore`).
    """

    def __init__(
        self,
        url: str,
        *,
        base: str | None = None,
        timeout: float | None = None,
        endpoints: RemoteEndpoints | None = None,
        engine: str | None = None,
    ) -> None:
        if not is_url(url):
            raise UsageError(f"{redact(url)}: a remote store is an http:// or https:// URL")
        self.url = url.rstrip("/")
        self.endpoints = endpoints or RemoteEndpoints.for_url(self.url, engine=engine)
        self.base = base or settings.get("base")
        self.timeout = float(timeout if timeout is not None else settings.get("remote_timeout"))
        self.http = HttpClient(timeout=self.timeout, auth=self.endpoints.profile.auth)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RemoteStore({redact(self.url)!r})"

    @property
    def path(self) -> str:
        """The store's URL (without credentials); the embedded store's ``path`` is its directory."""
        return redact(self.url)

    @property
    def location(self) -> str:
        return redact(self.url)

    @property
    def native(self) -> None:
        """No pyoxigraph store here: the data is behind HTTP."""
        return None

    @property
    def oxigraph(self) -> _RemoteView:
        """A read-only, pyoxigraph-``Store``-like view (enough for validate/reason/sources/importers)."""
        return _RemoteView(self)

    def close(self) -> None:
        """Nothing to release: every request has its own connection."""

    # --- protocol plumbing ------------------------------------------------------------

    def _check(self, resp: Response, what: str, *, syntax: bool = False) -> Response:
        if 200 <= resp.status < 300:
            return resp
        text = error_text(resp)
        if syntax and resp.status == 400:
            raise _syntax_error(text)
        if resp.status in (401, 403):
            raise RemoteError(
                f"{what}: the remote store refused the credentials (HTTP {resp.status}); "
                "check RELGRAPH_REMOTE_USER/RELGRAPH_REMOTE_PASSWORD or RELGRAPH_REMOTE_TOKEN",
                status=resp.status,
                text=text,
            )
        raise RemoteError(
            f"{what}: the remote store answered HTTP {resp.status}: {text}", status=resp.status, text=text
        )

    def _dataset_params(
        self, union: bool, default_graph: Iterable[str] | None, named_graphs: Iterable[str] | None
    ) -> list[tuple[str, str]]:
        params: list[tuple[str, str]] = []
        if default_graph is not None or named_graphs is not None:
            params += [("default-graph-uri", ox.NamedNode(g).value) for g in default_graph or ()]
            params += [("named-graph-uri", ox.NamedNode(g).value) for g in named_graphs or ()]
        elif union and self.endpoints.union_param:
            params.append((self.endpoints.union_param, ""))
        return params

    @property
    def engine(self) -> EngineProfile:
        """The engine profile (relgraph.store.engines) this store is reached with."""
        return self.endpoints.profile

    def post_query(
        self,
        sparql: str,
        *,
        accept: str,
        params: Sequence[tuple[str, str]] = (),
        timeout: float | None = None,
    ) -> Response:
        """POST a query (SPARQL Protocol); the open, successful response. 400 raises QuerySyntaxError.

        It is sent form-encoded where the engine needs that (Virtuoso).
        """
        prof = self.engine
        text = sparql
        if prof.query_post == "form":
            body = urlencode([*params, ("query", text)], quote_via=quote).encode("ascii")
            params = ()
            content_type = "application/x-www-form-urlencoded"
        else:
            body = text.encode("utf-8")
            content_type = "application/sparql-query; charset=utf-8"
        resp = self.http.request(
            "POST",
            self.endpoints.query_url,
            params=params,
            body=body,
            headers={"Content-Type": content_type, "Accept": accept},
            timeout=timeout,
        )
        resp = self._check(resp, "query", syntax=True)
        if prof.partial_header and (resp.header(prof.partial_header[0]) or "").strip() == prof.partial_header[1]:
            resp.close()
            limit = self.http.timeout if timeout is None else timeout
            raise QueryTimeout(
                "the remote store stopped the query at its own time limit and answered with incomplete results",
                timeout=limit,
            )
        return resp

    def post_update(self, sparql: str, *, timeout: float | None = None) -> None:
        """POST an update (SPARQL Protocol); 400 raises QuerySyntaxError."""
        resp = self.http.request(
            "POST",
            self.endpoints.update_url,
            body=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
            timeout=timeout,
        )
        self._check(resp, "update", syntax=True).close()

    # --- reading --------------------------------------------------------------------

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
        """Like :meth:`Store.query`: pyoxigraph ``QuerySolutions``/``QueryBoolean`` or an iterator of triples.

        The answer is read completely before returning (our queries are small;
        the endpoint's engine caps and streams big ones itself).
        """
        if substitutions:
            sparql = with_values(sparql, substitutions)
        if base_iri:
            sparql = f"BASE {ox.NamedNode(base_iri)} {sparql}"
        params = self._dataset_params(union, default_graph, named_graphs)
        with self.post_query(sparql, accept=_RESULTS_ACCEPT, params=params) as resp:
            media = resp.media_type
            body = read_all(self.engine.results_reader(resp) if media == "application/sparql-results+json" else resp)
        if media in ("application/n-triples", "text/turtle", "application/n-quads", "application/rdf+xml"):
            fmt = ox.RdfFormat.from_media_type(media)
            return iter([q.triple for q in ox.parse(body, format=fmt)])
        fmt_r = ox.QueryResultsFormat.from_media_type(media) if media else None
        if fmt_r is None:
            raise RemoteError(f"query: the remote store answered in an unexpected type {media!r}")
        return ox.parse_query_results(body, format=fmt_r)

    def _rows(self, sparql: str, *, union: bool = True) -> list[Any]:
        return list(self.query(sparql, union=union))

    def _hide(self, var: str = "g") -> str:
        """A FILTER leaving out the engine's own graphs (Virtuoso's), or nothing."""
        hidden = self.engine.system_graphs
        if not hidden:
            return ""
        return f"FILTER(?{var} NOT IN ({', '.join(f'<{g}>' for g in hidden)}))"

    def _all_patterns(self) -> str:
        """Every triple once: named graphs, plus the default graph where the engine keeps one of its own."""
        if self.engine.default_is_union:
            return f"GRAPH ?g {{ ?s ?p ?o }} {self._hide()}"
        return "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"

    def __len__(self) -> int:
        rows = self._rows(f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._all_patterns()} }}", union=False)
        return int(rows[0]["n"].value) if rows else 0

    def is_empty(self) -> bool:
        result = self.query(f"ASK {{ {self._all_patterns()} }}", union=False)
        return not bool(result)

    def graphs(self) -> list[str]:
        rows = self._rows("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union=False)
        found = {r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode)}
        if not found:  # engines that list only non-empty graphs for GRAPH ?g {}
            rows = self._rows("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
            found = {r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode)}
        return sorted(found - set(self.engine.system_graphs))

    def has_graph(self, graph: str) -> bool:
        resp = self.http.request("HEAD", self.endpoints.store_url, params=[("graph", ox.NamedNode(graph).value)])
        resp.close()
        if resp.status == 404:
            return False
        if 200 <= resp.status < 300:
            return True
        return graph in self.graphs()

    def _get_graph(self, graph: str | None, accept: str) -> Response:
        params = [("graph", ox.NamedNode(graph).value)] if graph is not None else []
        return self.http.request("GET", self.endpoints.store_url, params=params, headers={"Accept": accept})

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """All quads (GSP ``GET`` of the dataset as N-Quads), or those of one graph; streamed."""
        if graph is None and not self.engine.dataset_get:
            # The engine has no Graph Store GET of the whole dataset: graph by graph.
            for name in self.graphs():
                yield from self.quads(name)
            return
        if graph is None:
            resp = self._check(self._get_graph(None, "application/n-quads"), "reading the store")
            fmt = ox.RdfFormat.N_QUADS
        else:
            resp = self._get_graph(graph, "application/n-triples")
            if resp.status == 404:
                resp.close()
                return
            self._check(resp, f"reading graph <{graph}>")
            fmt = ox.RdfFormat.N_TRIPLES
        node = ox.NamedNode(graph) if graph is not None else None
        with resp:
            for quad in ox.parse(resp, format=fmt):  # type: ignore[arg-type]
                yield quad if node is None else ox.Quad(quad.subject, quad.predicate, quad.object, node)

    # --- writing ------------------------------------------------------------------------

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """POST a SPARQL update (one request; one transaction on Oxigraph)."""
        if base_iri:
            sparql = f"BASE {ox.NamedNode(base_iri)} {sparql}"
        self.post_update(sparql)

    def remove_graph(self, graph: str) -> None:
        resp = self.http.request("DELETE", self.endpoints.store_url, params=[("graph", ox.NamedNode(graph).value)])
        if resp.status == 404:
            resp.close()
            return
        self._check(resp, f"removing graph <{graph}>").close()

    def _put(self, graph: str, path: Path) -> None:
        with open(path, "rb") as body:
            resp = self.http.request(
                "PUT",
                self.endpoints.store_url,
                params=[("graph", graph)],
                body=body,
                length=path.stat().st_size,
                headers={"Content-Type": "application/n-triples"},
            )
        if resp.status == 400:
            text = error_text(resp)
            raise LoadError(f"the remote store refused the data of graph <{graph}>: {text}")
        self._check(resp, f"writing graph <{graph}>").close()

    def _backup(self, graph: str, folder: Path) -> Path | None:
        resp = self._get_graph(graph, "application/n-triples")
        if resp.status == 404:
            resp.close()
            return None
        self._check(resp, f"reading graph <{graph}> before replacing it")
        target = folder / f"backup-{abs(hash(graph))}.nt"
        with resp, open(target, "wb") as out:
            shutil.copyfileobj(resp, out, CHUNK)
        return target

    def put_graphs(self, files: Mapping[str, Path], *, progress: ProgressFn | None = None) -> None:
        """Replace each graph with the N-Triples file given for it: one ``PUT`` per graph.

        With more than one graph, each is first copied (``GET``) so that a failed
        ``PUT`` puts the graphs already written back as they were.
        """
        with tempfile.TemporaryDirectory(prefix="relgraph-backup-") as tmp:
            backups: dict[str, Path | None] = {}
            if len(files) > 1:
                for graph in files:
                    backups[graph] = self._backup(graph, Path(tmp))
            done: list[str] = []
            for graph, path in files.items():
                if progress:
                    progress(f"PUT {path.stat().st_size:,} bytes into <{graph}>")
                try:
                    self._put(graph, path)
                except (StoreError, LoadError, QueryTimeout) as err:
                    restored, lost = self._rollback(done, backups)
                    note = ""
                    if done:
                        note = f"; graph(s) already written were restored: {', '.join(restored) or 'none'}"
                        if lost:
                            note += f"; NOT restored (still replaced): {', '.join(lost)}"
                    raise type(err)(f"{err}; <{graph}> is unchanged{note}") from None
                done.append(graph)

    def _rollback(self, done: Sequence[str], backups: Mapping[str, Path | None]) -> tuple[list[str], list[str]]:
        restored, lost = [], []
        for graph in done:
            try:
                backup = backups.get(graph)
                if backup is None:
                    self.remove_graph(graph)
                else:
                    self._put(graph, backup)
                restored.append(graph)
            except (StoreError, LoadError, QueryTimeout):
                lost.append(graph)
        return restored, lost

    def replace_graphs(self, by_graph: dict[Any, list[ox.Quad]], *, progress: ProgressFn | None = None) -> None:
        """Replace each given graph's content (one ``PUT`` per graph, bodies streamed from temp files)."""
        total = sum(len(q) for q in by_graph.values())
        if progress:
            progress(f"writing {total:,} triples into {len(by_graph)} graph(s) of {self.location}")
        with tempfile.TemporaryDirectory(prefix="relgraph-put-") as tmp:
            files: dict[str, Path] = {}
            for n, (graph, quads) in enumerate(by_graph.items()):
                if not isinstance(graph, ox.NamedNode):
                    raise UsageError("a remote store is written graph by graph; blank-node graph names cannot be sent")
                path = Path(tmp) / f"{n}.nt"
                with open(path, "wb") as out:
                    ox.serialize((q.triple for q in quads), out, ox.RdfFormat.N_TRIPLES)
                files[graph.value] = path
            self.put_graphs(files, progress=progress)

    def load(
        self,
        paths: Sequence[str | Path],
        *,
        graph: str | None = None,
        progress: ProgressFn | None = None,
        validate: bool = False,
        lang: str = "en",
    ) -> LoadReport:
        """Load files like :meth:`Store.load`; every file is parsed before anything is sent.

        Without ``validate`` the triples are streamed into one temporary
        N-Triples file per graph (memory stays flat whatever the size) and each
        file is sent as one ``PUT``. With ``validate`` the gate needs the data in
        memory, as for the embedded store.
        """
        if validate:
            return self._load_in_memory(paths, graph=graph, progress=progress, validate=True, lang=lang)
        return self._load_streaming(paths, graph=graph, progress=progress)

    def _load_streaming(
        self, paths: Sequence[str | Path], *, graph: str | None, progress: ProgressFn | None
    ) -> LoadReport:
        report = LoadReport()
        with tempfile.TemporaryDirectory(prefix="relgraph-load-") as tmp:
            files: dict[str, Path] = {}
            handles: dict[str, IO[bytes]] = {}
            counts: dict[str, int] = {}
            try:
                for raw in paths:
                    path = Path(raw)
                    try:
                        for quad in self.iter_file(path, graph=graph, progress=progress):
                            g = quad.graph_name
                            if not isinstance(g, ox.NamedNode):
                                raise UsageError(f"{path}: blank-node graph names cannot be sent to a remote store")
                            key = g.value
                            out = handles.get(key)
                            if out is None:
                                files[key] = Path(tmp) / f"{len(files)}.nt"
                                out = handles[key] = open(files[key], "wb")  # noqa: SIM115 - closed below
                                counts[key] = 0
                            out.write(f"{quad.subject} {quad.predicate} {quad.object} .\n".encode())
                            counts[key] += 1
                    except OSError as err:  # writing the temporary files
                        raise LoadError(str(err), file=str(path)) from None
                    report.files.append(str(path))
            finally:
                for out in handles.values():
                    out.close()
            self.put_graphs(files, progress=progress)
        report.graphs = dict(counts)
        return report

    # --- export and statistics -----------------------------------------------------

    def export(self, output: IO[bytes], *, format: str = "nquads", graph: str | None = None) -> None:
        """Like :meth:`Store.export`; the data comes from GSP ``GET`` (streamed) or a CONSTRUCT."""
        fmt, prefixes = export_format(format)
        if graph is not None:
            if not self.has_graph(graph):
                raise UsageError(f"no graph {graph} in the store")
            quads = self.quads(graph)
            if fmt.supports_datasets:
                ox.serialize(quads, output, fmt, prefixes=prefixes)
            else:
                ox.serialize((q.triple for q in quads), output, fmt, prefixes=prefixes)
        elif fmt.supports_datasets:
            ox.serialize(self.quads(), output, fmt, prefixes=prefixes)
        else:
            union = UNION_TRIPLES
            if self._hide():
                inner = f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._hide()} }}"
                union = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {inner} }}"
            triples = self.query(union)
            ox.serialize(triples, output, fmt, prefixes=prefixes)

    def stats(self) -> Stats:
        """As :meth:`BaseStore.stats`; on an engine with graphs of its own, those are left out."""
        hide = self._hide()
        if not hide:
            return super().stats()
        graphs = {
            r["g"].value: int(r["n"].value)
            for r in self.query(
                f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {hide} }} GROUP BY ?g ORDER BY ?g",
                union=False,
            )
        }
        classes = {
            r["c"].value: int(r["n"].value)
            for r in self.query(
                f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?c }} {hide} FILTER(isIRI(?c)) }} "
                "GROUP BY ?c ORDER BY DESC(?n) ?c",
                union=False,
            )
        }
        return Stats(total=sum(graphs.values()), graphs=graphs, classes=classes)

    def _default_graph_size(self) -> int:
        if self.engine.default_is_union:
            return 0  # no default graph of its own
        rows = self._rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", union=False)
        return int(rows[0]["n"].value) if rows else 0
