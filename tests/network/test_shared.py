"""One network per data version for all HTTP processes of ``relgraph serve`` (issue 13).

One process builds the default network and writes its analysis beside the
snapshots; the others load that file. A data change gives a new build.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "server"))
from serve_proc import log_matches, relgraph_serve, wait_for_events
from sparql_http import Server

from relgraph.engine import snapshots_dir

#: HTTP processes of ``relgraph serve`` without options (relgraph_server.serve.http_processes)
PROCESSES = max(1, min(os.cpu_count() or 1, 4))
_LINE = re.compile(r"network of data version (\d+) (built|loaded) \(snapshot (\d+), pid (\d+)\)")


def _events(server: Server) -> list[tuple[str, ...]]:
    """(how, snapshot, pid) per network the HTTP processes built or loaded in the background."""
    return [groups[1:] for groups in log_matches(server, _LINE)]


def _wait(server: Server, count: int) -> list[tuple[str, ...]]:
    return wait_for_events(server, lambda: _events(server), count, timeout=60, what="network events")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root, token = tmp_path_factory.mktemp("network-shared"), "network-shared-token"
    with relgraph_serve(root, token=token, env={"RELGRAPH_VALIDATE_UPDATES": "false"}) as running:
        yield running


def test_one_process_builds_the_others_load(server: Server) -> None:
    events = _wait(server, PROCESSES)
    assert [how for how, _, _ in events].count("built") == 1
    assert len({pid for _, _, pid in events}) == PROCESSES  # each process has it once
    snaps = snapshots_dir(server.store)
    assert len(list(snaps.glob("network-m1-*"))) == 1
    figures = [server.get("/api/network/stats").json() for _ in range(2 * PROCESSES)]  # spread over the processes
    assert figures[0]["edges"] > 0 and all(f == figures[0] for f in figures)


def test_a_data_change_gives_a_new_build(server: Server) -> None:
    before = _wait(server, PROCESSES)
    snaps = snapshots_dir(server.store)
    (old,) = snaps.glob("network-m1-*")
    insert = "INSERT DATA { GRAPH <http://example.org/shared> { <http://example.org/s> <http://example.org/p> 1 } }"
    assert server.update(insert).status in (200, 204)
    page = server.get("/id/city/hamburg.html", params={"lang": "en"}, headers={"Accept": "text/html"})
    assert page.status == 200  # asks for the network of the new data version
    after = _wait(server, len(before) + 1)
    deadline = time.monotonic() + 60
    while "built" not in [how for how, _, _ in after[len(before) :]] and time.monotonic() < deadline:
        time.sleep(0.3)  # another process, still at work in the background, may load it and log first
        after = _events(server)
    new = after[len(before) :]
    assert [how for how, _, _ in new].count("built") == 1 and all(snap != before[0][1] for _, snap, _ in new)
    (new,) = snaps.glob("network-m1-*")  # the earlier data version's file is gone
    assert new != old
