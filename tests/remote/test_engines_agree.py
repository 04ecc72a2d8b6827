"""Results that agree: the bundled data on every engine gives the same answers and the same export.

Where Virtuoso differs, the case is an xfail(strict=True) with the reason (docs/deployment.md lists them):
when it starts to agree, the test fails and the mark must go.

The curated data is loaded (with reasoning, as ``relgraph load`` does) into the
embedded store, a real ``oxigraph serve`` and a real Virtuoso; every
ready-made question of ``queries/`` is asked with its example parameters on
each, and the rows compared ordering aside; the graphs are exported and
compared (blank node labels aside).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from oxigraph_proc import OxigraphServer
from virtuoso_proc import VirtuosoServer, virtuoso_binary

from relgraph.errors import QueryTimeout
from relgraph.queries import Result, bind, load_queries, run, values_query
from relgraph.reason import materialise
from relgraph.store import RemoteStore, Store

QUERIES = load_queries()
ENGINES = ("embedded", "oxigraph", "virtuoso")
#: Seconds relgraph waits for Virtuoso on a question of VIRTUOSO_DIFFERS (it never answers them).
HANG_LIMIT = 3.0


def _remote(url: str, engine: str, *, timeout: float = 20) -> RemoteStore:
    """A store of ``engine`` with its own settings only (whatever the test backend's are)."""
    names = ("RELGRAPH_ENGINE", "RELGRAPH_REMOTE_USER", "RELGRAPH_REMOTE_PASSWORD", "RELGRAPH_REMOTE_TOKEN")
    saved = {k: os.environ.pop(k, None) for k in names}
    try:
        if engine == "virtuoso":
            os.environ.update(VirtuosoServer.settings())
        return RemoteStore(url, engine=engine, timeout=timeout)
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None)
            if value is not None:
                os.environ[key] = value


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if virtuoso_binary() is None:
        pytest.fail("virtuoso-t is needed for the engine agreement test (apt install virtuoso-opensource)")
    root: Path = tmp_path_factory.mktemp("engines")
    oxigraph = OxigraphServer(root / "oxigraph", root / "oxigraph.log", timeout_s=None).start()
    virtuoso = VirtuosoServer(root / "virtuoso", timeout_s=None).start()
    try:
        stores = {
            "embedded": Store(root / "embedded"),
            "oxigraph": _remote(oxigraph.url, "oxigraph"),
            "virtuoso": _remote(virtuoso.url, "virtuoso"),
        }
        # The questions Virtuoso never answers (VIRTUOSO_DIFFERS) are asked with a short limit: the other
        # engines answer them in milliseconds; waiting the 20 s of the others proved nothing more (CI's 20 minutes).
        hang = _remote(virtuoso.url, "virtuoso", timeout=HANG_LIMIT)
        for store in stores.values():
            store.load_bundled()
            materialise(store)
        yield {**stores, "virtuoso-hangs": hang}
    finally:
        oxigraph.stop()
        virtuoso.stop()


#: ``(GROUP_CONCAT(… ; SEPARATOR="x") AS ?var)``: the standard leaves the order of the parts open.
_GROUP_CONCAT = re.compile(
    r'GROUP_CONCAT\((?:[^()]|\([^()]*\))*?;\s*separator\s*=\s*"([^"]*)"\s*\)\s+AS\s+\?(\w+)', re.I
)


def _rows(store: Any, name: str) -> list[str]:
    """The rows, ordering aside (of the rows and of the parts of a GROUP_CONCAT); a remote engine gets the query
    with its VALUES block, as an endpoint does."""
    query = QUERIES[name]
    params = query.example_params()
    if isinstance(store, Store):
        result = run(store, query, params)
    else:
        solutions = store.query(values_query(query, bind(query, params)))
        result = Result.from_sparql_json(solutions.serialize(format=ox.QueryResultsFormat.JSON), query.variables)
    concatenated = {var: sep for sep, var in _GROUP_CONCAT.findall(query.sparql)}
    rows = []
    for row in result.rows():
        for var, sep in concatenated.items():
            if isinstance(row.get(var), str):
                row[var] = sep.join(sorted(row[var].split(sep)))
        rows.append(json.dumps(row, sort_keys=True))
    return sorted(rows)


