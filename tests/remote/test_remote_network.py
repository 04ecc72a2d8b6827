"""The network over a remote store: the CLI (``--store URL``) and the engine path, paging past the row cap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from oxigraph_proc import OxigraphServer

from relgraph.cli import main
from relgraph.engine import RemoteEngine
from relgraph.network import Analysis, build_network, engine_rows, fetch, parse_spec

FIXTURE = Path(__file__).resolve().parents[1] / "network" / "data" / "network.trig"


@pytest.fixture(scope="module")
def loaded(oxigraph: OxigraphServer) -> str:
    assert main(["load", str(FIXTURE), "--store", oxigraph.url, "--no-validate", "--no-reason"]) == 0
    return oxigraph.url


def test_cli_stats_over_a_remote_store(loaded: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["network", "stats", "--store", loaded, "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["relations"], stats["nodes"], stats["edges"]) == (9, 9, 11)


def test_engine_rows_page_past_the_row_cap(loaded: str) -> None:
    engine = RemoteEngine(loaded, max_rows=4, timeout=20).start()  # every query needs several pages
    try:
        data = fetch(engine_rows(engine))
    finally:
        engine.close()
    net = Analysis(build_network(data, parse_spec()))
    assert (net.network.relations, net.g.vcount(), net.g.ecount()) == (9, 9, 11)
    assert len(data.coords) == 1 and len(set(data.country.values())) == 3
    assert data.label(data.nodes.ids["https://w3id.org/relgraph/id/city/p1"], "de") == "P Eins"


def test_a_remote_store_gets_the_plain_queries(loaded: str, tmp_path: Path) -> None:
    """The grouped read is an Oxigraph fast path for a store on disk; any other engine gets plain SPARQL 1.1."""
    from relgraph.network import store_rows
    from relgraph.store import RemoteStore, Store

    assert not store_rows(RemoteStore(loaded)).grouped  # type: ignore[attr-defined]
    embedded = Store(tmp_path / "store")
    try:
        assert store_rows(embedded).grouped  # type: ignore[attr-defined]
    finally:
        embedded.close()
