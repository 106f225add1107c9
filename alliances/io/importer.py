"""Bring a workbook or CSVs into a checked dataset.

:func:`import_source` reads an ``.xlsx`` workbook in the template's shape
(:mod:`alliances.io.template`), a folder of CSVs (the native dataset or one
file per label like the template's sheets) or a ``nodes.csv`` +
``relationships.csv`` pair, cleans every cell (:mod:`alliances.io.normalize`),
gives rows without an id a stable one, resolves references written as names
or aliases, then checks the result with :func:`alliances.dataset.read_dataset`
on a normalised temporary folder. Problems come back all at once, each with
the original file, sheet, row and column, in English and Chinese.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from alliances import model
from alliances.cells import CsvWriter
from alliances.dataset import COLUMNS, FILES, read_csv_rows, read_dataset
from alliances.errors import DataError, Problem, ValidationError
from alliances.io import normalize as nz
from alliances.io.template import EXAMPLE_PREFIX, props_for

KINDS = ("sources", "nodes", "relationships", "figures")
REQUIRED = {
    "nodes": ("label", "name", "source", "paragraphs"),
    "relationships": ("start", "type", "end", "source", "paragraphs"),
    "figures": ("node", "key", "value", "source", "paragraphs"),
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
class Loc:
    file: str
    sheet: str | None
    row: int | None


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


def _p(loc: Loc, column, en: str, zh: str, fix_en: str, fix_zh: str) -> Problem:
    return Problem(loc.file, loc.row, column, f"{en} / {zh}", f"{fix_en} / {fix_zh}", loc.sheet)


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
    for p in props_for(kind):
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


def _load_xlsx(path: Path, problems: list) -> list[Table]:
    import zipfile

    from openpyxl import load_workbook

    head = path.read_bytes()[:8] if path.is_file() else b""
    where = Loc(str(path), None, None)
    if not head:
        problems.append(_p(where, None, "the file is empty", "文件是空的",
                           "save the workbook again from Excel", "请在 Excel 中重新保存工作簿"))
        return []
    if not head.startswith(b"PK"):
        problems.append(_p(where, None, "is not an Excel .xlsx workbook (it looks like a text/CSV file)",
                           "不是 Excel .xlsx 工作簿（看起来是文本/CSV 文件）",
                           "save it as .xlsx, or rename it to .csv and import the folder",
                           "另存为 .xlsx，或改名为 .csv 后导入所在文件夹"))
        return []
    try:
        wb = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as err:
        problems.append(_p(where, None, f"cannot be opened as an .xlsx workbook ({type(err).__name__}: {err}); "
                           "it may be truncated or damaged", "无法作为 .xlsx 工作簿打开，文件可能不完整或已损坏",
                           "save it again from Excel as .xlsx", "请在 Excel 中重新另存为 .xlsx"))
        return []
    except Exception as err:  # openpyxl raises many kinds on damaged files
        problems.append(_p(where, None, f"cannot be opened as an .xlsx workbook ({type(err).__name__})",
                           "无法作为 .xlsx 工作簿打开", "save it again from Excel as .xlsx",
                           "请在 Excel 中重新另存为 .xlsx"))
        return []
    tables = []
    for ws in wb.worksheets:
        kind = classify(ws.title)
        if kind is None:
            problems.append(_p(Loc(str(path), ws.title, None), None,
                               f"unknown sheet {ws.title!r}", f"无法识别的工作表 {ws.title!r}",
                               "name sheets like the template (e.g. '组织 Organization', '关系 Relationships')",
                               "按模板命名工作表（如“组织 Organization”“关系 Relationships”）"))
            continue
        if kind[0] == "skip":
            continue
        for rng in list(ws.merged_cells.ranges):
            value = ws.cell(rng.min_row, rng.min_col).value
            ws.unmerge_cells(str(rng))
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    ws.cell(r, c).value = value
        rows = list(ws.iter_rows(values_only=True))
        if not rows or not any(v not in (None, "") for v in rows[0]):
            if any(any(v not in (None, "") for v in r) for r in rows):
                problems.append(_p(Loc(str(path), ws.title, 1), None, "row 1 (the header) is empty",
                                   "第 1 行（表头）是空的", "put the template's header in row 1",
                                   "第 1 行填写模板表头"))
            continue
        tables.append(Table(kind[0], kind[1], str(path), ws.title, list(rows[0]),
                            [(i, list(r)) for i, r in enumerate(rows[1:], start=2)]))
    return tables


def _load_csv(path: Path, kind: str, label: str | None, encoding, problems: list) -> list[Table]:
    try:
        header, rows = read_csv_rows(path, encoding)
    except ValidationError as err:
        for pr in err.problems:
            problems.append(_p(Loc(str(path), None, pr.row), pr.field, pr.message, _zh(pr.message)[0],
                               pr.fix, _zh(pr.message)[1]))
        return []
    except DataError as err:
        problems.append(_p(Loc(str(path), None, None), None, str(err), "无法读取此文件（编码不对或文件损坏）",
                           "check the file, or pass --encoding", "检查文件，或用 --encoding 指定编码"))
        return []
    out = []
    for r, d in rows:
        extra = d.pop("__extra__", None)
        values = [d.get(h, "") for h in header]
        if extra:
            problems.append(_p(Loc(str(path), None, r), None,
                               f"{len(extra)} more value(s) than the header has columns",
                               "数值个数多于表头列数", "quote fields that contain commas, or remove the extra cells",
                               "含逗号的内容请加引号，或删除多余的单元格"))
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
        return _load_xlsx(src, problems)
    if src.suffix.lower() == ".csv":
        raise DataError(f"{src}: a single CSV is not a dataset. Fix: give the folder that holds it, or "
                        "two files: NODES.csv RELATIONSHIPS.csv (sources.csv beside them).")
    raise DataError(f"{src}: not an .xlsx workbook, a folder or a CSV pair. Fix: save it from Excel as .xlsx.")


# ---------------------------------------------------------------------------
# Problem translation (read_dataset speaks English)

_ZH = [
    (r"unknown kind (.+)", r"未知的组织类别 \1", "从下拉列表选择组织类别"),
    (r"an Organization needs a kind", "组织必须填写组织类别", "从下拉列表选择组织类别"),
    (r"only an Organization has a kind.*", "只有组织才有组织类别", "清空组织类别"),
    (r"unknown label (.+)", r"未知的节点类型 \1", "从下拉列表选择类型"),
    (r"no label", "缺少类型", "填写节点类型"),
    (r"no name", "缺少名称", "填写来源中的中文名称"),
    (r"no id", "缺少编号", "填写编号"),
    (r"(.+) is not a valid id", r"\1 不是有效的编号", "编号只用字母、数字和 - _ . :"),
    (r"duplicate id (\S+).*", r"编号 \1 重复", "每个节点一个编号，或合并两行"),
    (r"duplicate source id (.+)", r"来源编号 \1 重复", "每个来源一个编号"),
    (r"no title", "缺少标题", "填写文章标题"),
    (r"no source given", "缺少来源", "填写来源表中的来源编号"),
    (r"unknown source (.+)", r"未知的来源 \1", "使用来源表中的编号"),
    (r"(.+) is not a paragraph number", r"\1 不是段落编号", "段落编号写整数，用 ; 分隔"),
    (r"no paragraph given", "缺少段落编号", "填写来源中说明此事的段落编号"),
    (r"(.+) is not a date.*", r"\1 不是有效日期", "写成 YYYY、YYYY-MM 或 YYYY-MM-DD"),
    (r"(.+) is not the id of a Region node", r"\1 不是地区表中的编号", "填写地区表中的编号，或留空"),
    (r"no (start|end) node", "缺少起点或终点", "填写节点的编号或名称"),
    (r"(.+) is not a node.*", r"\1 不是已有节点的编号、名称或别名", "先添加该节点，或改正编号/名称"),
    (r"unknown relationship type (.+)", r"未知的关系类型 \1", "从下拉列表选择关系类型"),
    (r"no type", "缺少关系类型", "从下拉列表选择关系类型"),
    (r"(\w+) cannot go from a (\w+) to a (\w+)", r"关系 \1 不能从 \2 指向 \3", "换一种关系类型，或检查起点和终点"),
    (r"a relationship from a node to itself", "关系的起点和终点相同", "改正起点或终点"),
    (r"the same .+", "同一关系重复", "只保留一行，多个段落用 ; 分隔"),
    (r"(.+) is not a property name", r"\1 不是有效的指标名", "用小写字母、数字和 _"),
    (r"no key", "缺少指标名", "填写指标名"),
    (r".+ is a built-in property", "指标名与内置属性重名", "换一个指标名"),
    (r".+ is already given.*", "该指标重复", "只保留一行"),
    (r"(.+) is not a number", r"\1 不是数字", "只写数字（如 1200，限定写 more_than）"),
    (r"no value", "缺少数值", "填写数值"),
    (r"unknown qualifier (.+)", r"未知的限定词 \1", "使用 exact、more_than、about 或 nearly"),
    (r"contains control characters", "含有不可见的控制字符", "删除从其他程序粘贴来的不可见字符"),
    (r"value is .+ characters long.*", "内容过长", "缩短内容"),
    (r".+ is not true or false", "应为 true 或 false", "写 true 或 false"),
    (r"the file is empty", "文件是空的", "添加表头行"),
    (r"file is missing", "缺少文件", "按模板补充该文件或工作表"),
    (r"broken CSV quoting.*", "CSV 引号不完整", "每个引号都要闭合"),
    (r".*more value\(s\) than the header.*", "数值个数多于表头列数", "含逗号的内容请加引号"),
    (r"unknown column", "未知的列", "按模板填写表头"),
    (r"required column is missing", "缺少必填列", "按模板补上该列"),
]


def _zh(message: str) -> tuple[str, str]:
    for pattern, zh, fix in _ZH:
        m = re.fullmatch(pattern, message, flags=re.S)
        if m:
            return m.expand(zh), fix
    return "（见英文说明）", "（见英文说明）"


# ---------------------------------------------------------------------------
# The import


@dataclass
class _Rec:
    kind: str
    loc: Loc
    data: dict


def _records(tables: list[Table], problems: list) -> list[_Rec]:
    recs = []
    for t in tables:
        cols = [map_header(t.kind, h) for h in t.header]
        while cols and cols[-1] is None and not str(t.header[len(cols) - 1] or "").strip():
            cols.pop()
        head = Loc(t.file, t.sheet, 1)
        bad = False
        for j, (h, c) in enumerate(zip(t.header, cols)):
            if c is None:
                if str(h or "").strip():
                    problems.append(_p(head, str(h), f"unknown column {str(h)!r}", f"未知的列 {str(h)!r}",
                                       "use the template's headers: " + ", ".join(p.name for p in props_for(t.kind)),
                                       "使用模板表头"))
                    bad = True
            elif cols.index(c) != j:
                problems.append(_p(head, c, "column appears more than once", "列重复", "keep one", "只保留一列"))
                bad = True
        need = [c for c in REQUIRED[t.kind] if not (c == "label" and t.label)]
        for c in need:
            if c not in cols:
                zh = next((p.zh for p in props_for(t.kind) if p.name == c), c)
                problems.append(_p(head, c, "required column is missing", f"缺少必填列“{zh}”",
                                   f"add a column headed '{zh} {c}'", f"添加表头为“{zh} {c}”的列"))
                bad = True
        if bad:
            continue
        for r, values in t.rows:
            data = {}
            for c, v in zip(cols, values):
                if c is not None:
                    data[c] = nz.cell_text(v, c)
            for j in range(len(cols), len(values)):
                if values[j] not in (None, ""):
                    problems.append(_p(Loc(t.file, t.sheet, r), None, "a value outside the header's columns",
                                       "表头之外的列有内容", "remove it or give the column a header",
                                       "删除该内容，或为该列添加表头"))
                    break
            if not any(data.values()):
                continue
            first = data.get({"nodes": "id", "sources": "id", "relationships": "start", "figures": "node"}[t.kind], "")
            if first.lower().startswith(EXAMPLE_PREFIX):
                continue
            if t.kind == "nodes" and t.label and not data.get("label"):
                data["label"] = t.label
            recs.append(_Rec(t.kind, Loc(t.file, t.sheet, r), data))
    return recs


def _resolve(recs: list[_Rec], problems: list, warnings: list) -> None:
    nodes = [r for r in recs if r.kind == "nodes"]
    for r in nodes:
        d = r.data
        if not d.get("id") and d.get("name") and d.get("label") in model.LABELS:
            d["id"] = nz.derived_id(d["label"], d["name"])
    ids = {r.data.get("id") for r in nodes}
    by_name: dict[str, set] = {}
    region_by_name: dict[str, set] = {}
    for r in nodes:
        d = r.data
        names = [d.get("name", "")] + [a for a in d.get("aliases", "").split(";") if a]
        for n in names:
            if n:
                by_name.setdefault(nz.match_key(n), set()).add(d.get("id"))
                if d.get("label") == "Region":
                    region_by_name.setdefault(nz.match_key(n), set()).add(d.get("id"))

    def lookup(rec, column, value, index):
        if not value or value in ids:
            return value
        found = index.get(nz.match_key(value), set())
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            problems.append(_p(rec.loc, column, f"{value!r} names several nodes: {', '.join(sorted(found))}",
                               f"{value!r} 对应多个节点", "write the id instead of the name", "改写为编号"))
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
    prefixes = list(nz.CITY_PREFIXES)
    for r in nodes:
        if r.data.get("label") == "Region":
            prefixes += [n for n in [r.data.get("name", "")] + r.data.get("aliases", "").split(";") if len(n) >= 2]
    groups: dict[tuple, list[_Rec]] = {}
    for r in nodes:
        if r.data.get("name"):
            groups.setdefault((r.data.get("label"), nz.core_name(r.data["name"], prefixes)), []).append(r)
    for (label, _), members in groups.items():
        if len({m.data.get("id") for m in members}) < 2:
            continue
        where = "; ".join(f"{m.data['name']!r} ({_where(m.loc)}, id {m.data.get('id')})" for m in members)
        warnings.append(
            f"probable duplicate {label}: {where} — these look like one organisation. Fix: merge the rows, "
            "or keep one and add the other name to its aliases. / 疑似重复：以上各行看起来是同一对象；"
            "请合并这些行，或只保留一行并把另一个名称写进“别名”。")


def _where(loc: Loc) -> str:
    parts = [loc.file] + ([f"sheet {loc.sheet}"] if loc.sheet else []) + ([f"row {loc.row}"] if loc.row else [])
    return ", ".join(parts)


def _write_temp(recs: list[_Rec], folder: Path) -> dict[tuple[str, int], _Rec]:
    mapping = {}
    for kind in KINDS:
        cols = list(COLUMNS[kind]) + (["synthetic"] if kind == "nodes" else [])
        with open(folder / FILES[kind], "w", encoding="utf-8", newline="") as fh:
            w = CsvWriter(fh)  # as write_dataset writes: guarded and quoted, read back unchanged
            w.writeheader(cols)
            row = 1
            for r in recs:
                if r.kind == kind:
                    row += 1
                    w.writerow([r.data.get(c, "") for c in cols])
                    mapping[(kind, row)] = r
    return mapping


def _translate(pr: Problem, mapping, tmp: Path) -> tuple[Problem, _Rec | None]:
    kind = next((k for k, f in FILES.items() if pr.file.endswith(f)), None)
    rec = mapping.get((kind, pr.row)) if kind and pr.row else None
    en = pr.message

    def back(m):
        other = mapping.get((kind, int(m.group(1))))
        return f"row {other.loc.row}" + (f" of sheet {other.loc.sheet}" if other and other.loc.sheet else "") if other else m.group(0)

    en = re.sub(r"row (\d+)", back, en)
    en = en.replace("is not a node id in nodes.csv", "is not the id, name or alias of a node")
    zh, zh_fix = _zh(pr.message)
    if rec is not None:
        loc = rec.loc
    else:
        loc = Loc(f"{FILES.get(kind, pr.file)} (no {kind} rows or sheet found)" if kind else pr.file, None, None)
    return _p(loc, pr.field, en, zh, pr.fix, zh_fix), rec


def import_source(sources, *, encoding: str | None = None, skip_invalid: bool = False) -> ImportResult:
    """Read ``sources`` (one workbook or folder, or a nodes/relationships CSV pair).

    Raises
    ------
    ValidationError
        Every problem at once (unless ``skip_invalid`` and all are row problems).
    """
    sources = [Path(s) for s in sources]
    problems: list[Problem] = []
    warnings: list[str] = []
    tables = load_tables(sources, encoding, problems, warnings)
    recs = _records(tables, problems)
    label = ", ".join(map(str, sources))
    if not problems:
        for kind, what, zh in (("sources", "sources", "来源"), ("nodes", "nodes", "节点")):
            if not any(r.kind == kind for r in recs):
                problems.append(_p(Loc(label, None, None), None, f"no {what} found (only headers or example rows)",
                                   f"没有找到任何{zh}（只有表头或示例行）",
                                   f"fill in at least one {what[:-1]} row", f"至少填写一行{zh}"))
    _resolve(recs, problems, warnings)
    skipped: list[Problem] = []
    if problems:
        fatal = [p for p in problems if p.row in (None, 1)] or not skip_invalid
        if fatal:
            raise ValidationError(problems, label)
        bad_locs = {(p.file, p.sheet, p.row) for p in problems}
        skipped += problems
        recs = [r for r in recs if (r.loc.file, r.loc.sheet, r.loc.row) not in bad_locs]
    for _ in range(50):
        tmp = Path(tempfile.mkdtemp(prefix="alliances-import-"))
        try:
            mapping = _write_temp(recs, tmp)
            try:
                ds = read_dataset(tmp)
            except ValidationError as err:
                translated = [_translate(p, mapping, tmp) for p in err.problems]
            else:
                ds.path = label
                return ImportResult(ds, warnings, skipped)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if not skip_invalid or any(rec is None for _, rec in translated):
            raise ValidationError([p for p, _ in translated], label)
        drop = {id(rec) for _, rec in translated}
        skipped += [p for p, _ in translated]
        recs = [r for r in recs if id(r) not in drop]
    raise ValidationError(skipped, label)  # pragma: no cover - each pass drops at least one row


def skipped_csv(skipped: list[Problem]) -> str:
    """The ``--skip-invalid`` report as CSV text: one line per problem of a skipped row."""
    import io

    buf = io.StringIO()
    w = CsvWriter(buf)
    w.writeheader(["file", "sheet", "row", "column", "message", "fix"])
    for p in skipped:
        w.writerow([p.file, p.sheet or "", p.row or "", p.field or "", p.message, p.fix])
    return buf.getvalue()


def write_skipped(skipped: list[Problem], path: Path) -> Path:
    """The ``--skip-invalid`` report written to ``path``."""
    from alliances.files import atomic_write_text

    return atomic_write_text(path, skipped_csv(skipped))
