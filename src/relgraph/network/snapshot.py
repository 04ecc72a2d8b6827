"""The relations of a published snapshot, read with the grouped query over a read-only handle.

The server's engine reads a store through its query workers with the plain
queries, paged past the row cap: at a million agreements that never finished
within 26 minutes. A published snapshot is immutable (:mod:`relgraph.engine.snapshots`),
so ``pyoxigraph.Store.read_only`` is safe on it and the network can be read as
``relgraph network stats`` reads a store on disk (:data:`relgraph.network.data.Q_GROUPED`,
36 s at a million agreements).
"""

from __future__ import annotations

from pathlib import Path

from .data import RelationData, RowSource, fetch, store_rows

__all__ = ["read_snapshot"]


def read_snapshot(snapshot: Path, *, labels: RowSource | None = None) -> RelationData:
    """The relations of ``snapshot`` (a directory); labels are read later from ``labels`` (default: none).

    The read-only handle is closed before returning: a snapshot can be pruned once
    superseded, so what is read later (labels, on demand) goes to ``labels`` instead.
    """
    from ..store.embedded import Store

    store = Store(snapshot, read_only=True)
    try:
        data = fetch(store_rows(store))
    finally:
        store.close()
    data._rows = labels
    return data
