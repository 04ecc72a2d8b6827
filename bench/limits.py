"""The speed and memory bounds that used to sit inside unit tests, measured and checked here.

    python bench/limits.py            # full: the sizes the tests used (300k-quad dump, the Wikidata import)
    python bench/limits.py --quick    # CI: smaller dump, no Wikidata import (~30 s)

The tests keep the behaviour (503 at the time limit, other queries still answered, the killed worker
replaced, a stalled dump stopped with no file left, a dump equal to the store); how fast and in how
much memory is measured here, where a loaded machine makes a figure slow and not a test red:

* ``timeout``: a runaway query on ``relgraph serve`` (time limit 2 s) while ``ASK {}`` is asked
  in a loop: seconds until its 503, and the slowest ``ASK`` meanwhile (bound: limit + 3 s, 1 s);
* ``engine``: the same in the engine (no HTTP), a query waiting for a busy pool, and a runaway
  update (bounds: limit + 3 s each);
* ``dump``: growth of peak RSS while writing a gzipped dump of a remote store (``oxigraph serve``
  on loopback) in each format (bound: 16 MiB against a 50 MB dataset: the dump streams);
* ``wikidata`` (full only): ``import_wikidata`` of the 2016 P190 extract (bound: 60 s).

Exit status 1 when a bound is exceeded. Writes ``bench/out/limits.{json,md}``. Reports the
CPU seconds of this process tree and the load average beside the figures (the machine is shared).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

OUT = Path(__file__).resolve().parent / "out"
ROOT = Path(__file__).resolve().parents[1]
#: A query that runs until it is killed (as in the tests): a cross product of every triple, five times.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
LIMIT = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, *, timeout: float = 60.0) -> tuple[int, bytes]:
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def _tool(name: str) -> str:
    here = Path(sys.executable).with_name(name)
    found = str(here) if here.is_file() else shutil.which(name)
    if not found:
        raise SystemExit(f"limits.py: {name} is not installed")
    return found


def endpoint_timeout(work: Path) -> dict[str, Any]:
    """``relgraph serve`` with a 2 s limit: a runaway query's 503 and ``ASK`` latencies meanwhile."""
    port = free_port()
    env = {**os.environ, "RELGRAPH_WORLD_DATA": "off", "RELGRAPH_QUERY_TIMEOUT": str(LIMIT)}
    cmd = [_tool("relgraph"), "serve", "--store", str(work / "serve-store"), "--port", str(port), "--no-cache"]
    log = (work / "serve.log").open("wb")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise SystemExit(f"relgraph serve stopped; see {work / 'serve.log'}")
            try:
                if _get(f"{base}/health", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        outcome: dict[str, Any] = {}

        def runaway() -> None:
            started = time.monotonic()
            outcome["status"] = _get(f"{base}/sparql?query={quote(RUNAWAY)}")[0]
            outcome["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=runaway)
        thread.start()
        time.sleep(0.3)
        asks: list[float] = []
        while thread.is_alive():
            started = time.monotonic()
            assert _get(f"{base}/sparql?query={quote('ASK {}')}")[0] == 200
            asks.append(time.monotonic() - started)
            time.sleep(0.05)
        thread.join()
        return {
            "limit_s": LIMIT,
            "status": outcome["status"],
            "runaway_s": round(outcome["seconds"], 2),
            "asks": len(asks),
            "ask_max_s": round(max(asks), 3),
            "ok": outcome["status"] == 503 and outcome["seconds"] < LIMIT + 3 and max(asks) < 1.0,
        }
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(30)
        log.close()


def engine_timeouts(work: Path) -> dict[str, Any]:
    """The engine's own limits, without HTTP: a runaway query, a busy pool, a runaway update."""
    import pyoxigraph as ox

    from relgraph.engine import Engine
    from relgraph.errors import QueryTimeout

    path = work / "engine-store"
    store = ox.Store(str(path))
    ex = "http://example.org/"
    store.extend(ox.Quad(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(f"{ex}p"), ox.Literal(i)) for i in range(3000))
    store.flush()
    del store
    out: dict[str, Any] = {"limit_s": LIMIT}
    with Engine(path, workers=2, timeout=LIMIT, validate_updates=False) as eng:
        started = time.monotonic()
        try:
            eng.query(RUNAWAY)
        except QueryTimeout:
            out["runaway_query_s"] = round(time.monotonic() - started, 2)
        held = threading.Thread(target=lambda: _swallow(eng, RUNAWAY, 30.0))
        held2 = threading.Thread(target=lambda: _swallow(eng, RUNAWAY, 30.0))
        held.start()
        held2.start()
        time.sleep(0.5)
        started = time.monotonic()
        try:
            eng.query("ASK {}", timeout=0.3)
        except QueryTimeout:
            out["busy_pool_wait_s"] = round(time.monotonic() - started, 2)
        held.join(60)
        held2.join(60)
        started = time.monotonic()
        try:
            eng.update(f"INSERT {{ <{ex}x> <{ex}n> ?o }} WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?o }}", timeout=1.5)
        except QueryTimeout:
            out["runaway_update_s"] = round(time.monotonic() - started, 2)
    out["ok"] = (
        out.get("runaway_query_s", 99) < LIMIT + 3
        and out.get("busy_pool_wait_s", 99) < 0.3 + 3
        and out.get("runaway_update_s", 99) < 1.5 + 3
    )
    return out


def _swallow(eng: Any, query: str, timeout: float) -> None:
    from relgraph.errors import QueryTimeout

    with contextlib.suppress(QueryTimeout):
        eng.query(query, timeout=timeout if timeout < 3 else 3.0)


MEASURE = """
import resource, sys
from relgraph.dumps import write_remote_dump
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
write_remote_dump(sys.argv[1], sys.argv[2], sys.argv[3])
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def dump_memory(work: Path, quads: int) -> dict[str, Any]:
    """Peak RSS growth of writing a dump of a remote store, per format, against the data's size."""
    from relgraph.store import RemoteStore

    data = work / "big.nq"
    with data.open("w") as out:
        for i in range(quads):
            value = f'"value {i} {"x" * 80}"'
            out.write(f"<https://example.org/s{i}> <https://example.org/p> {value} <https://example.org/g{i % 5}> .\n")
    size_mb = data.stat().st_size / 2**20
    port = free_port()
    cmd = [_tool("oxigraph"), "serve", "--location", str(work / "ox"), "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _get(f"{url}/query?query={quote('ASK {}')}", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        RemoteStore(url).load([data])
        growth: dict[str, int] = {}
        for fmt in ("nq", "trig"):
            run = subprocess.run(
                [sys.executable, "-c", MEASURE, url, str(work / f"big.{fmt}.gz"), fmt],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if run.returncode != 0:
                raise SystemExit(f"limits.py: the dump failed: {run.stderr.strip().splitlines()[-1:]}")
            growth[fmt] = int(run.stdout.strip())
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(30)
    return {"quads": quads, "data_mb": round(size_mb, 1), "rss_growth_mb": growth, "ok": max(growth.values()) < 16}


def wikidata_import(work: Path) -> dict[str, Any]:
    """``import_wikidata`` of the 2016 P190 extract into a store holding the bundled data."""
    from relgraph.resources import bundled_files
    from relgraph.store import Store
    from relgraph.wikidata import import_wikidata

    external = Path("/work/shared/data/external")
    relations = external / "wikidata_p190_relations_2016.tsv"
    names = external / "wikidata_p190_names_2016.tsv"
    if not relations.is_file():
        return {"skipped": f"{relations} not found", "ok": True}
    store = Store(work / "wd-store")
    store.load(bundled_files())
    report = import_wikidata(store, relations=relations, labels=names)
    store.close()
    seconds = float(report.seconds["total"])
    return {"rows": report.rows, "seconds": round(seconds, 1), "ok": seconds < 60}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="CI: a 60k-quad dump, no Wikidata import")
    args = parser.parse_args(argv)
    os.environ.setdefault("RELGRAPH_WORLD_DATA", "off")
    started = time.time()
    result: dict[str, Any] = {"quick": args.quick, "load_average_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="relgraph-limits-") as tmp:
        work = Path(tmp)
        result["timeout"] = endpoint_timeout(work)
        print("timeout:", result["timeout"], flush=True)
        result["engine"] = engine_timeouts(work)
        print("engine:", result["engine"], flush=True)
        result["dump"] = dump_memory(work, 60_000 if args.quick else 300_000)
        print("dump:", result["dump"], flush=True)
        if not args.quick:
            result["wikidata"] = wikidata_import(work)
            print("wikidata:", result["wikidata"], flush=True)
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result["cpu_seconds"] = round(own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime, 1)
    result["wall_seconds"] = round(time.time() - started, 1)
    result["load_average_after"] = os.getloadavg()
    failed = [k for k, v in result.items() if isinstance(v, dict) and not v.get("ok")]
    result["status"] = "ok" if not failed else "over the bound: " + ", ".join(failed)
    OUT.mkdir(exist_ok=True)
    (OUT / "limits.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
