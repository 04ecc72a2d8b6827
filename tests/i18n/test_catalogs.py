"""Interface strings in gettext catalogs: every language has every message; Babel formats numbers and dates.

``tools/i18n_catalogs.py`` moved the Python tables into the catalogs; these tests also run it on a
copy, as the lead does after a merge brings a table literal back.
"""

from __future__ import annotations

import importlib.util
import shutil
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph import catalogs
from relgraph.namespaces import XSD
from relgraph.summary import format_date

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("i18n_catalogs", ROOT / "tools" / "i18n_catalogs.py")
assert _spec is not None and _spec.loader is not None
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)


def test_every_language_has_every_message_and_the_mo_files_are_compiled() -> None:
    assert tool.check() == []


@pytest.mark.parametrize("name", [t[0] for t in tool.TABLES])
def test_each_table_has_the_same_keys_in_de_en_fr(name: str) -> None:
    table = catalogs.table(name)
    assert table["en"] and set(table["en"]) == set(table["de"]) == set(table["fr"])
    assert all(text.strip() for lang in table for text in table[lang].values())


def test_the_code_reads_its_strings_from_the_catalogs() -> None:
    from relgraph_server import api, i18n, reconcile, ui, void

    from relgraph.docs import UI

    assert catalogs.table("pages") == i18n.MESSAGES and i18n.MESSAGES["fr"]["search"] == "Rechercher"
    assert api.MESSAGES["de"]["run"] == "Ausprobieren" and catalogs.table("query") == ui.MESSAGES
    assert UI["de"]["classes"] == "Klassen" and reconcile.MESSAGES["fr"]["partners"] == "partenaires"
    assert void.MESSAGES["de"]["triples"] == "Tripel"


@pytest.mark.parametrize(
    ("value", "datatype", "lang", "text"),
    [
        ("2024-03-01", "date", "fr", "1er mars 2024"),
        ("2024-03-02", "date", "fr", "2 mars 2024"),
        ("2024-03-01", "date", "de", "1. März 2024"),
        ("2024-02-20", "date", "en", "20 February 2024"),
        ("2023-06", "gYearMonth", "de", "Juni 2023"),
        ("2023-06", "gYearMonth", "fr", "juin 2023"),
        ("1958", "gYear", "fr", "1958"),
        ("2023-02-31", "date", "en", "2023-02-31"),  # not a day: shown as written
    ],
)
def test_dates_are_written_per_language_by_babel(value: str, datatype: str, lang: str, text: str) -> None:
    assert format_date(ox.Literal(value, datatype=ox.NamedNode(XSD + datatype)), lang) == text


def test_numbers_per_language() -> None:
    assert [catalogs.format_number(24805, lang) for lang in ("en", "de", "fr")] == ["24,805", "24.805", "24\u202f805"]
    assert catalogs.format_day(date(2026, 1, 1), "fr") == "1er janvier 2026"


def test_the_migration_absorbs_a_table_that_comes_back(tmp_path: Path) -> None:
    out = tmp_path / "translations"
    shutil.copytree(tool.OUT, out)
    module = tmp_path / "demo.py"
    module.write_text(
        '"""A module of another branch."""\n\nimport os\n\n'
        "MESSAGES: dict[str, dict[str, str]] = {\n"
        '    "en": {"hello": "Hello", "search": "Find"},\n'
        '    "de": {"hello": "Hallo", "search": "Finden"},\n'
        '    "fr": {"hello": "Bonjour", "search": "Trouver"},\n'
        "}\n\nprint(os.sep, MESSAGES)\n",
        encoding="utf-8",
    )
    tables = [("demo", "demo.py", "MESSAGES", "from relgraph import catalogs"), ("pages", "demo.py", "MESSAGES", "")]
    report = tool.migrate(root=tmp_path, out=out, tables=tables[:1])
    assert any("2 new message(s)" in line for line in report)
    text = module.read_text(encoding="utf-8")
    assert 'MESSAGES: dict[str, dict[str, str]] = catalogs.table("demo")' in text
    assert "from relgraph import catalogs" in text
    assert "Hallo" not in text and compile(text, "demo.py", "exec")
    entries = tool.read_catalogs(out)
    assert entries["de"]["demo.hello"] == ("Hello", "Hallo") and entries["fr"]["demo.search"] == ("Find", "Trouver")
    assert entries["de"]["pages.search"] == tool.read_catalogs(tool.OUT)["de"]["pages.search"]  # the rest kept
    assert tool.check(root=tmp_path, out=out, tables=tables[:1]) == []
    # run again: nothing to absorb, same files
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    tool.migrate(root=tmp_path, out=out, tables=tables[:1])
    assert before == {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # a table that changes a string the catalogs hold: the catalog's text is kept and the difference reported
    module.write_text('MESSAGES = {"en": {"hello": "Hello"}, "de": {"hello": "Servus"}, "fr": {"hello": "Salut"}}\n')
    report = tool.migrate(root=tmp_path, out=out, tables=tables[:1])
    assert any("demo.hello (de): kept the catalog's 'Hallo'" in line for line in report)
    assert tool.read_catalogs(out)["de"]["demo.hello"][1] == "Hallo"
