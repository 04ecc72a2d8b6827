# DELETE/INSERT … WHERE (the change is computed on a copy): Hamburg's labels are replaced by an untagged one.
# expect: violation https://w3id.org/relgraph/id/city/hamburg
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
DELETE { GRAPH ?g { city:hamburg rdfs:label ?l } } INSERT { GRAPH graph:hamburg-de-2024-02-28-quebec { city:hamburg rdfs:label "Hamburg" } }
WHERE { GRAPH ?g { city:hamburg rdfs:label ?l } }
