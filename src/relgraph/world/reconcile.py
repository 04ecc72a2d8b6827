"""One entity per real place: match what a source names to the places the store already holds.

A source names a place by a *mention*: a name, perhaps a country, coordinates, a
Wikidata id. A mention is matched to an existing place, in this order, and the
way it was matched is kept (``Match.how``) so that every merge can be audited
and undone (``overrides``):

1. ``wikidata-id``: the place carries the same Wikidata id.
2. ``geonames``: the mention resolves to a GeoNames place (a name or alternate
   name folds to the mention's name, same country, within ``NEAR_KM`` of the
   mention's coordinates when it has any, else the only such place), and an
   existing place resolved to the same GeoNames id.
3. ``name+country``: an existing place of the same country is known under the
   same folded name (labels and alternative labels in any language), and, when
   both have coordinates, lies within ``NEAR_KM``.
4. ``name+partner``: for a mention whose relation partner is already matched, a
   place related to that partner in the store whose names meet the mention's
   names (its own and its GeoNames place's alternate names: "Prag" meets
   "Prague") and whose country, if known, agrees. Run to a fixpoint, so matches
   spread through the network from the places matched by id.

A match must be unique both ways: two candidates for one mention, or two
mentions claiming one place, leave everything apart and go to the report as
ambiguous with the reason. A place with a different Wikidata id, or in another
country, is never a candidate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .. import progress
from ..namespaces import RDFS_LABEL, RG, SKOS, WD
from ..results import solutions
from .gazetteer import Gazetteer, GeoPlace, haversine_km
from .names import fold_variants

if TYPE_CHECKING:
    from ..store import GraphStore

__all__ = ["NEAR_KM", "Match", "Mention", "PlaceIndex", "Reconciler"]

NEAR_KM = 40.0
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
_PLACE_CLASSES = ("Place", "Country", "Region", "FederalState", "Province", "City", "Site")


@dataclass(frozen=True)
class Mention:
    """How a source names a place."""

    key: str  # the source's own identity for it (e.g. "Prague|Czech Republic" or "Q1085")
    name: str
    country: str | None = None  # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    qid: str | None = None


@dataclass(frozen=True)
class Match:
    entity: str
    how: str  # wikidata-id | geonames | name+country | name+partner | override
    detail: str = ""


@dataclass
class PlaceIndex:
    """The places a store already holds, with what identifies them."""

    by_qid: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    qids_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_key: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    keys_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    country_of: dict[str, str] = field(default_factory=dict)
    coords_of: dict[str, tuple[float, float]] = field(default_factory=dict)
    by_geonames: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    geonames_of: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    partners: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    has_english: set[str] = field(default_factory=set)
    iris: set[str] = field(default_factory=set)

    @classmethod
    def from_store(
        cls, store: GraphStore, *, exclude_graphs: Iterable[str] = (), country_codes: dict[str, str] | None = None
    ) -> PlaceIndex:
        """Index the store's places, leaving out ``exclude_graphs`` (the graph being replaced) and inferences.

        ``country_codes`` (country IRI → code) serves a store that lacks the country graph so far.
        """
        index = cls()
        skip = {ox.NamedNode(g) for g in exclude_graphs} | {ox.NamedNode(store.base + "graph/inferred")}
        graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
            g for g in store.oxigraph.named_graphs() if g not in skip
        ]
        if not graphs:
            return index

        def select(query: str) -> Iterator[ox.QuerySolution]:
            yield from solutions(store.oxigraph.query(query, default_graph=graphs))

        classes = " ".join(f"<{RG}{c}>" for c in _PLACE_CLASSES)
        for row in select(f"SELECT DISTINCT ?e WHERE {{ VALUES ?c {{ {classes} }} ?e a ?c FILTER(isIRI(?e)) }}"):
            index.iris.add(row["e"].value)
        for row in select(
            f"SELECT ?e ?q WHERE {{ {{ ?e <{RG}wikidataId> ?q }} UNION "
            f'{{ ?e <{SKOS}exactMatch> ?w . FILTER(STRSTARTS(STR(?w), "{WD}")) '
            f'BIND(STRAFTER(STR(?w), "{WD}") AS ?q) }} FILTER(isIRI(?e)) }}'
        ):
            if row["e"].value in index.iris:
                index.by_qid[row["q"].value].add(row["e"].value)
                index.qids_of[row["e"].value].add(row["q"].value)
        for row in select(f"SELECT ?e ?l WHERE {{ ?e <{RDFS_LABEL}>|<{SKOS}altLabel> ?l FILTER(isLiteral(?l)) }}"):
            entity = row["e"].value
            if entity in index.iris:
                for key in fold_variants(row["l"].value):
                    index.by_key[key].add(entity)
                    index.keys_of[entity].add(key)
                if row["l"].language == "en":
                    index.has_english.add(entity)
        for row in select(f"SELECT ?e ?code WHERE {{ ?e <{RG}country>/<{RG}countryCode> ?code }}"):
            index.country_of.setdefault(row["e"].value, row["code"].value)
        if country_codes:
            for row in select(f"SELECT ?e ?c WHERE {{ ?e <{RG}country> ?c }}"):
                code = country_codes.get(row["c"].value)
                if code:
                    index.country_of.setdefault(row["e"].value, code)
        for row in select(f"SELECT ?e ?lat ?lon WHERE {{ ?e <{GEO}lat> ?lat ; <{GEO}long> ?lon }}"):
            try:
                index.coords_of.setdefault(row["e"].value, (float(row["lat"].value), float(row["lon"].value)))
            except ValueError:
                continue
        for row in select(f"SELECT ?e ?g WHERE {{ ?e <{RG}geonamesId> ?g }}"):
            if row["g"].value.isdigit():
                index.by_geonames[int(row["g"].value)].add(row["e"].value)
                index.geonames_of[row["e"].value].add(int(row["g"].value))
        parties: dict[str, list[str]] = defaultdict(list)
        for row in select(f"SELECT ?r ?p WHERE {{ ?r <{RG}party> ?p }}"):
            parties[row["r"].value].append(row["p"].value)
        for members in parties.values():
            for a in members:
                index.partners[a].update(b for b in members if b != a)
        return index


@dataclass
class Reconciler:
    """Matches mentions of one source to a :class:`PlaceIndex`; see the module docstring for the rules."""

    index: PlaceIndex
    gazetteer: Gazetteer
    overrides: dict[str, str | None] = field(default_factory=dict)  # mention key → entity IRI, or None: never merge
    matched: dict[str, Match] = field(default_factory=dict)
    geonames: dict[str, GeoPlace] = field(default_factory=dict)
    ambiguous: dict[str, str] = field(default_factory=dict)  # mention key → reason
    _names: dict[str, frozenset[str]] = field(default_factory=dict)

    def resolve_geonames(self, mention: Mention) -> GeoPlace | None:
        """The GeoNames place a mention names: same folded name and country, nearest within NEAR_KM."""
        if mention.key in self.geonames:
            return self.geonames[mention.key]
        found: list[GeoPlace] = []
        for key in fold_variants(mention.name):
            found += self.gazetteer.lookup(key, country=mention.country) if mention.country else []
        found = list({p.geonameid: p for p in found}.values())
        place: GeoPlace | None = None
        if mention.lat is not None and mention.lon is not None:
            near = sorted((haversine_km(mention.lat, mention.lon, p.lat, p.lon), p.geonameid, p) for p in found)
            near = [n for n in near if n[0] <= NEAR_KM]
            place = near[0][2] if near else None
        elif len(found) == 1:
            place = found[0]
        if place is not None:
            self.geonames[mention.key] = place
        return place

    def match_direct(self, mentions: Iterable[Mention]) -> None:
        """Rules 1-3 (and overrides) for every mention; claims are settled at the end (unique both ways)."""
        claims: dict[str, list[tuple[str, Match]]] = defaultdict(list)
        for m in progress.track(list(mentions), desc="reconciling places", unit="place"):
            if m.key in self.overrides:
                target = self.overrides[m.key]
                if target is not None:
                    self.matched[m.key] = Match(target, "override", "listed in the reconciliation overrides")
                continue
            found = self._direct(m)
            if isinstance(found, str):
                self.ambiguous[m.key] = found
            elif found is not None:
                claims[found.entity].append((m.key, found))
        self._settle(claims)

    def _direct(self, m: Mention) -> Match | str | None:
        idx = self.index
        if m.qid:
            by_id = idx.by_qid.get(m.qid, set())
            if len(by_id) == 1:
                return Match(next(iter(by_id)), "wikidata-id", m.qid)
            if len(by_id) > 1:
                return f"several places carry the Wikidata id {m.qid}: " + ", ".join(sorted(by_id))
        geo = self.resolve_geonames(m)
        if geo is not None:
            same = {e for e in idx.by_geonames.get(geo.geonameid, set()) if self._compatible(e, m)}
            if len(same) == 1:
                return Match(next(iter(same)), "geonames", f"GeoNames {geo.geonameid} ({geo.name}, {geo.country})")
            if len(same) > 1:
                return f"several places resolve to GeoNames {geo.geonameid}: " + ", ".join(sorted(same))
        if m.country:
            found = {
                e
                for key in fold_variants(m.name)
                for e in idx.by_key.get(key, set())
                if idx.country_of.get(e) == m.country and self._compatible(e, m)
            }
            if len(found) == 1:
                entity = next(iter(found))
                return Match(entity, "name+country", f"{m.name!r} in {m.country}{self._distance_note(entity, m)}")
            if len(found) > 1:
                return f"{m.name!r} in {m.country} names several places: " + ", ".join(sorted(found))
        return None

    def _compatible(self, entity: str, m: Mention) -> bool:
        """Not another Wikidata item, not another country, not far away."""
        idx = self.index
        if m.qid and (idx.qids_of.get(entity, set()) - {m.qid}):
            return False
        if m.country and idx.country_of.get(entity, m.country) != m.country:
            return False
        here = idx.coords_of.get(entity)
        if here and m.lat is not None and m.lon is not None:
            return haversine_km(here[0], here[1], m.lat, m.lon) <= NEAR_KM
        return True

    def _distance_note(self, entity: str, m: Mention) -> str:
        here = self.index.coords_of.get(entity)
        if here and m.lat is not None and m.lon is not None:
            return f", {haversine_km(here[0], here[1], m.lat, m.lon):.1f} km apart"
        return ""

    def match_partners(self, pairs: Iterable[tuple[Mention, Mention]]) -> int:
        """Rule 4 to a fixpoint: a mention meets a place related to its matched partner. Returns matches made."""
        pairs = list(pairs)
        made = 0
        while True:
            claims: dict[str, list[tuple[str, Match]]] = defaultdict(list)
            for a, b in pairs:
                for known, other in ((a, b), (b, a)):
                    if known.key not in self.matched or other.key in self.matched or other.key in self.ambiguous:
                        continue
                    if other.key in self.overrides:
                        continue
                    found = self._via_partner(self.matched[known.key].entity, other, known.name)
                    if found is not None:
                        claims[found.entity].append((other.key, found))
            new = self._settle(claims, partner_rule=True)
            made += new
            if not new:
                return made

    def _via_partner(self, partner: str, m: Mention, partner_name: str) -> Match | None:
        idx = self.index
        names = set(fold_variants(m.name))
        geo = self.resolve_geonames(m) if m.country else None
        if geo is not None:
            names |= geo.keys
        taken = {x.entity for x in self.matched.values()}
        found = {
            e
            for e in idx.partners.get(partner, set())
            if e not in taken and self.names_of(e) & names and self._compatible(e, m)
        }
        if len(found) != 1:
            return None
        entity = next(iter(found))
        shared = sorted(self.names_of(entity) & names)[0]
        return Match(entity, "name+partner", f"{m.name!r} meets {shared!r}, a partner of {partner_name!r}")

    def index_name(self, entity: str) -> str | None:
        """One folded name the store knows the place by (the shortest, for lookups)."""
        keys = self.index.keys_of.get(entity)
        return min(keys, key=lambda k: (len(k), k)) if keys else None

    def names_of(self, entity: str) -> frozenset[str]:
        """An existing place's folded labels and the names of its GeoNames place ("Prague" is also "prag")."""
        if entity not in self._names:
            names = set(self.index.keys_of.get(entity, set()))
            for gid in self.index.geonames_of.get(entity, ()):
                place = self.gazetteer.by_id.get(gid)
                if place is not None:
                    names |= place.keys
            self._names[entity] = frozenset(names)
        return self._names[entity]

    def _settle(self, claims: dict[str, list[tuple[str, Match]]], *, partner_rule: bool = False) -> int:
        """Accept claims that are unique both ways; report the others. Returns how many were accepted."""
        taken = {x.entity for x in self.matched.values()}
        made = 0
        for entity, claimants in sorted(claims.items()):
            keys = {k for k, _ in claimants}
            if len(keys) == 1 and entity not in taken:
                key, match = claimants[0]
                self.matched[key] = match
                taken.add(entity)
                made += 1
                continue
            if partner_rule and len(keys) > 1:
                reason = f"{len(keys)} mentions meet the same partner place {entity}"
            elif entity in taken:
                reason = f"the place {entity} is already matched to another mention of this source"
            else:
                reason = f"{len(keys)} mentions of this source claim the place {entity}"
            for key in keys:
                if key not in self.matched:
                    self.ambiguous[key] = reason
        return made


def overrides_from_rows(rows: Iterable[dict[str, str]]) -> dict[str, str | None]:
    """Overrides from CSV rows ``mention,entity`` (entity empty: never merge this mention)."""
    return {r["mention"]: (r.get("entity") or None) for r in rows if r.get("mention")}


#: Type of a callback that turns a source's country string into (ISO code, country IRI, region IRI or None).
CountryResolver = Callable[[str], "tuple[str, str, str | None] | None"]
