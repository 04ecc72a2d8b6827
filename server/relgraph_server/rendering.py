"""Rendering pages for people: one template frame, the language, negotiation of HTML against data, the 404 page.

Every HTML page of the site (entity pages, search, index, the query page,
VoID, the drafting pages) goes through :func:`render`: the page's language
(``?lang=``, else ``Accept-Language``, else English), its messages, the
language switch, links that keep an explicit ``?lang=`` and the footer's
licence, with ``Vary: Accept-Language``. :func:`cached` keeps a built page in
the result cache per address, language and data version. Two questions of
negotiation are answered here for every module: does a client of the
endpoint want the query page (:func:`wants_html`), and which document of a
resource does an ``Accept`` header choose (:func:`choose_suffix`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec

from flask import Response, g, render_template, request
from markupsafe import Markup

from relgraph.conneg import negotiate
from relgraph.licences import DEFAULT_LICENSE, DEFAULT_LICENSE_NAME

from .i18n import language, messages
from .runtime import runtime
from .urls import here, urls

__all__ = [
    "DOCUMENT_TYPES",
    "SUFFIXES",
    "cached",
    "choose_suffix",
    "footer_licence",
    "not_found",
    "not_found_page",
    "page_key",
    "render",
    "wants_html",
]

P = ParamSpec("P")

#: suffix → media type of the documents about a resource; the order is the server's preference when Accept ties.
SUFFIXES: dict[str, str] = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "trig": "application/trig",
    "nq": "application/n-quads",
}
#: Accepted aliases → suffix.
ALIASES = {
    "application/xhtml+xml": "html",
    "application/x-turtle": "ttl",
    "application/json": "jsonld",
    "text/plain": "nt",
    "application/xml": "rdf",
    "text/xml": "rdf",
}
DOCUMENT_TYPES = [*SUFFIXES.values(), *ALIASES]

#: Machine types a client of the endpoint may prefer over HTML; on a tie (e.g. ``*/*``) they win.
_MACHINE_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "application/json",
    "application/xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "text/plain",
]
_HTML_TYPES = ["text/html", "application/xhtml+xml"]


# --- negotiation --------------------------------------------------------------------------------


def wants_html() -> bool:
    """True when ``Accept`` names HTML explicitly and ranks it above every machine type."""
    accept = request.accept_mimetypes
    if not any(value in _HTML_TYPES and q > 0 for value, q in accept):
        return False
    return accept.best_match([*_MACHINE_TYPES, *_HTML_TYPES]) in _HTML_TYPES


def choose_suffix(accept: str | None) -> str | None:
    """The document suffix for an Accept header (HTML when there is none or on a tie); None: none acceptable."""
    best = negotiate(accept, DOCUMENT_TYPES)
    if best is None:
        return None
    return ALIASES.get(best) or next(s for s, m in SUFFIXES.items() if m == best)


# --- rendering ------------------------------------------------------------------------------------


def footer_licence(refs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The footer's licence: CC BY 4.0, and the other licences of the sources a page cites (as HTML links)."""
    out: dict[str, Any] = {"name": DEFAULT_LICENSE_NAME, "href": DEFAULT_LICENSE, "others": ""}
    others = {r["licence"]["href"]: r["licence"]["name"] for r in (refs or []) if r.get("licence")}
    if others:
        link = Markup('<a rel="license" href="{}">{}</a>')
        out["others"] = Markup(", ").join(link.format(href, name) for href, name in sorted(others.items()))
    return out


def render(template: str, status: int = 200, **context: Any) -> Response:
    """A page in the site's frame: ``lang`` (default: the request's), messages ``t``, the language switch
    ``lang_links``, ``with_lang`` for links and the footer's ``licence`` (of ``page.refs`` when there is a page)."""
    lang = context.pop("lang", None) or language()
    u = urls()
    page = context.get("page")
    html = render_template(
        template,
        lang=lang,
        t=messages(lang),
        lang_links=u.languages(here(), request.args.items(multi=True)),
        with_lang=u.with_lang,
        licence=footer_licence(getattr(page, "refs", None)),
        **context,
    )
    response = Response(html, status=status, content_type="text/html; charset=utf-8")
    response.vary.add("Accept-Language")
    return response


def not_found_page(iri: str | None = None) -> Response:
    """The site's 404 page (title, language, header), naming ``iri`` when there is one."""
    return render("pages/not_found.html", status=404, iri=iri)


def not_found(iri: str | None = None) -> Response:
    """404 for a resource: the page for browsers, one line of text for everybody else."""
    if choose_suffix(request.headers.get("Accept")) == "html":
        return not_found_page(iri)
    return Response(
        f"404 Not Found: no resource {iri or request.path} in this graph\n",
        status=404,
        content_type="text/plain; charset=utf-8",
    )


# --- the page cache ---------------------------------------------------------------------------------


def page_key() -> tuple[Any, ...]:
    """What a page depends on besides the data version: its address, arguments and language."""
    args = tuple(sorted(request.args.items(multi=True)))
    return ("page", request.script_root, request.path, args, language())


def _kept(response: Response) -> bool:
    """Whole pages only: not errors, not downloads, not a page that shows a part as still being computed
    (the view sets ``g.relgraph_pending``)."""
    return response.status_code == 200 and response.mimetype == "text/html" and not g.get("relgraph_pending")


def cached_page(build: Callable[[], Response]) -> Response:
    """``build()``'s page from the result cache (:meth:`Runtime.cached_response`); CSV and errors are not kept."""
    if request.args.get("format") == "csv":
        return build()
    return runtime().cached_response(page_key(), build, keep=_kept)


def cached(view: Callable[P, Response]) -> Callable[P, Response]:
    """Keep a view's HTML in the result cache, keyed on address, language and data version.

    A new data version is a new key, so a page is never older than the data;
    CSV downloads and errors are not kept. With ``--no-cache`` every page is built.
    """

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        return cached_page(lambda: view(*args, **kwargs))

    return wrapper
