"""One network as an igraph graph: the relations a :class:`NetworkSpec` selects, aggregated to its level.

Why igraph (python-igraph): its core is C, the graph is a compact edge list
(a million edges in tens of MB), and everything the measures need is built in
and exact where networkx is (clustering, assortativity, PageRank, subset
betweenness for sampling, Leiden and Louvain communities), with wheels for
every platform. networkx, pure Python, is one to two orders of magnitude
slower at a million edges; it stays the tests' independent oracle.

The graph is simple and undirected: vertices are the places and organisations
(or regions, or countries) that take part in at least one selected relation;
two of them are linked when at least one relation joins them. A relation with
more than two parties (a multilateral agreement, a network's members, a joint
statement's signatories) links every pair of them. The edge attribute
``weight`` counts the relations behind a link.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

import igraph as ig

from .data import RelationData
from .spec import NetworkSpec

__all__ = ["Network", "build_network", "edge_graph_ids"]


@dataclass
class Network:
    """A network and what its building counted (see the module's docstring)."""

    spec: NetworkSpec
    data: RelationData
    graph: ig.Graph
    #: vertex -> node id in ``data.nodes``
    vertices: list[int]
    #: per edge: the source graphs (ids in ``data.graphs``), the relation kinds, the first year or 0
    edge_graphs: list[int | frozenset[int]]
    edge_kinds: list[frozenset[str]]
    edge_years: list[int]
    relations: int = 0
    #: relations left out because a party has no region/country at this level
    unplaced: int = 0
    #: relations whose parties all fall into one region/country at this level (no link)
    internal: int = 0
    #: (country id, country id) -> links between places of those countries (place pairs, any level)
    country_pairs: Counter[tuple[int, int]] = field(default_factory=Counter)
    #: links (place pairs) whose two places have a known country
    placed_links: int = 0
    _index: dict[int, int] | None = None

    def vertex_of(self, iri: str) -> int | None:
        """The vertex of a node IRI, or None when it is not in this network."""
        node = self.data.nodes.ids.get(iri)
        if node is None:
            return None
        if self._index is None:
            self._index = {n: v for v, n in enumerate(self.vertices)}
        return self._index.get(node)

    def iri(self, vertex: int) -> str:
        return self.data.nodes.names[self.vertices[vertex]]

    def country_of(self, vertex: int) -> str:
        node = self.vertices[vertex]
        if self.spec.level == "country":
            return self.data.nodes.names[node]
        c = self.data.country.get(node)
        return self.data.nodes.names[c] if c is not None else ""


def _as_set(graphs: int | frozenset[int]) -> frozenset[int]:
    return frozenset((graphs,)) if isinstance(graphs, int) else graphs


def edge_graph_ids(network: Network, edge: int) -> frozenset[int]:
    """The source graphs (ids in ``data.graphs``) of the relations behind an edge."""
    return _as_set(network.edge_graphs[edge])


def _active(began: str, until: str, day: str) -> bool:
    """In force on ``day``: started (at its precision) and not ended; undated relations are not."""
    if not began or began > day[: len(began)]:
        return False
    return not until or until >= day[: len(until)]


def build_network(data: RelationData, spec: NetworkSpec) -> Network:
    """The network ``spec`` asks for, from the relations in ``data``."""
    want = spec.relation_kinds
    selected: set[int] | None = None
    if spec.graphs:
        selected = {data.graphs.ids[g] for g in spec.graphs if g in data.graphs.ids}
    level = {"place": None, "region": data.region, "country": data.country}[spec.level]
    country = data.country
    start, party, graph = data.start, data.party, data.graph
    vertex: dict[int, int] = {}
    vertices: list[int] = []
    edge_at: dict[int, int] = {}
    pairs: list[tuple[int, int]] = []
    weights: list[int] = []
    # one graph id (int) or a frozenset of them, and the kinds' frozenset: a million edges stay small
    e_graphs: list[int | frozenset[int]] = []
    e_kinds: list[frozenset[str]] = []
    e_years: list[int] = []
    place_links: set[int] = set()
    country_pairs: Counter[tuple[int, int]] = Counter()
    placed = relations = unplaced = internal = 0
    day = spec.active_on
    wanted: dict[frozenset[str], bool] = {}  # per distinct set of kinds (a few objects, shared)
    began, until, all_kinds = data.began, data.until, data.kinds
    for r in range(data.relation_count):
        kinds = all_kinds[r]
        ok = wanted.get(kinds)
        if ok is None:
            ok = wanted[kinds] = bool(kinds & want)
        if not ok:
            continue
        if day is not None and not _active(began[r], until[r], day):
            continue
        i, j = start[r], start[r + 1]
        if j - i == 2 and selected is None:  # the common case: two parties, one assertion each
            a, b = party[i], party[i + 1]
            if a == b:
                continue
            ordered = [a, b] if a < b else [b, a]
            ga, gb = graph[i], graph[i + 1]
            one: int | frozenset[int] = ga if ga == gb else frozenset((ga, gb))
        else:
            parties: set[int] = set()
            graphs: set[int] = set()
            for k in range(i, j):
                if selected is None or graph[k] in selected:
                    parties.add(party[k])
                    graphs.add(graph[k])
            if len(parties) < 2:
                continue
            ordered = sorted(parties)
            one = next(iter(graphs)) if len(graphs) == 1 else frozenset(graphs)
        relations += 1
        if level is not None:  # at the place level the links are the edges: counted as they are made
            for a, b in combinations(ordered, 2):
                key = (a << 32) | b
                if key not in place_links:
                    place_links.add(key)
                    ca, cb = country.get(a), country.get(b)
                    if ca is not None and cb is not None:
                        country_pairs[(ca, cb) if ca <= cb else (cb, ca)] += 1
                        placed += 1
        if level is not None:
            mapped = {level.get(p) for p in ordered}
            if None in mapped:
                unplaced += 1
                continue
            if len(mapped) < 2:
                internal += 1
                continue
            ordered = sorted(mapped)
        year = int(began[r][:4]) if began[r][:4].isdigit() else 0
        for a, b in combinations(ordered, 2):
            key = (a << 32) | b
            e = edge_at.get(key)
            if e is None:
                if level is None:
                    ca, cb = country.get(a), country.get(b)
                    if ca is not None and cb is not None:
                        country_pairs[(ca, cb) if ca <= cb else (cb, ca)] += 1
                        placed += 1
                for n in (a, b):
                    if n not in vertex:
                        vertex[n] = len(vertices)
                        vertices.append(n)
                e = edge_at[key] = len(pairs)
                pairs.append((vertex[a], vertex[b]))
                weights.append(1)
                e_graphs.append(one)
                e_kinds.append(kinds)
                e_years.append(year)
                continue
            weights[e] += 1
            if e_graphs[e] != one:
                e_graphs[e] = _as_set(e_graphs[e]) | _as_set(one)
            if e_kinds[e] is not kinds:
                e_kinds[e] = e_kinds[e] | kinds
            if year and (not e_years[e] or year < e_years[e]):
                e_years[e] = year
    # canonical order, vertices by IRI and edges by their ends: the same relations give the same graph,
    # seeded samples and communities, in whatever order the rows came (the grouped read, the engine's pages)
    names = data.nodes.names
    by_iri = sorted(range(len(vertices)), key=lambda v: names[vertices[v]])
    renumber = [0] * len(vertices)
    for new, old in enumerate(by_iri):
        renumber[old] = new
    vertices = [vertices[v] for v in by_iri]
    keys = [(x << 32) | y if x < y else (y << 32) | x for x, y in ((renumber[a], renumber[b]) for a, b in pairs)]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    pairs = [(keys[e] >> 32, keys[e] & 0xFFFFFFFF) for e in order]
    weights = [weights[e] for e in order]
    e_graphs = [e_graphs[e] for e in order]
    e_kinds = [e_kinds[e] for e in order]
    e_years = [e_years[e] for e in order]
    g = ig.Graph(n=len(vertices), edges=pairs, directed=False)
    g.es["weight"] = weights
    return Network(
        spec=spec,
        data=data,
        graph=g,
        vertices=vertices,
        edge_graphs=e_graphs,
        edge_kinds=e_kinds,
        edge_years=e_years,
        relations=relations,
        unplaced=unplaced,
        internal=internal,
        country_pairs=country_pairs,
        placed_links=placed,
    )
