"""Reading an ``.xlsx`` workbook with bounded memory: stream the XML, keep only cells that hold values.

A workbook is a zip of XML parts. A 22 KB file can declare one styled cell at
``XFD1048576``, a merge over the whole grid or a 2 GB string, and a reader that
builds the grid (as openpyxl's does) exhausts memory before it can say so.
This reader parses each part with expat in 1 MiB pieces and keeps only:

- the cells that hold a value (the used range is theirs, never the sheet's
  declared dimension, its styles or its empty rows);
- merged ranges, clipped to that used range before they are filled in;
- the shared strings, each checked against the cell limit while it is read.

Every limit is checked *while* reading, before any text is normalised, and
ends in one problem naming the file, sheet and cell:

==========================  ===========================================
a cell's text               32,767 characters (Excel's own limit)
cells holding values        20,000,000 per workbook
one XML part, unpacked      1 GiB (sheets), 256 MiB (shared strings),
                            16 MiB (workbook, styles, relationships)
merged ranges               1,000,000 per sheet
==========================  ===========================================

Documents with a ``DOCTYPE`` (the carrier of entity expansion attacks) are
refused. Hidden and very hidden sheets and hidden (or filtered-out) rows are
not imported and each is named in a warning; hidden columns are imported and
named. An Excel 97–2003 ``.xls`` file, a password-protected workbook or an
``.xlsb`` saved under an ``.xlsx`` name gets a line saying what it is.
"""

from __future__ import annotations

import datetime as _dt
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

MAX_CELL_CHARS = 32_767
MAX_CELLS = 20_000_000
MAX_SHEET_BYTES = 1 << 30
MAX_SHARED_BYTES = 256 << 20
MAX_SMALL_BYTES = 16 << 20
MAX_MERGES = 1_000_000
MAX_ROW = 1_048_576
MAX_COL = 16_384
CHUNK = 1 << 20

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})\Z")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# numFmtIds that are dates without a format code in styles.xml: the built-in
# ones, and the ones Chinese, Japanese and Korean Excel reserves for local dates.
_DATE_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})


class WorkbookRefused(Exception):
    """The workbook cannot be read as asked; ``code`` and ``params`` name the problem."""

    def __init__(self, code: str, sheet: str | None = None, **params):
        super().__init__(code)
        self.code, self.sheet, self.params = code, sheet, params


@dataclass
class Sheet:
    """One worksheet's cells that hold values: ``rows`` maps row number → {column number: value}."""

    name: str
    rows: dict[int, dict[int, object]] = field(default_factory=dict)
    hidden_rows: list[int] = field(default_factory=list)   # hidden rows that held values (not in ``rows``)
    hidden_columns: list[int] = field(default_factory=list)  # hidden columns that hold values (kept)
    max_col: int = 0

    def grid(self) -> list[tuple[int, list]]:
        """``(row number, values)`` for every row holding a value, each as wide as the used range."""
        width = self.max_col
        out = []
        for r in sorted(self.rows):
            cells = self.rows[r]
            out.append((r, [cells.get(c) for c in range(1, width + 1)]))
        return out


@dataclass
class Workbook:
    sheets: list[Sheet]
    hidden_sheets: list[tuple[str, str]]  # (name, "hidden" or "veryHidden")


def col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def col_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def unescape(text: str) -> str:
    """Excel's ``_xHHHH_`` escapes (a carriage return is ``_x000D_``) back to characters."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


# ---------------------------------------------------------------------------
# Streaming parts


def _parser(start, end=None, text=None):
    p = expat.ParserCreate(namespace_separator="}")
    p.buffer_text = False

    def doctype(*_):
        raise WorkbookRefused("xlsx_doctype")

    p.StartDoctypeDeclHandler = doctype
    p.EntityDeclHandler = doctype
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    p.StartElementHandler = start
    if end:
        p.EndElementHandler = end
    if text:
        p.CharacterDataHandler = text
    return p


def _feed(z: zipfile.ZipFile, name: str, parser, limit: int, sheet: str | None = None) -> None:
    info = z.getinfo(name)
    if info.file_size > limit:
        raise WorkbookRefused("xlsx_part_too_large", sheet, part=name, size=info.file_size, limit=limit)
    seen = 0
    with z.open(info) as fh:
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                break
            seen += len(chunk)
            if seen > limit:  # the declared size is not to be trusted
                raise WorkbookRefused("xlsx_part_too_large", sheet, part=name, size=seen, limit=limit)
            try:
                parser.Parse(chunk, False)
            except expat.ExpatError as err:
                raise WorkbookRefused("bad_xlsx", error=_in(sheet, f"{name}: {err}")) from err
        try:
            parser.Parse(b"", True)
        except expat.ExpatError as err:
            raise WorkbookRefused("bad_xlsx", error=_in(sheet, f"{name}: {err}")) from err


def _in(sheet: str | None, text: str) -> str:
    return f"sheet {sheet!r}, {text}" if sheet else text


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _attr(attrs: dict, local: str, default=None):
    for k, v in attrs.items():
        if _local(k) == local:
            return v
    return default


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type's last word, target part name) for ``part``."""
    folder, base = posixpath.split(part)
    name = posixpath.join(folder, "_rels", base + ".rels")
    out: dict[str, tuple[str, str]] = {}
    if name not in z.NameToInfo:
        return out

    def start(tag, attrs):
        if _local(tag) == "Relationship":
            target = attrs.get("Target", "")
            if attrs.get("TargetMode") == "External":
                return
            full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[attrs.get("Id", "")] = (attrs.get("Type", "").rsplit("/", 1)[-1], full)

    _feed(z, name, _parser(start), MAX_SMALL_BYTES)
    return out


