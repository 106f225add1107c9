"""Find a node from what a planner types: id, name, English name, alias or a unique part.

Ids are matched exactly, then case-insensitively; names are folded (case,
full-width forms, spaces). :func:`suggest` gives "did you mean" candidates
for a mistyped name or code (RapidFuzz).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from alliances.errors import NameResolutionError

if TYPE_CHECKING:  # networkx is imported only where a graph is built
    import networkx as nx


def normalize(text: str) -> str:
    """Fold full-width forms, case and spaces so 'ＡＢＣ　党委' finds 'abc党委'."""
    text = text or ""
    if text.isascii():  # NFKC leaves ASCII alone and casefold is lower (most ids and English names)
        return "".join(text.split()).lower()
    text = unicodedata.normalize("NFKC", text)
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
        twins = _lookalikes(G, nodes, text, exact[0])
        if twins:  # a look-alike name is never picked silently
            raise _ambiguous(G, text, [exact[0], *twins], why="looks like other names too (look-alike "
                             "characters)")
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


class Resolver:
    """:func:`resolve` for many texts over one graph: ids and whole names indexed once.

    The same answer as :func:`resolve` for every text (an id, an id in
    another case, an exact name); anything else (a part of a name, an
    ambiguous or unknown name) goes to :func:`resolve` itself, errors included.
    """

    def __init__(self, G):
        self.G = G
        self.by_id: dict[str, list] = {}
        self.by_name: dict[str, set] = {}
        self.by_skeleton: dict[str, set] = {}
        from alliances.chars import skeleton

        for n, d in G.nodes.items():
            if isinstance(n, str):
                self.by_id.setdefault(normalize(n), []).append(n)
            for s in _names(d):
                if s:
                    self.by_name.setdefault(normalize(s), set()).add(n)
                    self.by_skeleton.setdefault(skeleton(s), set()).add((n, normalize(s)))

    def __call__(self, text: str) -> str:
        from alliances.chars import skeleton

        if text in self.G:
            return text
        q = normalize(text)
        if q and len(self.by_id.get(q, ())) == 1:
            return self.by_id[q][0]
        if q and len(self.by_name.get(q, ())) == 1:
            found = next(iter(self.by_name[q]))
            # resolve's look-alike rule, from the index: other nodes with a name of the same skeleton
            if not any(n != found and ns != q for n, ns in self.by_skeleton.get(skeleton(text), ())):
                return found
        return resolve(self.G, text)


def _ambiguous(G, text, ids, why: str = "") -> NameResolutionError:
    cands = [describe(G, n) for n in ids]
    shown = "\n  ".join(cands[:20]) + ("\n  …" if len(cands) > 20 else "")
    what = f"{why}: it " if why else ""
    return NameResolutionError(
        f"{text!r} {what}matches {len(ids)} nodes; give the id or a longer name:\n  {shown}", cands
    )


def _lookalikes(G, nodes, text: str, found: str) -> list[str]:
    """Other nodes whose name or alias looks like ``text`` (same skeleton) without being the same text."""
    from alliances.chars import skeleton

    key = skeleton(text)
    q = normalize(text)
    return sorted(n for n in nodes if n != found and any(
        s and skeleton(s) == key and normalize(s) != q for s in _names(G.nodes[n])))


def search(G: nx.Graph | DatasetNames, text: str, limit: int = 50) -> list[str]:
    """Ids of nodes whose id, names or aliases contain ``text``, or whose Chinese name or
    alias it spells in pinyin (``yanshikou``, initials ``ysk``, or a mix: :mod:`alliances.pinyin`).

    Exact hits first, then names containing ``text``, then pinyin hits; each by id.
    """
    from alliances import pinyin

    q = normalize(text)
    typed = pinyin.typed(text)
    spells = pinyin.Matcher(typed) if typed else None
    hits = []
    for n, d in G.nodes.items():  # a graph's NodeView or DatasetNames' dict
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
