"""Registry rows: read a planner's CSV or workbook, check every row, keep ``registry.csv``.

A registry lists the enterprises and social organisations of a city or park,
one per row: name, unified social credit code, kind, park or district (a
Zone or Region of the dataset), industry, size (规上/规下) and date
registered. Headers may be Chinese or English (``企业名称``, ``统一社会信用代码``,
``类别``, ``所在园区`` … or the model's names). Every problem is reported at
once with its file, sheet, row and column, in English and Chinese; a credit
code that fails the GB 32100-2015 check is kept but reported, and the entry
is matched by name only (it still counts in coverage: a typo in a code does
not make an enterprise disappear from the denominator).

In a dataset folder the registry is ``registry.csv`` with the columns of
:data:`alliances.model.REGISTRY_PROPS`, including the match to the graph and
the provenance of each row (file, sheet, row, import date).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from alliances import model
from alliances.dataset import Dataset, decode_bytes, parse_date, split_list
from alliances.errors import DataError, Problem, ValidationError
from alliances.registry import creditcode

COLUMNS = [p.name for p in model.REGISTRY_PROPS]
REQUIRED = ("name", "kind", "place")
MAX_ROWS = 2_000_000

# Header words planners use, beside the model's own names and Chinese names.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "id"),
    "name": ("名称", "企业名称", "单位名称", "组织名称", "企业（组织）名称", "name"),
    "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码", "credit code", "uscc"),
    "kind": ("类别", "类型", "组织类型", "组织类别", "kind"),
    "place": ("园区或地区", "园区", "所在园区", "所属园区", "地区", "区县", "所在地区", "park", "district", "place"),
    "industry": ("行业", "所属行业", "行业类别", "industry"),
    "size": ("规模", "企业规模", "是否规上", "size"),
    "registered": ("登记日期", "成立日期", "注册日期", "登记时间", "registered", "date registered"),
    "match": ("匹配组织", "match"),
    "match_method": ("匹配方式", "match_method"),
    "match_score": ("匹配得分", "match_score"),
    "source_file": ("来源文件", "source_file"),
    "source_sheet": ("来源工作表", "source_sheet"),
    "source_row": ("来源行", "source_row"),
    "imported": ("导入日期", "imported"),
}
KIND_WORDS = {
    "enterprise": ("enterprise", "企业", "非公企业", "非公有制企业", "民营企业", "私营企业", "公司"),
    "social_organization": ("social_organization", "social organization", "social organisation", "社会组织",
                            "社会团体", "社团", "民办非企业单位", "民非", "基金会", "协会", "商会"),
}
SIZE_WORDS = {
    "above": ("above", "above scale", "规上", "规上企业", "规模以上", "是"),
    "below": ("below", "below scale", "规下", "规下企业", "规模以下", "否"),
}


def _key(text) -> str:
    return re.sub(r"[\s_（）()]+", "", unicodedata.normalize("NFKC", str(text or ""))).lower().lstrip("\ufeff")


_HEADER = {_key(w): col for col, words in HEADER_WORDS.items() for w in (*words, col)}
_HEADER.update({_key(f"{p.zh} {p.name}"): p.name for p in model.REGISTRY_PROPS})
_KIND = {_key(w): k for k, words in KIND_WORDS.items() for w in words}
_KIND.update({_key(model.KINDS[k].zh): k for k in model.REGISTRY_KINDS})
_SIZE = {_key(w): k for k, words in SIZE_WORDS.items() for w in words}


def _p(file, sheet, row, column, en, zh, fix_en, fix_zh) -> Problem:
    return Problem(str(file), row, column, f"{en} / {zh}", f"{fix_en} / {fix_zh}", sheet)


@dataclass
class RegistryRead:
    """Entries read from a planner's file, the problems that stop an import, and warnings."""

    entries: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Places of a dataset (parks and districts)


