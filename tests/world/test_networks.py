"""Eurocities members and joint statements: counts, Hamburg as one entity, replace, remove, bad rows, licence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph.cli import main
from relgraph.resources import data_files, ontology_files
from relgraph.sources import remove_source
from relgraph.store import Store
from relgraph.world.networks import ImportProblems, import_eurocities, import_statement

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT / "data" / "external"
DATA = Path(__file__).parent / "data"
BASE = "https://w3id.org/relgraph/"
MEMBERS = BASE + "graph/eurocities-members-2025"
IMAMOGLU = BASE + "graph/statement-mayors-voice-support-for-ekrem-imamoglu"
GPM = BASE + "graph/statement-global-declaration-of-mayors-for-democracy"
PREFIXES = """PREFIX rg: <https://w3id.org/relgraph/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX geosparql: <http://www.opengis.net/ont/geosparql#>
PREFIX cc: <http://creativecommons.org/ns#>
"""


def count(store: Store, where: str) -> int:
    rows = list(store.query(PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
    return int(rows[0]["n"].value)


def content(store: Store, graph: str) -> set[ox.Quad]:
    return set(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def bundled_store(path: Path) -> Store:
    store = Store(path)
    store.load([*ontology_files(), *data_files()])
    return store


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, object]]]:
    store = bundled_store(tmp_path_factory.mktemp("world") / "store")
    reports = {
        "members": import_eurocities(store, EXTERNAL / "eurocities_members_2025.json"),
        "imamoglu": import_statement(store, EXTERNAL / "eurocities_statement_imamoglu_2025.json"),
        "gpm": import_statement(store, EXTERNAL / "gpm_declaration_democracy_2025.csv"),
    }
    yield store, reports
    store.close()


def test_counts_match_the_files_minus_the_report(world: tuple[Store, dict]) -> None:
    store, reports = world
    members, imamoglu, gpm = reports["members"], reports["imamoglu"], reports["gpm"]
    assert (members.rows, members.skipped, members.imported) == (209, 3, 206)
    assert len([n for n in members.notices if n.row.startswith("not_found")]) == 19
    assert count(store, f"GRAPH <{MEMBERS}> {{ ?m a rg:Membership }}") == 209 - members.skipped
    assert count(store, f"GRAPH <{MEMBERS}> {{ ?c rg:memberOf ?n }}") == 209 - members.skipped
    assert (imamoglu.rows, imamoglu.skipped, imamoglu.imported) == (85, 3, 82)
    assert count(store, f"GRAPH <{IMAMOGLU}> {{ ?s a rg:Signature }}") == 85 - imamoglu.skipped
    assert (gpm.rows, gpm.skipped, gpm.imported) == (252, 0, 252)
    assert count(store, f"GRAPH <{GPM}> {{ ?s a rg:Signature }}") == 252


def test_hamburg_is_one_entity_and_a_eurocities_member(world: tuple[Store, dict]) -> None:
    store, _ = world
    hamburg = BASE + "id/city/hamburg"
    rows = list(store.query(PREFIXES + 'SELECT DISTINCT ?e WHERE { ?e rg:wikidataId "Q1055" }'))
    assert {r["e"].value for r in rows} == {hamburg}
    assert count(store, f"GRAPH <{MEMBERS}> {{ <{hamburg}> rg:memberOf <{BASE}id/org/eurocities> }}") == 1
    assert count(store, f"GRAPH <{MEMBERS}> {{ ?m rg:member <{hamburg}> ; rg:network ?n ; rg:attestedOn ?d }}") == 1
    query = (
        f"SELECT ?w WHERE {{ GRAPH <{MEMBERS}> {{ <{hamburg}> geo:lat ?lat ; "
        "geosparql:hasGeometry/geosparql:asWKT ?w ; rg:population ?p } }"
    )
    wkt = list(store.query(PREFIXES + query))
    assert [r["w"].value for r in wkt] == ["POINT(10.0 53.55)"]


def test_a_joint_statement_makes_no_partners(world: tuple[Store, dict]) -> None:
    store, _ = world
    for graph in (IMAMOGLU, GPM):
        assert count(store, f"GRAPH <{graph}> {{ ?s rg:party ?p }}") == 0
        assert count(store, f"GRAPH <{graph}> {{ ?s a rg:JointStatement ; dct:title ?t ; rg:signing ?g }}") == 1
    assert count(store, f"GRAPH <{GPM}> {{ ?s rg:organisedBy <{BASE}id/org/global-parliament-of-mayors> }}") == 1
    assert count(store, f"GRAPH <{IMAMOGLU}> {{ ?s rg:organisedBy <{BASE}id/org/eurocities> }}") == 1


def test_posts_are_as_written(world: tuple[Store, dict]) -> None:
    store, _ = world
    rows = list(
        store.query(
            PREFIXES
            + f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?l WHERE {{ GRAPH <{IMAMOGLU}> {{ ?s rg:inPost ?p . ?p rdfs:label ?l ; rg:postIn ?c }} }}"""
        )
    )
    assert "Mayor of Paris" in {r["l"].value for r in rows}


