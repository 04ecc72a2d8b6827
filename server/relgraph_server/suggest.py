"""``GET /search/suggest?q=...``: search suggestions as you type (issue 15), JSON over the label index.

At most ``limit`` (≤ 20) entities whose label contains ``q`` (case and diacritics folded), exact
matches first, each with its label in the page's language, its type and its page. The label index
of the snapshot answers (:mod:`relgraph.labelindex`); before it is built, the store's label search.
``static/suggest.js`` shows them under the site's search box (an ARIA combobox).
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from relgraph import labelindex
from relgraph.summary import label, labels_of, normalize, search_labels

from .i18n import language
from .kinds import class_labels, prefixes, run, type_label, type_of
from .runtime import runtime
from .urls import urls

__all__ = ["bp", "suggest"]

bp = Blueprint("suggest", __name__)


@bp.route("/search/suggest")
def suggest() -> Response:
    lang = language()
    q = request.args.get("q", "").strip()[:100]
    raw = request.args.get("limit", "8")
    limit = min(int(raw), 20) if raw.isdigit() and int(raw) > 0 else 8
    needle = normalize(q)
    out = []
    if len(needle) >= 2:
        index = runtime().label_index(prefixes())
        runner = run()
        if index is not None:
            matches = labelindex.search(index, q, limit=200)
        else:
            matches = search_labels(runner, q, prefixes(), limit=200)
        scores: dict[str, int] = {}
        for iri, lit in matches:
            norm = normalize(lit.value)
            if needle not in norm:
                continue
            score = 0 if norm == needle else 1 if norm.startswith(needle) else 2
            scores[iri] = min(score, scores.get(iri, 3))
        best = sorted(scores, key=lambda i: (scores[i], len(i), i))[: limit * 2]
        labels = labels_of(runner, best)
        classes = class_labels()
        u = urls()
        ranked = sorted(best, key=lambda i: (scores[i], label(labels, i, lang).casefold(), i))[:limit]
        for iri in ranked:
            out.append(
                {
                    "label": label(labels, iri, lang),
                    "type": type_label(type_of(iri), lang, classes),
                    "iri": iri,
                    "href": u.page(iri),
                }
            )
    response = jsonify({"q": q, "suggestions": out})
    response.vary.add("Accept-Language")
    return response
