"""City networks and joint statements: the Eurocities member list and statements signed by mayors.

Why a module of its own: both sources name cities by Wikidata id and name (and
sometimes country), and both are *many-to-one* relations (members of one
network, signatories of one statement) that must not become pairwise partner
relations. Memberships are ``rg:Membership`` (+ the shortcut ``rg:memberOf``);
statements are ``rg:JointStatement`` with one ``rg:Signing`` and one
``rg:Signature`` per signatory (person, post as written, city).

Each import writes one source graph (plus ``{base}graph/countries``, see
:mod:`relgraph.world.countries`), replaces it when run again, and is all or
nothing: a row with a missing name, an unparsable coordinate or a country no
resolver knows is a *problem* (file, row or JSON index, field) and nothing is
written; the SHACL gate then checks the result. Names the source could not
match (Eurocities' ``not_found``), ambiguous matches and repeated signatories
are *notices*: listed in the report, the rest is imported.

Cities are reconciled with the store (outside the graph being replaced): by
Wikidata id (``rg:wikidataId`` or ``skos:exactMatch wd:…``), else by folded
label (:func:`relgraph.world.names.fold`) and country, else minted as
``{base}id/city/{slug of the English name}`` (a suffix only when that IRI is
taken). Several candidates are never merged: a notice lists them and the city
is minted.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from anyascii import anyascii

from .. import progress
from ..errors import RelgraphError, UsageError
from ..namespaces import CC, DCT, LANG, PROV, RDF_TYPE, RDFS_LABEL, RG, SCHEMA, SKOS, WD, XSD, graph_iri
from ..store import GraphStore
from ..terms import file_sha256 as _sha256
from ..terms import literal as _lit
from ..terms import qid_of, slugify
from .countries import COUNTRIES_GRAPH_SLUG, Country, country_iri, country_quads, resolve_country
from .names import fold

__all__ = [
    "GEO",
    "GEOSPARQL",
    "SF",
    "ImportProblems",
    "Issue",
    "NetworkReport",
    "SourceDescription",
    "import_eurocities",
    "import_statement",
]

GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
GEOSPARQL = "http://www.opengis.net/ont/geosparql#"
SF = "http://www.opengis.net/ont/sf#"
_LANGS = ("de", "en", "fr")
_CITY_VOTE = "city-vote.com (github.com/c-riq/city-vote)"
_CITY_VOTE_RIGHTS = (
    "The repository github.com/c-riq/city-vote states no licence; the facts are public statements and "
    "memberships with their names, and the Wikidata ids in it are CC0 1.0. Attribute: city-vote.com "
    "(github.com/c-riq/city-vote)."
)


# --- report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """One line of an import report: where (file, row or JSON index, field) and what."""

    file: str
    row: str
    field: str
    message: str
    skipped: bool = False  # the row was left out (the rest was imported)

    def __str__(self) -> str:
        where = ", ".join(p for p in (self.file, self.row, self.field and f"field {self.field}") if p)
        return f"{where}: {self.message}" + (" (row skipped)" if self.skipped else "")


class ImportProblems(RelgraphError):
    """The file has problems; nothing was written."""

    hint = "nothing was loaded; fix the rows and import again"

    def __init__(self, problems: list[Issue]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s):\n" + "\n".join(str(p) for p in problems) + "\n")


@dataclass
class NetworkReport:
    """What an import did: graph, counts, how cities were matched, notices."""

    graph: str
    file: str
    rows: int
    imported: int
    matched: dict[str, int]
    minted: int
    triples: int
    notices: list[Issue] = field(default_factory=list)
    warnings: int = 0

    @property
    def skipped(self) -> int:
        return sum(1 for n in self.notices if n.skipped)

    def summary(self) -> str:
        how = ", ".join(f"{n} by {k}" for k, n in sorted(self.matched.items())) or "none"
        lines = [
            f"graph {self.graph}",
            f"  {self.rows} rows in {self.file}: {self.imported} imported, {self.skipped} skipped; "
            f"{len(self.notices)} report line(s)",
            f"  cities matched with the store: {how}; {self.minted} new",
            f"  {self.triples:,} triples",
        ]
        lines += [f"  notice: {n}" for n in self.notices]
        return "\n".join(lines)


# --- source descriptions --------------------------------------------------------------------


@dataclass(frozen=True)
class SourceDescription:
    """How a source graph and its document are described (as the curated graphs are)."""

    slug: str
    title: str
    issued: str
    url: str | None
    publisher: str  # slug of an organisation
    publisher_label: str
    attribution: str
    rights: str
    note: str = ""
    license: str | None = None


_REPO = "https://github.com/c-riq/city-vote/blob"
#: The bundled files (data/external/, see its README), recognised by sha256.
KNOWN: dict[str, SourceDescription] = {
    "91a8d2e828db4771c9eaf887e81e33201f8f67b37c8f15d80dc2139672fb82ed": SourceDescription(
        slug="eurocities-members-2025",
        title="Eurocities member cities, Wikidata-enriched (city-vote.com, May 2025)",
        issued="2025-05-18",
        url=f"{_REPO}/00edd7b8a24f123acc4af8e606e33c63f4de7791/public-data/city-networks/eurocities/"
        "members-wikidata-enriched.json",
        publisher="city-vote",
        publisher_label="city-vote.com",
        attribution=_CITY_VOTE,
        rights=_CITY_VOTE_RIGHTS,
        note="Copied byte-for-byte as data/external/eurocities_members_2025.json; dct:issued is the date of the "
        "commit that last changed the file. 19 member names the author could not match to Wikidata are in the "
        "file's not_found list and are not imported.",
    ),
    "e1da249e6034ca1cd8c2deda1af7f4bd69371770b0d9006f0b1bda365414f36c": SourceDescription(
        slug="statement-mayors-voice-support-for-ekrem-imamoglu",
        title="Signatures of the Eurocities statement “Mayors voice support for Ekrem İmamoğlu” (city-vote.com)",
        issued="2025-05-21",
        url=f"{_REPO}/63b8197d6540fb851eeb5cd62bde6deb4cad3868/public-data/city-networks/eurocities/"
        "joint-statements/mayors-voice-support-for-ekrem-imamoglu/signatures.json",
        publisher="city-vote",
        publisher_label="city-vote.com",
        attribution=_CITY_VOTE,
        rights=_CITY_VOTE_RIGHTS,
        note="Copied byte-for-byte as data/external/eurocities_statement_imamoglu_2025.json; dct:issued is the "
        "date of the commit that last changed the file. The file gives no signing date.",
    ),
    "3d46730e2a42fa456a10b64d484ae2fe896c8962c671924bd923d8935174fdfd": SourceDescription(
        slug="statement-global-declaration-of-mayors-for-democracy",
        title="Signatures of the Global Parliament of Mayors' “Global Declaration of Mayors for Democracy” "
        "(city-vote.com)",
        issued="2025-06-11",
        url=f"{_REPO}/f38df69e160b2accccf9a67a3c23b5dfe2fdc5eb/public-data/city-networks/global-parliament-of-mayors/"
        "joint-statements/global-declaration-of-mayors-for-democracy/signatures.csv",
        publisher="city-vote",
        publisher_label="city-vote.com",
        attribution=_CITY_VOTE,
        rights=_CITY_VOTE_RIGHTS,
        note="Copied byte-for-byte as data/external/gpm_declaration_democracy_2025.csv; dct:issued is the date of "
        "the commit that last changed the file. The file gives no title, address or signing date of the "
        "declaration: title and organiser are those the repository's path and README name.",
    ),
}
#: Defaults of the bundled GPM CSV, which has no title, URL or organiser.
GPM_DEFAULTS = {"title": "Global Declaration of Mayors for Democracy", "organiser": "Global Parliament of Mayors"}
#: Organisers known as city networks: folded name or last URL segment → (slug, label).
_NETWORKS = {
    "eurocities": ("eurocities", "Eurocities"),
    "global parliament of mayors": ("global-parliament-of-mayors", "Global Parliament of Mayors"),
    "global parliament of mayors gpm": ("global-parliament-of-mayors", "Global Parliament of Mayors"),
}


def _generic_source(path: Path, *, slug: str, title: str) -> SourceDescription:
    issued = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date().isoformat()
    return SourceDescription(
        slug=slug,
        title=title,
        issued=issued,
        url=None,
        publisher="relgraph-contributors",
        publisher_label="relgraph contributors",
        attribution="",
        rights="Not recorded: the file was imported without a known provenance.",
        note=f"Imported from the file {path.name}; its publisher is not recorded and dct:issued is the file's "
        "modification date.",
    )


def _describe(out: _Quads, source: SourceDescription, path: Path, base: str) -> None:
    graph, doc = out.graph.value, f"{base}id/source/{source.slug}"
    publisher = f"{base}id/org/{source.publisher}"
    for subject in (graph, doc):
        out.add(subject, RDF_TYPE, RG + ("SourceGraph" if subject == graph else "SourceDocument"))
        out.add(subject, DCT + "title", _lit(source.title, "en"))
        out.add(subject, DCT + "publisher", publisher)
        out.add(subject, DCT + "issued", _lit(source.issued, datatype=XSD + "date"))
        out.add(subject, DCT + "language", LANG + "en")
        out.add(subject, DCT + "rights", _lit(source.rights, "en"))
        if source.license:
            out.add(subject, DCT + "license", source.license)
        if source.attribution:
            out.add(subject, CC + "attributionName", _lit(source.attribution))
    out.add(graph, PROV + "wasDerivedFrom", doc)
    if source.url:
        out.add(doc, SCHEMA + "url", source.url)
    for note in filter(None, (source.note, f"sha256 of {path.name}: {_sha256(path)}")):
        out.add(doc, SKOS + "editorialNote", _lit(note, "en"))
    out.add(publisher, RDF_TYPE, RG + "Organization")
    for lang in _LANGS:
        out.add(publisher, RDFS_LABEL, _lit(source.publisher_label, lang))


# --- quads ----------------------------------------------------------------------------------


class _Quads:
    def __init__(self, graph: str) -> None:
        self.graph = ox.NamedNode(graph)
        self.items: dict[ox.Quad, None] = {}

    def add(self, s: str, p: str, o: str | ox.Literal) -> None:
        obj = ox.NamedNode(o) if isinstance(o, str) else o
        self.items[ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, self.graph)] = None

    def quads(self) -> list[ox.Quad]:
        return list(self.items)


# --- reconciliation with the store ----------------------------------------------------------


@dataclass
class _Index:
    """Places already in the store (outside the graph being replaced)."""

    by_qid: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    qids_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_label: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    countries_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def from_store(cls, store: GraphStore, *, exclude: Iterable[str]) -> _Index:
        index = cls()
        skip = {*exclude, store.base + "graph/inferred"}
        graphs = [g for g in store.graphs() if g not in skip]
        if not graphs:
            return index

        def select(query: str) -> Any:
            return store.query(query, default_graph=graphs)

        for row in select(
            f"SELECT ?e ?q WHERE {{ {{ ?e <{RG}wikidataId> ?q }} UNION {{ ?e <{SKOS}exactMatch> ?w "
            f'FILTER(STRSTARTS(STR(?w), "{WD}")) BIND(STRAFTER(STR(?w), "{WD}") AS ?q) }} FILTER(isIRI(?e)) }}'
        ):
            qid = qid_of(row["q"].value)
            if qid:
                index.by_qid[qid].add(row["e"].value)
                index.qids_of[row["e"].value].add(qid)
        for row in select(f"SELECT ?e ?t WHERE {{ ?e a ?t FILTER(isIRI(?e) && STRSTARTS(STR(?t), '{RG}')) }}"):
            index.types[row["e"].value].add(row["t"].value.removeprefix(RG))
        places = _PLACE_TYPES
        for row in select(f"SELECT ?e ?l WHERE {{ ?e <{RDFS_LABEL}>|<{SKOS}altLabel> ?l FILTER(isIRI(?e)) }}"):
            entity = row["e"].value
            if index.types.get(entity, set()) & places:
                index.by_label[fold(row["l"].value)].add(entity)
        for row in select(f"SELECT ?e ?c WHERE {{ ?e <{RG}country> ?c FILTER(isIRI(?c)) }}"):
            index.countries_of[row["e"].value].add(row["c"].value)
        return index


_PLACE_TYPES = {"Place", "City", "Region", "FederalState", "Province", "Site"}  # not Country: cities only


class _Cities:
    """Finds or mints the city of a row; remembers what this import minted."""

    def __init__(self, index: _Index, *, base: str, file: str) -> None:
        self.index, self.base, self.file = index, base, file
        self.minted: dict[str, str] = {}  # iri → label
        self.minted_by_key: dict[tuple[str, str], str] = {}  # ("qid", Q…) or ("name", fold|country) → iri
        self.matched: dict[str, int] = defaultdict(int)
        self.notices: list[Issue] = []

    def find(self, *, row: str, name: str, qid: str | None, country: str | None) -> tuple[str, bool]:
        """The city's IRI and whether this graph must type and label it (minted here, or untyped elsewhere)."""
        if qid and ("qid", qid) in self.minted_by_key:
            return self.minted_by_key[("qid", qid)], True
        name_key = ("name", f"{fold(name)}|{country or ''}")
        if not qid and name_key in self.minted_by_key:
            return self.minted_by_key[name_key], True
        by_id = self.index.by_qid.get(qid, set()) if qid else set()
        if len(by_id) == 1:
            self.matched["wikidata-id"] += 1
            entity = next(iter(by_id))
            return entity, not (self.index.types.get(entity, set()) & _PLACE_TYPES)
        if len(by_id) > 1:
            self._notice(row, "wikidata_id", f"several entities carry {qid}: {_list(by_id)}; a new city is minted")
        else:
            found = {
                e
                for e in self.index.by_label.get(fold(name), set())
                if not (qid and self.index.qids_of.get(e, set()) - {qid})
                and not (country and self.index.countries_of.get(e) and country not in self.index.countries_of[e])
            }
            if len(found) == 1:
                self.matched["label+country" if country else "label"] += 1
                return next(iter(found)), False
            if len(found) > 1:
                self._notice(row, "name", f"{name!r} matches several places: {_list(found)}; a new city is minted")
        iri = self._mint(name, country)
        self.minted[iri] = name
        self.minted_by_key[("qid", qid) if qid else name_key] = iri
        if qid:
            self.minted_by_key[name_key] = iri
        return iri, True

    def _mint(self, name: str, country: str | None) -> str:
        slug = slugify(anyascii(name)) or "unnamed"  # Tromsø → tromso, Łódź → lodz
        taken = set(self.index.types) | set(self.minted)
        candidates = [slug]
        if country:
            candidates.append(f"{slug}-{country.rsplit('/', 1)[1]}")
        candidates += [f"{slug}-{n}" for n in range(2, 1000)]
        return next(f"{self.base}id/city/{c}" for c in candidates if f"{self.base}id/city/{c}" not in taken)

    def _notice(self, row: str, field_name: str, message: str) -> None:
        self.notices.append(Issue(self.file, row, field_name, message))


