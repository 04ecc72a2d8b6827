"""Reasons in words: what a suggestion rests on, in de/en/fr, with the places and things it names.

The strings live in the gettext catalogs (table ``partners``, see
``tools/i18n_catalogs.py``); ``{items}`` is a list of labels, each with its
link in the structured form (``items``: IRI and label) that JSON carries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import catalogs
from .index import PartnerIndex
from .score import Evidence

__all__ = ["MESSAGES", "reasons"]

MESSAGES: dict[str, dict[str, str]] = catalogs.table("partners")  # tools/i18n_catalogs.py

_SHOWN = 4  # items named in one reason; the rest are counted


Labeler = Callable[[str], str]


def _items(iris: list[str], label: Labeler, lang: str) -> tuple[str, list[dict[str, str]]]:
    shown = [{"iri": i, "label": label(i)} for i in iris]
    text = ", ".join(x["label"] for x in shown[:_SHOWN])
    if len(iris) > _SHOWN:
        text += ", … (" + MESSAGES[lang]["more"].format(n=len(iris) - _SHOWN) + ")"
    return text, shown


def reasons(e: Evidence, index: PartnerIndex, place: str, label: Labeler, lang: str = "en") -> list[dict[str, Any]]:
    """The reasons of one suggestion, strongest evidence first: ``{"kind", "text", "items": [{iri, label}]}``."""
    t = MESSAGES.get(lang, MESSAGES["en"])
    out: list[dict[str, Any]] = []

    def add(kind: str, iris: list[str], **extra: Any) -> None:
        text, items = _items(iris, label, lang)
        out.append({"kind": kind, "text": t[kind].format(items=text, **extra), "items": items})

    if e.shared:
        shared = sorted(set(e.shared), key=label)
        add("shared" if len(shared) > 1 else "shared_one", shared, n=len(shared))
    if e.via and e.terms.get("second"):
        add("second", [p for p, _ in e.via.most_common()], n=sum(e.via.values()))
    if e.nearby and e.terms.get("nearby"):
        seen = sorted({x for x, _, _ in e.nearby}, key=label)
        add("nearby", seen)
    if e.country_links and e.terms.get("countries"):
        a = index.places[place].country if place in index.places else None
        b = index.places[e.iri].country if e.iri in index.places else None
        if a and b:
            add("countries" if a != b else "countries_same", [a, b] if a != b else [a], n=e.country_links)
    for kind in ("membership", "statement", "region", "field"):
        if e.profile.get(kind):
            add(kind, e.profile[kind])
    if e.profile.get("institution"):
        names = [t.get(f"inst_{k}", k) for k in e.profile["institution"]]
        out.append({"kind": "institution", "text": t["institution"].format(items=", ".join(names)), "items": []})
    if e.profile.get("size"):
        out.append({"kind": "size", "text": t["size"].format(items=t[f"size_{e.profile['size'][0]}"]), "items": []})
    return out
