"""Where the bundled ontology, data and queries live.

In a wheel they ship inside the package (``relgraph/bundled/``); in a source
checkout they are the repository's top-level folders.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["RDF_SUFFIXES", "WORLD_DIR", "bundled_dir", "data_files", "ontology_files", "world_files"]

#: The folder of ``data/`` holding the world graphs (built by :func:`relgraph.world.build.build_world`).
WORLD_DIR = "world"
RDF_SUFFIXES = (".ttl", ".trig", ".nt", ".nq", ".jsonld", ".rdf", ".owl", ".xml")
_PACKAGE = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The folder ``ontology``, ``data`` or ``queries`` of this installation."""
    for candidate in (_PACKAGE / "bundled" / name, _PACKAGE.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} is missing from this installation")


def _rdf_files(folder: Path) -> list[Path]:
    def rdf(p: Path) -> bool:
        return p.suffix in RDF_SUFFIXES or (p.suffix == ".gz" and p.with_suffix("").suffix in RDF_SUFFIXES)

    return sorted(p for p in folder.rglob("*") if p.is_file() and rdf(p))


def ontology_files() -> list[Path]:
    """The ontology and concept schemes (SHACL shapes are not data and stay out)."""
    return [p for p in _rdf_files(bundled_dir("ontology")) if p.stem != "shapes"]


def data_files() -> list[Path]:
    """The hand-made instance data under ``data/`` (seed and curated graphs); the world build is apart.

    ``data/world`` holds the world graphs built from outside sources (:func:`world_files`):
    half a million triples that tests load only where they mean to.
    """
    data = bundled_dir("data")
    return [p for p in _rdf_files(data) if WORLD_DIR not in p.relative_to(data).parts[:1]]


def world_files() -> list[Path]:
    """The shipped world graphs, ``data/world/*.nq.gz``."""
    folder = bundled_dir("data") / WORLD_DIR
    return sorted(folder.glob("*.nq.gz")) if folder.is_dir() else []
