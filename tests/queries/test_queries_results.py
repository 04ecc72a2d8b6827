"""One test per ready-made query, with its expected answer on the seed data.

Every test here uses ``seed_store`` (ontology + ``data/seed/*.trig``: the
Hamburg–Québec release of 28 Feb 2024 and the press-archive entry of 20 Feb
2024) unless it says ``extra_store`` (seed + ``tests/queries/data/extra.trig``).
"""

from __future__ import annotations

from typing import Any

import pytest
from queries_support import CONCEPT, ID, RG

from relgraph.queries import run

HAMBURG = ID + "city/hamburg"
QUEBEC = ID + "region/quebec"
SP2024 = ID + "agreement/hamburg-quebec-strategic-partnership-2024"
COOP = ID + "cooperation/hamburg-quebec"
MOU = ID + "agreement/zal-criaq-mou-2023"
UHH_KYOTO = ID + "agreement/uhh-kyoto-university-partnership"
UHH_KYOTO_EXT = ID + "agreement/uhh-kyoto-university-partnership-extension"
PRESSEARCHIV = ID + "source/hamburg-de-pressearchiv-2024-02-20-sk-quebec"
RELEASE = ID + "source/hamburg-de-2024-02-28-quebec"


def rows(store: Any, queries: dict, name: str, **params: str) -> list[dict[str, str]]:
    return run(store, queries[name], params).rows()


def col(result: list[dict[str, str]], name: str) -> list[str | None]:
    return [r.get(name) for r in result]


# seed: SP 2024 (Hamburg, Québec; signed 2024-02-20 per the press archive) and the cooperation.
def test_partners_of(seed_store, queries) -> None:
    result = rows(seed_store, queries, "partners-of", entity=HAMBURG)
    assert [(r["partner"], r["relation"], r["kind"]) for r in result] == [
        (QUEBEC, COOP, RG + "Cooperation"),
        (QUEBEC, SP2024, RG + "Agreement"),
    ]
    sp = result[1]
    assert sp["partnerLabel"] == "Quebec" and sp["partnerLabel@lang"] == "en"
    assert sp["agreementType"] == CONCEPT + "agreement-type/strategic-partnership"
    assert (sp["date"], sp["date@type"]) == ("2024-02-20", "xsd:date")
    assert sp["status"] == CONCEPT + "status/active"
    assert "date" not in result[0]  # the cooperation has no date: unbound, left out


def test_partners_of_filtered_by_type(seed_store, queries) -> None:
    result = rows(
        seed_store, queries, "partners-of", entity=HAMBURG, type=CONCEPT + "agreement-type/strategic-partnership"
    )
    assert col(result, "relation") == [SP2024]
    assert rows(seed_store, queries, "partners-of", entity=HAMBURG, type=CONCEPT + "agreement-type/city-twinning") == []


# seed: UHH and Kyoto University are parties of the partnership and of its extension.
def test_partners_of_an_organisation(seed_store, queries) -> None:
    result = rows(seed_store, queries, "partners-of", entity=ID + "org/universitaet-hamburg")
    assert set(col(result, "relation")) == {UHH_KYOTO, UHH_KYOTO_EXT}
    assert set(col(result, "partner")) == {ID + "org/kyoto-university"}


# seed: two direct relations, and the ZAL–CRIAQ MoU through institutions located in each.
def test_relations_between(seed_store, queries) -> None:
    result = rows(seed_store, queries, "relations-between", entity=HAMBURG, other=QUEBEC)
    got = {(r["relation"], r["party"], r["otherParty"], r["via"]) for r in result}
    assert got == {
        (COOP, HAMBURG, QUEBEC, "direct"),
        (SP2024, HAMBURG, QUEBEC, "direct"),
        (MOU, ID + "org/zal", ID + "org/criaq", "institutions"),
    }
    assert rows(seed_store, queries, "relations-between", entity=HAMBURG, other=HAMBURG) == []


