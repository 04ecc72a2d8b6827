"""A check that keeps the curated facts held against their sources.

Two rules, run over the bundled seed and curated graphs and, to show they bite,
over fixtures in ``tests/curated/data/`` that break them:

1. A graph that states a date, a party or a signatory is a described source
   graph: ``rg:SourceGraph``, ``prov:wasDerivedFrom`` a ``rg:SourceDocument``
   with a title and either its address (``schema:url``) or an editorial note
   that says why none is recorded.
2. Where two source graphs give one signing (or another single-valued fact the
   ready-made question ``source-disagreements`` covers) different values, the
   disagreement is recorded (``rg:disagreesWith`` between the two graphs), so
   that a page's "sources disagree" is intended, never a wrong date filed under
   the wrong event (the Dar es Salaam signing once had the Bürgerschaft's vote
   as a second date).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from relgraph.resources import ontology_files
from relgraph.store import Store

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = [*sorted((ROOT / "data" / "seed").glob("*.trig")), *sorted((ROOT / "data" / "curated").glob("*.trig"))]
FIXTURES = Path(__file__).resolve().parent / "data"

FACT_GRAPHS = """
PREFIX rg: <https://w3id.org/relgraph/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?g WHERE {
  GRAPH ?g { ?s ?p ?o FILTER (?p IN (rg:date, rg:party, rg:signatory)) }
  FILTER NOT EXISTS {
    GRAPH ?g {
      ?g a rg:SourceGraph ; prov:wasDerivedFrom ?doc .
      ?doc a rg:SourceDocument ; dct:title ?title .
      FILTER EXISTS { { ?doc schema:url ?url } UNION { ?doc skos:editorialNote ?why } }
    }
  }
} ORDER BY ?g
"""

DECLARED = """
PREFIX rg: <https://w3id.org/relgraph/ontology#>
SELECT ?a ?b WHERE { ?a rg:disagreesWith ?b }
"""


def _store(tmp_path: Path, files: list[Path]) -> Store:
    store = Store(tmp_path / "store")
    store.load([*ontology_files(), *files])
    return store


def undescribed_fact_graphs(store: Store) -> list[str]:
    """Graphs that state a date, party or signatory without describing the document that says so."""
    return [row["g"].value for row in store.query(FACT_GRAPHS)]


def undeclared_disagreements(store: Store) -> list[tuple[str, str, str, str]]:
    """(subject, property, graph, other graph) of disagreeing values that no ``rg:disagreesWith`` records."""
    declared = {frozenset((r["a"].value, r["b"].value)) for r in store.query(DECLARED)}
    return [row for row in _disagreements(store) if frozenset(row[2:]) not in declared]


def _disagreements(store: Store) -> list[tuple[str, str, str, str]]:
    """The source-disagreements question, with the graphs (not only the documents) of both values."""
    rows = store.query(
        """PREFIX rg: <https://w3id.org/relgraph/ontology#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT DISTINCT ?subject ?property ?g ?h WHERE {
          GRAPH ?g { ?subject ?property ?value } ?g prov:wasDerivedFrom ?source .
          FILTER(?property IN (rg:date, rg:validFrom, rg:validUntil, rg:startDate, rg:endDate, rg:status)
                 || EXISTS { ?property a owl:FunctionalProperty })
          GRAPH ?h { ?subject ?property ?otherValue } ?h prov:wasDerivedFrom ?otherSource .
          FILTER(?source != ?otherSource && !sameTerm(?value, ?otherValue) && STR(?g) < STR(?h))
        } ORDER BY ?subject ?g ?h"""
    )
    return [(r["subject"].value, r["property"].value, r["g"].value, r["h"].value) for r in rows]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return _store(tmp_path_factory.mktemp("bundled"), BUNDLED)


def test_every_graph_stating_dates_parties_or_signatories_describes_its_document(bundled: Store) -> None:
    assert undescribed_fact_graphs(bundled) == []


def test_every_disagreement_between_sources_is_recorded(bundled: Store) -> None:
    assert undeclared_disagreements(bundled) == []
    # ... and the recorded ones are real: the bundled data keeps these on purpose
    G, S = "https://w3id.org/relgraph/graph/", "https://w3id.org/relgraph/id/signing/"
    assert {(s.removeprefix(S), g.removeprefix(G), h.removeprefix(G)) for s, _, g, h in _disagreements(bundled)} == {
        (
            "hamburg-dresden-city-twinning",
            "unidentified-account-hamburg-dresden-1987-12-14",
            "unidentified-reports-hamburg-dresden-1987-12-15",
        ),
        ("hamburg-leon-nicaragua-city-twinning", "research-conference-hamburg2021-hamburg", "taz-hamburg-leon-1989"),
        ("hamburg-shanghai-city-twinning", "hamburg-de-jubilaeum-shanghai", "hamburg-magazin-hamburgs-partnerstaedte"),
        (
            "quebec-bavaria-joint-communique-update",
            "gouvernement-du-quebec-mrif",
            "unidentified-pages-quebec-european-regions",
        ),
    }


def test_the_check_finds_a_date_filed_under_two_events(tmp_path: Path) -> None:
    store = _store(tmp_path, [FIXTURES / "undeclared-disagreement.trig"])
    found = undeclared_disagreements(store)
    assert [(s.rsplit("/", 1)[-1], g.rsplit("/", 1)[-1], h.rsplit("/", 1)[-1]) for s, _, g, h in found] == [
        ("hamburg-exampleton", "fixture-a", "fixture-b")
    ]


def test_the_check_finds_facts_without_a_described_source(tmp_path: Path) -> None:
    store = _store(tmp_path, [FIXTURES / "undescribed-source.trig"])
    assert [g.rsplit("/", 1)[-1] for g in undescribed_fact_graphs(store)] == [
        "fixture-no-source",
        "fixture-undescribed",
    ]
