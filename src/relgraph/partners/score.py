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

``score = shared + 2·second + 0.6·nearby + 100·countries + 0.05·profile``
(:data:`WEIGHTS`, chosen by a grid search on seed 0 of ``bench/partners.py``,
1,000 held-out places of each source; the figures in ``bench/README.md`` are
of seeds 1–5). The country term is small per candidate (a share of a share),
hence its large weight. Profile similarity alone (the share of profile
features both have) ranks the "similar places" list.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .index import PartnerIndex, Place, profile_features

__all__ = [
    "NETWORK_ONLY",
    "WEIGHTS",
    "Evidence",
    "evidence_terms",
    "explain",
    "overlap_score",
    "profile_overlap",
    "rank",
]

WEIGHTS = {"shared": 1.0, "second": 2.0, "nearby": 0.6, "countries": 100.0, "profile": 0.05}
NETWORK_ONLY = {"shared": 1.0, "second": 2.0, "nearby": 0.0, "countries": 0.0, "profile": 0.0}


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


def overlap_score(a: Place, b: Place, *, cache: dict[str, dict[str, set[str]]]) -> float:
    """The score of :func:`profile_overlap` alone (no lists of shared features: the cheap part for many places)."""
    fa = cache.get(a.iri)
    if fa is None:
        fa = cache[a.iri] = profile_features(a)
    fb = cache.get(b.iri)
    if fb is None:
        fb = cache[b.iri] = profile_features(b)
    total = union = 0
    for k, x in fa.items():
        y = fb[k]
        n = len(x & y) if x and y else 0
        total += n
        union += len(x) + len(y) - n
    return total / union if union else 0.0


def evidence_terms(
    index: PartnerIndex,
    iri: str,
    *,
    graphs: Iterable[str] | None = None,
    kinds: Iterable[str] = ("shared", "second", "nearby", "countries", "profile"),
    exclude: Iterable[str] = (),
) -> dict[str, dict[str, float]]:
    """Candidate → raw evidence term → value (unweighted), for the terms in ``kinds``.

    Candidates are the places reached by any term; the place itself and the places
    it already relates to (in ``graphs``) never are.
    """
    wanted = set(kinds)
    adj = index.adjacency(graphs)
    partners = adj.get(iri, set())
    blocked = set(partners) | {iri} | set(exclude)
    out: dict[str, dict[str, float]] = defaultdict(dict)
    deg = {p: len(adj.get(p, ())) for p in partners}
    net = index.arrays(graphs) if partners and wanted & {"shared", "second"} else None
    if net is not None:
        # sums over the paths u – p – v (shared partners) and u – p – z – v (three steps) as array sums:
        # a hub's paths of three steps are hundreds of millions at a million agreements
        mine = np.fromiter((net.ids[p] for p in partners), dtype=np.int64, count=len(partners))
        n = len(net.names)
        first = net.rows(mine)  # the z of every path u – p – z, p by p
        terms: list[tuple[str, Any]] = []
        if "shared" in wanted:
            weight = np.array([1.0 / math.log(deg[p]) if deg[p] > 1 else 0.0 for p in partners])
            terms.append(("shared", np.bincount(first, weights=np.repeat(weight, net.degree[mine]), minlength=n)))
        if "second" in wanted:
            dp = np.repeat(net.degree[mine], net.degree[mine]).astype(np.float64)
            k = 1.0 / np.sqrt(dp * net.degree[first])
            keep = first != net.ids[iri]
            at = np.bincount(first[keep], weights=k[keep], minlength=n)
            reached = np.flatnonzero(at)
            three = np.bincount(net.rows(reached), weights=np.repeat(at[reached], net.degree[reached]), minlength=n)
            terms.append(("second", three / np.sqrt(np.maximum(net.degree, 1))))
        for name, values in terms:
            found = np.flatnonzero(values)
            for v, x in zip([net.names[i] for i in found], values[found].tolist(), strict=True):
                if v not in blocked:
                    out[v][name] = x
    if "nearby" in wanted:
        for y, d in index.near(iri):
            if y in adj:
                k = math.exp(-d / 15.0) / len(adj[y])
                for v in adj[y]:
                    if v not in blocked:
                        t = out[v]
                        t["nearby"] = t.get("nearby", 0.0) + k
        for p in partners:
            for v, d in index.near(p):
                if v not in blocked and v in adj:
                    t = out[v]
                    t["nearby"] = t.get("nearby", 0.0) + math.exp(-d / 15.0) / len(partners)
    place = index.places.get(iri)
    if "countries" in wanted and place is not None and place.country:
        pairs, country_weight = index.country_pairs(graphs)
        ties = pairs.get(place.country, Counter())
        total = sum(ties.values())
        for country, n in ties.most_common(15):
            for v in index.places_of_country(country, graphs)[:60]:
                if v not in blocked:
                    out[v]["countries"] = (n / total) * len(adj[v]) / country_weight[country]
    if "profile" in wanted and place is not None:
        _add_profile(index, place, out)
    return out


