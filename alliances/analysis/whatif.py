"""What if an organisation or a tie were gone? Before/after on the organisations projection."""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from alliances.analysis.brokerage import broker_table, corridors, distance_change
from alliances.analysis.centrality import capped_hubs_named, centrality_scores, rank_order, scenario_graph
from alliances.graph import organizations_projection

if TYPE_CHECKING:
    from alliances.network import Network


def parse_without(G: Network | nx.MultiDiGraph, items) -> tuple[list[str], list[tuple[str, str]]]:
    """Split ``--without`` values into node ids and ties (``A~B``), resolving names.

    Raises :class:`alliances.errors.NameResolutionError` for a name that
    matches no node or several, and :class:`alliances.errors.UsageError` for a
    malformed tie.
    """
    from alliances.errors import UsageError
    from alliances.network import Network
    from alliances.resolve import resolve as resolve_in

    if isinstance(G, Network):  # its name index: no graph built
        resolve = lambda _, text: G.resolve(text)  # noqa: E731
    else:
        resolve = resolve_in
    nodes, ties = [], []
    for item in items:
        if "~" in item:
            parts = [p.strip() for p in item.split("~")]
            if len(parts) != 2 or not all(parts):
                raise UsageError(f"--without {item!r}: a tie is written A~B, with one organisation on each side.")
            a, b = (resolve(G, p) for p in parts)
            if a == b:
                raise UsageError(f"--without {item!r}: both sides name {a}; a tie needs two organisations.")
            ties.append((a, b))
        else:
            nodes.append(resolve(G, item))
    return nodes, ties


def organisations_view(
    G: Network | nx.MultiDiGraph,
    *,
    as_of: str | None = None,
    without: list | tuple = (),
    without_ties: list | tuple = (),
) -> tuple[nx.Graph, dict]:
    """The organisations projection of a scenario, and the scenario's metadata.

    For a :class:`~alliances.network.Network` whose analyses run on the arrays
    (:meth:`~alliances.network.Network.analyses_on_arrays`) and no scenario, the
    projection is an :class:`alliances.engine.OrganisationsView` (no graph built),
    which :mod:`alliances.analysis.brokerage` and :mod:`alliances.analysis.communities`
    take as they take the graph.

    Nodes in ``without`` are dropped before projecting. A tie in
    ``without_ties`` removes both the direct relationships between the two
    organisations and their projected tie, so sharing an alliance no longer
    links them either; ``meta["missing_ties"]`` lists ties that did not exist.
    """
    from alliances.network import Network, graph_of, thresholds

    if isinstance(G, Network) and G.analyses_on_arrays():
        # a large dataset: the scenario cut from the dataset and the projection's arrays,
        # no graph (the analyses take either)
        return _view_of_scenario(G, as_of=as_of, without=without, without_ties=without_ties)
    G = graph_of(G)
    G2, meta = scenario_graph(G, as_of=as_of, without=without, without_ties=without_ties)
    H = organizations_projection(G2, max_members=thresholds().hub_members)
    meta["capped_hubs"] = capped_hubs_named(H.graph["capped_hubs"], G2.nodes)
    missing = []
    for a, b in without_ties:
        if H.has_edge(a, b):
            H.remove_edge(a, b)
        elif not any(frozenset((u, v)) == frozenset((a, b)) for u, v in G.edges()):
            missing.append([a, b])
    meta["missing_ties"] = missing
    return H, meta


def _view_of_scenario(net, *, as_of=None, without=(), without_ties=()):
    """:func:`organisations_view` on the arrays: ``(OrganisationsView, meta)``."""
    import numpy as np

    scene, meta = net.scenario(as_of, without=without, without_ties=without_ties)
    V = scene.view("organizations")
    meta["capped_hubs"] = capped_hubs_named(V.P.capped_hubs, scene.nodes)
    missing = []
    if without_ties:
        index = {nid: i for i, nid in enumerate(V.P.ids)}
        keep = np.ones(len(V.P.u), dtype=bool)
        for a, b in without_ties:
            if a in index and b in index:
                x, y = sorted((index[a], index[b]))
                hit = (V.P.u == x) & (V.P.v == y)
                if hit.any():
                    keep &= ~hit
                    continue
            pair = frozenset((a, b))
            if not any(frozenset((r["start"], r["end"])) == pair for r in net.dataset.relationships):
                missing.append([a, b])
        V.P.u, V.P.v, V.P.weight = V.P.u[keep], V.P.v[keep], np.asarray(V.P.weight)[keep]
        V.__dict__.pop("_csr", None)
    meta["missing_ties"] = missing
    return V, meta


