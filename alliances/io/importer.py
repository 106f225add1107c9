"""Bring a workbook or CSVs into a checked dataset.

:func:`import_source` reads an ``.xlsx`` workbook in the template's shape
(:mod:`alliances.io.template`), a folder of CSVs (the native dataset or one
file per label like the template's sheets) or a ``nodes.csv`` +
``relationships.csv`` pair, cleans every cell (:mod:`alliances.normalize`),
gives rows without an id a stable one, reads codes written as their Chinese
or English names, resolves references written as names, aliases or ids in
another case, and feeds every row as a :class:`~alliances.dataset.Record`
to the same checks ``read_dataset`` uses (no temporary files). Problems come
back all at once, each a coded :class:`~alliances.errors.Problem` with the
original file, sheet, row and column, in English and Chinese. A row that
names no source cites itself: file, sheet, row and the import date.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from alliances import model
from alliances.cells import CsvWriter
from alliances.dataset import FILES, KIND_ORDER, Record, RecordChecker, read_csv_rows
from alliances.errors import DataError, Problem, ValidationError, problem
from alliances import normalize as nz
from alliances.io.template import EXAMPLE_PREFIX, header_text, props_for

KINDS = ("sources", "nodes", "relationships", "figures")
# Columns a table must have. source and paragraphs may be left out: such rows cite themselves.
REQUIRED = {
    "nodes": ("label", "name"),
    "relationships": ("start", "type", "end"),
    "figures": ("node", "key", "value"),
    "sources": ("id", "title"),
}
_KIND_WORDS = {
    "nodes": {"nodes", "node", "节点"},
    "relationships": {"relationships", "relationship", "rels", "edges", "关系"},
    "figures": {"figures", "figure", "数据"},
    "sources": {"sources", "source", "来源"},
    "skip": {"说明", "instructions", "_lists", "readme", "skipped"},
}


@dataclass
class Table:
    kind: str
    label: str | None
    file: str
    sheet: str | None
    header: list
    rows: list  # (row number, [cell values])


@dataclass
class ImportResult:
    dataset: object
    warnings: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Classifying sheets and files, mapping headers


def classify(name: str) -> tuple[str, str | None] | None:
    """``(kind, label)`` for a sheet or file name, ``("skip", None)``, or None if unknown."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    if text.startswith("_"):
        return ("skip", None)
    tokens = [t for t in re.split(r"[\s_\-.]+", text) if t]
    for t in tokens + [text]:
        for label, lab in model.LABELS.items():
            if t in (label.lower(), label.lower() + "s", lab.zh, lab.en.lower(), lab.en.lower() + "s"):
                return ("nodes", label)
    for kind, words in _KIND_WORDS.items():
        if any(t in words for t in tokens + [text]):
            return (kind, None)
    return None


def _header_lookup(kind: str) -> dict[str, str]:
    out = {}
    for p in props_for(kind, provenance=True):
        for key in (p.name, p.zh, f"{p.zh} {p.name}"):
            out[key.lower()] = p.name
    return out


def map_header(kind: str, cell) -> str | None:
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(cell or "")).strip().lstrip("\ufeff")).lower()
    look = _header_lookup(kind)
    if text in look:
        return look[text]
    for tok in text.split(" "):
        if tok in look:
            return look[tok]
    return None


# ---------------------------------------------------------------------------
# Loading tables


