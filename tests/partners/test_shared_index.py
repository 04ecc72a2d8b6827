"""The partner finder at scale: its sums are the path sums they replace, and one index per data version.

The array sums (:mod:`relgraph.partners.score`) are checked against the paths
enumerated one by one on a random network with profiles; the ranking that
computes the profile term only where it can matter against the ranking of every
candidate. The index file (:mod:`relgraph.partners.shared`) is built once per
data version, loaded by a second reader and on a restart on the same data, and
built again for new data.
"""

from __future__ import annotations

import math
import random
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph.partners import Place, index_from_pairs, similar, suggest
from relgraph.partners.cli import labeler
from relgraph.partners.score import NETWORK_ONLY, WEIGHTS, evidence_terms, profile_overlap, rank
from relgraph.partners.shared import load_shared, shared_index, shared_path
from relgraph.summary import store_runner

DATA = Path(__file__).parent / "data" / "small.trig"
ID = "https://example.org/id/"


def _world(seed: int = 3, n: int = 160):
    rnd = random.Random(seed)  # noqa: S311  # a test network, no secret
    places = {}
    for i in range(n):
        p = Place(f"{ID}p{i:03d}", "City", country=f"{ID}c{i % 7}")
        p.memberships = {f"{ID}net{k}": {"g"} for k in range(3) if rnd.random() < 0.2}
        p.fields = Counter({f"{ID}f{k}": 1 for k in range(5) if rnd.random() < 0.3})
        p.population = (rnd.choice([5_000, 50_000, 300_000, 2_000_000]), "g") if rnd.random() < 0.7 else None
        places[p.iri] = p
    names = sorted(places)
    hubs = names[:6]  # a few places with many partners, as at scale
    pairs = {tuple(sorted(rnd.sample(names, 2))) for _ in range(420)}
    pairs |= {tuple(sorted((h, rnd.choice(names)))) for h in hubs for _ in range(40)}
    return index_from_pairs([(a, b) for a, b in pairs if a != b], places)


def _paths(index, iri):
    """The shared-partner and three-step sums, one path at a time (the finder's definition)."""
    adj = index.adjacency()
    partners = adj.get(iri, set())
    blocked = partners | {iri}
    shared, three = defaultdict(float), defaultdict(float)
    for p in partners:
        for v in adj[p]:
            if v not in blocked and len(adj[p]) > 1:
                shared[v] += 1.0 / math.log(len(adj[p]))
            if v == iri:
                continue
            for w in adj[v]:
                three[w] += 1.0 / math.sqrt(len(adj[p]) * len(adj[v]))
    second = {v: s / math.sqrt(len(adj[v])) for v, s in three.items() if v not in blocked}
    return dict(shared), second


def test_array_sums_are_the_path_sums() -> None:
    index = _world()
    for iri in sorted(index.adjacency())[:40]:
        shared, second = _paths(index, iri)
        got = evidence_terms(index, iri, kinds=("shared", "second"))
        assert {v for v, t in got.items() if "shared" in t} == set(shared)
        assert {v for v, t in got.items() if "second" in t} == set(second)
        for v, t in got.items():
            assert t.get("shared", 0.0) == pytest.approx(shared.get(v, 0.0), rel=1e-12)
            assert t.get("second", 0.0) == pytest.approx(second.get(v, 0.0), rel=1e-12)


@pytest.mark.parametrize("weights", [WEIGHTS, NETWORK_ONLY, {**WEIGHTS, "profile": 2.0}])
def test_ranking_is_that_of_every_candidate_scored(weights) -> None:
    index = _world()
    for iri in sorted(index.adjacency())[:40]:
        kinds = [k for k, w in weights.items() if w]
        every = evidence_terms(index, iri, kinds=kinds)  # the profile term of every candidate
        scored = sorted((-sum(weights[k] * x for k, x in t.items()), v) for v, t in every.items())
        expected = [(v, round(-s, 9)) for s, v in scored if s < 0][:5]
        assert [(e.iri, round(e.score, 9)) for e in rank(index, iri, weights=weights, top=5)] == expected


def test_similar_places_are_those_of_the_whole_profiles() -> None:
    index = _world()
    for iri in sorted(index.adjacency())[:40]:
        me = index.places[iri]
        every = []
        for v, other in index.places.items():
            s, shared = profile_overlap(me, other)
            if v != iri and s > 0 and any(shared.get(k) for k in ("membership", "field")):
                every.append((-s, v, shared))
        expected = [(v, -s, shared) for s, v, shared in sorted(every, key=lambda x: x[:2])[:6]]
        assert [(e.iri, e.score, e.profile) for e in similar(index, iri, top=6)] == expected


def _snapshot(parent: Path, name: str, *extra: str) -> Path:
    """A store directory as a published snapshot is (RocksDB tables on disk) with the small world, plus ``extra``."""
    path = parent / name
    store = ox.Store(str(path))
    store.load(path=str(DATA), format=ox.RdfFormat.TRIG)
    for line in extra:
        store.update(line)
    store.flush()
    store.optimize()
    del store
    return path


