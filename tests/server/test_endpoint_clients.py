"""Standard clients against the real server: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from sparql_http import Server
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from relgraph.resources import data_files, ontology_files

RG = "https://w3id.org/relgraph/ontology#"
AGREEMENTS = f"SELECT ?s WHERE {{ ?s a <{RG}Agreement> }}"


def _bundled_agreements() -> set[str]:
    """Agreements asserted in the bundled files (the server may infer more), computed without it."""
    store = ox.Store()
    for path in [*ontology_files(), *data_files()]:
        store.bulk_load(
            path=str(path),
            format=ox.RdfFormat.from_extension(path.suffix[1:]),
            to_graph=ox.NamedNode(f"urn:x-file:{path.name}"),
        )
    return {row["s"].value for row in store.query(AGREEMENTS, use_default_graph_as_union=True)}


def test_sparqlwrapper_select_json(server: Server) -> None:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(AGREEMENTS)
    client.setReturnFormat(JSON)
    result = client.queryAndConvert()
    expected = _bundled_agreements()
    assert expected, "the bundled data has agreements"
    assert {b["s"]["value"] for b in result["results"]["bindings"]} >= expected

    client.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    count = int(client.queryAndConvert()["results"]["bindings"][0]["n"]["value"])
    assert count > 0


def test_sparqlwrapper_ask(server: Server) -> None:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(f"ASK {{ <{RG}Agreement> ?p ?o }}")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True


def test_sparqlwrapper_construct(server: Server) -> None:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setMethod("POST")
    client.setQuery(f"CONSTRUCT {{ <{RG}Agreement> ?p ?o }} WHERE {{ <{RG}Agreement> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    data = client.queryAndConvert()
    graph = rdflib.Graph().parse(data=data, format="turtle")
    assert (rdflib.URIRef(f"{RG}Agreement"), rdflib.RDFS.label, rdflib.Literal("agreement", lang="en")) in graph


def test_sparqlwrapper_construct_rdfxml_default(server: Server) -> None:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(f"CONSTRUCT {{ <{RG}Agreement> ?p ?o }} WHERE {{ <{RG}Agreement> ?p ?o }}")
    graph = client.queryAndConvert()  # SPARQLWrapper asks for RDF/XML and parses it with rdflib
    assert len(graph) > 0


def test_rdflib_sparqlstore_select(server: Server) -> None:
    graph = rdflib.Graph(store=SPARQLStore(f"{server.url}/sparql"))
    rows = list(graph.query(AGREEMENTS))
    assert {str(row.s) for row in rows} >= _bundled_agreements()
    count = next(iter(graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))).n
    assert int(count) > 0
