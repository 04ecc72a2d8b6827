"""Interface strings of the entity pages in English, German and French, and the page language.

The language is ``?lang=`` (de, en, fr), else the best match of
``Accept-Language``, else English. Data labels follow their own fallback chain
(:func:`relgraph.summary.label`: requested → en → de → fr → any → local name).
"""

from __future__ import annotations

from flask import request

from relgraph import catalogs

__all__ = ["LANGUAGES", "MESSAGES", "language", "messages"]

LANGUAGES = ("en", "de", "fr")
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français"}

MESSAGES: dict[str, dict[str, str]] = catalogs.table("pages")  # tools/i18n_catalogs.py


# --- the network (/network and the place pages' position; relgraph_server.network) -----------------
_NETWORK: dict[str, dict[str, str]] = catalogs.table("network")  # tools/i18n_catalogs.py


def language() -> str:
    """``?lang=``, else the best of ``Accept-Language``, else English."""
    asked = request.args.get("lang", "").lower()
    if asked in MESSAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES, default="en") or "en"


def messages(lang: str) -> dict[str, str]:
    return _ALL.get(lang, _ALL["en"])


# --- the /draft review page (relgraph_server.drafting) ---------------------------------------
DRAFT_MESSAGES: dict[str, dict[str, str]] = catalogs.table("draft")  # tools/i18n_catalogs.py
#: what page templates see: the pages' strings, the network's and the draft page's, per language
_ALL = {code: {**MESSAGES[code], **_NETWORK.get(code, {}), **DRAFT_MESSAGES.get(code, {})} for code in MESSAGES}
