"""Licences per source graph, and which sources state which relations.

relgraph's own data is CC BY 4.0. A source graph may state another licence
about itself (``<graph> dct:license <…>``, and ``cc:attributionName`` for the
credit line it asks for, e.g. the Wikipedia-derived graph is CC BY-SA 4.0 and
the Wikidata-derived one CC0); a graph that states none is relgraph's CC BY 4.0.
Pages, data documents, VoID and the dumps say so per source (see the server).

A source graph *states* a relation (an ``rg:Agreement``) when it holds an
``rg:party`` of it; :func:`relation_sources` groups the relations by the set of
source graphs that state them (one row per distinct set, so the answer stays
small on ~45k relations in ~40 graphs), from which :class:`SourceOverlap` gives
per-source counts, relations only one source states and the overlap of every
pair. The same definition is used by ``queries/relations-by-sources.rq`` and
``queries/source-overlap.rq``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import pyoxigraph as ox

from .namespaces import CC, DCT, PROV, RG

__all__ = [
    "DEFAULT_LICENSE",
    "DEFAULT_LICENSE_NAME",
    "Licence",
    "SourceOverlap",
    "graph_licences",
    "is_default",
    "licence_name",
    "relation_sources",
]

#: relgraph's own licence: every graph that states no other.
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DEFAULT_LICENSE_NAME = "CC BY 4.0"

#: Short names of licences sources use (keys without scheme and trailing slash).
_NAMES = {
    "creativecommons.org/licenses/by/4.0": "CC BY 4.0",
    "creativecommons.org/licenses/by-sa/4.0": "CC BY-SA 4.0",
    "creativecommons.org/licenses/by-sa/3.0": "CC BY-SA 3.0",
    "creativecommons.org/licenses/by/3.0": "CC BY 3.0",
    "creativecommons.org/licenses/by-nc/4.0": "CC BY-NC 4.0",
    "creativecommons.org/licenses/by-nd/4.0": "CC BY-ND 4.0",
    "creativecommons.org/publicdomain/zero/1.0": "CC0 1.0",
    "creativecommons.org/publicdomain/mark/1.0": "Public Domain Mark 1.0",
    "opendatacommons.org/licenses/odbl/1-0": "ODbL 1.0",
    "opendatacommons.org/licenses/by/1-0": "ODC-By 1.0",
    "www.etalab.gouv.fr/licence-ouverte-open-licence": "Licence Ouverte",
    "www.govdata.de/dl-de/by-2-0": "dl-de/by-2-0",
}

Runner = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]


def _key(iri: str) -> str:
    return iri.split("://", 1)[-1].rstrip("/").removeprefix("www.creativecommons.org/")


def licence_name(iri: str) -> str:
    """A short name (``CC BY-SA 4.0``) for a licence IRI; the IRI itself when unknown."""
    key = _key(iri)
    return _NAMES.get(key) or _NAMES.get(key.replace("www.", "", 1)) or iri


def is_default(iri: str | None) -> bool:
    """True for no licence or relgraph's own (CC BY 4.0, http or https, with or without slash)."""
    return iri is None or _key(iri) == _key(DEFAULT_LICENSE)


@dataclass(frozen=True)
class Licence:
    """The licence one source graph states (or relgraph's own when it states none)."""

    graph: str
    license: str = DEFAULT_LICENSE
    attribution: str | None = None
    stated: bool = False  #: the graph (or its source document) states a licence

    @property
    def name(self) -> str:
        return licence_name(self.license)

    @property
    def default(self) -> bool:
        return is_default(self.license)


def _values(iris: Iterable[str]) -> str:
    return " ".join(str(ox.NamedNode(i)) for i in iris)


