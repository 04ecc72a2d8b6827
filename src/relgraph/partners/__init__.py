"""Partner finder: which places a place should consider next, in which field, and why.

Library first (no Flask): :func:`~relgraph.partners.index.build_index` reads
places, relations and profiles once per data version; :func:`suggest` ranks
the places without a relation yet (:mod:`relgraph.partners.score` documents
the score) and :func:`profile` describes one place. The CLI
(``relgraph suggest-partners``), the API (``GET /api/suggest``) and the place
pages call these.

How well the ranking predicts real partnerships it was not shown is measured
in ``bench/partners.py`` (held-out pairs of the Wikipedia 2026 and Wikidata
2016 sources, against common neighbours, Adamic–Adar, preferential attachment
and random; figures in ``bench/README.md``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import RelgraphError
from .index import INSTITUTION_KINDS, PartnerIndex, Place, build_index, index_from_pairs, size_class
from .reasons import MESSAGES, reasons
from .score import WEIGHTS, Evidence, profile_overlap, rank, similar

__all__ = [
    "INSTITUTION_KINDS",
    "MESSAGES",
    "WEIGHTS",
    "Evidence",
    "FinderError",
    "PartnerIndex",
    "Place",
    "Suggestions",
    "build_index",
    "index_from_pairs",
    "profile",
    "profile_overlap",
    "rank",
    "resolve_field",
    "similar",
    "suggest",
]

Labeler = Callable[[str], str]


class FinderError(RelgraphError):
    """A request the finder cannot answer; ``status`` says which HTTP status fits (404 or 400)."""

    def __init__(self, message: str, *, status: int = 400, parameter: str | None = None) -> None:
        self.status, self.parameter = status, parameter
        super().__init__(message)


@dataclass
class Suggestions:
    """The answer for one place: possible partners, similar places, and why a list is empty."""

    place: str
    field: str | None
    graphs: list[str]
    # dataclasses.field by its module: the attribute ``field`` above shadows the name in the class body
    partners: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    similar: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    note: str = ""  # why ``partners`` is empty (no evidence, nothing in the field)
    similar_note: str = ""


def resolve_field(index: PartnerIndex, name: str | None) -> str | None:
    """The field concept IRI of ``name`` (notation like ``aerospace``, or the IRI); FinderError when unknown."""
    if not name:
        return None
    for iri, notation in index.fields.items():
        if name in (iri, notation):
            return iri
    known = ", ".join(sorted(index.fields.values()))
    raise FinderError(f"unknown field {name!r}; known fields: {known}", parameter="field")


def _check(index: PartnerIndex, iri: str, graphs: Sequence[str] | None) -> None:
    if graphs:
        unknown = sorted(set(graphs) - index.graphs)
        if unknown:
            raise FinderError(f"no relations in graph {unknown[0]!r} (unknown graph)", parameter="graph")
    if iri not in index.places:
        raise FinderError(f"{iri} is not a place known to the graph", status=404, parameter="entity")
    if not index.adjacency(graphs or None).get(iri):
        where = " in the chosen graphs" if graphs else ""
        raise FinderError(f"{iri} has no relations{where}: nothing to start from", parameter="entity")


def _row(e: Evidence, index: PartnerIndex, place: str, label: Labeler, lang: str) -> dict[str, Any]:
    other = index.places.get(e.iri)
    row: dict[str, Any] = {
        "iri": e.iri,
        "label": label(e.iri),
        "score": round(e.score, 4),
        "reasons": reasons(e, index, place, label, lang),
        "country": other.country if other else None,
        "evidence": {k: round(v, 4) for k, v in sorted(e.terms.items())},
    }
    if other is not None and other.population is not None:
        row["population"] = {"value": other.population[0], "source": other.population[1]}
    return row


def _mentioned(index: PartnerIndex, iri: str, found: list[Evidence]) -> set[str]:
    out = {iri}
    for e in found:
        out.add(e.iri)
        out.update(e.shared)
        out.update(e.via)
        out.update(x for x, _, _ in e.nearby)
        for kind in ("membership", "statement", "region", "field"):
            out.update(e.profile.get(kind, ()))
        for p in (iri, e.iri):
            if p in index.places and index.places[p].country:
                out.add(index.places[p].country)  # type: ignore[arg-type]
    return out


def suggest(
    index: PartnerIndex,
    iri: str,
    *,
    label: Labeler,
    field: str | None = None,
    graphs: Sequence[str] | None = None,
    top: int = 10,
    lang: str = "en",
    weights: dict[str, float] | None = None,
) -> Suggestions:
    """Possible partners and similar places of ``iri``, with their reasons in ``lang``."""
    _check(index, iri, graphs)
    field_iri = resolve_field(index, field)
    chosen = list(graphs) if graphs else None
    t = MESSAGES.get(lang, MESSAGES["en"])

    def both() -> tuple[list[Evidence], list[Evidence]]:
        return (
            rank(index, iri, graphs=chosen, field_iri=field_iri, top=top, weights=weights),
            similar(index, iri, top=top, field_iri=field_iri),
        )

    if weights is None:  # kept with the index (the busiest places' computed when it was built)
        key = (iri, tuple(sorted(chosen)) if chosen else None, field_iri, top)
        found, alike = index.answer(key, both)
    else:
        found, alike = both()
    out = Suggestions(iri, field_iri, list(graphs or []))
    prefetch = getattr(label, "prefetch", None)
    if prefetch is not None:  # one label query for the whole answer
        prefetch(_mentioned(index, iri, [*found, *alike]))
    out.partners = [_row(e, index, iri, label, lang) for e in found]
    if not found:
        out.note = (
            t["no_field"].format(field=index.fields[field_iri])
            if field_iri
            else t["no_evidence"].format(place=label(iri))
        )
    out.similar = [_row(e, index, iri, label, lang) for e in alike]
    if not alike:
        out.similar_note = t["no_similar"].format(place=label(iri))
    return out


def profile(index: PartnerIndex, iri: str, *, graphs: Iterable[str] | None = None) -> dict[str, Any]:
    """One place's profile as plain data (fields, institutions, memberships, size, country, network position)."""
    place = index.places.get(iri)
    if place is None:
        raise FinderError(f"{iri} is not a place known to the graph", status=404, parameter="entity")
    adj = index.adjacency(graphs)
    partners = adj.get(iri, set())
    two = {v for p in partners for v in adj.get(p, ()) if v != iri and v not in partners}
    return {
        "iri": iri,
        "kind": place.kind,
        "country": place.country,
        "regions": sorted(place.regions),
        "population": {"value": place.population[0], "source": place.population[1]} if place.population else None,
        "size_class": size_class(place.population[0] if place.population else None),
        "fields": dict(place.fields.most_common()),
        "institutions": {k: sorted(v) for k, v in sorted(place.institutions.items())},
        "institution_fields": {k: sorted(v) for k, v in sorted(place.institution_fields.items())},
        "memberships": sorted(place.memberships),
        "statements": sorted(place.statements),
        "network": {
            "partners": len(partners),
            "partners_of_partners": len(two),
            "partners_with_shared_partners": sum(1 for p in partners if adj.get(p, set()) & partners),
        },
    }
