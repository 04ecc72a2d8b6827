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

from . import api, errors, meta, ontology_docs, sparql, update
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


def _log_request(response: Response) -> Response:
    """One line per request: method, path (never the query string), status, milliseconds."""
    ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    access_log.info("%s %s %s %.1f ms", request.method, request.path, response.status_code, ms)
    return response


def _add_cors(response: Response) -> Response:
    response.headers.update(_CORS_HEADERS)
    return response


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
    errors.register(app)
    app.before_request(_start_timer)
    if cfg["cors"]:
        app.after_request(_add_cors)
    app.after_request(_log_request)
    return app
