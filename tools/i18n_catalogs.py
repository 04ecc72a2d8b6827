"""Move interface strings from Python tables into the gettext catalogs, and check the catalogs.

    python tools/i18n_catalogs.py migrate   # absorb every table literal, rewrite it as a catalog lookup
    python tools/i18n_catalogs.py check     # every language has every message; .mo files up to date

The tables (``MESSAGES = {"en": {...}, "de": {...}, "fr": {...}}``) of the
modules in :data:`TABLES` are read from the source text (``ast``, nothing is
imported). Each string becomes one message of
``src/relgraph/translations/{lang}/LC_MESSAGES/messages.po``: context
``{table}.{key}``, id the English text, string the language's text; then the
literal is replaced by ``catalogs.table("{table}")``, which gives the same
``{lang: {key: text}}`` back at run time.

Re-runnable: a table literal that comes back in a merge (strings added on
another branch) is absorbed the same way. A key already in the catalogs keeps
the catalog's text (a translator may have changed it); where the table says
something else the difference is printed, and ``--overwrite`` takes the table's
text instead. The output is sorted and dated 2026-01-01, so the same strings
give the same files.
"""

from __future__ import annotations

import argparse
import ast
import io
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "relgraph" / "translations"
DOMAIN = "messages"
LANGUAGES = ("en", "de", "fr")
#: (table name, module file, variable, import line that makes ``catalogs`` available there)
TABLES = (
    ("pages", "server/relgraph_server/i18n.py", "MESSAGES", "from relgraph import catalogs"),
    ("draft", "server/relgraph_server/i18n.py", "DRAFT_MESSAGES", "from relgraph import catalogs"),
    ("network", "server/relgraph_server/i18n.py", "_NETWORK", "from relgraph import catalogs"),
    ("api", "server/relgraph_server/api.py", "MESSAGES", "from relgraph import catalogs"),
    ("query", "server/relgraph_server/ui.py", "MESSAGES", "from relgraph import catalogs"),
    ("reconcile", "server/relgraph_server/reconcile.py", "MESSAGES", "from relgraph import catalogs"),
    ("void", "server/relgraph_server/void.py", "MESSAGES", "from relgraph import catalogs"),
    ("ontology_docs", "src/relgraph/docs.py", "UI", "from . import catalogs"),
    ("partners", "src/relgraph/partners/reasons.py", "MESSAGES", "from .. import catalogs"),
)
_DATE = datetime(2026, 1, 1, tzinfo=UTC)


def po_path(lang: str, out: Path = OUT) -> Path:
    return out / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _new_catalog(lang: str | None) -> Catalog:
    catalog = Catalog(
        locale=lang,
        domain=DOMAIN,
        project="relgraph",
        version="1",
        copyright_holder="relgraph contributors",
        msgid_bugs_address="",
        creation_date=_DATE,
        revision_date=_DATE,
        fuzzy=False,
    )
    return catalog


def read_catalogs(out: Path = OUT) -> dict[str, dict[str, tuple[str, str]]]:
    """``{lang: {context: (English id, text)}}`` of the catalogs on disk (empty when there are none)."""
    found: dict[str, dict[str, tuple[str, str]]] = {lang: {} for lang in LANGUAGES}
    for lang in LANGUAGES:
        path = po_path(lang, out)
        if path.exists():
            with path.open("rb") as handle:
                for m in read_po(handle, locale=lang):
                    if m.id and m.context:
                        found[lang][m.context] = (str(m.id), str(m.string or ""))
    return found


def write_catalogs(entries: dict[str, dict[str, tuple[str, str]]], out: Path = OUT) -> list[Path]:
    """Write the ``.pot``, and one ``.po`` and ``.mo`` per language (sorted by context)."""
    written = []
    contexts = sorted(set().union(*(e.keys() for e in entries.values())))
    template = _new_catalog(None)
    for ctx in contexts:
        template.add(entries["en"][ctx][0], context=ctx)
    out.mkdir(parents=True, exist_ok=True)
    pot = out / f"{DOMAIN}.pot"
    with pot.open("wb") as handle:
        write_po(handle, template, width=120, sort_output=True)
    written.append(pot)
    for lang in LANGUAGES:
        catalog = _new_catalog(lang)
        for ctx in contexts:
            english = entries["en"][ctx][0]
            catalog.add(english, entries[lang].get(ctx, (english, ""))[1], context=ctx)
        path = po_path(lang, out)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=120, sort_output=True)
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
        written += [path, path.with_suffix(".mo")]
    return written


def _table_node(tree: ast.Module, variable: str) -> ast.Assign | ast.AnnAssign | None:
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == variable for t in targets):
            return node  # type: ignore[return-value]
    return None


