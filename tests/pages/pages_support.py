"""Constants and helpers of the page tests (a module of its own: ``conftest`` names clash across folders)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))
from sparql_http import Server

BASE = "https://w3id.org/relgraph/"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def select(server: Server, query: str) -> list[dict[str, str]]:
    """A SELECT on the endpoint; each row maps variable → value."""
    reply = server.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert reply.status == 200, reply.text
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(reply.body)["results"]["bindings"]]
