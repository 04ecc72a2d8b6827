"""The ``relgraph`` command: a thin layer of options over library functions.

Errors are one line on stderr and a non-zero exit status; ``--debug`` shows
the traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__, settings
from .errors import RelgraphError
from .results import RESULT_FORMATS, term_text, write_results
from .store import EXPORT_FORMATS, Store

__all__ = ["build_parser", "main"]

Command = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        _COMMANDS[name] = fn
        return fn

    return register


def _progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def _open(args: argparse.Namespace, **kwargs: Any) -> Store:
    return Store(args.store, base=getattr(args, "base", None), **kwargs)


@command("load")
def cmd_load(args: argparse.Namespace) -> int:
    store = _open(args)
    started = time.perf_counter()
    if args.files:
        report = store.load(args.files, graph=args.graph, progress=_progress)
    else:
        if args.graph:
            raise RelgraphError("--graph needs FILES: the bundled data keeps one graph per source")
        report = store.load_bundled(progress=_progress)
    seconds = time.perf_counter() - started
    for graph, count in sorted(report.graphs.items()):
        print(f"{count:>9,}  {graph}")
    print(
        f"loaded {report.triples:,} triples into {len(report.graphs)} graph(s) from "
        f"{len(report.files)} file(s) in {seconds:.2f} s; store {store.path} holds {len(store):,} quads"
    )
    return 0


@command("export")
def cmd_export(args: argparse.Namespace) -> int:
    store = _open(args)
    if args.output and args.output != "-":
        with open(args.output, "wb") as out:
            store.export(out, format=args.format, graph=args.graph)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        store.export(sys.stdout.buffer, format=args.format, graph=args.graph)
        sys.stdout.buffer.flush()
    return 0


def read_query_arg(text: str) -> str:
    """A query given inline, as a file path, or ``-`` for stdin."""
    if text == "-":
        return sys.stdin.read()
    path = Path(text)
    if path.suffix in {".rq", ".sparql", ".txt"} or (len(text) < 4096 and "\n" not in text and path.is_file()):
        if not path.is_file():
            raise RelgraphError(f"{text}: no such query file")
        return path.read_text(encoding="utf-8")
    return text


@command("query")
def cmd_query(args: argparse.Namespace) -> int:
    store = _open(args)
    results = store.query(read_query_arg(args.query), union=not args.no_union)
    write_results(results, sys.stdout, format=args.format)
    return 0


@command("stats")
def cmd_stats(args: argparse.Namespace) -> int:
    stats = _open(args).stats()
    print(f"{stats.total:,} quads in {len(stats.graphs)} graph(s)\n")
    print("triples per graph")
    for graph, count in stats.graphs.items():
        print(f"{count:>9,}  {graph}")
    print("\ninstances per class")
    for cls, count in stats.classes.items():
        print(f"{count:>9,}  {term_text(_iri(cls))}")
    return 0


def _iri(value: str) -> Any:
    import pyoxigraph as ox

    return ox.NamedNode(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="relgraph",
        description="A knowledge graph of international relations on an Oxigraph store.",
    )
    parser.add_argument("--version", action="version", version=f"relgraph {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    store_help = f"store directory (env RELGRAPH_STORE; default {settings.default_store_path()})"

    def add(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--store", metavar="DIR", default=None, help=store_help)
        return p

    p = add("load", "Load RDF files (default: the bundled ontology and data/) into the store.")
    p.add_argument("files", nargs="*", metavar="FILES", help="Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML")
    p.add_argument(
        "--graph",
        metavar="IRI",
        help="named graph for triples outside a named graph (default: {base}graph/{file stem})",
    )
    p.add_argument("--base", metavar="IRI", help="public IRI base (env RELGRAPH_BASE)")

    p = add("export", "Write the whole store as N-Quads, TriG or Turtle.")
    p.add_argument("--format", choices=list(EXPORT_FORMATS), default="nquads")
    p.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    p.add_argument("--graph", metavar="IRI", help="export only this graph")

    p = add("query", "Run a SPARQL query on the store (default graph = union of all graphs).")
    p.add_argument("query", metavar="QUERY_OR_FILE", help="SPARQL text, a .rq file, or - for stdin")
    p.add_argument("--format", choices=list(RESULT_FORMATS), default="table")
    p.add_argument("--no-union", action="store_true", help="default graph is the store's default graph only")

    add("stats", "Triples per graph and instances per class.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("relgraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except (RelgraphError, OSError) as err:
        if args.debug:
            raise
        print(f"relgraph {args.command}: error: {err}", file=sys.stderr)
        return 2 if isinstance(err, RelgraphError) else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
