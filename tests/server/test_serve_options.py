"""HTTP server settings of ``relgraph serve`` (no server started)."""

from __future__ import annotations

import os

from relgraph_server.config import load_config
from relgraph_server.serve import http_processes, server_options


def test_http_processes_default_to_the_cpus_at_most_four() -> None:
    config = load_config({"store": "/nonexistent"})
    assert http_processes(config) == max(1, min(os.cpu_count() or 1, 4))
    options = server_options(config)
    assert options["workers"] == http_processes(config)
    assert options["factory"] and options["interface"] == "wsgi"
    assert options["blocking_threads"] >= 4
    assert (options["address"], options["port"]) == (config["host"], config["port"])


def test_http_processes_can_be_set() -> None:
    assert server_options(load_config({"store": "/nonexistent", "http_workers": 3}))["workers"] == 3
    assert http_processes(load_config({"store": "/nonexistent", "http_workers": 1})) == 1
