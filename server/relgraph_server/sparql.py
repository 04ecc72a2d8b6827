"""The ``/sparql`` blueprint: SPARQL 1.1 Protocol queries.

GET without a query is the endpoint's front door: browsers (``Accept`` that
explicitly prefers ``text/html``) get the query page, everybody else the
SPARQL 1.1 Service Description. A GET with a query from a browser (the
page's form works without JavaScript) gets the query page with the result
table; add ``format=`` (json, xml, csv, tsv, turtle, ntriples, rdfxml,
jsonld; see ``relgraph.conneg.FORMAT_NAMES``) or send a machine ``Accept`` to get the raw result instead.

Every request to ``/sparql`` is answered by :class:`Endpoint`, one WSGI
handler in front of Flask (see its docstring for why not Flask's dispatch).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from flask import Blueprint, Flask, Response, request
from werkzeug import urls as _werkzeug_urls  # noqa: F401 - registers the "werkzeug.url_quote" error handler
from werkzeug.exceptions import MethodNotAllowed

from relgraph.conneg import format_override

from . import service_description, ui
from .errors import HttpError, error_response
from .protocol import Operation, read_operation
from .rendering import wants_html
from .runtime import Runtime, runtime

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["Endpoint", "bp", "run_query", "wants_html"]

bp = Blueprint("sparql", __name__)
#: Longest query string :func:`_plain_get` memoizes (longer ones are rare: POST them).
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
    """Any ``/sparql`` request but the plain ``GET ?query=``: read it, then a page, the description or the answer.

    Called by :class:`Endpoint` inside a request context; the route is what ``url_for`` builds.
    """
    try:
        op = read_operation(request, "query")
    except HttpError as exc:
        if request.method != "POST" and wants_html():  # e.g. the page's form sent an empty query
            return ui.query_page(error=exc)
        raise
    if op is None:
        if wants_html() and "format" not in request.args:
            return ui.query_page()
        return service_description.response()
    if request.method != "POST" and "format" not in request.args and wants_html():
        return ui.query_page(op)
    media_type, body = run_query(op, requested_accept())
    response = Response(body, content_type=media_type)
    response.vary.add("Accept")
    return response


# --- the one path that answers /sparql --------------------------------------------------


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


def _plain_get(environ: WSGIEnvironment) -> Operation | None:
    """The operation of a plain ``GET /sparql?query=…`` from a client that does not ask for HTML, else None.

    For such a request :func:`sparql` would only read the query and run it, so the
    endpoint does that without building a Flask request. Anything else (POST,
    dataset IRIs, ``format=``, a browser, no query) is read by :func:`sparql`.
    """
    if environ.get("REQUEST_METHOD") != "GET" or environ.get("CONTENT_TYPE"):
        return None
    accept = environ.get("HTTP_ACCEPT")
    if accept is not None and "html" in accept.lower():
        return None
    query_string = environ.get("QUERY_STRING", "")
    text = _only_query(query_string) if len(query_string) <= _MEMO_MAX_CHARS else None
    return Operation(text) if text is not None else None


_STATUS_LINES: dict[int, str] = {code.value: f"{code.value} {code.phrase}" for code in HTTPStatus}
#: What /sparql answers besides GET and POST (HEAD is a GET without the body).
_ALLOWED = ["GET", "HEAD", "OPTIONS", "POST"]


class Endpoint:
    """WSGI: answers every request to ``/sparql``; any other path goes to the Flask app.

    One path for GET, HEAD and POST (the protocol's three forms), OPTIONS and
    the rest: a plain ``GET ?query=`` is read from the environ and answered
    straight from the engine (:func:`_plain_get`); every other request is read
    and answered by :func:`sparql` inside a Flask request context (pages,
    service description, form and direct POST, dataset IRIs), and every error,
    on either branch, becomes its answer by the one error table
    (:func:`relgraph_server.errors.error_response`). Flask's request hooks are
    not run for ``/sparql``: the log line and CORS are done for every request
    by :class:`relgraph_server.front.Front` around this.
    """

    path = "/sparql"

    def __init__(self, app: Flask, flask_wsgi: WSGIApplication) -> None:
        self.app, self.flask_wsgi = app, flask_wsgi

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != self.path:
            return self.flask_wsgi(environ, start_response)
        op = _plain_get(environ)
        if op is None:
            return self._in_context(environ, start_response, None)
        try:
            media_type, body = _answer(runtime(self.app), op, environ.get("HTTP_ACCEPT"))
        except Exception as exc:  # the error table decides, as for any request
            return self._in_context(environ, start_response, exc)
        start_response("200 OK", [("Content-Type", media_type), ("Content-Length", str(len(body))), ("Vary", "Accept")])
        return [body]

    def _in_context(
        self, environ: WSGIEnvironment, start_response: StartResponse, error: Exception | None
    ) -> Iterable[bytes]:
        app = self.app
        with app.request_context(environ):
            method = request.method
            try:
                if error is not None:
                    raise error
                if method == "OPTIONS":
                    response = Response(b"", headers={"Allow": ", ".join(_ALLOWED)})
                elif method in ("GET", "HEAD", "POST"):
                    response = app.make_response(sparql())
                else:
                    raise MethodNotAllowed(valid_methods=_ALLOWED)
            except Exception as exc:
                response = error_response(exc)
            body = response.get_data()
            headers = response.headers.to_wsgi_list()
            start_response(_STATUS_LINES.get(response.status_code, response.status), headers)
            return [] if method == "HEAD" else [body]
