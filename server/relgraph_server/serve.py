"""``relgraph serve``: prepare the store, then run the app under gunicorn.

Worker model: **``http_workers`` gunicorn processes (one per CPU, at most 4)
with the ``gthread`` worker** and ``2 * workers + 2`` threads each (at least
4). Each process has its own engine with ``workers`` query processes
(killable on timeout), its own result cache, and runs the updates it
receives (the store's write lock serialises them across processes; every
engine reads the newest snapshot). The threads let a cheap ``ASK {}`` be
answered while a runaway query holds another thread (and query process) of
the same process until its timeout.

Measured on a shared 2-CPU machine (``bench/run.py`` mix, ``--no-cache``,
concurrency 4; see ``bench/README.md``): with one gunicorn process the HTTP
layer (gunicorn + Flask, ~0.6-0.85 ms CPU per request) ran on one core and
capped ``DESCRIBE`` of one agreement at ~900-1400 req/s (0.26-0.42 of Oxigraph);
two processes reached ~2000 req/s (0.66), with the heavy queries unchanged
within noise. ``sync`` workers are no alternative: they close the connection
after every request (no keep-alive) and serialise requests, so a runaway
query blocks its process until the timeout.

The engine starts in the worker (``post_worker_init``), never in the master
before forking; the store is prepared in a spawned child for the same reason
(:meth:`relgraph.deployment.Deployment.prepare`).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from relgraph.deployment import deployment

from .app import create_app
from .config import load_config
from .runtime import runtime

__all__ = ["gunicorn_options", "http_processes", "run_serve"]

log = logging.getLogger("relgraph_server")
_LOG_FORMAT = "[%(asctime)s] %(name)s: %(message)s"


def _post_worker_init(worker: Any) -> None:
    """Start the engine in the freshly forked worker and build what every page needs: no first request waits.

    The home page's counts per kind and the search's label index are memoised per data version and
    per process; over the world data (half a million triples) the first computation took 0.8 s,
    which each worker's first visitor paid (``bench/world.py``: one GET's p95 of 0.8 s for the home
    page). They, the network and the partner finder's index are computed in the background on an
    engine of their own (:mod:`.background`): at a million agreements they took minutes and, on the
    query workers, held every one of them until the time limit.
    """
    try:
        runtime(worker.wsgi).engine  # noqa: B018 - the property starts the engine
    except Exception:
        log.exception("the engine did not start; it will be retried on the first request")
        return
    try:
        runtime(worker.wsgi).relation_index()  # the place pages' relation index, in a background process
        from .background import background

        background(worker.wsgi).engine()  # started here, in the worker's main thread
        background(worker.wsgi).start()  # network, partner finder, home page: off the query workers
    except Exception:
        log.exception("warming the page memos failed; the first visitors will build them")


def _worker_exit(server: Any, worker: Any) -> None:
    app = getattr(worker, "wsgi", None)
    if isinstance(app, Flask):
        from .background import background

        background(app).close()
        runtime(app).close()


def http_processes(config: dict[str, Any]) -> int:
    """Gunicorn processes: the ``http_workers`` option, or one per CPU (at most 4)."""
    wanted = config.get("http_workers")
    if wanted:
        return max(1, int(wanted))
    return max(1, min(os.cpu_count() or 1, 4))


def gunicorn_options(config: dict[str, Any]) -> dict[str, Any]:
    """Gunicorn settings for ``config`` (see the module docstring for the worker model)."""
    host = config["host"]
    bind = f"[{host}]:{config['port']}" if ":" in host else f"{host}:{config['port']}"
    return {
        "bind": bind,
        "workers": http_processes(config),
        "worker_class": "gthread",
        "threads": max(4, 2 * config["workers"] + 2),
        # a request may legitimately wait query_timeout; the heartbeat runs in its own thread anyway
        "timeout": int(config["query_timeout"]) + 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "limit_request_line": 8190,  # longest GET ?query= line gunicorn allows; longer queries: POST
        "accesslog": None,  # the app logs one line per request, without query strings
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "relgraph-serve",
        "control_socket_disable": True,  # gunicorn >= 25: no shared ~/.gunicorn/gunicorn.ctl
        "post_worker_init": _post_worker_init,
        "worker_exit": _worker_exit,
    }


class _Server(BaseApplication):
    """Gunicorn run from Python: no command line of its own, the app built in the worker."""

    def __init__(self, config: dict[str, Any], options: dict[str, Any]) -> None:
        self.config, self.options = config, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # older gunicorn lacks some settings
                self.cfg.set(key, value)

    def load(self) -> Flask:
        return create_app(self.config)


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
    config = load_config(
        {
            "host": host,
            "port": port,
            "store": store,
            "query_timeout": query_timeout,
            "workers": workers,
            "cors": cors,
            "cache": cache,
            "http_workers": http_workers,
        }
    )
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
    _Server(config, gunicorn_options(config)).run()
    return 0
