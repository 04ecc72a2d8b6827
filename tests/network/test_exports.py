"""Exports: GraphML and GEXF read back by networkx with every attribute; the structure Gephi needs; CSV lists.

Validity against the formats' XML schemas is in test_export_schemas.py; the
GEXF checks here are what Gephi's importer relies on beyond the schema:
declared attributes referenced by id, node ids unique, edge ends declared,
numeric weights, the viz namespace for positions.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from network_support import GRAPH, ID

from relgraph.network import Analysis, build_network, parse_spec
from relgraph.network.export import EDGE_FIELDS, NODE_FIELDS, write_csv, write_gexf, write_graphml

GEXF = "{http://www.gexf.net/1.2draft}"
VIZ = "{http://www.gexf.net/1.2draft/viz}"


@pytest.fixture(scope="module")
def analysis(relation_data) -> Analysis:
    return Analysis(build_network(relation_data, parse_spec()))


def _text(writer, analysis: Analysis) -> str:
    out = io.StringIO()
    writer(analysis, out)
    return out.getvalue()


def test_graphml_reads_back_with_attributes(analysis, tmp_path) -> None:
    path = tmp_path / "net.graphml"
    path.write_text(_text(write_graphml, analysis), encoding="utf-8")
    read = nx.read_graphml(path)
    assert not read.is_directed()
    assert read.number_of_nodes() == analysis.g.vcount() and read.number_of_edges() == analysis.g.ecount()
    g = nx.relabel_nodes(read, {n: attrs["iri"] for n, attrs in read.nodes(data=True)})  # ids n0, n1… hold IRIs
    p1 = g.nodes[ID + "city/p1"]
    assert p1["label"] == "P One" and p1["country"] == ID + "country/de"
    assert p1["latitude"] == pytest.approx(53.55) and p1["longitude"] == pytest.approx(10.0)
    assert p1["degree"] == 2 and isinstance(p1["community"], int)
    assert g.nodes[ID + "city/p9"]["label"] == "P Nine & <Co>"  # escaped and read back
    edge = g.edges[ID + "city/p1", ID + "city/p2"]
    assert edge["weight"] == 1.0 and edge["first_year"] == 1990 and edge["kinds"] == "city-twinning"
    assert edge["graphs"].split() == [GRAPH + "test-net-a", GRAPH + "test-net-b"]


def test_gexf_reads_back_and_has_what_gephi_needs(analysis, tmp_path) -> None:
    text = _text(write_gexf, analysis)
    path = tmp_path / "net.gexf"
    path.write_text(text, encoding="utf-8")
    g = nx.read_gexf(path)
    assert g.number_of_nodes() == analysis.g.vcount() and g.number_of_edges() == analysis.g.ecount()
    assert g.nodes[ID + "city/p1"]["label"] == "P One"
    assert g.nodes[ID + "city/p1"]["country"] == ID + "country/de"
    root = ET.fromstring(text)  # noqa: S314 (our own output)
    assert root.tag == GEXF + "gexf" and root.get("version") == "1.2"
    graph = root.find(GEXF + "graph")
    assert graph.get("defaultedgetype") == "undirected" and graph.get("mode") == "static"
    declared = {
        cls: {a.get("id"): a.get("type") for a in attrs.findall(GEXF + "attribute")}
        for attrs in graph.findall(GEXF + "attributes")
        for cls in [attrs.get("class")]
    }
    assert declared["node"] and declared["edge"]
    ids = [n.get("id") for n in graph.iter(GEXF + "node")]
    assert len(ids) == len(set(ids))
    for node in graph.iter(GEXF + "node"):
        assert node.get("label")
        for value in node.iter(GEXF + "attvalue"):
            assert value.get("for") in declared["node"]
            if declared["node"][value.get("for")] in ("integer", "double"):
                float(value.get("value"))
    positioned = [n for n in graph.iter(GEXF + "node") if n.find(VIZ + "position") is not None]
    assert [n.get("id") for n in positioned] == [ID + "city/p1"]
    assert float(positioned[0].find(VIZ + "position").get("y")) == pytest.approx(53.55)
    for edge in graph.iter(GEXF + "edge"):
        assert edge.get("source") in ids and edge.get("target") in ids
        assert float(edge.get("weight")) >= 1
        for value in edge.iter(GEXF + "attvalue"):
            assert value.get("for") in declared["edge"]


def test_csv_lists(analysis) -> None:
    nodes, edges = io.StringIO(), io.StringIO()
    write_csv(analysis, nodes, edges)
    node_rows = list(csv.DictReader(io.StringIO(nodes.getvalue())))
    edge_rows = list(csv.DictReader(io.StringIO(edges.getvalue())))
    assert tuple(node_rows[0]) == NODE_FIELDS and tuple(edge_rows[0]) == EDGE_FIELDS
    assert len(node_rows) == 9 and len(edge_rows) == 11
    by_id = {r["id"]: r for r in node_rows}
    assert by_id[ID + "city/p9"]["country"] == "" and by_id[ID + "city/p3"]["country"] == ID + "country/fr"
    g = nx.Graph((r["source"], r["target"]) for r in edge_rows)
    assert dict(g.degree()) == {r["id"]: int(r["degree"]) for r in node_rows}
    labelled = {(r["source_label"], r["target_label"]) for r in edge_rows}
    assert ("P One", "P Two") in labelled or ("P Two", "P One") in labelled
