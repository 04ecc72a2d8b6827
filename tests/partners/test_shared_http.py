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
from serve_proc import relgraph_serve
from sparql_http import Server

from relgraph.engine import snapshots_dir

PROCESSES = max(1, min(os.cpu_count() or 1, 4))  # relgraph_server.serve.http_processes
_LINE = re.compile(r"partner finder index of data version (\d+) (built|loaded) \(pid (\d+)\)")
HAMBURG = "https://w3id.org/relgraph/id/city/hamburg"


def _events(server: Server) -> list[tuple[str, str, str]]:
    return [(m[1], m[2], m[3]) for m in _LINE.finditer(server.log.read_text(errors="replace"))]


def _wait(server: Server, count: int, timeout: float = 90) -> list[tuple[str, str, str]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _events(server)
        if len(found) >= count:
            return found
        time.sleep(0.3)
    pytest.fail(f"{count} partner index events expected, log:\n{server.log.read_text()[-4000:]}")


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
    assert len(list(snapshots_dir(server.store).glob("partners-*.pickle"))) == 1
    answers = _suggestions(server)
    assert answers[0] and all(a == answers[0] for a in answers)


def test_a_data_change_gives_a_new_index(server: Server) -> None:
    before = _wait(server, PROCESSES)
    (old,) = snapshots_dir(server.store).glob("partners-*.pickle")
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
    (new,) = snapshots_dir(server.store).glob("partners-*.pickle")  # the earlier data version's file is gone
    assert new != old
