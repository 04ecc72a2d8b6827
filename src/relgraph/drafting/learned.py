"""Learned filters over the rules' proposals: which parties and which agreements to keep.

Five rounds of hand-written rules each reached 0.9 on the texts they were written from and
0.4-0.6 on the next sealed set (docs/drafting.md). This is the other method: two logistic
models, fitted on the annotated announcements of ``bench/drafting`` by
``bench/drafting/train.py`` and shipped as numbers in ``learned.json`` (nothing downloaded),
score each proposed party and each proposed agreement from general features (type, linked or
not, where and how often the text names it, the other proposals), and drop what scores low.
The rules still find every candidate; the models only take away, so a reviewer sees fewer
wrong proposals and loses a right one only where the held-out figures say so
(``train.py --cv``: each set scored by models fitted without it).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .document import Document
from .model import Agreement, Draft, Party

__all__ = ["Model", "agreement_features", "apply", "model", "party_features"]

_WEIGHTS = Path(__file__).with_name("learned.json")
_REGIONS = frozenset({"region", "federal-state", "province"})
_ORGS = frozenset(
    {
        "organisation",
        "government-body",
        "ministry",
        "research-centre",
        "research-consortium",
        "cluster",
        "association",
        "chamber-of-commerce",
        "international-organisation",
    }
)
_LOCATIVE = re.compile(r"(?:\b(?:in|im|aus|nach|à|au|aux|en|from|near|bei|de)\s+)$", re.IGNORECASE)
_KINDS = ("city-twinning", "memorandum-of-understanding", "cooperation-agreement", "declaration-of-intent")


def _fold(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def _count(needle: str, hay: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(needle)}(?!\w)", hay)) if needle else 0


def _sentence_index(doc: Document, offset: int | None) -> int | None:
    return None if offset is None or not doc.sentences else doc.sentence_at(offset).index


def _party_keys(a: Agreement) -> frozenset[str]:
    return frozenset(p.iri or _fold(p.label) for p in a.parties)


def party_features(doc: Document, agreement: Agreement, party: Party) -> dict[str, float]:
    """What a party's proposal looks like, in numbers between 0 and about 1."""
    folded_text = _fold(doc.text)
    label = _fold(party.label)
    first = doc.text.find(party.label)
    head = _fold(doc.title or (doc.sentences[0].text if doc.sentences else ""))
    anchor = agreement.evidence[0].start if agreement.evidence else None
    here = _sentence_index(doc, party.evidence.start if party.evidence else None)
    there = _sentence_index(doc, anchor)
    others = [_fold(q.label) for q in agreement.parties if q is not party]
    signs = any(
        s.on_behalf_of and (_fold(s.on_behalf_of) in label or label in _fold(s.on_behalf_of))
        for s in agreement.signatories
    )
    mentions = _count(label, folded_text)
    before = doc.text[max(0, first - 12) : first] if first >= 0 else ""
    return {
        "type_city": float(party.type == "city"),
        "type_region": float(party.type in _REGIONS),
        "type_country": float(party.type == "country"),
        "type_university": float(party.type == "university"),
        "type_org": float(party.type in _ORGS),
        "type_none": float(party.type is None),
        "linked": float(party.iri is not None),
        "ambiguous": float(len(party.candidates) > 1),
        "confidence": party.confidence,
        "same_sentence": float(here is not None and here == there),
        "distance": min(1.0, abs((here or 0) - (there or 0)) / 5) if here is not None and there is not None else 1.0,
        "mentions": math.log1p(mentions) / 3,
        "in_title": float(bool(label) and _count(label, head) > 0),
        "all_caps": float(party.label.isupper() and len(party.label) > 3),
        "inside_other": float(any(label and label != o and (label in o) for o in others)),
        "holds_other": float(any(o and label != o and (o in label) for o in others)),
        "signer_party": float(signs),
        "locative": float(bool(_LOCATIVE.search(before))),
        "first_at": (first / max(1, len(doc.text))) if first >= 0 else 1.0,
        "rank": agreement.parties.index(party) / max(1, len(agreement.parties) - 1),
        "many": float(len(agreement.parties) > 2),
        "words": min(1.0, len(label.split()) / 6),
    }


