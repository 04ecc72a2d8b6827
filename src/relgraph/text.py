"""Text helpers shared by the importers, the authoring tool and the pages."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_label"]

_NON_WORD = re.compile(r"[^\w]+")


def normalise_label(text: str, *, keep_punctuation: bool = False) -> str:
    """A label for matching: NFKD, diacritics dropped, case-folded, whitespace collapsed.

    Punctuation becomes a space (the importers match names this way) unless
    ``keep_punctuation`` (the pages' search compares labels as written).

    >>> normalise_label("  Québec ") == normalise_label("QUEBEC")
    True
    >>> normalise_label("Sankt-Petersburg")
    'sankt petersburg'
    >>> normalise_label("München-Ost", keep_punctuation=True)
    'munchen-ost'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if not keep_punctuation:
        folded = _NON_WORD.sub(" ", folded)
    return " ".join(folded.split())
