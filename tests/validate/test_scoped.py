"""The gate validates only what a change touches: same verdicts and findings as the whole-store check.

Every case runs both ways on a real on-disk store holding the bundled data:
the scoped gate (what ``load``, the importers and ``/update`` use) and the
whole-store check (``scoped=False``, what the gate did before). The scoped
report must (1) reach the same verdict, (2) name only findings the whole-store
report names too, and (3) name every finding the change brought (those the
whole-store report has after the change but not before).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from relgraph.resources import data_files, ontology_files
from relgraph.store import Store
from relgraph.validate import ValidationError, ValidationReport, gate, gate_update, validate_store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SHAPES = Path(__file__).resolve().parents[1] / "data" / "shapes"
DATA = Path(__file__).resolve().parent / "data"
BUNDLED = [*ontology_files(), *data_files()]

Key = tuple[str, str | None, str | None, str, str, str | None, int | None]


def key(f: object) -> Key:
    return (f.focus, f.path, f.value, f.message, f.severity, f.file, f.line)  # type: ignore[attr-defined]


def run(check: Callable[[], ValidationReport]) -> ValidationReport:
    try:
        return check()
    except ValidationError as err:
        return err.report


def by_graph(store: Store, paths: list[Path]) -> tuple[dict[object, list[object]], list[tuple[str, list[object]]]]:
    out: dict[object, list[object]] = defaultdict(list)
    per_file = []
    for path in paths:
        quads = store.read_file(path)
        per_file.append((str(path), quads))
        for q in quads:
            out[q.graph_name].append(q)
    return out, per_file


def expectation(path: Path) -> tuple[str, str | None]:
    """The ``# expect: violation IRI`` / ``conforms`` / ``any`` line of a fixture."""
    match = re.search(r"^# expect: (\w+)(?: (\S+))?", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path} has no '# expect:' line"
    return match.group(1), match.group(2)


def assert_same(scoped: ValidationReport, whole: ValidationReport, before: ValidationReport) -> None:
    mine, theirs = {key(f) for f in scoped.findings}, {key(f) for f in whole.findings}
    old = {key(f) for f in before.findings}
    assert scoped.conforms is whole.conforms, (scoped.violations, whole.violations)
    assert {key(f) for f in scoped.violations} == {key(f) for f in whole.violations}
    assert mine <= theirs, f"the scoped gate reports what the whole store does not: {mine - theirs}"
    assert theirs - old <= mine, f"the scoped gate misses findings the change brought: {(theirs - old) - mine}"
    assert scoped.scope is not None and scoped.fallback is None, scoped.fallback


def check_expectation(path: Path, report: ValidationReport) -> None:
    verdict, focus = expectation(path)
    if verdict == "conforms":
        assert report.conforms, [(f.focus, f.path, f.message) for f in report.violations]
    elif verdict == "violation":
        assert focus in {f.focus for f in report.violations}, [(f.focus, f.message) for f in report.violations]


def _bundled_store(root: Path) -> Store:
    store = Store(root)
    store.load(BUNDLED)  # no gate: the base of every case (its own test checks it)
    return store


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, ValidationReport]]:
    store = _bundled_store(tmp_path_factory.mktemp("scoped") / "store")
    before = validate_store(store)
    assert before.conforms, [(f.focus, f.message) for f in before.violations]
    yield store, before
    store.close()


def test_bundled_data_into_an_empty_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    graphs, per_file = by_graph(store, BUNDLED)
    scoped = run(lambda: gate(store, graphs, per_file=per_file))
    whole = run(lambda: gate(store, graphs, per_file=per_file, scoped=False))
    assert_same(scoped, whole, ValidationReport())
    assert {key(f) for f in scoped.findings} == {key(f) for f in whole.findings}  # everything is new here
    assert scoped.conforms and len(store) == 0


def test_bundled_data_loaded_again_touches_nothing(bundled: tuple[Store, ValidationReport]) -> None:
    """Replacing every graph by itself (blank nodes renamed by the parser) is no change at all."""
    store, _ = bundled
    graphs, per_file = by_graph(store, BUNDLED)
    report = gate(store, graphs, per_file=per_file)
    assert report.scope == 0 and report.findings == []


FIXTURES = sorted(SHAPES.glob("*.trig")) + sorted(p for p in DATA.glob("*.trig") if "# after:" not in p.read_text())


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_load_scoped_equals_whole(bundled: tuple[Store, ValidationReport], path: Path) -> None:
    store, before = bundled
    size = len(store)
    graphs, per_file = by_graph(store, [path])
    scoped = run(lambda: gate(store, graphs, per_file=per_file))
    whole = run(lambda: gate(store, graphs, per_file=per_file, scoped=False))
    assert_same(scoped, whole, before)
    if path.parent == DATA:
        check_expectation(path, scoped)
    else:  # the shape fixtures: each but valid.trig fails one shape (test_validate.py says which)
        assert bool(scoped.findings) is (path.stem != "valid")
    assert len(store) == size


def test_removal_by_replacing_a_graph(tmp_path: Path) -> None:
    store = _bundled_store(tmp_path / "store")
    path = DATA / "replace-description-graph.trig"
    first = re.search(r"^# after: (\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert first
    store.load([DATA / first.group(1)], validate=True)
    before = validate_store(store)
    graphs, per_file = by_graph(store, [path])
    scoped = run(lambda: gate(store, graphs, per_file=per_file))
    whole = run(lambda: gate(store, graphs, per_file=per_file, scoped=False))
    assert_same(scoped, whole, before)
    check_expectation(path, scoped)


UPDATES = sorted(DATA.glob("*.ru"))


@pytest.mark.parametrize("path", UPDATES, ids=[p.stem for p in UPDATES])
def test_update_scoped_equals_whole(bundled: tuple[Store, ValidationReport], path: Path) -> None:
    store, before = bundled
    size = len(store)
    update = path.read_text(encoding="utf-8")
    scoped = run(lambda: gate_update(store, update))
    whole = run(lambda: gate_update(store, update, scoped=False))
    assert_same(scoped, whole, before)
    check_expectation(path, scoped)
    assert len(store) == size


def test_update_delta_of_data_updates(bundled: tuple[Store, ValidationReport]) -> None:
    """INSERT/DELETE DATA: the change is exactly the quads that are new or were there."""
    from relgraph.validate import update_delta

    store, _ = bundled
    seed = "<https://w3id.org/relgraph/graph/hamburg-de-2024-02-28-quebec>"
    hamburg = "<https://w3id.org/relgraph/id/city/hamburg>"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    update = (
        f'INSERT DATA {{ GRAPH {seed} {{ {hamburg} {label} "Hamburg"@de , "Amburgo"@it }} }} ; '
        f'DELETE DATA {{ GRAPH {seed} {{ {hamburg} {label} "Hambourg"@fr , "Hamborg"@da }} }}'
    )
    delta = update_delta(store, update)
    assert delta is not None
    added, removed = delta
    assert {str(q.object) for q in added} == {'"Amburgo"@it'}  # "Hamburg"@de is there already
    assert {str(q.object) for q in removed} == {'"Hambourg"@fr'}  # "Hamborg"@da never was
    assert update_delta(store, f"DELETE WHERE {{ GRAPH ?g {{ {hamburg} {label} ?l }} }}") is None
    # keywords inside strings and IRIs do not count
    tricky = f'INSERT DATA {{ GRAPH {seed} {{ {hamburg} {label} "WHERE {{ DELETE"@en }} }}'
    assert update_delta(store, tricky) is not None
