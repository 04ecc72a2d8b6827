"""The 34 exchanges of the W3C SPARQL 1.1 Protocol tests, one test each.

Named as in the manifest (rdf-tests sparql/sparql11/protocol). Requests send
no Accept header unless the case says so. Graphs live under
``http://example.org/protocol/`` and are written through ``/update``, so the
bundled data other tests rely on is never touched (no ``CLEAR ALL``).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
import rdflib
from remote_proc import xfail_on_virtuoso
from sparql_http import Reply, Server

EX = "http://example.org/protocol/"
DATA = [f"{EX}data{i}.rdf" for i in range(4)]
P = f"{EX}p"
SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def dataset(server: Server) -> list[str]:
    """data0..data3: each graph says ``<dataN> ex:p "N"`` and ``<dataN> a foaf:Document``."""
    inserts = " ".join(
        f'GRAPH <{g}> {{ <{g}> <{P}> "{i}" ; a <http://xmlns.com/foaf/0.1/Document> }}' for i, g in enumerate(DATA)
    )
    drops = " ".join(f"DROP SILENT GRAPH <{g}> ;" for g in DATA)
    reply = server.update(f"{drops} INSERT DATA {{ {inserts} }}")
    assert reply.status in (200, 204), reply.text
    return DATA


def boolean(reply: Reply) -> bool:
    """The answer of an ASK in whatever result format the server chose."""
    assert reply.status == 200, reply.text
    if reply.content_type in ("application/sparql-results+json", "application/json"):
        return reply.json()["boolean"]
    root = ET.fromstring(reply.body)  # noqa: S314 - our own server's answer
    return root.find(f"{SPARQL_RESULTS}boolean").text == "true"


def column(reply: Reply, name: str) -> list[str]:
    assert reply.status == 200, reply.text
    assert reply.content_type == "application/sparql-results+json", reply.content_type
    return sorted(row[name]["value"] for row in reply.json()["results"]["bindings"] if name in row)


def assert_4xx(reply: Reply, *statuses: int) -> None:
    assert 400 <= reply.status < 500, (reply.status, reply.text)
    if statuses:
        assert reply.status in statuses, (reply.status, reply.text)
    assert reply.content_type == "text/plain"
    assert reply.text.strip(), "an error says why"


def update_form(server: Server, fields: Any, **kwargs: Any) -> Reply:
    return server.form("/update", fields, headers={"Authorization": f"Bearer {server.token}"}, **kwargs)


# --- query: positive ------------------------------------------------------------------


def test_query_get(server: Server) -> None:
    assert boolean(server.get("/sparql", params={"query": "ASK {}"})) is True


def test_query_post_form(server: Server) -> None:
    assert boolean(server.form("/sparql", {"query": "ASK {}"})) is True


def test_query_post_direct(server: Server) -> None:
    reply = server.request("POST", "/sparql", body="ASK {}", headers={"Content-Type": "application/sparql-query"})
    assert boolean(reply) is True


def test_query_dataset_default_graphs_get(server: Server, dataset: list[str]) -> None:
    both = f"ASK {{ <{dataset[1]}> ?p ?o . <{dataset[2]}> ?q ?r }}"
    params = [("query", both), ("default-graph-uri", dataset[1]), ("default-graph-uri", dataset[2])]
    assert boolean(server.get("/sparql", params=params)) is True
    # exactly those graphs: data3 is not in the default graph now
    params = [("query", f"ASK {{ <{dataset[3]}> ?p ?o }}"), ("default-graph-uri", dataset[1])]
    assert boolean(server.get("/sparql", params=params)) is False


def test_query_dataset_default_graphs_post(server: Server, dataset: list[str]) -> None:
    both = f"ASK {{ <{dataset[1]}> ?p ?o . <{dataset[2]}> ?q ?r }}"
    params = [("default-graph-uri", dataset[1]), ("default-graph-uri", dataset[2])]
    reply = server.request(
        "POST", "/sparql", params=params, body=both, headers={"Content-Type": "application/sparql-query"}
    )
    assert boolean(reply) is True
    reply = server.form("/sparql", [("query", f"ASK {{ <{dataset[3]}> ?p ?o }}"), ("default-graph-uri", dataset[1])])
    assert boolean(reply) is False


NAMED_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


def test_query_dataset_named_graphs_post(server: Server, dataset: list[str]) -> None:
    params = [("named-graph-uri", dataset[1]), ("named-graph-uri", dataset[2])]
    reply = server.request(
        "POST",
        "/sparql",
        params=params,
        body=NAMED_QUERY,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    assert column(reply, "g") == [dataset[1], dataset[2]]


def test_query_dataset_named_graphs_get(server: Server, dataset: list[str]) -> None:
    params = [("query", NAMED_QUERY), ("named-graph-uri", dataset[1]), ("named-graph-uri", dataset[2])]
    reply = server.get("/sparql", params=params, headers={"Accept": "application/sparql-results+json"})
    assert column(reply, "g") == [dataset[1], dataset[2]]


def test_query_dataset_full(server: Server, dataset: list[str]) -> None:
    query = "SELECT DISTINCT ?x ?g WHERE { { ?x ?p ?o } UNION { GRAPH ?g { ?s ?q ?v } } }"
    params = {"default-graph-uri": dataset[3], "named-graph-uri": [dataset[1], dataset[2]]}
    reply = server.query(query, accept="application/sparql-results+json", **params)
    assert column(reply, "x") == [dataset[3]]
    assert column(reply, "g") == [dataset[1], dataset[2]]


@xfail_on_virtuoso("the protocol's default-graph-uri does not override FROM in the query text")
def test_query_multiple_dataset(server: Server, dataset: list[str]) -> None:
    """The protocol's dataset wins over FROM in the query text."""
    params = {"default-graph-uri": dataset[2]}
    reply = server.query(f"ASK FROM <{dataset[1]}> {{ <{dataset[2]}> ?p ?o }}", **params)
    assert boolean(reply) is True
    reply = server.query(f"ASK FROM <{dataset[1]}> {{ <{dataset[1]}> ?p ?o }}", **params)
    assert boolean(reply) is False


