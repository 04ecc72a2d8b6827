"""``service_allowlist`` as a server setting (``RELGRAPH_SERVICE_ALLOWLIST``): the listed endpoint is called."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from serve_proc import relgraph_serve
from sparql_http import Server

ANSWER = {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "from the service"}}]}}


class Service:
    """A SPARQL endpoint on loopback that answers every request with one row and counts the requests."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                service.hits.append(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                body = json.dumps(ANSWER).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def service() -> Iterator[Service]:
    s = Service()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


@pytest.fixture(scope="module")
def federating(tmp_path_factory: pytest.TempPathFactory, service: Service) -> Iterator[Server]:
    env = {"RELGRAPH_SERVICE_ALLOWLIST": f"{service.url}/sparql, https://query.wikidata.org/sparql"}
    with relgraph_serve(tmp_path_factory.mktemp("allowlist"), "--no-cache", env=env) as server:
        yield server


def test_the_listed_endpoint_is_called(federating: Server, service: Service) -> None:
    before = len(service.hits)
    reply = federating.query(f"SELECT ?x WHERE {{ SERVICE <{service.url}/sparql> {{ ?x ?p ?o }} }}")
    assert reply.status == 200, reply.text
    assert [row["x"]["value"] for row in reply.json()["results"]["bindings"]] == ["from the service"]
    assert len(service.hits) > before


def test_an_endpoint_not_listed_is_refused_without_a_request(federating: Server, service: Service) -> None:
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
