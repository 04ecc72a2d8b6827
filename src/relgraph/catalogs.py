"""Interface strings in gettext catalogs, and numbers and dates formatted per language by Babel.

The strings of the pages, the API page, the query page, the reconciliation
preview and the ontology documentation live in
``translations/{de,en,fr}/LC_MESSAGES/messages.po`` (compiled to ``.mo`` for
flask-babel's ``gettext`` in templates). Each message has a context naming its
table and key (``pages.search``) and the English text as its id, so a
translator sees the English beside the key. :func:`table` gives a table back
in the shape the code has always used (``MESSAGES[lang][key]``), read once
from the catalogs.

``tools/i18n_catalogs.py`` moves strings from Python tables into the
catalogs (re-runnable: strings added to a table later are absorbed the same
way) and checks that every language has every message.

>>> format_number(24805, "fr") == "24\\u202f805"
True
>>> format_day(date(2024, 3, 1), "fr"), format_day(date(2024, 3, 1), "de")
('1er mars 2024', '1. März 2024')
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

__all__ = ["DIR", "DOMAIN", "LANGUAGES", "LOCALES", "format_day", "format_month", "format_number", "table"]

DIR = Path(__file__).parent / "translations"
DOMAIN = "messages"
LANGUAGES = ("en", "de", "fr")
#: Babel locales of our languages: British English writes "20 February 2024", as the pages always did.
LOCALES = {"en": "en_GB", "de": "de_DE", "fr": "fr_FR"}


def po_path(lang: str) -> Path:
    return DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _messages(lang: str) -> dict[str, str]:
    """``{"table.key": text}`` of one language's catalog."""
    with po_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=LOCALES[lang].split("_")[0])
    out: dict[str, str] = {}
    for message in catalog:
        text = message.string or message.id
        if message.id and message.context and isinstance(text, str):  # a table entry is never a plural form
            out[message.context] = text
    return out


def table(name: str) -> dict[str, dict[str, str]]:
    """The messages of table ``name`` as ``{lang: {key: text}}`` (every language has every key)."""
    prefix = name + "."
    return {
        lang: {ctx[len(prefix) :]: text for ctx, text in _messages(lang).items() if ctx.startswith(prefix)}
        for lang in LANGUAGES
    }


def format_number(value: float, lang: str) -> str:
    """A number as the language writes it (24,805 · 24.805 · 24 805)."""
    return format_decimal(value, locale=LOCALES.get(lang, "en_GB"))


def format_day(day: date, lang: str) -> str:
    """A day in words: 20 February 2024, 20. Februar 2024, 20 février 2024 (and French "1er" for the first)."""
    text = _babel_date(day, "long", locale=LOCALES.get(lang, "en_GB"))
    if lang == "fr" and day.day == 1 and text.startswith("1 "):
        text = "1er" + text[1:]
    return text


def format_month(year: int, month: int, lang: str) -> str:
    """A month of a year: February 2024, Februar 2024, février 2024."""
    return format_skeleton("yMMMM", date(year, month, 1), locale=LOCALES.get(lang, "en_GB"))
