"""The busiest city's page, and the SPARQL of its sections on relgraph serve beside oxigraph serve-read-only.

    python bench/pages.py --quick                       # CI: 1,000 generated agreements (~1 min)
    python bench/pages.py --store /tmp/r1m/store \\
        --entity https://w3id.org/relgraph/id/city/fusnunau-0          # an existing store, e.g. 1M agreements

The store is never written: ``oxigraph serve-read-only`` opens it as it is, and ``relgraph serve``
runs on a checkpoint of it (``Store.backup``: hard links, so it must be on the same file system;
``--work``). With ``--no-cache`` on relgraph serve (every GET builds its page), once the snapshot's
relation index (:mod:`relgraph.relindex`) is ready, it reports

* the entity page, one GET at a time (``--rounds``): first and median milliseconds;
* each section query of that page (:mod:`relgraph.section_queries`, "show the query" under each
  section) on both servers, one request at a time: seconds and rows;
* the peak RSS of both servers' process trees (VmHWM summed over the process group) after the same
  queries, the CPU seconds of both, and the load average (the machine is shared); beside it the RSS and
  PSS at that moment (``/proc/PID/smaps_rollup`` summed): PSS counts once the pages that the processes
  share (the files every HTTP process maps read-only), RSS once per process;
* then, with the result cache on (a second ``relgraph serve`` on the same checkpoint, without
  ``--no-cache``), the same page again: the first GET builds it, the next ones are cache hits (the
  snapshot's data is unchanged, so its relation index is linked from the first start's, not rebuilt).

``--keep`` keeps the checkpoint in ``--work`` for the next run (its indexes are reused as long as the
data is the same). Pages that still show a part as "being computed" (network, partner finder: made
in the background, :mod:`relgraph_server.background`) are counted in ``pending``.

Writes ``bench/out/pages-N.json``. Without ``--entity`` the busiest city (most agreements it is a
party to) is found with one SPARQL query first, which takes minutes at a million agreements.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run as harness  # noqa: E402 - the servers, the data and the RSS of bench/run.py

OUT = BENCH / "out"
JSON = "application/sparql-results+json"
RG = "https://w3id.org/relgraph/ontology#"
BUSIEST = (
    f"SELECT ?p (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a <{RG}party> ?p . ?p a <{RG}City> }} "
    "GROUP BY ?p ORDER BY DESC(?n) LIMIT 1"
)


def _get(url: str, *, accept: str, timeout: float) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    req = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
            return resp.status, body, time.perf_counter() - started
    except urllib.error.HTTPError as err:
        return err.code, err.read(), time.perf_counter() - started
    except (TimeoutError, urllib.error.URLError):  # no answer within the client's time: status 0, the run goes on
        return 0, b"", time.perf_counter() - started


def _rows(body: bytes) -> int:
    return len(json.loads(body)["results"]["bindings"])


def _cpu_seconds(pgid: int) -> float:
    """User + system CPU seconds of the live processes of a process group (children that ended are not counted)."""
    total = 0
    for stat in harness.group_proc_texts(pgid, "stat"):
        fields = stat.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return round(total / os.sysconf("SC_CLK_TCK"), 1)


def _tree_memory_mib(pgid: int) -> dict[str, float]:
    """RSS and PSS now, summed over a process group (``/proc/PID/smaps_rollup``).

    RSS counts a page mapped by several processes (the files the HTTP processes map read-only, the code)
    once per process; PSS divides it among them: the honest total of a group that shares mappings.
    """
    total = {"Rss": 0, "Pss": 0}
    for rollup in harness.group_proc_texts(pgid, "smaps_rollup"):
        for line in rollup.splitlines():
            key, _, rest = line.partition(":")
            if key in total:
                total[key] += int(rest.split()[0])
    return {"rss_mib": round(total["Rss"] / 1024, 1), "pss_mib": round(total["Pss"] / 1024, 1)}


def _wait_for_index(snapshots: Path, limit: float) -> float:
    """Seconds until a snapshot's relation index exists (each server start publishes snapshots of the same
    data; the page links the index of one of them for the current one, see ``relgraph.labelindex.reuse``)."""
    from relgraph import relindex

    started = time.monotonic()
    while time.monotonic() - started < limit:
        if any(snapshots.glob(f"*{relindex.SUFFIX}")):
            return round(time.monotonic() - started, 1)
        time.sleep(1)
    raise SystemExit(f"pages.py: no relation index in {snapshots} after {limit:.0f} s")


def _wait_warm(log: Path, limit: float) -> float | None:
    """Seconds until every HTTP process logged its busiest places' pages made (background job ``pages``), or None."""
    import re

    started = time.monotonic()
    while time.monotonic() - started < limit:
        text = log.read_text(errors="replace") if log.exists() else ""
        processes = re.search(r"\((\d+) HTTP processes", text)
        made = set(re.findall(r"busiest places made for data version \d+ in [\d.]+ s \(pid (\d+)\)", text))
        if processes and len(made) >= int(processes[1]):
            return round(time.monotonic() - started, 1)
        time.sleep(1)
    return None


