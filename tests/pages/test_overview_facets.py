"""Facets on the all-types index ``/entities`` (issue 15, item 4): the type facet, and on a graph whose
entities the index lists, the country, kind, status and source facets over them."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlparse

from pages_support import BASE, select
from sparql_http import Server

from relgraph.namespaces import RG

_GROUP = re.compile(r'<h2 id="([^"]+)"><a href="([^"]+)">')
_ITEM = re.compile(r'<li><a href="/id/([^".?]+)\.html')
_FACET = re.compile(r'<div class="facet">\s*<h3 id="facet-(\w+)">.*?</ul>', re.S)
_VALUE = re.compile(r'<a href="([^"]+)"[^>]*>(?:<span[^>]*>[^<]*</span>)*([^<]+)</a> <span class="count">(\d+)</span>')


def _facets(page: str) -> dict[str, list[tuple[str, str, int]]]:
    """facet → (href, text, count) of each value."""
    out = {}
    for m in _FACET.finditer(page):
        out[m.group(1)] = [(html.unescape(h), t.strip(), int(n)) for h, t, n in _VALUE.findall(m.group(0))]
    return out


def test_type_facet_narrows_the_index(site: Server) -> None:
    page = site.get("/entities", params={"lang": "en"}).text
    types = {text.lower(): (href, n) for href, text, n in _facets(page)["type"]}
    groups = [g for g, _ in _GROUP.findall(page)]
    assert len(types) == len(groups) > 3 and types["city"][1] > 0
    href, n = types["city"]
    assert "type=city" in href
    only = site.get(href).text
    assert [g for g, _ in _GROUP.findall(only)] == ["city"]
    assert len(_ITEM.findall(only)) == n
    assert 'aria-current="true"' in only  # the chosen value, a link that removes it


def test_country_facet_across_types(site: Server) -> None:
    page = site.get("/entities", params={"lang": "en"}).text
    germany = next(v for v in _facets(page)["country"] if v[1] == "Germany")
    filtered = site.get(germany[0]).text
    listed = {BASE + "id/" + i for i in _ITEM.findall(filtered)}
    assert len(listed) == germany[2] and len(listed) < len(_ITEM.findall(page))
    country = parse_qs(urlparse(germany[0]).query)["country"][0]
    in_germany = {r["x"] for r in select(site, f"SELECT ?x WHERE {{ ?x <{RG}country> <{country}> }}")}
    assert listed <= in_germany and f"{BASE}id/city/hamburg" in listed
    # each group's heading opens its type's page with the same filter
    hrefs = [html.unescape(h) for _, h in _GROUP.findall(filtered)]
    assert hrefs and all("country=" in h for h in hrefs)
    assert len({g for g, _ in _GROUP.findall(filtered)}) >= 2  # more than one type


def test_a_facet_value_must_be_an_iri(site: Server) -> None:
    reply = site.get("/entities", params={"country": "Germany"})
    assert reply.status == 400 and "takes an IRI" in reply.text
