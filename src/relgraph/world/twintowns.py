"""Import a geocoded twin-town list (the CSV shape of Wikipedia's lists, ``Hekman/twincities``).

The file has the header ``city1,country1,lat1,lng1,city2,country2,lat2,lng2``, one
row per pair as the host city's page lists it. A place is ``(city, country)``.
What is written, into one source graph (``{base}graph/wikipedia-twin-towns-2026``
for the bundled file, CC BY-SA 4.0 like its Wikipedia source):

- every place, matched to the store's places by :mod:`relgraph.world.reconcile`
  (GeoNames id, name and country, name and a matched partner) or minted as
  ``{base}id/city/{slug}`` (``-{country code}`` appended when the slug is taken),
  with its English name, country, the list's coordinates (WGS84 and a GeoSPARQL
  point), its GeoNames id when the name, country and coordinates find one, how it
  was matched (``rg:matchMethod``, ``rg:matchNote``) and ``rg:coordinateFlag`` when
  the coordinate lies far from every place of its stated country;
- every unordered pair as one city-twinning agreement, stated about the existing
  agreement when exactly one links the two places already (Hamburg–Prague is the
  curated one), else minted as ``{base}id/agreement/{slug a}-{slug b}-city-twinning``.

Bad rows go to the report with file, row and column and are skipped: a missing
name or an unknown country skips the row; an unparsable coordinate keeps the
place without coordinates; a pair listed twice is one relation; a place paired
with itself is skipped.
"""

from __future__ import annotations

import csv
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .. import progress
from ..errors import LoadError
from ..namespaces import CC, CONCEPT, DCT, LANG, PROV, RDF_TYPE, RDFS_LABEL, RG, SCHEMA, SKOS, XSD, graph_iri
from ..terms import file_sha256 as _sha256
from ..terms import literal as _lit
from ..terms import slugify
from .countries import COUNTRIES_GRAPH_SLUG, CountryMatch, country_iri, country_quads, region_iri
from .gazetteer import Gazetteer
from .names import fold, fold_variants
from .reconcile import GEO, Match, Mention, PlaceIndex, Reconciler

if TYPE_CHECKING:
    from ..store import GraphStore

__all__ = [
    "FLAG_KM",
    "HEADER",
    "TWIN_TOWNS_SOURCE",
    "TwinTownReport",
    "TwinTownSource",
    "import_twin_towns",
    "read_twin_towns",
    "source_for",
]

HEADER = ("city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2")
FLAG_KM = 150.0  # a coordinate farther than this from every gazetteer place of its country is flagged
GEOSPARQL = "http://www.opengis.net/ont/geosparql#"
SF = "http://www.opengis.net/ont/sf#"
CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"
TWINNING = CONCEPT + "agreement-type/city-twinning"
_WORD = {"de": "Städtepartnerschaft", "en": "City twinning", "fr": "Jumelage"}


@dataclass(frozen=True)
class TwinTownSource:
    slug: str
    title: str
    issued: str
    url: str
    licence: str | None  # None: the file states none, and none is claimed
    attribution: str
    note: str = ""


TWIN_TOWNS_SHA256 = "0964bc76ba1dffa002c1c7257292bf42f1c828d2df44aab22490341a708dd60a"
TWIN_TOWNS_SOURCE = TwinTownSource(
    slug="wikipedia-twin-towns-2026",
    title="Wikipedia: lists of twin towns and sister cities, geocoded (February 2026)",
    issued="2026-02-08",
    url="https://github.com/Hekman/twincities",
    licence=CC_BY_SA,
    attribution="Wikipedia contributors, via github.com/Hekman/twincities",
    note=(
        "Every pair on English Wikipedia's 'List of twin towns and sister cities in …' pages and their country "
        "sub-pages, scraped in February 2026 and geocoded (Wikipedia API, then Nominatim) by Hekman/twincities "
        "(app/public/twin_cities.csv, commit 92aa9379439bcde202881d210feeed2a3b333261). The repository is MIT; "
        "the facts come from Wikipedia, CC BY-SA 4.0."
    ),
)


