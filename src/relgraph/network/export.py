"""Exports of a network for Gephi, Cytoscape and spreadsheets: GraphML, GEXF 1.2 and CSV node/edge lists.

Written as a stream (a million edges need no DOM). Node ids are the IRIs in
GEXF and CSV; GraphML's ids must be XML name tokens (no ``/``), so there
they are ``n0``, ``n1``… with the IRI in the ``iri`` attribute. Every node
carries its label, country, coordinates, degree, community and PageRank,
every edge the number of relations behind it (``weight``), their
kinds and source graphs, and the year of the first dated one. In GEXF the
coordinates are also the node's ``viz:position`` (x = longitude, y =
latitude), so Gephi opens the network as a map.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from .. import __version__
from .graph import edge_graph_ids
from .measures import Analysis
from .spec import EXPORT_FORMATS

__all__ = [
    "EXPORT_FORMATS",
    "batched",
    "csv_chunks",
    "edge_rows",
    "gexf_chunks",
    "graphml_chunks",
    "node_rows",
    "write_csv",
    "write_gexf",
    "write_graphml",
]


NODE_FIELDS = ("id", "label", "country", "latitude", "longitude", "degree", "community", "pagerank", "betweenness")
EDGE_FIELDS = ("source", "target", "source_label", "target_label", "weight", "kinds", "graphs", "first_year")
#: attribute name -> (GraphML type, GEXF type)
_NODE_TYPES = {
    "label": ("string", "string"),
    "country": ("string", "string"),
    "latitude": ("double", "double"),
    "longitude": ("double", "double"),
    "degree": ("int", "integer"),
    "community": ("int", "integer"),
    "pagerank": ("double", "double"),
    "betweenness": ("double", "double"),
}
_EDGE_TYPES = {
    "weight": ("double", "double"),
    "kinds": ("string", "string"),
    "graphs": ("string", "string"),
    "first_year": ("int", "integer"),
}


def node_rows(analysis: Analysis, *, lang: str = "en") -> Iterator[dict[str, Any]]:
    """One dict per node, in vertex order (``None`` where a value is unknown)."""
    net = analysis.network
    data = net.data
    betweenness = analysis.betweenness[0]
    data.load_labels(net.vertices)
    membership = analysis.communities.membership
    for v, node in enumerate(net.vertices):
        lat_long = data.coords.get(node)
        yield {
            "id": net.iri(v),
            "label": data.label(node, lang),
            "country": net.country_of(v) or None,
            "latitude": lat_long[0] if lat_long else None,
            "longitude": lat_long[1] if lat_long else None,
            "degree": analysis.degrees[v],
            "community": membership[v] + 1,
            "pagerank": analysis.pagerank[v],
            "betweenness": betweenness[v],
        }


def edge_rows(analysis: Analysis, *, lang: str = "en") -> Iterator[dict[str, Any]]:
    """One dict per link: its two nodes, the relations behind it, their kinds and source graphs."""
    net = analysis.network
    data = net.data
    graph_names = data.graphs.names
    data.load_labels(net.vertices)
    labels: dict[int, str] = {}

    def label(v: int) -> str:
        if v not in labels:
            labels[v] = data.label(net.vertices[v], lang)
        return labels[v]

    weights = net.graph.es["weight"] if net.graph.ecount() else []
    for e, (a, b) in enumerate(net.graph.get_edgelist()):
        yield {
            "source": net.iri(a),
            "target": net.iri(b),
            "source_label": label(a),
            "target_label": label(b),
            "weight": weights[e],
            "kinds": " ".join(sorted(net.edge_kinds[e])),
            "graphs": " ".join(sorted(graph_names[g] for g in edge_graph_ids(net, e))),
            "first_year": net.edge_years[e] or None,
        }


def csv_chunks(analysis: Analysis, part: str, *, lang: str = "en", rows_per_chunk: int = 2000) -> Iterator[str]:
    """The node list (``part="nodes"``) or edge list (``"edges"``) as CSV text, a few thousand rows at a time."""
    fields, rows = (NODE_FIELDS, node_rows) if part == "nodes" else (EDGE_FIELDS, edge_rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for n, row in enumerate(rows(analysis, lang=lang), 1):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
        if n % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def batched(chunks: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """Small pieces joined into pieces of about ``size`` characters (fewer writes to a socket)."""
    parts: list[str] = []
    held = 0
    for chunk in chunks:
        parts.append(chunk)
        held += len(chunk)
        if held >= size:
            yield "".join(parts)
            parts, held = [], 0
    if parts:
        yield "".join(parts)


def write_csv(analysis: Analysis, nodes: IO[str] | None, edges: IO[str] | None, *, lang: str = "en") -> None:
    """The node list and/or the edge list as CSV with a header row."""
    for out, fields, rows in ((nodes, NODE_FIELDS, node_rows), (edges, EDGE_FIELDS, edge_rows)):
        if out is None:
            continue
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows(analysis, lang=lang):
            writer.writerow({k: "" if v is None else v for k, v in row.items()})


def _attr(value: Any) -> str:
    return quoteattr(str(value))


def _text(value: Any) -> str:
    return quoteattr(str(value))[1:-1]


def graphml_chunks(analysis: Analysis, *, lang: str = "en") -> Iterator[str]:
    """GraphML (http://graphml.graphdrawing.org/xmlns), undirected, typed keys."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    yield '  <key id="n_iri" for="node" attr.name="iri" attr.type="string"/>\n'
    for name, (kind, _) in _NODE_TYPES.items():
        yield f'  <key id="n_{name}" for="node" attr.name="{name}" attr.type="{kind}"/>\n'
    for name, (kind, _) in _EDGE_TYPES.items():
        yield f'  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n'
    yield f'  <graph id="relgraph" edgedefault="undirected">\n    <desc>{_text(_describe(analysis))}</desc>\n'
    for v, row in enumerate(node_rows(analysis, lang=lang)):
        yield f'    <node id="n{v}"><data key="n_iri">{_text(row["id"])}</data>'
        for name in _NODE_TYPES:
            if row[name] is not None:
                yield f'<data key="n_{name}">{_text(row[name])}</data>'
        yield "</node>\n"
    ends = analysis.network.graph.get_edgelist()
    for e, row in enumerate(edge_rows(analysis, lang=lang)):
        a, b = ends[e]
        yield f'    <edge id="e{e}" source="n{a}" target="n{b}">'
        for name in _EDGE_TYPES:
            if row[name] is not None:
                yield f'<data key="e_{name}">{_text(row[name])}</data>'
        yield "</edge>\n"
    yield "  </graph>\n</graphml>\n"


def write_graphml(analysis: Analysis, out: IO[str], *, lang: str = "en") -> None:
    """Write :func:`graphml_chunks` to ``out``."""
    for chunk in graphml_chunks(analysis, lang=lang):
        out.write(chunk)


def gexf_chunks(analysis: Analysis, *, lang: str = "en") -> Iterator[str]:
    """GEXF 1.2 (Gephi's own format): static, undirected, attributes declared, positions from coordinates."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
    )
    yield f"  <meta>\n    <creator>relgraph {__version__}</creator>\n"
    yield f"    <description>{_text(_describe(analysis))}</description>\n  </meta>\n"
    yield '  <graph mode="static" defaultedgetype="undirected">\n    <attributes class="node">\n'
    node_attrs = [n for n in _NODE_TYPES if n != "label"]
    for i, name in enumerate(node_attrs):
        yield f'      <attribute id="{i}" title="{name}" type="{_NODE_TYPES[name][1]}"/>\n'
    yield '    </attributes>\n    <attributes class="edge">\n'
    edge_attrs = [n for n in _EDGE_TYPES if n != "weight"]
    for i, name in enumerate(edge_attrs):
        yield f'      <attribute id="{i}" title="{name}" type="{_EDGE_TYPES[name][1]}"/>\n'
    yield "    </attributes>\n    <nodes>\n"
    for row in node_rows(analysis, lang=lang):
        yield f"      <node id={_attr(row['id'])} label={_attr(row['label'])}><attvalues>"
        for i, name in enumerate(node_attrs):
            if row[name] is not None:
                yield f'<attvalue for="{i}" value={_attr(row[name])}/>'
        yield "</attvalues>"
        if row["latitude"] is not None:
            yield f'<viz:position x="{row["longitude"]}" y="{row["latitude"]}" z="0.0"/>'
        yield "</node>\n"
    yield "    </nodes>\n    <edges>\n"
    for e, row in enumerate(edge_rows(analysis, lang=lang)):
        yield (
            f'      <edge id="{e}" source={_attr(row["source"])} target={_attr(row["target"])} '
            f'weight="{float(row["weight"])}"><attvalues>'
        )
        for i, name in enumerate(edge_attrs):
            if row[name] is not None:
                yield f'<attvalue for="{i}" value={_attr(row[name])}/>'
        yield "</attvalues></edge>\n"
    yield "    </edges>\n  </graph>\n</gexf>\n"


def write_gexf(analysis: Analysis, out: IO[str], *, lang: str = "en") -> None:
    """Write :func:`gexf_chunks` to ``out``."""
    for chunk in gexf_chunks(analysis, lang=lang):
        out.write(chunk)


def _describe(analysis: Analysis) -> str:
    spec = analysis.network.spec
    parts = [f"kinds: {', '.join(spec.kinds)}", f"level: {spec.level}"]
    if spec.graphs:
        parts.append(f"graphs: {' '.join(spec.graphs)}")
    if spec.active_on:
        parts.append(f"active on {spec.active_on}")
    return "relgraph network; " + "; ".join(parts)
