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
    """The overview page names the nine partner cities and nothing more: no dates, no status."""
    found = rows(
        store,
        """SELECT ?city ?qid WHERE {
          GRAPH <https://w3id.org/relgraph/graph/hamburg-de-partnerstaedte> {
            ?a rg:agreementType ?type ; rg:party city:hamburg , ?city .
            ?city rg:wikidataId ?qid .
            FILTER (?city != city:hamburg)
          }
        } ORDER BY ?city""",
    )
    assert [c for c, _ in found] == [
        "city/chicago",
        "city/dar-es-salaam",
        "city/dresden",
        "city/leon-nicaragua",
        "city/marseille",
        "city/osaka",
        "city/prague",
        "city/saint-petersburg",
        "city/shanghai",
    ]
    stated = rows(
        store,
        """SELECT ?p WHERE { GRAPH <https://w3id.org/relgraph/graph/hamburg-de-partnerstaedte> {
          ?a rg:party city:hamburg ; ?p ?o } FILTER (?p IN (rg:signing, rg:status, rg:oral, rg:statusSince)) }""",
    )
    assert stated == []
    source = rows(
        store,
        """SELECT ?url WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?doc . ?doc schema:url ?url }
        FILTER (?g = <https://w3id.org/relgraph/graph/hamburg-de-partnerstaedte>) }""",
    )
    assert source == [("https://www.hamburg.de/partnerstaedte/",)]


def test_each_partnership_date_comes_from_the_page_that_states_it(store: Store) -> None:
    found = rows(
        store,
        """SELECT DISTINCT ?city ?date ?place ?g ?url WHERE {
          GRAPH ?g { ?a rg:party city:hamburg , ?city ; rg:signing ?s . ?s rg:date ?date
                     OPTIONAL { ?s rg:place ?place } }
          ?a rg:agreementType/skos:broader* at:city-twinning .
          FILTER (?city != city:hamburg)
          OPTIONAL { ?g prov:wasDerivedFrom/schema:url ?url }
        } ORDER BY ?city ?date""",
    )
    assert [r[:4] for r in found] == [
        ("city/chicago", "1994-07-20", "city/chicago", "hamburg-business-hamburg-chicago-30-jahre"),
        ("city/dar-es-salaam", "2010-07-01", "site/hamburg-city-hall", "hamburg-de-daressalam-chronologie"),
        ("city/dresden", "1987-12-14", "", "unidentified-account-hamburg-dresden-1987-12-14"),
        ("city/dresden", "1987-12-15", "", "unidentified-reports-hamburg-dresden-1987-12-15"),
        ("city/leon-nicaragua", "1989-05-10", "", "taz-hamburg-leon-1989"),
        ("city/leon-nicaragua", "1990", "", "research-conference-hamburg2021-hamburg"),
        ("city/marseille", "1958-07-10", "city/marseille", "hamburg-de-marseille-partnerschaftserklaerung"),
        ("city/osaka", "1989-05-11", "", "hamburg-de-osaka-partnerschaftserklaerung"),
        ("city/prague", "1990-04-19", "city/hamburg", "hamburg-de-prag-partnerschaftserklaerung"),
        ("city/saint-petersburg", "1957", "", "hamburg-de-stpetersburg-chronologie"),
        ("city/shanghai", "1979", "", "hamburg-magazin-hamburgs-partnerstaedte"),
        ("city/shanghai", "1986-05-29", "", "hamburg-de-jubilaeum-shanghai"),
    ]
    urls = {g: url for *_, g, url in found}
    assert urls["hamburg-de-daressalam-chronologie"] == "https://www.hamburg.de/international/daressalaam-chronologie/"
    assert urls["taz-hamburg-leon-1989"] == "https://taz.de/!1266397"
    assert urls["unidentified-account-hamburg-dresden-1987-12-14"] == ""  # no address is invented
    # the same agreement and signing entities carry every claim: one signing per city
    signings = rows(
        store,
        """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?a rg:agreementType/skos:broader* at:city-twinning ;
            rg:party city:hamburg ; rg:signing ?s }""",
    )
    assert signings == [("9",)]


