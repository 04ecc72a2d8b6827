"""``service_allowlist`` as a server setting (``RELGRAPH_SERVICE_ALLOWLIST``): the listed endpoint is called."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from serve_proc import relgraph_serve
from sparql_http import RecordingServer, Server

ANSWER = {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "from the service"}}]}}


@pytest.fixture(scope="module")
def service() -> Iterator[RecordingServer]:
    """A SPARQL endpoint on loopback that answers every request with one row and counts the requests."""
    s = RecordingServer(json.dumps(ANSWER).encode(), "application/sparql-results+json")
    yield s
    s.close()


@pytest.fixture(scope="module")
def federating(tmp_path_factory: pytest.TempPathFactory, service: RecordingServer) -> Iterator[Server]:
    env = {"RELGRAPH_SERVICE_ALLOWLIST": f"{service.url}/sparql, https://query.wikidata.org/sparql"}
    with relgraph_serve(tmp_path_factory.mktemp("allowlist"), "--no-cache", env=env) as server:
        yield server


def test_the_listed_endpoint_is_called(federating: Server, service: RecordingServer) -> None:
    before = len(service.hits)
    reply = federating.query(f"SELECT ?x WHERE {{ SERVICE <{service.url}/sparql> {{ ?x ?p ?o }} }}")
    assert reply.status == 200, reply.text
    assert [row["x"]["value"] for row in reply.json()["results"]["bindings"]] == ["from the service"]
    assert len(service.hits) > before


def test_an_endpoint_not_listed_is_refused_without_a_request(federating: Server, service: RecordingServer) -> None:
    before = len(service.hits)
    for other in (f"{service.url}/other", f"{service.url}/sparql/more"):
        reply = federating.query(f"SELECT ?x WHERE {{ SERVICE <{other}> {{ ?x ?p ?o }} }}")
        assert reply.status == 400, reply.text
        assert "SERVICE" in reply.text
    assert len(service.hits) == before


def test_the_service_description_says_so(federating: Server) -> None:
    reply = federating.get("/sparql", headers={"Accept": "text/turtle"})
    assert reply.status == 200, reply.text
    assert "BasicFederatedQuery" in reply.text and "except for the allowed endpoints" in reply.text
