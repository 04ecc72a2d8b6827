"""The app factory: config, blueprints, error table, request log and CORS.

``create_app(config)`` builds the Flask app from :mod:`relgraph.settings`
(see :func:`relgraph_server.config.load_config`); the engine starts lazily in
the serving process (:class:`relgraph_server.runtime.Runtime`).
"""

from __future__ import annotations

from typing import Any

from flask import Flask

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
    warm,  # noqa: F401  (registers the background job that makes the busiest pages)
)
from . import partners as partner_finder
from .config import load_config
from .front import CORS_HEADERS, Front
from .runtime import Runtime

__all__ = ["create_app"]


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
    # One WSGI entry: /sparql answered by its endpoint (GET and POST, one path), the rest by Flask;
    # the log line and CORS for every request in Front, once.
    app.wsgi_app = Front(  # type: ignore[method-assign]
        sparql.Endpoint(app, app.wsgi_app), cors=CORS_HEADERS if cfg["cors"] else None
    )
    return app
