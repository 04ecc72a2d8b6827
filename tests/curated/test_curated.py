"""Curated data (data/curated/): one query per group of facts, each answered in the
graph of its source; where sources disagree, both claims come back with their sources.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph.resources import ontology_files
from relgraph.store import Store

ROOT = Path(__file__).resolve().parents[2]
CURATED = ROOT / "data" / "curated"
SEED = ROOT / "data" / "seed"
G = "https://w3id.org/relgraph/graph/"
ID = "https://w3id.org/relgraph/id/"
ALLOWED_WIKIDATA = {
    "Q1055", "Q176", "Q16", "Q183", "Q156725", "Q41550",
    "Q656", "Q23482", "Q8686", "Q1731", "Q35765", "Q208151", "Q1085", "Q1297", "Q1960", "Q34600",
}  # fmt: skip
PREFIXES = """
PREFIX rg: <https://w3id.org/relgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX at: <https://w3id.org/relgraph/concept/agreement-type/>
PREFIX st: <https://w3id.org/relgraph/concept/status/>
PREFIX fld: <https://w3id.org/relgraph/concept/field/>
PREFIX city: <https://w3id.org/relgraph/id/city/>
PREFIX region: <https://w3id.org/relgraph/id/region/>
PREFIX org: <https://w3id.org/relgraph/id/org/>
PREFIX agreement: <https://w3id.org/relgraph/id/agreement/>
PREFIX cooperation: <https://w3id.org/relgraph/id/cooperation/>
PREFIX project: <https://w3id.org/relgraph/id/project/>
PREFIX study: <https://w3id.org/relgraph/id/study/>
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("curated"))
    store.load([*ontology_files(), *sorted(SEED.glob("*.trig")), *sorted(CURATED.glob("*.trig"))], validate=True)
    return store


def rows(store: Store, query: str) -> list[tuple[str, ...]]:
    result = store.query(PREFIXES + query)
    names = [v.value for v in result.variables]
    return [tuple(_text(row[n]) for n in names) for row in result]


def _text(term: ox.NamedNode | ox.Literal | None) -> str:
    if term is None:
        return ""
    return term.value.removeprefix(ID).removeprefix(G)


def test_every_curated_file_is_one_described_source_graph() -> None:
    for path in sorted(CURATED.glob("*.trig")):
        quads = list(ox.parse(path=path, format=ox.RdfFormat.TRIG))
        graphs = {q.graph_name for q in quads}
        assert graphs == {ox.NamedNode(G + path.stem)}, path.name
        assert not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)), path.name
        text = path.read_text(encoding="utf-8")
        assert f"graph:{path.stem} a rg:SourceGraph" in text, path.name
        used = set(re.findall(r"wd:(Q\d+)", text)) | set(re.findall(r'rg:wikidataId "(Q\d+)"', text))
        assert used <= ALLOWED_WIKIDATA, f"{path.name}: Wikidata ids not in the notes: {used - ALLOWED_WIKIDATA}"


def test_curated_data_conforms_to_the_shapes(store: Store) -> None:
    from relgraph.validate import validate_store

    assert not validate_store(store).violations


def test_hamburgs_nine_official_partnerships(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?city ?qid ?date WHERE {
          GRAPH <https://w3id.org/relgraph/graph/hamburg-de-partnerstaedte> {
            ?a rg:agreementType at:city-twinning ; rg:party city:hamburg , ?city ; rg:signing ?s .
            ?s rg:date ?date .
            ?city rg:wikidataId ?qid .
            FILTER (?city != city:hamburg)
          }
        } ORDER BY ?date ?city""",
    )
    assert found == [
        ("city/saint-petersburg", "Q656", "1957"),
        ("city/marseille", "Q23482", "1958-07-10"),
        ("city/shanghai", "Q8686", "1986"),
        ("city/dresden", "Q1731", "1987-12-14"),
        ("city/leon-nicaragua", "Q208151", "1989"),
        ("city/osaka", "Q35765", "1989"),
        ("city/prague", "Q1085", "1990-04-19"),
        ("city/chicago", "Q1297", "1994"),
        ("city/dar-es-salaam", "Q1960", "2010-06"),
    ]
    source = rows(
        store,
        """SELECT ?url WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?doc . ?doc schema:url ?url }
        FILTER (?g = <https://w3id.org/relgraph/graph/hamburg-de-partnerstaedte>) }""",
    )
    assert source == [("https://www.hamburg.de/partnerstaedte/",)]


