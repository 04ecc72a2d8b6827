"""Names of the store's entities, to link a party or a signatory named in a text.

Every ``rdfs:label`` and ``skos:altLabel`` (any language) of an entity typed with a
party class (places, organisations) or ``rg:Person`` is folded with
:func:`relgraph.text.normalise_label`; a text is matched by its word n-grams (up to
eight words, longest first). With the world data this includes the GeoNames and
Wikipedia place names its graphs carry, in every spelling they were imported with.

A one-word match is accepted only when the word is capitalised in the text and is
not a common word (so the place "Bar" does not match "bar"); a name that folds to
two entities is ambiguous and proposed with both, for the reviewer to choose.
Posts (``rg:Post`` with ``rg:postIn``) and tenures tell which party a known person
signs for.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..namespaces import RDFS_LABEL, RG, SKOS
from ..text import normalise_label

__all__ = ["Gazetteer", "Mention"]

#: an entity's classes and the party type each names, most specific first: an entity of several (Hamburg is a
#: City and a FederalState) takes the first (:meth:`Gazetteer.party_type`)
PARTY_CLASSES = {
    "FederalState": "federal-state",
    "Province": "province",
    "Country": "country",
    "City": "city",
    "Region": "region",
    "University": "university",
    "ResearchCentre": "research-centre",
    "ResearchConsortium": "research-consortium",
    "Cluster": "cluster",
    "ChamberOfCommerce": "chamber-of-commerce",
    "Ministry": "ministry",
    "GovernmentBody": "government-body",
    "InternationalOrganization": "international-organisation",
    "Association": "association",
    "Organization": "organisation",
    "Place": "city",
}
# head words a store's name may begin with where a text leaves them out ("Landkreis Marburg-Biedenkopf")
_HEADS = ("landkreis", "kreis", "bezirk", "district", "county", "region", "province", "departement")
_COMMON = set(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "this",
        "that",
        "der",
        "die",
        "das",
        "und",
        "mit",
        "für",
        "von",
        "dem",
        "den",
        "des",
        "les",
        "la",
        "le",
        "et",
        "pour",
        "avec",
        "sur",
        "une",
        "un",
        "ein",
        "eine",
        "city",
        "stadt",
        "ville",
        "mayor",
        "maire",
        "minister",
        "ministre",
        "president",
        "präsident",
        "university",
        "universität",
        "partnership",
        "partnerschaft",
        "agreement",
        "abkommen",
        "new",
        "neue",
        "nouvelle",
        "region",
        "province",
        "land",
        "state",
        "union",
        "juni",
        "june",
        "juin",
        "mai",
        "may",
        "march",
        "märz",
        "mars",
        "august",
        "august",
    ]
)
# first-level subdivisions of countries (ISO 3166-2, pycountry's data, with its German, French and English names):
# the regions and provinces an agreement names that the store does not know ("Oberösterreich", "Manitoba",
# "Nouvelle-Écosse", "Masowien"); of the kinds that sign agreements, not municipalities or parishes
_SUBDIVISION_TYPES = {
    "Land": "federal-state",
    "State": "federal-state",
    "Federal state": "federal-state",
    "Province": "province",
    "Region": "region",
    "Autonomous community": "region",
    "Autonomous region": "region",
    "Administrative region": "region",
    "Metropolitan region": "region",
    "Voivodship": "region",
    "Prefecture": "region",
    "County": "region",
    "Department": "region",
    "Governorate": "region",
    "Canton": "region",
    "Republic": "region",
    "Oblast": "region",
    "Autonomous province": "province",
}
# one-word names that are words of a text before they are regions ("Afrique de l'Ouest", "the Centre")
_GENERIC_REGION = {
    "nord",
    "sud",
    "est",
    "ouest",
    "centre",
    "center",
    "central",
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "littoral",
    "capital",
    "coast",
    "islands",
    "lakes",
    "upper",
    "lower",
    "mono",
    "plateau",
    "plateaux",
    "savanes",
    "maritime",
    "highlands",
    "lowlands",
    "interior",
    "pool",
    "meta",
    "saba",
}


@lru_cache(maxsize=1)
def subdivisions() -> dict[str, str]:
    """Folded name → party type of every first-level subdivision (:data:`_SUBDIVISION_TYPES`), in its own,
    German, French and English spelling, with the alternatives ISO writes in brackets ("Catalunya [Cataluña]")
    and without "Sheng" ("Hubei Sheng")."""
    import gettext

    import pycountry

    translations = [
        gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("de", "fr", "en")
    ]
    out: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        kind = _SUBDIVISION_TYPES.get(sub.type)
        if kind is None or (getattr(sub, "parent_code", None) and kind != "province"):  # "Camarines Sur" (PH-05)
            continue
        spellings = {sub.name, *(t.gettext(sub.name) for t in translations)}
        for spelling in list(spellings):
            spellings |= {x.strip() for x in re.split(r"[\[\]]", spelling) if x.strip()}
        for spelling in spellings:
            for name in {spelling, re.sub(r"\s+(?:Sheng|Shi|Zizhiqu)$", "", spelling)}:
                key = normalise_label(name)
                one_word = len(key.split()) == 1
                if not key or key in _GENERIC_REGION or key in _COMMON or (one_word and len(key) < 5):
                    continue
                out.setdefault(key, kind)
    return out


_TOKEN = re.compile(r"[\w][\w'’.\-]*?(?=[a-zäöüéè]{3}[A-ZÄÖÜ])[\w]{3}|[\w][\w'’.\-]*[\w]|[\w]", re.UNICODE)
_MAX_WORDS = 12


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    iris: tuple[str, ...]
    kind: str  # "party" or "person"
    types: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    person_parties: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def from_store(cls, store: Any) -> Gazetteer:
        """Every party and person name of ``store`` (a :class:`relgraph.store.Store`; None: empty)."""
        gaz = cls()
        if store is None:
            return gaz
        ox_store = store.oxigraph
        inferred = store.base + "graph/inferred"
        graphs = [g for g in ox_store.named_graphs() if g.value != inferred]
        if not graphs:
            return gaz
        wanted = set(PARTY_CLASSES) | {"Person"}
        for row in ox_store.query(
            f"SELECT ?e ?t WHERE {{ ?e a ?t FILTER(isIRI(?e) && STRSTARTS(STR(?t), '{RG}')) }}", default_graph=graphs
        ):
            t = row["t"].value.removeprefix(RG)
            if t in wanted:
                gaz.types[row["e"].value].add(t)
        for row in ox_store.query(
            f"SELECT ?e ?l WHERE {{ ?e <{RDFS_LABEL}>|<{SKOS}altLabel> ?l FILTER(isIRI(?e)) }}", default_graph=graphs
        ):
            iri = row["e"].value
            if iri not in gaz.types:
                continue
            key = normalise_label(row["l"].value)
            if key and len(key.split()) <= _MAX_WORDS:
                gaz.names[key].add(iri)
            gaz.labels[iri].setdefault(row["l"].language or "", row["l"].value)
        query = f"""SELECT ?person ?party WHERE {{
            {{ ?t <{RG}holder> ?person ; <{RG}post> ?post . ?post <{RG}postIn> ?party }}
            UNION {{ ?sig <{RG}signatory> ?person ; <{RG}onBehalfOf> ?party }} }}"""
        for row in ox_store.query(query, default_graph=graphs):
            gaz.person_parties[row["person"].value].add(row["party"].value)
        return gaz

    def label(self, iri: str, lang: str) -> str:
        known = self.labels.get(iri, {})
        return known.get(lang) or known.get("en") or known.get("") or next(iter(known.values()), iri.rsplit("/", 1)[1])

    def is_person(self, iri: str) -> bool:
        return "Person" in self.types.get(iri, set())

    def only(self, name: str) -> str | None:
        """The entity the store knows by ``name`` when it knows exactly one (else None: unknown or ambiguous)."""
        hits = self.names.get(normalise_label(name), set())
        return next(iter(hits)) if len(hits) == 1 else None

    def party_type(self, iri: str) -> str | None:
        """The most specific of the entity's party types (Hamburg is a City and a FederalState: the state), in
        a fixed order: the same entity gets the same type in every run (a set's order changes with the hash seed)."""
        known = self.types.get(iri, set())
        return next((kind for t, kind in PARTY_CLASSES.items() if t in known), None)

    def find(self, text: str, *, offset: int = 0) -> list[Mention]:
        """Non-overlapping mentions of known names in ``text``, longest first."""
        if not self.names:
            return []
        tokens = []
        for m in _TOKEN.finditer(text):
            a = m.start()
            elided = re.match(r"(?:[dDlL]|[Qq]u|[Jj]usqu)['’](?=[A-ZÀ-Ý])", m.group(0))
            if elided:  # "d’Ouarzazate", "l’Alsace": the name after the elided article
                a += elided.end()
            tokens.append((a, m.end(), text[a : m.end()]))
        regions = subdivisions()  # once per call: the n-gram loop below looks up every window
        out: list[Mention] = []
        i = 0
        while i < len(tokens):
            hit = None
            for n in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
                a, b = tokens[i][0], tokens[i + n - 1][1]
                surface = text[a:b]
                key = normalise_label(surface)
                iris = self.names.get(key)
                if not iris and "-" in surface and surface[:1].isupper():
                    # "nach Marburg-Biedenkopf": a compound district name the store has with its head word
                    iris = next((self.names[h + " " + key] for h in _HEADS if h + " " + key in self.names), None)
                region = None if iris else regions.get(key)
                if not iris and region is None:
                    continue
                if n == 1:
                    word = tokens[i][2]
                    if not word[:1].isupper() or key in _COMMON or len(key) < 3:
                        continue
                if not surface[:1].isupper() and not any(c.isupper() for c in surface):
                    continue
                hit = (n, a, b, surface, iris or set(), region)
                break
            if hit is None:
                i += 1
                continue
            n, a, b, surface, iris, region = hit
            if surface.count("(") > surface.count(")") and text[b : b + 1] == ")":
                b += 1
                surface = text[a:b]
            if region is not None:  # a region the store does not know: a new party of that type
                out.append(Mention(offset + a, offset + b, surface, (), "party", (region,)))
                i += n
                continue
            people = tuple(sorted(e for e in iris if self.is_person(e)))
            parties = tuple(sorted(e for e in iris if not self.is_person(e)))
            if parties:
                types = tuple(self.party_type(e) or "" for e in parties)
                out.append(Mention(offset + a, offset + b, surface, parties, "party", types))
            elif people:
                out.append(Mention(offset + a, offset + b, surface, people, "person"))
            i += n
        return out