def _list(iris: Iterable[str]) -> str:
    return ", ".join(f"<{i}>" for i in sorted(iris))


# --- reading helpers ------------------------------------------------------------------------


def _coordinate(value: Any, low: int, high: int) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or not low <= number <= high:
        return None
    return number


def _population(value: Any) -> int | str | None:
    """An integer, None (not given) or "bad"."""
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "bad"
    if math.isnan(number) or number < 0 or number != int(number):
        return "bad"
    return int(number)


def _country(match_text: str) -> Country | None:
    found = resolve_country(match_text)
    return found.country if found else None


def _place(out: _Quads, iri: str, lat: Decimal, long: Decimal) -> None:
    point = f"{iri}#point"
    out.add(iri, GEO + "lat", _lit(_decimal(lat), datatype=XSD + "decimal"))
    out.add(iri, GEO + "long", _lit(_decimal(long), datatype=XSD + "decimal"))
    out.add(iri, GEOSPARQL + "hasGeometry", point)
    out.add(point, RDF_TYPE, SF + "Point")
    out.add(
        point, GEOSPARQL + "asWKT", _lit(f"POINT({_decimal(long)} {_decimal(lat)})", datatype=GEOSPARQL + "wktLiteral")
    )


def _decimal(value: Decimal) -> str:
    text = format(value, "f")
    return text if "." in text else text + ".0"


