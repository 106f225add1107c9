"""Region groups, read from the dataset's own Region hierarchy.

Brokerage, corridors, the tie matrix, map colours and legends and the report
group nodes by region. The groups are not fixed in the code: they are the
dataset's Region nodes at one administrative level (``province``, ``city``
or ``district``; default ``city``), found by walking each node's ``region``
up the ``PART_OF`` chain. A Region states its level in ``kind``
(:data:`alliances.model.REGION_KINDS`); a Region without one takes the level
its name states (省 / 市 / 区, ``Province``), if that fits under its parent,
else the level below its parent's; a top Region that says nothing is a city
(a province when its children are cities). So a dataset of seven cities gives seven groups,
each named as the data names it, coloured from a colour-blind-safe palette by
its id.

A node whose region lies above the level asked for (an organisation placed in
a province when grouping by city) is grouped by that coarser region; a node
with no region at all is in :data:`NO_REGION`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from alliances import model

#: The group of a node with no region (the key brokerage and JSON outputs use).
NO_REGION = "other"
#: Levels, coarsest first.
LEVELS: tuple[str, ...] = tuple(model.REGION_KINDS)
DEFAULT_LEVEL = "city"

#: Paul Tol's "muted" qualitative scheme: nine colours told apart under the common
#: colour-vision deficiencies (https://personal.sron.nl/~pault/#sec:qualitative).
PALETTE: tuple[str, ...] = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE",
                            "#882255", "#44AA99", "#999933", "#AA4499")
#: Colours for a tenth region and on: Tol's "light" scheme without its pale grey (too near
#: :data:`NO_REGION_COLOR`). Distinct from the muted nine for normal colour vision, not all of
#: them under a colour-vision deficiency; past these seventeen, colours repeat and the legend and
#: tooltips, which name every region, tell regions apart.
EXTRA_PALETTE: tuple[str, ...] = ("#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF",
                                  "#44BB99", "#BBCC33", "#AAAA00")
#: Tol's colour for missing data: nodes with no region.
NO_REGION_COLOR = "#BBBBBB"
NO_REGION_NAMES = {"zh": "未标地区", "en": "No region"}


def region_levels(nodes: Mapping[str, Mapping], parents: Callable[[str], Iterable[str]]) -> dict[str, str]:
    """The level of every Region: its ``kind``, else one below its parent's.

    ``nodes``: id → attributes; ``parents(id)``: the Regions it is ``PART_OF``.
    """
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    regions = [n for n, d in nodes.items() if d.get("label") == "Region"]
    children: dict[str, list[str]] = {}
    for r in regions:
        for p in _region_parents(nodes, parents, r):
            children.setdefault(p, []).append(r)
    out: dict[str, str] = {}

    def level(r: str, seen: frozenset = frozenset()) -> str:
        if r in out:
            return out[r]
        own = nodes[r].get("kind", "")
        if own in rank:
            result = own
        else:
            ups = [p for p in _region_parents(nodes, parents, r) if p not in seen]
            below = min(rank[level(ups[0], seen | {r})] + 1, len(LEVELS) - 1) if ups else 0
            named = _level_from_name(nodes[r])
            if named is not None and rank[named] >= below:
                result = named  # 四川省, 德阳市, 武侯区: the name says it (and it fits under the parent)
            elif ups:
                result = LEVELS[below]
            else:
                told = [rank[t] for c in children.get(r, ())
                        for t in [nodes[c].get("kind") if nodes[c].get("kind") in rank else _level_from_name(nodes[c])]
                        if t is not None and rank[t] > 0]
                result = LEVELS[min(told) - 1] if told else DEFAULT_LEVEL
        out[r] = result
        return result

    for r in regions:
        level(r)
    return out


# Administrative words that end a place's name, coarsest level first.
_LEVEL_SUFFIXES = (("province", ("省", "自治区")), ("city", ("市", "自治州", "地区", "盟")),
                   ("district", ("区", "县", "旗")))
_LEVEL_WORDS = (("province", "province"), ("city", "city"), ("district", "district"), ("district", "county"))


def _level_from_name(d: Mapping) -> str | None:
    """The level a Region's own name states (四川省, 德阳市, 荣昌区; ``Sichuan Province``), else ``None``."""
    name = (d.get("name") or "").strip()
    for lvl, suffixes in _LEVEL_SUFFIXES:
        if any(name.endswith(x) for x in suffixes):
            return lvl
    words = (d.get("name_en") or "").casefold().split()
    for lvl, word in _LEVEL_WORDS:
        if word in words:
            return lvl
    return None


