"""``relgraph queries`` and ``relgraph query NAME --param …`` as subprocesses (seed data, or the API server)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from queries_support import ID, seed_files

from relgraph.store import Store

HAMBURG = ID + "city/hamburg"
QUEBEC = ID + "region/quebec"


def relgraph(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RELGRAPH_") or k == "RELGRAPH_WORLD_DATA"}
    return subprocess.run(
        [sys.executable, "-m", "relgraph.cli", *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    store = Store(path)
    store.load(seed_files())
    store.close()
    return path


def test_queries_lists_names_summaries_parameters(queries) -> None:
    done = relgraph("queries")
    assert done.returncode == 0, done.stderr
    for name, q in queries.items():
        assert f"{name}: {q.summary}" in done.stdout
    assert "--param entity=… (iri, required)" in done.stdout
    assert "--param from=… (date, optional)" in done.stdout


def test_query_by_name_as_table_csv_json(store_dir: Path) -> None:
    table = relgraph("query", "partners-of", "--store", str(store_dir), "--param", f"entity={HAMBURG}")
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].startswith("partner ") and "(2 rows)" in table.stdout
    as_csv = relgraph(
        "query", "partners-of", "--store", str(store_dir), "--param", f"entity={HAMBURG}", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert {r["partner"] for r in rows} == {QUEBEC}
    as_json = relgraph(
        "query", "timeline", "--store", str(store_dir), "--param", f"entity={HAMBURG}", "--format", "json"
    )
    data = json.loads(as_json.stdout)
    assert [(r["date"], r["date@type"]) for r in data] == [("2023-06", "xsd:gYearMonth"), ("2024-02-20", "xsd:date")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--param", "entity=not an iri"], "parameter 'entity'"),
        ([], "parameter 'entity': is required"),
        (["--param", f"entity={HAMBURG}", "--param", "colour=red"], "unknown parameter"),
        (["--param", "entity"], "NAME=VALUE"),
        (["--param", f"entity={HAMBURG}", "--format", "xml"], "table, csv or json"),
    ],
)
def test_query_by_name_errors(store_dir: Path, args: list[str], message: str) -> None:
    done = relgraph("query", "partners-of", "--store", str(store_dir), *args)
    assert done.returncode == 2 and message in done.stderr


def test_param_needs_a_named_query(store_dir: Path) -> None:
    done = relgraph("query", "ASK {}", "--store", str(store_dir), "--param", "a=b")
    assert done.returncode == 2 and "--param works only" in done.stderr


def test_query_by_name_on_an_endpoint(api_server) -> None:
    done = relgraph(
        "query",
        "partners-of",
        "--endpoint",
        f"{api_server.url}/sparql",
        "--param",
        f"entity={QUEBEC}",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert any(r["partner"] == HAMBURG and r.get("date") == "2024-02-20" for r in rows)
    hostile = relgraph(
        "query",
        "label-search",
        "--endpoint",
        f"{api_server.url}/sparql",
        "--param",
        'text=x" } ; DROP ALL #',
        "--format",
        "json",
    )
    assert hostile.returncode == 0, hostile.stderr
    assert json.loads(hostile.stdout) == []


def test_raw_query_on_an_endpoint(api_server) -> None:
    done = relgraph("query", "ASK { ?s ?p ?o }", "--endpoint", f"{api_server.url}/sparql")
    assert done.returncode == 0 and done.stdout.strip() == "true"
    table = relgraph("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }", "--endpoint", f"{api_server.url}/sparql")
    assert table.returncode == 0 and "(1 row)" in table.stdout
    bad = relgraph("query", "SELEKT", "--endpoint", f"{api_server.url}/sparql")
    assert bad.returncode == 2 and "answered 400" in bad.stderr
    assert relgraph("query", "ASK {}", "--endpoint", "file:///etc/passwd").returncode == 2
