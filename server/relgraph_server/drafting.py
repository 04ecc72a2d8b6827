"""The ``/draft`` review page (de/en/fr): paste or upload a press release, review, download or import.

- ``GET /draft``: the form (paste a text or upload a .txt/.html file; optional date,
  language, title, publisher, address).
- ``POST /draft``: the text with every piece of evidence highlighted beside the
  proposals, each editable (kind, parties, date, signatories, fields) and each with a
  "keep" box; ``POST /draft.json`` is the machine twin (the JSON of ``relgraph draft``).
- ``POST /draft/rows``: the reviewed proposals as YAML or CSV for ``relgraph import``,
  or, with the update token, imported directly: one new source graph whose source is
  the announcement (its title, date, language and address), through the authoring
  checks and the same SHACL gate as ``/update`` (the engine's worker validates the
  would-be store before it writes). All or nothing; nothing is written otherwise.

Drafting reads the store's names from the current snapshot (read-only), once per
data version. Over a remote store names are not linked and direct import is off.
"""

from __future__ import annotations

import hmac
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, request
from markupsafe import Markup, escape

from relgraph.authoring import COLUMN_NAMES, PARTY_TYPES, AuthoringError
from relgraph.drafting import Agreement, Draft, DraftInputError, Gazetteer, draft, to_rows, write_rows
from relgraph.drafting.common import party_key as _party_key
from relgraph.drafting.lexicon import lexicon
from relgraph.drafting.rows import rows_quads
from relgraph.errors import DataRejected, RelgraphError

from .i18n import language, messages
from .rendering import render
from .runtime import runtime

__all__ = ["bp"]

bp = Blueprint("drafting", __name__)

_ROW_FIELDS = [c for c in COLUMN_NAMES if not c.startswith("source_")]
_SOURCE_FIELDS = ["source_title", "source_publisher", "source_date", "source_url", "source_language"]
_MAX_AGREEMENTS = 50
_BLANKS = 8  # empty agreements offered: one open, the others folded


# --- the store, read-only ---------------------------------------------------------------------


def _snapshot_store() -> Any:
    """A read-only :class:`relgraph.store.Store` over the engine's current snapshot; None over a remote store."""
    from relgraph.store import Store

    rt = runtime()
    snapshot = rt.deployment.snapshot(rt.engine.version)
    if snapshot is None:
        return None
    return Store(snapshot, read_only=True, base=rt.config["base"])


def _gazetteer() -> Gazetteer:
    def build() -> Gazetteer:
        store = _snapshot_store()
        try:
            return Gazetteer.from_store(store)
        finally:
            if store is not None:
                store.close()

    return runtime().memo("draft-gazetteer", build)


# --- rendering --------------------------------------------------------------------------------


def _render(template: str, status: int = 200, **context: Any) -> Response:
    return render(template, status, **context)


def _highlight(d: Draft) -> Markup:
    """The text as HTML, each evidence span a ``<mark id=ev-N>`` (nested spans flattened)."""
    spans: list[tuple[int, int, str]] = []
    for i, a in enumerate(d.agreements):
        for k, e in enumerate(a.evidence):
            spans.append((*(e.span or (e.start, e.end)), f"a{i}-kind" + (f"-{k}" if k else "")))
        for j, p in enumerate(a.parties):
            if p.evidence and p.evidence.span:
                spans.append((*p.evidence.span, f"a{i}-party{j}"))
        if a.date_evidence and a.date_evidence.span:
            spans.append((*a.date_evidence.span, f"a{i}-date"))
        for j, s in enumerate(a.signatories):
            if s.evidence and s.evidence.span:
                spans.append((*s.evidence.span, f"a{i}-sig{j}"))
        for j, f in enumerate(a.fields):
            if f.evidence and f.evidence.span:
                spans.append((*f.evidence.span, f"a{i}-field{j}"))
    spans.sort()
    out: list[Any] = []
    pos = 0
    text = d.text
    for start, end, ident in spans:
        if start < pos:  # overlaps the previous mark: keep the first
            continue
        out.append(escape(text[pos:start]))
        out.append(Markup('<mark id="ev-{}">{}</mark>').format(ident, text[start:end]))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def _form_model(d: Draft, rows: list[dict[str, str]], lang: str) -> list[dict[str, Any]]:
    lex = lexicon()
    out = []
    for i, (a, row) in enumerate(zip(d.agreements, rows, strict=True)):
        out.append(
            {
                "i": i,
                "row": row,
                "agreement": a,
                "kind_label": lex.kind_label(a.kind, lang),
                "fields_labels": [(f.concept and lex.field_label(f.concept, lang)) or f.label for f in a.fields],
            }
        )
    return out


