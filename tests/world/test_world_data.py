"""The shipped world data (data/world/*.nq.gz) end to end: what a user gets from `relgraph load`.

One store with the bundled data and the world graphs serves these tests (the one run on the real
data that CI keeps). The build itself is rerun in test_world_build.py (its own file, so that
the two long runs go to different test processes).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from relgraph.resources import bundled_dir, world_files
from relgraph.store import Store
from relgraph.world.build import EXTERNAL_FILES
from relgraph.world.names import fold

ID = "https://w3id.org/relgraph/id/"
G = "https://w3id.org/relgraph/graph/"
SAMPLE = Path(__file__).parent / "data" / "merge-sample.csv"
PREFIXES = """PREFIX rg: <https://w3id.org/relgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX city: <https://w3id.org/relgraph/id/city/>
PREFIX graph: <https://w3id.org/relgraph/graph/>
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("world") / "store")
    store.load_bundled(world=True)
    yield store
    store.close()


def rows(store: Store, query: str) -> list[tuple[str, ...]]:
    result = store.query(PREFIXES + query)
    names = [v.value for v in result.variables]
    return [tuple("" if r[n] is None else r[n].value.removeprefix(ID).removeprefix(G) for n in names) for r in result]


def test_the_world_graphs_are_shipped() -> None:
    names = {p.name for p in world_files()}
    assert names == {
        "countries.nq.gz",
        "eurocities-members-2025.nq.gz",
        "statement-global-declaration-of-mayors-for-democracy.nq.gz",
        "statement-mayors-voice-support-for-ekrem-imamoglu.nq.gz",
        "wikidata-p190-2016.nq.gz",
        "wikipedia-twin-towns-2026.nq.gz",
    }


@pytest.mark.slow
def test_a_sample_of_the_world_data_conforms_to_the_shapes(world: Store) -> None:
    """`relgraph build-world` checks the whole result (minutes); CI checks every 25th node of what ships."""
    from relgraph.validate import validate_store

    report = validate_store(world, sample=25)
    assert report.scope and report.scope > 3000
    assert report.violations == []


def test_hamburg_is_one_entity_with_its_partners_from_every_source(world: Store) -> None:
    found = rows(
        world,
        """SELECT ?partner (GROUP_CONCAT(DISTINCT ?src; separator=" ") AS ?sources) WHERE {
          GRAPH ?g { ?a rg:party city:hamburg , ?p FILTER(?p != city:hamburg) }
          ?a rg:agreementType/skos:broader* <https://w3id.org/relgraph/concept/agreement-type/city-twinning>
          BIND(STRAFTER(STR(?p), "/id/") AS ?partner) BIND(STRAFTER(STR(?g), "/graph/") AS ?src)
        } GROUP BY ?partner ORDER BY ?partner""",
    )
    by_partner = {p: set(s.split()) for p, s in found}
    official = {
        "city/chicago", "city/dar-es-salaam", "city/dresden", "city/leon-nicaragua", "city/marseille",
        "city/osaka", "city/prague", "city/saint-petersburg", "city/shanghai",
    }  # fmt: skip
    assert official <= set(by_partner)
    for partner in official:  # the city's overview page, Wikipedia 2026 and Wikidata 2016 all list the nine
        assert {"hamburg-de-partnerstaedte", "wikipedia-twin-towns-2026", "wikidata-p190-2016"} <= by_partner[
            partner
        ], partner
    only_wikidata = {p for p, s in by_partner.items() if s == {"wikidata-p190-2016"}}
    assert len(only_wikidata) == 4  # Varna, Auckland, Valdivia, Königsberg: in Wikidata, not on the official list
    assert rows(world, 'SELECT DISTINCT ?e WHERE { ?e rg:wikidataId "Q1055" }') == [("city/hamburg",)]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Prag", "Prague"),
        ("Daressalam", "Dar es Salaam"),
        ("Sankt Petersburg", "Saint Petersburg"),
        ("Warna", "Varna"),
    ],
)
def test_names_in_different_languages_are_one_entity(world: Store, one: str, other: str) -> None:
    entities = {
        name: {
            e
            for (e,) in rows(
                world, f'SELECT DISTINCT ?e WHERE {{ ?e rdfs:label|skos:altLabel ?l FILTER(STR(?l) = "{name}") }}'
            )
        }
        for name in (one, other)
    }
    shared = entities[one] & entities[other]
    assert len(shared) == 1, entities


