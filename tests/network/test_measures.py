"""Each measure on the fixture network against networkx (the oracle), and what the filters select.

The expected edge lists are written out from ``data/network.trig`` by hand;
networkx computes the measures on them independently of igraph.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest
from network_support import GRAPH, ID

from relgraph.errors import UsageError
from relgraph.network import Analysis, build_network, parse_spec


def p(n: int) -> str:
    return f"{ID}city/p{n}"


def edges_of(analysis: Analysis) -> set[frozenset[str]]:
    net = analysis.network
    return {frozenset((net.iri(a), net.iri(b))) for a, b in net.graph.get_edgelist()}


def expected(*pairs: tuple[int, int]) -> set[frozenset[str]]:
    return {frozenset((p(a), p(b))) for a, b in pairs}


#: every agreement, all graphs: a1..a8, and a9 (three parties) as a triangle
ALL = ((1, 2), (2, 3), (1, 3), (3, 4), (4, 5), (5, 6), (4, 6), (6, 7), (7, 8), (7, 9), (8, 9))


def oracle(analysis: Analysis) -> nx.Graph:
    g = nx.Graph()
    g.add_edges_from(tuple(e) for e in edges_of(analysis))
    return g


@pytest.fixture(scope="module")
def default(relation_data) -> Analysis:
    return Analysis(build_network(relation_data, parse_spec()))


def test_default_network_links_every_agreement(default) -> None:
    assert edges_of(default) == expected(*ALL)
    assert default.network.relations == 9


def test_scalar_measures_match_networkx(default) -> None:
    g = oracle(default)
    stats = default.stats()
    assert stats["nodes"] == g.number_of_nodes() == 9
    assert stats["edges"] == g.number_of_edges()
    assert stats["components"] == nx.number_connected_components(g)
    giant = g.subgraph(max(nx.connected_components(g), key=len))
    assert stats["largest_component"]["nodes"] == giant.number_of_nodes()
    assert stats["density"] == pytest.approx(nx.density(g))
    assert dict(stats["degree_distribution"]) == Counter(d for _, d in g.degree())
    assert stats["max_degree"] == max(d for _, d in g.degree())
    assert stats["average_clustering"] == pytest.approx(nx.average_clustering(g))
    assert stats["transitivity"] == pytest.approx(nx.transitivity(g))
    assert stats["degree_assortativity"] == pytest.approx(nx.degree_assortativity_coefficient(g))
    assert stats["paths"]["method"] == "exact"
    assert stats["paths"]["average_shortest_path"] == pytest.approx(nx.average_shortest_path_length(giant))
    assert stats["paths"]["diameter"] == nx.diameter(giant)


def test_centralities_match_networkx(default) -> None:
    g = oracle(default)
    between = nx.betweenness_centrality(g)
    # the pure-Python power iteration (nx.pagerank needs scipy)
    rank = nx.algorithms.link_analysis.pagerank_alg._pagerank_python(g, alpha=0.85, tol=1e-12, max_iter=1000)
    degree = nx.degree_centrality(g)
    for v in range(default.g.vcount()):
        node = default.node(v)
        iri = node["iri"]
        assert node["betweenness"] == pytest.approx(between[iri], abs=1e-9)
        assert node["pagerank"] == pytest.approx(rank[iri], abs=1e-6)
        assert node["degree_centrality"] == pytest.approx(degree[iri])
    top = default.top("degree", 3)
    assert [t["degree"] for t in top] == sorted((d for _, d in g.degree()), reverse=True)[:3]
    assert top[0]["rank"] == 1


def test_sampled_mode_with_every_source_equals_exact(relation_data) -> None:
    """Below the exact limit nothing is sampled; with the limit at 0 and as many samples as nodes it must agree."""
    sampled = Analysis(build_network(relation_data, parse_spec()), exact_limit=0, samples=100)
    g = oracle(sampled)
    giant = g.subgraph(max(nx.connected_components(g), key=len))
    paths = sampled.paths
    assert paths["method"] == "sampled" and paths["lower_bound"] is True
    assert paths["average_shortest_path"] == pytest.approx(nx.average_shortest_path_length(giant))
    assert paths["diameter"] == nx.diameter(giant)
    values, method, _ = sampled.betweenness
    assert method == "sampled"
    between = nx.betweenness_centrality(g)
    for v, b in enumerate(values):
        assert b == pytest.approx(between[sampled.network.iri(v)], abs=1e-9)


def test_communities_and_modularity(default) -> None:
    g = oracle(default)
    membership = default.communities.membership
    groups: dict[int, set[str]] = {}
    for v, c in enumerate(membership):
        groups.setdefault(c, set()).add(default.network.iri(v))
    assert default.modularity == pytest.approx(nx.community.modularity(g, list(groups.values())))
    assert default.modularity > 0.3 and len(groups) >= 2
    # the two triangles at the ends are never split
    assert len({membership[default.network.vertex_of(p(n))] for n in (7, 8, 9)}) == 1
    again = Analysis(build_network(default.network.data, parse_spec()))
    assert again.communities.membership == membership  # seeded: the same data gives the same partition


def test_countries_and_growth(default) -> None:
    pairs = {(r["a"].rsplit("/", 1)[-1], r["b"].rsplit("/", 1)[-1]): r["links"] for r in default.country_matrix()}
    # p9 has no country: its two links are not placed
    assert pairs == {("de", "de"): 1, ("de", "fr"): 2, ("fr", "fr"): 2, ("fr", "it"): 2, ("it", "it"): 2}
    assert default.stats()["same_country_share"] == pytest.approx(5 / 9)
    growth = default.growth()
    assert growth == [
        {"year": 1990, "new": 1, "total": 1},
        {"year": 2000, "new": 1, "total": 2},
        {"year": 2010, "new": 1, "total": 3},
    ]


def test_graph_restriction(relation_data) -> None:
    only_b = Analysis(build_network(relation_data, parse_spec(graphs=[GRAPH + "test-net-b"])))
    assert edges_of(only_b) == expected((1, 2), (6, 7), (7, 8), (7, 9), (8, 9))
    only_a = Analysis(build_network(relation_data, parse_spec(graphs=[GRAPH + "test-net-a"])))
    assert edges_of(only_a) == expected(*ALL[:7])
    both = build_network(relation_data, parse_spec(graphs=[GRAPH + "test-net-a", GRAPH + "test-net-b"]))
    assert both.graph.ecount() == len(ALL)


def test_active_on(relation_data) -> None:
    def on(day: str) -> set[frozenset[str]]:
        return edges_of(Analysis(build_network(relation_data, parse_spec(active_on=day))))

    assert on("1989-12-31") == set()
    assert on("1990-01-01") == expected((1, 2))  # a year compares on its period
    assert on("2003-01-01") == expected((1, 2), (2, 3))
    assert on("2010-06-15") == expected((1, 2), (3, 4))  # a2 ended in 2005
    assert on("2010-05-31") == expected((1, 2))


def test_kinds(relation_data) -> None:
    twinning = Analysis(build_network(relation_data, parse_spec(kinds=["twinning"])))
    assert edges_of(twinning) == expected((1, 2), (2, 3), (3, 4), (5, 6), (6, 7))
    mou = Analysis(build_network(relation_data, parse_spec(kinds=["mou", "untyped"])))
    assert edges_of(mou) == expected((4, 6), (4, 5))
    members = Analysis(build_network(relation_data, parse_spec(kinds=["co-membership", "co-signature"])))
    assert edges_of(members) == expected((1, 9), (1, 6), (6, 9), (2, 8))


def test_country_level(relation_data) -> None:
    net = build_network(relation_data, parse_spec(level="country"))
    a = Analysis(net)
    links = {frozenset(x.rsplit("/", 1)[-1] for x in e) for e in edges_of(a)}
    assert links == {frozenset(("de", "fr")), frozenset(("fr", "it"))}
    assert sorted(net.graph.es["weight"]) == [2, 2]  # de–fr: a2, a3; fr–it: a6, a7
    assert net.internal == 4  # a1 (de), a4 and a5 (fr), a8 (it): within one country, no link
    assert net.unplaced == 1  # a9: p9 has no country
    region = build_network(relation_data, parse_spec(level="region"))
    assert region.graph.ecount() == 0 and region.unplaced == 9


def test_bad_options_say_what() -> None:
    with pytest.raises(UsageError, match="--kind twining: unknown kind"):
        parse_spec(kinds=["twining"])
    with pytest.raises(UsageError, match="--active-on 2024-02-30: no such day"):
        parse_spec(active_on="2024-02-30")
    with pytest.raises(UsageError, match="--graph 'not an iri'"):
        parse_spec(graphs=["not an iri"])
    with pytest.raises(UsageError, match="--level"):
        parse_spec(level="planet")