def literal_table(source: str, variable: str) -> tuple[dict[str, dict[str, str]] | None, ast.AST | None]:
    """The table literal of ``variable`` in ``source`` (None if it is already a catalog lookup), and its node."""
    node = _table_node(ast.parse(source), variable)
    if node is None or node.value is None:
        return None, node
    if not isinstance(node.value, ast.Dict):
        return None, node
    table = ast.literal_eval(node.value)
    return table, node


def _rewrite(path: Path, source: str, node: ast.AST, variable: str, name: str, import_line: str) -> None:
    lines = source.splitlines(keepends=True)
    start, end = node.lineno - 1, node.end_lineno  # type: ignore[attr-defined]
    replacement = f'{variable}: dict[str, dict[str, str]] = catalogs.table("{name}")  # tools/i18n_catalogs.py\n'
    lines[start:end] = [replacement]
    text = "".join(lines)
    if import_line not in text:
        tree = ast.parse(text)
        imports = [n.end_lineno or 0 for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        last_import = max(imports, default=0)
        lines = text.splitlines(keepends=True)
        lines.insert(last_import, import_line + "\n")
        text = "".join(lines)
    path.write_text(text, encoding="utf-8")


def migrate(*, root: Path = ROOT, out: Path = OUT, overwrite: bool = False, tables=TABLES) -> list[str]:
    """Absorb every table literal into the catalogs and rewrite it; return what it did (one line each)."""
    report: list[str] = []
    entries = read_catalogs(out)
    changed_files = []
    for name, file, variable, import_line in tables:
        path = root / file
        source = path.read_text(encoding="utf-8")
        table, node = literal_table(source, variable)
        if node is None:
            report.append(f"{file}: no {variable}; skipped")
            continue
        if table is None:
            continue  # already a catalog lookup
        missing = [lang for lang in LANGUAGES if lang not in table]
        if missing:
            raise SystemExit(f"{file}: {variable} has no {', '.join(missing)} table")
        added = kept = 0
        for key, english in table["en"].items():
            ctx = f"{name}.{key}"
            added += ctx not in entries["en"]
            for lang in LANGUAGES:
                text = table[lang].get(key)
                if text is None:
                    raise SystemExit(f"{file}: {variable}[{lang!r}] lacks {key!r}")
                old = entries[lang].get(ctx)
                if old is not None and old[1] != text and not overwrite:
                    report.append(f"{ctx} ({lang}): kept the catalog's {old[1]!r}; the table says {text!r}")
                    kept += 1
                    continue
                entries[lang][ctx] = (english, text)
        extra = {lang: set(table[lang]) - set(table["en"]) for lang in LANGUAGES}
        for lang, keys in extra.items():
            for key in sorted(keys):
                report.append(f"{file}: {variable}[{lang!r}][{key!r}] has no English; not migrated")
        _rewrite(path, source, node, variable, name, import_line)
        changed_files.append(path)
        report.append(f"{file}: {variable} → catalogs.table({name!r}): {added} new message(s), {kept} kept")
    for lang in LANGUAGES:  # the English id follows the English text
        for ctx, (english, text) in list(entries[lang].items()):
            if ctx in entries["en"] and entries["en"][ctx][1] != english:
                entries[lang][ctx] = (entries["en"][ctx][1], text)
    write_catalogs(entries, out)
    ruff = shutil.which("ruff")
    if ruff and changed_files:  # the added import in its sorted place
        subprocess.run([ruff, "check", "--fix", "--select", "I,F401", *map(str, changed_files)], check=False)  # noqa: S603
        subprocess.run([ruff, "format", *map(str, changed_files)], check=False)  # noqa: S603
    return report


def check(*, root: Path = ROOT, out: Path = OUT, tables=TABLES) -> list[str]:
    """Problems: a message missing or empty in a language, a stale .mo, a table literal not migrated."""
    problems = []
    entries = read_catalogs(out)
    contexts = set().union(*(e.keys() for e in entries.values()))
    for lang in LANGUAGES:
        for ctx in sorted(contexts):
            if not entries[lang].get(ctx, ("", ""))[1].strip():
                problems.append(f"{po_path(lang, out).relative_to(out)}: {ctx} has no text")
        path = po_path(lang, out)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
            compiled = io.BytesIO()
            write_mo(compiled, catalog)
            mo = path.with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != compiled.getvalue():
                problems.append(f"{mo.relative_to(out)} is not the compiled {path.name}; run migrate")
    for _name, file, variable, _ in tables:
        table, _node = literal_table((root / file).read_text(encoding="utf-8"), variable)
        if table is not None:
            problems.append(f"{file}: {variable} is a Python table; run tools/i18n_catalogs.py migrate")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["migrate", "check"])
    parser.add_argument("--overwrite", action="store_true", help="take a table's text over the catalog's")
    args = parser.parse_args(argv)
    lines = migrate(overwrite=args.overwrite) if args.command == "migrate" else check()
    for line in lines:
        print(line)
    return 1 if args.command == "check" and lines else 0


if __name__ == "__main__":
    sys.exit(main())
