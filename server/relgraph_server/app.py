"""The app factory: config, blueprints, error table, request log and CORS.

``create_app(config)`` builds the Flask app from :mod:`relgraph.settings`
(see :func:`relgraph_server.config.load_config`); the engine starts lazily in
the serving process (:class:`relgraph_server.runtime.Runtime`).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, Response, g, request

from . import (
    api,
    drafting,
    errors,
    linked_data,
    meta,
    network,
    ontology_docs,
    pages,
    reconcile,
    sparql,
    suggest,
    update,
    void,
)
from . import partners as partner_finder
from .config import load_config
from .runtime import Runtime

__all__ = ["create_app"]

access_log = logging.getLogger("relgraph_server.access")

_CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type",
    "Access-Control-Max-Age": "600",
}


def _start_timer() -> None:
    g.started = time.perf_counter()


def log_request_line(method: str, path: str, status: int, ms: float) -> None:
    """One line per request: method, path (never the query string), status, milliseconds."""
    access_log.info("%s %s %s %.1f ms", method, path, status, ms)


def _log_request(response: Response) -> Response:
    ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    log_request_line(request.method, request.path, response.status_code, ms)
    return response


def _add_cors(response: Response) -> Response:
    response.headers.update(_CORS_HEADERS)
    return response


def _babel(app: Flask) -> None:
    """flask-babel over the gettext catalogs (``_``/``pgettext`` in templates), and a ``num`` filter per language."""
    from flask_babel import Babel

    from relgraph import catalogs

    from .i18n import language

    Babel(app, locale_selector=language, default_translation_directories=str(catalogs.DIR))
    app.jinja_env.filters["num"] = lambda value, lang="en": catalogs.format_number(value, lang)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides settings (env ``RELGRAPH_*``, then defaults)."""
    cfg = load_config(config)
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.update(
        RELGRAPH=cfg,
        MAX_CONTENT_LENGTH=cfg["max_body"],
        MAX_FORM_MEMORY_SIZE=cfg["max_body"],
        JSON_SORT_KEYS=False,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["relgraph"] = Runtime(cfg)
    for blueprint in (sparql.bp, update.bp, meta.bp, api.bp, ontology_docs.blueprint):
        app.register_blueprint(blueprint)
    app.register_blueprint(reconcile.bp)  # OpenRefine's reconciliation service
    for blueprint in (pages.bp, linked_data.bp, void.bp, network.bp):  # pages, Cool URIs, VoID, dumps, network
        app.register_blueprint(blueprint)
    app.register_blueprint(drafting.bp)  # /draft: review proposals drafted from a press release
    app.register_blueprint(suggest.bp)  # /search/suggest: search suggestions as you type
    app.register_blueprint(partner_finder.bp)  # /api/suggest: the partner finder
    errors.register(app)
    _babel(app)
    app.before_request(_start_timer)
    if cfg["cors"]:
        app.after_request(_add_cors)
    app.after_request(_log_request)
    # Last: the hot GET /sparql path, taken only while the hooks above are all the app has.
    app.wsgi_app = sparql.FastGet(  # type: ignore[method-assign]
        app,
        before=[_start_timer],
        after=[_add_cors, _log_request] if cfg["cors"] else [_log_request],
        cors=_CORS_HEADERS if cfg["cors"] else None,
        log=log_request_line,
    )
    return app
