"""``GET /api/suggest``: the partner finder over HTTP, and its sections on the place pages.

``/api/suggest?entity=IRI&top=N&field=F&graph=IRI&graph=…&lang=de`` answers a
JSON list of objects (``iri``, ``label``, ``score``, ``reasons``, ``country``,
``population``, ``evidence``); ``format=csv`` gives both lists as spreadsheet
CSV for staff. The headers ``X-Relgraph-Note`` (why the list is empty) and
``X-Relgraph-Similar`` (the URL of the similar places, ``list=similar``)
travel with it. An unknown place is a 404, a place without relations, an
unknown field or graph a 400, each as ``{"error": {...}}`` naming the parameter.

The index (:func:`relgraph.partners.build_index`) is built once per data
version: over an embedded store by one HTTP process for all of them, from the
snapshot, and kept in a file beside it (:mod:`relgraph.partners.shared`);
answers are kept in the result cache, keyed on the data version.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Hashable
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, request

from relgraph import spreadsheet
from relgraph.partners import MESSAGES, FinderError, PartnerIndex, Suggestions, build_index, suggest
from relgraph.partners.cli import CSV_HEADER, csv_rows, labeler
from relgraph.partners.shared import shared_index
from relgraph.summary import LabelSource, engine_runner

from .background import JOBS, TIMEOUT, background
from .errors import describe
from .i18n import LANGUAGES
from .runtime import runtime
from .urls import here, urls

__all__ = ["bp", "openapi_path", "page_sections"]

bp = Blueprint("partners", __name__)
log = logging.getLogger(__name__)
_INDEX_TIMEOUT = 120.0  # /api/suggest waits for a build at most four times this


#: Items of a reason the page links (``pages/_partners.html`` shows as many, then counts the rest).
_LINKED = 8

_LOCK = threading.Lock()
_INDEXES: dict[tuple[int, Hashable], PartnerIndex] = {}  # (runtime, data key) → index
_BUILDING: dict[tuple[int, Hashable], threading.Event] = {}


def index(*, wait: bool = True) -> PartnerIndex | None:
    """The finder's index of the current data version, built on first use (about 10 s on the world data).

    ``wait=False`` (the place pages) starts the build in a background thread and
    returns None until it is ready, so that a page is never held up by it.
    """
    rt = runtime()
    key = (id(rt), rt.data_key())  # snapshots of the same data share it
    with _LOCK:
        found = _INDEXES.get(key)
        if found is not None:
            return found
        event = _BUILDING.get(key)
        starter = event is None
        if event is None:
            event = _BUILDING[key] = threading.Event()

    engine = background().engine()  # whole-graph reading: never on the workers that answer requests

    snapshot = rt.deployment.snapshot(rt.engine.version)

    def build() -> None:
        try:
            if snapshot is not None:  # one process builds it per data version, the others load its file
                built, how = shared_index(snapshot)
                log.info("partner finder index of data version %s %s (pid %s)", key[1], how, os.getpid())
            else:  # a remote store: each process its own, through the engine
                built = build_index(engine_runner(engine, timeout=TIMEOUT))
            with _LOCK:
                for old in [k for k in _INDEXES if k[0] == key[0]]:
                    del _INDEXES[old]  # one data version at a time
                _INDEXES[key] = built
        except Exception:
            log.exception("partner finder index not built")
        finally:
            with _LOCK:
                _BUILDING.pop(key, None)
            event.set()

    if starter:
        if not wait:
            threading.Thread(target=build, name="relgraph-partner-index", daemon=True).start()
            return None
        build()
    elif not wait:
        return None
    else:
        event.wait(_INDEX_TIMEOUT * 4)
    with _LOCK:
        found = _INDEXES.get(key)
    if found is None:
        raise FinderError("the partner finder's index could not be built; see the server log", status=503)
    return found


def _build(app: Any, engine: Any) -> None:
    """The background job (:mod:`.background`): the index, on the background engine."""
    index(wait=True)


JOBS["partners"] = _build


def _answer(
    iri: str,
    *,
    field: str | None,
    graphs: list[str],
    top: int,
    lang: str,
    idx: PartnerIndex | None = None,
    labels: LabelSource | None = None,
) -> Suggestions:
    run = engine_runner(runtime().engine)
    found = idx if idx is not None else index()
    if found is None:  # index() waits for the build, or raises
        raise FinderError("the partner finder's index is not ready", status=503)
    label = labeler(run, lang, source=labels)
    return suggest(found, iri, label=label, field=field, graphs=graphs or None, top=top, lang=lang)


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    response = Response(body, status=status, content_type="application/json; charset=utf-8")
    response.headers.update(headers or {})
    return response


@bp.errorhandler(Exception)
def _error(exc: Exception) -> Response:
    if isinstance(exc, FinderError):
        extra = {"parameter": exc.parameter} if exc.parameter else {}
        return _json({"error": {"status": exc.status, "message": str(exc), **extra}}, exc.status)
    status, message, headers = describe(exc)
    return _json({"error": {"status": status, "message": message}}, status, headers)


def _top(raw: str | None) -> int:
    try:
        top = int(raw) if raw not in (None, "") else 10
    except ValueError:
        raise FinderError(f"top must be a whole number, not {raw!r}", parameter="top") from None
    if not 1 <= top <= 100:
        raise FinderError("top must be between 1 and 100", parameter="top")
    return top


@bp.route("/api/suggest", methods=["GET"])
def api_suggest() -> Response:
    args = request.args
    iri = args.get("entity", "").strip()
    if not iri:
        raise FinderError("entity is required: the IRI of a place", parameter="entity")
    top, field, graphs = _top(args.get("top")), args.get("field") or None, args.getlist("graph")
    lang = args.get("lang") or "en"
    if lang not in LANGUAGES:
        raise FinderError(f"lang must be one of {', '.join(LANGUAGES)}", parameter="lang")
    fmt, which = args.get("format", "json"), args.get("list", "partners")
    if fmt not in ("json", "csv") or which not in ("partners", "similar"):
        raise FinderError("format must be json or csv, list partners or similar", parameter="format")
    key = ("suggest", iri, top, field, tuple(graphs), lang, fmt, which)
    return runtime().cached_response(key, lambda: _suggestions(iri, top, field, graphs, lang, fmt, which))


def _suggestions(iri: str, top: int, field: str | None, graphs: list[str], lang: str, fmt: str, which: str) -> Response:
    args = request.args
    result = _answer(iri, field=field, graphs=graphs, top=top, lang=lang)
    if fmt == "csv":
        body = spreadsheet.csv_text(CSV_HEADER, csv_rows(result))
        response = Response(body, content_type=spreadsheet.MEDIA_TYPE)
        response.headers["Content-Disposition"] = 'attachment; filename="suggested-partners.csv"'
    else:
        items = result.partners if which == "partners" else result.similar
        note = result.note if which == "partners" else result.similar_note
        response = _json(items)
        if note:
            response.headers["X-Relgraph-Note"] = note.encode("ascii", "xmlcharrefreplace").decode()
        query = {k: v for k, v in args.items(multi=True) if k != "list"}
        response.headers["X-Relgraph-Similar"] = f"{here()}?{urlencode([*query.items(), ('list', 'similar')])}"
    return response


def page_sections(iri: str, lang: str, link: Any, *, labels: LabelSource | None = None) -> dict[str, Any] | None:
    """What the place page's partner sections show (None when the finder has nothing to start from).

    ``labels``: the labels as :func:`relgraph.summary.labels_of` gives them, from the snapshot's relation index.
    """
    t = MESSAGES.get(lang, MESSAGES["en"])
    if not background().ready("partners"):  # being built in the background: the page says so
        return {"t": t, "pending": True}
    idx = index(wait=False)
    if idx is None:  # could not be built (see the log): the page without the sections
        return None
    try:  # kept with the index per language (a hub's answer names its partners 77,000 times: 0.6 s of labels)
        result = idx.answer(
            ("page", iri, lang), lambda: _answer(iri, field=None, graphs=[], top=10, lang=lang, idx=idx, labels=labels)
        )
    except FinderError:
        return None

    def linked(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []  # copies: the kept answer stays as it is
        for item in items:
            reasons = []
            for reason in item["reasons"]:
                shown = reason["items"][:_LINKED]  # a hub's reasons name thousands of partners
                copy = {**reason, "items": [{**x, "href": link(x["iri"])} for x in shown] + reason["items"][_LINKED:]}
                pattern = t.get(reason["kind"], "")
                if reason["items"] and "{items}" in pattern:  # the page links the names where the text has them
                    n = re.search(r"\d+", reason["text"])
                    before, after = pattern.split("{items}", 1)
                    copy["before"] = before.replace("{n}", n.group(0) if n else "")
                    copy["after"] = after.replace("{n}", n.group(0) if n else "")
                reasons.append(copy)
            out.append({**item, "href": link(item["iri"]), "reasons": reasons})
        return out

    return {
        "t": t,
        "partners": linked(result.partners),
        "similar": linked(result.similar),
        "note": result.note,
        "similar_note": result.similar_note,
        "csv": urls().variant(urls().root + "/api/suggest", {"entity": iri, "format": "csv", "lang": lang}),
    }


def openapi_path() -> dict[str, Any]:
    """The ``/api/suggest`` entry of the OpenAPI document."""
    string = {"type": "string"}
    error = {
        "description": "error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    reason = {
        "type": "object",
        "required": ["kind", "text", "items"],
        "properties": {
            "kind": string,
            "text": string,
            "items": {
                "type": "array",
                "items": {"type": "object", "properties": {"iri": string, "label": string}},
            },
        },
    }
    item = {
        "type": "object",
        "required": ["iri", "label", "score", "reasons"],
        "properties": {
            "iri": {"type": "string", "format": "uri"},
            "label": string,
            "score": {"type": "number"},
            "reasons": {"type": "array", "items": reason},
            "country": {"type": "string", "nullable": True},
            "population": {"type": "object", "properties": {"value": {"type": "integer"}, "source": string}},
            "evidence": {"type": "object", "additionalProperties": {"type": "number"}},
        },
    }

    def param(name: str, description: str, schema: dict[str, Any], *, required: bool = False) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}

    return {
        "get": {
            "operationId": "suggestPartners",
            "summary": "Possible partners of a place, with reasons",
            "description": "Places without a relation to `entity` yet, ranked by network evidence (shared partners, "
            "partners of partners, nearby places, country pairs) and profile similarity (memberships, joint "
            "statements, institutions, fields, size). `list=similar` gives the places with the most similar profile "
            "instead; `format=csv` both lists as spreadsheet CSV. An empty list carries its reason in the "
            "`X-Relgraph-Note` header.",
            "tags": ["partners"],
            "parameters": [
                param("entity", "IRI of the place.", {"type": "string", "format": "uri"}, required=True),
                param("top", "Suggestions per list.", {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}),
                param("field", "Only candidates active in this field (notation, e.g. `aerospace`).", string),
                param(
                    "graph",
                    "Use only relations of this source graph (repeatable).",
                    {"type": "string", "format": "uri"},
                ),
                param(
                    "lang",
                    "Language of labels and reasons.",
                    {"type": "string", "enum": list(LANGUAGES), "default": "en"},
                ),
                param(
                    "list", "Which list.", {"type": "string", "enum": ["partners", "similar"], "default": "partners"}
                ),
                param(
                    "format", "JSON or spreadsheet CSV.", {"type": "string", "enum": ["json", "csv"], "default": "json"}
                ),
            ],
            "responses": {
                "200": {
                    "description": "the suggestions, best first",
                    "content": {
                        "application/json": {"schema": {"type": "array", "items": item}},
                        "text/csv": {"schema": string},
                    },
                },
                "400": error,
                "404": error,
                "503": error,
            },
        }
    }
