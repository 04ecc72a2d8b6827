"""The relations of the graph as a network, for researchers: measures, rankings, communities, exports.

>>> from relgraph.network import parse_spec
>>> parse_spec(kinds=["twinning"], level="country").relation_kinds == {"city-twinning", "development-partnership"}
True

Library first: :func:`fetch` reads the relations once (a :data:`RowSource`
over a store or the server's engine), :func:`build_network` selects and
aggregates them for a :class:`NetworkSpec`, and :class:`Analysis` computes the
measures on first use. :class:`NetworkCache` keeps both per data version, as
the server's other per-version caches do: a new data version drops them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from .data import RelationData, RowSource, engine_rows, fetch, store_rows
from .spec import DEFAULT_KINDS, KINDS, LEVELS, NetworkSpec, parse_spec

if TYPE_CHECKING:
    from .graph import Network, build_network
    from .measures import Analysis

#: Names whose modules import igraph: loaded on first use, so that importing the package (as every
#: ``relgraph`` command's argument parser does) costs no igraph import.
_LAZY = {"Analysis": ".measures", "Network": ".graph", "build_network": ".graph"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_KINDS",
    "KINDS",
    "LEVELS",
    "Analysis",
    "Network",
    "NetworkCache",
    "NetworkSpec",
    "RelationData",
    "RowSource",
    "analyse",
    "build_network",
    "engine_rows",
    "fetch",
    "parse_spec",
    "store_rows",
]


def analyse(rows: RowSource, spec: NetworkSpec | None = None) -> Analysis:
    """Read, build and wrap one network (no cache: the CLI's one-shot path)."""
    from .graph import build_network
    from .measures import Analysis

    return Analysis(build_network(fetch(rows), spec or NetworkSpec()))


class NetworkCache:
    """The relations of the current data version and the last ``entries`` analyses built from them."""

    def __init__(self, entries: int = 16) -> None:
        self.entries = entries
        self._version: Hashable = None
        self._data: RelationData | None = None
        self._analyses: OrderedDict[NetworkSpec, Analysis] = OrderedDict()
        self._lock = threading.Lock()

    def analysis(
        self,
        version: Hashable,
        rows: Callable[[], RowSource],
        spec: NetworkSpec,
        *,
        read: Callable[[], RelationData] | None = None,
    ) -> Analysis:
        """The analysis of ``spec`` at ``version``; ``rows()`` is asked for a row source only on a miss.

        ``read()``, when given, reads the relations instead (the server's snapshot read).
        """
        from .graph import build_network
        from .measures import Analysis

        with self._lock:  # one build at a time: a cold start reads the store once, not once per request
            if version != self._version or self._data is None:
                self._data = read() if read is not None else fetch(rows())
                self._version = version
                self._analyses.clear()
            found = self._analyses.get(spec)
            if found is None:
                found = self._analyses[spec] = Analysis(build_network(self._data, spec))
                while len(self._analyses) > self.entries:
                    self._analyses.popitem(last=False)
            else:
                self._analyses.move_to_end(spec)
            return found

    def holds(self, version: Hashable) -> bool:
        """Whether the relations of ``version`` are read (a miss reads or loads them)."""
        return self._version == version and self._data is not None

    def adopt(self, version: Hashable, analysis: Analysis) -> None:
        """Keep ``analysis`` (mapped from the shared folder, :mod:`.shared`) as ``version``'s.

        Its relations replace the ones read here (the builder's own copy is dropped: one copy, mapped).
        """
        with self._lock:
            if version != self._version or self._data is not analysis.network.data:
                self._data, self._version = analysis.network.data, version
                self._analyses.clear()
            self._analyses[analysis.network.spec] = analysis

    def clear(self) -> None:
        with self._lock:
            self._version, self._data = None, None
            self._analyses.clear()
