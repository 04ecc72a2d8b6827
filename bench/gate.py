"""The SHACL gate on a large store: loading the bundled data and one-triple /update, timed.

    python bench/gate.py                      # 100k synthetic agreements (~2.9M triples)
    python bench/gate.py --agreements 10000
    python bench/gate.py --quick              # CI smoke run: 200 agreements, a few updates

Runs relgraph as a black box (the CLI and the HTTP server; nothing of the
project is imported) on stores of its own under ``bench/out/gate``:

1. the synthetic graph (``bench/generate.py``, cached) is bulk-loaded into a
   fresh store (``--bulk``, no gate, no inference);
2. ``relgraph load --no-reason`` of the bundled ontology and data into it with
   the gate on, timed, with the loading process's peak RSS (``wait4``); the
   same load with ``--no-validate`` into a second copy gives the cost without
   the gate, so the gate's share is the difference. Inference is left out
   (``--no-reason``): it is measured on its own;
3. ``relgraph serve`` on that store with ``RELGRAPH_UPDATE_TOKEN`` set, then
   ``--updates`` one-triple ``INSERT DATA`` updates, one at a time, timed
   (p50/p95/max); the same on a store of the bundled data alone.

Results go to ``bench/out/gate/results.json`` and are printed as Markdown.
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
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out" / "gate"
TOKEN = "bench-gate-token"  # noqa: S105 - a local benchmark server's token
SEED_GRAPH = "https://w3id.org/relgraph/graph/hamburg-de-2024-02-28-quebec"
HAMBURG = "https://w3id.org/relgraph/id/city/hamburg"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"


def log(message: str) -> None:
    print(f"[gate] {message}", file=sys.stderr, flush=True)


def relgraph() -> str:
    found = shutil.which("relgraph", path=str(Path(sys.executable).parent)) or shutil.which("relgraph")
    if not found:
        raise SystemExit("bench: the relgraph command is not installed (pip install -e .)")
    return found


def timed(cmd: list[str], log_path: Path, *, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command; its wall time and peak RSS (``wait4``: that process and its waited-for children)."""
    started = time.perf_counter()
    with open(log_path, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"bench: {' '.join(cmd[:3])} failed (exit {code}); see {log_path}")
    return {"seconds": round(seconds, 2), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1)}


def synthetic(agreements: int) -> Path:
    path = OUT / f"a{agreements}.nq"
    if not path.exists():
        log(f"generating {agreements:,} agreements → {path}")
        tmp = path.with_suffix(".tmp")
        cmd = [sys.executable, str(BENCH / "generate.py"), "--agreements", str(agreements), "--seed", "42"]
        subprocess.run([*cmd, "-o", str(tmp)], check=True)
        tmp.rename(path)
    return path


def base_store(agreements: int) -> Path:
    """A store holding only the synthetic graph (bulk-loaded once, then copied for each run)."""
    store = OUT / f"store-a{agreements}"
    if not (store / ".complete").exists():
        shutil.rmtree(store, ignore_errors=True)
        data = synthetic(agreements)
        log(f"bulk-loading {data.name} into {store}")
        result = timed(
            [relgraph(), "load", str(data), "--bulk", "--no-reason", "--store", str(store)], OUT / "bulk.log"
        )
        log(f"bulk load: {result['seconds']} s")
        (store / ".complete").write_text("")
    return store


def copy_store(source: Path, name: str) -> Path:
    target = OUT / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    (target / ".complete").unlink(missing_ok=True)
    return target