def graph_licences(run: Runner, graphs: Iterable[str]) -> dict[str, Licence]:
    """Each graph → its :class:`Licence`: its own ``dct:license``, else its source document's, else CC BY 4.0.

    ``run(sparql, bindings)`` returns rows of pyoxigraph terms (``relgraph.summary.engine_runner``).
    """
    wanted = sorted(set(graphs))
    out = {g: Licence(g) for g in wanted}
    for i in range(0, len(wanted), 250):
        chunk = wanted[i : i + 250]
        query = (
            f"SELECT ?g ?lic ?att ?dlic ?datt WHERE {{ VALUES ?g {{ {_values(chunk)} }} "
            f"OPTIONAL {{ ?g <{DCT}license> ?lic }} OPTIONAL {{ ?g <{CC}attributionName> ?att }} "
            f"OPTIONAL {{ ?g <{PROV}wasDerivedFrom> ?doc "
            f"OPTIONAL {{ ?doc <{DCT}license> ?dlic }} OPTIONAL {{ ?doc <{CC}attributionName> ?datt }} }} }}"
        )
        found: dict[str, dict[str, set[str]]] = {}
        for row in run(query, {}):
            entry = found.setdefault(row["g"].value, {k: set() for k in ("lic", "att", "dlic", "datt")})
            for k in entry:
                if row.get(k) is not None:
                    entry[k].add(row[k].value)
        for g, e in found.items():
            lic = min(e["lic"] or e["dlic"] or {""})
            att = min(e["att"] or e["datt"] or {""})
            out[g] = Licence(g, lic or DEFAULT_LICENSE, att or None, stated=bool(lic))
    return out


#: Relations grouped by the set of source graphs that state them: one row per distinct set.
#: The inner query gives each relation's graphs; GROUP_CONCAT's order is not fixed, so
#: callers sort the split list (two spellings of one set are summed).
RELATION_SOURCES = f"""
SELECT ?graphs (COUNT(*) AS ?n) WHERE {{
  {{ SELECT ?a (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?graphs) WHERE {{
      {{ SELECT DISTINCT ?a ?g WHERE {{ GRAPH ?g {{ ?a <{RG}party> ?x }} }} }}
      ?a a <{RG}Agreement> .
      ?g a <{RG}SourceGraph> .
    }} GROUP BY ?a }}
}} GROUP BY ?graphs"""


@dataclass
class SourceOverlap:
    """Who states which relations: per source, only in it, and per pair of sources."""

    #: frozenset of graphs → relations stated by exactly those graphs
    sets: dict[frozenset[str], int] = field(default_factory=dict)

    @property
    def relations(self) -> int:
        """Relations stated by at least one source graph."""
        return sum(self.sets.values())

    def per_source(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for graphs, n in self.sets.items():
            for g in graphs:
                counts[g] += n
        return dict(counts)

    def only_in(self) -> dict[str, int]:
        """Source → relations no other source states."""
        counts: Counter[str] = Counter()
        for graphs, n in self.sets.items():
            if len(graphs) == 1:
                counts[next(iter(graphs))] += n
        return dict(counts)

    def pairs(self) -> dict[tuple[str, str], int]:
        """(g, h) with g < h → relations both state (pairs that share none are left out)."""
        counts: Counter[tuple[str, str]] = Counter()
        for graphs, n in self.sets.items():
            for pair in combinations(sorted(graphs), 2):
                counts[pair] += n
        return dict(sorted(counts.items()))

    def by_number(self) -> dict[int, int]:
        """Number of sources → relations stated by that many."""
        counts: Counter[int] = Counter()
        for graphs, n in self.sets.items():
            counts[len(graphs)] += n
        return dict(sorted(counts.items()))


def relation_sources(rows: Iterable[Mapping[str, str]]) -> SourceOverlap:
    """A :class:`SourceOverlap` from the rows of :data:`RELATION_SOURCES` (``graphs`` and ``n`` as strings)."""
    sets: Counter[frozenset[str]] = Counter()
    for row in rows:
        graphs = frozenset(row["graphs"].split())
        if graphs:
            sets[graphs] += int(row["n"])
    return SourceOverlap(dict(sets))
