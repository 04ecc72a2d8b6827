"""Small helpers the importers share to write RDF terms and describe their input files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox

__all__ = ["file_sha256", "literal"]


def literal(value: str, lang: str | None = None, *, datatype: str | None = None) -> ox.Literal:
    """A language-tagged, typed or plain literal.

    >>> literal("Hamburg", "de")
    <Literal value=Hamburg language=de>
    """
    if lang:
        return ox.Literal(value, language=lang)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in blocks (the importers name their input by it)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
