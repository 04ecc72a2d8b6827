"""``relgraph suggest-partners PLACE_IRI``: the partner finder on the command line.

Only collects options and prints; :func:`relgraph.partners.suggest` does the work.
Table (default) for people, JSON (a list of objects with ``iri``, ``label``,
``score``, ``reasons``) for programs, spreadsheet CSV for staff.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from .. import spreadsheet
from ..summary import LabelSource, labels_of
from ..summary import label as pick_label
from . import Suggestions, build_index, suggest

__all__ = ["add_arguments", "csv_rows", "labeler", "run_suggest", "store_runner"]

CSV_HEADER = ["rank", "iri", "label", "score", "reasons", "list"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("place", metavar="PLACE_IRI", help="the place to find partners for")
    p.add_argument("--field", metavar="F", help="focus on one thematic field (e.g. aerospace)")
    p.add_argument("--top", type=int, default=10, metavar="N", help="suggestions per list (default 10)")
    p.add_argument(
        "--graph", action="append", metavar="IRI", help="use only relations of this source graph (repeatable)"
    )
    p.add_argument("--format", choices=["table", "json", "csv"], default="table", help="output (default table)")
    p.add_argument("--lang", choices=["en", "de", "fr"], default="en", help="language of labels and reasons")


def store_runner(store: Any) -> Callable[[str, Any], list[dict[str, Any]]]:
    """A runner (see :mod:`relgraph.summary`) over a :class:`relgraph.store.Store`."""

    def run(sparql: str, bindings: Any) -> list[dict[str, Any]]:
        subs = {ox.Variable(k): v for k, v in bindings.items()} or None
        solutions = store.query(sparql, union=True, substitutions=subs)
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in solutions]

    return run


class labeler:
    """Labels of IRIs in ``lang``: fetched in one query by :meth:`prefetch`, else one by one, and kept."""

    def __init__(self, run: Any, lang: str, *, source: LabelSource | None = None) -> None:
        self.run, self.lang, self.source = run, lang, source  # source: labels as labels_of gives them (an index)
        self.cache: dict[str, list[tuple[str, Any]]] = {}
        self.picked: dict[str, str] = {}  # a hub's answer names its thousands of partners tens of thousands of times

    def prefetch(self, iris: Any) -> None:
        wanted = sorted({i for i in iris if i not in self.cache})  # not a set of the whole cache per label
        if wanted:
            self.cache.update(self.source(wanted) if self.source is not None else labels_of(self.run, wanted))
            for iri in wanted:
                self.cache.setdefault(iri, [])

    def __call__(self, iri: str) -> str:
        found = self.picked.get(iri)
        if found is None:
            self.prefetch([iri])
            found = self.picked[iri] = pick_label(self.cache, iri, self.lang)
        return found


def csv_rows(result: Suggestions) -> list[list[Any]]:
    """Both lists as spreadsheet rows: rank, IRI, label, score, reasons (joined by " | "), which list."""
    rows = []
    for name, items in (("partners", result.partners), ("similar", result.similar)):
        for n, item in enumerate(items, 1):
            rows.append(
                [n, item["iri"], item["label"], item["score"], " | ".join(r["text"] for r in item["reasons"]), name]
            )
    return rows


def run_suggest(args: argparse.Namespace, *, open_store: Callable[[], Any]) -> int:
    if args.top < 1 or args.top > 100:
        print("relgraph suggest-partners: error: --top must be between 1 and 100", file=sys.stderr)
        return 2
    store = open_store()
    run = store_runner(store)
    index = build_index(run)
    result = suggest(
        index,
        args.place,
        label=labeler(run, args.lang),
        field=args.field,
        graphs=args.graph,
        top=args.top,
        lang=args.lang,
    )
    out = sys.stdout
    if args.format == "json":
        json.dump(result.partners, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.format == "csv":
        out.write(spreadsheet.csv_text(CSV_HEADER, csv_rows(result)))
    else:
        for title, items, note in (
            ("possible partners", result.partners, result.note),
            ("similar places", result.similar, result.similar_note),
        ):
            out.write(f"{title}:\n")
            if not items:
                out.write(f"  (none: {note})\n")
            for n, item in enumerate(items, 1):
                out.write(f"{n:3d}. {item['label']}  {item['score']:.3f}  <{item['iri']}>\n")
                for r in item["reasons"]:
                    out.write(f"       - {r['text']}\n")
    if not result.partners and result.note:
        print(f"relgraph suggest-partners: {result.note}", file=sys.stderr)
    return 0