def test_query_content_type_select(server: Server) -> None:
    reply = server.query("SELECT (1 AS ?value) {}")
    assert reply.status == 200
    assert reply.content_type in {
        "application/sparql-results+xml",
        "application/sparql-results+json",
        "text/csv",
        "text/tab-separated-values",
    }
    assert values(reply, "value") == ["1"]


def values(reply: Reply, name: str) -> list[str]:
    """The values of one variable of a SELECT answer, in whichever of the four result formats it came."""
    kind = reply.content_type
    if kind == "application/sparql-results+json":
        return [row[name]["value"] for row in reply.json()["results"]["bindings"] if name in row]
    if kind == "application/sparql-results+xml":
        root = ET.fromstring(reply.body)  # noqa: S314 - our own server's answer
        return [b.find("*").text or "" for b in root.iter(f"{SPARQL_RESULTS}binding") if b.get("name") == name]
    lines = reply.text.splitlines()
    sep = "," if kind == "text/csv" else "\t"
    head = [h.lstrip("?") for h in lines[0].split(sep)]
    cells = [line.split(sep)[head.index(name)] for line in lines[1:] if line]
    return [c.strip('"') if kind == "text/csv" else c.strip('"').split('"^^')[0] for c in cells]


def test_query_content_type_ask(server: Server) -> None:
    reply = server.query("ASK {}")
    assert reply.content_type in {"application/sparql-results+xml", "application/sparql-results+json"}
    assert boolean(reply) is True


GRAPH_TYPES = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt"}


def test_query_content_type_describe(server: Server) -> None:
    reply = server.query("DESCRIBE <http://example.org/>")
    assert reply.status == 200, reply.text
    assert reply.content_type in GRAPH_TYPES
    rdflib.Graph().parse(data=reply.body, format=GRAPH_TYPES[reply.content_type])


def test_query_content_type_construct(server: Server) -> None:
    reply = server.query("CONSTRUCT { <s> <p> 1 } WHERE {}")
    assert reply.status == 200, reply.text
    assert reply.content_type in GRAPH_TYPES
    graph = rdflib.Graph().parse(data=reply.body, format=GRAPH_TYPES[reply.content_type])
    assert len(graph) == 1
    (s, _, o) = next(iter(graph))
    assert str(s).startswith(("http://", "https://")), "relative IRIs resolve against the service base"
    assert o.toPython() == 1


