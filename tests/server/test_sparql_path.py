"""One path answers ``/sparql`` (``relgraph_server.sparql.Endpoint``), whatever form the request takes.

The same query sent as ``GET ?query=`` (read straight from the environ), as a
direct ``POST`` and as a form ``POST`` (read by the view in a request context)
must get the same status, headers and body; CORS and the log line are added
once for every request (``relgraph_server.front.Front``), ``/sparql`` and Flask's
routes alike; OPTIONS, HEAD and other methods get their protocol answers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox
import pytest
from flask import Flask
from relgraph_server.app import create_app
from relgraph_server.runtime import runtime

from relgraph import conneg
from relgraph.store import Store

EX = "http://example.org/"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def _make_store(path: Path) -> Path:
    store = Store(path)
    store.oxigraph.extend(
        ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(f"v{i}"), ox.NamedNode(f"{EX}g{i % 2}"))
        for i in range(40)
    )
    store.close()
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_store(tmp_path_factory.mktemp("fast") / "store")


def _app(store_path: Path, **overrides: Any) -> Iterator[Flask]:
    config = {"store": str(store_path), "workers": 2, "cache": False, "max_rows": 10, **overrides}
    app = create_app(config)
    try:
        yield app
    finally:
        runtime(app).close()


@pytest.fixture(scope="module")
def app(store_path: Path) -> Iterator[Flask]:
    yield from _app(store_path, query_timeout=1.0)


@pytest.fixture(scope="module")
def cors_app(store_path: Path) -> Iterator[Flask]:
    yield from _app(store_path, cors=True, cache=True)


def _q(query: str, **extra: str) -> str:
    return "/sparql?" + urlencode({"query": query, **extra}, quote_via=quote)


def _forms(app: Flask, query: str, headers: dict[str, str]) -> list[Any]:
    """The answers to ``query`` sent as GET, as a direct POST and as a form POST."""
    client = app.test_client()
    answers = [
        client.get(_q(query), headers=headers),
        client.post("/sparql", data=query.encode(), headers={**headers, "Content-Type": "application/sparql-query"}),
        client.post("/sparql", data={"query": query}, headers=headers),
    ]
    for answer in answers:
        answer.get_data()
    return answers


def _same(app: Flask, query: str, headers: dict[str, str] | None = None) -> Any:
    """Send ``query`` in the protocol's three forms, check the answers are equal, return the GET's."""
    got, direct, form = _forms(app, query, headers or {})
    for other in (direct, form):
        assert other.status == got.status
        assert list(other.headers.items()) == list(got.headers.items())
        assert other.get_data() == got.get_data()
    return got


SELECT = f"SELECT ?o WHERE {{ <{EX}s1> ?p ?o }}"


@pytest.mark.parametrize(
    ("query", "accept", "status", "media_type"),
    [
        ("ASK {}", "application/sparql-results+json", 200, "application/sparql-results+json"),
        ("ASK {}", None, 200, "application/sparql-results+json"),
        (SELECT, "text/csv", 200, "text/csv"),
        (SELECT, "application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.1", 200, None),
        (SELECT, "*/*", 200, "application/sparql-results+json"),
        (f"DESCRIBE <{EX}s3>", "text/turtle", 200, "text/turtle"),
        (f"CONSTRUCT WHERE {{ <{EX}s3> ?p ?o }}", "application/n-triples", 200, "application/n-triples"),
        ("SELECT * WHERE { ?s ?p }", None, 400, "text/plain"),  # syntax error
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", None, 400, "text/plain"),
        ("SELECT * WHERE { ?s ?p ?o }", None, 422, "text/plain"),  # more than max_rows
        (SELECT, "text/turtle", 406, "text/plain"),
        ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 10", "application/sparql-results+json", 200, None),
    ],
)
def test_get_and_both_posts_answer_alike(
    app: Flask, query: str, accept: str | None, status: int, media_type: str | None
) -> None:
    response = _same(app, query, {"Accept": accept} if accept is not None else {})
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Vary"] == "Accept" if status == 200 else True
    if media_type:
        assert response.mimetype == media_type


def test_time_limit_on_every_form(app: Flask) -> None:
    for answer in _forms(app, RUNAWAY, {}):
        assert answer.status_code == 503
        assert "time limit of 1 s" in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "headers", "status", "mimetype"),
    [
        (_q("ASK {}", format="json"), {}, 200, "application/sparql-results+json"),
        (_q(SELECT, **{"default-graph-uri": f"{EX}g0"}), {"Accept": "text/csv"}, 200, "text/csv"),
        (_q(SELECT, **{"named-graph-uri": f"{EX}g1"}), {"Accept": "text/csv"}, 200, "text/csv"),
        (_q(SELECT, **{"default-graph-uri": "not an iri"}), {}, 400, "text/plain"),
        (_q("ASK {}") + "&query=ASK%20%7B%7D", {}, 400, "text/plain"),  # two queries
        (_q("ASK {}", update="CLEAR ALL"), {}, 400, "text/plain"),  # the wrong endpoint
        ("/sparql?query=%20%20", {}, 400, "text/plain"),  # blank
        ("/sparql?query=", {"Accept": "text/html"}, 400, "text/html"),  # blank from the page: the page says so
        ("/sparql", {"Accept": "text/turtle"}, 200, "text/turtle"),  # the service description
        (_q("ASK {}"), {"Accept": "text/html,application/xhtml+xml"}, 200, "text/html"),  # the query page
        ("/sparql/?query=ASK%20%7B%7D", {}, 404, "text/plain"),
    ],
)
def test_the_other_shapes_of_a_request(
    app: Flask, path: str, headers: dict[str, str], status: int, mimetype: str
) -> None:
    response = app.test_client().get(path, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == mimetype


def test_other_methods(app: Flask) -> None:
    client = app.test_client()
    options = client.options(_q("ASK {}"))
    assert options.status_code == 200
    assert set(options.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    put = client.put(_q("ASK {}"))
    assert put.status_code == 405
    assert set(put.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert put.get_data(as_text=True) == "PUT is not allowed on /sparql; use GET, POST\n"
    for path, accept in (("/sparql", "text/turtle"), (_q("ASK {}"), "text/csv")):  # HEAD: GET without the body
        head = client.head(path, headers={"Accept": accept})
        got = client.get(path, headers={"Accept": accept})
        assert (head.status_code, head.get_data()) == (200, b"")
        assert head.headers["Content-Type"] == got.headers["Content-Type"]
        assert int(head.headers["Content-Length"]) == len(got.data) > 0


def test_cors_once_on_every_answer(cors_app: Flask) -> None:
    client = cors_app.test_client()
    answers = [
        *_forms(cors_app, "ASK {}", {"Origin": "https://example.org"}),
        *_forms(cors_app, "ASK {}", {}),  # the second time from the result cache
        *_forms(cors_app, "ASK {", {}),  # 400
        client.options("/sparql", headers={"Access-Control-Request-Method": "POST"}),  # preflight
        client.get("/health"),  # a Flask route
        client.get("/no/such/page"),  # Flask's 404
    ]
    for answer in answers:
        assert answer.headers.getlist("Access-Control-Allow-Origin") == ["*"], answer.request.path
        assert answer.headers.getlist("Access-Control-Allow-Methods") == ["GET, POST, OPTIONS"]
    assert [a.status_code for a in answers[:9]] == [200] * 6 + [400] * 3


def test_no_cors_unless_asked(app: Flask) -> None:
    for answer in (app.test_client().get(_q("ASK {}")), app.test_client().get("/health")):
        assert "Access-Control-Allow-Origin" not in answer.headers


def test_one_log_line_per_request(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="relgraph_server.access")
    client = app.test_client()
    client.get(_q('ASK { ?s ?p "SecretWord" }'))
    client.post("/sparql", data={"query": 'ASK { ?s ?p "SecretWord" }'})
    client.get(_q("ASK {"))
    client.get("/health?secret=SecretWord")
    client.get("/caf%C3%A9")
    lines = [r.getMessage() for r in caplog.records if r.name == "relgraph_server.access"]
    assert [line.rsplit(" ", 2)[0] for line in lines] == [
        "GET /sparql 200",
        "POST /sparql 200",
        "GET /sparql 400",
        "GET /health 200",
        "GET /café 404",
    ]
    assert all(line.endswith(" ms") and "SecretWord" not in line for line in lines)


def test_a_hook_of_the_flask_app_leaves_sparql_as_it_is(store_path: Path) -> None:
    """/sparql is not a Flask dispatch: a request hook applies to Flask's routes only, and changes no answer."""
    seen: list[str] = []
    for app in _app(store_path):
        app.before_request(lambda: seen.append("hook") and None)
        before = app.test_client().get(_q(SELECT), headers={"Accept": "text/csv"})
        assert before.status_code == 200 and before.get_data(as_text=True).splitlines()[1:] == ["v1"]
        assert _same(app, SELECT, {"Accept": "text/csv"}).get_data() == before.get_data()
        assert seen == []
        assert app.test_client().get("/health").status_code == 200
        assert seen == ["hook"]


