"""The network over HTTP: a real ``relgraph serve`` on loopback over the bundled (curated) data.

The JSON routes and their OpenAPI operations, the filters as query
arguments, errors as one JSON line, the download, ``/network`` in three
languages and the position on a place page.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from openapi_spec_validator import validate

sys.path.insert(0, str(Path(__file__).parents[1] / "server"))
from serve_proc import relgraph_serve
from sparql_http import Server

HAMBURG = "https://w3id.org/relgraph/id/city/hamburg"
PARTNERS = "https://w3id.org/relgraph/graph/hamburg-de-partnerstaedte"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with relgraph_serve(tmp_path_factory.mktemp("network-server"), "--query-timeout", "20") as running:
        yield running


def test_stats_and_filters(server: Server) -> None:
    reply = server.get("/api/network/stats")
    assert reply.status == 200 and reply.content_type == "application/json"
    stats = reply.json()
    assert stats["nodes"] >= 10 and stats["edges"] >= 9 and stats["spec"]["level"] == "place"
    assert isinstance(stats["data_version"], int)
    one = server.get("/api/network/stats", params={"graph": PARTNERS}).json()
    assert one["spec"]["graphs"] == [PARTNERS]
    assert one["edges"] == 9 and one["max_degree"] == 9  # Hamburg's nine official partners
    dated = server.get("/api/network/stats", params={"active_on": "1990-01-01"}).json()
    assert 0 < dated["edges"] < stats["edges"]
    countries = server.get("/api/network/stats", params={"level": "country"}).json()
    assert countries["nodes"] < stats["nodes"] and countries["spec"]["level"] == "country"


def test_node_top_communities_countries(server: Server) -> None:
    node = server.get("/api/network/node", params={"iri": HAMBURG}).json()
    assert node["degree"] >= 9 and node["rank"] == 1 and node["label"] == "Hamburg"
    assert node["community_members"] and node["community_size"] >= len(node["community_members"])
    top = server.get("/api/network/top", params={"by": "pagerank", "limit": 3, "lang": "de"}).json()
    assert top["by"] == "pagerank" and len(top["nodes"]) == 3 and top["nodes"][0]["iri"] == HAMBURG
    communities = server.get("/api/network/communities").json()
    assert communities["count"] >= 1 and communities["communities"][0]["members"]
    countries = server.get("/api/network/countries").json()
    assert countries["countries"] and all(p["links"] > 0 for p in countries["pairs"])
    missing = server.get("/api/network/node", params={"iri": "https://example.org/nowhere"})
    assert missing.status == 404 and missing.json()["error"]["status"] == 404


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"kind": "twining"}, "kind twining: unknown kind"),
        ({"active_on": "2024-13-01"}, "active_on 2024-13-01: no such day"),
        ({"level": "planet"}, "level 'planet'"),
        ({"graph": "https://example.org/no-graph"}, "no relations are asserted in that graph"),
        ({"limit": "0"}, "limit '0'"),
    ],
)
def test_bad_arguments_are_400_json(server: Server, params: dict[str, str], says: str) -> None:
    path = "/api/network/top" if "limit" in params else "/api/network/stats"
    reply = server.get(path, params=params)
    assert reply.status == 400 and says in reply.json()["error"]["message"]


def test_export_download_reads_in_networkx(server: Server, tmp_path: Path) -> None:
    reply = server.get("/api/network/export", params={"format": "gexf"})
    assert reply.status == 200 and "attachment" in reply.headers["Content-Disposition"]
    (tmp_path / "n.gexf").write_bytes(reply.body)
    g = nx.read_gexf(tmp_path / "n.gexf")
    stats = server.get("/api/network/stats").json()
    assert g.number_of_nodes() == stats["nodes"] and g.number_of_edges() == stats["edges"]
    edges = server.get("/api/network/export", params={"format": "edges.csv"})
    assert edges.status == 200 and edges.text.startswith("source,target,source_label")


def test_openapi_document_has_the_network(server: Server) -> None:
    document = server.get("/api/openapi.json").json()
    validate(document)
    for path in ("stats", "top", "communities", "countries", "node", "export"):
        assert f"/api/network/{path}" in document["paths"]
    names = [p["name"] for p in document["paths"]["/api/network/stats"]["get"]["parameters"]]
    assert names == ["kind", "graph", "active_on", "level"]


@pytest.mark.parametrize(
    ("lang", "title", "degree"),
    [
        ("en", "The network", "Degree distribution"),
        ("de", "Das Netzwerk", "Gradverteilung"),
        ("fr", "Le réseau", "Distribution des degrés"),
    ],
)
def test_network_page_in_three_languages(server: Server, lang: str, title: str, degree: str) -> None:
    reply = server.get("/network", params={"lang": lang})
    assert reply.status == 200 and reply.content_type == "text/html"
    page = reply.text
    assert f'<html lang="{lang}">' in page and f"<h1>{title}</h1>" in page and degree in page
    assert page.count('<svg class="chart"') == 5 and page.count("<table") >= 6  # a table behind every chart
    assert 'href="/id/city/hamburg' in page and "cdn" not in page.lower()
    assert "/api/network/export?format=gexf" in page
    # the form as a browser sends it: every field, "all sources" empty
    form = {"kind": "twinning", "level": "country", "graph": "", "active_on": "", "lang": lang}
    again = server.get("/network", params=form)
    assert again.status == 200 and 'value="country" selected' in again.text


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("en", "Position in the network"), ("de", "Stellung im Netzwerk"), ("fr", "Position dans le réseau")],
)
def test_place_page_shows_its_position(server: Server, lang: str, heading: str) -> None:
    page = server.get("/id/city/hamburg.html", params={"lang": lang}).text
    section = page.split('id="net-position"', 1)[1].split("</section>", 1)[0]
    assert heading in section and "<dd>1 " in section.replace("\n", " ")  # rank 1 of n
    assert section.count("<a href=") >= 2  # others of its community and the network page


def test_server_figures_equal_the_cli_on_the_same_store(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    """The server reads its snapshot with the CLI's grouped read (issue 13): the same figures as ``network stats``."""
    import json

    from relgraph.cli import main

    served = server.get("/api/network/stats").json()
    capsys.readouterr()
    assert main(["network", "stats", "--store", str(server.store), "--format", "json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    for timing in ("seconds", "data_version"):
        served.pop(timing, None), cli.pop(timing, None)
    assert served["relations"] > 0 and served == cli
