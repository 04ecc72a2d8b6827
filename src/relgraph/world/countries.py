"""Countries as entities: ISO 3166 codes from pycountry, names in de/en/fr from Unicode CLDR via Babel.

Why not a hand-typed table: ISO 3166 and CLDR are maintained, translated and
versioned elsewhere; relgraph only picks the IRI and resolves the spellings the
sources use.

- IRIs are ``{base}id/country/{slugify(CLDR English name)}`` (``country/germany``,
  ``country/united-states``, ``country/czechia``), so they meet the curated data.
- :func:`resolve_country` maps a source's country string to a :class:`CountryMatch`:
  ISO codes and names (pycountry), CLDR names in several languages (Babel), a
  leading "the"/"in" and a trailing "(country)" dropped, "Region, Country" split
  into the country and a region name, England/Scotland/Wales/Northern Ireland as
  regions (ISO 3166-2) of the United Kingdom, pycountry's fuzzy search only when
  it finds exactly one country, and :data:`ALIASES` for what no library knows.
- Places whose status is disputed or not universally recognised (Palestine,
  Taiwan, Kosovo, Northern Cyprus, Western Sahara) are modelled as the sources
  name them (:data:`AS_SOURCES_NAME_THEM`): the English label is the sources'
  name, a note says relgraph takes no position. Kosovo has no ISO 3166-1 code;
  ``XK`` is a user-assigned code (used by the European Commission and others).
- :func:`country_quads` writes the graph ``{base}graph/countries``. It holds no
  Wikidata ids: a source that gives one (the Eurocities list, the curated data)
  states it in its own graph.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import babel
import pycountry
import pyoxigraph as ox
from babel import Locale

from ..namespaces import CC, DCT, LANG, PROV, RDF_TYPE, RDFS_LABEL, RG, SCHEMA, SKOS, XSD, graph_iri
from ..terms import literal as lit
from ..terms import slugify
from .names import fold

__all__ = [
    "ALIASES",
    "AS_SOURCES_NAME_THEM",
    "COUNTRIES_GRAPH_SLUG",
    "UK_NATIONS",
    "Country",
    "CountryMatch",
    "countries",
    "country_iri",
    "country_quads",
    "region_iri",
    "resolve_country",
]

COUNTRIES_GRAPH_SLUG = "countries"
_LABEL_LANGS = ("de", "en", "fr")
#: CLDR names in these languages are matched too (sources write "Grece", "Madagaskar", "Island").
_MATCH_LOCALES = ("en", "de", "fr", "es", "it", "nl", "pt", "pl", "sv", "nb", "da")

#: Spellings no library resolves, each with why. Keys are folded (:func:`relgraph.world.names.fold`).
ALIASES: dict[str, tuple[str, str]] = {
    "kazakhstah": ("KZ", "misspelling of Kazakhstan in the Wikipedia list"),
    "bosnia and hercegovina": ("BA", "Croatian/Serbian spelling 'Hercegovina' in an English name"),
    "turkey": ("TR", "CLDR's English variant name (TR-alt-variant), which Babel does not expose"),
    "ivory coast": ("CI", "CLDR's English variant name (CI-alt-variant), which Babel does not expose"),
    "east timor": ("TL", "CLDR's English variant name (TL-alt-variant), which Babel does not expose"),
    "czech republic": ("CZ", "CLDR's English variant name (CZ-alt-variant), which Babel does not expose"),
    "republic of ireland": ("IE", "the English Wikipedia article name of Ireland"),
    "uk": ("GB", "CLDR's English short name (GB-alt-short), which Babel does not expose"),
    "usa": ("US", "ISO 3166-1 alpha-3 code written as a name"),
    "democratic republic of the congo": (
        "CD",
        "the official English name, which pycountry writes inverted and CLDR has only as a variant (CD-alt-variant)",
    ),
}


@dataclass(frozen=True)
class AsNamed:
    """A place the sources list as a country whose status is disputed or not universally recognised."""

    name: str  # as the sources write it
    code: str | None
    note: str
    user_assigned: bool = False


_NEUTRAL = (
    "Listed as a country by the sources and labelled as they name it; its international status is "
    "disputed or not universally recognised, and relgraph takes no position on it."
)

#: Keys are folded source spellings.
AS_SOURCES_NAME_THEM: dict[str, AsNamed] = {
    "palestine": AsNamed("Palestine", "PS", _NEUTRAL + " ISO 3166-1 lists PS as 'Palestine, State of'."),
    "taiwan": AsNamed("Taiwan", "TW", _NEUTRAL + " ISO 3166-1 lists TW as 'Taiwan, Province of China'."),
    "kosovo": AsNamed(
        "Kosovo",
        "XK",
        _NEUTRAL + " Kosovo has no ISO 3166-1 code; XK is a user-assigned code (ISO 3166-1 reserves the X… range "
        "for user assignment), used by the European Commission and others.",
        user_assigned=True,
    ),
    "northern cyprus": AsNamed("Northern Cyprus", None, _NEUTRAL + " It has no ISO 3166-1 code and no CLDR name."),
    "western sahara": AsNamed("Western Sahara", "EH", _NEUTRAL + " ISO 3166-1 lists it as EH."),
}

#: Source spellings that name a region of a country rather than a country: folded name → (code, region, note).
_REGIONS_AS_COUNTRY: dict[str, tuple[str, str, str]] = {
    "west bank": ("PS", "West Bank", "ISO 3166-1 PS ('Palestine, State of') covers the West Bank and the Gaza Strip."),
}

#: The United Kingdom's nations, which the lists use as countries: folded name → ISO 3166-2 code.
UK_NATIONS: dict[str, str] = {
    "england": "GB-ENG",
    "scotland": "GB-SCT",
    "wales": "GB-WLS",
    "northern ireland": "GB-NIR",
}


@dataclass(frozen=True)
class Country:
    """One country entity: IRI slug, codes, labels per language, notes."""

    slug: str
    code: str | None
    code3: str | None
    labels: dict[str, str]
    alt_labels: tuple[tuple[str, str], ...] = ()
    note: str = ""


@dataclass(frozen=True)
class CountryMatch:
    """What a source's country string resolves to, and how."""

    country: Country
    how: str  # "code", "name", "name@{locale}", "alias", "fuzzy", "as-named", "uk-nation", "region-of"
    region: str | None = None
    region_code: str | None = None
    note: str = ""

    @property
    def slug(self) -> str:
        return self.country.slug


