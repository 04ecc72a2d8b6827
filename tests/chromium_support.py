"""One way to start the system's Chromium for the page tests (Playwright drives /usr/bin/chromium).

Needs ``apt-get install chromium`` and ``pip install playwright`` (never
``playwright install``: no browser download). Outside CI a developer without
Chromium may skip the browser tests; in CI (``CI=true``) a missing browser is a
failure, never a silent pass.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import playwright.sync_api as playwright_api
import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: Without the background-networking flags Chromium's connections are refused by a closed network.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
skip_without_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="chromium is not installed (apt-get install chromium)",
)


@contextlib.contextmanager
def chromium(
    profile: Path, *, locale: str = "en-GB", width: int = 1280, height: int = 900, **options: Any
) -> Iterator[Any]:
    """A persistent browser context on a fresh profile folder, closed on exit."""
    with playwright_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            args=ARGS,
            headless=True,
            viewport={"width": width, "height": height},
            locale=locale,
            **options,
        )
        try:
            yield context
        finally:
            context.close()