# --- bounded queries answered in the serving process (relgraph.engine.bounded) -----------------

GRAPH_TYPES = [*conneg.GRAPH_TYPES, "*/*", None]  # every RDF type the endpoint offers, any, none


@pytest.fixture(scope="module")
def describe_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A store with ordinary subjects, one with a blank node object and one with more quads than the bound."""
    from relgraph.engine.bounded import MAX_QUADS

    path = tmp_path_factory.mktemp("describe") / "store"
    store = Store(path)
    p, g1, g2 = ox.NamedNode(f"{EX}p"), ox.NamedNode(f"{EX}g1"), ox.NamedNode(f"{EX}g2")
    a, b = ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}b")
    blank = ox.BlankNode()
    store.oxigraph.extend(
        [
            ox.Quad(a, p, ox.Literal("Zürich", language="de"), g1),
            ox.Quad(a, p, ox.Literal("Zürich", language="de"), g2),  # the same triple in two graphs
            ox.Quad(a, p, b, g1),
            ox.Quad(
                a,
                ox.NamedNode(f"{EX}q"),
                ox.Literal("2020-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
                ox.DefaultGraph(),
            ),
            ox.Quad(b, p, ox.Literal('a "quoted"\nline'), g2),
            ox.Quad(ox.NamedNode(f"{EX}bn"), p, blank, g1),
            ox.Quad(blank, p, ox.Literal("inside"), g1),
            *(ox.Quad(ox.NamedNode(f"{EX}many"), p, ox.Literal(str(i)), g1) for i in range(12)),
            *(ox.Quad(ox.NamedNode(f"{EX}big"), p, ox.Literal(str(i)), g2) for i in range(MAX_QUADS + 1)),
        ]
    )
    store.close()
    yield from _app(path, query_timeout=5.0, validate_updates=False)


def _in_process(app: Flask) -> int:
    return runtime(app).engine.in_process  # type: ignore[attr-defined]  # the embedded engine's counter


@pytest.mark.parametrize("subject", ["a", "b", "nobody"])
@pytest.mark.parametrize("accept", GRAPH_TYPES)
def test_bounded_describe_is_answered_in_process_as_a_worker_answers(
    describe_app: Flask, subject: str, accept: str | None
) -> None:
    client = describe_app.test_client()
    headers = {"Accept": accept} if accept is not None else {}
    before = _in_process(describe_app)
    fast = client.get(_q(f"# one\nPREFIX ex: <{EX}>\ndescribe <{EX}{subject}> # done"), headers=headers)
    assert _in_process(describe_app) == before + 1
    worker = client.get(_q(f"DESCRIBE <{EX}{subject}> WHERE {{}}"), headers=headers)  # not the bounded form
    assert _in_process(describe_app) == before + 1
    assert fast.status_code == worker.status_code == 200
    assert list(fast.headers.items()) == list(worker.headers.items())
    assert fast.get_data() == worker.get_data()
    if subject == "a" and accept == "application/n-triples":
        assert fast.get_data().count(b"\n") == 4  # Oxigraph repeats a triple stated in two graphs


def test_the_row_cap_and_negotiation_hold_in_process(describe_app: Flask) -> None:
    client = describe_app.test_client()
    before = _in_process(describe_app)
    too_many = client.get(_q(f"DESCRIBE <{EX}many>"), headers={"Accept": "text/turtle"})
    assert too_many.status_code == 422  # 12 triples, max_rows 10
    refused = client.get(_q(f"DESCRIBE <{EX}a>"), headers={"Accept": "text/csv"})
    assert refused.status_code == 406
    assert _in_process(describe_app) == before  # errors are raised, not counted as answers


@pytest.mark.parametrize(
    ("query", "status"),
    [
        (f"DESCRIBE <{EX}bn>", 200),  # a blank node object: Oxigraph follows it, no bound
        (f"DESCRIBE <{EX}big>", 422),  # more quads than the bound: a worker (and its row cap) answers
        (f"DESCRIBE <{EX}a> <{EX}b>", 200),
        ("DESCRIBE ?s WHERE { ?s ?p ?o } LIMIT 1", 200),
        (f"DESCRIBE <{EX}a> FROM <{EX}g1>", 200),
    ],
)
def test_other_describes_go_to_a_worker(describe_app: Flask, query: str, status: int) -> None:
    before = _in_process(describe_app)
    answer = describe_app.test_client().get(_q(query), headers={"Accept": "application/n-triples"})
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert _in_process(describe_app) == before
    if query.endswith("bn>"):
        assert b'"inside"' in answer.get_data()  # the blank node's own description came along


def test_dataset_parameters_go_to_a_worker(describe_app: Flask) -> None:
    before = _in_process(describe_app)
    answer = describe_app.test_client().get(
        _q(f"DESCRIBE <{EX}a>", **{"default-graph-uri": f"{EX}g2"}), headers={"Accept": "application/n-triples"}
    )
    assert answer.status_code == 200
    assert answer.get_data().count(b"\n") == 1  # only g2's triple: the protocol's dataset was applied
    assert _in_process(describe_app) == before


def test_the_in_process_snapshot_follows_updates(describe_app: Flask) -> None:
    engine = runtime(describe_app).engine
    client = describe_app.test_client()
    query = _q(f"DESCRIBE <{EX}later>")
    assert client.get(query, headers={"Accept": "application/n-triples"}).get_data() == b""
    engine.update(f'INSERT DATA {{ GRAPH <{EX}g3> {{ <{EX}later> <{EX}p> "new" }} }}')
    before = _in_process(describe_app)
    answer = client.get(query, headers={"Accept": "application/n-triples"})
    assert answer.get_data() == f'<{EX}later> <{EX}p> "new" .\n'.encode()
    assert _in_process(describe_app) == before + 1


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        (f"DESCRIBE <{EX}a>", f"{EX}a"),
        (f"  prefix ex: <{EX}>  PREFIX : <x:y>\n# c <z>\nDescribe<{EX}a#frag>\n", f"{EX}a#frag"),
        (f"DESCRIBE <{EX}a> WHERE {{}}", None),
        (f"DESCRIBE <{EX}a> <{EX}b>", None),
        ("DESCRIBE ex:a", None),
        ("DESCRIBE <relative>", None),
        (f"BASE <{EX}> DESCRIBE <{EX}a>", None),
        (f"DESCRIBE <{EX}a> LIMIT 1", None),
        (f"DESCRIBE <{EX}a\\u0020>", None),
        (f"SELECT * {{}} # DESCRIBE <{EX}a>", None),
    ],
)
def test_only_describe_of_one_iri_is_bounded(text: str, iri: str | None) -> None:
    from relgraph.engine.bounded import describe_target

    assert describe_target(text) == iri
