"""A real ``relgraph serve`` on a free loopback port for the page tests (bundled data, default base).

Reuses the helpers of the endpoint tests (``tests/server/sparql_http.py`` and ``serve_proc.py``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))
from serve_proc import relgraph_serve
from sparql_http import Server


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``relgraph serve`` with the bundled data (ontology, seed, curated), updates off."""
    with relgraph_serve(tmp_path_factory.mktemp("pages"), wait=120) as server:
        yield server
