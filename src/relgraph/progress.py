"""Progress bars for long command-line work, drawn only on a terminal.

Loading half a million triples, reconciling 25k twin-town rows, a reasoning
round over every rule or a whole-store SHACL run take seconds to minutes; a
bar says that work goes on and how far it is. The library draws nothing
unless a caller switches bars on: ``relgraph`` calls :func:`enable` with its
stderr, which only takes when stderr is a terminal, so logs, pipes, servers
and tests get no bars and no carriage returns (the one-line "… step"
messages stay as they were).

The bars are tqdm's (one small pure-Python dependency, kept up for a decade,
``tqdm.write`` keeps messages above a running bar); rich would bring a
rendering engine for one line. Long work takes a bar with :func:`bar` (a
count of known or unknown total) or wraps its loop in :func:`track`; network
measures and other long loops are expected to do the same.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any, Protocol, TextIO, TypeVar

__all__ = ["Bar", "bar", "enable", "enabled", "say", "track"]

T = TypeVar("T")
_STREAM: list[TextIO] = []  # the stream bars go to; empty = bars off


class Bar(Protocol):
    def update(self, n: int = 1) -> Any: ...


class _NoBar:
    def update(self, n: int = 1) -> None:
        return None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM", "") != "dumb"
    except (AttributeError, ValueError):
        return False


def enable(stream: TextIO | None = None) -> bool:
    """Draw bars on ``stream`` (default stderr) if it is a terminal; return whether bars are on."""
    stream = sys.stderr if stream is None else stream
    _STREAM.clear()
    if _is_terminal(stream):
        _STREAM.append(stream)
    return bool(_STREAM)


def disable() -> None:
    _STREAM.clear()


def enabled() -> bool:
    return bool(_STREAM)


@contextlib.contextmanager
def bar(*, desc: str, total: float | None = None, unit: str = "it", scale: bool = False) -> Iterator[Bar]:
    """A bar for ``total`` units (None: a running count); a no-op unless bars are on.

    ``scale`` shows large counts as k/M (bytes, triples).
    """
    if not _STREAM:
        yield _NoBar()
        return
    from tqdm import tqdm

    with tqdm(
        total=total,
        desc=desc,
        unit=unit,
        unit_scale=scale,
        file=_STREAM[0],
        leave=False,
        dynamic_ncols=True,
        mininterval=0.2,
    ) as shown:
        yield shown


def track(items: Iterable[T], *, desc: str, total: int | None = None, unit: str = "it") -> Iterator[T]:
    """``items`` as they are, with a bar while they are consumed (when bars are on)."""
    if not _STREAM:
        yield from items
        return
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with bar(desc=desc, total=total, unit=unit) as shown:
        for item in items:
            yield item
            shown.update(1)


def say(message: str, *, file: TextIO | None = None) -> None:
    """Print a message line; above a running bar when bars are on (the bar is redrawn below it)."""
    out = sys.stderr if file is None else file
    if _STREAM:
        from tqdm import tqdm

        tqdm.write(message, file=out)
    else:
        print(message, file=out, flush=True)
