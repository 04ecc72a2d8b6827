"""Partner finder: does its ranking predict real partnerships it was not shown?

    python bench/partners.py            # both sources, seeds 1-5 (seed 0 set the weights), ~minutes
    python bench/partners.py --quick    # Wikidata 2016, seed 1, 600 places: a smoke run for .ci/run

For one source graph of the world data (Wikipedia 2026, Wikidata 2016): hide
a seeded random 10% of its pairs, each hidden pair's places keeping at least
one other relation of the source; rebuild the network from the remaining
pairs of that source only (another source may list the same partnership, so
it would give the answer away); then, for every place that lost a partner,
rank all places it has no relation with and look for the hidden partners in
the top 10. Recall@10 (share of a place's hidden partners in its top 10) and
MRR@10 (1/rank of the first one), averaged over the places, for relgraph's
ranking (``relgraph.partners.rank``: full, and network evidence alone)
beside common neighbours, Adamic–Adar, preferential attachment and random,
all on the same split. Profiles (country, coordinates, population,
memberships, joint statements) come from the whole world data: none of them
is a relation.

Unlike the other benches this one imports relgraph: it measures a ranking
function, not a server.
"""

from __future__ import annotations

import argparse
import gzip
import math
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from relgraph.partners import PartnerIndex, build_index, index_from_pairs, suggest
from relgraph.partners.cli import labeler
from relgraph.partners.score import WEIGHTS, evidence_terms
from relgraph.summary import store_runner

ROOT = Path(__file__).resolve().parents[1]
WORLD = ROOT / "data" / "world"
BASE = "https://w3id.org/relgraph/graph/"
SOURCES = {"wikipedia-2026": BASE + "wikipedia-twin-towns-2026", "wikidata-2016": BASE + "wikidata-p190-2016"}
K = 10
HAMBURG = "https://w3id.org/relgraph/id/city/hamburg"
#: The ablation: relgraph's score with its terms added one by one (the last row is the full score).
VARIANTS = {
    "relgraph: shared partners only": ("shared",),
    "relgraph: + partners of partners (network evidence alone)": ("shared", "second"),
    "relgraph: + nearby places": ("shared", "second", "nearby"),
    "relgraph: + country pairs": ("shared", "second", "nearby", "countries"),
    "relgraph (full: + profile similarity)": ("shared", "second", "nearby", "countries", "profile"),
}


def relgraph_lists(terms: dict[str, dict[str, float]]) -> dict[str, list[str]]:
    """The top 10 of every variant, from one computation of the evidence terms."""
    out = {}
    for name, kinds in VARIANTS.items():
        scored = []
        for v, t in terms.items():
            score = sum(WEIGHTS[k] * t.get(k, 0.0) for k in kinds)
            if score > 0:
                scored.append((-score, v))
        scored.sort()
        out[name] = [v for _, v in scored[:K]]
    return out


def load_world() -> tuple[PartnerIndex, ox.Store]:
    store = ox.Store()
    for path in sorted(WORLD.glob("*.nq.gz")):
        with gzip.open(path, "rb") as handle:
            store.bulk_load(handle, format=ox.RdfFormat.N_QUADS)
    for path in sorted((ROOT / "data").glob("*/*.trig")):  # the curated and seed data: Hamburg's own documents
        store.load(path=str(path), format=ox.RdfFormat.TRIG)
    store.load(
        path=str(ROOT / "ontology" / "concepts.ttl"),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode(BASE + "concepts"),
    )
    return build_index(store_runner(store)), store


def speed(world: PartnerIndex, store: ox.Store, *, n: int) -> None:
    """Milliseconds of one place's answer (both lists, reasons, labels from the store) on the world data."""
    run = store_runner(store)
    rng = random.Random(7)
    adj = world.adjacency()
    places = [HAMBURG, *rng.sample(sorted(adj), n)]
    times = []
    for iri in places:
        t = time.perf_counter()
        suggest(world, iri, label=labeler(run, "en"))
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(
        f"one place's suggestions on the world data ({len(places)} places, Hamburg and a seeded sample): "
        f"median {statistics.median(times):.0f} ms, p95 {times[int(len(times) * 0.95) - 1]:.0f} ms, "
        f"max {times[-1]:.0f} ms"
    )


def source_pairs(index: PartnerIndex, graph: str) -> list[tuple[str, str]]:
    return sorted(
        {(p, q) for p, partners in index.relations.items() for q, by in partners.items() if graph in by and p < q}
    )


