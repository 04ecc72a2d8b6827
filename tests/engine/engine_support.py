"""Test data shared by the engine tests (a uniquely named module: `conftest` is ambiguous across folders)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from relgraph.store import Store

EX = "http://example.org/"
#: Literals that look like the structure of every result format.
TRICKY = [
    'a "quoted" },{ [{ value',
    "line one\nline two\r\nthree",
    "<result></result> & <results>",
    "tab\there, comma, semicolon;",
    'back\\slash \\" and "',
    "",
]


def make_store(path: Path, *, n: int = 3000) -> Path:
    """A store with ``n`` triples spread over graphs g0, g1, g2 and a few tricky literals in g3."""
    store = Store(path)
    quads = [
        ox.Quad(
            ox.NamedNode(f"{EX}s{i}"),
            ox.NamedNode(f"{EX}p{i % 7}"),
            ox.Literal(f"value {i}"),
            ox.NamedNode(f"{EX}g{i % 3}"),
        )
        for i in range(n)
    ]
    quads += [
        ox.Quad(ox.NamedNode(f"{EX}t{i}"), ox.NamedNode(f"{EX}tricky"), ox.Literal(text), ox.NamedNode(f"{EX}g3"))
        for i, text in enumerate(TRICKY)
    ]
    store.oxigraph.extend(quads)
    store.close()
    return path
