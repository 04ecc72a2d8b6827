"""The ``relgraph`` command: a thin layer of options over library functions.

Errors are one line on stderr and a non-zero exit status; ``--debug`` shows
the traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, progress, settings
from .errors import RelgraphError
from .results import RESULT_FORMATS, term_text, write_results, write_table
from .store import EXPORT_FORMATS, Store

if TYPE_CHECKING:
    from .deployment import Deployment

__all__ = ["COMMAND_GROUP", "build_parser", "main"]

#: The entry-point group of commands registered by other packages (``relgraph serve`` comes from
#: relgraph_server: the library never imports the web layer). An entry point names a function
#: ``register(add, setting_help) -> command``: ``add(name, help)`` returns the new subparser (with
#: ``--store`` and ``--engine``), ``setting_help(name)`` the help text of a setting.
COMMAND_GROUP = "relgraph.commands"

Command = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        _COMMANDS[name] = fn
        return fn

    return register


def _progress(message: str) -> None:
    progress.say(f"… {message}")  # above a running bar, if any


#: Stores a command opened; :func:`main` closes them, so that a command run in-process (tests,
#: scripts) releases the store's lock when it returns, not when the garbage collector gets to it.
_OPENED: list[Any] = []


def _where(args: argparse.Namespace) -> Deployment:
    """The deployment of ``--store``: a directory (embedded) or an ``http(s)://`` URL (remote)."""
    from .deployment import deployment

    return deployment(args.store, base=getattr(args, "base", None))


def _open(args: argparse.Namespace, **kwargs: Any) -> Store:
    """The store of ``--store`` (see :func:`_where`)."""
    store = _where(args).open_store(**kwargs)
    _OPENED.append(store)
    return store  # type: ignore[return-value]  # the commands use the API both kinds share


@command("load")
def cmd_load(args: argparse.Namespace) -> int:
    from .validate import ValidationError, format_text, gate_summary

    store = _open(args)
    started = time.perf_counter()
    bulk = getattr(args, "bulk", False)
    validate = not getattr(args, "no_validate", False) and not bulk
    if bulk:
        if not args.files:
            raise RelgraphError("--bulk needs FILES")
        if not _where(args).bulk_loads:
            raise RelgraphError(
                "--bulk streams into an embedded store directory; for a remote store load with "
                "`relgraph load FILES --store URL` or the server's own bulk loader (`oxigraph load`)"
            )
        print(
            "relgraph load: WARNING: --bulk implies --no-validate: the SHACL gate is OFF and files are "
            "streamed into the store unchecked. Run `relgraph validate` afterwards.",
            file=sys.stderr,
        )
    elif not validate:
        print(
            "relgraph load: WARNING: --no-validate: the SHACL gate is OFF; invalid data will be committed. "
            "Run `relgraph validate` afterwards.",
            file=sys.stderr,
        )
    change = _tracking(store, args)
    try:
        with change as tracked:
            if bulk:
                report = store.bulk_load(args.files, graph=args.graph, progress=_progress)
            elif args.files:
                report = store.load(args.files, graph=args.graph, progress=_progress, validate=validate)
            else:
                if args.graph:
                    raise RelgraphError("--graph needs FILES: the bundled data keeps one graph per source")
                report = store.load_bundled(progress=_progress, validate=validate)
    except ValidationError as err:
        print(format_text(err.report), file=sys.stderr)
        print(f"relgraph load: {err}", file=sys.stderr)
        return 1
    if report.validation is not None:
        print(gate_summary(report.validation), file=sys.stderr)
    if report.validation is not None and report.validation.findings:
        print(
            f"relgraph load: {len(report.validation.warnings)} warning(s) of the shapes; "
            "`relgraph validate` lists them",
            file=sys.stderr,
        )
    seconds = time.perf_counter() - started
    for graph, count in sorted(report.graphs.items()):
        print(f"{count:>9,}  {graph}")
    print(
        f"loaded {report.triples:,} triples into {len(report.graphs)} graph(s) from "
        f"{len(report.files)} file(s) in {seconds:.2f} s; store {store.location}{_holds(store)}"
    )
    return _after_change(store, args, change=tracked)


#: Above this size on disk the load's last line leaves out the store's quad count: counting reads
#: every quad (6.3 s at 1M agreements, 46M quads), which a small load should not pay for.
_COUNT_BELOW = 256 << 20


