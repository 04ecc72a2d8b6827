"""How relgraph's cost grows with the data: sizes × backends, one table and one plot.

    python bench/growth.py                          # 10k and 100k agreements, both backends
    python bench/growth.py --sizes 200 --backends embedded --duration 1   # smoke run
    python bench/growth.py --plot-only              # redraw bench/growth.png from bench/out/growth.json

For every size and backend this runs ``bench/run.py`` with short measurements
(``--duration`` seconds per query per server, default 3, in 3 alternating
rounds) and records: load throughput of ``relgraph load`` (embedded:
``--bulk``; remote: streamed to an ``oxigraph serve`` over the Graph Store
Protocol) vs ``oxigraph load``; requests/s and p95 per query vs ``oxigraph
serve-read-only``; p95 of the busiest city's summary page under the same
concurrency; peak RSS of the relgraph processes (``relgraph load`` from
``wait4``; ``relgraph serve`` as the sum of VmHWM over its process group).

``country-pair-counts`` is left out by default: at 100k one request takes
25–40 s, so a 3 s measurement would be one request or none.

The plot needs matplotlib (optional: ``pip install matplotlib``); without it
the table is still written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import generate
import run

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
GROWTH_JSON = OUT / "growth.json"
PLOT = BENCH / "growth.png"
PAGES = list(run.DEFAULT_PAGES)
DEFAULT_QUERIES = [q for q in generate.QUERY_NAMES if q != "country-pair-counts"]


def measure(size: int, backend: str, args: argparse.Namespace) -> dict[str, Any]:
    argv = ["--agreements", str(size), "--backend", backend, "--duration", str(args.duration)]
    argv += ["--warmup", str(args.warmup), "--concurrency", str(args.concurrency)]
    for path in args.page or PAGES:
        argv += ["--page", path]
    argv += ["--queries", *args.queries, "--page-timeout", str(args.page_timeout)]
    if args.query_timeout:
        argv += ["--query-timeout", str(args.query_timeout)]
    if args.rounds:
        argv += ["--rounds", str(args.rounds)]
    if backend == "embedded":
        argv.append("--bulk")
    status = run.main(argv)
    if status == 130:
        return {"exit_status": status}
    result = json.loads((OUT / f"latest-{size}.json").read_text())
    result["exit_status"] = status
    return result


def row(result: dict[str, Any]) -> dict[str, Any]:
    p, load, queries = result["params"], result["load"], result["queries"]
    return {
        "agreements": p["agreements"],
        "triples": result["data"]["triples"],
        "backend": p.get("backend", "embedded"),
        "load_tps": load["relgraph"]["triples_per_s"],
        "oxigraph_load_tps": load["oxigraph"]["triples_per_s"],
        "load_rss_mib": load["relgraph"].get("peak_rss_mib"),
        "store_server_rss_mib": load["relgraph"].get("store_server_peak_rss_mib"),
        "serve_rss_mib": result.get("relgraph_serve_peak_rss_mib"),
        "geomean_ratio_rps": result["geomean_ratio_rps"],
        "queries": {
            name: {
                "rps": q["relgraph"]["rps"],
                "p95_ms": q["relgraph"]["p95_ms"],
                "oxigraph_rps": q["oxigraph"]["rps"],
                "oxigraph_p95_ms": q["oxigraph"]["p95_ms"],
            }
            for name, q in queries.items()
        },
        "page_single_ms": (result.get("page") or {}).get("single_ms"),
        "page_timed_out_s": (result.get("page") or {}).get("timed_out_s"),
        "page_p95_ms": (result.get("page") or {}).get("p95_ms"),
        "page_rps": (result.get("page") or {}).get("rps"),
        "pages": {
            pg["path"]: {
                k: pg.get(k)
                for k in ("single_ms", "timed_out_s", "p50_ms", "p95_ms", "rps", "errors", "label_index_wait_s")
            }
            for pg in result.get("pages") or []
        },
        "status": result["status"],
    }


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| agreements | triples | backend | load triples/s (oxigraph load) | geomean req/s ratio "
        "| page ms: one GET / p95 at -c 4 | peak RSS MiB: load / serve / store server | status |",
        "|---:|---:|---|---:|---:|---:|---|---|",
    ]
    for r in rows:
        store = f" / {r['store_server_rss_mib']:,.0f}" if r["store_server_rss_mib"] else " / –"
        gm = f"{r['geomean_ratio_rps']:.2f}" if r["geomean_ratio_rps"] else "n/a"
        if r["page_p95_ms"] is not None:
            page = f"{r['page_single_ms']:,.0f} / {r['page_p95_ms']:,.0f}"
        elif r["page_single_ms"] is not None:
            page = f"{r['page_single_ms']:,.0f} / –"
        elif r["page_timed_out_s"]:
            page = f"> {r['page_timed_out_s']:g} s"
        else:
            page = "n/a"
        lines.append(
            f"| {r['agreements']:,} | {r['triples']:,} | {r['backend']} "
            f"| {r['load_tps']:,} ({r['oxigraph_load_tps']:,}) "
            f"| {gm} | {page} | {r['load_rss_mib']:,.0f} / {r['serve_rss_mib']:,.0f}{store} | {r['status']} |"
        )
    names = sorted({n for r in rows for n in r["queries"]})
    lines += [
        "",
        "| agreements | backend | " + " | ".join(f"{n} req/s (oxigraph) · p95 ms" for n in names) + " |",
        "|---:|---|" + "---:|" * len(names),
    ]
    for r in rows:
        cells = []
        for n in names:
            q = r["queries"].get(n)
            cells.append(f"{q['rps']:,.0f} ({q['oxigraph_rps']:,.0f}) · {q['p95_ms']:,.0f}" if q else "–")
        lines.append(f"| {r['agreements']:,} | {r['backend']} | " + " | ".join(cells) + " |")
    paths = list(dict.fromkeys(path for r in rows for path in r.get("pages") or {}))
    if paths:
        lines += [
            "",
            "| agreements | backend | " + " | ".join(f"`{p}` one GET ms · p95 ms · req/s" for p in paths) + " |",
            "|---:|---|" + "---:|" * len(paths),
        ]
        for r in rows:
            cells = [_page_cell((r.get("pages") or {}).get(p)) for p in paths]
            lines.append(f"| {r['agreements']:,} | {r['backend']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _page_cell(pg: dict[str, Any] | None) -> str:
    if not pg:
        return "–"
    if pg.get("single_ms") is None:
        return f"> {pg['timed_out_s']:g} s" if pg.get("timed_out_s") else "error"
    if pg.get("p95_ms") is None:
        return f"{pg['single_ms']:,.0f} · – · –"
    return f"{pg['single_ms']:,.0f} · {pg['p95_ms']:,.0f} · {pg['rps']:,.1f}"


def _page_ms(r: dict[str, Any]) -> float:
    if r.get("page_single_ms") is not None:
        return float(r["page_single_ms"])
    if r.get("page_timed_out_s"):
        return float(r["page_timed_out_s"]) * 1000  # a lower bound
    return float("nan")


def plot(rows: list[dict[str, Any]], path: Path = PLOT) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        run.log("matplotlib is not installed: no plot (pip install matplotlib)")
        return False
    fig, axes = plt.subplots(1, 4, figsize=(17, 4.2))
    backends = sorted({r["backend"] for r in rows})
    for backend in backends:
        rs = sorted((r for r in rows if r["backend"] == backend), key=lambda r: r["triples"])
        x = [r["triples"] for r in rs]
        axes[0].plot(x, [r["load_tps"] for r in rs], "o-", label=f"relgraph load ({backend})")
        axes[1].plot(x, [_page_ms(r) for r in rs], "o-", label=f"one page GET ({backend})")
        for name in ("partners-of-city", "institutions-of-region"):
            axes[2].plot(
                x,
                [r["queries"].get(name, {}).get("p95_ms", float("nan")) for r in rs],
                "o-",
                label=f"{name} ({backend})",
            )
        axes[3].plot(x, [r["serve_rss_mib"] for r in rs], "o-", label=f"relgraph serve ({backend})")
        axes[3].plot(x, [r["load_rss_mib"] for r in rs], "s--", label=f"relgraph load ({backend})")
    ox_rows = sorted({(r["triples"], r["oxigraph_load_tps"]) for r in rows if r["backend"] == backends[0]})
    axes[0].plot([t for t, _ in ox_rows], [v for _, v in ox_rows], "k^:", label="oxigraph load")
    titles = [
        "load triples/s",
        "summary page, one GET (ms; timeout = lower bound)",
        "query p95 (ms), relgraph serve",
        "peak RSS (MiB)",
    ]
    for ax, title in zip(axes, titles, strict=True):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("triples")
        ax.set_title(title)
        ax.legend(fontsize=7)
        ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    run.log(f"wrote {path}")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="relgraph cost vs data size, embedded and remote backends.")
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000], help="agreements (10000 100000)")
    parser.add_argument(
        "--backends", nargs="+", choices=["embedded", "remote", "virtuoso"], default=["embedded", "remote"]
    )
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per query per server (3)")
    parser.add_argument("--warmup", type=float, default=0.5)
    parser.add_argument("-c", "--concurrency", type=int, default=4)
    parser.add_argument("--queries", nargs="+", choices=generate.QUERY_NAMES, default=DEFAULT_QUERIES)
    parser.add_argument("--page", action="append", help=f"page to time, repeatable ({', '.join(PAGES)})")
    parser.add_argument("--page-timeout", type=float, default=90.0, help="give up on the page after (90) s")
    parser.add_argument("--query-timeout", type=float, help="relgraph serve --query-timeout (relgraph's default)")
    parser.add_argument("--rounds", type=int, help="alternating rounds per query (run.py's default: 3)")
    parser.add_argument("--plot-only", action="store_true", help="redraw the plot from bench/out/growth.json")
    parser.add_argument("--fresh", action="store_true", help="forget the rows of earlier runs in growth.json")
    args = parser.parse_args(argv)
    if args.plot_only:
        rows = json.loads(GROWTH_JSON.read_text())
        plot(rows)
        print(markdown(rows))
        return 0
    # rows of earlier runs stay unless this run measures the same size and backend again
    rows = json.loads(GROWTH_JSON.read_text()) if GROWTH_JSON.exists() and not args.fresh else []
    status = 0
    for size in args.sizes:
        for backend in args.backends:
            result = measure(size, backend, args)
            if result["exit_status"] == 130:  # interrupted: run.py stopped its servers
                return 130
            status |= result["exit_status"]
            rows = [r for r in rows if (r["agreements"], r["backend"]) != (size, backend)]
            rows.append(row(result))
            rows.sort(key=lambda r: (r["agreements"], r["backend"]))
            GROWTH_JSON.write_text(json.dumps(rows, indent=2) + "\n")  # partial results survive
    table = markdown(rows)
    (OUT / "growth.md").write_text(table)
    print(table)
    plot(rows)
    return status


if __name__ == "__main__":
    sys.exit(main())