def _largest(H) -> int:
    return max((len(c) for c in nx.connected_components(H)), default=0)


def _hub_order(ids, betweenness, degree, top: int) -> list[str]:
    """The ``top`` ids by betweenness, then degree, then id: ``alliances centrality``'s ranking."""
    return [ids[i] for i in rank_order(ids, betweenness, degree)[:top].tolist()]


def _top_hubs(H, top: int) -> list[str]:
    scores = centrality_scores(H, metrics=("degree", "betweenness"))
    ids = list(H)
    return _hub_order(ids, [scores[n]["betweenness"] for n in ids], [scores[n]["degree"] for n in ids], top)


def _names(H_or_G, ids) -> list[dict]:
    from alliances.analysis.brokerage import is_view

    if is_view(H_or_G):
        inside = set(H_or_G.P.ids)
        return [{"id": n, "name": H_or_G.attrs[n].get("name", n) if n in inside else n} for n in ids]
    return [{"id": n, "name": H_or_G.nodes[n].get("name", n) if n in H_or_G else n} for n in ids]


def what_if(
    G: Network | nx.MultiDiGraph,
    *,
    without: list | tuple = (),
    without_ties: list | tuple = (),
    as_of: str | None = None,
    top: int = 5,
) -> dict:
    """Compare the organisations projection with and without some nodes or ties.

    Returns ``{"meta", "largest_component": {"before", "after"},
    "corridors": [{"region_a", "region_b", "before", "after", "change"}],
    "articulation_points": {"new", "gone"}, "brokers": {"new", "gone"},
    "top_hubs": {"before", "after", "entered", "left"}}``. Distances are in
    ties (``None`` when not connected); ``change`` is ``broken``,
    ``lengthened``, ``shortened``, ``restored`` or ``unchanged``. A broker is
    an organisation with at least one cross-region brokerage two-path
    (:func:`alliances.analysis.brokerage.brokerage_roles`); hubs are the
    ``top`` by betweenness (rounded as ``alliances centrality`` ranks), then degree, then id.

    Above the engine threshold both states are arrays and the state after
    recomputes only what the removal can change (:func:`_compare_views`);
    below it networkx answers (:func:`_compare_graphs`, the reference).
    """
    from alliances.analysis.brokerage import is_view, view_of
    from alliances.network import Network, graph_of, thresholds

    if not (isinstance(G, Network) and G.analyses_on_arrays()):
        G = graph_of(G)
    before, meta = organisations_view(G, as_of=as_of)
    after, meta_after = organisations_view(G, as_of=as_of, without=without, without_ties=without_ties)
    meta.update({k: meta_after[k] for k in ("without", "without_ties", "missing_ties")})
    meta["removed_nodes"] = meta_after["removed_nodes"]
    meta["removed_relationships"] = meta_after["removed_relationships"]
    if not is_view(before) and thresholds().on_engine(before.number_of_nodes()):
        before, after = view_of(before), view_of(after)
    if is_view(before):
        return {"meta": meta, **_compare_views(before, after, without, top)}
    return {"meta": meta, **_compare_graphs(before, after, without, top)}