def source_for(path: Path) -> TwinTownSource:
    """The bundled Wikipedia list is described as such (recognised by its content); any other file by its name."""
    path = Path(path)
    if _sha256(path) == TWIN_TOWNS_SHA256:
        return TWIN_TOWNS_SOURCE
    return TwinTownSource(
        slug=f"twin-towns-{slugify(path.stem)}"[:80].rstrip("-"),
        title=f"Twin-town list {path.name}",
        issued=time.strftime("%Y-%m-%d"),
        url=path.resolve().as_uri(),
        licence=None,
        attribution=f"the authors of {path.name}",
        note="dct:issued is the day of the import; the file states no licence, so none is claimed.",
    )


@dataclass
class Place:
    key: str
    name: str
    country_text: str
    match: CountryMatch  # what the country column resolves to
    lat: float | None
    lon: float | None

    @property
    def country(self) -> str:
        """The ISO code (or the slug of a place the sources name as a country that has none)."""
        return self.match.country.code or self.match.country.slug

    def mention(self) -> Mention:
        return Mention(self.key, self.name, self.country, self.lat, self.lon)


@dataclass
class TwinTowns:
    path: Path
    rows: int = 0
    places: dict[str, Place] = field(default_factory=dict)
    pairs: dict[frozenset[str], int] = field(default_factory=dict)  # unordered pair → first row
    problems: list[dict[str, Any]] = field(default_factory=list)

    def problem(self, row: int, column: str, what: str, *, skipped: bool) -> None:
        self.problems.append({"file": str(self.path), "row": row, "column": column, "what": what, "skipped": skipped})


