"""Constants and helpers of the ready-made query tests (imported by name; conftest only holds fixtures)."""

from __future__ import annotations

from pathlib import Path

from relgraph.resources import bundled_dir, ontology_files

HERE = Path(__file__).parent
EXTRA = HERE / "data" / "extra.trig"
#: Two list-like sources (CC BY-SA and CC0) that share two relations; also served by tests/server.
SOURCES_FIXTURE = HERE.parent / "server" / "data" / "sources-fixture.trig"
ID = "https://w3id.org/relgraph/id/"
CONCEPT = "https://w3id.org/relgraph/concept/"
RG = "https://w3id.org/relgraph/ontology#"


def seed_files() -> list[Path]:
    """The ontology, the concept schemes and data/seed/*.trig (not data/curated/)."""
    return [*ontology_files(), *sorted((bundled_dir("data") / "seed").glob("*.trig"))]