# --- query: negative ------------------------------------------------------------------


def test_bad_query_method(server: Server) -> None:
    reply = server.request("PUT", "/sparql", params={"query": "ASK {}"})
    assert_4xx(reply, 405)
    assert {m.strip() for m in reply.headers["Allow"].split(",")} >= {"GET", "POST"}


def test_bad_multiple_queries(server: Server) -> None:
    reply = server.get("/sparql", params=[("query", "ASK {}"), ("query", "SELECT * {}")])
    assert_4xx(reply, 400)


def test_bad_query_wrong_media_type(server: Server) -> None:
    reply = server.request("POST", "/sparql", body="ASK {}", headers={"Content-Type": "text/plain"})
    assert_4xx(reply, 415)


def test_bad_query_missing_form_type(server: Server) -> None:
    assert_4xx(server.request("POST", "/sparql", body="query=ASK%20%7B%7D"), 415)


def test_bad_query_missing_direct_type(server: Server) -> None:
    assert_4xx(server.request("POST", "/sparql", body="ASK {}"), 415)


def test_bad_query_non_utf8(server: Server) -> None:
    reply = server.request(
        "POST",
        "/sparql",
        body="ASK {}".encode("utf-16"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )
    assert_4xx(reply, 415)


@xfail_on_virtuoso("its syntax errors name the line, not the column")
def test_bad_query_syntax(server: Server) -> None:
    reply = server.get("/sparql", params={"query": "ASK {"})
    assert_4xx(reply, 400)
    assert "line" in reply.text.lower() and "column" in reply.text.lower(), reply.text


# --- update: positive -----------------------------------------------------------------


def test_update_post_form(server: Server) -> None:
    graph = f"{EX}form"
    reply = update_form(
        server,
        {"update": f'DROP SILENT GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ <{EX}s> <{P}> "form" }} }}'},
    )
    assert reply.status in (200, 204), reply.text
    assert server.ask(f'ASK {{ GRAPH <{graph}> {{ <{EX}s> <{P}> "form" }} }}')


def test_update_post_direct(server: Server) -> None:
    graph = f"{EX}direct"
    reply = server.update(
        f'DROP SILENT GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ <{EX}s> <{P}> "direct" }} }}'
    )
    assert reply.status in (200, 204), reply.text
    assert server.ask(f'ASK {{ GRAPH <{graph}> {{ <{EX}s> <{P}> "direct" }} }}')


def _marked(server: Server, graph: str) -> list[str]:
    rows = server.select(f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s a <{EX}Marked> }} }}")
    return sorted(row["s"] for row in rows)


MARK = "INSERT {{ GRAPH <{out}> {{ ?s a <" + EX + "Marked> }} }} WHERE {{ ?s a <http://xmlns.com/foaf/0.1/Document> }}"


def test_update_dataset_default_graph(server: Server, dataset: list[str]) -> None:
    out = f"{EX}out-default-graph"
    reply = server.update(
        f"DROP SILENT GRAPH <{out}> ; " + MARK.format(out=out), params={"using-graph-uri": dataset[1]}
    )
    assert reply.status in (200, 204), reply.text
    assert _marked(server, out) == [dataset[1]]


def test_update_dataset_default_graphs(server: Server, dataset: list[str]) -> None:
    out = f"{EX}out-default-graphs"
    params = [("using-graph-uri", dataset[1]), ("using-graph-uri", dataset[2])]
    reply = server.update(f"DROP SILENT GRAPH <{out}> ; " + MARK.format(out=out), params=params)
    assert reply.status in (200, 204), reply.text
    assert _marked(server, out) == [dataset[1], dataset[2]]


