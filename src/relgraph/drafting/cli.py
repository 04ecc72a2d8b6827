"""``relgraph draft FILE``: options, reading the file, writing YAML, CSV or JSON to stdout."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import UsageError

__all__ = ["add_arguments", "run_draft"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="the announcement: a .txt or .html file, or - for stdin")
    p.add_argument("--lang", choices=["de", "en", "fr"], help="its language (default: recognised from the text)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="its date (default: found in the text), for heute/Tuesday/hier")
    p.add_argument(
        "--format",
        choices=["yaml", "csv", "json"],
        default="yaml",
        help="yaml or csv: rows for `relgraph import`; json: every proposal with its evidence",
    )
    p.add_argument("--title", help="title of the source (default: the text's headline)")
    p.add_argument("--publisher", help="publisher of the source (default: relgraph contributors)")
    p.add_argument("--url", help="address of the source")
    p.add_argument("--no-link", action="store_true", help="do not link names to the store's entities")


def run_draft(args: argparse.Namespace, *, open_store: Callable[[], Any]) -> int:
    from . import draft, to_rows, write_rows
    from .document import MAX_CHARS

    if args.file == "-":
        raw: str | bytes = sys.stdin.buffer.read(MAX_CHARS * 8 + 1)
        where = "stdin"
    else:
        path = Path(args.file)
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        if path.stat().st_size > MAX_CHARS * 8:
            raise UsageError(
                f"{path}: {path.stat().st_size:,} bytes is too long to draft (at most {MAX_CHARS:,} characters)"
            )
        raw = path.read_bytes()
        where = str(path)
    store = None
    if not args.no_link:
        from .. import settings

        spec = str(args.store or settings.get("store"))
        if "://" in spec or (Path(spec) / "CURRENT").exists():
            store = open_store()
        else:
            print(f"relgraph draft: no store at {spec}: names are not linked (all parties new)", file=sys.stderr)
    result = draft(raw, lang=args.lang, document_date=args.date, store=store, where=where)
    for message in result.messages:
        print(f"relgraph draft: {message}", file=sys.stderr)
    if args.format == "json":
        out = result.to_json()
        out["rows"] = to_rows(result, title=args.title, publisher=args.publisher, url=args.url)
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        rows = to_rows(result, title=args.title, publisher=args.publisher, url=args.url)
        sys.stdout.write(write_rows(rows, args.format))
    print(f"relgraph draft: {len(result.agreements)} agreement(s) proposed", file=sys.stderr)
    return 0
