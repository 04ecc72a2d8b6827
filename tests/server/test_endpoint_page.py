"""The query page (HTML, de/en/fr, own static files) and the Service Description."""

from __future__ import annotations

import html

import pytest
import rdflib
from rdflib.namespace import RDF, RDFS
from relgraph_server.ui import EXAMPLES_DIR, load_examples
from sparql_http import Server

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
HTML = {"Accept": "text/html"}


def test_query_page_renders(server: Server) -> None:
    reply = server.get("/sparql", headers=HTML)
    assert (reply.status, reply.content_type) == (200, "text/html")
    page = html.unescape(reply.text)
    assert "<textarea" in page and 'name="query"' in page
    for title in (
        "All agreements with their parties and signing dates",
        "Everything about Hamburg",
        "Partners of Québec",
    ):
        assert title in page
    assert "/static/query.js" in page and "/static/query.css" in page
    assert 'src="http' not in page and 'stylesheet" href="http' not in page, "no CDN: the app serves its own files"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/static/query.js", "text/javascript"),
        ("/static/query.css", "text/css"),
        ("/static/vendor/sparql-editor.min.js", "text/javascript"),
        ("/static/vendor/LICENSES/codemirror.txt", "text/plain"),
    ],
)
def test_static_files(server: Server, path: str, content_type: str) -> None:
    reply = server.get(path)
    assert (reply.status, reply.content_type) == (200, content_type)
    assert len(reply.body) > 500


@pytest.mark.parametrize(
    ("params", "headers", "expected"),
    [
        ({}, HTML, "Run query"),
        ({"lang": "de"}, HTML, "Abfrage ausführen"),
        ({"lang": "fr"}, HTML, "Exécuter la requête"),
        ({}, {**HTML, "Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}, "Exécuter la requête"),
        ({}, {**HTML, "Accept-Language": "de-DE"}, "Abfrage ausführen"),
        ({"lang": "en"}, {**HTML, "Accept-Language": "de"}, "Run query"),
        ({}, {**HTML, "Accept-Language": "ja"}, "Run query"),
    ],
)
def test_page_languages(server: Server, params: dict, headers: dict, expected: str) -> None:
    reply = server.get("/sparql", params=params, headers=headers)
    assert expected in html.unescape(reply.text)


def test_page_without_javascript_shows_results(server: Server) -> None:
    query = "SELECT ?label WHERE { <https://w3id.org/relgraph/ontology#Agreement> rdfs:label ?label }"
    query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + query
    reply = server.get("/sparql", params={"query": query, "lang": "de"}, headers=HTML)
    assert (reply.status, reply.content_type) == (200, "text/html")
    page = html.unescape(reply.text)
    assert "<table>" in page and "Vereinbarung" in page
    assert "format=csv" in page  # download links


def test_page_shows_errors_with_their_status(server: Server) -> None:
    reply = server.get("/sparql", params={"query": "SELECT * WHERE {"}, headers=HTML)
    assert (reply.status, reply.content_type) == (400, "text/html")
    assert "line" in reply.text.lower()


def test_front_page_redirects_to_endpoint(server: Server) -> None:
    reply = server.get("/")
    assert reply.status == 302 and reply.headers["Location"].endswith("/sparql")


def _description(server: Server, accept: str | None = None) -> rdflib.Graph:
    reply = server.get("/sparql", headers={"Accept": accept} if accept else None)
    assert reply.status == 200, reply.text
    assert reply.content_type == "text/turtle"
    return rdflib.Graph().parse(data=reply.body, format="turtle")


def test_service_description(server: Server) -> None:
    graph = _description(server)
    service = graph.value(predicate=RDF.type, object=SD.Service, any=True)
    services = set(graph.subjects(RDF.type, SD.Service))
    main = next(s for s in services if (s, SD.supportedLanguage, SD.SPARQL11Query) in graph)
    assert service is not None
    assert str(graph.value(main, SD.endpoint)) == f"{server.url}/sparql"
    assert (main, SD.feature, SD.UnionDefaultGraph) in graph
    assert "union of all named graphs" in str(graph.value(main, RDFS.comment))
    formats = {str(f).rsplit("/", 1)[-1] for f in graph.objects(main, SD.resultFormat)}
    assert formats >= {
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
    }
    # updates are on for this server: SPARQL11Update at /update
    updater = next(s for s in services if (s, SD.supportedLanguage, SD.SPARQL11Update) in graph)
    assert str(graph.value(updater, SD.endpoint)) == f"{server.url}/update"
    assert (main, SD.supportedLanguage, SD.SPARQL11Update) not in graph, "/sparql itself takes no updates"
    # one sd:namedGraph per graph of the store
    dataset = graph.value(main, SD.defaultDataset)
    names = {str(graph.value(ng, SD.name)) for ng in graph.objects(dataset, SD.namedGraph)}
    rows = server.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert names == {row["g"] for row in rows}
    assert "https://w3id.org/relgraph/graph/relgraph" in names


def test_service_description_without_updates(open_server: Server) -> None:
    graph = _description(open_server, "text/turtle")
    assert (None, SD.supportedLanguage, SD.SPARQL11Update) not in graph
    assert (None, SD.supportedLanguage, SD.SPARQL11Query) in graph


def test_service_description_other_rdf_formats(server: Server) -> None:
    reply = server.get("/sparql", headers={"Accept": "application/rdf+xml"})
    assert reply.content_type == "application/rdf+xml"
    graph = rdflib.Graph().parse(data=reply.body, format="xml")
    assert (None, RDF.type, SD.Service) in graph


def test_every_example_is_in_the_dropdown(server: Server) -> None:
    page = html.unescape(server.get("/sparql", headers=HTML).text)
    examples = load_examples()
    assert len(examples) >= 5
    for example in examples:
        assert f'<option value="{example.name}">{example.title}' in page


@pytest.mark.parametrize("path", sorted(EXAMPLES_DIR.glob("*.rq")), ids=lambda p: p.stem)
def test_shipped_examples_run(server: Server, path) -> None:
    reply = server.query(path.read_text(encoding="utf-8"), accept="application/sparql-results+json")
    assert reply.status == 200, reply.text
    assert reply.json()["results"]["bindings"], f"{path.name} finds nothing in the bundled data"


def test_empty_form_submission_shows_the_page_with_the_error(server: Server) -> None:
    reply = server.get("/sparql", params={"query": "", "lang": "fr"}, headers=HTML)
    assert (reply.status, reply.content_type) == (400, "text/html")
    assert "Erreur" in html.unescape(reply.text) and "empty" in reply.text
