"""Every address the site builds, in one place (as datasette's ``ds.urls``).

An entity's IRI is ``{base}id/<type>/<slug>`` (``base``: the public base, the
``base`` setting); its page on this server is ``{root}/id/<type>/<slug>.html``,
where ``root`` is the path the app is mounted under (``request.script_root``)
so that links work on 127.0.0.1 and behind a proxy alike. Concept IRIs keep
the default base (the loader does not rebase them), graphs live under
``{base}graph/``, the ontology's terms are anchors of ``/ontology``.

A link keeps the language the visitor chose with ``?lang=`` (and only then:
without it, each page follows ``Accept-Language``). :func:`urls` gives the
:class:`Urls` of the current request; the class itself needs no Flask, so
the rules are tested on their own (``tests/server/test_urls.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

from flask import g, has_request_context, request

from relgraph import settings

from .i18n import LANGUAGE_NAMES, LANGUAGES
from .runtime import runtime

__all__ = ["Urls", "dataset_iri", "explicit_lang", "public_base", "urls"]

Args = Mapping[str, str] | Iterable[tuple[str, str]]


def _pairs(args: Args) -> list[tuple[str, str]]:
    return list(args.items()) if isinstance(args, Mapping) else list(args)


class Urls:
    """Addresses relative to ``root``, for IRIs under ``base``, keeping ``lang`` (an explicit ``?lang=``) in links."""

    def __init__(self, *, base: str, root: str = "", lang: str | None = None) -> None:
        self.base, self.root, self.lang = base, root, lang

    # --- IRIs of this dataset ------------------------------------------------------------------

    @property
    def instances(self) -> str:
        """The namespace of the instance IRIs (``{base}id/``)."""
        return self.base + "id/"

    @property
    def concepts(self) -> str:
        """The namespace of concept IRIs (never rebased: ``https://w3id.org/relgraph/concept/``)."""
        return settings.DEFAULT_BASE + "concept/"

    def dataset(self) -> str:
        """The IRI of the dataset its VoID description describes."""
        return self.base + ".well-known/void#relgraph"

    def local(self, iri: str) -> str | None:
        """The path of ``iri`` on this server (``id/city/hamburg``, ``graph/…``, ``concept/…``), else None."""
        for prefix, ns in (("id", self.instances), ("graph", self.base + "graph/"), ("concept", self.concepts)):
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}/{iri[len(ns) :]}"
        return None

    # --- links --------------------------------------------------------------------------------

    def with_lang(self, url: str) -> str:
        """``url`` with the explicit language of the request, if any."""
        if not self.lang:
            return url
        return url + ("&" if "?" in url else "?") + urlencode({"lang": self.lang})

    def page(self, iri: str) -> str | None:
        """The page of ``iri`` on this server, the IRI itself when it is elsewhere, None when it is no web address."""
        query = "?" + urlencode({"lang": self.lang}) if self.lang else ""
        path = self.local(iri)
        if path is not None:
            return f"{self.root}/{path}.html{query}"
        if iri.startswith(settings.ONTOLOGY_NS):
            return f"{self.root}/ontology{query}#{iri[len(settings.ONTOLOGY_NS) :]}"
        if iri.startswith(("http://", "https://")):
            return iri
        return None

    def resource(self, path: str) -> str:
        """The address of a resource's own path (``id/city/hamburg``: answered with a 303 to a document)."""
        return f"{self.root}/{path}"

    def document(self, path: str, suffix: str) -> str:
        """One document about the resource at ``path`` (``id/city/hamburg`` and ``ttl``: ``/id/city/hamburg.ttl``)."""
        return f"{self.root}/{path}.{suffix}"

    def pair(self, a: str, b: str) -> str:
        """The page of everything between two instances of this dataset (``/relations/city/x/region/y``)."""
        here, other = a[len(self.instances) :], b[len(self.instances) :]
        return self.with_lang(f"{self.root}/relations/{here}/{other}")

    def entities(self, kind: str | None = None) -> str:
        """The index of every entity, or of one type segment (``city``)."""
        return self.with_lang(f"{self.root}/entities" + (f"/{kind}" if kind else ""))

    def editor(self, query: str, lang: str | None = None) -> str:
        """The query page, opened with ``query`` (and its language)."""
        params = {"query": query, **({"lang": lang} if lang else {})}
        return f"{self.root}/sparql?" + urlencode(params)

    def sparql(self) -> str:
        """The endpoint (and, for browsers, the query page)."""
        return f"{self.root}/sparql"

    def variant(self, path: str, args: Args, **changes: str | int | None) -> str:
        """``path`` with the query ``args`` where ``changes`` replace (or, as None, drop) arguments.

        >>> Urls(base="https://example.org/").variant("/entities/city", {"page": "2", "lang": "de"}, page=3)
        '/entities/city?lang=de&page=3'
        """
        kept = [(k, v) for k, v in _pairs(args) if k not in changes]
        added = [(k, str(v)) for k, v in changes.items() if v is not None]
        query = urlencode([*kept, *added])
        return f"{path}?{query}" if query else path

    def languages(self, path: str, args: Args) -> list[dict[str, str]]:
        """The same address in each language (the language switch): code, name and address."""
        kept = [(k, v) for k, v in _pairs(args) if k != "lang"]
        return [
            {"code": code, "name": LANGUAGE_NAMES[code], "href": f"{path}?{urlencode([*kept, ('lang', code)])}"}
            for code in LANGUAGES
        ]

    def csv(self, path: str, args: Args, table: str) -> str:
        """One table of a page as CSV (``?format=csv&table=<name>``)."""
        kept = [(k, v) for k, v in _pairs(args) if k not in ("format", "table")]
        return f"{path}?{urlencode([*kept, ('format', 'csv'), ('table', table)])}"


def public_base() -> str:
    """The public base of the IRIs the app serves (the ``base`` setting)."""
    return str(runtime().config["base"])


def dataset_iri() -> str:
    return Urls(base=public_base()).dataset()


def explicit_lang() -> str | None:
    """``?lang=`` when it names a language we have, else None (read once per request: a page has thousands of links)."""
    if not has_request_context():
        return None
    if "relgraph_lang" not in g:
        asked = request.args.get("lang", "").lower()
        g.relgraph_lang = asked if asked in LANGUAGES else None
    lang: str | None = g.relgraph_lang
    return lang


def here() -> str:
    """This request's address without its query: the mount path (``script_root``) and the path inside the app."""
    return request.script_root + request.path


def urls(lang: str | None = None) -> Urls:
    """The :class:`Urls` of the current request (its script root and explicit language, or ``lang``)."""
    root = request.script_root if has_request_context() else ""
    return Urls(base=public_base(), root=root, lang=lang if lang is not None else explicit_lang())
