"""Gzipped dumps of a remote store (``relgraph.dumps``) against a real ``oxigraph serve``.

Streamed from one Graph Store ``GET`` with flat memory, cached per data
version, credentials sent but never repeated, also through a real
``relgraph serve`` behind an authenticating proxy.
"""

from __future__ import annotations

import base64
import fcntl
import gzip
import http.server
import io
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from auth_proxy import auth_proxy
from oxigraph_proc import OxigraphServer, free_port
from remote_proc import RemoteServer

from relgraph.deployment import deployment
from relgraph.dumps import ensure_dump, write_remote_dump
from relgraph.errors import StoreError
from relgraph.store import RemoteStore, Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))
from serve_proc import relgraph_serve

FORMATS = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
TEST_GRAPH = "https://example.org/graph/dump-version"
USER = "dumper"
SECRET = "dump-Pa55word-0815"  # noqa: S105 - a throwaway secret of the test


def canonical(quads: object) -> list[str]:
    return sorted(re.sub(r"_:[A-Za-z0-9]+", "_:b", str(q)) for q in quads)  # type: ignore[attr-defined]


def read_dump(path: Path, fmt: str) -> list[str]:
    return canonical(ox.parse(gzip.decompress(path.read_bytes()), format=FORMATS[fmt]))


def store_lines(remote: RemoteStore) -> list[str]:
    """What the remote holds now, read back with the Graph Store Protocol."""
    return canonical(remote.quads())


@pytest.fixture(scope="module")
def remote(oxigraph: OxigraphServer) -> RemoteStore:
    store = RemoteStore(oxigraph.url)
    store.load_bundled()
    return store


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_remote_dump_equals_the_export_of_the_same_data(remote: RemoteStore, tmp_path: Path, fmt: str) -> None:
    embedded = Store(tmp_path / "embedded")
    embedded.load_bundled()
    out = io.BytesIO()
    embedded.export(out, format="nquads")
    embedded.close()
    target = tmp_path / f"dump.{fmt}.gz"
    write_remote_dump(remote.url, target, fmt)
    assert read_dump(target, fmt) == canonical(ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS))


