"""One partner finder index per data version for every HTTP process: built once, written beside the snapshots.

``relgraph serve`` runs several HTTP processes; each used to build the finder's
index itself through the query engine (about ten minutes at a million
agreements, pages past the row cap) and then computed a busy place's
suggestions on the page's request (74–94 s). Now one process (under
``<snapshots>/partners.lock``) reads the snapshot directly (a published snapshot
is immutable: :mod:`relgraph.network.snapshot`), whole queries streamed instead
of pages, computes the answers of the most related places (:data:`PRECOMPUTED`:
their pages are the busy ones and their answers the slowest), and writes it all
to the folder ``<snapshots>/partners-<FORMAT>-<data key>/``
(:func:`relgraph.labelindex.data_key`: the same for every snapshot of the same
data); the others, and a restart on the same data, map that folder.

Everything in it is a table every process maps read-only (:mod:`relgraph.mapped`):
the relations as compressed rows (:mod:`relgraph.partners.mapped`), the places
and their profiles as one JSON record each in one text, decoded when a
suggestion asks for the place (:class:`Places`), the places of each profile
feature and of each country as rows of ids, the precomputed answers as records
decoded when asked. One copy in the page cache instead of about 590 MiB of
dicts and sets per HTTP process at a million agreements; the builder too maps
what it wrote.

Nothing is unpickled: the folder holds numbers, text and JSON, so a file someone
could write there cannot run code. Files of an earlier layout
(``partners-v3-<key>.pickle``) are never read, and removed with the other data
versions' when a folder is written.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np

from ..buildonce import build_once
from ..mapped import Damaged, Folder, Reader, Strings, remove_others
from ..summary import Runner
from .index import PartnerIndex, Place, build_index, profile_features
from .mapped import ARRAYS, Neighbours, Relations, load_rows, rows_of
from .score import Evidence, rank, similar

__all__ = ["FORMAT", "PRECOMPUTED", "build_from_snapshot", "load_shared", "shared_index", "shared_path"]

log = logging.getLogger(__name__)

#: Part of the file name: a file of another layout of the index is not loaded.
FORMAT = "m5"
#: The places whose page answers are computed with the index (most partners first).
PRECOMPUTED = 100


def shared_path(snapshot: Path) -> Path | None:
    """Where the index of ``snapshot``'s data is kept, or None (no data key: an empty snapshot)."""
    from ..labelindex import data_key

    key = data_key(snapshot)
    return snapshot.parent / f"partners-{FORMAT}-{key}" if key is not None else None


