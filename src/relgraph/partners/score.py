"""Ranking candidates for a place, with the evidence behind each score.

The score of a candidate ``v`` for a place ``u`` (no relation yet between
them, in the chosen graphs) is a weighted sum of evidence, each term kept with
its items so that the reasons can name them:

network evidence
    ``shared``: the partners both have, each weighted 1/log(its number of
    partners) (Adamic–Adar: a shared partner with few partners says more);
    ``second``: paths u – w – z – v through a partner ``w`` of ``u`` and a
    partner ``z`` of ``v``, each weighted 1/√(deg w · deg z · deg v)
    ("your partners share partners with its partners": twinning is mostly
    between countries, so u's next partner is often at three steps, not two);
    ``nearby``: partners of places within 40 km of ``u``, and places within
    40 km of u's partners (towns of one district often twin with towns of one
    district), weighted e^(−d/15 km);
    ``countries``: how often u's country partners with v's country, times v's
    share of its country's relations.
profile evidence
    shared memberships (Eurocities), joint statements both signed, kinds of
    institutions both have (universities, clusters, …), fields of both
    agreements, size class (population, from its source) and region.

``score = shared + 0.5·second + 0.3·nearby + 3·countries + 0.05·profile``
(:data:`WEIGHTS`; set in ``bench/partners.py`` on seed 0, reported on seeds
1–5). Profile similarity alone (cosine-free: the share of profile features
both have) ranks the "similar places" list.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .index import PartnerIndex, Place

__all__ = ["WEIGHTS", "Evidence", "profile_overlap", "rank", "size_class"]

WEIGHTS = {"shared": 1.0, "second": 0.5, "nearby": 0.3, "countries": 3.0, "profile": 0.05}
NETWORK_ONLY = {"shared": 1.0, "second": 0.5, "nearby": 0.0, "countries": 0.0, "profile": 0.0}
_SIZE_BOUNDS = (20_000, 100_000, 500_000, 1_000_000)


def size_class(population: int | None) -> int | None:
    """0 small town (<20k) … 4 metropolis (≥1M); None when unknown."""
    if population is None:
        return None
    return sum(population >= b for b in _SIZE_BOUNDS)


@dataclass
class Evidence:
    """One candidate's score and what it rests on (IRIs; the reasons turn them into words)."""

    iri: str
    score: float = 0.0
    shared: list[str] = field(default_factory=list)  # shared partners
    via: Counter[str] = field(default_factory=Counter)  # u's partners on paths of three steps
    nearby: list[tuple[str, str, float]] = field(default_factory=list)  # (place near, its partner, km)
    country_links: int = 0  # relations between the two countries
    profile: dict[str, list[str]] = field(default_factory=dict)  # kind → shared features
    terms: dict[str, float] = field(default_factory=dict)


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


def profile_overlap(
    a: Place, b: Place, *, cache: dict[str, dict[str, set[str]]] | None = None
) -> tuple[float, dict[str, list[str]]]:
    """Shared profile features of ``a`` and ``b``: a score in [0, 1] (Jaccard over kinds) and the features."""
    if cache is None:
        fa, fb = profile_features(a), profile_features(b)
    else:
        if a.iri not in cache:
            cache[a.iri] = profile_features(a)
        if b.iri not in cache:
            cache[b.iri] = profile_features(b)
        fa, fb = cache[a.iri], cache[b.iri]
    shared = {k: sorted(fa[k] & fb[k]) for k in fa if fa[k] & fb[k]}
    union = sum(len(fa[k] | fb[k]) for k in fa)
    total = sum(len(v) for v in shared.values())
    return (total / union if union else 0.0), shared


