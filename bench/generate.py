"""Deterministic synthetic data in relgraph's ontology, as N-Quads, for benchmarks.

    python bench/generate.py --agreements 10000 --seed 42 -o bench/out/data/a10000.nq \
        --queries-out bench/out/queries

Same ``--agreements`` and ``--seed`` give byte-identical output. Memory stays
constant: every entity's attributes (name, parent place, country, posts) are a
pure function of ``(seed, kind, index)``, so nothing is kept in memory while the
quads stream out, and 1M agreements work as well as 200.

Shape of the data (all terms from ``ontology/relgraph.ttl`` and ``concepts.ttl``):

* countries (50), regions (``rg:Region``/``rg:FederalState``/``rg:Province``, about
  cities/20, at least 10), cities (N/10, at least 50), organisations
  (``rg:University``/``rg:ChamberOfCommerce``/``rg:ResearchCentre``, N/20, at least 20),
  each with ``rdfs:label`` in de/en/fr (some with diacritics; the English label is
  ASCII-folded), ``rg:locatedIn`` and ``rg:country``;
* one ``rg:Post`` per city, region and organisation (``rg:postIn``), held by a
  ``rg:Person`` through a ``rg:Tenure``;
* N agreements, each with a type, two or more parties (mostly two), one to three
  fields, a status, validity dates, and a signing with a date (xsd:date,
  gYearMonth or gYear), a place and one signature per party;
* one named graph per synthetic source document: reference data in chunks of
  ``ENTITIES_PER_SOURCE`` entities, then ``AGREEMENTS_PER_SOURCE`` agreements per
  graph; each graph describes itself (``rg:SourceGraph``, ``prov:wasDerivedFrom``).

Partners are skewed: entity ``i`` of ``n`` is drawn as ``int(n * u**2)`` (``u``
uniform), so the first 1 % of the cities take a tenth of all picks and the
busiest one about ``1/sqrt(n)`` (a few busy cities, a long tail). Entity 0 of
each kind exists for every N and is the busiest, which is what the bench
queries (``--queries-out``) ask about.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import TextIO

__all__ = [
    "AGREEMENTS_PER_SOURCE",
    "QUERY_NAMES",
    "Sizes",
    "generate",
    "query_texts",
    "write_queries",
]

BASE = "https://w3id.org/relgraph/"
RG = BASE + "ontology#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
CONCEPT = BASE + "concept/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
LANG_EN = "http://id.loc.gov/vocabulary/iso639-1/en"
PUBLISHER = ID + "org/synthetic-press-office"

AGREEMENTS_PER_SOURCE = 100
ENTITIES_PER_SOURCE = 500
N_COUNTRIES = 50

#: (concept slug, weight); all exist in ontology/concepts.ttl.
AGREEMENT_TYPES = [
    ("city-twinning", 30),
    ("memorandum-of-understanding", 20),
    ("university-partnership", 15),
    ("cooperation-agreement", 15),
    ("strategic-partnership", 10),
    ("cluster-partnership", 10),
]
#: Thematic fields; the brief's education/health/climate are not in concepts.ttl,
#: so technology/foreign-trade/climate-neutrality stand in for them.
FIELDS = [
    "economy",
    "science",
    "research",
    "culture",
    "energy-transition",
    "digitalisation",
    "aerospace",
    "technology",
    "foreign-trade",
    "climate-neutrality",
]
STATUSES = [("active", 60), ("ended", 20), ("planned", 12), ("suspended", 8)]
REGION_CLASSES = ["Region", "FederalState", "Province"]
ORG_CLASSES = ["University", "ChamberOfCommerce", "ResearchCentre"]

_ONSETS = ["b", "br", "d", "f", "g", "gr", "h", "k", "kr", "l", "m", "n", "p", "r", "s", "st", "t", "v", "w", "z"]
_VOWELS = ["a", "e", "i", "o", "u", "a", "e", "o", "ä", "ö", "ü", "é", "è", "å", "ø"]
_CODAS = ["", "n", "r", "l", "s", "m", "nd", "rg", "ck", "t"]
_SUFFIXES = ["burg", "stadt", "heim", "dorf", "ville", "mont", "haven", "berg", "au", "fjord", "ona", "ice"]


@dataclass(frozen=True)
class Sizes:
    """How many entities of each kind a run with ``agreements`` agreements has."""

    agreements: int
    countries: int
    regions: int
    cities: int
    orgs: int

    @classmethod
    def for_agreements(cls, n: int) -> Sizes:
        cities = max(50, n // 10)
        return cls(
            agreements=n,
            countries=N_COUNTRIES,
            regions=max(10, cities // 20),
            cities=cities,
            orgs=max(20, n // 20),
        )


# --- pure functions of (seed, kind, index) ----------------------------------------


def _h(seed: int, kind: str, i: int, salt: str = "") -> int:
    digest = hashlib.blake2b(f"{seed}:{kind}:{i}:{salt}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _fold(text: str) -> str:
    """ASCII-fold: drop diacritics (ø and å have no decomposition, so map them)."""
    text = text.replace("ø", "o").replace("Ø", "O").replace("å", "a").replace("Å", "A")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _name(seed: int, kind: str, i: int) -> str:
    h = _h(seed, kind, i, "name")
    parts = []
    for _ in range(1 + h % 2):
        h //= 2
        parts.append(_ONSETS[h % len(_ONSETS)])
        h //= len(_ONSETS)
        parts.append(_VOWELS[h % len(_VOWELS)])
        h //= len(_VOWELS)
        parts.append(_CODAS[h % len(_CODAS)])
        h //= len(_CODAS)
    parts.append(_SUFFIXES[h % len(_SUFFIXES)])
    return "".join(parts).capitalize()


def _slug(name: str, i: int) -> str:
    return f"{_fold(name).lower()}-{i}"


def country_iri(seed: int, c: int) -> str:
    return f"{ID}country/{_slug(_name(seed, 'country', c), c)}"


def region_country(sizes: Sizes, r: int) -> int:
    return r % sizes.countries


def region_iri(seed: int, r: int) -> str:
    return f"{ID}region/{_slug(_name(seed, 'region', r), r)}"


def city_region(sizes: Sizes, c: int) -> int:
    return c % sizes.regions


def city_iri(seed: int, c: int) -> str:
    return f"{ID}city/{_slug(_name(seed, 'city', c), c)}"


def _zipf(n: int, u: float) -> int:
    return min(n - 1, int(n * u * u))


def org_city(seed: int, sizes: Sizes, o: int) -> int:
    if o == 0:
        return 0  # the busiest city always hosts an organisation
    return _zipf(sizes.cities, (_h(seed, "org", o, "city") % 1_000_003) / 1_000_003)


def org_class(o: int) -> str:
    return ORG_CLASSES[o % len(ORG_CLASSES)]


def org_iri(seed: int, sizes: Sizes, o: int) -> str:
    city = _name(seed, "city", org_city(seed, sizes, o))
    prefix = {"University": "university", "ChamberOfCommerce": "chamber", "ResearchCentre": "research-centre"}
    return f"{ID}org/{prefix[org_class(o)]}-{_slug(city, o)}"


def post_iri(party: str) -> str:
    kind, slug = party[len(ID) :].split("/", 1)
    return f"{ID}post/{kind}-{slug}-head"


def person_iri(seed: int, party: str) -> tuple[str, str]:
    key = int.from_bytes(hashlib.blake2b(f"{seed}:{party}".encode(), digest_size=4).digest(), "big")
    first = _FIRST[key % len(_FIRST)]
    last = _LAST[(key // len(_FIRST)) % len(_LAST)]
    kind, slug = party[len(ID) :].split("/", 1)
    return f"{ID}person/{_fold(first).lower()}-{_fold(last).lower()}-{kind}-{slug}", f"{first} {last}"


_FIRST = ["Anna", "Jürgen", "Chloé", "Lars", "Zoë", "Mehmet", "Søren", "Inès", "Paul", "Maria", "Kenji", "Ana"]
_LAST = ["Müller", "Dubois", "Nørgaard", "Schmidt", "Lefèvre", "Kowalski", "García", "Öztürk", "Smith", "Rossi"]


# --- writing ------------------------------------------------------------------------


def _lit(text: str, lang: str | None = None, dtype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{escaped}"@{lang}'
    if dtype:
        return f'"{escaped}"^^<{dtype}>'
    return f'"{escaped}"'


class _Writer:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.count = 0
        self.graph = ""

    def start_graph(self, seed: int, k: int, title: str, issued: str) -> None:
        self.graph = f"<{GRAPH}synthetic-source-{k}>"
        doc = f"{ID}source/synthetic-source-{k}"
        g = self.graph[1:-1]
        self.iri(g, RDF_TYPE, RG + "SourceGraph")
        self.iri(g, PROV + "wasDerivedFrom", doc)
        self.iri(doc, RDF_TYPE, RG + "SourceDocument")
        for s in (g, doc):
            self.lit(s, DCT + "title", _lit(title, "en"))
            self.iri(s, DCT + "publisher", PUBLISHER)
            self.lit(s, DCT + "issued", _lit(issued, dtype=XSD + "date"))
            self.iri(s, DCT + "language", LANG_EN)
        if k == 1:
            self.iri(PUBLISHER, RDF_TYPE, RG + "Organization")
            self.labels(
                PUBLISHER, "Synthetische Pressestelle", "Synthetic press office", "Bureau de presse synthétique"
            )

    def iri(self, s: str, p: str, o: str) -> None:
        self.out.write(f"<{s}> <{p}> <{o}> {self.graph} .\n")
        self.count += 1

    def lit(self, s: str, p: str, literal: str) -> None:
        self.out.write(f"<{s}> <{p}> {literal} {self.graph} .\n")
        self.count += 1

    def labels(self, s: str, de: str, en: str, fr: str) -> None:
        self.lit(s, RDFS_LABEL, _lit(de, "de"))
        self.lit(s, RDFS_LABEL, _lit(en, "en"))
        self.lit(s, RDFS_LABEL, _lit(fr, "fr"))


def _entities(seed: int, sizes: Sizes) -> Iterator[tuple[str, int]]:
    for kind, n in (("country", sizes.countries), ("region", sizes.regions), ("city", sizes.cities)):
        for i in range(n):
            yield kind, i
    for o in range(sizes.orgs):
        yield "org", o


def _write_entity(w: _Writer, seed: int, sizes: Sizes, kind: str, i: int) -> None:
    if kind == "country":
        name = _name(seed, "country", i) + "ia"
        s = country_iri(seed, i)
        w.iri(s, RDF_TYPE, RG + "Country")
        w.labels(s, name, _fold(name), name)
        return
    if kind == "region":
        name = _name(seed, "region", i)
        s = region_iri(seed, i)
        cls = REGION_CLASSES[i % len(REGION_CLASSES)]
        country = country_iri(seed, region_country(sizes, i))
        w.iri(s, RDF_TYPE, RG + cls)
        w.labels(s, name, _fold(name), name)
        w.iri(s, RG + "locatedIn", country)
        w.iri(s, RG + "country", country)
        title = ("Ministerpräsident", "Premier", "Premier ministre")
    elif kind == "city":
        name = _name(seed, "city", i)
        s = city_iri(seed, i)
        r = city_region(sizes, i)
        w.iri(s, RDF_TYPE, RG + "City")
        w.labels(s, name, _fold(name), name)
        w.iri(s, RG + "locatedIn", region_iri(seed, r))
        w.iri(s, RG + "country", country_iri(seed, region_country(sizes, r)))
        title = ("Bürgermeister", "Mayor", "Maire")
    else:
        city_i = org_city(seed, sizes, i)
        city = _name(seed, "city", city_i)
        s = org_iri(seed, sizes, i)
        cls = org_class(i)
        labels = {
            "University": (f"Universität {city}", f"University of {_fold(city)}", f"Université de {city}"),
            "ChamberOfCommerce": (
                f"Handelskammer {city}",
                f"{_fold(city)} Chamber of Commerce",
                f"Chambre de commerce de {city}",
            ),
            "ResearchCentre": (
                f"Forschungszentrum {city}",
                f"{_fold(city)} Research Centre",
                f"Centre de recherche de {city}",
            ),
        }[cls]
        w.iri(s, RDF_TYPE, RG + cls)
        w.labels(s, *labels)
        w.iri(s, RG + "locatedIn", city_iri(seed, city_i))
        w.iri(s, RG + "country", country_iri(seed, region_country(sizes, city_region(sizes, city_i))))
        title = ("Präsident", "President", "Président")
    # The post of the entity's head, and one tenure.
    post = post_iri(s)
    person, person_name = person_iri(seed, s)
    w.iri(post, RDF_TYPE, RG + "Post")
    w.iri(post, RG + "postIn", s)
    w.labels(post, title[0], title[1], title[2])
    w.iri(person, RDF_TYPE, RG + "Person")
    w.labels(person, person_name, person_name, person_name)
    tenure = post.replace("/post/", "/tenure/") + "-1"
    w.iri(tenure, RDF_TYPE, RG + "Tenure")
    w.iri(tenure, RG + "holder", person)
    w.iri(tenure, RG + "post", post)
    year = 1990 + _h(seed, kind, i, "tenure") % 30
    w.lit(tenure, RG + "startDate", _lit(f"{year}", dtype=XSD + "gYear"))


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    total = sum(w for _, w in table)
    x = rng.random() * total
    for value, weight in table:
        x -= weight
        if x < 0:
            return value
    return table[-1][0]


def _pick_party(rng: random.Random, seed: int, sizes: Sizes, kind: str) -> str:
    if kind == "city":
        return city_iri(seed, _zipf(sizes.cities, rng.random()))
    if kind == "region":
        return region_iri(seed, _zipf(sizes.regions, rng.random()))
    o = _zipf(sizes.orgs, rng.random())
    if kind == "university":
        o -= o % len(ORG_CLASSES)  # index ≡ 0 (mod 3) is a university
    return org_iri(seed, sizes, o)


_TYPE_LABELS = {
    "city-twinning": ("Städtepartnerschaft", "City twinning", "Jumelage"),
    "university-partnership": ("Hochschulpartnerschaft", "University partnership", "Partenariat universitaire"),
    "cluster-partnership": ("Clusterpartnerschaft", "Cluster partnership", "Partenariat de clusters"),
    "strategic-partnership": ("Strategische Partnerschaft", "Strategic partnership", "Partenariat stratégique"),
    "memorandum-of-understanding": ("Absichtserklärung", "Memorandum of understanding", "Protocole d’accord"),
    "cooperation-agreement": ("Kooperationsvereinbarung", "Cooperation agreement", "Accord de coopération"),
}

_PARTY_KINDS = {
    "city-twinning": ["city"],
    "university-partnership": ["university"],
    "cluster-partnership": ["org"],
    "strategic-partnership": ["region", "city"],
    "memorandum-of-understanding": ["city", "org", "region"],
    "cooperation-agreement": ["city", "org", "region", "university"],
}


def _city_of(seed: int, sizes: Sizes, party: str) -> str:
    """The signing place: the party if it is a city, else a city near it."""
    if "/city/" in party:
        return party
    if "/org/" in party:
        o = int(party.rsplit("-", 1)[1])
        return city_iri(seed, org_city(seed, sizes, o))
    r = int(party.rsplit("-", 1)[1])
    return city_iri(seed, r)  # city r lies in region r (city c is in region c mod regions)


def _date(rng: random.Random, low: int = 1960, high: int = 2025) -> tuple[int, int, int]:
    return rng.randint(low, high), rng.randint(1, 12), rng.randint(1, 28)


def agreement_iri(rng_type: str, a: int) -> str:
    return f"{ID}agreement/{rng_type}-{a + 1}"


def _write_agreement(w: _Writer, rng: random.Random, seed: int, sizes: Sizes, a: int) -> None:
    kind = _weighted(rng, AGREEMENT_TYPES)
    s = agreement_iri(kind, a)
    x = rng.random()
    n_parties = 2 if x < 0.85 else 3 if x < 0.95 else 4
    party_kinds = _PARTY_KINDS[kind]
    parties: list[str] = []
    for _ in range(n_parties * 4):  # bounded retries for distinct parties
        if len(parties) == n_parties:
            break
        p = _pick_party(rng, seed, sizes, party_kinds[rng.randrange(len(party_kinds))])
        if p not in parties:
            parties.append(p)
    w.iri(s, RDF_TYPE, RG + "Agreement")
    w.labels(s, *(f"{label} {a + 1}" for label in _TYPE_LABELS[kind]))
    w.iri(s, RG + "agreementType", f"{CONCEPT}agreement-type/{kind}")
    for p in parties:
        w.iri(s, RG + "party", p)
    for f in rng.sample(FIELDS, 1 + int(rng.random() ** 2 * 3)):
        w.iri(s, RG + "field", f"{CONCEPT}field/{f}")
    status = _weighted(rng, STATUSES)
    w.iri(s, RG + "status", f"{CONCEPT}status/{status}")
    y, m, d = _date(rng)
    if rng.random() < 0.7:
        w.lit(s, RG + "validFrom", _lit(f"{y:04d}-{m:02d}-{d:02d}", dtype=XSD + "date"))
    else:
        w.lit(s, RG + "validFrom", _lit(f"{y:04d}", dtype=XSD + "gYear"))
    if status == "ended" or rng.random() < 0.2:
        w.lit(s, RG + "validUntil", _lit(f"{y + rng.randint(2, 20):04d}", dtype=XSD + "gYear"))
    signing = f"{ID}signing/{s[len(ID) + len('agreement/') :]}"
    w.iri(s, RG + "signing", signing)
    w.iri(signing, RDF_TYPE, RG + "Signing")
    precision = rng.random()
    if precision < 0.7:
        w.lit(signing, RG + "date", _lit(f"{y:04d}-{m:02d}-{d:02d}", dtype=XSD + "date"))
    elif precision < 0.9:
        w.lit(signing, RG + "date", _lit(f"{y:04d}-{m:02d}", dtype=XSD + "gYearMonth"))
    else:
        w.lit(signing, RG + "date", _lit(f"{y:04d}", dtype=XSD + "gYear"))
    w.iri(signing, RG + "place", _city_of(seed, sizes, parties[0]))
    for j, p in enumerate(parties, start=1):
        signature = f"{signing}-signature-{j}"
        person, _ = person_iri(seed, p)
        w.iri(signing, RG + "signature", signature)
        w.iri(signature, RDF_TYPE, RG + "Signature")
        w.iri(signature, RG + "signatory", person)
        w.iri(signature, RG + "inPost", post_iri(p))
        w.iri(signature, RG + "onBehalfOf", p)


def generate(out: TextIO, *, agreements: int, seed: int = 42) -> int:
    """Write the synthetic dataset as N-Quads to ``out``; return the triple count."""
    if agreements < 1:
        raise ValueError("--agreements must be at least 1")
    sizes = Sizes.for_agreements(agreements)
    w = _Writer(out)
    k = 0
    for n, (kind, i) in enumerate(_entities(seed, sizes)):
        if n % ENTITIES_PER_SOURCE == 0:
            k += 1
            w.start_graph(seed, k, f"Synthetic gazetteer, part {k}", f"2024-01-{1 + k % 28:02d}")
        _write_entity(w, seed, sizes, kind, i)
    rng = random.Random(seed)
    for a in range(agreements):
        if a % AGREEMENTS_PER_SOURCE == 0:
            k += 1
            y, m, d = 2000 + k % 25, 1 + k % 12, 1 + k % 28
            w.start_graph(seed, k, f"Synthetic press release {k}", f"{y:04d}-{m:02d}-{d:02d}")
        _write_agreement(w, rng, seed, sizes, a)
    return w.count


# --- the bench queries ------------------------------------------------------------------

QUERY_NAMES = [
    "partners-of-city",
    "field-between-dates",
    "country-pair-counts",
    "describe-agreement",
    "label-search",
    "institutions-of-region",
]

_PREFIXES = """PREFIX rg: <https://w3id.org/relgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