def _load_xlsx(path: Path, problems: list, warnings: list | None = None) -> list[Table]:
    """The tables of a workbook, read by :mod:`alliances.io.xlsx` with bounded memory."""
    from alliances.io import xlsx

    head = path.read_bytes()[:8] if path.is_file() else b""
    if not head:
        problems.append(problem("workbook_empty", str(path)))
        return []
    if not head.startswith(b"PK") and not head.startswith(xlsx.OLE_MAGIC):
        problems.append(problem("not_xlsx", str(path)))
        return []
    try:
        wb = xlsx.read_workbook(path)
    except xlsx.WorkbookRefused as err:
        problems.append(problem(err.code, str(path), sheet=err.sheet, **err.params))
        return []
    warn = warnings if warnings is not None else []
    for name, state in wb.hidden_sheets:
        kind = classify(name)
        if kind and kind[0] == "skip":
            continue
        warn.append(_hidden_sheet_warning(path, name, state))
    tables = []
    for ws in wb.sheets:
        kind = classify(ws.name)
        if kind is None:
            problems.append(problem("unknown_sheet", str(path), sheet=ws.name, name=ws.name))
            continue
        if kind[0] == "skip":
            continue
        if ws.hidden_rows:
            warn.append(f"{path}, sheet {ws.name}: {_runs(ws.hidden_rows, 'row')} hidden or filtered out in Excel "
                        "and not imported. Fix: unhide them (select the rows around them, right-click → Unhide; "
                        "or clear the filter) and import again if they belong in the data. / "
                        "这些行在 Excel 中被隐藏或筛选掉，未导入；如需导入，请取消隐藏或清除筛选后重新导入。")
        if ws.hidden_columns:
            from alliances.io.xlsx import col_letters

            cols = ", ".join(col_letters(c) for c in ws.hidden_columns)
            warn.append(f"{path}, sheet {ws.name}: column(s) {cols} hidden in Excel were imported; check what "
                        "they hold. / 隐藏的列已导入，请检查其内容。")
        rows = ws.grid()
        if not rows or rows[0][0] != 1 or not any(v not in (None, "") for v in rows[0][1]):
            if rows:
                problems.append(problem("empty_header", str(path), 1, sheet=ws.name))
            continue
        tables.append(Table(kind[0], kind[1], str(path), ws.name, list(rows[0][1]),
                            [(i, list(r)) for i, r in rows[1:]]))
    return tables


def _hidden_sheet_warning(path: Path, name: str, state: str) -> str:
    if state == "veryHidden":
        how = ("it is 'very hidden' (Excel's Unhide list does not show it): open the VBA editor (Alt+F11), "
               "select the sheet and set Visible to -1 - xlSheetVisible, or copy its rows to a visible sheet")
        zh = "该表为“深度隐藏”，需在 VBA 编辑器（Alt+F11）中把 Visible 设为 -1，或把内容复制到可见的表"
    else:
        how = "right-click a sheet tab → Unhide"
        zh = "右键单击工作表标签 → 取消隐藏"
    return (f"{path}: sheet {name!r} is hidden and was not imported. Fix: if it belongs in the data, unhide it "
            f"({how}) and import again. / 工作表 {name!r} 已隐藏，未导入；如需导入，请取消隐藏（{zh}）后重新导入。")


