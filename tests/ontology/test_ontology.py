"""The relgraph ontology: syntax, metadata, labels in de/en/fr, and OWL consistency."""

from __future__ import annotations

from pathlib import Path

import owlready2
import pyoxigraph as ox
import pytest
from pyoxigraph import Triple
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = ROOT / "ontology"
SEED_DIR = ROOT / "data" / "seed"
RG = Namespace("https://w3id.org/relgraph/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/relgraph/ontology")
CONCEPTS_IRI = URIRef("https://w3id.org/relgraph/concept")
VANN = Namespace("http://purl.org/vocab/vann/")
LANGUAGES = ("de", "en", "fr")
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def ontology_files() -> list[Path]:
    return sorted(p for p in ONTOLOGY_DIR.glob("*.ttl") if p.name != "shapes.ttl")


def load_ontology() -> Graph:
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


ONTOLOGY = load_ontology()


def rg_terms() -> list[URIRef]:
    return sorted(
        {
            s
            for t in TERM_TYPES
            for s in ONTOLOGY.subjects(RDF.type, t)
            if isinstance(s, URIRef) and s.startswith(str(RG))
        }
    )


def concepts_and_schemes() -> list[URIRef]:
    return sorted({s for t in (SKOS.Concept, SKOS.ConceptScheme) for s in ONTOLOGY.subjects(RDF.type, t)})


def languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language}


