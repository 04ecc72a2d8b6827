"""``relgraph serve``: prepare the store, then run the app under granian.

Worker model: **``http_workers`` HTTP processes (one per CPU, at most 4)**,
each running granian's HTTP server (Rust) with ``2 * workers + 2`` Python
threads (at least 4) for the WSGI app. Each process has its own engine with
``workers`` query processes (killable on timeout), its own result cache, and
runs the updates it receives (the store's write lock serialises them across
processes; every engine reads the newest snapshot). The threads let a cheap
``ASK {}`` be answered while a runaway query holds another thread (and query
process) of the same process until its timeout.

Why granian and not gunicorn (measured on a shared 2-CPU machine, a bare WSGI
app answering 1.4 kB, ``bench/loadclient.py`` at concurrency 4; see
``bench/README.md``): gunicorn's ``gthread`` worker spent ~0.16 ms of CPU per
request in Python (accept loop, thread pool hand-off, its HTTP parser),
granian ~0.04 ms (HTTP parsed and written in Rust; the app called from a
Python thread). For ``DESCRIBE`` of one agreement through the whole endpoint
that was 0.69 → 0.38 ms of server CPU per request and 1,400 → 3,350 req/s.
It streams request bodies (Flask's ``MAX_CONTENT_LENGTH`` still applies
before a byte is read) and refuses request lines of 100 kB and more (414).
``sync`` workers of either are no alternative: no keep-alive, and a runaway
query would block its process until the timeout.

The engine starts in the HTTP process (:func:`worker_app`, which granian
calls there), never in the master before forking; the store is prepared in a
spawned child for the same reason (:meth:`relgraph.deployment.Deployment.prepare`).
"""

from __future__ import annotations

import json
import logging
import multiprocessing.util
import os
import sys
from pathlib import Path
from typing import Any

from flask import Flask

from relgraph.deployment import deployment

from .app import create_app
from .config import load_config
from .runtime import runtime

__all__ = ["http_processes", "run_serve", "server_options", "worker_app"]

log = logging.getLogger("relgraph_server")
_LOG_FORMAT = "[%(asctime)s] %(process)d %(name)s: %(message)s"  # the process: which HTTP process answered
#: How the master hands the command's options to the HTTP processes (which may be spawned, not forked).
_OPTIONS_ENV = "RELGRAPH_SERVE_OPTIONS"


def _warm(app: Flask) -> None:
    """Start the engine in the fresh HTTP process and build what every page needs: no first request waits.

    The home page's counts per kind and the search's label index are memoised per data version and
    per process; over the world data (half a million triples) the first computation took 0.8 s,
    which each worker's first visitor paid (``bench/world.py``: one GET's p95 of 0.8 s for the home
    page). They, the network and the partner finder's index are computed in the background on an
    engine of their own (:mod:`.background`): at a million agreements they took minutes and, on the
    query workers, held every one of them until the time limit.
    """
    try:
        runtime(app).engine  # noqa: B018 - the property starts the engine
    except Exception:
        log.exception("the engine did not start; it will be retried on the first request")
        return
    try:
        runtime(app).relation_index()  # the place pages' relation index, in a background process
        from .background import background

        background(app).engine()  # started here, in the worker's main thread
        background(app).start()  # network, partner finder, home page: off the query workers
    except Exception:
        log.exception("warming the page memos failed; the first visitors will build them")


def _close(app: Flask) -> None:
    from .background import background

    background(app).close()
    runtime(app).close()


def worker_app() -> Flask:
    """The app of one HTTP process (granian's factory): built, its engine started and warmed, closed at exit."""
    if not logging.getLogger().handlers:  # a spawned (not forked) process
        logging.basicConfig(stream=sys.stderr, level=logging.INFO, format=_LOG_FORMAT)
    app = create_app(json.loads(os.environ.get(_OPTIONS_ENV) or "{}"))
    # granian's worker is a multiprocessing child: its finalizers run at a clean exit (atexit does not)
    multiprocessing.util.Finalize(app, _close, args=(app,), exitpriority=10)
    _warm(app)
    return app


def http_processes(config: dict[str, Any]) -> int:
    """HTTP processes: the ``http_workers`` option, or one per CPU (at most 4)."""
    wanted = config.get("http_workers")
    if wanted:
        return max(1, int(wanted))
    return max(1, min(os.cpu_count() or 1, 4))


def server_options(config: dict[str, Any]) -> dict[str, Any]:
    """granian's settings for ``config`` (see the module docstring for the worker model)."""
    from granian.constants import HTTPModes, Interfaces
    from granian.log import LogLevels

    return {
        "address": config["host"],
        "port": int(config["port"]),
        "interface": Interfaces.WSGI,
        "workers": http_processes(config),
        "blocking_threads": max(4, 2 * config["workers"] + 2),
        "http": HTTPModes.http1,
        "websockets": False,
        "factory": True,
        "log_enabled": True,
        "log_level": LogLevels.info,
        "log_access": False,  # the app logs one line per request, without query strings
        "respawn_failed_workers": True,  # an HTTP process that dies is replaced
        "workers_kill_timeout": 10,  # a stopping process's requests get this long before SIGKILL
    }


def run_serve(
    *,
    host: str | None = None,
    port: int | None = None,
    store: str | Path | None = None,
    query_timeout: float | None = None,
    workers: int | None = None,
    cors: bool | None = None,
    cache: bool | None = None,
    http_workers: int | None = None,
) -> int:
    """Serve the endpoint until interrupted; options not given come from the settings."""
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format=_LOG_FORMAT)
    options = {
        "host": host,
        "port": port,
        "store": str(store) if store is not None else None,
        "query_timeout": query_timeout,
        "workers": workers,
        "cors": cors,
        "cache": cache,
        "http_workers": http_workers,
    }
    config = load_config(options)
    where = deployment(config["store"], base=config["base"])
    where.prepare(log=log)  # fill an empty store (and publish a snapshot of an embedded one)
    log.info(
        "serving %s on http://%s:%s/sparql (%s HTTP processes x %s query workers; updates %s, CORS %s, cache %s)",
        where.location,
        config["host"],
        config["port"],
        http_processes(config),
        config["workers"],
        "on" if config["update_token"] else "off",
        "on" if config["cors"] else "off",
        "on" if config["cache"] else "off",
    )
    from granian import Granian

    os.environ[_OPTIONS_ENV] = json.dumps(options)
    Granian(f"{__name__}:worker_app", **server_options(config)).serve()
    return 0