def _workbook_part(z: zipfile.ZipFile) -> str:
    for kind, target in _rels(z, "").values():
        if kind == "officeDocument":
            return target
    return "xl/workbook.xml"


def _shared_strings(z: zipfile.ZipFile, name: str | None) -> list[str]:
    strings: list[str] = []
    if not name or name not in z.NameToInfo:
        return strings
    state = {"in_t": 0, "skip": 0, "parts": [], "length": 0}

    def start(tag, attrs):
        t = _local(tag)
        if t == "si":
            state["parts"], state["length"] = [], 0
        elif t == "t" and not state["skip"]:
            state["in_t"] += 1
        elif t in ("rPh", "phoneticPr"):  # phonetic guides are not the cell's text
            state["skip"] += 1

    def end(tag):
        t = _local(tag)
        if t == "si":
            value = unescape("".join(state["parts"]))
            if len(value) > MAX_CELL_CHARS:
                raise WorkbookRefused("xlsx_cell_too_long", None, cell=f"shared string {len(strings) + 1}",
                                      limit=MAX_CELL_CHARS)
            strings.append(value)
        elif t == "t" and state["in_t"]:
            state["in_t"] -= 1
        elif t in ("rPh", "phoneticPr"):
            state["skip"] -= 1

    def text(data):
        if state["in_t"] and not state["skip"]:
            state["length"] += len(data)
            if state["length"] > MAX_CELL_CHARS + 6 * 1000:  # escapes shrink; the exact check is per cell
                raise WorkbookRefused("xlsx_cell_too_long", None, cell=f"shared string {len(strings) + 1}",
                                      limit=MAX_CELL_CHARS)
            state["parts"].append(data)

    _feed(z, name, _parser(start, end, text), MAX_SHARED_BYTES)
    return strings


