"""The finder's network as arrays on disk that every HTTP process maps read-only (one copy in the page cache).

At a million agreements the finder's relations (2.9M place–place pairs, each
with the source graphs that state it) and the network built from them took
about 440 MB of Python dicts and sets in each HTTP process of ``relgraph
serve``. Here they are written once as compressed rows (``.npy`` files in the
index's folder beside the snapshots, :mod:`relgraph.partners.shared`; a row's
partners sorted by id) and mapped read-only: the processes share the pages,
and a place's partners are read from its row when a suggestion asks for them
(:class:`Row`, :class:`Neighbours`, :class:`Relations`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

import numpy as np

from ..mapped import Damaged, Reader
from .index import Arrays

__all__ = ["ARRAYS", "Neighbours", "Relations", "Row", "Rows", "load_rows", "rows_of"]

#: The files of one index: ``<stem>.<name>.npy``.
ARRAYS = ("indptr", "indices", "graphsets")


class Rows:
    """The relations as compressed rows: ``indices[indptr[i]:indptr[i + 1]]`` are the partners of ``names[i]``.

    ``graphsets[k]``: which of ``sets`` states the relation of entry ``k``.
    """

    def __init__(self, names: list[str], sets: list[frozenset[str]], arrays: Mapping[str, Any]) -> None:
        self.names, self.sets = names, sets
        self.ids = {p: i for i, p in enumerate(names)}
        self.indptr, self.indices, self.graphsets = (arrays[n] for n in ARRAYS)
        self.degree = np.diff(self.indptr)

    def span(self, i: int) -> tuple[int, int]:
        return int(self.indptr[i]), int(self.indptr[i + 1])

    def arrays(self) -> Arrays:
        """The network of every relation as :class:`~relgraph.partners.index.Arrays` (the same rows, mapped)."""
        return Arrays(self.names, self.ids, self.indptr, self.indices, self.degree)


class Row(AbstractSet[str]):
    """One place's partners: a read-only set over its row (its length without reading it)."""

    __slots__ = ("_hi", "_lo", "_rows")

    def __init__(self, rows: Rows, lo: int, hi: int) -> None:
        self._rows, self._lo, self._hi = rows, lo, hi

    @classmethod
    def _from_iterable(cls, it: Iterable[Any]) -> set[Any]:  # what &, |, - give: a plain set
        return set(it)

    def ids(self) -> Any:
        return self._rows.indices[self._lo : self._hi]

    def __len__(self) -> int:
        return self._hi - self._lo

    def __iter__(self) -> Iterator[str]:
        names = self._rows.names
        return (names[j] for j in self.ids().tolist())

    def __contains__(self, q: object) -> bool:
        j = self._rows.ids.get(q) if isinstance(q, str) else None
        if j is None:
            return False
        row = self.ids()
        k = int(np.searchsorted(row, j))
        return k < len(row) and int(row[k]) == j

    def __and__(self, other: Iterable[Any]) -> set[str]:
        if isinstance(other, Row) and other._rows is self._rows:
            names = self._rows.names
            return {names[j] for j in np.intersect1d(self.ids(), other.ids(), assume_unique=True).tolist()}
        return {q for q in other if q in self}

    __rand__ = __and__


class _ByPlace:
    """The keys of a mapping over the rows: every place, in the rows' order."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    def __contains__(self, p: object) -> bool:
        return p in self.rows.ids

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows.names)

    def __len__(self) -> int:
        return len(self.rows.names)


class Neighbours(_ByPlace, Mapping[str, AbstractSet[str]]):
    """Place → its partners through every relation (:meth:`PartnerIndex.adjacency` of all graphs), from the rows."""

    def __getitem__(self, p: str) -> Row:
        lo, hi = self.rows.span(self.rows.ids[p])
        return Row(self.rows, lo, hi)


class Relations(_ByPlace, Mapping[str, Mapping[str, frozenset[str]]]):
    """Place → partner → the source graphs that state their relation (:attr:`PartnerIndex.relations`), from the rows."""

    def __getitem__(self, p: str) -> dict[str, frozenset[str]]:
        lo, hi = self.rows.span(self.rows.ids[p])
        names, sets = self.rows.names, self.rows.sets
        return {
            names[j]: sets[g]
            for j, g in zip(self.rows.indices[lo:hi].tolist(), self.rows.graphsets[lo:hi].tolist(), strict=True)
        }

    def graphs(self) -> set[str]:
        """Every source graph of a relation (without reading the rows)."""
        used = np.unique(np.asarray(self.rows.graphsets)).tolist()
        return {g for k in used for g in self.rows.sets[k]}


def rows_of(relations: Mapping[str, Mapping[str, frozenset[str]]]) -> tuple[list[str], list[frozenset[str]], dict]:
    """``relations`` as rows: the names, the graph sets, and the arrays (:data:`ARRAYS`), partners sorted by id."""
    names = sorted(p for p, partners in relations.items() if partners)
    ids = {p: i for i, p in enumerate(names)}
    set_ids: dict[frozenset[str], int] = {}
    indptr = np.zeros(len(names) + 1, dtype=np.int64)
    indices: list[int] = []
    graphsets: list[int] = []
    for i, p in enumerate(names):
        row = sorted((ids[q], set_ids.setdefault(gs, len(set_ids))) for q, gs in relations[p].items())
        indices.extend(j for j, _ in row)
        graphsets.extend(g for _, g in row)
        indptr[i + 1] = len(indices)
    sets = sorted(set_ids, key=set_ids.__getitem__)
    arrays = {
        "indptr": indptr,
        "indices": np.asarray(indices, dtype=np.int32),
        "graphsets": np.asarray(graphsets, dtype=np.int32),
    }
    return names, sets, arrays


def load_rows(names: list[str], sets: list[frozenset[str]], reader: Reader) -> Rows:
    """The rows of :func:`rows_of` from a folder of mapped tables (``rows.<array>``), shared by every process."""
    arrays = {n: reader.array(f"rows.{n}") for n in ARRAYS}
    if len(arrays["indptr"]) != len(names) + 1 or len(arrays["indices"]) != len(arrays["graphsets"]):
        raise Damaged(f"{reader.path}: the partner finder's rows do not match its index")
    if len(arrays["graphsets"]) and int(np.max(arrays["graphsets"])) >= len(sets):
        raise Damaged(f"{reader.path}: the partner finder's rows name graph sets it does not have")
    return Rows(names, sets, arrays)
