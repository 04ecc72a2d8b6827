"""The partner finder's in-memory index: places, who is related to whom, and their profiles.

Why in memory: a place's suggestions need the partners of its partners'
partners (three hops) for every candidate, which on the world data is up to a
million path steps for a hub; a few dicts answer that in tens of
milliseconds, SPARQL per request would take seconds. The index is built once
per data version from ten light queries (about 100k rows on the world data)
and held by the caller (:meth:`relgraph_server.runtime.Runtime.memo` in the
server).

Relations are place to place: an agreement's parties that are places, and
institutions that are parties count for the place they are located in (a
cluster's partnership is its city's relation). Inferred statements (the
reasoner's graph) are left out: every relation has the source graph that
states it, so ``graphs=`` can restrict the network to chosen sources.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyoxigraph as ox

from ..namespaces import RG, SKOS
from ..summary import INFERRED_SUFFIX, Runner

__all__ = [
    "INSTITUTION_KINDS",
    "PLACE_KINDS",
    "Arrays",
    "PartnerIndex",
    "Place",
    "build_index",
    "index_from_pairs",
    "profile_features",
    "size_class",
]

WGS = "http://www.w3.org/2003/01/geo/wgs84_pos#"
FIELD_SCHEME = "https://w3id.org/relgraph/concept/field"
#: Classes of places (the finder suggests places only).
PLACE_KINDS = ("City", "Region", "FederalState", "Province", "Country", "Place")
#: Kinds of institutions a profile counts (class local names).
INSTITUTION_KINDS = ("University", "ResearchCentre", "ResearchConsortium", "Cluster", "ChamberOfCommerce")
_PAGE = 40_000  # rows per query page: under the engine's row cap (RELGRAPH_MAX_ROWS, 100k by default)
_STATED = f'FILTER(!STRENDS(STR(?g), "{INFERRED_SUFFIX}"))'


@dataclass
class Place:
    """What the index knows of one place besides its relations."""

    iri: str
    kind: str = "Place"
    country: str | None = None
    regions: set[str] = field(default_factory=set)
    coord: tuple[float, float] | None = None
    population: tuple[int, str] | None = None  # (figure, source graph)
    memberships: dict[str, set[str]] = field(default_factory=dict)  # organisation → source graphs
    statements: set[str] = field(default_factory=set)  # joint statements signed on its behalf
    institutions: dict[str, set[str]] = field(default_factory=dict)  # kind → institutions located there
    institution_fields: dict[str, set[str]] = field(default_factory=dict)  # field → its institutions active in it
    fields: Counter[str] = field(default_factory=Counter)  # field → agreements of the place (or its institutions)


@dataclass
class Arrays:
    """The network as compressed rows: ``indices[indptr[i]:indptr[i + 1]]`` are the partners of ``names[i]``."""

    names: list[str]
    ids: dict[str, int]
    indptr: Any  # numpy arrays: int64, int32, int64
    indices: Any
    degree: Any

    def rows(self, nodes: Any) -> Any:
        """The partners of ``nodes`` (ids), one row after the other, as one array."""
        lens = self.degree[nodes]
        total = int(lens.sum())
        if not total:
            return np.zeros(0, dtype=np.int64)
        shift = np.repeat(self.indptr[nodes] - (np.cumsum(lens) - lens), lens)
        return self.indices[np.arange(total, dtype=np.int64) + shift]


@dataclass
class PartnerIndex:
    """Places, their profiles, and their relations with the graph that states each."""

    places: dict[str, Place]
    #: place → partner → the source graphs that state a relation between them (one shared set per combination:
    #: 2.9M pairs at a million agreements)
    relations: Mapping[str, Mapping[str, frozenset[str]]]
    fields: dict[str, str] = field(default_factory=dict)  # field concept → notation
    _adjacency: dict[frozenset[str] | None, Mapping[str, AbstractSet[str]]] = field(default_factory=dict, repr=False)
    _country_pairs: dict[frozenset[str] | None, Any] = field(default_factory=dict, repr=False)
    _grid: dict[tuple[int, int], list[str]] | None = field(default=None, repr=False)
    _features: dict[tuple[str, str], set[str]] | None = field(default=None, repr=False)
    _feature_totals: dict[str, int] | None = field(default=None, repr=False)
    _arrays: dict[frozenset[str] | None, Arrays] = field(default_factory=dict, repr=False)
    profile_cache: dict[str, dict[str, set[str]]] = field(default_factory=dict, repr=False)
    #: (place, graphs, field, top) → what :func:`relgraph.partners.suggest` ranked: kept with the index
    answers: dict[Hashable, Any] = field(default_factory=dict, repr=False)
    kept: int = field(default=0, repr=False)  # the first ``kept`` answers stay (computed with the index)
    #: the answers computed with the index, read from its folder when asked (:mod:`relgraph.partners.shared`)
    stored: Mapping[Hashable, Any] = field(default_factory=dict, repr=False)
    #: :meth:`brief` from mapped arrays (:mod:`relgraph.partners.shared`), without decoding the place
    briefs: Callable[[str], tuple[int | None, str | None]] | None = field(default=None, repr=False)

    def brief(self, iri: str) -> tuple[int | None, str | None]:
        """A place's size class and country (what similar places compare for every candidate)."""
        if self.briefs is not None:
            return self.briefs(iri)
        place = self.places[iri]
        return size_class(place.population[0] if place.population else None), place.country

    def answer(self, key: Hashable, compute: Callable[[], Any], *, keep: bool = False, most: int = 1000) -> Any:
        """The memoised answer of ``key`` (``compute()`` on first use); at most ``most`` kept besides the first ones."""
        found = self.answers.get(key)
        if found is None and self.stored:
            found = self.stored.get(key)
        if found is None:
            found = compute()
            if keep:
                self.kept += 1
            elif len(self.answers) >= self.kept + most:
                self.answers.pop(next(itertools.islice(self.answers, self.kept, None)), None)
            self.answers[key] = found
        return found

    def feature_places(self, features_of: Any) -> dict[tuple[str, str], set[str]]:
        """(kind, feature) → places with it, for every place (built once; ``features_of`` gives a profile's)."""
        if self._features is None:
            out: dict[tuple[str, str], set[str]] = defaultdict(set)
            for p in self.places.values():
                for kind, values in features_of(p).items():
                    if kind not in ("country", "size"):
                        for v in values:
                            out[(kind, v)].add(p.iri)
            self._features = dict(out)
        return self._features

    def feature_totals(self, features_of: Any) -> dict[str, int]:
        """Place → number of its profile features, every kind (built once; ``features_of`` gives a profile's)."""
        if self._feature_totals is None:
            self._feature_totals = {p.iri: sum(len(v) for v in features_of(p).values()) for p in self.places.values()}
        return self._feature_totals

    def warm(self) -> PartnerIndex:
        """Build the caches every suggestion uses (network, country pairs, grid, features) now, not on a request."""
        self.country_pairs()
        self.feature_places(profile_features)
        self.feature_totals(profile_features)
        self.arrays()
        self._build_grid()
        return self

    def _build_grid(self) -> dict[tuple[int, int], list[str]]:
        if self._grid is None:
            grid: dict[tuple[int, int], list[str]] = defaultdict(list)
            for p in self.places.values():
                if p.coord is not None:
                    grid[(int(p.coord[0] * 2), int(p.coord[1] * 2))].append(p.iri)
            self._grid = dict(grid)
        return self._grid

    @property
    def graphs(self) -> set[str]:
        mapped = getattr(self.relations, "graphs", None)  # relgraph.partners.mapped.Relations: without the rows
        if mapped is not None:
            return set(mapped())
        return {g for partners in self.relations.values() for by_graph in partners.values() for g in by_graph}

    def adjacency(self, graphs: Iterable[str] | None = None) -> Mapping[str, AbstractSet[str]]:
        """Place → partners, through relations of ``graphs`` (all when None); cached per selection."""
        key = frozenset(graphs) if graphs is not None else None
        adj = self._adjacency.get(key)
        if adj is None:
            built: dict[str, AbstractSet[str]] = {}
            for p, partners in self.relations.items():
                linked = {q for q, by_graph in partners.items() if key is None or key & by_graph}
                if linked:
                    built[p] = linked
            adj = self._adjacency[key] = built
        return adj

    def arrays(self, graphs: Iterable[str] | None = None) -> Arrays:
        """:meth:`adjacency` as arrays (compressed rows), for the sums over many paths; cached per selection."""
        key = frozenset(graphs) if graphs is not None else None
        found = self._arrays.get(key)
        if found is None:
            adj = self.adjacency(graphs)
            names = sorted(adj)
            ids = {p: i for i, p in enumerate(names)}
            degree = np.fromiter((len(adj[p]) for p in names), dtype=np.int64, count=len(names))
            indptr = np.zeros(len(names) + 1, dtype=np.int64)
            np.cumsum(degree, out=indptr[1:])
            indices = np.fromiter((ids[q] for p in names for q in adj[p]), dtype=np.int32, count=int(indptr[-1]))
            found = self._arrays[key] = Arrays(names, ids, indptr, indices, degree)
        return found

    def country_pairs(self, graphs: Iterable[str] | None = None) -> tuple[dict[str, Counter[str]], Counter[str]]:
        """Country → partner country → relations between them; country → sum of its places' degrees."""
        key = frozenset(graphs) if graphs is not None else None
        if key not in self._country_pairs:
            adj = self.adjacency(graphs)
            pairs: dict[str, Counter[str]] = defaultdict(Counter)
            weight: Counter[str] = Counter()
            for p, partners in adj.items():
                cp = self.places[p].country if p in self.places else None
                if cp is None:
                    continue
                weight[cp] += len(partners)
                for q in partners:
                    cq = self.places[q].country if q in self.places else None
                    if cq is not None:
                        pairs[cp][cq] += 1
            by_country: dict[str, list[str]] = defaultdict(list)
            for p in adj:
                c = self.places[p].country if p in self.places else None
                if c is not None:
                    by_country[c].append(p)
            for members in by_country.values():
                members.sort(key=lambda x: (-len(adj[x]), x))
            self._country_pairs[key] = (dict(pairs), weight, dict(by_country))
        pairs, weight, _ = self._country_pairs[key]
        return pairs, weight

    def places_of_country(self, country: str, graphs: Iterable[str] | None = None) -> list[str]:
        """The related places of ``country``, most related first."""
        self.country_pairs(graphs)
        key = frozenset(graphs) if graphs is not None else None
        return self._country_pairs[key][2].get(country, [])

    def near(self, iri: str, *, radius_km: float = 40.0) -> list[tuple[str, float]]:
        """Places within ``radius_km`` of ``iri`` (a grid of half degrees), with their distance."""
        place = self.places.get(iri)
        if place is None or place.coord is None:
            return []
        grid = self._build_grid()
        lat, lon = place.coord
        gi, gj = int(lat * 2), int(lon * 2)
        out = []
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for other in grid.get((gi + di, gj + dj), ()):
                    if other != iri:
                        d = distance_km(place.coord, self.places[other].coord)  # type: ignore[arg-type]
                        if d < radius_km:
                            out.append((other, d))
        return out


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance: exact enough within the 40 km the finder looks at."""
    x = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    y = math.radians(b[0] - a[0])
    return 6371.0 * math.hypot(x, y)


def _paged(run: Runner, query: str, page: int | None = _PAGE) -> Iterable[dict[str, Any]]:
    """All rows of ``query`` in pages (no ORDER BY: the store's order is stable within one data version).

    ``page=None`` reads them in one query (a store without a row cap: each OFFSET re-reads the rows before it).
    """
    if page is None:
        yield from run(query, {})
        return
    offset = 0
    while True:
        rows = run(f"{query} LIMIT {page} OFFSET {offset}", {})
        yield from rows
        if len(rows) < page:
            return
        offset += page


def _iri(row: Mapping[str, Any], name: str) -> str | None:
    term = row.get(name)
    return term.value if isinstance(term, ox.NamedNode) else None


def build_index(run: Runner, *, page: int | None = _PAGE) -> PartnerIndex:
    """Read places, relations and profiles from the store behind ``run`` (stated graphs only).

    ``page``: rows per query (under an engine's row cap), None for whole queries (a store read directly).
    """
    kinds = " ".join(f"<{RG}{k}>" for k in PLACE_KINDS)
    places: dict[str, Place] = {}
    rank = {k: i for i, k in enumerate(PLACE_KINDS)}  # the most specific class names the kind
    for r in _paged(run, f"SELECT ?x ?t WHERE {{ VALUES ?t {{ {kinds} }} ?x a ?t }}", page):
        x = _iri(r, "x")
        if x is None:
            continue
        kind = r["t"].value[len(RG) :]
        place = places.setdefault(x, Place(x, kind))
        if rank[kind] < rank[place.kind]:
            place.kind = kind
    for known in places.values():
        if known.kind == "Country":
            known.country = known.iri
    # institutions: located in a place; their relations count for it
    inst_kinds = " ".join(f"<{RG}{k}>" for k in INSTITUTION_KINDS)
    located: dict[str, str] = {}
    for r in _paged(run, f"SELECT DISTINCT ?i ?x WHERE {{ ?a <{RG}party> ?i . ?i <{RG}locatedIn> ?x }}", page):
        i, x = _iri(r, "i"), _iri(r, "x")
        if i and x and i not in places and x in places:
            best = located.get(i)
            if best is None or rank[places[x].kind] < rank[places[best].kind] or places[best].kind == "Country":
                located[i] = x
    institution_kind: dict[str, str] = {}
    for r in _paged(
        run, f"SELECT DISTINCT ?i ?t ?x WHERE {{ VALUES ?t {{ {inst_kinds} }} ?i a ?t . ?i <{RG}locatedIn> ?x }}", page
    ):
        i, x = _iri(r, "i"), _iri(r, "x")
        if i and x in places and places[x].kind != "Country":
            kind = r["t"].value[len(RG) :]
            places[x].institutions.setdefault(kind, set()).add(i)
            institution_kind[i] = kind
            located.setdefault(i, x)
    # relations
    parties: dict[tuple[str, str], set[str]] = defaultdict(set)  # (agreement, graph) → places
    party_insts: dict[str, set[str]] = defaultdict(set)  # agreement → institutions that are parties
    for r in _paged(run, f"SELECT ?a ?p ?g WHERE {{ GRAPH ?g {{ ?a <{RG}party> ?p }} {_STATED} }}", page):
        a, p, g = _iri(r, "a"), _iri(r, "p"), _iri(r, "g")
        if not (a and p and g):
            continue
        if p not in places:
            party_insts[a].add(p)
            p = located.get(p, "")
        if p in places:
            parties[(a, g)].add(p)
    relations: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    agreements_of: dict[str, set[str]] = defaultdict(set)
    for (a, g), ps in parties.items():
        for p in ps:
            agreements_of[a].add(p)
            for q in ps:
                if q != p:
                    relations[p][q].add(g)
    # fields of agreements → places (and the institutions active in them)
    fields: dict[str, str] = {}
    for r in run(
        f"SELECT ?f ?n WHERE {{ ?f <{SKOS}inScheme> <{FIELD_SCHEME}> OPTIONAL {{ ?f <{SKOS}notation> ?n }} }}", {}
    ):
        f = _iri(r, "f")
        if f:
            fields[f] = r["n"].value if "n" in r else f.rstrip("/").rsplit("/", 1)[-1]
    for r in _paged(run, f"SELECT DISTINCT ?a ?f WHERE {{ GRAPH ?g {{ ?a <{RG}field> ?f }} {_STATED} }}", page):
        a, f = _iri(r, "a"), _iri(r, "f")
        if not (a and f):
            continue
        for p in agreements_of.get(a, ()):
            places[p].fields[f] += 1
        for i in party_insts.get(a, ()):
            if i in institution_kind:
                places[located[i]].institution_fields.setdefault(f, set()).add(i)
    # country, region, coordinates, population, memberships, joint statements
    for r in _paged(run, f"SELECT ?x ?c WHERE {{ GRAPH ?g {{ ?x <{RG}country> ?c }} {_STATED} }}", page):
        x, c = _iri(r, "x"), _iri(r, "c")
        if x in places and c and places[x].country is None:
            places[x].country = c
    regions = " ".join(f"<{RG}{k}>" for k in ("Region", "FederalState", "Province"))
    for r in _paged(
        run, f"SELECT DISTINCT ?x ?r WHERE {{ VALUES ?t {{ {regions} }} ?r a ?t . ?x <{RG}locatedIn> ?r }}", page
    ):
        x, reg = _iri(r, "x"), _iri(r, "r")
        if x in places and reg and reg != x:
            places[x].regions.add(reg)
    for r in _paged(run, f"SELECT ?x ?lat ?long WHERE {{ ?x <{WGS}lat> ?lat ; <{WGS}long> ?long }}", page):
        x = _iri(r, "x")
        if x in places and places[x].coord is None:
            try:
                places[x].coord = (float(r["lat"].value), float(r["long"].value))
            except ValueError:
                continue
    for r in _paged(run, f"SELECT ?x ?n ?g WHERE {{ GRAPH ?g {{ ?x <{RG}population> ?n }} {_STATED} }}", page):
        x, g = _iri(r, "x"), _iri(r, "g")
        if x in places and g:
            try:
                n = int(float(r["n"].value))
            except ValueError:
                continue
            before = places[x].population
            if before is None or g < before[1]:
                places[x].population = (n, g)
    for r in _paged(run, f"SELECT ?x ?o ?g WHERE {{ GRAPH ?g {{ ?x <{RG}memberOf> ?o }} {_STATED} }}", page):
        x, o, g = _iri(r, "x"), _iri(r, "o"), _iri(r, "g")
        if x in places and o and g:
            places[x].memberships.setdefault(o, set()).add(g)
    for r in _paged(
        run,
        f"SELECT DISTINCT ?x ?st WHERE {{ ?st a <{RG}JointStatement> ; <{RG}signing> ?s . "
        f"?s <{RG}signature> ?sig . ?sig <{RG}onBehalfOf> ?x }}",
        page,
    ):
        x, st = _iri(r, "x"), _iri(r, "st")
        if x in places and st:
            places[x].statements.add(st)
    shared: dict[frozenset[str], frozenset[str]] = {}
    frozen = {
        p: {q: shared.setdefault(frozenset(gs), frozenset(gs)) for q, gs in partners.items()}
        for p, partners in relations.items()
    }
    return PartnerIndex(places, frozen, fields).warm()


def index_from_pairs(
    pairs: Iterable[tuple[str, str]], places: Mapping[str, Place], *, graph: str = "urn:x-split"
) -> PartnerIndex:
    """An index of the same places with only ``pairs`` as relations (the held-out evaluation's rebuild)."""
    relations: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
    graphs = frozenset({graph})
    for a, b in pairs:
        relations[a][b] = graphs
        relations[b][a] = graphs
    return PartnerIndex(dict(places), dict(relations))


# --- a place's profile (what two places can share) ---------------------------------------------

_SIZE_BOUNDS = (20_000, 100_000, 500_000, 1_000_000)


def size_class(population: int | None) -> int | None:
    """0 small town (<20k) … 4 metropolis (≥1M); None when unknown."""
    if population is None:
        return None
    return sum(population >= b for b in _SIZE_BOUNDS)


def profile_features(place: Place) -> dict[str, set[str]]:
    """The profile as sets of features by kind (what two places can share)."""
    out: dict[str, set[str]] = {
        "membership": set(place.memberships),
        "statement": set(place.statements),
        "institution": {k for k, v in place.institutions.items() if v},
        "field": set(place.fields) | set(place.institution_fields),
        "region": set(place.regions),
    }
    size = size_class(place.population[0] if place.population else None)
    out["size"] = {str(size)} if size is not None else set()
    out["country"] = {place.country} if place.country else set()
    return out
