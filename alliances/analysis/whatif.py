"""What if an organisation or a tie were gone? Before/after on the organisations projection."""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from alliances.analysis.brokerage import broker_table, corridors
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
    from alliances.network import graph_of
    from alliances.resolve import resolve

    G = graph_of(G)
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

    if isinstance(G, Network) and G.analyses_on_arrays() and not (without or without_ties):
        # a large dataset (as of a date: cut to it): the projection's arrays, no graph
        # (the analyses take either)
        if as_of:
            scene, meta = G.scenario(as_of)
        else:
            scene, meta = G, {"as_of": None, "without": [], "without_ties": [], "undated_relationships": 0,
                              "undated_nodes": 0, "removed_nodes": 0, "removed_relationships": 0}
        V = scene.view("organizations")
        meta.update(capped_hubs=capped_hubs_named(V.P.capped_hubs, scene.nodes), missing_ties=[])
        return V, meta
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


def _largest(H) -> int:
    return max((len(c) for c in nx.connected_components(H)), default=0)


def _top_hubs(H, top: int) -> list[str]:
    scores = centrality_scores(H)
    order = sorted(H, key=lambda n: (-scores[n]["betweenness"], -scores[n]["degree"], n))
    return order[:top]


def _names(H_or_G, ids) -> list[dict]:
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
    from alliances.network import graph_of

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
        if db is not None and da is None:
            change = "broken"
        elif db is None and da is not None:
            change = "restored"
        elif db is not None and da > db:
            change = "lengthened"
        elif db is not None and da < db:
            change = "shortened"
        else:
            change = "unchanged"
        rows.append({"region_a": key[0], "region_b": key[1], "before": db, "after": da, "change": change,
                     "routes_before": b["node_independent"], "routes_after": a["node_independent"]})
    art_b, art_a = set(nx.articulation_points(before)), set(nx.articulation_points(after))
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
