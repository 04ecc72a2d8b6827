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
