"""Characters that hide, and names that only look alike.

Two names that look identical on screen can differ by a character nobody
sees — a zero-width space, a soft hyphen, a right-to-left override, a
variation selector — or by a letter from another script (Cyrillic ``а`` for
Latin ``a``). They would import as two organisations, and a planner typing
the name would never learn of the twin.

- :func:`hidden_characters` finds control characters (C0 and C1, e.g. U+009B,
  which a terminal takes as the start of an escape sequence), bidirectional
  controls ("Trojan Source" reordering), and invisible formatting characters
  (Unicode category Cf, Hangul fillers, variation selectors), each with its
  1-based position. The dataset refuses them (:mod:`alliances.dataset`). Two
  uses stay allowed because they are how emoji are written: a zero-width
  joiner between two symbols and a variation selector after a symbol.
- :func:`skeleton` maps a name to a key shared by its look-alikes: NFKC, the
  confusables table of Unicode TR39 (as kept by the ``confusable-homoglyphs``
  package, one prototype per class of look-alike characters), case and
  white space folded, invisible characters dropped.
- :func:`lookalike_groups` and :func:`lookalike_warnings` report nodes of one
  label whose names differ but share a skeleton: probable duplicates, which
  ``validate`` and ``import`` print and never merge.

>>> skeleton("Bank") == skeleton("Вank")  # Cyrillic В
True
>>> [(p, f"U+{ord(c):04X}") for p, c, _ in hidden_characters("华商\\u200b商圈")]
[(3, 'U+200B')]
"""

from __future__ import annotations

import functools
import re
import unicodedata

# A quick screen for the rare cell that needs a closer look (one search per row).
SUSPECT_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
    "|[\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2]"
)
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u034f")


def _is_selector(ch: str) -> bool:
    o = ord(ch)
    return 0xFE00 <= o <= 0xFE0F or 0xE0100 <= o <= 0xE01EF or 0x180B <= o <= 0x180F


def _kind(ch: str) -> str | None:
    """``control``, ``bidi``, ``invisible`` or None for a character that shows."""
    o = ord(ch)
    if o < 0x20 and ch not in "\t\n\r" or 0x7F <= o <= 0x9F:
        return "control"
    if ch in BIDI:
        return "bidi"
    if ch in _FILLERS or _is_selector(ch) or unicodedata.category(ch) == "Cf":
        return "invisible"
    return None


def _symbol(ch: str) -> bool:
    return bool(ch) and (unicodedata.category(ch) in ("So", "Sk") or ch in "#*0123456789\u20e3")


def hidden_characters(text: str) -> list[tuple[int, str, str]]:
    """``(1-based position, character, kind)`` of each control, bidirectional or invisible character.

    A zero-width joiner between two symbols and a variation selector after a
    symbol (how emoji are written: 👨‍👩‍👧, ❤️) are left alone.
    """
    if not SUSPECT_RE.search(text):
        return []
    out = []
    for i, ch in enumerate(text):
        kind = _kind(ch)
        if kind is None:
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch == "\u200d" and _symbol(before.rstrip("\ufe0f") or before) and (_symbol(after) or after in "\u2640\u2642"):
            continue
        if ch in "\ufe0e\ufe0f" and _symbol(before):
            continue
        out.append((i + 1, ch, kind))
    return out


_CONTROL_NAMES = {0x85: "NEXT LINE", 0x90: "DEVICE CONTROL STRING", 0x9B: "CONTROL SEQUENCE INTRODUCER",
                  0x9D: "OPERATING SYSTEM COMMAND", 0x9E: "PRIVACY MESSAGE", 0x9F: "APPLICATION PROGRAM COMMAND",
                  0x1B: "ESCAPE", 0x07: "BELL", 0x08: "BACKSPACE", 0x00: "NULL", 0x7F: "DELETE"}


def describe(ch: str) -> str:
    """``U+200B ZERO WIDTH SPACE``; controls, which have no Unicode name, by their usual one."""
    o = ord(ch)
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(o) or (
        "C1 CONTROL" if 0x80 <= o <= 0x9F else "CONTROL" if unicodedata.category(ch) == "Cc" else "UNNAMED")
    return f"U+{o:04X} {name}"


KIND_TEXT = {
    "control": ("a control character (a terminal may act on it)", "控制字符（终端可能执行它）"),
    "bidi": ("a bidirectional control (it reorders how the text is shown)", "双向文本控制字符（会改变文字的显示顺序）"),
    "invisible": ("an invisible character", "不可见字符"),
}


