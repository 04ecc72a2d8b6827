"""RDF files: their formats, parsing with rebasing into the store's base, export formats, syntax errors.

One place for what the embedded store, the remote store, the validator and the
engines share about RDF text: a file's format from its suffix, its quads (each
file into its own graph, IRIs under the default base rewritten to the
configured one), and where a parser's error message says the problem is.
"""

from __future__ import annotations

import contextlib
import gzip
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from . import progress as bars
from . import settings
from .errors import LoadError, UsageError
from .namespaces import PREFIXES, graph_iri

__all__ = ["EXPORT_FORMATS", "UNION_TRIPLES", "export_format", "iter_file", "parse_syntax_error", "rdf_format_for",
           "read_file", "rebase"]  # fmt: skip

ProgressFn = Callable[[str], None]

_SUFFIX_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}

EXPORT_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "turtle": ox.RdfFormat.TURTLE,
}

#: Where a parser (pyoxigraph's, or a remote engine's) says an error is: "line 3:5", "at 3:5",
#: "line 3 column 5", "error at 3:5".
_POSITION = re.compile(r"(?:line |at )(\d+)[: ](?:column )?(\d+)")
_POSITION_PREFIX = re.compile(r"^(Parser error|error) at (line )?\d+(:| column )\d+:\s*")
#: Every triple of the union of all graphs, once (a Turtle export of the whole store).
UNION_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


def rdf_format_for(path: Path) -> ox.RdfFormat:
    """The RDF format of a file, from its suffix; ``.gz`` is read through gzip (``x.nq.gz`` is N-Quads)."""
    if path.suffix.lower() == ".gz":
        path = path.with_suffix("")
    try:
        return _SUFFIX_FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(_SUFFIX_FORMATS))
        raise UsageError(f"{path}: unknown RDF file type {path.suffix!r}; use one of {known}") from None


def parse_syntax_error(err: BaseException | str) -> tuple[int | None, int | None, str]:
    """(line, column, message without its position prefix) of a parser's syntax error.

    The one reading of syntax errors for RDF files, SPARQL queries and updates, embedded or remote.

    >>> parse_syntax_error("error at 3:5: expected '}'")
    (3, 5, "expected '}'")
    >>> parse_syntax_error("Virtuoso 37000 Error SP030: syntax error at line 2 column 7")
    (2, 7, 'Virtuoso 37000 Error SP030: syntax error at line 2 column 7')
    """
    if isinstance(err, BaseException):
        text = str(err.args[0]) if err.args else str(err)
        line, col = getattr(err, "lineno", None), getattr(err, "offset", None)
    else:
        text, line, col = err, None, None
    if line is None:
        match = _POSITION.search(text)
        if match:
            line, col = int(match.group(1)), int(match.group(2))
    return line, col, _POSITION_PREFIX.sub("", text)


def rebase(term: Any, base: str) -> Any:
    """``term`` with an IRI under the default base's ``id/`` or ``graph/`` moved under ``base``."""
    if isinstance(term, ox.NamedNode):
        value = term.value
        default = settings.DEFAULT_BASE
        if value.startswith((default + "id/", default + "graph/")):
            return ox.NamedNode(base + value[len(default) :])
    return term


def iter_file(
    path: Path, *, base: str, graph: str | None = None, progress: ProgressFn | None = None
) -> Iterator[ox.Quad]:
    """The quads of one file, parsed lazily, without touching the store.

    Triples outside a named graph go to ``graph`` or to the file's own graph
    ``{base}graph/{file stem}``; quads of TriG/N-Quads keep their graph.
    A parse error is a :class:`LoadError` naming file, line and column.
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    fmt = rdf_format_for(path)
    stem = path.with_suffix("").stem if path.suffix.lower() == ".gz" else path.stem
    target = ox.NamedNode(graph or graph_iri(stem, base=base))
    rebased = base != settings.DEFAULT_BASE
    gzipped = path.suffix.lower() == ".gz"
    n = done = 0
    try:
        # a gzipped file is streamed through the decompressor, never held whole; the bar (on a
        # terminal) follows the bytes read from disk
        with (
            open(path, "rb") as raw,
            gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else contextlib.nullcontext(raw) as handle,
            bars.bar(desc=path.name, total=path.stat().st_size, unit="B", scale=True) as shown,
        ):
            stream = cast(IO[bytes], handle)  # a gzip or plain binary file
            for quad in ox.parse(input=stream, format=fmt, base_iri=base, rename_blank_nodes=True):
                g = quad.graph_name
                if isinstance(g, ox.DefaultGraph):
                    g = target
                s, o = quad.subject, quad.object
                if rebased:
                    s, o, g = rebase(s, base), rebase(o, base), rebase(g, base)
                yield ox.Quad(s, quad.predicate, o, g)
                n += 1
                if n % 10_000 == 0:
                    shown.update(raw.tell() - done)
                    done = raw.tell()
                if progress and n % 100_000 == 0:
                    progress(f"{path}: {n:,} triples read")
            shown.update(raw.tell() - done)
    except SyntaxError as err:
        line, col, message = parse_syntax_error(err)
        raise LoadError(message, file=str(path), line=line, column=col) from None
    except (ValueError, OSError, EOFError) as err:
        raise LoadError(str(err), file=str(path)) from None


def read_file(path: Path, *, base: str, graph: str | None = None, progress: ProgressFn | None = None) -> list[ox.Quad]:
    """Parse one file fully into quads (see :meth:`iter_file`), without touching the store."""
    return list(iter_file(path, base=base, graph=graph, progress=progress))


def export_format(format: str) -> tuple[ox.RdfFormat, dict[str, str] | None]:
    """The RDF format of an export format name, and the prefixes to write with it."""
    try:
        fmt = EXPORT_FORMATS[format]
    except KeyError:
        raise UsageError(f"unknown export format {format!r}; use one of {', '.join(EXPORT_FORMATS)}") from None
    return fmt, (PREFIXES if fmt is not ox.RdfFormat.N_QUADS else None)
