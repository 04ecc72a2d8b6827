"""The web layer's one cache (``relgraph_server.cache.VersionCache``) and the runtime's use of it.

The cache alone: bounded (least recently used out), filed under the data version (a new version
drops the old values, a value of an older version is not kept), values larger than the limit not
kept. Through a real app over a small store: the existence check is answered from the cache within
a data version and follows an update at once; with ``--no-cache`` (``cache: False``) nothing is kept
and every answer is computed, while the per-version memo stays.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from relgraph_server.app import create_app
from relgraph_server.cache import VersionCache
from relgraph_server.runtime import runtime

from relgraph.store import Store

EX = "http://example.org/"


def test_least_recently_used_values_go_first() -> None:
    cache = VersionCache(entries=2)
    cache.put(1, "a", "A")
    cache.put(1, "b", "B")
    assert cache.get(1, "a") == "A"  # "a" is now the most recently used
    cache.put(1, "c", "C")
    assert cache.get(1, "b") is None
    assert (cache.get(1, "a"), cache.get(1, "c")) == ("A", "C")
    assert len(cache) == 2


def test_a_new_version_drops_the_old_values_and_an_old_one_is_not_kept() -> None:
    cache = VersionCache(entries=10)
    cache.put(1, "a", "A1")
    assert cache.get(2, "a") is None  # another version never sees it
    assert cache.put(2, "b", "B2")
    assert cache.get(1, "a") is None and len(cache) == 1  # version 1 is gone for good
    assert not cache.put(1, "a", "late")  # computed before the update: returned, not kept
    assert cache.get(2, "a") is None and cache.get(1, "a") is None
    assert cache.fetch(2, "a", lambda: "A2") == "A2" and cache.get(2, "a") == "A2"


def test_large_values_and_refused_values_are_not_kept() -> None:
    cache = VersionCache(entries=10, max_bytes=4)
    assert cache.fetch(1, "big", lambda: b"12345", size=len) == b"12345"
    assert cache.get(1, "big") is None
    assert cache.fetch(1, "small", lambda: b"1234", size=len) == b"1234"
    assert cache.get(1, "small") == b"1234"
    assert cache.fetch(1, "error", lambda: 404, keep=lambda status: status == 200) == 404
    assert cache.get(1, "error") is None
    calls = []
    assert cache.fetch(1, "no", lambda: calls.append(1) or False) is False  # False is a value, kept
    assert cache.fetch(1, "no", lambda: calls.append(1) or True) is False and calls == [1]
    with pytest.raises(ValueError, match="at least one entry"):
        VersionCache(entries=0)


# --- through the runtime of a real app ------------------------------------------------------------


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cache") / "store"
    store = Store(path)
    store.oxigraph.add(ox.Quad(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}p"), ox.Literal("x"), ox.NamedNode(f"{EX}g")))
    store.close()
    return path


def _app(store_path: Path, *, cache: bool) -> Iterator[Flask]:
    app = create_app({"store": str(store_path), "workers": 1, "cache": cache, "validate_updates": False})
    try:
        yield app
    finally:
        runtime(app).close()


@pytest.fixture
def cached_app(store_path: Path) -> Iterator[Flask]:
    yield from _app(store_path, cache=True)


@pytest.fixture
def uncached_app(store_path: Path) -> Iterator[Flask]:
    yield from _app(store_path, cache=False)


def _insert(app: Flask, iri: str) -> None:
    runtime(app).engine.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{iri}> <{EX}p> <{EX}a> }} }}")


def test_the_existence_check_is_kept_per_version(cached_app: Flask) -> None:
    with cached_app.app_context():
        rt = runtime(cached_app)
        assert rt.cache is not None
        assert rt.exists(f"{EX}a") and not rt.exists(f"{EX}new-1")
        hits = rt.cache.hits
        assert rt.exists(f"{EX}a") and not rt.exists(f"{EX}new-1")
        assert rt.cache.hits == hits + 2  # both answered without a query
        _insert(cached_app, f"{EX}new-1")
        assert rt.exists(f"{EX}new-1")  # the update is a new version: the kept "no" is not used


def test_no_cache_keeps_nothing_but_the_memo(uncached_app: Flask) -> None:
    with uncached_app.app_context():
        rt = runtime(uncached_app)
        assert rt.cache is None
        calls: list[int] = []
        for _ in range(2):
            assert rt.cached("k", lambda: calls.append(1) or "v") == "v"
        assert calls == [1, 1]
        assert rt.answer("ASK { ?s ?p ?o }", accept="application/sparql-results+json")[1] != b""
        assert not rt.exists(f"{EX}new-2")
        _insert(uncached_app, f"{EX}new-2")
        assert rt.exists(f"{EX}new-2")
        counted: list[int] = []
        assert rt.memo("n", lambda: counted.append(1) or 7) == rt.memo("n", lambda: counted.append(1) or 8) == 7
        assert counted == [1]  # per-version figures are kept even with --no-cache
