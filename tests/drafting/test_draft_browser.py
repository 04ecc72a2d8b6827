"""The /draft page in real headless Chromium: paste the seed release, review, import in one step.

Playwright drives the system's /usr/bin/chromium (never a downloaded browser), as
tests/pages/test_browser.py does. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium_support import chromium, skip_without_chromium
from sparql_http import TOKEN, Server

DATA = Path(__file__).parent / "data"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = skip_without_chromium


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium(tmp_path_factory.mktemp("chromium-draft"), locale="de-DE", width=1400, height=1000) as context:
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        yield tab
        assert not errors, errors


def _review_the_seed(page: Any, server: Server, lang: str) -> None:
    """Paste the seed release into /draft and submit it: the review page."""
    page.goto(server.url + f"/draft?lang={lang}")
    page.locator("#draft-text-input").fill((DATA / "seed.txt").read_text(encoding="utf-8"))
    page.locator("#draft-submit").click()
    page.wait_for_load_state()


def test_paste_review_and_import_the_seed_release(draft_site: Server, page: Any) -> None:
    _review_the_seed(page, draft_site, "de")
    first = page.locator("#proposal-0")
    assert first.locator("select[name=a0_kind]").input_value() == "strategic-partnership"
    assert first.locator("#a0_party_1").input_value() == "Hamburg"
    assert first.locator("#a0_party_2").input_value() == "Québec"
    # the text states no signing date: none proposed; the release's date shown as the bound, and in the notes
    assert first.locator("#a0_date").input_value() == ""
    assert first.locator("#a0_date").get_attribute("placeholder") == "≤ 2024-02-28"
    assert "2024-02-28" in first.locator("#a0_notes").input_value()
    assert first.locator("#a0_signatory_1").input_value() == "Peter Tschentscher"
    assert first.locator("#a0_post_1").input_value() == "Bürgermeister"
    assert first.locator("#a0_signatory_2").input_value() == "Martine Biron"
    assert first.locator("#a0_post_2").input_value().startswith("Ministerin für internationale Beziehungen")
    assert first.locator("#a0_fields").input_value() == "economy; science; research; culture"
    # each fact's evidence is highlighted in the text, and its link jumps to the mark
    text = page.locator("#draft-text")
    for mark, words in (
        ("ev-a0-kind", "strategische Partnerschaft"),
        ("ev-a0-sig0", "Peter Tschentscher"),
        ("ev-a0-sig1", "Martine Biron"),
        ("ev-a0-field0", "Wirtschaft"),
        ("ev-a0-field3", "Kultur"),
        ("ev-a0-party1", "Québec"),
    ):
        assert text.locator(f"mark#{mark}").inner_text() == words
    first.locator('a[href="#ev-a0-sig1"]').click()
    assert page.evaluate("location.hash") == "#ev-a0-sig1"
    page.screenshot(path=str(ARTIFACTS / "draft-review-de.png"), full_page=True)
    # one step: the token and the import button
    page.locator("#draft-token").fill(TOKEN)
    page.locator("#draft-import").click()
    page.wait_for_load_state()
    assert page.locator("#draft-imported").is_visible(), page.content()
    page.screenshot(path=str(ARTIFACTS / "draft-imported-de.png"), full_page=True)
    graph = "https://w3id.org/relgraph/graph/2024-02-28-hamburg-und-quebec-unterzeichnen-strategische-partnerschaft"
    assert draft_site.ask(
        "PREFIX rg: <https://w3id.org/relgraph/ontology#> "
        f"ASK {{ GRAPH <{graph}> {{ ?a rg:party <https://w3id.org/relgraph/id/region/quebec> ; rg:signing ?s . "
        "?s rg:signature/rg:signatory <https://w3id.org/relgraph/id/person/martine-biron> } }"
    )


def test_the_review_page_offers_the_texts_names_and_passes_axe(draft_site: Server, page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    _review_the_seed(page, draft_site, "fr")
    blanks = page.locator("fieldset.draft-blank")
    assert blanks.count() == 8 and not any(b.is_checked() for b in blanks.locator("input[type=checkbox]").all())
    blank = blanks.first
    # the first open, the others folded until asked for
    assert blank.is_visible() and not blanks.nth(3).is_visible()
    page.locator("#draft-more summary").click()
    assert blanks.nth(3).is_visible()
    box = blank.locator("input[name$=_party_1]")
    # the browser binds the box to the list of the text's names (what it offers while typing)
    offered = box.evaluate("el => Array.from(el.list.options).map(o => o.value)")
    assert {"Hamburg", "Québec", "Handelskammer Hamburg"} <= set(offered)
    people = blank.locator("input[name$=_signatory_1]").evaluate("el => Array.from(el.list.options).map(o => o.value)")
    assert {"Peter Tschentscher", "Martine Biron"} <= set(people)
    serious = [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