@pytest.mark.parametrize("path", ontology_files(), ids=lambda p: p.name)
def test_parses_with_rdflib(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    assert len(graph) > 100
    assert any(graph.subjects(RDF.type, OWL.Ontology)), f"{path.name} declares no owl:Ontology"


def test_expected_terms_exist() -> None:
    names = {str(t).removeprefix(str(RG)) for t in rg_terms()}
    required = {
        "Place", "Country", "Region", "FederalState", "Province", "City", "Organization",
        "GovernmentBody", "Ministry", "University", "ResearchCentre", "Cluster", "Association",
        "ChamberOfCommerce", "InternationalOrganization", "Person", "Post", "Tenure", "Agreement",
        "Signing", "Signature", "Cooperation", "Project", "Study", "Strategy", "Quotation",
        "SourceDocument", "SourceGraph", "locatedIn", "country", "postIn", "holder", "post",
        "startDate", "endDate", "agreementType", "party", "partyTo", "partnerOf", "field", "status",
        "validFrom", "validUntil", "timeLimited", "partOf", "frames", "aim", "renews", "signing",
        "date", "place", "signature", "signatory", "inPost", "onBehalfOf", "sharedAmbition",
        "participant", "initiatedBy", "author", "about", "goal", "speaker", "text", "quotedIn",
        "wikidataId",
    }  # fmt: skip
    assert required <= names, f"missing terms: {sorted(required - names)}"
    assert (RG.locatedIn, RDF.type, OWL.TransitiveProperty) in ONTOLOGY
    assert (RG.partnerOf, RDF.type, OWL.SymmetricProperty) in ONTOLOGY
    assert (RG.party, OWL.inverseOf, RG.partyTo) in ONTOLOGY
    assert (RG.partOf, OWL.inverseOf, RG.frames) in ONTOLOGY


def test_metadata() -> None:
    for lang in LANGUAGES:
        assert lang in languages(ONTOLOGY, ONTOLOGY_IRI, DCTERMS.title), f"dct:title@{lang} missing"
        assert lang in languages(ONTOLOGY, ONTOLOGY_IRI, DCTERMS.description), f"dct:description@{lang} missing"
    assert (ONTOLOGY_IRI, OWL.versionIRI, URIRef("https://w3id.org/relgraph/ontology/0.1.0")) in ONTOLOGY
    assert (ONTOLOGY_IRI, OWL.versionInfo, Literal("0.1.0")) in ONTOLOGY
    assert (ONTOLOGY_IRI, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in ONTOLOGY
    assert (ONTOLOGY_IRI, DCTERMS.creator, Literal("relgraph contributors")) in ONTOLOGY
    for date_property in (DCTERMS.created, DCTERMS.modified):
        value = ONTOLOGY.value(ONTOLOGY_IRI, date_property)
        assert value is not None and str(value) == "2026-11-26", f"{date_property} missing"
    assert (ONTOLOGY_IRI, VANN.preferredNamespacePrefix, Literal("rg")) in ONTOLOGY


@pytest.mark.parametrize("term", rg_terms(), ids=lambda t: str(t).removeprefix(str(RG)))
def test_term_documented_in_three_languages(term: URIRef) -> None:
    problems = [
        f"{name}@{lang}"
        for name, predicate in (("rdfs:label", RDFS.label), ("rdfs:comment", RDFS.comment))
        for lang in LANGUAGES
        if lang not in languages(ONTOLOGY, term, predicate)
    ]
    assert not problems, f"{term} lacks {', '.join(problems)}"
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ONTOLOGY, f"{term} lacks rdfs:isDefinedBy"


@pytest.mark.parametrize(
    "concept", concepts_and_schemes(), ids=lambda c: str(c).removeprefix("https://w3id.org/relgraph/concept/")
)
def test_concept_documented_in_three_languages(concept: URIRef) -> None:
    problems = [
        f"{name}@{lang}"
        for name, predicate in (("skos:prefLabel", SKOS.prefLabel), ("skos:definition", SKOS.definition))
        for lang in LANGUAGES
        if lang not in languages(ONTOLOGY, concept, predicate)
    ]
    assert not problems, f"{concept} lacks {', '.join(problems)}"
    assert (concept, RDFS.isDefinedBy, CONCEPTS_IRI) in ONTOLOGY, f"{concept} lacks rdfs:isDefinedBy"


def test_concepts_sit_in_their_scheme() -> None:
    base = "https://w3id.org/relgraph/concept/"
    for concept in ONTOLOGY.subjects(RDF.type, SKOS.Concept):
        scheme = URIRef(str(concept).rsplit("/", 1)[0])
        assert str(concept).startswith(base), concept
        assert (concept, SKOS.inScheme, scheme) in ONTOLOGY, f"{concept} not in scheme {scheme}"
        assert (scheme, RDF.type, SKOS.ConceptScheme) in ONTOLOGY, scheme
    schemes = {str(s).removeprefix(base) for s in ONTOLOGY.subjects(RDF.type, SKOS.ConceptScheme)}
    assert {"agreement-type", "field", "status"} <= schemes


def merged_ntriples(tmp_path: Path, extra: tuple[Triple, ...] = ()) -> Path:
    """Ontology, concepts and all seed graphs merged into one N-Triples file.

    owlready2 reads N-Triples best; named graphs do not matter to the reasoner.
    """
    triples: list[Triple] = list(extra)
    for path in ontology_files():
        triples.extend(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    for path in sorted(SEED_DIR.glob("*.trig")):
        triples.extend(quad.triple for quad in ox.parse(path=path, format=ox.RdfFormat.TRIG))
    target = tmp_path / "merged.nt"
    ox.serialize(triples, output=target, format=ox.RdfFormat.N_TRIPLES)
    return target


def hermit(path: Path) -> owlready2.World:
    """Run HermiT on an N-Triples file.

    xsd:date, xsd:gYearMonth and xsd:gYear are not in the OWL 2 datatype map; HermiT
    treats them as opaque only with ignore_unsupported_datatypes.
    """
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
    return world


def test_owlready2_loads_ontology(tmp_path: Path) -> None:
    path = tmp_path / "ontology.nt"
    ONTOLOGY.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    assert world[str(RG.Agreement)] is not None
    assert world[str(RG.party)] is not None


def test_hermit_consistent_with_seed_data(tmp_path: Path) -> None:
    world = hermit(merged_ntriples(tmp_path))
    hamburg = world["https://w3id.org/relgraph/id/city/hamburg"]
    assert hamburg is not None, "seed individuals did not reach the reasoner"
    inferred = {c.iri for c in hamburg.INDIRECT_is_a if hasattr(c, "iri")}
    assert str(RG.Region) in inferred, "HermiT should infer Hamburg a rg:Region (via rg:FederalState)"


def test_hermit_detects_an_inconsistency(tmp_path: Path) -> None:
    """Control: the disjointness axioms bite, so the consistency test above means something."""
    person = ox.Triple(
        ox.NamedNode("https://w3id.org/relgraph/id/city/hamburg"),
        ox.NamedNode(str(RDF.type)),
        ox.NamedNode(str(RG.Person)),
    )
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        hermit(merged_ntriples(tmp_path, extra=(person,)))
