"""Snapshots: the copies of the embedded store that queries read, and the one write lock.

Workers never open the primary store for reading: ``Store.read_only`` must not
be used while another process writes the same directory. They read the newest
*snapshot*, a RocksDB checkpoint made with ``Store.backup`` (hard links, cheap)::

    <store>/                    the primary, opened read-write only to write
    <store>.snapshots/
        write.lock              flock: one writer at a time, across processes
        CURRENT                 number of the newest snapshot, replaced atomically
        17/ 18/ 19/             snapshots; the newest few are kept
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import StoreError

__all__ = ["current_snapshot", "publish_locked", "publish_snapshot", "snapshots_dir", "write_lock"]

#: Snapshots always kept (besides the current one, the two before it).
KEEP_SNAPSHOTS = 3
#: Older snapshots are kept this long after they stopped being current, for queries still reading them.
PRUNE_AFTER = 600.0
#: Never more snapshots than this, whatever their age.
MAX_SNAPSHOTS = 20


def snapshots_dir(store_path: str | Path) -> Path:
    """``<store>.snapshots``, next to the store directory."""
    path = Path(store_path).absolute()
    return path.with_name(path.name + ".snapshots")


@contextlib.contextmanager
def write_lock(store_path: str | Path) -> Iterator[None]:
    """Hold the store's exclusive write lock (``<store>.snapshots/write.lock``).

    Blocks until other writers using this lock are done. The lock dies with
    its process, so a killed writer never leaves it behind.
    """
    snaps = snapshots_dir(store_path)
    snaps.mkdir(parents=True, exist_ok=True)
    fd = os.open(snaps / "write.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the flock


def _snapshot_numbers(snaps: Path) -> list[int]:
    try:
        return sorted(int(p.name) for p in snaps.iterdir() if p.name.isdigit())
    except FileNotFoundError:
        return []


def current_snapshot(store_path: str | Path) -> int | None:
    """The number of the newest published snapshot, or None if there is none."""
    try:
        return int((snapshots_dir(store_path) / "CURRENT").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def publish_locked(store_path: Path, ox_store: Any) -> Path:
    """Publish a snapshot of ``ox_store`` (a pyoxigraph Store) while holding the write lock."""
    snaps = snapshots_dir(store_path)
    numbers = _snapshot_numbers(snaps)
    number = max([*numbers, current_snapshot(store_path) or 0]) + 1
    tmp = snaps / f".tmp-{number}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        ox_store.flush()
        ox_store.backup(str(tmp))
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise StoreError(f"cannot make a snapshot of {store_path} in {snaps}: {err}") from None
    target = snaps / str(number)
    os.rename(tmp, target)
    pointer = snaps / f".CURRENT-{os.getpid()}"
    with open(pointer, "w", encoding="ascii") as fh:
        fh.write(f"{number}\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(pointer, snaps / "CURRENT")
    _prune(snaps, number)
    return target


def _prune(snaps: Path, current: int) -> None:
    """Delete snapshots no query can still be reading, and leftovers of killed publishers."""
    now = time.time()
    numbers = [n for n in _snapshot_numbers(snaps) if n != current]
    keep = set(numbers[-(KEEP_SNAPSHOTS - 1) :]) if KEEP_SNAPSHOTS > 1 else set()
    newer = {n: snaps / str(m) for n, m in zip(numbers, [*numbers[1:], current], strict=False)}
    for index, n in enumerate(numbers):
        if n in keep:
            continue
        try:
            superseded_for = now - newer[n].stat().st_mtime
        except FileNotFoundError:
            superseded_for = PRUNE_AFTER
        too_many = len(numbers) - index >= MAX_SNAPSHOTS  # counting the current one
        if superseded_for >= PRUNE_AFTER or too_many:
            shutil.rmtree(snaps / str(n), ignore_errors=True)
    for label_index in snaps.glob("*.labels.sqlite"):  # a snapshot's label index (relgraph.labelindex) goes with it
        if not (snaps / label_index.name.split(".", 1)[0]).is_dir():
            label_index.unlink(missing_ok=True)
    for leftover in snaps.glob(".tmp-*"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > PRUNE_AFTER:
                if leftover.is_dir():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink(missing_ok=True)


def publish_snapshot(store_path: str | Path, *, store: Any = None) -> Path:
    """Make the primary store's current content the snapshot queries read; return its directory.

    Call it after writing the store outside the engine (``relgraph load``) so a
    running server serves the new data. Pass ``store`` (a :class:`relgraph.store.Store`
    or a pyoxigraph Store) when the caller already has the primary open;
    otherwise it is opened read-write for the moment of the checkpoint.
    """
    store_path = Path(store_path)
    with write_lock(store_path):
        if store is not None:
            return publish_locked(store_path, getattr(store, "oxigraph", store))
        from ..store.embedded import Store

        primary = Store(store_path)
        try:
            return publish_locked(store_path, primary.oxigraph)
        finally:
            primary.close()
