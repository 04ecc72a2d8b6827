"""Accessible SVG charts drawn on the server (no script, no CDN): each has a title and a table behind it.

Pure functions of numbers and labels; the templates put the table next to the
chart (``<details>``), so screen readers and printouts get the figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

__all__ = ["bars", "heatmap", "line", "loglog"]

_W, _H, _PAD = 640, 260, 44


def _svg(title: str, body: str, height: int = _H) -> Markup:
    # every text in ``body`` went through escape(); numbers are formatted here
    return Markup(  # noqa: S704
        f'<svg class="chart" viewBox="0 0 {_W} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{body}</svg>'
    )


def _ticks(lo: float, hi: float) -> list[int]:
    return list(range(math.floor(lo), math.ceil(hi) + 1))


def loglog(points: Sequence[tuple[int, int]], *, title: str, x_label: str, y_label: str) -> Markup:
    """Degree distribution: count of nodes per degree, both axes log10."""
    pts = [(k, c) for k, c in points if k > 0 and c > 0]
    if not pts:
        return _svg(title, "")
    xs = [math.log10(k) for k, _ in pts]
    ys = [math.log10(c) for _, c in pts]
    x0, x1 = 0.0, max(1.0, math.ceil(max(xs)))
    y0, y1 = 0.0, max(1.0, math.ceil(max(ys)))

    def px(x: float) -> float:
        return _PAD + (x - x0) / (x1 - x0) * (_W - 2 * _PAD)

    def py(y: float) -> float:
        return _H - _PAD - (y - y0) / (y1 - y0) * (_H - 2 * _PAD)

    parts = [f'<line x1="{_PAD}" y1="{_H - _PAD}" x2="{_W - _PAD}" y2="{_H - _PAD}" class="axis"/>']
    parts.append(f'<line x1="{_PAD}" y1="{_PAD}" x2="{_PAD}" y2="{_H - _PAD}" class="axis"/>')
    for t in _ticks(x0, x1):
        parts.append(f'<text x="{px(t):.1f}" y="{_H - _PAD + 16}" text-anchor="middle" class="tick">{10**t}</text>')
    for t in _ticks(y0, y1):
        parts.append(f'<text x="{_PAD - 6}" y="{py(t) + 4:.1f}" text-anchor="end" class="tick">{10**t}</text>')
    for (k, c), x, y in zip(pts, xs, ys, strict=True):
        parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" class="dot"><title>{k}: {c}</title></circle>')
    parts.append(f'<text x="{_W / 2}" y="{_H - 6}" text-anchor="middle" class="label">{escape(x_label)}</text>')
    parts.append(f'<text x="12" y="{_H / 2}" transform="rotate(-90 12 {_H / 2})" text-anchor="middle" class="label">')
    parts.append(f"{escape(y_label)}</text>")
    return _svg(title, "".join(parts))


def bars(items: Sequence[tuple[str, float]], *, title: str) -> Markup:
    """Horizontal bars, biggest first."""
    if not items:
        return _svg(title, "")
    row = 20
    height = row * len(items) + 10
    top = max(v for _, v in items) or 1
    left = 190
    parts = []
    for i, (name, value) in enumerate(items):
        y = 5 + i * row
        w = (value / top) * (_W - left - 60)
        short = name if len(name) <= 28 else name[:27] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" class="tick">{escape(short)}</text>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" class="bar"/>')
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 14}" class="tick">{value:g}</text>')
    return _svg(title, "".join(parts), height)


def heatmap(names: Sequence[str], cells: dict[tuple[int, int], int], *, title: str) -> Markup:
    """A symmetric matrix of links between countries; darker is more (log scale)."""
    n = len(names)
    if not n:
        return _svg(title, "")
    left, top = 130, 110
    size = min(28, (_W - left - 10) // n)
    height = top + size * n + 10
    most = max(cells.values(), default=1)
    parts = []
    for i, name in enumerate(names):
        short = name if len(name) <= 18 else name[:17] + "…"
        y = top + i * size
        parts.append(
            f'<text x="{left - 4}" y="{y + size * 0.7:.1f}" text-anchor="end" class="tick">{escape(short)}</text>'
        )
        x = left + i * size + size / 2
        parts.append(
            f'<text x="{x:.1f}" y="{top - 4}" transform="rotate(-60 {x:.1f} {top - 4})" class="tick">'
            f"{escape(short)}</text>"
        )
    for i in range(n):
        for j in range(n):
            value = cells.get((min(i, j), max(i, j)), 0)
            shade = 0.0 if not value else 0.12 + 0.88 * math.log1p(value) / math.log1p(most)
            parts.append(
                f'<rect x="{left + j * size}" y="{top + i * size}" width="{size - 1}" height="{size - 1}" '
                f'class="cell" fill-opacity="{shade:.3f}"><title>{escape(names[i])} – {escape(names[j])}: '
                f"{value}</title></rect>"
            )
    return _svg(title, "".join(parts), height)


def line(points: Sequence[tuple[int, int]], *, title: str) -> Markup:
    """A running total by year (steps)."""
    if not points:
        return _svg(title, "")
    x0, x1 = points[0][0], max(points[-1][0], points[0][0] + 1)
    top = max(v for _, v in points) or 1

    def px(x: float) -> float:
        return _PAD + (x - x0) / (x1 - x0) * (_W - 2 * _PAD)

    def py(y: float) -> float:
        return _H - _PAD - y / top * (_H - 2 * _PAD)

    path = " ".join(f"{'M' if i == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for i, (x, y) in enumerate(points))
    parts = [
        f'<line x1="{_PAD}" y1="{_H - _PAD}" x2="{_W - _PAD}" y2="{_H - _PAD}" class="axis"/>',
        f'<path d="{path}" class="trend"/>',
        f'<text x="{_PAD}" y="{_H - _PAD + 16}" class="tick">{x0}</text>',
        f'<text x="{_W - _PAD}" y="{_H - _PAD + 16}" text-anchor="end" class="tick">{points[-1][0]}</text>',
        f'<text x="{_PAD - 6}" y="{py(top) + 4:.1f}" text-anchor="end" class="tick">{top}</text>',
    ]
    return _svg(title, "".join(parts))
