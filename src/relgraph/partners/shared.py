"""One partner finder index per data version for every HTTP process: built once, written beside the snapshots.

``relgraph serve`` runs several HTTP processes; each used to build the finder's
index itself through the query engine (about ten minutes at a million
agreements, pages past the row cap) and then computed a busy place's
suggestions on the page's request (74–94 s). Now one process (under
``<snapshots>/partners.lock``) reads the snapshot directly (a published snapshot
is immutable: :mod:`relgraph.network.snapshot`), whole queries streamed instead
of pages, computes the answers of the most related places (:data:`PRECOMPUTED`:
their pages are the busy ones and their answers the slowest), and writes it all
to ``<snapshots>/partners-<format>-<data key>.pickle``
(:func:`relgraph.labelindex.data_key`: the same for every snapshot of the same
data); the others, and a restart on the same data, load that file.

The relations and the network are written beside it as arrays that every
process maps read-only (:mod:`relgraph.partners.mapped`: one copy in the page
cache instead of about 440 MB of dicts per HTTP process at a million
agreements); the pickle keeps the rest (places, profiles, the precomputed
answers). The builder too maps the files it wrote.

The files are written by this process's own code beside the store's snapshots,
where only the server writes; they are no input from outside.
"""

from __future__ import annotations

import copy
import logging
import os
import pickle
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from ..buildonce import build_once
from ..summary import Runner
from .index import PartnerIndex, build_index
from .mapped import Neighbours, Relations, load_rows, rows_of, write_rows
from .score import rank, similar

__all__ = ["FORMAT", "PRECOMPUTED", "build_from_snapshot", "load_shared", "shared_index", "shared_path"]

log = logging.getLogger(__name__)

#: Part of the file name: a file of another layout of the index is not loaded.
FORMAT = "v3"
#: The places whose page answers are computed with the index (most partners first).
PRECOMPUTED = 100


def shared_path(snapshot: Path) -> Path | None:
    """Where the index of ``snapshot``'s data is kept, or None (no data key: an empty snapshot)."""
    from ..labelindex import data_key

    key = data_key(snapshot)
    return snapshot.parent / f"partners-{FORMAT}-{key}.pickle" if key is not None else None


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


def _load(path: Path) -> PartnerIndex:
    with open(path, "rb") as fh:
        # written by shared_index, beside the snapshots
        found, names, sets = pickle.load(fh)  # noqa: S301
    rows = load_rows(names, sets, path.with_suffix(""))
    found.relations = Relations(rows)
    found._adjacency[None] = Neighbours(rows)
    found._arrays[None] = rows.arrays()
    return found


def _write(found: PartnerIndex, path: Path) -> None:
    """The rows first (``<stem>.<array>.npy``), then the pickle of the rest: when it exists, the whole is there."""
    names, sets, arrays = rows_of(found.relations)
    stem = path.with_suffix("")
    kept = {path, *write_rows(arrays, stem)}
    rest = copy.copy(found)  # without what the rows hold
    rest.relations = {}
    rest._adjacency = {k: v for k, v in found._adjacency.items() if k is not None}
    rest._arrays = {k: v for k, v in found._arrays.items() if k is not None}
    tmp = path.with_name(f".tmp-{path.name}-{os.getpid()}")
    with open(tmp, "wb") as fh:
        pickle.dump((rest, names, sets), fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    for other in path.parent.glob("partners-*"):  # earlier data versions' (or layouts')
        if other not in kept and other.is_file():
            other.unlink(missing_ok=True)


def load_shared(snapshot: Path) -> PartnerIndex | None:
    """The index another process wrote for ``snapshot``'s data, or None (not written yet)."""
    path = shared_path(snapshot)
    if path is None:
        return None
    try:
        return _load(path)
    except FileNotFoundError:
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
