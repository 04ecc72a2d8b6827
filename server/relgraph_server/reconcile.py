"""``/reconcile``: the W3C Reconciliation Service API 0.2 for OpenRefine (:mod:`relgraph.reconciliation`).

Register with ``app.register_blueprint(reconcile.bp)``. Routes:

``GET|POST /reconcile``
    Without ``queries``: the service manifest. With ``queries`` (a JSON batch,
    as a query or form parameter): the candidates of each query.
``GET /reconcile/preview?id=city/hamburg``
    A small HTML card for OpenRefine's preview pop-up.
``GET /reconcile/suggest/entity|type|property?prefix=…``
    Auto-completion of entities (``cursor`` for more), types and properties.

``?lang=de|fr`` (default English) names types and entities in that language;
the manifest carries it into the preview and suggest URLs. A ``callback``
parameter wraps JSON in a JSONP call (a plain JavaScript name only), as the
0.2 protocol asks. Answers carry ``Access-Control-Allow-Origin: *`` whatever
``--cors`` says: the protocol requires CORS of a service, and these routes
only read public data.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, render_template_string, request, url_for

from relgraph import catalogs
from relgraph.reconciliation import ReconcileError, Service

from .errors import describe
from .i18n import LANGUAGES
from .runtime import runtime
from .urls import Urls, urls

__all__ = ["MESSAGES", "bp"]

bp = Blueprint("reconcile", __name__)

_CALLBACK = re.compile(r"[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*")

MESSAGES: dict[str, dict[str, str]] = catalogs.table("reconcile")  # tools/i18n_catalogs.py

_PREVIEW = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ p.name }}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:.5em}h1{font-size:1.1em;margin:0 0 .3em}
p{margin:.2em 0}.muted{color:#555}a{color:#0645ad;text-decoration:underline}</style></head>
<body><h1>{{ p.name }}</h1>
<p class="muted">{{ p.types|join(", ") }}{% if p.wikidata %} · Wikidata {{ p.wikidata|join(", ") }}{% endif %}</p>
{% if p.countries %}<p>{{ t.country }}: {{ p.countries|join(", ") }}</p>{% endif %}
<p>{{ p.partners }} {{ t.partners }} · <a href="{{ href }}" target="_blank">{{ t.page }}</a></p>
</body></html>
"""


def _lang() -> str:
    lang = request.args.get("lang", "en").lower() or "en"
    if lang not in LANGUAGES:
        raise ReconcileError(f"lang must be one of {', '.join(LANGUAGES)}")
    return lang


def _urls(lang: str) -> Urls:
    """Links of the service's answers: English unless another language was asked for."""
    return urls(lang if lang != "en" else "")


def _service(lang: str) -> Service:
    from relgraph.summary import engine_runner

    u = urls()
    index = runtime().label_index((u.instances, u.concepts))
    return Service(engine_runner(runtime().engine), base=u.base, index=index, lang=lang)


def _answer(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False)
    callback = request.args.get("callback") or request.form.get("callback")
    if callback and _CALLBACK.fullmatch(callback):
        response = Response(f"/**/{callback}({body});", status=status, content_type="text/javascript; charset=utf-8")
    else:
        response = Response(body, status=status, content_type="application/json; charset=utf-8")
    return response


@bp.after_request
def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.errorhandler(Exception)
def _error(exc: Exception) -> Response:
    status, message = (400, str(exc)) if isinstance(exc, ReconcileError) else describe(exc)[:2]
    return _answer({"error": {"status": status, "message": message}}, status)


@bp.route("/reconcile", methods=["GET", "POST"])
def service() -> Response:
    lang = _lang()
    raw = request.values.get("queries")
    if raw is None:
        root = request.host_url.rstrip("/")
        suffix = f"?lang={lang}" if lang != "en" else ""
        manifest = _service(lang).manifest(
            service_url=root + url_for("reconcile.service"),
            view_url=root + _urls(lang).with_lang(_urls(lang).document("id/{{id}}", "html")),
            name=MESSAGES[lang]["name"],
        )
        if suffix:  # the preview and suggest URLs keep the language
            manifest["preview"]["url"] += "&lang=" + lang
            for entry in manifest["suggest"].values():
                entry["service_path"] += suffix
        return _answer(manifest)
    try:
        queries = json.loads(raw)
    except json.JSONDecodeError as err:
        raise ReconcileError(f"queries is not JSON: {err}") from None
    return _answer(_service(lang).reconcile(queries))


def _prefix() -> str:
    return (request.args.get("prefix") or "")[:200]


@bp.route("/reconcile/suggest/entity")
def suggest_entity() -> Response:
    raw = request.args.get("cursor", "0")
    if not raw.isascii() or not raw.isdigit():
        raise ReconcileError("cursor must be a whole number")
    return _answer(_service(_lang()).suggest_entity(_prefix(), cursor=min(int(raw), 1000)))


@bp.route("/reconcile/suggest/type")
def suggest_type() -> Response:
    return _answer(_service(_lang()).suggest_type(_prefix()))


@bp.route("/reconcile/suggest/property")
def suggest_property() -> Response:
    return _answer(_service(_lang()).suggest_property(_prefix()))


@bp.route("/reconcile/preview")
def preview() -> Response:
    lang = _lang()
    entity = (request.args.get("id") or "")[:500]
    shown = _service(lang).preview(entity) if entity else None
    t = MESSAGES[lang]
    if shown is None:
        return Response(f"<!doctype html><p>{t['not_found']}</p>", status=404, content_type="text/html; charset=utf-8")
    u = _urls(lang)
    href = request.host_url.rstrip("/") + u.with_lang(u.document("id/" + shown["id"], "html"))
    html = render_template_string(_PREVIEW, p=shown, t=t, lang=lang, href=href)
    return Response(html, content_type="text/html; charset=utf-8")
