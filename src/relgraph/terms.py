"""Small helpers the importers share to write RDF terms and describe their input files."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import pyoxigraph as ox

from .namespaces import WD

__all__ = ["file_sha256", "literal", "qid_of", "slugify"]

_QID = re.compile(r"^Q[1-9][0-9]*$")


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


def slugify(text: str) -> str:
    """A slug for IRIs: lower-case ASCII letters, digits and single hyphens.

    >>> slugify("León (Nicaragua)")
    'leon-nicaragua'
    >>> slugify("Ōsaka")
    'osaka'
    >>> slugify("Łódź")
    'lodz'
    """
    from anyascii import anyascii  # transliterates what NFKD keeps (Łódź → lodz, Tromsø → tromso)

    ascii_text = anyascii(unicodedata.normalize("NFC", text))
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def qid_of(value: str) -> str | None:
    """``Q1055`` from ``Q1055`` or ``http://www.wikidata.org/entity/Q1055``; else None."""
    text = value.strip()
    for prefix in (WD, "https://www.wikidata.org/entity/", "https://www.wikidata.org/wiki/", "wd:"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return text if _QID.match(text) else None
