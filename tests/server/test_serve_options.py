"""Gunicorn settings of ``relgraph serve`` (no server started)."""

from __future__ import annotations

import os

from relgraph_server.config import load_config
from relgraph_server.serve import gunicorn_options, http_processes


def test_http_processes_default_to_the_cpus_at_most_four() -> None:
    config = load_config({"store": "/nonexistent"})
    assert http_processes(config) == max(1, min(os.cpu_count() or 1, 4))
    options = gunicorn_options(config)
    assert options["workers"] == http_processes(config)
    assert options["worker_class"] == "gthread"
    assert options["threads"] >= 4


def test_http_processes_can_be_set() -> None:
    assert gunicorn_options(load_config({"store": "/nonexistent", "http_workers": 3}))["workers"] == 3
    assert http_processes(load_config({"store": "/nonexistent", "http_workers": 1})) == 1
