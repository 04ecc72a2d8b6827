"""``relgraph serve``: the web layer's command, registered with the CLI through an entry point.

pyproject.toml declares it in the group ``relgraph.commands`` (:data:`relgraph.cli.COMMAND_GROUP`),
so the library's CLI offers ``serve`` without importing this package. Flask and the app are imported
only when the command runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

__all__ = ["register"]


def register(
    add: Callable[[str, str], argparse.ArgumentParser], setting_help: Callable[[str], str]
) -> Callable[[argparse.Namespace], int]:
    """Add the ``serve`` subcommand's options; return the function that runs it."""
    p = add("serve", "Run the SPARQL endpoint (loads the bundled data into an empty store first).")
    p.add_argument("--host", metavar="ADDR", help=setting_help("host"))
    p.add_argument("--port", type=int, metavar="PORT", help=setting_help("port"))
    p.add_argument("--query-timeout", type=float, metavar="SECONDS", help=setting_help("query_timeout"))
    p.add_argument("--workers", type=int, metavar="N", help=setting_help("workers"))
    p.add_argument("--cors", action="store_const", const=True, default=None, help=setting_help("cors"))
    p.add_argument("--no-cache", action="store_true", help="do not cache query results (e.g. when benchmarking)")
    return serve


def serve(args: argparse.Namespace) -> int:
    """Run the endpoint under granian with the options given."""
    from .serve import run_serve

    return run_serve(
        host=args.host,
        port=args.port,
        store=args.store,
        query_timeout=args.query_timeout,
        workers=args.workers,
        cors=args.cors,
        cache=False if args.no_cache else None,
    )
