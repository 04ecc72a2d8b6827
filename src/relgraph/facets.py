"""Facets of the entity index and the search: country, kind (agreement type), status, source.

The index of one type (``/entities/city``) counts its facets over the whole type with a grouped
query per facet (the store groups; thousands of agreements cost one round trip each) and filters the listing
with the chosen values bound by substitution, never pasted into the text. The search, whose
results are a few hundred at most, reads the facet values of its results (:func:`facet_values`)
and counts them itself (:func:`tally`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from .namespaces import RG
from .summary import INFERRED_SUFFIX, Runner

__all__ = ["FACETS", "facet_values", "instances_where", "kind_facets", "tally"]

#: facet → the pattern that gives its value ``?v`` for an entity ``?x`` (stated, not inferred, sources)
_PATTERNS: dict[str, str] = {
    "country": f"?x <{RG}country> ?v .",
    "kind": f"?x <{RG}agreementType> ?v .",
    "status": f"?x <{RG}status> ?v .",
    "source": f'GRAPH ?v {{ ?x a ?any }} FILTER(!STRENDS(STR(?v), "{INFERRED_SUFFIX}"))',
}
FACETS: tuple[str, ...] = tuple(_PATTERNS)


def _of_kind(prefix: str, kind: str) -> str:
    lit = ox.Literal(f"{prefix}{kind}/")  # a setting and a known type segment; a literal term all the same
    return f"?x a ?type FILTER(isIRI(?x) && STRSTARTS(STR(?x), {lit}))"


def kind_facets(run: Runner, prefix: str, kind: str, *, limit: int = 25) -> dict[str, list[tuple[str, int]]]:
    """Facet → its most frequent values among the instances of ``kind``, with their counts.

    One grouped query per facet, each with the type segment as a filter on ``?x``: on the world
    data (17k cities) 1.8 s in all, against 7 s for one query over the union of the facets. The
    source facet reads the ``a`` triple in its graph (the typing triple itself, not any triple).
    """
    lit = ox.Literal(f"{prefix}{kind}/")
    out: dict[str, list[tuple[str, int]]] = {}
    for name, pattern in _PATTERNS.items():
        if name == "source":
            pattern = pattern.replace("?any", "?type")
        rows = run(
            f"SELECT ?v (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} "
            f"FILTER(isIRI(?x) && STRSTARTS(STR(?x), {lit})) }} GROUP BY ?v",
            {},
        )
        values = sorted(((r["v"].value, int(r["n"].value)) for r in rows), key=lambda kv: (-kv[1], kv[0]))
        if values:
            out[name] = values[:limit]
    return out


def instances_where(
    run: Runner, prefix: str, kind: str, filters: Mapping[str, str], *, offset: int = 0, limit: int = 500
) -> tuple[list[str], int]:
    """One page of the instances of ``kind`` whose facets have the ``filters``' values, and their number.

    ``filters``: facet → IRI (unknown facets are refused with a ValueError naming them).
    """
    unknown = sorted(set(filters) - set(FACETS))
    if unknown:
        raise ValueError(f"unknown facet {', '.join(unknown)}; known: {', '.join(FACETS)}")
    patterns, bindings = [], {}
    for name, value in sorted(filters.items()):
        var = f"v_{name}"
        patterns.append(_PATTERNS[name].replace("?any", f"?any_{name}").replace("?v", f"?{var}"))
        bindings[var] = ox.NamedNode(value)  # ValueError on a value that is no IRI
    where = f"{_of_kind(prefix, kind)} {' '.join(patterns)}"
    projected = " ".join(f"?{v}" for v in bindings)
    total = run(f"SELECT {projected} (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }} GROUP BY {projected}", bindings)
    count = int(total[0]["n"].value) if total else 0
    rows = run(
        f"SELECT DISTINCT ?x {projected} WHERE {{ {where} }} LIMIT {int(limit)} OFFSET {int(offset)}",
        bindings,
    )
    return [r["x"].value for r in rows], count


def facet_values(run: Runner, iris: Iterable[str]) -> dict[str, dict[str, set[str]]]:
    """Entity → facet → its values (for the search results, or the rows of an index page)."""
    out: dict[str, dict[str, set[str]]] = {}
    items = sorted(set(iris))
    unions = " UNION ".join(f'{{ {p} BIND("{name}" AS ?f) }}' for name, p in _PATTERNS.items())
    for start in range(0, len(items), 200):
        chunk = items[start : start + 200]
        values = " ".join(str(ox.NamedNode(i)) for i in chunk)
        for r in run(f"SELECT DISTINCT ?x ?f ?v WHERE {{ VALUES ?x {{ {values} }} {unions} }}", {}):
            out.setdefault(r["x"].value, {}).setdefault(r["f"].value, set()).add(r["v"].value)
    return out


def tally(values: Mapping[str, Mapping[str, set[str]]], iris: Iterable[str]) -> dict[str, list[tuple[str, int]]]:
    """Facet → (value, how many of ``iris`` have it), most frequent first."""
    counts: dict[str, Counter[str]] = {}
    for iri in iris:
        for name, found in values.get(iri, {}).items():
            counts.setdefault(name, Counter()).update(found)
    return {name: sorted(c.items(), key=lambda kv: (-kv[1], kv[0])) for name, c in counts.items()}