def _disk_size(path: Path) -> int:
    """Bytes of the files under ``path``, counting a file that vanishes while we walk as 0.

    RocksDB compacts in the background, deleting ``.sst`` files between a listing
    and its ``stat`` (CI saw a load fail with ENOENT on ``000025.sst``).
    """
    total = 0
    for folder, _dirs, files in os.walk(path):  # os.walk skips a folder that vanishes
        for name in files:
            with contextlib.suppress(FileNotFoundError):
                total += os.stat(os.path.join(folder, name)).st_size
    return total


def _holds(store: Any) -> str:
    path = Path(str(store.location))
    if path.is_dir() and _disk_size(path) > _COUNT_BELOW:
        return " (`relgraph stats` counts its quads)"
    return f" holds {len(store):,} quads"


def _tracking(store: Store, args: argparse.Namespace) -> Any:
    """A context recording the graphs a write replaces (for incremental reasoning); none with ``--no-reason``."""
    import contextlib

    from .reason import track_changes

    if getattr(args, "no_reason", False):
        return contextlib.nullcontext(None)
    return track_changes(store)


def _after_change(store: Store, args: argparse.Namespace, *, change: Any = None) -> int:
    """After a command changed the data: update the inferred graph and hand running servers the new data.

    The inferred graph is derived from every asserted graph, so an import or a
    removed source changes it too; with ``change`` (what :func:`_tracking`
    recorded) only what the changed graphs can change is recomputed.
    ``--no-reason`` skips that (a big import, then one ``relgraph reason``).
    Returns the exit status (1 if reasoning failed; the change stays).
    """
    if getattr(args, "no_reason", False):
        print(
            f"relgraph {args.command}: the inferred graph was not recomputed (--no-reason); run `relgraph reason`",
            file=sys.stderr,
        )
        status = 0
    else:
        status = _reason(store, change=change)
    snapshot = _where(args).publish(store)  # servers of an embedded store read published snapshots
    if snapshot is not None:
        print(f"published snapshot {snapshot.name} for running servers")
    return status


def _reason(store: Store, *, change: Any = None, check: bool = False) -> int:
    """Update the inferred graph by the ontology's rules (after HermiT's check with ``check``).

    A problem is reported and the data stays; the inferred graph stays as it was.
    """
    from .reason import check as hermit_check
    from .reason import materialise

    try:
        if check:
            seconds = hermit_check(store, progress=_progress)
            print(f"consistent (HermiT, {seconds:.2f} s)")
        result = materialise(store, change=change, progress=_progress)
    except RelgraphError as err:
        print(f"relgraph reason: error: {err}", file=sys.stderr)
        return 1
    print(result.summary())
    return 0


@command("validate")
def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import format_json, format_text, validate_files, validate_store

    if args.files:
        report = validate_files(args.files, base=settings.get("base"), lang=args.lang)
    else:
        report = validate_store(_open(args, read_only=True), lang=args.lang, sample=args.sample)
    print(format_json(report) if args.format == "json" else format_text(report))
    return 1 if report.violations else 0


@command("reason")
def cmd_reason(args: argparse.Namespace) -> int:
    return _reason(_open(args), check=args.check)


@command("docs")
def cmd_docs(args: argparse.Namespace) -> int:
    from .docs import write_docs

    for path in write_docs(Path(args.output)):
        print(f"wrote {path}")
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
    named = _named_query(args.query)
    if named is not None:
        return _run_named(args, named)
    if args.param:
        raise RelgraphError("--param works only with the NAME of a ready-made query (see `relgraph queries`)")
    text = read_query_arg(args.query)
    if args.endpoint:
        return _run_remote(args, text)
    store = _open(args)
    results = store.query(text, union=not args.no_union)
    write_results(results, sys.stdout, format=args.format)
    return 0


def _named_query(text: str) -> Any:
    """The ready-made query called ``text`` (a file stem in queries/), unless ``text`` is a file or SPARQL."""
    import re

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", text) or Path(text).exists():
        return None
    from .queries import load_queries

    return load_queries().get(text)