def test_counts_match_the_files_minus_the_report(world: Store) -> None:
    external = bundled_dir("data") / "external"
    with open(external / EXTERNAL_FILES["twin_towns"], encoding="utf-8") as handle:
        listed = {frozenset(((r["city1"], r["country1"]), (r["city2"], r["country2"]))) for r in csv.DictReader(handle)}
    pairs = rows(
        world,
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH graph:wikipedia-twin-towns-2026 { ?a rg:party ?p } }",
    )
    # 25,917 rows: 1,107 list a pair again (from the partner's page, with another country spelling), 3 pair a
    # place with itself and 2 have no country: 24,805 relations
    assert len(listed) == 25_917 and int(pairs[0][0]) == 24_805
    members = rows(world, "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a rg:Membership }")
    assert int(members[0][0]) == 206  # 209 members, 3 repeating a Wikidata id
    signatures = rows(
        world,
        """SELECT ?s (COUNT(DISTINCT ?sig) AS ?n) WHERE { ?s a rg:JointStatement ; rg:signing/rg:signature ?sig }
        GROUP BY ?s ORDER BY ?n""",
    )
    assert [int(n) for _, n in signatures] == [82, 252]  # 85 entries, 3 signed by organisations


def test_licences_per_source(world: Store) -> None:
    found = dict(rows(world, "SELECT ?g ?l WHERE { GRAPH ?g { ?g a rg:SourceGraph ; dct:license ?l } } ORDER BY ?g"))
    assert found["wikipedia-twin-towns-2026"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert found["wikidata-p190-2016"] == "https://creativecommons.org/publicdomain/zero/1.0/"


def test_every_merge_records_how_it_was_made(world: Store) -> None:
    unrecorded = rows(
        world,
        """SELECT (COUNT(*) AS ?n) WHERE { GRAPH graph:wikipedia-twin-towns-2026 { ?e rg:country ?c }
          FILTER NOT EXISTS { GRAPH graph:wikipedia-twin-towns-2026 { ?e a rg:City } }
          FILTER NOT EXISTS { GRAPH graph:wikipedia-twin-towns-2026 { ?e rg:matchMethod ?how } } }""",
    )
    assert unrecorded == [("0",)]


def test_merge_precision_on_the_hand_checked_sample(world: Store) -> None:
    with SAMPLE.open(encoding="utf-8") as handle:
        sample = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    assert len(sample) >= 100
    correct = sum(1 for r in sample if r["verdict"] == "correct")
    assert correct / len(sample) >= 0.98
    for r in sample:  # the sample is of the shipped data: every merge is still there, made the same way
        entity = ID + r["entity"]
        if r["source"] == "wikidata-p190-2016":
            qid = r["mention"].split()[0]
            ask = f'ASK {{ GRAPH graph:wikidata-p190-2016 {{ <{entity}> rg:wikidataId "{qid}" }} }}'
        else:
            ask = f'ASK {{ GRAPH graph:wikipedia-twin-towns-2026 {{ <{entity}> rg:matchMethod "{r["how"]}" }} }}'
            labels = rows(world, f"SELECT ?l WHERE {{ <{entity}> rdfs:label|skos:altLabel ?l }}")
            assert r["mention"].split("|")[0] in {fold(n) for (n,) in labels}, r
        assert bool(world.query(PREFIXES + ask)), r
