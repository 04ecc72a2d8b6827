"""The human side of ``/sparql``: the query page, in English, German and French.

The page is a Jinja template in the site's frame (``pages/base.html``: header,
language switch, footer) with the app's own JavaScript and CSS (no CDN): the
editor is CodeMirror 6 with a SPARQL mode, bundled from npm into
``static/vendor/`` (``tools/frontend/README.md``). Its form is a plain
``GET /sparql?query=...``, so it works without JavaScript: the server then
runs the query and renders the result table itself. With JavaScript the page
POSTs the query with ``fetch()`` and draws a sortable, paged table (and a bar
chart when the results are a label and a number) in place; the URL carries
the query, so it can be shared. Example queries come from the repository's ``queries/``
folder (titled by their summary in the page's language) and from this
package's ``examples/``.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Response, request

from relgraph import catalogs
from relgraph.namespaces import PREFIXES
from relgraph.resources import bundled_dir

from .errors import describe
from .i18n import LANGUAGES, language
from .protocol import Operation
from .rendering import render
from .runtime import runtime
from .urls import public_base, urls

__all__ = ["LANGUAGES", "MESSAGES", "Example", "language", "load_examples", "query_page"]

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"

MESSAGES: dict[str, dict[str, str]] = catalogs.table("query")  # tools/i18n_catalogs.py

#: Download links of the page: label, ``format=`` value (see ``sparql.FORMATS``).
DOWNLOADS = {
    "select": [("JSON", "json"), ("CSV", "csv"), ("TSV", "tsv"), ("XML", "xml")],
    "graph": [("Turtle", "turtle"), ("N-Triples", "ntriples"), ("RDF/XML", "rdfxml"), ("JSON-LD", "jsonld")],
}
_PAGE_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"
DEFAULT_QUERY = "SELECT * WHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n"


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    query: str
    params: tuple[str, ...] = ()


def _header(path: Path, text: str) -> tuple[str, tuple[str, ...]]:
    """Title and parameter names from a query file's leading comments.

    Understands the repository's ``#+ summary:`` / ``#+ params:`` decorators
    and, for plain files, takes the first comment line as the title.
    """
    title, params, in_params = "", [], False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        if stripped.startswith("#+"):
            body = stripped[2:]
            key, _, value = body.strip().partition(":")
            if body[:1] == " " and body[1:2] != " ":  # a top-level key
                in_params = key == "params"
                if key == "summary":
                    title = value.strip()
            elif in_params and key:
                params.append(key.strip())
        elif not title:
            title = stripped.lstrip("#").strip()
    return title or path.stem.replace("-", " ").replace("_", " "), tuple(params)


def _ready_made(path: Path, text: str, lang: str) -> Example | None:
    """A query file with a ``#+`` header: titled by its summary in ``lang``, with its example
    values in a VALUES block (see relgraph.queries); None when the file cannot be parsed."""
    from relgraph.queries import bind, parse_query_file, values_query

    try:
        query = parse_query_file(path)
        params = tuple(p.name for p in query.parameters)
        body = values_query(query, bind(query, query.example_params())) if params else text
    except Exception:  # a broken file is still shown as it is (see load_examples)
        return None
    title = query.summary_in(lang)
    if params:
        body = (
            f"# {title}\n# Example values are in the VALUES line; change them there, "
            f"or use GET /api/queries/{query.name}?…\n{body}"
        )
    return Example(name=path.stem, title=title, query=body, params=params)


def load_examples(lang: str = "en") -> list[Example]:
    """The repository's ``queries/*.rq``, then this package's ``examples/*.rq``.

    Files with a ``#+`` header are titled by their summary in ``lang`` (English
    when it has no translation); those with parameters come with their example
    values in a VALUES block.
    """
    folders: list[Path] = []
    with contextlib.suppress(FileNotFoundError):
        folders.append(bundled_dir("queries"))
    folders.append(EXAMPLES_DIR)
    examples: list[Example] = []
    seen: set[str] = set()
    for folder in folders:
        for path in sorted(folder.glob("*.rq")):
            if path.stem in seen:
                continue
            seen.add(path.stem)
            text = path.read_text(encoding="utf-8")
            ready = _ready_made(path, text, lang) if text.startswith("#+") else None
            if ready is not None:
                examples.append(ready)
                continue
            title, params = _header(path, text)
            examples.append(Example(name=path.stem, title=title, query=text, params=params))
    return examples


def _short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _iri_link(iri: str, lang: str) -> str:
    """An entity of this dataset links to its page (``{base}id/...`` → ``/id/...``), any other IRI to
    its DESCRIBE on the endpoint (query.js does the same in the browser)."""
    u = urls()
    path = u.local(iri) if iri.startswith(u.instances) and "#" not in iri else None
    if path is not None:
        return u.variant(u.resource(path), {"lang": lang})
    return u.editor(f"DESCRIBE <{iri}>", lang)


def _cell(term: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    """A result term as the template shows it: text, and a link for IRIs."""
    if term is None:
        return {"text": ""}
    value = term.get("value", "")
    if term["type"] == "uri":
        return {"text": _short(value), "title": value, "href": _iri_link(value, lang)}
    if term["type"] == "bnode":
        return {"text": f"_:{value}"}
    suffix = ""
    if "xml:lang" in term:
        suffix = f"@{term['xml:lang']}"
    elif "datatype" in term:
        suffix = f"^^{_short(term['datatype'])}"
    return {"text": value, "suffix": suffix}


def _run(op: Operation, lang: str) -> tuple[dict[str, Any] | None, int]:
    started = time.perf_counter()
    try:
        media_type, body = runtime().answer(
            op.text, accept=_PAGE_ACCEPT, default_graphs=op.default_graphs, named_graphs=op.named_graphs
        )
    except Exception as exc:  # every error becomes a message on the page
        status, message, _ = describe(exc)
        return {"error": message}, status
    ms = (time.perf_counter() - started) * 1000
    if not media_type.startswith("application/sparql-results+json"):
        return {"kind": "graph", "text": body.decode("utf-8", "replace"), "ms": ms}, 200
    data = json.loads(body)
    if "boolean" in data:
        return {"kind": "ask", "boolean": data["boolean"], "ms": ms}, 200
    names = data["head"].get("vars", [])
    rows = [[_cell(b.get(n), lang) for n in names] for b in data["results"]["bindings"]]
    return {"kind": "select", "vars": names, "rows": rows, "ms": ms}, 200


def query_page(op: Operation | None = None, *, error: Exception | None = None) -> Response:
    """The query page; with ``op``, also its results (rendered on the server), or an ``error``."""
    lang = language()
    examples = load_examples(lang)
    result, status = _run(op, lang) if op is not None else (None, 200)
    if error is not None:
        status, message, _ = describe(error)
        result = {"error": message}
    u = urls()
    downloads: list[tuple[str, str]] = []
    if op is not None and result is not None and "error" not in result:
        kind = "graph" if result["kind"] == "graph" else "select"
        for label, fmt in DOWNLOADS[kind]:
            downloads.append((label, u.variant(u.sparql(), {"query": op.text}, format=fmt)))
    share = u.editor(op.text, lang) if op is not None else ""
    response = render(
        "query.html",
        status,
        lang=lang,
        qt=MESSAGES[lang],
        examples=examples,
        examples_json=[{"name": e.name, "query": e.query} for e in examples],
        query=op.text
        if op is not None
        else (request.args.get("query") if error is not None else None)
        or next((e.query for e in examples if not e.params), DEFAULT_QUERY),
        result=result,
        downloads=downloads,
        downloads_json=DOWNLOADS,
        endpoint=u.sparql(),
        prefixes=PREFIXES,
        base=public_base(),
        root=request.script_root,
        share_href=share,
        update_enabled=bool(runtime().config["update_token"]),
    )
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    return response
