"""Typed rows: ``Engine.select`` answers a SELECT as pyoxigraph terms, with values bound as terms."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from engine_support import EX, TRICKY

from relgraph.engine import Engine
from relgraph.errors import QuerySyntaxError


def test_select_gives_terms_with_their_types(engine: Engine) -> None:
    rows = engine.select(f"SELECT ?s ?o WHERE {{ ?s <{EX}tricky> ?o }} ORDER BY ?s")
    assert [row["s"] for row in rows] == [ox.NamedNode(f"{EX}t{i}") for i in range(len(TRICKY))]
    assert sorted(row["o"].value for row in rows) == sorted(TRICKY)  # every literal survives the trip
    assert all(isinstance(row["o"], ox.Literal) for row in rows)


def test_select_binds_values_as_terms_and_leaves_unbound_out(engine: Engine) -> None:
    query = f"SELECT ?s ?o ?none WHERE {{ ?s <{EX}tricky> ?o OPTIONAL {{ ?s <{EX}nothing> ?none }} }}"
    rows = engine.select(query, {"o": ox.Literal(TRICKY[0])})
    assert rows == [{"s": ox.NamedNode(f"{EX}t0"), "o": ox.Literal(TRICKY[0])}]
    injected = engine.select(query, {"o": ox.Literal('x" } UNION { ?s ?p ?o } #')})
    assert injected == []  # a value stays a value


def test_select_raises_the_engine_errors(engine: Engine) -> None:
    with pytest.raises(QuerySyntaxError):
        engine.select("SELECT ?s WHERE {")