def test_a_dump_is_written_once_per_version_and_old_versions_go(remote: RemoteStore, tmp_path: Path) -> None:
    first = ensure_dump(deployment(remote.url), 1, "nq", folder=tmp_path)
    written = first.stat().st_mtime_ns
    time.sleep(0.05)
    assert ensure_dump(deployment(remote.url), 1, "nq", folder=tmp_path) == first
    assert first.stat().st_mtime_ns == written  # not written again
    remote.update(f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <https://example.org/s> <https://example.org/p> 2 }} }}")
    try:
        second = ensure_dump(deployment(remote.url), 2, "nq", folder=tmp_path)
        assert second != first and not first.exists()
        lines = read_dump(second, "nq")
        assert lines == store_lines(remote)
        assert any(TEST_GRAPH in line for line in lines)
    finally:
        remote.remove_graph(TEST_GRAPH)


def test_a_request_that_waited_takes_the_dump_written_meanwhile(remote: RemoteStore, tmp_path: Path) -> None:
    """Versions of a remote move with time: a dump read after the request came in is fresh enough."""
    got: list[Path] = []
    with open(tmp_path / "dump.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another request is writing
        where = deployment(remote.url)
        waiting = threading.Thread(target=lambda: got.append(ensure_dump(where, 8, "nq", folder=tmp_path)))
        waiting.start()
        time.sleep(0.5)  # the request has come in and waits for the lock
        write_remote_dump(remote.url, tmp_path / "relgraph-7.nq.gz", "nq")  # what the other request writes
    waiting.join(60)
    assert got == [tmp_path / "relgraph-7.nq.gz"]
    assert not (tmp_path / "relgraph-8.nq.gz").exists()


class _Stalling(http.server.BaseHTTPRequestHandler):
    """Starts a dataset and then sends nothing more, as a remote that hangs mid-answer."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/n-quads")
        self.end_headers()
        self.wfile.write(b"<https://example.org/s> <https://example.org/p> <https://example.org/o> <urn:g> .\n")
        self.wfile.flush()
        time.sleep(30)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.client_only
def test_a_stalled_dump_stops_at_its_time_limit_and_leaves_no_file(tmp_path: Path) -> None:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Stalling)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        started = time.monotonic()
        with pytest.raises(StoreError, match="time limit") as caught:
            ensure_dump(deployment(url), 1, "nq", folder=tmp_path, timeout=2)
        assert time.monotonic() - started < 20
        assert url in str(caught.value)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["dump.lock"]  # no dump, no half-written file
    finally:
        httpd.shutdown()
        httpd.server_close()


# --- memory -------------------------------------------------------------------------------------

MEASURE = """
import resource, sys
from relgraph.dumps import write_remote_dump
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
write_remote_dump(sys.argv[1], sys.argv[2], sys.argv[3])
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


@pytest.mark.slow
def test_a_big_dump_streams_with_flat_memory(tmp_path: Path) -> None:
    quads = 300_000
    data = tmp_path / "big.nq"
    with data.open("w") as out:
        for i in range(quads):
            value = f'"value {i} {"x" * 80}"'
            out.write(f"<https://example.org/s{i}> <https://example.org/p> {value} <https://example.org/g{i % 5}> .\n")
    size_mb = data.stat().st_size / 2**20
    server = RemoteServer(tmp_path / "store", tmp_path / "oxigraph.log", timeout_s=None).start()
    try:
        RemoteStore(server.url).load([data])  # one Graph Store PUT per graph, on either engine
        for fmt in FORMATS:
            target = tmp_path / f"big.{fmt}.gz"
            run = subprocess.run(
                [sys.executable, "-c", MEASURE, server.url, str(target), fmt],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            assert run.returncode == 0, run.stderr
            growth_mb = int(run.stdout.strip())
            # the dataset is ~50 MB of N-Quads; holding it would add far more than that
            assert size_mb > 40 and growth_mb < 16, (fmt, size_mb, growth_mb)
            with gzip.open(target, "rb") as dumped:
                assert sum(1 for _ in ox.parse(dumped, format=FORMATS[fmt])) == quads
    finally:
        server.stop()


# --- credentials ----------------------------------------------------------------------------------


def _forbidden() -> list[str]:
    return [SECRET, base64.b64encode(f"{USER}:{SECRET}".encode()).decode()]


@pytest.mark.client_only
def test_dump_sends_credentials_and_never_repeats_them(
    remote: RemoteStore, oxigraph: OxigraphServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELGRAPH_REMOTE_USER", USER)
    monkeypatch.setenv("RELGRAPH_REMOTE_PASSWORD", SECRET)  # the spawned dump process inherits it
    messages = []
    with auth_proxy(oxigraph.url, user=USER, password=SECRET) as proxy:
        path = ensure_dump(deployment(proxy.url), 1, "nq", folder=tmp_path)
        assert read_dump(path, "nq") == store_lines(remote)
        proxy.careless = True  # a 500 that echoes the Authorization header
        with pytest.raises(StoreError) as caught:
            ensure_dump(deployment(proxy.url), 2, "nq", folder=tmp_path)
        messages.append(str(caught.value))
        assert proxy.url in messages[-1] and "HTTP 500" in messages[-1] and "***" in messages[-1]
        proxy.careless = False
        monkeypatch.setenv("RELGRAPH_REMOTE_PASSWORD", SECRET + "-wrong")
        with pytest.raises(StoreError, match="refused the credentials") as caught:
            ensure_dump(deployment(proxy.url), 3, "nq", folder=tmp_path)
        messages.append(str(caught.value))
    nobody = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError, match="unreachable") as caught:
        ensure_dump(deployment(nobody), 4, "nq", folder=tmp_path)
    messages.append(str(caught.value))
    assert path.exists()  # a failed dump leaves the last good one in place
    for message in messages:
        for secret in [*_forbidden(), base64.b64encode(f"{USER}:{SECRET}-wrong".encode()).decode()]:
            assert secret not in message, message


@pytest.mark.client_only
def test_served_dumps_through_an_authenticating_proxy(
    remote: RemoteStore, oxigraph: OxigraphServer, tmp_path: Path
) -> None:
    env = {
        "RELGRAPH_REMOTE_USER": USER,
        "RELGRAPH_REMOTE_PASSWORD": SECRET,
        "RELGRAPH_REMOTE_VERSION_TTL": "0",  # every request is a new version: each dump is written anew
        "RELGRAPH_DUMPS_DIR": str(tmp_path / "dumps"),
    }
    with auth_proxy(oxigraph.url, user=USER, password=SECRET) as proxy:
        with relgraph_serve(tmp_path, env=env, store=proxy.url) as server:
            reply = server.get("/dumps/relgraph.trig.gz", timeout=120)
            assert reply.status == 200, reply.text
            dumped = canonical(ox.parse(gzip.decompress(reply.body), format=ox.RdfFormat.TRIG))
            assert dumped == store_lines(remote)
            assert proxy.seen_authorization and set(proxy.seen_authorization) == {proxy.expected}
            void = server.get("/.well-known/void")
            assert void.status == 200 and b"void:dataDump" in void.body

            proxy.careless = True
            failed = server.get("/dumps/relgraph.nq.gz", timeout=120)
            assert failed.status == 503
            assert "writing the nq dump" in failed.text and proxy.url in failed.text
            proxy.careless = False
            assert server.get("/dumps/relgraph.nq.gz", timeout=120).status == 200
        log = server.log.read_text(encoding="utf-8", errors="replace")
    for text in (failed.text, log):
        for secret in _forbidden():
            assert secret not in text, text