def _blanks(d: Draft) -> list[dict[str, Any]]:
    """Empty agreements after the proposals, for those the drafter missed (not kept unless ticked): a text that
    tells several mostly tells more than are proposed (bench/drafting: 170 against 53 in 69 of 290 texts), and the
    reviewer adds them all in one pass. Each starts with the first proposal's kind and the party the proposals
    name most: of the 165 annotated agreements no proposal has in the bench texts with a proposal, 132 are of
    that kind and 104 have that party."""
    first = len(d.agreements)
    start: dict[str, str] = {}
    if d.agreements:
        counts = Counter(_party_key(p) for a in d.agreements for p in a.parties)
        lead = d.agreements[0]
        hub = max(lead.parties, key=lambda p: counts[_party_key(p)], default=None)  # the first of a tie
        seed = Agreement(lead.kind, lead.kind_label, [hub] if hub else [], None, None, "none")
        row = to_rows(replace(d, agreements=[seed]))[0]
        start = {k: row[k] for k in ("kind", "party_1", "party_1_type") if k in row}
    out = []
    for nth in range(min(_BLANKS, _MAX_AGREEMENTS - first)):
        empty = Agreement("", "", [], None, None, "none", date_not_after=d.document_date)
        out.append(
            {
                "i": first + nth,
                "nth": nth,
                "row": dict(start),
                "agreement": empty,
                "kind_label": "",
                "fields_labels": [],
                "blank": True,
                "prefilled": bool(start),
            }
        )
    return out


def _kinds(lang: str) -> list[tuple[str, str]]:
    lex = lexicon()
    return sorted(((k, lex.kind_label(k, lang)) for k in lex.kinds()), key=lambda kv: kv[1].lower())


# --- routes -----------------------------------------------------------------------------------


@bp.route("/draft", methods=["GET"])
def form() -> Response:
    return _render("pages/draft.html", form={}, error=None)


def _read_submission() -> tuple[str | bytes, dict[str, str]]:
    form = {k: request.form.get(k, "").strip() for k in ("date", "text_lang", "title", "publisher", "url")}
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        return upload.read(), form
    return request.form.get("text", ""), form


def _draft_of(raw: str | bytes, form: dict[str, str]) -> Draft:
    date = form.get("date") or None
    lang = form.get("text_lang") or None
    url = form.get("url") or ""
    if url and not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url):
        raise DraftInputError(f"the address {url!r} is not an http(s) address")
    return draft(raw, lang=lang, document_date=date, gazetteer=_gazetteer(), where="the text")


@bp.route("/draft", methods=["POST"])
def review() -> Response:
    lang = language()
    raw, form = _read_submission()
    try:
        d = _draft_of(raw, form)
    except DraftInputError as err:
        return _render("pages/draft.html", 400, form=form, error=str(err), text=raw if isinstance(raw, str) else "")
    rows = to_rows(
        d,
        title=form.get("title") or None,
        publisher=form.get("publisher") or None,
        url=form.get("url") or None,
        lang=lang,
    )
    source = rows[0] if rows else to_rows_source(d, form)
    return _render(
        "pages/draft.html",
        form=form,
        error=None,
        draft=d,
        highlighted=_highlight(d),
        proposals=_form_model(d, rows, lang),
        blanks=_blanks(d),
        source={k: source.get(k, "") for k in _SOURCE_FIELDS},
        kinds=_kinds(lang),
        party_types=list(PARTY_TYPES),
        updates_on=bool(runtime().config["update_token"]),
    )


def to_rows_source(d: Draft, form: dict[str, str]) -> dict[str, str]:
    import datetime as dt

    return {
        "source_title": form.get("title") or d.title,
        "source_publisher": form.get("publisher") or "relgraph contributors",
        "source_date": d.document_date or dt.date.today().isoformat(),
        "source_url": form.get("url", ""),
        "source_language": d.language,
    }