def rank(
    index: PartnerIndex,
    iri: str,
    *,
    graphs: Iterable[str] | None = None,
    weights: dict[str, float] | None = None,
    field_iri: str | None = None,
    top: int = 10,
    exclude: Iterable[str] = (),
) -> list[Evidence]:
    """The ``top`` candidates for ``iri``, best first; places it already relates to are never among them."""
    w = weights or WEIGHTS
    adj = index.adjacency(graphs)
    partners = adj.get(iri, set())
    blocked = set(partners) | {iri} | set(exclude)
    found: dict[str, Evidence] = {}

    def ev(v: str) -> Evidence:
        e = found.get(v)
        if e is None:
            e = found[v] = Evidence(v)
        return e

    deg = {p: len(adj.get(p, ())) for p in partners}
    # shared partners and three-step paths
    two: dict[str, float] = defaultdict(float)
    for p in partners:
        if deg[p] > 1:
            weight = 1.0 / math.log(deg[p])
            for v in adj[p]:
                if v not in blocked:
                    e = ev(v)
                    e.shared.append(p)
                    two[v] += weight
    if w["second"]:
        three: dict[str, float] = defaultdict(float)
        for p in partners:
            for z in adj[p]:
                if z == iri:
                    continue
                k = 1.0 / math.sqrt(deg[p] * len(adj[z]))
                for v in adj[z]:
                    if v not in blocked:
                        three[v] += k
                        ev(v).via[p] += 1
        for v, s in three.items():
            found[v].terms["second"] = w["second"] * s / math.sqrt(len(adj[v]))
    for v, s in two.items():
        found[v].terms["shared"] = w["shared"] * s
    # places near the place and near its partners
    if w["nearby"]:
        near_u = index.near(iri)
        for y, d in near_u:
            if y in adj:
                k = math.exp(-d / 15.0) / len(adj[y])
                for v in adj[y]:
                    if v not in blocked:
                        e = ev(v)
                        e.terms["nearby"] = e.terms.get("nearby", 0.0) + w["nearby"] * k
                        e.nearby.append((y, v, d))
        for p in partners:
            for v, d in index.near(p):
                if v not in blocked and v in adj:
                    e = ev(v)
                    e.terms["nearby"] = e.terms.get("nearby", 0.0) + w["nearby"] * math.exp(-d / 15.0) / len(partners)
                    e.nearby.append((p, v, d))
    # country pairs: u's country's partner countries, their most related places
    place = index.places.get(iri)
    if w["countries"] and place is not None and place.country:
        pairs, weight = index.country_pairs(graphs)
        out = pairs.get(place.country, Counter())
        total = sum(out.values())
        for country, n in out.most_common(15):
            for v in index.places_of_country(country, graphs)[:60]:
                if v not in blocked:
                    e = ev(v)
                    e.country_links = n
                    e.terms["countries"] = w["countries"] * (n / total) * len(adj[v]) / weight[country]
    # profile, for the candidates found and for the places sharing a membership or statement
    if w["profile"] and place is not None:
        for v, e in found.items():
            other = index.places.get(v)
            if other is not None:
                s, shared = profile_overlap(place, other, cache=index.profile_cache)
                e.profile = shared
                e.terms["profile"] = w["profile"] * s
    candidates = list(found.values())
    if field_iri is not None:
        candidates = [e for e in candidates if _in_field(index.places.get(e.iri), field_iri)]
    for e in candidates:
        e.score = sum(e.terms.values())
    candidates = [e for e in candidates if e.score > 0]
    candidates.sort(key=lambda e: (-e.score, e.iri))
    best = candidates[:top]
    if place is not None and not w["profile"]:
        for e in best:  # reasons name the shared profile even when the score did not use it
            other = index.places.get(e.iri)
            if other is not None:
                e.profile = profile_overlap(place, other)[1]
    return best


_POOL_KINDS = ("membership", "statement", "institution", "field", "region")


def _in_field(place: Place | None, field_iri: str) -> bool:
    return place is not None and (field_iri in place.fields or field_iri in place.institution_fields)


def similar(index: PartnerIndex, iri: str, *, top: int = 10, field_iri: str | None = None) -> list[Evidence]:
    """Places with the most similar profile (partners or not), best first."""
    place = index.places.get(iri)
    if place is None:
        return []
    features = profile_features(place)
    # candidates: places sharing a rarer feature than the country (membership, statement, institution, field,
    # region, size with the same country); scoring all 30k places would cost more than it tells
    by_feature = index.feature_places(profile_features)
    pool = {v for kind in _POOL_KINDS for f in features[kind] for v in by_feature.get((kind, f), ())} - {iri}
    out = []
    for v in pool:
        other = index.places[v]
        if field_iri is not None and not _in_field(other, field_iri):
            continue
        s, shared = profile_overlap(place, other, cache=index.profile_cache)
        if s > 0:
            out.append(Evidence(v, score=s, profile=shared, terms={"profile": s}))
    out.sort(key=lambda e: (-e.score, e.iri))
    return out[:top]
