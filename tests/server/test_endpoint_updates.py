"""/update: the bearer token, updates off without one, and effects visible to the next query."""

from __future__ import annotations

import pytest
from sparql_http import Server

GRAPH = "http://example.org/auth-test"


def insert(value: str) -> str:
    return f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://example.org/s> <http://example.org/p> "{value}" }} }}'


def _count(server: Server, value: str) -> int:
    rows = server.select(f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p "{value}" }} }}')
    return int(rows[0]["n"])


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", "Basic dXNlcjpwYXNz", "Bearer", "bearer  "],
    ids=["missing", "wrong", "basic", "empty", "blank"],
)
def test_update_without_valid_token_is_401(server: Server, authorization: str | None) -> None:
    headers = {"Content-Type": "application/sparql-update"}
    if authorization is not None:
        headers["Authorization"] = authorization
    before = _count(server, "unauthorised")
    reply = server.request("POST", "/update", body=insert("unauthorised"), headers=headers)
    assert reply.status == 401, reply.text
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")
    assert _count(server, "unauthorised") == before == 0


def test_update_with_token_is_visible_to_the_next_query(server: Server) -> None:
    # warm the result cache first: the update must not be hidden by it
    assert _count(server, "visible") == 0
    version = server.get("/health").json()["data_version"]
    reply = server.update(insert("visible"))
    assert reply.status == 204, reply.text
    assert _count(server, "visible") == 1
    assert server.get("/health").json()["data_version"] > version


def test_bearer_scheme_is_case_insensitive(server: Server) -> None:
    headers = {"Content-Type": "application/sparql-update", "Authorization": f"bearer {server.token}"}
    reply = server.request("POST", "/update", body=insert("lowercase"), headers=headers)
    assert reply.status == 204, reply.text


def test_updates_are_off_without_a_configured_token(open_server: Server) -> None:
    reply = open_server.update(insert("off"), token="anything")  # noqa: S106 - any token: updates are off
    assert reply.status == 403, reply.text
    assert "RELGRAPH_UPDATE_TOKEN" in reply.text
    assert open_server.select(f"SELECT * WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}") == []


def test_update_get_is_405(server: Server) -> None:
    reply = server.get("/update")
    assert reply.status == 405
    assert "POST" in reply.headers["Allow"]


def test_an_update_that_breaks_the_shapes_is_422_and_writes_nothing(gated_server: Server) -> None:
    server = gated_server
    agreement = "https://w3id.org/relgraph/id/agreement/gate-test-one-party"
    update = f"""
        PREFIX rg: <https://w3id.org/relgraph/ontology#>
        INSERT DATA {{ GRAPH <https://w3id.org/relgraph/graph/hamburg-de-2024-02-28-quebec> {{
          <{agreement}> a rg:Agreement ;
            rg:agreementType <https://w3id.org/relgraph/concept/agreement-type/city-twinning> ;
            rg:party <https://w3id.org/relgraph/id/city/hamburg> ;
            <http://www.w3.org/2000/01/rdf-schema#label> "Gate test"@en .
        }} }}"""
    version = server.get("/health").json()["data_version"]
    reply = server.update(update)
    assert reply.status == 422, reply.text
    assert "violation" in reply.text and agreement in reply.text
    assert server.select(f"SELECT * WHERE {{ <{agreement}> ?p ?o }}") == []
    assert server.get("/health").json()["data_version"] == version


def test_a_valid_update_passes_the_gate(gated_server: Server) -> None:
    label = "Hamburg (gate test)"
    update = f"""INSERT DATA {{ GRAPH <https://w3id.org/relgraph/graph/hamburg-de-2024-02-28-quebec> {{
          <https://w3id.org/relgraph/id/city/hamburg>
            <http://www.w3.org/2004/02/skos/core#altLabel> "{label}"@en }} }}"""
    reply = gated_server.update(update)
    assert reply.status == 204, reply.text
    rows = gated_server.select(f'SELECT ?s WHERE {{ ?s ?p "{label}"@en }}')
    assert rows == [{"s": "https://w3id.org/relgraph/id/city/hamburg"}]
