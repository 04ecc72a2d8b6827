"""Tables written once beside the snapshots that every HTTP process maps read-only: no per-process copy.

The network's analysis (:mod:`relgraph.network.shared`) and the partner
finder's index (:mod:`relgraph.partners.shared`) are built by one process per
data version and used by all of them. They are kept in a folder of plain files:

* numbers as ``.npy`` arrays, loaded with ``numpy.load(mmap_mode="r",
  allow_pickle=False)``: the pages are the page cache's, shared by every
  process that maps them (PSS counts them once);
* many strings as two arrays, the offsets and one UTF-8 blob, read one string
  at a time (:class:`Strings`), sorted ones searched in place (:class:`Sorted`);
* small things (figures, tables of a few thousand entries) as JSON.

Nothing in these files is code: a file someone could write is read as numbers,
text and JSON, never unpickled. ``manifest.json``, written last, names every file
with its size and the format, so a truncated or damaged folder is refused with a
clear message (:class:`Damaged`) and built again (:func:`relgraph.buildonce.build_once`).
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np

__all__ = ["Column", "Damaged", "Folder", "IdMap", "Reader", "Sorted", "Strings", "Table", "remove_others"]

MANIFEST = "manifest.json"
_CHUNK = 65536


class Damaged(ValueError):
    """A folder of mapped tables that is incomplete, truncated or of another format."""


class Folder:
    """Writes the tables of one folder into a temporary folder; :meth:`commit` puts it in place at once."""

    def __init__(self, path: Path, *, fmt: str) -> None:
        self.path, self.fmt = path, fmt
        self.tmp = path.with_name(f".tmp-{path.name}-{os.getpid()}")
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir(parents=True)
        self.files: dict[str, int] = {}

    def _done(self, name: str) -> None:
        self.files[name] = (self.tmp / name).stat().st_size

    def array(self, name: str, values: Any, dtype: Any) -> None:
        """``values`` as ``<name>.npy``."""
        with open(self.tmp / f"{name}.npy", "wb") as fh:
            np.save(fh, np.ascontiguousarray(np.asarray(values, dtype=dtype)), allow_pickle=False)
        self._done(f"{name}.npy")

    def strings(self, name: str, values: Iterable[str]) -> None:
        """``values`` as ``<name>.offsets.npy`` and ``<name>.blob.npy`` (see :class:`Strings`)."""
        encoded = [v.encode("utf-8", "surrogatepass") for v in values]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        self.array(f"{name}.offsets", offsets, np.int64)
        self.array(f"{name}.blob", np.frombuffer(b"".join(encoded), dtype=np.uint8), np.uint8)

    def json(self, name: str, value: Any) -> None:
        with open(self.tmp / f"{name}.json", "w", encoding="utf-8") as fh:
            json.dump(value, fh, ensure_ascii=False, allow_nan=False)
        self._done(f"{name}.json")

    def commit(self) -> None:
        """The manifest last, then the folder in place (a reader sees the whole or nothing)."""
        with open(self.tmp / MANIFEST, "w", encoding="utf-8") as fh:
            json.dump({"format": self.fmt, "files": self.files}, fh)
        shutil.rmtree(self.path, ignore_errors=True)  # a damaged one (we hold the builder's lock)
        os.replace(self.tmp, self.path)

    def abandon(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


class Reader:
    """The tables of a folder written by :class:`Folder`, checked against its manifest first."""

    def __init__(self, path: Path, *, fmt: str) -> None:
        self.path = path
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise
        except (OSError, ValueError) as err:
            raise Damaged(f"{path}: its manifest cannot be read ({err})") from err
        if not isinstance(manifest, dict) or manifest.get("format") != fmt:
            raise Damaged(f"{path}: format {manifest.get('format') if isinstance(manifest, dict) else '?'!r}, "
                          f"expected {fmt!r}")  # fmt: skip
        files = manifest.get("files")
        if not isinstance(files, dict):
            raise Damaged(f"{path}: its manifest lists no files")
        for name, size in files.items():
            try:
                found = (path / name).stat().st_size
            except OSError:
                raise Damaged(f"{path}: {name} is missing") from None
            if found != size:
                raise Damaged(f"{path}: {name} has {found} bytes, its manifest says {size} (truncated or damaged)")
        self.files: dict[str, int] = files

    def array(self, name: str) -> Any:
        """``<name>.npy`` mapped read-only."""
        if f"{name}.npy" not in self.files:
            raise Damaged(f"{self.path}: {name}.npy is not in its manifest")
        try:
            found = np.load(self.path / f"{name}.npy", mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError) as err:
            raise Damaged(f"{self.path}: {name}.npy cannot be read ({err})") from err
        # a plain array over the same mapping: numpy.memmap's indexing costs microseconds per element
        return found.view(np.ndarray) if isinstance(found, np.memmap) else found

    def strings(self, name: str) -> Strings:
        found = Strings(self.array(f"{name}.offsets"), self.array(f"{name}.blob"))
        offsets = found.offsets
        if len(offsets) == 0 or int(offsets[0]) != 0 or int(offsets[-1]) != len(found.blob):
            raise Damaged(f"{self.path}: the offsets of {name} do not match its text")
        return found

    def json(self, name: str) -> Any:
        if f"{name}.json" not in self.files:
            raise Damaged(f"{self.path}: {name}.json is not in its manifest")
        try:
            return json.loads((self.path / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise Damaged(f"{self.path}: {name}.json cannot be read ({err})") from err


def remove_others(path: Path, pattern: str) -> None:
    """Remove the files and folders beside ``path`` matching ``pattern`` but ``path`` (earlier data versions')."""
    for other in path.parent.glob(pattern):
        if other == path or other.name.startswith(".tmp-"):
            continue
        if other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
        else:
            other.unlink(missing_ok=True)


class Column(Sequence[Any]):
    """A mapped array read as a list of Python numbers (``int``/``float``, as the lists it stands for)."""

    __slots__ = ("values",)

    def __init__(self, values: Any) -> None:
        self.values = values

    def __len__(self) -> int:
        return len(self.values)

    @overload
    def __getitem__(self, i: int) -> Any: ...
    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...
    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return self.values[i].tolist()
        return self.values[i].item()

    def __iter__(self) -> Iterator[Any]:
        for lo in range(0, len(self.values), _CHUNK):
            yield from self.values[lo : lo + _CHUNK].tolist()

    def tolist(self) -> list[Any]:
        return list(self.values.tolist())


class Table(Sequence[Any]):
    """A list of few distinct values (frozensets, ...): one id per entry (mapped), the values once."""

    __slots__ = ("ids", "table")

    def __init__(self, ids: Any, table: list[Any]) -> None:
        self.ids, self.table = ids, table

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self.table[k] for k in self.ids[i].tolist()]
        return self.table[int(self.ids[i])]

    def __iter__(self) -> Iterator[Any]:
        table = self.table
        for lo in range(0, len(self.ids), _CHUNK):
            yield from (table[k] for k in self.ids[lo : lo + _CHUNK].tolist())


