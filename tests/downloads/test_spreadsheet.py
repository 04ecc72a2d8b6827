"""Spreadsheet CSV (relgraph.spreadsheet): a BOM for Excel, formulas neutralised, and read back as written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from relgraph.authoring import COLUMN_NAMES, read_rows, write_csv
from relgraph.spreadsheet import BOM, csv_text, neutralise, restore


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+49 40 428", "'+49 40 428"),
        ("-Formelstadt", "'-Formelstadt"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12.5", "-12.5"),  # a number is not a formula
        ("+3", "+3"),
        ("1e-3", "1e-3"),
        ("Québec", "Québec"),
        ("a=b", "a=b"),
        ("'quoted", "'quoted"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised_and_restored(value: str, cell: str) -> None:
    assert neutralise(value) == cell
    assert restore(neutralise(value)) == value


def test_csv_text_has_a_bom_crlf_and_reads_back() -> None:
    body = csv_text(["name", "note"], [["Québec", "=1+1"], ["Zürich", None]])
    assert body.startswith(BOM) and body.encode("utf-8").startswith(b"\xef\xbb\xbf")
    assert "\r\n" in body
    rows = list(csv.reader(io.StringIO(body.encode("utf-8").decode("utf-8-sig"))))
    assert rows == [["name", "note"], ["Québec", "'=1+1"], ["Zürich", ""]]
    assert not csv_text(["a"], [], bom=False).startswith(BOM)


def test_the_authoring_export_round_trips_a_formula_like_cell(tmp_path: Path) -> None:
    row = dict.fromkeys(COLUMN_NAMES, "")
    row.update({"kind": "city-twinning", "party_1": "Québec", "notes": "=cmd|' /C calc'!A0", "party_2": "-Minus"})
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_csv([row], out)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "Québec".encode() in raw
    assert b"'=cmd" in raw and b"'-Minus" in raw
    [(number, read)] = read_rows(path)
    assert number == 2 and read["notes"] == "=cmd|' /C calc'!A0" and read["party_2"] == "-Minus"
