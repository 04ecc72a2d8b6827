"""The editor, maps, charts, facets and accessibility of the pages in real headless Chromium (issue 15).

One browser for the module (as ``test_browser.py``, whose launch options it reuses).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from chromium_support import chromium as start_chromium
from chromium_support import skip_without_chromium
from pages_support import ARTIFACTS
from serve_proc import relgraph_serve
from sparql_http import Server

pytestmark = skip_without_chromium


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with start_chromium(
        tmp_path_factory.mktemp("chromium-viz"), extra_http_headers={"Accept-Language": "en"}
    ) as context:
        yield context


@pytest.fixture
def tab(chromium: Any) -> Iterator[Any]:
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    page.close()
    assert not errors, errors


def _editor_text(tab: Any, text: str) -> None:
    """Replace the editor's text the way a user does: select all, type."""
    tab.locator(".cm-content").click()
    tab.keyboard.press("Control+A")
    tab.keyboard.press("Delete")
    tab.keyboard.insert_text(text)


def test_editor_runs_a_query_and_pages_through_results(site: Server, tab: Any) -> None:
    tab.goto(site.url + "/sparql?lang=en")
    assert tab.locator("header.site nav.langs").count() == 1 and tab.locator("footer.site").count() == 1
    assert tab.locator(".cm-editor").count() == 1 and tab.locator("textarea#query").is_hidden()
    query = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?thing ?label WHERE { ?thing rdfs:label ?label FILTER(LANG(?label) = 'en') } LIMIT 60"
    )
    _editor_text(tab, query)
    assert tab.locator(".cm-content .tok-keyword, .cm-content span[class]").count() > 3  # highlighted
    tab.keyboard.press("Control+Enter")
    tab.wait_for_selector("#output[data-done] table.sortable")
    assert tab.locator("#output tbody tr").count() == 25
    assert tab.locator(".page-of").inner_text() == "Page 1 of 3"
    first = tab.locator("#output tbody tr").first.inner_text()
    tab.locator("button.page", has_text="Next").click()
    assert tab.locator(".page-of").inner_text() == "Page 2 of 3"
    assert tab.locator("#output tbody tr").first.inner_text() != first
    tab.locator("button.page", has_text="Next").click()
    assert tab.locator("#output tbody tr").count() == 10
    # sorting by ?label orders the rows (from page 1 again)
    tab.locator("th button.sort", has_text="?label").click()
    assert tab.locator("th").nth(1).get_attribute("aria-sort") == "ascending"
    labels = [s.removesuffix("@en") for s in tab.locator("#output tbody tr td:nth-child(2)").all_inner_texts()]
    assert labels == sorted(labels, key=str.lower) and len(labels) == 25
    tab.locator("th button.sort", has_text="?label").click()
    desc = [s.removesuffix("@en") for s in tab.locator("#output tbody tr td:nth-child(2)").all_inner_texts()]
    assert desc == sorted(desc, key=str.lower, reverse=True)
    # entities of the dataset link to their pages
    hrefs = tab.locator("#output tbody a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any(h.startswith("/id/") for h in hrefs), hrefs
    # the URL is shareable: it carries the query
    shared = parse_qs(urlparse(tab.locator("#share").get_attribute("href")).query)
    assert shared["query"] == [query]


def test_shared_link_opens_with_results_and_a_chart(site: Server, tab: Any) -> None:
    query = (
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
        "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s rdf:type ?type } GROUP BY ?type ORDER BY DESC(?n) LIMIT 12"
    )
    tab.goto(site.url + "/sparql?" + urlencode({"query": query, "lang": "de"}))
    tab.wait_for_selector("#output[data-done] figure.result-chart svg rect")
    assert tab.locator("figure.result-chart rect").count() >= 2
    assert "?n nach ?type" in tab.locator("figure.result-chart figcaption").inner_text()
    assert tab.locator("#output table.sortable").count() == 1  # the table behind the chart


def test_prefix_completion_and_error_position(site: Server, tab: Any) -> None:
    tab.goto(site.url + "/sparql?lang=en")
    _editor_text(tab, "SELECT * WHERE { ?s a sko")
    tab.keyboard.press("Control+Space")
    option = tab.locator(".cm-tooltip-autocomplete li", has_text="skos:")
    option.first.click()
    text = tab.locator(".cm-content").inner_text()
    assert text.startswith("PREFIX skos: <") and "?s a skos:" in text  # the declaration comes with it
    _editor_text(tab, "SELECT * WHERE {\n  ?s ?p \n}")
    tab.locator("#run").click()
    tab.wait_for_selector("#output[data-done] .error-at")
    assert tab.locator(".error-at").inner_text().startswith("line 3")
    assert tab.locator(".cm-lint-marker-error").count() == 1  # marked in the editor


def test_examples_fill_the_editor(site: Server, tab: Any) -> None:
    tab.goto(site.url + "/sparql?lang=fr")
    options = tab.locator("#examples option")
    assert options.count() > 15
    tab.select_option("#examples", "partners-of")
    assert "VALUES" in tab.locator(".cm-content").inner_text()


COORDINATES = Path(__file__).resolve().parent / "data" / "coordinates.nt"
TOKEN = "viz-test-token"  # noqa: S105 (a throwaway server of the test)


@pytest.fixture(scope="module")
def mapped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The bundled data plus the coordinates of Hamburg and eight partners (the curated data has none)."""
    with relgraph_serve(tmp_path_factory.mktemp("viz"), token=TOKEN, wait=120) as server:
        body = COORDINATES.read_text(encoding="utf-8")
        reply = server.update(
            f"INSERT DATA {{ GRAPH <https://w3id.org/relgraph/graph/test-coordinates> {{\n{body}}} }}", token=TOKEN
        )
        assert reply.status in (200, 204), reply.text
        yield server


def test_hamburg_map_shows_its_partners(mapped: Server, tab: Any) -> None:
    tab.goto(mapped.url + "/id/city/hamburg.html?lang=en")
    world = tab.locator("#map svg.world")
    assert world.is_visible()
    tab.locator("#figures-heading").scroll_into_view_if_needed()
    tab.screenshot(path=str(ARTIFACTS / "hamburg-map.png"))
    markers = tab.locator("#map .markers a")
    assert markers.count() == 8  # the partners with coordinates
    assert tab.locator("#map .lines path").count() == 8  # a line from Hamburg to each
    assert tab.locator("#map .center text").text_content() == "Hamburg"
    shanghai = tab.locator('#map .markers a[aria-label^="Shanghai"]')
    radius = float(shanghai.locator("circle").get_attribute("r"))
    prague = float(tab.locator('#map .markers a[aria-label^="Prague"] circle').get_attribute("r"))
    assert radius > prague  # two relations against one
    unplaced = tab.locator("#map .unplaced").inner_text()
    assert "Quebec" in unplaced and "León" in unplaced  # without coordinates: listed, not dropped
    # keyboard: a marker takes the focus and Enter opens the partner's page
    shanghai.focus()
    assert tab.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Shanghai")
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/id/city/shanghai*")
    assert tab.locator("h1").inner_text() == "Shanghai"


def test_pair_page_maps_the_two(mapped: Server, tab: Any) -> None:
    tab.goto(mapped.url + "/relations/city/hamburg/city/shanghai?lang=en")
    assert tab.locator("#map .markers a").count() == 1 and tab.locator("#map .lines path").count() == 1
    assert tab.locator('#map .markers a[aria-label^="Shanghai"]').count() == 1
    tab.goto(mapped.url + "/relations/city/hamburg/region/quebec?lang=en")
    assert tab.locator("#map .markers a").count() == 0
    assert "Quebec" in tab.locator("#map .unplaced").inner_text()  # no coordinates: listed


def test_hamburg_charts_have_tables_and_queries(mapped: Server, tab: Any) -> None:
    tab.goto(mapped.url + "/id/city/hamburg.html?lang=de")
    years = tab.locator("#per-year")
    assert years.locator("h3").inner_text() == "Beziehungen pro Jahr"
    table_years = years.locator("table tbody tr").all_text_contents()
    assert any(row.startswith("2024") for row in table_years)
    assert years.locator("svg rect").count() == 2024 - int(table_years[0][:4]) + 1  # every year, 0 where none
    kinds = tab.locator("#per-kinds table tbody tr", has_text="Städtepartnerschaft")
    assert kinds.count() == 1
    countries = tab.locator("#per-countries table").text_content()
    assert "China" in countries and "Kanada" in countries
    # "show the query" opens the editor with the query of the chart, and it runs there
    years.locator(".show-query a").click()
    tab.wait_for_selector("#output[data-done] table.sortable")
    assert "VALUES ?x { <https://w3id.org/relgraph/id/city/hamburg> }" in tab.locator(".cm-content").inner_text()
    assert tab.locator("#output tbody tr").count() == len(table_years)


def test_home_page_map_and_charts(mapped: Server, tab: Any) -> None:
    tab.goto(mapped.url + "/?lang=fr")
    assert tab.locator("#map .markers a").count() == 9  # every place with coordinates and a relation
    assert tab.locator("#map .lines path").count() == 0
    assert tab.locator("#per-year svg rect").count() > 10
    assert tab.locator("#per-countries h3").inner_text() == "Relations par pays"


def test_network_page_map(mapped: Server, tab: Any) -> None:
    tab.goto(mapped.url + "/network?lang=de")
    section = tab.locator("section.net-map")
    assert section.locator("h2#map-heading").inner_text() == "Das Netzwerk auf der Karte"
    markers = section.locator(".markers a")
    assert markers.count() == 9  # the places with coordinates (all of them rank among the most connected)
    lines = section.locator(".lines path").count()
    assert 0 < lines <= 60  # the strongest links between two of them
    hamburg = section.locator('.markers a[aria-label^="Hamburg"]')
    assert "Partner" in hamburg.locator("title").text_content()  # sized by degree, not relations
    assert "Québec" in section.locator(".unplaced").inner_text()  # without coordinates: listed beside it
    hamburg.focus()
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/id/city/hamburg*")


def test_facets_filter_the_index_and_columns_sort(site: Server, tab: Any) -> None:
    tab.goto(site.url + "/entities/city?lang=en")
    all_rows = tab.locator("table.index tbody tr").count()
    germany = tab.locator("aside.facets .facet", has_text="Country").locator("a", has_text="Germany")
    expected = int(germany.locator("xpath=..").locator(".count").inner_text())
    germany.click()
    tab.wait_for_load_state()
    assert "country=https" in tab.url
    rows = tab.locator("table.index tbody tr")
    assert rows.count() == expected < all_rows
    assert set(tab.locator("table.index tbody td:nth-child(2)").all_inner_texts()) == {"Germany"}
    assert "Hamburg" in tab.locator("table.index").inner_text()
    # the name column sorts both ways
    names = tab.locator("table.index tbody td:first-child").all_inner_texts()
    tab.locator("table.index th button.sort").first.click()
    assert tab.locator("table.index tbody td:first-child").all_inner_texts() == sorted(
        names, key=str.lower, reverse=True
    )
    # the chosen value is a link that removes the filter
    tab.locator("aside.facets li.chosen a").click()
    tab.wait_for_load_state()
    assert tab.locator("table.index tbody tr").count() == all_rows


def test_search_facets_and_suggestions(site: Server, tab: Any) -> None:
    tab.goto(site.url + "/search?q=hamburg&lang=en")
    results = tab.locator("ol.results li").count()
    type_facet = tab.locator("aside.facets .facet", has_text="Type")
    type_facet.locator("a", has_text="City").first.click()
    tab.wait_for_load_state()
    kept = tab.locator("ol.results li")
    assert 0 < kept.count() < results
    assert {t.lower() for t in tab.locator("ol.results li .type").all_text_contents()} == {"city"}
    # suggestions as you type, chosen with the keyboard
    box = tab.locator("header.site #q")
    box.fill("")  # the search page fills it with the search
    box.press_sequentially("queb", delay=20)
    tab.wait_for_selector("#q-suggestions li")
    assert box.get_attribute("aria-expanded") == "true"
    assert "Quebec" in tab.locator("#q-suggestions").inner_text()
    box.press("ArrowDown")
    box.press("Enter")
    tab.wait_for_url("**/id/**")
    assert "Quebec" in tab.locator("h1").inner_text() or "Québec" in tab.locator("h1").inner_text()


def test_suggest_route(site: Server) -> None:
    reply = site.get("/search/suggest", params={"q": "québ", "lang": "fr", "limit": "3"})
    assert (reply.status, reply.content_type) == (200, "application/json")
    data = reply.json()
    assert data["q"] == "québ" and 0 < len(data["suggestions"]) <= 3
    first = data["suggestions"][0]
    assert set(first) == {"label", "type", "iri", "href"} and "Québec" in first["label"]
    assert site.get("/search/suggest", params={"q": "q"}).json()["suggestions"] == []  # too short


def test_facet_value_must_be_an_iri(site: Server) -> None:
    reply = site.get("/entities/city", params={"country": "Germany"})
    assert reply.status == 400 and "takes an IRI" in reply.text


#: one page of every type the site has (the mapped server: the place page has its map and charts)
PAGE_TYPES = {
    "home": "/?lang=en",
    "place": "/id/city/hamburg.html?lang=de",
    "region": "/id/region/quebec.html?lang=fr",
    "organisation": "/id/org/universitaet-hamburg.html?lang=en",
    "person": "/id/person/peter-tschentscher.html?lang=en",
    "agreement": "/id/agreement/hamburg-quebec-strategic-partnership-2024.html?lang=en",
    "source graph": "/graph/hamburg-de-partnerstaedte.html?lang=en",
    "pair": "/relations/city/hamburg/region/quebec?lang=en",
    "index": "/entities?lang=en",
    "index of a type": "/entities/agreement?lang=fr",
    "search": "/search?q=hamburg&lang=de",
    "query": "/sparql?"
    + urlencode({"lang": "en", "query": "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s LIMIT 40"}),
    "query API": "/api?lang=en",
    "ontology": "/ontology?lang=en",
    "VoID": "/.well-known/void?format=html&lang=en",
    "draft": "/draft?lang=en",
    "network": "/network?lang=fr",
    "concept": "/concept/agreement-type/city-twinning.html?lang=de",
    "index with facets": "/entities?lang=de&type=city",
    "reconcile preview": "/reconcile/preview?id=city/hamburg&lang=fr",
    "unknown address": "/no/such/page",
    "not found": "/id/city/atlantis.html?lang=en",
}


def test_every_page_type_passes_axe(mapped: Server, tab: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = {}
    for name, path in PAGE_TYPES.items():
        tab.goto(mapped.url + path)
        if name == "query":
            tab.wait_for_selector("#output[data-done]")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in axe.run(tab).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            found[f"{name} {path}"] = serious
    assert not found, "\n".join(f"{page}:\n  " + "\n  ".join(v) for page, v in found.items())
