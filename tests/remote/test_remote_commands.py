"""The commands that change the data — import, import-wikidata, remove-source — on both backends.

Each test runs the real ``relgraph`` command (a subprocess) against a store
directory and against a real ``oxigraph serve`` on loopback
(``--store http://127.0.0.1:PORT``), and checks the result by querying. After
every change the inferred graph is recomputed (``--no-reason`` skips it), so
an inference that rested on a removed source disappears with it.
"""

from __future__ import annotations

import base64
import csv
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from auth_proxy import auth_proxy
from remote_proc import RemoteServer, remote_env

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "data" / "templates"
AUTHORING = ROOT / "tests" / "data" / "authoring"
WIKIDATA = ROOT / "tests" / "data" / "wikidata"
ID = "https://w3id.org/relgraph/id/"
G = "https://w3id.org/relgraph/graph/"
RG = "https://w3id.org/relgraph/ontology#"
WD_GRAPH = G + "wikidata-p190-2016"
INFERRED = G + "inferred"
HAMBURG = ID + "city/hamburg"
KOENIGSBERG = ID + "place/wd-q1829"  # only the Wikidata sample knows it

pytestmark = pytest.mark.slow


def relgraph(*args: object, check: bool = True, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("RELGRAPH_") or k == "RELGRAPH_WORLD_DATA"}
    environ.update(remote_env())  # the test engine's profile and account (none for Oxigraph)
    environ.update(env or {})
    run = subprocess.run(
        [sys.executable, "-m", "relgraph.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=environ,
        timeout=300,
        check=False,
    )
    if check:
        assert run.returncode == 0, f"relgraph {args}: {run.stdout}\n{run.stderr}"
    return run


@pytest.fixture(params=[pytest.param("embedded", marks=pytest.mark.embedded_only), "remote"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """``--store`` of a fresh, empty store: a directory, or the URL of a new ``oxigraph serve``.

    The directory half is ``embedded_only``: a run over a remote engine would only repeat it.
    """
    if request.param == "embedded":
        yield str(tmp_path / "store")
        return
    server = RemoteServer(tmp_path / "oxigraph", tmp_path / "oxigraph.log", timeout_s=None).start()
    try:
        yield server.url
    finally:
        server.stop()


def dataset(store: str) -> list[str]:
    """The whole store as sorted N-Quads lines, blank node labels blanked (``relgraph export``)."""
    out = relgraph("export", "--store", store, "--format", "nquads").stdout
    return sorted(re.sub(r"_:[A-Za-z0-9]+", "_:b", line) for line in out.splitlines())


def rows(store: str, sparql: str) -> list[dict[str, str]]:
    """A SELECT with ``relgraph query`` (default graph = union of all graphs)."""
    out = relgraph("query", "--store", store, "--format", "csv", sparql).stdout
    return list(csv.DictReader(io.StringIO(out)))


def inferred(store: str, subject: str, predicate: str, obj: str) -> bool:
    found = rows(
        store,
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED}> {{ <{subject}> <{predicate}> <{obj}> }} }}",
    )
    return int(found[0]["n"]) > 0


