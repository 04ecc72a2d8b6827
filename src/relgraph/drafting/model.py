"""What the drafter proposes: plain dataclasses, each fact with its evidence and a confidence."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["NOTICES", "Agreement", "Draft", "Evidence", "FieldFact", "Party", "Project", "Quote", "Signatory"]

#: What the drafter tells the reviewer, in the three languages (``{kind}`` is a kind's label).
NOTICES: dict[str, dict[str, str]] = {
    "no_document_date": {
        "en": "no date of the document given or found: relative dates (heute, Tuesday, hier) stay unresolved",
        "de": "kein Datum der Mitteilung angegeben oder gefunden: relative Angaben (heute, Dienstag) bleiben offen",
        "fr": "aucune date du communiqué donnée ou trouvée : les dates relatives (hier, mardi) restent ouvertes",
    },
    "too_few_parties": {
        "en": "{kind} mentioned at characters {start}-{end}, but fewer than two parties found there: not proposed",
        "de": "{kind} bei Zeichen {start}-{end} erwähnt, aber dort weniger als zwei Parteien gefunden: "
        "nicht vorgeschlagen",
        "fr": "{kind} mentionné aux caractères {start}-{end}, mais moins de deux parties trouvées : non proposé",
    },
    "no_agreement": {
        "en": "no agreement found: no sentence names a kind of agreement together with its signing",
        "de": "keine Vereinbarung gefunden: kein Satz nennt eine Vereinbarungsart zusammen mit ihrer Unterzeichnung",
        "fr": "aucun accord trouvé : aucune phrase ne nomme un type d’accord avec sa signature",
    },
}


@dataclass
class Evidence:
    sentence: str
    start: int  # character offsets of the sentence in Draft.text
    end: int
    span: tuple[int, int] | None = None  # of the words the fact rests on, when narrower


@dataclass
class Party:
    label: str
    iri: str | None
    type: str | None = None  # a PARTY_TYPES key of the authoring format, guessed for new parties
    candidates: list[str] = field(default_factory=list)  # several entities share the name
    confidence: float = 0.6
    evidence: Evidence | None = None
    store_label: str | None = None  # the linked entity's own label, which `relgraph import` resolves

    @property
    def new(self) -> bool:
        return self.iri is None


@dataclass
class Signatory:
    name: str
    post: str
    on_behalf_of: str | None
    iri: str | None = None
    confidence: float = 0.6
    evidence: Evidence | None = None


@dataclass
class FieldFact:
    concept: str | None  # notation in the field scheme; None: a new field, proposed as written
    label: str
    confidence: float = 0.6
    evidence: Evidence | None = None

    @property
    def new(self) -> bool:
        return self.concept is None


@dataclass
class Project:
    text: str
    confidence: float = 0.5
    evidence: Evidence | None = None


@dataclass
class Quote:
    text: str
    speaker: str | None
    language: str
    confidence: float = 0.5
    evidence: Evidence | None = None


@dataclass
class Agreement:
    kind: str
    kind_label: str
    parties: list[Party]
    date: str | None
    date_precision: str | None
    date_basis: str  # stated, relative (resolved against the document's date) or none (neither stated nor implied)
    signatories: list[Signatory] = field(default_factory=list)
    fields: list[FieldFact] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    date_evidence: Evidence | None = None
    confidence: float = 0.6
    # no date stated: the announcement reports the signing as done, so it was on or before its date (a bound for
    # the reviewer, not a signing date: the release of 28 February may report a signing of the 20th)
    date_not_after: str | None = None


@dataclass
class Draft:
    text: str
    language: str
    document_date: str | None
    document_date_basis: str  # given, text or unknown
    title: str
    agreements: list[Agreement] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    notices: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # every party and person the text names, proposed or not: what a reviewer picks from when a proposal
    # misses a party or a signer, or the drafter missed an agreement (the review page's lists)
    names: list[Party] = field(default_factory=list)
    people: list[Signatory] = field(default_factory=list)

    def notice(self, code: str, **params: Any) -> None:
        self.notices.append((code, params))

    def messages_in(self, lang: str) -> list[str]:
        """The notices as sentences in ``lang`` (de, en or fr)."""
        from .lexicon import lexicon

        out = []
        for code, params in self.notices:
            values = dict(params)
            if "kind" in values:
                values["kind"] = lexicon().kind_label(values["kind"], lang)
            out.append(NOTICES[code].get(lang, NOTICES[code]["en"]).format(**values))
        return out

    @property
    def messages(self) -> list[str]:
        return self.messages_in("en")

    def to_json(self, *, with_text: bool = False) -> dict[str, Any]:
        """The JSON form: agreements with kind, parties (label, iri), date, signatories, fields, evidence."""

        def clean(obj: Any) -> Any:
            if isinstance(obj, dict):
                return {k: clean(v) for k, v in obj.items()}
            if isinstance(obj, (list, tuple)):
                return [clean(v) for v in obj]
            return obj

        agreements = []
        for a in self.agreements:
            d = asdict(a)
            for p, raw in zip(a.parties, d["parties"], strict=True):
                raw["new"] = p.new
            for f, raw in zip(a.fields, d["fields"], strict=True):
                raw["new"] = f.new
            agreements.append(d)
        out: dict[str, Any] = {
            "language": self.language,
            "document_date": self.document_date,
            "document_date_basis": self.document_date_basis,
            "title": self.title,
            "agreements": agreements,
            "quotes": [asdict(q) for q in self.quotes],
            "candidates": {
                "parties": [
                    {"label": p.label, "iri": p.iri, "type": p.type, "store_label": p.store_label} for p in self.names
                ],
                "people": [{"name": s.name, "post": s.post, "on_behalf_of": s.on_behalf_of} for s in self.people],
            },
            "messages": self.messages,
        }
        if with_text:
            out["text"] = self.text
        return clean(out)