# seed: the two UHH–Kyoto agreements are university partnerships; SP 2024 is the only strategic one.
def test_agreements_of_type(seed_store, queries) -> None:
    result = rows(seed_store, queries, "agreements-of-type", type=CONCEPT + "agreement-type/university-partnership")
    assert set(col(result, "relation")) == {UHH_KYOTO, UHH_KYOTO_EXT}
    assert {r["status"] for r in result} == {CONCEPT + "status/active", CONCEPT + "status/renewed"}
    sp = rows(seed_store, queries, "agreements-of-type", type=CONCEPT + "agreement-type/strategic-partnership")
    assert len(sp) == 1 and sp[0]["relation"] == SP2024
    assert set(sp[0]["parties"].split(" | ")) == {"Hamburg", "Quebec"}
    assert sp[0]["date"] == "2024-02-20"


# seed: research is a field of SP 2024 (2024-02-20), the cooperation (undated) and the MoU (2023-06).
def test_agreements_in_field(seed_store, queries) -> None:
    research = CONCEPT + "field/research"
    everything = rows(seed_store, queries, "agreements-in-field", field=research)
    assert set(col(everything, "relation")) == {SP2024, COOP, MOU}
    mou = next(r for r in everything if r["relation"] == MOU)
    assert (mou["earliestDate"], mou["earliestDate@type"]) == ("2023-06", "xsd:gYearMonth")
    # "2023-06" overlaps a range starting 2023-06-15; undated relations drop out once a range is given
    since = rows(seed_store, queries, "agreements-in-field", field=research, **{"from": "2023-06-15"})
    assert col(since, "relation") == [MOU, SP2024]
    until = rows(seed_store, queries, "agreements-in-field", field=research, to="2023-12-31")
    assert col(until, "relation") == [MOU]
    assert rows(seed_store, queries, "agreements-in-field", field=research, **{"from": "2024-03-01"}) == []


# seed: dance and planetarium are narrower than culture, so the projects count for culture.
def test_agreements_in_field_follows_narrower_fields(seed_store, queries) -> None:
    result = rows(seed_store, queries, "agreements-in-field", field=CONCEPT + "field/culture")
    assert len(result) == 4
    assert col(result, "kind").count(RG + "Project") == 3


# seed: the MoU started 2023-06, SP 2024 on 2024-02-20; neither has ended.
@pytest.mark.parametrize(
    ("day", "expected"),
    [("2024-06-01", [MOU, SP2024]), ("2023-12-31", [MOU]), ("2023-06-15", [MOU]), ("2023-05-31", [])],
)
def test_active_on(seed_store, queries, day: str, expected: list[str]) -> None:
    assert col(rows(seed_store, queries, "active-on", date=day), "agreement") == expected


def test_active_on_for_an_entity_and_time_limited(seed_store, queries) -> None:
    assert col(rows(seed_store, queries, "active-on", date="2024-06-01", entity=ID + "org/zal"), "agreement") == [MOU]
    sp = rows(seed_store, queries, "active-on", date="2024-06-01", entity=HAMBURG)[1]
    assert (sp["agreement"], sp["timeLimited"], sp["timeLimited@type"]) == (SP2024, "true", "xsd:boolean")


# extra: a validUntil before the day ends an agreement (time-limited agreements end).
def test_active_on_respects_valid_until(tmp_path, queries) -> None:
    from queries_support import seed_files

    from relgraph.store import Store

    extra = tmp_path / "until.trig"
    extra.write_text(
        "@prefix rg: <https://w3id.org/relgraph/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f'<https://w3id.org/relgraph/graph/until> {{ <{SP2024}> rg:validUntil "2025-12"^^xsd:gYearMonth . }}\n'
    )
    store = Store(tmp_path / "store")
    store.load([*seed_files(), extra])
    assert SP2024 in col(rows(store, queries, "active-on", date="2025-12-31"), "agreement")
    assert SP2024 not in col(rows(store, queries, "active-on", date="2026-01-01"), "agreement")


