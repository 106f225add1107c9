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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from sys import intern

from alliances import model
from alliances.cells import CsvWriter
from alliances.chars import KIND_TEXT, SUSPECT_RE, describe, hidden_characters
from alliances.errors import DataError, Problem, ValidationError, problem

FILES = {
    "sources": "sources.csv",
    "nodes": "nodes.csv",
    "relationships": "relationships.csv",
    "figures": "figures.csv",
}
REQUIRED_FILES = ("sources", "nodes", "relationships")
REGISTRY_FILE = "registry.csv"  # optional: the registry (alliances.registry.records)
COLUMNS = {
    "sources": [p.name for p in model.SOURCE_PROPS if p.name != "imported"],
    "nodes": [p.name for p in model.NODE_PROPS if p.name not in ("synthetic", "credit_code")],
    "relationships": [p.name for p in model.REL_PROPS],
    "figures": [p.name for p in model.FIGURE_PROPS],
}
_PROVENANCE = [p.name for p in model.PROVENANCE_PROPS]
# Written only when a row has them: generated data, and where an imported fact came from.
_ENDED = [p.name for p in model.END_PROPS]
OPTIONAL_COLUMNS = {"nodes": ["synthetic", "credit_code", *_ENDED, *_PROVENANCE],
                    "relationships": [*(p.name for p in model.TIE_PROPS), *_ENDED, *_PROVENANCE],
                    "figures": _PROVENANCE,
                    "sources": ["imported"]}

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,199}$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)
MAX_FIELD = 10_000
# Names are indexed in Neo4j, whose index keys hold at most 8,167 bytes: 1,000
# characters is at most 4,000 bytes of UTF-8, and far longer than any real name.
MAX_NAME = 1_000
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
    # registry.csv: the enterprises and social organisations of the place (alliances.registry)
    registry: list[dict] = field(default_factory=list)

    def node_properties(self, node_id: str) -> dict:
        """The node's properties with its figures folded in as properties."""
        props = {k: v for k, v in self.nodes[node_id].items() if v not in (None, "", [])}
        for fig in self.figures:
            if fig["node"] == node_id:
                props[fig["key"]] = fig["value"]
        return props

    def figures_of(self, node_id: str) -> list[dict]:
        return [f for f in self.figures if f["node"] == node_id]

    # What questions about a few nodes read. A snapshot's dataset (alliances.snapshot) answers
    # these from its columns without turning every row into a dict; here they read the dicts.

    def node_ids(self) -> list[str]:
        return list(self.nodes)

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def has_node(self, nid) -> bool:
        return nid in self.nodes

    def node(self, nid: str) -> dict:
        return self.nodes[nid]

    def relationship(self, i: int) -> dict:
        return self.relationships[i]

    def ties_of(self, nid: str) -> list[dict]:
        """The relationships that start or end at ``nid``, in the dataset's order."""
        return [r for r in self.relationships if r["start"] == nid or r["end"] == nid]

    def ids_with_labels(self, labels) -> list[str]:
        labels = set(labels)
        return [n for n, d in self.nodes.items() if d["label"] in labels]

    def relationships_of_types(self, types) -> list[dict]:
        types = set(types)
        return [r for r in self.relationships if r["type"] in types]

    def in_order(self, ids) -> list[str]:
        """``ids`` in the dataset's node order."""
        ids = set(ids)
        return [n for n in self.nodes if n in ids]

    def graph_arrays(self):
        """Precomputed ``(ids, labels, src, dst, types, weight)`` arrays, or ``None`` (a snapshot has them)."""
        return None

    def names_spread(self, labels, most: int) -> list:
        """The names of about ``most`` nodes with these labels (of all nodes when none has them),
        evenly spread in node order: every ``len // most``-th."""
        ids = self.ids_with_labels(labels) or self.node_ids()
        return [self.node(n).get("name") for n in ids[::max(1, len(ids) // most)]]

    def edge_arrays(self):
        """Precomputed ``(src, dst, types)`` arrays, or ``None`` (a snapshot has them)."""
        return None

    def partnership_csr(self):
        """The precomputed partnership CSR (:mod:`alliances.adjacency`), or ``None`` (a snapshot has it)."""
        return None

    def position(self, nid) -> int | None:
        """``nid``'s place in the node order (``None``: no such node)."""
        if "_positions" not in self.__dict__:
            self.__dict__["_positions"] = {n: i for i, n in enumerate(self.nodes)}
        return self.__dict__["_positions"].get(nid)

    def node_id(self, i: int) -> str:
        """The id of the ``i``-th node."""
        if "_ids" not in self.__dict__:
            self.__dict__["_ids"] = list(self.nodes)
        return self.__dict__["_ids"][i]

    def region_groups(self, level: str):
        """Precomputed region groups at ``level``, or ``None``."""
        return None

    def region_table(self, level: str):
        """The precomputed region table at ``level``, or ``None``."""
        return None

    def find(self, text: str):
        """The id :func:`alliances.resolve.resolve` gives ``text`` from a precomputed index, or ``None``."""
        return None

    def search_ids(self, text: str, limit: int = 50):
        """:func:`alliances.resolve.search` from a precomputed index, or ``None``."""
        return None

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        labels: dict[str, int] = {}
        for n in self.nodes.values():
            labels[n["label"]] = labels.get(n["label"], 0) + 1
        types: dict[str, int] = {}
        for r in self.relationships:
            types[r["type"]] = types.get(r["type"], 0) + 1
        return labels, types


def provenance_text(fact: dict, sources: dict[str, dict]) -> str:
    """Where a node, relationship or figure is stated, in one line.

    A document cited by paragraph: ``zigong-2022 ¶3, ¶4``. A row of an
    imported file (no source document named): ``book.xlsx, sheet 组织, row 5
    (imported 2026-12-01)``. Used by ``show``, map tooltips and reports.

    >>> provenance_text({"source": "s1", "paragraphs": [3, 4]}, {})
    's1 ¶3, ¶4'
    >>> provenance_text({"source": "import-1", "source_sheet": "组织", "source_row": 5, "paragraphs": []},
    ...                 {"import-1": {"file": "book.xlsx", "imported": "2026-12-01"}})
    'book.xlsx, sheet 组织, row 5 (imported 2026-12-01)'
    """
    sid = fact.get("source", "") or ""
    paras = fact.get("paragraphs") or []
    if fact.get("source_row"):
        src = sources.get(sid, {})
        parts = [src.get("file") or src.get("title") or sid]
        if fact.get("source_sheet"):
            parts.append(f"sheet {fact['source_sheet']}")
        parts.append(f"row {fact['source_row']}")
        text = ", ".join(parts)
        if src.get("imported"):
            text += f" (imported {src['imported']})"
        if paras:
            text += " " + ", ".join(f"¶{p}" for p in paras)
        return text
    return f"{sid} {', '.join(f'¶{p}' for p in paras)}".strip()


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
        raise ValidationError([problem("file_empty", where)])
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
            raise ValidationError([problem("broken_quoting", where, count + 1, error=str(err), line=line)]) from err
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
# Field parsing


def _clean(value: str) -> str:
    return value.strip() if isinstance(value, str) else value


def split_list(value: str) -> list[str]:
    if not value:
        return []
    parts = value.split(";") if "；" not in value else re.split(r"[;；]", value)
    return [p.strip() for p in parts if p.strip()]


def parse_date(value: str) -> str | None:
    """Validate ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; return it or None."""
    return value if date_problem(value) is None else None


def date_problem(value: str) -> tuple[str, str] | None:
    """Why ``value`` is not a date we accept, in English and Chinese (``""`` when it is not date-shaped), or None."""
    import datetime

    m = DATE_RE.match(value)
    if not m:
        loose = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", value, re.ASCII)
        if loose:
            return (": write month and day with two digits, e.g. 2021-02-03",
                    "（月和日写两位数，如 2021-02-03）")
        return "", ""
    year, month, day = m.group(1), m.group(2), m.group(3)
    if not 1900 <= int(year) <= 2100:
        return f": the year {int(year)} is outside 1900–2100", f"（年份 {int(year)} 不在 1900—2100 之间）"
    if month and not 1 <= int(month) <= 12:
        return f": month {int(month)} does not exist", f"（没有 {int(month)} 月）"
    if day:
        try:
            datetime.date(int(year), int(month), int(day))
        except ValueError:
            return (f": {year}-{month} has no day {int(day)}",
                    f"（{int(year)} 年 {int(month)} 月没有 {int(day)} 日）")
    return None


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


def model_required(kind: str, column: str) -> bool:
    props = {
        "sources": model.SOURCE_PROPS,
        "nodes": model.NODE_PROPS,
        "relationships": model.REL_PROPS,
        "figures": model.FIGURE_PROPS,
    }[kind]
    return any(p.name == column and p.required for p in props)


# ---------------------------------------------------------------------------
# Checking records: one set of checks for every reader


@dataclass(slots=True)
class Record:
    """One row of a table as the checks see it, with where it came from.

    ``kind`` is ``sources``, ``nodes``, ``relationships`` or ``figures``;
    ``data`` maps field names (``model.*_PROPS``) to cleaned text. ``file``,
    ``sheet`` and ``row`` locate it (row 1 is the header). ``derived_id`` marks
    a node whose id was made from its label and name (messages then show its
    name); ``written`` holds cells as the planner wrote them where cleaning
    changed them (``2021年13月`` for ``2021-13``), for messages. ``reported``
    names fields a reader already reported a problem on: the checks leave
    them alone (no second, knock-on problem).
    """

    kind: str
    data: dict
    file: str
    row: int | None = None
    sheet: str | None = None
    derived_id: bool = False
    written: dict | None = None
    reported: frozenset = frozenset()


#: The order records must come in: each kind may refer to the kinds before it.
KIND_ORDER = ("sources", "nodes", "relationships", "figures")

#: Checks of optional fields other modules add (e.g. a registry's credit codes), run on every
#: record that has the field: ``(kind, field) → check(checker, rec, value)``. A check reports
#: with ``checker.add(code, rec, field, **params)`` (its code in :data:`alliances.errors.MESSAGES`)
#: and returns the value to keep on the fact, or None to keep nothing. Add the field to
#: ``OPTIONAL_COLUMNS`` too, so dataset folders may hold it.
FIELD_CHECKS: dict[tuple[str, str], Callable] = {}


def _check_credit_code(chk: "RecordChecker", rec: "Record", value: str) -> str | None:
    """An Organization's unified social credit code (GB 32100-2015), normalised; see :mod:`alliances.registry`."""
    from alliances.registry import creditcode

    label = rec.data.get("label", "")
    code = creditcode.normalize(value)
    if label != "Organization" and label in model.LABELS:
        chk.add("credit_code_not_allowed", rec, "credit_code", label=label, label_zh=model.LABELS[label].zh)
        return None
    wrong = creditcode.problem(code)
    if wrong:
        chk.add("bad_credit_code", rec, "credit_code", value=code, why=wrong, why_zh=creditcode.problem_zh(code))
        return None
    return code


FIELD_CHECKS[("nodes", "credit_code")] = _check_credit_code


def _check_weight(chk: "RecordChecker", rec: "Record", value: str) -> int | float | None:
    """A relationship's ``weight``: a positive, finite number."""
    number = _number(value)
    if number is None or number <= 0:
        chk.add("bad_weight", rec, "weight", value=value)
        return None
    return number


def _check_count(chk: "RecordChecker", rec: "Record", value: str) -> int | None:
    """A relationship's ``count``: a positive whole number."""
    number = _number(value)
    if not isinstance(number, int) or number < 1:
        chk.add("bad_count", rec, "count", value=value)
        return None
    return number


def _check_ended(chk: "RecordChecker", rec: "Record", value: str) -> str | None:
    """When a node or relationship stopped holding: a date, not before its ``date``."""
    why = date_problem(value)
    if why is not None:
        chk.add("bad_date", rec, "ended", value=value, reason=why[0], reason_zh=why[1])
        return None
    began = rec.data.get("date", "")
    if began and date_problem(began) is None and date_end(value) < date_end(began):
        chk.add("ended_before_date", rec, "ended", value=value, date=began)
        return None
    return value


FIELD_CHECKS[("nodes", "ended")] = _check_ended
FIELD_CHECKS[("relationships", "ended")] = _check_ended
FIELD_CHECKS[("relationships", "weight")] = _check_weight
FIELD_CHECKS[("relationships", "count")] = _check_count
_SUGGESTIONS_CAP = 200  # fuzzy "did you mean" look-ups per run: bounded work on a million bad rows


class RecordChecker:
    """The checks every record goes through, whichever file, sheet or reader it came from.

    Feed records with :meth:`check` in :data:`KIND_ORDER` (sources, then
    nodes, relationships, figures; rows in file order); then :meth:`finish`.
    Problems go to ``problems`` as coded :class:`~alliances.errors.Problem`
    objects, each located at its record. Rows with a problem are left out of
    ``dataset``; a row that refers to one of them is not reported again
    (no knock-on problems) — unless ``skip_invalid``, where it is skipped too
    and says so (``refers_to_skipped``).

    ``names=True`` (the importer) means references may also have been written
    as names: an unknown one is reported as "not the id, name or alias of a
    node", with did-you-mean candidates among names.

    Work is linear in the number of records: each check looks at its own
    record and at dictionaries keyed by id, never at the problem list.

    >>> chk = RecordChecker()
    >>> chk.check(Record("sources", {"id": "s1", "title": "t"}, "sources.csv", 2))
    >>> chk.check(Record("nodes", {"id": "a", "label": "Region", "name": "甲", "source": "s1",
    ...                            "paragraphs": "x"}, "nodes.csv", 2))
    >>> [p.code for p in chk.finish()]
    ['bad_paragraph']
    """

    def __init__(self, *, names: bool = False, skip_invalid: bool = False, path: str = ""):
        self.names = names
        self.skip_invalid = skip_invalid
        self.problems: list[Problem] = []
        self.dataset = Dataset(path=path)
        self._count = 0  # problems of the record being checked
        # where things were first seen, as one int each (table << 32 | row): a million rows hold
        # no more than their ids and a number, never their records
        self._tables: list[tuple[str, str | None]] = []
        self._table_ids: dict[tuple[str, str | None], int] = {}
        self._node_at: dict[str, int] = {}  # first row of every node id, valid or not
        self._failed_nodes: dict[str, Record] = {}
        self._failed_sources: dict[str, Record] = {}
        self._derived: set[str] = set()
        self._rel_at: dict[tuple, int] = {}
        self._fig_at: dict[tuple, int] = {}
        self._suggested = 0
        self._nodes_done = False
        self._names_index: list[str] | None = None
        #: kinds whose table could not be read at all (a broken file): references to them are not checked
        self.unread: dict[str, bool] = {}
        self._checks = {"sources": self._check_sources, "nodes": self._check_nodes,
                        "relationships": self._check_relationships, "figures": self._check_figures}

    # -- reporting ------------------------------------------------------

    def add(self, code: str, rec: Record, fld: str | None = None, /, **params) -> None:
        """Report ``code`` at ``rec`` (its file, sheet and row) and column ``fld``."""
        self.problems.append(problem(code, rec.file, rec.row, fld, sheet=rec.sheet, **params))
        self._count += 1

    def _loc(self, rec: Record) -> int:
        key = (rec.file, rec.sheet)
        idx = self._table_ids.get(key)
        if idx is None:
            idx = self._table_ids[key] = len(self._tables)
            self._tables.append(key)
        return (idx << 32) | (rec.row or 0)

    def _at(self, loc: int, kind: str) -> Record:
        """A bare record standing for the row at ``loc`` (for locating a message)."""
        file, sheet = self._tables[loc >> 32]
        return Record(kind, {}, file, (loc & 0xFFFFFFFF) or None, sheet)

    def _where(self, rec: Record, other: Record | int) -> tuple[str, str]:
        """``row 4`` (same table) or ``row 4 of sheet 组织 Organization`` / ``row 4 of nodes.csv``."""
        if isinstance(other, int):
            other = self._at(other, rec.kind)
        if (other.file, other.sheet) == (rec.file, rec.sheet):
            return f"row {other.row}", f"第 {other.row} 行"
        if other.sheet and other.file == rec.file:
            return f"row {other.row} of sheet {other.sheet}", f"工作表“{other.sheet}”第 {other.row} 行"
        name = Path(other.file).name + (f", sheet {other.sheet}" if other.sheet else "")
        return f"row {other.row} of {name}", f"{name} 第 {other.row} 行"

    def display(self, nid: str) -> str:
        """How a message names a node: its id, or its name when the id was generated."""
        if nid in self._derived:
            node = self.dataset.nodes.get(nid)
            rec = self._failed_nodes.get(nid)
            name = node["name"] if node is not None else (rec.data.get("name") if rec is not None else "")
            if name:
                return name
        return nid

    def _suggest(self, value: str, choices) -> list[str]:
        if self._suggested >= _SUGGESTIONS_CAP or not value:
            return []
        self._suggested += 1
        from alliances.resolve import suggest

        return suggest(value, choices)

    # -- the checks -------------------------------------------------------

    def check(self, rec: Record) -> None:
        """Check one record and, when it has no problem, add it to ``dataset``."""
        self._count = 0
        kind = rec.kind
        if kind != "nodes" and kind != "sources" and not self._nodes_done:
            self.finish_nodes()
        d = self._cells(rec)
        self._checks[kind](rec, d, bool(rec.reported))

    def _cells(self, rec: Record) -> dict:
        out = {}
        for k, v in rec.data.items():
            out[k] = v.strip() if v.__class__ is str else ("" if v is None else str(v).strip())
        # one look at the whole row for the rare long or control-character cell, then find it
        joined = "".join(out.values())
        if len(joined) > MAX_FIELD:
            for k, v in out.items():
                if len(v) > MAX_FIELD:
                    self.add("value_too_long", rec, k, length=len(v), limit=MAX_FIELD)
                    out[k] = v[:MAX_FIELD]
        if SUSPECT_RE.search(joined):  # control, bidirectional and invisible characters, with their place
            for k, v in out.items():
                self._hidden(rec, k, v)
        return out

    def _hidden(self, rec: Record, column: str, value: str) -> None:
        found = hidden_characters(value)
        if not found:
            return
        controls = [f for f in found if f[1] != "\t" and f[2] == "control"]
        others = [f for f in found if f[2] != "control"]
        if controls:
            pos, ch, _ = controls[0]
            more = f", and {len(controls) - 1} more" if len(controls) > 1 else ""
            self.add("control_characters", rec, column, at=f" ({describe(ch)} at character {pos}{more})",
                     at_zh=f"（第 {pos} 个字符 {describe(ch)}{'等 ' + str(len(controls)) + ' 个' if more else ''}）")
        if others:
            pos, ch, kind = others[0]
            n = len(others) - 1
            self.add("hidden_character", rec, column, position=pos, character=describe(ch),
                     kind=KIND_TEXT[kind][0], kind_zh=KIND_TEXT[kind][1],
                     more=f" (and {n} more such character{'s' if n > 1 else ''})" if n else "",
                     more_zh=f"（另有 {n} 个）" if n else "")

    def _free(self, rec: Record, column: str) -> bool:
        return column not in rec.reported

    def _check_sources(self, rec: Record, d: dict, failed_before: bool) -> None:
        ds = self.dataset
        sid = d.get("id", "")
        if not sid:
            self.add("no_id", rec, "id")
            return
        if not ID_RE.match(sid):
            self.add("invalid_id", rec, "id", value=sid)
        if sid in ds.sources or sid in self._failed_sources:
            self.add("duplicate_source_id", rec, "id", value=sid)
        if not d.get("title"):
            self.add("no_title", rec, "title")
        if d.get("imported"):
            self._date(rec, d, "imported")
        if self._count or failed_before:
            self._failed_sources.setdefault(sid, rec)
        else:
            src = {k: d.get(k, "") for k in COLUMNS["sources"]}
            if d.get("imported"):
                src["imported"] = d["imported"]
            ds.sources[sid] = src

    def _check_nodes(self, rec: Record, d: dict, failed_before: bool) -> None:
        ds = self.dataset
        nid, label = d.get("id", ""), d.get("label", "")
        first = self._node_at.get(nid) if nid else None
        if self._free(rec, "id"):
            if not nid:
                self.add("no_id", rec, "id")
            elif not ID_RE.match(nid):
                self.add("invalid_id", rec, "id", value=nid)
            elif first is not None:
                where, where_zh = self._where(rec, first)
                names, names_zh = "", ""
                if rec.derived_id:
                    names = (f": both rows are {d.get('name', '')!r} {label} with no id "
                             "(the id is made from label and name)")
                    names_zh = f"：两行都是未填编号的“{d.get('name', '')}”"
                self.add("duplicate_id", rec, "id", value=nid, first=where, first_zh=where_zh,
                         names=names, names_zh=names_zh)
        label_ok = label in model.LABELS
        if self._free(rec, "label") and not label_ok:
            if label:
                self.add("unknown_label", rec, "label", value=label, choices=", ".join(model.LABELS),
                         suggestions=self._code_hints("label", label))
            else:
                self.add("no_label", rec, "label", choices=", ".join(model.LABELS))
        name = d.get("name", "")
        if self._free(rec, "name"):
            if not name:
                self.add("no_name", rec, "name")
            elif MAX_NAME < len(name) <= MAX_FIELD:
                self.add("name_too_long", rec, "name", length=len(name), limit=MAX_NAME)
        kind = d.get("kind", "")
        if self._free(rec, "kind"):
            if label == "Organization" and not kind:
                self.add("kind_required", rec, "kind", choices=", ".join(model.KINDS))
            elif kind and kind not in ((label_ok and model.kinds_for(label)) or model.KINDS):
                allowed = (label_ok and model.kinds_for(label)) or model.KINDS
                self.add("unknown_kind", rec, "kind", value=kind, choices=", ".join(allowed),
                         suggestions=self._code_hints("kind", kind))
            elif kind and label_ok and not model.kinds_for(label):
                self.add("kind_not_allowed", rec, "kind", label=label, label_zh=model.LABELS[label].zh)
        node = {
            "id": nid,
            "label": intern(label),
            "name": name,
            "name_en": d.get("name_en", ""),
            "kind": intern(kind),
            "region": intern(d.get("region", "")),
            "date": intern(self._date(rec, d, "date")) if d.get("date") else "",
            "date_note": d.get("date_note", ""),
            "status": d.get("status", ""),
            "aliases": split_list(d.get("aliases", "")),
            "description": d.get("description", ""),
        }
        self._citation(rec, d, node)
        syn = d.get("synthetic", "").lower()
        if syn in ("true", "1", "yes"):
            node["synthetic"] = True
        elif syn not in ("", "false", "0", "no"):
            self.add("not_boolean", rec, "synthetic", value=syn)
        if FIELD_CHECKS:
            self._extra(rec, d, node)
        if not nid or first is not None:
            return
        self._node_at[nid] = self._loc(rec)
        if rec.derived_id:
            self._derived.add(nid)
        if self._count or failed_before:
            self._failed_nodes[nid] = rec
        else:
            ds.nodes[nid] = node

    def finish_nodes(self) -> None:
        """Check the ``region`` of every node (a Region anywhere in the table); called once, after the last node."""
        if self._nodes_done:
            return
        self._nodes_done = True
        ds = self.dataset
        changed = True
        while changed:  # a node placed in a skipped region is skipped, and so on down
            changed = False
            for nid, node in list(ds.nodes.items()):
                region = node["region"]
                if not region:
                    continue
                rec = self._at(self._node_at[nid], "nodes")
                if region in ds.nodes and ds.nodes[region]["label"] == "Region":
                    continue
                if region in self._failed_nodes:
                    if not self.skip_invalid:
                        continue
                    self._count = 0
                    self._skipped_ref(rec, "region", region)
                else:
                    self.add("region_not_region", rec, "region", value=region)
                del ds.nodes[nid]
                self._failed_nodes[nid] = rec
                changed = True

    def _skipped_ref(self, rec: Record, column: str, ref: str) -> None:
        other = self._failed_nodes.get(ref) or self._failed_sources.get(ref)
        where = self._where(rec, other)[0] if other is not None else ""
        self.add("refers_to_skipped", rec, column, value=self.display(ref), where=where)

    def _node_ref(self, rec: Record, column: str, nid: str) -> bool:
        """Whether ``nid`` (a start, end or figure node) is a usable node; reports it when not."""
        ds = self.dataset
        if nid in ds.nodes:
            return True
        if not self._free(rec, column):
            return False
        if not nid:
            if column == "node":
                self.add("no_node", rec, column)
            else:
                self.add("no_endpoint", rec, column, column=column, column_zh="起点" if column == "start" else "终点")
        elif self.unread.get("nodes"):
            self._count += 1  # the nodes table could not be read: its problem is reported, not each reference
        elif nid in self._failed_nodes:
            if self.skip_invalid:
                self._skipped_ref(rec, column, nid)
            else:
                self._count += 1  # not usable, and already reported on its own row
        elif self.names:
            self.add("unknown_node_name", rec, column, value=nid, suggestions=self._suggest(nid, self._all_names()))
        else:
            self.add("unknown_node", rec, column, value=nid, suggestions=self._suggest(nid, ds.nodes))
        return False

    def _all_names(self) -> list[str]:
        """Every name, English name, alias and (typed) id, for did-you-mean on a reference."""
        if self._names_index is None:
            names = []
            for nid, n in self.dataset.nodes.items():
                names += [n["name"], n["name_en"], *n["aliases"]]
                if nid not in self._derived:
                    names.append(nid)
            for nid, rec in self._failed_nodes.items():
                d = rec.data
                names += [d.get("name", ""), d.get("name_en", ""), *split_list(d.get("aliases", ""))]
                if nid not in self._derived:
                    names.append(nid)
            self._names_index = [n for n in names if n]
        return self._names_index

    def _code_hints(self, fld: str, value: str) -> list[str]:
        hits = self._suggest(value, model.name_choices(fld))
        out = []
        for h in hits:
            code = model.find_code(fld, h)
            text = f"{code} ({model.code_names(fld)[code][0]})" if code else h
            if text not in out:
                out.append(text)
        return out

    def _check_relationships(self, rec: Record, d: dict, failed_before: bool) -> None:
        ds = self.dataset
        start, rtype, end = d.get("start", ""), d.get("type", ""), d.get("end", "")
        nodes = ds.nodes
        a_node, b_node = nodes.get(start), nodes.get(end)
        ok = a_node is not None or self._node_ref(rec, "start", start)
        ok = (b_node is not None or self._node_ref(rec, "end", end)) and ok
        if rtype not in model.REL_TYPES:
            if self._free(rec, "type"):
                if rtype:
                    self.add("unknown_type", rec, "type", value=rtype, choices=", ".join(model.REL_TYPES),
                             suggestions=self._code_hints("type", rtype))
                else:
                    self.add("no_type", rec, "type", choices=", ".join(model.REL_TYPES))
            ok = False
        if ok:
            a, b = a_node["label"], b_node["label"]
            allowed = model.REL_TYPES[rtype].endpoints
            if (a, b) not in allowed:
                self.add("wrong_endpoints", rec, "type", type=rtype, start_label=a, end_label=b,
                         start_zh=model.LABELS[a].zh, end_zh=model.LABELS[b].zh,
                         allowed=", ".join(f"{x}→{y}" for x, y in allowed))
            if start == end:
                self.add("self_loop", rec, "end")
            # the node's own id strings: a million rows share them instead of copying
            start, end, rtype = a_node["id"], b_node["id"], intern(rtype)
            key = (start, rtype, end)
            first = self._rel_at.get(key)
            if first is not None:
                where, where_zh = self._where(rec, first)
                self.add("duplicate_relationship", rec, "type", type=rtype, start=self.display(start),
                         end=self.display(end), first=where, first_zh=where_zh)
            else:
                self._rel_at[key] = self._loc(rec)
        rel = {
            "start": start,
            "type": rtype,
            "end": end,
            "role": intern(d.get("role", "")),
            "date": intern(self._date(rec, d, "date")) if d.get("date") else "",
            "date_note": d.get("date_note", ""),
            "status": intern(d.get("status", "")),
        }
        self._citation(rec, d, rel)
        if FIELD_CHECKS:
            self._extra(rec, d, rel)
        if ok and not self._count and not failed_before:
            ds.relationships.append(rel)

    def _check_figures(self, rec: Record, d: dict, failed_before: bool) -> None:
        ds = self.dataset
        node, key, value = d.get("node", ""), d.get("key", ""), d.get("value", "")
        self._node_ref(rec, "node", node)
        if self._free(rec, "key"):
            if not KEY_RE.match(key):
                if key:
                    self.add("bad_key", rec, "key", value=key)
                else:
                    self.add("no_key", rec, "key")
            elif key in model.RESERVED_KEYS:
                self.add("reserved_key", rec, "key", value=key)
            elif (node, key) in self._fig_at:
                where, where_zh = self._where(rec, self._fig_at[(node, key)])
                self.add("duplicate_figure", rec, "key", node=self.display(node), key=key, first=where,
                         first_zh=where_zh)
            else:
                self._fig_at[(node, key)] = self._loc(rec)
        number = _number(value)
        if number is None and self._free(rec, "value"):
            if value:
                self.add("not_a_number", rec, "value", value=value)
            else:
                self.add("no_value", rec, "value")
        q = d.get("qualifier", "") or "exact"
        if q not in model.QUALIFIERS and self._free(rec, "qualifier"):
            self.add("unknown_qualifier", rec, "qualifier", value=q, choices=", ".join(model.QUALIFIERS),
                     suggestions=self._code_hints("qualifier", q))
        fig = {
            "node": node,
            "key": key,
            "value": number,
            "qualifier": q,
            "unit": d.get("unit", ""),
            "label_zh": d.get("label_zh", ""),
            "label_en": d.get("label_en", ""),
        }
        self._citation(rec, d, fig)
        if FIELD_CHECKS:
            self._extra(rec, d, fig)
        if not self._count and not failed_before:
            ds.figures.append(fig)

    def _extra(self, rec: Record, d: dict, fact: dict) -> None:
        if not FIELD_CHECKS:
            return
        for fld, value in d.items():
            check = FIELD_CHECKS.get((rec.kind, fld))
            if check is not None and value and self._free(rec, fld):
                kept = check(self, rec, value)
                if kept is not None:
                    fact[fld] = kept

    def _citation(self, rec: Record, d: dict, out: dict) -> None:
        """Into ``out``: ``source`` and where in it (``paragraphs`` of a document, or ``source_sheet``/``source_row``)."""
        sources = self.dataset.sources
        sid = d.get("source", "")
        if sid not in sources and self._free(rec, "source"):
            if not sid:
                self.add("no_source", rec, "source")
            elif self.unread.get("sources"):
                self._count += 1
            elif sid in self._failed_sources:
                if self.skip_invalid:
                    self._skipped_ref(rec, "source", sid)
                else:
                    self._count += 1
            else:
                self.add("unknown_source", rec, "source", value=sid,
                         choices=", ".join(sorted(sources)) or "(sources.csv is empty)",
                         suggestions=self._suggest(sid, sources))
        out["source"] = intern(sid)
        out["paragraphs"] = paras = []
        row_ref = d.get("source_row", "")
        if row_ref:
            if row_ref.isascii() and row_ref.isdigit() and int(row_ref) >= 1:
                out["source_sheet"] = d.get("source_sheet", "")
                out["source_row"] = int(row_ref)
            else:
                self.add("bad_row_ref", rec, "source_row", value=row_ref)
        bad = False
        for part in split_list(d.get("paragraphs", "")):
            if not (part.isascii() and part.isdigit()) or int(part) < 1:
                self.add("bad_paragraph", rec, "paragraphs", value=part)
                bad = True
            else:
                paras.append(int(part))
        if not paras and not bad and not row_ref and self._free(rec, "paragraphs"):
            self.add("no_paragraph", rec, "paragraphs")

    def _date(self, rec: Record, d: dict, column: str) -> str:
        value = d.get(column, "")
        if not value:
            return ""
        why = date_problem(value)
        if why is None:
            return value
        reason, reason_zh = why
        written = (rec.written or {}).get(column)
        if written and written != value:
            reason += f" (written {written!r})"
            reason_zh += f"（原文 {written!r}）"
        if self._free(rec, column):
            self.add("bad_date", rec, column, value=value, reason=reason, reason_zh=reason_zh)
        return ""

    def finish(self) -> list[Problem]:
        """Complete the checks that need every record; return all problems found."""
        self.finish_nodes()
        return self.problems

    def failed(self) -> bool:
        """Whether the record just checked had a problem."""
        return bool(self._count)


def check_header(file: str, header: list[str], kind: str) -> tuple[list[Problem], bool]:
    """A dataset CSV's header row: its problems, and whether its rows can be read."""
    expected = COLUMNS[kind]
    allowed = set(expected) | set(OPTIONAL_COLUMNS.get(kind, []))
    out = []
    missing = [c for c in expected if c not in header and model_required(kind, c)]
    zh = {p.name: p.zh for p in _props(kind)}
    for c in missing:
        out.append(problem("missing_column", file, 1, c, column=c, zh=zh.get(c, c)))
    for c in header:
        if c not in allowed:
            from alliances.resolve import suggest

            out.append(problem("unknown_column", file, 1, c or "(blank)", shown=repr(c) if c else "(a blank header cell)",
                               columns=", ".join(expected), suggestions=suggest(c, sorted(allowed)) if c else []))
    for c in sorted({c for c in header if header.count(c) > 1}):
        out.append(problem("duplicate_column", file, 1, c))
    return out, not missing and not any(p.code == "duplicate_column" for p in out)


def _props(kind: str) -> tuple:
    return {"sources": model.SOURCE_PROPS, "nodes": model.NODE_PROPS, "relationships": model.REL_PROPS,
            "figures": model.FIGURE_PROPS}[kind] + (() if kind == "sources" else model.PROVENANCE_PROPS)


# ---------------------------------------------------------------------------
# Reading a dataset


def read_dataset(path: str | os.PathLike | None = None, encoding: str | None = None) -> Dataset:
    """Read and check a dataset folder (the bundled one when ``path`` is None).

    Every row goes through :class:`RecordChecker`, the checks the importer
    uses too.

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
    chk = RecordChecker(path=str(folder))
    # File by file, each checked row by row as it is read: only the dataset is held, never
    # every raw row (sources before nodes before relationships: each refers to the ones before).
    for kind, fname in FILES.items():
        f = folder / fname
        where = str(f)
        if kind == "relationships":
            chk.finish_nodes()
        if not f.exists():
            if kind in REQUIRED_FILES:
                chk.problems.append(problem("file_missing", where, name=fname, columns=", ".join(COLUMNS[kind])))
                chk.unread[kind] = True
            continue
        try:
            header, raw = iter_csv_rows(f, encoding)
        except ValidationError as err:
            chk.problems.extend(err.problems)
            chk.unread[kind] = True
            continue
        found, readable = check_header(where, header, kind)
        chk.problems.extend(found)
        if not readable:
            chk.unread[kind] = True
            continue
        for r, d in raw:
            extra = d.pop("__extra__", None)
            if extra is not None:
                chk.problems.append(problem("extra_values", where, r, count=len(extra)))
            chk.check(Record(kind, d, where, r))
    chk.finish()
    if not chk.problems and (folder / REGISTRY_FILE).exists():
        from alliances.registry.records import read_registry_file

        chk.problems.extend(read_registry_file(folder / REGISTRY_FILE, chk.dataset, encoding))
    if chk.problems:
        raise ValidationError(chk.problems, str(folder))
    return chk.dataset


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
            cols += [c for c in OPTIONAL_COLUMNS.get(kind, []) if any(r.get(c) for r in rows)]
            with open(tmp / FILES[kind], "w", encoding="utf-8", newline="") as fh:
                w = CsvWriter(fh)  # formula-guarded, every line break quoted
                w.writeheader(cols)
                for row in rows:
                    w.writerow([_fmt(row.get(c, "")) for c in cols])
        if ds.registry:
            from alliances.registry.records import registry_csv_text

            (tmp / REGISTRY_FILE).write_text(registry_csv_text(ds.registry), encoding="utf-8", newline="")
        for name, text in (extra or {}).items():
            (tmp / name).write_text(text, encoding="utf-8", newline="")

    return replace_folder(out, fill, overwrite=overwrite)
