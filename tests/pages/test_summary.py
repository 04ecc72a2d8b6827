"""relgraph.summary without a server: dates at their precision, labels with fallback, search normalisation."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from relgraph.store import Store
from relgraph.summary import XSD, format_date, gather, label, normalize, pair_relations, store_runner

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
        "1986": [BASE + "graph/hamburg-de-partnerstaedte"],
        "1979": [BASE + "graph/unidentified-page-hamburg-shanghai-1979"],
    }
    assert bundle.label(BASE + "id/person/martine-biron", "fr") == "Martine Biron"


def test_pair_relations(run) -> None:  # type: ignore[no-untyped-def]
    found = pair_relations(run, BASE + "id/city/hamburg", BASE + "id/region/quebec")
    assert found[BASE + "id/agreement/zal-criaq-mou-2023"] == ([BASE + "id/org/zal"], [BASE + "id/org/criaq"])
    assert BASE + "id/agreement/hamburg-quebec-strategic-partnership-2024" in found


def test_values_are_validated() -> None:
    with pytest.raises(ValueError):
        gather(lambda q, b: [], "not an iri> } DROP ALL {")
