"""A label index per snapshot, so that search does not scan every label in SPARQL.

Oxigraph has no text index: a label search in SPARQL reads every label
(about 1.5 s per 440k labels on our machines, so half a minute at a million
agreements). For the embedded store each published snapshot (see
:mod:`relgraph.engine.snapshots`) can get a SQLite file next to it::

    <store>.snapshots/19/                 the snapshot (RocksDB checkpoint)
    <store>.snapshots/19.v2.labels.sqlite its labels: FTS5 with the trigram tokenizer

Built once per snapshot by streaming the label triples out of the read-only
snapshot (constant memory), written under a temporary name and renamed, so a
reader sees a complete index or none; the engine deletes it with its snapshot.
A needle of three characters or more is a trigram ``MATCH``; shorter ones
fall back to ``LIKE`` over the same table. The needle is always a bound
parameter. A remote store has no snapshots: search stays with SPARQL there.
Labels keep their language tag, as the store does (``v2``: the first index
dropped it, so a page could not pick the label in the reader's language).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox

from .summary import LABEL_PROPERTIES, normalize

__all__ = ["SUFFIX", "build", "index_path", "search"]

SUFFIX = ".v2.labels.sqlite"  # the engine prunes ``*.labels.sqlite`` with its snapshot
_BATCH = 10_000


def index_path(snapshot: str | Path) -> Path:
    """Where the label index of ``snapshot`` lives (next to it, not inside the RocksDB directory)."""
    snapshot = Path(snapshot)
    return snapshot.with_name(snapshot.name + SUFFIX)


def build_beside(
    snapshot: str | Path, target: Path, kind: str, fill: Callable[[ox.Store, sqlite3.Connection], None]
) -> Path:
    """Write the SQLite file ``target`` from the snapshot with ``fill``, all or nothing; return its path.

    Nothing is done when it exists. Written under a temporary name and renamed, so a reader
    never opens half an index (the label and the relation index of a snapshot both).
    """
    if target.exists():
        return target
    snapshot = Path(snapshot)
    tmp = snapshot.with_name(f".tmp-{kind}-{snapshot.name}-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    if _reuse(snapshot, target, tmp):
        return target
    store = ox.Store.read_only(str(snapshot))
    con = sqlite3.connect(tmp)
    try:
        fill(store, con)
        con.commit()
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    del store
    os.replace(tmp, target)
    return target


def data_key(snapshot: Path) -> str | None:
    """What a snapshot holds, cheaply: its RocksDB tables and non-empty logs by name and size.

    Every ``relgraph serve`` start publishes a new snapshot; when the store was not written
    in between, the checkpoint hard-links the same table files, so two snapshots with the same
    key hold the same data (a write adds or replaces a table file, or leaves a non-empty log).
    """
    try:
        files = [(f.name, f.stat().st_size) for f in snapshot.iterdir() if f.suffix in (".sst", ".log")]
    except OSError:
        return None
    found = sorted((name, size) for name, size in files if name.endswith(".sst") or size)
    if not any(name.endswith(".sst") for name, _ in found):
        return None
    return hashlib.sha256(repr(found).encode()).hexdigest()[:20]


def reuse(snapshot: str | Path, target: Path) -> bool:
    """Link the index of another snapshot with the same data as ``target``, if there is one (milliseconds)."""
    snapshot = Path(snapshot)
    return _reuse(snapshot, target, snapshot.with_name(f".tmp-link-{snapshot.name}-{os.getpid()}"))


def _reuse(snapshot: Path, target: Path, tmp: Path) -> bool:
    """Link the index of an earlier snapshot with the same data (:func:`data_key`) as ``target``."""
    suffix = target.name[len(snapshot.name) :]
    key = data_key(snapshot)
    if key is None:
        return False
    for other in sorted(snapshot.parent.glob(f"*{suffix}"), reverse=True):
        earlier = other.with_name(other.name[: -len(suffix)])
        if earlier == snapshot or not earlier.name.isdigit() or data_key(earlier) != key:
            continue
        try:
            tmp.unlink(missing_ok=True)
            os.link(other, tmp)
        except OSError:  # pruned meanwhile, or a file system without hard links: build it
            continue
        os.replace(tmp, target)
        return True
    return False


def build(snapshot: str | Path, *, prefixes: Sequence[str]) -> Path:
    """Write the label index of ``snapshot`` for subjects under ``prefixes``; return its path.

    Nothing is done when it exists. Memory stays flat: labels stream from
    ``quads_for_pattern`` into SQLite in batches of 10,000.
    """
    wanted = tuple(prefixes)

    def fill(store: ox.Store, con: sqlite3.Connection) -> None:
        con.execute(
            "CREATE VIRTUAL TABLE labels USING fts5(norm, text UNINDEXED, lang UNINDEXED, iri UNINDEXED,"
            " tokenize='trigram')"
        )
        batch: list[tuple[str, str, str, str]] = []
        for prop in LABEL_PROPERTIES:
            for quad in store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
                s, o = quad.subject, quad.object
                if isinstance(s, ox.NamedNode) and isinstance(o, ox.Literal) and s.value.startswith(wanted):
                    batch.append((normalize(o.value), o.value, o.language or "", s.value))
                    if len(batch) >= _BATCH:
                        con.executemany("INSERT INTO labels VALUES (?, ?, ?, ?)", batch)
                        batch.clear()
        con.executemany("INSERT INTO labels VALUES (?, ?, ?, ?)", batch)

    return build_beside(snapshot, index_path(Path(snapshot)), "labels", fill)


#: Best matches first, before the limit: the label itself, then labels starting with the needle, then a word
#: of the label starting with it, then anywhere; shorter labels first within each. (Ranked after a LIMIT, an
#: exact match could be cut off by thousands of longer labels containing it: "Berg" among "…berg".)
_MATCH = (
    "SELECT iri, text, lang FROM labels WHERE norm MATCH :phrase"
    " ORDER BY CASE WHEN norm = :n THEN 0 WHEN substr(norm, 1, length(:n)) = :n THEN 1"
    " WHEN instr(' ' || norm, ' ' || :n) > 0 THEN 2 ELSE 3 END, length(norm), norm, iri LIMIT :limit"
)
#: The same for needles under three characters (no trigram): LIKE over the table.
_LIKE = (
    "SELECT iri, text, lang FROM labels WHERE norm LIKE :like ESCAPE '\\'"
    " ORDER BY CASE WHEN norm = :n THEN 0 WHEN substr(norm, 1, length(:n)) = :n THEN 1"
    " WHEN instr(' ' || norm, ' ' || :n) > 0 THEN 2 ELSE 3 END, length(norm), norm, iri LIMIT :limit"
)


def search(index: str | Path, needle: str, *, limit: int = 2000) -> list[tuple[str, ox.Literal]]:
    """``(IRI, label)`` pairs whose label contains ``needle`` (case and diacritics folded), best matches first.

    An exact match always comes first, however many labels contain the needle.
    """
    folded = normalize(needle)
    if not folded:
        return []
    con = sqlite3.connect(f"file:{Path(index)}?mode=ro", uri=True)
    try:
        args: dict[str, object] = {"n": folded, "limit": int(limit)}
        if len(folded) >= 3:
            args["phrase"] = '"' + folded.replace('"', '""') + '"'  # one FTS5 string: no operators
            rows = con.execute(_MATCH, args)
        else:
            escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            args["like"] = f"%{escaped}%"
            rows = con.execute(_LIKE, args)
        return [(iri, ox.Literal(text, language=lang) if lang else ox.Literal(text)) for iri, text, lang in rows]
    finally:
        with contextlib.suppress(sqlite3.Error):
            con.close()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m relgraph.labelindex SNAPSHOT PREFIX…``: build in a process of its own (no GIL shared)."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        print("usage: python -m relgraph.labelindex SNAPSHOT PREFIX [PREFIX…]", file=sys.stderr)
        return 2
    build(args[0], prefixes=args[1:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
