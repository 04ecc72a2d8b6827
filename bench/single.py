"""One request at a time, for sizes where a load run no longer makes sense (1M agreements here).

    python bench/single.py --agreements 1000000 \\
        --relgraph-store bench/out/run-1000000/store-relgraph --oxigraph-store bench/out/run-1000000/store-oxigraph

Starts ``relgraph serve`` and ``oxigraph serve-read-only`` on two stores that
``run.py --keep`` (or an interrupted run) left, sends each bench query once to
each (concurrency 1, ``--timeout`` seconds each, a timeout is recorded, not
fatal), times the pages of ``run.DEFAULT_PAGES`` once (the search after its
label index is ready), and writes ``bench/out/single-N.{json,md}``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

import generate
import run

OUT = Path(__file__).resolve().parent / "out"


def once(url: str, query: str, accept: str, timeout: float) -> dict[str, Any]:
    """Seconds and result count of one request; ``timed_out`` / ``error`` instead when it fails."""
    req = urllib.request.Request(f"{url}?query={quote(query, safe='')}", headers={"Accept": accept})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
    except TimeoutError:
        return {"timed_out_s": timeout}
    except urllib.error.HTTPError as err:
        return {"error": f"{err.code} {err.read()[:200].decode(errors='replace')}"}
    except OSError as err:
        if "timed out" in str(err):
            return {"timed_out_s": timeout}
        return {"error": str(err)}
    return {"seconds": round(time.perf_counter() - started, 2), "results": run.count_results(body, accept)}


def cell(r: dict[str, Any]) -> str:
    if "seconds" in r:
        return f"{r['seconds']:,.2f} s ({r['results']:,})"
    if "timed_out_s" in r:
        return f"> {r['timed_out_s']:g} s"
    return f"error: {r['error'][:60]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One request per bench query and page, on two kept stores.")
    parser.add_argument("--agreements", type=int, required=True, help="the size the stores hold (for the report)")
    parser.add_argument("--relgraph-store", type=Path, required=True)
    parser.add_argument("--oxigraph-store", type=Path, required=True)
    parser.add_argument("--timeout", type=float, default=300.0, help="per request, seconds (300)")
    parser.add_argument("--queries", nargs="+", choices=generate.QUERY_NAMES, default=generate.QUERY_NAMES)
    args = parser.parse_args(argv)
    queries = {n: (run.BENCH / "queries" / f"{n}.rq").read_text() for n in args.queries}
    logs = OUT / f"single-{args.agreements}-logs"
    logs.mkdir(parents=True, exist_ok=True)
    p1, p2 = run.free_port(), run.free_port()
    cmd_a = [run._tool("relgraph"), "serve", "--store", str(args.relgraph_store), "--port", str(p1)]
    cmd_a += ["--no-cache", "--host", "127.0.0.1", "--query-timeout", str(args.timeout)]
    cmd_b = [run._tool("oxigraph"), "serve-read-only", "--location", str(args.oxigraph_store)]
    cmd_b += ["--bind", f"127.0.0.1:{p2}", "--union-default-graph"]
    servers = [
        run.start_server("relgraph", cmd_a, f"http://127.0.0.1:{p1}/sparql", logs / "serve-relgraph.log"),
        run.start_server("oxigraph", cmd_b, f"http://127.0.0.1:{p2}/query", logs / "serve-oxigraph.log"),
    ]
    result: dict[str, Any] = {"agreements": args.agreements, "machine": run.machine(), "queries": {}, "pages": []}
    with run.running(servers):
        result["startup_seconds"] = {s.name: round(run.wait_ready(s), 1) for s in servers}
        for name, text in queries.items():
            accept = run.TURTLE if "DESCRIBE" in text or "CONSTRUCT" in text else run.SELECT_JSON
            entry = {}
            for server in servers:
                entry[server.name] = once(server.url, text, accept, args.timeout)
                run.log(f"{name:24s} {server.name:9s} {cell(entry[server.name])}")
            result["queries"][name] = entry
        page_args = argparse.Namespace(
            page_timeout=args.timeout, page_load_limit=0.0, backend="embedded", warmup=0, concurrency=1, duration=0
        )
        for path in run.DEFAULT_PAGES:
            page, _ = run.measure_page(f"http://127.0.0.1:{p1}{path}", page_args)
            result["pages"].append(page)
        result["relgraph_serve_peak_rss_mib"] = run.tree_peak_rss_mib(servers[0].proc.pid)
    lines = [
        f"One request at a time, {args.agreements:,} agreements, timeout {args.timeout:g} s per request.",
        "",
        "| query | relgraph serve | oxigraph serve-read-only |",
        "|---|---:|---:|",
    ]
    for name, entry in result["queries"].items():
        lines.append(f"| {name} | {cell(entry['relgraph'])} | {cell(entry['oxigraph'])} |")
    lines += ["", "| page (relgraph serve) | one GET |", "|---|---:|"]
    for page in result["pages"]:
        got = f"{page['single_ms']:,.0f} ms" if "single_ms" in page else f"> {page.get('timed_out_s', '?')} s"
        if page.get("label_index_wait_s") is not None:
            got += f" (label index ready {page['label_index_wait_s']:g} s after the first search)"
        lines.append(f"| `{page['path']}` | {got} |")
    lines += ["", f"relgraph serve peak RSS (process tree): {result['relgraph_serve_peak_rss_mib']} MiB"]
    (OUT / f"single-{args.agreements}.json").write_text(json.dumps(result, indent=2) + "\n")
    (OUT / f"single-{args.agreements}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
