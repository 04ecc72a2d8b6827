# A new agreement whose second party is a node nothing types.
# expect: violation https://w3id.org/relgraph/id/agreement/hamburg-nowhere-2024
PREFIX rg: <https://w3id.org/relgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX graph: <https://w3id.org/relgraph/graph/>
PREFIX city: <https://w3id.org/relgraph/id/city/>
PREFIX region: <https://w3id.org/relgraph/id/region/>
PREFIX person: <https://w3id.org/relgraph/id/person/>
PREFIX post: <https://w3id.org/relgraph/id/post/>
PREFIX agreement: <https://w3id.org/relgraph/id/agreement/>
PREFIX at: <https://w3id.org/relgraph/concept/agreement-type/>
INSERT DATA { GRAPH graph:hamburg-de-2024-02-28-quebec {
  agreement:hamburg-nowhere-2024 a rg:Agreement ;
    rdfs:label "Hamburg–Nowhere"@de , "Hamburg–Nowhere"@en , "Hamburg–Nowhere"@fr ;
    rg:agreementType at:strategic-partnership ;
    rg:party city:hamburg , city:nowhere .
} }
