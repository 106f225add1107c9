"""The planner-editable dataset folder: read it, check it, write it.

A dataset is a folder of four UTF-8 CSV files (Excel's UTF-8-with-BOM and
GB18030/GBK are read too)::

    sources.csv        id, title, publisher, published, file, paragraphs
    nodes.csv          id, label, name, name_en, kind, region, date, date_note,
                       status, aliases, description, source, paragraphs
    relationships.csv  start, type, end, role, date, date_note, status,
                       source, paragraphs
    figures.csv        node, key, value, qualifier, unit, label_zh, label_en,
                       source, paragraphs          (optional)

Lists (``aliases``, ``paragraphs``) are separated by ``;``. :func:`read_dataset`
reports every problem at once, each with its file, row and column.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from sys import intern

from alliances import model
from alliances.cells import CsvWriter
from alliances.errors import DataError, Problem, ValidationError

FILES = {
    "sources": "sources.csv",
    "nodes": "nodes.csv",
    "relationships": "relationships.csv",
    "figures": "figures.csv",
}
REQUIRED_FILES = ("sources", "nodes", "relationships")
COLUMNS = {
    "sources": [p.name for p in model.SOURCE_PROPS],
    "nodes": [p.name for p in model.NODE_PROPS if p.name != "synthetic"],
    "relationships": [p.name for p in model.REL_PROPS],
    "figures": [p.name for p in model.FIGURE_PROPS],
}
OPTIONAL_COLUMNS = {"nodes": ["synthetic"]}

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,199}$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)
MAX_FIELD = 10_000
# Names are indexed in Neo4j, whose index keys hold at most 8,167 bytes: 1,000
# characters is at most 4,000 bytes of UTF-8, and far longer than any real name.
MAX_NAME = 1_000
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff]")


def bundled_path() -> Path:
    """The folder of the bundled Zigong–Chengdu–Chongqing dataset."""
    return Path(str(resources.files("alliances") / "data" / "zigong"))


@dataclass
class Dataset:
    """A checked dataset: nodes by id, relationships, figures and sources."""

    nodes: dict[str, dict] = field(default_factory=dict)
    relationships: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    sources: dict[str, dict] = field(default_factory=dict)
    path: str = ""

    def node_properties(self, node_id: str) -> dict:
        """The node's properties with its figures folded in as properties."""
        props = {k: v for k, v in self.nodes[node_id].items() if v not in (None, "", [])}
        for fig in self.figures:
            if fig["node"] == node_id:
                props[fig["key"]] = fig["value"]
        return props

    def figures_of(self, node_id: str) -> list[dict]:
        return [f for f in self.figures if f["node"] == node_id]

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        labels: dict[str, int] = {}
        for n in self.nodes.values():
            labels[n["label"]] = labels.get(n["label"], 0) + 1
        types: dict[str, int] = {}
        for r in self.relationships:
            types[r["type"]] = types.get(r["type"], 0) + 1
        return labels, types


# ---------------------------------------------------------------------------
# Reading text