def test_saint_petersburg_oral_and_suspended(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?g ?oral ?status ?since WHERE { GRAPH ?g {
          agreement:hamburg-saint-petersburg-city-twinning rg:oral ?oral ; rg:status ?status ;
              rg:statusSince ?since } }""",
    )
    assert found == [
        ("hamburg-de-partnerstaedte", "true", "https://w3id.org/relgraph/concept/status/suspended", "2022-02")
    ]


def test_disagreeing_dates_come_back_with_their_sources(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?city ?date ?g ?title WHERE {
          VALUES ?city { city:shanghai city:leon-nicaragua city:dar-es-salaam }
          GRAPH ?g { ?a rg:party city:hamburg , ?city ; rg:signing ?s . ?s rg:date ?date .
                     ?g dct:title ?title }
        } ORDER BY ?city ?date""",
    )
    assert [(c, d, g) for c, d, g, _ in found] == [
        ("city/dar-es-salaam", "2010-06", "hamburg-de-partnerstaedte"),
        ("city/dar-es-salaam", "2010-07-01", "unidentified-page-hamburg-dar-es-salaam-2010-07-01"),
        ("city/leon-nicaragua", "1989", "hamburg-de-partnerstaedte"),
        ("city/leon-nicaragua", "1990", "unidentified-sources-hamburg-leon-1990"),
        ("city/shanghai", "1979", "unidentified-page-hamburg-shanghai-1979"),
        ("city/shanghai", "1986", "hamburg-de-partnerstaedte"),
    ]
    titles = {t for *_, t in found}
    assert "hamburg.de: Partnerstädte" in titles
    assert all("not further identified" in t for t in titles - {"hamburg.de: Partnerstädte"})
    # the same agreement and signing entities carry both claims: one signing per city
    signings = rows(
        store,
        """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?a rg:agreementType at:city-twinning ;
            rg:party city:hamburg ; rg:signing ?s }""",
    )
    assert signings == [("9",)]


def test_quebec_and_european_regions(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?region ?type ?date ?g WHERE { GRAPH ?g {
          ?a rg:party region:quebec , ?region ; rg:agreementType ?t ; rg:signing/rg:date ?date .
          FILTER (?region != region:quebec) BIND (STRAFTER(STR(?t), "agreement-type/") AS ?type) }
        } ORDER BY ?region ?date""",
    )
    graph = "unidentified-pages-quebec-european-regions"
    assert found == [
        ("region/bavaria", "joint-declaration", "1989-01-18", graph),
        ("region/bavaria", "joint-declaration", "2003", graph),
        ("region/bavaria", "joint-declaration", "2012", graph),
        ("region/brussels-capital-region", "cooperation-agreement", "2002-09-06", graph),
        ("region/flanders", "cooperation-agreement", "1989", graph),
        ("region/flanders", "cooperation-agreement", "2002", graph),
        ("region/wallonia", "cooperation-agreement", "1989", graph),
    ]
    renews = rows(
        store,
        "SELECT DISTINCT ?old WHERE { agreement:quebec-flanders-cooperation-agreement-2002 rg:renews ?old }",
    )
    assert renews == [("agreement/quebec-flanders-cooperation-agreement-1989",)]


def test_uhh_kyoto(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?a ?date ?until ?g WHERE { GRAPH ?g {
          ?a rg:party org:universitaet-hamburg , org:kyoto-university ; rg:signing/rg:date ?date .
          OPTIONAL { ?a rg:validUntil ?until } } } ORDER BY ?date""",
    )
    graph = "hamburg-de-uhh-kyoto-university-partnerschaft"
    assert found == [
        ("agreement/uhh-kyoto-university-exchange-agreement-2017", "2017", "", graph),
        ("agreement/uhh-kyoto-university-partnership", "2020", "", graph),
        ("agreement/uhh-kyoto-university-partnership-extension", "2023-06-19", "2026", graph),
    ]
    theme = rows(
        store,
        """SELECT DISTINCT ?old WHERE { agreement:uhh-kyoto-university-partnership-extension
            rg:renews ?old ; rg:field fld:planetary-health }""",
    )
    assert theme == [("agreement/uhh-kyoto-university-partnership",)]


def test_gacp(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?g ?founded ?count ?partner WHERE { GRAPH ?g {
          org:hamburg-aviation a rg:Association ; schema:foundingDate ?founded ;
              skos:altLabel "Hamburg aviation cluster"@en .
          ?meeting a rg:Meeting ; rg:about cooperation:gacp ; rg:participantCount ?count ;
                   schema:superEvent/rdfs:label "Paris Air Show 2023"@en .
          cooperation:gacp rg:party ?partner . FILTER (?partner = org:aero-montreal) } }""",
    )
    assert found == [("hamburg-de-gacp-partnerschaft-luft-und-raumfahrtcluster", "2011-01", "12", "org/aero-montreal")]


def test_oecd_study(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?g ?title ?presented WHERE { GRAPH ?g {
          study:oecd-hamburg-climate-neutrality-2040 dct:title ?title ; dct:issued ?presented ;
              rg:author org:oecd , org:handelskammer-hamburg } }""",
    )
    assert found == [
        (
            "hamburg-de-oecd-studie-hamburg-klimaneutral",
            "Climate neutrality for the Hamburg economy by 2040",
            "2024-01-26",
        )
    ]


def test_planetariums(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?g ?who ?city WHERE { GRAPH ?g {
          project:hamburg-quebec-planetarium-productions rg:participant ?who . ?who rg:locatedIn ?city } }
        ORDER BY ?who""",
    )
    graph = "unidentified-page-hamburg-quebec-planetariums"
    assert found == [
        (graph, "org/planetarium-hamburg", "city/hamburg"),
        (graph, "org/planetarium-montreal", "city/montreal"),
    ]
