"""The kind of a pyoxigraph answer, checked once: the library's own SELECT and CONSTRUCT readers rely on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
import pytest

from relgraph.results import graph_triples, solutions

EX = "https://example.org/"


@pytest.fixture
def store() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("x")))
    return store


def test_solutions_of_a_select_are_its_rows(store: ox.Store) -> None:
    answer = solutions(store.query("SELECT ?s ?o WHERE { ?s ?p ?o }"))
    assert [(row["s"], row["o"]) for row in answer] == [(ox.NamedNode(EX + "a"), ox.Literal("x"))]


def test_triples_of_a_construct(store: ox.Store) -> None:
    answer = graph_triples(store.query("CONSTRUCT { ?o ?p ?s } WHERE { ?s ?p ?o FILTER(false) }"))
    assert list(answer) == []
    answer = graph_triples(store.query("CONSTRUCT WHERE { ?s ?p ?o }"))
    assert list(answer) == [ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("x"))]


@pytest.mark.parametrize(
    ("read", "query", "got"),
    [
        (solutions, "ASK { ?s ?p ?o }", "QueryBoolean"),
        (solutions, "CONSTRUCT WHERE { ?s ?p ?o }", "QueryTriples"),
        (graph_triples, "SELECT * WHERE { ?s ?p ?o }", "QuerySolutions"),
        (graph_triples, "ASK { ?s ?p ?o }", "QueryBoolean"),
    ],
)
def test_another_kind_is_a_type_error_naming_it(
    store: ox.Store, read: Callable[[Any], object], query: str, got: str
) -> None:
    with pytest.raises(TypeError, match=got):
        read(store.query(query))