class Strings(Sequence[str]):
    """Strings ``i`` is ``blob[offsets[i]:offsets[i + 1]]`` decoded (UTF-8): one string read at a time."""

    __slots__ = ("_blob", "_offsets", "blob", "offsets")

    def __init__(self, offsets: Any, blob: Any) -> None:
        self.offsets, self.blob = offsets, blob
        # memoryviews over the same pages: an element or a slice in a fraction of a microsecond
        self._offsets = memoryview(np.ascontiguousarray(offsets, dtype=np.int64).data).cast("B").cast("q")
        self._blob = memoryview(np.ascontiguousarray(blob, dtype=np.uint8).data).cast("B")

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        offsets = self._offsets
        if i < 0:
            i += len(offsets) - 1
        if not 0 <= i < len(offsets) - 1:
            raise IndexError(i)
        return str(self._blob[offsets[i] : offsets[i + 1]], "utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        n = len(self)
        for lo in range(0, n, _CHUNK):
            hi = min(n, lo + _CHUNK)
            offsets = self.offsets[lo : hi + 1].tolist()
            text = self.blob[offsets[0] : offsets[-1]].tobytes()
            base = offsets[0]
            for a, b in itertools.pairwise(offsets):
                yield text[a - base : b - base].decode("utf-8", "surrogatepass")


class Sorted(Mapping[str, int]):
    """String → its position, searched in ``strings`` through ``order`` (their positions, sorted by string).

    UTF-8 keeps the order of code points, so the order of Python's ``sorted`` is the order of the bytes.
    """

    __slots__ = ("order", "strings")

    def __init__(self, strings: Strings, order: Any | None = None) -> None:
        self.strings, self.order = strings, order

    def _at(self, k: int) -> str:
        return self.strings[int(self.order[k]) if self.order is not None else k]

    def get(self, key: Any, default: Any = None) -> Any:
        if not isinstance(key, str):
            return default
        view = _Keys(self)
        k = bisect.bisect_left(view, key)
        if k < len(view) and view[k] == key:
            return int(self.order[k]) if self.order is not None else k
        return default

    def __getitem__(self, key: str) -> int:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return int(found)

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None

    def __len__(self) -> int:
        return len(self.strings)

    def __iter__(self) -> Iterator[str]:
        if self.order is None:
            return iter(self.strings)
        return (self._at(k) for k in range(len(self)))


class _Keys(Sequence[str]):
    """The strings of a :class:`Sorted` in sorted order, for :mod:`bisect`."""

    __slots__ = ("of",)

    def __init__(self, of: Sorted) -> None:
        self.of = of

    def __len__(self) -> int:
        return len(self.of.strings)

    def __getitem__(self, k: Any) -> Any:
        return self.of._at(k)


class IdMap(Mapping[int, int]):
    """An int → int dict over ``0..n-1`` as one mapped array, -1 where it has no value."""

    __slots__ = ("at",)

    def __init__(self, values: Any) -> None:
        self.at = values

    @staticmethod
    def array(found: Mapping[int, int], n: int) -> Any:
        out = np.full(n, -1, dtype=np.int32)
        if found:
            keys = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
            out[keys] = np.fromiter(found.values(), dtype=np.int64, count=len(found))
        return out

    def get(self, key: Any, default: Any = None) -> Any:
        if not isinstance(key, int) or not 0 <= key < len(self.at):
            return default
        v = int(self.at[key])
        return default if v < 0 else v

    def __getitem__(self, key: int) -> int:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return int(found)

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None

    def __iter__(self) -> Iterator[int]:
        return iter(np.flatnonzero(np.asarray(self.at) >= 0).tolist())

    def __len__(self) -> int:
        return int(np.count_nonzero(np.asarray(self.at) >= 0))
