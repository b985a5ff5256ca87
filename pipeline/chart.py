"""A stacked horizontal bar chart as inline SVG: one bar per row label (a lead unit), its
segments the counts per series (target kinds), with a legend that gives each series' total.

Written by hand rather than drawn by matplotlib: the labels are Chinese, and an SVG whose text
is real text lets the browser pick a CJK font the reader has, stays selectable and searchable,
and can link each bar to the unit's entry on the page; matplotlib would turn the text into
glyph paths from whatever font the machine that wrote the report has (boxes where it has no
CJK font), and it needs a fixed hash salt and date to write the same bytes twice. This is
about eighty lines, with no dependency and the same bytes every time."""
from __future__ import annotations

import unicodedata
from html import escape

ROW = 22
BAR = 14
LEGEND = 28
CHAR = 6.5  # px per narrow character at the 12px font (a Han character counts two)
MAX_LABEL = 34  # narrow characters; longer labels are cut with … and shown whole on hover


def display_width(text: str) -> int:
    """How many narrow characters wide a text is drawn: a Han (wide) character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _nice_step(largest: int) -> int:
    """A step of 1, 2 or 5 × 10^n giving at most about five grid lines."""
    step = 1
    while largest / step > 5:
        for factor in (2, 5 / 2, 2):
            step = int(step * factor)
            if largest / step <= 5:
                break
    return step


def _cut(label: str) -> str:
    if display_width(label) <= MAX_LABEL:
        return label
    out = ""
    for ch in label:
        if display_width(out + ch + "…") > MAX_LABEL:
            break
        out += ch
    return out + "…"


def stacked_bars(rows: list[tuple[str, str | None, dict[str, int]]], series: dict[str, str], title: str,
                 width: int = 640) -> str:
    """`rows`: (label, link or None, counts per series name); `series`: name → colour, in
    legend order. Returns an <svg> element sized by its viewBox."""
    label_w = int(max([display_width(_cut(label)) for label, _, _ in rows] + [4]) * CHAR) + 10
    plot_w = width - label_w - 40
    largest = max([sum(counts.values()) for _, _, counts in rows] + [1])
    step = _nice_step(largest)
    top = max(step * -(-largest // step), 1)
    scale = plot_w / top
    totals = {name: sum(counts.get(name, 0) for _, _, counts in rows) for name in series}
    legend: list[str] = []
    x: float = 0
    y = 6
    for name, colour in series.items():
        text = f"{name} {totals[name]}"
        item_w = 16 + int(display_width(text) * CHAR) + 14
        if x and x + item_w > width:
            x, y = 0, y + LEGEND - 8
        legend.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>'
                      f'<text x="{x + 16}" y="{y + 10}" class="legend">{escape(text)}</text>')
        x += item_w
    chart_top = y + LEGEND - 6
    base = chart_top + len(rows) * ROW
    height = base + 24
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             *legend]
    for tick in range(0, top + 1, step):
        gx = label_w + round(tick * scale, 1)
        parts.append(f'<line x1="{gx}" y1="{chart_top - 2}" x2="{gx}" y2="{base}" class="grid"/>'
                     f'<text x="{gx}" y="{base + 14}" class="tick">{tick}</text>')
    for i, (label, link, counts) in enumerate(rows):
        y = chart_top + i * ROW
        name = f'<text x="{label_w - 8}" y="{y + 15}" class="label"><title>{escape(label)}</title>' \
               f'{escape(_cut(label))}</text>'
        parts.append(f'<a href="{escape(link)}">{name}</a>' if link else name)
        x = label_w
        for series_name, colour in series.items():
            n = counts.get(series_name, 0)
            if n:
                w = round(n * scale, 1)
                parts.append(f'<rect x="{x}" y="{y + (ROW - BAR) // 2}" width="{w}" height="{BAR}" fill="{colour}">'
                             f'<title>{escape(label)}: {n} {escape(series_name)}</title></rect>')
                x = round(x + w, 1)
        parts.append(f'<text x="{x + 4}" y="{y + 15}" class="count">{sum(counts.values())}</text>')
    parts.append("</svg>")
    return "".join(parts)
