"""Pages in the result cache: kept per address, language and data version, never older than the data."""

from __future__ import annotations

import time

from sparql_http import Reply, Server

HTML = {"Accept": "text/html"}
HAMBURG = "/id/city/hamburg.html"
GRAPH = "https://w3id.org/relgraph/graph/hamburg-de-2024-02-28-quebec"


def _built_then_hit(server: Server, lang: str) -> tuple[Reply, Reply]:
    """A GET that builds and keeps Hamburg's page, and the next one, from the cache.

    A page that still shows a part as being computed (the network, the partner finder: background jobs,
    slow on a loaded machine) is not kept; over a remote store the data version also moves every
    remote_version_ttl (5) seconds, so a pair of requests may straddle a step. Pairs until one is a hit.
    """
    deadline = time.monotonic() + 120
    while True:
        first = server.get(HAMBURG, params={"lang": lang}, headers=HTML)
        again = server.get(HAMBURG, params={"lang": lang}, headers=HTML)
        assert first.status == again.status == 200
        if again.headers.get("X-Relgraph-Cache") == "hit" or time.monotonic() > deadline:
            return first, again
        time.sleep(0.5)


def test_a_page_is_built_once_per_version_and_language(server: Server) -> None:
    first, again = _built_then_hit(server, "de")
    assert again.headers.get("X-Relgraph-Cache") == "hit" and again.body == first.body
    assert "Accept-Language" in again.headers["Vary"]
    french = server.get(HAMBURG, params={"lang": "fr"}, headers=HTML)
    assert french.headers.get("X-Relgraph-Cache") != "hit" and french.body != first.body  # another key
    by_header = server.get(HAMBURG, headers={**HTML, "Accept-Language": "fr"})
    assert "Hambourg" in by_header.text  # the language from Accept-Language is part of the key


def test_an_update_is_seen_at_once(server: Server) -> None:
    label = "Hamburg (page cache test)"
    before, cached = _built_then_hit(server, "en")
    assert label not in before.text and cached.headers.get("X-Relgraph-Cache") == "hit"
    reply = server.update(
        f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <https://w3id.org/relgraph/id/city/hamburg> "
        f'<http://www.w3.org/2004/02/skos/core#altLabel> "{label}"@en }} }}'
    )
    assert reply.status == 204, reply.text
    after = server.get(HAMBURG, params={"lang": "en"}, headers=HTML)
    # built anew (kept, or not while a part of the new version is being computed), never the old page
    assert after.headers.get("X-Relgraph-Cache") != "hit" and label in after.text
    server.update(
        f"DELETE DATA {{ GRAPH <{GRAPH}> {{ <https://w3id.org/relgraph/id/city/hamburg> "
        f'<http://www.w3.org/2004/02/skos/core#altLabel> "{label}"@en }} }}'
    )


def test_csv_and_errors_are_not_kept(server: Server) -> None:
    for _ in range(2):
        csv = server.get(HAMBURG, params={"format": "csv", "table": "relations"})
        assert csv.status == 200 and "X-Relgraph-Cache" not in csv.headers
        assert "attachment" in csv.headers["Content-Disposition"]
        missing = server.get("/id/city/atlantis.html", headers=HTML)
        assert missing.status == 404 and "X-Relgraph-Cache" not in missing.headers


def test_no_cache_builds_every_page(open_server: Server) -> None:
    for _ in range(2):
        reply = open_server.get("/search", params={"q": "Quebec"}, headers=HTML)
        assert reply.status == 200 and "X-Relgraph-Cache" not in reply.headers
