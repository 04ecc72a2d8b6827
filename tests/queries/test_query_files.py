"""Query files that cannot drift: headers, declared parameters, grlc compatibility, remote form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from queries_support import CONCEPT

from relgraph.queries import (
    VALUES_MARKER,
    QueryFile,
    QueryFileError,
    Result,
    bind,
    load_queries,
    parse_query_file,
    values_query,
)
from relgraph.resources import bundled_dir

NAMES = sorted(load_queries())
REQUIRED = {
    "partners-of",
    "relations-between",
    "agreements-of-type",
    "agreements-in-field",
    "active-on",
    "signatories",
    "timeline",
    "institutions-of-place",
    "shared-partners",
    "top-partner-countries",
    "fields-of",
    "planned-projects",
    "facts-of-source",
    "curation-gaps",
    "connection-paths",
    "label-search",
    "source-disagreements",
}


def test_the_questions_of_the_issue_are_all_there() -> None:
    assert len(NAMES) >= 15
    assert set(NAMES) >= REQUIRED


@pytest.mark.parametrize("name", NAMES)
def test_header_is_complete(name: str, queries: dict[str, QueryFile]) -> None:
    q = queries[name]
    assert q.summary and len(q.summary) < 120
    assert q.description and q.tags and q.method == "GET"
    for p in q.parameters:
        assert p.description, f"{name}: parameter {p.name} has no description"
        assert p.example is not None, f"{name}: parameter {p.name} has no example (#+ defaults)"
    bind(q, q.example_params())  # every example is a valid value
    assert [line.strip() for line in q.sparql.splitlines()].count(VALUES_MARKER) == 1
    # pyoxigraph's substitutions need every parameter in the projection, written $_name (see relgraph.queries)
    projection = q.sparql.split("WHERE", 1)[0]
    for p in q.parameters:
        assert f"${p.variable}" in projection, f"{name}: project ${p.variable}"


TRANSLATIONS = ("de", "fr")


@pytest.mark.parametrize("name", NAMES)
def test_header_is_in_german_and_french(name: str, queries: dict[str, QueryFile]) -> None:
    """Every summary, description and parameter description exists in de and fr too (the project's rule)."""
    q = queries[name]
    for lang in TRANSLATIONS:
        for key in ("summary", "description"):
            value = str(q.header.get(f"{key}_{lang}") or "").strip()
            assert value, f"{name}: the #+ header has no {key}_{lang}"
            assert value != str(q.header[key]).strip(), f"{name}: {key}_{lang} is the English text"
        assert len(q.summary_in(lang)) < 120, f"{name}: summary_{lang} is too long"
        declared = q.header.get("params") or {}
        for p in q.parameters:
            spec = declared[p.name]
            translated = spec.get(f"description_{lang}") if isinstance(spec, dict) else None
            assert translated and str(translated).strip(), f"{name}: parameter {p.name} has no description_{lang}"
            assert p.description_in(lang) != p.description, f"{name}: {p.name}: description_{lang} is the English text"


def test_translations_fall_back_to_english(tmp_path: Path) -> None:
    text = GOOD.replace("#+ summary: s\n", "#+ summary: s\n#+ summary_de: z\n#+ description: d\n").replace(
        "#+   entity: e\n", '#+   entity:\n#+     description: e\n#+     description_fr: "é  f"\n'
    )
    q = parse_query_file(_write(tmp_path, text))
    assert (q.summary_in("de"), q.summary_in("fr"), q.summary_in("en"), q.summary_in("xx")) == ("z", "s", "s", "s")
    assert (q.description_in("de"), q.description_in("en")) == ("d", "d")
    entity = q.parameter("entity")
    assert (entity.description_in("fr"), entity.description_in("de"), entity.description) == ("é f", "e", "e")


def test_the_api_speaks_the_asked_language(api_server, queries: dict[str, QueryFile]) -> None:
    q = queries["partners-of"]
    french = api_server.get("/api/queries", params={"lang": "fr"}).json()
    listed = {item["name"]: item for item in french["queries"]}["partners-of"]
    assert listed["summary"] == q.header["summary_fr"] == q.summary_in("fr") != q.summary
    assert listed["description"] == q.description_in("fr")
    entity = next(p for p in listed["parameters"] if p["name"] == "entity")
    assert entity["description"] == q.parameter("entity").description_in("fr")
    english = api_server.get("/api/queries").json()
    assert {item["name"]: item for item in english["queries"]}["partners-of"]["summary"] == q.summary
    assert api_server.get("/api/queries", params={"lang": "xx"}).status == 400
    # the OpenAPI document stays English unless asked
    path = "/api/queries/partners-of"
    assert api_server.get("/api/openapi.json").json()["paths"][path]["get"]["summary"] == q.summary
    german = api_server.get("/api/openapi.json", params={"lang": "de"}).json()
    assert german["paths"][path]["get"]["summary"] == q.summary_in("de")


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_pages_show_translated_summaries(api_server, queries: dict[str, QueryFile], lang: str) -> None:
    import html

    q = queries["partners-of"]
    api_page = html.unescape(api_server.get("/api", params={"lang": lang}).text)
    assert q.summary_in(lang) in api_page and q.parameter("entity").description_in(lang) in api_page
    sparql_page = html.unescape(api_server.get("/sparql", params={"lang": lang}, headers={"Accept": "text/html"}).text)
    assert f'<option value="{q.name}">{q.summary_in(lang)}' in sparql_page


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "q.rq"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = "#+ summary: s\n#+ params:\n#+   entity: e\nSELECT $_entity_iri WHERE {\n  # @values\n  ?_entity_iri ?p ?o }\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("#+ summary: s\n", ""), "no summary"),
        (GOOD.replace("#+ summary: s\n", "#+ summary: ''\n"), "no summary"),
        (GOOD.replace("#+ params:\n#+   entity: e\n", ""), "not declared"),
        (GOOD.replace("#+   entity: e\n", "#+   entity: e\n#+   other: o\n"), "declared under #+ params but not used"),
        (GOOD + "# mentions ?_other in a comment\n", None),  # comments do not count
        (GOOD.replace("WHERE {", "WHERE { ?_other ?q ?r ."), "'other' is not declared"),
        (GOOD.replace("entity", "limit"), "reserved"),
        (GOOD.replace("_entity_iri", "_entity_foo_date"), "only xsd datatypes"),
        (GOOD.replace("#+ params:", "#+ params: [oops"), "not valid YAML"),
        (GOOD + "#+ defaults:\n#+   - nothing: x\n", "not a parameter"),
    ],
)
def test_header_checks_fail_loudly(tmp_path: Path, text: str, message: str | None) -> None:
    path = _write(tmp_path, text)
    if message is None:
        parse_query_file(path)
        return
    with pytest.raises(QueryFileError, match=re.escape(message)):
        parse_query_file(path)


