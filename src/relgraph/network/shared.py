"""One network per data version for every HTTP process: the analysis written once as tables all of them map.

``relgraph serve`` runs several HTTP processes; each used to read and measure
the network itself (2.4 GB and a minute of CPU each at a million agreements),
then to unpickle one process's copy (about 520 MiB in each). Now one of them
(under ``<snapshots>/network.lock``) builds the default network, computes the
figures the pages and APIs show (stats, degrees, ranks, percentiles,
communities) and writes it to the folder ``<snapshots>/network-<FORMAT>-<data
key>/`` (:func:`relgraph.labelindex.data_key`: the same for every snapshot of
the same data) as mapped tables (:mod:`relgraph.mapped`): the relations' columns,
the IRIs as one text, the edges and each vertex's figures as arrays, the
summary as JSON. The others, and a restart on the same data, map that folder
(milliseconds; the pages are shared, :class:`MappedAnalysis`).

Nothing is unpickled: the folder holds numbers, text and JSON. Files of an
earlier layout (``network-<key>.pickle``) are never read, and removed with the
other data versions' when a folder is written.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..buildonce import build_once
from ..mapped import Column, Damaged, Folder, IdMap, Reader, Sorted, Table, remove_others
from .data import Interner, RelationData, RowSource
from .graph import Network
from .measures import Analysis
from .spec import NetworkSpec

if TYPE_CHECKING:
    import igraph as ig

__all__ = ["FORMAT", "load_shared", "shared_analysis", "shared_path"]

log = logging.getLogger(__name__)

#: Part of the folder's name and its manifest: a folder of another layout is not read.
FORMAT = "m1"


def shared_path(snapshot: Path) -> Path | None:
    """Where the analysis of ``snapshot``'s data is kept, or None (no data key: an empty snapshot)."""
    from ..labelindex import data_key

    key = data_key(snapshot)
    return snapshot.parent / f"network-{FORMAT}-{key}" if key is not None else None


def _sets(values: list[Any]) -> tuple[list[int], list[Any]]:
    """Ids into a table of the distinct values (frozensets, ints), in order of first use."""
    table: dict[Any, int] = {}
    ids = [table.setdefault(v, len(table)) for v in values]
    return ids, list(table)


def _encoded(value: Any) -> Any:
    """A table value as JSON: a frozenset as a sorted list, an int as it is."""
    return sorted(value) if isinstance(value, frozenset) else value


def _decoded(value: Any) -> Any:
    return frozenset(value) if isinstance(value, list) else value


def write(found: Analysis, path: Path) -> None:
    """Every figure computed, then the analysis as mapped tables in the folder ``path``."""
    g = found.g
    found.stats()  # every figure computed before writing: the readers only look them up
    if g.vcount():
        found.node(0)  # ranks, percentiles, communities
    net, data = found.network, found.network.data
    n_nodes = len(data.nodes.names)
    out = Folder(path, fmt=FORMAT)
    try:
        # the relations (every network of this data version is built from them)
        out.strings("nodes", data.nodes.names)
        out.array("nodes.order", sorted(range(n_nodes), key=data.nodes.names.__getitem__), np.int32)
        kind_ids, kinds = _sets(list(data.kinds))
        out.array("kinds", kind_ids, np.int32)
        for name in ("start", "party", "graph"):
            out.array(name, getattr(data, name), np.int32)
        out.strings("began", data.began)
        out.strings("until", data.until)
        out.array("country", IdMap.array(data.country, n_nodes), np.int32)
        out.array("region", IdMap.array(data.region, n_nodes), np.int32)
        coords = sorted(data.coords.items())
        out.array("coords.nodes", [n for n, _ in coords], np.int32)
        out.array("coords.values", np.asarray([c for _, c in coords], dtype=np.float64).reshape(-1, 2), np.float64)
        # the network of the default spec
        out.array("vertices", net.vertices, np.int32)
        out.array("edges", np.asarray(g.get_edgelist(), dtype=np.int32).reshape(-1, 2), np.int32)
        out.array("weights", g.es["weight"] if g.ecount() else [], np.int64)
        graph_ids, graph_sets = _sets(list(net.edge_graphs))
        out.array("edge_graphs", graph_ids, np.int32)
        edge_kind_ids, edge_kinds = _sets(list(net.edge_kinds))
        out.array("edge_kinds", edge_kind_ids, np.int32)
        out.array("edge_years", net.edge_years, np.int32)
        vertex_at = np.full(n_nodes, -1, dtype=np.int32)
        vertex_at[np.asarray(net.vertices, dtype=np.int64)] = np.arange(len(net.vertices), dtype=np.int32)
        out.array("vertex_at", vertex_at, np.int32)
        # the figures
        values, bmethod, bsources = found.betweenness
        out.array("degrees", found.degrees, np.int64)
        out.array("sorted_degrees", found._sorted_degrees, np.int64)
        out.array("betweenness", values, np.float64)
        out.array("pagerank", found.pagerank, np.float64)
        out.array("sorted_pagerank", found._sorted_pagerank, np.float64)
        out.array("membership", found.communities.membership, np.int32)
        out.json(
            "summary",
            {
                "data": {
                    "graphs": data.graphs.names,
                    "relation_count": data.relation_count,
                    "source_rows": data.source_rows,
                    "kinds": [_encoded(k) for k in kinds],
                },
                "network": {
                    "spec": {
                        "kinds": list(net.spec.kinds),
                        "graphs": list(net.spec.graphs),
                        "active_on": net.spec.active_on,
                        "level": net.spec.level,
                    },
                    "relations": net.relations,
                    "unplaced": net.unplaced,
                    "internal": net.internal,
                    "placed_links": net.placed_links,
                    "country_pairs": [[a, b, c] for (a, b), c in net.country_pairs.items()],
                    "edge_graphs": [_encoded(v) for v in graph_sets],
                    "edge_kinds": [_encoded(v) for v in edge_kinds],
                },
                "analysis": {
                    "exact_limit": found.exact_limit,
                    "samples": found.samples,
                    "seed": found.seed,
                    "bfs_budget": found.bfs_budget,
                    "paths": found.paths,
                    "betweenness": [bmethod, bsources],
                    "modularity": found.modularity,
                    "stats": found.stats(),
                },
            },
        )
        out.commit()
    except BaseException:
        out.abandon()
        raise
    remove_others(path, "network-*")  # earlier data versions' (and layouts': the pickles of before)


