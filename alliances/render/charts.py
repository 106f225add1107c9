"""Inline SVG charts for the report: no script, no external request, prints as drawn.

Each function takes plain data and returns one ``<svg>`` element as
:class:`markupsafe.Markup`; every label from the data is escaped here. Text
uses the page's CJK font stack, so Chinese labels print. Every chart has a
``<title>`` (what it shows) for screen readers and a legend where colour
carries meaning.
"""

from __future__ import annotations

from markupsafe import Markup

FONT = '"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif'
BAR = "#4e79a7"
BAR_2 = "#e15759"


def _svg(width: int, height: int, title: str, body: list) -> Markup:
    head = Markup('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{w}" height="{h}" '
                  'viewBox="0 0 {w} {h}" font-family=\'{f}\' font-size="12"><title>{t}</title>').format(
        w=width, h=height, f=Markup(FONT), t=title)
    return head + Markup("").join(body) + Markup("</svg>")


def _text(x, y, s, *, anchor="start", size=12, weight="normal", fill="#222") -> Markup:
    return Markup('<text x="{}" y="{}" text-anchor="{}" font-size="{}" font-weight="{}" fill="{}">{}</text>').format(
        round(x, 1), round(y, 1), anchor, size, weight, fill, s)


def _short(s: str, n: int = 18) -> str:
    s = str(s)
    return s if len(s) <= n else s[: n - 1] + "…"


def _fmt(v: float) -> str:
    if isinstance(v, int) or float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:.3f}" if abs(v) < 10 else f"{v:,.1f}"


def bars(items: list[tuple[str, float]], *, title: str, color: str = BAR, width: int = 640) -> Markup:
    """Horizontal bars, one per ``(label, value)``, longest first as given, value at the end."""
    row, left, pad = 22, 190, 8
    height = pad * 2 + row * max(len(items), 1) + 18
    top = max((v for _, v in items), default=0) or 1
    span = width - left - 70
    body = [_text(0, 14, title, weight="bold")]
    for k, (label, value) in enumerate(items):
        y = 24 + pad + k * row
        w = max(1.0, span * value / top) if value else 0
        body.append(_text(left - 6, y + 13, _short(label, 16), anchor="end"))
        body.append(Markup('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>').format(
            left, y + 2, round(w, 1), row - 6, color, label, _fmt(value)))
        body.append(_text(left + w + 4, y + 13, _fmt(value), fill="#444"))
    return _svg(width, height, title, body)


