"""The app's WSGI entry: one log line and the CORS headers for every request, done here once.

:class:`Front` wraps everything the server answers: ``/sparql`` (answered by
:class:`relgraph_server.sparql.Endpoint` without Flask's dispatch, which costs
more than the rest of a small query's path) and every Flask route behind it.
Timing, CORS and the access log are WSGI-level, so they are the same for both
and do not depend on Flask's request hooks; a hook added to the Flask app
applies to Flask's routes, never silently changes how ``/sparql`` is answered.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["CORS_HEADERS", "Front", "log_request_line"]

access_log = logging.getLogger("relgraph_server.access")

#: The headers ``--cors`` adds to every answer (preflights included).
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type",
    "Access-Control-Max-Age": "600",
}

_ExcInfo = tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None]


def log_request_line(method: str, path: str, status: int, ms: float) -> None:
    """One line per request: method, path (never the query string), status, milliseconds."""
    access_log.info("%s %s %s %.1f ms", method, path, status, ms)


def request_path(environ: WSGIEnvironment) -> str:
    """The path as Flask's ``request.path`` gives it (WSGI's latin-1 text read as UTF-8)."""
    raw = environ.get("PATH_INFO") or ""
    try:
        text = raw.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:
        text = raw
    return "/" + text.lstrip("/")


class Front:
    """WSGI middleware around the whole app: CORS headers (when on) and the request log line."""

    def __init__(
        self,
        app: WSGIApplication,
        *,
        cors: Mapping[str, str] | None,
        log: Callable[[str, str, int, float], None] = log_request_line,
    ) -> None:
        self.app, self.log = app, log
        self.cors = list((cors or {}).items())
        self.cors_names = {name.lower() for name, _ in self.cors}

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        status = [500]
        cors, names = self.cors, self.cors_names

        def start(line: str, headers: list[tuple[str, str]], exc_info: _ExcInfo | None = None) -> Any:
            status[0] = int(line[:3])
            if cors:  # replace, as Flask's headers.update did: one value per CORS header
                headers = [h for h in headers if h[0].lower() not in names] + cors
            return start_response(line, headers, exc_info)

        try:
            return self.app(environ, start)
        finally:
            path = environ.get("PATH_INFO")
            self.log(
                environ.get("REQUEST_METHOD", "GET"),
                path if path == "/sparql" else request_path(environ),
                status[0],
                (time.perf_counter() - started) * 1000,
            )
