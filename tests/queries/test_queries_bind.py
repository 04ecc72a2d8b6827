"""Values stay values: validation of parameters and hostile input (library, seed_store)."""

from __future__ import annotations

import pytest
from queries_support import ID

from relgraph.errors import RelgraphError
from relgraph.queries import MAX_STRING, ParameterError, bind, run, values_query

HOSTILE = [
    'x" } ; DROP ALL #',
    "<urn:x> } UNION { ?s ?p ?o }",
    '") } UNION { ?s ?p ?o } #',
    "Québec\\u0022 } UNION {",
    "\x00\n\r\t'\"\\",
]


def test_parameter_error_is_a_relgraph_error_naming_the_parameter(queries) -> None:
    with pytest.raises(ParameterError) as info:
        bind(queries["partners-of"], {})
    assert isinstance(info.value, RelgraphError)
    assert (info.value.name, "required") == ("entity", "required") and "required" in info.value.reason


@pytest.mark.parametrize(
    ("name", "params", "parameter", "reason"),
    [
        ("partners-of", {"entity": "not an iri"}, "entity", "not an absolute IRI"),
        ("partners-of", {"entity": "<urn:x> } UNION { ?s ?p ?o }"}, "entity", "not an absolute IRI"),
        ("partners-of", {"entity": ID + "city/hamburg", "colour": "red"}, "colour", "unknown parameter"),
        ("active-on", {"date": "2024-02-30"}, "date", "not a date"),
        ("active-on", {"date": "2024-02"}, "date", "not a date"),
        ("active-on", {"date": "yesterday"}, "date", "not a date"),
        ("agreements-of-type", {"type": ID + "city/hamburg"}, "type", "must be one of"),
        ("label-search", {"text": "x" * 201}, "text", "not accepted"),
        ("label-search", {"text": ""}, "text", "required"),
        ("label-search", {"text": "\ud800"}, "text", "not valid Unicode"),
        ("partners-of", {"entity": "http://x/" + "a" * 3000}, "entity", "not accepted"),
    ],
)
def test_malformed_values_are_refused(queries, name, params, parameter, reason) -> None:
    with pytest.raises(ParameterError) as info:
        bind(queries[name], params)
    assert info.value.name == parameter
    assert reason in info.value.reason


def test_empty_optional_values_count_as_not_given(queries) -> None:
    assert bind(queries["partners-of"], {"entity": ID + "city/hamburg", "type": ""}).keys() == {"_entity_iri"}


@pytest.mark.parametrize("value", [*HOSTILE, "y" * 100_000])
def test_hostile_text_stays_a_value(seed_store, queries, value: str) -> None:
    before = len(seed_store)
    q = queries["label-search"]
    if len(value) > MAX_STRING:
        with pytest.raises(ParameterError):
            run(seed_store, q, {"text": value})
    else:
        assert run(seed_store, q, {"text": value}).rows() == []  # no extra rows: nothing matches
    assert len(seed_store) == before


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_in_the_remote_form_stay_values(seed_store, queries, value: str) -> None:
    q = queries["label-search"]
    try:
        text = values_query(q, bind(q, {"text": value}))
    except ParameterError as err:
        assert "backslash followed by u" in err.reason
        return
    assert text.count("VALUES") == 1
    before = len(seed_store)
    assert list(seed_store.query(text)) == []
    assert len(seed_store) == before


def test_an_iri_with_quotes_cannot_break_out(queries) -> None:
    with pytest.raises(ParameterError):
        bind(queries["partners-of"], {"entity": 'http://x/> } ; DROP ALL ; <"'})
