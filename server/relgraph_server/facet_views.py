"""Facets and table columns of the entity index and the search (issue 15), for ``pages.py``.

A facet value is a link that adds (or, when chosen, removes) ``?facet=IRI`` on the current URL, so
the filters work without JavaScript and every filtered list has its own address. The core is
:mod:`relgraph.facets`; this module adds labels, links and the query string.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from flask import request

from relgraph import facets
from relgraph.summary import label, labels_of

from .urls import here

__all__ = ["FILTERS", "chosen", "columns", "facet_groups"]

#: the query parameters that filter: ``type`` (search only) and the facets of relgraph.facets
FILTERS: tuple[str, ...] = ("type", *facets.FACETS)


def chosen(*, allowed: Iterable[str] = FILTERS) -> dict[str, str]:
    """The facet values of the request (``?country=IRI``); a value that is not an absolute IRI is refused."""
    out = {}
    for name in allowed:
        value = request.args.get(name, "").strip()
        if not value:
            continue
        if name != "type" and not value.startswith(("http://", "https://")):
            raise ValueError(f"?{name}= takes an IRI (http… or https…), not {value[:60]!r}")
        out[name] = value
    return out


def _href(name: str, value: str | None) -> str:
    args = {k: v for k, v in request.args.items() if k not in (name, "page")}
    if value is not None:
        args[name] = value
    return f"{here()}?{urlencode(args)}"


def facet_groups(
    run: Any,
    counts: Mapping[str, list[tuple[str, int]]],
    selected: Mapping[str, str],
    lang: str,
    titles: Mapping[str, str],
    *,
    type_label: Callable[[str], str] | None = None,
) -> list[dict[str, Any]]:
    """What the template lists: per facet its title and values (label, count, link, chosen)."""
    iris = [v for values in counts.values() for v, _ in values if v.startswith("http")]
    iris += [v for k, v in selected.items() if k != "type"]
    labels = labels_of(run, iris) if iris else {}
    groups = []
    for name in FILTERS:
        values = counts.get(name, [])
        if not values and name not in selected:
            continue
        items = []
        for value, n in values:
            is_chosen = selected.get(name) == value
            text = type_label(value) if name == "type" and type_label else label(labels, value, lang)
            items.append({"text": text, "n": n, "href": _href(name, None if is_chosen else value), "chosen": is_chosen})
        if name in selected and not any(i["chosen"] for i in items):
            value = selected[name]
            text = type_label(value) if name == "type" and type_label else label(labels, value, lang)
            items.insert(0, {"text": text, "n": 0, "href": _href(name, None), "chosen": True})
        groups.append({"name": name, "title": titles[name], "items": items})
    return groups


def columns(
    run: Any, values: Mapping[str, Mapping[str, set[str]]], iris: Iterable[str], lang: str
) -> dict[str, dict[str, str]]:
    """Entity → facet → the labels of its values, joined (the index table's columns)."""
    iris = list(iris)
    wanted = {v for i in iris for name, vs in values.get(i, {}).items() if name != "source" for v in vs}
    labels = labels_of(run, wanted) if wanted else {}
    out: dict[str, dict[str, str]] = {}
    for i in iris:
        out[i] = {
            name: ", ".join(sorted(label(labels, v, lang) for v in vs))
            for name, vs in values.get(i, {}).items()
            if name != "source"
        }
    return out


def kind_facet_counts(run: Any, prefix: str, kind: str) -> dict[str, list[tuple[str, int]]]:
    """The facets of one type over all its instances (cached per data version by the caller)."""
    return facets.kind_facets(run, prefix, kind)
