"""Domain errors of the relgraph core.

The core never builds HTTP responses or prints; it raises these, and the CLI
and the web layer turn them into one clear line or a status code.
"""

from __future__ import annotations

__all__ = ["LoadError", "QuerySyntaxError", "RelgraphError", "StoreError", "UsageError"]


class RelgraphError(Exception):
    """Base class: a problem a user can act on, with a message that says how."""

    hint: str = ""

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} ({self.hint})" if self.hint else text


class UsageError(RelgraphError):
    """An option or argument that cannot work (unknown format, missing file)."""


class StoreError(RelgraphError):
    """The store directory cannot be opened or written."""


class LoadError(RelgraphError):
    """A file could not be loaded; nothing was written to the store."""

    hint = "nothing was loaded; fix the file and run the load again"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.file, self.line, self.column, self.message = file, line, column, message
        where = file or "<input>"
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class QuerySyntaxError(RelgraphError):
    """A SPARQL query or update that does not parse."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        self.line, self.column, self.message = line, column, message
        super().__init__(message)


# --- errors of the SPARQL query engine (relgraph.engine) -------------------------
# Each carries what the web layer needs: QueryTimeout → 503, QueryRefused → 403 or
# 400, TooManyResults → 413 or 400, NotAcceptable → 406, ProtocolError → 400,
# EngineError → 500.

__all__ += ["EngineError", "NotAcceptable", "ProtocolError", "QueryRefused", "QueryTimeout", "TooManyResults"]


class QueryTimeout(RelgraphError):
    """A query ran past its time limit; its worker process was killed."""

    hint = "narrow the query (more specific patterns, LIMIT) or ask the operator to raise query_timeout"

    def __init__(self, message: str, *, timeout: float | None = None) -> None:
        self.timeout = timeout
        super().__init__(message)


class QueryRefused(RelgraphError):
    """A query or update uses a feature this endpoint refuses (SERVICE, LOAD)."""


class TooManyResults(RelgraphError):
    """A result has more rows/triples than the ``max_rows`` cap; nothing is returned."""

    def __init__(self, message: str, *, limit: int | None = None) -> None:
        self.limit = limit
        super().__init__(message)


class NotAcceptable(RelgraphError):
    """No offered result format matches the request's Accept header (or format=)."""

    def __init__(self, message: str, *, offered: list[str] | None = None) -> None:
        self.offered = list(offered or [])
        super().__init__(message)


class ProtocolError(RelgraphError):
    """A request that breaks the SPARQL protocol (bad graph IRI, USING given twice, ...)."""


class EngineError(RelgraphError):
    """The query engine itself failed (a worker died, no snapshot could be opened)."""


class DataRejected(RelgraphError):
    """An update whose result breaks the SHACL shapes; nothing was written.

    Carries the validation report as text, so it crosses process boundaries.
    """

    hint = "nothing was written; fix the update (the report above says what is wrong)"


__all__ += ["DataRejected"]
