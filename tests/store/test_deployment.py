"""Embedded or remote, decided once: what :func:`relgraph.deployment.deployment` makes of the store setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from relgraph.deployment import EmbeddedDeployment, RemoteDeployment, deployment
from relgraph.engine import publish_snapshot
from relgraph.store import RemoteStore, Store


def test_a_directory_is_embedded(tmp_path: Path) -> None:
    where = deployment(tmp_path / "s", base="https://example.org/")
    assert isinstance(where, EmbeddedDeployment) and where.bulk_loads
    assert where.dumps_dir() == (tmp_path / "s.dumps").absolute()
    store = where.open_store()
    try:
        assert isinstance(store, Store) and store.base == "https://example.org/"
        assert where.publish(store) is None  # no server ever served it: nothing to hand over
        assert where.snapshot(1) is None
        published = publish_snapshot(tmp_path / "s", store=store)
        assert where.snapshot(int(published.name)) == published
        assert where.publish(store) is not None  # now servers read snapshots: a new one
    finally:
        store.close()


def test_a_url_is_remote_from_the_option_or_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("RELGRAPH_STORE", "http://127.0.0.1:9/")
    where = deployment()
    assert isinstance(where, RemoteDeployment) and not where.bulk_loads
    assert where.snapshot(1) is None and where.data_modified() is None
    assert where.dumps_dir().parent == tmp_path / "cache" / "relgraph"
    assert isinstance(where.open_store(), RemoteStore)  # no request is made until it is used
    assert deployment(where) is where
    assert isinstance(deployment(tmp_path / "d"), EmbeddedDeployment)  # an explicit directory wins


def test_dumps_folder_setting_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELGRAPH_DUMPS_DIR", str(tmp_path / "dumps"))
    for where in (deployment(tmp_path / "s"), deployment("https://example.org/sparql-store")):
        assert where.dump_path(7, "nq") == tmp_path / "dumps" / "relgraph-7.nq.gz"
