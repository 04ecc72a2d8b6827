"""Every setting of relgraph, declared once.

The CLI builds its options from this table, the Flask app reads its config
from it, and the README's settings table is checked against it by a test.
Secrets (the update token) come only from the environment.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_BASE", "SETTINGS", "Setting", "default_store_path", "get", "resolve"]

#: The public base of every instance IRI (``{base}id/...``) and graph IRI
#: (``{base}graph/...``) in the bundled data.
DEFAULT_BASE = "https://w3id.org/relgraph/"
ONTOLOGY_NS = "https://w3id.org/relgraph/ontology#"


def default_store_path() -> Path:
    """``$XDG_DATA_HOME/relgraph/store``, i.e. ``~/.local/share/relgraph/store``."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "relgraph" / "store"


def _bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(value: str | list[str]) -> list[str]:
    if isinstance(value, list):
        return value
    return [v.strip() for v in value.split(",") if v.strip()]


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    convert: Callable[[Any], Any] = str
    secret: bool = False

    @property
    def env(self) -> str:
        return "RELGRAPH_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "store", None, "Store directory (default: $XDG_DATA_HOME/relgraph/store, i.e. ~/.local/share/relgraph/store)."
    ),
    Setting(
        "base",
        DEFAULT_BASE,
        "Public base of instance and graph IRIs; bundled data is rewritten from the default base to this one on load.",
    ),
    Setting("host", "127.0.0.1", "Address the server listens on."),
    Setting("port", 5000, "Port the server listens on.", int),
    Setting("workers", 2, "Query worker processes (each can be killed on timeout).", int),
    Setting("query_timeout", 30.0, "Time limit of one query, in seconds.", float),
    Setting("max_rows", 100_000, "Most result rows/triples of one query; more is an error.", int),
    Setting("max_body", 1_048_576, "Largest accepted request body, in bytes.", int),
    Setting(
        "page_relations",
        100,
        "Most relations an entity page lists at once; longer lists go in pages (?page=N), CSV holds all.",
        int,
    ),
    Setting(
        "world_data",
        True,
        "Load the world's relations (data/world: twin towns, Wikidata, Eurocities, statements) with the bundled data; "
        "off: the curated data only.",
        _bool,
    ),
    Setting("cors", False, "Send Access-Control-Allow-Origin: * on every response.", _bool),
    Setting("service_allowlist", [], "Comma-separated SERVICE endpoints a query may call.", _list),
    Setting(
        "validate_updates",
        True,
        "Check the store as an update would leave it against the SHACL shapes before writing (422 on a violation).",
        _bool,
    ),
    Setting(
        "dumps_dir",
        None,
        "Folder of the gzipped dumps (default: <store>.dumps next to a store directory; for a remote store "
        "$XDG_CACHE_HOME/relgraph/dumps-<hash of its URL>).",
    ),
    Setting("update_token", None, "Bearer token for /update; unset means updates are off.", str, secret=True),
    # A remote store (``--store http(s)://...``): see relgraph.store.remote, .engines and docs/deployment.md.
    Setting(
        "engine",
        "oxigraph",
        "Kind of remote store (oxigraph, virtuoso or generic): sets its endpoints, union default graph, "
        "authentication scheme and quirks (relgraph.store.engines).",
    ),
    Setting(
        "query_url", None, "SPARQL query endpoint of a remote store (default: the engine's, e.g. {store URL}/query)."
    ),
    Setting(
        "update_url", None, "SPARQL update endpoint of a remote store (default: the engine's, e.g. {store URL}/update)."
    ),
    Setting(
        "store_url",
        None,
        "Graph Store Protocol endpoint of a remote store (default: the engine's, e.g. {store URL}/store).",
    ),
    Setting(
        "remote_union_param",
        None,
        "Query parameter asking a remote store for the union default graph (default: the engine's; "
        "oxigraph: union-default-graph); set empty when its default graph is the union.",
    ),
    Setting(
        "remote_auth", None, "HTTP authentication with user and password: basic or digest (default: the engine's)."
    ),
    Setting("remote_timeout", 300.0, "Time limit of one load/export request to a remote store, in seconds.", float),
    Setting("remote_version_ttl", 5.0, "Seconds a server over a remote store trusts its cached answers.", float),
    Setting(
        "remote_user", None, "User name for HTTP Basic or Digest authentication at a remote store.", str, secret=True
    ),
    Setting(
        "remote_password", None, "Password for HTTP Basic or Digest authentication at a remote store.", str, secret=True
    ),
    Setting("remote_token", None, "Bearer token for a remote store (instead of user and password).", str, secret=True),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str, override: Any = None) -> Any:
    """The value of one setting: an explicit override, else the env var, else the default."""
    setting = _BY_NAME[name]
    if override is not None:
        return setting.convert(override)
    raw = os.environ.get(setting.env)
    if raw is not None and raw != "":
        return setting.convert(raw)
    if name == "store":
        return default_store_path()
    return setting.default


def resolve(**overrides: Any) -> dict[str, Any]:
    """All settings at once, with overrides (e.g. from CLI options) taking precedence."""
    return {s.name: get(s.name, overrides.get(s.name)) for s in SETTINGS}
