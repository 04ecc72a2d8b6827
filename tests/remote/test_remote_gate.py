"""The scoped SHACL gate over a real ``oxigraph serve``: it reads the store with SPARQL, and
reaches the verdicts of the whole-store check (same fixtures as tests/validate/test_scoped.py)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from oxigraph_proc import OxigraphServer
from remote_proc import xfail_on_virtuoso

from relgraph.store import RemoteStore
from relgraph.validate import ValidationError, ValidationReport, gate, gate_update

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FIXTURES = Path(__file__).parents[1] / "validate" / "data"
SHAPES = Path(__file__).parents[1] / "data" / "shapes"


def run(check: object) -> ValidationReport:
    try:
        return check()  # type: ignore[operator]
    except ValidationError as err:
        return err.report


def keys(report: ValidationReport) -> set[tuple[object, ...]]:
    return {(f.focus, f.path, f.value, f.message, f.severity) for f in report.violations}


@pytest.fixture(scope="module")
def remote(oxigraph: OxigraphServer) -> RemoteStore:
    store = RemoteStore(oxigraph.url)
    store.load_bundled()
    return store


_SCOPED = "the scoped gate's SPARQL reads miss violations the whole-store check finds (serve uses the whole check)"


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("remove-city-type.ru", marks=xfail_on_virtuoso(_SCOPED)),
        pytest.param("remove-source-graph-type.ru", marks=xfail_on_virtuoso(_SCOPED)),
        "insert-party-stored.ru",
        pytest.param("drop-seed-graph.ru", marks=xfail_on_virtuoso(_SCOPED)),
    ],
)
def test_update_gate_over_a_remote_store(remote: RemoteStore, name: str) -> None:
    update = (FIXTURES / name).read_text(encoding="utf-8")
    size = len(remote)
    scoped = run(lambda: gate_update(remote, update))
    whole = run(lambda: gate_update(remote, update, scoped=False))
    assert scoped.fallback is None and scoped.scope is not None
    assert scoped.conforms is whole.conforms
    assert keys(scoped) == keys(whole)
    assert len(remote) == size


@pytest.mark.parametrize(
    "path",
    [FIXTURES / "described-elsewhere-untyped.trig", FIXTURES / "party-is-a-stored-person.trig", SHAPES / "valid.trig"],
    ids=lambda p: p.stem,
)
def test_load_gate_over_a_remote_store(remote: RemoteStore, path: Path) -> None:
    by_graph: dict[object, list[object]] = defaultdict(list)
    for q in remote.read_file(path):
        by_graph[q.graph_name].append(q)
    scoped = run(lambda: gate(remote, by_graph))
    whole = run(lambda: gate(remote, by_graph, scoped=False))
    assert scoped.fallback is None and scoped.scope is not None
    assert scoped.conforms is whole.conforms
    assert keys(scoped) == keys(whole)
