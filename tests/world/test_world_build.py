"""The shipped world data is what `relgraph build-world` makes of data/external, byte for byte."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from relgraph.resources import world_files
from relgraph.world.build import build_world


@pytest.mark.slow
def test_the_build_gives_the_shipped_bytes(tmp_path: Path) -> None:
    """Same inputs, same bytes: the shipped files are what `relgraph build-world` makes of data/external."""
    build_world(tmp_path / "world", validate=False)  # the build validated them once; here: same bytes
    built = {p.name: gzip.decompress(p.read_bytes()) for p in sorted((tmp_path / "world").glob("*.nq.gz"))}
    shipped = {p.name: gzip.decompress(p.read_bytes()) for p in world_files()}
    assert built.keys() == shipped.keys()
    for name in built:
        assert built[name] == shipped[name], f"{name} differs from a fresh build: run `relgraph build-world`"
