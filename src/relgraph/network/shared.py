"""One network per data version for every HTTP process: the analysis written once to a file beside the snapshots.

``relgraph serve`` runs several HTTP processes; each used to read and measure
the network itself (2.4 GB and a minute of CPU each at a million agreements).
Now one of them (under ``<snapshots>/network.lock``) builds the default
network, computes the figures the pages and APIs show (stats, degrees, ranks,
percentiles, communities, top lists, country pairs, growth) and writes the
whole :class:`~relgraph.network.measures.Analysis` to
``<snapshots>/network-<data key>.pickle`` (:func:`relgraph.labelindex.data_key`:
the same for every snapshot of the same data); the others load that file
(seconds) instead of building.

The file is written by this process's own code beside the store's snapshots,
where only the server writes; it is no input from outside.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..buildonce import build_once
from .data import RowSource

if TYPE_CHECKING:
    from .measures import Analysis

__all__ = ["load_shared", "shared_analysis", "shared_path"]

log = logging.getLogger(__name__)


def shared_path(snapshot: Path) -> Path | None:
    """Where the analysis of ``snapshot``'s data is kept, or None (no data key: an empty snapshot)."""
    from ..labelindex import data_key

    key = data_key(snapshot)
    return snapshot.parent / f"network-{key}.pickle" if key is not None else None


def _load(path: Path, labels: RowSource | None) -> Analysis:
    with open(path, "rb") as fh:
        found: Analysis = pickle.load(fh)  # noqa: S301  # written by shared_analysis, beside the snapshots
    found.network.data._rows = labels
    return found


def _write(found: Analysis, path: Path) -> None:
    g = found.g
    found.stats()  # every figure computed before writing: the readers only look them up
    if g.vcount():
        found.node(0)  # ranks, percentiles, communities
    tmp = path.with_name(f".tmp-{path.name}-{os.getpid()}")
    with open(tmp, "wb") as fh:
        pickle.dump(found, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    for other in path.parent.glob("network-*.pickle"):  # earlier data versions'
        if other != path:
            other.unlink(missing_ok=True)


def load_shared(snapshot: Path, *, labels: RowSource | None = None) -> Analysis | None:
    """The analysis another process wrote for ``snapshot``'s data, or None (not written yet)."""
    path = shared_path(snapshot)
    if path is None:
        return None
    try:
        return _load(path, labels)
    except FileNotFoundError:
        return None


def shared_analysis(
    snapshot: Path, build: Callable[[], Analysis], *, labels: RowSource | None = None
) -> tuple[Analysis, str]:
    """The default network's analysis of ``snapshot``'s data and how it came: "loaded" or "built".

    Loaded from the file when a process wrote it, else built by ``build()`` and
    written (one process at a time: the lock; the others wait and load).
    """
    path = shared_path(snapshot)
    if path is None:
        return build(), "built"
    return build_once(
        path,
        snapshot.parent / "network.lock",
        load=lambda: _load(path, labels),
        build=build,
        write=lambda found: _write(found, path),
        what="the network",
    )
