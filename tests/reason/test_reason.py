"""Reasoning: the inferred graph {base}graph/inferred (rules), and HermiT's consistency check (``--check``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph.reason import InconsistentData, ReasonerUnavailable, infer, materialise
from relgraph.store import Store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

RG = "https://w3id.org/relgraph/ontology#"
ID = "https://w3id.org/relgraph/id/"
INFERRED = "https://w3id.org/relgraph/graph/inferred"
HAMBURG, QUEBEC, GERMANY = ID + "city/hamburg", ID + "region/quebec", ID + "country/germany"
AGREEMENT = ID + "agreement/hamburg-quebec-strategic-partnership-2024"
DATA = Path(__file__).resolve().parents[1] / "data"


def relgraph(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "relgraph.cli", *args, "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reason") / "store"
    loaded = relgraph("load", "--no-reason", store=path)
    assert loaded.returncode == 0, loaded.stderr
    reasoned = relgraph("reason", store=path)
    assert reasoned.returncode == 0, reasoned.stderr
    assert "inferred" in reasoned.stdout and "by rules" in reasoned.stdout
    return path


@pytest.fixture
def store(store_dir: Path):
    s = Store(store_dir, read_only=True)
    yield s
    s.close()


def triple(s: str, p: str, o: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o))


def in_graph(store: Store, t: ox.Triple, graph: str) -> bool:
    return bool(list(store.oxigraph.quads_for_pattern(t.subject, t.predicate, t.object, ox.NamedNode(graph))))


def asserted_anywhere(store: Store, t: ox.Triple) -> list[str]:
    return [
        q.graph_name.value
        for q in store.oxigraph.quads_for_pattern(t.subject, t.predicate, t.object, None)
        if q.graph_name.value != INFERRED
    ]


EXPECTED = [
    triple(HAMBURG, RG + "partnerOf", QUEBEC),
    triple(QUEBEC, RG + "partnerOf", HAMBURG),
    triple(HAMBURG, RG + "partyTo", AGREEMENT),
    triple(QUEBEC, RG + "partyTo", AGREEMENT),
    triple(HAMBURG, RG + "locatedIn", GERMANY),  # rg:country ⊑ rg:locatedIn
    triple(ID + "org/zal", RG + "locatedIn", GERMANY),  # transitive: ZAL in Hamburg in Germany
    triple(ID + "org/universitaet-hamburg", RG + "partnerOf", ID + "org/kyoto-university"),
    triple(ID + "cooperation/hamburg-quebec", RG + "frames", AGREEMENT),  # inverse of rg:partOf
    triple(HAMBURG, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", RG + "Place"),
    triple(
        ID + "person/peter-tschentscher",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "http://xmlns.com/foaf/0.1/Person",
    ),
]


@pytest.mark.parametrize(
    "t", EXPECTED, ids=lambda t: f"{t.subject.value.rsplit('/', 1)[-1]} {t.predicate.value.rsplit('#', 1)[-1]}"
)
def test_expected_triple_is_inferred_and_not_asserted(store: Store, t: ox.Triple) -> None:
    assert in_graph(store, t, INFERRED)
    assert asserted_anywhere(store, t) == []


def test_the_inferred_graph_holds_only_new_triples(store: Store) -> None:
    inferred = list(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED)))
    assert len(inferred) > 50
    for q in inferred:
        assert asserted_anywhere(store, q.triple) == [], q


def test_no_one_is_their_own_partner(store: Store) -> None:
    rows = list(store.query(f"SELECT ?x WHERE {{ ?x <{RG}partnerOf> ?x }}"))
    assert rows == []


def test_queries_see_the_inferred_graph_unless_left_out(store: Store) -> None:
    ask = f"ASK {{ <{HAMBURG}> <{RG}partnerOf> <{QUEBEC}> }}"
    assert store.query(ask)
    sources = [g for g in store.graphs() if g != INFERRED]
    assert not store.query(ask, default_graph=sources)
    filtered = f"ASK {{ GRAPH ?g {{ <{HAMBURG}> <{RG}partnerOf> <{QUEBEC}> }} FILTER (?g != <{INFERRED}>) }}"
    assert not store.query(filtered)


def test_reasoning_again_replaces_the_graph(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    store.load_bundled()
    first = materialise(store)
    second = materialise(store)
    assert first.triples == second.triples > 0
    assert len(list(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED)))) == first.triples


def test_load_recomputes_the_inferred_graph(tmp_path: Path) -> None:
    result = relgraph("load", store=tmp_path / "store")
    assert result.returncode == 0, result.stderr
    assert "by rules" in result.stdout
    store = Store(tmp_path / "store", read_only=True)
    assert in_graph(store, EXPECTED[0], INFERRED)


def test_contradiction_is_reported_in_words(tmp_path: Path) -> None:
    fixture = DATA / "reason" / "person-is-a-city.trig"
    quads = list(ox.parse(path=str(fixture), format=ox.RdfFormat.TRIG))
    with pytest.raises(InconsistentData) as info:
        infer(quads)
    (clash,) = info.value.clashes
    assert "person/jane-doe" in clash and "rg:Person" in clash and "rg:Place" in clash and "disjoint" in clash

    store_dir = tmp_path / "store"
    loaded = relgraph("load", "--no-validate", "--no-reason", str(fixture), store=store_dir)
    assert loaded.returncode == 0, loaded.stderr
    result = relgraph("reason", "--check", store=store_dir)
    assert result.returncode == 1
    assert "inconsistent" in result.stderr and "Jane Doe" in result.stderr and "rg:City" in result.stderr


def test_missing_java_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import owlready2

    monkeypatch.setattr(owlready2, "JAVA_EXE", "no-such-java-binary")
    with pytest.raises(ReasonerUnavailable) as info:
        infer([])
    assert "apt-get install default-jre-headless" in str(info.value)


def test_partner_of_matches_the_sparql_rule(store: Store) -> None:
    """The chain rule gives exactly what ontology/rules/partner-of.rq constructs from the asserted graphs."""
    from relgraph.resources import bundled_dir

    rule = (bundled_dir("ontology") / "rules" / "partner-of.rq").read_text(encoding="utf-8")
    sources = [g for g in store.graphs() if g != INFERRED]
    by_rule = {(t.subject.value, t.object.value) for t in store.query(rule, default_graph=sources)}
    by_hermit = {
        (q.subject.value, q.object.value)
        for q in store.oxigraph.quads_for_pattern(None, ox.NamedNode(RG + "partnerOf"), None, ox.NamedNode(INFERRED))
    }
    assert by_rule and by_hermit == by_rule
