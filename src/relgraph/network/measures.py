"""The measures of a network, computed once per network and kept with it.

Exact where that is cheap; on big components the path measures and
betweenness are estimated from a seeded sample of BFS sources and say so
(``method``, ``sources``; the diameter is then a lower bound from the BFS
sweeps; the average path states its standard error). The sample is
:data:`SAMPLES` sources, fewer on huge graphs: at most :data:`BFS_BUDGET`
node and edge visits in all, and at least :data:`MIN_SAMPLES` sources (a
million agreements: 20 sources, 2–3 s each for paths and betweenness, instead
of 200 in 50 s). Definitions follow networkx (the tests' oracle): average clustering
counts nodes of degree < 2 as 0; betweenness is normalised by
(n-1)(n-2)/2; PageRank has damping 0.85 and ignores weights; communities
are Leiden's, optimising modularity, seeded (the same data gives the same
partition).
"""

from __future__ import annotations

import bisect
import math
import random
import statistics
import threading
from collections import Counter, defaultdict
from functools import cached_property
from typing import Any

import igraph as ig

from .graph import Network

__all__ = ["BFS_BUDGET", "EXACT_LIMIT", "MIN_SAMPLES", "SAMPLES", "SEED", "Analysis"]

#: Components up to this many nodes get exact paths and betweenness (all-pairs BFS).
EXACT_LIMIT = 4000
#: BFS sources sampled above that.
SAMPLES = 200
#: Node and edge visits the sampled BFS may make in all (sources × (nodes + edges)); the world data's
#: 200 sources stay far below, the synthetic million agreements (1.6M per BFS) get 20 sources.
BFS_BUDGET = 32_000_000
#: Never fewer sources than this, whatever the size.
MIN_SAMPLES = 10
SEED = 42

_RNG_LOCK = threading.Lock()


def _finite(x: float) -> float | None:
    return None if x is None or math.isnan(x) or math.isinf(x) else float(x)


def _seeded(seed: int, fn: Any) -> Any:
    """Run ``fn`` with igraph's random numbers from a seeded generator (igraph's is process-wide)."""
    with _RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))  # noqa: S311 (reproducible, not secret)
        try:
            return fn()
        finally:
            ig.set_random_number_generator(random)


