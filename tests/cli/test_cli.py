"""The relgraph command, run as a real subprocess against a temporary on-disk store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph.resources import data_files, ontology_files

BASE = "https://w3id.org/relgraph/"


def relgraph(
    *args: str | Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess:
    """Run the installed console script's entry point in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "relgraph.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=stdin,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("cli") / "store"
    result = relgraph("load", "--store", store)
    assert result.returncode == 0, result.stderr
    return store


def test_load_without_files_loads_the_bundled_ontology_and_data(loaded: Path) -> None:
    result = relgraph("stats", "--store", loaded)
    assert result.returncode == 0, result.stderr
    for path in [*ontology_files(), *data_files()]:
        if path.suffix == ".ttl":
            assert f"{BASE}graph/{path.stem}" in result.stdout
    assert "instances per class" in result.stdout
    assert "rg:Agreement" in result.stdout


def test_load_reports_graphs_and_triples(tmp_path: Path, data_dir: Path) -> None:
    result = relgraph(
        "load",
        "--no-validate",
        "--no-reason",
        "--store",
        tmp_path / "s",
        data_dir / "good.ttl",
        data_dir / "two-graphs.trig",
    )
    assert result.returncode == 0, result.stderr
    assert f"14  {BASE}graph/good" in result.stdout
    assert "loaded 17 triples into 4 graph(s) from 2 file(s)" in result.stdout


