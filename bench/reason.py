"""Benchmark of inference: `relgraph reason` and the incremental update after load/import.

    python bench/reason.py                      # 100k agreements, the Wikidata extract, one small source
    python bench/reason.py --agreements 10000 --owlrl
    python bench/reason.py --quick              # CI: 200 agreements, a sample import, < 1 min

A black box like the other bench scripts: it runs the `relgraph` command in
subprocesses (the venv's, next to this Python) and reads their output; it
imports nothing of relgraph. Peak memory is the largest child's max RSS.
Results go to bench/out/reason-N-TIMESTAMP.json and are printed as Markdown.

Cases:

* ``full``: a store with the bundled ontology and the synthetic graph
  (``bench/generate.py``, bulk-loaded with ``--no-reason``); ``relgraph reason``
  from scratch (no inferred graph yet) and once more (an inferred graph exists:
  it is recomputed beside it and replaced by the difference).
* ``small-source``: then ``relgraph load`` (SHACL gate and inference on) of the bundled data/
  (seed and curated TriG files, ~3k triples) into that store: the incremental
  update, which should cost in proportion to the source, not to the store.
* ``wikidata``: a fresh store with the bundled data, then ``relgraph
  import-wikidata`` of the whole 2016 extract (data/external) including inference.
* ``owlrl`` (``--owlrl``): the `owlrl` package (OWL 2 RL in Python on rdflib)
  on the same synthetic graph + ontology, for a peer figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"


def relgraph_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("relgraph")
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "relgraph.cli"]


def timed(args: list[str], *, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command; wall and CPU seconds, its own peak RSS (MiB), its output; fail loudly.

    The child is reaped with ``os.wait4``, which gives that child's own resource
    use: CPU seconds (user + system) stay comparable when other work shares the
    machine, where wall seconds do not; the load average is recorded beside them.
    """
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, text=True, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(args)}\n{stdout[-2000:]}\n{stderr[-4000:]}")
    rules = re.search(
        r"inferred (?:([\d,]+) )?triples .*\((full|incremental), ([^)]*)\) by rules in ([\d.]+) s", stdout
    )
    return {
        "command": " ".join(Path(a).name if a.startswith("/") else a for a in args),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mib": round(usage.ru_maxrss / 1024, 1),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "inferred_triples": int(rules.group(1).replace(",", "")) if rules and rules.group(1) else None,
        "mode": rules.group(2) if rules else None,
        "change": rules.group(3) if rules else None,
        "reason_seconds": float(rules.group(4)) if rules else None,
        "stdout_tail": stdout[-600:],
    }


def generate(n: int, path: Path) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--agreements", str(n), "-o", str(path)], check=True)


def owlrl_time(data: Path) -> dict[str, Any]:
    """owlrl's OWL 2 RL closure on ontology + the synthetic graph (rdflib in memory), in a child process."""
    script = f"""
import time, rdflib, owlrl, resource, glob
g = rdflib.Graph()
for f in sorted(glob.glob({str(ROOT / "ontology")!r} + "/**/*.ttl", recursive=True)):
    if not f.endswith("shapes.ttl"):
        g.parse(f)
ds = rdflib.Dataset(); ds.parse({str(data)!r}, format="nquads")
for s, p, o, _ in ds.quads((None, None, None, None)):
    g.add((s, p, o))
n = len(g); t = time.perf_counter()
owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
print(n, len(g) - n, round(time.perf_counter() - t, 2), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        return {"error": run.stderr[-500:]}
    n, added, seconds, mib = run.stdout.split()
    return {"input_triples": int(n), "added_triples": int(added), "seconds": float(seconds), "peak_mib": int(mib)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--agreements", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true", help="CI smoke run: 200 agreements, the small Wikidata sample")
    ap.add_argument("--owlrl", action="store_true", help="also time owlrl on the same input (slow beyond 10k)")
    ap.add_argument("--keep", action="store_true", help="keep the stores under bench/out/reason-N/")
    args = ap.parse_args()
    n = 200 if args.quick else args.agreements
    work = OUT / f"reason-{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data = OUT / "data" / f"a{n}.nq"
    generate(n, data)
    rg = relgraph_cmd()
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "RELGRAPH_WORLD_DATA": "off"}
    results: dict[str, Any] = {
        "agreements": n,
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} CPUs, Python {platform.python_version()}",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    try:
        store = str(work / "store")
        ontology = sorted(p for p in (ROOT / "ontology").rglob("*.ttl") if p.name != "shapes.ttl")
        timed([*rg, "load", "--store", store, "--no-reason", *map(str, ontology)], env=env)
        timed([*rg, "load", "--store", store, "--bulk", "--no-reason", str(data)], env=env)
        results["full"] = timed([*rg, "reason", "--store", store], env=env)
        results["full_again"] = timed([*rg, "reason", "--store", store], env=env)
        # the bundled data/ (seed and curated sources): not yet in this store
        small = sorted((ROOT / "data").glob("[sc]*/*.trig"))
        results["small_source"] = timed([*rg, "load", "--store", store, *map(str, small)], env=env)
        results["small_source"]["file"] = f"{len(small)} TriG files of data/seed and data/curated"

        wd_store = str(work / "store-wikidata")
        timed([*rg, "load", "--store", wd_store], env=env)
        if args.quick:
            sample = ROOT / "tests" / "data" / "wikidata"
            edges, names = sample / "relations.tsv", sample / "names.tsv"
        else:
            edges = ROOT / "data" / "external" / "wikidata_p190_relations_2016.tsv"
            names = ROOT / "data" / "external" / "wikidata_p190_names_2016.tsv"
        results["wikidata"] = timed(
            [*rg, "import-wikidata", "--store", wd_store, "--relations", str(edges), "--labels", str(names)], env=env
        )
        results["wikidata"]["file"] = edges.name
        if args.owlrl:
            results["owlrl"] = owlrl_time(data)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"reason-{n}-{stamp}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"## inference, {n:,} agreements ({results['machine']}, {results['when']})\n")
    print("| case | wall s | CPU s | rules s | mode | inferred triples | change | peak MiB | load avg |")
    print("|---|---:|---:|---:|---|---:|---|---:|---|")
    for case in ("full", "full_again", "small_source", "wikidata"):
        r = results[case]
        size = f"{r['inferred_triples']:,}" if r["inferred_triples"] is not None else "(not counted)"
        print(
            f"| {case} | {r['seconds']} | {r['cpu_seconds']} | {r['reason_seconds']} | {r['mode']} | {size} | "
            f"{r['change']} | {r['peak_mib']} | {r['load_average'][0]}–{r['load_average'][1]} |"
        )
    if "owlrl" in results:
        print(f"\nowlrl: {results['owlrl']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
