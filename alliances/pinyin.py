"""Finding Chinese names by what people type: pinyin, initials, or a mix.

Planners type ``yanshikou``, ``ysk`` or ``yansk`` for 盐市口. A name matches a
typed text when the text spells a run of the name's characters, each
character by a non-empty prefix of one of its readings (so a whole syllable,
its initial, or the start of the syllable being typed); letters and digits
match themselves. Readings come from pypinyin with every heteronym, so 重庆
matches ``chongqing`` and ``zhongqing`` alike, and readings are looked up
once per distinct character, not per name (a network of 100,000 names has a
few thousand characters).

For a page that searches in the browser, :func:`keys` gives a name's full
pinyin and initials, read by pypinyin's phrase dictionary (重庆 → chongqing).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TYPED = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def typed(text: str) -> str | None:
    """``text`` as typed pinyin (lower case, no spaces or apostrophes), or ``None`` if it is not.

    >>> typed("Yan Shi'kou"), typed("盐市口"), typed("a")
    ('yanshikou', None, None)
    """
    t = unicodedata.normalize("NFKC", text or "").casefold()
    t = re.sub(r"[\s'’·-]+", "", t)
    return t if len(t) >= 2 and _TYPED.fullmatch(t) else None


def has_hanzi(text: str) -> bool:
    return bool(_CJK.search(text or ""))


@lru_cache(maxsize=None)
def readings(ch: str) -> tuple[str, ...]:
    """Every reading of one character, without tones; a letter or digit is itself, anything else none."""
    if _CJK.match(ch):
        from pypinyin import Style, pinyin

        found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
        return tuple(dict.fromkeys(r.replace("ü", "v") for r in (found[0] if found else []) if r))
    c = unicodedata.normalize("NFKC", ch).casefold()
    return (c,) if _TYPED.fullmatch(c) else ()


def matches(name: str, query: str) -> bool:
    """Whether typed ``query`` (see :func:`typed`) spells a run of ``name``'s characters.

    >>> [matches("成都盐市口商圈综合党委", q) for q in ("yanshikou", "ysk", "yansk", "cdysk", "kouzi")]
    [True, True, True, True, False]
    >>> matches("重庆解放碑商圈党委", "chongqing"), matches("重庆解放碑商圈党委", "jfb")
    (True, True)
    """
    return Matcher(query)(name)


class Matcher:
    """:func:`matches` for one query over many names: what each character can spell of the
    query, from each position, is worked out once per distinct character."""

    def __init__(self, query: str):
        self.query = query
        self._steps: dict[str, tuple[tuple[int, ...], ...]] = {}

    def _table(self, ch: str) -> tuple[tuple[int, ...], ...]:
        q_all, m = self.query, len(self.query)
        rows = []
        for q in range(m):
            ends: set[int] = set()
            for r in readings(ch):
                k = 0
                while k < len(r) and q + k < m and r[k] == q_all[q + k]:
                    k += 1
                ends.update(q + step for step in range(1, k + 1))
            rows.append(tuple(sorted(ends)))
        table = tuple(rows) if readings(ch) else ()  # punctuation and spaces: skipped
        self._steps[ch] = table
        return table

    def __call__(self, name: str) -> bool:
        m, steps = len(self.query), self._steps
        states: set[int] = set()  # how much of the query the run of characters ending here spells
        for ch in name:
            table = steps.get(ch)
            if table is None:
                table = self._table(ch)
            if not table:
                continue
            nxt = set(table[0])
            for q in states:
                nxt.update(table[q])
            if m in nxt:
                return True
            nxt.discard(m)
            states = nxt
        return False


def keys(name: str) -> list[str]:
    """A name's full pinyin and initials (phrase readings), for searching in a page.

    >>> keys("成都盐市口商圈综合党委")
    ['chengduyanshikoushangquanzonghedangwei', 'cdysksqzhdw']
    >>> keys("Huashang"), keys("重庆")
    ([], ['chongqing', 'cq'])
    """
    if not has_hanzi(name):
        return []
    parts: list[str] = []
    for run in _RUNS.findall(name):
        if _CJK.match(run):
            parts += _phrase(run)
        else:
            parts += [w for w in re.split(r"[^a-z0-9]+", unicodedata.normalize("NFKC", run).casefold()) if w]
    return ["".join(parts), "".join(p[0] for p in parts)] if parts else []


_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=65536)
def _phrase(run: str) -> tuple[str, ...]:
    """The syllables of a run of characters, read as phrases (cached: names share their runs)."""
    from pypinyin import Style, lazy_pinyin

    return tuple(p.replace("ü", "v") for p in lazy_pinyin(run, style=Style.NORMAL) if p)
