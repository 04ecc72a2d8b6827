"""Benchmark relgraph's SPARQL endpoint against a plain Oxigraph server, in one run.

    python bench/run.py --agreements 10000            # full run (see bench/README.md)
    python bench/run.py --quick                       # CI smoke run, < 60 s

Steps: generate the synthetic data (cached in ``bench/out/data``), load it with
``relgraph load`` and with ``oxigraph load`` into fresh stores (timed), start
``relgraph serve`` and ``oxigraph serve-read-only`` on loopback, check that each
bench query answers 200 with the same number of results on both, then drive
each query with the same closed-loop load client on each server in turn and
report requests/s, p50 and p95 latency, the relgraph/oxigraph ratio per query
and the geometric mean of the ratios. Results go to ``bench/out/`` as JSON and
Markdown. Servers are stopped on exit, also on Ctrl-C.

``--fallback-oxigraph`` serves the relgraph-loaded store with a second Oxigraph
server instead of ``relgraph serve``: only for checking the harness (results are
marked as such).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import generate
import loadclient

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
SELECT_JSON = loadclient.ACCEPT_SELECT
TURTLE = loadclient.ACCEPT_GRAPH


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- tools --------------------------------------------------------------------------


def _tool(name: str) -> str:
    """The executable ``name``, preferring the one next to this Python (the venv)."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"bench: {name!r} not found; install relgraph[test] into this environment")
    return found


