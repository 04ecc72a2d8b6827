"""Ontology documentation: one self-contained HTML page per language, from the ontology itself.

``relgraph docs -o DIR`` writes ``index.de.html``, ``index.en.html`` and
``index.fr.html``; the server's ``/ontology`` renders the same pages. Every
class, property, concept scheme and concept of the bundled ontology files is
listed with its label and definition in the page's language, its super- and
sub-classes (or domain, range and characteristics), and its alignments to
other vocabularies. Anchors are local names (``#Place``, ``#locatedIn``);
schemes are ``#scheme-{slug}`` and concepts ``#{scheme}/{slug}``. No CDN, no
script; the CSS prints well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from . import catalogs
from .namespaces import CONCEPT as CONCEPT_BASE
from .namespaces import PREFIXES, RG
from .resources import ontology_files

__all__ = ["LANGUAGES", "OntologyDoc", "load_ontology", "ontology_doc", "render_html", "write_docs"]

LANGUAGES = ("de", "en", "fr")
ONTOLOGY_IRI = "https://w3id.org/relgraph/ontology"
_DOC_PREFIXES = {**PREFIXES, "cpov": "http://data.europa.eu/m8g/", "wdt": "http://www.wikidata.org/prop/direct/"}

UI: dict[str, dict[str, str]] = catalogs.table("ontology_docs")  # tools/i18n_catalogs.py

_ALIGN = (OWL.equivalentClass, OWL.equivalentProperty, SKOS.exactMatch, SKOS.closeMatch, RDFS.seeAlso)


@dataclass
class Ref:
    """A link to a term: an anchor on the page for our terms, the IRI for others."""

    iri: str
    text: str
    href: str
    local: bool
    #: shown before this reference when it is not the first: " · ", or " or " inside a union
    sep: str = " · "


@dataclass
class Term:
    iri: str
    anchor: str
    label: str
    definition: str | None
    kind: str
    rows: list[tuple[str, list[Ref] | str]] = field(default_factory=list)


@dataclass
class Scheme:
    iri: str
    anchor: str
    label: str
    definition: str | None
    concepts: list[Term]


@dataclass
class OntologyDoc:
    lang: str
    title: str
    description: str | None
    version: str | None
    license: str | None
    classes: list[Term]
    object_properties: list[Term]
    datatype_properties: list[Term]
    annotation_properties: list[Term]
    schemes: list[Scheme]
    ui: dict[str, str]

    def terms(self) -> list[Term]:
        concepts = [c for s in self.schemes for c in s.concepts]
        return [
            *self.classes,
            *self.object_properties,
            *self.datatype_properties,
            *self.annotation_properties,
            *concepts,
        ]


@lru_cache(maxsize=4)
def _load(key: tuple[tuple[str, float], ...]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for name, _ in key:
        graph.parse(name, format="turtle")
    for prefix, ns in _DOC_PREFIXES.items():
        graph.bind(prefix, ns, replace=True)
    return graph


def load_ontology(files: Iterable[Path] | None = None) -> rdflib.Graph:
    """The bundled ontology, concept schemes and rules as one rdflib graph (cached per file version)."""
    paths = [p for p in (files if files is not None else ontology_files()) if p.suffix == ".ttl"]
    return _load(tuple((str(p), p.stat().st_mtime) for p in paths))


def _text(graph: rdflib.Graph, node: Any, preds: Iterable[Any], lang: str) -> str | None:
    found: dict[str, str] = {}
    for pred in preds:
        for value in graph.objects(node, pred):
            if isinstance(value, rdflib.Literal):
                found.setdefault(value.language or "", str(value))
        if found:
            break
    for candidate in (lang, "en", ""):
        if candidate in found:
            return found[candidate]
    return next(iter(found.values()), None)


def _local(iri: str) -> str:
    if iri.startswith(RG):
        return iri[len(RG) :]
    if iri.startswith(CONCEPT_BASE):
        return iri[len(CONCEPT_BASE) :]
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _curie(iri: str) -> str:
    for prefix, ns in _DOC_PREFIXES.items():
        if iri.startswith(ns) and iri != ns:
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


class _Builder:
    def __init__(self, graph: rdflib.Graph, lang: str) -> None:
        self.g, self.lang, self.ui = graph, lang, UI[lang]

    def label(self, node: Any) -> str:
        return _text(self.g, node, (RDFS.label, SKOS.prefLabel), self.lang) or _local(str(node))

    def definition(self, node: Any) -> str | None:
        return _text(self.g, node, (SKOS.definition, RDFS.comment), self.lang)

    def anchor(self, iri: str) -> str:
        if iri.startswith(CONCEPT_BASE):
            rest = iri[len(CONCEPT_BASE) :]
            return rest if "/" in rest else f"scheme-{rest}"
        return _local(iri)

    def ours(self, iri: str) -> bool:
        return iri.startswith((RG, CONCEPT_BASE))

    def ref(self, node: Any) -> list[Ref]:
        """One or more references; a class expression ``A ⊔ B`` becomes its members."""
        if isinstance(node, rdflib.URIRef):
            iri = str(node)
            if self.ours(iri):
                return [Ref(iri, self.label(node) + f" ({_curie(iri)})", "#" + self.anchor(iri), True)]
            return [Ref(iri, _curie(iri), iri, False)]
        members = self.g.value(node, OWL.unionOf)
        if members is not None:
            refs: list[Ref] = []
            for m in rdflib.collection.Collection(self.g, members):
                refs += self.ref(m)
            for r in refs[1:]:
                r.sep = f" {self.ui['or']} "
            return refs
        return []

    def refs(self, nodes: Iterable[Any]) -> list[Ref]:
        groups = [self.ref(n) for n in nodes]
        groups = sorted((g for g in groups if g), key=lambda g: (not g[0].local, g[0].text.lower()))
        return [r for g in groups for r in g]

    def named(self, kind: Any) -> list[rdflib.URIRef]:
        return sorted(
            {s for s in self.g.subjects(RDF.type, kind) if isinstance(s, rdflib.URIRef) and str(s).startswith(RG)},
            key=lambda s: self.label(s).lower(),
        )

    def alignments(self, node: Any, *extra: Any) -> list[Ref]:
        nodes = [o for p in _ALIGN for o in self.g.objects(node, p)]
        nodes += [
            o for p in extra for o in self.g.objects(node, p) if isinstance(o, rdflib.URIRef) and not self.ours(str(o))
        ]
        return self.refs(nodes)

    def klass(self, node: rdflib.URIRef) -> Term:
        ui, g = self.ui, self.g
        supers = [o for o in g.objects(node, RDFS.subClassOf) if isinstance(o, rdflib.URIRef)]
        subs = [s for s in g.subjects(RDFS.subClassOf, node) if isinstance(s, rdflib.URIRef)]
        disjoint = set(g.objects(node, OWL.disjointWith)) | set(g.subjects(OWL.disjointWith, node))
        for axiom in g.subjects(RDF.type, OWL.AllDisjointClasses):
            head = g.value(axiom, OWL.members)
            members = list(rdflib.collection.Collection(g, head)) if head is not None else []
            if node in members:
                disjoint |= {m for m in members if m != node}
        rows: list[tuple[str, list[Ref] | str]] = [
            (ui["superclasses"], self.refs(s for s in supers if self.ours(str(s)))),
            (ui["subclasses"], self.refs(subs)),
            (ui["disjoint"], self.refs(disjoint)),
            (ui["alignments"], self.alignments(node, RDFS.subClassOf)),
        ]
        return Term(str(node), self.anchor(str(node)), self.label(node), self.definition(node), "class", rows)

    def prop(self, node: rdflib.URIRef, kind: str) -> Term:
        ui, g = self.ui, self.g
        traits = []
        for cls, key in (
            (OWL.TransitiveProperty, "transitive"),
            (OWL.SymmetricProperty, "symmetric"),
            (OWL.FunctionalProperty, "functional"),
            (OWL.InverseFunctionalProperty, "inverse_functional"),
        ):
            if (node, RDF.type, cls) in g:
                traits.append(ui[key])
        inverse = set(g.objects(node, OWL.inverseOf)) | set(g.subjects(OWL.inverseOf, node))
        chains = []
        for chain in g.objects(node, OWL.propertyChainAxiom):
            steps = [self.ref(step)[0].text for step in rdflib.collection.Collection(g, chain) if self.ref(step)]
            chains.append(" ∘ ".join(steps) + f" ⊑ {_curie(str(node))}")
        supers = [o for o in g.objects(node, RDFS.subPropertyOf) if isinstance(o, rdflib.URIRef)]
        subs = [s for s in g.subjects(RDFS.subPropertyOf, node) if isinstance(s, rdflib.URIRef)]
        rows: list[tuple[str, list[Ref] | str]] = [
            (ui["domain"], self.refs(g.objects(node, RDFS.domain))),
            (ui["range"], self.refs(g.objects(node, RDFS.range))),
            (ui["characteristics"], ", ".join(traits)),
            (ui["inverse"], self.refs(inverse)),
            (ui["chain"], "; ".join(chains)),
            (ui["superproperties"], self.refs(s for s in supers if self.ours(str(s)))),
            (ui["subproperties"], self.refs(subs)),
            (ui["alignments"], self.alignments(node, RDFS.subPropertyOf)),
        ]
        return Term(str(node), self.anchor(str(node)), self.label(node), self.definition(node), kind, rows)

    def concept(self, node: rdflib.URIRef) -> Term:
        ui, g = self.ui, self.g
        notation = ", ".join(sorted(str(n) for n in g.objects(node, SKOS.notation)))
        rows: list[tuple[str, list[Ref] | str]] = [
            (ui["notation"], notation),
            (ui["broader"], self.refs(g.objects(node, SKOS.broader))),
            (ui["alignments"], self.alignments(node)),
        ]
        return Term(str(node), self.anchor(str(node)), self.label(node), self.definition(node), "concept", rows)

    def build(self) -> OntologyDoc:
        g, ui = self.g, self.ui
        onto = rdflib.URIRef(ONTOLOGY_IRI)
        schemes = []
        for scheme in sorted(
            (s for s in g.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, rdflib.URIRef)),
            key=lambda s: self.label(s).lower(),
        ):
            concepts = sorted(
                (c for c in g.subjects(SKOS.inScheme, scheme) if isinstance(c, rdflib.URIRef)),
                key=lambda c: self.label(c).lower(),
            )
            schemes.append(
                Scheme(
                    str(scheme),
                    self.anchor(str(scheme)),
                    self.label(scheme),
                    self.definition(scheme),
                    [self.concept(c) for c in concepts],
                )
            )
        license_ = g.value(onto, DCTERMS.license)
        return OntologyDoc(
            lang=self.lang,
            title=_text(g, onto, (DCTERMS.title,), self.lang) or "relgraph",
            description=_text(g, onto, (DCTERMS.description,), self.lang),
            version=str(g.value(onto, OWL.versionInfo) or "") or None,
            license=str(license_) if license_ else None,
            classes=[self.klass(c) for c in self.named(OWL.Class)],
            object_properties=[self.prop(p, "object") for p in self.named(OWL.ObjectProperty)],
            datatype_properties=[self.prop(p, "datatype") for p in self.named(OWL.DatatypeProperty)],
            annotation_properties=[self.prop(p, "annotation") for p in self.named(OWL.AnnotationProperty)],
            schemes=schemes,
            ui=ui,
        )


def ontology_doc(lang: str, *, graph: rdflib.Graph | None = None) -> OntologyDoc:
    """The documentation model in one language (``de``, ``en`` or ``fr``)."""
    if lang not in UI:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return _Builder(graph if graph is not None else load_ontology(), lang).build()


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(
    lang: str,
    *,
    graph: rdflib.Graph | None = None,
    lang_href: Callable[[str], str] = lambda code: f"index.{code}.html",
    format_href: Callable[[str], str] | None = None,
) -> str:
    """The HTML page in ``lang``; ``lang_href``/``format_href`` make the links between versions."""
    doc = ontology_doc(lang, graph=graph)
    template = _environment().get_template("ontology.html.j2")
    return template.render(doc=doc, languages=LANGUAGES, lang_href=lang_href, format_href=format_href)


def write_docs(output: Path, *, graph: rdflib.Graph | None = None) -> list[Path]:
    """Write ``index.{de,en,fr}.html`` into ``output`` (created if needed)."""
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in LANGUAGES:
        path = output / f"index.{lang}.html"
        path.write_text(render_html(lang, graph=graph), encoding="utf-8")
        written.append(path)
    return written
