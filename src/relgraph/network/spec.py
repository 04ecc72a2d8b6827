"""Which network: kinds of relation, source graphs, a date and a level of aggregation.

A :class:`NetworkSpec` is a value (hashable): the caches key on it and the data
version. Parsing is strict and says what is wrong in one line
(``--kind twining: unknown kind; use one of …``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import UsageError

#: What ``relgraph network export`` and ``/api/network/export`` write.
EXPORT_FORMATS = ("graphml", "gexf", "csv")

__all__ = [
    "AGREEMENT_TYPES",
    "DEFAULT_KINDS",
    "KINDS",
    "LEVELS",
    "NetworkSpec",
    "parse_spec",
]

#: The agreement types of the concept scheme (``concept/agreement-type/<slug>``).
AGREEMENT_TYPES = (
    "city-twinning",
    "development-partnership",
    "friendship-agreement",
    "strategic-partnership",
    "memorandum-of-understanding",
    "declaration-of-intent",
    "university-partnership",
    "exchange-agreement",
    "cluster-partnership",
    "cooperation-agreement",
    "joint-declaration",
)

#: Kinds a user names, and the relation kinds each stands for. A relation kind is an agreement
#: type's slug, ``untyped`` (an agreement of no stated type), ``co-membership`` (two members of
#: the same network, e.g. Eurocities) or ``co-signature`` (two signatories of the same joint statement).
KINDS: dict[str, tuple[str, ...]] = {
    **{slug: (slug,) for slug in AGREEMENT_TYPES},
    "untyped": ("untyped",),
    "twinning": ("city-twinning", "development-partnership"),
    "mou": ("memorandum-of-understanding",),
    "agreements": (*AGREEMENT_TYPES, "untyped"),
    "co-membership": ("co-membership",),
    "co-signature": ("co-signature",),
}

#: Every agreement (of any type or none); memberships and joint statements are asked for by name,
#: because a network of 250 members is a clique of 31,000 links that would swamp the agreements.
DEFAULT_KINDS = ("agreements",)

#: place: the parties themselves (places and organisations); region/country: where they are.
LEVELS = ("place", "region", "country")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_IRI = re.compile(r"[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+", re.IGNORECASE)


@dataclass(frozen=True)
class NetworkSpec:
    """One network of the graph. Build it with :func:`parse_spec` (checked) or directly (trusted)."""

    kinds: tuple[str, ...] = DEFAULT_KINDS
    graphs: tuple[str, ...] = ()
    active_on: str | None = None
    level: str = "place"

    @property
    def relation_kinds(self) -> frozenset[str]:
        """The relation kinds (agreement type slugs, ``untyped``, ``co-membership``, ``co-signature``)."""
        return frozenset(k for name in self.kinds for k in KINDS[name])

    def describe(self) -> dict[str, object]:
        """The spec as plain JSON values."""
        return {
            "kinds": list(self.kinds),
            "graphs": list(self.graphs),
            "active_on": self.active_on,
            "level": self.level,
        }


def parse_spec(
    *,
    kinds: Iterable[str] | None = None,
    graphs: Iterable[str] | None = None,
    active_on: str | None = None,
    level: str | None = None,
    option: str = "--",
) -> NetworkSpec:
    """A checked :class:`NetworkSpec`; ``option`` prefixes the names in messages (``--`` or ``""``)."""
    day_option = "active-on" if option else "active_on"
    names: list[str] = []
    for raw in kinds or ():
        for name in (p.strip() for p in raw.split(",")):
            if not name:
                continue
            if name not in KINDS:
                raise UsageError(f"{option}kind {name}: unknown kind; use one of {', '.join(KINDS)}")
            if name not in names:
                names.append(name)
    chosen: list[str] = []
    for raw in graphs or ():
        iri = raw.strip()
        if not iri:
            continue  # an empty choice of a form: all graphs
        if not _IRI.fullmatch(iri):
            raise UsageError(f"{option}graph {raw[:80]!r}: not an absolute IRI")
        if iri not in chosen:
            chosen.append(iri)
    if active_on is not None and active_on != "":
        if not _DATE.fullmatch(active_on):
            raise UsageError(f"{option}{day_option} {active_on[:40]!r}: write a day as YYYY-MM-DD")
        try:
            dt.date.fromisoformat(active_on)
        except ValueError:
            raise UsageError(f"{option}{day_option} {active_on}: no such day") from None
    else:
        active_on = None
    level = level or "place"
    if level not in LEVELS:
        raise UsageError(f"{option}level {level[:40]!r}: use one of {', '.join(LEVELS)}")
    return NetworkSpec(
        kinds=tuple(sorted(names)) or DEFAULT_KINDS,
        graphs=tuple(sorted(chosen)),
        active_on=active_on,
        level=level,
    )
