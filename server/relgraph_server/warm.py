"""The busiest places' pages made in the background, before anyone asks (the ``pages`` job of :mod:`.background`).

Its own module: it needs the partner finder's index (:mod:`.partners`), which is itself a job of the background.
"""

from __future__ import annotations

import logging
import os
import time
from typing import TYPE_CHECKING

from flask import Flask

from .background import JOBS
from .i18n import LANGUAGES
from .partners import index
from .runtime import runtime
from .urls import Urls, public_base

if TYPE_CHECKING:
    from relgraph.engine import SparqlEngine

log = logging.getLogger(__name__)

#: The busiest places whose pages a process makes before anyone asks (:func:`_pages`), in every language.
WARM_PLACES = 4


def _pages(app: Flask, engine: SparqlEngine) -> int:
    """Make the busiest places' pages once in this process, once the network and the finder's index are in.

    Their map, charts and partner sections are kept per data version in this process
    (:mod:`relgraph_server.version_memo`, the finder's kept answers) and the first reads of
    the relation index and the store are warm: at a million agreements the first whole GET
    of the busiest city's page took 1.5-1.9 s in each HTTP process, the next ones 0.8-0.9 s.
    Pages without an explicit ``?lang=`` (their links carry none), one per language.
    """
    rt = runtime(app)
    if rt.deployment.snapshot(rt.engine.version) is None:  # a remote store's version moves every few seconds
        return 0
    found = index(wait=True)
    if found is None:
        return 0
    adj = found.adjacency()
    made, began, client = Urls(base=public_base()), time.monotonic(), app.test_client()
    pages = [made.page(iri) for iri in sorted(adj, key=lambda p: (-len(adj[p]), p))[: WARM_PLACES * 4]]
    paths = [p for p in pages if p is not None and p.startswith("/id/")][:WARM_PLACES]
    version = rt.data_key()
    for lang in LANGUAGES:  # English (no Accept-Language) first
        for path in paths:
            if rt.data_key() != version:  # new data: its jobs run next (this thread runs them)
                return 0
            client.get(path, headers={"Accept": "text/html", "Accept-Language": lang})
    log.info(
        "pages of the %d busiest places made for data version %s in %.1f s (pid %s)",
        len(paths),
        version,
        time.monotonic() - began,
        os.getpid(),
    )
    return len(paths)


JOBS["pages"] = _pages
