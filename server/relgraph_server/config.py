"""The app's configuration, read in one place from :mod:`relgraph.settings`.

Every relgraph setting (env ``RELGRAPH_*``, then defaults) is resolved here;
explicit overrides (the ``serve`` options, or a test's dict) win. The web
layer adds only what is not a relgraph setting: the result cache switch.
"""

from __future__ import annotations

from typing import Any

from relgraph import settings

__all__ = ["SERVER_DEFAULTS", "load_config"]

#: Options of the web layer that are not relgraph settings.
SERVER_DEFAULTS: dict[str, Any] = {
    "cache": True,  # result cache keyed on (data version, query, dataset, Accept)
    "cache_entries": 512,  # most cached results
    "cache_max_bytes": 1_048_576,  # results larger than this are not cached
    "http_workers": None,  # HTTP (granian) processes; None: one per CPU, at most 4 (relgraph_server.serve)
}


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """All settings resolved (override > env > default) plus the server's own options."""
    overrides = dict(overrides or {})
    names = {s.name for s in settings.SETTINGS}
    config = settings.resolve(**{k: v for k, v in overrides.items() if k in names})
    for key, default in SERVER_DEFAULTS.items():
        value = overrides.get(key)
        config[key] = default if value is None else value
    return config
