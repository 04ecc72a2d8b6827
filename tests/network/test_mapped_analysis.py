"""The network's analysis as mapped tables (:mod:`relgraph.network.shared`): the same answers, written once.

A process that maps the folder must answer every figure the pages and APIs show
as the analysis built in memory does; the folder is written once per data
version, read instead of built, and a truncated or damaged one is refused and
built again (never a crash, never wrong figures).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relgraph.network import Analysis, NetworkSpec, RelationData, build_network, parse_spec, store_rows
from relgraph.network.export import csv_chunks
from relgraph.network.geo import network_map
from relgraph.network.shared import MappedAnalysis, load_shared, shared_analysis, shared_path


def _snapshot(tmp_path: Path, net_store) -> Path:  # type: ignore[no-untyped-def]
    """A directory that :func:`relgraph.labelindex.data_key` reads as a snapshot (its table files)."""
    snapshot = tmp_path / "snapshots" / "1"
    snapshot.mkdir(parents=True)
    (snapshot / "000001.sst").write_bytes(b"x" * 10)
    return snapshot


def _answers(found: Analysis) -> dict:
    net = found.network
    nodes = [found.node(v) for v in range(len(found.degrees))]
    return {
        "stats": found.stats(),
        "nodes": nodes,
        "top": {by: found.top(by, 7) for by in ("degree", "betweenness", "pagerank")},
        "communities": found.community_list(5, members=4),
        "members": [found.community_members(c) for c in range(1, 4)],
        "countries": found.country_totals(),
        "pairs": found.country_matrix(),
        "vertex_of": {net.iri(v): net.vertex_of(net.iri(v)) for v in range(len(found.degrees))},
        "missing": net.vertex_of("http://example.org/nowhere"),
        "csv": "".join(csv_chunks(found, "nodes")) + "".join(csv_chunks(found, "edges")),
        "map": network_map(found),
        "graphs": sorted(net.data.graphs.names),
    }


@pytest.fixture
def built(relation_data: RelationData) -> Analysis:
    return Analysis(build_network(relation_data, NetworkSpec()))


def test_the_mapped_analysis_answers_as_the_built_one(tmp_path: Path, relation_data: RelationData, net_store) -> None:  # type: ignore[no-untyped-def]
    snapshot = _snapshot(tmp_path, net_store)
    memory = Analysis(build_network(relation_data, NetworkSpec()))
    found, how = shared_analysis(
        snapshot, lambda: Analysis(build_network(relation_data, NetworkSpec())), labels=store_rows(net_store)
    )
    assert how == "built" and isinstance(found, MappedAnalysis)  # the builder maps the folder too
    assert _answers(found) == _answers(memory)
    # another spec from the mapped relations (the cache builds the others from the default's data)
    for spec in (parse_spec(kinds=["twinning"], level="country"), parse_spec(active_on="2015-01-01")):
        a, b = Analysis(build_network(found.network.data, spec)), Analysis(build_network(relation_data, spec))
        assert a.stats() == b.stats() and [a.node(v) for v in range(len(a.degrees))] == [
            b.node(v) for v in range(len(b.degrees))
        ]


def test_written_once_then_loaded_and_no_pickle(tmp_path: Path, relation_data: RelationData, net_store) -> None:  # type: ignore[no-untyped-def]
    snapshot = _snapshot(tmp_path, net_store)
    evil = f"cos\nsystem\n(S'touch {tmp_path}/pwned'\ntR.".encode()  # a pickle that runs a command when loaded
    (snapshot.parent / "network-0123.pickle").write_bytes(evil)  # where the old layout's file was
    builds = []

    def build() -> Analysis:
        builds.append(1)
        return Analysis(build_network(relation_data, NetworkSpec()))

    _, how = shared_analysis(snapshot, build)
    _, again = shared_analysis(snapshot, build)  # another HTTP process
    assert (how, again, len(builds)) == ("built", "loaded", 1)
    assert load_shared(snapshot) is not None
    beside = sorted(p.name for p in snapshot.parent.iterdir())
    assert beside == sorted(["1", "network.lock", shared_path(snapshot).name])  # the old pickle removed, never read
    assert not (tmp_path / "pwned").exists()
    assert not list(shared_path(snapshot).glob("*.pickle"))


@pytest.mark.parametrize("damage", ["truncate", "manifest", "format", "missing"])
def test_a_damaged_folder_is_refused_and_built_again(
    tmp_path: Path,
    relation_data: RelationData,
    net_store,
    damage: str,
    caplog: pytest.LogCaptureFixture,  # type: ignore[no-untyped-def]
) -> None:
    snapshot = _snapshot(tmp_path, net_store)
    reference = _answers(Analysis(build_network(relation_data, NetworkSpec())))
    shared_analysis(snapshot, lambda: Analysis(build_network(relation_data, NetworkSpec())))
    folder = shared_path(snapshot)
    assert folder is not None
    if damage == "truncate":
        degrees = folder / "degrees.npy"
        degrees.write_bytes(degrees.read_bytes()[:-8])
    elif damage == "manifest":
        (folder / "manifest.json").write_text("{not json")
    elif damage == "format":
        manifest = json.loads((folder / "manifest.json").read_text())
        (folder / "manifest.json").write_text(json.dumps({**manifest, "format": "m0"}))
    else:
        (folder / "summary.json").unlink()
    assert load_shared(snapshot) is None  # refused, with a line in the log saying what and where
    assert str(folder) in caplog.text
    found, how = shared_analysis(
        snapshot, lambda: Analysis(build_network(relation_data, NetworkSpec())), labels=store_rows(net_store)
    )
    assert how == "built" and _answers(found) == reference
    assert load_shared(snapshot) is not None


def test_a_folder_being_written_is_not_read(tmp_path: Path, relation_data: RelationData, net_store) -> None:  # type: ignore[no-untyped-def]
    snapshot = _snapshot(tmp_path, net_store)
    shared_analysis(snapshot, lambda: Analysis(build_network(relation_data, NetworkSpec())))
    folder = shared_path(snapshot)
    assert folder is not None
    (folder / "manifest.json").unlink()  # written last: without it the folder is not complete
    assert load_shared(snapshot) is None
    _, how = shared_analysis(snapshot, lambda: Analysis(build_network(relation_data, NetworkSpec())))
    assert how == "built" and load_shared(snapshot) is not None
