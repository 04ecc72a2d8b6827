"""``GET /api/suggest``, its OpenAPI entry and the place page's sections on a real ``relgraph serve`` (bundled data)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))
from serve_proc import relgraph_serve
from sparql_http import Server

HAMBURG = "https://w3id.org/relgraph/id/city/hamburg"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with relgraph_serve(tmp_path_factory.mktemp("partners-http"), wait=120) as server:
        yield server


def test_suggest_json_csv_and_errors(site: Server) -> None:
    reply = site.get(f"/api/suggest?entity={quote(HAMBURG)}&top=5")
    assert reply.status == 200 and reply.content_type == "application/json"
    rows = reply.json()
    assert isinstance(rows, list) and len(rows) <= 5
    for row in rows:
        assert {"iri", "label", "score", "reasons"} <= set(row) and row["iri"] != HAMBURG
    csv = site.get(f"/api/suggest?entity={quote(HAMBURG)}&format=csv")
    assert csv.status == 200 and csv.text.startswith("\ufeffrank,iri,label,score,reasons,list")
    missing = site.get("/api/suggest?entity=" + quote("https://w3id.org/relgraph/id/city/atlantis"))
    assert missing.status == 404 and missing.json()["error"]["parameter"] == "entity"
    field = site.get(f"/api/suggest?entity={quote(HAMBURG)}&field=astrology")
    assert field.status == 400 and "unknown field 'astrology'" in field.json()["error"]["message"]
    assert site.get(f"/api/suggest?entity={quote(HAMBURG)}&top=0").status == 400
    assert "/api/suggest" in site.get("/api/openapi.json").json()["paths"]


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "Possible partners"), ("de", "Mögliche Partner"), ("fr", "Partenaires possibles")]
)
def test_place_page_sections(site: Server, lang: str, title: str) -> None:
    assert site.get(f"/api/suggest?entity={quote(HAMBURG)}").status == 200  # the index is ready (pages do not wait)
    page = site.get(f"/id/city/hamburg.html?lang={lang}")
    assert page.status == 200
    assert title in page.text and 'id="similar-places"' in page.text
