"""Find a node from what a planner types: id, name, English name, alias or a unique part.

Ids are matched exactly, then case-insensitively; names are folded (case,
full-width forms, spaces). :func:`suggest` gives "did you mean" candidates
for a mistyped name or code (RapidFuzz).
"""

from __future__ import annotations

import unicodedata

import networkx as nx

from alliances.errors import NameResolutionError


def normalize(text: str) -> str:
    """Fold full-width forms, case and spaces so 'ＡＢＣ　党委' finds 'abc党委'."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(text.split()).casefold().replace("“", '"').replace("”", '"')


def _names(attrs: dict) -> list[str]:
    return [attrs.get("name", ""), attrs.get("name_en", ""), *attrs.get("aliases", [])]


class DatasetNames:
    """A dataset's nodes as :func:`resolve` reads a graph's, without building the graph."""

    def __init__(self, ds):
        self.nodes = ds.nodes

    def __contains__(self, nid) -> bool:
        return nid in self.nodes


def describe(G: nx.Graph, nid: str) -> str:
    d = G.nodes[nid]
    return f"{d.get('name', nid)} ({nid}, {d.get('label', '?')})"


def resolve(G: nx.Graph, text: str, *, among: set | None = None) -> str:
    """Return the id of the one node that ``text`` names.

    Tried in order, the first step with exactly one hit wins: the id, an exact
    name / English name / alias, then a part of any of them.

    Raises
    ------
    NameResolutionError
        No node matches, or several match equally well; ``candidates`` lists them.
    """
    nodes = G.nodes if among is None else [n for n in G.nodes if n in among]
    if text in G and (among is None or text in among):
        return text
    q = normalize(text)
    if not q:
        raise NameResolutionError("an empty name matches nothing; give a name or id")
    by_id = sorted(n for n in nodes if isinstance(n, str) and normalize(n) == q)
    if len(by_id) == 1:  # an id typed in another case: 'Alliance-1' for 'alliance-1'
        return by_id[0]
    exact = sorted(n for n in nodes if any(normalize(s) == q for s in _names(G.nodes[n]) if s))
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise _ambiguous(G, text, exact)
    part = sorted(
        n for n in nodes
        if q in normalize(n) or any(q in normalize(s) for s in _names(G.nodes[n]) if s)
    )
    if len(part) == 1:
        return part[0]
    if len(part) > 1:
        raise _ambiguous(G, text, part)
    names = [s for n in nodes for s in _names(G.nodes[n]) if s]
    hints = suggest(text, names)
    hint = f" Did you mean {', '.join(hints)}?" if hints else ""
    raise NameResolutionError(
        f"no node matches {text!r}.{hint} Fix: check the spelling, or list names with 'alliances search'.",
        hints,
    )


def _ambiguous(G, text, ids) -> NameResolutionError:
    cands = [describe(G, n) for n in ids]
    shown = "\n  ".join(cands[:20]) + ("\n  …" if len(cands) > 20 else "")
    return NameResolutionError(
        f"{text!r} matches {len(ids)} nodes; give the id or a longer name:\n  {shown}", cands
    )


def search(G: nx.Graph, text: str, limit: int = 50) -> list[str]:
    """Ids of nodes whose id, names or aliases contain ``text``, or whose Chinese name or
    alias it spells in pinyin (``yanshikou``, initials ``ysk``, or a mix: :mod:`alliances.pinyin`).

    Exact hits first, then names containing ``text``, then pinyin hits; each by id.
    """
    from alliances import pinyin

    q = normalize(text)
    typed = pinyin.typed(text)
    spells = pinyin.Matcher(typed) if typed else None
    hits = []
    for n, d in G.nodes(data=True):
        names = [n, *_names(d), d.get("description", "")]
        norm = [normalize(s) for s in names if s]
        if any(q == s for s in norm):
            hits.append((0, n))
        elif any(q in s for s in norm):
            hits.append((1, n))
        elif spells and any(spells(s) for s in (d.get("name", ""), *d.get("aliases", [])) if s):
            hits.append((2, n))
    hits.sort()
    return [n for _, n in hits[:limit]]


def suggest(text: str, choices, *, limit: int = 3, cutoff: float | None = None) -> list[str]:
    """Up to ``limit`` of ``choices`` that ``text`` is probably a misspelling of, best first.

    Compared folded (case, width, spaces), by normalised Indel similarity
    (RapidFuzz ``fuzz.ratio``, 0–100); only scores of at least ``cutoff``
    count (default 60; 50 for texts of up to 4 characters, where one wrong
    character of a Chinese word already costs half), and a choice equal to
    ``text`` once folded comes first.

    >>> suggest("party_comittee", ["party_committee", "party_branch", "enterprise"])
    ['party_committee']
    """
    from rapidfuzz import fuzz, process

    q = normalize(text)
    if not q:
        return []
    folded: dict[str, str] = {}
    for c in choices:
        if c:
            folded.setdefault(normalize(c), c)
    if q in folded:
        return [folded[q]]
    if cutoff is None:
        cutoff = 50.0 if len(q) <= 4 else 60.0
    hits = process.extract(q, list(folded), scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)
    return [folded[key] for key, _score, _i in hits]