@dataclass
class _Tables:
    by_code: dict[str, Country] = field(default_factory=dict)
    by_slug: dict[str, Country] = field(default_factory=dict)
    by_name: dict[str, tuple[str, str]] = field(default_factory=dict)  # folded name → (code, how)


def _cldr(locale: str) -> dict[str, str]:
    return dict(Locale(locale).territories)


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    tables = _Tables()
    names = {lang: _cldr(lang) for lang in _MATCH_LOCALES}
    for entry in pycountry.countries:
        code = entry.alpha_2
        neutral = next((a for a in AS_SOURCES_NAME_THEM.values() if a.code == code), None)
        cldr = {lang: names[lang].get(code, "") for lang in _LABEL_LANGS}
        if neutral is not None:
            labels = {lang: cldr[lang] or neutral.name for lang in _LABEL_LANGS} | {"en": neutral.name}
            alt = tuple((n, lang) for lang, n in cldr.items() if n and n != labels[lang])
            country = Country(slugify(neutral.name), code, entry.alpha_3, labels, alt, neutral.note)
        else:
            labels = {lang: cldr[lang] or entry.name for lang in _LABEL_LANGS}
            alt = tuple((n, "en") for n in {entry.name, getattr(entry, "common_name", "")} if n and n != labels["en"])
            country = Country(slugify(labels["en"]), code, entry.alpha_3, labels, alt)
        tables.by_code[code] = country
    for neutral in AS_SOURCES_NAME_THEM.values():
        if neutral.code is None or neutral.code not in tables.by_code:
            labels = {lang: names[lang].get(neutral.code or "", "") or neutral.name for lang in _LABEL_LANGS}
            labels["en"] = neutral.name
            if neutral.code is None:  # no CLDR name either: the sources' English name only
                labels = {"en": neutral.name}
            country = Country(slugify(neutral.name), neutral.code, None, labels, (), neutral.note)
            tables.by_code[neutral.code or slugify(neutral.name)] = country
    tables.by_slug = {c.slug: c for c in tables.by_code.values()}
    # names: English first, then the other languages; a name two countries share in one language is dropped
    for lang in _MATCH_LOCALES:
        seen: dict[str, set[str]] = {}
        for code, name in names[lang].items():
            if code in tables.by_code:
                seen.setdefault(fold(name), set()).add(code)
        for key, codes in seen.items():
            if len(codes) == 1 and key not in tables.by_name:
                tables.by_name[key] = (next(iter(codes)), "name" if lang == "en" else f"name@{lang}")
    for entry in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(entry, attr, None)
            if value:
                tables.by_name.setdefault(fold(value), (entry.alpha_2, "name"))
    return tables


