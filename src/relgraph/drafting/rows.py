"""Proposals → the authoring rows of ``relgraph import`` (YAML or CSV), and importing reviewed rows.

One row per agreement, columns as :data:`relgraph.authoring.COLUMNS`. What the format
has no column for goes in ``notes`` (fields proposed as new concepts, a fourth party,
the date's basis), so nothing the reviewer should see is lost. The source of the rows
is the announcement itself: its title, date, language and address.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from ..authoring import COLUMN_NAMES, PARTY_TYPES, AuthoringReport, parse_rows
from .model import Draft

__all__ = ["DEFAULT_PUBLISHER", "import_rows", "to_rows", "write_rows"]

#: Who recorded the facts when the announcement's publisher is not given (as the curated data does).
DEFAULT_PUBLISHER = "relgraph contributors"

#: The notes a row carries, in the language of the reviewer.
NOTES: dict[str, dict[str, str]] = {
    "en": {
        "drafted": "drafted from the announcement",
        "more_parties": "more parties: {}",
        "no_date": "signing date not stated in the text (the announcement of {} reports the signing as done)",
        "other_signatories": "other signatories: {}",
        "new_fields": "fields proposed as new concepts: {}",
        "projects": "planned projects: {}",
    },
    "de": {
        "drafted": "aus der Mitteilung entworfen",
        "more_parties": "weitere Parteien: {}",
        "no_date": "Unterzeichnungsdatum im Text nicht genannt (die Mitteilung vom {} meldet sie als geschehen)",
        "other_signatories": "weitere Unterzeichnende: {}",
        "new_fields": "als neue Begriffe vorgeschlagene Themenfelder: {}",
        "projects": "geplante Projekte: {}",
    },
    "fr": {
        "drafted": "proposé à partir du communiqué",
        "more_parties": "autres parties : {}",
        "no_date": "date de signature non indiquée dans le texte (le communiqué du {} la rapporte comme faite)",
        "other_signatories": "autres signataires : {}",
        "new_fields": "domaines proposés comme nouveaux concepts : {}",
        "projects": "projets prévus : {}",
    },
}


def to_rows(
    draft: Draft,
    *,
    title: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
    source_date: str | None = None,
    lang: str | None = None,
) -> list[dict[str, str]]:
    """Authoring rows for the draft's agreements (empty columns left out); notes in ``lang`` (default: the text's)."""
    note = NOTES.get(lang or draft.language, NOTES["en"])
    today = dt.date.today().isoformat()
    date = source_date or draft.document_date or today
    rows = []
    for a in draft.agreements:
        row = dict.fromkeys(COLUMN_NAMES, "")
        row["kind"] = a.kind
        # signatories' parties first, so that signatory_N signs for party_N
        order = sorted(
            range(len(a.parties)),
            key=lambda i: (not any(s.on_behalf_of == a.parties[i].label for s in a.signatories), i),
        )
        parties = [a.parties[i] for i in order]
        notes = []
        for n, p in enumerate(parties[:3], start=1):
            row[f"party_{n}"] = p.store_label or p.label
            if p.iri is None:
                row[f"party_{n}_type"] = p.type if p.type in PARTY_TYPES else "organisation"
        if len(parties) > 3:
            notes.append(note["more_parties"].format("; ".join(p.label for p in parties[3:])))
        if a.date:
            row["date"] = a.date
        if not a.date and a.date_not_after:
            notes.append(note["no_date"].format(a.date_not_after))
        for n, p in enumerate(parties[:2], start=1):
            signer = next((s for s in a.signatories if s.on_behalf_of == p.label), None)
            if signer:
                row[f"signatory_{n}"] = signer.name
                row[f"post_{n}"] = signer.post
        unplaced = [s for s in a.signatories if s.name not in (row["signatory_1"], row["signatory_2"])]
        if unplaced:
            notes.append(note["other_signatories"].format("; ".join(f"{s.name} ({s.post})" for s in unplaced)))
        row["fields"] = "; ".join(dict.fromkeys(f.concept for f in a.fields if f.concept))
        new = [f.label for f in a.fields if f.concept is None]
        if new:
            notes.append(note["new_fields"].format("; ".join(new)))
        if a.projects:
            notes.append(note["projects"].format("; ".join(p.text for p in a.projects)))
        row["source_title"] = title or draft.title or "(untitled announcement)"
        row["source_publisher"] = publisher or DEFAULT_PUBLISHER
        row["source_date"] = date
        row["source_url"] = url or ""
        row["source_language"] = draft.language
        row["notes"] = " | ".join([note["drafted"], *notes])
        rows.append({k: v for k, v in row.items() if v})
    return rows


def write_rows(rows: Sequence[dict[str, str]], fmt: str) -> str:
    """The rows as ``yaml`` or ``csv`` text, ready for ``relgraph import``."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMN_NAMES, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in COLUMN_NAMES})
        return out.getvalue()
    import yaml

    head = "# Drafted by `relgraph draft`: review every row, then `relgraph import` this file.\n"
    return head + yaml.safe_dump(list(rows), allow_unicode=True, sort_keys=False, width=120)


def import_rows(store: Any, rows: Sequence[dict[str, str]], *, validate: bool = True) -> AuthoringReport:
    """Check and load reviewed rows like ``relgraph import`` does: all or nothing, through the SHACL gate."""
    from ..namespaces import RDF_TYPE, RG

    numbered = [(i, {k: str(v) for k, v in row.items()}) for i, row in enumerate(rows, start=1)]
    by_graph = parse_rows(numbered, store, file="the reviewed draft")
    warnings = 0
    if validate:
        from ..validate import gate

        warnings = len(gate(store, by_graph).warnings)
    typed = [q for qs in by_graph.values() for q in qs if q.predicate.value == RDF_TYPE]
    # the authoring rows name every subject and class by IRI (no blank node, no RDF-star triple)
    existing = {q.subject.value for q in typed if isinstance(q.subject, ox.NamedNode)}
    new = sorted(e for e in existing if not _has_type(store, e))
    store.replace_graphs(by_graph)
    agreements = len([q for q in typed if isinstance(q.object, ox.NamedNode) and q.object.value == RG + "Agreement"])
    return AuthoringReport(
        "the reviewed draft", agreements, {g.value: len(q) for g, q in by_graph.items()}, new, warnings
    )


def _has_type(store: Any, iri: str) -> bool:
    from ..namespaces import RDF_TYPE

    return any(True for _ in store.oxigraph.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), None))


def rows_quads(store: Any, rows: Sequence[dict[str, Any]]) -> dict[Any, list[Any]]:
    """The quads per graph the rows become (for the server, which writes through its engine)."""
    numbered = [(i, {k: str(v) for k, v in row.items()}) for i, row in enumerate(rows, start=1)]
    return parse_rows(numbered, store, file="the reviewed draft")
