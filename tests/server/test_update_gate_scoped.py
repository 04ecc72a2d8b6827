"""/update with the SHACL gate checks what the update changes, removals included (both backends)."""

from __future__ import annotations

from sparql_http import Server

HAMBURG = "https://w3id.org/relgraph/id/city/hamburg"
SEED = "https://w3id.org/relgraph/graph/hamburg-de-2024-02-28-quebec"
AGREEMENT = "https://w3id.org/relgraph/id/agreement/hamburg-quebec-strategic-partnership-2024"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_a_removal_that_breaks_a_node_pointing_at_it_is_422(gated_server: Server) -> None:
    """Hamburg loses its types: the agreements naming it as a party break, not Hamburg itself."""
    server = gated_server
    version = server.get("/health").json()["data_version"]
    reply = server.update(f"DELETE WHERE {{ GRAPH ?g {{ <{HAMBURG}> a ?type }} }}")
    assert reply.status == 422, reply.text
    assert AGREEMENT in reply.text and "A party is a place or an organisation." in reply.text
    assert server.select(f"SELECT ?type WHERE {{ <{HAMBURG}> <{RDF_TYPE}> ?type }}")
    assert server.get("/health").json()["data_version"] == version


def test_delete_data_of_a_graph_description_is_422(gated_server: Server) -> None:
    server = gated_server
    source_graph = "https://w3id.org/relgraph/ontology#SourceGraph"
    update = f"DELETE DATA {{ GRAPH <{SEED}> {{ <{SEED}> <{RDF_TYPE}> <{source_graph}> }} }}"
    reply = server.update(update)
    assert reply.status == 422, reply.text
    assert SEED in reply.text
    assert server.select(f"SELECT * WHERE {{ GRAPH <{SEED}> {{ <{SEED}> <{RDF_TYPE}> ?t }} }}")