def _compare_graphs(before: nx.Graph, after: nx.Graph, without, top: int) -> dict:
    """:func:`what_if`'s comparison of two organisations projections on networkx (all but
    ``meta``): the reference."""
    from alliances.analysis.brokerage import cut_points

    cb = {(r["region_a"], r["region_b"]): r for r in corridors(before)}
    # the same pairs after, even if a region has lost every organisation
    regions = list(dict.fromkeys(k for pair in cb for k in pair))
    ca = {(r["region_a"], r["region_b"]): r for r in corridors(after, regions=regions)}
    rows = []
    for key, b in cb.items():
        a = ca[key]
        rows.append(_corridor_row(key, b["distance"], a["distance"], b["node_independent"],
                                  a["node_independent"]))
    art_b = {a["id"] for a in cut_points(before)["articulation_points"]}
    art_a = {a["id"] for a in cut_points(after)["articulation_points"]}
    brk_b = {r["id"] for r in broker_table(before) if r["cross_region"]}
    brk_a = {r["id"] for r in broker_table(after) if r["cross_region"]}
    hubs_b, hubs_a = _top_hubs(before, top), _top_hubs(after, top)
    return {
        "removed": _names(before, list(without)),
        "largest_component": {"before": _largest(before), "after": _largest(after)},
        "corridors": rows,
        "articulation_points": {"new": _names(after, sorted(art_a - art_b)),
                                "gone": _names(before, sorted(art_b - art_a))},
        "brokers": {"new": _names(after, sorted(brk_a - brk_b)), "gone": _names(before, sorted(brk_b - brk_a))},
        "top_hubs": {
            "before": _names(before, hubs_b),
            "after": _names(after, hubs_a),
            "entered": _names(after, [n for n in hubs_a if n not in hubs_b]),
            "left": _names(before, [n for n in hubs_b if n not in hubs_a]),
        },
    }


def _corridor_row(key, db, da, routes_b, routes_a) -> dict:
    return {"region_a": key[0], "region_b": key[1], "before": db, "after": da,
            "change": distance_change(db, da, opened="restored", closed="broken"),
            "routes_before": routes_b, "routes_after": routes_a}


# ---------------------------------------------------------------------------
# On the arrays: each measure of the state before once, and after only what the removal can change


