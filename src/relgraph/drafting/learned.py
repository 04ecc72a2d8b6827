"""A learned choice of parties among every name the text mentions.

Five rounds of hand-written rules each reached 0.9 on the texts they were written from and
0.4-0.6 on the next sealed set (docs/drafting.md). What the rules do well on new texts is
*finding* names: about nine in ten annotated parties are among the names a text mentions
(``Draft.names``), while the rules pick the right two for only about half the agreements. This
module picks instead: a logistic model, fitted on the annotated announcements of
``bench/drafting`` by ``bench/drafting/train.py`` and shipped as numbers in ``learned.json``
(nothing downloaded), scores each name from general features (where and how often the text
names it, after "between/zwischen/entre", its type, whether the rules chose it), and an agreement
takes the best-scored names. It chooses for each proposal of a text that tells few agreements
(``upto``; a list of pairs keeps the rules' pairing), and for the agreement whose kind and signing
the rules found with fewer than two parties (no proposal otherwise); two proposals the rules told
apart (two partners, an original and a renewal) are never made one. Its numbers, thresholds
included, are fitted, not set: ``train.py --cv`` scores each set with a model fitted without it.
A second logistic model, fitted with it, calibrates each proposal's confidence (:func:`calibrate`).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from ..text import normalise_label
from .common import party_key as _key
from .document import Document, Sentence
from .lexicon import lexicon
from .model import Agreement, Draft, Evidence, Party
from .repairs import countries_do_not_twin

__all__ = ["Calibration", "Model", "agreement_features", "apply", "calibrate", "features", "model"]

_WEIGHTS = Path(__file__).with_name("learned.json")
_REGIONS = frozenset({"region", "federal-state", "province"})
_TWINNINGS = frozenset({"city-twinning", "friendship-agreement"})
_ACADEMIC = frozenset({"university-partnership", "cluster-partnership"})
_LOCATIVE = re.compile(r"\b(?:in|im|aus|nach|à|au|aux|en|from|near|bei|at)\s+(?:the\s+|der\s+|la\s+|le\s+)?$", re.I)
_BETWEEN = re.compile(r"\b(?:zwischen|between|entre|with|mit|avec|und|and|et|und der|and the)\s+(?:\w+\s+){0,2}$", re.I)
_OF = re.compile(r"\b(?:of|von|de|du|des|der)\s+(?:the\s+|la\s+|le\s+)?$", re.I)


def _spots(text: str, label: str) -> list[int]:
    """Where ``label`` occurs in ``text`` as words (case kept: names are capitalised)."""
    if not label.strip():
        return []
    return [m.start() for m in re.finditer(rf"(?<!\w){re.escape(label)}(?!\w)", text)]


def name_spots(doc: Document, names: list[Party]) -> dict[int, list[int]]:
    """Where each name (by position in ``names``) occurs on its own: not inside a longer name of the list
    ("Qingdao" inside "Qingdao Agricultural University" is the university's, not the city's)."""
    found = {i: _spots(doc.text, n.label) for i, n in enumerate(names)}
    spans = [(x, x + len(names[i].label), i) for i, xs in found.items() for x in xs]
    out: dict[int, list[int]] = {}
    for i, xs in found.items():
        own = [
            x
            for x in xs
            if not any(
                a <= x and x + len(names[i].label) <= b and j != i and b - a > len(names[i].label) for a, b, j in spans
            )
        ]
        evidence = names[i].evidence
        out[i] = own or ([evidence.start] if evidence is not None and not xs else [])
    return out


def features(
    doc: Document,
    anchor: Sentence,
    kind_at: int,
    chosen: list[Party],
    name: Party,
    spots: list[int],
    kind: str = "",
) -> dict[str, float]:
    """What one name looks like as a party of the agreement told in ``anchor`` (kind at ``kind_at``), ``spots``
    where the text names it (:func:`name_spots`)."""
    text = doc.text
    label = normalise_label(name.label)
    others = [normalise_label(o.label) for o in chosen if _key(o) != _key(name)]
    in_anchor = [x for x in spots if anchor.start <= x < anchor.end]
    nearest = min((abs(x - kind_at) for x in spots), default=len(text))
    sentence_of = [doc.sentence_at(x).index for x in spots]
    before = [text[max(0, x - 24) : x] for x in spots]
    rules_keys = [_key(p) for p in chosen]
    title = doc.sentences[0] if doc.sentences else anchor
    return {
        "rules": float(_key(name) in rules_keys),
        "rules_first": float(bool(rules_keys) and rules_keys[0] == _key(name)),
        "type_city": float(name.type == "city"),
        "type_region": float(name.type in _REGIONS),
        "type_country": float(name.type == "country"),
        "type_university": float(name.type == "university"),
        "type_org": float(_organisation(name) and name.type != "university"),
        "linked": float(name.iri is not None),
        "ambiguous": float(len(name.candidates) > 1),
        "mentions": math.log1p(len(spots)) / 2,
        "in_title": float(any(title.start <= x < title.end for x in spots)),
        "in_anchor": float(bool(in_anchor)),
        "near_kind": max(0.0, 1 - nearest / 300),
        "sentences_away": min(1.0, min((abs(i - anchor.index) for i in sentence_of), default=9) / 4),
        "first_at": (min(spots) / max(1, len(text))) if spots else 1.0,
        "after_between": float(any(_BETWEEN.search(b) for b in before)),
        "after_locative": float(bool(before) and all(_LOCATIVE.search(b) for b in before)),
        "after_of": float(bool(before) and all(_OF.search(b) for b in before)),
        "all_caps": float(name.label.isupper() and len(name.label) > 3),
        "inside_other": float(any(label and label != o and f" {label} " in f" {o} " for o in others)),
        "alone": float(not spots),
        "words": min(1.0, len(label.split()) / 6),
        # the kind says what its parties are: towns twin, universities partner
        "twinning_place": float(kind in _TWINNINGS and (name.type == "city" or name.type in _REGIONS)),
        "academic_org": float(kind in _ACADEMIC and _organisation(name)),
        "candidates": min(1.0, len(chosen) / 4),
    }


def _organisation(p: Party) -> bool:
    """Of a known type that is no place."""
    return p.type not in (None, "city", "country") and p.type not in _REGIONS


@dataclass(frozen=True)
class Model:
    weights: dict[str, float]
    bias: float
    extra: float = 1.0  # a third party and more when its score reaches this (1.0: never)
    margin: float = 0.0  # the rules' parties give way when the chosen ones score so much more (summed)
    upto: int = 1  # choose for each proposal of a draft of at most so many (a list of pairs keeps the rules')
    many: bool = True  # choose for proposals of three parties and more too (else the rules' stand)
    trained_on: int = 0  # annotated texts
    # an agreement's confidence: the share of such proposals right in kind and parties (:func:`agreement_features`)
    calibration: Calibration | None = None

    def score(self, f: dict[str, float]) -> float:
        return _logistic(self.bias, self.weights, f)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        calibration = data.get("confidence")
        return cls(
            {k: float(v) for k, v in data["weights"].items()},
            float(data["bias"]),
            float(data.get("extra", 1.0)),
            float(data.get("margin", 0.0)),
            int(data.get("upto", 1)),
            bool(data.get("many", True)),
            int(data.get("trained_on", 0)),
            Calibration.from_json(calibration) if calibration else None,
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "weights": _rounded(self.weights),
            "bias": round(self.bias, 6),
            "extra": self.extra,
            "margin": self.margin,
            "upto": self.upto,
            "many": self.many,
            "trained_on": self.trained_on,
        }
        if self.calibration is not None:
            out["confidence"] = self.calibration.to_json()
        return out


@dataclass(frozen=True)
class Calibration:
    """A logistic model of whether a proposal is right in kind and parties, from :func:`agreement_features`."""

    weights: dict[str, float]
    bias: float

    def score(self, f: dict[str, float]) -> float:
        return _logistic(self.bias, self.weights, f)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Calibration:
        return cls({k: float(v) for k, v in data["weights"].items()}, float(data["bias"]))

    def to_json(self) -> dict[str, Any]:
        return {"weights": _rounded(self.weights), "bias": round(self.bias, 6)}


def _logistic(bias: float, weights: dict[str, float], f: dict[str, float]) -> float:
    z = bias + sum(weights.get(k, 0.0) * v for k, v in f.items())
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def _rounded(weights: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 6) for k, v in sorted(weights.items())}


def agreement_features(draft: Draft, a: Agreement) -> dict[str, float]:
    """What a proposal looks like, once its parties are chosen: how sure its parties are, whether it has a stated
    date, signers and fields, how many proposals the text has, whether a country is a party."""
    scores = [p.confidence for p in a.parties] or [0.0]
    return {
        "rules_confidence": a.confidence,
        "party_min": min(scores),
        "party_mean": sum(scores) / len(scores),
        "linked_all": float(all(p.iri for p in a.parties)),
        "linked_none": float(not any(p.iri for p in a.parties)),
        "only_one": float(len(draft.agreements) == 1),
        "three_or_more": float(len(draft.agreements) >= 3),
        "date_stated": float(a.date_basis == "stated"),
        "date_relative": float(a.date_basis == "relative"),
        "signers": min(2, sum(1 for s in a.signatories if s.on_behalf_of)) / 2,
        "country": float(any(p.type == "country" for p in a.parties)),
        "same_type": float(len({p.type for p in a.parties}) == 1),
        "more_parties": float(len(a.parties) > 2),
        "fields": min(3, len(a.fields)) / 3,
        "evidence": min(3, len(a.evidence)) / 3,
    }


def calibrate(draft: Draft, fitted: Model | None = None) -> None:
    """Each proposal's confidence the calibrated share of such proposals right in kind and parties (the rules'
    fixed numbers did not tell right from wrong: 0.56 AUC on the bench texts)."""
    fitted = fitted or model()
    if fitted is None or fitted.calibration is None:
        return
    scores = [fitted.calibration.score(agreement_features(draft, a)) for a in draft.agreements]
    for a, s in zip(draft.agreements, scores, strict=True):
        a.confidence = round(s, 2)


@cache
def model() -> Model | None:
    """The shipped model (None when ``learned.json`` is absent: the rules' proposals stand)."""
    if not _WEIGHTS.exists():
        return None
    return Model.from_json(json.loads(_WEIGHTS.read_text(encoding="utf-8")))


def anchors(draft: Draft, doc: Document, *, upto: int) -> list[tuple[Agreement | None, Sentence, int, str]]:
    """The agreements the model chooses parties for: (proposal or None, its sentence, kind offset, kind)."""
    if 0 < len(draft.agreements) <= max(1, upto):
        out: list[tuple[Agreement | None, Sentence, int, str]] = []
        for a in draft.agreements:
            first = a.evidence[0] if a.evidence else None
            at = (first.span[0] if first.span else first.start) if first else 0
            out.append((a, doc.sentence_at(at), at, a.kind))
        return out
    if draft.agreements:
        return []
    told = [params for code, params in draft.notices if code == "too_few_parties"]
    return [(None, doc.sentence_at(told[0]["start"]), told[0]["start"], told[0]["kind"])] if told else []


def choose(
    fitted: Model,
    doc: Document,
    anchor: Sentence,
    at: int,
    rules: list[Party],
    names: list[Party],
    spots: dict[int, list[int]],
    kind: str = "",
) -> tuple[list[Party], dict[str, float]]:
    """The best-scored names (two, and more while they reach ``fitted.extra``), and every name's score; ``spots``
    from :func:`name_spots` of the same ``names``."""
    scored = sorted(
        ((fitted.score(features(doc, anchor, at, rules, n, spots[i], kind)), i, n) for i, n in enumerate(names)),
        key=lambda t: (-t[0], t[1]),
    )
    out: list[tuple[int, Party]] = []
    for s, i, n in scored:
        if any(_same(n, o) for _, o in out):
            continue  # "Moncton" beside "Université de Moncton", Québec the city beside Québec the province
        if len(out) < 2 or s >= fitted.extra:
            first = min(spots[i], default=len(doc.text) + i)
            out.append((first, replace(n, confidence=round(s, 2))))
    chosen = [p for _, p in sorted(out, key=lambda t: t[0])]  # in reading order, as the text names them
    return (chosen if len(chosen) >= 2 else []), {_key(n): s for s, _, n in scored}


def _same(a: Party, b: Party) -> bool:
    """One name the other's, or inside it: never two parties of one agreement."""
    x, y = f" {normalise_label(a.label)} ", f" {normalise_label(b.label)} "
    return bool(a.iri and a.iri == b.iri) or x in y or y in x


def apply(draft: Draft, doc: Document, fitted: Model | None = None) -> None:
    """Parties chosen by the model for the proposals (all, or a text's only one), and a proposal for the agreement
    the rules told without two parties."""
    fitted = fitted or model()
    if fitted is None:
        return
    spots = name_spots(doc, draft.names)  # the names do not change below: where they occur, once
    for a, anchor, at, kind in anchors(draft, doc, upto=fitted.upto):
        rules = list(a.parties) if a else []
        picked, scores = choose(fitted, doc, anchor, at, rules, draft.names, spots, kind)
        if len(picked) < 2:
            continue
        if a is not None:
            if len(rules) > 2 and not fitted.many:
                continue
            if len(rules) > 2 and all(any(sig.on_behalf_of == p.label for sig in a.signatories) for p in rules):
                continue  # "signed by A for X, B for Y and C for Z": every party of the rules has its signer
            had = sum(sorted((scores.get(_key(p), 0.0) for p in rules), reverse=True)[:2])
            now = sum(scores[_key(p)] for p in picked[:2])
            keys = {_key(p) for p in picked}
            # two agreements the rules told apart (two partners, an original and a renewal) stay apart
            apart = any(b is not a and {_key(p) for p in b.parties} == keys for b in draft.agreements)
            if keys != {_key(p) for p in rules} and now - had >= fitted.margin and not apart:
                a.parties = picked
                _sign_for_chosen(a, rules)
            continue
        told = next((p for c, p in draft.notices if c == "too_few_parties"), {})
        date, precision, basis, date_evidence = told.get("date") or (None, None, "none", None)
        draft.agreements.append(
            Agreement(
                kind,
                lexicon().kind_label(kind, doc.language),
                picked,
                date,
                precision,
                basis,
                evidence=[Evidence(anchor.text, anchor.start, anchor.end)],
                confidence=round(min(p.confidence for p in picked), 2),
                date_evidence=date_evidence,
                date_not_after=None if date else draft.document_date,
            )
        )
        draft.notices = [(c, p) for c, p in draft.notices if c != "too_few_parties"]
    draft.agreements = countries_do_not_twin(draft.agreements, final=True)  # whoever chose, countries do not twin


def _sign_for_chosen(a: Agreement, had: list[Party]) -> None:
    """Signatories sign for the chosen parties, by their labels (what the import rows pair them by): the party
    their old one names or is named in, else the one their post names; nobody for a party the agreement lost
    (a guess of the one party left was wrong five times in six on the bench texts). A signer whose party was none
    of the parties ``had`` before ("MCCI" beside "Mauritius Chamber of Commerce") keeps it: no party was lost."""

    def of(label: str | None) -> Party | None:
        key = normalise_label(label or "")
        if not key:
            return None
        same = [p for p in a.parties if key in (normalise_label(p.label), normalise_label(p.store_label or ""))]
        hits = same or [p for p in a.parties if _same(Party(key, None), p)]  # one name inside the other
        return hits[0] if len(hits) == 1 else None

    before = {normalise_label(p.label) for p in had} | {normalise_label(p.store_label or "") for p in had}
    for signer in a.signatories:
        party = of(signer.on_behalf_of) or of(signer.post)
        if party is None and signer.on_behalf_of and normalise_label(signer.on_behalf_of) not in before:
            continue
        signer.on_behalf_of = party.label if party else None