def _network(out: _Quads, name: str, *, base: str) -> str:
    """The organiser or network named ``name`` (or a URL ending in its slug)."""
    text = name.strip().rstrip("/")
    key = fold(text.rsplit("/", 1)[-1].replace("-", " ") if text.startswith("http") else text)
    slug, label = _NETWORKS.get(key, (slugify(key), text if not text.startswith("http") else key.title()))
    iri = f"{base}id/org/{slug}"
    out.add(iri, RDF_TYPE, RG + ("CityNetwork" if key in _NETWORKS else "Organization"))
    for lang in _LANGS:
        out.add(iri, RDFS_LABEL, _lit(label, lang))
    return iri


def _commit(
    store: GraphStore, out: _Quads, *, validate: bool, cities: _Cities, file: str, rows: int, imported: int
) -> NetworkReport:
    countries = ox.NamedNode(graph_iri(COUNTRIES_GRAPH_SLUG, base=store.base))
    by_graph = {out.graph: out.quads(), countries: country_quads(base=store.base)}
    warnings = 0
    if validate:
        from ..validate import gate

        warnings = len(gate(store, by_graph).warnings)
    store.replace_graphs(by_graph)
    return NetworkReport(
        graph=out.graph.value,
        file=file,
        rows=rows,
        imported=imported,
        matched=dict(cities.matched),
        minted=len(cities.minted),
        triples=len(by_graph[out.graph]),
        notices=cities.notices,
        warnings=warnings,
    )


