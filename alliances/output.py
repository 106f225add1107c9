"""Rows out as a terminal table, CSV, JSON or Markdown — always UTF-8.

Terminal tables and Markdown speak the user's language (:data:`HEADERS`, :func:`localize`);
CSV and JSON keep the stable column keys (scripts read them), with region names in the
cells. A terminal table never breaks a name: a line breaks only at a space (lists of names
are joined with ``"; "``) or after a clause's ``；：。``; when the columns cannot all be as wide as their widest word at
the terminal's width, each row is printed as a block of ``column : value`` lines instead
(:func:`_records`).
"""

from __future__ import annotations

import io
import json
import re
import sys

from alliances.cells import CsvWriter

FORMATS = ("table", "csv", "json", "markdown")


#: How many items of a list a table or Markdown cell shows before "等 N 个" / "and M more"
#: (CSV and JSON keep every item: they are for spreadsheets and scripts).
LIST_SHOWN = 10


def _cell(value, *, shown: int | None = None, lang: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
        if shown is not None and len(items) > shown:
            more = (f"等 {len(items):,} 个" if lang == "zh" else f"and {len(items) - shown:,} more")
            return "; ".join(items[:shown]) + f" {more}"
        return "; ".join(items)
    return str(value)


# ---------------------------------------------------------------------------
# Markdown: data shown as written, never rendered live

_MD_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
_MD_PUNCT = re.compile(r"([\\`*_\[\]|~$])")
_MD_SCHEME = re.compile(r"(?<=[A-Za-z0-9+.\-]):(?=//)|(?i:(?<=\bmailto)|(?<=\bxmpp)):")
_MD_WWW = re.compile(r"(?i)(www)\.")
_MD_LEAD = re.compile(r"^(\s*)([#>+=\-])")
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])")