def place_index(ds: Dataset) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Zone and Region ids, and their names and aliases (as keys) → ids."""
    ids = {nid: n["label"] for nid, n in ds.nodes.items() if n["label"] in ("Zone", "Region")}
    names: dict[str, set[str]] = {}
    for nid in ids:
        n = ds.nodes[nid]
        for name in (n.get("name", ""), n.get("name_en", ""), *n.get("aliases", [])):
            if name:
                names.setdefault(_key(name), set()).add(nid)
    return ids, names


# ---------------------------------------------------------------------------
# Reading a planner's file


def _rows_of(path: Path, sheet: str | None, encoding: str | None, out: RegistryRead):
    """``(sheet name, header, [(row number, values)])`` of a CSV or workbook, or None."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise DataError(f"{path}: no such file. Fix: give the registry as a .csv or .xlsx file.")
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, sheet, out)
    if suffix != ".csv":
        raise DataError(f"{path}: not a .csv or .xlsx file. Fix: save the registry from Excel as .xlsx or "
                        "'CSV UTF-8'.")
    if sheet:
        raise DataError(f"{path}: --sheet is for workbooks; a CSV has no sheets. Fix: drop --sheet.")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DataError(f"{path}: cannot be read ({err.strerror}).") from err
    text = decode_bytes(data, str(path), encoding)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as err:
        out.problems.append(_p(path, None, None, None, f"broken CSV quoting ({err})", "CSV 引号不完整",
                               'close every quote; write a quote inside a field as ""', "每个引号都要闭合"))
        return None
    if not rows:
        out.problems.append(_p(path, None, None, None, "the file is empty", "文件是空的",
                               "add the header row", "添加表头行"))
        return None
    from alliances.cells import unguard

    return None, rows[0], [(i, [unguard(v) for v in r]) for i, r in enumerate(rows[1:], start=2)]


def _xlsx_rows(path: Path, sheet: str | None, out: RegistryRead):
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as err:
        raise DataError(f"{path}: cannot be opened as an .xlsx workbook ({type(err).__name__}); it may be "
                        "damaged or not a workbook. Fix: save it again from Excel as .xlsx.") from err
    try:
        names = wb.sheetnames
        if sheet:
            if sheet not in names:
                raise DataError(f"{path}: no sheet {sheet!r}. Fix: use one of: {', '.join(names)}.")
            chosen = sheet
        else:
            visible = [n for n in names if wb[n].sheet_state == "visible"]
            named = [n for n in visible if any(w in n.lower() for w in ("名录", "registry", "企业", "名单"))]
            if len(visible) > 1 and len(named) != 1:
                raise DataError(f"{path}: {len(visible)} sheets ({', '.join(visible)}) and none is plainly the "
                                "registry. Fix: pass --sheet NAME.")
            chosen = (named or visible or names)[0]
        ws = wb[chosen]
        rows = []
        header = None
        for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if i > MAX_ROWS + 1:
                raise DataError(f"{path}: sheet {chosen} has more than {MAX_ROWS:,} rows. Fix: split the "
                                "registry into several files.")
            if header is None:
                header = list(values)
                continue
            if any(v not in (None, "") for v in values):
                rows.append((i, list(values)))
        if header is None:
            out.problems.append(_p(path, chosen, None, None, "the sheet is empty", "工作表是空的",
                                   "put the header in row 1", "第 1 行填写表头"))
            return None
        return chosen, header, rows
    finally:
        wb.close()


def _text(value, date=False) -> str:
    from alliances.io.normalize import cell_text

    return cell_text(value, "date" if date else "description")


