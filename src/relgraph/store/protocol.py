"""What relgraph asks of a store, embedded or remote: :class:`GraphStore`, and what a load reports."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

import pyoxigraph as ox

__all__ = ["GraphStore", "LoadReport", "ProgressFn", "Stats"]

ProgressFn = Callable[[str], None]


@dataclass
class LoadReport:
    """What one load wrote: triples per graph and the files read."""

    files: list[str] = field(default_factory=list)
    graphs: dict[str, int] = field(default_factory=dict)
    #: The SHACL report of the gate (``load(validate=True)``): warnings only, else it raised.
    validation: Any = None

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


@dataclass
class Stats:
    """Triples per graph and instances per class (over the union of graphs)."""

    total: int
    graphs: dict[str, int]
    classes: dict[str, int]


@runtime_checkable
class GraphStore(Protocol):
    """What relgraph's commands use of a store; :class:`Store` and :class:`RemoteStore` have it."""

    base: str

    @property
    def path(self) -> Any: ...

    @property
    def location(self) -> str: ...

    @property
    def oxigraph(self) -> Any: ...

    @property
    def native(self) -> ox.Store | None:
        """The pyoxigraph ``Store`` itself when the data is in this process (bulk paths may use it), else None."""
        ...

    def __len__(self) -> int: ...

    def is_empty(self) -> bool: ...

    def graphs(self) -> list[str]: ...

    def query(
        self,
        sparql: str,
        *,
        union: bool = True,
        default_graph: Iterable[str] | None = None,
        named_graphs: Iterable[str] | None = None,
        substitutions: dict[str, Any] | None = None,
        base_iri: str | None = None,
    ) -> Any: ...

    def update(self, sparql: str, *, base_iri: str | None = None) -> None: ...

    def load(
        self,
        paths: Sequence[str | Path],
        *,
        graph: str | None = None,
        progress: ProgressFn | None = None,
        validate: bool = False,
        lang: str = "en",
    ) -> LoadReport: ...

    def load_bundled(
        self, *, progress: ProgressFn | None = None, validate: bool = False, world: bool | None = None
    ) -> LoadReport: ...

    def replace_graphs(self, by_graph: dict[Any, list[ox.Quad]], *, progress: ProgressFn | None = None) -> None: ...

    def remove_graph(self, graph: str) -> None: ...

    def export(self, output: IO[bytes], *, format: str = "nquads", graph: str | None = None) -> None: ...

    def stats(self) -> Stats: ...

    def close(self) -> None: ...
