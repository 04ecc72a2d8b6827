"""relgraph.summary without a server: dates at their precision, labels with fallback, search normalisation."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from relgraph.store import Store
from relgraph.summary import (
    XSD,
    field_counts,
    format_date,
    gather,
    instances_of_kind,
    kind_counts,
    label,
    network,
    normalize,
    pair_relations,
    relation_index,
    search_labels,
    search_pattern,
    store_runner,
)

BASE = "https://w3id.org/relgraph/"


@pytest.mark.parametrize(
    ("value", "datatype", "lang", "expected"),
    [
        ("2023-06", "gYearMonth", "en", "June 2023"),
        ("2023-06", "gYearMonth", "de", "Juni 2023"),
        ("2023-06", "gYearMonth", "fr", "juin 2023"),
        ("1989", "gYear", "de", "1989"),
        ("2024-02-20", "date", "en", "20 February 2024"),
        ("2024-02-20", "date", "de", "20. Februar 2024"),
        ("2010-07-01", "date", "fr", "1er juillet 2010"),
        ("not a date", "date", "en", "not a date"),
    ],
)
def test_format_date(value: str, datatype: str, lang: str, expected: str) -> None:
    assert format_date(ox.Literal(value, datatype=ox.NamedNode(XSD + datatype)), lang) == expected


def test_label_fallback_chain() -> None:
    rdfs = "http://www.w3.org/2000/01/rdf-schema#label"
    alt = "http://www.w3.org/2004/02/skos/core#altLabel"
    labels = {
        "x": [(rdfs, ox.Literal("Hamburg", language="de")), (rdfs, ox.Literal("Hambourg", language="fr"))],
        "y": [(alt, ox.Literal("ZAL"))],
        "z": [(rdfs, ox.Literal("Praha", language="cs"))],
    }
    assert label(labels, "x", "fr") == "Hambourg"
    assert label(labels, "x", "en") == "Hamburg"  # no en: de comes next
    assert label(labels, "y", "en") == "ZAL"
    assert label(labels, "z", "en") == "Praha"
    assert label(labels, "https://w3id.org/relgraph/id/city/atlantis", "en") == "atlantis"


def test_normalize() -> None:
    assert normalize("München") == normalize("Munchen") == "munchen"
    assert normalize("  Québec ") == "quebec"
    assert normalize("Kyōto") == "kyoto"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    store = Store(tmp_path_factory.mktemp("summary") / "store")
    store.load_bundled()
    yield store_runner(store.oxigraph)
    store.close()


def test_gather_hamburg(run) -> None:  # type: ignore[no-untyped-def]
    bundle = gather(run, BASE + "id/city/hamburg")
    agreements = bundle.subjects("https://w3id.org/relgraph/ontology#party", BASE + "id/city/hamburg")
    assert BASE + "id/agreement/hamburg-quebec-strategic-partnership-2024" in agreements
    signing = BASE + "id/signing/hamburg-shanghai-city-twinning"
    dates = {d.value: graphs for d, graphs in bundle.claims(signing, "https://w3id.org/relgraph/ontology#date")}
    assert dates == {
        "1986-05-29": [BASE + "graph/hamburg-de-jubilaeum-shanghai"],
        "1979": [BASE + "graph/hamburg-magazin-hamburgs-partnerstaedte"],
    }
    assert bundle.label(BASE + "id/person/martine-biron", "fr") == "Martine Biron"


def test_pair_relations(run) -> None:  # type: ignore[no-untyped-def]
    found = pair_relations(run, BASE + "id/city/hamburg", BASE + "id/region/quebec")
    assert found[BASE + "id/agreement/zal-criaq-mou-2023"] == ([BASE + "id/org/zal"], [BASE + "id/org/criaq"])
    assert BASE + "id/agreement/hamburg-quebec-strategic-partnership-2024" in found


RG = "https://w3id.org/relgraph/ontology#"
TWINNING = BASE + "concept/agreement-type/city-twinning"


def test_relation_index_of_hamburg(run) -> None:  # type: ignore[no-untyped-def]
    own, held = relation_index(run, BASE + "id/city/hamburg")
    by_iri = {r.iri: r for r in own}
    shanghai = by_iri[BASE + "id/agreement/hamburg-shanghai-city-twinning"]
    assert shanghai.kind == TWINNING
    assert shanghai.date == "1979"  # the earliest of the two dates the sources give
    assert by_iri[BASE + "id/agreement/hamburg-quebec-strategic-partnership-2024"].date == "2024-02-20"
    # the same agreements the page's gather finds as Hamburg's (party or announcer)
    bundle = gather(run, BASE + "id/city/hamburg")
    parties = set(bundle.subjects(RG + "party", BASE + "id/city/hamburg"))
    assert parties <= set(by_iri) and len(by_iri) == len(own)
    zal = [r for r in held if r.iri == BASE + "id/agreement/zal-criaq-mou-2023"]
    assert [r.holder for r in zal] == [BASE + "id/org/zal"]
    assert all(r.holder for r in held)


def test_gather_leaves_out_dropped_relations_with_their_signings(run) -> None:  # type: ignore[no-untyped-def]
    hamburg = BASE + "id/city/hamburg"
    twinning = BASE + "id/agreement/hamburg-shanghai-city-twinning"
    signing = BASE + "id/signing/hamburg-shanghai-city-twinning"
    full = gather(run, hamburg)
    assert full.out(twinning) and full.out(signing)
    part = gather(run, hamburg, drop=[twinning])
    assert part.out(twinning) == [] and part.out(signing) == []
    assert twinning not in part.subjects(RG + "party", hamburg)  # not even as an incoming link
    strategic = BASE + "id/agreement/hamburg-quebec-strategic-partnership-2024"
    assert strategic in part.subjects(RG + "party", hamburg)
    assert part.claims(BASE + "id/signing/hamburg-quebec-strategic-partnership-2024", RG + "date")


def test_field_counts_and_network(run) -> None:  # type: ignore[no-untyped-def]
    own, _ = relation_index(run, BASE + "id/city/hamburg")
    counts = field_counts(run, [r.iri for r in own])
    expected: dict[str, int] = {}
    for r in own:  # one agreement at a time, the slow way
        rows = run(f"SELECT DISTINCT ?f WHERE {{ <{r.iri}> <{RG}field> ?f }}", {})
        for row in rows:
            expected[row["f"].value] = expected.get(row["f"].value, 0) + 1
    assert counts == expected and counts
    net = network(run, BASE + "id/city/hamburg", inner=2, outer=1)
    assert len(net) == 2 and all(len(v) <= 1 for v in net.values())
    assert BASE + "id/city/hamburg" not in net and all(BASE + "id/city/hamburg" not in v for v in net.values())


_PAIR_REFERENCE = """SELECT DISTINCT ?a ?b ?x ?pa ?pb WHERE {
  ?x <https://w3id.org/relgraph/ontology#party> ?pa , ?pb . FILTER(?pa != ?pb)
  ?pa <https://w3id.org/relgraph/ontology#locatedIn>* ?a . ?pb <https://w3id.org/relgraph/ontology#locatedIn>* ?b }"""


@pytest.mark.parametrize(
    ("a", "b", "at_least"),
    [
        # partnership, cooperation, ZAL–CRIAQ (GACP no longer: Aéro Montréal is a sponsor, not a party)
        ("city/hamburg", "region/quebec", 3),
        ("region/quebec", "city/hamburg", 3),
        ("city/hamburg", "city/shanghai", 1),
        ("country/germany", "country/canada", 0),  # no stated locatedIn chain up to countries
        ("country/germany", "city/hamburg", 0),
    ],
)
def test_pair_relations_match_the_one_query_definition(run, a: str, b: str, at_least: int) -> None:  # type: ignore[no-untyped-def]
    """The walk from both sides gives what one (slow at scale) SPARQL query defines."""
    ia, ib = BASE + "id/" + a, BASE + "id/" + b
    expected: dict[str, tuple[set[str], set[str]]] = {}
    for r in run(_PAIR_REFERENCE, {"a": ox.NamedNode(ia), "b": ox.NamedNode(ib)}):
        sides = expected.setdefault(r["x"].value, (set(), set()))
        sides[0].add(r["pa"].value)
        sides[1].add(r["pb"].value)
    found = pair_relations(run, ia, ib)
    assert {x: (set(pa), set(pb)) for x, (pa, pb) in found.items()} == expected
    assert len(found) >= at_least


def test_values_are_validated() -> None:
    with pytest.raises(ValueError):
        gather(lambda q, b: [], "not an iri> } DROP ALL {")


@pytest.mark.parametrize(
    ("needle", "text", "found"),
    [
        ("quebec", "Québec", True),
        ("QUEBEC", "Quebec City", True),
        ("hafenstrasse", "Hafenstraße", True),
        ("munchen-ost", "München-Ost", True),
        ("sankt peterburg", "Sankt   Peterburg", True),
        ("a.b", "axb", False),  # a dot is a dot, not "any character"
        ("(x", "(x)", True),
        ("quebec", "Quebex", False),
    ],
)
def test_search_pattern(needle: str, text: str, found: bool) -> None:
    assert bool(re.search(search_pattern(normalize(needle)), text, re.IGNORECASE)) is found


def test_search_labels_in_the_store(run) -> None:  # type: ignore[no-untyped-def]
    prefixes = [BASE + "id/", BASE + "concept/"]
    found = {iri for iri, _ in search_labels(run, "hambourg", prefixes)}
    assert BASE + "id/city/hamburg" in found
    assert {iri for iri, _ in search_labels(run, "QUÉBEC", prefixes)} >= {BASE + "id/region/quebec"}
    assert search_labels(run, "  ", prefixes) == []
    assert search_labels(run, "a) } DROP ALL { (", prefixes) == []  # text, never SPARQL
    assert all(iri.startswith(tuple(prefixes)) for iri, _ in search_labels(run, "a", prefixes))


def test_kind_counts_and_pages_of_instances(run) -> None:  # type: ignore[no-untyped-def]
    counts = kind_counts(run, BASE + "id/")
    assert counts["city"] >= 10 and counts["agreement"] >= 20
    everything = instances_of_kind(run, BASE + "id/", "agreement", limit=1000)
    assert len(everything) == counts["agreement"]
    pages = [instances_of_kind(run, BASE + "id/", "agreement", offset=o, limit=7) for o in range(0, len(everything), 7)]
    assert [i for p in pages for i in p] == everything
    assert len(set(everything)) == len(everything)
    assert all(i.startswith(BASE + "id/agreement/") for i in everything)
