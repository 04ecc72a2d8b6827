"""The remote store's URL settings through the ``relgraph`` command, against a real ``oxigraph serve``.

``RELGRAPH_QUERY_URL``, ``RELGRAPH_UPDATE_URL`` and ``RELGRAPH_STORE_URL`` replace the engine's
endpoints under the store URL; ``RELGRAPH_REMOTE_UNION_PARAM`` names (or, empty, drops) the parameter
that asks for the union default graph; ``RELGRAPH_REMOTE_TIMEOUT`` limits one load/export request.
The store URL given is a port where nothing listens, so only the settings can reach the store.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from oxigraph_proc import OxigraphServer, free_port, oxigraph_binary


@pytest.fixture(autouse=True)
def _oxigraph_cli() -> None:
    """Fail, never skip, without the oxigraph CLI: it is in the [test] extra (as tests/remote/conftest.py)."""
    if oxigraph_binary() is None:
        pytest.fail("the oxigraph CLI is needed for tests/remote (pip install oxigraph)")


GOOD = Path(__file__).parents[1] / "data" / "good.ttl"
TESTBURG = "https://w3id.org/relgraph/id/city/testburg"
INFERRED = "https://w3id.org/relgraph/graph/inferred"


def relgraph(*args: object, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("RELGRAPH_") or k == "RELGRAPH_WORLD_DATA"}
    environ.update({"RELGRAPH_ENGINE": "oxigraph", **env})
    return subprocess.run(
        [sys.executable, "-m", "relgraph.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    root = tmp_path_factory.mktemp("remote-settings")
    server = OxigraphServer(root / "store", root / "oxigraph.log", timeout_s=None).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def nowhere() -> str:
    """A store URL whose port nobody listens on."""
    return f"http://127.0.0.1:{free_port()}"


def _urls(server: OxigraphServer) -> dict[str, str]:
    return {
        "RELGRAPH_QUERY_URL": f"{server.url}/query",
        "RELGRAPH_UPDATE_URL": f"{server.url}/update",
        "RELGRAPH_STORE_URL": f"{server.url}/store",
    }


def _count(store: str, env: dict[str, str], where: str = "{ ?s ?p ?o }") -> int:
    run = relgraph("query", "--store", store, "--format", "csv", f"SELECT (COUNT(*) AS ?n) WHERE {where}", env=env)
    assert run.returncode == 0, run.stderr
    return int(run.stdout.split()[-1])


def test_the_three_endpoint_urls_are_used(oxigraph: OxigraphServer, nowhere: str) -> None:
    urls = _urls(oxigraph)
    run = relgraph("load", GOOD, "--store", nowhere, "--no-validate", "--no-reason", env=urls)  # Graph Store PUT
    assert run.returncode == 0, run.stderr
    assert _count(nowhere, urls, f"{{ <{TESTBURG}> ?p ?o }}") == 4  # query endpoint
    run = relgraph("reason", "--store", nowhere, env=urls)  # writes the inferred graph by SPARQL update
    assert run.returncode == 0, run.stderr
    assert _count(nowhere, urls, f"{{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}") > 0


@pytest.mark.parametrize("wrong", ["RELGRAPH_QUERY_URL", "RELGRAPH_UPDATE_URL", "RELGRAPH_STORE_URL"])
def test_each_url_is_the_one_called(oxigraph: OxigraphServer, nowhere: str, wrong: str) -> None:
    """With one of the three pointing nowhere, the command that needs it fails and names it."""
    env = {**_urls(oxigraph), wrong: f"{nowhere}/{wrong.lower()}"}
    command = {
        "RELGRAPH_QUERY_URL": ("query", "--store", nowhere, "ASK {}"),
        "RELGRAPH_UPDATE_URL": ("reason", "--store", nowhere),
        "RELGRAPH_STORE_URL": ("load", GOOD, "--store", nowhere, "--no-validate", "--no-reason"),
    }[wrong]
    run = relgraph(*command, env=env)
    assert run.returncode != 0
    assert f"{nowhere}/{wrong.lower()}" in run.stderr and "unreachable" in run.stderr


def test_without_the_urls_the_store_url_is_all_there_is(nowhere: str) -> None:
    run = relgraph("query", "--store", nowhere, "ASK {}", env={})
    assert run.returncode != 0 and f"{nowhere}/query" in run.stderr


def test_the_union_parameter(oxigraph: OxigraphServer) -> None:
    run = relgraph("load", GOOD, "--store", oxigraph.url, "--no-validate", "--no-reason", env={})
    assert run.returncode == 0, run.stderr
    assert _count(oxigraph.url, {}) > 0  # the engine's: ?union-default-graph, the named graphs are seen
    # empty: no parameter sent, so Oxigraph's own default graph (empty here) answers
    assert _count(oxigraph.url, {"RELGRAPH_REMOTE_UNION_PARAM": ""}) == 0
    # another name: sent as given (Oxigraph does not know it and answers with its default graph)
    assert _count(oxigraph.url, {"RELGRAPH_REMOTE_UNION_PARAM": "all-graphs-please"}) == 0


class _Stalling(http.server.BaseHTTPRequestHandler):
    """Accepts every request and then answers nothing for 30 s, as a store that hangs."""

    def _stall(self) -> None:
        time.sleep(30)

    do_GET = do_POST = do_PUT = do_HEAD = _stall

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def stalling() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Stalling)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_the_remote_timeout_limits_an_export(stalling: str, tmp_path: Path) -> None:
    target = tmp_path / "out.nq"
    run = relgraph("export", "--store", stalling, "-o", target, env={"RELGRAPH_REMOTE_TIMEOUT": "1.5"})
    assert run.returncode != 0
    assert "time limit of 1.5 s" in run.stderr, run.stderr
