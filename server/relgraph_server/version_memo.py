"""Parts of a page that depend on the data version only, kept per HTTP process even with ``--no-cache``.

At a million agreements the busiest city's map (4,082 partners), charts and
their counts cost about half a second of a page's second: the same for every
request of one data version. A small LRU (:class:`~relgraph_server.cache.VersionCache`)
keyed by :meth:`~relgraph_server.runtime.Runtime.data_key` keeps the latest
places' parts; a new data version empties it, so nothing older than the data
is shown. Unlike the result cache it holds parts, not pages: a page that is
built again (a part still being computed, ``--no-cache``) reuses them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

from .cache import VersionCache
from .runtime import runtime

__all__ = ["ENTRIES", "per_version"]

#: Parts kept per HTTP process (a place's map, charts and counts are two entries).
ENTRIES = 64

T = TypeVar("T")


def per_version(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per data version and ``key`` in this process (while among the latest kept)."""
    app: Any = current_app
    cache: VersionCache = app.extensions.setdefault("relgraph_version_memo", VersionCache(entries=ENTRIES))
    version = runtime().data_key()
    found = cache.get(version, key)
    if found is None:
        found = compute()
        cache.put(version, key, found)
    return found
