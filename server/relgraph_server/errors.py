"""Errors of the web layer, and the one table that maps every error to a status.

The core (store, engine) raises domain errors and never builds a response;
the web layer raises :class:`HttpError` for protocol problems it finds
itself. :func:`describe` looks any exception up in :data:`STATUS` (by class,
along its MRO) and :func:`error_response` turns it into a plain-text answer.
The HTML query page uses :func:`describe` too, so both agree.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge

from relgraph.errors import (
    DataRejected,
    NotAcceptable,
    ProtocolError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    RelgraphError,
    StoreError,
    TooManyResults,
    UsageError,
)

from .rendering import not_found_page, wants_html

__all__ = [
    "STATUS",
    "BadRequest",
    "Forbidden",
    "HttpError",
    "Unauthorized",
    "UnsupportedMediaType",
    "describe",
    "error_response",
    "register",
]

log = logging.getLogger("relgraph_server")


class HttpError(Exception):
    """A problem the web layer finds in a request; carries its status and headers."""

    status = 400

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.headers = headers or {}


class BadRequest(HttpError):
    status = 400


class Unauthorized(HttpError):
    status = 401


class Forbidden(HttpError):
    status = 403


class UnsupportedMediaType(HttpError):
    status = 415


#: Domain error -> HTTP status. Looked up along the exception's MRO, so a
#: subclass the engine adds later inherits its parent's status.
STATUS: dict[type[BaseException], int] = {
    QuerySyntaxError: 400,  # the message names line and column
    ProtocolError: 400,  # e.g. a dataset in the request and in the update text
    QueryRefused: 400,  # SERVICE / LOAD to a non-allowed endpoint: never fetched
    UsageError: 400,
    NotAcceptable: 406,  # no result format matches Accept
    TooManyResults: 422,  # more rows than max_rows: an error, never a silent truncation
    DataRejected: 422,  # an update whose result breaks the SHACL shapes: nothing written
    QueryTimeout: 503,  # the worker was killed at the time limit
    StoreError: 503,
    RelgraphError: 500,
}


def _timeout_message(exc: BaseException) -> str:
    text = str(exc)
    limit = getattr(exc, "timeout", None) or getattr(exc, "limit", None)
    if limit is None:
        limit = current_app.config["RELGRAPH"]["query_timeout"]
    if f"{limit:g}" not in text:
        text += f" (time limit {limit:g} s; set with --query-timeout or RELGRAPH_QUERY_TIMEOUT)"
    return text


def _http_exception(exc: HTTPException) -> tuple[int, str, dict[str, str]]:
    status = exc.code or 500
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    if isinstance(exc, MethodNotAllowed):
        allowed = ", ".join(m for m in (exc.valid_methods or []) if m not in {"HEAD", "OPTIONS"})
        return status, f"{request.method} is not allowed on {request.path}; use {allowed}", headers
    if isinstance(exc, RequestEntityTooLarge):
        limit = current_app.config["RELGRAPH"]["max_body"]
        return status, f"request body too large: the limit is {limit:,} bytes (RELGRAPH_MAX_BODY)", headers
    return status, f"{status} {exc.name}: {exc.description}", headers


def describe(exc: BaseException) -> tuple[int, str, dict[str, str]]:
    """Status, one-paragraph message and extra headers for any exception."""
    if isinstance(exc, HttpError):
        return exc.status, str(exc), dict(exc.headers)
    if isinstance(exc, HTTPException):
        return _http_exception(exc)
    for cls in type(exc).__mro__:
        if cls in STATUS:
            status = STATUS[cls]
            message = _timeout_message(exc) if isinstance(exc, QueryTimeout) else str(exc)
            return status, message, {}
    log.exception("unexpected error on %s %s", request.method, request.path, exc_info=exc)
    return 500, "internal server error; the server log has the details", {}


def error_response(exc: BaseException) -> Response:
    status, message, headers = describe(exc)
    response = Response(message.rstrip("\n") + "\n", status=status, content_type="text/plain; charset=utf-8")
    response.headers.update(headers)
    return response


def _handle(exc: Exception) -> Any:
    if isinstance(exc, NotFound) and _browser_page():
        return not_found_page()  # the site's page: title, language, header (issue 15, axe)
    return error_response(exc)


def _browser_page() -> bool:
    """A browser asking for a page (HTML ranked first), not a client of the endpoint or the API."""
    return not request.path.startswith(("/api/", "/sparql", "/reconcile")) and wants_html()


def register(app: Flask) -> None:
    """Send every exception through :func:`error_response`."""
    app.register_error_handler(Exception, _handle)
