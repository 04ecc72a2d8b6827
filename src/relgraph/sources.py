"""Sources as first-class citizens: list the source graphs, remove one source.

Every data graph is described in itself as an ``rg:SourceGraph`` with
``prov:wasDerivedFrom`` its source document (see ``ontology/README.md``).
Removing a source drops exactly the graph(s) derived from it (or the graph
named), in one transaction, and nothing else: facts other sources state about
the same entities stay. Re-importing a source replaces its graph (the loaders'
replace semantics), so there is no separate "update".
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .errors import UsageError
from .namespaces import DCT, PROV, RDFS_LABEL, RG
from .results import solutions
from .store import GraphStore

__all__ = ["SourceInfo", "list_sources", "remove_source", "source_graphs"]


@dataclass
class SourceInfo:
    graph: str
    document: str
    title: str
    publisher: str
    issued: str
    triples: int


def list_sources(store: GraphStore, *, lang: str = "en") -> list[SourceInfo]:
    """Every graph described as an ``rg:SourceGraph`` in itself, with its triple count."""
    query = f"""
        SELECT ?g (SAMPLE(?doc) AS ?d) (SAMPLE(?title) AS ?t) (SAMPLE(?pub) AS ?p) (SAMPLE(?issued) AS ?i)
        WHERE {{ GRAPH ?g {{ ?g a <{RG}SourceGraph> .
            OPTIONAL {{ ?g <{PROV}wasDerivedFrom> ?doc }}
            OPTIONAL {{ ?g <{DCT}title> ?title }}
            OPTIONAL {{ ?g <{DCT}publisher> ?pub }}
            OPTIONAL {{ ?g <{DCT}issued> ?issued }} }} }}
        GROUP BY ?g ORDER BY ?g"""
    sources = []
    for row in solutions(store.oxigraph.query(query)):
        graph = row["g"]
        publisher = row["p"]
        sources.append(
            SourceInfo(
                graph=graph.value,
                document=row["d"].value if row["d"] is not None else "",
                title=row["t"].value if row["t"] is not None else "",
                publisher=_label(store, publisher, lang) if publisher is not None else "",
                issued=row["i"].value if row["i"] is not None else "",
                triples=sum(1 for _ in store.oxigraph.quads_for_pattern(None, None, None, graph)),
            )
        )
    return sources


def _label(store: GraphStore, term: ox.NamedNode | ox.Literal, lang: str) -> str:
    if isinstance(term, ox.Literal):
        return term.value
    labels = {
        row["l"].language or "": row["l"].value
        for row in solutions(
            store.oxigraph.query(
                f"SELECT ?e ?l WHERE {{ GRAPH ?g {{ ?e <{RDFS_LABEL}> ?l }} }}", substitutions={ox.Variable("e"): term}
            )
        )
    }
    return labels.get(lang) or labels.get("en") or next(iter(sorted(labels.values())), term.value)


def source_graphs(store: GraphStore, iri: str) -> list[str]:
    """The source graph ``iri``, or every source graph derived from the document ``iri`` (maybe none)."""
    return sorted({s.graph for s in list_sources(store) if iri in (s.graph, s.document)})


def remove_source(store: GraphStore, iri: str) -> list[str]:
    """Drop the source graph ``iri``, or every source graph derived from the document ``iri``.

    Returns the graphs removed; raises :class:`UsageError` when ``iri`` names no source.
    """
    graphs = source_graphs(store, iri)
    if not graphs:
        raise UsageError(f"no source graph {iri} and no graph derived from it; see `relgraph sources`")
    # SILENT: the graphs exist (listed just now), but Virtuoso refuses a plain DROP of a graph that a
    # Graph Store PUT wrote ("has not been explicitly created"); DROP SILENT removes it there too.
    store.update(" ".join(f"DROP SILENT GRAPH <{g}> ;" for g in graphs).rstrip(" ;"))
    return graphs
