"""relgraph: a knowledge graph of international relations on an Oxigraph store.

The library works without Flask: ``relgraph.store.Store`` loads, queries and
exports; the ``relgraph`` command and the web server are thin layers over it.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .deployment import open_store
from .errors import LoadError, QuerySyntaxError, RelgraphError, StoreError, UsageError
from .store import LoadReport, Stats, Store

__all__ = [
    "LoadError",
    "LoadReport",
    "QuerySyntaxError",
    "RelgraphError",
    "Stats",
    "Store",
    "StoreError",
    "UsageError",
    "__version__",
    "open_store",
]
