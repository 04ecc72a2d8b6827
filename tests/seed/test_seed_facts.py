"""The seed data: every seed fact answers its SPARQL query in the graph of its source.

The ontology and the seed TriG files are loaded into an on-disk pyoxigraph store,
the way the store library will hold them: each TriG file keeps its named graph,
the ontology and concepts go into graphs of their own.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = ROOT / "ontology"
SEED_DIR = ROOT / "data" / "seed"
FACTS_DIR = Path(__file__).resolve().parent / "facts"
RULES_DIR = ONTOLOGY_DIR / "rules"

BASE = "https://w3id.org/relgraph/"
GRAPH_BASE = BASE + "graph/"
# Every ontology file goes into the graph named after its stem, as `relgraph load` does.
ONTOLOGY_GRAPHS = {
    path.name: ox.NamedNode(GRAPH_BASE + path.stem) for path in ONTOLOGY_DIR.glob("*.ttl") if path.name != "shapes.ttl"
}
ALLOWED_WIKIDATA = {
    "Q1055", "Q176", "Q16", "Q183", "Q156725", "Q41550",  # seed entities
    "Q656", "Q23482", "Q8686", "Q1731", "Q35765", "Q208151", "Q1085", "Q1297", "Q1960",  # partner cities
    "Q34600",  # Kyoto, the city
}  # fmt: skip
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
PREFIXES = {
    "rg": BASE + "ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}
EXPECT = re.compile(r"^#\s*expect:\s*(.*)$", re.MULTILINE)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    store = ox.Store(path=str(tmp_path_factory.mktemp("store")))
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        if path.name == "shapes.ttl":
            continue
        graph = ONTOLOGY_GRAPHS.get(path.name, ox.NamedNode(GRAPH_BASE + path.stem))
        store.load(path=path, format=ox.RdfFormat.TURTLE, to_graph=graph)
    for path in sorted(SEED_DIR.glob("*.trig")):
        store.load(path=path, format=ox.RdfFormat.TRIG)
    return store


def data_graphs(store: ox.Store) -> list[ox.NamedNode]:
    ontology = set(ONTOLOGY_GRAPHS.values())
    return sorted((g for g in store.named_graphs() if g not in ontology), key=lambda g: g.value)


def data_quads(store: ox.Store) -> list[ox.Quad]:
    return [q for g in data_graphs(store) for q in store.quads_for_pattern(None, None, None, g)]


def fact_files() -> list[Path]:
    return sorted(FACTS_DIR.glob("*.rq"))


def ask_or_select(store: ox.Store, query: str) -> bool | set[tuple[str, ...]]:
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return {tuple(solution[v].value for v in result.variables) for solution in result}


def test_there_is_a_query_per_seed_fact() -> None:
    numbers = sorted(int(p.name.split("-", 1)[0]) for p in fact_files())
    assert numbers == list(range(1, 17)), "expected facts 01..15 from the seed plus 16 (signing date/place)"
    for path in fact_files():
        assert re.fullmatch(r"\d\d-[a-z0-9-]+\.rq", path.name), path.name
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# Fact "), f"{path.name} must start with a '# Fact N: summary' line"


@pytest.mark.parametrize("path", fact_files(), ids=lambda p: p.stem)
def test_seed_fact(store: ox.Store, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = {tuple(part.strip() for part in row.split("|")) for row in EXPECT.findall(text)}
    result = ask_or_select(store, text)
    if isinstance(result, bool):
        assert not expected, f"{path.name}: '# expect:' rows make sense only for SELECT"
        assert result, f"{path.name}: ASK is false"
    else:
        assert expected, f"{path.name}: SELECT needs '# expect:' rows"
        assert result == expected, f"{path.name}: rows differ"


def test_one_named_graph_per_trig_file() -> None:
    for path in sorted(SEED_DIR.glob("*.trig")):
        graphs = {q.graph_name for q in ox.parse(path=path, format=ox.RdfFormat.TRIG)}
        assert graphs == {ox.NamedNode(GRAPH_BASE + path.stem)}, f"{path.name} holds {graphs}"


def test_no_quad_in_default_graph(store: ox.Store) -> None:
    quads = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert not quads, f"{len(quads)} quads in the default graph, e.g. {quads[0]}"


@pytest.mark.parametrize("path", sorted(SEED_DIR.glob("*.trig")), ids=lambda p: p.stem)
def test_source_graph_described(store: ox.Store, path: Path) -> None:
    graph = ox.NamedNode(GRAPH_BASE + path.stem)
    query = """
        SELECT ?g ?doc ?title ?publisher ?issued ?language WHERE {
          GRAPH ?g {
            ?g a rg:SourceGraph ; prov:wasDerivedFrom ?doc ;
               dct:title ?title ; dct:publisher ?publisher ;
               dct:issued ?issued ; dct:language ?language .
            ?doc a rg:SourceDocument ; dct:title ?title ; dct:publisher ?publisher ;
                 dct:issued ?issued ; dct:language ?language .
            ?publisher a ?publisherType .
          }
        }"""
    rows = list(store.query(query, prefixes=PREFIXES, substitutions={ox.Variable("g"): graph}))
    assert len(rows) == 1, f"{graph.value}: expected one complete rg:SourceGraph description, got {len(rows)}"
    row = rows[0]
    assert row["title"].language == "de"
    assert row["issued"].datatype == ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    assert row["language"] == ox.NamedNode("http://id.loc.gov/vocabulary/iso639-1/de")


def test_every_data_graph_has_a_file(store: ox.Store) -> None:
    files = {GRAPH_BASE + p.stem for p in SEED_DIR.glob("*.trig")}
    assert {g.value for g in data_graphs(store)} == files


def test_no_blank_nodes(store: ox.Store) -> None:
    blank = [q for q in data_quads(store) if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)]
    assert not blank, f"blank nodes in data: {blank[:3]}"


def test_instance_iris_follow_the_patterns(store: ox.Store) -> None:
    types = (
        "city|region|country|org|person|post|tenure|agreement|signing|signature"
        "|cooperation|project|quotation|study|strategy|source|site"
    )
    iri = rf"id/({types})/[a-z0-9-]+|graph/[a-z0-9-]+|ontology#\w+|concept/[a-z-]+/[a-z0-9-]+"
    pattern = re.compile(rf"^{re.escape(BASE)}({iri})$")
    bad = {
        term.value
        for q in data_quads(store)
        for term in (q.subject, q.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith(BASE) and not pattern.match(term.value)
    }
    assert not bad, f"IRIs outside the patterns: {sorted(bad)}"


def test_only_allowed_wikidata_ids(store: ox.Store) -> None:
    used = {
        term.value.removeprefix(WIKIDATA_ENTITY)
        for q in data_quads(store)
        for term in (q.subject, q.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith(WIKIDATA_ENTITY)
    }
    ids = {q.object.value for q in data_quads(store) if q.predicate == ox.NamedNode(PREFIXES["rg"] + "wikidataId")}
    assert used <= ALLOWED_WIKIDATA, f"not allowed: {sorted(used - ALLOWED_WIKIDATA)}"
    assert ids == used, "every rg:wikidataId needs its skos:exactMatch and vice versa"
    pairs = store.query(
        """ASK { ?x rg:wikidataId ?id ; skos:exactMatch ?wd .
                 FILTER (STR(?wd) != CONCAT("http://www.wikidata.org/entity/", ?id)) }""",
        prefixes=PREFIXES,
        use_default_graph_as_union=True,
    )
    assert not bool(pairs), "an rg:wikidataId disagrees with its skos:exactMatch"


def test_data_uses_only_defined_terms(store: ox.Store) -> None:
    """Catches typos: every rg: term and every concept used in the data is defined."""
    defined = {
        q.subject
        for g in ONTOLOGY_GRAPHS.values()
        for q in store.quads_for_pattern(None, ox.NamedNode(PREFIXES["rdf"] + "type"), None, g)
    }
    used = {
        term
        for q in data_quads(store)
        for term in (q.predicate, q.object)
        if isinstance(term, ox.NamedNode)
        and (term.value.startswith(PREFIXES["rg"]) or term.value.startswith(BASE + "concept/"))
    }
    assert not used - defined, f"undefined terms: {sorted(t.value for t in used - defined)}"


def test_partner_of_is_inferred_not_asserted(store: ox.Store) -> None:
    partner_of = ox.NamedNode(PREFIXES["rg"] + "partnerOf")
    assert not list(store.quads_for_pattern(None, partner_of, None, None)), "rg:partnerOf must not be asserted"
    rule = (RULES_DIR / "partner-of.rq").read_text(encoding="utf-8")
    inferred = {(t.subject.value, t.object.value) for t in store.query(rule, use_default_graph_as_union=True)}
    hamburg, quebec = BASE + "id/city/hamburg", BASE + "id/region/quebec"
    assert {(hamburg, quebec), (quebec, hamburg)} <= inferred
    assert all(a != b for a, b in inferred)


@pytest.fixture(scope="module")
def dumped(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    """The issue's done-when: `relgraph load` then `relgraph export --format nquads`, as a user runs them."""
    root = tmp_path_factory.mktemp("dump")
    run = [sys.executable, "-m", "relgraph.cli"]
    loaded = subprocess.run([*run, "load", "--store", str(root / "s")], capture_output=True, text=True, check=False)
    assert loaded.returncode == 0, loaded.stderr
    exported = subprocess.run(
        [*run, "export", "--store", str(root / "s"), "--format", "nquads"], capture_output=True, check=False
    )
    assert exported.returncode == 0, exported.stderr
    store = ox.Store()
    store.load(exported.stdout, format=ox.RdfFormat.N_QUADS)
    return store


@pytest.mark.parametrize("path", fact_files(), ids=lambda p: p.stem)
def test_seed_fact_is_in_the_cli_dump_with_its_source(dumped: ox.Store, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = {tuple(part.strip() for part in row.split("|")) for row in EXPECT.findall(text)}
    result = ask_or_select(dumped, text)
    assert result == (expected or True), path.name
