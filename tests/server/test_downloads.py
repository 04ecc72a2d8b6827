"""CSV downloads for staff (pages, API) open in Excel with accents and without formulas; /sparql CSV stays plain.

``staff_server`` (conftest): the bundled data plus ``data/staff-fixture.trig``, a city
named ``=HYPERLINK(…)`` (en), ``-Formelstadt`` (de), ``@Formelville`` (fr) twinned with Hamburg.
"""

from __future__ import annotations

import csv
import io

import pytest
from sparql_http import Server

BOM = b"\xef\xbb\xbf"
HAMBURG = "https://w3id.org/relgraph/id/city/hamburg"
FORMELSTADT = "https://w3id.org/relgraph/id/city/formelstadt"


def table(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("lang", "cell"),
    [
        ("en", '\'=HYPERLINK("https://example.invalid/","Formelstadt")'),
        ("de", "'-Formelstadt"),
        ("fr", "'@Formelville"),
    ],
)
def test_page_csv_has_a_bom_and_no_formulas(staff_server: Server, lang: str, cell: str) -> None:
    reply = staff_server.get("/id/city/hamburg.html", params={"format": "csv", "table": "relations", "lang": lang})
    assert reply.status == 200 and reply.content_type == "text/csv"
    assert "charset=utf-8" in reply.headers["Content-Type"]
    assert reply.body.startswith(BOM)
    rows = table(reply.body)
    assert "Québec".encode() in reply.body
    formula = [r for r in rows if r["IRI"] and any(v.startswith(("'=", "'-", "'@")) for v in r.values())]
    assert formula, rows
    assert any(cell in r.values() for r in rows)
    first_cells = [v for r in rows for v in r.values() if v]
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in first_cells)


def test_api_csv_has_a_bom_and_no_formulas_but_json_keeps_the_value(staff_server: Server) -> None:
    params = {"entity": HAMBURG, "limit": "1000"}
    as_csv = staff_server.get("/api/queries/partners-of.csv", params=params)
    assert as_csv.status == 200 and as_csv.body.startswith(BOM)
    rows = table(as_csv.body)
    assert rows and set(rows[0]) >= {"partner", "partnerLabel"}  # the BOM is not part of the first column's name
    formel = [r for r in rows if r["partner"] == FORMELSTADT]
    assert formel and all(r["partnerLabel"].startswith("'") for r in formel)
    as_json = staff_server.get("/api/queries/partners-of", params=params).json()
    labels = {r["partnerLabel"] for r in as_json["rows"] if r["partner"] == FORMELSTADT}
    assert labels and all(lab[0] in "=-@" for lab in labels)


def test_sparql_csv_stays_the_standard_format(staff_server: Server) -> None:
    query = f"SELECT ?l WHERE {{ <{FORMELSTADT}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} ORDER BY ?l"
    reply = staff_server.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert reply.status == 200 and reply.content_type == "text/csv"
    assert not reply.body.startswith(BOM)
    values = [r["l"] for r in csv.DictReader(io.StringIO(reply.text))]
    assert values == sorted(['=HYPERLINK("https://example.invalid/","Formelstadt")', "-Formelstadt", "@Formelville"])
