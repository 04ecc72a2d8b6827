"""Stdlib HTTP helpers and settings of the endpoint tests (no ``requests``)."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

TOKEN = "test-token-9f4c2e"  # noqa: S105 - a throwaway secret of the test server
QUERY_TIMEOUT = 2.0
MAX_BODY = 65_536
OPEN_MAX_ROWS = 1000


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Server:
    port: int
    store: Path
    log: Path
    token: str | None
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | list[tuple[str, str]] | None = None,
        body: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 30.0,
    ) -> Reply:
        """One HTTP exchange; ``params`` go into the URL (repeat a key with a list of pairs)."""
        if params:
            path += ("&" if "?" in path else "?") + urlencode(params, doseq=True)
        if isinstance(body, str):
            body = body.encode("utf-8")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for name, value in (headers or {}).items():
                conn.putheader(name, value)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            response = conn.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            conn.close()

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)

    def query(self, sparql: str, *, accept: str | None = None, **params: Any) -> Reply:
        """POST a query as ``application/sparql-query``; extra params go into the URL."""
        headers = {"Content-Type": "application/sparql-query"}
        if accept:
            headers["Accept"] = accept
        return self.request("POST", "/sparql", params=params or None, body=sparql, headers=headers)

    def form(self, path: str, fields: Mapping[str, Any] | list[tuple[str, str]], **kwargs: Any) -> Reply:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **kwargs.pop("headers", {})}
        return self.request("POST", path, body=urlencode(fields, doseq=True), headers=headers, **kwargs)

    def update(self, sparql: str, *, token: str | None = None, params: Any = None) -> Reply:
        headers = {"Content-Type": "application/sparql-update"}
        token = token if token is not None else self.token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.request("POST", "/update", params=params, body=sparql, headers=headers)

    def ask(self, sparql: str, **params: Any) -> bool:
        reply = self.query(sparql, accept="application/sparql-results+json", **params)
        assert reply.status == 200, reply.text
        return reply.json()["boolean"]

    def select(self, sparql: str, **params: Any) -> list[dict[str, str]]:
        reply = self.query(sparql, accept="application/sparql-results+json", **params)
        assert reply.status == 200, reply.text
        return [{k: v["value"] for k, v in row.items()} for row in reply.json()["results"]["bindings"]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingServer:
    """A plain HTTP server on loopback that answers every GET and POST with ``body`` and records
    ``"METHOD path"`` in ``hits``: what relgraph's endpoint fetched (or, for the safety rules, must not)."""

    def __init__(self, body: bytes, content_type: str) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                hits.append(f"{self.command} {self.path}")
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
