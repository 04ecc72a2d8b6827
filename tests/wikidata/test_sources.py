"""Sources as first-class: list them, remove one, re-import replaces."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph.cli import main
from relgraph.errors import UsageError
from relgraph.resources import ontology_files
from relgraph.sources import list_sources, remove_source
from relgraph.store import Store
from relgraph.wikidata import import_wikidata

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "wikidata"
G = "https://w3id.org/relgraph/graph/"
WD_GRAPH = G + "wikidata-p190-2016"
CURATED = G + "hamburg-de-partnerstaedte"


def graph_quads(store: Store, graph: str) -> set[ox.Quad]:
    return set(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The bundled data (gate and inference on) plus the Wikidata sample, loaded once for the module."""
    store = Store(tmp_path_factory.mktemp("sources-built") / "store")
    store.load([*ontology_files(), *sorted((ROOT / "data").rglob("*.trig"))])
    import_wikidata(store, relations=DATA / "relations.tsv", labels=DATA / "names.tsv")
    yield store
    store.close()


@pytest.fixture
def store(built: Store, tmp_path: Path) -> Iterator[Store]:
    """Each test's own copy of ``built`` (Oxigraph's backup: hard links), so tests that remove or re-import
    write to their own store; the load and import run once (CI's 20 minutes)."""
    built.oxigraph.backup(str(tmp_path / "store"))
    store = Store(tmp_path / "store")
    yield store
    store.close()


def test_sources_lists_every_source_graph(store: Store) -> None:
    sources = {s.graph: s for s in list_sources(store)}
    assert WD_GRAPH in sources and CURATED in sources
    assert G + "relgraph" not in sources  # the ontology is no source
    wd = sources[WD_GRAPH]
    assert (wd.publisher, wd.issued) == ("Wikidata", "2016-09-10")
    assert wd.triples == len(graph_quads(store, WD_GRAPH))
    assert sources[CURATED].title == "hamburg.de: Partnerstädte"


def test_which_source_says_what_about_hamburgs_partners(store: Store) -> None:
    rows = store.query(
        """PREFIX rg: <https://w3id.org/relgraph/ontology#>
        SELECT ?g (GROUP_CONCAT(?partner; separator=" ") AS ?partners) WHERE {
          SELECT DISTINCT ?g ?partner WHERE { GRAPH ?g { ?a rg:party <https://w3id.org/relgraph/id/city/hamburg> , ?p .
            ?g a rg:SourceGraph FILTER (?p != <https://w3id.org/relgraph/id/city/hamburg>) }
            BIND (STRAFTER(STR(?p), "/id/") AS ?partner) } ORDER BY ?partner
        } GROUP BY ?g"""
    )
    says = {r["g"].value.removeprefix(G): set(r["partners"].value.split()) for r in rows}
    assert says["wikidata-p190-2016"] == {"city/saint-petersburg", "place/wd-q1829"}
    assert len(says["hamburg-de-partnerstaedte"]) == 9


def test_removing_the_wikidata_source_leaves_curated_facts_intact(store: Store) -> None:
    before = {g: graph_quads(store, g) for g in store.graphs() if g != WD_GRAPH}
    assert remove_source(store, WD_GRAPH) == [WD_GRAPH]
    assert WD_GRAPH not in store.graphs()
    assert {g: graph_quads(store, g) for g in store.graphs()} == before
    assert not bool(store.query("ASK { ?p <https://w3id.org/relgraph/ontology#wikidataId> 'Q1829' }"))
    assert bool(store.query("ASK { ?p <https://w3id.org/relgraph/ontology#wikidataId> 'Q656' }"))


def test_remove_by_source_document_and_unknown_iri(store: Store) -> None:
    assert remove_source(store, "https://w3id.org/relgraph/id/source/hamburg-de-partnerstaedte") == [CURATED]
    with pytest.raises(UsageError, match="no source graph"):
        remove_source(store, CURATED)


def test_reimport_replaces_the_source(store: Store) -> None:
    """Importing the same file twice gives the same graph and the same store (inferences included); this also
    holds test_wikidata.py's former check of it, which re-imported the whole 2016 extract (2 minutes of CI)."""
    before = graph_quads(store, WD_GRAPH)
    total = len(store)
    import_wikidata(store, relations=DATA / "relations.tsv", labels=DATA / "names.tsv")
    assert graph_quads(store, WD_GRAPH) == before
    assert len(store) == total


def test_cli_sources_and_remove_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli-store"
    assert main(["load", "--store", str(path), "--no-reason", "--no-validate"]) == 0
    capsys.readouterr()
    assert main(["sources", "--store", str(path)]) == 0
    out = capsys.readouterr().out
    assert "hamburg.de: Partnerstädte" in out and "source graph(s)" in out
    assert main(["remove-source", "--store", str(path), CURATED]) == 0
    assert f"removed {CURATED}" in capsys.readouterr().out
