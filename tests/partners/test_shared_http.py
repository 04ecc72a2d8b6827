"""One partner finder index per data version for all HTTP processes of ``relgraph serve`` (issue 16 item 7).

One process builds the index from the snapshot and writes it beside the
snapshots; the others load that file and answer the same suggestions. A data
change gives a new build and new answers.
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

PROCESSES = max(1, min(os.cpu_count() or 1, 4))  # relgraph_server.serve.http_processes
_LINE = re.compile(r"partner finder index of data version (\d+) (built|loaded) \(pid (\d+)\)")
_PAGES = re.compile(r"pages of the (\d+) busiest places made for data version (\d+) in [\d.]+ s \(pid (\d+)\)")
HAMBURG = "https://w3id.org/relgraph/id/city/hamburg"


def _events(server: Server) -> list[tuple[str, ...]]:
    return log_matches(server, _LINE)


def _wait(server: Server, count: int, *, ask: bool = False) -> list[tuple[str, ...]]:
    """``count`` partner index events; ``ask``: ask for suggestions meanwhile (a process builds or loads a new
    data version's index when asked, and which process answers a request is the system's choice)."""

    def events() -> list[tuple[str, ...]]:
        if ask:
            assert server.get("/api/suggest", params={"entity": HAMBURG, "lang": "en", "top": "5"}).status == 200
        return _events(server)

    return wait_for_events(server, events, count, timeout=90, what="partner index events")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root, token = tmp_path_factory.mktemp("partners-shared"), "partners-shared-token"
    with relgraph_serve(root, token=token, env={"RELGRAPH_VALIDATE_UPDATES": "false"}) as running:
        yield running


def _suggestions(server: Server) -> list:
    answers = []
    for _ in range(2 * PROCESSES):  # spread over the processes
        response = server.get("/api/suggest", params={"entity": HAMBURG, "lang": "en", "top": "5"})
        assert response.status == 200, response.text
        answers.append([(x["iri"], x["score"]) for x in response.json()])
    return answers


def test_one_process_builds_the_others_load_the_same(server: Server) -> None:
    events = _wait(server, PROCESSES)
    assert [how for _, how, _ in events].count("built") == 1
    assert len({pid for _, _, pid in events}) == PROCESSES
    assert len(list(snapshots_dir(server.store).glob("partners-m5-*"))) == 1
    answers = _suggestions(server)
    assert answers[0] and all(a == answers[0] for a in answers)


def _pages_made(server: Server, version: str, pids: set[str], timeout: float = 120, *, ask: bool = False) -> set[str]:
    """The processes that made the busiest places' pages for ``version`` (waits until ``pids`` did).

    ``ask``: GET a place page meanwhile (it asks for the background parts of a new version in the
    process that answers it; which process answers is the system's choice, so ask until all did).
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        made = {m[3] for m in _PAGES.finditer(server.log.read_text(errors="replace")) if m[2] == version and int(m[1])}
        if made >= pids:
            return made
        if ask:
            assert server.get("/id/city/hamburg.html", headers={"Accept": "text/html"}).status == 200
        time.sleep(0.3)
    pytest.fail(f"busiest pages of version {version} made by {pids} expected, log:\n{server.log.read_text()[-4000:]}")


def test_each_process_makes_the_busiest_pages_before_anyone_asks(server: Server) -> None:
    events = _wait(server, PROCESSES)
    assert _pages_made(server, events[0][0], {pid for _, _, pid in events}) == {pid for _, _, pid in events}
    response = server.get("/id/city/hamburg.html", headers={"Accept": "text/html"})
    assert response.status == 200
    assert b'class="muted pending"' not in response.body and b'class="world"' in response.body  # whole, with its map


def test_a_data_change_gives_a_new_index(server: Server) -> None:
    before = _wait(server, PROCESSES)
    (old,) = snapshots_dir(server.store).glob("partners-m5-*")
    first = _suggestions(server)[0]
    # a new partner of Hamburg's first suggestion: no longer a candidate once related
    insert = (
        "INSERT DATA { GRAPH <http://example.org/shared> { <http://example.org/agreement> "
        f"<https://w3id.org/relgraph/ontology#party> <{HAMBURG}> , <{first[0][0]}> }} }}"
    )
    assert server.update(insert).status in (200, 204)
    after = _suggestions(server)  # each process builds or loads the new data version's index on request
    assert all(a == after[0] for a in after) and first[0][0] not in [iri for iri, _ in after[0]]
    events = _events(server)[len(before) :]
    assert [how for _, how, _ in events].count("built") == 1 and events[0][0] != before[0][0]
    (new,) = snapshots_dir(server.store).glob("partners-m5-*")  # the earlier data version's file is gone
    assert new != old


def test_the_busiest_pages_are_made_again_for_the_new_data(server: Server) -> None:
    events = _wait(server, 2 * PROCESSES, ask=True)  # after test_a_data_change_gives_a_new_index
    latest = max(events, key=lambda e: int(e[0]))[0]
    pids = {m[3] for m in _PAGES.finditer(server.log.read_text(errors="replace"))}
    assert _pages_made(server, latest, pids, ask=True) == pids
