"""An unknown address answers a browser with the site's own 404 page (title, language, header: axe),
and every other client with the one-line error."""

from __future__ import annotations

from pages_support import HTML
from sparql_http import Server


def test_unknown_address_is_the_sites_page_for_a_browser(site: Server) -> None:
    page = site.get("/no/such/page", params={"lang": "de"}, headers=HTML)
    assert page.status == 404 and page.content_type == "text/html"
    assert '<html lang="de">' in page.text and "<title>" in page.text
    plain = site.get("/no/such/page")  # other clients: the one-line error, as before
    assert plain.status == 404 and plain.content_type == "text/plain"