def _relations(reader: Reader, summary: dict[str, Any], labels: RowSource | None) -> RelationData:
    names = reader.strings("nodes")
    nodes = Interner()
    nodes.names = names  # type: ignore[assignment]  # read-only: a loaded data version interns nothing new
    nodes.ids = Sorted(names, reader.array("nodes.order"))  # type: ignore[assignment]
    graphs = Interner()
    for g in summary["graphs"]:
        graphs(g)
    coords: dict[int, tuple[float, float]] = {}  # a plain dict: a few per located place, read whole by the map
    for n, (lat, lon) in zip(
        reader.array("coords.nodes").tolist(), reader.array("coords.values").tolist(), strict=True
    ):
        coords[n] = (lat, lon)
    found = RelationData(
        nodes=nodes,
        graphs=graphs,
        relation_count=summary["relation_count"],
        kinds=Table(reader.array("kinds"), [frozenset(k) for k in summary["kinds"]]),  # type: ignore[arg-type]
        start=Column(reader.array("start")),  # type: ignore[arg-type]
        party=Column(reader.array("party")),  # type: ignore[arg-type]
        graph=Column(reader.array("graph")),  # type: ignore[arg-type]
        began=reader.strings("began"),  # type: ignore[arg-type]
        until=reader.strings("until"),  # type: ignore[arg-type]
        country=IdMap(reader.array("country")),  # type: ignore[arg-type]
        region=IdMap(reader.array("region")),  # type: ignore[arg-type]
        coords=coords,
        source_rows=summary["source_rows"],
    )
    if len(found.start) != found.relation_count + 1 or len(found.kinds) != found.relation_count:
        raise Damaged(f"{reader.path}: the relations' columns do not match their count")
    found._rows = labels
    return found


def _graph(edges: Any, weights: Any, n: int) -> ig.Graph:
    import igraph as ig

    g = ig.Graph(n=n, edges=np.asarray(edges).tolist(), directed=False)
    g.es["weight"] = np.asarray(weights).tolist()
    return g


def _load(path: Path, labels: RowSource | None) -> MappedAnalysis:
    reader = Reader(path, fmt=FORMAT)
    summary = reader.json("summary")
    data = _relations(reader, summary["data"], labels)
    s = summary["network"]
    vertices = Column(reader.array("vertices"))
    edges, weights = reader.array("edges"), reader.array("weights")
    n_edges = len(edges)
    graph_sets = [_decoded(v) for v in s["edge_graphs"]]
    edge_kinds = [frozenset(v) for v in s["edge_kinds"]]
    network = MappedNetwork.__new__(MappedNetwork)
    network.__dict__.update(
        spec=NetworkSpec(
            kinds=tuple(s["spec"]["kinds"]),
            graphs=tuple(s["spec"]["graphs"]),
            active_on=s["spec"]["active_on"],
            level=s["spec"]["level"],
        ),
        data=data,
        vertices=vertices,
        edge_graphs=Table(reader.array("edge_graphs"), graph_sets),
        edge_kinds=Table(reader.array("edge_kinds"), edge_kinds),
        edge_years=Column(reader.array("edge_years")),
        relations=s["relations"],
        unplaced=s["unplaced"],
        internal=s["internal"],
        country_pairs=Counter({(a, b): c for a, b, c in s["country_pairs"]}),
        placed_links=s["placed_links"],
        _index=None,
        _edges=edges,
        _weights=weights,
        _vertex_at=IdMap(reader.array("vertex_at")),
        _graph_lock=threading.Lock(),
    )
    a = summary["analysis"]
    degrees = Column(reader.array("degrees"))
    n = len(vertices)
    if len(degrees) != n or len(weights) != n_edges or len(network.edge_years) != n_edges:
        raise Damaged(f"{path}: the network's arrays do not match its vertices and edges")
    found = MappedAnalysis.__new__(MappedAnalysis)
    found.__dict__.update(
        network=network,
        exact_limit=a["exact_limit"],
        samples=a["samples"],
        seed=a["seed"],
        bfs_budget=a["bfs_budget"],
        _lock=threading.RLock(),
        degrees=degrees,
        _sorted_degrees=Column(reader.array("sorted_degrees")),
        betweenness=(Column(reader.array("betweenness")), a["betweenness"][0], a["betweenness"][1]),
        pagerank=Column(reader.array("pagerank")),
        _sorted_pagerank=Column(reader.array("sorted_pagerank")),
        communities=_Membership(Column(reader.array("membership"))),
        modularity=a["modularity"],
        paths=a["paths"],
        _stats=a["stats"],
    )
    return found


