"""The remote backend against a real ``oxigraph serve`` on loopback."""

from __future__ import annotations

import http.server
import io
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from oxigraph_proc import OxigraphServer, free_port
from remote_proc import RemoteServer, engine, remote_env, xfail_on_virtuoso

from relgraph.deployment import open_store
from relgraph.engine import RemoteEngine
from relgraph.errors import RelgraphError, StoreError
from relgraph.store import RemoteStore, Store
from relgraph.store.http import redact

DATA = Path(__file__).parents[1] / "data"
HAMBURG = "https://w3id.org/relgraph/id/city/hamburg"

QUERIES = [
    pytest.param(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p",
        marks=xfail_on_virtuoso("its own graphs (virtrdf#, ldp#, service description) are in its union default graph"),
    ),
    f"SELECT ?o WHERE {{ <{HAMBURG}> ?p ?o FILTER(!isBlank(?o)) }} ORDER BY STR(?o)",
    pytest.param(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
        marks=xfail_on_virtuoso("its own graphs (virtrdf#, ldp#, service description) match GRAPH ?g"),
    ),
]


def rows(result: ox.QuerySolutions) -> list[tuple[str, ...]]:
    return [tuple(str(row[v]) for v in result.variables) for row in result]


def canonical(nquads: bytes) -> list[str]:
    """Lines of an N-Quads export with blank node labels blanked (they are renamed on load)."""
    import re

    return sorted(re.sub(rb"_:[A-Za-z0-9]+", b"_:b", line).decode() for line in nquads.splitlines())


@pytest.fixture(scope="module")
def loaded(oxigraph: OxigraphServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[RemoteStore, Store]:
    remote = RemoteStore(oxigraph.url)
    remote.load_bundled()
    embedded = Store(tmp_path_factory.mktemp("embedded") / "store")
    embedded.load_bundled()
    return remote, embedded


def test_open_store_picks_the_backend(oxigraph: OxigraphServer, tmp_path: Path) -> None:
    assert isinstance(open_store(oxigraph.url), RemoteStore)
    assert isinstance(open_store(tmp_path / "s"), Store)


@pytest.mark.parametrize("query", QUERIES)
def test_same_select_results_as_embedded(loaded: tuple[RemoteStore, Store], query: str) -> None:
    remote, embedded = loaded
    assert rows(remote.query(query)) == rows(embedded.query(query))


def test_export_round_trip_equals_embedded(loaded: tuple[RemoteStore, Store]) -> None:
    remote, embedded = loaded
    a, b = io.BytesIO(), io.BytesIO()
    remote.export(a)
    embedded.export(b)
    assert canonical(a.getvalue()) == canonical(b.getvalue())
    assert len(remote) == len(embedded)
    assert remote.graphs() == embedded.graphs()
    assert remote.stats() == embedded.stats()


@xfail_on_virtuoso("a label held by two graphs matches twice in its union default graph (a bag, not the RDF merge)")
def test_substitutions_bind_values(loaded: tuple[RemoteStore, Store]) -> None:
    remote, embedded = loaded
    q = "SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l"
    subs = {"s": ox.NamedNode(HAMBURG)}
    assert rows(remote.query(q, substitutions=subs)) == rows(embedded.query(q, substitutions=subs))


def test_substitutions_go_where_the_query_marks_them(loaded: tuple[RemoteStore, Store]) -> None:
    """A trailing VALUES joins after the WHERE group: a FILTER inside it would see ?name unbound."""
    remote, embedded = loaded
    q = (
        "SELECT ?s ?name WHERE {\n  # @values\n"
        "  ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(STR(?l) = ?name)\n}"
    )
    subs = {"name": ox.Literal("Hamburg")}
    got, want = rows(remote.query(q, substitutions=subs)), rows(embedded.query(q, substitutions=subs))
    assert got == want and want


def test_load_replaces_a_graph(oxigraph: OxigraphServer) -> None:
    store = RemoteStore(oxigraph.url)
    graph = "https://example.org/graph/replace-me"
    store.load([DATA / "good.ttl"], graph=graph)
    first = sorted(str(q) for q in store.quads(graph))
    store.load([DATA / "good-changed.ttl"], graph=graph)
    second = sorted(str(q) for q in store.quads(graph))
    parsed = sorted(
        str(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph)))
        for q in ox.parse(path=str(DATA / "good-changed.ttl"), base_iri="https://w3id.org/relgraph/")
    )
    assert first != second
    assert len(second) == len(parsed)