def _relgraph(copy: Path, port: int, work: Path, timeout: float, *, cache: bool) -> harness.Server:
    env_before = dict(os.environ)
    os.environ["RELGRAPH_QUERY_TIMEOUT"] = str(timeout)
    try:
        command = [harness._tool("relgraph"), "serve", "--store", str(copy), "--port", str(port)]
        return harness.start_server(
            "relgraph",
            [*command, *([] if cache else ["--no-cache"])],
            f"http://127.0.0.1:{port}/sparql",
            work / f"relgraph{'-cached' if cache else ''}.log",
        )
    finally:
        os.environ.clear()
        os.environ.update(env_before)


def _pending(body: bytes) -> bool:
    return b'class="muted pending"' in body or b'class="hint pending"' in body


def _wait_complete(port: int, path: str, limit: float, gets: list[float] | None = None) -> float | None:
    """Seconds until the page shows no part as being computed (GETs every 5 s), None after ``limit``.

    ``gets``: the milliseconds of each of those GETs are added to it (the last one is the first whole page).
    """
    started = time.monotonic()
    while time.monotonic() - started < limit:
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Accept": "text/html"})
        begun = time.perf_counter()
        with urllib.request.urlopen(req, timeout=600) as resp:
            body = resp.read()
        if gets is not None:
            gets.append(round((time.perf_counter() - begun) * 1000, 1))
        if not _pending(body):
            return round(time.monotonic() - started, 1)
        time.sleep(5)
    return None


def _page_gets(port: int, path: str, rounds: int) -> dict[str, Any]:
    """``rounds`` GETs of the page: milliseconds, cache header, how many showed a part as being computed."""
    page_ms, cache, pending = [], [], 0
    for _ in range(rounds):
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Accept": "text/html"})
        started = time.perf_counter()
        with urllib.request.urlopen(req, timeout=600) as resp:
            body = resp.read()
            cache.append(resp.headers.get("X-Relgraph-Cache"))
        page_ms.append(round((time.perf_counter() - started) * 1000, 1))
        pending += _pending(body)
    return {
        "path": path,
        "ms": page_ms,
        "first_ms": page_ms[0],
        "median_ms": statistics.median(page_ms),
        "cache": cache,
        "pending": pending,
    }


def _cached(copy: Path, path: str, *, work: Path, rounds: int, timeout: float, ready: float) -> dict[str, Any]:
    """The page through a second ``relgraph serve`` on the same checkpoint, result cache on."""
    port = harness.free_port()
    server = _relgraph(copy, port, work, timeout, cache=True)
    with harness.running([server]):
        out: dict[str, Any] = {"relgraph_start_s": round(harness.wait_ready(server), 1)}
        out["relation_index_wait_s"] = _wait_for_index(Path(f"{copy}.snapshots"), 3600)
        if ready:
            out["complete_wait_s"] = _wait_complete(port, path, ready, out.setdefault("wait_gets_ms", []))
            out["warm_wait_s"] = _wait_warm(work / "relgraph-cached.log", ready)
        started = time.monotonic()
        out["page"] = _page_gets(port, path, max(rounds, 2))
        out["wall_s"] = round(time.monotonic() - started, 1)
        out["peak_rss_mib"] = harness.tree_peak_rss_mib(server.proc.pid)
        out["memory_now_mib"] = _tree_memory_mib(server.proc.pid)
        out["cpu_s"] = _cpu_seconds(server.proc.pid)
        out["load_average"] = os.getloadavg()
    harness.log(f"cached page {path}: {out['page']['ms']} ms ({out['page']['cache']})")
    return out