# seed: Tschentscher (First Mayor, for Hamburg) and Biron (minister, for Québec) signed on 2024-02-20.
def test_signatories(seed_store, queries) -> None:
    result = rows(seed_store, queries, "signatories")
    got = {(r["signatory"], r["post"], r["onBehalfOf"], r["date"]) for r in result}
    assert got == {
        (ID + "person/peter-tschentscher", ID + "post/first-mayor-of-hamburg", HAMBURG, "2024-02-20"),
        (ID + "person/martine-biron", ID + "post/quebec-minister-of-international-relations", QUEBEC, "2024-02-20"),
    }
    assert {r["place"] for r in result} == {ID + "site/hamburg-city-hall"}
    assert rows(seed_store, queries, "signatories", agreement=SP2024) == result
    assert rows(seed_store, queries, "signatories", agreement=MOU) == []  # the MoU's signatories are unknown


# seed: the MoU signed "2023-06" (per the release), SP 2024 signed 2024-02-20 (per the press archive).
def test_timeline(seed_store, queries) -> None:
    result = rows(seed_store, queries, "timeline", entity=HAMBURG)
    assert [(r["date"], r["date@type"], r["event"], r["relation"], r["source"]) for r in result] == [
        ("2023-06", "xsd:gYearMonth", "signed", MOU, RELEASE),
        ("2024-02-20", "xsd:date", "signed", SP2024, PRESSEARCHIV),
    ]


# extra: a second source gives 2024-02-28 for the same signing: both dates stay, each with its source.
def test_timeline_keeps_disagreeing_sources(extra_store, queries) -> None:
    result = rows(extra_store, queries, "timeline", entity=QUEBEC)
    sp = [(r["date"], r["source"]) for r in result if r["relation"] == SP2024]
    assert sp == [("2024-02-20", PRESSEARCHIV), ("2024-02-28", ID + "source/test-other-source")]


# seed: ZAL (MoU with CRIAQ) and UHH (two agreements with Kyoto University) are in Hamburg.
def test_institutions_of_place(seed_store, queries) -> None:
    result = rows(seed_store, queries, "institutions-of-place", place=HAMBURG)
    assert {(r["institution"], r["relation"], r["partner"]) for r in result} == {
        (ID + "org/zal", MOU, ID + "org/criaq"),
        (ID + "org/universitaet-hamburg", UHH_KYOTO, ID + "org/kyoto-university"),
        (ID + "org/universitaet-hamburg", UHH_KYOTO_EXT, ID + "org/kyoto-university"),
    }
    quebec = rows(seed_store, queries, "institutions-of-place", place=QUEBEC)
    assert [(r["institution"], r["partner"]) for r in quebec] == [(ID + "org/criaq", ID + "org/zal")]


# seed: Hamburg and Québec have no partner in common; extra: both have agreements with Testville.
def test_shared_partners(seed_store, extra_store, queries) -> None:
    assert rows(seed_store, queries, "shared-partners", entity=HAMBURG, other=QUEBEC) == []
    result = rows(extra_store, queries, "shared-partners", entity=HAMBURG, other=QUEBEC)
    assert [(r["partner"], r["relation"], r["otherRelation"]) for r in result] == [
        (ID + "city/testville", ID + "agreement/hamburg-testville", ID + "agreement/quebec-testville")
    ]


# seed: Hamburg's three relations with partners in Québec/Canada (SP 2024, cooperation, ZAL–CRIAQ MoU).
def test_top_partner_countries(seed_store, queries) -> None:
    result = rows(seed_store, queries, "top-partner-countries", entity=HAMBURG)
    assert [(r["place"], r["kind"], r["relations"], r["partners"]) for r in result] == [
        (ID + "country/canada", "country", "3", "2"),
        (QUEBEC, "region", "3", "2"),
    ]
    quebec = rows(seed_store, queries, "top-partner-countries", entity=QUEBEC)
    assert col(quebec, "place") == [ID + "country/germany", HAMBURG]


# seed: fields of SP 2024, the cooperation, its projects, the MoU (ZAL) and the UHH–Kyoto extension.
def test_fields_of(seed_store, queries) -> None:
    result = rows(seed_store, queries, "fields-of", entity=HAMBURG)
    counts = {r["field"].rsplit("/", 1)[1]: int(r["relations"]) for r in result}
    assert counts == {
        "culture": 4,
        "research": 3,
        "economy": 2,
        "aerospace": 1,
        "dance-and-choreography": 1,
        "planetarium": 1,
        "planetary-health": 1,
        "science": 1,
        "technology": 1,
        "virtual-reality": 1,
    }
    top = [CONCEPT + "field/culture", CONCEPT + "field/research", CONCEPT + "field/economy"]
    assert col(result, "field")[:3] == top
    dance = next(r for r in result if r["field"].endswith("dance-and-choreography"))
    assert dance["broader"] == CONCEPT + "field/culture"


