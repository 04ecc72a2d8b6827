"""The twin-town importer and the place reconciliation on small fixture files (tests/world/data/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph.errors import LoadError
from relgraph.resources import data_files, ontology_files
from relgraph.sources import remove_source
from relgraph.store import Store
from relgraph.world.gazetteer import Gazetteer
from relgraph.world.names import fold, fold_variants
from relgraph.world.reconcile import PlaceIndex
from relgraph.world.twintowns import import_twin_towns, read_twin_towns, source_for

DATA = Path(__file__).parent / "data"
SMALL = DATA / "twin-towns-small.csv"
ID = "https://w3id.org/relgraph/id/"
G = "https://w3id.org/relgraph/graph/"
RG = "https://w3id.org/relgraph/ontology#"


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    store = Store(tmp_path_factory.mktemp("keys") / "store")
    store.load([*ontology_files(), *data_files()])
    keys = {k for p in read_twin_towns(SMALL).places.values() for k in fold_variants(p.name)}
    return Gazetteer.for_keys(keys | set(PlaceIndex.from_store(store).by_key))


def fresh(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store")
    store.load([*ontology_files(), *data_files()])
    return store


def select(store: Store, query: str) -> list[tuple[str, ...]]:
    result = store.query(query)
    names = [v.value for v in result.variables]
    return [tuple("" if r[n] is None else r[n].value.removeprefix(ID) for n in names) for r in result]


def test_every_bad_row_is_reported_with_row_and_column() -> None:
    data = read_twin_towns(SMALL)
    found = [(p["row"], p["column"], p["skipped"]) for p in data.problems]
    assert found == [
        (6, "*", False),  # Rostock–Varna again, from the other page: one relation
        (9, "city1", True),  # no name
        (10, "country1", True),  # Atlantis
        (11, "lat1", False),  # "fifty": Bonn kept without coordinates
        (12, "*", False),  # Oxford–Bonn again ("England, United Kingdom" is England)
        (13, "city2", True),  # Nienburg with itself
    ]
    assert "Atlantis" in data.problems[2]["what"] and data.problems[2]["file"] == str(SMALL)
    assert len(data.pairs) == 8  # 13 rows - 3 skipped - 2 listed again


def test_a_wrong_header_is_refused_and_nothing_is_written(tmp_path: Path, gazetteer: Gazetteer) -> None:
    store = fresh(tmp_path)
    before = len(store)
    with pytest.raises(LoadError, match="row 1: the header must be"):
        import_twin_towns(store, DATA / "twin-towns-bad-header.csv", gazetteer=gazetteer)
    assert len(store) == before


def test_import_reconciles_with_the_curated_places(tmp_path: Path, gazetteer: Gazetteer) -> None:
    store = fresh(tmp_path)
    report = import_twin_towns(store, SMALL, source=source_for(SMALL), gazetteer=gazetteer)
    graph = report.graph
    assert graph == G + "twin-towns-twin-towns-small"
    matched = {m["mention"]: (m["entity"].removeprefix(ID), m["how"]) for m in report.matches}
    assert matched["hamburg|DE"] == ("city/hamburg", "name+country")
    assert matched["prague|CZ"] == ("city/prague", "name+country")
    assert matched["saint petersburg|RU"] == ("city/saint-petersburg", "name+country")
    # the curated agreements are stated again, not duplicated
    partners = select(
        store,
        f"""SELECT ?a WHERE {{ GRAPH <{graph}> {{ ?a <{RG}party> <{ID}city/hamburg> }} }} ORDER BY ?a""",
    )
    assert partners == [
        ("agreement/hamburg-dar-es-salaam-city-twinning",),
        ("agreement/hamburg-prague-city-twinning",),
        ("agreement/hamburg-saint-petersburg-city-twinning",),
    ]
    assert report.agreements_reused == 3
    # minted places: slugs transliterated, same-named places in two countries kept apart
    minted = {e for (e,) in select(store, f"SELECT ?e WHERE {{ GRAPH <{graph}> {{ ?e a <{RG}City> }} }}")}
    assert {"city/lodz", "city/tromso", "city/leon", "city/leon-mx", "city/varna", "city/faro"} <= minted
    # the reason a match happened is in the graph
    how = select(store, f"SELECT ?h WHERE {{ GRAPH <{graph}> {{ <{ID}city/prague> <{RG}matchMethod> ?h }} }}")
    assert how == [("name+country",)]


def test_coordinates_and_their_doubts(tmp_path: Path, gazetteer: Gazetteer) -> None:
    store = fresh(tmp_path)
    report = import_twin_towns(store, SMALL, gazetteer=gazetteer)
    geo = "http://www.w3.org/2003/01/geo/wgs84_pos#"
    flagged = select(store, f"SELECT ?e WHERE {{ GRAPH <{report.graph}> {{ ?e <{RG}coordinateFlag> ?why }} }}")
    assert flagged == [("city/faro",)]  # 60 N 10 E is in Norway, not Portugal
    bonn = select(store, f"SELECT ?lat WHERE {{ GRAPH <{report.graph}> {{ <{ID}city/bonn> <{geo}lat> ?lat }} }}")
    assert bonn == [("50.73",)]  # row 11 had no coordinate for Bonn, row 10 was skipped, row 12 gives it
    wkt = select(
        store,
        f"""SELECT ?w WHERE {{ GRAPH <{report.graph}> {{ <{ID}city/lodz> <http://www.opengis.net/ont/geosparql#hasGeometry>
            / <http://www.opengis.net/ont/geosparql#asWKT> ?w }} }}""",
    )
    assert wkt == [("POINT(19.4547 51.7769)",)]
    england = select(store, f"SELECT ?r WHERE {{ GRAPH <{report.graph}> {{ <{ID}city/oxford> <{RG}locatedIn> ?r }} }}")
    assert england == [("region/england",)]


def test_overrides_undo_a_merge(tmp_path: Path, gazetteer: Gazetteer) -> None:
    store = fresh(tmp_path)
    report = import_twin_towns(store, SMALL, overrides={"prague|CZ": None}, gazetteer=gazetteer)
    assert "prague|CZ" not in {m["mention"] for m in report.matches}
    prague = select(
        store,
        f"""SELECT ?e WHERE {{ GRAPH <{report.graph}> {{
            ?e <http://www.w3.org/2000/01/rdf-schema#label> "Prague"@en }} }}""",
    )
    assert prague == [("city/prague-cz",)]


def test_reimport_replaces_and_remove_source_undoes(tmp_path: Path, gazetteer: Gazetteer) -> None:
    store = fresh(tmp_path)
    before = len(store)
    first = import_twin_towns(store, SMALL, gazetteer=gazetteer)
    size = len(store)
    import_twin_towns(store, SMALL, gazetteer=gazetteer)
    assert len(store) == size
    removed = remove_source(store, first.graph)
    assert first.graph in removed
    # the country graph written with the import stays (other sources use it); nothing else does
    left = {g.value for g in store.oxigraph.named_graphs()} - {G + "countries"}
    assert first.graph not in left
    assert len(store) - store_size(store, G + "countries") == before


def store_size(store: Store, graph: str) -> int:
    return len(list(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph))))


def test_names_fold_across_scripts() -> None:
    assert fold("Łódź") == fold("Lodz") and fold("Tromsø") == "tromso"
    assert fold("Sankt Petersburg") == fold("Saint Petersburg") == fold("St. Petersburg")


def test_cli_import_twin_towns(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    Store(store_dir).load([*ontology_files(), *data_files()])
    report = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "relgraph.cli", "import-twin-towns", str(SMALL), "--store", str(store_dir),
         "--report", str(report), "--no-reason", "--no-validate"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "8 pairs between" in done.stdout and "row 10, column country1: unknown country 'Atlantis'" in done.stdout
    assert json.loads(report.read_text(encoding="utf-8"))["pairs"] == 8
