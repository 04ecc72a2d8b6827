"""Cool URIs: 303 by Accept, documents by suffix, 406/404, and what a data document says (parsed with rdflib)."""

from __future__ import annotations

import pytest
import rdflib
from pages_support import BASE, HTML
from rdflib.namespace import DCTERMS, FOAF, RDFS, VOID
from sparql_http import Server

HAMBURG = "/id/city/hamburg"
AGREEMENT = "/id/agreement/hamburg-quebec-strategic-partnership-2024"
CONCEPT = "/concept/field/culture"

#: (path, Accept, expected status, expected Location or None)
CONNEG = [
    (HAMBURG, HTML["Accept"], 303, HAMBURG + ".html"),
    (HAMBURG, "text/html", 303, HAMBURG + ".html"),
    (HAMBURG, None, 303, HAMBURG + ".html"),
    (HAMBURG, "*/*", 303, HAMBURG + ".html"),
    (HAMBURG, "text/turtle", 303, HAMBURG + ".ttl"),
    (HAMBURG, "application/ld+json", 303, HAMBURG + ".jsonld"),
    (HAMBURG, "application/n-triples", 303, HAMBURG + ".nt"),
    (HAMBURG, "application/rdf+xml", 303, HAMBURG + ".rdf"),
    (HAMBURG, "application/trig", 303, HAMBURG + ".trig"),
    (HAMBURG, "application/n-quads", 303, HAMBURG + ".nq"),
    (HAMBURG, "text/turtle;q=0.5, application/ld+json", 303, HAMBURG + ".jsonld"),
    (HAMBURG, "application/rdf+xml, text/html;q=0.1", 303, HAMBURG + ".rdf"),
    (HAMBURG, "application/json", 303, HAMBURG + ".jsonld"),
    (HAMBURG, "image/png", 406, None),
    (HAMBURG, "text/turtle;q=0", 406, None),
    (AGREEMENT, "text/turtle", 303, AGREEMENT + ".ttl"),
    (CONCEPT, "text/turtle", 303, CONCEPT + ".ttl"),
    (CONCEPT, "text/html", 303, CONCEPT + ".html"),
    ("/id/city/atlantis", "text/turtle", 404, None),
    ("/id/city/atlantis", "text/html", 404, None),
    ("/id/city/hamburg.pdf", None, 404, None),
    ("/id/city/Ham%20burg", None, 404, None),
]


@pytest.mark.parametrize(("path", "accept", "status", "location"), CONNEG)
def test_conneg_matrix(site: Server, path: str, accept: str | None, status: int, location: str | None) -> None:
    reply = site.get(path, headers={"Accept": accept} if accept else None)
    assert reply.status == status, reply.text
    if location is not None:
        assert reply.headers["Location"] == location
    if status in (303, 406):
        assert "Accept" in reply.headers.get("Vary", "")
    if status == 406:
        assert ".ttl" in reply.text and 'rel="alternate"' in reply.headers["Link"]
    if status == 404 and accept == "text/html":
        assert reply.content_type == "text/html"


def test_redirect_keeps_the_query_string(site: Server) -> None:
    reply = site.get(HAMBURG + "?lang=fr", headers={"Accept": "text/html"})
    assert reply.headers["Location"] == HAMBURG + ".html?lang=fr"


#: suffix → (Content-Type, rdflib parser)
DOCUMENTS = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "xml"),
    "trig": ("application/trig", "trig"),
    "nq": ("application/n-quads", "nquads"),
}


@pytest.mark.parametrize("suffix", list(DOCUMENTS))
@pytest.mark.parametrize("path", [HAMBURG, AGREEMENT, "/id/person/peter-tschentscher", CONCEPT])
def test_data_documents(site: Server, path: str, suffix: str) -> None:
    media, parser = DOCUMENTS[suffix]
    reply = site.get(f"{path}.{suffix}")
    assert reply.status == 200, reply.text
    assert reply.content_type == media
    graph = rdflib.Dataset() if suffix in ("trig", "nq") else rdflib.Graph()
    graph.parse(data=reply.body, format=parser)
    thing = rdflib.URIRef(BASE + path.lstrip("/"))
    doc = rdflib.URIRef(BASE + path.lstrip("/") + "." + suffix)
    triples = graph if suffix not in ("trig", "nq") else graph.graph(rdflib.graph.DATASET_DEFAULT_GRAPH_ID)
    assert (doc, FOAF.primaryTopic, thing) in triples
    assert (doc, DCTERMS.license, rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")) in triples
    assert (doc, VOID.inDataset, None) in triples
    assert len(list(triples.objects(doc, DCTERMS.source))) >= 1
    if suffix in ("trig", "nq"):
        assert any(ctx.identifier.startswith(BASE + "graph/") for ctx in graph.graphs() if (thing, None, None) in ctx)
    else:
        assert (thing, None, None) in graph


def test_hamburg_document_has_incoming_links_labels_and_sources(site: Server) -> None:
    graph = rdflib.Graph().parse(data=site.get(HAMBURG + ".ttl").body, format="turtle")
    hamburg = rdflib.URIRef(BASE + "id/city/hamburg")
    rg = rdflib.Namespace("https://w3id.org/relgraph/ontology#")
    shanghai = rdflib.URIRef(BASE + "id/agreement/hamburg-shanghai-city-twinning")
    assert (shanghai, rg.party, hamburg) in graph  # an incoming link
    assert (shanghai, RDFS.label, rdflib.Literal("Hamburg–Shanghai city twinning", lang="en")) in graph
    assert (hamburg, RDFS.label, rdflib.Literal("Hambourg", lang="fr")) in graph
    sources = set(graph.objects(rdflib.URIRef(BASE + "id/city/hamburg.ttl"), DCTERMS.source))
    assert rdflib.URIRef(BASE + "graph/hamburg-de-partnerstaedte") in sources
    assert rdflib.URIRef(BASE + "graph/hamburg-magazin-hamburgs-partnerstaedte") in sources


def test_trig_keeps_disagreeing_sources_apart(site: Server) -> None:
    ds = rdflib.Dataset().parse(data=site.get("/id/signing/hamburg-shanghai-city-twinning.trig").body, format="trig")
    signing = rdflib.URIRef(BASE + "id/signing/hamburg-shanghai-city-twinning")
    date = rdflib.URIRef("https://w3id.org/relgraph/ontology#date")
    by_graph = {str(ctx.identifier): str(o) for ctx in ds.graphs() for o in ctx.objects(signing, date)}
    assert by_graph == {
        BASE + "graph/hamburg-de-jubilaeum-shanghai": "1986-05-29",
        BASE + "graph/hamburg-magazin-hamburgs-partnerstaedte": "1979",
    }


def test_page_states_licence_and_links_documents(site: Server) -> None:
    reply = site.get(HAMBURG + ".html")
    assert reply.status == 200
    assert 'rel="license" href="https://creativecommons.org/licenses/by/4.0/"' in reply.text
    for suffix in DOCUMENTS:
        assert f'href="{HAMBURG}.{suffix}"' in reply.text
