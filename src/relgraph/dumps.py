"""Gzipped dumps of the whole graph (N-Quads, TriG), one set per data version.

Dumps are written from the snapshot the engine serves (``<store>.snapshots/<version>``,
never written after it is published) in a separate process that opens it
read-only, into ``<store>.dumps/relgraph-<version>.<nq|trig>.gz`` (temporary
file, then an atomic rename). Files of older versions are removed once a newer
dump exists. No web framework here.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import multiprocessing
import os
from pathlib import Path

from .engine import snapshots_dir
from .errors import StoreError
from .namespaces import PREFIXES

__all__ = ["FORMATS", "dump_path", "dumps_dir", "ensure_dump", "write_dump"]

#: name suffix → (pyoxigraph format name, media type of the uncompressed content)
FORMATS = {"nq": ("N_QUADS", "application/n-quads"), "trig": ("TRIG", "application/trig")}
#: How long one dump may take.
DUMP_TIMEOUT = 600.0


def dumps_dir(store_path: str | Path) -> Path:
    """``<store>.dumps``, next to the store directory."""
    path = Path(store_path).absolute()
    return path.with_name(path.name + ".dumps")


def dump_path(store_path: str | Path, version: int, fmt: str) -> Path:
    return dumps_dir(store_path) / f"relgraph-{int(version)}.{fmt}.gz"


def write_dump(snapshot: str | Path, target: str | Path, fmt: str) -> None:
    """Write the dataset of ``snapshot`` (a store directory) as gzipped ``fmt`` to ``target``."""
    import pyoxigraph as ox

    rdf_format = getattr(ox.RdfFormat, FORMATS[fmt][0])
    store = ox.Store.read_only(str(snapshot))
    tmp = Path(f"{target}.tmp-{os.getpid()}")
    try:
        with gzip.open(tmp, "wb", compresslevel=6) as out:
            store.dump(out, rdf_format, prefixes=PREFIXES if fmt == "trig" else None)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def ensure_dump(store_path: str | Path, version: int, fmt: str, *, timeout: float = DUMP_TIMEOUT) -> Path:
    """The dump of ``version`` in ``fmt`` (``nq`` or ``trig``), written first if it is missing."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown dump format {fmt!r}")
    target = dump_path(store_path, version, fmt)
    if target.exists():
        return target
    folder = dumps_dir(store_path)
    folder.mkdir(parents=True, exist_ok=True)
    snapshot = snapshots_dir(store_path) / str(int(version))
    if not snapshot.is_dir():
        raise StoreError(f"snapshot {version} of {store_path} is gone; reload the page for the current data")
    with open(folder / "dump.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():  # another request wrote it meanwhile
            return target
        process = multiprocessing.get_context("spawn").Process(
            target=write_dump, args=(str(snapshot), str(target), fmt), name="relgraph-dump", daemon=True
        )
        process.start()
        process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join(5)
        if process.exitcode != 0 or not target.exists():
            raise StoreError(f"writing the {fmt} dump of snapshot {version} failed (exit code {process.exitcode})")
        for old in folder.glob(f"relgraph-*.{fmt}.gz"):
            if old != target:
                with contextlib.suppress(OSError):
                    old.unlink()
    return target
