"""Ontology documentation: pages in de/en/fr for every term, and /ontology's content negotiation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rdflib
from flask import Flask
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from relgraph_server.ontology_docs import blueprint

from relgraph.cli import main
from relgraph.docs import LANGUAGES, load_ontology, render_html, write_docs

RG = "https://w3id.org/relgraph/ontology#"
CONCEPT = "https://w3id.org/relgraph/concept/"
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def our_terms() -> list[rdflib.URIRef]:
    graph = load_ontology()
    return sorted(
        {
            s
            for kind in KINDS
            for s in graph.subjects(RDF.type, kind)
            if isinstance(s, rdflib.URIRef) and str(s).startswith(RG)
        }
    )


def concepts() -> list[rdflib.URIRef]:
    graph = load_ontology()
    return sorted(s for s in graph.subjects(RDF.type, SKOS.Concept) if str(s).startswith(CONCEPT))


def label(term: rdflib.URIRef, lang: str) -> str:
    graph = load_ontology()
    for pred in (RDFS.label, SKOS.prefLabel):
        for value in graph.objects(term, pred):
            if getattr(value, "language", None) == lang:
                return str(value)
    raise AssertionError(f"{term} has no {lang} label")


def escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'", "&#39;")
    )


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("docs")
    assert main(["docs", "-o", str(out)]) == 0
    return {lang: (out / f"index.{lang}.html").read_text(encoding="utf-8") for lang in LANGUAGES}


def test_one_page_per_language(pages: dict[str, str]) -> None:
    assert set(pages) == {"de", "en", "fr"}
    for lang, html in pages.items():
        assert f'<html lang="{lang}">' in html


def test_the_ontology_has_terms_to_document() -> None:
    assert len(our_terms()) > 60
    assert len(concepts()) > 20


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_class_and_property_has_an_anchor_and_its_label(pages: dict[str, str], lang: str) -> None:
    html = pages[lang]
    missing = []
    for term in our_terms():
        local = str(term)[len(RG) :]
        if f'id="{local}"' not in html or escape(label(term, lang)) not in html:
            missing.append(local)
    assert missing == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_concept_is_on_the_page(pages: dict[str, str], lang: str) -> None:
    html = pages[lang]
    for concept in concepts():
        assert f'id="{str(concept)[len(CONCEPT) :]}"' in html, concept


def test_anchors_are_unique(pages: dict[str, str]) -> None:
    ids = re.findall(r'\sid="([^"]+)"', pages["en"])
    assert len(ids) == len(set(ids))


def test_pages_are_self_contained_and_print_friendly(pages: dict[str, str]) -> None:
    for html in pages.values():
        assert "<script" not in html
        assert not re.search(r'<link[^>]+stylesheet|src="https?:', html)
        assert "@media print" in html


def test_property_details_are_rendered(pages: dict[str, str]) -> None:
    html = pages["en"]
    section = html[html.index('id="partnerOf"') : html.index("</section>", html.index('id="partnerOf"'))]
    assert "symmetric" in section
    assert "party to (rg:partyTo) ∘ party (rg:party)" in section
    assert 'href="#Place"' in section and " or " in section
    assert "wdt:P190" in section
    place = html[html.index('id="Place"') : html.index("</section>", html.index('id="Place"'))]
    assert 'href="#City"' in place and "schema:Place" in place


def test_docs_writes_into_a_new_folder(tmp_path: Path) -> None:
    written = write_docs(tmp_path / "a" / "b")
    assert [p.name for p in written] == ["index.de.html", "index.en.html", "index.fr.html"]


# --- /ontology ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def client():
    app = Flask(__name__)
    app.register_blueprint(blueprint)
    return app.test_client()


HTML, TTL, RDFXML, JSONLD = "text/html", "text/turtle", "application/rdf+xml", "application/ld+json"

#: (path, Accept header, status, content type)
CONNEG = [
    ("/ontology", None, 200, HTML),
    ("/ontology", "*/*", 200, HTML),
    ("/ontology", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 200, HTML),
    ("/ontology", "text/turtle", 200, TTL),
    ("/ontology", "application/x-turtle", 200, TTL),
    ("/ontology", "application/rdf+xml", 200, RDFXML),
    ("/ontology", "application/ld+json", 200, JSONLD),
    ("/ontology", "application/json", 200, JSONLD),
    ("/ontology", "text/turtle;q=0.5, application/ld+json", 200, JSONLD),
    ("/ontology", "text/html;q=0.1, text/turtle;q=0.9", 200, TTL),
    ("/ontology", "text/*", 200, HTML),
    ("/ontology/", "text/turtle", 200, TTL),
    ("/ontology", "image/png", 406, "text/plain"),
    ("/ontology", "application/sparql-results+json", 406, "text/plain"),
    ("/ontology", "text/turtle;q=0", 406, "text/plain"),
    ("/ontology", "text/turtle;q=0, */*;q=0.1", 200, HTML),
    ("/ontology.ttl", "text/html", 200, TTL),
    ("/ontology.rdf", None, 200, RDFXML),
    ("/ontology.jsonld", None, 200, JSONLD),
    ("/ontology.html", "text/turtle", 200, HTML),
    ("/ontology.png", None, 404, "text/plain"),
]


@pytest.mark.parametrize(("path", "accept", "status", "media"), CONNEG)
def test_conneg(client, path: str, accept: str | None, status: int, media: str) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert response.mimetype == media
    if path.startswith("/ontology") and "." not in path:
        assert "Accept" in response.headers.get("Vary", "")


@pytest.mark.parametrize(("media", "fmt"), [(TTL, "turtle"), (RDFXML, "xml"), (JSONLD, "json-ld")])
def test_machine_formats_parse_and_hold_the_ontology(client, media: str, fmt: str) -> None:
    body = client.get("/ontology", headers={"Accept": media}).get_data(as_text=True)
    graph = rdflib.Graph().parse(data=body, format=fmt)
    assert (rdflib.URIRef(RG + "Place"), RDF.type, OWL.Class) in graph
    assert len(graph) == len(load_ontology())
    if media == JSONLD:
        json.loads(body)


@pytest.mark.parametrize(
    ("query", "accept_language", "lang"),
    [
        ("", None, "en"),
        ("?lang=fr", None, "fr"),
        ("", "de-DE,de;q=0.9,en;q=0.5", "de"),
        ("?lang=en", "fr", "en"),
        ("?lang=xx", "fr-CA", "fr"),
    ],
)
def test_html_language(client, query: str, accept_language: str | None, lang: str) -> None:
    headers = {"Accept": "text/html"}
    if accept_language:
        headers["Accept-Language"] = accept_language
    response = client.get("/ontology" + query, headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == lang
    assert f'<html lang="{lang}">' in response.get_data(as_text=True)
    assert "Accept-Language" in response.headers["Vary"]


def test_html_renders_every_term(client) -> None:
    html = client.get("/ontology?lang=de", headers={"Accept": "text/html"}).get_data(as_text=True)
    for term in our_terms():
        assert f'id="{str(term)[len(RG) :]}"' in html
    assert 'href="/ontology.ttl"' in html and 'href="/ontology?lang=fr"' in html
    assert html == html.replace("cdn.", "")  # nothing from a CDN


def test_render_html_matches_the_written_page(pages: dict[str, str]) -> None:
    assert render_html("fr") == pages["fr"]


def test_real_server_serves_the_ontology(tmp_path: Path) -> None:
    from relgraph_server import create_app

    app = create_app({"store": str(tmp_path / "store")})
    assert "ontology_docs" in app.blueprints
    client = app.test_client()
    assert client.get("/ontology", headers={"Accept": TTL}).mimetype == TTL
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/ontology.jsonld").mimetype == JSONLD
    assert 'id="Place"' in client.get("/ontology", headers={"Accept": HTML}).get_data(as_text=True)