def _coordinate(text: str, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if low <= value <= high else None


def read_twin_towns(path: Path) -> TwinTowns:
    """Read and check the CSV; every problem is kept with its row (header = row 1) and column."""
    from .countries import resolve_country

    data = TwinTowns(Path(path))
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != HEADER:
            raise LoadError(f"{path}: row 1: the header must be {','.join(HEADER)} (got {','.join(header or [])})")
        for number, row in enumerate(reader, start=2):
            data.rows += 1
            if len(row) != len(HEADER):
                data.problem(number, "*", f"{len(row)} fields instead of {len(HEADER)}", skipped=True)
                continue
            keys = []
            for side in ("1", "2"):
                cell = dict(zip(HEADER, row, strict=True))
                name, country_text = cell["city" + side].strip(), cell["country" + side].strip()
                if not name:
                    data.problem(number, "city" + side, "the name is missing", skipped=True)
                    break
                if not country_text and "," in name:  # "Varna, Bulgaria" with an empty country column
                    head, tail = name.rsplit(",", 1)
                    if resolve_country(tail.strip()) is not None:
                        name, country_text = head.strip(), tail.strip()
                country = resolve_country(country_text) if country_text else None
                if country is None:
                    data.problem(
                        number,
                        "country" + side,
                        f"unknown country {country_text!r}" if country_text else "the country is missing",
                        skipped=True,
                    )
                    break
                lat = _coordinate(cell["lat" + side], -90, 90)
                lon = _coordinate(cell["lng" + side], -180, 180)
                if lat is None or lon is None:
                    data.problem(
                        number,
                        "lat" + side if lat is None else "lng" + side,
                        f"unparsable coordinate {cell['lat' + side]!r}, {cell['lng' + side]!r}: the place is "
                        "kept without coordinates",
                        skipped=False,
                    )
                    lat = lon = None
                code = country.country.code or country.country.slug
                key = f"{fold(name)}|{code}" + (f"|{fold(country.region)}" if country.region else "")
                if key not in data.places:
                    data.places[key] = Place(key, name, country_text, country, lat, lon)
                elif data.places[key].lat is None and lat is not None:  # a later row gives the coordinate
                    data.places[key].lat, data.places[key].lon = lat, lon
                keys.append(key)
            else:
                if keys[0] == keys[1]:
                    data.problem(number, "city2", f"{row[0]!r} is paired with itself", skipped=True)
                    continue
                pair = frozenset(keys)
                if pair in data.pairs:
                    first = data.pairs[pair]
                    data.problem(
                        number, "*", f"the same pair as row {first} (listed again): one relation", skipped=False
                    )
                    continue
                data.pairs[pair] = number
    return data


# --- the import --------------------------------------------------------------------------


@dataclass
class TwinTownReport:
    graph: str
    rows: int
    pairs: int
    places: int
    matched: dict[str, int]
    minted: int
    agreements_reused: int
    flagged: int
    triples: int
    seconds: dict[str, float]
    problems: list[dict[str, Any]]
    ambiguous: list[dict[str, str]]
    matches: list[dict[str, str]]

    def summary(self) -> str:
        how = ", ".join(f"{n:,} by {k}" for k, n in sorted(self.matched.items())) or "none"
        lines = [
            f"graph {self.graph}",
            f"  {self.rows:,} rows: {self.pairs:,} pairs between {self.places:,} places; "
            f"{len(self.problems):,} problems (below)",
            f"  places matched to existing ones: {how}; {self.minted:,} new; {len(self.ambiguous):,} ambiguous "
            "(left apart)",
            f"  {self.agreements_reused:,} pairs stated about an existing agreement; {self.flagged:,} coordinates "
            "flagged as far outside their country",
            f"  {self.triples:,} triples; " + ", ".join(f"{k} {v:.2f} s" for k, v in self.seconds.items()),
        ]
        for p in self.problems[:20]:
            lines.append(f"  {p['file']}: row {p['row']}, column {p['column']}: {p['what']}")
        if len(self.problems) > 20:
            lines.append(f"  … and {len(self.problems) - 20:,} more problems (see --report)")
        for a in self.ambiguous[:10]:
            lines.append(f"  AMBIGUOUS {a['mention']}: {a['reason']}")
        if len(self.ambiguous) > 10:
            lines.append(f"  … and {len(self.ambiguous) - 10:,} more ambiguous (see --report)")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def twinning_agreements(store: GraphStore, *, exclude_graphs: list[str]) -> dict[frozenset[str], set[str]]:
    """Agreements of city twinning or a narrower kind, by their two parties (outside ``exclude_graphs``)."""
    skip = {ox.NamedNode(g) for g in exclude_graphs} | {ox.NamedNode(store.base + "graph/inferred")}
    graphs = [g for g in store.oxigraph.named_graphs() if g not in skip]
    found: dict[frozenset[str], set[str]] = defaultdict(set)
    if not graphs:
        return found
    query = (
        f"SELECT ?a (GROUP_CONCAT(DISTINCT STR(?p); separator=' ') AS ?ps) WHERE {{ "
        f"?a <{RG}agreementType> ?t ; <{RG}party> ?p . ?t <{SKOS}broader>* <{TWINNING}> }} GROUP BY ?a"
    )
    for row in store.oxigraph.query(query, default_graph=graphs):
        parties = frozenset(row["ps"].value.split())
        if len(parties) == 2:
            found[parties].add(row["a"].value)
    return found


def import_twin_towns(
    store: GraphStore,
    path: Path,
    *,
    source: TwinTownSource = TWIN_TOWNS_SOURCE,
    graph: str | None = None,
    overrides: dict[str, str | None] | None = None,
    validate: bool = False,
    gazetteer: Gazetteer | None = None,
) -> TwinTownReport:
    """Read, reconcile and write one twin-town list into its own graph (replacing it, all or nothing)."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    data = read_twin_towns(Path(path))
    seconds["read"] = time.perf_counter() - started
    graph = graph or graph_iri(source.slug, base=store.base)

    step = time.perf_counter()
    countries = country_quads(base=store.base)  # written with the import: the places' countries must exist
    codes = {
        q.subject.value: q.object.value
        for q in countries
        if q.predicate.value == RG + "countryCode"
        and isinstance(q.subject, ox.NamedNode)
        and isinstance(q.object, ox.Literal)
    }
    index = PlaceIndex.from_store(store, exclude_graphs=[graph], country_codes=codes)
    if gazetteer is None:
        keys = {k for p in data.places.values() for k in fold_variants(p.name)} | set(index.by_key)
        gazetteer = Gazetteer.for_keys(keys, ids=index.by_geonames)
    seconds["gazetteer"] = time.perf_counter() - step

    step = time.perf_counter()
    rec = Reconciler(index, gazetteer, overrides=dict(overrides or {}))
    rec.match_direct(p.mention() for p in data.places.values())
    rec.match_partners((data.places[a].mention(), data.places[b].mention()) for a, b in map(sorted, data.pairs))
    seconds["reconcile"] = time.perf_counter() - step

    step = time.perf_counter()
    agreements = twinning_agreements(store, exclude_graphs=[graph])
    quads, _iri_of, reused, flagged = _build(store, data, rec, index, gazetteer, agreements, source, graph)
    seconds["build"] = time.perf_counter() - step

    by_graph = {ox.NamedNode(graph): quads, ox.NamedNode(graph_iri(COUNTRIES_GRAPH_SLUG, base=store.base)): countries}
    if validate:
        from ..validate import gate

        step = time.perf_counter()
        gate(store, by_graph)
        seconds["validate"] = time.perf_counter() - step
    step = time.perf_counter()
    store.replace_graphs(by_graph)
    seconds["load"] = time.perf_counter() - step
    seconds["total"] = time.perf_counter() - started

    counts: dict[str, int] = defaultdict(int)
    for m in rec.matched.values():
        counts[m.how] += 1
    return TwinTownReport(
        graph=graph,
        rows=data.rows,
        pairs=len(data.pairs),
        places=len(data.places),
        matched=dict(counts),
        minted=len(data.places) - len(rec.matched),
        agreements_reused=reused,
        flagged=flagged,
        triples=len(quads),
        seconds={k: round(v, 3) for k, v in seconds.items()},
        problems=data.problems,
        ambiguous=[{"mention": k, "reason": v} for k, v in sorted(rec.ambiguous.items())],
        matches=[
            {"mention": k, "entity": m.entity, "how": m.how, "detail": m.detail} for k, m in sorted(rec.matched.items())
        ],
    )


def _build(
    store: GraphStore,
    data: TwinTowns,
    rec: Reconciler,
    index: PlaceIndex,
    gazetteer: Gazetteer,
    agreements: dict[frozenset[str], set[str]],
    source: TwinTownSource,
    graph: str,
) -> tuple[list[ox.Quad], dict[str, str], int, int]:
    base = store.base
    g = ox.NamedNode(graph)
    out: list[ox.Quad] = []

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> None:
        out.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o) if isinstance(o, str) else o, g))

    # the source
    doc = f"{base}id/source/{source.slug}"
    publisher = f"{base}id/org/wikipedia"
    for subject, kind in ((graph, "SourceGraph"), (doc, "SourceDocument")):
        add(subject, RDF_TYPE, RG + kind)
        add(subject, DCT + "title", _lit(source.title, lang="en"))
        add(subject, DCT + "publisher", publisher)
        add(subject, DCT + "issued", _lit(source.issued, datatype=XSD + "date"))
        if source.licence:
            add(subject, DCT + "license", source.licence)
        add(subject, CC + "attributionName", _lit(source.attribution))
        add(subject, DCT + "language", LANG + "en")
    add(graph, PROV + "wasDerivedFrom", doc)
    add(doc, SCHEMA + "url", source.url)
    for note in filter(None, (source.note, f"sha256 of {data.path.name}: {_sha256(data.path)}")):
        add(doc, SKOS + "editorialNote", _lit(note, lang="en"))
    add(publisher, RDF_TYPE, RG + "Organization")
    for lang, label in (
        ("de", "Wikipedia-Autor:innen"),
        ("en", "Wikipedia contributors"),
        ("fr", "Contributeurs de Wikipédia"),
    ):
        add(publisher, RDFS_LABEL, _lit(label, lang=lang))

    # the places
    taken = set(index.iris)
    iri_of: dict[str, str] = {}
    flagged = 0
    for key in sorted(data.places):
        place = data.places[key]
        match: Match | None = rec.matched.get(key)
        if match is not None:
            node = match.entity
            add(node, RG + "matchMethod", _lit(match.how))
            if match.detail:
                add(node, RG + "matchNote", _lit(match.detail, lang="en"))
            if node in index.has_english:
                if fold(place.name) not in index.keys_of.get(node, set()):
                    add(node, SKOS + "altLabel", _lit(place.name, lang="en"))
            else:
                add(node, RDFS_LABEL, _lit(place.name, lang="en"))
        else:
            slug = slugify(place.name) or "place"
            node = f"{base}id/city/{slug}"
            if node in taken:
                node = f"{base}id/city/{slug}-{place.country.lower()}"
            n = 2
            while node in taken:
                node = f"{base}id/city/{slug}-{place.country.lower()}-{n}"
                n += 1
            taken.add(node)
            add(node, RDF_TYPE, RG + "City")
            add(node, RDFS_LABEL, _lit(place.name, lang="en"))
            if key in rec.ambiguous:
                add(node, SKOS + "editorialNote", _lit(f"Not merged: {rec.ambiguous[key]}", lang="en"))
        iri_of[key] = node
        add(node, RG + "country", country_iri(place.match.country, base=base))
        if place.match.region:
            add(node, RG + "locatedIn", region_iri(place.match.region, place.match.country, base=base))
        if place.lat is not None and place.lon is not None:
            lat, lon = f"{place.lat:.6g}", f"{place.lon:.6g}"
            add(node, GEO + "lat", _lit(lat, datatype=XSD + "decimal"))
            add(node, GEO + "long", _lit(lon, datatype=XSD + "decimal"))
            point = node + "#point"
            add(node, GEOSPARQL + "hasGeometry", point)
            add(point, RDF_TYPE, SF + "Point")
            add(point, GEOSPARQL + "asWKT", _lit(f"POINT({lon} {lat})", datatype=GEOSPARQL + "wktLiteral"))
            distance = gazetteer.far_from_country(place.country, place.lat, place.lon, km=FLAG_KM)
            if distance is not None:
                flagged += 1
                add(
                    node,
                    RG + "coordinateFlag",
                    _lit(
                        f"{distance:,.0f} km from the nearest GeoNames place of {place.country}: the list's "
                        f"coordinate may belong to a same-named place elsewhere",
                        lang="en",
                    ),
                )
        geo = rec.geonames.get(key)
        if geo is not None:
            add(node, RG + "geonamesId", _lit(str(geo.geonameid)))
            add(node, SKOS + "closeMatch", f"https://sws.geonames.org/{geo.geonameid}/")

    # the pairs
    reused = 0
    for pair in progress.track(sorted(data.pairs, key=lambda p: sorted(p)), desc="writing relations", unit="pair"):
        a, b = sorted(iri_of[k] for k in pair)
        existing = agreements.get(frozenset((a, b)), set())
        if len(existing) == 1:
            agreement = next(iter(existing))
            reused += 1
        else:
            agreement = f"{base}id/agreement/{a.rsplit('/', 1)[-1]}-{b.rsplit('/', 1)[-1]}-city-twinning"
            names = [data.places[k].name for k in sorted(pair, key=lambda k: iri_of[k])]
            for lang, word in _WORD.items():
                add(agreement, RDFS_LABEL, _lit(f"{word} {names[0]} – {names[1]}", lang=lang))
            add(agreement, RG + "agreementType", TWINNING)  # a reused agreement keeps its own (narrower) kind
        add(agreement, RDF_TYPE, RG + "Agreement")
        add(agreement, RG + "party", a)
        add(agreement, RG + "party", b)
    return out, iri_of, reused, flagged


def write_report(report: TwinTownReport, path: Path) -> None:
    Path(path).write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
