"""Engine profiles: what relgraph must know of a remote SPARQL engine, in one place.

``--store http(s)://HOST:PORT --engine NAME`` (or ``RELGRAPH_ENGINE``) picks a
profile; it sets the query, update and Graph Store URLs under the store URL,
how the union of all graphs is asked for, the HTTP authentication scheme and
the engine's known quirks. The ``*_url``, ``remote_union_param`` and
``remote_auth`` settings still override single fields.

* ``oxigraph`` (the default): ``oxigraph serve``: ``/query``, ``/update``,
  ``/store``; a real default graph, the union asked for with the
  ``union-default-graph`` query parameter; no authentication of its own.
* ``virtuoso``: OpenLink Virtuoso 7 (tested: 7.2.5, Debian's
  ``virtuoso-opensource``). Its default graph *is* the union of all graphs
  and it has no separate default graph to write into; it keeps system graphs
  of its own (``virtrdf#``, ``ldp#``, its service description), which relgraph
  leaves out of its graph lists, counts, statistics and exports (they stay in
  the engine's union default graph; relgraph's queries do not match them). With credentials it uses the
  authenticated endpoints ``/sparql-auth`` and ``/sparql-graph-crud-auth``
  (HTTP Digest); without, ``/sparql`` and ``/sparql-graph-crud`` (writes need
  ``GRANT SPARQL_UPDATE TO "SPARQL"``, i.e. anyone may write). Quirks
  handled here: a query sent as ``application/sparql-query`` gets no answer
  (virtuoso-opensource issue 842), so queries are form-encoded; a Graph Store
  ``GET`` of the whole dataset is refused (406), so the dataset is read graph
  by graph; an "anytime" answer cut at ``MaxQueryExecutionTime`` (header
  ``X-SQL-State: S1TAT``) is a timeout, not a result; an ``xsd:boolean`` it
  answers as ``"1"``/``"0"`` (it keeps booleans by value) is written
  ``"true"``/``"false"``, the canonical form relgraph's data uses.
* ``generic``: the SPARQL 1.1 Protocol and Graph Store Protocol only, nothing
  engine-specific. The endpoints must be given (``RELGRAPH_QUERY_URL``,
  ``RELGRAPH_UPDATE_URL``, ``RELGRAPH_STORE_URL``); the engine's default graph
  must be the union of its named graphs (GraphDB and Neptune by default,
  Fuseki with ``tdb2:unionDefaultGraph``, Stardog with ``query.all.graphs``),
  or ``RELGRAPH_REMOTE_UNION_PARAM`` must name its parameter for it.

See docs/deployment.md for each engine.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field, replace
from typing import Any

from .. import settings
from ..errors import UsageError

__all__ = ["ENGINES", "EngineProfile", "profile"]


@dataclass(frozen=True)
class EngineProfile:
    """How relgraph talks to one kind of SPARQL engine."""

    name: str
    #: Paths under the store URL; ``None``: no default, the ``*_url`` setting is required.
    query_path: str | None
    update_path: str | None
    store_path: str | None
    #: The same with credentials, where the engine has separate authenticated endpoints.
    auth_paths: tuple[str, str, str] | None = None
    #: Query parameter that asks for the union default graph; empty: send nothing.
    union_param: str = ""
    #: True when the engine's default graph is the union of all graphs (no separate default graph).
    default_is_union: bool = False
    #: HTTP authentication with user and password: ``basic`` or ``digest`` (a token is always Bearer).
    auth: str = "basic"
    #: ``direct`` (``application/sparql-query`` body) or ``form`` (``query=`` form-encoded).
    query_post: str = "direct"
    #: True when a Graph Store ``GET`` without ``graph`` gives the whole dataset as N-Quads.
    dataset_get: bool = True
    #: The engine's own graphs: never listed, counted or exported by relgraph (they stay visible in
    #: the engine's union default graph: Virtuoso's ``define input:*-graph-exclude`` pragmas would hide
    #: them there, but with any such pragma ``GRAPH <iri> { … }`` answered wrongly, tested on 7.2.5).
    system_graphs: tuple[str, ...] = field(default_factory=tuple)
    #: A response header whose value marks an answer cut short by the engine's time limit.
    partial_header: tuple[str, str] | None = None
    #: False when the scoped SHACL gate of updates cannot be trusted on the engine: ``/update`` then
    #: checks the whole would-be store (slower, same verdicts). Virtuoso 7.2.5: the scoped gate's
    #: SPARQL reads missed violations the whole-store check finds (tests/remote/test_remote_gate.py).
    scoped_gate: bool = True
    #: True when SPARQL JSON results name blank nodes ``nodeID://…`` (Virtuoso): rewritten to plain labels,
    #: and write ``xsd:boolean`` values as ``"1"``/``"0"``: rewritten to the canonical ``"true"``/``"false"``.
    bnode_uris: bool = False
    #: True when the engine evaluates ``LATERAL`` (Oxigraph's SPARQL 1.2 draft join): the ready-made
    #: page queries then use it where it is faster; other engines get the SPARQL 1.1 form.
    lateral: bool = False

    def results_reader(self, raw: Any) -> Any:
        """A file-like reader of SPARQL JSON results from ``raw`` that pyoxigraph can parse.

        Virtuoso writes blank nodes as ``{ "type": "bnode", "value": "nodeID://b10000" }``,
        which is no blank node label, and a stored ``"true"^^xsd:boolean`` as ``"1"``
        (the same value, not the same term: rows would differ from other engines');
        its writer puts one solution per line, so the lines are rewritten as they stream by.
        """
        if not self.bnode_uris:
            return raw
        return _BnodeLabels(raw)


_NODE_ID = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
_BOOLEAN = re.compile(rb'("datatype"\s*:\s*"http://www\.w3\.org/2001/XMLSchema#boolean"\s*,\s*"value"\s*:\s*")([01])"')


def _virtuoso_terms(lines: bytes) -> bytes:
    """Virtuoso's blank nodes as plain labels, its booleans in canonical form."""
    lines = _NODE_ID.sub(rb"\1", lines)
    return _BOOLEAN.sub(lambda m: m.group(1) + (b'true"' if m.group(2) == b"1" else b'false"'), lines)


class _BnodeLabels(io.RawIOBase):
    """Lines of ``raw`` with Virtuoso's ``nodeID://`` blank node values made plain labels."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._tail = b""  # an unfinished line
        self._pending = b""  # rewritten lines not handed out yet

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = self._raw.read(1 << 16)
            if not chunk:
                self._pending, self._tail = _virtuoso_terms(self._tail), b""
                if not self._pending:
                    return 0
                break
            lines, _, self._tail = (self._tail + chunk).rpartition(b"\n")
            if lines or _:
                self._pending = _virtuoso_terms(lines + b"\n")
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


ENGINES: dict[str, EngineProfile] = {
    "oxigraph": EngineProfile(
        "oxigraph", "/query", "/update", "/store", union_param="union-default-graph", auth="basic", lateral=True
    ),
    "virtuoso": EngineProfile(
        "virtuoso",
        "/sparql",
        "/sparql",
        "/sparql-graph-crud",
        auth_paths=("/sparql-auth", "/sparql-auth", "/sparql-graph-crud-auth"),
        default_is_union=True,
        auth="digest",
        query_post="form",
        dataset_get=False,
        system_graphs=(
            "http://www.openlinksw.com/schemas/virtrdf#",
            "http://www.w3.org/ns/ldp#",
            "http://localuriqaserver/sparql",
        ),
        partial_header=("X-SQL-State", "S1TAT"),
        bnode_uris=True,
        scoped_gate=False,
    ),
    "generic": EngineProfile("generic", None, None, None, default_is_union=True),
}


def profile(name: str | None = None) -> EngineProfile:
    """The profile ``name`` (default: the ``engine`` setting), with the single-field settings applied."""
    name = (name or settings.get("engine") or "oxigraph").strip().lower()
    base = ENGINES.get(name)
    if base is None:
        raise UsageError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
    changes: dict[str, object] = {}
    union = os.environ.get("RELGRAPH_REMOTE_UNION_PARAM")
    if union is not None:  # set, even empty: the operator's word
        changes["union_param"] = union.strip()
    auth = (settings.get("remote_auth") or "").strip().lower()
    if auth:
        if auth not in ("basic", "digest"):
            raise UsageError(f"RELGRAPH_REMOTE_AUTH={auth!r}: choose basic or digest (a token is always Bearer)")
        changes["auth"] = auth
    return replace(base, **changes) if changes else base  # type: ignore[arg-type]