def heat_map(labels: list[str], values: dict[tuple[int, int], float], *, title: str, width: int = 640) -> Markup:
    """A symmetric matrix as shaded cells (darker = more), the number in each cell."""
    n = max(len(labels), 1)
    left, topm = 110, 40
    cell = min(70, (width - left - 10) // n)
    height = topm + cell * n + 10
    peak = max(values.values(), default=0) or 1
    body = [_text(0, 14, title, weight="bold")]
    for k, lab in enumerate(labels):
        body.append(_text(left + k * cell + cell / 2, topm - 6, _short(lab, 8), anchor="middle"))
        body.append(_text(left - 6, topm + k * cell + cell / 2 + 4, _short(lab, 10), anchor="end"))
    for a in range(len(labels)):
        for b in range(len(labels)):
            v = values.get((min(a, b), max(a, b)), 0)
            shade = v / peak
            # light to dark blue; text flips to white on dark cells
            r, g, bl = (round(247 - (247 - 8) * shade), round(251 - (251 - 69) * shade), round(255 - (255 - 148) * shade))
            x, y = left + b * cell, topm + a * cell
            body.append(Markup('<rect x="{}" y="{}" width="{}" height="{}" fill="rgb({},{},{})" stroke="#fff">'
                               '<title>{} – {}: {}</title></rect>').format(
                x, y, cell, cell, r, g, bl, labels[a], labels[b], _fmt(v)))
            body.append(_text(x + cell / 2, y + cell / 2 + 4, _fmt(v), anchor="middle",
                              fill="#fff" if shade > 0.55 else "#222"))
    return _svg(width, height, title, body)


def growth(periods: list[str], series: list[tuple[str, str, list[int]]], *, title: str, width: int = 640,
           note: str = "") -> Markup:
    """Lines of cumulative counts per period; ``series`` is ``[(name, colour, counts per period)]``."""
    left, right, topm, bottom = 50, 10, 30, 60
    height = 240
    plot_w, plot_h = width - left - right, height - topm - bottom
    cum = [(name, col, [sum(v[: k + 1]) for k in range(len(v))]) for name, col, v in series]
    peak = max((max(v, default=0) for _, _, v in cum), default=0) or 1
    body = [_text(0, 14, title, weight="bold")]
    body.append(Markup('<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#999"/>'
                       '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="#999"/>').format(
        l=left, r=left + plot_w, t=topm, b=topm + plot_h))
    body.append(_text(left - 4, topm + 4, _fmt(peak), anchor="end", size=10))
    body.append(_text(left - 4, topm + plot_h, "0", anchor="end", size=10))
    n = max(len(periods), 1)
    step = plot_w / max(n - 1, 1)
    every = max(1, n // 10)
    for k, p in enumerate(periods):
        if k % every == 0 or k == n - 1:
            body.append(_text(left + k * step, topm + plot_h + 14, p, anchor="middle", size=10))
    for s, (name, col, values) in enumerate(cum):
        pts = " ".join(f"{round(left + k * step, 1)},{round(topm + plot_h - plot_h * v / peak, 1)}"
                       for k, v in enumerate(values))
        body.append(Markup('<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>').format(pts, col))
        for k, v in enumerate(values):
            body.append(Markup('<circle cx="{}" cy="{}" r="2.5" fill="{}"><title>{} {}: {}</title></circle>').format(
                round(left + k * step, 1), round(topm + plot_h - plot_h * v / peak, 1), col, name, periods[k], v))
    marks, rows = _legend([(f"{name} ({values[-1] if values else 0:,})", col) for name, col, values in cum],
                          left=left, width=width, y=height - 22, mark=(12, 4))
    body += marks
    height += 16 * rows
    if note:
        body.append(_text(left, height - 4, note, size=10, fill="#555"))
    return _svg(width, height, title, body)


def _text_width(s: str, size: int) -> float:
    """About how wide ``s`` is drawn at ``size`` px: a CJK character is one em, other characters ~0.6."""
    return sum(size if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 0.6 * size for ch in s)


def _legend(entries: list[tuple[str, str]], *, left: float, width: float, y: float,
            mark: tuple[int, int], size: int = 11) -> tuple[list, int]:
    """A chart's legend: each ``(label, colour)`` as a ``mark`` (width, height) swatch and its label,
    side by side from ``(left, y)``, wrapping onto a new row 16 px down rather than run past
    ``width``. Returns the SVG elements and how many rows it added (the chart grows by 16 px each)."""
    mw, mh = mark
    lx, row, body = left, 0, []
    for label, col in entries:
        w = mw + 4 + _text_width(label, size) + 18
        if lx > left and lx + w > width:
            lx, row = left, row + 1
        top = y + 16 * row
        body.append(Markup('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>').format(
            round(lx, 1), top, mw, mh, col))
        body.append(_text(round(lx + mw + 4, 1), top + mh / 2 + 3, label, size=size))
        lx += w
    return body, row


def stacked(items: list[tuple[str, dict[str, int]]], colors: dict[str, tuple[str, str]], *, title: str,
            width: int = 640) -> Markup:
    """One horizontal stacked bar per item (``label, {key: n}``), the share of each key;
    ``colors`` maps a key to ``(name shown in the legend, colour)``, in legend order."""
    row, left = 22, 190
    height = 40 + row * max(len(items), 1) + 24
    span = width - left - 60
    peak = max((sum(d.values()) for _, d in items), default=0) or 1
    body = [_text(0, 14, title, weight="bold")]
    for k, (label, parts) in enumerate(items):
        y = 28 + k * row
        body.append(_text(left - 6, y + 13, _short(label, 16), anchor="end"))
        x = float(left)
        for key, (name, col) in colors.items():
            v = parts.get(key, 0)
            if not v:
                continue
            w = span * v / peak
            body.append(Markup('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} · {}: {}</title>'
                               '</rect>').format(round(x, 1), y + 2, round(max(w, 0.5), 1), row - 6, col, label, name,
                                                 f"{v:,}"))
            x += w
        body.append(_text(x + 4, y + 13, f"{sum(parts.values()):,}", fill="#444"))
    marks, rows = _legend([(str(name), col) for name, col in colors.values()], left=left, width=width,
                          y=height - 16, mark=(10, 10))
    body += marks
    height += 16 * rows
    return _svg(width, height, title, body)

