"""The partner finder's index as mapped tables (:mod:`relgraph.partners.shared`): no pickle, the same answers.

Places and profiles, the places of each profile feature and country, the feature
totals and the answers computed with the index are read from the folder when
asked; every answer must be the one of the index built in memory. The folder is
written once per data version and loaded instead of built; a damaged one is
refused with a line naming it and built again.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_shared_index import ID, _snapshot, _world

from relgraph.partners import profile, suggest
from relgraph.partners.index import profile_features
from relgraph.partners.mapped import Neighbours, Relations, Rows, rows_of
from relgraph.partners.shared import Places, load_shared, precompute, shared_index, shared_path


def _built():  # type: ignore[no-untyped-def]
    return precompute(_world().warm(), places=12)


def _rows_in_memory(index):  # type: ignore[no-untyped-def]
    """``index`` with its relations as rows, as every process read them before (the answers computed before)."""
    names, sets, arrays = rows_of(index.relations)
    rows = Rows(names, sets, arrays)
    index.relations, index._adjacency, index._arrays = Relations(rows), {None: Neighbours(rows)}, {None: rows.arrays()}
    return index


def _label(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _answers(index, every: int = 1) -> dict:  # type: ignore[no-untyped-def]
    out = {}
    for iri in sorted(index.places)[::every]:
        s = suggest(index, iri, label=_label)
        field = suggest(index, iri, label=_label, field=f"{ID}f1") if index.fields else None
        out[iri] = (s.partners, s.similar, s.note, s.similar_note, profile(index, iri), field and field.partners)
    return out


def test_the_mapped_index_answers_as_the_built_one(tmp_path: Path) -> None:
    snapshot = _snapshot(tmp_path, "1")
    memory = _rows_in_memory(_built())  # ties among partners come in the rows' order, as before
    mapped, how = shared_index(snapshot, build=_built)
    assert how == "built" and isinstance(mapped.places, Places)  # the builder maps the folder too
    assert dict(mapped.places.items()) == memory.places
    assert {k: set(v) for k, v in mapped.feature_places(profile_features).items()} == memory.feature_places(
        profile_features
    )
    assert dict(mapped.feature_totals(profile_features)) == memory.feature_totals(profile_features)
    assert mapped.country_pairs() == memory.country_pairs()
    for country in {p.country for p in memory.places.values()}:
        assert list(mapped.places_of_country(country)) == memory.places_of_country(country)
        assert mapped.places_of_country(country)[:3] == memory.places_of_country(country)[:3]
    assert mapped._build_grid() == memory._build_grid()
    kept = list(memory.answers)[: memory.kept]
    assert len(kept) == 12 and all(mapped.stored[k] == memory.answers[k] for k in kept)
    assert _answers(mapped, 2) == _answers(memory, 2)  # half the places: the same answers


def test_written_once_then_loaded_and_an_old_pickle_never_read(tmp_path: Path) -> None:
    snapshot = _snapshot(tmp_path, "1")
    evil = f"cos\nsystem\n(S'touch {tmp_path}/pwned'\ntR.".encode()  # a pickle that runs a command when loaded
    key = shared_path(snapshot).name.rsplit("-", 1)[1]
    (snapshot.parent / f"partners-v3-{key}.pickle").write_bytes(evil)  # where the old layout's file was
    builds = []

    def build():  # type: ignore[no-untyped-def]
        builds.append(1)
        return _built()

    assert shared_index(snapshot, build=build)[1] == "built"
    assert shared_index(snapshot, build=build)[1] == "loaded"  # another HTTP process, a restart
    assert len(builds) == 1 and not (tmp_path / "pwned").exists()
    assert sorted(p.name for p in snapshot.parent.glob("partners*")) == sorted(
        [shared_path(snapshot).name, "partners.lock"]
    )


@pytest.fixture(scope="module")
def reference() -> dict:
    return _answers(_rows_in_memory(_built()), 8)


@pytest.mark.parametrize("damage", ["truncate", "offsets", "manifest", "missing"])
def test_a_damaged_folder_is_refused_and_built_again(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture, reference: dict
) -> None:
    snapshot = _snapshot(tmp_path, "1")
    shared_index(snapshot, build=_built)
    folder = shared_path(snapshot)
    if damage == "truncate":  # a disk that filled up, a copy cut short
        blob = folder / "places.records.blob.npy"
        blob.write_bytes(blob.read_bytes()[:-100])
    elif damage == "offsets":  # the same size, other numbers: the offsets no longer end at the text's end
        manifest = json.loads((folder / "manifest.json").read_text())
        offsets = folder / "places.records.offsets.npy"
        data = bytearray(offsets.read_bytes())
        data[-8:] = (10**9).to_bytes(8, "little")
        offsets.write_bytes(bytes(data))
        assert manifest["files"]["places.records.offsets.npy"] == len(data)
    elif damage == "manifest":
        (folder / "manifest.json").write_text('{"format": "m5", "files": 7}')
    else:
        (folder / "rows.indices.npy").unlink()
    assert load_shared(snapshot) is None  # refused; the log says what and where
    assert str(folder) in caplog.text
    again, how = shared_index(snapshot, build=_built)
    assert how == "built" and _answers(again, 8) == reference
    assert load_shared(snapshot) is not None
