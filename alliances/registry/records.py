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
from alliances.normalize import cell_text
from alliances.dataset import Dataset, date_problem, decode_bytes, split_list
from alliances.errors import DataError, Problem, ValidationError, problem
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


def _p(file, where_sheet, row, where_column, code, **params) -> Problem:
    return problem(code, str(file), row, where_column, sheet=where_sheet, **params)


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
        out.problems.append(_p(path, None, None, None, "broken_quoting", error=err, line="?"))
        return None
    if not rows:
        out.problems.append(_p(path, None, None, None, "file_empty"))
        return None
    from alliances.cells import unguard

    return None, rows[0], [(i, [unguard(v) for v in r]) for i, r in enumerate(rows[1:], start=2)]


def _xlsx_rows(path: Path, sheet: str | None, out: RegistryRead):
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as err:
        raise ValidationError([_p(path, None, None, None, "reg_bad_xlsx", error=type(err).__name__)],
                              str(path)) from err
    try:
        names = wb.sheetnames
        if sheet:
            if sheet not in names:
                raise ValidationError([_p(path, None, None, None, "reg_no_sheet", name=sheet,
                                          choices=", ".join(names))], str(path))
            chosen = sheet
        else:
            visible = [n for n in names if wb[n].sheet_state == "visible"]
            named = [n for n in visible if any(w in n.lower() for w in ("名录", "registry", "企业", "名单"))]
            if len(visible) > 1 and len(named) != 1:
                raise ValidationError([_p(path, None, None, None, "reg_which_sheet", count=len(visible),
                                          choices=", ".join(visible))], str(path))
            chosen = (named or visible or names)[0]
        ws = wb[chosen]
        rows = []
        header = None
        for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if i > MAX_ROWS + 1:
                raise ValidationError([_p(path, chosen, None, None, "reg_too_many_rows", limit=MAX_ROWS)],
                                      str(path))
            if header is None:
                header = list(values)
                continue
            if any(v not in (None, "") for v in values):
                rows.append((i, list(values)))
        if header is None:
            out.problems.append(_p(path, chosen, None, None, "file_empty"))
            return None
        return chosen, header, rows
    finally:
        wb.close()


def _text(value, date=False) -> str:
    """A cell (CSV text or an openpyxl value) as cleaned text; dates as ISO (``2021年3月`` → ``2021-03``).

    The importer's own cleaning (:func:`alliances.normalize.cell_text`): a date column
    is cleaned as the dataset's ``date``, any other as plain text (trimmed, never renamed).
    """
    return cell_text(value, "date" if date else "")


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
            out.problems.append(_p(path, sheet_name, 1, str(h), "unknown_column", shown=repr(str(h)),
                                   columns=", ".join(f"{p.zh} ({p.name})" for p in model.REGISTRY_PROPS[:8])))
        elif col is not None and col in cols:
            out.problems.append(_p(path, sheet_name, 1, str(h), "duplicate_column"))
            col = None
        cols.append(col)
    missing = [c for c in REQUIRED if c not in cols]
    for c in missing:
        zh = next(p.zh for p in model.REGISTRY_PROPS if p.name == c)
        out.problems.append(_p(path, sheet_name, 1, c, "missing_column", zh=zh, column=c))
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
            out.problems.append(_p(*where, "credit_code", "reg_code_as_number"))
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
                out.problems.append(_p(*where, "credit_code", "reg_duplicate_code", value=code,
                                       other=seen_codes[code]))
                continue
            seen_codes[code] = r
        if entry["id"] in seen_ids:
            out.problems.append(_p(*where, "name", "reg_duplicate_entry", other=seen_ids[entry["id"]]))
            continue
        seen_ids[entry["id"]] = r
        out.entries.append(entry)
    if not out.entries and not out.problems:
        out.problems.append(_p(path, sheet_name, None, None, "reg_no_entries"))
    return out


def entry_id(code: str, code_ok: bool, name: str, place: str) -> str:
    """The credit code when valid, else ``reg-`` and 10 hex digits of the name and place."""
    if code and code_ok:
        return code
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).lower()
    return "reg-" + hashlib.sha1(f"{key}|{place}".encode()).hexdigest()[:10]


def _check_entry(d: dict, where, places, place_names, out: RegistryRead) -> dict | None:
    bad = len(out.problems)
    name = re.sub(r"\s+", " ", d.get("name", "")).strip()
    if not name:
        out.problems.append(_p(*where, "name", "no_name"))
    elif len(name) > 1000:
        out.problems.append(_p(*where, "name", "name_too_long", length=len(name), limit=1000))
    kind_text = d.get("kind", "")
    kind = _KIND.get(_key(kind_text))
    if kind is None:
        out.problems.append(_p(*where, "kind", "reg_unknown_kind" if kind_text else "reg_no_kind", value=kind_text))
    place_text = d.get("place", "")
    place = place_text if place_text in places else None
    if place is None and place_text:
        found = place_names.get(_key(place_text), set())
        if len(found) == 1:
            place = next(iter(found))
        elif len(found) > 1:
            out.problems.append(_p(*where, "place", "reg_ambiguous_place", value=place_text,
                                   choices=", ".join(sorted(found))))
    if place is None and not any(p.row == where[2] and p.field == "place" for p in out.problems[bad:]):
        out.problems.append(_p(*where, "place", "reg_unknown_place" if place_text else "reg_no_place",
                               value=place_text))
    size_text = d.get("size", "")
    size = _SIZE.get(_key(size_text), None) if size_text else ""
    if size is None:
        out.problems.append(_p(*where, "size", "reg_unknown_size", value=size_text))
    registered = d.get("registered", "")
    why_date = date_problem(registered) if registered else None
    if why_date is not None:
        out.problems.append(_p(*where, "registered", "bad_date", value=registered, reason=why_date[0],
                               reason_zh=why_date[1]))
    raw_code = d.get("credit_code", "")
    code = creditcode.normalize(raw_code)
    wrong = creditcode.problem(code) if code else None
    if wrong:
        out.warnings.append(_p(*where, "credit_code", "reg_doubtful_code", value=raw_code, why=wrong,
                               why_zh=creditcode.problem_zh(code)))
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
            problems.append(problem("reg_bad_match", str(path), e["_row"], "match", name=e["name"], value=m))
        if e["match_method"] and e["match_method"] not in model.MATCH_METHODS:
            problems.append(problem("reg_bad_method", str(path), e["_row"], "match_method", name=e["name"],
                                    value=e["match_method"], choices=", ".join(model.MATCH_METHODS)))
    ds.registry = got.entries
    return problems


def require_clean(got: RegistryRead, label: str) -> None:
    if got.problems:
        raise ValidationError(got.problems, label)


def split_aliases(text: str) -> list[str]:
    return split_list(text)
