"""Whole-graph work off the query workers: computed once per data version, in the background.

Some parts of the site read the whole graph: the network behind a place page's
"position in the network" (:mod:`relgraph_server.network`), the partner finder's
index (:mod:`relgraph_server.partners`), the home page's counts and figures, the
search before its label index is built, and ``/health``'s number of triples. At a
million agreements each takes minutes. Run on the query workers that answer
requests, they held every worker until the time limit, and the busiest city's
page waited 168–215 s for a free one (``bench/README.md``).

Here they run in one thread per HTTP process, on an engine of their own (one
query process, outside the pool that answers requests, with a longer time limit:
:data:`TIMEOUT`), one HTTP process at a time (a file lock beside the snapshots,
so two processes do not compute the same thing side by side on a small machine),
and again only when the data version changes. Until a part is ready, the pages
show it as being computed (:meth:`Background.ready`) instead of waiting for it.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from .runtime import runtime

if TYPE_CHECKING:
    from relgraph.engine import SparqlEngine

__all__ = ["GRACE", "TIMEOUT", "Background", "background"]

log = logging.getLogger(__name__)

#: Time limit of one background query (a whole-graph count at a million agreements takes minutes).
TIMEOUT = 900.0
#: A page waits for a part at most this long after the data version's jobs began: on a small graph
#: they are done by then and the page is whole; on a large one it shows the part as being computed.
GRACE = 10.0
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _network(app: Flask, engine: SparqlEngine) -> None:
    from .network import build_shared

    build_shared()  # kept in the app's network cache for this data version; one process builds, the others load


def _home(app: Flask, engine: SparqlEngine) -> None:
    """The home page's counts and figures and the search's first answer, memoised per data version."""
    client = app.test_client()
    for path in ("/?lang=en", "/search?q=a&lang=en"):
        client.get(path, headers={"Accept": "text/html"})


def _triples(app: Flask, engine: SparqlEngine) -> int:
    return int(engine.select(_COUNT)[0]["n"].value)


#: name → job; what a job returns is its value. Other modules add theirs (``partners``: the finder's index;
#: ``pages``: :mod:`.warm`).
JOBS: dict[str, Callable[[Flask, SparqlEngine], Any]] = {
    "network": _network,
    "home": _home,
    "triples": _triples,
}
#: The order the jobs run in: the place pages' parts first, then the busiest places' pages made with them.
ORDER = ("network", "partners", "pages", "home", "triples")
#: Jobs with a lock of their own over an embedded store's snapshots, or kept by each process (``pages``):
#: run outside the turn (:meth:`Background._turn`).
OWN_LOCK = frozenset({"network", "partners", "pages"})


class Background:
    """The background engine and thread of one HTTP process, and what they computed for which data version.

    A job runs when something asked for it (:meth:`start`, :meth:`ready`, :meth:`value`) and has
    not run for the current data version: over a remote store, whose version moves every few
    seconds, only what pages still ask for is computed again.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._engine: SparqlEngine | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()
        self._changed = threading.Condition()  # notified after each job
        self._began: tuple[Hashable, float] | None = None  # (data version, monotonic time) its jobs began
        self._thread: threading.Thread | None = None
        self._wanted: set[str] = set()
        self._done: dict[str, Hashable] = {}  # job → data key it ran for (Runtime.data_key)
        self._values: dict[str, tuple[Hashable, Any]] = {}  # job → (data key, what it returned)

    def engine(self) -> SparqlEngine:
        """The background engine of this process: one query process, started on first use."""
        with self._lock:
            if self._engine is None or self._pid != os.getpid():
                cfg = runtime(self.app).config
                engine = runtime(self.app).deployment.engine(
                    workers=1,
                    timeout=max(float(cfg["query_timeout"]), TIMEOUT),
                    max_rows=cfg["max_rows"],
                    service_allowlist=(),
                    validate_updates=False,
                    background=True,
                )
                engine.start()
                self._engine, self._pid = engine, os.getpid()
            return self._engine

    def ready(self, name: str, *, grace: float = GRACE) -> bool:
        """Whether job ``name`` ran for the current data version (if not, it is started).

        Waits for it while the data version's jobs began less than ``grace`` seconds ago.
        """
        version = runtime(self.app).data_key()
        if self._done.get(name) == version:
            return True
        self.start(name)
        if threading.current_thread() is self._thread:  # a page made by a job (``pages``): it cannot wait for itself
            return False
        with self._changed:
            began = self._began[1] if self._began is not None and self._began[0] == version else time.monotonic()
            deadline = began + grace
            while self._done.get(name) != version and time.monotonic() < deadline:
                self._changed.wait(max(0.0, deadline - time.monotonic()))
        return self._done.get(name) == version

    def value(self, name: str) -> Any:
        """What job ``name`` gave for the current data version (e.g. ``triples``); None (and started) if not yet."""
        found = self._values.get(name)
        if found is None or found[0] != runtime(self.app).data_key():
            self.start(name)
            return None
        return found[1]

    def start(self, *names: str) -> None:
        """Ask for jobs ``names`` (default: all) and run them in the background thread."""
        with self._lock:
            self._wanted.update(names or ORDER)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="relgraph-background", daemon=True)
                self._thread.start()

    def _todo(self, version: Hashable) -> list[str]:
        with self._lock:
            todo = [n for n in ORDER if n in JOBS and n in self._wanted and self._done.get(n) != version]
            if not todo:
                self._thread = None  # a later start() makes a new thread
            return todo

    def _run(self) -> None:
        rt = runtime(self.app)
        try:
            while True:
                version = rt.data_key()
                todo = self._todo(version)
                if not todo:
                    return
                with self._changed:
                    if self._began is None or self._began[0] != version:
                        if self._began is not None:  # the last version's parts may go once replaced
                            gc.unfreeze()
                        self._began = (version, time.monotonic())
                # the network over snapshots has a lock of its own (one process builds, the others
                # load its file: relgraph.network.shared), so it does not wait for another's whole turn
                alone = [n for n in todo if n in OWN_LOCK] if rt.deployment.snapshot(rt.engine.version) else []
                self._jobs(alone, version)
                rest = [n for n in todo if n not in alone]
                if rest:
                    with self._turn(rt):
                        self._jobs(rest, version)
        except Exception:
            log.exception("background work stopped")
            with self._lock:
                self._thread = None

    def _jobs(self, names: list[str], version: Hashable) -> None:
        if not names:
            return
        rt, engine = runtime(self.app), self.engine()
        for name in names:
            value = None
            try:
                with self.app.app_context(), rt.using(engine):
                    value = JOBS[name](self.app, engine)
            except Exception:  # the page leaves the part out (no longer "being computed")
                log.exception("background %s for data version %s failed", name, version)
            # What a job made is kept for as long as the data version lasts (the network's analysis, the finder's
            # index, the busiest pages' maps and charts): out of the cycle collector's sight until the version
            # changes (:func:`gc.freeze`). Before the first two were mapped files they were 1.15 million objects at a
            # million agreements, and every full collection walked them, 1-4 s with the interpreter held, mid-page.
            gc.freeze()
            with self._changed:
                self._values[name] = (version, value)
                self._done[name] = version
                self._changed.notify_all()

    @contextlib.contextmanager
    def _turn(self, rt: Any) -> Iterator[None]:
        """One HTTP process at a time: a lock file beside the snapshots (or in the temporary folder)."""
        snapshot = rt.deployment.snapshot(rt.engine.version)
        if snapshot is not None:
            path = snapshot.parent / "background.lock"
        else:  # a remote store: one lock per store location
            digest = hashlib.sha256(str(rt.deployment.location).encode()).hexdigest()[:16]
            path = Path(tempfile.gettempdir()) / f"relgraph-background-{digest}.lock"
        with open(path, "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the other process's turn ends when its jobs do
            yield

    def close(self) -> None:
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None and self._pid == os.getpid():
            engine.close()


def background(app: Flask | None = None) -> Background:
    """The :class:`Background` of ``app`` (default: the current app), made on first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]  # the app, not its proxy
    found: Background | None = app.extensions.get("relgraph_background")
    if found is None:
        found = app.extensions.setdefault("relgraph_background", Background(app))
    return found