def _params(pairs: Sequence[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise RelgraphError(f"--param {pair!r}: write NAME=VALUE")
        if name in params:
            raise RelgraphError(f"--param {name} is given more than once")
        params[name] = value
    return params


def _run_named(args: argparse.Namespace, query: Any) -> int:
    import json

    from .queries import run

    if args.format not in ("table", "csv", "json"):
        raise RelgraphError(f"--format {args.format}: a ready-made query writes table, csv or json")
    params = _params(args.param)
    target = args.endpoint if args.endpoint else _open(args)
    result = run(target, query, params)
    if args.format == "csv":
        sys.stdout.write(result.csv())
    elif args.format == "json":
        sys.stdout.write(json.dumps(result.rows(), ensure_ascii=False, indent=1) + "\n")
    else:
        write_table(result.variables, result.values(), sys.stdout)
    return 0


_REMOTE_ACCEPT = {
    "table": "application/sparql-results+json, text/turtle;q=0.9",
    "json": "application/sparql-results+json, application/ld+json;q=0.9",
    "csv": "text/csv, application/n-triples;q=0.9",
    "tsv": "text/tab-separated-values, application/n-triples;q=0.9",
    "xml": "application/sparql-results+xml, application/rdf+xml;q=0.9",
}


def _run_remote(args: argparse.Namespace, text: str) -> int:
    """Send a query to any SPARQL endpoint (protocol POST) and print its answer."""
    import json

    from .queries import Result, post_query

    media_type, body = post_query(args.endpoint, text, accept=_REMOTE_ACCEPT[args.format])
    if args.format == "table" and media_type == "application/sparql-results+json":
        data = json.loads(body)
        if "boolean" in data:
            print("true" if data["boolean"] else "false")
            return 0
        result = Result(list(data["head"].get("vars", [])), data["results"]["bindings"])
        write_table(result.variables, result.values(), sys.stdout)
        return 0
    sys.stdout.write(body.decode("utf-8", "replace"))
    return 0


@command("queries")
def cmd_queries(args: argparse.Namespace) -> int:
    from .queries import load_queries

    for query in load_queries().values():
        print(f"{query.name}: {query.summary}")
        for p in query.parameters:
            need = "required" if p.required else "optional"
            example = f"; e.g. {p.example}" if p.example else ""
            print(f"    --param {p.name}=… ({p.label}, {need}) {p.description.rstrip('.')}{example}")
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


@command("import-wikidata")
def cmd_import_wikidata(args: argparse.Namespace) -> int:
    import json

    from .wikidata import import_wikidata

    if bool(args.file) == bool(args.relations):
        raise RelgraphError("give either a SPARQL JSON FILE or --relations EDGES.tsv (with --labels LABELS.tsv)")
    store = _open(args)
    with _tracking(store, args) as change:
        report = import_wikidata(
            store,
            json_file=Path(args.file) if args.file else None,
            relations=Path(args.relations) if args.relations else None,
            labels=Path(args.labels) if args.labels else None,
            validate=args.validate,
        )
    print(report.summary())
    if args.report:
        Path(args.report).write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"wrote {args.report}")
    return _after_change(store, args, change=change)


def _run_world_import(args: argparse.Namespace, run: Callable[[Store], Any]) -> int:
    """A world import (Eurocities, joint statements): problems and gate violations print, nothing is written."""
    from .validate import ValidationError, format_text
    from .world.networks import ImportProblems

    store = _open(args)
    try:
        report = run(store)
    except ImportProblems as err:
        print(f"relgraph {args.command}: {err}", file=sys.stderr)
        return 1
    except ValidationError as err:
        print(format_text(err.report), file=sys.stderr)
        print(f"relgraph {args.command}: {err}", file=sys.stderr)
        return 1
    print(report.summary())
    return _after_change(store, args)


@command("import-twin-towns")
def cmd_import_twin_towns(args: argparse.Namespace) -> int:
    import json

    from .world.reconcile import overrides_from_rows
    from .world.twintowns import import_twin_towns, source_for

    overrides = None
    if args.overrides:
        import csv

        with open(args.overrides, encoding="utf-8", newline="") as handle:
            overrides = overrides_from_rows(csv.DictReader(handle))
    store = _open(args)
    report = import_twin_towns(
        store,
        Path(args.file),
        source=source_for(Path(args.file)),
        graph=args.graph,
        overrides=overrides,
        validate=not args.no_validate,
    )
    print(report.summary())
    if args.report:
        Path(args.report).write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"wrote {args.report}")
    return _after_change(store, args)


@command("build-world")
def cmd_build_world(args: argparse.Namespace) -> int:
    from .world.build import build_world

    report = build_world(
        Path(args.out),
        external=Path(args.external) if args.external else None,
        progress=_progress,
        report_file=Path(args.report) if args.report else None,
        validate=not args.no_validate,
    )
    print(report.summary())
    return 0


