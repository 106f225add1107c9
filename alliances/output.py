"""Rows out as a terminal table, CSV, JSON or Markdown — always UTF-8."""

from __future__ import annotations

import io
import json
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
        esc = lambda s: s.replace("|", "\\|").replace("\n", " ")  # noqa: E731
        lines = [f"| {' | '.join(columns)} |", "|" + "---|" * len(columns)]
        lines += [f"| {' | '.join(esc(_cell(r.get(c))) for c in columns)} |" for r in rows]
        head = f"### {title}\n\n" if title else ""
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