def read_registry_source(path, ds: Dataset, *, sheet: str | None = None, encoding: str | None = None,
                         imported: str | None = None) -> RegistryRead:
    """Read and check a planner's registry file against the places of ``ds``.

    Raises :class:`DataError` when the file cannot be read at all; row
    problems come back in ``problems`` (all of them), doubtful credit codes in
    ``warnings``.
    """
    path = Path(path)
    out = RegistryRead()
    got = _rows_of(path, sheet, encoding, out)
    if got is None:
        return out
    sheet_name, header, rows = got
    imported = imported or datetime.date.today().isoformat()
    cols: list[str | None] = []
    for j, h in enumerate(header):
        col = _HEADER.get(_key(h))
        if col is None and str(h or "").strip():
            out.problems.append(_p(path, sheet_name, 1, str(h), f"unknown column {str(h)!r}", f"未知的列 {str(h)!r}",
                                   "use: " + ", ".join(f"{p.zh} ({p.name})" for p in model.REGISTRY_PROPS[:8]),
                                   "使用：名称、统一社会信用代码、类别、园区或地区、行业、规模、登记日期"))
        elif col is not None and col in cols:
            out.problems.append(_p(path, sheet_name, 1, str(h), "column appears more than once", "列重复",
                                   "keep one", "只保留一列"))
            col = None
        cols.append(col)
    missing = [c for c in REQUIRED if c not in cols]
    for c in missing:
        zh = next(p.zh for p in model.REGISTRY_PROPS if p.name == c)
        out.problems.append(_p(path, sheet_name, 1, c, "required column is missing", f"缺少必填列“{zh}”",
                               f"add a column headed '{zh}' or '{c}'", f"添加表头为“{zh}”的列"))
    if out.problems:
        return out
    places, place_names = place_index(ds)
    seen_codes: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    for r, values in rows:
        d = {c: _text(v, date=(c in ("registered", "imported"))) for c, v in zip(cols, values) if c}
        if not any(d.values()):
            continue
        where = (path, sheet_name, r)
        if any(c == "credit_code" and isinstance(v, float) for c, v in zip(cols, values)):
            out.problems.append(_p(*where, "credit_code", "the credit code is stored as a number, so Excel kept "
                                   "only 15 digits", "统一社会信用代码被存为数字，Excel 只保留 15 位",
                                   "format the column as text and type the code again",
                                   "把该列设为文本格式后重新输入代码"))
            continue
        entry = _check_entry(d, where, places, place_names, out)
        if entry is None:
            continue
        entry["source_file"] = d.get("source_file") or path.name
        entry["source_sheet"] = d.get("source_sheet") or (sheet_name or "")
        entry["source_row"] = int(d["source_row"]) if d.get("source_row", "").isdigit() else r
        entry["imported"] = d.get("imported") or imported
        entry["_row"] = r
        code = entry["credit_code"]
        if code and entry["code_ok"]:
            if code in seen_codes:
                out.problems.append(_p(*where, "credit_code", f"credit code {code} is also on row {seen_codes[code]}",
                                       f"统一社会信用代码 {code} 与第 {seen_codes[code]} 行重复",
                                       "keep one row per organisation", "每个组织只保留一行"))
                continue
            seen_codes[code] = r
        if entry["id"] in seen_ids:
            out.problems.append(_p(*where, "name", f"the same name and place as row {seen_ids[entry['id']]} "
                                   "(and no valid credit code to tell them apart)",
                                   f"与第 {seen_ids[entry['id']]} 行名称、园区相同（且无有效信用代码可区分）",
                                   "keep one row, or correct the credit code", "只保留一行，或改正信用代码"))
            continue
        seen_ids[entry["id"]] = r
        out.entries.append(entry)
    if not out.entries and not out.problems:
        out.problems.append(_p(path, sheet_name, None, None, "no entries (only a header)", "没有任何条目（只有表头）",
                               "add one row per enterprise or social organisation", "每个企业或社会组织填写一行"))
    return out


def entry_id(code: str, code_ok: bool, name: str, place: str) -> str:
    """The credit code when valid, else ``reg-`` and 10 hex digits of the name and place."""
    if code and code_ok:
        return code
    from alliances.io.normalize import match_key

    return "reg-" + hashlib.sha1(f"{match_key(name)}|{place}".encode()).hexdigest()[:10]


