"""Drafting from real announcements, scored against hand annotations.

    python bench/drafting/run.py            # all texts, store with the world data (place names)
    python bench/drafting/run.py --no-world # the curated data only
    python bench/drafting/run.py --quick    # CI smoke run: three texts, curated data
    python bench/drafting/run.py --heldout13 # also a sealed set: one flag per heldoutN.sha256 (--heldout2 …)
    python bench/drafting/run.py --set train-de-muni  # also any other set under texts/ (repeatable)

Runs relgraph as a black box (``relgraph load``, then ``relgraph draft FILE --format
json`` per text; nothing of the project is imported) on a store of its own under
``bench/out/drafting``. ``texts/`` holds the announcements as retrieved (the address
and date of each are in its annotation), ``gold/`` one hand annotation per text: the
agreements it states (kind, parties, signing date), their signatories (name, party)
and fields (concepts of the field scheme, and new ones as written). The 20 texts in
``texts/`` are all development texts now (their ``split`` says in which round they were
first read: ``dev``, ``dev2``, ``heldout``). ``texts/heldoutN/`` are sealed sets, annotated before the
drafter ever ran on them (``heldoutN.sha256`` beside this file) and scored only with ``--heldoutN``; which
of them have had their one run, and with what figures, is in ``bench/drafting/README.md``.

Scores (precision P, recall R), per split. Matching is one-to-one per text and kind of fact: each
annotated fact counts at most once and each proposed one at most once, by a maximum assignment
(``assignment``), not the first match in reading order. Agreements: as many pairs agreeing in kind
and parties as there are, among those the most agreeing in the date too; a proposal's parties
must match the annotated ones one to one.

- agreements: kind (one of the annotated kinds), the same set of parties (any of a
  party's annotated names) and the same date at the same precision. A proposed date
  that is only the document's date (the text gives none) counts as no date;
- kind+parties: the same without the date;
- signatories: name and the party signed for, on agreements matched by kind+parties
  (those of unmatched agreements count as errors);
- fields: concepts and new fields (folded label, equal or one inside the other) on matched
  agreements, likewise; two proposals that both contain one annotated field count once.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "out" / "drafting"
QUICK = [
    "de-seed-hamburg-quebec-2024-02-28",
    "en-hamburg-business-quebec-2024-02-28",
    "fr-lelezard-biron-trois-ententes-2024-02-28",
]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


#: the sealed sets, in their order (heldout2 … heldoutN), each scored only behind its own flag
SEALED = sorted((p.stem for p in HERE.glob("heldout*.sha256")), key=lambda n: int(n.removeprefix("heldout")))


def relgraph() -> list[str]:
    exe = shutil.which("relgraph")
    return [exe] if exe else [sys.executable, "-m", "relgraph.cli"]


def names(alternatives: str) -> set[str]:
    return {fold(a) for a in str(alternatives).split("|") if a.strip()}


def party_matches(gold: str, predicted: dict[str, Any]) -> bool:
    alts = names(gold)
    for label in (predicted.get("label"), predicted.get("store_label")):
        if not label:
            continue
        f = fold(label)
        if f in alts or any(
            len(a) > 3 and (a in f.split() or f.endswith(" " + a) or f.startswith(a + " "))
            for a in alts
            if len(a.split()) == 1 and len(f.split()) <= 2
        ):
            return True
        if any(len(a) > 6 and (a in f or f in a) for a in alts):
            return True
    return False


def assignment(weights: list[list[int]]) -> list[tuple[int, int]]:
    """The (row, column) pairs of a maximum-weight assignment, pairs of weight 0 left out.

    Every annotated fact is matched at most once and every proposed one at most once, and the
    matching is the largest there is, not the first found in reading order (a greedy pass can pair
    a proposal with the one annotation another proposal needed). Hungarian method with potentials
    on the matrix padded to a square; a text has few facts of one kind, so O(n^3) costs nothing.
    """
    rows = len(weights)
    cols = max((len(r) for r in weights), default=0)
    n = max(rows, cols)
    if not n:
        return []
    top = max((w for r in weights for w in r), default=0)
    cost = [[top - (weights[i][j] if i < rows and j < len(weights[i]) else 0) for j in range(n)] for i in range(n)]
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    owner = [0] * (n + 1)  # owner[column] = row (1-based; 0: free)
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    return sorted(
        (owner[j] - 1, j - 1)
        for j in range(1, n + 1)
        if owner[j] - 1 < rows and j - 1 < len(weights[owner[j] - 1]) and weights[owner[j] - 1][j - 1] > 0
    )


def matching(rows: list[Any], cols: list[Any], ok: Any) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of rows and columns under the relation ``ok(row, col)``."""
    return assignment([[1 if ok(r, c) else 0 for c in cols] for r in rows])