def triples(store: Path) -> int:
    out = subprocess.run(
        [
            relgraph(),
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            "--store",
            str(store),
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out.strip().splitlines()[-1])


# --- /update ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 120) -> int:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
            return int(resp.status)
    except urllib.error.HTTPError as err:
        err.read()
        return int(err.code)


def updates(store: Path, count: int, label: str, *, gate: bool = True) -> dict[str, Any]:
    """Serve the store and time ``count`` one-triple updates, one after the other.

    ``gate=False`` serves with ``RELGRAPH_VALIDATE_UPDATES=off``: what an update costs without the gate.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "RELGRAPH_UPDATE_TOKEN": TOKEN, "RELGRAPH_VALIDATE_UPDATES": "on" if gate else "off"}
    cmd = [relgraph(), "serve", "--store", str(store), "--port", str(port), "--query-timeout", "120", "--workers", "1"]
    with open(OUT / f"serve-{label}.log", "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 1800
        while time.monotonic() < deadline:
            try:
                if request(url + "/health", timeout=5) == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None:
                raise SystemExit(f"bench: relgraph serve exited; see {OUT / f'serve-{label}.log'}")
            time.sleep(0.5)
        headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
        ms: list[float] = []
        stamp = int(time.time())
        warmup = 4  # each HTTP process (one per core) has its own worker, each cold at its first update
        for i in range(count + warmup):
            body = (
                f'INSERT DATA {{ GRAPH <{SEED_GRAPH}> {{ <{HAMBURG}> <{ALT_LABEL}> "gate bench {stamp} {i}"@en }} }}'
            ).encode()
            started = time.perf_counter()
            status = request(url + "/update", data=body, headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
            if status != 204:
                raise SystemExit(f"bench: /update answered {status}; see {OUT / f'serve-{label}.log'}")
            if i >= warmup:
                ms.append(elapsed)
        ms.sort()
        p95 = ms[min(len(ms) - 1, round(0.95 * len(ms)) - 1)]
        return {
            "updates": len(ms),
            "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(p95, 1),
            "max_ms": round(ms[-1], 1),
        }
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=60)


def _ms(r: dict[str, Any]) -> str:
    return f"p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms"


# --- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=40, help="one-triple updates per store (default 40)")
    parser.add_argument("--quick", action="store_true", help="200 agreements, 5 updates: a CI smoke run")
    args = parser.parse_args()
    if args.quick:
        args.agreements, args.updates = 200, 5
        # the curated data only: the world graphs' 500k triples cost a minute of a smoke run
        os.environ["RELGRAPH_WORLD_DATA"] = "off"
    OUT.mkdir(parents=True, exist_ok=True)
    base = base_store(args.agreements)
    size = triples(base)
    result: dict[str, Any] = {"agreements": args.agreements, "store_triples": size}

    log("load of the bundled data with the gate (--no-reason)")
    gated = copy_store(base, "run-gated")
    result["load_gated"] = timed([relgraph(), "load", "--no-reason", "--store", str(gated)], OUT / "load-gated.log")
    log(f"gated load: {result['load_gated']}")
    plain = copy_store(base, "run-plain")
    result["load_no_validate"] = timed(
        [relgraph(), "load", "--no-reason", "--no-validate", "--store", str(plain)], OUT / "load-plain.log"
    )
    shutil.rmtree(plain, ignore_errors=True)
    log(f"load without the gate: {result['load_no_validate']}")
    result["gate_seconds"] = round(result["load_gated"]["seconds"] - result["load_no_validate"]["seconds"], 2)
    text = (OUT / "load-gated.log").read_text()
    result["gate_report"] = next((line for line in text.splitlines() if "SHACL gate" in line), None)

    log(f"{args.updates} one-triple updates on the {args.agreements:,}-agreement store")
    result["update_large"] = updates(gated, args.updates, "large")
    log(f"updates, large store: {result['update_large']}")
    result["update_large_no_gate"] = updates(gated, args.updates, "large-no-gate", gate=False)
    log(f"updates without the gate, large store: {result['update_large_no_gate']}")
    small = OUT / "run-bundled"
    shutil.rmtree(small, ignore_errors=True)
    timed([relgraph(), "load", "--no-reason", "--store", str(small)], OUT / "load-bundled.log")
    result["bundled_triples"] = triples(small)
    result["update_bundled"] = updates(small, args.updates, "bundled")
    log(f"updates, bundled store: {result['update_bundled']}")
    result["update_bundled_no_gate"] = updates(small, args.updates, "bundled-no-gate", gate=False)
    log(f"updates without the gate, bundled store: {result['update_bundled_no_gate']}")
    shutil.rmtree(gated, ignore_errors=True)

    (OUT / "results.json").write_text(json.dumps(result, indent=2))
    lg, ln = result["load_gated"], result["load_no_validate"]
    ul, ub = result["update_large"], result["update_bundled"]
    rows = [
        (
            "`relgraph load --no-reason` of the bundled data, gate on",
            f"{lg['seconds']} s, peak RSS {lg['peak_rss_mib']} MiB",
        ),
        ("the same load with `--no-validate`", f"{ln['seconds']} s, peak RSS {ln['peak_rss_mib']} MiB"),
        ("the gate's share (difference)", f"{result['gate_seconds']} s"),
        (f"one-triple `/update`, gate on, this store ({ul['updates']} updates)", _ms(ul)),
        ("the same, gate off (`RELGRAPH_VALIDATE_UPDATES=off`)", _ms(result["update_large_no_gate"])),
        (f"one-triple `/update`, gate on, bundled data only ({result['bundled_triples']:,} triples)", _ms(ub)),
        ("the same, gate off", _ms(result["update_bundled_no_gate"])),
    ]
    print(f"\n| measure ({args.agreements:,} agreements, {size:,} triples) | figure |\n|---|---|")
    for what, figure in rows:
        print(f"| {what} | {figure} |")
    if result["gate_report"]:
        print(result["gate_report"])


if __name__ == "__main__":
    main()
