"""OpenRefine reconciliation (/reconcile) on a real server, checked against schemas of the protocol.

The schemas are of the W3C Reconciliation Service API 0.2, written by us from the specification's
text (tests/reconcile/schemas/0.2, see its README). ``staff_server``: the bundled data plus a test
city twinned with Hamburg.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from remote_proc import xfail_on_virtuoso
from sparql_http import Server

SCHEMAS = Path(__file__).resolve().parents[1] / "reconcile" / "schemas" / "0.2"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(schema, default_specification=DRAFT7)
        resources.append((schema["$id"], resource))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def valid(document: Any, schema_name: str) -> Any:
    schema = json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))
    errors = list(Draft7Validator(schema, registry=REGISTRY).iter_errors(document))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    return document


@pytest.mark.parametrize(
    ("document", "schema_name"),
    [
        ({"name": "x", "identifierSpace": "https://a/", "schemaSpace": "https://b/"}, "manifest.json"),
        (
            {"versions": ["0.1"], "name": "x", "identifierSpace": "https://a/", "schemaSpace": "https://b/"},
            "manifest.json",
        ),
        ({"q0": {"query": "Hamburg", "type": 3}}, "reconciliation-query-batch.json"),
        ({"q0": {"query": "Hamburg", "properties": [{"pid": "country"}]}}, "reconciliation-query-batch.json"),
        (
            {"q0": {"result": [{"id": "city/hamburg", "name": "Hamburg", "match": True}]}},
            "reconciliation-result-batch.json",
        ),
        (
            {"q0": {"result": [{"id": "a", "name": "A", "score": 1, "match": True, "type": [{"id": "City"}]}]}},
            "reconciliation-result-batch.json",
        ),
        ({"result": [{"name": "Hamburg"}]}, "suggest-entities-response.json"),
    ],
)
def test_the_schemas_refuse_what_the_spec_does_not_allow(document: Any, schema_name: str) -> None:
    schema = json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))
    assert list(Draft7Validator(schema, registry=REGISTRY).iter_errors(document))


def reconcile(server: Server, queries: dict[str, Any], *, post: bool = False, **params: str) -> Any:
    valid(queries, "reconciliation-query-batch.json")
    if post:
        body = urlencode({"queries": json.dumps(queries)})
        reply = server.request(
            "POST",
            "/reconcile",
            params=params,
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    else:
        reply = server.get("/reconcile", params={"queries": json.dumps(queries), **params})
    assert reply.status == 200 and reply.content_type == "application/json", reply.text
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    return valid(reply.json(), "reconciliation-result-batch.json")


def test_manifest(staff_server: Server) -> None:
    reply = staff_server.get("/reconcile")
    assert reply.status == 200 and reply.headers["Access-Control-Allow-Origin"] == "*"
    manifest = valid(reply.json(), "manifest.json")
    assert manifest["identifierSpace"] == "https://w3id.org/relgraph/id/"
    assert manifest["schemaSpace"] == "https://w3id.org/relgraph/ontology#"
    assert {t["id"] for t in manifest["defaultTypes"]} == {"Place", "Organization", "Person"}
    view = manifest["view"]["url"].replace("{{id}}", "city/hamburg")
    assert staff_server.get(view.removeprefix(staff_server.url)).status == 200
    suggest = manifest["suggest"]["entity"]
    assert suggest["service_url"] == staff_server.url + "/reconcile" and suggest["service_path"] == "/suggest/entity"
    german = staff_server.get("/reconcile", params={"lang": "de"}).json()
    assert "Orte" in german["name"] and german["preview"]["url"].endswith("&lang=de")
    assert german["suggest"]["type"]["service_path"] == "/suggest/type?lang=de"


@xfail_on_virtuoso(
    "not understood yet: 'Universität Hamburg' of type Organization finds no candidate (its labels and "
    "types read back right through Virtuoso; the other four names are found)"
)
def test_names_in_any_language_find_the_place_of_the_type(staff_server: Server) -> None:
    answer = reconcile(
        staff_server,
        {
            "q0": {"query": "Hambourg", "type": "City"},
            "q1": {"query": "Quebec", "type": "Region", "limit": 3},
            "q2": {"query": "Universität Hamburg", "type": "Organization"},
            "q3": {"query": "peter tschentscher", "type": ["Person"]},
            "q4": {"query": "Québec City"},
        },
    )
    top = {key: value["result"][0] for key, value in answer.items()}
    assert top["q0"]["id"] == "city/hamburg" and top["q0"]["name"] == "Hamburg" and top["q0"]["match"] is True
    assert top["q0"]["score"] == 100 and {"id": "City", "name": "city"} in top["q0"]["type"]
    assert top["q1"]["id"] == "region/quebec" and len(answer["q1"]["result"]) <= 3
    assert all("Region" in {t["id"] for t in r["type"]} for r in answer["q1"]["result"])
    assert top["q2"]["id"] == "org/universitaet-hamburg"
    assert top["q3"]["id"] == "person/peter-tschentscher" and top["q3"]["match"] is True
    assert top["q4"]["id"] == "city/quebec-city"
    assert not any(r["id"].startswith(("agreement/", "project/")) for v in answer.values() for r in v["result"])


def test_property_constraints_score_and_decide_the_match(staff_server: Server) -> None:
    def by(pid: str, v: Any, query: str = "Testhausen") -> dict[str, Any]:
        return {"query": query, "type": "City", "properties": [{"pid": pid, "v": v}]}

    answer = reconcile(
        staff_server,
        {
            "alone": {"query": "Testhausen", "type": "City"},
            "code": by("country", "TL"),
            "name": by("country", "Pays-Test"),
            "id": by("country", {"id": "country/otherland"}),
            "none": by("country", "Atlantis"),
            "partner": by("partnerOf", "Marseille", "Hamburg"),
            "wikidata": by("wikidata", "q1055", "Hamburg"),
        },
    )
    alone = answer["alone"]["result"]
    assert {r["id"] for r in alone[:2]} == {"city/testhausen", "city/testhausen-otherland"}
    assert not any(r["match"] for r in alone)  # two places of that name: no certain match
    for key, expected in (
        ("code", "city/testhausen"),
        ("name", "city/testhausen"),
        ("id", "city/testhausen-otherland"),
    ):
        top = answer[key]["result"]
        assert top[0]["id"] == expected and top[0]["match"] is True and top[0]["score"] == 100, key
        assert top[0]["features"] == [{"id": "name", "value": 100.0}, {"id": "country", "value": True}]
        assert top[1]["score"] == 50 and top[1]["match"] is False
    assert all(r["score"] == 50 and not r["match"] for r in answer["none"]["result"][:2])
    assert answer["partner"]["result"][0]["id"] == "city/hamburg" and answer["partner"]["result"][0]["match"] is True
    assert answer["wikidata"]["result"][0]["id"] == "city/hamburg" and answer["wikidata"]["result"][0]["match"] is True


def test_post_form_jsonp_and_german_names(staff_server: Server) -> None:
    answer = reconcile(staff_server, {"q0": {"query": "Hamburg", "type": "City"}}, post=True, lang="de")
    assert answer["q0"]["result"][0]["type"][0]["name"] in {"Stadt", "Bundesland"}
    reply = staff_server.get("/reconcile", params={"callback": "jQuery_1.cb"})
    assert reply.text.startswith("/**/jQuery_1.cb(") and reply.text.endswith(");")
    evil = staff_server.get("/reconcile", params={"callback": "alert(1)//"})
    assert evil.content_type == "application/json"  # not a name: no JSONP


@pytest.mark.parametrize(
    ("queries", "needle"),
    [
        ("not json", "not JSON"),
        (json.dumps(["Hamburg"]), "JSON object"),
        (json.dumps({"q0": {"query": "Hamburg", "type": "Planet"}}), "unknown type 'Planet'"),
        (json.dumps({"q0": {"query": "Hamburg", "properties": [{"pid": "mayor", "v": "x"}]}}), "unknown property"),
        (json.dumps({"q0": {"query": "Hamburg", "limit": -1}}), "limit"),
        (json.dumps({"q0": {"query": "Hamburg", "bogus": 1}}), "bogus"),
    ],
)
def test_bad_queries_are_400_with_a_reason(staff_server: Server, queries: str, needle: str) -> None:
    reply = staff_server.get("/reconcile", params={"queries": queries})
    assert reply.status == 400 and reply.content_type == "application/json"
    assert needle in reply.json()["error"]["message"]


def test_suggest_entity_type_property(staff_server: Server) -> None:
    entities = staff_server.get("/reconcile/suggest/entity", params={"prefix": "hambu"})
    assert entities.status == 200 and entities.headers["Access-Control-Allow-Origin"] == "*"
    result = valid(entities.json(), "suggest-entities-response.json")["result"]
    assert result[0]["id"] == "city/hamburg" and result[0]["notable"]
    more = staff_server.get("/reconcile/suggest/entity", params={"prefix": "ham", "cursor": "1"}).json()["result"]
    first = staff_server.get("/reconcile/suggest/entity", params={"prefix": "ham"}).json()["result"]
    assert more and more[0] == first[1]
    types = valid(
        staff_server.get("/reconcile/suggest/type", params={"prefix": "univ"}).json(), "suggest-types-response.json"
    )
    assert [t["id"] for t in types["result"]] == ["University"] and types["result"][0]["broader"][0][
        "id"
    ] == "Organization"
    german = staff_server.get("/reconcile/suggest/type", params={"prefix": "stadt", "lang": "de"}).json()["result"]
    assert german == [{"id": "City", "name": "Stadt", "broader": [{"id": "Place", "name": "Ort"}]}]
    props = staff_server.get("/reconcile/suggest/property", params={"prefix": "coun"}).json()
    assert [p["id"] for p in valid(props, "suggest-properties-response.json")["result"]] == ["country"]


def test_preview(staff_server: Server) -> None:
    reply = staff_server.get("/reconcile/preview", params={"id": "city/hamburg", "lang": "fr"})
    assert reply.status == 200 and reply.content_type == "text/html"
    page = reply.text
    assert "<h1>Hambourg</h1>" in page and "Allemagne" in page and "partenaires" in page and "Q1055" in page
    assert 'href="' + staff_server.url + '/id/city/hamburg.html?lang=fr"' in page
    odd = staff_server.get("/reconcile/preview", params={"id": "city/formelstadt", "lang": "en"}).text
    assert "<h1>=HYPERLINK(&#34;https://example.invalid/&#34;,&#34;Formelstadt&#34;)</h1>" in odd  # escaped
    assert staff_server.get("/reconcile/preview", params={"id": "city/atlantis"}).status == 404


def test_the_api_page_and_openapi_document_lead_to_it(staff_server: Server) -> None:
    for lang, text in (("en", "OpenRefine"), ("de", "OpenRefine"), ("fr", "OpenRefine")):
        page = staff_server.get("/api", params={"lang": lang}).text
        assert text in page and f"{staff_server.url}/reconcile" in page
    document = staff_server.get("/api/openapi.json").json()
    assert "reconciliation" in document["paths"]["/reconcile"]["get"]["summary"]
