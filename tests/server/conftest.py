"""Real servers for the endpoint tests: ``relgraph serve`` subprocesses on loopback.

``server``: updates on (a token), cache on, no CORS, ``--query-timeout 2``, update gate off.
``gated_server``: updates on, with the SHACL gate on updates (the default).
``open_server``: no token (updates off), ``--cors``, ``--no-cache``, max 1000 rows.
Each gets its own temporary store, which the serve command fills with the
bundled data. Requests use the standard library only (``sparql_http.Server``).

With ``RELGRAPH_TEST_BACKEND=remote`` each server gets its own real ``oxigraph
serve`` (temporary directory, free loopback port, ``--timeout-s``) and is
started with ``--store http://127.0.0.1:PORT``: the same tests, over a remote
store; with ``RELGRAPH_TEST_BACKEND=virtuoso`` its own Virtuoso (``--engine virtuoso``).
Tests marked ``embedded_only`` are deselected in those modes (tests/conftest.py).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from serve_proc import start_relgraph, stop_relgraph
from sparql_http import MAX_BODY, OPEN_MAX_ROWS, QUERY_TIMEOUT, TOKEN, Server

sys.path.insert(0, str(Path(__file__).parents[1] / "remote"))
from remote_proc import RemoteServer, engine, is_remote_backend, remote_env


@pytest.fixture(scope="session")
def start_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Factory: start a ``relgraph serve`` with options; all are stopped at session end."""
    started: list[Server] = []
    remotes: list[Any] = []

    def start(name: str, *args: str, token: str | None = None, env: Mapping[str, str] | None = None) -> Server:
        root = tmp_path_factory.mktemp(name)
        store_spec = str(root / "store")
        extra: dict[str, str] = {}
        if is_remote_backend():
            # Virtuoso's own limit stops whole transactions (SR171), the SHACL gate's reads among them: 10 s
            # there; relgraph's limit (QUERY_TIMEOUT) still answers 503 first.
            limit = 10 if engine() == "virtuoso" else QUERY_TIMEOUT
            remote = RemoteServer(root / "oxigraph", root / "oxigraph.log", timeout_s=limit).start()
            remotes.append(remote)
            store_spec = remote.url
            extra = remote_env()
        server = start_relgraph(
            root,
            "--query-timeout",
            str(QUERY_TIMEOUT),
            *args,
            token=token,
            # XDG_CACHE_HOME: where the dumps of a server over a remote store go (relgraph.dumps)
            env={"RELGRAPH_MAX_BODY": str(MAX_BODY), "XDG_CACHE_HOME": str(root / "cache"), **extra, **(env or {})},
            store=store_spec,
        )
        server.store_spec = store_spec  # type: ignore[attr-defined] - what /health reports as the store
        started.append(server)
        return server

    yield start
    for server in started:
        stop_relgraph(server)
    for remote in remotes:
        remote.stop()


@pytest.fixture(scope="session")
def server(start_server: Any) -> Server:
    """Updates on (bearer token), result cache on, CORS off, SHACL gate on updates off.

    The W3C protocol cases write triples without provenance into arbitrary
    graphs, which the shapes rightly reject; ``gated_server`` has the gate on.
    """
    return start_server("with-token", token=TOKEN, env={"RELGRAPH_VALIDATE_UPDATES": "false"})


@pytest.fixture(scope="session")
def gated_server(start_server: Any) -> Server:
    """Updates on with the default SHACL gate: an update that breaks the shapes writes nothing.

    Over a remote store ``data_version`` also moves every ``remote_version_ttl``
    seconds; a TTL of 10⁹ s (its next step is in 2033) keeps "a rejected
    update leaves the version as it was" a statement about the update, not
    about the clock. The embedded engine ignores the setting.
    """
    # The gate (pyshacl over what the update touches; a WHERE update is diffed on a copy of the
    # store) runs inside the update's time limit; the 2 s of the other servers would make these
    # tests depend on the machine's speed.
    return start_server("gated", "--query-timeout", "30", token=TOKEN, env={"RELGRAPH_REMOTE_VERSION_TTL": "1e9"})


@pytest.fixture(scope="session")
def open_server(start_server: Any) -> Server:
    """No token (updates off), ``--cors``, ``--no-cache``, at most 1000 result rows."""
    return start_server("no-token", "--cors", "--no-cache", env={"RELGRAPH_MAX_ROWS": str(OPEN_MAX_ROWS)})


@pytest.fixture(scope="session")
def staff_server(start_server: Any) -> Server:
    """The bundled data plus ``data/staff-fixture.trig`` (names a spreadsheet would run as formulas).

    Written with INSERT DATA (as ``test_source_licences`` does), so it reaches both backends.
    """
    import pyoxigraph as ox

    server = start_server("staff", token=TOKEN, env={"RELGRAPH_VALIDATE_UPDATES": "false"})
    by_graph: dict[str, list[str]] = {}
    for q in ox.parse((Path(__file__).parent / "data" / "staff-fixture.trig").read_bytes(), format=ox.RdfFormat.TRIG):
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    body = " ".join(f"GRAPH {g} {{ {' '.join(lines)} }}" for g, lines in by_graph.items())
    reply = server.update(f"INSERT DATA {{ {body} }}")
    assert reply.status == 204, reply.text
    return server
