"""The partner finder on a small world in a real on-disk store: ranking, reasons, filters, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph.cli import main
from relgraph.partners import FinderError, build_index, profile, suggest
from relgraph.partners.cli import labeler
from relgraph.summary import store_runner

DATA = Path(__file__).parent / "data" / "small.trig"
ID = "https://example.org/id/"
G = "https://example.org/graph/"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("partners") / "store"
    store = ox.Store(str(path))
    store.load(path=str(DATA), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    return path


@pytest.fixture(scope="module")
def world(store_dir: Path):
    store = ox.Store.read_only(str(store_dir))
    run = store_runner(store)
    return build_index(run), run


def test_suggests_places_without_a_relation_with_reasons(world) -> None:
    index, run = world
    got = suggest(index, ID + "a", label=labeler(run, "en"))
    iris = [s["iri"] for s in got.partners]
    assert ID + "d" in iris  # two shared partners: Beetown and Ceeburg
    assert not {ID + "a", ID + "b", ID + "c"} & set(iris)  # itself and its partners never
    d = got.partners[iris.index(ID + "d")]
    assert d["reasons"][0]["kind"] == "shared"
    assert d["reasons"][0]["text"].startswith("2 shared partners: Beetown, Ceeburg")
    assert {x["iri"] for x in d["reasons"][0]["items"]} == {ID + "b", ID + "c"}
    assert any(r["kind"] == "membership" and "Citynet" in r["text"] for r in d["reasons"])
    assert got.partners == sorted(got.partners, key=lambda s: -s["score"])


def test_reasons_in_german(world) -> None:
    index, run = world
    got = suggest(index, ID + "a", label=labeler(run, "de"), top=3, lang="de")
    d = next(s for s in got.partners if s["iri"] == ID + "d")
    assert d["reasons"][0]["text"].startswith("2 gemeinsame Partner: Beetown, Ceeburg")


def test_graph_restriction_and_field_focus(world) -> None:
    index, run = world
    only_g2 = suggest(index, ID + "b", label=labeler(run, "en"), graphs=[G + "g2"])
    assert ID + "d" not in [s["iri"] for s in only_g2.partners]  # B–D is a g1 relation: not seen
    aero = suggest(index, ID + "a", label=labeler(run, "en"), field="aerospace")
    assert [s["iri"] for s in aero.partners] == [ID + "e"]  # E's cluster has an aerospace agreement
    assert any("clusters" in r["text"] for r in aero.partners[0]["reasons"])


def test_similar_places_and_profile(world) -> None:
    index, run = world
    got = suggest(index, ID + "a", label=labeler(run, "en"))
    similar = {s["iri"]: s for s in got.similar}
    assert ID + "e" in similar and ID + "d" in similar  # a statement and clusters; a membership and size
    p = profile(index, ID + "a")
    assert p["network"]["partners"] == 2 and p["memberships"] == [ID + "net"]
    assert p["population"]["value"] == 1200000 and p["population"]["source"] == G + "places"
    assert p["institutions"] == {"Cluster": [ID + "cl-a"]}


def test_bad_input(world) -> None:
    index, run = world
    label = labeler(run, "en")
    with pytest.raises(FinderError) as unknown:
        suggest(index, ID + "nowhere", label=label)
    assert unknown.value.status == 404
    with pytest.raises(FinderError) as lonely:
        suggest(index, ID + "g", label=label)
    assert lonely.value.status == 400 and "no relations" in str(lonely.value)
    with pytest.raises(FinderError, match="unknown field 'space'; known fields: aerospace, culture"):
        suggest(index, ID + "a", label=label, field="space")
    with pytest.raises(FinderError, match="unknown graph"):
        suggest(index, ID + "a", label=label, graphs=[G + "nope"])


def test_no_evidence_is_an_empty_list_that_says_why(world) -> None:
    index, run = world
    got = suggest(
        index,
        ID + "f",
        label=labeler(run, "en"),
        graphs=[G + "g2"],
        weights={"shared": 1.0, "second": 0.5, "nearby": 0.0, "countries": 0.0, "profile": 0.0},
    )
    assert got.partners == [] and "nothing to suggest" in got.note


def test_cli_json_and_errors(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest-partners", ID + "a", "--store", str(store_dir), "--format", "json", "--top", "2"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2 and {"iri", "label", "score", "reasons"} <= set(rows[0])
    assert main(["suggest-partners", ID + "a", "--store", str(store_dir), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("\ufeffrank,iri,label,score,reasons,list")
    assert main(["suggest-partners", ID + "nowhere", "--store", str(store_dir)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not a place known to the graph" in err[0]


def test_one_shared_partner_is_singular(world) -> None:
    index, run = world
    got = suggest(index, ID + "h", label=labeler(run, "en"), graphs=[G + "g1"])
    d = next(s for s in got.partners if s["iri"] == ID + "d")
    assert d["reasons"][0]["text"] == "1 shared partner: Eton"
