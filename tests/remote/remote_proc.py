"""The remote engine the tests run against: ``oxigraph serve`` or Virtuoso, by ``RELGRAPH_TEST_BACKEND``.

``RELGRAPH_TEST_BACKEND=remote`` (or ``oxigraph``) runs the remote suites against
``oxigraph serve``; ``RELGRAPH_TEST_BACKEND=virtuoso`` runs the same suites
against OpenLink Virtuoso (``virtuoso-t``), reached with ``--engine virtuoso``
and its ``dba`` account over HTTP Digest. Anything else is the embedded store;
``tests/remote`` then uses ``oxigraph serve``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oxigraph_proc import OxigraphServer, backend
from virtuoso_proc import VirtuosoServer

__all__ = ["RemoteServer", "engine", "is_remote_backend", "remote_env", "xfail_on_virtuoso"]


def engine() -> str:
    """``virtuoso`` or ``oxigraph``: the engine behind the remote tests."""
    return "virtuoso" if backend() == "virtuoso" else "oxigraph"


def is_remote_backend() -> bool:
    """True when the endpoint suites run over a remote store (either engine)."""
    return backend() in ("remote", "oxigraph", "virtuoso")


def remote_env() -> dict[str, str]:
    """The settings a relgraph process needs to reach the test engine (none for Oxigraph)."""
    if engine() == "virtuoso":
        return VirtuosoServer.settings()
    return {}


def RemoteServer(location: Path, log: Path, *, timeout_s: float | None = 5.0) -> Any:
    """A not yet started server of the test engine over ``location`` (restartable on it)."""
    if engine() == "virtuoso":
        return VirtuosoServer(location, timeout_s=timeout_s)
    return OxigraphServer(location, log, timeout_s=timeout_s)


def xfail_on_virtuoso(reason: str) -> Any:
    """``pytest.mark.xfail(strict=True)`` when the engine is Virtuoso: a stated limit, repeated in the docs."""
    import pytest

    return pytest.mark.xfail(engine() == "virtuoso", reason=f"Virtuoso: {reason}", strict=True)
