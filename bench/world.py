"""First start and pages with the world's relations as default data, as a user meets them.

    python bench/world.py            # full: the default data (curated + data/world), 20 GETs per page
    python bench/world.py --quick    # CI smoke run: the curated data only (RELGRAPH_WORLD_DATA=off), 3 GETs

Starts ``relgraph serve`` on an EMPTY store directory (so it loads the bundled data, computes the
inferred graph and publishes a snapshot, as on a fresh machine), records the seconds until
``/health`` answers and until the first SPARQL answer, then times one GET at a time of the home page,
Hamburg's page, the busiest city's page, an agreement page and a search, with the result cache
off (``--no-cache``: every GET builds its page) and, separately, on. Writes ``bench/out/world.{json,md}``.
A black box: it runs the ``relgraph`` command and speaks HTTP; it imports nothing of relgraph.
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
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import quote

OUT = Path(__file__).resolve().parent / "out"
COUNT = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/relgraph/ontology#Agreement> ; "
    "<https://w3id.org/relgraph/ontology#party> ?p }"
)
BUSIEST = (
    "SELECT ?p (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a <https://w3id.org/relgraph/ontology#party> ?p } "
    "GROUP BY ?p ORDER BY DESC(?n) LIMIT 1"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, *, timeout: float = 120.0, accept: str = "text/html") -> tuple[int, bytes, Message]:
    """Status, body and headers; the headers' names are case-insensitive (the server sends them in lower case:
    a plain dict of them never had ``X-Relgraph-Search``, and the wait for the label index ran out its 120 s)."""
    req = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read(), resp.headers
    except urllib.error.HTTPError as err:
        return err.code, err.read(), err.headers


def sparql(base: str, query: str) -> list[dict[str, Any]]:
    status, body, _ = get(f"{base}/sparql?query={quote(query, safe='')}", accept="application/sparql-results+json")
    if status != 200:
        raise RuntimeError(f"SPARQL answered {status}: {body[:300]!r}")
    return json.loads(body)["results"]["bindings"]


def wait_for(url: str, *, limit: float, proc: subprocess.Popen[bytes]) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if proc.poll() is not None:
            raise RuntimeError(f"relgraph serve exited with {proc.returncode}")
        try:
            if get(url, timeout=5)[0] == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer within {limit:.0f} s")


def wait_for_index(url: str, *, limit: float = 120.0) -> float:
    """Seconds until search answers from the label index a new snapshot builds in the background."""
    started = time.perf_counter()
    while get(url)[2].get("X-Relgraph-Search") != "index" and time.perf_counter() - started < limit:
        time.sleep(0.5)  # until then search scans the labels in SPARQL
    return time.perf_counter() - started


def time_page(url: str, rounds: int) -> dict[str, Any]:
    times, status, cache = [], 0, ""
    for _ in range(rounds):
        started = time.perf_counter()
        status, _, headers = get(url)
        times.append(time.perf_counter() - started)
        cache = headers.get("X-Relgraph-Cache", "")
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {
        "status": status,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(times[-1] * 1000, 1),
        "cache": cache,
    }


def serve(store: Path, port: int, env: dict[str, str], *, no_cache: bool) -> subprocess.Popen[bytes]:
    cmd = ["relgraph", "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port)]
    if no_cache:
        cmd.append("--no-cache")
    log = open(store.parent / f"serve-{port}.log", "ab")  # noqa: SIM115 - the server's log lives as long as it
    return subprocess.Popen(cmd, env=env, stdout=log, stderr=log)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def run(*, quick: bool, rounds: int, workdir: Path) -> dict[str, Any]:
    env = dict(os.environ, RELGRAPH_WORLD_DATA="off" if quick else "on")
    store = workdir / "store"
    result: dict[str, Any] = {"world_data": not quick, "rounds": rounds}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = serve(store, port, env, no_cache=True)
    try:
        result["first_start"] = {
            "health_s": round(wait_for(f"{base}/health", limit=600, proc=proc), 1),
        }
        started = time.perf_counter()
        n = int(sparql(base, COUNT)[0]["n"]["value"])
        result["first_start"]["first_answer_s"] = round(
            result["first_start"]["health_s"] + time.perf_counter() - started, 1
        )
        result["agreement_party_rows"] = n
        busiest = sparql(base, BUSIEST)[0]["p"]["value"]
        path = busiest.split("/id/", 1)[1]
        pages = {
            "home": "/?lang=en",
            "hamburg": "/id/city/hamburg.html?lang=en",
            "busiest": f"/id/{path}.html?lang=en",
            "agreement": "/id/agreement/hamburg-quebec-strategic-partnership-2024.html?lang=en",
            "search": "/search?q=Hamburg&lang=en",
        }
        result["busiest"] = path
        wait_for(base + pages["search"], limit=300, proc=proc)
        result["search_index_wait_s"] = round(wait_for_index(base + pages["search"]), 1)
        result["no_cache"] = {name: time_page(base + p, rounds) for name, p in pages.items()}
    finally:
        stop(proc)
    proc = serve(store, port, env, no_cache=False)
    try:
        wait_for(f"{base}/health", limit=600, proc=proc)
        wait_for(base + pages["search"], limit=300, proc=proc)
        wait_for_index(base + pages["search"])
        result["cache"] = {name: time_page(base + p, rounds) for name, p in pages.items()}
    finally:
        stop(proc)
    return result


def table(result: dict[str, Any]) -> str:
    lines = [
        f"First start on an empty store ({'curated + world data' if result['world_data'] else 'curated data only'}): "
        f"/health after {result['first_start']['health_s']} s, first SPARQL answer after "
        f"{result['first_start']['first_answer_s']} s; busiest place `{result['busiest']}`.",
        "",
        f"| page | cache off: median | p95 | cache on: median | p95 | ({result['rounds']} GETs each) |",
        "|---|---|---|---|---|---|",
    ]
    for name, off in result["no_cache"].items():
        on = result["cache"][name]
        lines.append(
            f"| {name} | {off['median_ms']} ms | {off['p95_ms']} ms | {on['median_ms']} ms | {on['p95_ms']} ms | |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="curated data only, 3 GETs per page (CI)")
    parser.add_argument("--rounds", type=int, help="GETs per page (default 20, 3 with --quick)")
    args = parser.parse_args(argv)
    if shutil.which("relgraph") is None:
        print("bench/world.py: `relgraph` is not on PATH (activate the venv)", file=sys.stderr)
        return 2
    rounds = args.rounds or (3 if args.quick else 20)
    with tempfile.TemporaryDirectory(prefix="relgraph-bench-world-") as tmp:
        result = run(quick=args.quick, rounds=rounds, workdir=Path(tmp))
    OUT.mkdir(exist_ok=True)
    name = "world-quick" if args.quick else "world"
    (OUT / f"{name}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    (OUT / f"{name}.md").write_text(table(result) + "\n", encoding="utf-8")
    print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