def _streamed(store: Any) -> Runner:
    """A runner whose rows come as the store gives them (no list of millions of rows held at once)."""
    import pyoxigraph as ox

    def run(sparql: str, bindings: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        subs = {ox.Variable(k): v for k, v in bindings.items()} or None
        solutions = store.query(sparql, substitutions=subs, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        for s in solutions:
            yield {n: s[n] for n in names if s[n] is not None}

    # build_index only iterates over the rows of a query read whole (page=None)
    return cast(Runner, run)


def precompute(index: PartnerIndex, *, places: int = PRECOMPUTED) -> PartnerIndex:
    """Compute the page answers (:func:`relgraph.partners.suggest`'s defaults) of the ``places`` most related."""
    adj = index.adjacency()
    for iri in sorted(adj, key=lambda p: (-len(adj[p]), p))[:places]:
        index.answer((iri, None, None, 10), lambda iri=iri: (rank(index, iri), similar(index, iri)), keep=True)  # type: ignore[misc]
    return index


def build_from_snapshot(snapshot: Path, *, places: int = PRECOMPUTED) -> PartnerIndex:
    """The index of a published snapshot, read over a read-only handle, with the busiest places' answers."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(snapshot))
    try:
        found = build_index(_streamed(store), page=None)
    finally:
        del store
    return precompute(found, places=places)


def _place_record(p: Place) -> str:
    """One place as a JSON text (sets sorted, the order of its dicts and counts kept)."""
    return json.dumps(
        [
            p.kind,
            p.country,
            sorted(p.regions),
            list(p.coord) if p.coord is not None else None,
            list(p.population) if p.population is not None else None,
            [[k, sorted(v)] for k, v in p.memberships.items()],
            sorted(p.statements),
            [[k, sorted(v)] for k, v in p.institutions.items()],
            [[k, sorted(v)] for k, v in p.institution_fields.items()],
            [[k, n] for k, n in p.fields.items()],
        ],
        ensure_ascii=False,
        allow_nan=False,
    )


def _place(iri: str, text: str) -> Place:
    kind, country, regions, coord, population, memberships, statements, insts, inst_fields, fields = json.loads(text)
    return Place(
        iri,
        kind,
        country,
        set(regions),
        (coord[0], coord[1]) if coord is not None else None,
        (population[0], population[1]) if population is not None else None,
        {k: set(v) for k, v in memberships},
        set(statements),
        {k: set(v) for k, v in insts},
        {k: set(v) for k, v in inst_fields},
        Counter(dict(fields)),
    )


class Places(Mapping[str, Place]):
    """IRI → :class:`Place`, each decoded from its record when asked (the last few thousand kept)."""

    def __init__(self, keys: Strings, records: Strings) -> None:
        self.names, self.records = keys, records
        # IRI → id in memory (a dict of the IRIs, tens of MB at a million agreements): a suggestion looks up
        # tens of thousands of candidates, a search in the mapped keys would cost seconds
        self.ids = {iri: i for i, iri in enumerate(keys)}
        self.iris = list(self.ids)  # the same string objects, by id (8 bytes each)
        self._decoded = functools.lru_cache(maxsize=4096)(self._decode)

    def _decode(self, i: int) -> Place:
        return _place(self.names[i], self.records[i])

    def __getitem__(self, iri: str) -> Place:
        return self._decoded(self.ids[iri])

    def get(self, iri: Any, default: Any = None) -> Any:
        i = self.ids.get(iri)
        return default if i is None else self._decoded(i)

    def __contains__(self, iri: object) -> bool:
        return iri in self.ids

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


class _Names(Sequence[str]):
    """Places named by their ids among :class:`Places`' keys (a mapped slice of ids)."""

    __slots__ = ("ids", "keys")

    def __init__(self, keys: Sequence[str], ids: Any) -> None:
        self.keys, self.ids = keys, ids

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[str]:
        keys = self.keys
        return (keys[k] for k in self.ids.tolist())

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self.keys[k] for k in self.ids[i].tolist()]
        return self.keys[int(self.ids[i])]


class _Grouped(Mapping[Any, Sequence[str]]):
    """Key → the places of that key (compressed rows of ids into :class:`Places`' keys)."""

    def __init__(self, keys: list[Any], indptr: Any, indices: Any, names: Sequence[str]) -> None:
        self._at = {k: i for i, k in enumerate(keys)}
        self.indptr, self.indices, self.names = indptr, indices, names

    def __getitem__(self, key: Any) -> Sequence[str]:
        i = self._at[key]
        return _Names(self.names, self.indices[int(self.indptr[i]) : int(self.indptr[i + 1])])

    def __iter__(self) -> Iterator[Any]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


class _Totals(Mapping[str, int]):
    """Place → a number, one mapped array in the order of :class:`Places`' keys."""

    def __init__(self, places: Places, values: Any) -> None:
        self.places, self.numbers = places, values

    def __getitem__(self, iri: str) -> int:
        return int(self.numbers[self.places.ids[iri]])

    def __iter__(self) -> Iterator[str]:
        return iter(self.places.names)

    def __len__(self) -> int:
        return len(self.numbers)


def _evidence(e: Evidence) -> list[Any]:
    return [e.iri, e.score, e.shared, list(e.via.items()), [list(x) for x in e.nearby], e.country_links, e.profile,
            e.terms]  # fmt: skip


def _evidence_of(row: list[Any]) -> Evidence:
    iri, score, shared, via, nearby, country_links, profile, terms = row
    return Evidence(iri, score, shared, Counter(dict(via)), [(a, b, d) for a, b, d in nearby], country_links,
                    profile, terms)  # fmt: skip


def _answer_key(key: Hashable) -> str | None:
    """A kept answer's key as text: (place, graphs, field, top) of :func:`relgraph.partners.suggest`."""
    if not (isinstance(key, tuple) and len(key) == 4 and isinstance(key[0], str)):
        return None
    iri, graphs, field_iri, top = key
    return json.dumps([iri, list(graphs) if graphs is not None else None, field_iri, top])


class _Answers(Mapping[Hashable, Any]):
    """The answers computed with the index (:func:`precompute`), decoded when asked."""

    def __init__(self, keys: list[str], records: Strings) -> None:
        self._at = {k: i for i, k in enumerate(keys)}
        self.records = records

    def get(self, key: Any, default: Any = None) -> Any:
        text = _answer_key(key)
        i = self._at.get(text) if text is not None else None
        if i is None:
            return default
        found, alike = json.loads(self.records[i])
        return [_evidence_of(e) for e in found], [_evidence_of(e) for e in alike]

    def __getitem__(self, key: Hashable) -> Any:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[Hashable]:
        for text in self._at:
            iri, graphs, field_iri, top = json.loads(text)
            yield (iri, tuple(graphs) if graphs is not None else None, field_iri, top)

    def __len__(self) -> int:
        return len(self._at)


def _grouped(out: Folder, name: str, groups: Mapping[Any, Iterable[str]], ids: Mapping[str, int]) -> list[Any]:
    keys = list(groups)
    indptr = np.zeros(len(keys) + 1, dtype=np.int64)
    indices: list[int] = []
    for i, k in enumerate(keys):
        indices.extend(ids[p] for p in groups[k])
        indptr[i + 1] = len(indices)
    out.array(f"{name}.indptr", indptr, np.int64)
    out.array(f"{name}.indices", indices, np.int32)
    return keys


def _write(found: PartnerIndex, path: Path) -> None:
    """The index as mapped tables in the folder ``path`` (:mod:`relgraph.mapped`): nothing of it is code."""
    found.warm()
    out = Folder(path, fmt=FORMAT)
    try:
        names, sets, arrays = rows_of(found.relations)
        out.strings("rows.names", names)
        for name in ARRAYS:
            out.array(f"rows.{name}", arrays[name], arrays[name].dtype)
        keys = sorted(found.places)
        ids = {p: i for i, p in enumerate(keys)}
        out.strings("places", keys)
        out.strings("places.records", (_place_record(found.places[p]) for p in keys))
        briefs = [found.brief(p) for p in keys]
        countries_of = sorted({c for _, c in briefs if c is not None})
        at = {c: i for i, c in enumerate(countries_of)}
        out.array("places.size", [-1 if z is None else z for z, _ in briefs], np.int8)
        out.array("places.country", [-1 if c is None else at[c] for _, c in briefs], np.int32)
        features = found.feature_places(profile_features)
        feature_keys = _grouped(out, "features", {k: sorted(v) for k, v in features.items()}, ids)
        totals = found.feature_totals(profile_features)
        out.array("feature_totals", [totals.get(p, 0) for p in keys], np.int64)
        found.country_pairs()
        pairs, weight, by_country = found._country_pairs[None]
        countries = _grouped(out, "by_country", by_country, ids)
        kept = list(itertools.islice(found.answers.items(), found.kept))
        stored = [(text, value) for key, value in kept if (text := _answer_key(key)) is not None]
        out.strings("answers", (json.dumps([[_evidence(e) for e in v] for v in value]) for _, value in stored))
        grid = found._build_grid()
        out.json(
            "summary",
            {
                "sets": [sorted(s) for s in sets],
                "fields": found.fields,
                "feature_keys": [list(k) for k in feature_keys],
                "countries": countries,
                "pairs": {c: list(n.items()) for c, n in pairs.items()},
                "weight": list(weight.items()),
                "grid": [[i, j, members] for (i, j), members in grid.items()],
                "answers": [text for text, _ in stored],
                "countries_of_places": countries_of,
            },
        )
        out.commit()
    except BaseException:
        out.abandon()
        raise
    remove_others(path, "partners-*")  # earlier data versions' (and layouts': the pickles of before)


def _load(path: Path) -> PartnerIndex:
    reader = Reader(path, fmt=FORMAT)
    summary = reader.json("summary")
    rows = load_rows(list(reader.strings("rows.names")), [frozenset(s) for s in summary["sets"]], reader)
    keys = reader.strings("places")
    places = Places(keys, reader.strings("places.records"))
    if len(places.records) != len(keys):
        raise Damaged(f"{path}: the places and their records differ in number")
    feature_keys = [(k, v) for k, v in summary["feature_keys"]]
    features = _Grouped(feature_keys, reader.array("features.indptr"), reader.array("features.indices"), places.iris)
    by_country = _Grouped(
        summary["countries"], reader.array("by_country.indptr"), reader.array("by_country.indices"), places.iris
    )
    pairs = {c: Counter(dict(n)) for c, n in summary["pairs"].items()}
    grid = {(i, j): members for i, j, members in summary["grid"]}
    sizes, countries = reader.array("places.size"), reader.array("places.country")
    if len(sizes) != len(keys) or len(countries) != len(keys):
        raise Damaged(f"{path}: the places' sizes or countries differ in number from the places")
    countries_of = summary["countries_of_places"]

    def brief(iri: str) -> tuple[int | None, str | None]:
        i = places.ids[iri]
        z, c = int(sizes[i]), int(countries[i])
        return (None if z < 0 else z), (None if c < 0 else countries_of[c])

    found = PartnerIndex(
        places,  # type: ignore[arg-type]  # read-only: a loaded index adds no place
        Relations(rows),
        summary["fields"],
        _adjacency={None: Neighbours(rows)},
        _country_pairs={None: (pairs, Counter(dict(summary["weight"])), by_country)},
        _grid=grid,
        _features=features,  # type: ignore[arg-type]
        _feature_totals=_Totals(places, reader.array("feature_totals")),  # type: ignore[arg-type]
        _arrays={None: rows.arrays()},
        stored=_Answers(summary["answers"], reader.strings("answers")),
        briefs=brief,
    )
    return found


def load_shared(snapshot: Path) -> PartnerIndex | None:
    """The index another process wrote for ``snapshot``'s data, or None (not written yet)."""
    path = shared_path(snapshot)
    if path is None:
        return None
    try:
        return _load(path)
    except FileNotFoundError:
        return None
    except Damaged:
        log.exception("the partner finder's index in %s could not be loaded", path)
        return None


def shared_index(snapshot: Path, build: Callable[[], PartnerIndex] | None = None) -> tuple[PartnerIndex, str]:
    """The finder's index of ``snapshot``'s data and how it came: "loaded" or "built".

    Loaded from the file when a process wrote it, else built (default:
    :func:`build_from_snapshot`) and written, one process at a time (the lock;
    the others wait and load).
    """
    make = build or (lambda: build_from_snapshot(snapshot))
    path = shared_path(snapshot)
    if path is None:
        return make(), "built"
    return build_once(
        path,
        snapshot.parent / "partners.lock",
        load=lambda: _load(path),
        build=make,
        write=lambda found: _write(found, path),
        what="the partner finder's index",
        load_first=True,  # written: the processes load it side by side, not one after the other
        reload=True,  # the rows mapped like the other processes': one copy in memory for all
    )
