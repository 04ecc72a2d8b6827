"""A reverse proxy with HTTP Basic authentication in front of a real ``oxigraph serve``.

Oxigraph has no authentication of its own; deployments put a proxy like this
in front of it. Requests without the right ``Authorization`` get 401. With
``careless`` set, the proxy answers a Graph Store ``GET`` of the whole dataset,
and the query that reads the ontology's rules before reasoning, with a 500 that
echoes the ``Authorization`` header, as a badly configured server might: what
relgraph reports must not repeat it.
"""

from __future__ import annotations

import base64
import http.client
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from oxigraph_proc import free_port

__all__ = ["AuthProxy", "auth_proxy"]

_FORWARDED = ("Content-Type", "Accept", "Content-Length")


class AuthProxy(http.server.ThreadingHTTPServer):
    def __init__(self, upstream: str, user: str, password: str) -> None:
        super().__init__(("127.0.0.1", free_port()), _Handler)
        self.upstream = urlsplit(upstream)
        self.expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.careless = False
        self.seen_authorization: list[str | None] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: AuthProxy
    protocol_version = "HTTP/1.1"

    def _reply(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        authorization = self.headers.get("Authorization")
        self.server.seen_authorization.append(authorization)
        if authorization != self.server.expected:
            self._reply(401, b"authentication required")
            return
        whole_dataset = self.command == "GET" and urlsplit(self.path).path == "/store" and "graph=" not in self.path
        reads_rules = urlsplit(self.path).path == "/query" and b"propertyChainAxiom" in (body or b"")
        if self.server.careless and (whole_dataset or reads_rules):
            self._reply(500, f"internal error while serving request with Authorization: {authorization}".encode())
            return
        upstream = self.server.upstream
        conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
        try:
            headers = {k: self.headers[k] for k in _FORWARDED if self.headers.get(k) is not None}
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            self._reply(resp.status, data, resp.getheader("Content-Type") or "application/octet-stream")
        finally:
            conn.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def auth_proxy(upstream: str, *, user: str, password: str) -> Iterator[AuthProxy]:
    """An :class:`AuthProxy` to ``upstream`` for the length of a ``with`` block."""
    proxy = AuthProxy(upstream, user, password)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()