def _compare_views(before, after, without, top: int) -> dict:
    """:func:`what_if`'s comparison of two :class:`alliances.engine.OrganisationsView` (all
    but ``meta``), equal to the graphs' (tested).

    What is computed once per state: region distances (one search per region), node-disjoint
    routes (one maximum flow per region pair, before), cross-region brokers (triangle counts,
    :func:`alliances.engine.cross_region_brokers`: only whether a node brokers is compared),
    cut points, components, betweenness. What the state after reuses when the removal only
    took things away (:func:`_removal`): a pair's distance when no removed node or tie lies
    on one of its shortest paths; its routes when the maximum flow found before used none of
    them (the flow is still one, and removing cannot add routes); the betweenness of every
    component the removal did not touch (a node's betweenness counts paths inside its own
    component only), rescaled to the new node count.
    """
    import numpy as np
    from scipy.sparse.csgraph import connected_components

    from alliances import engine
    from alliances import regions as region_groups
    from alliances.analysis.brokerage import _cuts_view

    removal = _removal(before, after)
    regions = region_groups.order(before.regions, set(before.groups))
    codes: dict[str, int] = {}
    groups_b = [codes.setdefault(g, len(codes)) for g in before.groups]
    groups_a = [codes.setdefault(g, len(codes)) for g in after.groups]

    # one scipy adjacency per side, for the distances and the components
    M_b = before.csr_matrix() if before.n else None
    M_a = after.csr_matrix() if after.n else None
    comps_b = connected_components(M_b, directed=False)[1] if before.n else np.zeros(0, int)
    comps_a = connected_components(M_a, directed=False)[1] if after.n else np.zeros(0, int)
    # corridors: distance and node-disjoint routes, before and after
    dist_b = engine.group_distances(before.P, before.groups, regions, adjacency=M_b)
    dist_a: dict = {}  # searched after only for a region whose shortest paths the removal touched
    members_b = {r: np.flatnonzero(np.asarray(before.groups, dtype=object) == r) for r in regions}
    members_a = {r: np.flatnonzero(np.asarray(after.groups, dtype=object) == r) for r in regions}
    C_b, C_a = before.csr, None
    # the nodes after keep their regions: each pair's sides after are its sides before, less what went
    same_groups = removal is not None and np.asarray(after.groups, dtype=object).tolist() == \
        np.asarray(before.groups, dtype=object)[removal["pos"]].tolist()
    rows = []
    for i, a in enumerate(regions):
        for b in regions[i + 1:]:
            d_before = _pair_distance(dist_b, members_b, a, b)
            touched = removal is None or _on_shortest_paths(dist_b, a, b, d_before, removal)
            if not touched:
                d_after = d_before
            else:
                if a not in dist_a:
                    dist_a.update(engine.group_distances(after.P, after.groups, [a], adjacency=M_a))
                d_after = _pair_distance(dist_a, members_a, a, b)
            r_before, r_after = 0, None
            if d_before is not None:
                gone = ((), ()) if removal is None else (removal["nodes"], removal["ties"])
                r_before, used, flow = engine.node_routes_arrays(C_b, members_b[a], members_b[b],
                                                                 nodes=gone[0], ties=gone[1], keep=True)
                if removal is not None and not used:
                    r_after = r_before
                elif used and same_groups and d_after is not None:
                    # warm start: the flow before, less its units through what was removed
                    r_after = engine.node_routes_without(before.n, flow, r_before, nodes=gone[0], ties=gone[1])
                del flow
            if r_after is None:
                if d_after is None:
                    r_after = 0
                else:
                    C_a = C_a if C_a is not None else after.csr
                    r_after = engine.node_routes_arrays(C_a, members_a[a], members_a[b])[0]
            rows.append(_corridor_row((a, b), d_before, d_after, r_before, r_after))

    # components and largest component
    largest = {"before": int(np.bincount(comps_b).max()) if before.n else 0,
               "after": int(np.bincount(comps_a).max()) if after.n else 0}

    ids_b, ids_a = before.P.ids, after.P.ids
    g_b, g_a = (engine.networkit_graph(V.P) if len(V.P.u) else None for V in (before, after))
    art_b = {ids_b[i] for i in _cuts_view(before, g_b)[0]}
    art_a = {ids_a[i] for i in _cuts_view(after, g_a)[0]}
    brokers_b = engine.cross_region_brokers(before.P, groups_b, graph=g_b)
    brokers_a = engine.cross_region_brokers(after.P, groups_a, graph=g_a)
    brk_b = {ids_b[i] for i in np.flatnonzero(brokers_b).tolist()}
    brk_a = {ids_a[i] for i in np.flatnonzero(brokers_a).tolist()}

    # hubs by betweenness, then degree
    hubs_b, hubs_a = [], []
    if before.n:
        sb = engine.scores_arrays(before.P, metrics=("degree", "betweenness"))
        hubs_b = _hub_order(ids_b, sb["betweenness"], sb["degree"], top)
        if after.n:
            redo, sub = _betweenness_after_part(before, after, removal, comps_b)
            bc_sub = engine.scores_arrays(sub, metrics=("betweenness",))["betweenness"] if sub.n else np.zeros(0)
            bc_a = _betweenness_after(before, after, removal, sb["betweenness"], redo, bc_sub)
            deg_a = engine.degree_arrays(after.P)[0]
            hubs_a = _hub_order(ids_a, bc_a, deg_a, top)
    return {
        "removed": _names(before, list(without)),
        "largest_component": largest,
        "corridors": rows,
        "articulation_points": {"new": _names(after, sorted(art_a - art_b)),
                                "gone": _names(before, sorted(art_b - art_a))},
        "brokers": {"new": _names(after, sorted(brk_a - brk_b)), "gone": _names(before, sorted(brk_b - brk_a))},
        "top_hubs": {
            "before": _names(before, hubs_b),
            "after": _names(after, hubs_a),
            "entered": _names(after, [n for n in hubs_a if n not in hubs_b]),
            "left": _names(before, [n for n in hubs_b if n not in hubs_a]),
        },
    }


