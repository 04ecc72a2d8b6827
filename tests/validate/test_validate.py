"""SHACL validation: every shape has a failing fixture file, the bundled data is clean,
and the load gate leaves the store unchanged on a violation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from relgraph.resources import data_files, ontology_files
from relgraph.store import Store
from relgraph.validate import ValidationError, validate_files

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SHAPES = Path(__file__).resolve().parents[1] / "data" / "shapes"
ID = "https://w3id.org/relgraph/id/"
GRAPH = "https://w3id.org/relgraph/graph/"

#: fixture → (entity, property, severity) the report must name, at the line marked "# expected"
CASES = {
    "agreement-two-types": (ID + "agreement/testburg-exampleville", "rg:agreementType", "Violation"),
    "agreement-type-not-a-type": (ID + "agreement/testburg-exampleville", "rg:agreementType", "Violation"),
    "agreement-one-party": (ID + "agreement/testburg-exampleville", "rg:party", "Violation"),
    "agreement-party-is-a-person": (ID + "agreement/testburg-exampleville", "rg:party", "Violation"),
    "agreement-without-source": (ID + "agreement/testburg-exampleville", None, "Violation"),
    "signing-without-date": (ID + "signing/testburg-2024", "rg:date", "Violation"),
    "signing-without-signature": (ID + "signing/testburg-2024", "rg:signature", "Warning"),
    "signatory-not-a-person": (ID + "signature/testburg-2024-testburg", "rg:signatory", "Violation"),
    "date-plain-string": (ID + "signing/testburg-2024", "rg:date", "Violation"),
    "target-year-not-a-year": (ID + "study/climate-2040", "rg:targetYear", "Violation"),
    "tenure-without-post": (ID + "tenure/jane-doe-mayor", "rg:post", "Violation"),
    "post-without-post-in": (ID + "post/mayor-of-testburg", "rg:postIn", "Violation"),
    "person-is-a-place": (ID + "person/jane-doe", None, "Violation"),
    "label-missing": (ID + "city/testburg", "rdfs:label", "Violation"),
    "label-not-language-tagged": (ID + "city/testburg", "rdfs:label", "Violation"),
    "label-missing-fr": (ID + "city/testburg", "rdfs:label", "Warning"),
    "instance-iri-pattern": (ID + "city/Test_Burg", None, "Violation"),
    "graph-iri-pattern": (GRAPH + "Bad_Graph", None, "Violation"),
    "graph-without-source": (GRAPH + "graph-without-source", None, "Violation"),
    "source-graph-missing-publisher": (GRAPH + "source-graph-missing-publisher", "dct:publisher", "Violation"),
    "source-document-without-title": (ID + "source/untitled", "dct:title", "Violation"),
}


def expected_line(path: Path) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if "# expected" in line and not line.lstrip().startswith("#"):
            return number
    raise AssertionError(f"{path} has no line marked # expected")


def relgraph(*args: str, store: Path | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "relgraph.cli", *args]
    if store is not None:
        cmd += ["--store", str(store)]
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONWARNINGS": "ignore"}
    )


def test_every_shape_has_a_failing_fixture() -> None:
    fixtures = {p.stem for p in SHAPES.glob("*.trig")} - {"valid"}
    assert fixtures == set(CASES)


def test_the_valid_fixture_is_clean() -> None:
    report = validate_files([SHAPES / "valid.trig"])
    assert report.findings == [], report.findings


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_is_reported_with_entity_property_and_line(name: str) -> None:
    path = SHAPES / f"{name}.trig"
    focus, prop, severity = CASES[name]
    report = validate_files([path])
    matching = [f for f in report.findings if f.focus == focus and f.path == prop and f.severity == severity]
    assert matching, "\n".join(f"{f.focus} {f.path} {f.severity}: {f.message}" for f in report.findings)
    finding = matching[0]
    assert finding.file == str(path)
    assert finding.line == expected_line(path), f"{finding.where}: {finding.message}"
    assert finding.message and not finding.message.startswith("Node ")
    assert report.conforms is (severity != "Violation")


def test_messages_come_in_three_languages() -> None:
    path = SHAPES / "agreement-one-party.trig"
    messages = {lang: validate_files([path], lang=lang).violations[0].message for lang in ("de", "en", "fr")}
    assert messages == {
        "de": "Eine Vereinbarung hat mindestens zwei Parteien.",
        "en": "An agreement has at least two parties.",
        "fr": "Un accord a au moins deux parties.",
    }


def test_bundled_data_has_no_violation() -> None:
    report = validate_files([*ontology_files(), *data_files()])
    assert report.violations == [], [(f.focus, f.path, f.message) for f in report.violations]


def test_cli_validate_files_text_and_json() -> None:
    bad = SHAPES / "tenure-without-post.trig"
    text = relgraph("validate", str(bad))
    assert text.returncode == 1
    assert f"{bad} line {expected_line(bad)}" in text.stdout
    assert "A tenure is of exactly one post" in text.stdout

    data = relgraph("validate", "--format", "json", str(bad))
    assert data.returncode == 1
    report = json.loads(data.stdout)
    assert report["conforms"] is False
    entity = report["entities"][0]
    assert entity["iri"] == ID + "tenure/jane-doe-mayor"
    assert entity["findings"][0]["path"] == "rg:post"
    assert entity["findings"][0]["line"] == expected_line(bad)

    warning_only = relgraph("validate", str(SHAPES / "label-missing-fr.trig"))
    assert warning_only.returncode == 0, warning_only.stdout
    assert "Warning" in warning_only.stdout


def _dump(store_dir: Path) -> bytes:
    store = Store(store_dir, read_only=True)
    try:
        return b"\n".join(sorted(str(q).encode() for q in store.oxigraph))
    finally:
        store.close()


def test_load_gate_leaves_the_store_unchanged(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    first = relgraph("load", "--no-reason", store=store_dir)
    assert first.returncode == 0, first.stderr
    before = _dump(store_dir)

    bad = SHAPES / "agreement-one-party.trig"
    result = relgraph("load", "--no-reason", str(bad), store=store_dir)
    assert result.returncode == 1
    assert "An agreement has at least two parties." in result.stderr
    assert f"{bad} line {expected_line(bad)}" in result.stderr
    assert "violation" in result.stderr
    assert _dump(store_dir) == before

    validate = relgraph("validate", store=store_dir)
    assert validate.returncode == 0, validate.stdout


def test_no_validate_commits_with_a_loud_warning(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    result = relgraph("load", "--no-validate", "--no-reason", str(SHAPES / "label-missing.trig"), store=store_dir)
    assert result.returncode == 0, result.stderr
    assert "WARNING" in result.stderr and "--no-validate" in result.stderr
    check = relgraph("validate", store=store_dir)
    assert check.returncode == 1
    assert ID + "city/testburg" in check.stdout


def test_gate_checks_the_store_minus_replaced_graphs(tmp_path: Path) -> None:
    """A bad graph already in the store is fine to replace with a good version of itself."""
    store = Store(tmp_path / "store")
    bad = SHAPES / "label-missing.trig"
    store.load([bad])  # no gate: the library default
    fixed = tmp_path / "label-missing.trig"
    fixed.write_text(
        bad.read_text(encoding="utf-8").replace(
            "city:testburg a rg:City .", 'city:testburg a rg:City ; rdfs:label "T"@de , "T"@en , "T"@fr .'
        ),
        encoding="utf-8",
    )
    report = store.load([fixed], validate=True)
    assert report.validation is not None and report.validation.conforms

    size = len(store)
    with pytest.raises(ValidationError) as info:
        store.load([SHAPES / "person-is-a-place.trig"], validate=True)
    assert len(store) == size
    assert info.value.report.violations[0].focus == ID + "person/jane-doe"


def test_gate_update_checks_without_writing(tmp_path: Path) -> None:
    from relgraph.validate import gate_update

    store = Store(tmp_path / "store")
    store.load([SHAPES / "valid.trig"], validate=True)
    size = len(store)
    city = f"<{ID}city/testburg>"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    with pytest.raises(ValidationError) as info:
        gate_update(store, f"DELETE WHERE {{ GRAPH ?g {{ {city} {label} ?l }} }}")
    assert len(store) == size
    assert {f.focus for f in info.value.report.violations} == {ID + "city/testburg"}
    report = gate_update(
        store,
        f'INSERT DATA {{ GRAPH <{GRAPH}valid> {{ {city} {label} "Testburgo"@es }} }}',
    )
    assert report.conforms and len(store) == size


def _findings(report: Any) -> set[tuple[str, str | None, str, str]]:
    return {(f.focus, f.path, f.severity, f.message) for f in report.findings}


def test_whole_store_validation_in_chunks_gives_the_single_run_verdict(tmp_path: Path) -> None:
    """`relgraph validate` on a store checks it a few thousand nodes at a time; the findings are the same."""
    from relgraph.validate import validate_store

    store = Store(tmp_path / "store")
    store.load([*ontology_files(), *data_files(), *sorted(SHAPES.glob("*.trig"))], validate=False)
    whole = validate_store(store, chunk=None)
    assert whole.violations  # the fixtures break every shape
    for chunk in (7, 400):
        chunked = validate_store(store, chunk=chunk)
        assert _findings(chunked) == _findings(whole), chunk
