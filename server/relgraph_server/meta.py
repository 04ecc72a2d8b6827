"""The ``meta`` blueprint: ``/health`` (liveness). ``/`` is the home page of :mod:`relgraph_server.pages`."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from .runtime import runtime

__all__ = ["bp"]

bp = Blueprint("meta", __name__)

_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _triples() -> int:
    rt = runtime()

    def compute() -> int:
        return int(rt.engine.select(_COUNT)[0]["n"].value)

    return rt.memo("triples", compute)


@bp.route("/health")
def health() -> Response:
    """Liveness: the engine answers; JSON with the store path, triples and data version."""
    rt = runtime()
    engine = rt.engine
    return jsonify(
        status="ok",
        store=str(rt.config["store"]),
        triples=_triples(),
        data_version=engine.version,
        workers=rt.config["workers"],
        query_timeout=rt.config["query_timeout"],
        updates="on" if rt.config["update_token"] else "off",
        cache="on" if rt.cache is not None else "off",
    )
