"""The SPARQL tokenizer guard: SERVICE/LOAD found in every spelling, never inside other tokens."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from relgraph.errors import ProtocolError, QueryRefused
from relgraph.sparql_guard import add_using, analyze, check_query, check_update, tokenize

# Port 9 is refused by pyoxigraph's HTTP client itself: a SERVICE to it fails fast,
# which tells the differential test below that pyoxigraph *did* read a SERVICE.
EVIL = "<http://127.0.0.1:9/>"

REFUSED = [
    f"SELECT * WHERE {{ SERVICE {EVIL} {{ ?s ?p ?o }} }}",
    f"select * where {{ service {EVIL} {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SeRvIcE SILENT {EVIL} {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SERVICE{EVIL}{{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ ?s ?p ?o .SERVICE {EVIL} {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ ?s ?p 1SERVICE {EVIL} {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ ?s ?p 1.SERVICE {EVIL} {{ ?s ?p ?o }} }}",
    f'SELECT * WHERE {{ ?s ?p "o"SERVICE {EVIL} {{ ?s ?p ?o }} }}',
    f"SELECT * WHERE {{ ?s ?p ?o FILTER(true)SERVICE {EVIL} {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o<2)SERVICE {EVIL} {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ ?s ?p ?o FILTER(EXISTS{{SERVICE {EVIL} {{}}}}) }}",
    f"SELECT * WHERE {{ {{ SELECT * {{ SERVICE {EVIL} {{ ?s ?p ?o }} }} }} }}",
    f"SELECT * WHERE {{ ?s ?p ?o # a comment\nSERVICE {EVIL} {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ ?s ?p ?o # a comment\rSERVICE {EVIL} {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SERVICE\t{EVIL}#c\n{{ ?s ?p ?o }} }}",
    "PREFIX : <http://127.0.0.1:9/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    "PREFIX x: <http://127.0.0.1:9/> SELECT * WHERE { ?s ?p ?o SERVICEx:y { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT $endpoint { ?s ?p ?o } }",
    # an unterminated string or IRI hides nothing
    f"SELECT * WHERE {{ ?s ?p 'open\n SERVICE {EVIL} {{ }} }}",
    f"SELECT * WHERE {{ ?s ?p <open SERVICE {EVIL} {{ }} }}",
    f'SELECT * WHERE {{ ?s ?p """never closed SERVICE {EVIL} {{ }} }}',
    "LOAD <http://127.0.0.1:9/x>",
    "load silent <http://127.0.0.1:9/x> into graph <http://g>",
    "LOAD<http://127.0.0.1:9/x>",
    "INSERT DATA { <a:a> <a:b> <a:c> } ; LOAD <http://127.0.0.1:9/x>",
    "LOADsilent<http://127.0.0.1:9/x>",
]

ALLOWED = [
    "SELECT ?service WHERE { ?service ?p ?o }",
    "SELECT $service WHERE { $service ?p ?o }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ?o ; ex:load ?l }",
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" }',
    "SELECT * WHERE { ?s ?p 'SERVICE' }",
    'SELECT * WHERE { ?s ?p """multi\nline "SERVICE" \\""" LOAD""" }',
    "SELECT * WHERE { ?s ?p '''it's a SERVICE''' }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { }",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> <http://example.org/load#SERVICE> }",
    "SELECT * WHERE { ?s ?p _:service }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ?p ex:a.SERVICE }",
    "SELECT * WHERE { ?s ?p ?oSERVICE }",
    "SELECT (COUNT(*) AS ?downloads) WHERE { ?s ?p ?o }",
    "ASK {}",
]


@pytest.mark.parametrize("text", REFUSED)
def test_refused(text: str) -> None:
    with pytest.raises(QueryRefused):
        check_query(text)


@pytest.mark.parametrize("text", ALLOWED)
def test_not_a_keyword(text: str) -> None:
    found = check_query(text)
    assert not found.services
    assert not found.loads


def _pyoxigraph_calls_service(text: str) -> bool:
    """Run the text on pyoxigraph itself: does it try to reach port 9?"""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))
    try:
        if text.lstrip().upper().startswith(("LOAD", "INSERT")):
            store.update(text)
        else:
            result = store.query(text)
            if not isinstance(result, ox.QueryBoolean):
                list(result)
    except OSError as err:
        return "port 9" in str(err) or "127.0.0.1" in str(err)
    except (SyntaxError, ValueError, RuntimeError):
        return False
    return False


