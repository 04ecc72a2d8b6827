"""``relgraph network stats|top|communities|export``: the options, and plain calls into the package."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import UsageError
from ..results import write_table
from .spec import EXPORT_FORMATS, KINDS, LEVELS, parse_spec

if TYPE_CHECKING:
    from .measures import Analysis

__all__ = ["add_arguments", "run"]

_OUTPUTS = ("table", "json", "csv")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``network`` command's own subcommands and options (``--store`` is the caller's)."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    store = next(a for a in parser._actions if a.dest == "store")

    def common(p: argparse.ArgumentParser) -> None:
        # --store after the action as well (``relgraph network stats --store DIR``)
        p.add_argument("--store", metavar="DIR|URL", default=argparse.SUPPRESS, help=store.help)
        p.add_argument(
            "--kind",
            action="append",
            metavar="KIND",
            help=f"relations to link by (repeatable, or comma-separated; default agreements): {', '.join(KINDS)}",
        )
        p.add_argument(
            "--graph",
            action="append",
            metavar="IRI",
            help="only relations asserted in this source graph (repeatable)",
        )
        p.add_argument("--active-on", metavar="YYYY-MM-DD", help="only relations in force on that day (dated ones)")
        p.add_argument("--level", choices=LEVELS, default="place", help="nodes: places, their regions or countries")
        p.add_argument("--lang", choices=["en", "de", "fr"], default="en", help="language of the labels")

    p = actions.add_parser("stats", help="Size, components, density, degrees, clustering, paths, communities, growth.")
    common(p)
    p.add_argument("--format", choices=_OUTPUTS, default="table")
    p = actions.add_parser("top", help="The most central nodes.")
    common(p)
    p.add_argument("--by", choices=["degree", "betweenness", "pagerank"], default="degree")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--format", choices=_OUTPUTS, default="table")
    p = actions.add_parser("communities", help="Communities (Leiden, modularity) with their best-linked members.")
    common(p)
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--format", choices=_OUTPUTS, default="table")
    p = actions.add_parser("export", help="GraphML or GEXF (Gephi, Cytoscape), or CSV node and edge lists.")
    common(p)
    p.add_argument("--format", choices=EXPORT_FORMATS, default="graphml")
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="file (default stdout); for csv a folder that gets nodes.csv and edges.csv",
    )


def run(args: argparse.Namespace, store: Any) -> int:
    # igraph and the readers load here, not when the CLI builds its parser (every relgraph command would pay)
    from .data import fetch, store_rows
    from .graph import build_network
    from .measures import Analysis

    """Build the network the options ask for on ``store`` and write what ``args.action`` asks."""
    spec = parse_spec(kinds=args.kind, graphs=args.graph, active_on=args.active_on, level=args.level)
    started = time.perf_counter()
    data = fetch(store_rows(store))
    if spec.graphs:
        unknown = [g for g in spec.graphs if g not in data.graphs.ids]
        if unknown:
            raise UsageError(f"--graph {unknown[0]}: no relations are asserted in that graph (`relgraph sources`)")
    analysis = Analysis(build_network(data, spec))
    out = sys.stdout
    if args.action == "stats":
        stats = analysis.stats()
        stats["seconds"] = round(time.perf_counter() - started, 3)
        _write_stats(stats, args.format, out)
    elif args.action == "top":
        if args.limit < 1:
            raise UsageError("--limit must be at least 1")
        _write_rows(analysis.top(args.by, args.limit, lang=args.lang), args.format, out)
    elif args.action == "communities":
        if args.limit < 1:
            raise UsageError("--limit must be at least 1")
        found = analysis.community_list(args.limit, lang=args.lang)
        if args.format == "json":
            out.write(json.dumps(found, ensure_ascii=False, indent=1) + "\n")
        else:
            rows = [
                {
                    "community": c["community"],
                    "size": c["size"],
                    "countries": " ".join(f"{_tail(k['country'])}:{k['nodes']}" for k in c["countries"]),
                    "members": "; ".join(m["label"] for m in c["members"]),
                }
                for c in found
            ]
            _write_rows(rows, args.format, out)
    else:
        _export(analysis, args.format, args.output, lang=args.lang)
    return 0


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _export(analysis: Analysis, fmt: str, output: str | None, *, lang: str) -> None:
    from .export import write_csv, write_gexf, write_graphml

    if fmt == "csv":
        if not output:
            raise UsageError("--format csv writes two files: give a folder with -o DIR")
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "nodes.csv").open("w", encoding="utf-8", newline="") as nodes:
            write_csv(analysis, nodes, None, lang=lang)
        with (folder / "edges.csv").open("w", encoding="utf-8", newline="") as edges:
            write_csv(analysis, None, edges, lang=lang)
        print(f"wrote {folder / 'nodes.csv'} and {folder / 'edges.csv'}", file=sys.stderr)
        return
    writer = write_graphml if fmt == "graphml" else write_gexf
    if output is None:
        writer(analysis, sys.stdout, lang=lang)
        return
    tmp = Path(output + ".part")
    with tmp.open("w", encoding="utf-8") as fh:
        writer(analysis, fh, lang=lang)
    tmp.replace(output)  # all or nothing: no half-written file under the asked name
    print(f"wrote {output}", file=sys.stderr)


def _flat(stats: dict[str, Any]) -> list[tuple[str, str]]:
    """The scalar figures as (name, value) pairs; lists are summarised."""
    out: list[tuple[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        elif isinstance(value, list):
            if prefix == "degree_distribution":
                out.append((prefix, " ".join(f"{k}:{c}" for k, c in value[:12]) + (" …" if len(value) > 12 else "")))
            elif prefix == "growth":
                out.append((prefix, " ".join(f"{g['year']}:+{g['new']}" for g in value)))
            else:
                out.append((prefix, " ".join(str(v) for v in value)))
        elif isinstance(value, float):
            out.append((prefix, f"{value:.6g}"))
        else:
            out.append((prefix, "" if value is None else str(value)))

    walk("", stats)
    return out


def _write_stats(stats: dict[str, Any], fmt: str, out: IO[str]) -> None:
    if fmt == "json":
        out.write(json.dumps(stats, ensure_ascii=False, indent=1) + "\n")
        return
    pairs = _flat(stats)
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["measure", "value"])
        writer.writerows(pairs)
        return
    write_table(["measure", "value"], [[k, v] for k, v in pairs], out)


def _write_rows(rows: list[dict[str, Any]], fmt: str, out: IO[str]) -> None:
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    names = list(rows[0]) if rows else ["label"]
    cells = [[f"{r[n]:.6g}" if isinstance(r[n], float) else str(r[n]) for n in names] for r in rows]
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(cells)
        return
    write_table(names, cells, out)
