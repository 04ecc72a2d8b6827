"""The shape of the code: the library never imports the web layer, and neither it nor the web layer imports a cycle.

The import graph is read from the source with ``ast``, not by importing it. What counts as an edge:

* every ``import`` and ``from ... import`` at any depth (module level, inside functions and classes),
  since a function-level import is a dependency too, only a later one;
* except those under ``if TYPE_CHECKING:``, which never run (annotations only);
* an edge goes to the module named (``from .store.remote import X`` is an edge to ``relgraph.store.remote``;
  ``from .store import X`` to ``relgraph.store`` unless ``X`` is a submodule), not to the parent packages
  Python initialises on the way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "src" / "relgraph"
WEB = ROOT / "server" / "relgraph_server"
PACKAGES = pytest.mark.parametrize("root", [LIBRARY, WEB], ids=["relgraph", "relgraph_server"])


def _modules(root: Path) -> dict[str, tuple[Path, bool]]:
    """Dotted module name → (file, is a package)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        package = parts[-1] == "__init__"
        if package:
            parts = parts[:-1]
        out[".".join(parts)] = (path, package)
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, skipping the bodies of ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _targets(module: str, package: bool, node: ast.Import | ast.ImportFrom, known: set[str]) -> list[str]:
    """The dotted names an import statement brings in (a module, or a name of a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".")
        if not package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join([*base, *([node.module] if node.module else [])])
    else:
        prefix = node.module or ""
    return [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in known else prefix for a in node.names]


def import_graph(root: Path = LIBRARY) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(edges between the modules under ``root``, every outside module each one imports)."""
    modules = _modules(root)
    known = set(modules)
    edges: dict[str, set[str]] = {m: set() for m in modules}
    outside: dict[str, set[str]] = {m: set() for m in modules}
    for module, (path, package) in modules.items():
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            for target in _targets(module, package, node, known):
                name = target
                while name and name not in known:
                    name = name.rpartition(".")[0]
                if name:
                    if name != module:
                        edges[module].add(name)
                else:
                    outside[module].add(target)
    return edges, outside


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_library_never_imports_the_web_layer() -> None:
    _, outside = import_graph()
    web = sorted(
        f"{module} imports {target}"
        for module, targets in outside.items()
        for target in targets
        if target == "relgraph_server" or target.startswith("relgraph_server.") or target == "flask"
    )
    assert web == []


@PACKAGES
def test_modules_import_no_cycle(root: Path) -> None:
    edges, _ = import_graph(root)
    assert cycles(edges) == []


@PACKAGES
def test_no_module_imports_a_private_name_of_another(root: Path) -> None:
    modules = _modules(root)
    private = []
    for module, (path, _) in modules.items():
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                private += [f"{module}: {a.name}" for a in node.names if a.name.startswith("_") and a.name[1] != "_"]
    assert private == []


def test_the_checks_see_cycles_private_names_and_the_web_layer(tmp_path: Path) -> None:
    """The graph reader on a made-up package: it finds what the tests above must refuse."""
    pkg = tmp_path / "relgraph"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import thing\n")
    (pkg / "b.py").write_text("def thing():\n    from .sub import c\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "c.py").write_text("from ..a import _hidden\nimport relgraph_server.app\n")
    (pkg / "d.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import x\n")
    edges, outside = import_graph(pkg)
    assert cycles(edges) == [["relgraph.a", "relgraph.b", "relgraph.sub.c"]]
    assert "relgraph.a" not in edges["relgraph.d"]
    assert outside["relgraph.sub.c"] == {"relgraph_server.app"}


#: The web layer's shared parts: every blueprint may use them; they use no blueprint (docs/architecture.md).
WEB_PARTS = ("cache", "config", "errors", "i18n", "kinds", "rendering", "runtime", "urls")


def test_the_web_layers_shared_parts_use_no_blueprint() -> None:
    edges, _ = import_graph(WEB)
    parts = {f"relgraph_server.{name}" for name in WEB_PARTS}
    assert parts <= set(edges)
    upward = sorted(f"{part} imports {target}" for part in parts for target in edges[part] if target not in parts)
    assert upward == []
