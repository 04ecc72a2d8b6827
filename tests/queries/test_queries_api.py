"""The /api blueprint against a real ``relgraph serve`` on loopback (all bundled data: seed and curated).

Expected rows here are those of the seed data, which the curated data only
adds to; so these tests check containment where curated data may add rows.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from queries_support import CONCEPT, ID

HAMBURG = ID + "city/hamburg"
QUEBEC = ID + "region/quebec"
SP2024 = ID + "agreement/hamburg-quebec-strategic-partnership-2024"


def test_list_of_queries(api_server, queries) -> None:
    reply = api_server.get("/api/queries")
    assert reply.status == 200 and reply.content_type == "application/json"
    listed = {q["name"]: q for q in reply.json()["queries"]}
    assert set(listed) == set(queries)
    partners = listed["partners-of"]
    assert partners["summary"] == queries["partners-of"].summary
    entity = next(p for p in partners["parameters"] if p["name"] == "entity")
    assert entity == {
        "name": "entity",
        "type": "iri",
        "format": "uri",
        "required": True,
        "description": queries["partners-of"].parameter("entity").description,
        "example": HAMBURG,
    }
    assert partners["links"]["self"] == "/api/queries/partners-of"
    assert partners["links"]["csv"] == "/api/queries/partners-of.csv"
    assert api_server.get(partners["links"]["example"]).status == 200


def test_rows_as_plain_json(api_server) -> None:
    reply = api_server.get("/api/queries/partners-of", params={"entity": QUEBEC})
    assert reply.status == 200
    data = reply.json()
    assert data["query"] == "partners-of" and data["parameters"] == {"entity": QUEBEC}
    assert data["columns"][:2] == ["partner", "partnerLabel"] and "_entity_iri" not in data["columns"]
    sp = next(r for r in data["rows"] if r["relation"] == SP2024)
    assert sp["partner"] == HAMBURG and sp["partner@type"] == "iri"
    assert sp["partnerLabel"] == "Hamburg" and sp["partnerLabel@lang"] == "en"
    assert sp["date@type"] == "xsd:date" and sp["agreementType"] == CONCEPT + "agreement-type/strategic-partnership"
    assert data["total"] == len(data["rows"]) and data["has_more"] is False and data["next"] is None
    assert reply.headers["X-Total-Count"] == str(data["total"])


def test_pagination(api_server) -> None:
    first = api_server.get("/api/queries/fields-of", params={"entity": HAMBURG, "limit": 2}).json()
    assert first["total"] >= 10 and len(first["rows"]) == 2 and first["has_more"] is True
    assert first["next"].startswith("/api/queries/fields-of?") and "offset=2" in first["next"]
    second = api_server.get(first["next"]).json()
    assert second["offset"] == 2 and second["rows"] != first["rows"]
    everything = api_server.get("/api/queries/fields-of", params={"entity": HAMBURG, "limit": 1000}).json()
    assert everything["rows"][:4] == first["rows"] + second["rows"]
    last = api_server.get("/api/queries/fields-of", params={"entity": HAMBURG, "offset": everything["total"]}).json()
    assert last["rows"] == [] and last["next"] is None


def test_csv_by_suffix_and_accept(api_server) -> None:
    by_suffix = api_server.get("/api/queries/timeline.csv", params={"entity": HAMBURG})
    by_accept = api_server.get("/api/queries/timeline", params={"entity": HAMBURG}, headers={"Accept": "text/csv"})
    assert by_suffix.status == by_accept.status == 200
    assert by_suffix.content_type == by_accept.content_type == "text/csv"
    assert by_suffix.body == by_accept.body
    table = list(csv.DictReader(io.StringIO(by_suffix.body.decode("utf-8-sig"))))
    assert table[0].keys() == {"date", "event", "relation", "relationLabel", "party", "source"}
    sp = next(r for r in table if r["relation"] == SP2024)
    assert (sp["date"], sp["event"]) == ("2024-02-20", "signed")
    assert any(r["date"] == "2023-06" for r in table)  # the ZAL–CRIAQ MoU, at month precision


def test_sparql_json(api_server) -> None:
    reply = api_server.get(
        "/api/queries/signatories", params={"agreement": SP2024}, headers={"Accept": "application/sparql-results+json"}
    )
    assert reply.status == 200 and reply.content_type == "application/sparql-results+json"
    data = reply.json()
    assert "__agreement_iri" not in data["head"]["vars"]
    people = {b["signatory"]["value"] for b in data["results"]["bindings"]}
    assert people == {ID + "person/peter-tschentscher", ID + "person/martine-biron"}


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/json; charset=utf-8", "application/json"),  # 406 before: parameters stopped the match
        ("text/csv; charset=utf-8", "text/csv"),
        ("application/sparql-results+json; charset=utf-8", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/json", "application/json"),
        ("text/*", "text/csv"),
        ("*/*", "application/json"),
        ("application/*;q=0.1, text/csv;q=0.9", "text/csv"),
        ("application/json;q=0, */*", "text/csv"),
    ],
)
def test_accept_is_negotiated_like_the_endpoint(api_server, accept, media_type) -> None:
    reply = api_server.get("/api/queries/signatories", params={"agreement": SP2024}, headers={"Accept": accept})
    assert reply.status == 200 and reply.content_type == media_type
    assert "Accept" in reply.headers["Vary"]


def test_not_acceptable(api_server) -> None:
    reply = api_server.get("/api/queries/signatories", headers={"Accept": "image/png"})
    assert reply.status == 406 and reply.json()["error"]["status"] == 406


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/api/queries/partners-of", {}, "entity"),
        ("/api/queries/partners-of", {"entity": "not an iri"}, "entity"),
        ("/api/queries/partners-of", {"entity": "<urn:x> } UNION { ?s ?p ?o }"}, "entity"),
        ("/api/queries/partners-of", {"entity": HAMBURG, "bogus": "1"}, "bogus"),
        ("/api/queries/active-on", {"date": "2024-13-01"}, "date"),
        ("/api/queries/partners-of", {"entity": HAMBURG, "limit": "0"}, "limit"),
        ("/api/queries/partners-of", {"entity": HAMBURG, "limit": "-1"}, "limit"),
        ("/api/queries/partners-of", {"entity": HAMBURG, "offset": "x"}, "offset"),
        ("/api/queries/partners-of", [("entity", HAMBURG), ("entity", QUEBEC)], "entity"),
        ("/api/queries/label-search", {"text": "x" * 5000}, "text"),
    ],
)
def test_bad_parameters_are_400_naming_them(api_server, path, params, parameter) -> None:
    reply = api_server.get(path, params=params)
    assert reply.status == 400 and reply.content_type == "application/json"
    assert reply.json()["error"]["parameter"] == parameter


def test_non_utf8_bytes_are_400(api_server) -> None:
    reply = api_server.get("/api/queries/label-search?text=%FF%FE")
    assert reply.status == 400 and reply.json()["error"]["parameter"] == "text"
    assert api_server.get("/api/queries/label-search?te%FFxt=a").status == 400


def test_unknown_query_is_404(api_server) -> None:
    reply = api_server.get("/api/queries/no-such-question")
    assert reply.status == 404 and "no-such-question" in reply.json()["error"]["message"]


def _finds_hamburg(server, text: str = "Hamburg") -> bool:
    """A control: the same question with a harmless text finds rows (so an empty answer means "no label matched")."""
    reply = server.get("/api/queries/label-search", params={"text": text})
    assert reply.status == 200, reply.text
    return any("city/hamburg" in str(row) for row in reply.json()["rows"])


@pytest.mark.parametrize(
    "value", ['x" } ; DROP ALL #', "<urn:x> } UNION { ?s ?p ?o }", '") } UNION { ?s ?p ?o } #', "y" * 200]
)
def test_hostile_values_stay_values(api_server, value: str) -> None:
    assert _finds_hamburg(api_server)
    # pasted into the text, each would be a syntax error or match every label; bound, it is text no label holds
    reply = api_server.get("/api/queries/label-search", params={"text": value})
    assert reply.status == 200 and reply.json()["rows"] == [] and reply.json()["total"] == 0
    reply = api_server.get("/api/queries/source-disagreements", params={"subject": value})
    assert reply.status == 400


def test_a_100k_value_never_reaches_the_store(api_server) -> None:
    try:
        reply = api_server.get("/api/queries/label-search", params={"text": "z" * 100_000})
        assert reply.status in (400, 414, 431)
    except ConnectionError:
        pass  # the server may close the connection on a request line this long
    assert api_server.get("/health").status == 200
    assert _finds_hamburg(api_server)  # and it still answers the next question


def test_openapi_document_validates(api_server, queries) -> None:
    from openapi_spec_validator import validate

    document = api_server.get("/api/openapi.json").json()
    validate(document)
    own = {p for p in document["paths"] if not p.startswith("/api/network/")}  # the network's: tests/network
    assert own == {"/api/queries", "/reconcile", "/api/suggest"} | {f"/api/queries/{n}" for n in queries}
    op = document["paths"]["/api/queries/agreements-in-field"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert params["field"]["schema"]["format"] == "uri" and params["field"]["required"] is True
    assert params["from"]["schema"]["format"] == "date" and params["from"]["required"] is False
    assert params["from"]["example"] == "2023-01-01" and params["field"]["description"]
    assert params["limit"]["schema"]["type"] == "integer"
    enum = document["paths"]["/api/queries/agreements-of-type"]["get"]["parameters"][0]["schema"]["enum"]
    assert CONCEPT + "agreement-type/city-twinning" in enum


@pytest.mark.slow
def test_schemathesis_finds_no_server_errors(api_server) -> None:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{api_server.url}/api/openapi.json",
        "--checks",
        "not_a_server_error",
        "--max-examples",
        "20",
        "--no-color",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


@pytest.mark.parametrize(("lang", "text"), [("en", "Try it"), ("de", "Ausprobieren"), ("fr", "Essayer")])
def test_browsable_page(api_server, lang: str, text: str) -> None:
    reply = api_server.get("/api", params={"lang": lang})
    assert reply.status == 200 and reply.content_type == "text/html"
    page = reply.text
    assert f'<html lang="{lang}">' in page and text in page
    assert 'id="q-partners-of"' in page and 'action="/api/queries/partners-of"' in page
    assert "cdn" not in page.lower() and "/static/api.js" in page
    assert api_server.get("/static/api.js").status == 200 and api_server.get("/static/api.css").status == 200
    messages = page.split('id="api-messages" type="application/json">')[1].split("</script>")[0]
    assert json.loads(messages)["run"] == text
