"""What both engines check in a request before it runs: dataset IRIs, substitution terms, updates, syntax errors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .. import sparql_guard
from ..errors import ProtocolError, QuerySyntaxError
from ..rdf import parse_syntax_error

__all__ = ["named_iris", "parse_term", "prepare_update", "syntax_error"]


def syntax_error(err: SyntaxError) -> QuerySyntaxError:
    """pyoxigraph's syntax error of a query or update as the error relgraph reports (line, column, message)."""
    line, col, message = parse_syntax_error(str(err.args[0]) if err.args else str(err))
    where = f"line {line}, column {col}: " if line is not None else ""
    err_out = QuerySyntaxError(f"SPARQL syntax error at {where}{message}", line=line, column=col)
    err_out.message = message
    return err_out


def named_iris(iris: Iterable[str], what: str) -> list[Any]:
    """The protocol's dataset IRIs as pyoxigraph nodes; a relative or broken IRI is a ProtocolError."""
    import pyoxigraph as ox

    out = []
    for iri in iris:
        try:
            out.append(ox.NamedNode(iri))
        except ValueError as err:
            raise ProtocolError(f"{what} {iri!r} is not an absolute IRI: {err}") from None
    return out


def prepare_update(
    sparql: str,
    using: Sequence[str] | None,
    using_named: Sequence[str] | None,
    *,
    service_allowlist: Sequence[str],
) -> str:
    """Refuse SERVICE/LOAD, validate the protocol's USING IRIs and write them into the update.

    One place for both engines, so the embedded and the remote store accept exactly the same updates.
    """
    sparql_guard.check_update(sparql, service_allowlist=service_allowlist)
    if using is None and using_named is None:
        return sparql
    named_iris(using or (), "using-graph-uri")
    named_iris(using_named or (), "using-named-graph-uri")
    return sparql_guard.add_using(sparql, using or (), using_named or ())


def parse_term(ntriples: str) -> Any:
    """The RDF term (IRI, literal or blank node) written in N-Triples syntax as ``ntriples``."""
    import pyoxigraph as ox

    try:
        triples = list(ox.parse(f"<urn:x:s> <urn:x:p> {ntriples} .\n".encode(), format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError:
        triples = []
    if len(triples) != 1:
        raise ProtocolError(f"substitution value {ntriples[:80]!r} is not one RDF term in N-Triples syntax")
    return triples[0].object