def _region_parents(nodes, parents, r: str) -> list[str]:
    """The Regions ``r`` is part of: its ``PART_OF`` targets, then its own ``region``."""
    out = [p for p in parents(r) if p in nodes and nodes[p].get("label") == "Region" and p != r]
    own = nodes[r].get("region", "")
    if own and own != r and own in nodes and nodes[own].get("label") == "Region" and own not in out:
        out.append(own)
    return out


def group_nodes(nodes: Mapping[str, Mapping], parents: Callable[[str], Iterable[str]],
                level: str = DEFAULT_LEVEL) -> dict[str, str]:
    """Every node's region group at ``level``: the id of a Region, or :data:`NO_REGION`.

    A node's region is its ``region`` (a Region or a Zone's region); a Region
    is its own. The group is the Region at ``level`` on the way up its
    ``PART_OF`` chain; a region coarser than ``level`` is its own group, and a
    chain with nothing at ``level`` ends at its top Region.

    Examples
    --------
    >>> nodes = {"sc": {"label": "Region", "kind": "province"}, "dy": {"label": "Region"},
    ...          "a": {"label": "Organization", "region": "dy"}, "b": {"label": "Organization"}}
    >>> up = {"dy": ["sc"]}
    >>> group_nodes(nodes, lambda r: up.get(r, ()))
    {'sc': 'sc', 'dy': 'dy', 'a': 'dy', 'b': 'other'}
    >>> group_nodes(nodes, lambda r: up.get(r, ()), "province")["a"]
    'sc'
    """
    if level not in LEVELS:
        raise ValueError(f"region level {level!r}: expected one of {', '.join(LEVELS)}")
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    want = rank[level]
    levels = region_levels(nodes, parents)
    cache: dict[str, str] = {}

    def group_of_region(r: str) -> str:
        if r in cache:
            return cache[r]
        if rank[levels[r]] <= want:  # at the level, or coarser: its own group
            cache[r] = r
            return r
        chain, seen, at = [r], {r}, r
        while True:
            ups = [p for p in _region_parents(nodes, parents, at) if p not in seen]
            if not ups:
                break
            at = ups[0]
            chain.append(at)
            seen.add(at)
            if rank[levels[at]] <= want:
                break
        cache[r] = chain[-1]
        return chain[-1]

    def region_of(nid: str, d: Mapping) -> str:
        if d.get("label") == "Region":
            return nid
        r = d.get("region", "")
        seen = set()
        while r and r in nodes and nodes[r].get("label") != "Region" and r not in seen:
            seen.add(r)  # a Zone names its region
            r = nodes[r].get("region", "")
        return r if r in nodes and nodes[r].get("label") == "Region" else ""

    out = {}
    for nid, d in nodes.items():
        r = region_of(nid, d)
        out[nid] = group_of_region(r) if r else NO_REGION
    return out


def _preferred_slot(key: str) -> int:
    return int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:4], "big") % len(PALETTE)


def colors(keys: Iterable[str]) -> dict[str, str]:
    """A palette colour per region id, stable per id.

    Each id has a preferred colour from a hash of the id (so it does not
    depend on the order regions appear in); ids taken in sorted order move to
    the next free colour on a clash, so up to nine regions never share one and
    all of them get a colour-blind-safe one. A tenth region and on take the
    :data:`EXTRA_PALETTE` in turn, so up to seventeen never share one; past
    that, an id takes its preferred colour again.

    >>> c = colors(["b", "a"])
    >>> c == colors(["a", "b"]), c["a"] != c["b"], c["other"]
    (True, True, '#BBBBBB')
    """
    out: dict[str, str] = {}
    taken: set[int] = set()
    extra = iter(EXTRA_PALETTE)
    for key in sorted(set(keys) - {NO_REGION}):
        slot = _preferred_slot(key)
        free = [(slot + step) % len(PALETTE) for step in range(len(PALETTE))
                if (slot + step) % len(PALETTE) not in taken]
        if free:
            taken.add(free[0])
            out[key] = PALETTE[free[0]]
        else:
            out[key] = next(extra, PALETTE[slot])
    out[NO_REGION] = NO_REGION_COLOR
    return out