def measure(
    store: Path,
    entity: str | None,
    *,
    work: Path,
    rounds: int,
    timeout: float,
    sections_wanted: bool = True,
    ready: float = 0.0,
) -> dict[str, Any]:
    import pyoxigraph as ox

    from relgraph.section_queries import QUERIES, shown

    result: dict[str, Any] = {"store": str(store), "load_average_before": os.getloadavg()}
    copy = work / "relgraph-store"
    if not copy.exists():  # --keep: the checkpoint of an earlier run (same data, its indexes are reused)
        ox.Store.read_only(str(store)).backup(str(copy))  # hard links: nothing of the store is written
    ox_port, rg_port = harness.free_port(), harness.free_port()
    oxigraph = harness.start_server(
        "oxigraph",
        [harness._tool("oxigraph"), "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{ox_port}",
         "--union-default-graph"],
        f"http://127.0.0.1:{ox_port}/query",
        work / "oxigraph.log",
    )  # fmt: skip
    relgraph = _relgraph(copy, rg_port, work, timeout, cache=False)
    with harness.running([relgraph, oxigraph]):
        harness.wait_ready(oxigraph)
        result["relgraph_start_s"] = round(harness.wait_ready(relgraph), 1)
        if entity is None:
            status, body, seconds = _get(f"{oxigraph.url}?query={quote(BUSIEST)}", accept=JSON, timeout=3600)
            entity = json.loads(body)["results"]["bindings"][0]["p"]["value"]
            result["busiest_query_s"] = round(seconds, 1)
        result["entity"] = entity
        result["relation_index_wait_s"] = _wait_for_index(Path(f"{copy}.snapshots"), 3600)
        path = "/id/" + entity.split("/id/", 1)[1] + ".html"
        if ready:  # time whole pages: wait until the background parts (network, partner finder) are in
            result["complete_wait_s"] = _wait_complete(rg_port, path, ready, result.setdefault("wait_gets_ms", []))
            result["warm_wait_s"] = _wait_warm(work / "relgraph.log", ready)  # each process made the busiest pages
        started = time.monotonic()
        result["page"] = _page_gets(rg_port, path, rounds)
        result["page_wall_s"] = round(time.monotonic() - started, 1)
        harness.log(f"page {path}: {result['page']['ms']} ms, {result['page']['pending']} with a part pending")
        result["page_peak_rss_mib"] = {s.name: harness.tree_peak_rss_mib(s.proc.pid) for s in (relgraph, oxigraph)}
        result["page_memory_now_mib"] = {s.name: _tree_memory_mib(s.proc.pid) for s in (relgraph, oxigraph)}
        sections: dict[str, Any] = {}
        for name in QUERIES if sections_wanted else ():
            query = shown(name, entity)
            row: dict[str, Any] = {}
            for server in (relgraph, oxigraph):
                status, body, seconds = _get(f"{server.url}?query={quote(query)}", accept=JSON, timeout=timeout + 30)
                rows = _rows(body) if status == 200 else None
                row[server.name] = {"status": status, "s": round(seconds, 3), "rows": rows}
            sections[name] = row
            harness.log(f"section {name}: {row}")
        result["sections"] = sections
        result["peak_rss_mib"] = {s.name: harness.tree_peak_rss_mib(s.proc.pid) for s in (relgraph, oxigraph)}
        result["memory_now_mib"] = {s.name: _tree_memory_mib(s.proc.pid) for s in (relgraph, oxigraph)}
        result["cpu_s"] = {s.name: _cpu_seconds(s.proc.pid) for s in (relgraph, oxigraph)}
    result["load_average_after"] = os.getloadavg()
    result["cached"] = _cached(copy, path, work=work, rounds=rounds, timeout=timeout, ready=ready)
    return result


def _cell(answer: dict[str, Any]) -> str:
    if answer["status"] == 200:
        return f"{answer['s']:.3f} ({answer['rows']})"
    return f"{answer['status'] or 'no answer'} after {answer['s']:.0f} s"