def test_update_dataset_named_graphs(server: Server, dataset: list[str]) -> None:
    out = f"{EX}out-named-graphs"
    update = (
        f"DROP SILENT GRAPH <{out}> ; "
        f"INSERT {{ GRAPH <{out}> {{ ?g a <{EX}Marked> }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    )
    params = [("using-named-graph-uri", dataset[1]), ("using-named-graph-uri", dataset[2])]
    reply = update_form(server, [("update", update), *params])
    assert reply.status in (200, 204), reply.text
    assert _marked(server, out) == [dataset[1], dataset[2]]


def test_update_dataset_full(server: Server, dataset: list[str]) -> None:
    out = f"{EX}out-full"
    update = (
        f"DROP SILENT GRAPH <{out}> ; "
        f"INSERT {{ GRAPH <{out}> {{ ?x <{EX}sawGraph> ?g }} }} "
        f"WHERE {{ ?x <{P}> ?v . GRAPH ?g {{ ?s <{P}> ?w }} }}"
    )
    params = [("using-graph-uri", dataset[3]), ("using-named-graph-uri", dataset[1])]
    reply = server.update(update, params=params)
    assert reply.status in (200, 204), reply.text
    rows = server.select(f"SELECT ?x ?g WHERE {{ GRAPH <{out}> {{ ?x <{EX}sawGraph> ?g }} }}")
    assert rows == [{"x": dataset[3], "g": dataset[1]}]


def test_update_base_uri(server: Server) -> None:
    graph = f"{EX}base-test"
    reply = server.update(f"DROP SILENT GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ <{EX}s> <{P}> <test> }} }}")
    assert reply.status in (200, 204), reply.text
    rows = server.select(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <{EX}s> <{P}> ?o }} }}")
    assert len(rows) == 1
    assert rows[0]["o"].startswith(("http://", "https://")) and rows[0]["o"].endswith("test"), rows


# --- update: negative -----------------------------------------------------------------

NOOP_GRAPH = f"{EX}must-stay-empty"
NOOP = f'INSERT DATA {{ GRAPH <{NOOP_GRAPH}> {{ <{EX}s> <{P}> "written" }} }}'


def assert_nothing_written(server: Server) -> None:
    assert not server.ask(f"ASK {{ GRAPH <{NOOP_GRAPH}> {{ ?s ?p ?o }} }}")


def test_bad_update_get(server: Server) -> None:
    assert_4xx(server.get("/update", params={"update": NOOP}), 405)
    assert_4xx(server.get("/sparql", params={"update": NOOP}), 400)
    assert_nothing_written(server)


def test_bad_multiple_updates(server: Server) -> None:
    assert_4xx(update_form(server, [("update", NOOP), ("update", NOOP)]), 400)
    assert_nothing_written(server)


def test_bad_update_wrong_media_type(server: Server) -> None:
    headers = {"Content-Type": "text/plain", "Authorization": f"Bearer {server.token}"}
    assert_4xx(server.request("POST", "/update", body=NOOP, headers=headers), 415)
    assert_nothing_written(server)


def test_bad_update_missing_form_type(server: Server) -> None:
    body = "update=" + NOOP.replace(" ", "%20")
    reply = server.request("POST", "/update", body=body, headers={"Authorization": f"Bearer {server.token}"})
    assert_4xx(reply, 415)
    assert_nothing_written(server)


def test_bad_update_non_utf8(server: Server) -> None:
    headers = {"Content-Type": "application/sparql-update; charset=UTF-16", "Authorization": f"Bearer {server.token}"}
    assert_4xx(server.request("POST", "/update", body=NOOP.encode("utf-16"), headers=headers), 415)
    assert_nothing_written(server)


@xfail_on_virtuoso("its syntax errors name the line, not the column")
def test_bad_update_syntax(server: Server) -> None:
    reply = update_form(server, {"update": "CLEAR XYZ"})
    assert_4xx(reply, 400)
    assert "line" in reply.text.lower() and "column" in reply.text.lower(), reply.text


def test_bad_update_dataset_conflict(server: Server) -> None:
    update = (
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
        f"WITH <{EX}addresses>\n"
        "DELETE { ?person foaf:givenName 'Bill' }\n"
        "INSERT { ?person foaf:givenName 'William' }\n"
        "WHERE { ?person foaf:givenName 'Bill' }"
    )
    reply = update_form(server, {"using-named-graph-uri": f"{EX}people", "update": update})
    assert_4xx(reply, 400)


def test_manifest_has_34_cases() -> None:
    names = [n for n in globals() if n.startswith(("test_query_", "test_bad_", "test_update_"))]
    assert len(names) == 34, sorted(names)
    json.dumps(names)
