"""The web layer's one cache: values computed for one data version, bounded, thread-safe.

Everything the web layer keeps between requests depends on the data it was
computed from, and the data version (``engine.version``: the snapshot number,
or the remote engine's counter) says when that changes. So every kept value
is filed under the version it was computed at: a lookup at another version
misses, and the first value of a newer version drops all older ones (they can
never be asked for again). A value computed at an older version than the
newest seen (a slow request that straddled an update) is returned to its
caller but not kept.

The :class:`~relgraph_server.runtime.Runtime` of a process holds two:
``cache``, the result cache (query answers, pages, API answers, existence
checks; at most ``cache_entries`` values, none larger than ``cache_max_bytes``;
``None`` with ``--no-cache``), and the memo of per-version figures (counts,
statistics, the drafting gazetteer), which is always on.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["VersionCache"]

T = TypeVar("T")


class VersionCache:
    """A small LRU of values of one data version (``None`` is not a value: it means "missing")."""

    def __init__(self, *, entries: int, max_bytes: int | None = None) -> None:
        if entries < 1:
            raise ValueError(f"a cache holds at least one entry, not {entries}")
        self.entries, self.max_bytes = entries, max_bytes
        self.version: int | None = None
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    def get(self, version: int, key: Hashable) -> Any:
        """The value kept for ``key`` at ``version``, or None."""
        with self._lock:
            value = self._data.get(key) if version == self.version else None
            if value is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, version: int, key: Hashable, value: Any, *, size: int = 0) -> bool:
        """Keep ``value`` for ``key`` at ``version``; False when it is not kept (too large, or an old version)."""
        if value is None or (self.max_bytes is not None and size > self.max_bytes):
            return False
        with self._lock:
            if self.version is not None and version < self.version:
                return False
            if version != self.version:
                self._data.clear()
                self.version = version
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)
            return True

    def fetch(
        self,
        version: int,
        key: Hashable,
        compute: Callable[[], T],
        *,
        size: Callable[[T], int] | None = None,
        keep: Callable[[T], bool] | None = None,
    ) -> T:
        """The kept value of ``key``, else ``compute()`` (kept when ``keep`` allows it and it is small enough).

        Two threads that miss together both compute; the answer is the same.
        """
        found = self.get(version, key)
        if found is not None:
            return found
        value = compute()
        if keep is None or keep(value):
            self.put(version, key, value, size=size(value) if size is not None else 0)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.version = None