@command("import-eurocities")
def cmd_import_eurocities(args: argparse.Namespace) -> int:
    from .world.networks import import_eurocities

    return _run_world_import(
        args, lambda store: import_eurocities(store, Path(args.file), graph=args.graph, validate=not args.no_validate)
    )


@command("import-statement")
def cmd_import_statement(args: argparse.Namespace) -> int:
    from .world.networks import import_statement

    return _run_world_import(
        args,
        lambda store: import_statement(
            store,
            Path(args.file),
            graph=args.graph,
            title=args.title,
            url=args.url,
            organiser=args.organiser,
            date=args.date,
            validate=not args.no_validate,
        ),
    )


@command("import")
def cmd_import(args: argparse.Namespace) -> int:
    from .authoring import AuthoringError, import_agreements
    from .validate import ValidationError, format_text

    store = _open(args)
    try:
        with _tracking(store, args) as change:
            report = import_agreements(store, Path(args.file), graph=args.graph, validate=not args.no_validate)
    except AuthoringError as err:
        print(f"relgraph import: {err}", file=sys.stderr)
        return 1
    except ValidationError as err:
        print(format_text(err.report), file=sys.stderr)
        print(f"relgraph import: {err}", file=sys.stderr)
        return 1
    for graph, count in sorted(report.graphs.items()):
        print(f"{count:>9,}  {graph}")
    print(f"imported {report.agreements} agreement(s) from {report.file}; {len(report.new_entities)} new entities")
    for iri in report.new_entities:
        print(f"  new: <{iri}>")
    return _after_change(store, args, change=change)


@command("draft")
def cmd_draft(args: argparse.Namespace) -> int:
    from .drafting.cli import run_draft

    return run_draft(args, open_store=lambda: _open(args, read_only=True))


@command("suggest-partners")
def cmd_suggest_partners(args: argparse.Namespace) -> int:
    from .partners.cli import run_suggest

    return run_suggest(args, open_store=lambda: _open(args, read_only=True))


@command("sources")
def cmd_sources(args: argparse.Namespace) -> int:
    from .sources import list_sources

    sources = list_sources(_open(args, read_only=True), lang=args.lang)
    for s in sources:
        print(f"{s.triples:>9,}  {s.issued:<10}  {s.graph}\n           {s.title} — {s.publisher}")
    print(f"{len(sources)} source graph(s)")
    return 0


@command("remove-source")
def cmd_remove_source(args: argparse.Namespace) -> int:
    from .sources import remove_source, source_graphs

    store = _open(args)
    with _tracking(store, args) as change:
        if change is not None:
            change.replacing(source_graphs(store, args.iri))
        for graph in remove_source(store, args.iri):
            print(f"removed {graph}")
    return _after_change(store, args, change=change)


