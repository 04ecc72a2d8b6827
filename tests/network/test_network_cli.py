"""``relgraph network …`` in-process on a store loaded by ``relgraph load`` (one-line errors, files written whole)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from network_support import DATA, GRAPH, ID

from relgraph.cli import main


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("network-cli") / "store")
    assert main(["load", str(DATA / "network.trig"), "--store", path, "--no-reason", "--no-validate"]) == 0
    return path


def test_stats_json_per_graph(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["network", "stats", "--store", store, "--graph", GRAPH + "test-net-b", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["nodes"], stats["edges"], stats["relations"]) == (6, 5, 3)
    assert main(["network", "stats", "--store", store, "--level", "country"]) == 0
    table = capsys.readouterr().out
    assert "nodes " in table and "| 3" in table


def test_top_and_communities(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["network", "top", "--store", store, "--limit", "2", "--format", "csv", "--lang", "de"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert len(rows) == 2 and rows[0]["rank"] == "1" and int(rows[0]["degree"]) == 3
    assert main(["network", "communities", "--store", store, "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert sum(c["size"] for c in found) == 9


def test_exports(store: str, tmp_path: Path) -> None:
    target = tmp_path / "net.graphml"
    assert main(["network", "export", "--store", store, "--format", "graphml", "-o", str(target)]) == 0
    assert nx.read_graphml(target).number_of_edges() == 11 and not Path(str(target) + ".part").exists()
    assert main(["network", "export", "--store", store, "--format", "csv", "-o", str(tmp_path / "csv")]) == 0
    nodes = list(csv.DictReader((tmp_path / "csv" / "nodes.csv").open(encoding="utf-8")))
    assert {r["id"] for r in nodes} >= {ID + "city/p1", ID + "city/p9"}
    assert (tmp_path / "csv" / "edges.csv").read_text(encoding="utf-8").count("\n") == 12


def test_errors_are_one_line(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["network", "stats", "--store", store, "--graph", "https://example.org/none"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--graph https://example.org/none: no relations are asserted" in err
    assert main(["network", "export", "--store", store, "--format", "csv"]) == 2
    assert "give a folder with -o DIR" in capsys.readouterr().err