_TEMPLATES = {
    "partners-of-city": """# Partners of one busy city, with the agreement type and the signing date.
${prefixes}
SELECT ?partner ?partnerLabel ?agreement ?type ?date WHERE {
  ?agreement rg:party <${city}> , ?partner ;
             rg:agreementType ?type .
  FILTER(?partner != <${city}>)
  OPTIONAL { ?agreement rg:signing/rg:date ?date }
  OPTIONAL { ?partner rdfs:label ?partnerLabel FILTER(LANG(?partnerLabel) = "en") }
}
ORDER BY ?date ?agreement ?partner
""",
    "field-between-dates": """# Agreements in one field signed between two dates.
${prefixes}
SELECT ?agreement ?type ?date WHERE {
  ?agreement rg:field <${field}> ;
             rg:agreementType ?type ;
             rg:signing/rg:date ?date .
  FILTER(?date >= "${start}"^^xsd:date && ?date < "${end}"^^xsd:date)
}
ORDER BY ?date ?agreement
""",
    "country-pair-counts": """# Number of agreements per pair of countries (via the parties' rg:country).
${prefixes}
SELECT ?country1 ?country2 (COUNT(DISTINCT ?agreement) AS ?agreements) WHERE {
  ?agreement a rg:Agreement ;
             rg:party ?p1 , ?p2 .
  ?p1 rg:country ?country1 .
  ?p2 rg:country ?country2 .
  FILTER(STR(?country1) < STR(?country2))
}
GROUP BY ?country1 ?country2
ORDER BY DESC(?agreements) ?country1 ?country2
LIMIT 100
""",
    "describe-agreement": """# Everything about one agreement.
${prefixes}
DESCRIBE <${agreement}>
""",
    "label-search": """# Case- and diacritic-insensitive search in the labels of all entities.
${prefixes}
SELECT DISTINCT ?entity ?label WHERE {
  ?entity rdfs:label ?label .
  FILTER(CONTAINS(
    REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(LCASE(STR(?label)),
      "[àáâãäå]", "a"), "[èéêë]", "e"), "[ìíîï]", "i"), "[òóôõöø]", "o"), "[ùúûü]", "u"), "ç", "c"),
    "${term}"))
}
ORDER BY ?entity ?label
LIMIT 100
""",
    "institutions-of-region": """# Organisations in the cities of one region (two hops) and their agreements.
${prefixes}
SELECT ?org ?class ?city ?agreement WHERE {
  ?city a rg:City ;
        rg:locatedIn <${region}> .
  ?org rg:locatedIn ?city ;
       a ?class .
  VALUES ?class { rg:University rg:ChamberOfCommerce rg:ResearchCentre }
  OPTIONAL { ?agreement rg:party ?org }
}
ORDER BY ?org ?agreement
""",
}