def _add_profile(index: PartnerIndex, place: Place, out: Mapping[str, dict[str, float]]) -> None:
    for v, t in out.items():
        other = index.places.get(v)
        if other is not None:
            t["profile"] = overlap_score(place, other, cache=index.profile_cache)


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
    """The ``top`` candidates for ``iri``, best first, with their evidence; never a place it already relates to."""
    w = weights or WEIGHTS
    kinds = [k for k, v in w.items() if v]
    terms = evidence_terms(index, iri, graphs=graphs, kinds=[k for k in kinds if k != "profile"], exclude=exclude)
    if field_iri is not None:
        terms = {v: t for v, t in terms.items() if _in_field(index.places.get(v), field_iri)}
    place = index.places.get(iri)
    if "profile" in kinds and place is not None:
        # the profile term is at most its weight (an overlap is at most 1): it is computed only for the
        # candidates it can bring into the top, the same answer as for all of them
        rest = sorted((sum(w[k] * x for k, x in t.items()) for t in terms.values()), reverse=True)
        floor = rest[top - 1] - w["profile"] - 1e-9 if len(rest) > top else -math.inf
        _add_profile(index, place, {v: t for v, t in terms.items() if sum(w[k] * x for k, x in t.items()) >= floor})
    scored = []
    for v, t in terms.items():
        score = sum(w[k] * x for k, x in t.items())
        if score > 0:
            scored.append((score, v))
    best = heapq.nsmallest(top, scored, key=lambda sv: (-sv[0], sv[1]))
    return [
        explain(index, iri, v, score, {k: w[k] * x for k, x in terms[v].items()}, graphs=graphs) for score, v in best
    ]


def explain(
    index: PartnerIndex,
    iri: str,
    v: str,
    score: float,
    terms: dict[str, float],
    *,
    graphs: Iterable[str] | None = None,
) -> Evidence:
    """The items behind one candidate's evidence (shared partners, paths, places near, countries, profile)."""
    adj = index.adjacency(graphs)
    partners = adj.get(iri, set())
    theirs = adj.get(v, set())
    e = Evidence(v, score=score, terms=terms)
    e.shared = sorted(partners & theirs)
    if partners and theirs:  # |partners of p ∩ partners of v| for every partner p, as one array sum
        net = index.arrays(graphs)
        counts = np.bincount(
            net.rows(np.fromiter((net.ids[z] for z in theirs if z != iri), dtype=np.int64)), minlength=len(net.names)
        )
        for p, n in zip(partners, counts[[net.ids[p] for p in partners]].tolist(), strict=True):
            if n:
                e.via[p] = n
    if terms.get("nearby"):
        e.nearby = [(y, v, d) for y, d in index.near(iri) if v in adj.get(y, ())]
        e.nearby += [(p, v, d) for p in partners for y, d in index.near(p) if y == v]
    place, other = index.places.get(iri), index.places.get(v)
    if place is not None and other is not None:
        if terms.get("countries") and place.country and other.country:
            e.country_links = index.country_pairs(graphs)[0].get(place.country, Counter()).get(other.country, 0)
        e.profile = profile_overlap(place, other, cache=index.profile_cache)[1]
    return e


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
    # the overlap counted through the places of each feature (the same integers as overlap_score: one
    # step per (feature, place), not a comparison of whole profiles per candidate)
    counts: Counter[str] = Counter()
    for kind in _POOL_KINDS:
        for f in features[kind]:
            counts.update(by_feature.get((kind, f), ()))
    counts.pop(iri, None)
    totals = index.feature_totals(profile_features)
    mine = sum(len(x) for x in features.values())
    size, country = features["size"], features["country"]
    scored = []
    for v, n in counts.items():
        if field_iri is not None and not _in_field(index.places[v], field_iri):
            continue
        their_size, their_country = index.brief(v)
        if size and their_size is not None:
            n += str(their_size) in size
        if country and their_country is not None:
            n += their_country in country
        union = mine + totals[v] - n
        s = n / union if union else 0.0
        if s > 0:
            scored.append((s, v))
    out = []
    for s, v in heapq.nsmallest(top, scored, key=lambda sv: (-sv[0], sv[1])):  # the shared features of these only
        shared = profile_overlap(place, index.places[v], cache=index.profile_cache)[1]
        out.append(Evidence(v, score=s, profile=shared, terms={"profile": s}))
    return out