# seed: three planned cultural projects, part of SP 2024.
def test_planned_projects(seed_store, queries) -> None:
    everything = rows(seed_store, queries, "planned-projects")
    assert len(everything) == 3
    assert {r["status"] for r in everything} == {CONCEPT + "status/planned"}
    assert {r["partOf"] for r in everything} == {SP2024}
    planned = rows(seed_store, queries, "planned-projects", status=CONCEPT + "status/planned", entity=HAMBURG)
    assert planned == everything
    assert rows(seed_store, queries, "planned-projects", status=CONCEPT + "status/active") == []
    assert rows(seed_store, queries, "planned-projects", entity=ID + "org/zal") == []


# seed: the press-archive graph has 25 triples, among them the signing date and place.
def test_facts_of_source(seed_store, queries) -> None:
    result = rows(seed_store, queries, "facts-of-source", source=PRESSEARCHIV)
    assert len(result) == 25
    facts = {(r["subject"], r["predicate"], r["object"]) for r in result}
    signing = ID + "signing/hamburg-quebec-strategic-partnership-2024"
    assert (signing, RG + "date", "2024-02-20") in facts
    assert (signing, RG + "place", ID + "site/hamburg-city-hall") in facts
    assert {r["graph"] for r in result} == {
        "https://w3id.org/relgraph/graph/hamburg-de-pressearchiv-2024-02-20-sk-quebec"
    }
    assert rows(seed_store, queries, "facts-of-source", source=ID + "source/unknown") == []


# seed: every entity is sourced and labelled in de/en/fr; extra: Nowhere is neither.
def test_curation_gaps(seed_store, extra_store, queries) -> None:
    assert rows(seed_store, queries, "curation-gaps") == []
    result = rows(extra_store, queries, "curation-gaps")
    assert [(r["entity"], r["gap"]) for r in result] == [
        (ID + "city/nowhere", "no label @de"),
        (ID + "city/nowhere", "no label @fr"),
        (ID + "city/nowhere", "no source"),
    ]
    assert rows(extra_store, queries, "curation-gaps", **{"class": RG + "Place"}) == result
    assert rows(extra_store, queries, "curation-gaps", **{"class": RG + "Organization"}) == []


# seed: Hamburg reaches CRIAQ in two hops three ways; Québec directly twice and in three hops once.
def test_connection_paths(seed_store, queries) -> None:
    result = rows(seed_store, queries, "connection-paths", entity=HAMBURG, other=ID + "org/criaq")
    assert col(result, "hops") == ["2", "2", "2"]
    assert (
        "Hamburg —[located in]— Centre of Applied Aeronautical Research (ZAL) —[ZAL–CRIAQ memorandum of "
        "understanding (2023)]— Consortium for Research and Innovation in Aerospace in Québec (CRIAQ)"
        in col(result, "path")
    )
    quebec = rows(seed_store, queries, "connection-paths", entity=HAMBURG, other=QUEBEC)
    assert col(quebec, "hops") == ["1", "1", "3"]
    assert {r["link1"] for r in quebec[:2]} == {SP2024, COOP}
    assert (quebec[2]["node1"], quebec[2]["link2"], quebec[2]["node2"]) == (ID + "org/zal", MOU, ID + "org/criaq")


# seed: "Quebec" finds "Québec"; "kyoto" finds "Universität Kyōto"; case does not matter.
def test_label_search(seed_store, queries) -> None:
    result = rows(seed_store, queries, "label-search", text="Quebec")
    assert result[0]["entity"] == QUEBEC and result[0]["match"] == "0"
    assert {SP2024, COOP, ID + "org/criaq"} <= set(col(result, "entity"))
    assert rows(seed_store, queries, "label-search", text="HAMBOURG")[0]["entity"] == HAMBURG
    kyoto = rows(seed_store, queries, "label-search", text="universitat kyoto")
    assert col(kyoto, "entity") == [ID + "org/kyoto-university"]
    assert rows(seed_store, queries, "label-search", text="Kyōto")[0]["entity"] == ID + "org/kyoto-university"
    assert rows(seed_store, queries, "label-search", text="no such name xyz") == []