def _styles(z: zipfile.ZipFile, name: str | None) -> list[bool]:
    """For each cell style index: is it a date format?"""
    if not name or name not in z.NameToInfo:
        return []
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    codes: dict[int, str] = {}
    xfs: list[int] = []
    state = {"cellXfs": False}

    def start(tag, attrs):
        t = _local(tag)
        if t == "numFmt":
            try:
                codes[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
            except ValueError:
                pass
        elif t == "cellXfs":
            state["cellXfs"] = True
        elif t == "xf" and state["cellXfs"]:
            try:
                xfs.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xfs.append(0)

    def end(tag):
        if _local(tag) == "cellXfs":
            state["cellXfs"] = False

    _feed(z, name, _parser(start, end), MAX_SMALL_BYTES)

    def is_date(fid: int) -> bool:
        code = codes.get(fid) or BUILTIN_FORMATS.get(fid)
        return is_date_format(code) if code else fid in _DATE_IDS

    return [is_date(f) for f in xfs]


# ---------------------------------------------------------------------------
# A worksheet


class _SheetReader:
    def __init__(self, name: str, shared: list[str], dates: list[bool], epoch, budget: list[int]):
        self.sheet = Sheet(name)
        self.shared, self.dates, self.epoch, self.budget = shared, dates, epoch, budget
        self.row = 0
        self.row_hidden = False
        self.col = 0
        self.ctype = "n"
        self.style = 0
        self.buf: list[str] | None = None
        self.length = 0
        self.collect = False  # inside <v>, or a <t> of an inline string
        self.skip = 0
        self.merges: list[tuple[int, int, int, int]] = []
        self.hidden_cols: list[tuple[int, int]] = []
        self.value_cols: set[int] = set()

    # element handlers
    def start(self, tag, attrs):
        t = _local(tag)
        if t == "c":
            ref = attrs.get("r")
            if ref:
                m = _REF.match(ref)
                if not m:
                    raise WorkbookRefused("bad_xlsx", error=_in(self.sheet.name, f"cell reference {ref!r}"))
                self.col, row = col_number(m.group(1)), int(m.group(2))
                if row != self.row:
                    self.row = row
            else:
                self.col += 1
            if not (1 <= self.col <= MAX_COL and 1 <= self.row <= MAX_ROW):
                raise WorkbookRefused("bad_xlsx", error=_in(self.sheet.name, f"cell {ref or self.col} outside Excel's grid"))
            self.ctype = attrs.get("t", "n")
            try:
                self.style = int(attrs.get("s", "0"))
            except ValueError:
                self.style = 0
            self.buf, self.length = None, 0
        elif t == "row":
            r = attrs.get("r")
            self.row = int(r) if r and r.isdigit() else self.row + 1
            self.col = 0
            self.row_hidden = attrs.get("hidden") in ("1", "true")
        elif t == "v":
            if self.buf is None:
                self.buf, self.length = [], 0
            self.collect = True
        elif t == "is":
            self.buf, self.length = [], 0
        elif t == "t" and self.buf is not None:
            self.collect = True
        elif t in ("rPh", "phoneticPr"):
            self.skip += 1
        elif t == "mergeCell":
            m = re.fullmatch(r"([A-Za-z$]+\d+)(?::([A-Za-z$]+\d+))?", attrs.get("ref", ""))
            if m:
                a, b = _REF.match(m.group(1)), _REF.match(m.group(2) or m.group(1))
                if a and b:
                    if len(self.merges) >= MAX_MERGES:
                        raise WorkbookRefused("xlsx_too_many_merges", self.sheet.name, limit=MAX_MERGES)
                    c1, r1, c2, r2 = col_number(a.group(1)), int(a.group(2)), col_number(b.group(1)), int(b.group(2))
                    self.merges.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
        elif t == "col" and attrs.get("hidden") in ("1", "true"):
            try:
                self.hidden_cols.append((int(attrs.get("min", "0")), int(attrs.get("max", "0"))))
            except ValueError:
                pass

    def end(self, tag):
        t = _local(tag)
        if t == "c":
            if self.buf is not None:
                self._store("".join(self.buf))
            self.buf, self.collect = None, False
        elif t in ("v", "t"):
            self.collect = False
        elif t in ("rPh", "phoneticPr"):
            self.skip -= 1

    def text(self, data):
        if not self.collect or self.buf is None or self.skip:
            return
        self.length += len(data)
        if self.length > MAX_CELL_CHARS * 8:  # far past the limit even with escapes: stop reading
            self._too_long(self.length)
        self.buf.append(data)

    def _too_long(self, length):
        raise WorkbookRefused("xlsx_cell_too_long", self.sheet.name,
                              cell=f"cell {col_letters(self.col)}{self.row}", limit=MAX_CELL_CHARS)

    def _store(self, raw: str):
        ct = self.ctype
        value: object
        if ct == "s":
            try:
                value = self.shared[int(raw)]
            except (ValueError, IndexError):
                raise WorkbookRefused("bad_xlsx", error=_in(self.sheet.name,
                                      f"cell {col_letters(self.col)}{self.row} names shared string "
                                      f"{raw[:20]!r}, which does not exist")) from None
        elif ct in ("inlineStr", "str", "e"):
            value = unescape(raw)
        elif ct == "b":
            value = raw.strip() in ("1", "true")
        elif ct == "d":
            try:
                value = _dt.datetime.fromisoformat(raw.strip())
            except ValueError:
                value = raw
        else:
            text = raw.strip()
            if not text:
                return
            try:
                value = int(text) if re.fullmatch(r"-?\d+", text) else float(text)
            except ValueError:
                value = text
            if self.style < len(self.dates) and self.dates[self.style] and isinstance(value, (int, float)):
                from openpyxl.utils.datetime import from_excel

                try:
                    value = from_excel(value, self.epoch)
                except (ValueError, OverflowError):
                    pass
        if isinstance(value, str):
            if len(value) > MAX_CELL_CHARS:
                self._too_long(len(value))
            if value == "":
                return
        if self.row_hidden:
            if not self.sheet.hidden_rows or self.sheet.hidden_rows[-1] != self.row:
                self.sheet.hidden_rows.append(self.row)
            if self.row != 1:  # the header is kept even when hidden
                return
        self.budget[0] -= 1
        if self.budget[0] < 0:
            raise WorkbookRefused("xlsx_too_many_cells", self.sheet.name, limit=MAX_CELLS)
        self.sheet.rows.setdefault(self.row, {})[self.col] = value
        self.value_cols.add(self.col)

    def finish(self) -> Sheet:
        sh = self.sheet
        if sh.rows:
            last_row = max(sh.rows)
            last_col = max(self.value_cols)
            for r1, c1, r2, c2 in self.merges:
                top = sh.rows.get(r1, {}).get(c1)
                if top is None or r1 > last_row or c1 > last_col:
                    continue
                for r in range(r1, min(r2, last_row) + 1):  # clipped to the cells that hold values
                    if r in sh.hidden_rows and r != 1:
                        continue
                    row = sh.rows.setdefault(r, {})
                    for c in range(c1, min(c2, last_col) + 1):
                        if row.get(c) is None:
                            self.budget[0] -= 1
                            if self.budget[0] < 0:
                                raise WorkbookRefused("xlsx_too_many_cells", sh.name, limit=MAX_CELLS)
                            row[c] = top
            sh.max_col = last_col
            sh.hidden_columns = sorted(c for c in self.value_cols
                                       if any(a <= c <= b for a, b in self.hidden_cols))
        return sh


def read_workbook(path: str | Path) -> Workbook:
    """The worksheets of ``path`` (only cells holding values), in workbook order.

    Raises
    ------
    WorkbookRefused
        With a problem code: ``xls_renamed``, ``xlsx_encrypted``, ``xlsb_renamed``,
        ``bad_xlsx``, ``xlsx_doctype``, ``xlsx_part_too_large``, ``xlsx_cell_too_long``,
        ``xlsx_too_many_cells``, ``xlsx_too_many_merges``.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
        if head.startswith(OLE_MAGIC):
            rest = head + fh.read(4 << 20)
            if "EncryptedPackage".encode("utf-16-le") in rest:
                raise WorkbookRefused("xlsx_encrypted")
            raise WorkbookRefused("xls_renamed")
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise WorkbookRefused("bad_xlsx", error=f"{type(err).__name__}: {err}") from err
    with z:
        try:
            return _read(z)
        except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, RuntimeError,
                NotImplementedError) as err:
            if isinstance(err, WorkbookRefused):
                raise
            raise WorkbookRefused("bad_xlsx", error=f"{type(err).__name__}: {err}") from err


def _read(z: zipfile.ZipFile) -> Workbook:
    if "[Content_Types].xml" not in z.NameToInfo:
        raise WorkbookRefused("bad_xlsx", error="no [Content_Types].xml inside")
    wb_part = _workbook_part(z)
    if wb_part.endswith(".bin") or "xl/workbook.bin" in z.NameToInfo:
        raise WorkbookRefused("xlsb_renamed")
    if wb_part not in z.NameToInfo:
        raise WorkbookRefused("bad_xlsx", error=f"no {wb_part} inside")
    sheets: list[tuple[str, str, str]] = []  # (name, state, r:id)
    epoch = {"date1904": False}

    def start(tag, attrs):
        t = _local(tag)
        if t == "sheet":
            sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), _attr(attrs, "id", "")))
        elif t == "workbookPr":
            epoch["date1904"] = attrs.get("date1904") in ("1", "true")

    _feed(z, wb_part, _parser(start), MAX_SMALL_BYTES)
    rels = _rels(z, wb_part)
    by_kind = {kind: target for kind, target in rels.values()}
    shared = _shared_strings(z, by_kind.get("sharedStrings"))
    dates = _styles(z, by_kind.get("styles"))
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    cal = CALENDAR_MAC_1904 if epoch["date1904"] else CALENDAR_WINDOWS_1900
    budget = [MAX_CELLS]
    out: list[Sheet] = []
    hidden: list[tuple[str, str]] = []
    for name, state, rid in sheets:
        kind, target = rels.get(rid, ("", ""))
        if kind != "worksheet" or target not in z.NameToInfo:
            continue  # chart sheets, dialog sheets, macro sheets hold no rows
        if state in ("hidden", "veryHidden"):
            hidden.append((name, state))
            continue
        reader = _SheetReader(name, shared, dates, cal, budget)
        _feed(z, target, _parser(reader.start, reader.end, reader.text), MAX_SHEET_BYTES, sheet=name)
        out.append(reader.finish())
    return Workbook(out, hidden)
