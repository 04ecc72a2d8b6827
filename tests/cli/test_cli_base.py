"""``relgraph load --base`` and ``RELGRAPH_BASE`` through the command line: the public IRI base of a deployment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli import relgraph

DEFAULT = "https://w3id.org/relgraph/"
OURS = "https://relations.example.org/"
#: every IRI under the default base's id/ and graph/ in the store, and every subject
IRIS = """SELECT DISTINCT ?iri WHERE {
  { GRAPH ?iri { ?s ?p ?o } } UNION { GRAPH ?g { ?iri ?p ?o } } UNION { GRAPH ?g { ?s ?p ?iri } }
  FILTER(isIRI(?iri))
}"""


def _iris(store: Path) -> set[str]:
    result = relgraph("query", "--store", store, "--format", "json", IRIS)
    assert result.returncode == 0, result.stderr
    return {row["iri"]["value"] for row in json.loads(result.stdout)["results"]["bindings"]}


@pytest.mark.parametrize("how", ["option", "environment"])
def test_load_rebases_ids_and_graphs(tmp_path: Path, data_dir: Path, how: str) -> None:
    store = tmp_path / "store"
    args: list[str | Path] = ["load", data_dir / "good.ttl", "--store", store, "--no-validate", "--no-reason"]
    result = relgraph(*args, "--base", OURS) if how == "option" else relgraph(*args, env={"RELGRAPH_BASE": OURS})
    assert result.returncode == 0, result.stderr
    iris = _iris(store)
    assert {OURS + "id/city/testburg", OURS + "graph/good", OURS + "id/agreement/testburg-exampleville-1999"} <= iris
    left = sorted(i for i in iris if i.startswith((DEFAULT + "id/", DEFAULT + "graph/")))
    assert left == []  # nothing of the file kept the default base
    assert DEFAULT + "ontology#City" in iris  # the ontology's terms are not instance IRIs: they stay


def test_the_option_wins_over_the_environment(tmp_path: Path, data_dir: Path) -> None:
    store = tmp_path / "store"
    result = relgraph(
        "load", data_dir / "good.ttl", "--store", store, "--no-validate", "--no-reason", "--base", OURS,
        env={"RELGRAPH_BASE": "https://elsewhere.example.org/"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    iris = _iris(store)
    assert OURS + "graph/good" in iris
    assert not any(i.startswith("https://elsewhere.example.org/") for i in iris)
