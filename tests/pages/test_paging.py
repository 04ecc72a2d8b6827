"""Long relation lists in pages: a server with ``RELGRAPH_PAGE_RELATIONS=3`` against the default one.

The pages of Hamburg, read one after the other, must give exactly the
relations of the unpaged page, in the same order; CSV downloads stay whole.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from pages_support import BASE, HTML
from serve_proc import relgraph_serve
from sparql_http import Server

SIZE = 3
HAMBURG = "/id/city/hamburg.html"
_SECTION = '<section aria-labelledby="{}">(.*?)</section>'
_AGREEMENT = re.compile(r'href="[^"]*/id/((?:agreement|cooperation)/[^"?.]+)')
_NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {"RELGRAPH_PAGE_RELATIONS": str(SIZE)}
    with relgraph_serve(tmp_path_factory.mktemp("paged"), env=env, wait=120) as server:
        yield server


def _agreements(page: str, section: str) -> list[str]:
    """Relation paths (``agreement/slug``, ``cooperation/slug``) in one section, in document order, each once."""
    match = re.search(_SECTION.format(section), page, re.S)
    return list(dict.fromkeys(_AGREEMENT.findall(match.group(1)))) if match else []


def _walk(server: Server, path: str, **params: str) -> list[str]:
    """Every page of ``path`` by following rel="next"; the HTML of each."""
    pages, url = [], path
    reply = server.get(url, params=params, headers=HTML)
    while True:
        assert reply.status == 200, reply.text
        pages.append(reply.text)
        found = _NEXT.search(reply.text)
        if not found:
            return pages
        assert len(pages) < 50, "rel=next never ends"
        reply = server.get(found.group(1).replace("&amp;", "&"), headers=HTML)


def test_pages_together_are_the_whole_list_in_order(site: Server, paged: Server) -> None:
    whole = site.get(HAMBURG, params={"lang": "en"}, headers=HTML).text
    pages = _walk(paged, HAMBURG, lang="en")
    assert len(pages) > 1, "Hamburg should need more than one page of 3"
    own = [_agreements(p, "relations") for p in pages]
    assert all(0 < len(x) <= SIZE for x in own[:-1]) and len(own[-1]) <= SIZE
    assert [a for x in own for a in x] == _agreements(whole, "relations")
    held = [_agreements(p, "institutions") for p in pages]
    assert all(len(x) <= SIZE for x in held)
    assert sorted(a for x in held for a in x) == sorted(_agreements(whole, "institutions"))
    assert "Page 1 of" in pages[0] and 'rel="prev"' not in pages[0] and 'rel="prev"' in pages[1]


def test_unpaged_page_has_no_pager(site: Server) -> None:
    assert 'class="pager"' not in site.get(HAMBURG, headers=HTML).text


def test_group_counts_and_fields_cover_every_page(site: Server, paged: Server) -> None:
    whole = site.get(HAMBURG, params={"lang": "en"}, headers=HTML).text
    first = paged.get(HAMBURG, params={"lang": "en"}, headers=HTML).text
    fields = re.compile(r'<section aria-labelledby="fields">.*?</section>', re.S)
    assert fields.search(first).group(0) == fields.search(whole).group(0)
    totals = re.findall(r'<span class="count">\d+ / (\d+)</span>', first)
    assert totals, "a cut group shows shown / total"


def test_csv_holds_every_relation_on_a_paged_server(site: Server, paged: Server) -> None:
    params = {"format": "csv", "table": "relations", "lang": "en"}
    whole = list(csv.DictReader(io.StringIO(site.get(HAMBURG, params=params).text)))
    cut = list(csv.DictReader(io.StringIO(paged.get(HAMBURG, params=params).text)))
    assert len(cut) == len(whole) > SIZE
    assert cut == whole


@pytest.mark.parametrize(("lang", "text"), [("de", "Seite 2 von"), ("fr", "Page 2 sur"), ("en", "Page 2 of")])
def test_pager_in_three_languages(paged: Server, lang: str, text: str) -> None:
    reply = paged.get(HAMBURG, params={"lang": lang, "page": "2"}, headers=HTML)
    assert reply.status == 200 and text in reply.text
    assert f"lang={lang}" in _NEXT.search(reply.text).group(1) or 'rel="next"' not in reply.text


def test_bad_page_numbers(paged: Server, site: Server) -> None:
    assert paged.get(HAMBURG, params={"page": "0"}, headers=HTML).status == 400
    reply = paged.get(HAMBURG, params={"page": "two"}, headers=HTML)
    assert reply.status == 400 and "page" in reply.text
    last = len(_walk(paged, HAMBURG))
    assert paged.get(HAMBURG, params={"page": str(last)}, headers=HTML).status == 200
    assert paged.get(HAMBURG, params={"page": str(last + 1)}, headers=HTML).status == 404
    assert site.get(HAMBURG, params={"page": "2"}, headers=HTML).status == 404  # one page only


def test_agreement_iris_are_real(paged: Server) -> None:
    page = paged.get(HAMBURG, headers=HTML).text
    slugs = _agreements(page, "relations")
    assert len(slugs) == SIZE  # a full first page
    for slug in slugs:
        reply = paged.get(f"/id/{slug}.html", headers=HTML)
        assert reply.status == 200, slug
        # the link names the relation's own IRI (under the default base), not another entity's page
        assert f'<code class="iri" id="iri">{BASE}id/{slug}</code>' in reply.text, slug
