"""The label index of a snapshot gives what the store's own label search gives, from a file."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph import labelindex
from relgraph.engine import publish_snapshot, snapshots_dir
from relgraph.engine import snapshots as snapshots_module
from relgraph.store import Store
from relgraph.summary import search_labels, store_runner

BASE = "https://w3id.org/relgraph/"
PREFIXES = (BASE + "id/", BASE + "concept/")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path]:
    path = tmp_path_factory.mktemp("labels") / "store"
    store = Store(path)
    store.load_bundled()
    snapshot = publish_snapshot(path, store=store)
    return store, snapshot


@pytest.mark.parametrize("needle", ["hambourg", "QUÉBEC", "kyoto", "Sankt-Peterburg", "univ", "ha", "zzzq", "é"])
def test_index_finds_what_the_store_finds(bundled: tuple[Store, Path], needle: str) -> None:
    store, snapshot = bundled
    index = labelindex.build(snapshot, prefixes=PREFIXES)
    from_index = {(iri, lit.value) for iri, lit in labelindex.search(index, needle)}
    from_store = {(iri, lit.value) for iri, lit in search_labels(store_runner(store.oxigraph), needle, PREFIXES)}
    assert from_index == from_store


def test_hamburg_by_its_french_name(bundled: tuple[Store, Path]) -> None:
    index = labelindex.build(bundled[1], prefixes=PREFIXES)
    assert BASE + "id/city/hamburg" in {iri for iri, _ in labelindex.search(index, "Hambourg")}


@pytest.mark.parametrize("needle", ['" OR "a', "a%", "a_b", "NEAR(a b)", "x' OR 1=1 --", "*"])
def test_needles_are_text_not_syntax(bundled: tuple[Store, Path], needle: str) -> None:
    index = labelindex.build(bundled[1], prefixes=PREFIXES)
    assert labelindex.search(index, needle) == []


def test_built_once_next_to_the_snapshot_and_atomically(bundled: tuple[Store, Path]) -> None:
    snapshot = bundled[1]
    index = labelindex.build(snapshot, prefixes=PREFIXES)
    assert index == labelindex.index_path(snapshot) and index.parent == snapshot.parent
    mtime = index.stat().st_mtime_ns
    assert labelindex.build(snapshot, prefixes=PREFIXES).stat().st_mtime_ns == mtime  # not rebuilt
    assert not list(snapshot.parent.glob(".tmp-labels-*"))


def test_the_index_goes_with_its_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshots_module, "PRUNE_AFTER", 0.0)
    monkeypatch.setattr(snapshots_module, "KEEP_SNAPSHOTS", 1)
    path = tmp_path / "store"
    store = Store(path)
    store.load_bundled()
    first = publish_snapshot(path, store=store)
    index = labelindex.build(first, prefixes=PREFIXES)
    stale = first.parent / ".tmp-labels-x-1"
    stale.write_bytes(b"half")
    os.utime(stale, (time.time() - 10, time.time() - 10))
    second = publish_snapshot(path, store=store)
    store.close()
    assert not first.exists() and not index.exists() and not stale.exists()
    assert second.is_dir() and snapshots_dir(path) == second.parent


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path]:
    """2,500 labels containing "heim" besides the one that is exactly "Heim": more than any match limit."""
    path = tmp_path_factory.mktemp("crowded") / "store"
    store = Store(path)
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    graph = ox.NamedNode(BASE + "graph/crowded")
    quads = [
        ox.Quad(ox.NamedNode(f"{BASE}id/city/a{n:04}"), label, ox.Literal(f"Aheim {n:04}"), graph) for n in range(2500)
    ]
    quads.append(ox.Quad(ox.NamedNode(BASE + "id/city/zz-heim"), label, ox.Literal("Heim", language="de"), graph))
    store.oxigraph.extend(quads)
    return store, publish_snapshot(path, store=store)


def test_an_exact_match_is_never_cut_off_by_the_limit(crowded: tuple[Store, Path]) -> None:
    store, snapshot = crowded
    index = labelindex.build(snapshot, prefixes=PREFIXES)
    for needle in ("heim", "HEIM", "Heim"):
        from_index = labelindex.search(index, needle, limit=100)
        from_store = search_labels(store_runner(store.oxigraph), needle, PREFIXES, limit=100)
        assert from_index[0][0] == from_store[0][0] == BASE + "id/city/zz-heim"
        assert len(from_index) == len(from_store) == 100
    # a short needle (LIKE, not trigrams): a label starting with it comes before one containing it
    assert labelindex.search(index, "he", limit=10)[0][0] == BASE + "id/city/zz-heim"
