"""The kinds of entity the site lists: type segments of instance IRIs, their class labels, counts per kind.

An instance IRI is ``{base}id/<type>/<slug>``; the type segment (``city``, ``org``,
``agreement``, ...) names its kind on the pages, the search and the suggestions,
labelled by its ontology class in the page's language.
"""

from __future__ import annotations

from typing import Any

from relgraph.namespaces import RG
from relgraph.summary import Runner, engine_runner, label, labels_of
from relgraph.summary import kind_counts as summary_kind_counts

from .runtime import runtime
from .urls import urls

__all__ = ["TYPES", "TYPE_CLASS", "class_labels", "kind_counts", "prefixes", "run", "type_label", "type_of"]

#: The type segments of instance IRIs, in index order.
TYPES = (
    "city",
    "region",
    "country",
    "site",
    "org",
    "person",
    "post",
    "tenure",
    "agreement",
    "signing",
    "signature",
    "cooperation",
    "project",
    "quotation",
    "study",
    "strategy",
    "source",
)
#: type segment → ontology class (``rg:``) whose label names it.
TYPE_CLASS = {
    "city": "City",
    "region": "Region",
    "country": "Country",
    "site": "Site",
    "org": "Organization",
    "person": "Person",
    "post": "Post",
    "tenure": "Tenure",
    "agreement": "Agreement",
    "signing": "Signing",
    "signature": "Signature",
    "cooperation": "Cooperation",
    "project": "Project",
    "quotation": "Quotation",
    "study": "Study",
    "strategy": "Strategy",
    "source": "SourceDocument",
}


def run() -> Runner:
    """The engine of this process as a runner of typed rows (:mod:`relgraph.summary`)."""
    return engine_runner(runtime().engine)


def prefixes() -> tuple[str, str]:
    """IRIs the pages list and search: instances under the public base, concepts under the default base."""
    u = urls()
    return (u.instances, u.concepts)


def kind_counts() -> dict[str, int]:
    """Instances per type segment, counted by the store once per data version."""
    return runtime().memo("pages.kind-counts", lambda: summary_kind_counts(run(), prefixes()[0]))


def type_of(iri: str) -> str:
    """The type segment of an instance IRI (``city``), or ``concept``."""
    instances = urls().instances
    if iri.startswith(instances):
        return iri[len(instances) :].split("/", 1)[0]
    return "concept"


def type_label(kind: str, lang: str, class_labels: dict[str, list[tuple[str, Any]]]) -> str:
    if kind == "concept":
        return {"en": "concept", "de": "Begriff", "fr": "concept"}[lang]
    cls = TYPE_CLASS.get(kind)
    if cls is None:
        return kind
    return label(class_labels, RG + cls, lang)


def class_labels() -> dict[str, list[tuple[str, Any]]]:
    """The labels of the classes of every kind, once per data version."""
    return runtime().memo("pages.class-labels", lambda: labels_of(run(), [RG + c for c in TYPE_CLASS.values()]))