def same_parties(gold: list[str], predicted: list[dict[str, Any]]) -> bool:
    """Each annotated party matched to its own proposed party (a perfect one-to-one matching)."""
    if len(gold) != len(predicted):
        return False
    return len(matching(gold, predicted, party_matches)) == len(gold)


def kinds(gold: dict[str, Any]) -> set[str]:
    k = gold["kind"]
    return set(k) if isinstance(k, list) else {k}


def predicted_date(a: dict[str, Any]) -> str | None:
    return None if a.get("date_basis") in ("document", "none") else a.get("date")


def gold_date(g: dict[str, Any]) -> str | None:
    return str(g["date"]) if g.get("date") is not None else None


def signatory_matches(t: dict[str, Any], s: dict[str, Any], gold_parties: list[str]) -> bool:
    """A proposed signer ``s`` is the annotated ``t``: all of t's name words, signing for t's party."""
    name_ok = fold(s["name"]) == fold(t["name"]) or set(fold(t["name"]).split()) <= set(fold(s["name"]).split())
    party = next((q for q in gold_parties if names(t["on_behalf_of"]) & names(q)), t["on_behalf_of"])
    return name_ok and bool(s.get("on_behalf_of")) and party_matches(party, {"label": s["on_behalf_of"]})


def field_matches(f: dict[str, Any], wanted: tuple[str, str]) -> bool:
    """A proposed field is an annotated concept, or a new field equal to, in or containing an annotated one."""
    kind, value = wanted
    if f.get("concept"):
        return kind == "concept" and f["concept"] == value
    key = fold(f["label"])
    return kind == "new" and (key == value or (len(value) > 4 and (value in key or key in value)))


