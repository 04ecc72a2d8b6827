"""Draft facts from an announcement: proposed agreements for a person to review, never written unasked.

``draft(text)`` reads a plain-text or HTML press release in German, English or French
and proposes what it states: agreements (kind, parties, signing date), signatories
with their posts, fields, planned projects and quotations, each with the sentence
and character offsets it rests on and a confidence. The proposals convert to the
authoring rows ``relgraph import`` reads (:func:`to_rows`), so the human reviews and
imports through the same checks and SHACL gate as a hand-filled spreadsheet. Rules,
the store's names as gazetteer, ``dateparser``, and a small logistic model that chooses
parties among the names the text mentions (its numbers ship in ``learned.json``; nothing
downloaded).
See docs/drafting.md for what each part does and where it fails.
"""

from __future__ import annotations

from typing import Any

from .document import LANGUAGES, MAX_CHARS, Document, DraftInputError, read_text
from .extract import extract
from .gazetteer import Gazetteer
from .model import Agreement, Draft, Evidence, FieldFact, Party, Project, Quote, Signatory
from .rows import import_rows, to_rows, write_rows

__all__ = [
    "LANGUAGES",
    "MAX_CHARS",
    "Agreement",
    "Document",
    "Draft",
    "DraftInputError",
    "Evidence",
    "FieldFact",
    "Gazetteer",
    "Party",
    "Project",
    "Quote",
    "Signatory",
    "draft",
    "import_rows",
    "to_rows",
    "write_rows",
]


def draft(
    raw: str | bytes,
    *,
    lang: str | None = None,
    document_date: str | None = None,
    gazetteer: Gazetteer | None = None,
    store: Any = None,
    where: str = "the text",
    learned: bool = True,
) -> Draft:
    """Proposals for ``raw`` (text or HTML); names linked through ``gazetteer`` (or the ``store``'s names).

    ``learned=False``: the rules' proposals alone, without the fitted choice of parties (:mod:`.learned`).
    """
    import datetime as dt

    if document_date is not None:
        try:
            dt.date.fromisoformat(document_date)
        except ValueError:
            raise DraftInputError(f"{where}: the document date {document_date!r} is not YYYY-MM-DD") from None
    doc = read_text(raw, lang=lang, where=where)
    if gazetteer is None:
        gazetteer = Gazetteer.from_store(store)
    return extract(doc, gazetteer=gazetteer, document_date=document_date, learned=learned)
