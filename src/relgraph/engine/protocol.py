"""What the web layer asks of a query engine: :class:`SparqlEngine`, its answer :class:`QueryResult`, typed rows.

Two engines have it: :class:`relgraph.engine.pool.Engine` (worker processes over
snapshots of the embedded store) and :class:`relgraph.engine.remote.RemoteEngine`
(a remote SPARQL server, with the same checks and caps). Callers get either the
protocol's answer (bytes in a negotiated type: :meth:`SparqlEngine.query`) or
rows of pyoxigraph terms (:meth:`SparqlEngine.select`), never SPARQL JSON to
parse by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeAlias, runtime_checkable

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["QueryResult", "Row", "SparqlEngine", "Term", "rows_of", "select_rows"]

SPARQL_JSON = "application/sparql-results+json"

#: One RDF term of an answer.
Term: TypeAlias = "ox.NamedNode | ox.BlankNode | ox.Literal"
#: One solution of a SELECT: variable name (without ``?``) to its term; unbound variables are absent.
Row: TypeAlias = "dict[str, Term]"


@dataclass(frozen=True, slots=True)
class QueryResult:
    """A complete, serialized query result."""

    kind: str  # "select" | "ask" | "graph"
    media_type: str
    body: bytes
    rows: int


@runtime_checkable
class SparqlEngine(Protocol):
    """A query engine: SPARQL queries and updates with a time limit, a row cap and the SERVICE/LOAD guard."""

    timeout: float
    max_rows: int
    service_allowlist: tuple[str, ...]
    base: str | None

    @property
    def version(self) -> int: ...

    @property
    def pids(self) -> list[int]: ...

    def start(self) -> SparqlEngine: ...

    def close(self) -> None: ...

    def query(
        self,
        sparql: str,
        *,
        accept: str | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
        timeout: float | None = None,
        substitutions: Mapping[str, str] | None = None,
    ) -> QueryResult: ...

    def select(
        self, sparql: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> list[Row]: ...

    def update(
        self,
        sparql: str,
        *,
        using_graph: Sequence[str] | None = None,
        using_named_graph: Sequence[str] | None = None,
        base_iri: str | None = None,
        timeout: float | None = None,
    ) -> None: ...


def rows_of(result: QueryResult) -> list[Row]:
    """The rows of a SELECT answer in SPARQL JSON, as pyoxigraph terms."""
    import pyoxigraph as ox

    solutions = ox.parse_query_results(result.body, format=ox.QueryResultsFormat.JSON)
    if not isinstance(solutions, ox.QuerySolutions):
        raise TypeError("rows_of: the answer is not a SELECT result")
    names = [v.value for v in solutions.variables]
    rows: list[Row] = []
    for solution in solutions:
        row: Row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = term  # never a triple: SPARQL 1.1 answers
        rows.append(row)
    return rows


def select_rows(
    engine: SparqlEngine, sparql: str, bindings: Mapping[str, Term] | None, *, timeout: float | None
) -> list[Row]:
    """Run a SELECT on ``engine`` with ``bindings`` (values stay values) and return its rows."""
    subs = {name: str(term) for name, term in (bindings or {}).items()} or None
    return rows_of(engine.query(sparql, accept=SPARQL_JSON, substitutions=subs, timeout=timeout))
