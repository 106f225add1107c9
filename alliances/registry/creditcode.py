"""The unified social credit code (统一社会信用代码), GB 32100-2015.

Eighteen characters from a 31-character set (digits and the capital letters
without I, O, Z, S, V): the registering authority (1), the organisation
category (1), the administrative division (6 digits), the organisation code
(9) and a check character. The check character makes the weighted sum of all
eighteen values divisible by 31, with the weight of position *i* (1-based)
``3**(i-1) mod 31``:

    C18 = 31 - (sum(C_i * W_i for i in 1..17) mod 31), and 31 becomes 0.

>>> check_character("91350100M000100Y4")
'3'
>>> problem("91350100M000100Y43") is None
True
"""

from __future__ import annotations

import unicodedata

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
LENGTH = 18


def normalize(text: str) -> str:
    """Full-width to half-width, spaces and hyphens out, upper case (``９１ｅ…`` → ``91E…``)."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-_").upper()


def check_character(first17: str) -> str:
    """The check character for the first seventeen characters (already normalised)."""
    if len(first17) != LENGTH - 1 or any(ch not in VALUE for ch in first17):
        raise ValueError(f"{first17!r}: need 17 characters from {ALPHABET}")
    total = sum(VALUE[ch] * w for ch, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """What is wrong with a normalised code, in English, or ``None`` when it is valid."""
    if len(code) != LENGTH:
        return f"has {len(code)} characters, not {LENGTH}"
    bad = sorted({ch for ch in code if ch not in VALUE})
    if bad:
        return ("contains " + ", ".join(repr(c) for c in bad)
                + " (the code uses digits and capital letters except I, O, Z, S and V)")
    if not code[2:8].isdigit():
        return f"characters 3–8 ({code[2:8]}) are not a 6-digit administrative division code"
    want = check_character(code[:17])
    if code[17] != want:
        return f"check character is {code[17]}, but the first 17 characters give {want} (GB 32100-2015)"
    return None


def problem_zh(code: str) -> str | None:
    """:func:`problem` in Chinese."""
    if len(code) != LENGTH:
        return f"共 {len(code)} 位，应为 {LENGTH} 位"
    if any(ch not in VALUE for ch in code):
        return "含有不允许的字符（只用数字和除 I、O、Z、S、V 以外的大写字母）"
    if not code[2:8].isdigit():
        return "第 3–8 位不是 6 位行政区划代码"
    if code[17] != check_character(code[:17]):
        return f"校验码应为 {check_character(code[:17])}，实为 {code[17]}（GB 32100-2015）"
    return None


def make(prefix: str, division: str, body: str) -> str:
    """A valid code from its parts (for generators and tests): e.g. ``make("91", "510300", "MA62X1234")``."""
    first = normalize(prefix + division + body)
    return first + check_character(first)