def agreement_features(doc: Document, draft: Draft, agreement: Agreement) -> dict[str, float]:
    """What an agreement's proposal looks like, beside the draft's other proposals."""
    i = draft.agreements.index(agreement)
    keys = _party_keys(agreement)
    earlier = draft.agreements[:i]
    types = [p.type for p in agreement.parties]
    first_ev = agreement.evidence[0].start if agreement.evidence else len(doc.text)
    return {
        "parties": min(1.0, (len(agreement.parties) - 2) / 2),
        "confidence": agreement.confidence,
        "date_stated": float(agreement.date_basis == "stated"),
        "date_relative": float(agreement.date_basis == "relative"),
        "signatories": min(1.0, len(agreement.signatories) / 2),
        "fields": min(1.0, len(agreement.fields) / 4),
        "evidence": min(1.0, len(agreement.evidence) / 3),
        "repeat": float(any(_party_keys(b) == keys and b.kind == agreement.kind for b in earlier)),
        "shares_earlier": float(any(_party_keys(b) & keys for b in earlier)),
        "any_country": float("country" in types),
        "all_country": float(all(t == "country" for t in types)),
        "all_linked": float(all(p.iri for p in agreement.parties)),
        "position": i / max(1, len(draft.agreements) - 1),
        "several": float(len(draft.agreements) > 1),
        "first_at": first_ev / max(1, len(doc.text)),
        **{f"kind_{k}": float(agreement.kind == k) for k in _KINDS},
    }


@dataclass(frozen=True)
class Logistic:
    weights: dict[str, float]
    bias: float
    threshold: float

    def score(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class Model:
    party: Logistic
    agreement: Logistic
    trained_on: int = 0  # annotated texts

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        def one(d: dict[str, Any]) -> Logistic:
            return Logistic({k: float(v) for k, v in d["weights"].items()}, float(d["bias"]), float(d["threshold"]))

        return cls(one(data["party"]), one(data["agreement"]), int(data.get("trained_on", 0)))

    def to_json(self) -> dict[str, Any]:
        def one(m: Logistic) -> dict[str, Any]:
            return {
                "weights": {k: round(v, 6) for k, v in sorted(m.weights.items())},
                "bias": round(m.bias, 6),
                "threshold": m.threshold,
            }

        return {"party": one(self.party), "agreement": one(self.agreement), "trained_on": self.trained_on}


@cache
def model() -> Model | None:
    """The shipped model (None when ``learned.json`` is absent: the rules' proposals stand)."""
    if not _WEIGHTS.exists():
        return None
    return Model.from_json(json.loads(_WEIGHTS.read_text(encoding="utf-8")))


def apply(draft: Draft, doc: Document, fitted: Model | None = None) -> None:
    """Drop the parties and agreements the models score below their thresholds.

    An agreement keeps its two best-scored parties at least (fewer is no agreement); the
    confidence of what stays becomes the model's score, which, unlike the rules' fixed numbers,
    was fitted to how often such proposals were right.
    """
    fitted = fitted or model()
    if fitted is None:
        return
    for a in draft.agreements:
        scored = sorted(
            ((fitted.party.score(party_features(doc, a, p)), n, p) for n, p in enumerate(a.parties)),
            key=lambda t: (-t[0], t[1]),
        )
        keep = {id(p) for n, (s, _, p) in enumerate(scored) if n < 2 or s >= fitted.party.threshold}
        for s, _, p in scored:
            p.confidence = round(s, 2)
        a.parties = [p for p in a.parties if id(p) in keep]
    scores = [fitted.agreement.score(agreement_features(doc, draft, a)) for a in draft.agreements]
    kept = [a for a, s in zip(draft.agreements, scores, strict=True) if s >= fitted.agreement.threshold]
    for a, s in zip(draft.agreements, scores, strict=True):
        a.confidence = round(s, 2)
    draft.agreements = kept
