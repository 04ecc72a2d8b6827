"""A file beside the snapshots that one process builds and the others load (the network's analysis, the partner
finder's index): one lock and one order of steps, so the two cannot drift apart."""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

__all__ = ["build_once", "give_back"]

log = logging.getLogger(__name__)

T = TypeVar("T")


def build_once(
    path: Path,
    lock: Path,
    *,
    load: Callable[[], T],
    build: Callable[[], T],
    write: Callable[[T], None],
    what: str,
    load_first: bool = False,
    reload: bool = False,
) -> tuple[T, str]:
    """``load()`` when a process wrote ``path``, else ``build()`` and ``write`` it; and how: "loaded" or "built".

    One process builds at a time (``lock``); the others wait, then load its file. A file that cannot be loaded
    (another relgraph version's, damaged) is built again; one that cannot be written (disk full) leaves this
    process with its own. ``load_first``: try the file before taking the lock, so that processes load it side by
    side; ``reload``: after writing, use the loaded file too (mapped arrays: one copy in memory for all).
    """
    if load_first and path.exists():
        try:
            return load(), "loaded"
        except Exception:  # being replaced, damaged: under the lock below
            log.exception("%s in %s could not be loaded", what, path)
    with open(lock, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # another process builds it: wait and load its file
        if path.exists():
            try:
                return load(), "loaded"
            except Exception:
                log.exception("%s in %s could not be loaded", what, path)
        found = build()
        try:
            write(found)
        except OSError:  # disk full, ...: this process keeps its own
            log.exception("%s could not be written to %s", what, path)
            return found, "built"
        if reload:
            try:
                loaded = load()
            except Exception:
                log.exception("%s in %s could not be loaded", what, path)
                return found, "built"
            del found
            give_back()  # the built copy: hundreds of MB at a million agreements that glibc would keep
            return loaded, "built"
        return found, "built"


def give_back() -> None:
    """Collect what is no longer referenced and return the freed memory to the system (glibc keeps it otherwise)."""
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
