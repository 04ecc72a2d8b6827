"""The ``/sparql`` blueprint: SPARQL 1.1 Protocol queries.

GET without a query is the endpoint's front door: browsers (``Accept`` that
explicitly prefers ``text/html``) get the query page, everybody else the
SPARQL 1.1 Service Description. A GET with a query from a browser (the
page's form works without JavaScript) gets the query page with the result
table; add ``format=`` (json, xml, csv, tsv, turtle, ntriples, rdfxml,
jsonld; see ``relgraph.conneg.FORMAT_NAMES``) or send a machine ``Accept`` to get the raw result instead.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, Flask, Response, g, request
from flask.signals import got_request_exception, request_finished, request_started
from werkzeug import urls as _werkzeug_urls  # noqa: F401 - registers the "werkzeug.url_quote" error handler

from relgraph.conneg import format_override

from . import service_description, ui
from .errors import HttpError
from .protocol import Operation, read_operation
from .rendering import wants_html
from .runtime import Runtime, runtime

__all__ = ["FastGet", "bp", "run_query", "wants_html"]

bp = Blueprint("sparql", __name__)
#: Longest query string the hot path takes (gunicorn refuses request lines over 8190 bytes anyway).
_MEMO_MAX_CHARS = 16_384


def requested_accept() -> str | None:
    """The Accept the engine negotiates with: ``format=`` (json, csv, turtle, ...) wins over the header."""
    fmt = request.args.get("format")
    return format_override(fmt) if fmt else request.headers.get("Accept")


def run_query(op: Operation, accept: str | None) -> tuple[str, bytes]:
    """Media type and complete body of ``op``, from the cache when it is enabled."""
    return _answer(runtime(), op, accept)


def _answer(rt: Runtime, op: Operation, accept: str | None) -> tuple[str, bytes]:
    return rt.answer(op.text, accept=accept, default_graphs=op.default_graphs, named_graphs=op.named_graphs)


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    try:
        op = read_operation(request, "query")
    except HttpError as exc:
        if request.method == "GET" and wants_html():  # e.g. the page's form sent an empty query
            return ui.query_page(error=exc)
        raise
    if op is None:
        if wants_html() and "format" not in request.args:
            return ui.query_page()
        return service_description.response()
    if request.method == "GET" and "format" not in request.args and wants_html():
        return ui.query_page(op)
    media_type, body = run_query(op, requested_accept())
    response = Response(body, content_type=media_type)
    response.vary.add("Accept")
    return response


# --- the hot path --------------------------------------------------------------------------


def _hook_state(app: Flask) -> tuple[Any, ...]:
    """Everything Flask would run around the ``/sparql`` view besides the view itself (cheap to compare)."""
    before, after = app.before_request_funcs, app.after_request_funcs
    teardown, preprocess = app.teardown_request_funcs, app.url_value_preprocessors
    name = bp.name
    return (
        before.get(None) or None,
        before.get(name) or None,
        after.get(None) or None,
        after.get(name) or None,
        teardown.get(None) or None,
        teardown.get(name) or None,
        preprocess.get(None) or None,
        preprocess.get(name) or None,
        app.teardown_appcontext_funcs or None,
        app.view_functions.get("sparql.sparql"),
        bool(request_started.receivers or request_finished.receivers or got_request_exception.receivers),
    )


@functools.lru_cache(maxsize=256)
def _only_query(query_string: str) -> str | None:
    """The ``query`` of a WSGI QUERY_STRING that holds one non-blank ``query=`` and nothing else.

    Parsed as werkzeug parses ``request.args``; memoized (a pure function of the text).
    """
    try:
        params = parse_qsl(query_string.encode("latin1").decode(), keep_blank_values=True, errors="werkzeug.url_quote")
    except (UnicodeError, ValueError):
        return None
    if len(params) != 1 or params[0][0] != "query" or not params[0][1].strip():
        return None
    return params[0][1]


class FastGet:
    """WSGI middleware: answers the benchmark-shaped ``GET /sparql?query=…`` without Flask's dispatch.

    Only a request Flask would answer with exactly this code path is taken:
    method GET, path ``/sparql``, a query string holding one non-blank
    ``query`` parameter and nothing else, no request Content-Type, and an
    Accept header that does not mention HTML (so :func:`wants_html` is false).
    Everything else, and every request while the app has other request hooks
    than the ones given here (the timer, the log line, CORS), goes to Flask
    unchanged. The answer is what :func:`sparql` returns (same body, same
    headers, same log line); an error is handed to Flask's own error handling
    inside a request context, so the error table applies as it does for every request.
    """

    def __init__(
        self,
        app: Flask,
        *,
        before: Sequence[Callable[..., Any]],
        after: Sequence[Callable[..., Any]],
        cors: Mapping[str, str] | None,
        log: Callable[[str, str, int, float], None],
    ) -> None:
        self.app, self.wsgi_app = app, app.wsgi_app
        self.log = log
        self.extra_headers = list((cors or {}).items())
        # Copies: Flask appends to its lists in place, so a later hook shows up as a difference.
        self.state = tuple(list(x) if isinstance(x, list) else x for x in _hook_state(app))
        expected = (list(before), None, list(after), None, None, None, None, None, None, sparql, False)
        adapter = app.url_map.bind("localhost")
        try:
            routed = adapter.match("/sparql", "GET") == ("sparql.sparql", {})
        except Exception:  # any routing surprise: never take the fast path
            routed = False
        self.enabled = routed and self.state == expected

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if (
            not self.enabled
            or environ.get("PATH_INFO") != "/sparql"
            or environ.get("REQUEST_METHOD") != "GET"
            or environ.get("CONTENT_TYPE")
        ):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        accept = environ.get("HTTP_ACCEPT")
        query_string = environ.get("QUERY_STRING", "")
        text = _only_query(query_string) if len(query_string) <= _MEMO_MAX_CHARS else None
        if text is None or (accept is not None and "html" in accept.lower()) or _hook_state(self.app) != self.state:
            return self.wsgi_app(environ, start_response)
        try:
            media_type, body = _answer(runtime(self.app), Operation(text), accept)
        except Exception as exc:  # Flask's error handling decides, as for any request
            return self._error(environ, start_response, exc, started)
        headers = [("Content-Type", media_type), ("Content-Length", str(len(body))), ("Vary", "Accept")]
        headers += self.extra_headers
        start_response("200 OK", headers)
        self.log("GET", "/sparql", 200, (time.perf_counter() - started) * 1000)
        return [body]

    def _error(
        self, environ: dict[str, Any], start_response: Callable[..., Any], exc: Exception, started: float
    ) -> Any:
        app = self.app
        with app.request_context(environ):
            g.started = started  # what the app's before_request timer would have set
            try:
                rv = app.handle_user_exception(exc)
            except Exception as unhandled:  # as Flask.full_dispatch_request does
                rv = app.handle_exception(unhandled)
            response = app.finalize_request(rv)
            return response(environ, start_response)