def md_text(value, *, block: bool = True) -> str:
    """``value`` as Markdown text that renders as exactly these characters, and nothing live.

    Raw HTML is made inert (``& < >`` as entities: ``<img src=x onerror=…>`` shows as
    text); backslash and ``` * _ [ ] | ~ $`` are backslash-escaped, so ``![](https://tracker…)``
    and ``[点击](https://phish…)`` are neither an image nor a link; the ``:`` of
    ``https://`` and the ``.`` of ``www.`` become character references and every ``@``
    a one-character code span, so no bare URL or e-mail address is turned into a link
    by GitHub-flavoured renderers (cmark-gfm links an e-mail address after entities
    are decoded, not before); with ``block`` (text that starts a line), a leading ``#``,
    ``>``, ``-``, ``+``, ``=`` or ``1.`` is escaped so no heading, quote or list begins (a
    table cell holds inline content only, so a number like ``0.25`` stays as it is there);
    line breaks become spaces.

    >>> print(md_text("![](https://t.example/p.gif) <b>"))
    !\\[\\](https&#58;//t.example/p.gif) &lt;b&gt;
    """
    text = _MD_BREAKS.sub(" ", str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_PUNCT.sub(r"\\\1", text)
    text = _MD_SCHEME.sub("&#58;", text)
    text = _MD_WWW.sub(r"\1&#46;", text).replace("@", "`@`")
    if not block:
        return text
    text = _MD_LEAD.sub(r"\1\\\2", text, count=1)
    return _MD_ORDERED.sub(r"\1\\\2", text, count=1)


def md_cell(value, *, data: bool = True) -> str:
    """A Markdown table cell: :func:`md_text` for data; our own column names only get ``|`` escaped."""
    if data:
        return md_text(value, block=False)
    return _MD_BREAKS.sub(" ", str(value)).replace("|", "\\|")


# ---------------------------------------------------------------------------
# The user's language: headers and the values the model codes

#: Column key → (Chinese, English) header of terminal tables and Markdown.
HEADERS: dict[str, tuple[str, str]] = {
    "rank": ("排名", "rank"), "id": ("编号", "id"), "name": ("名称", "name"), "name_en": ("英文名", "English name"),
    "label": ("类型", "label"), "region": ("地区", "region"), "region_id": ("地区编号", "region id"),
    "kind": ("类别", "kind"),
    "degree": ("度中心性", "degree"), "weighted_degree": ("加权度", "weighted degree"),
    "betweenness": ("中介中心性", "betweenness"), "closeness": ("接近中心性", "closeness"),
    "harmonic": ("调和中心性", "harmonic"), "eigenvector": ("特征向量中心性", "eigenvector"),
    "pagerank": ("PageRank", "PageRank"), "region_rank": ("地区内排名", "rank in region"),
    "explanation_text": ("说明", "explanation"),
    "coordinator": ("协调者", "coordinator"), "itinerant": ("巡回者", "itinerant"),
    "representative": ("代表者", "representative"), "gatekeeper": ("守门者", "gatekeeper"),
    "liaison": ("联络者", "liaison"), "cross_region": ("跨地区中介", "cross-region"),
    "constraint": ("约束", "constraint"), "effective_size": ("有效规模", "effective size"),
    "articulation": ("关节点", "articulation point"), "bridges": ("桥", "bridges"),
    "articulation_point": ("关节点组织", "articulation point"), "bridge": ("桥（唯一联系）", "bridge"),
    "region_a": ("地区甲", "region A"), "region_b": ("地区乙", "region B"), "ties": ("联系数", "ties"),
    "weight": ("权重", "weight"), "regions": ("地区对", "regions"), "distance": ("距离", "distance"),
    "on_shortest_paths": ("最短路径上的组织", "on shortest paths"),
    "node_independent": ("独立路径（组织不重复）", "node-independent routes"),
    "edge_independent": ("独立路径（联系不重复）", "tie-independent routes"), "cut_by": ("切断者", "cut by"),
    "community": ("社区", "community"), "size": ("规模", "size"), "members": ("成员", "members"),
    "partner_name": ("建议伙伴", "suggested partner"), "partner_region": ("伙伴地区", "partner's region"),
    "adamic_adar": ("Adamic–Adar", "Adamic–Adar"), "resource_allocation": ("资源分配指数", "resource allocation"),
    "common_neighbors": ("共同伙伴数", "common partners"), "reason": ("理由", "reason"),
    "before": ("之前", "before"), "after": ("之后", "after"), "change": ("变化", "change"),
    "routes_before": ("之前独立路径", "routes before"), "routes_after": ("之后独立路径", "routes after"),
    "measure": ("指标", "measure"), "source": ("来源", "source"), "nodes": ("节点", "nodes"),
    "relationships": ("关系", "relationships"), "figures": ("数据", "figures"), "sources": ("来源数", "sources"),
    "loaded_at": ("载入时间", "loaded at"), "section": ("部分", "section"), "what": ("内容", "what"),
    "row": ("行", "row"), "from": ("起点", "from"), "to": ("终点", "to"), "from_id": ("起点编号", "from id"),
    "to_id": ("终点编号", "to id"), "hops": ("跳数", "hops"), "path": ("路径", "path"), "length": ("长度", "length"),
}

#: Words the analyses return as codes, in each language.
WORDS: dict[str, tuple[str, str]] = {
    "broken": ("中断", "broken"), "restored": ("恢复", "restored"), "lengthened": ("变长", "lengthened"),
    "shortened": ("变短", "shortened"), "unchanged": ("不变", "unchanged"),
}


def header(key: str, lang: str | None) -> str:
    """A column's header in ``lang`` (the key itself for ``None`` or a column we do not name)."""
    if lang is None or key not in HEADERS:
        return key
    return HEADERS[key][0 if lang == "zh" else 1]


REGION_COLUMNS = ("region", "partner_region", "region_a", "region_b")


def localize(rows: list[dict], lang: str, *, region_name=None, codes: bool = True) -> list[dict]:
    """``rows`` with what a planner reads in ``lang``: region ids as names (``region_name(key,
    lang)``), and with ``codes`` the model's codes (kind, label, relationship type) as names,
    true/false as 是/否 (yes/no) and the analyses' change words. CSV passes ``codes=False``:
    its region cells are names, its codes stay importable."""
    from alliances import model

    out = []
    for r in rows:
        r = dict(r)
        if region_name is not None:
            for c in REGION_COLUMNS:
                if isinstance(r.get(c), str) and r[c]:
                    r[c] = region_name(r[c], lang)
        if codes:
            for c, table in (("kind", model.KINDS), ("label", model.LABELS)):
                if isinstance(r.get(c), str) and r[c] in table:
                    r[c] = getattr(table[r[c]], "zh" if lang == "zh" else "en")
            for c, v in r.items():
                if isinstance(v, bool):
                    r[c] = ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")
                elif isinstance(v, str) and v in WORDS:
                    r[c] = WORDS[v][0 if lang == "zh" else 1]
        out.append(r)
    return out


def render_rows(rows: list[dict], fmt: str, columns: list[str] | None = None, title: str = "", *,
                lang: str | None = None) -> str:
    """Render ``rows`` (dicts) as ``fmt``; ``columns`` picks and orders the keys; ``lang``
    names the columns of a table or Markdown in that language (:data:`HEADERS`)."""
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
        lines = [f"| {' | '.join(md_cell(header(c, lang), data=False) for c in columns)} |",
                 "|" + "---|" * len(columns)]
        lines += [f"| {' | '.join(md_cell(_cell(r.get(c), shown=LIST_SHOWN, lang=lang)) for c in columns)} |"
                  for r in rows]
        head = f"### {md_text(title)}\n\n" if title else ""
        return head + "\n".join(lines) + "\n"
    if fmt == "table":
        return _table([header(c, lang) for c in columns],
                      [[_cell(r.get(c), shown=LIST_SHOWN, lang=lang) for c in columns] for r in rows], title, _width())
    raise ValueError(f"unknown format {fmt!r}")


def _width() -> int:
    """The terminal's width (``COLUMNS`` first); 160 when the output is not a terminal."""
    import shutil

    return max(20, shutil.get_terminal_size((160, 24)).columns)


# Where a Chinese sentence may break: after a full-width semicolon, colon or full stop (clause
# ends, which names do not hold). Not after 、 or ，: they can be part of a name (自贡华商、成都…).
_CLAUSE_END = re.compile(r"(?<=[；：。])(?=\S)")


def units(text: str) -> list[tuple[str, bool]]:
    """The pieces of ``text`` a line may not split, each with whether a space stood before it:
    its words, and a Chinese sentence's clauses. A name never holds a space in Chinese, so lists
    of names are joined with ``"; "``."""
    out = []
    for i, word in enumerate(text.split()):
        out += [(u, i > 0 and j == 0) for j, u in enumerate(_CLAUSE_END.split(word)) if u]
    return out


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells, broken only between :func:`units`
    (a unit wider than ``width`` gets a line of its own, whole)."""
    from rich.cells import cell_len

    lines, line, used = [], "", 0
    for u, spaced in units(text):
        add = (" " if spaced and line else "") + u
        if line and used + cell_len(add) > width:
            lines.append(line)
            add, line, used = u, "", 0
        line += add
        used += cell_len(add)
    return lines + [line]


def _table(headers: list[str], cells: list[list[str]], title: str, width: int) -> str:
    """A box table no wider than ``width`` whose cells break only between :func:`units`.

    Each column gets at least its widest unit and at most its longest cell; the room left goes
    to the narrow columns first (each then shows whole), the widest column wraps. The cells are wrapped here (rich draws the
    box), so no name is folded. When the columns cannot all have their widest unit, the rows
    are printed as records (:func:`_records`).
    """
    from rich import box
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    cols = list(zip(headers, *cells)) if cells else [(h,) for h in headers]
    least = [max(cell_len(u) for v in col for u, _ in units(v) or [("", False)]) or 1 for col in cols]
    most = [max(max(cell_len(v) for v in col), n) for col, n in zip(cols, least)]
    room = width - 3 * len(headers) - 1
    if sum(least) > room:
        return _records(headers, cells, title, width)
    widths = list(least)
    spare = room - sum(widths)
    for j in sorted(range(len(widths)), key=lambda j: (most[j], j)):  # narrow columns whole first
        step = min(spare, most[j] - widths[j])
        widths[j] += step
        spare -= step
    table = Table(title=title or None, show_lines=False, box=box.HEAVY_HEAD)
    for h, w in zip(headers, widths):
        table.add_column("\n".join(wrap(h, w)), width=w, no_wrap=True, overflow="ignore")
    for row in cells:
        table.add_row(*[Text("\n".join(wrap(v, w))) for v, w in zip(row, widths)])
    buf = io.StringIO()
    Console(file=buf, width=width, force_terminal=False, color_system=None, legacy_windows=False).print(table)
    return buf.getvalue()


def _records(headers: list[str], cells: list[list[str]], title: str, width: int) -> str:
    """Each row as a block of ``header : value`` lines, values wrapped between :func:`units`."""
    from rich.cells import cell_len

    lines = [title, ""] if title else []
    key = max((cell_len(h) for h in headers), default=0)
    room = max(1, width - key - 3)
    for i, row in enumerate(cells, start=1):
        lines.append(f"── {i} " + "─" * max(0, min(width, 40) - len(str(i)) - 4))
        for h, value in zip(headers, row):
            for k, line in enumerate(wrap(value, room)):
                lines.append((f"{h}{' ' * (key - cell_len(h))} : " if k == 0 else " " * (key + 3)) + line)
    return "\n".join(lines) + "\n"


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
