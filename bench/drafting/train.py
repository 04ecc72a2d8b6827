"""Fit the drafter's learned filters (``relgraph/drafting/learned.py``) on the annotated texts.

    python bench/drafting/train.py --cv     # leave one set out: each set scored by models fitted without it
    python bench/drafting/train.py --write  # fit on every annotated text, write learned.json

Reads every text of ``texts/`` and its sets (dev, heldout2 … heldoutN), drafts it with the rules
alone (``extract(..., learned=False)``) on the store ``run.py`` built (``bench/out/drafting/
store-world``; run ``run.py`` once first), and labels each proposed party and agreement against
the hand annotation with ``run.py``'s own matching: a party is right when it is one of the text's
annotated parties; an agreement when it is paired with an annotated one of its kind whose
parties it holds (so that dropping parties can make it match). Two logistic models (L2, Newton's
method from zero: the same data gives the same numbers) and their thresholds (the grid value that
scores best on the training texts) are fitted. ``--cv`` prints, for each set, the scores of the
rules alone and of rules plus models fitted on the other sets, in the same run.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402  (the scorer of bench/drafting/run.py, next to this file)

from relgraph.deployment import deployment  # noqa: E402
from relgraph.drafting import Gazetteer, read_text  # noqa: E402
from relgraph.drafting.extract import extract  # noqa: E402
from relgraph.drafting.learned import (  # noqa: E402
    _WEIGHTS,
    Logistic,
    Model,
    agreement_features,
    apply,
    party_features,
)

GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
FACTS = ("agreements", "kind+parties", "signatories", "fields")


def texts() -> list[tuple[str, Path, dict[str, Any]]]:
    """(set, text file, annotation) of every annotated text."""
    out = []
    for path in sorted((HERE / "texts").rglob("*.txt")):
        sub = path.parent.relative_to(HERE / "texts")
        gold = yaml.safe_load((HERE / "gold" / sub / f"{path.stem}.yaml").read_text(encoding="utf-8"))
        out.append((str(sub) if str(sub) != "." else "dev", path, gold))
    return out


def drafted(store_dir: Path) -> list[dict[str, Any]]:
    store = deployment(str(store_dir)).open_store(read_only=True)
    gaz = Gazetteer.from_store(store)
    out = []
    for group, path, gold in texts():
        doc = read_text(path.read_bytes(), lang=gold["language"], where=str(path))
        date = str(gold["document_date"]) if gold.get("date_given") and gold.get("document_date") else None
        draft = extract(doc, gazetteer=gaz, document_date=date, learned=False)
        out.append({"group": group, "name": path.stem, "gold": gold, "doc": doc, "draft": draft})
    store.close()
    return out


def labels(item: dict[str, Any]) -> tuple[list[tuple[dict[str, float], int]], list[tuple[dict[str, float], int]]]:
    """(features, right or not) of every proposed party and every proposed agreement of one text."""
    doc, draft, gold = item["doc"], item["draft"], item["gold"]
    golds = gold.get("agreements") or []
    every_party = [q for g in golds for q in g["parties"]]
    parties = []
    for a in draft.agreements:
        for p in a.parties:
            right = any(run.party_matches(q, {"label": p.label, "store_label": p.store_label}) for q in every_party)
            parties.append((party_features(doc, a, p), int(right)))

    def holds(g: dict[str, Any], a: Any) -> bool:
        if a.kind not in run.kinds(g):
            return False
        found = run.matching(g["parties"], a.parties, lambda q, p: run.party_matches(q, {"label": p.label, "store_label": p.store_label}))
        return len(found) == len(g["parties"])

    pairs = run.matching(golds, draft.agreements, holds)
    paired = {ai for _, ai in pairs}
    agreements = [(agreement_features(doc, draft, a), int(i in paired)) for i, a in enumerate(draft.agreements)]
    return parties, agreements


def fit(rows: list[tuple[dict[str, float], int]], *, l2: float = 1.0) -> tuple[dict[str, float], float]:
    """Weights and bias of an L2-regularised logistic regression (Newton's method, deterministic)."""
    names = sorted({k for f, _ in rows for k in f})
    if not rows or len({y for _, y in rows}) < 2:
        return dict.fromkeys(names, 0.0), 0.0
    x = np.array([[1.0] + [f.get(k, 0.0) for k in names] for f, _ in rows])
    y = np.array([y for _, y in rows], dtype=float)
    w = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * l2
    penalty[0, 0] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty @ w
        hess = (x.T * (p * (1 - p))) @ x + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return {k: float(v) for k, v in zip(names, w[1:], strict=True)}, float(w[0])


def score(items: list[dict[str, Any]], fitted: Model | None) -> dict[str, list[int]]:
    """run.py's counts over ``items``, the drafts filtered by ``fitted`` (None: the rules alone)."""
    total = {k: [0, 0, 0] for k in FACTS}
    for item in items:
        draft = copy.deepcopy(item["draft"])
        if fitted is not None:
            apply(draft, item["doc"], fitted)
        counts = run.score_text(item["gold"], draft.to_json())
        for k in FACTS:
            total[k] = [a + b for a, b in zip(total[k], counts[k], strict=True)]
    return total


def f1(c: list[int]) -> float:
    tp, pred, gold = c
    return 2 * tp / (pred + gold) if pred + gold else 0.0


def train(items: list[dict[str, Any]]) -> Model:
    """Both models fitted on ``items``; each threshold the grid value best on them (agreements' F1, then the sum)."""
    party_rows, agreement_rows = [], []
    for item in items:
        p, a = labels(item)
        party_rows += p
        agreement_rows += a
    pw, pb = fit(party_rows)
    aw, ab = fit(agreement_rows)

    def objective(m: Model) -> tuple[float, float]:
        c = score(items, m)
        return (f1(c["agreements"]), sum(f1(c[k]) for k in FACTS))

    off = 0.0  # a threshold of 0 keeps everything: the grid is compared with the rules' own proposals
    best = Model(Logistic(pw, pb, off), Logistic(aw, ab, off), len(items))
    best_value = objective(best)
    for t in GRID:
        m = Model(Logistic(pw, pb, t), best.agreement, len(items))
        if (v := objective(m)) > best_value:
            best, best_value = m, v
    for t in GRID:
        m = Model(best.party, Logistic(aw, ab, t), len(items))
        if (v := objective(m)) > best_value:
            best, best_value = m, v
    return best


def table(rows: list[tuple[str, int, dict[str, list[int]], dict[str, list[int]]]]) -> str:
    out = [
        "| set | texts | fact | rules P / R | rules + learned P / R | TP / proposed / annotated (rules → learned) |",
        "|---|---|---|---|---|---|",
    ]
    for name, n, before, after in rows:
        for k in FACTS:
            b, a = run.prf(before[k]), run.prf(after[k])
            out.append(
                f"| {name} | {n} | {k} | {run.fmt(b[0])} / {run.fmt(b[1])} | {run.fmt(a[0])} / {run.fmt(a[1])} | "
                f"{'/'.join(map(str, before[k]))} → {'/'.join(map(str, after[k]))} |"
            )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=run.OUT / "store-world", help="the store run.py built")
    ap.add_argument("--cv", action="store_true", help="leave one set out, rules alone beside rules + learned")
    ap.add_argument("--write", action="store_true", help=f"fit on every text and write {_WEIGHTS.name}")
    args = ap.parse_args(argv)
    if not (args.store / "CURRENT").exists() and not any(args.store.glob("*")):
        print(f"no store at {args.store}: run bench/drafting/run.py first", file=sys.stderr)
        return 2
    items = drafted(args.store)
    groups = sorted({i["group"] for i in items}, key=lambda g: (g != "dev", g))
    if args.cv:
        rows = []
        pooled_before = {k: [0, 0, 0] for k in FACTS}
        pooled_after = {k: [0, 0, 0] for k in FACTS}
        for g in groups:
            held = [i for i in items if i["group"] == g]
            fitted = train([i for i in items if i["group"] != g])
            before, after = score(held, None), score(held, fitted)
            rows.append((g, len(held), before, after))
            for k in FACTS:
                pooled_before[k] = [x + y for x, y in zip(pooled_before[k], before[k], strict=True)]
                pooled_after[k] = [x + y for x, y in zip(pooled_after[k], after[k], strict=True)]
            print(f"{g}: party threshold {fitted.party.threshold}, agreement {fitted.agreement.threshold}", flush=True)
        rows.append(("all (each set held out)", len(items), pooled_before, pooled_after))
        print(table(rows))
    if args.write:
        fitted = train(items)
        _WEIGHTS.write_text(json.dumps(fitted.to_json(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {_WEIGHTS} (trained on {len(items)} texts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