def test_parameter_types_follow_grlc_names(tmp_path: Path) -> None:
    text = (
        "#+ summary: s\n#+ params: {a: a, b: b, c: c, d: d, e: e, f: f}\n"
        "SELECT $_a $__b_iri $_c_integer $_d_xsd_date $_e_en $__f_xsd_gYearMonth WHERE {\n"
        "  # @values\n ?_a ?__b_iri ?_c_integer . ?_d_xsd_date ?_e_en ?__f_xsd_gYearMonth }\n"
    )
    q = parse_query_file(_write(tmp_path, text))
    kinds = {p.name: (p.label, p.required) for p in q.parameters}
    assert kinds == {
        "a": ("string", True),
        "b": ("iri", False),
        "c": ("integer", True),
        "d": ("date", True),
        "e": ("string@en", True),
        "f": ("gYearMonth", False),
    }
    terms = bind(q, {"a": "x", "c": "42", "d": "2024-02-29", "e": "Hamburg", "f": "2023-06"})
    assert str(terms["_a"]) == '"x"'
    assert str(terms["_c_integer"]) == '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert str(terms["_d_xsd_date"]) == '"2024-02-29"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert str(terms["_e_en"]) == '"Hamburg"@en'
    assert "_b_iri" not in terms  # optional, left out: stays unbound


def test_enumerations_match_the_concept_schemes(queries: dict[str, QueryFile]) -> None:
    concepts = (bundled_dir("ontology") / "concepts.ttl").read_text(encoding="utf-8")
    for scheme, query, param in [
        ("agreement-type", "agreements-of-type", "type"),
        ("status", "planned-projects", "status"),
    ]:
        prefix = {"agreement-type": "at", "status": "st"}[scheme]
        declared = set(re.findall(rf"^{prefix}:([a-z-]+) a skos:Concept", concepts, flags=re.M))
        enum = {v.removeprefix(f"{CONCEPT}{scheme}/") for v in queries[query].parameter(param).enum}
        assert enum == declared


# --- grlc compatibility ----------------------------------------------------------------------


def grlc_rewrite(q: QueryFile, params: dict[str, str]) -> str:
    """What grlc (gquery.rewrite_query_standard) does: replace each ?_var text with the value."""
    text = q.text
    for p in q.parameters:
        value = params.get(p.name)
        if not value:
            continue
        if p.kind == "iri":
            replacement = f"<{value}>"
        elif p.lang:
            replacement = f'"{value}"@{p.lang}'
        elif p.datatype:
            replacement = f'"{value}"^^<{p.datatype}>'
        else:
            replacement = f'"{value}"'
        text = text.replace(f"?{p.variable}", replacement)
    return text


@pytest.mark.parametrize("name", NAMES)
def test_grlc_can_read_and_rewrite_every_query(name: str, queries: dict[str, QueryFile], seed_store) -> None:
    import yaml
    from rdflib.plugins.sparql import prepareQuery

    q = queries[name]
    header = "\n".join(line.lstrip("#+") for line in q.text.splitlines() if line.startswith("#+"))
    meta = yaml.safe_load(header)
    assert meta["summary"] == q.summary
    prepareQuery(q.text)  # grlc parses the query with rdflib
    params = q.example_params()
    rewritten = grlc_rewrite(q, params)
    prepareQuery(rewritten)
    substituted = Result.from_sparql_json(
        seed_store.query(q.sparql, substitutions=bind(q, params)).serialize(format=_json()), q.variables
    )
    by_grlc = Result.from_sparql_json(seed_store.query(rewritten).serialize(format=_json()), q.variables)
    assert by_grlc.bindings == substituted.bindings


@pytest.mark.parametrize("name", NAMES)
def test_the_remote_values_form_gives_the_same_answer(name: str, queries: dict[str, QueryFile], seed_store) -> None:
    q = queries[name]
    for params in (q.example_params(), {p.name: p.example for p in q.parameters if p.required}):
        bindings = bind(q, params)
        text = values_query(q, bindings)
        assert VALUES_MARKER not in text or not bindings
        substituted = seed_store.query(q.sparql, substitutions=bindings).serialize(format=_json())
        remote = seed_store.query(text).serialize(format=_json())
        a = Result.from_sparql_json(substituted, q.variables)
        b = Result.from_sparql_json(remote, q.variables)
        assert a.bindings == b.bindings


def _json():
    import pyoxigraph as ox

    return ox.QueryResultsFormat.JSON
