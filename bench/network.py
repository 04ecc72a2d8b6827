"""Network analytics: every measure cold and cached, on the default data or a synthetic graph.

    python bench/network.py                  # the default data: curated + data/world (RELGRAPH_WORLD_DATA=on)
    python bench/network.py --quick          # CI smoke run: the curated data only, a few GETs
    python bench/network.py --store DIR      # an existing store (e.g. a synthetic 1M-agreement one, see --help)

Cold: ``relgraph network stats --format json`` in a fresh process (reads the relations through
SPARQL, builds the network, computes every measure); wall time, the command's own figure
(``seconds``, without Python's start) and the process's peak RSS. Cached: ``relgraph serve`` on
the same store, then GETs of ``/api/network/stats`` (its workers build the default network before
accepting connections, so these are the cached answers), one GET of another network of the same
data version (``?level=country``: built from the relations already read) and of ``/network``.
Writes ``bench/out/network[-quick].{json,md}``. A black box: it runs the ``relgraph`` command and
speaks HTTP; it imports nothing of relgraph.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
WIKIDATA_2016 = "https://w3id.org/relgraph/graph/wikidata-p190-2016"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, *, timeout: float = 300.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def cold(store: Path, env: dict[str, str], extra: list[str]) -> dict[str, Any]:
    """One ``relgraph network stats`` in a child of a fresh Python: wall time and peak RSS of that child."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "wall = time.perf_counter() - t\n"
        "sys.stderr.write(done.stderr.decode()[-2000:])\n"
        "print(done.returncode, wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.stdout.write(done.stdout.decode())\n"
    )
    command = ["relgraph", "network", "stats", "--store", str(store), "--format", "json", *extra]
    done = subprocess.run([sys.executable, "-c", probe, *command], env=env, capture_output=True, text=True)
    head, _, body = done.stdout.partition("\n")
    code, wall, rss = head.split()
    if code != "0":
        raise RuntimeError(f"relgraph network stats failed: {done.stderr[-1000:]}")
    stats = json.loads(body)
    return {
        "wall_s": round(float(wall), 2),
        "in_process_s": stats["seconds"],
        "peak_rss_mib": round(int(rss) / 1024),
        "stats": stats,
    }


def timed(url: str, rounds: int) -> dict[str, Any]:
    times = []
    status = 0
    for _ in range(rounds):
        started = time.perf_counter()
        status, _ = get(url)
        times.append(time.perf_counter() - started)
    return {
        "status": status,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


def served(store: Path, env: dict[str, str], rounds: int) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(store.parent / "serve-network.log", "ab")  # noqa: SIM115 - lives as long as the server
    cmd = ["relgraph", "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port), "--no-cache"]
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=log)
    try:
        started = time.perf_counter()
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"relgraph serve exited with {proc.returncode}")
            try:
                if get(base + "/health", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            if time.perf_counter() - started > 900:
                raise RuntimeError("relgraph serve did not answer within 900 s")
            time.sleep(0.25)
        ready = time.perf_counter() - started
        first = timed(base + "/api/network/stats", 1)
        return {
            "ready_s": round(ready, 1),
            "stats_first_ms": first["median_ms"],
            "stats_cached": timed(base + "/api/network/stats", rounds),
            "other_network_first": timed(base + "/api/network/stats?level=country", 1),
            "page_network": timed(base + "/network?lang=en", max(2, rounds // 4)),
        }
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="curated data only, few GETs (CI)")
    parser.add_argument("--store", metavar="DIR", help="measure this store (else a new one with the default data)")
    parser.add_argument("--rounds", type=int, default=20, help="GETs per cached measurement")
    parser.add_argument("--no-server", action="store_true", help="only the cold CLI run")
    args = parser.parse_args()
    env = {**os.environ, "RELGRAPH_WORLD_DATA": "off" if args.quick else os.environ.get("RELGRAPH_WORLD_DATA", "on")}
    env.pop("RELGRAPH_STORE", None)
    scratch = Path(tempfile.mkdtemp(prefix="relgraph-network-"))
    try:
        if args.store:
            store = Path(args.store)
        else:
            store = scratch / "store"
            t = time.perf_counter()
            subprocess.run(["relgraph", "load", "--store", str(store)], env=env, check=True, capture_output=True)
            print(f"loaded the default data in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        result: dict[str, Any] = {"store": str(store), "quick": args.quick, "when": time.strftime("%Y-%m-%d %H:%M")}
        result["cold"] = cold(store, env, [])
        if not args.quick and not args.store:
            result["cold_wikidata_2016"] = cold(store, env, ["--graph", WIKIDATA_2016])
        if not args.no_server:
            result["served"] = served(store, env, 3 if args.quick else args.rounds)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    OUT.mkdir(exist_ok=True)
    stem = "network-quick" if args.quick else "network" if not args.store else f"network-{Path(args.store).name}"
    (OUT / f"{stem}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    lines = [f"# bench/network.py ({result['when']})", ""]
    for key in ("cold", "cold_wikidata_2016"):
        if key in result:
            c, s = result[key], result[key]["stats"]
            lines.append(
                f"- {key}: {c['wall_s']} s wall ({c['in_process_s']} s in the command), peak {c['peak_rss_mib']} MiB; "
                f"{s['relations']:,} relations, {s['nodes']:,} nodes, {s['edges']:,} links, max degree "
                f"{s['max_degree']}, assortativity {s['degree_assortativity']}"
            )
    if "served" in result:
        sv = result["served"]
        lines.append(
            f"- served: ready after {sv['ready_s']} s; /api/network/stats first {sv['stats_first_ms']} ms, cached "
            f"median {sv['stats_cached']['median_ms']} ms; another network of the same data "
            f"{sv['other_network_first']['median_ms']} ms; /network median {sv['page_network']['median_ms']} ms"
        )
    (OUT / f"{stem}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    bad = [k for k, v in result.get("served", {}).items() if isinstance(v, dict) and v.get("status") != 200]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