def query_texts(*, seed: int = 42) -> dict[str, str]:
    """The bench queries, filled with IRIs that exist for every N with this seed.

    Entity 0 of each kind exists for every N and is the busiest (see the module
    docstring); agreement 1 is the first one written.
    """
    first_type = _weighted(random.Random(seed), AGREEMENT_TYPES)
    # The first of the always-present cities whose name has a diacritic, searched
    # for without it: the match has to come through the folding in the query.
    accented = next((c for c in range(50) if _fold(_name(seed, "city", c)) != _name(seed, "city", c)), 0)
    city_name = _fold(_name(seed, "city", accented)).lower()
    values = {
        "prefixes": _PREFIXES,
        "city": city_iri(seed, 0),
        "field": f"{CONCEPT}field/economy",
        "start": "1990-01-01",
        "end": "2000-01-01",
        "agreement": agreement_iri(first_type, 0),
        "term": city_name[: max(4, len(city_name) - 3)],
        "region": region_iri(seed, 0),
    }
    return {name: Template(_TEMPLATES[name]).substitute(values) for name in QUERY_NAMES}


def write_queries(folder: Path, *, seed: int = 42) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in query_texts(seed=seed).items():
        path = folder / f"{name}.rq"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agreements", type=int, required=True, metavar="N")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("-o", "--output", metavar="FILE.nq", help="N-Quads output (default: stdout)")
    parser.add_argument("--queries-out", metavar="DIR", help="also write the bench queries (*.rq) for this seed")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.output and args.output != "-":
        out_path = Path(args.output)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = out_path.with_name(out_path.name + ".part")
        with open(tmp, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
            count = generate(out, agreements=args.agreements, seed=args.seed)
        tmp.replace(out_path)
    else:
        count = generate(sys.stdout, agreements=args.agreements, seed=args.seed)
        sys.stdout.flush()
    if args.queries_out:
        write_queries(Path(args.queries_out), seed=args.seed)
    seconds = time.perf_counter() - started
    summary = f"{count} triples, {args.agreements} agreements, seed {args.seed}, {seconds:.1f} s"
    print(summary, file=sys.stderr if not args.output or args.output == "-" else sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
