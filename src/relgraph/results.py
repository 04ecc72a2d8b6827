"""Turn pyoxigraph query results into text for terminals and files."""

from __future__ import annotations

import shutil
from typing import IO, Any

import pyoxigraph as ox

from .errors import UsageError
from .namespaces import PREFIXES

__all__ = ["RESULT_FORMATS", "graph_triples", "solutions", "term_text", "write_results", "write_table"]

RESULT_FORMATS = ("table", "json", "csv", "tsv", "xml")
_RESULTS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
_GRAPH_FORMATS = {
    "table": ox.RdfFormat.TURTLE,
    "json": ox.RdfFormat.JSON_LD,
    "csv": ox.RdfFormat.N_TRIPLES,
    "tsv": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
}


def solutions(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ox.QuerySolutions:
    """The solutions of a SELECT answer from ``pyoxigraph.Store.query``, which types every answer as any kind.

    >>> store = ox.Store()
    >>> [s["n"].value for s in solutions(store.query("SELECT (1 AS ?n) {}"))]
    ['1']
    >>> solutions(store.query("ASK {}"))
    Traceback (most recent call last):
    TypeError: expected the solutions of a SELECT query, got QueryBoolean
    """
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"expected the solutions of a SELECT query, got {type(result).__name__}")
    return result


def graph_triples(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ox.QueryTriples:
    """The triples of a CONSTRUCT or DESCRIBE answer from ``pyoxigraph.Store.query`` (as :func:`solutions`).

    >>> len(list(graph_triples(ox.Store().query("CONSTRUCT { <x:a> <x:b> 1 } {}"))))
    1
    """
    if not isinstance(result, ox.QueryTriples):
        raise TypeError(f"expected the triples of a CONSTRUCT or DESCRIBE query, got {type(result).__name__}")
    return result


def term_text(term: Any) -> str:
    """A short human form of an RDF term: prefixed IRIs, literals with their language."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"{term.value}@{term.language}"
        return term.value
    return str(term)


def write_table(names: list[str], rows: list[list[str]], out: IO[str]) -> int:
    """Write rows of text as an aligned table sized to the terminal; the number of rows."""
    width = shutil.get_terminal_size((120, 20)).columns
    cap = max(12, width // max(1, len(names)) - 3)
    widths = [min(cap, max([len(n), *(len(r[i]) for r in rows)])) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return " | ".join(
            (c if len(c) <= w else c[: w - 1] + "…").ljust(w) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    out.write(line(names) + "\n")
    out.write("-+-".join("-" * w for w in widths) + "\n")
    for r in rows:
        out.write(line(r) + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    return len(rows)


def _table(results: ox.QuerySolutions, out: IO[str]) -> int:
    names = [v.value for v in results.variables]
    return write_table(names, [[term_text(row[name]) for name in names] for row in results], out)


def write_results(results: Any, out: IO[str], *, format: str = "table") -> None:
    """Write SELECT/ASK/CONSTRUCT results in one of RESULT_FORMATS."""
    if format not in RESULT_FORMATS:
        raise UsageError(f"unknown format {format!r}; use one of {', '.join(RESULT_FORMATS)}")
    if isinstance(results, ox.QueryBoolean):
        if format == "table":
            out.write("true\n" if bool(results) else "false\n")
            return
        fmt = _RESULTS.get(format, ox.QueryResultsFormat.JSON)
        if format == "csv":
            fmt = ox.QueryResultsFormat.JSON  # CSV has no boolean form
        out.write((results.serialize(format=fmt) or b"").decode("utf-8"))
        return
    if isinstance(results, ox.QuerySolutions):
        if format == "table":
            _table(results, out)
            return
        out.write((results.serialize(format=_RESULTS[format]) or b"").decode("utf-8"))
        return
    data = ox.serialize(results, format=_GRAPH_FORMATS[format], prefixes=PREFIXES if format == "table" else None)
    out.write((data or b"").decode("utf-8"))