def test_source_graphs_carry_rights_and_attribution(world: tuple[Store, dict]) -> None:
    store, _ = world
    for graph in (MEMBERS, IMAMOGLU, GPM):
        where = (
            f"GRAPH <{graph}> {{ <{graph}> a rg:SourceGraph ; dct:rights ?r ; cc:attributionName ?a ; "
            "dct:title ?t ; dct:publisher ?p ; dct:issued ?i }"
        )
        assert count(store, where) == 1
    assert count(store, "GRAPH ?g { ?g dct:license <https://www.unicode.org/license.txt> }") == 1  # countries


def test_reimport_replaces_the_graph(world: tuple[Store, dict]) -> None:
    store, _ = world
    before = content(store, MEMBERS)
    import_eurocities(store, EXTERNAL / "eurocities_members_2025.json")
    assert content(store, MEMBERS) == before


def test_small_file_remove_source_and_cli(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    store = bundled_store(store_dir)
    report = import_eurocities(store, DATA / "eurocities_small.json")
    graph = report.graph
    assert (report.rows, report.imported, report.skipped) == (4, 3, 1)
    assert count(store, f"GRAPH <{graph}> {{ <{BASE}id/city/hamburg> rg:memberOf ?n }}") == 1
    assert count(store, f"GRAPH <{graph}> {{ <{BASE}id/city/tromso> rg:memberOf ?n }}") == 1
    remove_source(store, graph)
    assert graph not in store.graphs()
    assert count(store, "?c rg:memberOf ?n") == 0
    store.close()


def test_cli_import_statement(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    assert main(["load", "--store", str(store_dir), "--no-reason", "--no-validate"]) == 0
    args = ["import-statement", str(DATA / "statement_small.csv"), "--store", str(store_dir), "--no-reason"]
    args += ["--title", "A small declaration", "--organiser", "Global Parliament of Mayors", "--date", "2025-06"]
    code = main(args)
    assert code == 0
    store = Store(store_dir)
    statement = BASE + "graph/statement-a-small-declaration"
    assert count(store, f"GRAPH <{statement}> {{ ?s a rg:Signature }}") == 4
    assert (
        count(store, f'GRAPH <{statement}> {{ ?g rg:date "2025-06"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> }}')
        == 1
    )
    assert count(store, f"GRAPH <{statement}> {{ ?s rg:onBehalfOf <{BASE}id/city/hamburg> }}") == 1
    store.close()


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("eurocities_bad.json", [("members[0]", "name_on_website"), ("members[1]", "latitude"),
                                 ("members[3]", "country_name")]),
        ("statement_bad.csv", [("row 3", "city_name"), ("row 4", "country"), ("row 5", "mayor_name"), ("", "title")]),
    ],
)  # fmt: skip
def test_bad_rows_are_reported_and_nothing_is_written(
    tmp_path: Path, fixture: str, expected: list[tuple[str, str]]
) -> None:
    store = bundled_store(tmp_path / "store")
    before = set(store.oxigraph)
    run = import_eurocities if fixture.endswith(".json") else import_statement
    with pytest.raises(ImportProblems) as err:
        run(store, DATA / fixture)
    assert [(p.row, p.field) for p in err.value.problems] == expected
    assert all(p.file.endswith(fixture) for p in err.value.problems)
    assert set(store.oxigraph) == before
    store.close()


def test_cli_reports_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import-eurocities", str(DATA / "eurocities_bad.json"), "--store", str(tmp_path / "s"), "--no-reason"])
    assert code == 1
    err = capsys.readouterr().err
    assert "members[1], field latitude" in err and "nothing was loaded" in err