def _runs(numbers: list[int], word: str) -> str:
    """``rows 3–5, 9`` from ``[3, 4, 5, 9]`` (at most 10 runs shown)."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    shown = ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in runs[:10])
    more = f" and {len(runs) - 10} more" if len(runs) > 10 else ""
    return f"{word}{'s' if len(numbers) > 1 else ''} {shown}{more} {'are' if len(numbers) > 1 else 'is'}"


def _load_csv(path: Path, kind: str, label: str | None, encoding, problems: list) -> list[Table]:
    try:
        header, rows = read_csv_rows(path, encoding)
    except ValidationError as err:
        problems.extend(err.problems)
        return []
    except DataError as err:
        problems.append(problem("file_unreadable", str(path), detail=str(err)))
        return []
    out = []
    for r, d in rows:
        extra = d.pop("__extra__", None)
        values = [d.get(h, "") for h in header]
        if extra:
            problems.append(problem("extra_values", str(path), r, count=len(extra)))
        out.append((r, values))
    return [Table(kind, label, str(path), None, header, out)]


def load_tables(sources: list[Path], encoding: str | None, problems: list, warnings: list) -> list[Table]:
    if len(sources) == 2:
        nodes, rels = sources
        for p in sources:
            if not p.is_file():
                raise DataError(f"{p}: no such file. Fix: give a nodes CSV and a relationships CSV.")
        tables = _load_csv(nodes, "nodes", None, encoding, problems)
        tables += _load_csv(rels, "relationships", None, encoding, problems)
        for kind in ("sources", "figures"):
            beside = nodes.parent / FILES[kind]
            if beside.is_file():
                tables += _load_csv(beside, kind, None, encoding, problems)
        return tables
    if len(sources) != 1:
        raise DataError("give one workbook or folder, or a nodes CSV and a relationships CSV. "
                        "Fix: alliances import FILE.xlsx --out FOLDER")
    src = sources[0]
    if not src.exists():
        raise DataError(f"{src}: no such file or folder. Fix: give an .xlsx workbook, a folder of CSVs, "
                        "or a nodes.csv and relationships.csv pair.")
    if src.is_dir():
        tables = []
        files = sorted(p for p in src.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
        if not files:
            raise DataError(f"{src}: the folder holds no .csv files. Fix: give a dataset folder "
                            "(sources.csv, nodes.csv, relationships.csv) or a workbook.")
        for p in files:
            kind = classify(p.stem)
            if kind is None:
                warnings.append(f"{p}: not a known table name; ignored / 无法识别的文件名，已忽略")
                continue
            if kind[0] == "skip":
                continue
            tables += _load_csv(p, kind[0], kind[1], encoding, problems)
        return tables
    if src.suffix.lower() in (".xlsx", ".xlsm"):
        return _load_xlsx(src, problems, warnings)
    if src.suffix.lower() == ".csv":
        raise DataError(f"{src}: a single CSV is not a dataset. Fix: give the folder that holds it, or "
                        "two files: NODES.csv RELATIONSHIPS.csv (sources.csv beside them).")
    raise DataError(f"{src}: not an .xlsx workbook, a folder or a CSV pair. Fix: save it from Excel as .xlsx.")


# ---------------------------------------------------------------------------
# Rows into records


def _source_name(path: str) -> str:
    """How an imported file is named in provenance: ``book.xlsx``, or ``folder/nodes.csv`` for a CSV."""
    p = Path(path)
    return f"{p.parent.name}/{p.name}" if p.suffix.lower() == ".csv" and p.parent.name else p.name


def import_source_id(path: str) -> str:
    """The id of the source entry an import makes for ``path``: ``import-`` + 10 hex digits of its name."""
    return "import-" + hashlib.sha1(_source_name(path).encode("utf-8")).hexdigest()[:10]


_FIRST = {"nodes": "id", "sources": "id", "relationships": "start", "figures": "node"}
_CODED = {"label": "label", "kind": "kind", "type": "type", "qualifier": "qualifier", "status": "status"}
_KEEP_WRITTEN = nz.DATE_FIELDS | frozenset(_CODED)


def table_records(t: Table, problems: list, *, today: str, sources: dict) -> list[Record]:
    """The rows of one table as :class:`~alliances.dataset.Record` objects, header problems to ``problems``.

    Headers may be the field name (``name``), its Chinese (``名称``) or both
    (``名称 name``); coded cells (label, kind, type, qualifier, status) may be
    the code, its Chinese or English name or ``中文 (code)``. A row that
    leaves ``source`` and ``paragraphs`` both empty cites the row itself: its
    source becomes the file (an entry made in ``sources``, dated ``today``)
    and ``source_sheet``/``source_row`` say where in it.
    """
    cols = [map_header(t.kind, h) for h in t.header]
    while cols and cols[-1] is None and not str(t.header[len(cols) - 1] or "").strip():
        cols.pop()
    bad = False
    known = [p.name for p in props_for(t.kind, provenance=True)]
    for j, (h, c) in enumerate(zip(t.header, cols)):
        if c is None:
            text = str(h or "").strip()
            if text:
                from alliances.resolve import suggest

                problems.append(problem("unknown_column", t.file, 1, text, sheet=t.sheet, shown=repr(text),
                                        columns=", ".join(header_text(p) for p in props_for(t.kind)),
                                        suggestions=suggest(text, known + [p.zh for p in props_for(t.kind)])))
                bad = True
        elif cols.index(c) != j:
            problems.append(problem("duplicate_column", t.file, 1, c, sheet=t.sheet))
            bad = True
    for c in REQUIRED[t.kind]:
        if c == "label" and t.label:
            continue
        if c not in cols:
            zh = next((p.zh for p in props_for(t.kind) if p.name == c), c)
            problems.append(problem("missing_column", t.file, 1, c, sheet=t.sheet, column=c, zh=zh))
            bad = True
    if bad:
        return []
    out = []
    first = _FIRST[t.kind]
    for r, values in t.rows:
        data, written = {}, {}
        for c, v in zip(cols, values):
            if c is not None:
                text = nz.cell_text(v, c)
                if c in _CODED and text:
                    text = model.find_code(_CODED[c], text) or text
                if c in _KEEP_WRITTEN and isinstance(v, str) and v.strip() != text:
                    written[c] = v.strip()
                data[c] = text
        extra = any(values[j] not in (None, "") for j in range(len(cols), len(values)))
        if not any(data.values()) and not extra:
            continue
        if data.get(first, "").lower().startswith(EXAMPLE_PREFIX):
            continue
        if t.kind == "nodes" and t.label and not data.get("label"):
            data["label"] = t.label
        rec = Record(t.kind, data, t.file, r, t.sheet, written=written or None)
        if extra:
            problems.append(problem("value_outside_header", t.file, r, None, sheet=t.sheet))
            rec.reported = rec.reported | {""}
        if t.kind != "sources" and not data.get("source") and not data.get("paragraphs") \
                and not data.get("source_row"):
            sid = import_source_id(t.file)
            if sid not in sources:
                name = _source_name(t.file)
                sources[sid] = Record("sources", {"id": sid, "title": name, "file": name, "imported": today},
                                      t.file, None, None)
            data["source"] = sid
            data["source_sheet"] = t.sheet or ""
            data["source_row"] = str(r)
        out.append(rec)
    return out


def _resolve(recs: list[Record], problems: list, warnings: list) -> None:
    """Ids for rows without one; references written as names, aliases or ids in another case made ids."""
    nodes = [r for r in recs if r.kind == "nodes"]
    for r in nodes:
        d = r.data
        if not d.get("id") and d.get("name"):
            d["id"] = nz.derived_id(d.get("label", ""), d["name"])
            r.derived_id = True
    ids = {r.data.get("id") for r in nodes}
    by_id: dict[str, set] = {}
    by_name: dict[str, set] = {}
    region_by_name: dict[str, set] = {}
    shown: dict[str, str] = {}
    for r in nodes:
        d = r.data
        nid = d.get("id")
        if not nid:
            continue
        by_id.setdefault(nz.match_key(nid), set()).add(nid)
        shown.setdefault(nid, f"{d.get('name', '')} ({_where(r)})" if r.derived_id else nid)
        names = [d.get("name", "")] + [a for a in d.get("aliases", "").split(";") if a]
        for n in names:
            if n:
                by_name.setdefault(nz.match_key(n), set()).add(nid)
                if d.get("label") == "Region":
                    region_by_name.setdefault(nz.match_key(n), set()).add(nid)

    def lookup(rec, column, value, index):
        if not value or value in ids:
            return value
        key = nz.match_key(value)
        for found in (by_id.get(key, set()), index.get(key, set())):
            if len(found) == 1:
                return next(iter(found))
            if len(found) > 1:
                problems.append(problem("ambiguous_name", rec.file, rec.row, column, sheet=rec.sheet, value=value,
                                        candidates=", ".join(shown[n] for n in sorted(found))))
                rec.reported = rec.reported | {column}
                return value
        return value

    for r in recs:
        if r.kind == "nodes":
            r.data["region"] = lookup(r, "region", r.data.get("region", ""), region_by_name)
        elif r.kind == "relationships":
            for c in ("start", "end"):
                r.data[c] = lookup(r, c, r.data.get(c, ""), by_name)
        elif r.kind == "figures":
            r.data["node"] = lookup(r, "node", r.data.get("node", ""), by_name)

    # Probable duplicates: warn, never merge.
    # the dataset's own places make "自贡华商商圈党委" and "华商商圈党委" one name
    prefixes = nz.place_prefixes(n for r in nodes if r.data.get("label") == "Region"
                                 for n in [r.data.get("name", "")] + r.data.get("aliases", "").split(";"))
    groups: dict[tuple, list[Record]] = {}
    for r in nodes:
        if r.data.get("name"):
            groups.setdefault((r.data.get("label"), nz.core_name(r.data["name"], prefixes)), []).append(r)
    for (label, _), members in groups.items():
        if len({m.data.get("id") for m in members}) < 2:
            continue
        where = "; ".join(f"{m.data['name']!r} ({_where(m)}, id {m.data.get('id')})" for m in members)
        warnings.append(
            f"probable duplicate {label}: {where} — these look like one organisation. Fix: merge the rows, "
            "or keep one and add the other name to its aliases. / 疑似重复：以上各行看起来是同一对象；"
            "请合并这些行，或只保留一行并把另一个名称写进“别名”。")


def _where(rec) -> str:
    parts = [rec.file] + ([f"sheet {rec.sheet}"] if rec.sheet else []) + ([f"row {rec.row}"] if rec.row else [])
    return ", ".join(parts)


# ---------------------------------------------------------------------------
# The import


def check_records(recs: list[Record], *, skip_invalid: bool = False, path: str = "",
                  problems: list | None = None, unread: dict | None = None) -> RecordChecker:
    """Run :class:`~alliances.dataset.RecordChecker` (names allowed) over ``recs`` in dependency order.

    ``problems`` already found by the reader come first; records they name
    (``Record.reported``) count as failed and are not reported twice.
    """
    chk = RecordChecker(names=True, skip_invalid=skip_invalid, path=path)
    chk.problems.extend(problems or [])
    chk.unread.update(unread or {})
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    for rec in sorted(recs, key=lambda r: order[r.kind]):  # stable: file order within a kind
        chk.check(rec)
    chk.finish()
    return chk


def import_source(sources, *, encoding: str | None = None, skip_invalid: bool = False,
                  today: str | None = None) -> ImportResult:
    """Read ``sources`` (one workbook or folder, or a nodes/relationships CSV pair) into a checked dataset.

    Rows become :class:`~alliances.dataset.Record` objects located by file,
    sheet and row and go through the same checks as ``read_dataset`` (no
    temporary files). ``today`` (ISO date) dates the provenance of rows that
    cite no source; it defaults to the current date.

    Raises
    ------
    ValidationError
        Every problem at once (unless ``skip_invalid`` and all are row problems).
    """
    import datetime

    sources = [Path(s) for s in sources]
    problems: list[Problem] = []
    warnings: list[str] = []
    tables = load_tables(sources, encoding, problems, warnings)
    today = today or datetime.date.today().isoformat()
    made: dict[str, Record] = {}
    recs: list[Record] = []
    for t in tables:
        recs += table_records(t, problems, today=today, sources=made)
    label = ", ".join(map(str, sources))
    unread = {}
    if not problems:
        if not any(r.kind == "nodes" for r in recs):
            problems.append(problem("nothing_found", label, what="nodes", what_zh="节点", one="node"))
        cited = any(r.kind != "sources" and not r.data.get("source", "").startswith("import-") for r in recs)
        if cited and not any(r.kind == "sources" for r in recs):
            problems.append(problem("nothing_found", label, what="sources", what_zh="来源", one="source"))
            unread["sources"] = True
    if any(p.row in (None, 1) for p in problems):  # a file or a header is wrong: rows cannot be trusted
        raise ValidationError(problems, label)
    _resolve(recs, problems, warnings)
    chk = check_records(list(made.values()) + recs, skip_invalid=skip_invalid, path=label,
                        problems=problems, unread=unread)
    if chk.problems:
        fatal = not skip_invalid or any(p.row in (None, 1) for p in chk.problems)
        if fatal:
            raise ValidationError(chk.problems, label)
    ds = chk.dataset
    ds.path = label
    return ImportResult(ds, warnings, list(chk.problems))


def skipped_csv(skipped: list[Problem]) -> str:
    """The ``--skip-invalid`` report as CSV text: one line per problem of a skipped row."""
    import io

    buf = io.StringIO()
    w = CsvWriter(buf)
    w.writeheader(["file", "sheet", "row", "column", "message", "fix", "code"])
    for p in skipped:
        w.writerow([p.file, p.sheet or "", p.row or "", p.field or "", p.text(), p.fix_text(), p.code])
    return buf.getvalue()


def write_skipped(skipped: list[Problem], path: Path) -> Path:
    """The ``--skip-invalid`` report written to ``path``."""
    from alliances.files import atomic_write_text

    return atomic_write_text(path, skipped_csv(skipped))