def countries() -> list[Country]:
    """Every country entity, ordered by slug."""
    return sorted(_tables().by_slug.values(), key=lambda c: c.slug)


def country_iri(country: Country, *, base: str) -> str:
    return f"{base}id/country/{country.slug}"


def region_iri(region: str, country: Country, *, base: str) -> str:
    """A region named in a country string: ``{base}id/region/{region}`` (UK nations) or ``…/{region}-{code}``."""
    slug = slugify(region)
    if fold(region) in UK_NATIONS:
        return f"{base}id/region/{slug}"
    return f"{base}id/region/{slug}-{(country.code or country.slug).lower()}"


_PARENTHESIS = re.compile(r"\s*\((?:country|state)\)\s*$", re.IGNORECASE)
_LEADING = re.compile(r"^(?:the|in)\s+", re.IGNORECASE)


def _clean(name: str) -> str:
    text = " ".join(name.split())
    text = _PARENTHESIS.sub("", text)
    return _LEADING.sub("", text).strip()


def resolve_country(name: str) -> CountryMatch | None:
    """The country a source's string names (and a region where it names one), or None."""
    text = _clean(name)
    if not text:
        return None
    if "," in text:
        region, _, rest = text.rpartition(",")
        found = resolve_country(rest)
        if found is None or found.region is not None:
            return None
        nation = UK_NATIONS.get(fold(region)) if found.country.code == "GB" else None
        if nation:
            return CountryMatch(found.country, "uk-nation", _subdivision_name(nation), nation)
        return CountryMatch(found.country, "region-of", region.strip(), None, f"{region.strip()} in {rest.strip()}")
    tables = _tables()
    key = fold(text)
    if key in UK_NATIONS:
        code = UK_NATIONS[key]
        return CountryMatch(tables.by_code["GB"], "uk-nation", _subdivision_name(code), code)
    if key in _REGIONS_AS_COUNTRY:
        code, region, note = _REGIONS_AS_COUNTRY[key]
        return CountryMatch(tables.by_code[code], "region-of", region, None, note)
    if key in AS_SOURCES_NAME_THEM:
        neutral = AS_SOURCES_NAME_THEM[key]
        return CountryMatch(tables.by_slug[slugify(neutral.name)], "as-named", note=neutral.note)
    if re.fullmatch(r"[A-Z]{2,3}", text):
        entry = pycountry.countries.get(alpha_2=text) if len(text) == 2 else pycountry.countries.get(alpha_3=text)
        if entry is not None:
            return CountryMatch(tables.by_code[entry.alpha_2], "code")
    if key in tables.by_name:
        code, how = tables.by_name[key]
        return CountryMatch(tables.by_code[code], how)
    if key in ALIASES:
        code, why = ALIASES[key]
        return CountryMatch(tables.by_code[code], "alias", note=why)
    try:
        fuzzy = {c.alpha_2 for c in pycountry.countries.search_fuzzy(text)}
    except LookupError:
        fuzzy = set()
    if len(fuzzy) == 1:
        return CountryMatch(tables.by_code[next(iter(fuzzy))], "fuzzy")
    return None


def _subdivision_name(code: str, lang: str = "en") -> str:
    entry = pycountry.subdivisions.get(code=code)
    name = re.sub(r"\s*\[.*\]$", "", entry.name) if entry else code
    if lang == "en":
        return name
    try:
        translation = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return name
    return re.sub(r"\s*\[.*\]$", "", translation.gettext(entry.name if entry else name))