class _Membership:
    """What the pages ask of :attr:`Analysis.communities`: each vertex's community (numbered from 0)."""

    def __init__(self, membership: Column) -> None:
        self.membership = membership


def _array(values: Any) -> Any:
    """A column's mapped array (a list as an array)."""
    return values.values if isinstance(values, Column) else np.asarray(values)


class MappedNetwork(Network):
    """A :class:`~relgraph.network.graph.Network` over mapped tables; its igraph graph made on first use."""

    def __getattr__(self, name: str) -> Any:
        if name != "graph":
            raise AttributeError(name)
        with self.__dict__["_graph_lock"]:
            if "graph" not in self.__dict__:  # exports, the map: made in the process that asks, once
                self.__dict__["graph"] = _graph(self._edges, self._weights, len(self.vertices))
        return self.__dict__["graph"]

    def vertex_of(self, iri: str) -> int | None:
        node = self.data.nodes.ids.get(iri)
        return None if node is None else self._vertex_at.get(node)


class MappedAnalysis(Analysis):
    """An :class:`~relgraph.network.measures.Analysis` read from the tables: the same answers, from arrays."""

    def __getattr__(self, name: str) -> Any:
        if name == "g":
            return self.network.graph
        raise AttributeError(name)

    def _order(self, scores: Any, limit: int | None = None) -> list[int]:
        """Vertices by score, highest first, ties by IRI (the vertices are numbered in the order of their IRIs)."""
        values = _array(scores)
        order = np.lexsort((np.arange(len(values)), -values))
        return order[:limit].tolist() if limit is not None else order.tolist()

    def degree_rank(self, v: int) -> int:
        d = self.degrees[v]
        return len(self.degrees) - int(np.searchsorted(_array(self._sorted_degrees), d, side="right")) + 1

    def pagerank_percentile(self, v: int) -> float:
        n = len(self.pagerank)
        if not n:
            return 0.0
        return 100.0 * int(np.searchsorted(_array(self._sorted_pagerank), self.pagerank[v], side="left")) / n

    def top(self, by: str = "degree", limit: int = 20, *, lang: str = "en") -> list[dict[str, Any]]:
        choices = {"degree": self.degrees, "betweenness": self.betweenness[0], "pagerank": self.pagerank}
        order = self._order(choices[by], limit)
        self.network.data.load_labels(self.network.vertices[v] for v in order)
        return [self.node(v, lang=lang) for v in order]

    def community_members(self, community: int) -> list[int]:
        membership = _array(self.communities.membership)
        members = np.flatnonzero(membership == community - 1)
        degrees = _array(self.degrees)[members]
        return members[np.lexsort((members, -degrees))].tolist()


def load_shared(snapshot: Path, *, labels: RowSource | None = None) -> Analysis | None:
    """The analysis another process wrote for ``snapshot``'s data, or None (not written yet, or damaged)."""
    path = shared_path(snapshot)
    if path is None:
        return None
    try:
        return _load(path, labels)
    except FileNotFoundError:
        return None
    except Damaged:
        log.exception("the network in %s could not be loaded", path)
        return None


def shared_analysis(
    snapshot: Path, build: Callable[[], Analysis], *, labels: RowSource | None = None
) -> tuple[Analysis, str]:
    """The default network's analysis of ``snapshot``'s data and how it came: "loaded" or "built".

    Loaded from the folder when a process wrote it, else built by ``build()`` and
    written (one process at a time: the lock; the others wait and load). The
    builder then maps the folder too: one copy in memory for every process.
    """
    path = shared_path(snapshot)
    if path is None:
        return build(), "built"
    return build_once(
        path,
        snapshot.parent / "network.lock",
        load=lambda: _load(path, labels),
        build=build,
        write=lambda found: write(found, path),
        what="the network",
        reload=True,
    )
