"""What the background jobs keep for a data version is out of the cycle collector's walks, and freed after it.

At a million agreements a full collection walked the network's analysis and the finder's index (over a
million objects) in the middle of page requests; frozen once made (:func:`gc.freeze`), they are not walked,
and a new data version unfreezes them so the old version's parts can go.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from relgraph_server.app import create_app
from relgraph_server.background import background
from relgraph_server.network import analysis
from relgraph_server.runtime import runtime

from relgraph.store import Store

pytestmark = pytest.mark.embedded_only  # the network over an embedded store's snapshots

EX = "http://example.org/gc/"
RG = "https://w3id.org/relgraph/ontology#"


def _agreement(n: int) -> list[ox.Quad]:
    g, a = ox.NamedNode(f"{EX}g"), ox.NamedNode(f"{EX}agreement{n}")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    quads = [ox.Quad(a, rdf_type, ox.NamedNode(f"{RG}Agreement"), g)]
    for side in ("a", "b"):
        place = ox.NamedNode(f"{EX}{side}{n}")
        quads += [
            ox.Quad(a, ox.NamedNode(f"{RG}party"), place, g),
            ox.Quad(place, rdf_type, ox.NamedNode(f"{RG}City"), g),
        ]
    return quads


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    store = Store(tmp_path / "store")
    store.oxigraph.extend(_agreement(1))
    store.close()
    made = create_app({"store": str(tmp_path / "store"), "workers": 1, "cache": False, "validate_updates": False})
    try:
        yield made
    finally:
        runtime(made).close()


def _walked(obj: object) -> bool:
    """Whether the cycle collector's generations hold ``obj`` (frozen objects are in none of them)."""
    return any(o is obj for generation in range(3) for o in gc.get_objects(generation))


def _network_made(app: Flask) -> object:
    with app.app_context():
        assert background(app).ready("network", grace=120)
        return analysis()


def test_the_network_is_frozen_once_made_and_let_go_after_a_data_change(app: Flask) -> None:
    try:
        first = _network_made(app)
        assert gc.is_tracked(first)
        assert not _walked(first)  # frozen: no full collection walks it
        gone = weakref.ref(first)
        with app.app_context():
            runtime(app).engine.update(
                f"INSERT DATA {{ GRAPH <{EX}g> {{ {' . '.join(str(q.triple) for q in _agreement(2))} }} }}"
            )
        second = _network_made(app)
        assert second is not first
        assert not _walked(second)
        del first
        gc.collect()
        assert gone() is None  # the old version's analysis was unfrozen and freed
    finally:
        gc.unfreeze()  # the rest of this test process walks its objects again
