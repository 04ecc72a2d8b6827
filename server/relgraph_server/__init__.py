"""relgraph web layer (Flask): a SPARQL 1.1 endpoint over the relgraph engine.

The app is thin: it turns HTTP requests into calls on :mod:`relgraph.engine`
and turns the engine's domain errors into status codes (see
:mod:`relgraph_server.errors`). ``create_app`` builds it; ``relgraph serve``
runs it under gunicorn (:mod:`relgraph_server.serve`).
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
