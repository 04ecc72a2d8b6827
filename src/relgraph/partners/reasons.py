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
from .score import Evidence, size_class

__all__ = ["MESSAGES", "reasons"]

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "shared": "{n} shared partners: {items}",
        "second": "its partners share partners with yours ({n} links), via {items}",
        "nearby": "partnered with places near yours or near your partners: {items}",
        "countries": "{n} relations between {items}",
        "membership": "both members of {items}",
        "statement": "both signed {items}",
        "institution": "both have {items}",
        "field": "both have agreements or institutions in {items}",
        "region": "both in {items}",
        "size": "same size class: {items}",
        "country": "same country: {items}",
        "inst_University": "universities",
        "inst_ResearchCentre": "research centres",
        "inst_ResearchConsortium": "research consortia",
        "inst_Cluster": "clusters",
        "inst_ChamberOfCommerce": "chambers of commerce",
        "size_0": "small town (under 20,000)",
        "size_1": "town (20,000 to 100,000)",
        "size_2": "city (100,000 to 500,000)",
        "size_3": "large city (500,000 to 1 million)",
        "size_4": "metropolis (1 million or more)",
        "more": "{n} more",
        "no_evidence": "no place shares a partner, a neighbourhood, a country pair or a profile feature "
        "with {place}: nothing to suggest",
        "no_field": "no candidate has agreements or institutions in the field {field}",
        "no_similar": "no other place shares a membership, a joint statement, institutions, a field or a region "
        "with {place}",
        "possible_partners": "Possible partners",
        "similar_places": "Similar places",
        "score": "score",
        "reasons": "reasons",
        "place": "place",
        "download_csv": "download as CSV",
        "how_to_read": "Suggestions of places without a relation yet, ranked by network evidence (shared partners, "
        "partners of partners, neighbouring places, country pairs) and profile similarity. Check each reason on the "
        "linked pages; a suggestion is a lead to look into, not a recommendation.",
        "similar_note": "Places with a similar profile (memberships, joint statements, institutions, fields, "
        "size), partners or not.",
    },
    "de": {
        "shared": "{n} gemeinsame Partner: {items}",
        "second": "seine Partner haben gemeinsame Partner mit Ihren ({n} Verbindungen), über {items}",
        "nearby": "Partner von Orten in Ihrer Nähe oder nahe Ihren Partnern: {items}",
        "countries": "{n} Beziehungen zwischen {items}",
        "membership": "beide Mitglied von {items}",
        "statement": "beide unterzeichneten {items}",
        "institution": "beide haben {items}",
        "field": "beide haben Vereinbarungen oder Einrichtungen im Feld {items}",
        "region": "beide in {items}",
        "size": "gleiche Größenklasse: {items}",
        "country": "gleicher Staat: {items}",
        "inst_University": "Hochschulen",
        "inst_ResearchCentre": "Forschungszentren",
        "inst_ResearchConsortium": "Forschungsverbünde",
        "inst_Cluster": "Cluster",
        "inst_ChamberOfCommerce": "Handelskammern",
        "size_0": "Kleinstadt (unter 20.000)",
        "size_1": "Stadt (20.000 bis 100.000)",
        "size_2": "Großstadt (100.000 bis 500.000)",
        "size_3": "große Großstadt (500.000 bis 1 Million)",
        "size_4": "Metropole (1 Million und mehr)",
        "more": "{n} weitere",
        "no_evidence": "kein Ort teilt einen Partner, eine Nachbarschaft, ein Staatenpaar oder ein Profilmerkmal "
        "mit {place}: nichts vorzuschlagen",
        "no_field": "kein Kandidat hat Vereinbarungen oder Einrichtungen im Feld {field}",
        "no_similar": "kein anderer Ort teilt eine Mitgliedschaft, eine gemeinsame Erklärung, Einrichtungen, ein Feld "
        "oder eine Region mit {place}",
        "possible_partners": "Mögliche Partner",
        "similar_places": "Ähnliche Orte",
        "score": "Wert",
        "reasons": "Gründe",
        "place": "Ort",
        "download_csv": "als CSV herunterladen",
        "how_to_read": "Vorschläge für Orte ohne bisherige Beziehung, geordnet nach Belegen im Netz (gemeinsame "
        "Partner, Partner von Partnern, benachbarte Orte, Staatenpaare) und Ähnlichkeit der Profile. Prüfen Sie jeden "
        "Grund auf den verlinkten Seiten; ein Vorschlag ist ein Hinweis zum Prüfen, keine Empfehlung.",
        "similar_note": "Orte mit ähnlichem Profil (Mitgliedschaften, gemeinsame Erklärungen, Einrichtungen, Felder, "
        "Größe), ob Partner oder nicht.",
    },
    "fr": {
        "shared": "{n} partenaires communs : {items}",
        "second": "ses partenaires ont des partenaires en commun avec les vôtres ({n} liens), via {items}",
        "nearby": "partenaire de lieux proches de vous ou de vos partenaires : {items}",
        "countries": "{n} relations entre {items}",
        "membership": "tous deux membres de {items}",
        "statement": "tous deux signataires de {items}",
        "institution": "tous deux ont des {items}",
        "field": "tous deux ont des accords ou des institutions dans le domaine {items}",
        "region": "tous deux en {items}",
        "size": "même classe de taille : {items}",
        "country": "même pays : {items}",
        "inst_University": "universités",
        "inst_ResearchCentre": "centres de recherche",
        "inst_ResearchConsortium": "consortiums de recherche",
        "inst_Cluster": "grappes",
        "inst_ChamberOfCommerce": "chambres de commerce",
        "size_0": "petite ville (moins de 20 000)",
        "size_1": "ville (20 000 à 100 000)",
        "size_2": "grande ville (100 000 à 500 000)",
        "size_3": "très grande ville (500 000 à 1 million)",
        "size_4": "métropole (1 million ou plus)",
        "more": "{n} de plus",
        "no_evidence": "aucun lieu ne partage un partenaire, un voisinage, une paire de pays ou un trait de profil "
        "avec {place} : rien à suggérer",
        "no_field": "aucun candidat n’a d’accords ou d’institutions dans le domaine {field}",
        "no_similar": "aucun autre lieu ne partage une adhésion, une déclaration commune, des institutions, un domaine "
        "ou une région avec {place}",
        "possible_partners": "Partenaires possibles",
        "similar_places": "Lieux similaires",
        "score": "score",
        "reasons": "raisons",
        "place": "lieu",
        "download_csv": "télécharger en CSV",
        "how_to_read": "Suggestions de lieux sans relation à ce jour, classés selon les indices du réseau "
        "(partenaires communs, partenaires de partenaires, lieux voisins, paires de pays) et la similarité des profils. "
        "Vérifiez chaque raison sur les pages liées ; une suggestion est une piste à examiner, pas une recommandation.",
        "similar_note": "Lieux au profil similaire (adhésions, déclarations communes, institutions, domaines, taille), "
        "partenaires ou non.",
    },
}

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
        add("shared", sorted(set(e.shared), key=label), n=len(set(e.shared)))
    if e.via and e.terms.get("second"):
        add("second", [p for p, _ in e.via.most_common()], n=sum(e.via.values()))
    if e.nearby and e.terms.get("nearby"):
        seen = sorted({x for x, _, _ in e.nearby}, key=label)
        add("nearby", seen)
    if e.country_links and e.terms.get("countries"):
        a = index.places[place].country if place in index.places else None
        b = index.places[e.iri].country if e.iri in index.places else None
        if a and b:
            add("countries", [a, b] if a != b else [a], n=e.country_links)
    for kind in ("membership", "statement", "region", "field"):
        if e.profile.get(kind):
            add(kind, e.profile[kind])
    if e.profile.get("institution"):
        names = [t.get(f"inst_{k}", k) for k in e.profile["institution"]]
        out.append({"kind": "institution", "text": t["institution"].format(items=", ".join(names)), "items": []})
    if e.profile.get("size"):
        out.append({"kind": "size", "text": t["size"].format(items=t[f"size_{e.profile['size'][0]}"]), "items": []})
    return out