# ---------------------------------------------------------------------------
# Look-alikes


@functools.lru_cache(maxsize=1)
def _table() -> dict[int, str | None]:
    """``str.translate`` table: each confusable character → its class's prototype; hidden ones → dropped."""
    import json
    from importlib import resources

    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    parent: dict[str, str] = {}

    def find(c: str) -> str:
        root = c
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(c, c) != root:
            parent[c], c = root, parent[c]
        return root

    def rank(c: str) -> tuple:
        return (not c.isascii(), not c.isalnum(), ord(c))  # ASCII letters and digits stand for their class

    for ch, glyphs in data.items():
        if len(ch) != 1:
            continue
        for g in glyphs:
            other = g.get("c", "")
            if len(other) != 1:
                continue
            a, b = find(ch), find(other)
            if a != b:
                if rank(b) < rank(a):
                    a, b = b, a
                parent[b] = a
    table: dict[int, str | None] = {ord(c): find(c) for c in list(parent) if find(c) != c}
    for o in list(range(0x80, 0xA0)) + [ord(c) for c in BIDI | _FILLERS] + [0x00AD, 0x200B, 0x200C, 0x200D,
                                                                            0x2060, 0xFEFF]:
        table[o] = None
    for o in list(range(0xFE00, 0xFE10)) + list(range(0xE0100, 0xE01F0)) + list(range(0xE0000, 0xE0080)):
        table[o] = None
    return table


_SPACE = re.compile(r"\s+")


def skeleton(name: str) -> str:
    """A key two look-alike names share (see the module docstring); NFKC, confusables, case, space."""
    text = unicodedata.normalize("NFKC", name).translate(_table())
    text = unicodedata.normalize("NFKC", text).casefold().translate(_table())
    return _SPACE.sub("", text)


def _first_difference(a: str, b: str) -> str:
    """Where two names part: the first character that differs, on both sides."""
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"character {i + 1} is {describe(x)} in one and {describe(y)} in the other"
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return f"one has {describe(longer[len(shorter)])} at character {len(shorter) + 1}, which the other lacks"


def lookalike_groups(nodes: dict[str, dict]) -> list[list[str]]:
    """Ids of nodes of one label whose names look alike but are not the same text, groups in id order.

    ``nodes`` maps id → a dict with ``name`` and ``label`` (a dataset's ``nodes``).
    """
    by_key: dict[tuple, list[str]] = {}
    for nid, node in nodes.items():
        name = node.get("name") or ""
        if name:
            by_key.setdefault((node.get("label"), skeleton(name)), []).append(nid)
    groups = []
    for ids in by_key.values():
        if len(ids) > 1 and len({nodes[i]["name"] for i in ids}) > 1:  # the very same name is another matter
            groups.append(sorted(ids))
    return sorted(groups)


def lookalike_warnings(nodes: dict[str, dict]) -> list[str]:
    """One line per group of :func:`lookalike_groups`, saying how the names differ and what to do."""
    out = []
    for ids in lookalike_groups(nodes):
        first = nodes[ids[0]]
        shown = "; ".join(f"{nodes[i]['name']!r} (id {i})" for i in ids)
        diffs = "; ".join(_first_difference(first["name"], nodes[i]["name"]) for i in ids[1:]
                          if nodes[i]["name"] != first["name"])
        out.append(f"probable duplicate {first.get('label', 'node')} (look-alike names): {shown} — {diffs}. "
                   "Fix: if they are one organisation, merge the rows; if not, rename one so the names can be "
                   "told apart. / 疑似重复（名称形近）：这些名称看起来一样，只是个别字符不同；如是同一对象请合并，"
                   "否则请改名以便区分。")
    return out


# ---------------------------------------------------------------------------
# Which language a network's names are in


def is_cjk(ch: str) -> bool:
    """A CJK ideograph (the unified blocks, their extensions and compatibility ideographs)."""
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F


def language_of(names) -> str:
    """``"zh"`` when at least half of ``names`` hold a Chinese character, else ``"en"``;
    ``"zh"`` (the tool's own default) when there are none.

    >>> language_of(["自贡华商商圈党委", "Acme Ltd", "成都盐市口商圈综合党委"]), language_of(["Acme", "Globex"])
    ('zh', 'en')
    """
    names = [n for n in names if n]
    if not names:
        return "zh"
    cjk = sum(any(is_cjk(c) for c in str(n)) for n in names)
    return "zh" if 2 * cjk >= len(names) else "en"
