"""A page of a long relations list gathered from the relations it shows is the page gathered from everything.

:func:`relgraph.summary.gather_page` reads the relations shown and what is around the entity without
going through an agreement; :func:`relgraph.summary.gather` reads everything around it and leaves the
other pages' relations out. Every page of two places, three relations a page, must be the same.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from relgraph_server.i18n import messages
from relgraph_server.pages_model import Paging, build_page

from relgraph.store import Store
from relgraph.summary import Runner, field_counts, gather, gather_page, relation_index, store_runner

ID = "https://w3id.org/relgraph/id/"
SIZE = 3


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    store = Store(tmp_path_factory.mktemp("gather-page") / "store")
    store.load_bundled()
    yield store_runner(store.oxigraph)
    store.close()


@pytest.mark.parametrize("path", ["city/hamburg", "region/quebec"])
def test_every_page_is_the_same(run: Runner, path: str) -> None:
    iri = ID + path
    own, held = relation_index(run, iri)
    pages = max(-(-len(own) // SIZE), -(-len(held) // SIZE))
    assert pages > 1
    t = messages("en")
    for number in range(1, pages + 1):
        paging = Paging.of(
            own, held, number=number, pages=pages, size=SIZE, fields=lambda agreements: field_counts(run, agreements)
        )
        shown = paging.shown
        drop = {r.iri for r in (*own, *held)} - shown
        pages_of = [
            build_page(bundle, "en", t, lambda x: x, path_type=path.split("/")[0], paging=paging)
            for bundle in (gather(run, iri, drop=drop), gather_page(run, iri, shown, drop=drop))
        ]
        assert pages_of[0] == pages_of[1], (path, number)
        assert pages_of[1].table("relations") is not None
