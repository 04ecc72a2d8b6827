"""The pages in real headless Chromium (Playwright drives the system's /usr/bin/chromium).

Needs ``apt-get install chromium`` and ``pip install playwright`` (never
``playwright install``: no browser download). Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chromium_support import chromium, skip_without_chromium
from pages_support import ARTIFACTS
from sparql_http import Server

pytestmark = skip_without_chromium


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium(tmp_path_factory.mktemp("chromium-profile"), extra_http_headers={"Accept-Language": "en"}) as context:
        yield context


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    tab.close()
    assert not errors, errors


def test_hamburg_shows_quebec_signing(site: Server, page: Any) -> None:
    page.goto(site.url + "/id/city/hamburg")  # the IRI: 303 to the HTML page
    assert page.url.endswith("/id/city/hamburg.html")
    assert page.locator("h1").inner_text() == "Hamburg"
    row = page.locator("table.relations tr", has_text="Hamburg–Quebec strategic partnership")
    assert row.count() == 1
    text = row.inner_text()
    for expected in ("Quebec", "20 February 2024", "economy", "culture", "science", "research"):
        assert expected in text
    assert "Peter Tschentscher" in text and "First Mayor of Hamburg" in text
    assert "Martine Biron" in text and "Minister of International Relations and La Francophonie" in text
    shanghai = page.locator("table.relations tr", has_text="Hamburg–Shanghai city twinning").inner_text()
    assert "1979" in shanghai and "29 May 1986" in shanghai and "Sources disagree" in shanghai
    assert page.locator("button.copy").is_visible()  # the JS enhancement ran
    assert page.locator("svg.net a").count() >= 10
    page.screenshot(path=str(ARTIFACTS / "hamburg-en.png"), full_page=True)


def test_language_switch(site: Server, page: Any) -> None:
    page.goto(site.url + "/id/city/hamburg.html")
    page.locator("nav.langs a[hreflang=fr]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Hambourg"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h2#relations").inner_text() == "Relations par type"
    assert page.locator("table.relations", has_text="20 février 2024").count() == 1
    # links keep the chosen language
    page.locator("table.relations a", has_text="Partenariat stratégique Hambourg–Québec").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Partenariat stratégique Hambourg–Québec"
    page.screenshot(path=str(ARTIFACTS / "agreement-fr.png"), full_page=True)
    page.locator("nav.langs a[hreflang=de]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Strategische Partnerschaft Hamburg–Québec"


def test_search_quebec_finds_quebec(site: Server, page: Any) -> None:
    page.goto(site.url + "/?lang=fr")
    page.screenshot(path=str(ARTIFACTS / "home-fr.png"), full_page=True)
    page.locator("#q").fill("Quebec")
    page.locator("#q").press("Enter")
    page.wait_for_load_state()
    # the province (the Wikidata extract beside the curated data also has Québec the city)
    hit = page.locator('ol.results a[href*="/id/region/quebec"]', has_text="Québec").first
    assert hit.is_visible()
    page.screenshot(path=str(ARTIFACTS / "search-quebec-fr.png"), full_page=True)
    hit.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Québec"
    assert page.locator("table.relations", has_text="Bavière").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "quebec-fr.png"), full_page=True)


def test_pair_page_and_mobile(site: Server, browser: Any) -> None:
    tab = browser.new_page()
    tab.set_viewport_size({"width": 390, "height": 844})
    try:
        tab.goto(site.url + "/relations/city/hamburg/region/quebec?lang=de")
        assert "Hamburg" in tab.locator("h1").inner_text() and "Québec" in tab.locator("h1").inner_text()
        assert tab.locator("table.relations", has_text="Juni 2023").count() == 1
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"page scrolls sideways on a phone ({width}px)"
        tab.screenshot(path=str(ARTIFACTS / "pair-de-mobile.png"), full_page=True)
    finally:
        tab.close()


def test_print_and_other_pages(site: Server, page: Any) -> None:
    page.goto(site.url + "/id/person/peter-tschentscher.html?lang=en")
    page.screenshot(path=str(ARTIFACTS / "person-en.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible()
    page.emulate_media(media="screen")
    page.goto(site.url + "/id/source/hamburg-de-partnerstaedte.html?lang=en")
    assert page.locator(".subject").count() > 10
    page.screenshot(path=str(ARTIFACTS / "source-en.png"), full_page=True)
    page.goto(site.url + "/entities?lang=de")
    page.screenshot(path=str(ARTIFACTS / "entities-de.png"), full_page=True)