def table(result: dict[str, Any]) -> str:
    cached = result["cached"]
    lines = [
        f"entity {result['entity']} · page {result['page']['path']}: first {result['page']['first_ms']:,} ms, "
        f"median {result['page']['median_ms']:,} ms of {len(result['page']['ms'])} GETs (--no-cache; "
        f"{result['page']['pending']} showed a part as being computed); relation index ready "
        f"{result['relation_index_wait_s']} s after the server answered ({result['relgraph_start_s']} s to start)"
        + (f"; whole page after {result['complete_wait_s']} s more" if "complete_wait_s" in result else ""),
        f"result cache on (second start, {cached['relgraph_start_s']} s; relation index "
        f"{cached['relation_index_wait_s']} s; whole page after {cached.get('complete_wait_s', '-')} s): "
        f"{', '.join(f'{ms:,} ms' for ms in cached['page']['ms'])} "
        f"({', '.join(str(c) for c in cached['page']['cache'])}); peak RSS {cached['peak_rss_mib']:,} MiB "
        f"(RSS / PSS then {cached['memory_now_mib']['rss_mib']:,} / {cached['memory_now_mib']['pss_mib']:,} MiB), "
        f"CPU {cached['cpu_s']} s",
        "",
        "| section query | relgraph serve s (rows) | oxigraph serve-read-only s (rows) |",
        "|---|---:|---:|",
    ]
    for name, row in result["sections"].items():
        cells = [_cell(row[s]) for s in ("relgraph", "oxigraph")]
        lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
    rss, cpu, at_page = result["peak_rss_mib"], result["cpu_s"], result["page_peak_rss_mib"]
    now_page, now = result["page_memory_now_mib"], result["memory_now_mib"]
    lines += [
        "",
        f"peak RSS MiB after the page GETs: relgraph serve {at_page['relgraph']:,} · oxigraph {at_page['oxigraph']:,}",
        f"RSS / PSS MiB then (smaps_rollup, summed; PSS counts shared mappings once): relgraph serve "
        f"{now_page['relgraph']['rss_mib']:,} / {now_page['relgraph']['pss_mib']:,} · oxigraph "
        f"{now_page['oxigraph']['rss_mib']:,} / {now_page['oxigraph']['pss_mib']:,}",
        f"RSS / PSS MiB after the section queries: relgraph serve {now['relgraph']['rss_mib']:,} / "
        f"{now['relgraph']['pss_mib']:,} · oxigraph {now['oxigraph']['rss_mib']:,} / {now['oxigraph']['pss_mib']:,}",
        f"peak RSS MiB after the section queries: relgraph serve {rss['relgraph']:,} · oxigraph {rss['oxigraph']:,}; "
        f"CPU s: relgraph {cpu['relgraph']} · oxigraph {cpu['oxigraph']}; load average before "
        f"{', '.join(f'{x:.1f}' for x in result['load_average_before'])}, after "
        f"{', '.join(f'{x:.1f}' for x in result['load_average_after'])}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="CI: a store of 1,000 generated agreements")
    parser.add_argument("--store", type=Path, help="an existing store directory (opened read-only)")
    parser.add_argument("--entity", help="the page's IRI (default: the busiest city)")
    parser.add_argument("--work", type=Path, help="folder for the checkpoint (same file system as --store)")
    parser.add_argument("--rounds", type=int, default=3, help="GETs of the page (default 3)")
    parser.add_argument("--timeout", type=float, default=120.0, help="relgraph serve's query time limit")
    parser.add_argument("--keep", action="store_true", help="keep the checkpoint in --work for the next run")
    parser.add_argument("--no-sections", action="store_true", help="the page only, not its section queries")
    parser.add_argument(
        "--ready",
        type=float,
        default=0.0,
        help="first wait up to this many seconds until the page shows no part as being computed (default: no wait)",
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop both servers on the way out
    if not args.quick and args.store is None:
        parser.error("give --store DIR or --quick")
    if args.keep and args.work is None:
        parser.error("--keep needs --work")
    work = args.work if args.keep else Path(tempfile.mkdtemp(prefix="relgraph-pages-", dir=args.work))
    work.mkdir(parents=True, exist_ok=True)
    try:
        store = args.store
        if args.quick:
            data, _ = harness.data_file(1000, 42)
            store = work / "store"
            load = [harness._tool("relgraph"), "load", str(data), "--store", str(store), "--bulk", "--no-reason"]
            subprocess.run(load, check=True, capture_output=True)
        result = measure(
            store,
            args.entity,
            work=work,
            rounds=args.rounds,
            timeout=args.timeout,
            sections_wanted=not args.no_sections,
            ready=args.ready,
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    result["quick"] = args.quick
    OUT.mkdir(exist_ok=True)
    name = "quick" if args.quick else Path(str(args.store)).name
    (OUT / f"pages-{name}.json").write_text(json.dumps(result, indent=2))
    print(table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
