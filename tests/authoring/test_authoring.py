"""The authoring format: template rows → RDF, problems with row and column, round trip."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph.authoring import (
    COLUMN_NAMES,
    AuthoringError,
    export_rows,
    import_agreements,
    parse_rows,
    read_rows,
    write_csv,
)
from relgraph.cli import main
from relgraph.resources import ontology_files
from relgraph.store import Store

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "data" / "templates"
DATA = ROOT / "tests" / "data" / "authoring"
ID = "https://w3id.org/relgraph/id/"
G = "https://w3id.org/relgraph/graph/"


def bundled() -> list[Path]:
    return [*ontology_files(), *sorted((ROOT / "data").rglob("*.trig"))]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store")
    store.load(bundled())
    return store


def quads_of(store: Store, graphs: list[str]) -> set[ox.Quad]:
    return {q for g in graphs for q in store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(g))}


def test_template_and_readme_list_the_same_columns() -> None:
    header = (TEMPLATES / "agreements-template.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == COLUMN_NAMES
    readme = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    for column in COLUMN_NAMES:
        assert f"`{column}`" in readme, f"README.md does not document {column}"


def test_csv_and_yaml_templates_give_the_same_rdf(store: Store) -> None:
    csv_quads = parse_rows(read_rows(TEMPLATES / "agreements-template.csv"), store)
    yaml_quads = parse_rows(read_rows(TEMPLATES / "agreements-template.yaml"), store)
    assert {g: set(q) for g, q in csv_quads.items()} == {g: set(q) for g, q in yaml_quads.items()}


def test_template_matches_existing_entities_and_agreements(store: Store) -> None:
    report = import_agreements(store, TEMPLATES / "agreements-template.csv")
    assert report.agreements == 3
    assert not [e for e in report.new_entities if "/id/" in e and "/id/source/" not in e]
    rows = store.query(
        """PREFIX rg: <https://w3id.org/relgraph/ontology#>
        SELECT DISTINCT ?a ?sig ?person ?prefix WHERE { GRAPH ?g { ?a rg:signing ?s . ?s rg:signature ?sig .
            ?sig rg:signatory ?person } FILTER(STRSTARTS(STR(?g), ?prefix)) } ORDER BY ?sig""",
        substitutions={"prefix": ox.Literal(G + "2024-02-20-hamburg-und-quebec")},
    )
    found = [(r["a"].value.removeprefix(ID), r["sig"].value.removeprefix(ID)) for r in rows]
    assert found == [
        (
            "agreement/hamburg-quebec-strategic-partnership-2024",
            "signature/hamburg-quebec-strategic-partnership-2024-biron",
        ),
        (
            "agreement/hamburg-quebec-strategic-partnership-2024",
            "signature/hamburg-quebec-strategic-partnership-2024-tschentscher",
        ),
    ]
    # the university row is stated about the 2023 extension, not the 2020 partnership
    extension = store.query(
        """PREFIX rg: <https://w3id.org/relgraph/ontology#>
        ASK { GRAPH ?g { <https://w3id.org/relgraph/id/agreement/uhh-kyoto-university-partnership-extension>
            rg:validUntil "2026"^^<http://www.w3.org/2001/XMLSchema#gYear> } }"""
    )
    assert bool(extension)


def test_round_trip_import_export_import(store: Store, tmp_path: Path) -> None:
    report = import_agreements(store, TEMPLATES / "agreements-template.csv")
    graphs = sorted(report.graphs)
    before = quads_of(store, graphs)
    exported = tmp_path / "exported.csv"
    with exported.open("w", encoding="utf-8", newline="") as out:
        write_csv([row for g in graphs for row in export_rows(store, g)], out)
    rows = read_rows(exported)
    assert len(rows) == 3
    fresh = Store(tmp_path / "fresh")
    fresh.load(bundled())
    import_agreements(fresh, exported)
    assert quads_of(fresh, graphs) == before
    # and the graph itself survives an RDF export and reload
    buffer = io.BytesIO()
    store.export(buffer, format="trig", graph=graphs[0])
    reloaded = ox.Store()
    reloaded.load(buffer.getvalue(), format=ox.RdfFormat.TRIG)
    assert set(reloaded) == quads_of(store, graphs[:1])


def test_importing_twice_replaces(store: Store) -> None:
    report = import_agreements(store, TEMPLATES / "agreements-template.yaml")
    size = len(store)
    import_agreements(store, TEMPLATES / "agreements-template.yaml")
    assert len(store) == size
    assert set(report.graphs) <= set(store.graphs())


def test_problems_are_reported_with_row_and_column_and_nothing_is_loaded(store: Store) -> None:
    store.load([DATA / "two-londons.trig"])
    size = len(store)
    with pytest.raises(AuthoringError) as caught:
        import_agreements(store, DATA / "bad.csv")
    problems = {(p.row, p.column) for p in caught.value.problems}
    assert {
        (2, "colour"),  # unknown column
        (2, "date"),  # 10.07.1958 is not ISO
        (3, "kind"),  # unknown kind
        (3, "fields"),  # unknown field "gastronomy"
        (3, "status"),  # unknown status
        (3, "party_2"),  # one party
        (4, "party_1"),  # London is ambiguous
        (4, "valid_from"),  # month 13
        (5, "party_2"),  # Atlantis is unknown and has no type
    } <= problems, caught.value
    text = str(caught.value)
    assert "row 4, column party_1: 'London' is ambiguous" in text
    assert len(store) == size


def test_new_entities_get_stable_slugs(store: Store) -> None:
    report = import_agreements(store, DATA / "new-entities.yaml")
    new = {e.removeprefix(ID) for e in report.new_entities if e.startswith(ID)}
    assert {
        "city/exampleton",
        "org/example-harbour-association",
        "person/erika-mustermann",
        "post/mayor-of-exampleton",
        "agreement/hamburg-exampleton-example-harbour-association-friendship-agreement-2025",
        "signing/hamburg-exampleton-example-harbour-association-friendship-agreement-2025",
    } <= new
    # Peter Tschentscher and the First Mayor post are matched, not duplicated
    assert not {"person/peter-tschentscher", "post/first-mayor-of-hamburg"} & new
    again = import_agreements(store, DATA / "new-entities.yaml")
    assert again.graphs == report.graphs


def test_cli_import_reports_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import", "--store", str(tmp_path / "store"), str(DATA / "bad.csv")])
    assert code == 1
    assert "row 5, column party_2" in capsys.readouterr().err


def test_a_quoted_multi_line_cell_keeps_its_line_break(store: Store) -> None:
    rows = read_rows(DATA / "multiline-cell.csv")
    assert [number for number, _ in rows] == [2, 3]  # spreadsheet rows, not the file's lines
    assert rows[0][1]["notes"] == "line one\nline two"
    import_agreements(store, DATA / "multiline-cell.csv")
    notes = {
        q.object.value
        for q in store.oxigraph.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/2004/02/skos/core#note"), None)
    }
    assert "line one\nline two" in notes and "line oneline two" not in notes


def test_an_impossible_date_is_a_problem_of_its_row_and_column(store: Store) -> None:
    size = len(store)
    with pytest.raises(AuthoringError) as caught:
        import_agreements(store, DATA / "impossible-date.csv")
    problems = {(p.row, p.column) for p in caught.value.problems}
    assert problems == {(2, "date"), (3, "valid_from")}, caught.value  # 2024-02-29 (leap year) is fine
    assert "'2023-02-31' is not a day of the calendar" in str(caught.value)
    assert len(store) == size


def test_cli_import_of_an_impossible_date_is_one_clear_report(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    store = tmp_path / "store"
    run = [sys.executable, "-m", "relgraph.cli"]
    env = {**os.environ, "RELGRAPH_WORLD_DATA": "off"}
    loaded = subprocess.run([*run, "load", "--no-reason", "--store", str(store)], capture_output=True, env=env)
    assert loaded.returncode == 0, loaded.stderr
    result = subprocess.run(
        [*run, "import", "--store", str(store), str(DATA / "impossible-date.csv")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert f"{DATA / 'impossible-date.csv'}: row 2, column date: " in result.stderr
    assert "Traceback" not in result.stderr and "Violation" not in result.stderr
