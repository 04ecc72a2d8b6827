"""Names the network tests share (a module of its own: every test folder has a ``conftest``)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"
ID = "https://w3id.org/relgraph/id/"
GRAPH = "https://w3id.org/relgraph/graph/"