def _version(cmd: list[str]) -> str:
    try:
        out = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=30, check=False)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def relgraph_serve_help() -> str | None:
    """The help text of ``relgraph serve``, or None if the command does not exist."""
    out = subprocess.run(
        [_tool("relgraph"), "serve", "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    return out.stdout if out.returncode == 0 else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def machine() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem = round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024, 1)
    commit = subprocess.run(
        ["git", "-C", str(BENCH), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gib": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "relgraph": _version([_tool("relgraph")]),
        "oxigraph": _version([_tool("oxigraph")]),
        "git_commit": commit or None,
    }


# --- data and stores -------------------------------------------------------------------


def data_file(agreements: int, seed: int) -> tuple[Path, int]:
    """The cached N-Quads file for (agreements, seed) and its triple count."""
    path = OUT / "data" / f"agreements-{agreements}-seed-{seed}.nq"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        info = json.loads(meta.read_text())
        if info.get("generator_mtime") == _generator_stamp():
            log(f"using cached {path.relative_to(BENCH.parent)} ({info['triples']:,} triples)")
            return path, int(info["triples"])
    path.parent.mkdir(parents=True, exist_ok=True)
    log(f"generating {agreements:,} agreements (seed {seed}) into {path.relative_to(BENCH.parent)}")
    tmp = path.with_name(path.name + ".part")
    started = time.perf_counter()
    with open(tmp, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        triples = generate.generate(out, agreements=agreements, seed=seed)
    tmp.replace(path)
    meta.write_text(json.dumps({"triples": triples, "generator_mtime": _generator_stamp()}))
    log(f"generated {triples:,} triples in {time.perf_counter() - started:.1f} s")
    return path, triples


def _generator_stamp() -> str:
    import hashlib

    return hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()[:16]


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def timed_load(
    name: str, cmd: list[str], store: Path, triples: int, logs: Path, *, fresh: bool = True
) -> dict[str, Any]:
    """Run a load command, timed; also its peak RSS (``wait4``: the loading process itself)."""
    if fresh and store.exists():
        shutil.rmtree(store)
    log(f"loading into {name} store: {' '.join(cmd[:3])} …")
    started = time.perf_counter()
    with open(logs / f"load-{name}.log", "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"bench: {name} load failed (exit {proc.returncode}); see {logs / f'load-{name}.log'}")
    result = {
        "seconds": round(seconds, 2),
        "triples_per_s": round(triples / seconds),
        "store_mib": round(_dir_size(store) / 2**20, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),  # KiB on Linux
    }
    log(f"{name}: {triples:,} triples in {seconds:.2f} s = {result['triples_per_s']:,} triples/s")
    return result


# --- servers -------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    url: str
    proc: subprocess.Popen[bytes]
    log_path: Path


def start_server(name: str, cmd: list[str], url: str, log_path: Path) -> Server:
    log(f"starting {name}: {' '.join(cmd)}")
    out = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    out.close()
    return Server(name, url, proc, log_path)


def wait_ready(server: Server, timeout: float = 1800.0) -> float:
    """Wait until the server answers ``ASK {}``; return the seconds that took.

    Generous: the first open of a freshly loaded store may replay its write-ahead
    log (minutes at 100k agreements), which the start-up time in the results shows.
    """
    started = time.monotonic()
    deadline = started + timeout
    probe = f"{server.url}?query={quote('ASK {}')}"
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            tail = server.log_path.read_text(errors="replace")[-2000:]
            raise SystemExit(f"bench: {server.name} exited with {server.proc.returncode}:\n{tail}")
        with contextlib.suppress(OSError, urllib.error.URLError):
            req = urllib.request.Request(probe, headers={"Accept": SELECT_JSON})
            with urllib.request.urlopen(req, timeout=5) as resp:
                if resp.status == 200:
                    seconds = time.monotonic() - started
                    log(f"{server.name} is up at {server.url} after {seconds:.1f} s")
                    return seconds
        time.sleep(0.2)
    raise SystemExit(f"bench: {server.name} not ready after {timeout:.0f} s; see {server.log_path}")


def stop_server(server: Server) -> None:
    """Stop the server's process group (the server and any workers it forked)."""
    if server.proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.proc.pid, signal.SIGTERM)
    try:
        server.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.proc.pid, signal.SIGKILL)
        server.proc.wait(timeout=15)
    log(f"stopped {server.name}")


def group_proc_texts(pgid: int, name: str) -> Iterator[str]:
    """The text of ``/proc/PID/<name>`` of each live process of process group ``pgid`` (a server and its workers)."""
    for path in Path("/proc").glob(f"[0-9]*/{name}"):
        try:
            if os.getpgid(int(path.parent.name)) == pgid:
                yield path.read_text()
        except (OSError, ValueError):  # ended meanwhile
            continue


def tree_peak_rss_mib(pid: int) -> float:
    """Sum of VmHWM (peak RSS) over ``pid``'s process group (a server and the workers it forked)."""
    total = 0
    for status in group_proc_texts(pid, "status"):
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return round(total / 1024, 1)


@contextlib.contextmanager
def running(servers: list[Server]) -> Iterator[list[Server]]:
    try:
        yield servers
    finally:
        for server in servers:
            stop_server(server)


# --- checks and measurement -----------------------------------------------------------------


def fetch(url: str, query: str, accept: str, timeout: float = 120.0) -> tuple[int, bytes]:
    """One request; a timeout is status 0 with a message (the run stops with it, not with a traceback)."""
    req = urllib.request.Request(f"{url}?query={quote(query, safe='')}", headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()
    except TimeoutError:
        return 0, f"no answer within {timeout:g} s (bench/single.py times one request at this size)".encode()


def count_results(body: bytes, accept: str) -> int:
    if accept == TURTLE:
        import pyoxigraph as ox

        return sum(1 for _ in ox.parse(body, format=ox.RdfFormat.TURTLE))
    data = json.loads(body)
    if "boolean" in data:
        return 1
    return len(data["results"]["bindings"])


def load_queries(folder: Path, names: list[str]) -> dict[str, str]:
    return {name: (folder / f"{name}.rq").read_text(encoding="utf-8") for name in names}


def geomean(values: list[float]) -> float | None:
    good = [v for v in values if v and v > 0 and math.isfinite(v)]
    if not good:
        return None
    return math.exp(sum(math.log(v) for v in good) / len(good))


def markdown(result: dict[str, Any]) -> str:
    p, a, b = result["params"], "relgraph", "oxigraph"
    how = " ".join(p.get("relgraph_load_command", [])[2:]) or "--no-validate --no-reason"
    label_a = "relgraph" if not p["fallback_oxigraph"] else "oxigraph (as relgraph)"
    lines = [
        f"## {p['agreements']:,} agreements ({result['data']['triples']:,} triples), "
        f"concurrency {p['concurrency']}, {p['duration']} s per query, relgraph workers {p['workers']}",
        "",
        f"{result['started']} · {result['machine']['cpus']} CPUs ({result['machine']['cpu_model']}) · "
        f"{result['machine']['relgraph']} · {result['machine']['oxigraph']} · commit {result['machine']['git_commit']}",
        "",
        "| load | seconds | triples/s | store MiB |",
        "|---|---:|---:|---:|",
    ]
    for name in (a, b):
        load = result["load"][name]
        lines.append(f"| {name} | {load['seconds']} | {load['triples_per_s']:,} | {load['store_mib']} |")
    lines += [
        f"| ratio relgraph/oxigraph | | {result['load']['ratio_triples_per_s']:.2f} | |",
        "",
        f"relgraph load ran {how}."
        + (
            " It included inference; Oxigraph's store then got a copy of the inferred graph "
            f"({result['load']['oxigraph_inferred_copy']['seconds']} s, not in its figure above), so both "
            "servers answer over the same triples."
            if "oxigraph_inferred_copy" in result["load"]
            else ""
        ),
        "",
        f"| query | results | {label_a} req/s | p50 ms | p95 ms | oxigraph req/s | p50 ms | p95 ms "
        "| ratio req/s | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, q in result["queries"].items():
        ra, rb = q[a], q[b]
        lines.append(
            f"| {name} | {q['results']} | {ra['rps']:,.0f} | {ra['p50_ms']:.2f} | {ra['p95_ms']:.2f} "
            f"| {rb['rps']:,.0f} | {rb['p50_ms']:.2f} | {rb['p95_ms']:.2f} | {q['ratio_rps']:.2f} "
            f"| {ra['errors'] + rb['errors']} |"
        )
    gm = result["geomean_ratio_rps"]
    for pg in result.get("pages") or ([result["page"]] if result.get("page") else []):
        if "p95_ms" in pg:
            text = (
                f"one request {pg['single_ms']:,.0f} ms; at concurrency {p['concurrency']}: {pg['rps']:,.1f} req/s, "
                f"p50 {pg['p50_ms']:.2f} ms, p95 {pg['p95_ms']:.2f} ms, {pg['errors']} errors"
            )
        elif "single_ms" in pg:
            text = f"one request {pg['single_ms']:,.0f} ms (too slow for a run under load)"
        else:
            text = f"no answer within {pg.get('timed_out_s', '?')} s" if "timed_out_s" in pg else pg["error"]
        if pg.get("label_index_wait_s") is not None:
            text += f" (after the label index was ready, {pg['label_index_wait_s']:g} s after the first search)"
        lines += ["", f"Summary page `GET {pg['path']}` on relgraph serve: {text}."]
    rss = result["load"]["relgraph"].get("peak_rss_mib")
    lines += [
        "",
        f"Backend: {p.get('backend', 'embedded')}. Peak RSS: relgraph load {rss} MiB, "
        f"relgraph serve (process tree) {result.get('relgraph_serve_peak_rss_mib')} MiB"
        + (
            f", store server {result['load']['relgraph']['store_server_peak_rss_mib']} MiB"
            if "store_server_peak_rss_mib" in result["load"]["relgraph"]
            else ""
        )
        + ".",
    ]
    lines += [
        "",
        f"Geometric mean of the per-query req/s ratios (relgraph/oxigraph): **{gm:.2f}**"
        if gm
        else "Geometric mean: n/a",
        f"Client check: `ASK {{}}` on oxigraph at concurrency {p['concurrency']}: "
        f"{result['client_check']['rps']:,.0f} req/s.",
        "Start-up until the first answer: "
        + ", ".join(f"{name} {sec:g} s" for name, sec in result.get("startup_seconds", {}).items())
        + ".",
        f"Status: **{result['status']}** ({result['errors']} errors"
        + (f"; result counts differ: {', '.join(result['mismatches'])}" if result["mismatches"] else "")
        + ").",
        "",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    started_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    work = OUT / f"run-{args.agreements}"
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    serve_help = relgraph_serve_help()
    if serve_help is None and not args.fallback_oxigraph:
        raise SystemExit(
            "bench: `relgraph serve` does not exist in this installation; "
            "pass --fallback-oxigraph to check the harness with a second Oxigraph server"
        )

    data, triples = data_file(args.agreements, args.seed)
    queries_dir = OUT / f"queries-seed-{args.seed}"
    generate.write_queries(queries_dir, seed=args.seed)
    names = args.queries or generate.QUERY_NAMES
    queries = load_queries(queries_dir, names)

    rg_store, ox_store = work / "store-relgraph", work / "store-oxigraph"
    backing: list[Server] = []  # the remote backend's writable `oxigraph serve`
    rg_target = str(rg_store)
    if args.backend == "virtuoso":
        # Virtuoso as the store, reached with relgraph's engine profile (the helper the tests use:
        # a virtuoso.ini in the store folder, loopback ports of its own, dba over HTTP Digest).
        sys.path.insert(0, str(BENCH.parent / "tests" / "remote"))
        from virtuoso_proc import VirtuosoServer

        if rg_store.exists():
            shutil.rmtree(rg_store)
        virtuoso = VirtuosoServer(rg_store, timeout_s=None, buffers=VIRTUOSO_BUFFERS)
        log(f"starting virtuoso-t on {virtuoso.url} (database {rg_store})")
        virtuoso.start()
        assert virtuoso.proc is not None
        backing.append(Server("virtuoso-store", virtuoso.url + "/sparql", virtuoso.proc, virtuoso.log))
        os.environ.update(VirtuosoServer.settings())  # relgraph load and relgraph serve inherit them
        rg_target = virtuoso.url
    if args.backend == "remote":
        if rg_store.exists():
            shutil.rmtree(rg_store)
        p0 = free_port()
        backing.append(
            start_server(
                "oxigraph-store",
                [_tool("oxigraph"), "serve", "--location", str(rg_store), "--bind", f"127.0.0.1:{p0}"],
                f"http://127.0.0.1:{p0}/query",
                logs / "serve-oxigraph-store.log",
            )
        )
        wait_ready(backing[0])
        rg_target = f"http://127.0.0.1:{p0}"
    load_cmd = [_tool("relgraph"), "load", str(data), "--store", rg_target]
    if args.no_reason or backing:
        # over a remote store Oxigraph's peer store gets no copy of the inferred graph (yet): both
        # answer over the asserted triples only
        load_cmd.append("--no-reason")
    if args.bulk:
        load_cmd.append("--bulk")
    elif not args.validate:
        load_cmd.append("--no-validate")
    try:
        return _run_with_store(
            args,
            data,
            triples,
            queries,
            work,
            logs,
            rg_store,
            ox_store,
            rg_target,
            load_cmd,
            backing,
            started_at,
            stamp,
        )
    finally:
        for server in backing:
            stop_server(server)


#: The inferred graph of relgraph's default base (``relgraph reason``).
INFERRED = "https://w3id.org/relgraph/graph/inferred"
#: Virtuoso's page buffers (8 KiB each) for the bench: ~800 MB, enough to keep 100k agreements in memory.
VIRTUOSO_BUFFERS = 100_000

#: Pages worth timing in the generated data (seed 42): the busiest city (the one
#: ``partners-of-city`` asks about), the agreement ``describe-agreement`` asks about,
#: and a label search for the busiest city's name.
DEFAULT_PAGES = ("/id/city/fusnunau-0.html", "/id/agreement/university-partnership-1.html", "/search?q=fusnunau")


def _wait_for_label_index(url: str, args: argparse.Namespace) -> float | None:
    """Ask the search page until it answers from the snapshot's label index; the seconds that took.

    The index is built in the background after the first search of a data version
    (embedded store only; ``X-Relgraph-Search: store`` until then). None when the
    page never says ``index`` within ``--page-timeout`` (e.g. over a remote store).
    """
    started = time.perf_counter()
    while time.perf_counter() - started < args.page_timeout:
        try:
            req = urllib.request.Request(url, headers={"Accept": "text/html"})
            with urllib.request.urlopen(req, timeout=args.page_timeout) as resp:
                resp.read()
                source = resp.headers.get("X-Relgraph-Search")
        except (OSError, urllib.error.URLError):
            return None
        if source != "store":  # "index", or a server without the header
            waited = round(time.perf_counter() - started, 1)
            log(f"search answers from {source or 'an unknown source'} after {waited:g} s")
            return waited if source == "index" else None
        if args.backend in ("remote", "virtuoso"):
            return None  # a remote store has no label index
        time.sleep(2)
    return None


def measure_page(url: str, args: argparse.Namespace) -> tuple[dict[str, Any], int]:
    """Time one GET of an HTML page; if that is quick, also a closed-loop run at ``--concurrency``.

    A page slower than ``--page-timeout`` is recorded as timed out (not an error of the
    run: the point is to see how its cost grows); a page slower than ``--page-load-limit``
    seconds is timed once only, a concurrency run would take minutes.
    """
    path = url.split("/", 3)[3]
    waited = _wait_for_label_index(url, args) if path.startswith("search") else None
    started = time.perf_counter()
    try:
        req = urllib.request.Request(url, headers={"Accept": "text/html"})
        with urllib.request.urlopen(req, timeout=args.page_timeout) as resp:
            body = resp.read()
            if resp.status != 200 or b"<html" not in body[:4096].lower():
                log(f"page /{path}: answered {resp.status}, not an HTML page")
                return {"path": "/" + path, "error": f"status {resp.status}"}, 1
    except (OSError, urllib.error.URLError) as err:
        log(f"page /{path}: no answer within {args.page_timeout:g} s ({err})")
        return {"path": "/" + path, "timed_out_s": args.page_timeout}, 0
    single_ms = (time.perf_counter() - started) * 1000
    log(f"page /{path}: one request {single_ms:,.0f} ms")
    page: dict[str, Any] = {"path": "/" + path, "single_ms": round(single_ms, 1)}
    if waited is not None:
        page["label_index_wait_s"] = waited
    if single_ms / 1000 > args.page_load_limit:
        return page, 0
    if args.warmup > 0:
        loadclient.run_load(url, "", accept="text/html", concurrency=args.concurrency, duration=args.warmup)
    r = loadclient.run_load(url, "", accept="text/html", concurrency=args.concurrency, duration=args.duration)
    page.update(r.summary())
    log(f"page /{path}: {r.rps:,.1f} req/s  p95 {r.percentile(95):.2f} ms  errors {r.errors}")
    return page, r.errors


def _run_with_store(
    args: argparse.Namespace,
    data: Path,
    triples: int,
    queries: dict[str, str],
    work: Path,
    logs: Path,
    rg_store: Path,
    ox_store: Path,
    rg_target: str,
    load_cmd: list[str],
    backing: list[Server],
    started_at: str,
    stamp: str,
) -> int:
    load = {
        "relgraph": timed_load("relgraph", load_cmd, rg_store, triples, logs, fresh=not backing),
        "oxigraph": timed_load(
            "oxigraph",
            [_tool("oxigraph"), "load", "--location", str(ox_store), "--file", str(data)],
            ox_store,
            triples,
            logs,
        ),
    }
    load["ratio_triples_per_s"] = load["relgraph"]["triples_per_s"] / load["oxigraph"]["triples_per_s"]
    if not args.no_reason and not backing:
        # relgraph's load computed the inferred graph; Oxigraph gets a copy of it, so that both
        # servers answer over the same triples (its load figure above is without inference)
        copy = work / "inferred.nq"
        subprocess.run(
            [_tool("relgraph"), "export", "--store", str(rg_store), "--graph", INFERRED, "-o", str(copy)],
            check=True,
            capture_output=True,
        )
        load["oxigraph_inferred_copy"] = timed_load(
            "oxigraph-inferred",
            [_tool("oxigraph"), "load", "--location", str(ox_store), "--file", str(copy)],
            ox_store,
            sum(1 for _ in copy.open("rb")),
            logs,
            fresh=False,
        )
        copy.unlink()
    if backing:
        load["relgraph"]["store_server_peak_rss_mib"] = tree_peak_rss_mib(backing[0].proc.pid)

    p1, p2 = free_port(), free_port()
    if args.fallback_oxigraph:
        cmd_a = [_tool("oxigraph"), "serve-read-only", "--location", str(rg_store)]
        cmd_a += ["--bind", f"127.0.0.1:{p1}", "--union-default-graph"]
        url_a = f"http://127.0.0.1:{p1}/query"
    else:
        cmd_a = [_tool("relgraph"), "serve", "--store", rg_target, "--port", str(p1)]
        cmd_a += ["--workers", str(args.workers), "--no-cache", "--host", "127.0.0.1"]
        if args.query_timeout:
            cmd_a += ["--query-timeout", str(args.query_timeout)]
        url_a = f"http://127.0.0.1:{p1}/sparql"
    cmd_b = [_tool("oxigraph"), "serve-read-only", "--location", str(ox_store)]
    cmd_b += ["--bind", f"127.0.0.1:{p2}", "--union-default-graph"]
    url_b = f"http://127.0.0.1:{p2}/query"

    servers = [
        start_server("relgraph", cmd_a, url_a, logs / "serve-relgraph.log"),
        start_server("oxigraph", cmd_b, url_b, logs / "serve-oxigraph.log"),
    ]
    results: dict[str, Any] = {}
    request_timeout = max(120.0, args.query_timeout or 0.0)  # per request of the checks and the load client
    mismatches: list[str] = []
    errors = 0
    with running(servers):
        startup = {server.name: round(wait_ready(server), 1) for server in servers}
        check = loadclient.run_load(
            url_b, "ASK {}", concurrency=args.concurrency, duration=args.client_check_duration
        ).summary()
        log(f"client check: ASK {{}} on oxigraph: {check['rps']:,.0f} req/s, {check['errors']} errors")
        for name, text in queries.items():
            accept = TURTLE if loadclient.is_graph_query(text) else SELECT_JSON
            counts = {}
            for server in servers:
                status, body = fetch(server.url, text, accept, timeout=request_timeout)
                if status != 200 or not body:
                    raise SystemExit(
                        f"bench: {server.name} answered {status} ({len(body)} bytes) to {name}: "
                        f"{body[:500].decode(errors='replace')}"
                    )
                counts[server.name] = count_results(body, accept)
            if len(set(counts.values())) != 1:
                mismatches.append(f"{name} {counts}")
                log(f"WARNING: {name}: result counts differ: {counts}")
            entry: dict[str, Any] = {"results": counts["oxigraph"], "accept": accept}
            for server in servers:
                if args.warmup > 0:
                    loadclient.run_load(
                        server.url, text, accept=accept, concurrency=args.concurrency, duration=args.warmup
                    )
            # Rounds alternate the order (A B, B A, A B, ...) so that drift of a noisy
            # machine hits both servers alike; the rounds of a server are pooled.
            pooled = {server.name: loadclient.LoadResult() for server in servers}
            for k in range(args.rounds):
                for server in servers if k % 2 == 0 else servers[::-1]:
                    r = loadclient.run_load(
                        server.url,
                        text,
                        accept=accept,
                        concurrency=args.concurrency,
                        duration=args.duration / args.rounds,
                        timeout=request_timeout,
                    )
                    pooled[server.name].merge(r)
            for server in servers:
                r = pooled[server.name]
                entry[server.name] = r.summary()
                errors += r.errors
                log(
                    f"{name:24} {server.name:9} {r.rps:9,.1f} req/s  p50 {r.percentile(50):8.2f} ms  "
                    f"p95 {r.percentile(95):8.2f} ms  errors {r.errors}"
                )
            rps_a, rps_b = entry["relgraph"]["rps"], entry["oxigraph"]["rps"]
            entry["ratio_rps"] = rps_a / rps_b if rps_b else float("nan")
            entry["ratio_p50"] = (
                entry["relgraph"]["p50_ms"] / entry["oxigraph"]["p50_ms"] if entry["oxigraph"]["p50_ms"] else None
            )
            results[name] = entry
        pages: list[dict[str, Any]] = []
        for path in [] if args.fallback_oxigraph else (args.page or []):
            page, page_errors = measure_page(f"http://127.0.0.1:{p1}{path}", args)
            pages.append(page)
            errors += page_errors
        serve_rss = tree_peak_rss_mib(servers[0].proc.pid)
        if backing:
            load["relgraph"]["store_server_peak_rss_mib"] = tree_peak_rss_mib(backing[0].proc.pid)

    status = "ok" if errors == 0 and not mismatches and check["errors"] == 0 else "errors"
    result = {
        "started": started_at,
        "machine": machine(),
        "params": {
            "agreements": args.agreements,
            "seed": args.seed,
            "concurrency": args.concurrency,
            "duration": args.duration,
            "warmup": args.warmup,
            "rounds": args.rounds,
            "workers": args.workers,
            "fallback_oxigraph": args.fallback_oxigraph,
            "relgraph_load_validates": args.validate,
            "backend": args.backend,
            "bulk": args.bulk,
            "relgraph_load_command": load_cmd,
            "relgraph_command": cmd_a,
            "oxigraph_command": cmd_b,
        },
        "data": {"file": str(data.relative_to(BENCH.parent)), "triples": triples},
        "load": load,
        "client_check": check,
        "startup_seconds": startup,
        "queries": results,
        "page": pages[0] if pages else None,
        "pages": pages,
        "relgraph_serve_peak_rss_mib": serve_rss,
        "geomean_ratio_rps": geomean([e["ratio_rps"] for e in results.values()]),
        "geomean_ratio_p50": geomean([e["ratio_p50"] for e in results.values() if e["ratio_p50"]]),
        "errors": errors,
        "mismatches": mismatches,
        "status": status,
    }
    base = OUT / f"result-{args.agreements}-{stamp}"
    base.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    table = markdown(result)
    base.with_suffix(".md").write_text(table)
    shutil.copyfile(base.with_suffix(".json"), OUT / f"latest-{args.agreements}.json")
    shutil.copyfile(base.with_suffix(".md"), OUT / f"latest-{args.agreements}.md")
    print(table)
    log(f"wrote {base.with_suffix('.json').relative_to(BENCH.parent)} and .md")
    if not args.keep:
        shutil.rmtree(rg_store, ignore_errors=True)
        shutil.rmtree(rg_store.with_name(rg_store.name + ".snapshots"), ignore_errors=True)  # the engine's
        shutil.rmtree(ox_store, ignore_errors=True)
    if status != "ok":
        log("RUN HAD ERRORS: the figures above are not valid")
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="relgraph serve vs oxigraph serve-read-only, same data, same load.")
    parser.add_argument("--agreements", type=int, default=10_000, metavar="N", help="synthetic agreements (10000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("-c", "--concurrency", type=int, default=4, help="client connections (4)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per query per server (10)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per query, sharing --duration (3)")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds before each measurement (1)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="relgraph serve --workers (CPUs)")
    parser.add_argument("--queries", nargs="+", choices=generate.QUERY_NAMES, help="only these queries")
    parser.add_argument(
        "--validate",
        action="store_true",
        help="let `relgraph load` run its SHACL gate (slow: pyshacl); default --no-validate, as for bulk imports",
    )
    parser.add_argument(
        "--quick", action="store_true", help="200 agreements, 1 s per query, with --validate: a CI smoke run"
    )
    parser.add_argument(
        "--backend",
        choices=["embedded", "remote", "virtuoso"],
        default="embedded",
        help="relgraph's store: a directory (embedded), or an `oxigraph serve` on loopback that "
        "`relgraph load`/`relgraph serve` talk to over HTTP (remote), or a Virtuoso (virtuoso-t) on loopback "
        "reached with --engine virtuoso (virtuoso)",
    )
    parser.add_argument("--bulk", action="store_true", help="embedded: load with `relgraph load --bulk`")
    parser.add_argument(
        "--no-reason",
        action="store_true",
        help="load relgraph's store without inference (as before issue 11); by default the load computes "
        "the inferred graph and Oxigraph's store gets a copy of it",
    )
    parser.add_argument(
        "--page",
        metavar="PATH",
        action="append",
        default=None,
        help="also time GET PATH (an HTML page) on relgraph serve, e.g. /id/city/fusnunau-0.html; repeatable",
    )
    parser.add_argument("--page-timeout", type=float, default=300.0, help="give up on --page after (300) s")
    parser.add_argument(
        "--query-timeout",
        type=float,
        default=None,
        help="relgraph serve --query-timeout (default: relgraph's own, 30 s; oxigraph serve-read-only has none)",
    )
    parser.add_argument(
        "--page-load-limit", type=float, default=5.0, help="time --page under load only if one GET is faster (5 s)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the two stores under bench/out/run-N/")
    parser.add_argument(
        "--fallback-oxigraph",
        action="store_true",
        help="serve the relgraph-loaded store with oxigraph instead of `relgraph serve` (harness check only)",
    )
    parser.add_argument("--client-check-duration", type=float, default=2.0, help=argparse.SUPPRESS)
    return parser


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.quick:
        args.agreements, args.duration, args.warmup, args.client_check_duration = 200, 1.0, 0.2, 0.5
        args.validate = True  # the generated data must pass relgraph's shapes
        args.page = args.page or list(DEFAULT_PAGES)
    # SIGTERM (e.g. from CI) unwinds like Ctrl-C, so the servers are stopped.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return run(args)
    except KeyboardInterrupt:
        log("interrupted; servers stopped")
        return 130


if __name__ == "__main__":
    sys.exit(main())
