"""The query engine of the SPARQL endpoint: queries and updates with a time limit, a row cap and the guard.

* :mod:`.protocol` — :class:`SparqlEngine`, what the web layer asks of an engine; :class:`QueryResult`; rows;
* :mod:`.answers` — content negotiation per result kind, serialisation under the row cap;
* :mod:`.requests` — what both engines check before running a request (dataset IRIs, terms, updates);
* :mod:`.snapshots` — the copies of the embedded store that queries read, and the write lock;
* :mod:`.pool` — :class:`Engine`, killable worker processes over snapshots (embedded store);
* :mod:`.remote` — :class:`RemoteEngine`, the same rules in front of a remote SPARQL server.

Which engine a deployment uses is decided once, in :mod:`relgraph.deployment`.
Nothing here knows HTTP: the web layer maps the errors to status codes.
"""

from __future__ import annotations

from .pool import Engine
from .protocol import QueryResult, Row, SparqlEngine
from .remote import RemoteEngine, prepare_remote_store, query_form
from .requests import prepare_update
from .snapshots import current_snapshot, publish_snapshot, snapshots_dir, write_lock

__all__ = [
    "Engine",
    "QueryResult",
    "RemoteEngine",
    "Row",
    "SparqlEngine",
    "current_snapshot",
    "prepare_remote_store",
    "prepare_update",
    "publish_snapshot",
    "query_form",
    "snapshots_dir",
    "write_lock",
]