# --- the country graph ---------------------------------------------------------------------

PYCOUNTRY_LICENSE = "https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html"
CLDR_LICENSE = "https://www.unicode.org/license.txt"


def _pycountry_date() -> str:
    """pycountry's version is its release date (``26.2.16`` → 2026-02-16)."""
    from importlib.metadata import version

    match = re.match(r"^(\d+)\.(\d+)\.(\d+)", version("pycountry"))
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return date(2000 + year if year < 100 else year, month, day).isoformat()
        except ValueError:
            pass
    return date.today().isoformat()


def country_quads(*, base: str) -> list[ox.Quad]:
    """The graph ``{base}graph/countries``: every country with codes and names, and the UK's nations."""
    from importlib.metadata import version

    graph = graph_iri(COUNTRIES_GRAPH_SLUG, base=base)
    g = ox.NamedNode(graph)
    out: list[ox.Quad] = []

    def add(s: str, p: str, o: str | ox.Literal) -> None:
        out.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o) if isinstance(o, str) else o, g))

    doc = f"{base}id/source/{COUNTRIES_GRAPH_SLUG}"
    publisher = f"{base}id/org/iso-3166-pycountry-cldr-babel"
    issued = _pycountry_date()
    for subject in (graph, doc):
        add(subject, RDF_TYPE, RG + ("SourceGraph" if subject == graph else "SourceDocument"))
        add(
            subject,
            DCT + "title",
            lit("Countries: ISO 3166 codes (pycountry) with names from Unicode CLDR (Babel)", "en"),
        )
        add(subject, DCT + "publisher", publisher)
        add(subject, DCT + "issued", lit(issued, datatype=XSD + "date"))
        add(subject, DCT + "license", PYCOUNTRY_LICENSE)
        add(subject, DCT + "license", CLDR_LICENSE)
        add(subject, CC + "attributionName", lit("ISO 3166 via pycountry; names from Unicode CLDR via Babel"))
        for lang in _LABEL_LANGS:
            add(subject, DCT + "language", LANG + lang)
    add(graph, PROV + "wasDerivedFrom", doc)
    add(doc, SCHEMA + "url", "https://pypi.org/project/pycountry/")
    add(doc, DCT + "source", "https://cldr.unicode.org/")
    note = (
        f"Codes from ISO 3166-1 and ISO 3166-2 as packaged by pycountry {version('pycountry')} (LGPL-2.1; the "
        f"ISO data it ships from Debian's iso-codes); names in de, en and fr from Unicode CLDR "
        f"{babel.core.get_cldr_version()} via Babel {babel.__version__} (Unicode License). dct:issued is "
        "pycountry's release date. No Wikidata ids here: sources that give one state it in their own graph."
    )
    add(doc, SKOS + "editorialNote", lit(note, "en"))
    add(publisher, RDF_TYPE, RG + "Organization")
    for lang in _LABEL_LANGS:
        add(publisher, RDFS_LABEL, lit("ISO 3166 via pycountry; names from Unicode CLDR via Babel", lang))

    for country in countries():
        iri = country_iri(country, base=base)
        add(iri, RDF_TYPE, RG + "Country")
        for lang, label in country.labels.items():
            add(iri, RDFS_LABEL, lit(label, lang))
        for label, lang in country.alt_labels:
            add(iri, SKOS + "altLabel", lit(label, lang))
        if country.code:
            add(iri, RG + "countryCode", lit(country.code, datatype=XSD + "string"))
        if country.code3:
            add(iri, RG + "countryCode3", lit(country.code3, datatype=XSD + "string"))
        if country.note:
            add(iri, SKOS + "note", lit(country.note, "en"))
    uk = _tables().by_code["GB"]
    for code in UK_NATIONS.values():
        name = _subdivision_name(code)
        iri = region_iri(name, uk, base=base)
        add(iri, RDF_TYPE, RG + "Region")
        for lang in _LABEL_LANGS:
            add(iri, RDFS_LABEL, lit(_subdivision_name(code, lang), lang))
        add(iri, RG + "subdivisionCode", lit(code, datatype=XSD + "string"))
        add(iri, RG + "country", country_iri(uk, base=base))
        add(iri, RG + "locatedIn", country_iri(uk, base=base))
    return out
