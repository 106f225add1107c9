"""Cleaning cells the way Excel and Chinese input methods leave them.

Rules (documented in docs/dataset-format.md, "Data in and out"):

- every value: leading/trailing spaces, tabs and ideographic spaces (U+3000)
  are removed;
- code-like fields (ids, label, kind, region, start, end, type, source,
  paragraphs, dates, figure keys/values/qualifiers, synthetic): NFKC, so
  full-width ``ｏｒｇ－１`` becomes ``org-1`` and ``１；２`` becomes ``1;2``;
- Chinese names and aliases: full-width letters, digits and spaces become
  half-width, half-width round brackets become full-width ``（）`` (the Chinese
  convention), runs of spaces become one; other Chinese punctuation
  (“” ＋ 、) is kept exactly as written;
- English names: the same, but brackets become half-width ``()``;
- Excel date cells and date serial numbers in date columns become ISO dates;
  a whole number from 1900 to 2100 in a date column is a year, not a serial;
- numbers stored as numbers become their plain text (``4.0`` → ``4``).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata

CODE_FIELDS = frozenset({
    "id", "label", "kind", "region", "start", "end", "type", "source", "paragraphs",
    "date", "published", "ended", "node", "key", "value", "qualifier", "synthetic",
})
NAME_FIELDS = frozenset({"name", "name_en", "aliases"})
DATE_FIELDS = frozenset({"date", "published", "ended"})

_STRIP = " \t\r\n\u3000\u00a0\ufeff"
_CN_DATE = re.compile(r"(\d{4})\s*[./年]\s*(\d{1,2})(?:\s*[./月]\s*(\d{1,2})\s*日?)?\s*月?")
_SPACES = re.compile(r"[ \u3000\u00a0]+")

# Administrative suffixes: a region named 自贡市 also prefixes names as 自贡.
ADMIN_SUFFIXES = ("自治州", "省", "市", "区", "县", "州")

# Short prefixes for ids derived from label + name.
ID_PREFIX = {
    "Region": "region", "Zone": "zone", "Organization": "org", "BusinessCircle": "circle",
    "Alliance": "alliance", "Agreement": "agreement", "Activity": "activity",
    "Project": "project", "Person": "person", "Award": "award",
}


def strip(value: str) -> str:
    return value.strip(_STRIP)


def halfwidth_alnum(text: str) -> str:
    """Full-width ASCII letters, digits and the ideographic space to half-width."""
    out = []
    for ch in text:
        o = ord(ch)
        if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
            out.append(chr(o - 0xFEE0))
        elif ch == "\u3000":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def normalize_name(text: str) -> str:
    """A name as we store it (see the module rules); idempotent."""
    text = halfwidth_alnum(strip(text))
    text = text.replace("(", "（").replace(")", "）")
    return _SPACES.sub(" ", text).strip()


def normalize_code(text: str) -> str:
    text = unicodedata.normalize("NFKC", strip(text))
    return text.replace("；", ";").strip()


def match_key(name: str) -> str:
    """Key for comparing names: NFKC, no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).lower()


def place_prefixes(names) -> list[str]:
    """Prefixes a place's names put before an organisation's: each name, and without its
    administrative suffix (自贡市 → 自贡市, 自贡); names shorter than two characters are skipped.

    >>> place_prefixes(["自贡市", "盐都"])
    ['自贡市', '自贡', '盐都']
    """
    out: list[str] = []
    for name in names:
        name = (name or "").strip()
        if len(name) < 2:
            continue
        out.append(name)
        for suffix in ADMIN_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.append(name[: -len(suffix)])
                break
    return list(dict.fromkeys(out))


def core_name(name: str, prefixes=()) -> str:
    """``match_key`` with place prefixes removed (自贡市海川 → 海川, given the dataset's
    :func:`place_prefixes`)."""
    key = match_key(name)
    keys = sorted({match_key(p) for p in prefixes if p}, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for p in keys:
            if key.startswith(p) and len(key) > len(p) + 1:
                key = key[len(p):]
                changed = True
                break
    return key


def derived_id(label: str, name: str) -> str:
    """Stable id for a row without one: ``org-`` + 10 hex digits of sha1(NFKC name)."""
    digest = hashlib.sha1(match_key(name).encode("utf-8")).hexdigest()[:10]
    return f"{ID_PREFIX.get(label, 'node')}-{digest}"


def excel_serial_to_iso(value: float) -> str:
    from openpyxl.utils.datetime import from_excel

    return from_excel(value).date().isoformat()


def cell_text(value, field: str) -> str:
    """A cell (from openpyxl or CSV) as cleaned text for ``field``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, _dt.time):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if field in DATE_FIELDS:
            if float(value).is_integer() and 1900 <= value <= 2100:
                return str(int(value))
            if 1 <= value < 2958466:
                return excel_serial_to_iso(value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    if field in CODE_FIELDS:
        text = normalize_code(text)
        m = _CN_DATE.fullmatch(text) if field in DATE_FIELDS else None
        if m:  # 2021年3月, 2021.3.5 → ISO (2021-3 stays, and is reported)
            text = "-".join([m.group(1)] + [f"{int(x):02d}" for x in m.groups()[1:] if x])
        return text
    if field == "name_en":
        text = halfwidth_alnum(strip(text)).replace("（", "(").replace("）", ")")
        return _SPACES.sub(" ", text).strip()
    if field in NAME_FIELDS:
        if field == "aliases":
            return ";".join(normalize_name(p) for p in re.split(r"[;；]", text) if strip(p))
        return normalize_name(text)
    return strip(text)
