"""Answers: content negotiation per result kind and serialisation under the row cap.

Both engines serialise with pyoxigraph into counting sinks, so an answer has
the same bytes and the same cap (``max_rows``) whether the store is embedded
or remote. A sink raises :class:`RowLimit` past the cap, which aborts the
serialisation; the engine turns it into :func:`too_many`.
"""

from __future__ import annotations

from typing import Any

from .. import conneg
from ..errors import NotAcceptable, TooManyResults

__all__ = ["GRAPH_FORMATS", "RESULT_FORMATS", "CountingSink", "CsvSink", "JsonSink", "RowLimit", "TsvSink", "XmlSink",
           "choose", "load_formats", "too_many", "turtle_prefixes"]  # fmt: skip


class RowLimit(Exception):
    """More rows than the cap: control flow inside an engine, never raised to a caller."""


class CountingSink:
    """A binary file pyoxigraph serializes into; counts result rows exactly while writing.

    pyoxigraph writes 8 KiB chunks; each format is counted on structure no
    literal can fake: TSV escapes newlines, CSV quotes them, XML escapes ``<``,
    and in JSON the strings are removed before looking for ``[{`` and ``},{``.
    An exception raised here aborts the serialization (and the query).
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.rows = 0
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        data = bytes(data)
        self.chunks.append(data)
        self._count(data)
        if self.total() > self.limit:
            raise RowLimit
        return len(data)

    def flush(self) -> None:
        pass

    def _count(self, data: bytes) -> None:
        raise NotImplementedError

    def body(self) -> bytes:
        return b"".join(self.chunks)

    def total(self) -> int:
        return self.rows


class TsvSink(CountingSink):
    def _count(self, data: bytes) -> None:
        self.rows += data.count(b"\n")

    def total(self) -> int:
        return max(self.rows - 1, 0)  # the header line


class CsvSink(CountingSink):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.in_quotes = False

    def _count(self, data: bytes) -> None:
        parts = data.split(b'"')
        outside = parts[1::2] if self.in_quotes else parts[0::2]
        self.rows += b"".join(outside).count(b"\n")
        if len(parts) % 2 == 0:
            self.in_quotes = not self.in_quotes

    def total(self) -> int:
        return max(self.rows - 1, 0)


class XmlSink(CountingSink):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.tail = b""

    def _count(self, data: bytes) -> None:
        data = self.tail + data
        self.rows += data.count(b"<result>")
        self.tail = data[-7:]


class JsonSink(CountingSink):
    """Counts ``},{`` and ``[{`` in the JSON *outside* strings, with C-speed bytes operations only.

    In the JSON pyoxigraph writes, a backslash only occurs inside strings, as the
    first byte of an escape pair. Dropping the ``\\\\`` pairs (left to right, as
    ``bytes.replace`` does) and then the ``\\"`` pairs leaves only the quotes that
    open or close a string, so splitting on ``"`` separates strings from structure
    (as in the CSV count). A run of backslashes at the end of a chunk is held back
    until the next chunk, so an escape pair is never cut in two.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.pending = b""  # trailing backslashes of the previous chunk
        self.in_string = False
        self.tail = b""  # the last two bytes of structure seen

    def _count(self, data: bytes) -> None:
        if self.pending:
            data = self.pending + data
        if data.endswith(b"\\"):
            kept = data.rstrip(b"\\")
            self.pending, data = data[len(kept) :], kept
        else:
            self.pending = b""
        if b"\\" in data:
            data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
        parts = data.split(b'"')
        skeleton = b"".join(parts[1::2] if self.in_string else parts[0::2])
        if len(parts) % 2 == 0:
            self.in_string = not self.in_string
        text = self.tail + skeleton
        self.rows += text.count(b"},{") + text.count(b"[{") - (self.tail == b"[{")
        self.tail = text[-2:]


RESULT_FORMATS: dict[str, tuple[Any, type[CountingSink]]] = {}
GRAPH_FORMATS: dict[str, Any] = {}


def load_formats() -> None:
    import pyoxigraph as ox

    RESULT_FORMATS.update(
        {
            conneg.SPARQL_JSON: (ox.QueryResultsFormat.JSON, JsonSink),
            conneg.SPARQL_XML: (ox.QueryResultsFormat.XML, XmlSink),
            "text/csv": (ox.QueryResultsFormat.CSV, CsvSink),
            "text/tab-separated-values": (ox.QueryResultsFormat.TSV, TsvSink),
        }
    )
    GRAPH_FORMATS.update(
        {
            "text/turtle": ox.RdfFormat.TURTLE,
            "application/n-triples": ox.RdfFormat.N_TRIPLES,
            "application/ld+json": ox.RdfFormat.JSON_LD,
            "application/rdf+xml": ox.RdfFormat.RDF_XML,
            "application/trig": ox.RdfFormat.TRIG,
            "application/n-quads": ox.RdfFormat.N_QUADS,
        }
    )


_CHOICES: dict[tuple[str | None, str], tuple[str, str]] = {}


def choose(accept: str | None, kind: str) -> tuple[str, str]:
    """(media type to answer with, media type of the serializer) for a result kind; memoized."""
    key = (accept, kind)
    hit = _CHOICES.get(key)
    if hit is not None:
        return hit
    choice = _negotiate_kind(accept, kind)
    if len(_CHOICES) < 512 and (accept is None or len(accept) < 512):
        _CHOICES[key] = choice
    return choice


def _negotiate_kind(accept: str | None, kind: str) -> tuple[str, str]:
    offered = conneg.GRAPH_TYPES if kind == "graph" else conneg.SELECT_TYPES
    chosen = conneg.negotiate(accept, offered)
    if chosen is None:
        what = "CONSTRUCT/DESCRIBE" if kind == "graph" else kind.upper()
        raise NotAcceptable(
            f"cannot answer this {what} query in any type the Accept header allows ({accept}); "
            f"offered: {', '.join(offered)}",
            offered=list(offered),
        )
    canonical = conneg.CANONICAL["graph" if kind == "graph" else "results"].get(chosen, chosen)
    return chosen, canonical


_PREFIX_CACHE: dict[str, str] = {}


def turtle_prefixes() -> dict[str, str]:
    """The prefixes written into Turtle and TriG answers."""
    if not _PREFIX_CACHE:
        from ..namespaces import PREFIXES

        _PREFIX_CACHE.update(PREFIXES)
    return _PREFIX_CACHE


def too_many(limit: int, what: str = "rows") -> TooManyResults:
    """The error of an answer over the cap, saying how to page through it."""
    return TooManyResults(
        f"the result has more than {limit:,} {what}, the most this endpoint returns (max_rows); "
        f"add LIMIT {limit} (and OFFSET to page through it) or narrow the query",
        limit=limit,
    )