def _answer(index, snapshot: Path) -> list:
    store = ox.Store.read_only(str(snapshot))
    got = suggest(index, ID + "a", label=labeler(store_runner(store), "en"))
    return [(x["iri"], x["score"], [r["text"] for r in x["reasons"]]) for x in got.partners + got.similar]


def test_one_index_per_data_version(tmp_path: Path) -> None:
    first = _snapshot(tmp_path, "1")
    assert load_shared(first) is None
    built, how = shared_index(first)
    assert how == "built" and shared_path(first).exists()
    assert ("https://example.org/id/d", None, None, 10) in built.stored  # the busiest places' answers with it

    again, how = shared_index(first)  # another HTTP process
    assert how == "loaded" and _answer(again, first) == _answer(built, first)

    restart = tmp_path / "2"  # a restart on the same data: a checkpoint of the same table files
    shutil.copytree(first, restart)
    assert shared_path(restart) == shared_path(first)
    assert shared_index(restart)[1] == "loaded"

    insert = "INSERT DATA { GRAPH <https://example.org/graph/g1> { <https://example.org/id/ag> "
    insert += "<https://w3id.org/relgraph/ontology#party> <https://example.org/id/a> , <https://example.org/id/g> } }"
    changed = _snapshot(tmp_path, "3", insert)
    newer, how = shared_index(changed)
    assert how == "built" and shared_path(changed) != shared_path(first)
    assert not shared_path(first).exists()  # the earlier data version's file is gone
    assert "https://example.org/id/g" in newer.adjacency()[ID + "a"]
    assert _answer(newer, changed) != _answer(built, first)


def _evidence(index, iri: str, **options) -> list:
    return [
        (e.iri, round(e.score, 9), sorted(e.shared), sorted(e.via.items()), e.nearby, e.country_links)
        for e in rank(index, iri, **options)
    ]


def test_the_mapped_rows_answer_as_the_index_built_in_memory(tmp_path: Path) -> None:
    snapshot = _snapshot(tmp_path, "1")
    _, how = shared_index(snapshot, build=lambda: _world().warm())
    assert how == "built"
    mapped = load_shared(snapshot)  # another process: the rows mapped from the files beside the snapshots
    assert mapped is not None and type(mapped.relations).__name__ == "Relations"
    memory = _world()  # the same index, never written
    assert {p: set(q) for p, q in mapped.adjacency().items()} == {p: set(q) for p, q in memory.adjacency().items()}
    assert {p: dict(r) for p, r in mapped.relations.items()} == {p: dict(r) for p, r in memory.relations.items()}
    assert mapped.graphs == memory.graphs == {"urn:x-split"}
    assert mapped.adjacency(["urn:x-split"]) == memory.adjacency(["urn:x-split"])  # a selection of graphs
    for iri in sorted(memory.adjacency())[:40]:
        assert _evidence(mapped, iri) == _evidence(memory, iri)
        assert _evidence(mapped, iri, weights=NETWORK_ONLY, graphs=["urn:x-split"]) == _evidence(
            memory, iri, weights=NETWORK_ONLY, graphs=["urn:x-split"]
        )
        assert [(e.iri, e.score) for e in similar(mapped, iri)] == [(e.iri, e.score) for e in similar(memory, iri)]
    hub = sorted(memory.adjacency(), key=lambda p: -len(memory.adjacency()[p]))[0]
    row = mapped.adjacency()[hub]
    assert len(row) == len(memory.adjacency()[hub]) and all(q in row for q in memory.adjacency()[hub])
    assert f"{ID}nowhere" not in row and hub not in row


_MAPS = """
import sys
from pathlib import Path
from relgraph.partners.shared import shared_index
found, how = shared_index(Path(sys.argv[1]))
maps = Path("/proc/self/maps").read_text()
print(how, len(found.adjacency()), sum(".indices.npy" in line for line in maps.splitlines()) > 0)
"""


def test_a_second_process_maps_the_same_files(tmp_path: Path) -> None:
    import subprocess
    import sys

    snapshot = _snapshot(tmp_path, "1")
    built, _ = shared_index(snapshot, build=lambda: _world().warm())
    rows = [p.name for p in shared_path(snapshot).glob("rows.*.npy") if not p.name.startswith("rows.names.")]
    assert len(rows) == 3  # indptr, indices, graphsets: mapped, not copied
    mine = Path("/proc/self/maps").read_text()
    assert str(shared_path(snapshot) / "rows.indices.npy") in mine
    other = subprocess.run(  # this interpreter, a fixed script
        [sys.executable, "-c", _MAPS, str(snapshot)], capture_output=True, text=True, check=True, timeout=60
    )
    assert other.stdout.split() == ["loaded", str(len(built.adjacency())), "True"]
