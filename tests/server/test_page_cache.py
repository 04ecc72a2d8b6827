"""Pages in the result cache: kept per address, language and data version, never older than the data."""

from __future__ import annotations

from sparql_http import Server

HTML = {"Accept": "text/html"}
HAMBURG = "/id/city/hamburg.html"
GRAPH = "https://w3id.org/relgraph/graph/hamburg-de-2024-02-28-quebec"


def test_a_page_is_built_once_per_version_and_language(server: Server) -> None:
    # Over a remote store the data version also moves every remote_version_ttl (5) seconds,
    # so a pair of requests may straddle a step; one of three pairs lands within one version.
    for _ in range(3):
        first = server.get(HAMBURG, params={"lang": "de"}, headers=HTML)
        again = server.get(HAMBURG, params={"lang": "de"}, headers=HTML)
        assert first.status == again.status == 200
        if again.headers["X-Relgraph-Cache"] == "hit":
            break
    assert again.headers["X-Relgraph-Cache"] == "hit" and again.body == first.body
    assert "Accept-Language" in again.headers["Vary"]
    french = server.get(HAMBURG, params={"lang": "fr"}, headers=HTML)
    assert french.headers["X-Relgraph-Cache"] == "miss" and french.body != first.body
    by_header = server.get(HAMBURG, headers={**HTML, "Accept-Language": "fr"})
    assert "Hambourg" in by_header.text  # the language from Accept-Language is part of the key


def test_an_update_is_seen_at_once(server: Server) -> None:
    label = "Hamburg (page cache test)"
    before = server.get(HAMBURG, params={"lang": "en"}, headers=HTML)
    assert label not in before.text
    server.get(HAMBURG, params={"lang": "en"}, headers=HTML)  # now certainly cached
    reply = server.update(
        f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <https://w3id.org/relgraph/id/city/hamburg> "
        f'<http://www.w3.org/2004/02/skos/core#altLabel> "{label}"@en }} }}'
    )
    assert reply.status == 204, reply.text
    after = server.get(HAMBURG, params={"lang": "en"}, headers=HTML)
    assert after.headers["X-Relgraph-Cache"] == "miss" and label in after.text
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
