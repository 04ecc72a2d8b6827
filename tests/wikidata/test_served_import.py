"""The endpoint, the API and the pages with the whole Wikidata extract imported beside the curated data."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from relgraph.resources import bundled_dir

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))
from serve_proc import relgraph_serve
from sparql_http import Server

BASE = "https://w3id.org/relgraph/"
HAMBURG = BASE + "id/city/hamburg"
VARNA = BASE + "id/place/wd-q6506"  # a partner only Wikidata names: no curated entity
EXTERNAL = bundled_dir("data") / "external"


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "relgraph.cli", *map(str, args)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("served-import")
    cli("load", "--store", root / "store")
    cli(
        "import-wikidata", "--store", root / "store",
        "--relations", EXTERNAL / "wikidata_p190_relations_2016.tsv",
        "--labels", EXTERNAL / "wikidata_p190_names_2016.tsv",
    )  # fmt: skip
    with relgraph_serve(root, wait=180) as server:
        yield server


def select(site: Server, sparql: str) -> list[dict[str, str]]:
    reply = site.query(sparql, accept="application/sparql-results+json")
    assert reply.status == 200, reply.text
    return [{k: v["value"] for k, v in row.items()} for row in json.loads(reply.body)["results"]["bindings"]]


def partners_in(site: Server, graph_slug: str) -> int:
    """How many partners of Hamburg the source graph ``graph_slug`` names."""
    rows = select(
        site,
        f"""PREFIX rg: <https://w3id.org/relgraph/ontology#>
            SELECT (COUNT(DISTINCT ?partner) AS ?n) WHERE {{
              GRAPH <{BASE}graph/{graph_slug}> {{
                ?a rg:party <{HAMBURG}>, ?partner FILTER(?partner != <{HAMBURG}>) }} }}""",
    )
    return int(rows[0]["n"])


def test_the_endpoint_answers_over_curated_and_imported_sources(site: Server) -> None:
    assert partners_in(site, "wikidata-p190-2016") == 13
    assert partners_in(site, "hamburg-de-partnerstaedte") == 9


def test_the_hamburg_page_shows_official_and_wikidata_only_partners(site: Server) -> None:
    reply = site.get("/id/city/hamburg.html?lang=en")
    assert reply.status == 200
    assert "Marseille" in reply.text and "Warna" in reply.text


def test_a_wikidata_only_place_has_a_page_and_data(site: Server) -> None:
    page = site.get("/id/place/wd-q6506.html")
    assert page.status == 200 and "Warna" in page.text and "Hamburg" in page.text
    data = site.get("/id/place/wd-q6506.ttl")
    assert data.status == 200 and "Q6506" in data.text


def test_the_api_lists_all_of_hamburgs_partners(site: Server) -> None:
    reply = site.get(f"/api/queries/partners-of?entity={quote(HAMBURG, safe='')}&limit=100")
    assert reply.status == 200, reply.text
    partners = {row["partner"] for row in json.loads(reply.body)["rows"]}
    assert VARNA in partners and BASE + "id/city/marseille" in partners
    assert len(partners) >= 13


def test_search_finds_an_imported_place(site: Server) -> None:
    reply = site.get("/search?q=warna")
    assert reply.status == 200 and "/id/place/wd-q6506" in reply.text
