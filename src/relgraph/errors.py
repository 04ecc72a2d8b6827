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
