"""The network on a map: its most connected nodes with their coordinates and its strongest links.

What the network page draws over the world outlines (issue 15). Read from the network already built
(:class:`relgraph.network.Analysis`), so it costs no query: the coordinates came with the relations
(``RelationData.coords``). Nodes without coordinates (most regions and countries, organisations) are
kept with ``lat``/``long`` None so that the page lists them beside the map instead of dropping them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .measures import Analysis

__all__ = ["GeoLink", "GeoNode", "NetworkMap", "network_map"]


@dataclass(frozen=True)
class GeoNode:
    iri: str
    node: int  # id in ``data.nodes`` (for its label)
    degree: int
    lat: float | None = None
    long: float | None = None


@dataclass(frozen=True)
class GeoLink:
    a: str
    b: str
    weight: int  # relations behind the link


@dataclass(frozen=True)
class NetworkMap:
    nodes: list[GeoNode]
    links: list[GeoLink]


def network_map(analysis: Analysis, *, nodes: int = 300, links: int = 60) -> NetworkMap:
    """The ``nodes`` nodes of highest degree and the ``links`` heaviest links between located nodes.

    The ends of a drawn link are always among the nodes (added when their degree ranks lower), so
    every line ends at a marker. Ties break by IRI: the same network gives the same map.
    """
    network = analysis.network
    g, data = analysis.g, network.data
    degrees = analysis.degrees

    def located(v: int) -> bool:
        return network.vertices[v] in data.coords

    weights, ends = g.es["weight"] if g.ecount() else [], g.get_edgelist()
    # the heaviest first; only the few of the top weight classes need their IRIs for the tie-break
    located_edges = [i for i, (s, t) in enumerate(ends) if located(s) and located(t)]
    cut = sorted((weights[i] for i in located_edges), reverse=True)[links - 1] if len(located_edges) >= links else 0
    by_weight = sorted(
        (i for i in located_edges if weights[i] >= cut),
        key=lambda i: (-weights[i], sorted((network.iri(ends[i][0]), network.iri(ends[i][1])))),
    )[:links]
    ranked = sorted(range(g.vcount()), key=lambda v: (-degrees[v], network.iri(v)))[:nodes]
    chosen = dict.fromkeys(ranked)
    for i in by_weight:
        chosen.update(dict.fromkeys(ends[i]))

    def node(v: int) -> GeoNode:
        n = network.vertices[v]
        lat, long = data.coords.get(n, (None, None))
        return GeoNode(network.iri(v), n, degrees[v], lat, long)

    return NetworkMap(
        nodes=[node(v) for v in chosen],
        links=[GeoLink(network.iri(ends[i][0]), network.iri(ends[i][1]), int(weights[i])) for i in by_weight],
    )