@pytest.mark.parametrize("text", ALLOWED)
def test_allowed_texts_really_call_nothing(text: str) -> None:
    """Differential check: what the guard lets through, pyoxigraph does not read as SERVICE."""
    assert not _pyoxigraph_calls_service(text)


def test_refused_texts_include_real_service_calls() -> None:
    """The refused list is not only guesses: most entries really make pyoxigraph call out."""
    calling = [t for t in REFUSED if _pyoxigraph_calls_service(t)]
    assert len(calling) >= 12


def test_allow_list() -> None:
    allowed = ["https://query.wikidata.org/sparql"]
    text = "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    assert check_query(text, service_allowlist=allowed).services
    with pytest.raises(QueryRefused, match="variable"):
        check_query("SELECT * { SERVICE ?x { } }", service_allowlist=allowed)
    with pytest.raises(QueryRefused, match="allowed endpoints"):
        check_query(f"SELECT * {{ SERVICE {EVIL} {{ }} }}", service_allowlist=allowed)
    with pytest.raises(QueryRefused):  # prefixed names are never allow-listed
        check_query(
            "PREFIX wd: <https://query.wikidata.org/> SELECT * { SERVICE wd:sparql { } }", service_allowlist=allowed
        )
    with pytest.raises(QueryRefused, match="LOAD"):
        check_update("LOAD <https://query.wikidata.org/sparql>", service_allowlist=allowed)


def test_refusal_says_where() -> None:
    with pytest.raises(QueryRefused, match="line 2, column 3"):
        check_query(f"SELECT * {{\n  SERVICE {EVIL} {{ }} }}")


def test_tokens() -> None:
    kinds = [(t.kind, t.text) for t in tokenize('PREFIX ex: <http://e/> SELECT ?x { ?x ex:p "a\\"b", 1.5e3 } # c')]
    assert kinds == [
        ("word", "PREFIX"),
        ("pname", "ex:"),
        ("iri", "<http://e/>"),
        ("word", "SELECT"),
        ("var", "?x"),
        ("punct", "{"),
        ("var", "?x"),
        ("pname", "ex:p"),
        ("string", '"a\\"b"'),
        ("punct", ","),
        ("number", "1.5e3"),
        ("punct", "}"),
    ]


def test_from_detection() -> None:
    assert analyze("SELECT * FROM <http://g> { ?s ?p ?o }").has_from
    assert analyze("select * from named <http://g> { }").has_from
    assert not analyze("SELECT ?from { ?from <http://e/from> 'FROM' }").has_from


def test_add_using() -> None:
    text = "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o { SELECT * WHERE { } } }"
    out = add_using(text, ["http://g/1"], ["http://g/2"])
    assert out == (
        "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } USING <http://g/1> USING NAMED <http://g/2> "
        "WHERE { ?s ?p ?o { SELECT * WHERE { } } }"
    )
    out = add_using("INSERT DATA { <a:x> <a:y> 'WHERE' } ; DELETE WHERE { ?s ?p ?o }", ["http://g/1"])
    assert out == "INSERT DATA { <a:x> <a:y> 'WHERE' } ; DELETE { ?s ?p ?o } USING <http://g/1> WHERE { ?s ?p ?o }"
    assert add_using("INSERT DATA { <a:x> <a:y> <a:z> }") == "INSERT DATA { <a:x> <a:y> <a:z> }"


@pytest.mark.parametrize(
    "text",
    [
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } USING <http://g> WHERE { ?s ?p ?o }",
        "insert { ?s ?p ?o } using named <http://g> where { ?s ?p ?o }",
    ],
)
def test_add_using_conflict(text: str) -> None:
    with pytest.raises(ProtocolError):
        add_using(text, ["http://g/1"])


def test_memoized_analysis_still_checks_every_call() -> None:
    """The tokenizer's findings are memoized per text; the verdict is not."""
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } } # with a comment"
    for _ in range(3):
        with pytest.raises(QueryRefused):
            check_query(text)
    assert check_query(text, service_allowlist=["http://127.0.0.1:9/sparql"]).services
    with pytest.raises(QueryRefused):
        check_query(text)
    first = check_query("SELECT * FROM <http://g> WHERE { ?s ?p ?o }")
    assert first.has_from and check_query("SELECT * FROM <http://g> WHERE { ?s ?p ?o }") is first
    long_text = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 20_000 + "\nLOAD <http://x/>"
    for _ in range(2):  # longer than the memo takes: analysed afresh each time
        with pytest.raises(QueryRefused):
            check_query(long_text)