class Analysis:
    """Measures of one :class:`Network`, each computed on first use."""

    def __init__(
        self,
        network: Network,
        *,
        exact_limit: int = EXACT_LIMIT,
        samples: int = SAMPLES,
        seed: int = SEED,
        bfs_budget: int = BFS_BUDGET,
    ):
        self.network = network
        self.g = network.graph
        self.exact_limit, self.samples, self.seed, self.bfs_budget = exact_limit, samples, seed, bfs_budget
        self._lock = threading.RLock()

    def __getstate__(self) -> dict[str, Any]:
        """Everything computed so far, without the lock (:mod:`relgraph.network.shared` writes it to a file)."""
        state = dict(self.__dict__)
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()

    # --- structure ----------------------------------------------------------------------------

    @cached_property
    def degrees(self) -> list[int]:
        return self.g.degree()

    @cached_property
    def components(self) -> ig.VertexClustering:
        return self.g.connected_components()

    @cached_property
    def giant(self) -> ig.Graph:
        if self.g.vcount() == 0:
            return ig.Graph()
        return self.components.giant()

    def _sources(self, g: ig.Graph) -> list[int]:
        """Seeded BFS sources: ``samples`` of them, fewer when that would pass the BFS budget."""
        n = g.vcount()
        k = min(self.samples, max(MIN_SAMPLES, self.bfs_budget // max(1, n + g.ecount())))
        return random.Random(self.seed).sample(range(n), min(n, k))  # noqa: S311

    @cached_property
    def paths(self) -> dict[str, Any]:
        """Average shortest path and diameter of the largest component."""
        g = self.giant
        n = g.vcount()
        if n < 2:
            return {
                "method": "exact",
                "sources": n,
                "average_shortest_path": None,
                "standard_error": None,
                "diameter": 0,
                "lower_bound": False,
            }
        if n <= self.exact_limit:
            return {
                "method": "exact",
                "sources": n,
                "average_shortest_path": float(g.average_path_length(directed=False)),
                "standard_error": None,
                "diameter": int(g.diameter(directed=False)),
                "lower_bound": False,
            }
        sources = self._sources(g)
        means: list[float] = []
        diameter = 0
        first: list[int] = []
        for s in sources:  # one row at a time: 200 rows of a million nodes would not fit
            row = g.distances(source=[s])[0]  # the giant component is connected: all finite
            means.append(sum(row) / (n - 1))
            diameter = max(diameter, max(row))
            first = first or row
        # double sweep: the farthest node from a far node is a good diameter candidate
        row = first
        for _ in range(3):
            far = row.index(max(row))
            row = g.distances(source=[far])[0]
            diameter = max(diameter, max(row))
        k = len(sources)
        # the sources are drawn without replacement: the finite-population correction applies
        error = statistics.stdev(means) / math.sqrt(k) * math.sqrt(1 - k / n) if k > 1 else None
        return {
            "method": "sampled",
            "sources": k,
            "average_shortest_path": sum(means) / k,
            "standard_error": error,
            "diameter": diameter,
            "lower_bound": True,
        }

    # --- centrality -----------------------------------------------------------------------------

    @cached_property
    def betweenness(self) -> tuple[list[float], str, int]:
        """Normalised betweenness per vertex, the method and the number of BFS sources."""
        g = self.g
        n = g.vcount()
        if n < 3:
            return [0.0] * n, "exact", n
        scale = 2.0 / ((n - 1) * (n - 2))
        if self.giant.vcount() <= self.exact_limit:
            values = g.betweenness(directed=False)
            return [b * scale for b in values], "exact", n
        # Brandes–Pich: dependencies from k sampled sources, scaled by n/k (undirected: halved)
        sources = self._sources(g)
        values = g.betweenness(directed=False, sources=sources, targets=None)
        factor = n / len(sources) * scale
        return [b * factor for b in values], "sampled", len(sources)

    @cached_property
    def pagerank(self) -> list[float]:
        if self.g.vcount() == 0:
            return []
        return list(self.g.pagerank(directed=False, damping=0.85))

    @cached_property
    def _sorted_degrees(self) -> list[int]:
        return sorted(self.degrees)

    @cached_property
    def _sorted_pagerank(self) -> list[float]:
        return sorted(self.pagerank)

    def degree_rank(self, v: int) -> int:
        """1 + the number of nodes with a higher degree (ties share a rank)."""
        d = self.degrees[v]
        return len(self.degrees) - bisect.bisect_right(self._sorted_degrees, d) + 1

    def pagerank_percentile(self, v: int) -> float:
        """Share of nodes (in %) with a lower PageRank."""
        n = len(self.pagerank)
        return 100.0 * bisect.bisect_left(self._sorted_pagerank, self.pagerank[v]) / n if n else 0.0

    # --- communities ---------------------------------------------------------------------------

    @cached_property
    def communities(self) -> ig.VertexClustering:
        g = self.g
        if g.vcount() == 0:
            return ig.VertexClustering(g, [])

        def run() -> ig.VertexClustering:
            # two iterations (igraph's default): 0.2 s on the world data against 2.7 s until stable,
            # for a modularity 0.006 lower (0.739 / 0.745)
            return g.community_leiden(objective_function="modularity", n_iterations=2)

        found = _seeded(self.seed, run)
        # number communities by size, biggest first, so that "community 1" means something
        sizes = Counter(found.membership)
        order = {c: i for i, (c, _) in enumerate(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])))}
        return ig.VertexClustering(g, [order[c] for c in found.membership])

    @cached_property
    def modularity(self) -> float | None:
        if self.g.ecount() == 0:
            return None
        return float(self.g.modularity(self.communities.membership))

    # --- summaries -----------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Every scalar measure, the degree distribution and growth by year, as JSON values."""
        with self._lock:
            return self._stats

    @cached_property
    def _stats(self) -> dict[str, Any]:
        net, g = self.network, self.g
        n, m = g.vcount(), g.ecount()
        sizes = sorted(self.components.sizes(), reverse=True) if n else []
        giant = self.giant
        distribution = sorted(Counter(self.degrees).items())
        comm = Counter(self.communities.membership)
        _, bmethod, bsources = self.betweenness
        same = sum(c for (a, b), c in net.country_pairs.items() if a == b)
        return {
            "spec": net.spec.describe(),
            "relations": net.relations,
            "nodes": n,
            "edges": m,
            "components": len(sizes),
            "largest_component": {
                "nodes": giant.vcount(),
                "edges": giant.ecount(),
                "share_of_nodes": giant.vcount() / n if n else None,
            },
            "density": 2 * m / (n * (n - 1)) if n > 1 else None,
            "mean_degree": 2 * m / n if n else None,
            "max_degree": max(self.degrees) if n else 0,
            "degree_distribution": [[k, c] for k, c in distribution],
            "average_clustering": _finite(g.transitivity_avglocal_undirected(mode="zero")) if n else None,
            "transitivity": _finite(g.transitivity_undirected()) if m else None,
            "degree_assortativity": _finite(g.assortativity_degree(directed=False)) if m else None,
            "paths": self.paths,
            "betweenness": {"method": bmethod, "sources": bsources},
            "communities": {
                "method": "leiden (modularity)",
                "count": len(comm),
                "modularity": self.modularity,
                "largest": [c for _, c in comm.most_common(10)],
            },
            "same_country_share": same / net.placed_links if net.placed_links else None,
            "placed_links": net.placed_links,
            "unplaced_relations": net.unplaced,
            "internal_relations": net.internal,
            "growth": self.growth(),
            "undated_links": sum(1 for y in net.edge_years if not y),
        }

    def growth(self) -> list[dict[str, int]]:
        """Links by the year of their first dated relation, and the running total of dated links."""
        years = Counter(y for y in self.network.edge_years if y)
        out, total = [], 0
        for year in sorted(years):
            total += years[year]
            out.append({"year": year, "new": years[year], "total": total})
        return out

    def top(self, by: str = "degree", limit: int = 20, *, lang: str = "en") -> list[dict[str, Any]]:
        """The ``limit`` most central nodes by ``degree``, ``betweenness`` or ``pagerank``."""
        choices: dict[str, list[int] | list[float]] = {
            "degree": self.degrees,
            "betweenness": self.betweenness[0],
            "pagerank": self.pagerank,
        }
        scores = choices[by]
        order = sorted(range(len(scores)), key=lambda v: (-scores[v], self.network.iri(v)))[:limit]
        self.network.data.load_labels(self.network.vertices[v] for v in order)
        return [self.node(v, lang=lang) for v in order]

    def node(self, v: int, *, lang: str = "en") -> dict[str, Any]:
        """One node's figures."""
        net = self.network
        data = net.data
        node = net.vertices[v]
        n = self.g.vcount()
        return {
            "iri": net.iri(v),
            "label": data.label(node, lang),
            "country": net.country_of(v),
            "degree": self.degrees[v],
            "degree_centrality": self.degrees[v] / (n - 1) if n > 1 else 0.0,
            "rank": self.degree_rank(v),
            "betweenness": self.betweenness[0][v],
            "pagerank": self.pagerank[v],
            "pagerank_percentile": self.pagerank_percentile(v),
            "community": self.communities.membership[v] + 1,
        }

    @cached_property
    def _members(self) -> dict[int, list[int]]:
        """Each community's vertices, most links first: sorted once (every place page shows its community's
        best-linked members, and sorting the 64,000 of the busiest city's took 0.1-0.4 s per page at 1M)."""
        members: dict[int, list[int]] = defaultdict(list)
        for v, c in enumerate(self.communities.membership):
            members[c].append(v)
        for vs in members.values():
            vs.sort(key=lambda v: (-self.degrees[v], self.network.iri(v)))
        return dict(members)

    def community_members(self, community: int) -> list[int]:
        """Vertices of a community (numbered from 1, biggest first), most links first."""
        with self._lock:
            return list(self._members.get(community - 1, ()))

    def community_list(self, limit: int = 20, *, members: int = 10, lang: str = "en") -> list[dict[str, Any]]:
        """The biggest communities with their best-linked members and their main countries."""
        out = []
        sizes = Counter(self.communities.membership)
        for c, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]:
            vs = self.community_members(c + 1)
            self.network.data.load_labels(self.network.vertices[v] for v in vs[:members])
            countries = Counter(self.network.country_of(v) for v in vs if self.network.country_of(v))
            out.append(
                {
                    "community": c + 1,
                    "size": size,
                    "countries": [{"country": k, "nodes": n} for k, n in countries.most_common(5)],
                    "members": [self.node(v, lang=lang) for v in vs[:members]],
                }
            )
        return out

    def country_matrix(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Links between places per pair of countries (unordered; a == b: links within a country), most first."""
        names = self.network.data.nodes.names
        pairs = sorted(self.network.country_pairs.items(), key=lambda kv: (-kv[1], names[kv[0][0]], names[kv[0][1]]))
        return [{"a": names[a], "b": names[b], "links": c} for (a, b), c in pairs[:limit]]

    def country_totals(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Links per country (a link within a country counts once), most first."""
        names = self.network.data.nodes.names
        totals: Counter[int] = Counter()
        for (a, b), c in self.network.country_pairs.items():
            totals[a] += c
            if b != a:
                totals[b] += c
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], names[kv[0]]))
        return [{"country": names[c], "links": n} for c, n in ranked[:limit]]
