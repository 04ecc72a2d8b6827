"""The GEXF and GraphML exports open with the parsers of Gephi Lite, the web edition of Gephi.

Gephi itself (Java, NetBeans) is neither in Debian nor on PyPI. Gephi Lite
reads files with graphology's parsers (``graphology-gexf``,
``graphology-graphml``): this test installs them from npm at the versions
Gephi Lite pins (``gephi_lite/package-lock.json``, into a cache folder
outside the repository, once per lock file) and parses our exports with
Gephi Lite's own options twice: on Node.js (``gephi_lite/load.js``, the
parsers bound to ``@xmldom/xmldom``) and in Chromium (``gephi_lite/browser.js``,
the browser builds Gephi Lite imports, bound to the browser's DOMParser).
What must arrive: every node and edge, undirected and without doubles,
labels, countries, coordinates (GEXF also as the position Gephi Lite
draws), the measures, and per edge the relations' kinds, source graphs and
first year. docs/network.md says what this does not prove.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from chromium_support import chromium, skip_without_chromium
from network_support import GRAPH, ID

from relgraph.network import Analysis, build_network, parse_spec
from relgraph.network.export import edge_rows, node_rows, write_gexf, write_graphml

HERE = Path(__file__).parent / "gephi_lite"


@pytest.fixture(scope="module")
def modules() -> Path:
    """graphology and its GEXF and GraphML parsers, installed with ``npm ci`` once per lock file."""
    npm = shutil.which("npm")
    if shutil.which("node") is None or npm is None:
        pytest.fail("node and npm are missing: install Debian's nodejs and npm (.ci/run does)")
    lock = (HERE / "package-lock.json").read_bytes()
    cache = Path(os.environ.get("RELGRAPH_NPM_CACHE", Path.home() / ".cache" / "relgraph" / "npm"))
    folder = cache / f"gephi-lite-{hashlib.sha256(lock).hexdigest()[:16]}"
    if not (folder / "node_modules" / "graphology-gexf").is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=cache, prefix="install-"))
        for name in ("package.json", "package-lock.json"):
            shutil.copy(HERE / name, work / name)
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode:
            shutil.rmtree(work, ignore_errors=True)
            pytest.fail(f"npm ci of tests/network/gephi_lite failed: {done.stderr.strip()[-2000:]}")
        try:
            work.rename(folder)  # whole or not at all: another process may have won the race
        except OSError:
            shutil.rmtree(work, ignore_errors=True)
    return folder / "node_modules"


def gephi_lite_load(modules: Path, path: Path) -> dict[str, Any]:
    """What Gephi Lite's parser makes of ``path`` (see load.js)."""
    done = subprocess.run(
        ["node", str(HERE / "load.js"), str(path)],
        env={**os.environ, "NODE_PATH": str(modules)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded: dict[str, Any] = json.loads(done.stdout)
    return loaded


#: The packages browser.js loads as CommonJS files (graphology itself comes as its UMD build).
_BROWSER_PACKAGES = ("graphology-gexf", "graphology-graphml", "graphology-utils", "graphology-operators", "xml-writer")


def chromium_load(modules: Path, path: Path, profile: Path) -> dict[str, Any]:
    """What Gephi Lite's parser, in Chromium with the browser's DOMParser, makes of ``path`` (see browser.js)."""
    files = {
        f"{package}/{file.relative_to(modules / package).as_posix()}": file.read_text(encoding="utf-8")
        for package in _BROWSER_PACKAGES
        for file in sorted((modules / package).rglob("*.js"))
        if not {"node", "test"} & set(file.relative_to(modules / package).parts[:-1])
    }
    kind = "gexf" if path.suffix == ".gexf" else "graphml"
    with chromium(profile) as context:
        page = context.new_page()
        page.goto("about:blank")
        page.add_script_tag(content=(modules / "graphology" / "dist" / "graphology.umd.min.js").read_text("utf-8"))
        loaded: dict[str, Any] = page.evaluate(
            (HERE / "browser.js").read_text(encoding="utf-8"),
            {"files": files, "kind": kind, "text": path.read_text(encoding="utf-8")},
        )
    return loaded


def load(where: str, modules: Path, path: Path) -> dict[str, Any]:
    if where == "node":
        return gephi_lite_load(modules, path)
    return chromium_load(modules, path, path.parent / "profile")


WHERE = ["node", pytest.param("chromium", marks=skip_without_chromium)]


@pytest.fixture(scope="module")
def analysis(relation_data) -> Analysis:
    return Analysis(build_network(relation_data, parse_spec()))


@pytest.fixture(scope="module")
def expected(analysis: Analysis) -> tuple[dict[str, dict[str, Any]], dict[frozenset[str], dict[str, Any]]]:
    nodes = {row["id"]: row for row in node_rows(analysis)}
    edges = {frozenset((row["source"], row["target"])): row for row in edge_rows(analysis)}
    return nodes, edges


def _check(loaded: dict[str, Any], nodes: dict[str, dict[str, Any]], edges: dict[frozenset[str], Any]) -> None:
    assert loaded["type"] == "undirected" and not loaded["multi"]
    assert loaded["order"] == len(nodes) and loaded["size"] == len(edges)
    for iri, got in loaded["nodes"].items():
        want = nodes[iri]
        assert got["label"] == want["label"]
        assert got.get("country") == want["country"]
        for axis in ("latitude", "longitude"):
            if want[axis] is None:
                assert axis not in got
            else:
                assert got[axis] == pytest.approx(want[axis])
        assert got["degree"] == want["degree"] and got["community"] == want["community"]
        assert got["pagerank"] == pytest.approx(want["pagerank"])
    assert sorted(loaded["nodes"]) == sorted(nodes)
    seen = set()
    for edge in loaded["edges"]:
        ends = frozenset((edge["source"], edge["target"]))
        want, got = edges[ends], edge["attributes"]
        assert got["weight"] == want["weight"]
        assert got["kinds"] == want["kinds"] and got["graphs"] == want["graphs"]
        assert got.get("first_year") == want["first_year"]
        seen.add(ends)
    assert seen == set(edges)


@pytest.mark.parametrize("where", WHERE)
def test_gephi_lite_opens_the_gexf_export(where, modules, analysis, expected, tmp_path) -> None:
    path = tmp_path / "network.gexf"
    with path.open("w", encoding="utf-8") as out:
        write_gexf(analysis, out)
    loaded = load(where, modules, path)
    _check(loaded, *expected)
    p1 = loaded["nodes"][ID + "city/p1"]
    assert p1["label"] == "P One" and p1["country"] == ID + "country/de"
    assert (p1["x"], p1["y"]) == pytest.approx((10.0, 53.55))  # the position Gephi Lite draws: a map
    assert loaded["nodes"][ID + "city/p9"]["label"] == "P Nine & <Co>"
    assert "x" not in loaded["nodes"][ID + "city/p2"]  # no coordinates, no invented position
    assert loaded["attributes"]["creator"].startswith("relgraph")


@pytest.mark.parametrize("where", WHERE)
def test_gephi_lite_opens_the_graphml_export(where, modules, analysis, expected, tmp_path) -> None:
    path = tmp_path / "network.graphml"
    with path.open("w", encoding="utf-8") as out:
        write_graphml(analysis, out)
    loaded = load(where, modules, path)
    iri = {key: attributes["iri"] for key, attributes in loaded["nodes"].items()}  # GraphML ids are n0, n1…
    loaded["nodes"] = {iri[key]: attributes for key, attributes in loaded["nodes"].items()}
    for edge in loaded["edges"]:
        edge["source"], edge["target"] = iri[edge["source"]], iri[edge["target"]]
    _check(loaded, *expected)
    edge = next(e for e in loaded["edges"] if {e["source"], e["target"]} == {ID + "city/p1", ID + "city/p2"})
    assert edge["attributes"]["graphs"].split() == [GRAPH + "test-net-a", GRAPH + "test-net-b"]
    assert edge["attributes"]["first_year"] == 1990