def decode_bytes(data: bytes, where: str, encoding: str | None = None) -> str:
    """Decode CSV bytes as Excel on Chinese Windows writes them.

    UTF-8 (with or without BOM) first; otherwise a detected encoding, of which
    GB18030 (a superset of GBK and GB2312) is the usual one. ``encoding``
    forces one.
    """
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as err:
            raise DataError(
                f"{where}: cannot be read as {encoding} ({err}). "
                "Fix: drop --encoding to detect it, or name the encoding the file was saved in."
            ) from err
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as err:
                raise DataError(f"{where}: starts with a {enc} mark but is not valid {enc}: {err}") from err
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        bad_at = err.start
    # Mostly valid UTF-8 with a few broken bytes (a truncated or spliced
    # file) would read as GB18030 mojibake: say where the damage is instead.
    loose = data.decode("utf-8", errors="replace")
    broken = loose.count("\ufffd")
    if sum(1 for ch in loose if ord(ch) > 127 and ch != "\ufffd") >= 4 * broken:
        line = data[:bad_at].count(b"\n") + 1
        raise DataError(
            f"{where}: line {line}: invalid UTF-8 (byte {bad_at:,} is 0x{data[bad_at]:02x}); the rest of the "
            "file is UTF-8. Fix: correct or retype that line, or save the file again as 'CSV UTF-8'."
        )
    # UTF-16 without a byte-order mark: a CSV header is ASCII, so every other
    # byte is NUL (at odd offsets little-endian, at even offsets big-endian).
    if len(data) >= 4 and len(data) % 2 == 0 and data.count(0) * 3 >= len(data):
        odd, even = data[1::2].count(0), data[0::2].count(0)
        for enc in (("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:  # UTF-32 read as UTF-16 still has NULs
                return text
    if 0 in data:
        raise DataError(
            f"{where}: contains NUL bytes, so it is not a text CSV (a workbook, a binary file, or "
            "UTF-16/UTF-32 text we could not read). Fix: save it from Excel as 'CSV UTF-8', or use "
            "'alliances import' for a workbook."
        )
    # Chinese CSVs are read as GB18030 (the superset of GBK and GB2312), or as
    # Big5 when that is the detected encoding; a decoding that lands in the
    # private-use area is a wrong guess. Other detected code pages (Latin,
    # Cyrillic) are not trusted: they turn any bytes into plausible-looking
    # wrong letters, so the planner is asked to name the encoding instead.
    candidates = ["gb18030"]
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and (best.encoding or "").lower().replace("-", "").replace("_", "") in {
            "big5", "big5hkscs", "cp950"}:
        candidates.append(best.encoding)
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
        if not _PRIVATE_USE_RE.search(text):
            return text
    raise DataError(
        f"{where}: the text encoding could not be recognised (not UTF-8 and not GB18030/GBK). "
        "Fix: save it from Excel as 'CSV UTF-8', or pass --encoding (e.g. --encoding cp1252 for "
        "a Western-European Excel file)."
    )


def read_csv_rows(path: Path, encoding: str | None = None) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and ``(row number, row dict)`` pairs; the header is row 1."""
    header, rows = iter_csv_rows(path, encoding)
    return header, list(rows)


def iter_csv_rows(path: Path, encoding: str | None = None) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """Header and a lazy iterator of ``(row number, row dict)`` pairs; the header is row 1.

    The whole file is decoded and its quoting checked before this returns (a
    broken quote is one problem for the whole file), but rows are built one
    at a time, so a million-row file is never held as a million dicts.
    """
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DataError(f"{where}: cannot be read ({err.strerror}).") from err
    text = decode_bytes(data, where, encoding)
    del data
    if not text.strip():
        raise ValidationError([Problem(where, None, None, "the file is empty", "add the header row")])
    header_values = None
    with _field_limit(len(text) + 1):  # MAX_FIELD is checked per cell, with its row
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        count = 0
        line = 1
        try:
            while True:
                line = reader.line_num + 1  # where the next row starts
                try:
                    values = next(reader)
                except StopIteration:
                    break
                if header_values is None:
                    header_values = values
                count += 1
        except csv.Error as err:
            raise ValidationError(
                [Problem(where, count + 1, None, f"broken CSV quoting ({err}) in the row that starts on line {line}",
                         'close every quote; write a quote inside a field as ""')]
            ) from err
    header = [h.strip().lstrip("\ufeff") for h in header_values or []]
    return header, _rows(text, header)


@contextlib.contextmanager
def _field_limit(size: int):
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, size))
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _rows(text: str, header: list[str]) -> Iterator[tuple[int, dict]]:
    """The data rows of ``text`` (already checked to parse), blank rows left out.

    A value written with a formula guard (``'=1+1``, :mod:`alliances.cells`) reads back as written.
    """
    from alliances.cells import unguard

    apostrophes = "'" in text  # one search of the whole file spares a check of every cell
    with _field_limit(len(text) + 1):
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        next(reader)
        for i, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if apostrophes:
                values = [unguard(v) if v[:1] == "'" else v for v in values]
            if len(values) > len(header):
                extra = values[len(header):]
                if any(v.strip() for v in extra):
                    yield i, {"__extra__": extra, **dict(zip(header, values))}
                    continue
            yield i, {h: (values[j] if j < len(values) else "") for j, h in enumerate(header)}


# ---------------------------------------------------------------------------
# Field parsing and checks


def _clean(value: str) -> str:
    return value.strip() if isinstance(value, str) else value


def split_list(value: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;；]", value or "") if p.strip()]


def parse_date(value: str) -> str | None:
    """Validate ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; return it or None."""
    m = DATE_RE.match(value)
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if not 1900 <= int(year) <= 2100:
        return None
    if month and not 1 <= int(month) <= 12:
        return None
    if day:
        import datetime

        try:
            datetime.date(int(year), int(month), int(day))
        except ValueError:
            return None
    return value


def date_end(value: str) -> str:
    """The last day a partial date can mean: ``2020`` → ``2020-12-31``."""
    import calendar

    parts = value.split("-")
    if len(parts) == 1:
        return f"{parts[0]}-12-31"
    if len(parts) == 2:
        last = calendar.monthrange(int(parts[0]), int(parts[1]))[1]
        return f"{parts[0]}-{parts[1]}-{last:02d}"
    return value


def _number(value: str) -> int | float | None:
    try:
        f = float(value.replace(",", ""))
    except ValueError:
        return None
    if f != f or f in (float("inf"), float("-inf")):
        return None
    return int(f) if f.is_integer() and "." not in value else f


class _Checker:
    def __init__(self, folder: Path):
        self.folder = folder
        self.problems: list[Problem] = []

    def add(self, file: str, row: int | None, fld: str | None, message: str, fix: str = "") -> None:
        self.problems.append(Problem(str(self.folder / file), row, fld, message, fix))

    def text_fields(self, file: str, row: int, data: dict) -> dict:
        out = {}
        for k, v in data.items():
            if k == "__extra__":
                self.add(file, row, None, f"{len(v)} more value(s) than the header has columns",
                         "quote fields that contain commas, or remove the extra cells")
                continue
            v = _clean(v)
            if len(v) > MAX_FIELD:
                self.add(file, row, k, f"value is {len(v):,} characters long (limit {MAX_FIELD:,})",
                         "shorten it; long texts belong in the source document")
                v = v[:MAX_FIELD]
            if _CONTROL_RE.search(v):
                self.add(file, row, k, "contains control characters",
                         "remove invisible characters (often pasted from another program)")
            out[k] = v
        return out

    def header(self, file: str, header: list[str], kind: str) -> bool:
        expected = COLUMNS[kind]
        missing = [c for c in expected if c not in header and model_required(kind, c)]
        unknown = [c for c in header if c not in expected and c not in OPTIONAL_COLUMNS.get(kind, [])]
        dupes = sorted({c for c in header if header.count(c) > 1})
        for c in missing:
            self.add(file, 1, c, "required column is missing", f"add a column named {c!r} to the header")
        for c in unknown:
            self.add(file, 1, c or "(blank)", "unknown column", f"columns are: {', '.join(expected)}")
        for c in dupes:
            self.add(file, 1, c, "column appears more than once", "keep one")
        return not missing and not dupes

    def paragraphs(self, file: str, row: int, value: str) -> list[int]:
        out = []
        for part in split_list(value):
            if not (part.isascii() and part.isdigit()) or int(part) < 1:
                self.add(file, row, "paragraphs", f"{part!r} is not a paragraph number",
                         "write paragraph numbers as whole numbers separated by ;")
            else:
                out.append(int(part))
        if not out and not any(p.field == "paragraphs" and p.row == row and p.file.endswith(file)
                               for p in self.problems):
            self.add(file, row, "paragraphs", "no paragraph given",
                     "give the paragraph number(s) of the source that state this fact")
        return out

    def source(self, file: str, row: int, value: str, sources: dict) -> None:
        if not value:
            self.add(file, row, "source", "no source given", "name a source id from sources.csv")
        elif value not in sources:
            self.add(file, row, "source", f"unknown source {value!r}",
                     f"use one of: {', '.join(sorted(sources)) or '(sources.csv is empty)'}")

    def date(self, file: str, row: int, value: str) -> str:
        if not value:
            return ""
        if parse_date(value) is None:
            self.add(file, row, "date", f"{value!r} is not a date between 1900 and 2100",
                     "write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2020-12)")
            return ""
        return value


def model_required(kind: str, column: str) -> bool:
    props = {
        "sources": model.SOURCE_PROPS,
        "nodes": model.NODE_PROPS,
        "relationships": model.REL_PROPS,
        "figures": model.FIGURE_PROPS,
    }[kind]
    return any(p.name == column and p.required for p in props)


# ---------------------------------------------------------------------------
# Reading a dataset


def read_dataset(path: str | os.PathLike | None = None, encoding: str | None = None) -> Dataset:
    """Read and check a dataset folder (the bundled one when ``path`` is None).

    Raises
    ------
    ValidationError
        With every problem found, each naming its file, row and column.
    DataError
        When the folder or a file cannot be read at all.
    """
    with paused_gc():
        return _read_dataset(Path(path) if path is not None else bundled_path(), encoding)


@contextlib.contextmanager
def paused_gc():
    """Pause Python's cycle collector while building millions of acyclic rows.

    Every full collection walks the whole heap, so with the collector on,
    reading a large dataset slows down more than linearly with its size.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_dataset(folder: Path, encoding: str | None) -> Dataset:
    if not folder.exists():
        raise DataError(f"{folder}: no such folder. Fix: give the path of a dataset folder "
                        f"(with {', '.join(FILES[k] for k in REQUIRED_FILES)}).")
    if not folder.is_dir():
        raise DataError(f"{folder}: is a file, not a dataset folder. Fix: give the folder that holds "
                        f"{FILES['nodes']}; to bring in a workbook or other files use 'alliances import'.")
    chk = _Checker(folder)
    ds = Dataset(path=str(folder))
    checks = {"sources": _check_sources, "nodes": _check_nodes, "relationships": _check_relationships,
              "figures": _check_figures}
    # File by file, each checked row by row as it is read: only the dataset is held, never
    # every raw row (sources before nodes before relationships: each refers to the ones before).
    for kind, fname in FILES.items():
        f = folder / fname
        rows: Iterable[tuple[int, dict]] = ()
        if not f.exists():
            if kind in REQUIRED_FILES:
                chk.add(fname, None, None, "file is missing", f"create {fname} with columns "
                        + ", ".join(COLUMNS[kind]))
        else:
            try:
                header, raw = iter_csv_rows(f, encoding)
            except ValidationError as err:
                chk.problems.extend(err.problems)
            else:
                if chk.header(fname, header, kind):
                    rows = ((r, chk.text_fields(fname, r, d)) for r, d in raw)
        checks[kind](chk, rows, ds)
    if chk.problems:
        raise ValidationError(chk.problems, str(folder))
    return ds


def _check_sources(chk: _Checker, rows, ds: Dataset) -> None:
    f = FILES["sources"]
    for r, d in rows:
        sid = d.get("id", "")
        if not sid:
            chk.add(f, r, "id", "no id", "give the source a short id")
            continue
        if not ID_RE.match(sid):
            chk.add(f, r, "id", f"{sid!r} is not a valid id", "use letters, digits, - _ . :")
        if sid in ds.sources:
            chk.add(f, r, "id", f"duplicate source id {sid!r}", "give each source its own id")
        if not d.get("title"):
            chk.add(f, r, "title", "no title", "give the document's title")
        ds.sources[sid] = d


def _check_nodes(chk: _Checker, rows, ds: Dataset) -> None:
    f = FILES["nodes"]
    first_row: dict[str, int] = {}
    for r, d in rows:
        nid, label = d.get("id", ""), d.get("label", "")
        if not nid:
            chk.add(f, r, "id", "no id", "give every node a stable id (letters, digits, - _ . :)")
        elif not ID_RE.match(nid):
            chk.add(f, r, "id", f"{nid!r} is not a valid id",
                    "use letters, digits, - _ . : (at most 200, starting with a letter or digit)")
        elif nid in first_row:
            chk.add(f, r, "id", f"duplicate id {nid!r} (first on row {first_row[nid]})",
                    "give each node its own id, or merge the two rows")
        if label not in model.LABELS:
            chk.add(f, r, "label", f"unknown label {label!r}" if label else "no label",
                    f"use one of: {', '.join(model.LABELS)}")
        if not d.get("name"):
            chk.add(f, r, "name", "no name", "give the Chinese name as the source writes it")
        elif MAX_NAME < len(d["name"]) <= MAX_FIELD:
            chk.add(f, r, "name", f"name is {len(d['name']):,} characters long (limit {MAX_NAME:,} for names)",
                    "shorten it; put the rest in description")
        kind = d.get("kind", "")
        if label == "Organization" and not kind:
            chk.add(f, r, "kind", "an Organization needs a kind", f"use one of: {', '.join(model.KINDS)}")
        elif kind and kind not in model.KINDS:
            chk.add(f, r, "kind", f"unknown kind {kind!r}", f"use one of: {', '.join(model.KINDS)}")
        elif kind and label != "Organization":
            chk.add(f, r, "kind", f"only an Organization has a kind (this is a {label})", "leave kind empty")
        chk.source(f, r, d.get("source", ""), ds.sources)
        node = {
            "id": nid,
            "label": intern(label),
            "name": d.get("name", ""),
            "name_en": d.get("name_en", ""),
            "kind": intern(kind),
            "region": intern(d.get("region", "")),
            "date": intern(chk.date(f, r, d.get("date", ""))),
            "date_note": d.get("date_note", ""),
            "status": d.get("status", ""),
            "aliases": split_list(d.get("aliases", "")),
            "description": d.get("description", ""),
            "source": intern(d.get("source", "")),
            "paragraphs": chk.paragraphs(f, r, d.get("paragraphs", "")),
        }
        syn = d.get("synthetic", "").lower()
        if syn in ("true", "1", "yes"):
            node["synthetic"] = True
        elif syn not in ("", "false", "0", "no"):
            chk.add(f, r, "synthetic", f"{syn!r} is not true or false", "write true or false")
        if nid and nid not in first_row:
            first_row[nid] = r
            ds.nodes[nid] = node
            node["_row"] = r
    for nid, node in ds.nodes.items():
        region = node["region"]
        if region and (region not in ds.nodes or ds.nodes[region]["label"] != "Region"):
            chk.add(f, node["_row"], "region", f"{region!r} is not the id of a Region node",
                    "use the id of a Region row, or leave it empty")
    for node in ds.nodes.values():
        node.pop("_row", None)


def _check_relationships(chk: _Checker, rows, ds: Dataset) -> None:
    f = FILES["relationships"]
    seen: dict[tuple, int] = {}
    for r, d in rows:
        start, rtype, end = d.get("start", ""), d.get("type", ""), d.get("end", "")
        ok = True
        for col, nid in (("start", start), ("end", end)):
            if not nid:
                chk.add(f, r, col, f"no {col} node", f"give the id of the {col} node")
                ok = False
            elif nid not in ds.nodes:
                chk.add(f, r, col, f"{nid!r} is not a node id in nodes.csv",
                        "add that node, or correct the id")
                ok = False
        if rtype not in model.REL_TYPES:
            chk.add(f, r, "type", f"unknown relationship type {rtype!r}" if rtype else "no type",
                    f"use one of: {', '.join(model.REL_TYPES)}")
            ok = False
        if ok:
            pair = (ds.nodes[start]["label"], ds.nodes[end]["label"])
            allowed = model.REL_TYPES[rtype].endpoints
            if pair not in allowed:
                chk.add(f, r, "type", f"{rtype} cannot go from a {pair[0]} to a {pair[1]}",
                        "allowed: " + ", ".join(f"{a}→{b}" for a, b in allowed))
            if start == end:
                chk.add(f, r, "end", "a relationship from a node to itself", "correct start or end")
        if ok:  # the node's own id strings: a million rows share them instead of copying
            start, end, rtype = ds.nodes[start]["id"], ds.nodes[end]["id"], intern(rtype)
        key = (start, rtype, end)
        if ok and key in seen:
            chk.add(f, r, "type", f"the same {rtype} from {start} to {end} is on row {seen[key]}",
                    "keep one row; put several paragraphs in one row separated by ;")
        seen.setdefault(key, r)
        chk.source(f, r, d.get("source", ""), ds.sources)
        rel = {
            "start": start,
            "type": rtype,
            "end": end,
            "role": intern(d.get("role", "")),
            "date": intern(chk.date(f, r, d.get("date", ""))),
            "date_note": d.get("date_note", ""),
            "status": intern(d.get("status", "")),
            "source": intern(d.get("source", "")),
            "paragraphs": chk.paragraphs(f, r, d.get("paragraphs", "")),
        }
        if ok:
            ds.relationships.append(rel)


def _check_figures(chk: _Checker, rows, ds: Dataset) -> None:
    f = FILES["figures"]
    seen: dict[tuple, int] = {}
    for r, d in rows:
        node, key, value = d.get("node", ""), d.get("key", ""), d.get("value", "")
        if node not in ds.nodes:
            chk.add(f, r, "node", f"{node!r} is not a node id in nodes.csv" if node else "no node",
                    "give the id of the node the figure describes")
        if not KEY_RE.match(key):
            chk.add(f, r, "key", f"{key!r} is not a property name" if key else "no key",
                    "use lower-case letters, digits and _ (e.g. party_members)")
        elif key in model.RESERVED_KEYS:
            chk.add(f, r, "key", f"{key!r} is a built-in property", "choose another name")
        elif (node, key) in seen:
            chk.add(f, r, "key", f"{node}.{key} is already given on row {seen[(node, key)]}", "keep one")
        seen.setdefault((node, key), r)
        number = _number(value)
        if number is None:
            chk.add(f, r, "value", f"{value!r} is not a number" if value else "no value",
                    "write the number only (e.g. 1200 with qualifier more_than for 1200余)")
        q = d.get("qualifier", "") or "exact"
        if q not in model.QUALIFIERS:
            chk.add(f, r, "qualifier", f"unknown qualifier {q!r}", f"use one of: {', '.join(model.QUALIFIERS)}")
        chk.source(f, r, d.get("source", ""), ds.sources)
        fig = {
            "node": node,
            "key": key,
            "value": number,
            "qualifier": q,
            "unit": d.get("unit", ""),
            "label_zh": d.get("label_zh", ""),
            "label_en": d.get("label_en", ""),
            "source": d.get("source", ""),
            "paragraphs": chk.paragraphs(f, r, d.get("paragraphs", "")),
        }
        ds.figures.append(fig)


# ---------------------------------------------------------------------------
# Writing a dataset (all files or none)


def _fmt(value) -> str:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if value is True:
        return "true"
    if value is None:
        return ""
    return str(value)


def write_dataset(ds: Dataset, out: str | os.PathLike, *, overwrite: bool = False,
                  extra: dict[str, str] | None = None) -> Path:
    """Write ``ds`` as a dataset folder, atomically: a complete folder or nothing.

    ``extra`` adds files by name (the import's ``skipped.csv``) to the same
    folder. An existing folder is replaced only with ``overwrite`` and only if
    it holds nothing but dataset files (:func:`alliances.files.replace_folder`).
    """
    from alliances.files import replace_folder

    def fill(tmp: Path) -> None:
        tables = {
            "sources": list(ds.sources.values()),
            "nodes": list(ds.nodes.values()),
            "relationships": ds.relationships,
            "figures": ds.figures,
        }
        for kind, rows in tables.items():
            cols = list(COLUMNS[kind])
            if kind == "nodes" and any(r.get("synthetic") for r in rows):
                cols.append("synthetic")
            with open(tmp / FILES[kind], "w", encoding="utf-8", newline="") as fh:
                w = CsvWriter(fh)  # formula-guarded, every line break quoted
                w.writeheader(cols)
                for row in rows:
                    w.writerow([_fmt(row.get(c, "")) for c in cols])
        for name, text in (extra or {}).items():
            (tmp / name).write_text(text, encoding="utf-8", newline="")

    return replace_folder(out, fill, overwrite=overwrite)