def test_group_concat_parts_are_compared_as_sets() -> None:
    found = {name: dict((v, s) for s, v in _GROUP_CONCAT.findall(q.sparql)) for name, q in QUERIES.items()}
    assert found["planned-projects"] == {"fields": " "}
    assert found["relations-by-sources"] == {"graphs": " ", "sourceTitles": " | "}


#: Ready-made questions whose rows differ on Virtuoso 7.2.5, and why (docs/deployment.md repeats this).
#: The others were rewritten around its faults, in standard SPARQL 1.1 (each rewrite says so in the query).
VIRTUOSO_DIFFERS: dict[str, str] = {
    "label-search": (
        "never answers the question (a value built by a chain of BIND(REPLACE(…)) compared again after the FILTER "
        f"hangs a server thread at no CPU, past its own MaxQueryExecutionTime; the test waits {HANG_LIMIT:g} s)"
    ),
}


def _cases() -> list[Any]:
    cases = [pytest.param("oxigraph", name, id=f"oxigraph-{name}") for name in sorted(QUERIES)]
    for name in sorted(QUERIES):
        marks = []
        if name in VIRTUOSO_DIFFERS:
            # raises: relgraph's time limit is the one expected failure (another error, or wrong rows, fail the test)
            reason = f"Virtuoso: {VIRTUOSO_DIFFERS[name]}"
            marks.append(pytest.mark.xfail(reason=reason, strict=True, raises=QueryTimeout))
        cases.append(pytest.param("virtuoso", name, id=f"virtuoso-{name}", marks=marks))
    return cases


@pytest.mark.parametrize(("engine", "name"), _cases())
def test_every_ready_made_question_gives_the_same_rows(stores: dict[str, Any], engine: str, name: str) -> None:
    store = stores["virtuoso-hangs"] if engine == "virtuoso" and name in VIRTUOSO_DIFFERS else stores[engine]
    assert _rows(store, name) == _rows(stores["embedded"], name)


def _canonical(store: Any) -> list[str]:
    out = io.BytesIO()
    store.export(out, format="nquads")
    return sorted(re.sub(r"_:[A-Za-z0-9]+", "_:b", line) for line in out.getvalue().decode().splitlines())


@pytest.mark.parametrize("engine", ["oxigraph", "virtuoso"])
def test_the_seed_facts_export_identically(stores: dict[str, Any], engine: str) -> None:
    embedded = _canonical(stores["embedded"])
    assert len(embedded) > 3000
    assert _canonical(stores[engine]) == embedded
    assert stores[engine].graphs() == stores["embedded"].graphs()
    assert stores[engine].stats() == stores["embedded"].stats()


# --- a new user's first steps on Virtuoso ------------------------------------------------------


def _relgraph(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("RELGRAPH_") or k == "RELGRAPH_WORLD_DATA"}
    return subprocess.run(
        [sys.executable, "-m", "relgraph.cli", *args],
        capture_output=True,
        text=True,
        env={**environ, **env},
        timeout=120,
        check=False,
    )


def test_virtuoso_with_and_without_its_profile(stores: dict[str, Any]) -> None:
    url = stores["virtuoso"].url
    # Oxigraph's layout (the default profile): Virtuoso's 404 page, summarised in one line
    run = _relgraph("stats", "--store", url, env={})
    assert run.returncode == 2, run.stdout + run.stderr
    assert run.stderr.count("\n") == 1 and "<" not in run.stderr, run.stderr
    assert "HTTP 404: The requested URL was not found URI = '/query'" in run.stderr, run.stderr
    # the profile, with the dba account over Digest
    run = _relgraph("stats", "--store", url, "--engine", "virtuoso", env=VirtuosoServer.settings())
    assert run.returncode == 0, run.stderr
    assert "instances per class" in run.stdout and "virtrdf" not in run.stdout
    wrong = {**VirtuosoServer.settings(), "RELGRAPH_REMOTE_PASSWORD": "not-the-Pa55word"}
    run = _relgraph("stats", "--store", url, env=wrong)
    assert run.returncode == 2 and "refused the credentials (HTTP 401)" in run.stderr, run.stderr
    assert "not-the-Pa55word" not in run.stdout + run.stderr
