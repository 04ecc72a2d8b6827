"""The hot ``GET /sparql?query=`` path (``relgraph_server.sparql.FastGet``) answers exactly as Flask does.

Each request is sent twice to the same in-process app: once through the fast
path, once with it switched off (Flask's own dispatch). Status, headers and
body must be equal, and the request log line too; requests the fast path
must not take (other parameters, HTML, POST, ...) are checked to go to Flask.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox
import pytest
from flask import Flask, g
from relgraph_server.app import create_app
from relgraph_server.runtime import runtime
from relgraph_server.sparql import FastGet

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


class _Spy:
    """Counts the requests FastGet hands to Flask."""

    def __init__(self, fast: FastGet) -> None:
        self.fast, self.inner, self.calls = fast, fast.wsgi_app, 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.calls += 1
        return self.inner(environ, start_response)


def _send(app: Flask, path: str, *, fast: bool, method: str = "GET", **kwargs: Any) -> tuple[Any, int]:
    """(response, number of requests that went to Flask) with the fast path on or off."""
    fast_get = app.wsgi_app
    assert isinstance(fast_get, FastGet)
    spy = _Spy(fast_get)
    enabled = fast_get.enabled
    fast_get.wsgi_app, fast_get.enabled = spy, enabled and fast
    try:
        response = app.test_client().open(path, method=method, **kwargs)
        response.get_data()
    finally:
        fast_get.wsgi_app, fast_get.enabled = spy.inner, enabled
    return response, spy.calls


def _same(app: Flask, path: str, *, taken: bool, **kwargs: Any) -> Any:
    """Send ``path`` both ways, check the answers are equal, return the fast-path answer."""
    fast, to_flask = _send(app, path, fast=True, **kwargs)
    slow, _ = _send(app, path, fast=False, **kwargs)
    assert to_flask == (0 if taken else 1), f"fast path {'not ' if taken else ''}taken for {path}"
    assert fast.status == slow.status
    assert list(fast.headers.items()) == list(slow.headers.items())
    assert fast.get_data() == slow.get_data()
    return fast


def _q(query: str, **extra: str) -> str:
    return "/sparql?" + urlencode({"query": query, **extra}, quote_via=quote)


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
def test_fast_path_answers_like_flask(
    app: Flask, query: str, accept: str | None, status: int, media_type: str | None
) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    response = _same(app, _q(query), taken=True, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)
    if media_type:
        assert response.mimetype == media_type


def test_timeout_through_the_fast_path(app: Flask) -> None:
    fast, to_flask = _send(app, _q(RUNAWAY), fast=True)
    assert to_flask == 0
    assert fast.status_code == 503
    assert "time limit of 1 s" in fast.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        (_q("ASK {}", format="json"), {}),
        (_q(SELECT, **{"default-graph-uri": f"{EX}g0"}), {}),
        (_q(SELECT, **{"named-graph-uri": f"{EX}g1"}), {}),
        (_q("ASK {}") + "&query=ASK%20%7B%7D", {}),  # two queries: 400
        (_q("ASK {}", update="CLEAR ALL"), {}),  # 400: the wrong endpoint
        ("/sparql?query=%20%20", {}),  # blank: 400
        ("/sparql?query=", {"headers": {"Accept": "text/html"}}),  # blank from the page
        ("/sparql", {"headers": {"Accept": "text/turtle"}}),  # the service description
        (_q("ASK {}"), {"headers": {"Accept": "text/html,application/xhtml+xml"}}),  # the query page
        (_q("ASK {}"), {"headers": {"Accept": "application/sparql-results+json", "Content-Type": "text/plain"}}),
        ("/sparql?Query=ASK%20%7B%7D", {}),
        ("/sparql/?query=ASK%20%7B%7D", {}),
    ],
)
def test_other_requests_go_to_flask(app: Flask, path: str, kwargs: dict[str, Any]) -> None:
    _same(app, path, taken=False, **kwargs)


def test_other_methods_go_to_flask(app: Flask) -> None:
    for method in ("POST", "HEAD", "OPTIONS", "PUT"):
        _same(app, _q("ASK {}"), taken=False, method=method)


def test_cors_and_cache(cors_app: Flask) -> None:
    for _ in range(2):  # the second answer comes from the result cache
        ok = _same(cors_app, _q("ASK {}"), taken=True, headers={"Origin": "https://example.org"})
        assert ok.headers["Access-Control-Allow-Origin"] == "*"
    error = _same(cors_app, _q("ASK {"), taken=True)
    assert error.status_code == 400
    assert error.headers["Access-Control-Allow-Origin"] == "*"


def test_one_log_line_per_request(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="relgraph_server.access")
    for fast in (True, False):
        caplog.clear()
        _send(app, _q('ASK { ?s ?p "SecretWord" }'), fast=fast)
        _send(app, _q("ASK {"), fast=fast)
        lines = [r.getMessage() for r in caplog.records if r.name == "relgraph_server.access"]
        assert len(lines) == 2, lines
        assert lines[0].startswith("GET /sparql 200 ") and lines[0].endswith(" ms")
        assert lines[1].startswith("GET /sparql 400 ") and lines[1].endswith(" ms")
        assert all("SecretWord" not in line for line in lines)


def test_a_new_hook_turns_the_fast_path_off(store_path: Path) -> None:
    seen: list[str] = []

    def _hook() -> None:
        seen.append("hook" if getattr(g, "started", None) is not None else "no timer")

    for app in _app(store_path):
        app.before_request(_hook)

        response, to_flask = _send(app, _q("ASK {}"), fast=True)
        assert response.status_code == 200
        assert to_flask == 1 and seen == ["hook"]


def test_an_app_with_unknown_hooks_never_takes_it(store_path: Path) -> None:
    for app in _app(store_path):
        app.after_request(lambda response: response)
        fresh = FastGet(app, before=[], after=[], cors=None, log=lambda *a: None)
        assert not fresh.enabled
