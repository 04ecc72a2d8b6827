"""The ``meta`` blueprint: ``/health`` (liveness). ``/`` is the home page of :mod:`relgraph_server.pages`."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from .background import background
from .runtime import runtime

__all__ = ["bp"]

bp = Blueprint("meta", __name__)

_ALIVE = "SELECT (1 AS ?alive) WHERE { }"


@bp.route("/health")
def health() -> Response:
    """Liveness: the engine answers (one constant row); JSON with the store path, triples and data version.

    The triples are counted in the background (:mod:`.background`), once per data version: at a
    million agreements counting them took minutes and held a query worker; ``null`` until counted.
    """
    rt = runtime()
    engine = rt.engine
    engine.select(_ALIVE)
    return jsonify(
        status="ok",
        store=str(rt.config["store"]),
        triples=background().value("triples"),
        data_version=engine.version,
        workers=rt.config["workers"],
        query_timeout=rt.config["query_timeout"],
        updates="on" if rt.config["update_token"] else "off",
        cache="on" if rt.cache is not None else "off",
    )