@bp.route("/draft.json", methods=["POST"])
def review_json() -> Response:
    raw, form = _read_submission()
    try:
        d = _draft_of(raw, form)
    except DraftInputError as err:
        return Response(f"{err}\n", status=400, content_type="text/plain; charset=utf-8")
    out = d.to_json()
    out["rows"] = to_rows(
        d, title=form.get("title") or None, publisher=form.get("publisher") or None, url=form.get("url") or None
    )
    import json

    return Response(json.dumps(out, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8")


def reviewed_rows(form: Any) -> list[dict[str, str]]:
    """The rows the reviewer kept, as edited: ``a<N>_<column>`` fields, ``a<N>_keep`` checked."""
    source = {k: form.get(k, "").strip() for k in _SOURCE_FIELDS}
    rows = []
    for i in range(_MAX_AGREEMENTS):
        if f"a{i}_kind" not in form:
            continue
        if form.get(f"a{i}_keep") != "on":
            continue
        row = {c: form.get(f"a{i}_{c}", "").strip() for c in _ROW_FIELDS}
        row.update(source)
        rows.append({k: v for k, v in row.items() if v})
    return rows


def _token_ok(token: str | None, given: str) -> bool:
    return bool(token) and bool(given) and hmac.compare_digest(given.encode(), str(token).encode())


@bp.route("/draft/rows", methods=["POST"])
def rows_out() -> Response:
    lang = language()
    rows = reviewed_rows(request.form)
    action = request.form.get("action", "yaml")
    if not rows:
        return _render("pages/draft_result.html", 400, ok=False, problems=[messages(lang)["draft_nothing_kept"]])
    if action in ("yaml", "csv"):
        body = write_rows(rows, action)
        name = "draft-agreements." + action
        mime = "application/yaml" if action == "yaml" else "text/csv"
        return Response(
            body,
            content_type=f"{mime}; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    if action != "import":
        return _render("pages/draft_result.html", 400, ok=False, problems=[f"unknown action {action!r}"])
    token = runtime().config["update_token"]
    if not token:
        return _render("pages/draft_result.html", 403, ok=False, problems=[messages(lang)["draft_updates_off"]])
    scheme, _, header = request.headers.get("Authorization", "").partition(" ")
    given = header.strip() if scheme.lower() == "bearer" else request.form.get("token", "").strip()
    if not _token_ok(token, given):
        return _render("pages/draft_result.html", 401, ok=False, problems=[messages(lang)["draft_bad_token"]])
    return _import(rows, lang)


def _insert_data(by_graph: Mapping[Any, Sequence[Any]]) -> str:
    """DROP + INSERT DATA for each graph, terms in N-Triples syntax as pyoxigraph writes them (escaped)."""
    parts = []
    for graph, quads in by_graph.items():
        triples = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in quads)
        parts.append(f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{triples} .\n}} }}")
    return " ;\n".join(parts)


def _import(rows: list[dict[str, str]], lang: str) -> Response:
    store = _snapshot_store()
    if store is None:
        return _render("pages/draft_result.html", 409, ok=False, problems=[messages(lang)["draft_remote"]])
    try:
        by_graph = rows_quads(store, rows)
    except AuthoringError as err:
        return _render("pages/draft_result.html", 422, ok=False, problems=[str(p) for p in err.problems])
    finally:
        store.close()
    try:
        runtime().engine.update(_insert_data(by_graph))
    except DataRejected as err:
        return _render("pages/draft_result.html", 422, ok=False, problems=str(err).splitlines()[:40])
    except RelgraphError as err:
        return _render("pages/draft_result.html", 500, ok=False, problems=[str(err)])
    graphs = sorted(g.value for g in by_graph)
    agreements = sorted(
        {q.subject.value for qs in by_graph.values() for q in qs if q.object.value.endswith("#Agreement")}
    )
    return _render("pages/draft_result.html", ok=True, problems=[], graphs=graphs, agreements=agreements)


@bp.errorhandler(413)
def too_large(_err: Exception) -> Response:
    limit = runtime().config["max_body"]
    message = messages(language())["draft_too_large"].format(limit=f"{limit:,}")
    return _render("pages/draft.html", 413, form={}, error=message)
