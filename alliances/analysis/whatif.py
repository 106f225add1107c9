"""What if an organisation or a tie were gone? Before/after on the organisations projection."""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from alliances.analysis.brokerage import broker_table, corridors, distance_change
from alliances.analysis.centrality import capped_hubs_named, centrality_scores, scenario_graph
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
    from alliances.analysis.brokerage import is_view

    if is_view(H):
        from scipy.sparse.csgraph import connected_components

        import numpy as np

        if H.n == 0:
            return 0
        _, labels = connected_components(H.csr_matrix(), directed=False)
        return int(np.bincount(labels).max())
    return max((len(c) for c in nx.connected_components(H)), default=0)


def _top_hubs(H, top: int) -> list[str]:
    from alliances.analysis.brokerage import is_view

    if is_view(H):
        from alliances import engine
        from alliances.network import thresholds

        if thresholds().on_engine(H.n):
            scores = engine.centrality_scores_fast(H.P)
        else:  # small: the networkx reference, on the same ties
            U = nx.Graph()
            U.add_nodes_from(H.P.ids)
            U.add_weighted_edges_from((H.P.ids[a], H.P.ids[b], w) for a, b, w in
                                      zip(H.P.u.tolist(), H.P.v.tolist(), H.P.weight.tolist()))
            scores = centrality_scores(U)
        order = sorted(H.P.ids, key=lambda n: (-scores[n]["betweenness"], -scores[n]["degree"], n))
        return order[:top]
    scores = centrality_scores(H)
    order = sorted(H, key=lambda n: (-scores[n]["betweenness"], -scores[n]["degree"], n))
    return order[:top]


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
    ``top`` by betweenness.
    """
    from alliances.analysis.brokerage import cut_points
    from alliances.network import Network, graph_of

    if not (isinstance(G, Network) and G.analyses_on_arrays()):
        G = graph_of(G)
    before, meta = organisations_view(G, as_of=as_of)
    after, meta_after = organisations_view(G, as_of=as_of, without=without, without_ties=without_ties)
    meta.update({k: meta_after[k] for k in ("without", "without_ties", "missing_ties")})
    meta["removed_nodes"] = meta_after["removed_nodes"]
    meta["removed_relationships"] = meta_after["removed_relationships"]
    cb = {(r["region_a"], r["region_b"]): r for r in corridors(before)}
    # the same pairs after, even if a region has lost every organisation
    regions = list(dict.fromkeys(k for pair in cb for k in pair))
    ca = {(r["region_a"], r["region_b"]): r for r in corridors(after, regions=regions)}
    rows = []
    for key, b in cb.items():
        a = ca[key]
        db, da = b["distance"], a["distance"]
        change = distance_change(db, da, opened="restored", closed="broken")
        rows.append({"region_a": key[0], "region_b": key[1], "before": db, "after": da, "change": change,
                     "routes_before": b["node_independent"], "routes_after": a["node_independent"]})
    art_b = {a["id"] for a in cut_points(before)["articulation_points"]}
    art_a = {a["id"] for a in cut_points(after)["articulation_points"]}
    brk_b = {r["id"] for r in broker_table(before) if r["cross_region"]}
    brk_a = {r["id"] for r in broker_table(after) if r["cross_region"]}
    hubs_b, hubs_a = _top_hubs(before, top), _top_hubs(after, top)
    return {
        "meta": meta,
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