def _cli(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """``relgraph ARGS`` in a subprocess, without the caller's RELGRAPH_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELGRAPH_") or k == "RELGRAPH_WORLD_DATA"}
    env.update(remote_env())  # the test engine's profile and account (none for Oxigraph)
    command = [sys.executable, "-m", "relgraph.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout, check=False)


def test_cli_works_with_a_url(oxigraph: OxigraphServer, loaded: tuple[RemoteStore, Store]) -> None:
    run = _cli("stats", "--store", oxigraph.url, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "instances per class" in run.stdout
    run = _cli("validate", "--store", oxigraph.url, timeout=120)
    # other tests of this module add test graphs; what matters: the data was fetched and checked
    assert run.returncode in (0, 1), run.stdout + run.stderr
    assert "violation(s)" in run.stdout and "triples" in run.stdout, run.stderr[-3000:]


# --- the engine -------------------------------------------------------------------------


def test_remote_engine_guard_cap_and_negotiation(oxigraph: OxigraphServer, loaded: tuple[RemoteStore, Store]) -> None:
    from relgraph.errors import NotAcceptable, QueryRefused, TooManyResults

    engine = RemoteEngine(oxigraph.url, timeout=5, max_rows=10).start()
    result = engine.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 10", accept="text/csv")
    assert (result.kind, result.media_type, result.rows) == ("select", "text/csv", 10)
    with pytest.raises(TooManyResults):
        engine.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 11")
    with pytest.raises(QueryRefused):
        engine.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(NotAcceptable):
        engine.query("ASK {}", accept="image/png")
    with pytest.raises(TooManyResults):
        engine.query(f"DESCRIBE <{HAMBURG}>", accept="text/turtle")
    graph = RemoteEngine(oxigraph.url, timeout=5).query(f"DESCRIBE <{HAMBURG}>", accept="text/turtle")
    assert graph.kind == "graph" and b"@prefix rg:" in graph.body and graph.rows > 10


# --- a remote that goes away mid-load ---------------------------------------------------------


def test_remote_killed_mid_put_leaves_no_half_graph(tmp_path: Path) -> None:
    server = RemoteServer(tmp_path / "store", tmp_path / "oxigraph.log", timeout_s=None).start()
    try:
        graph = "https://example.org/graph/big"
        store = RemoteStore(server.url)
        store.load([DATA / "good.ttl"], graph=graph)
        before = canonical("\n".join(str(q) for q in store.quads(graph)).encode())
        big = tmp_path / "big.nt"
        with big.open("w") as out:
            for i in range(400_000):
                out.write(f'<https://example.org/s{i}> <https://example.org/p> "value number {i} {"x" * 40}" .\n')
        killed = threading.Event()

        def progress(message: str) -> None:
            if message.startswith("PUT") and not killed.is_set():
                killed.set()
                threading.Timer(0.15, server.kill).start()

        with pytest.raises(StoreError) as caught:
            store.load([big], graph=graph, progress=progress)
        message = str(caught.value)
        assert "unreachable or went away" in message and "unchanged" in message, message
        server.start()  # same directory
        after = canonical("\n".join(str(q) for q in store.quads(graph)).encode())
        if engine() == "virtuoso":
            # Virtuoso's PUT is not atomic across a crash: seen both, the old content and an empty
            # graph (docs/deployment.md); never a part of the new one.
            assert after in (before, []), after[:5]
        else:
            assert after == before
    finally:
        server.stop()


def test_multi_graph_load_rolls_back_earlier_graphs(oxigraph: OxigraphServer, tmp_path: Path) -> None:
    store = RemoteStore(oxigraph.url)
    g1, g2 = "https://example.org/graph/rb1", "https://example.org/graph/rb2"
    store.load([DATA / "good.ttl"], graph=g1)
    before = canonical("\n".join(str(q) for q in store.quads(g1)).encode())
    bad = tmp_path / "bad.nt"
    bad.write_text('<https://example.org/s> <https://example.org/p> "\\uZZZZ" .\n')
    files = {g1: tmp_path / "ok.nt", g2: bad}
    files[g1].write_text("<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n")
    with pytest.raises(RelgraphError) as caught:
        store.put_graphs(files)
    assert "restored" in str(caught.value)
    assert canonical("\n".join(str(q) for q in store.quads(g1)).encode()) == before  # blank nodes relabelled
    assert not store.has_graph(g2)


# --- credentials -----------------------------------------------------------------------------

SECRET = "s3cret-Pa55word-4711"  # noqa: S105 - a throwaway secret of the test


class _Echo401(http.server.BaseHTTPRequestHandler):
    """Answers 401 (or 500) and echoes the Authorization header in the body, as a careless server might."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        status = 500 if "query" in self.path else 401
        body = f"denied for {self.headers.get('Authorization')}".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_HEAD = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echo_server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Echo401)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize("kind", ["basic", "token"])
def test_credentials_never_in_messages(
    echo_server: str, monkeypatch: pytest.MonkeyPatch, kind: str, tmp_path: Path
) -> None:
    import base64

    if kind == "basic":
        monkeypatch.setenv("RELGRAPH_REMOTE_USER", "alice")
        monkeypatch.setenv("RELGRAPH_REMOTE_PASSWORD", SECRET)
    else:
        monkeypatch.setenv("RELGRAPH_REMOTE_TOKEN", SECRET)
    forbidden = [SECRET, base64.b64encode(f"alice:{SECRET}".encode()).decode()]
    store = RemoteStore(echo_server)
    messages = []
    for action in (
        lambda: store.update("CLEAR ALL"),
        lambda: store.load([DATA / "good.ttl"], graph="https://example.org/g"),
        lambda: len(store),
        lambda: RemoteEngine(echo_server).query("ASK {}"),
        lambda: RemoteStore(f"http://127.0.0.1:{free_port()}").is_empty(),  # nobody listens
    ):
        with pytest.raises(RelgraphError) as caught:
            action()
        messages.append(str(caught.value))
    # the CLI's one-line error, and a URL with credentials in it
    env = {**os.environ, "RELGRAPH_REMOTE_PASSWORD": SECRET, "RELGRAPH_REMOTE_USER": "alice"}
    for url in (echo_server, echo_server.replace("http://", f"http://alice:{SECRET}@")):
        run = subprocess.run(
            [sys.executable, "-m", "relgraph.cli", "stats", "--store", url],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert run.returncode != 0
        messages.append(run.stdout + run.stderr)
    assert redact(echo_server.replace("http://", f"http://alice:{SECRET}@")) == echo_server
    for message in messages:
        for secret in forbidden:
            assert secret not in message, message