def graphs(store: str) -> set[str]:
    return {r["g"] for r in rows(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}


def test_import_csv_and_yaml(store: str) -> None:
    relgraph("load", "--store", store, "--no-reason")
    run = relgraph("import", "--store", store, TEMPLATES / "agreements-template.csv")
    assert "imported 3 agreement(s)" in run.stdout
    assert "by rules" in run.stdout  # the inferred graph was recomputed
    partners = rows(
        store,
        f"""SELECT ?kind WHERE {{ ?a <{RG}party> <{HAMBURG}>, <{ID}region/quebec> ; <{RG}agreementType> ?kind
            FILTER(CONTAINS(STR(?kind), "strategic")) }}""",
    )
    assert partners, "the strategic partnership Hamburg–Québec is in the store"
    assert inferred(store, HAMBURG, RG + "partnerOf", ID + "region/quebec")

    run = relgraph("import", "--store", store, AUTHORING / "new-entities.yaml")
    assert "imported 1 agreement(s)" in run.stdout and f"new: <{ID}city/exampleton>" in run.stdout
    assert inferred(store, HAMBURG, RG + "partnerOf", ID + "city/exampleton")
    assert inferred(store, ID + "city/exampleton", RG + "partnerOf", HAMBURG)  # symmetric


def test_import_gives_the_same_data_on_both_backends(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    server = RemoteServer(tmp_path / "oxigraph", tmp_path / "oxigraph.log", timeout_s=None).start()
    try:
        results = []
        for store in (str(tmp_path / "store"), server.url):
            relgraph("load", "--store", store, "--no-reason")
            relgraph("import", "--store", store, TEMPLATES / "agreements-template.yaml")
            relgraph("import", "--store", store, AUTHORING / "new-entities.yaml")
            relgraph("import-wikidata", "--store", store, "--relations", WIKIDATA / "relations.tsv",
                     "--labels", WIKIDATA / "names.tsv")  # fmt: skip
            results.append(dataset(store))
        embedded, remote = results
        assert len(embedded) > 3000
        assert remote == embedded  # the inferred graph included
    finally:
        server.stop()


def test_a_rejected_import_leaves_the_store_as_it_was(store: str, tmp_path: Path) -> None:
    relgraph("load", "--store", store, "--no-reason")
    relgraph("load", "--store", store, "--no-reason", AUTHORING / "two-londons.trig")
    before = dataset(store)

    bad = relgraph("import", "--store", store, AUTHORING / "bad.csv", check=False)
    assert bad.returncode == 1
    assert "row 4, column party_1: 'London' is ambiguous" in bad.stderr
    assert "nothing was loaded" in bad.stderr
    assert dataset(store) == before

    # good rows, and one bad row at the end
    lines = (TEMPLATES / "agreements-template.csv").read_text(encoding="utf-8").splitlines()
    late = tmp_path / "late-error.csv"
    late.write_text("\n".join([*lines, lines[1].replace("2024-02-20", "20.02.2024", 1)]) + "\n", encoding="utf-8")
    run = relgraph("import", "--store", store, late, check=False)
    assert run.returncode == 1 and "row 5, column date" in run.stderr, run.stderr
    assert dataset(store) == before

    edges = tmp_path / "edges.tsv"
    edges.write_text("Q1055\tQ656\nQ1055\tnot-an-item\n", encoding="utf-8")
    run = relgraph("import-wikidata", "--store", store, "--relations", edges, check=False)
    assert run.returncode != 0 and "edges.tsv:2" in run.stderr, run.stderr
    assert dataset(store) == before


def test_remove_source_takes_its_inferences_along(store: str) -> None:
    relgraph("load", "--store", store)
    before = dataset(store)
    assert not inferred(store, HAMBURG, RG + "partnerOf", KOENIGSBERG)

    run = relgraph("import-wikidata", "--store", store, "--relations", WIKIDATA / "relations.tsv",
                   "--labels", WIKIDATA / "names.tsv")  # fmt: skip
    assert "3 places: 2 matched by Wikidata id" in run.stdout and "by rules" in run.stdout
    assert "run `relgraph reason`" not in run.stderr
    assert inferred(store, HAMBURG, RG + "partnerOf", KOENIGSBERG)
    assert inferred(store, KOENIGSBERG, RG + "partnerOf", HAMBURG)
    assert WD_GRAPH in relgraph("sources", "--store", store).stdout

    run = relgraph("remove-source", "--store", store, WD_GRAPH)
    assert f"removed {WD_GRAPH}" in run.stdout and "by rules" in run.stdout
    assert WD_GRAPH not in graphs(store)
    assert not inferred(store, HAMBURG, RG + "partnerOf", KOENIGSBERG)
    assert not inferred(store, KOENIGSBERG, RG + "partnerOf", HAMBURG)
    assert dataset(store) == before  # every graph as before the import, the inferred one included


def test_no_reason_leaves_the_inferred_graph_for_later(store: str) -> None:
    relgraph("load", "--store", store)
    args = ("--relations", WIKIDATA / "relations.tsv", "--labels", WIKIDATA / "names.tsv")
    run = relgraph("import-wikidata", "--store", store, "--no-reason", *args)
    assert "by rules" not in run.stdout and "--no-reason" in run.stderr
    assert not inferred(store, HAMBURG, RG + "partnerOf", KOENIGSBERG)
    relgraph("reason", "--store", store)
    assert inferred(store, HAMBURG, RG + "partnerOf", KOENIGSBERG)

    run = relgraph("remove-source", "--store", store, "--no-reason", WD_GRAPH)
    assert "--no-reason" in run.stderr
    assert inferred(store, HAMBURG, RG + "partnerOf", KOENIGSBERG)  # stale until the next reason
    relgraph("reason", "--store", store)
    assert not inferred(store, HAMBURG, RG + "partnerOf", KOENIGSBERG)

    run = relgraph("import", "--store", store, "--no-reason", AUTHORING / "new-entities.yaml")
    assert "imported 1 agreement(s)" in run.stdout and "--no-reason" in run.stderr
    assert not inferred(store, HAMBURG, RG + "partnerOf", ID + "city/exampleton")


@pytest.mark.client_only
def test_credentials_stay_out_of_every_message(tmp_path: Path) -> None:
    """The commands over a remote behind an authenticating proxy: refused, or failing while reasoning."""
    user, secret = "curator", "cmd-Pa55word-2718"
    forbidden = [secret, base64.b64encode(f"{user}:{secret}".encode()).decode()]
    server = RemoteServer(tmp_path / "oxigraph", tmp_path / "oxigraph.log", timeout_s=None).start()
    outputs = []
    try:
        relgraph("load", "--store", server.url, "--no-reason")
        with auth_proxy(server.url, user=user, password=secret) as proxy:
            wrong = {"RELGRAPH_REMOTE_USER": user, "RELGRAPH_REMOTE_PASSWORD": secret + "x"}
            run = relgraph("import", "--store", proxy.url, AUTHORING / "new-entities.yaml", check=False, env=wrong)
            assert run.returncode != 0 and "refused the credentials" in run.stderr, run.stderr
            outputs.append(run.stdout + run.stderr)

            right = {"RELGRAPH_REMOTE_USER": user, "RELGRAPH_REMOTE_PASSWORD": secret}
            proxy.careless = True  # reading the rules (for reasoning) answers 500 echoing the header
            args = ("--relations", WIKIDATA / "relations.tsv", "--labels", WIKIDATA / "names.tsv")
            run = relgraph("import-wikidata", "--store", proxy.url, *args, check=False, env=right)
            assert run.returncode == 1 and "relgraph reason: error" in run.stderr and "***" in run.stderr, run.stderr
            outputs.append(run.stdout + run.stderr)
            run = relgraph("remove-source", "--store", proxy.url, WD_GRAPH, check=False, env=right)
            assert run.returncode == 1 and f"removed {WD_GRAPH}" in run.stdout and "***" in run.stderr, run.stderr
            outputs.append(run.stdout + run.stderr)
            assert proxy.expected in proxy.seen_authorization  # the credentials were sent
    finally:
        server.stop()
    for output in outputs:
        for text in forbidden:
            assert text not in output, output
