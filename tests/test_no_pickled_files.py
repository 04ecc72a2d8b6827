"""No file on disk is unpickled: a file someone can write must never run code when it is read.

The files the HTTP processes share (the network's analysis, the partner finder's index) are mapped
tables of numbers, text and JSON (:mod:`relgraph.mapped`). The one unpickling left is the query
workers' pipe (:mod:`relgraph.engine.pool`: messages between processes of one server, as
``multiprocessing.Connection.recv`` does). Read from the source with ``ast``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "src" / "relgraph", ROOT / "server" / "relgraph_server"]
#: module → the unpickling calls it may make
ALLOWED = {"src/relgraph/engine/pool.py": {"pickle.loads"}}
#: calls that execute code from their input
UNSAFE = {
    ("pickle", "load"),
    ("pickle", "loads"),
    ("pickle", "Unpickler"),
    ("marshal", "load"),
    ("marshal", "loads"),
    ("shelve", "open"),
    ("dill", "load"),
    ("dill", "loads"),
    ("joblib", "load"),
}


def _unsafe_calls(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and (f.value.id, f.attr) in UNSAFE:
                found.add(f"{f.value.id}.{f.attr}")
            if (
                isinstance(f, ast.Attribute)
                and f.attr == "load"
                and any(  # numpy.load(..., allow_pickle=True)
                    k.arg == "allow_pickle" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                    for k in node.keywords
                )
            ):
                found.add("load(allow_pickle=...)")
        if isinstance(node, ast.ImportFrom) and node.module in {m for m, _ in UNSAFE}:
            found.update(f"{node.module}.{a.name}" for a in node.names if (node.module, a.name) in UNSAFE)
    return found


def test_no_file_is_unpickled() -> None:
    seen = {}
    for root in SOURCES:
        for path in sorted(root.rglob("*.py")):
            calls = _unsafe_calls(ast.parse(path.read_text(encoding="utf-8")))
            if calls:
                seen[path.relative_to(ROOT).as_posix()] = calls
    assert seen == ALLOWED


def test_the_check_sees_an_unpickling() -> None:
    source = "import pickle\nwith open(p, 'rb') as f:\n    x = pickle.load(f)\ny = np.load(p, allow_pickle=True)\n"
    assert _unsafe_calls(ast.parse(source)) == {"pickle.load", "load(allow_pickle=...)"}
    assert _unsafe_calls(ast.parse("from pickle import loads\n")) == {"pickle.loads"}
    assert _unsafe_calls(ast.parse("np.load(p, mmap_mode='r', allow_pickle=False)\n")) == set()
