"""Keeping credentials out of every message.

A Neo4j URI may carry a user and password (``bolt://neo4j:SECRET@host``).
:func:`split_credentials` takes them out of the URI before anything keeps it,
so settings, messages and ``repr`` only ever hold the clean URI; :func:`redact`
is the last line before text reaches a terminal or a log: it masks the
userinfo of any URI in the text, and the secrets it is given (the password
of the settings a message is about).

>>> split_credentials("bolt://neo4j:s3cret@db.example:7687")
('bolt://db.example:7687', 'neo4j', 's3cret')
>>> redact("cannot reach bolt://neo4j:s3cret@db.example:7687")
'cannot reach bolt://neo4j:***@db.example:7687'
"""

from __future__ import annotations

import re
from urllib.parse import unquote

MASK = "***"

# scheme://userinfo@ — userinfo runs to the last "@" before the path, query,
# fragment, white space or a quote (a password with a raw "@" is still covered).
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?P<info>[^\s/?#'\"<>]*)@")

def split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """``(uri without userinfo, user or None, password or None)``; percent-escapes decoded."""
    m = _USERINFO.match(uri or "")
    if not m:
        return uri, None, None
    info = m.group("info")
    user, sep, password = info.partition(":")
    clean = m.group("scheme") + uri[m.end():]
    return clean, (unquote(user) or None), (unquote(password) if sep else None)


def _mask_info(m: re.Match) -> str:
    user, sep, _ = m.group("info").partition(":")
    return f"{m.group('scheme')}{user + ':' if sep else ''}{MASK}@"


def redact(text: str, secrets=()) -> str:
    """``text`` with URI passwords and each of ``secrets`` replaced by ``***``."""
    text = _USERINFO.sub(_mask_info, str(text))
    for s in sorted({x for x in secrets if x}, key=len, reverse=True):
        text = text.replace(s, MASK)
    return text
