"""CSV for spreadsheets: what Excel opens with accents intact and without running formulas.

Two habits of spreadsheet programs decide the format of every CSV a person
downloads (the pages' tables, the API's ``.csv`` answers, the authoring
export):

* Excel reads a CSV without a byte order mark in the machine's legacy code
  page, so "Québec" shows as "QuÃ©bec". A UTF-8 BOM (``EF BB BF``) makes it
  read UTF-8; LibreOffice, Numbers, pandas and Python's ``utf-8-sig`` skip it.
* A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  is read as a formula (CSV injection: ``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``,
  OWASP "CSV Injection"). Such a cell gets a leading apostrophe, which the
  spreadsheet shows as text and hides; a plain number (``-12.5``) is left alone.

The SPARQL endpoint's ``text/csv`` results are *not* written here: they follow
the SPARQL 1.1 Query Results CSV format (no BOM, values as they are), for
programs. :func:`restore` undoes :func:`neutralise` when such a file comes back
(``relgraph import``).

>>> neutralise("=1+1"), neutralise("-12.5"), neutralise("Québec")
("'=1+1", '-12.5', 'Québec')
>>> restore(neutralise("@SUM(A1)")) == "@SUM(A1)"
True
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

__all__ = ["BOM", "MEDIA_TYPE", "csv_text", "neutralise", "restore", "write_rows"]

BOM = "\ufeff"
#: The media type of a spreadsheet CSV answer (RFC 4180 with the charset stated).
MEDIA_TYPE = "text/csv; charset=utf-8"
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def neutralise(text: str) -> str:
    """``text`` as a cell a spreadsheet shows as text: an apostrophe before a formula's first character."""
    if text.startswith(_TRIGGERS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The value :func:`neutralise` was given (a cell read back from a file written here)."""
    if text.startswith("'") and text[1:].startswith(_TRIGGERS) and not _NUMBER.fullmatch(text[1:]):
        return text[1:]
    return text


def write_rows(output: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> None:
    """Write ``header`` and ``rows`` to ``output`` as spreadsheet CSV (BOM, CRLF, formulas neutralised)."""
    if bom:
        output.write(BOM)
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in header])
    for row in rows:
        writer.writerow([neutralise("" if v is None else str(v)) for v in row])


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> str:
    """:func:`write_rows` into a string (a download's body)."""
    out = io.StringIO()
    write_rows(out, header, rows, bom=bom)
    return out.getvalue()
