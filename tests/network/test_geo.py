"""The network on a map (:mod:`relgraph.network.geo`): which nodes and links the network page draws."""

from __future__ import annotations

import dataclasses

from network_support import ID

from relgraph.network import Analysis, build_network, parse_spec
from relgraph.network.geo import network_map


def p(n: int) -> str:
    return f"{ID}city/p{n}"


def test_most_connected_nodes_and_heaviest_located_links(relation_data) -> None:
    ids = relation_data.nodes.ids
    # p1..p6 have coordinates, p7..p9 none (the fixture itself places p1 only)
    coords = {ids[p(n)]: (50.0 + n, 10.0 * n) for n in range(1, 7)}
    data = dataclasses.replace(relation_data, coords=coords)
    drawn = network_map(Analysis(build_network(data, parse_spec())), nodes=4, links=3)
    # every link weighs 1: ties go by IRI; only links between two located nodes are drawn
    assert [(x.a, x.b) if x.a < x.b else (x.b, x.a) for x in drawn.links] == [(p(1), p(2)), (p(1), p(3)), (p(2), p(3))]
    assert all(x.weight == 1 for x in drawn.links)
    # the four of degree 3 (by IRI), then the ends of the drawn links
    assert [n.iri for n in drawn.nodes] == [p(3), p(4), p(6), p(7), p(1), p(2)]
    assert [n.degree for n in drawn.nodes] == [3, 3, 3, 3, 2, 2]
    by_iri = {n.iri: n for n in drawn.nodes}
    assert (by_iri[p(3)].lat, by_iri[p(3)].long) == (53.0, 30.0)
    assert by_iri[p(7)].lat is None and by_iri[p(7)].long is None  # kept, to be listed beside the map


def test_no_coordinates_no_lines(relation_data) -> None:
    data = dataclasses.replace(relation_data, coords={})
    drawn = network_map(Analysis(build_network(data, parse_spec())))
    assert drawn.links == [] and len(drawn.nodes) == 9
