"""'Show the query' under each section of an entity page: the link opens the editor with a query that
answers with that section's content (issue 15, item 4; :mod:`relgraph.section_queries`)."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlparse

import pytest
from pages_support import BASE, select
from sparql_http import Server

_SECTION = re.compile(r'<section[^>]*aria-labelledby="([^"]+)"[^>]*>(.*?)</section>', re.S)
_SHOW = re.compile(r'<p class="show-query"><a href="([^"]+)">')
_ROWS = re.compile(r"<tbody>(.*?)</tbody>", re.S)


def _sections(page: str) -> dict[str, str]:
    return {name: body for name, body in _SECTION.findall(page)}


def _query(section: str) -> str:
    links = _SHOW.findall(section)
    assert links, "no 'show the query' link"
    url = urlparse(html.unescape(links[-1]))
    assert url.path == "/sparql"
    return parse_qs(url.query)["query"][0]


#: page → sections that must carry the link (those that exist on that page, from a query)
PAGES = {
    "id/city/hamburg": ("relations", "institutions", "fields", "statements", "incoming", "sources"),
    "id/agreement/hamburg-quebec-strategic-partnership-2024": ("signatories", "statements", "incoming", "sources"),
    "id/person/peter-tschentscher": ("posts", "agreements", "statements", "incoming", "sources"),
}


@pytest.mark.parametrize("path", list(PAGES))
def test_every_section_shows_its_query_and_it_runs(site: Server, path: str) -> None:
    page = site.get(f"/{path}.html", params={"lang": "en"}).text
    sections = _sections(page)
    iri = BASE + path
    for name in PAGES[path]:
        assert name in sections, f"{path}: no section {name}"
        query = _query(sections[name])
        assert f"VALUES ?x {{ <{iri}> }}" in query
        assert select(site, query), f"{path} {name}: the query answers nothing"


def test_statements_and_incoming_queries_give_the_sections_rows(site: Server) -> None:
    page = site.get("/id/city/hamburg.html", params={"lang": "en"}).text
    sections = _sections(page)
    statements = select(site, _query(sections["statements"]))
    shown = _ROWS.search(sections["statements"]).group(1).count("<tr")
    assert len({r["property"] for r in statements}) == shown  # one row per property on the page
    incoming = select(site, _query(sections["incoming"]))
    total = int(re.search(r'<span class="count">(\d+)</span>', sections["incoming"]).group(1))
    assert len({(r["subject"], r["property"]) for r in incoming}) == total
    institutions = select(site, _query(sections["institutions"]))
    listed = set(re.findall(r'href="/id/(org/[^".?]+)', _ROWS.search(sections["institutions"]).group(1)))
    assert {BASE + "id/" + i for i in listed} <= {r["institution"] for r in institutions} | {
        r.get("partner") for r in institutions
    }