def paired(golds: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """(annotated, proposed) agreements agreeing in kind and parties, as many as there are; among those the most
    that agree in the date too (two agreements of the same parties in one text, 2017 and 2023, are not paired
    crosswise)."""
    bonus = min(len(golds), len(preds)) + 1
    weights = [
        [
            (bonus + (gold_date(g) == predicted_date(p)))
            if p["kind"] in kinds(g) and same_parties(g["parties"], p["parties"])
            else 0
            for p in preds
        ]
        for g in golds
    ]
    return assignment(weights)


def score_text(gold: dict[str, Any], out: dict[str, Any]) -> dict[str, list[int]]:
    """Counts [true positives, predicted, annotated] per kind of fact."""
    counts = {
        k: [0, 0, 0] for k in ("agreements", "kind+parties", "signatories", "fields", "party list", "signer list")
    }
    golds = gold.get("agreements") or []
    preds = out.get("agreements") or []
    counts["agreements"][1] = counts["kind+parties"][1] = len(preds)
    counts["agreements"][2] = counts["kind+parties"][2] = len(golds)
    pairs = paired(golds, preds)
    counts["kind+parties"][0] = len(pairs)
    counts["agreements"][0] = sum(1 for gi, pi in pairs if gold_date(golds[gi]) == predicted_date(preds[pi]))
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    for gi, g in enumerate(golds):
        if gi not in matched_g:
            counts["signatories"][2] += len(g.get("signatories") or [])
            counts["fields"][2] += len(g.get("fields") or []) + len(g.get("new_fields") or [])
    for pi, p in enumerate(preds):
        if pi not in matched_p:
            counts["signatories"][1] += len(p.get("signatories") or [])
            counts["fields"][1] += len(p.get("fields") or [])
    for gi, pi in pairs:
        g, p = golds[gi], preds[pi]
        gs = g.get("signatories") or []
        ps = p.get("signatories") or []
        counts["signatories"][1] += len(ps)
        counts["signatories"][2] += len(gs)
        counts["signatories"][0] += len(matching(ps, gs, lambda s, t, g=g: signatory_matches(t, s, g["parties"])))
        gold_fields = {str(f) for f in g.get("fields") or []}
        gold_new = {fold(f) for f in g.get("new_fields") or []}
        counts["fields"][1] += len(p.get("fields") or [])
        counts["fields"][2] += len(gold_fields) + len(gold_new)
        wanted = [("concept", c) for c in sorted(gold_fields)] + [("new", n) for n in sorted(gold_new)]
        counts["fields"][0] += len(matching(p.get("fields") or [], wanted, field_matches))
    # the reviewer's lists (every party and person the text names): how many annotated parties and signers a
    # reviewer can pick rather than type, whatever the proposals are; P is the share of the list annotated
    listed = out.get("candidates") or {}
    gold_parties = list(dict.fromkeys(q for g in golds for q in g["parties"]))
    gold_people = list(dict.fromkeys(s["name"] for g in golds for s in g.get("signatories") or []))
    names_listed = listed.get("parties") or []
    people_listed = listed.get("people") or []
    counts["party list"] = [
        len(matching(gold_parties, names_listed, party_matches)),
        len(names_listed),
        len(gold_parties),
    ]
    counts["signer list"] = [
        len(matching(gold_people, people_listed, lambda n, c: set(fold(n).split()) <= set(fold(c["name"]).split()))),
        len(people_listed),
        len(gold_people),
    ]
    return counts


def prf(c: list[int]) -> tuple[float | None, float | None]:
    tp, pred, gold = c
    return (tp / pred if pred else None, tp / gold if gold else None)


def fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="three texts, curated data: a smoke run for CI")
    ap.add_argument("--no-world", action="store_true", help="link against the curated data only")
    # one flag per sealed set (heldoutN.sha256 beside this file): --heldout2 … --heldoutN
    for name in SEALED:
        ap.add_argument(f"--{name}", action="store_true", help=f"also score the sealed set texts/{name}/")
    ap.add_argument(
        "--set", action="append", default=[], metavar="NAME", help="also score texts/NAME/ (any set: train-de-muni, …)"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    world = not (args.quick or args.no_world)
    out_dir: Path = args.out
    store = out_dir / ("store-world" if world else "store-curated")
    # one hash seed: the rules iterate a few sets, and a text's proposals may differ between seeds
    env = {**os.environ, "RELGRAPH_WORLD_DATA": "on" if world else "off", "PYTHONHASHSEED": "0"}
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if not (store / "CURRENT").exists() and not any(store.glob("*")):
        subprocess.run(
            [*relgraph(), "load", "--store", str(store), "--no-reason"], env=env, check=True, stdout=subprocess.DEVNULL
        )
    load_s = time.perf_counter() - started
    texts = sorted((HERE / "texts").glob("*.txt"))
    if args.quick:
        texts = [t for t in texts if t.stem in QUICK]
    else:
        for name in SEALED:
            if getattr(args, name):
                texts += sorted((HERE / "texts" / name).glob("*.txt"))
        for name in args.set:
            if not (HERE / "texts" / name).is_dir():
                print(f"no set {name!r} under {HERE / 'texts'}", file=sys.stderr)
                return 2
            texts += sorted((HERE / "texts" / name).glob("*.txt"))
    totals: dict[str, dict[str, list[int]]] = {}
    per_text = []
    draft_s = []
    for path in texts:
        gold_dir = HERE / "gold" / path.parent.relative_to(HERE / "texts")
        gold = yaml.safe_load((gold_dir / f"{path.stem}.yaml").read_text(encoding="utf-8"))
        folder = path.parent.relative_to(HERE / "texts")
        group = "dev" if str(folder) == "." else str(folder)
        cmd = [*relgraph(), "draft", str(path), "--store", str(store), "--format", "json", "--lang", gold["language"]]
        if gold.get("date_given") and gold.get("document_date"):
            cmd += ["--date", str(gold["document_date"])]
        t0 = time.perf_counter()
        run = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        draft_s.append(time.perf_counter() - t0)
        if run.returncode != 0:
            print(f"{path.name}: relgraph draft failed: {run.stderr.strip()}", file=sys.stderr)
            return 1
        out = json.loads(run.stdout)
        counts = score_text(gold, out)
        per_text.append(
            {
                "text": path.stem,
                "split": gold["split"],
                "group": group,
                "language": gold["language"],
                "counts": counts,
                "proposed": [
                    {
                        "kind": a["kind"],
                        "parties": [p["label"] for p in a["parties"]],
                        "date": predicted_date(a),
                        "signatories": [(s["name"], s["on_behalf_of"]) for s in a["signatories"]],
                        "fields": [f["concept"] or "new:" + f["label"] for f in a["fields"]],
                    }
                    for a in out["agreements"]
                ],
            }
        )
        for split in (group, "all"):
            bucket = totals.setdefault(split, {k: [0, 0, 0] for k in counts})
            for k, c in counts.items():
                bucket[k] = [x + y for x, y in zip(bucket[k], c, strict=True)]
    print(
        f"drafting: {len(texts)} texts ({'world data' if world else 'curated data'}), store ready in {load_s:.1f} s, "
        f"relgraph draft {sum(draft_s) / max(1, len(draft_s)):.2f} s per text (process start included)\n"
    )
    print("| split | texts | fact | P | R | TP / proposed / annotated |")
    print("|---|---|---|---|---|---|")
    for split in ["dev", *sorted(set(totals) - {"dev", "all"}, key=lambda g: (len(g), g)), "all"]:
        if split not in totals:
            continue
        n = sum(1 for t in per_text if t["group"] == split) if split != "all" else len(per_text)
        for k, c in totals[split].items():
            p, r = prf(c)
            print(f"| {split} | {n} | {k} | {fmt(p)} | {fmt(r)} | {c[0]} / {c[1]} / {c[2]} |")
    (out_dir / "results.json").write_text(
        json.dumps({"world": world, "totals": totals, "texts": per_text}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