def test_signatories_of_the_partnership_declarations(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?city ?person ?post ?g WHERE { GRAPH ?g {
          ?a rg:party city:hamburg , ?city ; rg:signing/rg:signature ?sig .
          ?sig rg:signatory ?person ; rg:inPost ?post ; rg:onBehalfOf ?party }
          FILTER (?city != city:hamburg && ?city != region:quebec) } ORDER BY ?city ?person""",
    )
    assert found == [
        (
            "city/dar-es-salaam",
            "person/ole-von-beust",
            "post/first-mayor-of-hamburg",
            "hamburg-de-daressalam-chronologie",
        ),
        ("city/leon-nicaragua", "person/henning-voscherau", "post/first-mayor-of-hamburg", "taz-hamburg-leon-1989"),
        (
            "city/marseille",
            "person/gaston-defferre",
            "post/mayor-of-marseille",
            "hamburg-de-marseille-partnerschaftserklaerung",
        ),
        (
            "city/marseille",
            "person/max-brauer",
            "post/first-mayor-of-hamburg",
            "hamburg-de-marseille-partnerschaftserklaerung",
        ),
        ("city/shanghai", "person/jiang-zemin", "post/mayor-of-shanghai", "hamburg-de-jubilaeum-shanghai"),
        ("city/shanghai", "person/klaus-von-dohnanyi", "post/first-mayor-of-hamburg", "hamburg-de-jubilaeum-shanghai"),
    ]


def test_dar_es_salaam_signed_in_july_and_approved_in_june(store: Store) -> None:
    """June 2010 is the Bürgerschaft's vote, an event of its own, not a second signing date."""
    dates = rows(
        store,
        "SELECT DISTINCT ?d WHERE { agreement:hamburg-dar-es-salaam-city-twinning rg:signing/rg:date ?d }",
    )
    assert dates == [("2010-07-01",)]
    approval = rows(
        store,
        """SELECT ?by ?when ?g WHERE { GRAPH ?g { ?e a rg:Approval ;
          rg:about agreement:hamburg-dar-es-salaam-city-twinning ; rg:approvedBy ?by ; schema:startDate ?when } }""",
    )
    assert approval == [("org/hamburgische-buergerschaft", "2010-06", "hamburg-de-daressalam-chronologie")]


def test_saint_petersburg_oral_and_the_exchange_suspended(store: Store) -> None:
    """What is suspended is the exchange; no source states the partnership's own status."""
    found = rows(
        store,
        """SELECT ?g ?oral ?status ?since WHERE { GRAPH ?g {
          agreement:hamburg-saint-petersburg-city-twinning rg:oral ?oral .
          ?exchange rg:partOf agreement:hamburg-saint-petersburg-city-twinning ; rg:status ?status ;
              rg:statusSince ?since } }""",
    )
    assert found == [
        (
            "hamburg-de-stpetersburg-chronologie",
            "true",
            "https://w3id.org/relgraph/concept/status/suspended",
            "2022-02-24",
        )
    ]
    assert rows(store, "SELECT ?s WHERE { agreement:hamburg-saint-petersburg-city-twinning rg:status ?s }") == []


def test_leon_is_a_development_partnership(store: Store) -> None:
    found = rows(
        store,
        """SELECT DISTINCT ?type ?broader WHERE { agreement:hamburg-leon-nicaragua-city-twinning
          rg:agreementType ?t . ?t skos:broader ?b .
          BIND (STRAFTER(STR(?t), "agreement-type/") AS ?type)
          BIND (STRAFTER(STR(?b), "agreement-type/") AS ?broader) }""",
    )
    assert found == [("development-partnership", "city-twinning")]


def test_shanghai_memoranda_renew_the_declaration(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?m ?g WHERE { GRAPH ?g { ?m rg:renews agreement:hamburg-shanghai-city-twinning ;
          rg:agreementType at:memorandum-of-understanding } }""",
    )
    assert found == [("agreement/hamburg-shanghai-memoranda", "hamburg-de-shanghai-partnerschaftserklaerung")]


def test_quebec_and_european_regions(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?region ?type ?date ?g WHERE { GRAPH ?g {
          ?a rg:party region:quebec , ?region ; rg:agreementType ?t ; rg:signing/rg:date ?date .
          FILTER (?region != region:quebec) BIND (STRAFTER(STR(?t), "agreement-type/") AS ?type) }
        } ORDER BY ?region ?date""",
    )
    pages, ministry = "unidentified-pages-quebec-european-regions", "gouvernement-du-quebec-mrif"
    assert found == [
        ("region/bavaria", "joint-declaration", "1989-01-18", pages),
        ("region/bavaria", "joint-declaration", "2003-05", pages),
        ("region/bavaria", "joint-declaration", "2008", ministry),
        ("region/bavaria", "joint-declaration", "2012", pages),
        ("region/bavaria", "declaration-of-intent", "2024-02", ministry),
        ("region/brussels-capital-region", "cooperation-agreement", "2002-09", pages),
        ("region/flanders", "cooperation-agreement", "1989", pages),
        ("region/flanders", "cooperation-agreement", "2002-03-05", pages),
        ("region/wallonia", "cooperation-agreement", "1989", pages),
    ]
    renews = rows(
        store,
        """SELECT DISTINCT ?new ?old WHERE { ?new rg:renews ?old ; rg:party region:quebec }
        ORDER BY ?new""",
    )
    assert renews == [
        ("agreement/quebec-bavaria-joint-communique-update", "agreement/quebec-bavaria-joint-communique-1989"),
        (
            "agreement/quebec-flanders-cooperation-agreement-2002",
            "agreement/quebec-flanders-cooperation-agreement-1989",
        ),
    ]
    biron = rows(
        store,
        """SELECT ?place ?person WHERE { agreement:quebec-bavaria-declaration-of-intent-2024 rg:signing ?s .
          ?s rg:place ?place ; rg:signature/rg:signatory ?person }""",
    )
    assert biron == [("city/munich", "person/martine-biron")]


def test_posts_and_names_as_their_holders_write_them(store: Store) -> None:
    labels = rows(
        store,
        """SELECT DISTINCT ?post ?lang ?label WHERE { ?post rdfs:label ?label . BIND (LANG(?label) AS ?lang)
          VALUES ?post { <https://w3id.org/relgraph/id/post/quebec-minister-of-international-relations>
                         <https://w3id.org/relgraph/id/post/first-mayor-of-hamburg> } } ORDER BY ?post ?lang""",
    )
    assert labels == [
        ("post/first-mayor-of-hamburg", "de", "Erster Bürgermeister der Freien und Hansestadt Hamburg"),
        ("post/first-mayor-of-hamburg", "en", "First Mayor of Hamburg"),
        ("post/first-mayor-of-hamburg", "fr", "premier maire de Hambourg"),
        (
            "post/quebec-minister-of-international-relations",
            "de",
            "Ministerin bzw. Minister für internationale Beziehungen und die Frankophonie (Québec)",
        ),
        (
            "post/quebec-minister-of-international-relations",
            "en",
            "Minister of International Relations and La Francophonie",
        ),
        (
            "post/quebec-minister-of-international-relations",
            "fr",
            "ministre des Relations internationales et de la Francophonie",
        ),
    ]
    holders = rows(
        store,
        """SELECT ?who ?when ?g WHERE { GRAPH ?g { ?t rg:post
          <https://w3id.org/relgraph/id/post/quebec-minister-of-international-relations> ;
          rg:holder ?who ; rg:attestedOn ?when } } ORDER BY ?when""",
    )
    assert holders == [
        ("person/martine-biron", "2024-02", "gouvernement-du-quebec-mrif"),
        ("person/martine-biron", "2024-02-28", "hamburg-de-2024-02-28-quebec"),
        ("person/christopher-skeete", "2025-12", "gouvernement-du-quebec-mrif"),
    ]
    names = rows(store, 'SELECT DISTINCT ?l WHERE { org:universitaet-hamburg rdfs:label ?l FILTER (LANG(?l) = "en") }')
    assert names == [("Universität Hamburg",)]
    legal = rows(store, "SELECT DISTINCT ?n WHERE { org:hamburg-aviation schema:legalName ?n }")
    assert legal == [("Luftfahrtcluster Metropolregion Hamburg e.V.",)]


def test_uhh_kyoto(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?a ?date ?place ?g WHERE { GRAPH ?g {
          ?a rg:party org:universitaet-hamburg , org:kyoto-university ; rg:signing ?s . ?s rg:date ?date .
          OPTIONAL { ?s rg:place ?place } } } ORDER BY ?date ?g""",
    )
    kyoto, uhh = (
        "kyoto-university-uhh-strategic-partnership",
        "universitaet-hamburg-kyoto-university-strategic-partnership",
    )
    assert found == [
        ("agreement/uhh-kyoto-university-exchange-agreement-2017", "2017", "", kyoto),
        ("agreement/uhh-kyoto-university-exchange-agreement-2017", "2017", "", uhh),
        ("agreement/uhh-kyoto-university-partnership", "2020", "", kyoto),
        ("agreement/uhh-kyoto-university-partnership", "2020", "", uhh),
        ("agreement/uhh-kyoto-university-partnership-extension", "2023-06-19", "site/hamburg-city-hall", kyoto),
        ("agreement/uhh-kyoto-university-partnership-extension", "2023-06-19", "site/hamburg-city-hall", uhh),
    ]
    # the teaser article states only the renewal until 2026 and the theme
    teaser = rows(
        store,
        """SELECT ?p WHERE { GRAPH <https://w3id.org/relgraph/graph/hamburg-de-uhh-kyoto-university-partnerschaft> {
          ?a rg:party org:kyoto-university ; ?p ?o } } ORDER BY ?p""",
    )
    assert {p for (p,) in teaser} == {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "https://w3id.org/relgraph/ontology#agreementType",
        "https://w3id.org/relgraph/ontology#field",
        "https://w3id.org/relgraph/ontology#party",
        "https://w3id.org/relgraph/ontology#renews",
        "https://w3id.org/relgraph/ontology#timeLimited",
        "https://w3id.org/relgraph/ontology#validUntil",
    }
    published = rows(
        store,
        """SELECT ?issued ?publisher WHERE { GRAPH ?g { ?g dct:issued ?issued ; dct:publisher ?publisher }
        FILTER (?g = <https://w3id.org/relgraph/graph/hamburg-de-uhh-kyoto-university-partnerschaft>) }""",
    )
    assert published == [("2023-06-28", "org/hamburg-business-com")]


def test_gacp(store: Store) -> None:
    """Founded (not announced) on 23 June 2023 by 12 clusters; Aéro Montréal sponsors it, not a party."""
    found = rows(
        store,
        """SELECT ?g ?founded ?count ?status ?since WHERE { GRAPH ?g {
          org:hamburg-aviation a rg:Association ; schema:foundingDate ?founded .
          ?founding a rg:Meeting ; rg:about cooperation:gacp ; rg:participantCount ?count ;
                    schema:startDate "2023-06-23"^^<http://www.w3.org/2001/XMLSchema#date> ;
                    schema:superEvent/rdfs:label "Paris Air Show 2023"@en .
          cooperation:gacp rg:status ?status ; rg:statusSince ?since } }""",
    )
    assert found == [
        (
            "hamburg-de-gacp-partnerschaft-luft-und-raumfahrtcluster",
            "2011-01",
            "12",
            "https://w3id.org/relgraph/concept/status/active",
            "2023-06-23",
        )
    ]
    parties = rows(store, "SELECT DISTINCT ?p WHERE { cooperation:gacp rg:party ?p }")
    assert parties == [("org/hamburg-aviation",)]
    sponsors = rows(store, "SELECT ?s WHERE { cooperation:gacp rg:supportedBy ?s } ORDER BY ?s")
    assert sponsors == [("org/aero-montreal",), ("org/gouvernement-du-quebec",)]
    statuses = rows(store, "SELECT DISTINCT ?s WHERE { cooperation:gacp rg:status ?s }")
    assert statuses == [("https://w3id.org/relgraph/concept/status/active",)]


def test_oecd_study(store: Store) -> None:
    """Written by the OECD; the Handelskammer initiated and supported it, no co-author; presented 26 Jan 2024."""
    authors = rows(store, "SELECT DISTINCT ?a WHERE { study:oecd-hamburg-climate-neutrality-2040 rg:author ?a }")
    assert authors == [("org/oecd",)]
    found = rows(
        store,
        """SELECT ?g ?title ?presented ?initiator ?supporter WHERE { GRAPH ?g {
          study:oecd-hamburg-climate-neutrality-2040 dct:title ?title ; rg:presentedOn ?presented ;
              rg:initiatedBy ?initiator ; rg:supportedBy ?supporter } }""",
    )
    assert found == [
        (
            "hamburg-de-oecd-studie-hamburg-klimaneutral",
            "Climate neutrality of the Hamburg economy by 2040",
            "2024-01-26",
            "org/handelskammer-hamburg",
            "org/handelskammer-hamburg",
        )
    ]
    assert rows(store, "SELECT ?d WHERE { study:oecd-hamburg-climate-neutrality-2040 dct:issued ?d }") == []


def test_planned_culture_projects(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?project ?who WHERE {
          GRAPH <https://w3id.org/relgraph/graph/evangelische-zeitung-hamburg-quebec-partnerschaft> {
          ?project rg:partOf agreement:hamburg-quebec-strategic-partnership-2024 ; rg:status st:planned .
          OPTIONAL { ?project rg:participant ?who } } } ORDER BY ?project ?who""",
    )
    assert found == [
        ("project/hamburg-quebec-dance-residencies", ""),
        ("project/hamburg-quebec-planetarium-productions", "org/planetarium-hamburg"),
        ("project/hamburg-quebec-planetarium-productions", "org/planetarium-montreal"),
        ("project/hamburg-quebec-quebec-cinema-filmfest", "org/filmfest-hamburg"),
        ("project/hamburg-quebec-quebec-cinema-filmfest", "org/quebec-cinema"),
        ("project/hamburg-quebec-virtual-reality-exhibitions", ""),
    ]


def test_press_archive_entry_has_its_real_headline(store: Store) -> None:
    found = rows(
        store,
        """SELECT ?title WHERE { GRAPH ?g { ?g prov:wasDerivedFrom/dct:title ?title }
        FILTER (?g = <https://w3id.org/relgraph/graph/hamburg-de-pressearchiv-2024-02-20-sk-quebec>) }""",
    )
    assert found == [("Hamburg und Québec schließen Strategische Partnerschaft",)]
