"""Horizontal bar charts as inline SVG, drawn on the server: no chart library, no CDN, and they
print as sharp as the text around them."""

from __future__ import annotations

from html import escape

ROW = 26
LABEL_W = 220
VALUE_W = 130


def bar_chart(items: list[tuple[str, float, str]], *, title: str, width: int = 720,
              color: str = "#2f6f9f") -> str:
    """One bar per (label, value, value as text), longest bar = the largest value."""
    if not items:
        return ""
    top = max(v for _, v, _ in items) or 1.0
    bar_w = width - LABEL_W - VALUE_W
    height = ROW * len(items) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="100%" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, (label, value, text) in enumerate(items):
        y = 4 + i * ROW
        w = max(1.0, bar_w * value / top) if value > 0 else 0
        parts.append(f'<text x="{LABEL_W - 8}" y="{y + 17}" text-anchor="end" font-size="13">'
                     f'{escape(label[:34])}</text>')
        parts.append(f'<rect x="{LABEL_W}" y="{y + 4}" width="{w:.1f}" height="{ROW - 8}" fill="{color}"/>')
        parts.append(f'<text x="{LABEL_W + w + 6:.1f}" y="{y + 17}" font-size="13">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)
