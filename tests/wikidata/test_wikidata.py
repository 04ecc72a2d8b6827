"""Wikidata P190 import: reading both inputs, reconciliation, one relation per pair, idempotence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relgraph.cli import main
from relgraph.errors import LoadError
from relgraph.resources import bundled_dir, ontology_files
from relgraph.store import Store
from relgraph.wikidata import import_wikidata, normalise, read_sparql_json, read_tsv

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "wikidata"
# The 2016 extract ships with relgraph (data/external/, CC0-derived; see its README).
EXTERNAL = bundled_dir("data") / "external"
RELATIONS = EXTERNAL / "wikidata_p190_relations_2016.tsv"
NAMES = EXTERNAL / "wikidata_p190_names_2016.tsv"
ID = "https://w3id.org/relgraph/id/"
WD_GRAPH = "https://w3id.org/relgraph/graph/wikidata-p190-2016"
PREFIXES = """
PREFIX rg: <https://w3id.org/relgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX at: <https://w3id.org/relgraph/concept/agreement-type/>
PREFIX city: <https://w3id.org/relgraph/id/city/>
PREFIX wd: <http://www.wikidata.org/entity/>
"""


def bundled_files() -> list[Path]:
    return [*ontology_files(), *sorted((ROOT / "data").rglob("*.trig"))]


def select(store: Store, query: str) -> list[tuple[str, ...]]:
    result = store.query(PREFIXES + query)
    names = [v.value for v in result.variables]
    return [tuple("" if row[n] is None else row[n].value.removeprefix(ID) for n in names) for row in result]


# --- reading ------------------------------------------------------------------------------


def test_normalise_strips_case_and_diacritics() -> None:
    assert normalise("Québec") == normalise("QUEBEC") == "quebec"
    assert normalise("Ōsaka") == "osaka"
    assert normalise("Sankt-Petersburg") == normalise("sankt petersburg")


def test_read_sparql_json_finds_entity_label_and_country_variables() -> None:
    data = read_sparql_json(DATA / "p190-sample.json")
    assert data.rows == 10 and data.duplicates == 1
    assert ("Q1055", "Q656") in data.statements and ("Q656", "Q1055") in data.statements
    assert ("Hamburg", "en") in data.labels["Q1055"]
    assert data.countries["Q1055"] == "Q183"
    pairs = data.pairs()
    assert pairs[("Q656", "Q1055")] == {"Q1055", "Q656"}  # one relation for A→B and B→A
    assert pairs[("Q1055", "Q6506")] == {"Q1055"}  # one-sided


def test_read_sparql_json_rejects_results_without_two_item_variables() -> None:
    with pytest.raises(LoadError, match="two variables bound to Wikidata items"):
        read_sparql_json(DATA / "not-sparql.json")


def test_read_tsv_counts_duplicates() -> None:
    data = read_tsv(DATA / "relations.tsv", labels=DATA / "names.tsv")
    assert (data.rows, data.duplicates, len(data.statements)) == (4, 1, 3)
    assert data.labels["Q1829"] == [("Königsberg", "und")]


def test_read_tsv_reports_line_of_bad_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("Q1\tQ2\nQ3\tnot-an-id\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"bad.tsv:2"):
        read_tsv(bad)


# --- reconciliation on a small store --------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, object]:
    store = Store(tmp_path_factory.mktemp("wd-small"))
    store.load(bundled_files())
    report = import_wikidata(store, json_file=DATA / "p190-sample.json")
    return store, report


def test_sample_reconciliation(small: tuple[Store, object]) -> None:
    store, report = small
    matched = {m["qid"]: (m["entity"].removeprefix(ID), m["how"]) for m in report.matches}
    assert matched == {
        "Q176": ("region/quebec", "wikidata-id"),
        "Q656": ("city/saint-petersburg", "wikidata-id"),
        "Q980": ("region/bavaria", "label"),
        "Q1055": ("city/hamburg", "wikidata-id"),
    }
    ambiguous = {a["qid"]: a for a in report.ambiguous}
    assert set(ambiguous) == {"Q231", "Q900001"}  # both claim Wallonia: neither is merged
    assert all(a["candidates"] == [ID + "region/wallonia"] for a in ambiguous.values())
    unmatched = {u["qid"] for u in report.unmatched}
    # a "Hamburg" with another Wikidata id and a "Montréal" in France are other places
    assert {"Q900002", "Q900003", "Q6506"} <= unmatched
    assert select(store, "SELECT ?p WHERE { ?p rg:wikidataId 'Q900002' }") == [("place/wd-q900002",)]


def test_sample_pair_reuses_the_curated_agreement(small: tuple[Store, object]) -> None:
    store, report = small
    rows = select(
        store,
        f"""SELECT ?a ?one WHERE {{ GRAPH <{report.graph}> {{
            ?a rg:party city:hamburg , city:saint-petersburg ; rg:oneSided ?one }} }}""",
    )
    assert rows == [("agreement/hamburg-saint-petersburg-city-twinning", "false")]
    varna = select(
        store,
        f"""SELECT ?a ?by WHERE {{ GRAPH <{report.graph}> {{
            ?a rg:party city:hamburg ; rg:party/rg:wikidataId "Q6506" ; rg:oneSided true ; rg:statedBy ?by }} }}""",
    )
    assert varna == [("agreement/wd-p190-q1055-q6506", "city/hamburg")]


def test_sample_graph_is_a_described_source(small: tuple[Store, object]) -> None:
    store, report = small
    rows = select(
        store,
        f"""SELECT ?doc ?issued WHERE {{ GRAPH <{report.graph}> {{
            <{report.graph}> a rg:SourceGraph ; prov:wasDerivedFrom ?doc ; dct:issued ?issued ;
            dct:publisher ?pub ; dct:title ?t ; dct:language ?l ; dct:license ?lic }} }} LIMIT 1""",
    )
    assert rows and rows[0][0] == "source/wikidata-p190-p190-sample"


# --- the full 2016 extract ------------------------------------------------------------------


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, object]:
    store = Store(tmp_path_factory.mktemp("wd-full"))
    store.load(bundled_files())
    report = import_wikidata(store, relations=RELATIONS, labels=NAMES)
    return store, report


@pytest.mark.slow
def test_full_extract_counts(full: tuple[Store, object]) -> None:
    store, report = full
    assert (report.rows, report.duplicates, report.pairs, report.places, report.one_sided) == (
        34182,
        4,
        17401,
        10055,
        624,
    )
    agreements = select(store, f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ GRAPH <{WD_GRAPH}> {{ ?a rg:party ?p }} }}")
    assert agreements == [("17401",)]  # how fast: bench/limits.py (60 s)


@pytest.mark.slow
def test_hamburg_has_13_wikidata_partners_9_of_them_the_curated_cities(full: tuple[Store, object]) -> None:
    store, _ = full
    partners = select(
        store,
        f"""SELECT DISTINCT ?p ?q WHERE {{ GRAPH <{WD_GRAPH}> {{
            ?a rg:party city:hamburg , ?p FILTER (?p != city:hamburg) }} ?p rg:wikidataId ?q }} ORDER BY ?q""",
    )
    assert len(partners) == 13
    curated = {p for p, _ in partners if p.startswith("city/")}
    assert curated == {
        "city/saint-petersburg", "city/marseille", "city/shanghai", "city/dresden", "city/osaka",
        "city/leon-nicaragua", "city/prague", "city/chicago", "city/dar-es-salaam",
    }  # fmt: skip
    assert {q for p, q in partners if p.startswith("place/")} == {"Q6506", "Q37100", "Q160687", "Q1829"}
    # no duplicate entity for a matched Wikidata id
    dupes = select(
        store, "SELECT ?q (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e rg:wikidataId ?q } GROUP BY ?q HAVING (?n > 1)"
    )
    assert dupes == []
    konigsberg = select(
        store,
        f"""SELECT ?by WHERE {{ GRAPH <{WD_GRAPH}> {{ ?a rg:party city:hamburg , ?k ; rg:oneSided true ;
            rg:statedBy ?by . ?k rg:wikidataId "Q1829" }} }}""",
    )
    assert konigsberg == [("place/wd-q1829",)]


@pytest.mark.slow
def test_which_source_says_what_about_hamburgs_partners(full: tuple[Store, object]) -> None:
    store, _ = full
    rows = select(
        store,
        """SELECT ?g ?title (COUNT(DISTINCT ?p) AS ?partners) WHERE { GRAPH ?g {
            ?a rg:party city:hamburg , ?p . FILTER (?p != city:hamburg)
            ?g a rg:SourceGraph ; dct:title ?title }
            # the kind may be stated by another source (a reused agreement keeps its own, narrower kind)
            ?a rg:agreementType ?kind . ?kind skos:broader* at:city-twinning
          } GROUP BY ?g ?title ORDER BY DESC(?partners) ?g""",
    )
    counts = {g.removeprefix("https://w3id.org/relgraph/graph/"): int(n) for g, _, n in rows}
    assert counts["wikidata-p190-2016"] == 13
    assert counts["hamburg-de-partnerstaedte"] == 9


# Importing twice gives the same graph: tests/wikidata/test_sources.py::test_reimport_replaces_the_source.


def test_cli_import_wikidata_writes_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store_dir = tmp_path / "store"
    Store(store_dir).load(bundled_files())
    report = tmp_path / "report.json"
    code = main(
        ["import-wikidata", "--store", str(store_dir), "--relations", str(DATA / "relations.tsv"),
         "--labels", str(DATA / "names.tsv"), "--report", str(report)]
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "3 places: 2 matched by Wikidata id" in out
    assert json.loads(report.read_text(encoding="utf-8"))["pairs"] == 2
