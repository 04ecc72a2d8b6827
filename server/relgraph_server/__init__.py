"""relgraph web layer (Flask): a SPARQL 1.1 endpoint over the relgraph engine.

The app is thin: it turns HTTP requests into calls on :mod:`relgraph.engine`
and turns the engine's domain errors into status codes (see
:mod:`relgraph_server.errors`). ``create_app`` builds it; ``relgraph serve``
runs it under granian (:mod:`relgraph_server.serve`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Imported on first use: `relgraph`'s CLI loads relgraph_server.command for every command,
    # and should not pay for Flask and the whole app unless it serves.
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(name)