def _check_entry(d: dict, where, places, place_names, out: RegistryRead) -> dict | None:
    bad = len(out.problems)
    name = re.sub(r"\s+", " ", d.get("name", "")).strip()
    if not name:
        out.problems.append(_p(*where, "name", "no name", "缺少名称", "give the registered name", "填写登记名称"))
    elif len(name) > 1000:
        out.problems.append(_p(*where, "name", f"name is {len(name):,} characters long (limit 1,000)", "名称过长",
                               "shorten it", "缩短名称"))
    kind_text = d.get("kind", "")
    kind = _KIND.get(_key(kind_text))
    if kind is None:
        out.problems.append(_p(*where, "kind", f"unknown kind {kind_text!r}" if kind_text else "no kind",
                               f"未知的类别 {kind_text!r}" if kind_text else "缺少类别",
                               "write 企业 (enterprise) or 社会组织 (social_organization)", "填写“企业”或“社会组织”"))
    place_text = d.get("place", "")
    place = place_text if place_text in places else None
    if place is None and place_text:
        found = place_names.get(_key(place_text), set())
        if len(found) == 1:
            place = next(iter(found))
        elif len(found) > 1:
            out.problems.append(_p(*where, "place", f"{place_text!r} names several places: {', '.join(sorted(found))}",
                                   f"{place_text!r} 对应多个地区或园区", "write the id instead", "改写为编号"))
    if place is None and not any(p.row == where[2] and p.field == "place" for p in out.problems[bad:]):
        out.problems.append(_p(*where, "place", f"{place_text!r} is not a park (Zone) or district (Region) of the "
                               "dataset" if place_text else "no park or district",
                               f"{place_text!r} 不是数据集中的园区或地区" if place_text else "缺少园区或地区",
                               "use the id, name or alias of a Zone or Region row of the dataset",
                               "填写数据集中园区或地区的编号、名称或别名"))
    size_text = d.get("size", "")
    size = _SIZE.get(_key(size_text), None) if size_text else ""
    if size is None:
        out.problems.append(_p(*where, "size", f"unknown size {size_text!r}", f"未知的规模 {size_text!r}",
                               "write 规上 (above) or 规下 (below), or leave it empty", "填写“规上”或“规下”，或留空"))
    registered = d.get("registered", "")
    if registered and parse_date(registered) is None:
        out.problems.append(_p(*where, "registered", f"{registered!r} is not a date between 1900 and 2100",
                               f"{registered!r} 不是有效日期", "write YYYY, YYYY-MM or YYYY-MM-DD",
                               "写成 YYYY、YYYY-MM 或 YYYY-MM-DD"))
    raw_code = d.get("credit_code", "")
    code = creditcode.normalize(raw_code)
    wrong = creditcode.problem(code) if code else None
    if wrong:
        out.warnings.append(_p(*where, "credit_code", f"credit code {raw_code!r} {wrong}; kept, matched by name only",
                               f"统一社会信用代码 {raw_code!r} {creditcode.problem_zh(code)}；已保留，仅按名称匹配",
                               "copy the 18-character code from the business licence",
                               "从营业执照抄写 18 位统一社会信用代码"))
    if len(out.problems) > bad:
        return None
    given_id = d.get("id", "")
    entry = {
        "id": given_id or entry_id(code, not wrong, name, place),
        "name": name,
        "credit_code": code,
        "code_ok": bool(code) and not wrong,
        "kind": kind,
        "place": place,
        "industry": d.get("industry", ""),
        "size": size,
        "registered": registered,
        "match": d.get("match", ""),
        "match_method": d.get("match_method", ""),
        "match_score": int(float(d["match_score"])) if re.fullmatch(r"\d+(\.\d+)?", d.get("match_score", "")) else None,
    }
    return entry


# ---------------------------------------------------------------------------
# registry.csv in a dataset folder


def registry_csv_text(entries: list[dict]) -> str:
    """``registry.csv`` as text (UTF-8, the model's columns)."""
    from alliances.cells import csv_line

    return csv_line(COLUMNS, guarded=False) + "".join(
        csv_line(["" if e.get(c) is None else str(e.get(c)) for c in COLUMNS]) for e in entries)


def read_registry_file(path: Path, ds: Dataset, encoding: str | None = None) -> list[Problem]:
    """Check ``registry.csv`` of a dataset folder and put its entries in ``ds.registry``.

    Returns the problems (file, row, column); matches must name an
    Organization of the dataset.
    """
    problems: list[Problem] = []
    got = read_registry_source(path, ds, encoding=encoding, imported="")
    problems += got.problems
    for e in got.entries:
        m = e["match"]
        if m and (m not in ds.nodes or ds.nodes[m]["label"] != "Organization"):
            problems.append(Problem(str(path), e["_row"], "match",
                                    f"{e['name']}: match {m!r} is not the id of an Organization in nodes.csv",
                                    "correct the id, or clear match and run 'alliances registry import' again"))
        if e["match_method"] and e["match_method"] not in model.MATCH_METHODS:
            problems.append(Problem(str(path), e["_row"], "match_method", f"{e['name']}: unknown match_method "
                                    f"{e['match_method']!r}", f"use one of: {', '.join(model.MATCH_METHODS)}"))
    ds.registry = got.entries
    return problems


def require_clean(got: RegistryRead, label: str) -> None:
    if got.problems:
        raise ValidationError(got.problems, label)


def split_aliases(text: str) -> list[str]:
    return split_list(text)