def test_export_nquads_holds_every_graph_of_the_store(loaded: Path, tmp_path: Path) -> None:
    result = relgraph("export", "--store", loaded, "--format", "nquads")
    assert result.returncode == 0, result.stderr
    quads = list(ox.parse(input=result.stdout.encode(), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads}
    stats = relgraph("stats", "--store", loaded).stdout
    assert graphs and all(g in stats for g in graphs)
    out = tmp_path / "dump.trig"
    result = relgraph("export", "--store", loaded, "--format", "trig", "-o", out)
    assert result.returncode == 0, result.stderr
    assert len(list(ox.parse(path=str(out), format=ox.RdfFormat.TRIG))) == len(quads)


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_query_formats(loaded: Path, fmt: str) -> None:
    q = "SELECT ?c WHERE { ?c a <https://w3id.org/relgraph/ontology#City> } ORDER BY ?c LIMIT 1"
    result = relgraph("query", "--store", loaded, q, "--format", fmt)
    assert result.returncode == 0, result.stderr
    if fmt == "json":
        assert json.loads(result.stdout)["results"]["bindings"][0]["c"]["type"] == "uri"
    elif fmt == "csv":
        assert result.stdout.splitlines()[0] == "c"
    else:
        assert "(1 row)" in result.stdout


def test_query_from_a_file_and_from_stdin(loaded: Path, tmp_path: Path) -> None:
    rq = tmp_path / "ask.rq"
    rq.write_text("ASK { ?s ?p ?o }")
    assert relgraph("query", "--store", loaded, rq).stdout.strip() == "true"
    assert relgraph("query", "--store", loaded, "-", stdin="ASK { <urn:x> ?p ?o }").stdout.strip() == "false"


def test_default_graph_is_the_union(loaded: Path) -> None:
    q = "ASK { ?s a <https://w3id.org/relgraph/ontology#City> }"
    assert relgraph("query", "--store", loaded, q).stdout.strip() == "true"
    assert relgraph("query", "--store", loaded, q, "--no-union").stdout.strip() == "false"


def test_a_broken_file_is_one_clear_line_and_a_nonzero_exit(tmp_path: Path, data_dir: Path) -> None:
    store = tmp_path / "s"
    assert relgraph("load", "--no-validate", "--no-reason", "--store", store, data_dir / "good.ttl").returncode == 0
    result = relgraph("load", "--store", store, data_dir / "broken.ttl")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "broken.ttl:8:" in lines[0]
    assert "Traceback" not in result.stderr
    count = relgraph("query", "--store", store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "--format", "csv")
    assert count.stdout.splitlines()[1] == "14"


def test_debug_shows_the_traceback(tmp_path: Path, data_dir: Path) -> None:
    result = relgraph("--debug", "load", "--store", tmp_path / "s", data_dir / "broken.ttl")
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_query_syntax_error_names_line_and_column(loaded: Path) -> None:
    result = relgraph("query", "--store", loaded, "SELECT * WHERE {\n ?s ?p }")
    assert result.returncode == 2
    assert "2:" in result.stderr and "Traceback" not in result.stderr


def test_store_defaults_to_the_documented_location(tmp_path: Path, data_dir: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    assert relgraph("load", "--no-validate", "--no-reason", data_dir / "good.nt", env=env).returncode == 0
    assert (tmp_path / "xdg" / "relgraph" / "store").is_dir()
    env = {"RELGRAPH_STORE": str(tmp_path / "envstore")}
    assert relgraph("load", "--no-validate", "--no-reason", data_dir / "good.nt", env=env).returncode == 0
    assert (tmp_path / "envstore").is_dir()


def test_a_store_held_by_another_process_is_a_clear_error(tmp_path: Path, data_dir: Path) -> None:
    from relgraph.store import Store

    held = Store(tmp_path / "held")
    result = relgraph("load", "--store", tmp_path / "held", data_dir / "good.nt")
    assert result.returncode == 2
    assert "cannot open store" in result.stderr and "Traceback" not in result.stderr
    held.close()


def test_the_shapes_gate_stops_an_agreement_with_one_party(loaded: Path, tmp_path: Path, data_dir: Path) -> None:
    store = tmp_path / "copy"
    dump = tmp_path / "dump.nq"
    dump.write_text(relgraph("export", "--store", loaded, "--format", "nquads").stdout)
    assert relgraph("load", "--no-validate", "--no-reason", "--store", store, dump).returncode == 0
    before = relgraph("export", "--store", store, "--format", "nquads").stdout
    result = relgraph("load", "--store", store, data_dir / "shapes" / "agreement-one-party.trig")
    assert result.returncode == 1
    assert "agreement-one-party.trig" in result.stderr and "party" in result.stderr
    assert relgraph("export", "--store", store, "--format", "nquads").stdout == before


def test_a_load_publishes_a_snapshot_for_a_served_store(tmp_path: Path, data_dir: Path) -> None:
    from relgraph.engine import current_snapshot, publish_snapshot

    store = tmp_path / "served"
    assert relgraph("load", "--no-validate", "--no-reason", "--store", store, data_dir / "good.nt").returncode == 0
    publish_snapshot(store)  # what `relgraph serve` does at start
    first = current_snapshot(store)
    result = relgraph("load", "--no-validate", "--no-reason", "--store", store, data_dir / "good.ttl")
    assert result.returncode == 0, result.stderr
    assert "published snapshot" in result.stdout
    assert current_snapshot(store) == first + 1


def test_import_and_remove_source_publish_a_snapshot_for_a_served_store(tmp_path: Path) -> None:
    from relgraph.engine import current_snapshot, publish_snapshot

    root = Path(__file__).resolve().parents[2]
    store = tmp_path / "served"
    assert relgraph("load", "--no-reason", "--store", store).returncode == 0
    publish_snapshot(store)  # what `relgraph serve` does at start
    first = current_snapshot(store)
    for args in (
        ("import", root / "tests" / "data" / "authoring" / "new-entities.yaml"),
        ("import-wikidata", "--relations", root / "tests" / "data" / "wikidata" / "relations.tsv"),
        ("remove-source", BASE + "graph/wikidata-p190-2016"),
    ):
        result = relgraph(args[0], "--no-reason", "--store", store, *args[1:])
        assert result.returncode == 0, result.stderr
        assert "published snapshot" in result.stdout
    assert current_snapshot(store) == first + 3


def test_bulk_load_warns_that_the_gate_is_off_and_reports_like_load(tmp_path: Path, data_dir: Path) -> None:
    store = tmp_path / "s"
    args = ("load", "--bulk", "--no-reason", "--store", store, data_dir / "good.ttl", data_dir / "two-graphs.trig")
    result = relgraph(*args)
    assert result.returncode == 0, result.stderr
    assert "WARNING: --bulk implies --no-validate" in result.stderr
    assert "loaded 17 triples into 4 graph(s) from 2 file(s)" in result.stdout
    again = relgraph(*args)  # idempotent: the graphs are replaced, not merged
    assert "holds 17 quads" in again.stdout, again.stderr


def test_bulk_load_refuses_a_remote_store_and_no_files(data_dir: Path) -> None:
    remote = relgraph("load", "--bulk", "--store", "http://127.0.0.1:9/", data_dir / "good.ttl")
    assert remote.returncode != 0 and "embedded store" in remote.stderr
    assert "Traceback" not in remote.stderr
    nofiles = relgraph("load", "--bulk", "--store", "http://127.0.0.1:9/")
    assert nofiles.returncode != 0 and "--bulk needs FILES" in nofiles.stderr


def test_an_ill_typed_date_is_the_clear_report_only(tmp_path: Path, data_dir: Path) -> None:
    result = relgraph("load", "--no-reason", "--store", tmp_path / "s", data_dir / "ill-typed-date.ttl")
    assert result.returncode == 1
    assert "(value: 2023-02-31)" in result.stderr and "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr and "Failed to convert" not in result.stderr, result.stderr


def test_the_size_on_disk_survives_files_that_vanish_while_counted(tmp_path: Path) -> None:
    """RocksDB deletes compacted ``.sst`` files while a load counts the store's bytes (a red CI run, ENOENT)."""
    import threading

    from relgraph.cli import _disk_size

    (tmp_path / "OPTIONS").write_bytes(b"y" * 20)
    stop = threading.Event()

    def compact() -> None:  # what RocksDB does in the background: write a file, delete an older one
        n = 0
        while not stop.is_set():
            (tmp_path / f"{n:06}.sst").write_bytes(b"x" * 100)
            (tmp_path / f"{n - 3:06}.sst").unlink(missing_ok=True)
            n += 1

    worker = threading.Thread(target=compact)
    worker.start()
    try:
        sizes = [_disk_size(tmp_path) for _ in range(300)]
    finally:
        stop.set()
        worker.join()
    assert all(20 <= size <= 20 + 5 * 100 for size in sizes)
