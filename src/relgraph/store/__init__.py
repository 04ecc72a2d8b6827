"""The store: where the triples live, embedded (pyoxigraph on disk) or remote (a SPARQL server over HTTP).

* :mod:`.protocol` — :class:`GraphStore`, what relgraph asks of either kind, and the load report;
* :mod:`.base` — what both kinds share (loads through memory, the bundled data, statistics);
  RDF files themselves (formats, parsing with rebasing, syntax errors) are :mod:`relgraph.rdf`;
* :mod:`.embedded` — :class:`Store`, pyoxigraph's on-disk store;
* :mod:`.remote` — :class:`RemoteStore`, the SPARQL 1.1 Protocol and Graph Store Protocol;
* :mod:`.http` — the HTTP client the remote store speaks through;
* :mod:`.engines` — profiles of the remote engines (Oxigraph server, Virtuoso, ...).

Which kind a deployment uses is decided once, in :mod:`relgraph.deployment` (its ``open_store``).
"""

from __future__ import annotations

from ..rdf import EXPORT_FORMATS, UNION_TRIPLES, export_format, rdf_format_for
from .embedded import Store
from .protocol import GraphStore, LoadReport, Stats
from .remote import RemoteStore

__all__ = [
    "EXPORT_FORMATS",
    "UNION_TRIPLES",
    "GraphStore",
    "LoadReport",
    "RemoteStore",
    "Stats",
    "Store",
    "export_format",
    "rdf_format_for",
]