def split(pairs: list[tuple[str, str]], seed: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Hide 10% of ``pairs`` (seeded); a pair is hidden only while both places keep another relation."""
    rng = random.Random(seed)
    order = list(pairs)
    rng.shuffle(order)
    degree: dict[str, int] = defaultdict(int)
    for a, b in order:
        degree[a] += 1
        degree[b] += 1
    hidden: list[tuple[str, str]] = []
    for a, b in order:
        if len(hidden) >= len(pairs) // 10:
            break
        if degree[a] > 1 and degree[b] > 1:
            hidden.append((a, b))
            degree[a] -= 1
            degree[b] -= 1
    gone = set(hidden)
    return [p for p in pairs if p not in gone], hidden


def baselines(adj: dict[str, set[str]], u: str, by_degree: list[str], rng: random.Random) -> dict[str, list[str]]:
    blocked = adj[u] | {u}
    cn: dict[str, float] = defaultdict(float)
    aa: dict[str, float] = defaultdict(float)
    for w in adj[u]:
        for v in adj[w]:
            if v not in blocked:
                cn[v] += 1
                aa[v] += 1 / math.log(len(adj[w]))
    top = lambda s: [v for v, _ in sorted(s.items(), key=lambda t: (-t[1], t[0]))[:K]]  # noqa: E731
    pa = [v for v in by_degree if v not in blocked][:K]  # deg(u)·deg(v): for one u, the best-connected places
    nodes = by_degree
    rnd: list[str] = []
    while len(rnd) < K:
        v = nodes[rng.randrange(len(nodes))]
        if v not in blocked and v not in rnd:
            rnd.append(v)
    return {"common neighbours": top(cn), "Adamic–Adar": top(aa), "preferential attachment": pa, "random": rnd}


def evaluate(world: PartnerIndex, graph: str, seed: int, *, limit: int | None = None) -> dict[str, tuple[float, float]]:
    train, hidden = split(source_pairs(world, graph), seed)
    index = index_from_pairs(train, world.places)
    adj = index.adjacency()
    targets: dict[str, set[str]] = defaultdict(set)
    for a, b in hidden:
        targets[a].add(b)
        targets[b].add(a)
    queries = sorted(targets)
    rng = random.Random(seed + 1000)
    if limit is not None and len(queries) > limit:
        queries = sorted(rng.sample(queries, limit))
    by_degree = sorted(adj, key=lambda v: (-len(adj[v]), v))
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for u in queries:
        lists = baselines(adj, u, by_degree, rng)
        lists.update(relgraph_lists(evidence_terms(index, u)))
        for name, found in lists.items():
            hits = [i for i, v in enumerate(found) if v in targets[u]]
            sums[name][0] += len(hits) / len(targets[u])
            sums[name][1] += 1 / (hits[0] + 1) if hits else 0.0
    return {name: (r / len(queries), m / len(queries)) for name, (r, m) in sums.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one source, one seed, 600 places")
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3, 4, 5])
    parser.add_argument("--source", choices=sorted(SOURCES), action="append")
    parser.add_argument("--limit", type=int, default=None, help="at most this many query places per run (sampled)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    world, store = load_world()
    print(f"world data: {len(world.places):,} places, loaded and indexed in {time.perf_counter() - started:.1f} s")
    speed(world, store, n=20 if args.quick else 200)
    sources = args.source or (["wikidata-2016"] if args.quick else sorted(SOURCES, reverse=True))
    seeds = [1] if args.quick else args.seeds
    failed = False
    for name in sources:
        runs = []
        for seed in seeds:
            t = time.perf_counter()
            runs.append(evaluate(world, SOURCES[name], seed, limit=600 if args.quick else args.limit))
            print(f"  {name} seed {seed}: {time.perf_counter() - t:.1f} s", file=sys.stderr)
        print(f"\n{name}: {len(seeds)} seed(s) {seeds}, mean ± sd over seeds\n")
        print("| method | recall@10 | MRR@10 |\n|---|---|---|")
        for method in runs[0]:
            r = [x[method][0] for x in runs]
            m = [x[method][1] for x in runs]
            sd = lambda xs: statistics.stdev(xs) if len(xs) > 1 else 0.0  # noqa: E731
            print(f"| {method} | {statistics.mean(r):.4f} ± {sd(r):.4f} | {statistics.mean(m):.4f} ± {sd(m):.4f} |")
        full = list(VARIANTS)[-1]
        ours = statistics.mean(x[full][0] for x in runs)
        ours_mrr = statistics.mean(x[full][1] for x in runs)
        base = {b: statistics.mean(x[b][0] for x in runs) for b in ("common neighbours", "Adamic–Adar")}
        best = max(base, key=lambda b: base[b])
        best_mrr = statistics.mean(x[best][1] for x in runs)
        gain = ours / base[best] - 1 if base[best] else float("inf")
        print(
            f"\nrelgraph recall@10 vs best baseline ({best}): {gain:+.1%}; "
            f"MRR@10 {ours_mrr:.4f} vs {best_mrr:.4f} (goal: ≥ +20%, MRR no worse)"
        )
        failed |= ours < base[best]  # the smoke check: never worse than the best baseline
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    if failed:
        print("relgraph ranked below the best baseline on some source", file=sys.stderr)
    return 1 if failed and not args.quick else 0  # .ci/run does not judge figures


if __name__ == "__main__":
    sys.exit(main())
