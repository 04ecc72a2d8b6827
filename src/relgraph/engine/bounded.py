"""Queries whose work is provably bounded, answered in the serving process without a worker.

Every query runs in a killable worker process because pyoxigraph has no time
limit (:mod:`relgraph.engine.pool`). For a tiny query the round trip to the
worker costs several times Oxigraph's own work. One form is bounded before it
runs: ``DESCRIBE <iri>`` (optionally after ``PREFIX`` declarations, no WHERE)
describes the IRI by its outbound triples, plus, recursively, those of blank
node objects. The engine counts the IRI's quads up to :data:`MAX_QUADS` on a
read-only snapshot; when there are no more and none of their objects is a blank
node (or a quoted triple), these quads' triples are the answer (in the order
Oxigraph's DESCRIBE gives them), serialized as a worker serializes a graph,
in the calling thread. Anything else goes to a worker with the time limit.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["MAX_QUADS", "bounded_description", "describe_target"]

#: Outbound quads of the described IRI at most for an in-process DESCRIBE (more: a worker answers).
MAX_QUADS = 10_000

_SPACE = r"(?:\s|#[^\n]*(?:\n|$))*"
_IRIREF = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_PREFIX = rf"PREFIX\s*(?:[A-Za-z](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?:\s*{_IRIREF}{_SPACE}"
_DESCRIBE = re.compile(
    rf"{_SPACE}(?:{_PREFIX})*DESCRIBE\s*<([A-Za-z][A-Za-z0-9+.-]*:[^<>\"{{}}|^`\\\x00-\x20]*)>{_SPACE}",
    re.IGNORECASE,
)


def describe_target(sparql: str) -> str | None:
    """The absolute IRI of a query that is only ``DESCRIBE <iri>`` (after PREFIXes and comments), else None."""
    found = _DESCRIBE.fullmatch(sparql)
    return found.group(1) if found else None


def bounded_description(store: Any, iri: str, *, max_quads: int = MAX_QUADS) -> list[Any] | None:
    """The triples ``DESCRIBE <iri>`` answers on ``store`` (union default graph), in its order, or None.

    None when the IRI has more than ``max_quads`` quads, or a blank node or quoted triple
    object (DESCRIBE would follow it): then the work is not bounded here.
    """
    import pyoxigraph as ox

    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return None
    triples = []
    for count, quad in enumerate(store.quads_for_pattern(node, None, None, None), 1):
        if count > max_quads or not isinstance(quad.object, ox.NamedNode | ox.Literal):
            return None
        triples.append(quad.triple)
    return triples
