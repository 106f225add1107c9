"""Rows out as a terminal table, CSV, JSON or Markdown — always UTF-8."""

from __future__ import annotations

import io
import json
import re
import sys

from alliances.cells import CsvWriter

FORMATS = ("table", "csv", "json", "markdown")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


# ---------------------------------------------------------------------------
# Markdown: data shown as written, never rendered live

_MD_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
_MD_PUNCT = re.compile(r"([\\`*_\[\]|~$])")
_MD_SCHEME = re.compile(r"(?<=[A-Za-z0-9+.\-]):(?=//)|(?i:(?<=\bmailto)|(?<=\bxmpp)):")
_MD_WWW = re.compile(r"(?i)(www)\.")
_MD_LEAD = re.compile(r"^(\s*)([#>+=\-])")
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])")


def md_text(value) -> str:
    """``value`` as Markdown text that renders as exactly these characters, and nothing live.

    Raw HTML is made inert (``& < >`` as entities: ``<img src=x onerror=…>`` shows as
    text); backslash and ``` * _ [ ] | ~ $`` are backslash-escaped, so ``![](https://tracker…)``
    and ``[点击](https://phish…)`` are neither an image nor a link; the ``:`` of
    ``https://`` and the ``.`` of ``www.`` become character references and every ``@``
    a one-character code span, so no bare URL or e-mail address is turned into a link
    by GitHub-flavoured renderers (cmark-gfm links an e-mail address after entities
    are decoded, not before); a leading ``#``, ``>``, ``-``, ``+``, ``=`` or ``1.`` is escaped so no
    heading, quote or list begins; line breaks become spaces.

    >>> print(md_text("![](https://t.example/p.gif) <b>"))
    !\\[\\](https&#58;//t.example/p.gif) &lt;b&gt;
    """
    text = _MD_BREAKS.sub(" ", str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_PUNCT.sub(r"\\\1", text)
    text = _MD_SCHEME.sub("&#58;", text)
    text = _MD_WWW.sub(r"\1&#46;", text).replace("@", "`@`")
    text = _MD_LEAD.sub(r"\1\\\2", text, count=1)
    return _MD_ORDERED.sub(r"\1\\\2", text, count=1)


def md_cell(value, *, data: bool = True) -> str:
    """A Markdown table cell: :func:`md_text` for data; our own column names only get ``|`` escaped."""
    if data:
        return md_text(value)
    return _MD_BREAKS.sub(" ", str(value)).replace("|", "\\|")


def render_rows(rows: list[dict], fmt: str, columns: list[str] | None = None, title: str = "") -> str:
    """Render ``rows`` (dicts) as ``fmt``; ``columns`` picks and orders the keys."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    columns = columns or (list(rows[0].keys()) if rows else [])
    if fmt == "csv":  # formula-guarded, every line break quoted (alliances.cells)
        buf = io.StringIO()
        w = CsvWriter(buf)
        w.writeheader(columns)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in columns])
        return buf.getvalue()
    if fmt == "markdown":
        lines = [f"| {' | '.join(md_cell(c, data=False) for c in columns)} |", "|" + "---|" * len(columns)]
        lines += [f"| {' | '.join(md_cell(_cell(r.get(c))) for c in columns)} |" for r in rows]
        head = f"### {md_text(title)}\n\n" if title else ""
        return head + "\n".join(lines) + "\n"
    if fmt == "table":
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title or None, show_lines=False)
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*[_cell(r.get(c)) for c in columns])
        buf = io.StringIO()
        Console(file=buf, width=_width(), force_terminal=False, color_system=None, legacy_windows=False).print(table)
        return buf.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


def _width() -> int:
    import shutil

    return max(100, shutil.get_terminal_size((160, 24)).columns)


def write_text(text: str, out=None) -> None:
    """Write to stdout as UTF-8 whatever the locale, or to a file path."""
    if out is None or out == "-":
        stream = sys.stdout
        try:
            stream.write(text)
        except UnicodeEncodeError:
            stream.flush()
            stream.buffer.write(text.encode("utf-8"))
        stream.flush()
    else:
        from alliances.files import atomic_write_text

        atomic_write_text(out, text)
