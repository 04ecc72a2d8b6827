"""The ``/api`` blueprint: the ready-made questions of ``queries/*.rq`` as a web API.

Register it with ``app.register_blueprint(api.bp)``. Routes:

``GET /api``
    A browsable page (de/en/fr with ``?lang=``): every query, a form per
    query and a try-it button that draws the result table.
``GET /api/queries``
    The queries as JSON: name, summary, description, tags, parameters (type,
    format, required, description, example, enum) and links. Summaries and
    descriptions are English unless ``?lang=de`` or ``?lang=fr`` asks otherwise.
``GET /api/queries/<name>`` (also ``<name>.json``, ``<name>.csv``)
    Runs one query through the engine (time limit, row cap). Parameters are
    query-string arguments named as in the query file, plus ``limit``
    (default 100) and ``offset`` (default 0). The answer is chosen by the
    suffix, then ``format=`` (``json``, ``csv``, ``sparql-json``), then
    ``Accept`` (``application/json``, ``text/csv``,
    ``application/sparql-results+json``).

    JSON rows are objects of plain strings: ``{"partner": "https://…",
    "partner@type": "iri", "partnerLabel": "Quebec", "partnerLabel@lang": "en",
    "date": "2024-02-20", "date@type": "xsd:date"}``. ``@type`` is ``iri``,
    ``bnode`` or the literal's datatype (never for plain strings), ``@lang`` the
    language tag; unbound columns are left out. The envelope carries
    ``columns``, ``total``, ``offset``, ``limit``, ``has_more`` and ``next``
    (the URL of the next page, or null); CSV and SPARQL JSON answers carry
    ``X-Total-Count`` and a ``Link: <…>; rel="next"`` header instead. CSV is
    spreadsheet CSV (:mod:`relgraph.spreadsheet`: UTF-8 BOM, cells that would
    run as formulas get a leading apostrophe); programs take JSON, or the
    plain SPARQL CSV of ``/sparql``.

    A missing, malformed or unknown parameter is a 400 JSON error naming it
    (``{"error": {"status": 400, "message": …, "parameter": …}}``); an unknown
    query is a 404.
``GET /api/openapi.json``
    An OpenAPI 3.0 document generated from the query files: one path per
    query, its parameters typed (``format: uri``/``date``, integers) and
    described, with an example value from the bundled data. English, or
    ``?lang=de``/``?lang=fr`` for translated summaries and descriptions.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes, urlencode

from flask import Blueprint, Response, render_template, request, url_for

from relgraph import catalogs, spreadsheet
from relgraph.conneg import negotiate
from relgraph.errors import NotAcceptable, RelgraphError
from relgraph.queries import ParameterError, QueryFile, Result, bind, load_queries
from relgraph.resources import bundled_dir

from .errors import describe
from .i18n import LANGUAGES, language
from .runtime import runtime

__all__ = ["DEFAULT_LIMIT", "MESSAGES", "bp", "openapi_document"]

bp = Blueprint("api", __name__)

DEFAULT_LIMIT = 100
SPARQL_JSON = "application/sparql-results+json"
_OFFERED = ["application/json", "text/csv", SPARQL_JSON]
_FORMATS = {"json": "application/json", "csv": "text/csv", "sparql-json": SPARQL_JSON}
_SUFFIXES = {".json": "application/json", ".csv": "text/csv"}

MESSAGES: dict[str, dict[str, str]] = catalogs.table("api")  # tools/i18n_catalogs.py


class QueryNotFound(RelgraphError):
    """No query file of that name."""


class ApiRequestError(RelgraphError):
    """A request argument of the API itself (limit, offset, format) is wrong."""

    def __init__(self, name: str, reason: str, *, status: int = 400) -> None:
        self.name, self.reason, self.status = name, reason, status
        super().__init__(f"parameter {name!r}: {reason}")


_CACHE: dict[str, Any] = {}


def _queries() -> dict[str, QueryFile]:
    """The query files, re-read when one of them changes (cheap: one stat per file)."""
    folder = bundled_dir("queries")
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.rq")))
    if _CACHE.get("stamp") != stamp:
        _CACHE["queries"], _CACHE["stamp"] = load_queries(folder), stamp
    return _CACHE["queries"]


# --- errors as JSON --------------------------------------------------------------------------


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    response = Response(body, status=status, content_type="application/json; charset=utf-8")
    response.headers.update(headers or {})
    return response


@bp.errorhandler(Exception)
def _error(exc: Exception) -> Response:
    extra: dict[str, Any] = {}
    if isinstance(exc, ParameterError | ApiRequestError):
        headers: dict[str, str] = {}
        status, message = getattr(exc, "status", 400), str(exc)
        extra = {"parameter": exc.name, "reason": exc.reason}
    elif isinstance(exc, QueryNotFound):
        status, message, headers = 404, str(exc), {}
    elif isinstance(exc, NotAcceptable):
        status, message, headers = 406, str(exc), {}
        extra = {"offered": exc.offered}
    else:
        status, message, headers = describe(exc)
    return _json({"error": {"status": status, "message": message, **extra}}, status, headers)


# --- the list and the document ---------------------------------------------------------------


def _api_language() -> str:
    """``?lang=`` of the JSON documents: English unless asked otherwise (no ``Accept-Language``)."""
    lang = request.args.get("lang", "") or "en"
    if lang not in LANGUAGES:
        raise ApiRequestError("lang", f"must be one of {', '.join(LANGUAGES)}")
    return lang


def _parameter_json(p: Any, lang: str = "en") -> dict[str, Any]:
    schema = p.schema()
    out = {
        "name": p.name,
        "type": p.label,
        "format": schema.get("format"),
        "required": p.required,
        "description": p.description_in(lang),
        "example": p.example,
    }
    if p.enum:
        out["enum"] = list(p.enum)
    return out


def _query_json(q: QueryFile, lang: str = "en") -> dict[str, Any]:
    run_url = url_for("api.run_query", name=q.name, _external=False)
    example = q.example_params()
    required_examples = {p.name: example[p.name] for p in q.parameters if p.required and p.name in example}
    return {
        "name": q.name,
        "summary": q.summary_in(lang),
        "description": q.description_in(lang),
        "tags": list(q.tags),
        "method": q.method,
        "parameters": [_parameter_json(p, lang) for p in q.parameters],
        "links": {
            "self": run_url,
            "csv": url_for("api.run_query", name=q.name + ".csv"),
            "example": run_url + ("?" + urlencode(required_examples) if required_examples else ""),
            "openapi": url_for("api.openapi") + "#/paths/" + ("~1api~1queries~1" + q.name),
        },
    }


@bp.route("/api/queries", methods=["GET"])
def list_queries() -> Response:
    lang = _api_language()
    queries = [_query_json(q, lang) for q in _queries().values()]
    in_lang: dict[str, Any] = {"lang": lang} if lang != "en" else {}
    links = {"openapi": url_for("api.openapi", **in_lang), "page": url_for("api.page", **in_lang)}
    return _json({"lang": lang, "queries": queries, "links": links})


def openapi_document(queries: dict[str, QueryFile], *, server: str = "/", lang: str = "en") -> dict[str, Any]:
    """The OpenAPI 3.0 document of the API, generated from the query files.

    ``lang`` picks the language of the queries' summaries and descriptions (English by default).
    """
    string = {"type": "string"}
    cell = {"type": "string"}
    row_schema = {
        "type": "object",
        "additionalProperties": cell,
        "description": "column → value; `column@type` (iri, bnode or datatype) and `column@lang` where needed",
    }
    page_schema = {
        "type": "object",
        "required": ["query", "columns", "rows", "total", "offset", "limit", "has_more"],
        "properties": {
            "query": string,
            "parameters": {"type": "object", "additionalProperties": string},
            "columns": {"type": "array", "items": string},
            "rows": {"type": "array", "items": {"$ref": "#/components/schemas/Row"}},
            "total": {"type": "integer", "minimum": 0},
            "offset": {"type": "integer", "minimum": 0},
            "limit": {"type": "integer", "minimum": 1},
            "has_more": {"type": "boolean"},
            "next": {"type": "string", "nullable": True},
        },
    }
    error_schema = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {
                    "status": {"type": "integer"},
                    "message": string,
                    "parameter": string,
                    "reason": string,
                },
            }
        },
    }
    error_ref = {"schema": {"$ref": "#/components/schemas/Error"}}
    error = {"description": "error", "content": {"application/json": error_ref}}
    paging = [
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": "Rows per page.",
            "schema": {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT},
        },
        {
            "name": "offset",
            "in": "query",
            "required": False,
            "description": "Rows to skip.",
            "schema": {"type": "integer", "minimum": 0, "default": 0},
        },
    ]
    paths: dict[str, Any] = {
        "/api/queries": {
            "get": {
                "operationId": "listQueries",
                "summary": "List the ready-made questions",
                "responses": {
                    "200": {
                        "description": "the queries",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        }
    }
    paths["/reconcile"] = {
        "get": {
            "operationId": "reconcile",
            "summary": "OpenRefine reconciliation service (W3C Reconciliation Service API 0.2)",
            "description": "Without `queries`: the service manifest (preview at `/reconcile/preview?id=`, "
            "suggest at `/reconcile/suggest/entity|type|property?prefix=`). With `queries` (also by POST as a "
            "form field): a JSON batch of reconciliation queries over places, organisations and people, "
            "answered with candidates, scores and features. Add the URL of this path to OpenRefine as a "
            "standard reconciliation service.",
            "tags": ["reconciliation"],
            "externalDocs": {"url": "https://reconciliation-api.github.io/specs/0.2/"},
            "parameters": [
                {
                    "name": "queries",
                    "in": "query",
                    "required": False,
                    "description": 'A query batch, e.g. `{"q0": {"query": "Hambourg", "type": "City"}}`.',
                    "schema": {"type": "string"},
                },
                {
                    "name": "lang",
                    "in": "query",
                    "required": False,
                    "description": "Language of names and types.",
                    "schema": {"type": "string", "enum": list(LANGUAGES), "default": "en"},
                },
            ],
            "responses": {
                "200": {
                    "description": "the manifest, or the candidates of each query",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "400": error,
            },
        }
    }
    from .partners import openapi_path as suggest_path

    paths["/api/suggest"] = suggest_path()
    for q in queries.values():
        params = []
        for p in q.parameters:
            entry: dict[str, Any] = {
                "name": p.name,
                "in": "query",
                "required": p.required,
                "description": p.description_in(lang),
                "schema": p.schema(),
            }
            if p.example is not None:
                entry["example"] = int(p.example) if entry["schema"].get("type") == "integer" else p.example
            params.append(entry)
        paths[f"/api/queries/{q.name}"] = {
            "get": {
                "operationId": q.name.replace("-", "_"),
                "summary": q.summary_in(lang),
                "description": q.description_in(lang) + "\n\nAlso as CSV at `/api/queries/" + q.name + ".csv`.",
                "tags": list(q.tags),
                "parameters": params + paging,
                "responses": {
                    "200": {
                        "description": "one page of rows",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Page"}},
                            "text/csv": {"schema": string},
                            SPARQL_JSON: {"schema": {"type": "object"}},
                        },
                    },
                    "400": error,
                    "404": error,
                    "406": error,
                    "422": error,
                    "503": error,
                },
            }
        }
    from .network import openapi_paths

    paths.update(openapi_paths())  # the network's measures (relgraph_server.network)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "relgraph ready-made questions",
            "version": "1.0.0",
            "description": "Parameterised SPARQL queries over the relgraph knowledge graph of international "
            "relations, generated from the query files in `queries/`.",
            "license": {"name": "MIT"},
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {"schemas": {"Row": row_schema, "Page": page_schema, "Error": error_schema}},
    }


@bp.route("/api/openapi.json", methods=["GET"])
def openapi() -> Response:
    lang = _api_language()
    return _json(openapi_document(_queries(), server=request.host_url.rstrip("/"), lang=lang))


# --- running a query ----------------------------------------------------------------------------


def _arguments() -> dict[str, str]:
    """The query string as text, strictly UTF-8; a name given twice is an error."""
    args: dict[str, str] = {}
    for pair in request.query_string.split(b"&"):
        if not pair:
            continue
        raw_name, _, raw_value = pair.partition(b"=")
        raw_name = unquote_to_bytes(raw_name.replace(b"+", b" "))
        raw_value = unquote_to_bytes(raw_value.replace(b"+", b" "))
        try:
            name = raw_name.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiRequestError(raw_name.decode("utf-8", "replace"), "the name is not valid UTF-8") from None
        try:
            value = raw_value.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiRequestError(name, "the value is not valid UTF-8 (percent-encode UTF-8 bytes)") from None
        if name in args:
            raise ApiRequestError(name, "is given more than once")
        args[name] = value
    return args


def _int_arg(args: dict[str, str], name: str, default: int, minimum: int, maximum: int) -> int:
    raw = args.pop(name, "")
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit():
        raise ApiRequestError(name, f"{raw[:40]!r} is not a whole number")
    value = int(raw)
    if not minimum <= value <= maximum:
        raise ApiRequestError(name, f"must be between {minimum} and {maximum:,}")
    return value


def _media_type(suffix: str | None, args: dict[str, str]) -> str:
    if suffix:
        args.pop("format", None)
        return _SUFFIXES[suffix]
    fmt = args.pop("format", "")
    if fmt:
        if fmt not in _FORMATS:
            raise ApiRequestError("format", f"must be one of {', '.join(_FORMATS)}")
        return _FORMATS[fmt]
    chosen = negotiate(request.headers.get("Accept"), _OFFERED)  # the endpoint's rules: parameters, q, specificity
    if chosen is None:
        raise NotAcceptable(
            f"this API answers {', '.join(_OFFERED)}; Accept was {request.headers['Accept']}", offered=_OFFERED
        )
    return chosen


def execute(query: QueryFile, params: dict[str, str]) -> Result:
    """Run ``query`` through the engine (cached per data version), parameters bound as terms."""
    bindings = bind(query, params)
    rt = runtime()
    substitutions = {k: str(v) for k, v in bindings.items()}

    def run() -> bytes:
        sparql, bound = rt.deployment.bound_query(query, bindings)
        return rt.engine.query(sparql, accept=SPARQL_JSON, substitutions=bound).body

    body = rt.cached(("api", query.name, tuple(sorted(substitutions.items()))), run, size=len)
    return Result.from_sparql_json(body, query.variables)


@bp.route("/api/queries/<name>", methods=["GET"])
def run_query(name: str) -> Response:
    suffix = next((s for s in _SUFFIXES if name.endswith(s)), None)
    base = name[: -len(suffix)] if suffix else name
    query = _queries().get(base)
    if query is None:
        raise QueryNotFound(f"no query named {base!r}; GET /api/queries lists them")
    args = _arguments()
    media_type = _media_type(suffix, args)
    max_rows = runtime().config["max_rows"]
    limit = _int_arg(args, "limit", DEFAULT_LIMIT, 1, max_rows)
    offset = _int_arg(args, "offset", 0, 0, max_rows)
    result = execute(query, args)
    total = len(result)
    page = result.page(offset, limit)
    next_url = None
    if offset + limit < total:
        next_args = {**args, "limit": str(limit), "offset": str(offset + limit)}
        next_url = url_for("api.run_query", name=name) + "?" + urlencode(next_args)
    headers = {"X-Total-Count": str(total)}
    if next_url:
        headers["Link"] = f'<{next_url}>; rel="next"'
    if media_type == "text/csv":
        body = spreadsheet.csv_text(page.variables, page.values())  # for spreadsheets: BOM, formulas neutralised
        response = Response(body, content_type=spreadsheet.MEDIA_TYPE, headers=headers)
    elif media_type == SPARQL_JSON:
        response = Response(
            json.dumps(page.sparql_json(), ensure_ascii=False), content_type=SPARQL_JSON, headers=headers
        )
    else:
        response = _json(
            {
                "query": query.name,
                "parameters": {k: v for k, v in args.items() if v != ""},
                "columns": page.variables,
                "total": total,
                "offset": offset,
                "limit": limit,
                "has_more": next_url is not None,
                "next": next_url,
                "rows": page.rows(),
            },
            headers=headers,
        )
    response.vary.add("Accept")
    return response


# --- the page -------------------------------------------------------------------------------------


@bp.route("/api", methods=["GET"])
def page() -> Response:
    lang = language()
    queries = list(_queries().values())
    html = _render(lang, queries)
    response = Response(html, content_type="text/html; charset=utf-8")
    response.vary.add("Accept-Language")
    return response


def _render(lang: str, queries: list[QueryFile]) -> str:
    from flask import current_app

    sparql_url = url_for("sparql.sparql") if "sparql" in current_app.blueprints else None
    reconcile_url = (
        request.host_url.rstrip("/") + url_for("reconcile.service") if "reconcile" in current_app.blueprints else None
    )
    in_lang: dict[str, Any] = {"lang": lang} if lang != "en" else {}
    return render_template(
        "api.html",
        t=MESSAGES[lang],
        lang=lang,
        languages=LANGUAGES,
        queries=queries,
        queries_json=[_query_json(q, lang) for q in queries],
        openapi_url=url_for("api.openapi", **in_lang),
        list_url=url_for("api.list_queries", **in_lang),
        sparql_url=sparql_url,
        reconcile_url=reconcile_url,
    )