@command("network")
def cmd_network(args: argparse.Namespace) -> int:
    from .network.cli import run

    return run(args, _open(args, read_only=True))  # reads only: beside a server or another reader


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

    store_help = (
        f"store directory, or the http(s):// URL of a remote store (env RELGRAPH_STORE; "
        f"default {settings.default_store_path()})"
    )

    from .store.engines import ENGINES

    engine_names = list(ENGINES)
    engine_help = (
        "kind of remote store behind --store URL: its endpoints, union default graph, authentication and "
        "quirks (env RELGRAPH_ENGINE; default oxigraph; see docs/deployment.md)"
    )

    no_reason_help = (
        "do not update the inferred graph {base}graph/inferred afterwards (what the ontology implies: "
        "super-classes, inverses, symmetric rg:partnerOf, transitive rg:locatedIn …); it is stale until "
        "`relgraph reason`"
    )

    def add(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--store", metavar="DIR|URL", default=None, help=store_help)
        p.add_argument("--engine", choices=engine_names, default=None, help=engine_help)
        return p

    p = add(
        "load",
        "Load RDF files (default: the bundled ontology and data/) into the store. Afterwards what the ontology "
        "implies (super-classes, inverses, symmetric rg:partnerOf, transitive rg:locatedIn, domain/range types) "
        "is updated in the graph {base}graph/inferred by rules, for the changed graphs only; queries see it in "
        "the union default graph. --no-reason skips that.",
    )
    p.add_argument("files", nargs="*", metavar="FILES", help="Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML")
    p.add_argument(
        "--graph",
        metavar="IRI",
        help="named graph for triples outside a named graph (default: {base}graph/{file stem})",
    )
    p.add_argument("--base", metavar="IRI", help="public IRI base (env RELGRAPH_BASE)")
    p.add_argument(
        "--no-validate",
        action="store_true",
        help="skip the SHACL gate (bulk imports only; run `relgraph validate` afterwards)",
    )
    p.add_argument("--no-reason", action="store_true", help=no_reason_help)
    p.add_argument(
        "--bulk",
        action="store_true",
        help="stream big FILES into an embedded store with bounded memory (implies --no-validate)",
    )

    p = add("validate", "Check the store (or FILES, alone) against the SHACL shapes; exit 1 on violations.")
    p.add_argument("files", nargs="*", metavar="FILES", help="validate these files instead of the store")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--lang", choices=["en", "de", "fr"], default="en", help="language of the messages")
    p.add_argument(
        "--sample", type=int, metavar="N", help="check one node in N (a quick look at a big store, not a verdict)"
    )

    p = add(
        "reason",
        "Recompute the graph {base}graph/inferred from scratch with rules derived from the ontology "
        "(load, import, import-wikidata and remove-source update it incrementally unless --no-reason).",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="first check the ontology and data for contradictions with HermiT (needs Java; slow on big stores)",
    )

    p = sub.add_parser("docs", help="Write the ontology documentation (index.de/en/fr.html).")
    p.add_argument("-o", "--output", metavar="DIR", required=True, help="output folder")

    p = add("export", "Write the whole store as N-Quads, TriG or Turtle.")
    p.add_argument("--format", choices=list(EXPORT_FORMATS), default="nquads")
    p.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    p.add_argument("--graph", metavar="IRI", help="export only this graph")

    p = add("query", "Run a SPARQL query on the store (default graph = union of all graphs) or on --endpoint.")
    p.add_argument(
        "query",
        metavar="QUERY_OR_FILE",
        help="SPARQL text, a .rq file, - for stdin, or the NAME of a ready-made query (`relgraph queries`)",
    )
    p.add_argument("--format", choices=list(RESULT_FORMATS), default="table")
    p.add_argument("--no-union", action="store_true", help="default graph is the store's default graph only")
    p.add_argument(
        "--param",
        action="append",
        metavar="NAME=VALUE",
        help="a parameter of a ready-made query (repeatable); values are bound as RDF terms, never pasted",
    )
    p.add_argument(
        "--endpoint",
        metavar="URL",
        help="run on this SPARQL endpoint (protocol POST) instead of the local store; "
        "a ready-made query's values go into a VALUES block of serialised RDF terms",
    )

    add("queries", "List the ready-made queries of queries/ with their parameters.")

    add("stats", "Triples per graph and instances per class.")

    def setting_help(name: str) -> str:
        setting = next(s for s in settings.SETTINGS if s.name == name)
        return f"{setting.help} (env {setting.env}; default {setting.default})"

    p = add(
        "import-wikidata",
        "Import Wikidata P190 twinning pairs (SPARQL JSON result or TSV edge list) into their own graph, "
        "reconciled with the entities already in the store.",
    )
    p.add_argument("file", nargs="?", metavar="FILE.json", help="SPARQL JSON result (two Wikidata item variables)")
    p.add_argument("--relations", metavar="EDGES.tsv", help="TSV edge list subject_qid<TAB>object_qid")
    p.add_argument("--labels", metavar="LABELS.tsv", help="TSV label table qid<TAB>label")
    p.add_argument("--report", metavar="FILE", help="write the reconciliation report as JSON")
    p.add_argument("--validate", action="store_true", help="run the SHACL gate first (slow on large imports)")
    p.add_argument("--no-reason", action="store_true", help=no_reason_help)

    p = add("import", "Import agreements from an authoring file (CSV or YAML, see data/templates/README.md).")
    p.add_argument("file", metavar="FILE", help=".csv, .tsv, .yaml or .yml, one row per agreement")
    p.add_argument("--graph", metavar="IRI", help="put all rows in this graph (default: one graph per source)")
    p.add_argument("--no-validate", action="store_true", help="skip the SHACL gate")
    p.add_argument("--no-reason", action="store_true", help=no_reason_help)

    p = add(
        "import-twin-towns",
        "Import a geocoded twin-town list (CSV city1,country1,lat1,lng1,city2,country2,lat2,lng2) into its own "
        "graph; places reconciled with the store (GeoNames, name and country, partners).",
    )
    p.add_argument("file", metavar="FILE", help="the CSV (the shape of Wikipedia's lists, Hekman/twincities)")
    p.add_argument("--graph", metavar="IRI", help="graph to write (default: a stable IRI per source)")
    p.add_argument("--overrides", metavar="CSV", help="mention,entity rows: force a merge, or (entity empty) forbid it")
    p.add_argument("--report", metavar="FILE", help="write the import and reconciliation report as JSON")
    p.add_argument("--no-validate", action="store_true", help="skip the SHACL gate")
    p.add_argument("--no-reason", action="store_true", help=no_reason_help)

    p = add(
        "build-world",
        "Rebuild the shipped world data (data/world/*.nq.gz) from data/external: every outside source "
        "imported and reconciled in a scratch store, each graph written as sorted, gzipped N-Quads.",
    )
    p.add_argument("--out", metavar="DIR", default="data/world", help="where to write the graphs (default data/world)")
    p.add_argument("--external", metavar="DIR", help="the outside files (default: the bundled data/external)")
    p.add_argument("--report", metavar="FILE", help="write every import's report as JSON")
    p.add_argument("--no-validate", action="store_true", help="skip the SHACL check of the whole result (minutes)")

    p = add(
        "import-eurocities",
        "Import a Eurocities member list (JSON) into its own graph: memberships, coordinates, population, "
        "countries; cities reconciled with the store.",
    )
    p.add_argument("file", metavar="FILE", help='members JSON ({"members": [...], "not_found": [...]})')
    p.add_argument("--graph", metavar="IRI", help="graph to write (default: a stable IRI per source)")
    p.add_argument("--no-validate", action="store_true", help="skip the SHACL gate")
    p.add_argument("--no-reason", action="store_true", help=no_reason_help)

    p = add(
        "import-statement",
        "Import the signatures of a joint statement (Eurocities signatures JSON or a CSV "
        "city_name,country,wikidata_id,mayor_name,mayor_title) into its own graph.",
    )
    p.add_argument("file", metavar="FILE", help=".json (Eurocities signatures) or .csv (GPM-style)")
    p.add_argument("--graph", metavar="IRI", help="graph to write (default: a stable IRI per source)")
    p.add_argument("--title", help="title of the statement, where the file has none")
    p.add_argument("--url", help="address of the statement, where the file has none")
    p.add_argument("--organiser", help="organisation that organised it (a name, or a URL ending in its name)")
    p.add_argument("--date", help="signing date YYYY, YYYY-MM or YYYY-MM-DD, where known")
    p.add_argument("--no-validate", action="store_true", help="skip the SHACL gate")
    p.add_argument("--no-reason", action="store_true", help=no_reason_help)

    p = add("draft", "Propose agreements from a press release (text or HTML) for review; writes nothing to the store.")
    from .drafting.cli import add_arguments as add_draft_arguments

    add_draft_arguments(p)

    p = add("suggest-partners", "Suggest places a place could partner with next, with the reasons (see README).")
    from .partners.cli import add_arguments as add_suggest_arguments

    add_suggest_arguments(p)

    p = add("sources", "List every source graph with title, publisher, date and triple count.")
    p.add_argument("--lang", choices=["en", "de", "fr"], default="en", help="language of publisher names")

    p = add("remove-source", "Remove one source: its graph, or every graph derived from a source document.")
    p.add_argument("iri", metavar="IRI", help="a source graph IRI or a source document IRI")
    p.add_argument("--no-reason", action="store_true", help=no_reason_help)

    from .network.cli import add_arguments as network_arguments

    network_arguments(
        add("network", "Network analytics: measures, rankings, communities and exports (GraphML, GEXF, CSV).")
    )

    # Commands other packages register (the web layer's `serve`): entry points of the group
    # "relgraph.commands", each a function that adds its parser with `add` and returns the command.
    for entry in sorted(entry_points(group=COMMAND_GROUP), key=lambda e: e.name):
        if entry.name not in _COMMANDS:
            _COMMANDS[entry.name] = entry.load()(add, setting_help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    progress.enable(sys.stderr)  # bars on a terminal only: logs and pipes get none
    if getattr(args, "engine", None):
        os.environ["RELGRAPH_ENGINE"] = args.engine  # read by the store and by `serve`'s worker processes
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
    finally:
        progress.disable()
        while _OPENED:
            with contextlib.suppress(Exception):
                _OPENED.pop().close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