def _removal(before, after) -> dict | None:
    """What the state after lost, in the positions of the state before, when it only lost
    things: ``{"pos", "nodes", "ties", "tie_keys"}`` (``pos[i]``: the position before of node
    ``i`` after; the nodes and ties gone). ``None`` when the state after has a node or a tie
    the one before lacks (a hub falling below ``Thresholds.hub_members`` ties its members):
    then everything after is computed afresh."""
    import numpy as np

    ids_b, ids_a = before.P.ids, after.P.ids
    kept = set(ids_a)
    pos = np.flatnonzero(np.fromiter((i in kept for i in ids_b), dtype=bool, count=len(ids_b)))
    if len(pos) != len(ids_a) or any(ids_b[p] != x for p, x in zip(pos.tolist(), ids_a)):
        return None
    n = max(before.n, 1)
    key_b = np.asarray(before.P.u, dtype=np.int64) * n + np.asarray(before.P.v, dtype=np.int64)
    ua, va = pos[np.asarray(after.P.u, dtype=np.int64)], pos[np.asarray(after.P.v, dtype=np.int64)]
    key_a = np.minimum(ua, va) * n + np.maximum(ua, va)
    key_b = np.sort(key_b)
    at = np.searchsorted(key_b, key_a)
    if len(key_a) and (at.max() >= len(key_b) or (key_b[at] != key_a).any()):
        return None
    stays = np.zeros(len(key_b), dtype=bool)
    stays[at] = True
    gone_keys = key_b[~stays]
    lost = np.ones(before.n, dtype=bool)
    lost[pos] = False
    nodes = np.flatnonzero(lost)
    # ties gone between two nodes that stay (the others go with their node)
    lo, hi = gone_keys // n, gone_keys % n
    between = ~lost[lo] & ~lost[hi]
    return {"pos": pos, "nodes": nodes, "ties": np.c_[lo[between], hi[between]], "tie_keys": gone_keys}


def _pair_distance(dist, members, a, b) -> int | None:
    import numpy as np

    if dist.get(a) is None or not len(members[b]):
        return None
    d = dist[a][members[b]].min()
    return int(d) if np.isfinite(d) else None


def _on_shortest_paths(dist, a, b, d, removal) -> bool:
    """Whether a removed node or tie lies on some shortest path between regions a and b."""
    if d is None:
        return False  # not connected before: removing cannot connect them
    da, db = dist[a], dist[b]
    x = removal["nodes"]
    if len(x) and (da[x] + db[x] == d).any():
        return True
    u, v = removal["ties"][:, 0], removal["ties"][:, 1]
    return bool(len(u)) and bool(((da[u] + 1 + db[v] == d) | (da[v] + 1 + db[u] == d)).any())


def _betweenness_after_part(before, after, removal, comps_b):
    """What betweenness after the removal needs computed: ``(part, P)``, the positions after
    of the nodes whose component before lost something (``None``: every node) and the
    projection to measure (theirs alone, or the whole state after)."""
    import numpy as np

    from alliances import engine

    if removal is None:
        return None, after.P
    pos = removal["pos"]
    n = max(before.n, 1)
    ends = np.r_[removal["tie_keys"] // n, removal["tie_keys"] % n, removal["nodes"]]
    hit = np.zeros(int(comps_b.max()) + 1 if len(comps_b) else 0, dtype=bool)
    hit[comps_b[ends]] = True
    redo = hit[comps_b[pos]]  # nodes after whose component before lost something
    if redo.all():
        return None, after.P
    part = np.flatnonzero(redo)
    at = np.full(after.n, -1, dtype=np.int64)
    at[part] = np.arange(len(part))
    u, v = np.asarray(after.P.u, dtype=np.int64), np.asarray(after.P.v, dtype=np.int64)
    inside = redo[u]  # a tie lies inside one component: both ends redo or neither
    sub = engine.Projection([after.P.ids[i] for i in part.tolist()], at[u[inside]].astype(np.int32),
                            at[v[inside]].astype(np.int32), np.asarray(after.P.weight)[inside])
    return part, sub


def _betweenness_after(before, after, removal, bc_before, part, bc_part):
    """Betweenness after the removal (normalised, networkx's scale): the components the removal
    left untouched keep their raw scores; the others (``part``, measured alone: ``bc_part``,
    :func:`_betweenness_after_part`) get theirs, rescaled. ``part`` ``None``: ``bc_part`` is
    the whole state after's."""
    import numpy as np

    if part is None:
        return bc_part
    pos = removal["pos"]
    n_b, n_a = before.n, after.n
    scale_b = (n_b - 1) * (n_b - 2) / 2 if n_b > 2 else 0.0
    scale_a = (n_a - 1) * (n_a - 2) / 2 if n_a > 2 else 0.0
    raw = np.asarray(bc_before, dtype=np.float64)[pos] * scale_b
    if len(part):
        m = len(part)
        raw[part] = bc_part * ((m - 1) * (m - 2) / 2 if m > 2 else 0.0)
    return raw / scale_a if scale_a else np.zeros(n_a)