# seed: no disagreement; extra: the signing date differs between the press archive and the test source.
def test_source_disagreements(seed_store, extra_store, queries) -> None:
    assert rows(seed_store, queries, "source-disagreements") == []
    result = rows(extra_store, queries, "source-disagreements")
    signing = ID + "signing/hamburg-quebec-strategic-partnership-2024"
    assert [
        (r["subject"], r["property"], r["value"], r["source"], r["otherValue"], r["otherSource"]) for r in result
    ] == [(signing, RG + "date", "2024-02-20", PRESSEARCHIV, "2024-02-28", ID + "source/test-other-source")]
    assert rows(extra_store, queries, "source-disagreements", subject=HAMBURG) == []
    assert rows(extra_store, queries, "source-disagreements", subject=signing) == result


TWINS = "https://w3id.org/relgraph/graph/test-wikipedia-twins"
WD_TWINS = "https://w3id.org/relgraph/graph/test-wikidata-twins"
SEED_GRAPH = "https://w3id.org/relgraph/graph/hamburg-de-2024-02-28-quebec"


def _listing(result: list[dict[str, str]]) -> dict[str, tuple[int, list[str]]]:
    return {r["relation"].rsplit("/", 1)[1]: (int(r["sources"]), sorted(r["graphs"].split())) for r in result}


# sources fixture: hamburg–testburg and testburg–teststadt in both test graphs; hamburg–teststadt
# only in the Wikipedia one, testburg–testdorf only in the Wikidata one; the seed agreements in one graph.
def test_relations_by_sources(sources_store, queries) -> None:
    everything = _listing(rows(sources_store, queries, "relations-by-sources"))
    assert everything["test-hamburg-testburg"] == (2, sorted([TWINS, WD_TWINS]))
    assert everything["test-testburg-teststadt"] == (2, sorted([TWINS, WD_TWINS]))
    assert everything["test-hamburg-teststadt"] == (1, [TWINS])
    assert everything["test-testburg-testdorf"] == (1, [WD_TWINS])
    assert everything["hamburg-quebec-strategic-partnership-2024"] == (1, [SEED_GRAPH])
    result = rows(sources_store, queries, "relations-by-sources", sources="2")
    assert col(result, "relation") == [ID + "agreement/test-hamburg-testburg", ID + "agreement/test-testburg-teststadt"]
    assert "Test Wikipedia twin towns" in result[0]["sourceTitles"]
    one = _listing(rows(sources_store, queries, "relations-by-sources", sources="1", place=HAMBURG))
    assert set(one) == {"hamburg-quebec-strategic-partnership-2024", "test-hamburg-teststadt"}
    assert _listing(rows(sources_store, queries, "relations-by-sources", sources="3")) == {}
    # the most-listed first
    assert [r["sources"] for r in rows(sources_store, queries, "relations-by-sources")][:2] == ["2", "2"]


def test_source_overlap(seed_store, sources_store, queries) -> None:
    assert rows(seed_store, queries, "source-overlap") == []
    result = rows(sources_store, queries, "source-overlap")
    assert [
        (r["source"], r["otherSource"], r["both"], r["onlySource"], r["onlyOther"], r["sourceTitle"]) for r in result
    ] == [(WD_TWINS, TWINS, "2", "1", "1", "Test Wikidata twinnings")]
    assert rows(sources_store, queries, "source-overlap", source=TWINS) == result
    assert rows(sources_store, queries, "source-overlap", source=SEED_GRAPH) == []


def test_every_query_has_a_test_here(queries) -> None:
    from pathlib import Path

    text = Path(__file__).read_text(encoding="utf-8")
    missing = [name for name in queries if f'"{name}"' not in text]
    assert missing == []