def _city(out: _Quads, cities: _Cities, iri: str, new: bool, *, label: str, qid: str | None) -> None:
    if new:
        out.add(iri, RDF_TYPE, RG + "City")
        out.add(iri, RDFS_LABEL, _lit(label, "en"))
    if qid:
        out.add(iri, RG + "wikidataId", _lit(qid, datatype=XSD + "string"))
        out.add(iri, SKOS + "exactMatch", WD + qid)


# --- Eurocities members ---------------------------------------------------------------------


def import_eurocities(
    store: GraphStore, path: Path, *, graph: str | None = None, validate: bool = True
) -> NetworkReport:
    """Import a Eurocities member list (``{"members": [...], "not_found": [...]}``) into its own graph."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    file = str(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise ImportProblems([Issue(file, "", "", f"not valid JSON: {err}")]) from None
    members = doc.get("members") if isinstance(doc, dict) else None
    if not isinstance(members, list):
        raise ImportProblems([Issue(file, "", "members", "expected an object with a list 'members'")])
    source = KNOWN.get(_sha256(path)) or _generic_source(
        path, slug=f"eurocities-members-{slugify(path.stem)}"[:80].rstrip("-"), title=f"Eurocities members: {path.name}"
    )
    target = graph or graph_iri(source.slug, base=store.base)
    out = _Quads(target)
    cities = _Cities(_Index.from_store(store, exclude=[target]), base=store.base, file=file)

    problems: list[Issue] = []
    rows: list[dict[str, Any]] = []
    for number, member in progress.track(list(enumerate(members)), desc="reading members", unit="member"):
        where = f"members[{number}]"
        if not isinstance(member, dict):
            problems.append(Issue(file, where, "", "expected an object"))
            continue
        name = str(member.get("name_on_website") or member.get("wikidata_name") or "").strip()
        if not name:
            problems.append(Issue(file, where, "name_on_website", "missing name"))
        raw_qid = str(member.get("wikidata_id") or "").strip()
        qid = qid_of(raw_qid) if raw_qid else None
        if raw_qid and qid is None:
            problems.append(Issue(file, where, "wikidata_id", f"not a Wikidata item id: {raw_qid!r}"))
        lat = _coordinate(member.get("latitude"), -90, 90)
        long = _coordinate(member.get("longitude"), -180, 180)
        for key, value in (("latitude", lat), ("longitude", long)):
            if value is None and member.get(key) is not None:
                problems.append(Issue(file, where, key, f"unparsable or out of range: {member.get(key)!r}"))
        country_name = str(member.get("country_name") or "").strip()
        country = _country(country_name)
        if country is None:
            problems.append(Issue(file, where, "country_name", f"unknown country {country_name!r}"))
        population = _population(member.get("population"))
        if population == "bad":
            problems.append(Issue(file, where, "population", f"not a whole number: {member.get('population')!r}"))
        rows.append({"where": where, "name": name, "qid": qid, "lat": lat, "long": long, "country": country,
                     "country_qid": qid_of(str(member.get("country") or "")), "population": population,
                     "wikidata_name": str(member.get("wikidata_name") or "").strip()})  # fmt: skip
    if problems:
        raise ImportProblems(problems)

    _describe(out, source, path, store.base)
    network = _network(out, "Eurocities", base=store.base)
    out.add(network, SCHEMA + "url", "https://eurocities.eu/")
    seen: dict[str, str] = {}
    imported = 0
    for row in rows:
        country = row["country"]
        c_iri = country_iri(country, base=store.base)
        english = row["wikidata_name"] or row["name"]
        iri, new = cities.find(row=row["where"], name=english, qid=row["qid"], country=c_iri)
        if iri in seen:
            cities.notices.append(
                Issue(file, row["where"], "wikidata_id", f"same city ({row['qid']}) as {seen[iri]}", skipped=True)
            )
            continue
        seen[iri] = row["where"]
        imported += 1
        _city(out, cities, iri, new, label=english, qid=row["qid"])
        if new and row["name"] != english:
            out.add(iri, SKOS + "altLabel", _lit(row["name"], "en"))
        out.add(iri, RG + "country", c_iri)
        if row["country_qid"]:  # the source gives the country's Wikidata id: stated here, in its graph
            out.add(c_iri, RG + "wikidataId", _lit(row["country_qid"], datatype=XSD + "string"))
            out.add(c_iri, SKOS + "exactMatch", WD + row["country_qid"])
        if row["lat"] is not None and row["long"] is not None:
            _place(out, iri, row["lat"], row["long"])
        if isinstance(row["population"], int):
            out.add(iri, RG + "population", _lit(str(row["population"]), datatype=XSD + "integer"))
        membership = f"{store.base}id/membership/eurocities-{iri.rsplit('/', 1)[1]}"
        out.add(membership, RDF_TYPE, RG + "Membership")
        out.add(membership, RG + "member", iri)
        out.add(membership, RG + "network", network)
        out.add(membership, RG + "attestedOn", _lit(source.issued, datatype=XSD + "date"))
        out.add(iri, RG + "memberOf", network)
    for number, name in enumerate(doc.get("not_found") or []):
        cities.notices.append(
            Issue(file, f"not_found[{number}]", "", f"{name!r}: listed by Eurocities, not matched by the source")
        )
    return _commit(store, out, validate=validate, cities=cities, file=file, rows=len(rows), imported=imported)


# --- joint statements -----------------------------------------------------------------------


@dataclass
class _Signature:
    where: str
    person: str
    post: str
    city: str
    qid: str | None
    country: Country | None


def _read_eurocities_statement(
    path: Path, doc: Any, problems: list[Issue], notices: list[Issue]
) -> tuple[dict[str, str], list[_Signature]]:
    file = str(path)
    if not (isinstance(doc, dict) and len(doc) == 1):
        raise ImportProblems([Issue(file, "", "", "expected one object keyed by the statement's title")])
    key, body = next(iter(doc.items()))
    votes = body.get("votes") if isinstance(body, dict) else None
    if not isinstance(votes, list):
        raise ImportProblems([Issue(file, "", "votes", "expected a list 'votes'")])
    meta = {
        "title": re.sub(r"^joint_statement_", "", key).strip(),
        "url": str(body.get("URL") or "").strip().rstrip("#"),
        "organiser": str(body.get("organisedBy") or "").strip(),
    }
    signatures = []
    for number, vote in enumerate(votes):
        where = f"votes[{number}]"
        if not isinstance(vote, dict):
            problems.append(Issue(file, where, "", "expected an object"))
            continue
        if str(vote.get("vote", "Sign")) != "Sign":
            problems.append(Issue(file, where, "vote", f"not a signature: {vote.get('vote')!r}"))
            continue
        given = vote.get("author")
        author: dict[str, Any] = given if isinstance(given, dict) else {}
        person = str(author.get("name") or "").strip()
        city = str(vote.get("organisationNameFallback") or "").strip()
        raw_qid = str(vote.get("associatedCityId") or "").strip()
        if not person:
            problems.append(Issue(file, where, "author.name", "missing name"))
            continue
        if author.get("actingCapacity") == "organization":  # rg:signatory is a person
            message = f"{person!r} signed as an organisation, not a person for a city"
            notices.append(Issue(file, where, "author.actingCapacity", message, skipped=True))
            continue
        if not city and not raw_qid:
            message = (
                f"{person} signed for no city (title as written: {author.get('title')!r}); imported without city "
                "and post, the title kept as a note"
            )
            notices.append(Issue(file, where, "organisationNameFallback", message))
        if raw_qid and qid_of(raw_qid) is None:
            problems.append(Issue(file, where, "associatedCityId", f"not a Wikidata item id: {raw_qid!r}"))
        signatures.append(
            _Signature(where, person, str(author.get("title") or "").strip(), city, qid_of(raw_qid), None)
        )
    return meta, signatures


_GPM_HEADER = ["city_name", "country", "wikidata_id", "mayor_name", "mayor_title"]


def _read_signature_csv(path: Path, problems: list[Issue]) -> list[_Signature]:
    file = str(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in _GPM_HEADER if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportProblems(
                [Issue(file, "row 1", ", ".join(missing), f"missing column(s); expected {_GPM_HEADER}")]
            )
        signatures = []
        for row in reader:
            where = f"row {reader.line_num}"
            cells = {k: (v or "").strip() for k, v in row.items() if k}
            if not any(cells.values()):
                continue
            for column, what in (("city_name", "missing city name"), ("mayor_name", "missing name")):
                if not cells.get(column):
                    problems.append(Issue(file, where, column, what))
            country = _country(cells.get("country", ""))
            if country is None:
                problems.append(Issue(file, where, "country", f"unknown country {cells.get('country', '')!r}"))
            raw_qid = cells.get("wikidata_id", "")
            if raw_qid and qid_of(raw_qid) is None:
                problems.append(Issue(file, where, "wikidata_id", f"not a Wikidata item id: {raw_qid!r}"))
            signatures.append(
                _Signature(where, cells.get("mayor_name", ""), cells.get("mayor_title", ""),
                           cells.get("city_name", ""), qid_of(raw_qid) if raw_qid else None, country)
            )  # fmt: skip
    return signatures


_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def import_statement(
    store: GraphStore,
    path: Path,
    *,
    graph: str | None = None,
    title: str | None = None,
    url: str | None = None,
    organiser: str | None = None,
    date: str | None = None,
    validate: bool = True,
) -> NetworkReport:
    """Import the signatures of a joint statement (Eurocities signatures JSON or a GPM-style CSV)."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    file = str(path)
    problems: list[Issue] = []
    known = KNOWN.get(_sha256(path))
    meta: dict[str, str] = {}
    notices: list[Issue] = []
    if path.suffix.lower() == ".json":
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as err:
            raise ImportProblems([Issue(file, "", "", f"not valid JSON: {err}")]) from None
        meta, signatures = _read_eurocities_statement(path, doc, problems, notices)
    elif path.suffix.lower() in {".csv", ".tsv"}:
        signatures = _read_signature_csv(path, problems)
        if known is not None:
            meta = dict(GPM_DEFAULTS)
    else:
        raise UsageError(f"{path}: a statement is a signatures .json (Eurocities) or .csv ({', '.join(_GPM_HEADER)})")
    meta.update({k: v for k, v in {"title": title, "url": url, "organiser": organiser}.items() if v})
    if not meta.get("title"):
        problems.append(Issue(file, "", "title", "the file names no title: give --title"))
    if date and not _DATE.match(date):
        problems.append(Issue(file, "", "date", f"malformed date {date!r}; write YYYY, YYYY-MM or YYYY-MM-DD"))
    if meta.get("url") and not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", meta["url"]):
        problems.append(Issue(file, "", "url", f"{meta['url']!r} is not an http(s) address"))
    if problems:
        raise ImportProblems(problems)

    slug = slugify(meta["title"])[:70].rstrip("-")
    source = known or _generic_source(path, slug=f"statement-{slug}", title=f"Signatures: {meta['title']}")
    target = graph or graph_iri(source.slug, base=store.base)
    out = _Quads(target)
    cities = _Cities(_Index.from_store(store, exclude=[target]), base=store.base, file=file)
    cities.notices.extend(notices)
    _describe(out, source, path, store.base)

    base = store.base
    statement = f"{base}id/statement/{slug}"
    signing = f"{base}id/signing/{slug}"
    out.add(statement, RDF_TYPE, RG + "JointStatement")
    out.add(statement, DCT + "title", _lit(meta["title"], "en"))
    out.add(statement, RDFS_LABEL, _lit(meta["title"], "en"))
    if meta.get("url"):
        out.add(statement, SCHEMA + "url", meta["url"])
    if meta.get("organiser"):
        out.add(statement, RG + "organisedBy", _network(out, meta["organiser"], base=base))
    out.add(statement, RG + "signing", signing)
    out.add(signing, RDF_TYPE, RG + "Signing")
    if date:
        kind = {4: "gYear", 7: "gYearMonth"}.get(len(date), "date")
        out.add(signing, RG + "date", _lit(date, datatype=XSD + kind))

    seen: dict[str, str] = {}
    imported = 0
    for sig in signatures:
        c_iri = country_iri(sig.country, base=base) if sig.country else None
        city: str | None = None
        if sig.city or sig.qid:
            city, new = cities.find(row=sig.where, name=sig.city or sig.qid or "", qid=sig.qid, country=c_iri)
        city_slug = city.rsplit("/", 1)[1] if city else ""
        person = f"{base}id/person/{slugify(sig.person)}" + (f"-{city_slug}" if city_slug else "")
        if person in seen:
            message = f"{sig.person} ({sig.city or 'no city'}) signed already in {seen[person]}"
            cities.notices.append(Issue(file, sig.where, "name", message, skipped=True))
            continue
        seen[person] = sig.where
        imported += 1
        if city:
            _city(out, cities, city, new, label=sig.city or sig.qid or "", qid=sig.qid)
        if city and c_iri:
            out.add(city, RG + "country", c_iri)
        out.add(person, RDF_TYPE, RG + "Person")
        for lang in _LANGS:
            out.add(person, RDFS_LABEL, _lit(sig.person, lang))
        signature = f"{base}id/signature/{slug}-{person.rsplit('/', 1)[1]}"
        out.add(signing, RG + "signature", signature)
        out.add(signature, RDF_TYPE, RG + "Signature")
        out.add(signature, RG + "signatory", person)
        if city is None:
            if sig.post:
                out.add(signature, SKOS + "note", _lit(f"Title as written: {sig.post}", "en"))
            continue
        out.add(signature, RG + "onBehalfOf", city)
        if sig.post:
            post_slug = slugify(sig.post)
            post = f"{base}id/post/{post_slug if city_slug in post_slug else f'{post_slug}-{city_slug}'}"[:200]
            out.add(post, RDF_TYPE, RG + "Post")
            out.add(post, RDFS_LABEL, _lit(sig.post, "en"))
            out.add(post, RG + "postIn", city)
            out.add(signature, RG + "inPost", post)
    rows = len(signatures) + sum(1 for n in notices if n.skipped)  # rows left out while reading count too
    return _commit(store, out, validate=validate, cities=cities, file=file, rows=rows, imported=imported)
