"""Read a SPARQL 1.1 Protocol request: the operation text and its dataset.

Query: GET ``?query=``, POST ``application/x-www-form-urlencoded`` (``query=``)
or POST ``application/sparql-query`` (the body), with ``default-graph-uri``
and ``named-graph-uri`` (repeatable). Update: POST form (``update=``) or
``application/sparql-update``, with ``using-graph-uri`` and
``using-named-graph-uri``. Only UTF-8 is accepted. Every problem raises an
:class:`~relgraph_server.errors.HttpError` with a message that says what to send.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pyoxigraph as ox
from flask import Request

from .errors import BadRequest, UnsupportedMediaType

__all__ = ["FORM", "Operation", "read_operation"]

FORM = "application/x-www-form-urlencoded"
Kind = Literal["query", "update"]


@dataclass(frozen=True)
class _Spec:
    param: str
    direct_type: str
    other_param: str
    graph_params: tuple[str, str]
    endpoint: str


_SPECS: dict[str, _Spec] = {
    "query": _Spec("query", "application/sparql-query", "update", ("default-graph-uri", "named-graph-uri"), "/sparql"),
    "update": _Spec(
        "update", "application/sparql-update", "query", ("using-graph-uri", "using-named-graph-uri"), "/update"
    ),
}
_UTF8 = {"utf-8", "utf8"}


@dataclass(frozen=True)
class Operation:
    """One query or update with the dataset the request gave (None: not given)."""

    text: str
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None

    def dataset_key(self) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        return (
            tuple(self.default_graphs) if self.default_graphs is not None else None,
            tuple(self.named_graphs) if self.named_graphs is not None else None,
        )


def _iris(name: str, values: list[str]) -> list[str] | None:
    if not values:
        return None
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise BadRequest(f"{name}: {value!r} is not an absolute IRI") from None
    return values


def _check_charset(request: Request) -> None:
    charset = request.mimetype_params.get("charset")
    if charset is not None and charset.strip().lower() not in _UTF8:
        raise UnsupportedMediaType(f"charset {charset!r} is not supported: send the request body as UTF-8")


def read_operation(request: Request, kind: Kind) -> Operation | None:
    """The operation in ``request``, or None for a GET that carries none."""
    spec = _SPECS[kind]
    args = request.args
    if spec.other_param in args or (request.mimetype == FORM and spec.other_param in request.form):
        other = _SPECS[spec.other_param]
        raise BadRequest(f"this is the {kind} endpoint: send {spec.other_param}= to {other.endpoint}")
    if request.method in ("GET", "HEAD"):  # HEAD: a GET whose body is not sent
        if kind == "update":
            raise BadRequest("an update must be POSTed")
        texts = args.getlist(spec.param)
        values = args
        if not texts:
            return None
    elif request.method == "POST":
        mimetype = request.mimetype
        if not mimetype:
            raise UnsupportedMediaType(f"Content-Type is missing: send {FORM} ({spec.param}=...) or {spec.direct_type}")
        _check_charset(request)
        if mimetype == FORM:
            texts = args.getlist(spec.param) + request.form.getlist(spec.param)
            values = request.values
        elif mimetype == spec.direct_type:
            if spec.param in args:
                raise BadRequest(f"the {spec.param} is the {spec.direct_type} body; do not also send {spec.param}=")
            body = request.get_data(cache=False)
            try:
                texts = [body.decode("utf-8")]
            except UnicodeDecodeError as err:
                raise BadRequest(f"the body is not valid UTF-8 (byte {err.start})") from None
            values = args
        else:
            raise UnsupportedMediaType(
                f"Content-Type {mimetype} is not accepted here: send {FORM} ({spec.param}=...) or {spec.direct_type}"
            )
    else:  # pragma: no cover - routing allows only GET/POST
        raise BadRequest(f"{request.method} is not allowed")
    if len(texts) != 1:
        raise BadRequest(
            f"give exactly one {spec.param}= parameter (got {len(texts)})"
            if texts
            else f"no {spec.param}: send {spec.param}=... or a {spec.direct_type} body"
        )
    text = texts[0]
    if not text.strip():
        raise BadRequest(f"the {spec.param} is empty")
    default_name, named_name = spec.graph_params
    return Operation(
        text=text,
        default_graphs=_iris(default_name, values.getlist(default_name)),
        named_graphs=_iris(named_name, values.getlist(named_name)),
    )