def region_table(nodes: Mapping[str, Mapping], groups: Mapping[str, str]) -> list[dict]:
    """The region groups of a network, in order: ``[{"key", "zh", "en", "color", "organisations"}]``.

    Ordered by number of organisations (most first), then by id;
    :data:`NO_REGION` last. Names come from the Region nodes
    (:func:`short_name`, ``name_en``). Colours cover every group, present in a view or not, so a
    region keeps its colour on every map of one dataset.
    """
    orgs = Counter(groups[n] for n, d in nodes.items() if d.get("label") == "Organization")
    keys = set(groups.values()) | {NO_REGION}
    palette = colors(keys)
    rows = []
    for key in keys:
        if key == NO_REGION:
            zh, en = NO_REGION_NAMES["zh"], NO_REGION_NAMES["en"]
        else:
            d = nodes.get(key, {})
            zh = short_name(d) or key
            en = d.get("name_en") or zh
        rows.append({"key": key, "zh": zh, "en": en, "color": palette[key], "organisations": orgs.get(key, 0)})
    rows.sort(key=lambda r: (r["key"] == NO_REGION, -r["organisations"], r["key"]))
    return rows


def short_name(d: Mapping) -> str:
    """A region's name as a legend reads it: its shortest alias that begins its name
    (自贡市 with alias 自贡 → 自贡), else its name.

    >>> short_name({"name": "自贡市", "aliases": ["盐都", "自贡"]}), short_name({"name": "德阳市"})
    ('自贡', '德阳市')
    """
    name = d.get("name") or ""
    aliases = d.get("aliases") or []
    if isinstance(aliases, str):
        aliases = aliases.split(";")
    starts = [a for a in aliases if a and name.startswith(a) and len(a) < len(name)]
    return min(starts, key=len) if starts else name


def table_of(G) -> list[dict]:
    """The region table a graph carries (``G.graph["regions"]``), or one read from its nodes."""
    table = G.graph.get("regions")
    if table is not None:
        return table
    groups = {n: d.get("region_group", NO_REGION) for n, d in G.nodes(data=True)}
    return region_table(dict(G.nodes(data=True)), groups)


def lookup(table: list[dict]) -> dict[str, dict]:
    """``{key: row}`` of a region table; unknown keys fall back with :func:`info`."""
    return {row["key"]: row for row in table}


def info(table: Mapping[str, dict] | list[dict], key: str) -> dict:
    """The row of ``key`` (a region id or :data:`NO_REGION`); an id not in the table is named by itself."""
    rows = lookup(table) if isinstance(table, list) else table
    if key in rows:
        return rows[key]
    if key == NO_REGION or not key:
        return {"key": NO_REGION, **NO_REGION_NAMES, "color": NO_REGION_COLOR, "organisations": 0}
    return {"key": key, "zh": key, "en": key, "color": colors([key])[key], "organisations": 0}


def order(table: list[dict], keys: Iterable[str]) -> list[str]:
    """``keys`` in the table's order; keys it does not know go after, by id."""
    pos = {row["key"]: i for i, row in enumerate(table)}
    return sorted(set(keys), key=lambda k: (k == NO_REGION, pos.get(k, len(pos)), k))


def member_groups(P, groups: Mapping[str, str]) -> dict[str, list[str]]:
    """The region groups of nodes with none of their own, from the nodes they work with.

    ``P`` is the partnership graph. An alliance, agreement or activity with no
    region belongs to the regions of its members: the groups of the nodes tied
    to it; one tied only to other nodes without a region (an activity an
    alliance organised) takes theirs. Returns, for each node whose group is
    :data:`NO_REGION`, its sorted groups (empty when none are found).

    >>> import networkx as nx
    >>> P = nx.Graph([("a", "x"), ("b", "x"), ("x", "y")])
    >>> member_groups(P, {"a": "r1", "b": "r2", "x": "other", "y": "other"})
    {'x': ['r1', 'r2'], 'y': ['r1', 'r2']}
    """
    placeless = [n for n in P if groups.get(n, NO_REGION) == NO_REGION]
    found: dict[str, set[str]] = {
        n: {groups[m] for m in P.neighbors(n) if groups.get(m, NO_REGION) != NO_REGION} for n in placeless}
    todo = [n for n in placeless if not found[n]]
    while todo:  # one more step through nodes without a region, until nothing changes
        step = {n: set().union(*(found.get(m, set()) for m in P.neighbors(n))) for n in todo}
        changed = [n for n in todo if step[n]]
        if not changed:
            break
        for n in changed:
            found[n] = step[n]
        todo = [n for n in todo if not found[n]]
    return {n: sorted(found[n]) for n in sorted(placeless)}
