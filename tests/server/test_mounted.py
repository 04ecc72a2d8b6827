"""The app mounted under a path (``SCRIPT_NAME``, as behind a reverse proxy): every link stays under it.

The language switch, page links, CSV links and facets are built from the request's own address;
they must carry the mount path as entity links do, or they lead out of the site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from relgraph_server.app import create_app

from relgraph.deployment import deployment

ROOT = "/rg"
_HREF = re.compile(r'(?:href|action|src)="(/[^"]*)"')


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    path = tmp_path_factory.mktemp("mounted") / "store"
    deployment(Path(path)).prepare()  # the bundled data, as `relgraph serve` fills an empty store
    app = create_app({"store": str(path), "workers": 1, "cache": False, "page_relations": 3})
    with app.test_client() as client:
        yield client


def _links(client: FlaskClient, path: str, **params: str) -> list[str]:
    reply = client.get(
        path, query_string=params, headers={"Accept": "text/html"}, environ_overrides={"SCRIPT_NAME": ROOT}
    )
    assert reply.status_code == 200, (path, reply.status_code)
    return _HREF.findall(reply.get_data(as_text=True))


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/id/city/hamburg.html", {"lang": "fr"}),  # language switch, next page, CSV tables
        ("/entities/city", {}),  # facets and sorting
        ("/search", {"q": "Hamburg"}),
        ("/", {"lang": "de"}),  # the home page's cards
        ("/network", {}),
    ],
)
def test_every_local_link_keeps_the_mount_path(client: FlaskClient, path: str, params: dict[str, str]) -> None:
    links = _links(client, path, **params)
    assert links, "the page should have links"
    outside = [link for link in links if not link.startswith(ROOT + "/")]
    assert outside == [], outside


def test_the_language_switch_and_the_next_page_are_under_the_mount_path(client: FlaskClient) -> None:
    links = _links(client, "/id/city/hamburg.html")
    assert f"{ROOT}/id/city/hamburg.html?lang=de" in [link.replace("&amp;", "&") for link in links]
    assert any(link.startswith(f"{ROOT}/id/city/hamburg.html?") and "page=2" in link for link in links)
    assert any(link.startswith(f"{ROOT}/id/city/hamburg.html?") and "format=csv" in link for link in links)
