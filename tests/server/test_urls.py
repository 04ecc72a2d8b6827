"""The one URL builder (``relgraph_server.urls.Urls``): pages, languages, documents, the editor, mounted paths."""

from __future__ import annotations

import doctest
from urllib.parse import parse_qs, urlsplit

import pytest
from relgraph_server import urls as urls_module
from relgraph_server.urls import Urls

BASE = "https://w3id.org/relgraph/"
HAMBURG = BASE + "id/city/hamburg"


@pytest.mark.parametrize(
    ("iri", "page"),
    [
        (HAMBURG, "/id/city/hamburg.html"),
        (BASE + "graph/hamburg-de-2024", "/graph/hamburg-de-2024.html"),
        (BASE + "concept/field/culture", "/concept/field/culture.html"),
        ("https://w3id.org/relgraph/ontology#Agreement", "/ontology#Agreement"),
        ("https://www.wikidata.org/entity/Q1055", "https://www.wikidata.org/entity/Q1055"),  # elsewhere: itself
        ("urn:isbn:123", None),  # no web address
        (BASE + "id/", "https://w3id.org/relgraph/id/"),  # the namespace itself is no entity
    ],
)
def test_the_page_of_an_iri(iri: str, page: str | None) -> None:
    assert Urls(base=BASE).page(iri) == page


def test_links_keep_an_explicit_language_and_the_mount_path() -> None:
    u = Urls(base=BASE, root="/rg", lang="fr")
    assert u.page(HAMBURG) == "/rg/id/city/hamburg.html?lang=fr"
    assert u.page(BASE + "ontology#City") == "/rg/ontology?lang=fr#City"
    assert u.entities("city") == "/rg/entities/city?lang=fr"
    assert u.entities() == "/rg/entities?lang=fr"
    assert u.with_lang("/search?q=x") == "/search?q=x&lang=fr"
    assert u.pair(HAMBURG, BASE + "id/region/quebec") == "/rg/relations/city/hamburg/region/quebec?lang=fr"
    assert u.document("id/city/hamburg", "ttl") == "/rg/id/city/hamburg.ttl"  # documents carry no language
    assert Urls(base=BASE).with_lang("/search") == "/search"


def test_a_rebased_dataset_keeps_concepts_under_the_default_base() -> None:
    u = Urls(base="http://localhost:8000/")
    assert u.page("http://localhost:8000/id/city/hamburg") == "/id/city/hamburg.html"
    assert u.local(BASE + "concept/field/culture") == "concept/field/culture"  # never rebased by the loader
    assert u.local(HAMBURG) is None  # an instance of the default base is elsewhere here
    assert u.dataset() == "http://localhost:8000/.well-known/void#relgraph"


def test_the_editor_link_carries_the_query_as_a_value() -> None:
    query = 'SELECT * WHERE { ?s ?p "a & b=c" } # ?lang=xx'
    href = Urls(base=BASE, root="/rg").editor(query, "de")
    parts = urlsplit(href)
    assert parts.path == "/rg/sparql"
    assert parse_qs(parts.query) == {"query": [query], "lang": ["de"]}


def test_variants_of_an_address() -> None:
    u = Urls(base=BASE)
    args = [("kind", "twinning"), ("kind", "mou"), ("page", "2"), ("lang", "de")]
    assert u.variant("/entities/agreement", args, page=3) == "/entities/agreement?kind=twinning&kind=mou&lang=de&page=3"
    assert u.variant("/entities/agreement", args, page=None, kind=None, lang=None) == "/entities/agreement"
    assert u.csv("/id/city/hamburg.html", {"format": "html", "lang": "fr"}, "relations") == (
        "/id/city/hamburg.html?lang=fr&format=csv&table=relations"
    )
    switch = u.languages("/search", [("q", "Québec"), ("lang", "de")])
    assert [s["code"] for s in switch] == ["en", "de", "fr"]
    assert [parse_qs(urlsplit(s["href"]).query) for s in switch][2] == {"q": ["Québec"], "lang": ["fr"]}
    assert all(s["name"] for s in switch)


def test_the_docstring_examples_hold() -> None:
    results = doctest.testmod(urls_module)
    assert results.attempted >= 1 and results.failed == 0
