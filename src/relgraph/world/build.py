"""Build the world data that relgraph ships as its default data (``data/world/*.nq.gz``).

The outside sources of ``data/external/`` are imported, in this order, into a
scratch store that holds the ontology and the curated data, each reconciled with
everything imported before it:

1. the Eurocities members (Wikidata ids, English names, coordinates): anchors;
2. Wikipedia's twin-town lists (names, countries, coordinates), matched to the
   curated places and the anchors by GeoNames id and by name and country;
3. the Wikidata P190 extract of 2016 (ids, German-first labels), matched by id,
   by unique label and through already matched partners;
4. the two joint statements signed by mayors.

Each import's graph (and the country graph) is then written as sorted,
gzipped N-Quads with a fixed gzip header, so that the same inputs give the same
bytes and a test can hold the committed files to the build. Why ship the result
rather than import at first start: the imports take about a minute together
(mostly the GeoNames reading and the reconciliation), the first start must answer
within 60 s, and the shipped files are validated once, by the tests, instead of
on every machine.
"""

from __future__ import annotations

import gzip
import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..namespaces import graph_iri
from ..resources import WORLD_DIR, bundled_dir, ontology_files
from .countries import COUNTRIES_GRAPH_SLUG

__all__ = ["EXTERNAL_FILES", "BuildReport", "build_world", "curated_files"]

EXTERNAL_FILES = {
    "eurocities": "eurocities_members_2025.json",
    "twin_towns": "wikipedia_twin_towns_2026.csv",
    "wikidata_relations": "wikidata_p190_relations_2016.tsv",
    "wikidata_labels": "wikidata_p190_names_2016.tsv",
    "statement_eurocities": "eurocities_statement_imamoglu_2025.json",
    "statement_gpm": "gpm_declaration_democracy_2025.csv",
}
ProgressFn = Callable[[str], None]


@dataclass
class BuildReport:
    graphs: dict[str, int] = field(default_factory=dict)  # graph IRI → quads written
    seconds: dict[str, float] = field(default_factory=dict)
    reports: dict[str, Any] = field(default_factory=dict)  # per source: its import report (JSON)
    validation: dict[str, int] | None = None  # nodes checked, violations, warnings

    def summary(self) -> str:
        lines = [f"{n:>9,}  {g}" for g, n in sorted(self.graphs.items())]
        if self.validation is not None:
            v = self.validation
            lines.append(
                f"SHACL: {v['nodes']:,} nodes checked, {v['violations']:,} violations, {v['warnings']:,} warnings"
            )
        lines.append("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in self.seconds.items()))
        return "\n".join(lines)


def curated_files() -> list[Path]:
    """The hand-made data (seed and curated graphs): everything under ``data/`` but the world build."""
    data = bundled_dir("data")
    return sorted(p for p in data.rglob("*.trig") if WORLD_DIR not in p.relative_to(data).parts)


def _write_graph(store: Any, graph: str, path: Path) -> int:
    """One graph as sorted N-Quads, gzipped with mtime 0 (the same data gives the same bytes)."""
    node = ox.NamedNode(graph)
    lines = sorted(f"{q} .\n" for q in store.oxigraph.quads_for_pattern(None, None, None, node))
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out:
        for line in lines:
            out.write(line.encode("utf-8"))
    return len(lines)


def build_world(
    out: Path,
    *,
    external: Path | None = None,
    progress: ProgressFn | None = None,
    report_file: Path | None = None,
    validate: bool = True,
) -> BuildReport:
    """Import every outside source into a scratch store and write its graphs to ``out`` (see the module doc).

    With ``validate`` (the default) the whole scratch store is checked against the SHACL shapes
    before anything is written, and a violation stops the build (:class:`relgraph.validate.ValidationError`):
    this is the one time the shipped world data is validated (about 5-10 minutes here).
    """
    from ..store import Store
    from ..wikidata import import_wikidata
    from .gazetteer import Gazetteer
    from .names import fold_variants
    from .networks import import_eurocities, import_statement
    from .reconcile import PlaceIndex
    from .twintowns import import_twin_towns, read_twin_towns

    def say(text: str) -> None:
        if progress:
            progress(text)

    external = Path(external or bundled_dir("data") / "external")
    files = {k: external / name for k, name in EXTERNAL_FILES.items()}
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report = BuildReport()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="relgraph-world-") as tmp:
        store = Store(Path(tmp) / "store")
        store.load([*ontology_files(), *curated_files()])
        before = {g.value for g in store.oxigraph.named_graphs() if isinstance(g, ox.NamedNode)}

        step = time.perf_counter()
        say("importing the Eurocities members")
        report.reports["eurocities"] = import_eurocities(store, files["eurocities"], validate=False).__dict__
        report.seconds["eurocities"] = time.perf_counter() - step

        step = time.perf_counter()
        say("reading GeoNames for every name the sources use")
        twin = read_twin_towns(files["twin_towns"])
        keys = {k for p in twin.places.values() for k in fold_variants(p.name)}
        with open(files["wikidata_labels"], encoding="utf-8") as labels:
            keys |= {k for line in labels if "\t" in line for k in fold_variants(line.split("\t", 1)[1].strip())}
        keys |= set(PlaceIndex.from_store(store).by_key)
        gazetteer = Gazetteer.for_keys(keys)
        report.seconds["gazetteer"] = time.perf_counter() - step

        step = time.perf_counter()
        say("importing Wikipedia's twin-town lists")
        twin_report = import_twin_towns(store, files["twin_towns"], gazetteer=gazetteer)
        report.reports["twin_towns"] = twin_report.to_json()
        report.seconds["twin_towns"] = time.perf_counter() - step

        step = time.perf_counter()
        say("importing the Wikidata P190 extract")
        wd = import_wikidata(
            store, relations=files["wikidata_relations"], labels=files["wikidata_labels"], gazetteer=gazetteer
        )
        report.reports["wikidata"] = wd.to_json()
        report.seconds["wikidata"] = time.perf_counter() - step

        step = time.perf_counter()
        for key in ("statement_eurocities", "statement_gpm"):
            say(f"importing {files[key].name}")
            report.reports[key] = import_statement(store, files[key], validate=False).__dict__
        report.seconds["statements"] = time.perf_counter() - step

        if validate:
            from ..validate import ValidationError, validate_store

            step = time.perf_counter()
            say("validating the whole store against the SHACL shapes")
            checked = validate_store(store)
            report.validation = {
                "nodes": checked.scope or 0,
                "violations": len(checked.violations),
                "warnings": len(checked.warnings),
            }
            report.seconds["validate"] = time.perf_counter() - step
            if checked.violations:
                store.close()
                raise ValidationError(checked)

        step = time.perf_counter()
        graphs = sorted(
            g.value
            for g in store.oxigraph.named_graphs()
            if isinstance(g, ox.NamedNode) and (g.value not in before or g.value.endswith("/" + COUNTRIES_GRAPH_SLUG))
        )
        for old in out.glob("*.nq.gz"):
            old.unlink()
        for graph in graphs:
            slug = graph.rsplit("/", 1)[-1]
            if graph != graph_iri(slug, base=store.base):
                continue
            report.graphs[graph] = _write_graph(store, graph, out / f"{slug}.nq.gz")
        report.seconds["write"] = time.perf_counter() - step
        store.close()
    report.seconds["total"] = time.perf_counter() - started
    if report_file is not None:
        Path(report_file).write_text(
            json.dumps(report.reports, ensure_ascii=False, indent=1, default=str, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    return report
