"""Clusters: Louvain communities, their modularity and how they span regions."""

from __future__ import annotations

import networkx as nx

from alliances.model import REGION_GROUPS


def partition(H: nx.Graph, *, seed: int = 0, weight: str = "weight", resolution: float = 1.0) -> list[set]:
    """Louvain communities of ``H`` as a list of node sets.

    networkx's Louvain up to :data:`alliances.analysis.engine.FAST_THRESHOLD`
    nodes; above it networkit's PLM (the same method, compiled) on the
    graph in canonical order, so a seed gives the same partition however the
    graph was read. Louvain is a heuristic: the two give partitions of
    comparable modularity, not the same partition.
    """
    from alliances.analysis import engine

    if H.number_of_nodes() <= engine.FAST_THRESHOLD:
        return nx.community.louvain_communities(H, weight=weight, resolution=resolution, seed=seed)
    P, _ = engine.canonical(engine.projection_from_networkx(H, weight))
    membership = engine.communities_arrays(P, seed=seed, resolution=resolution)["membership"]
    groups: dict[int, set] = {}
    for nid, c in zip(P.ids, membership.tolist()):
        groups.setdefault(c, set()).add(nid)
    return list(groups.values())


def louvain(H: nx.Graph, *, seed: int = 0, weight: str = "weight", resolution: float = 1.0) -> dict:
    """Louvain communities of ``H`` with their modularity and region make-up.

    Returns ``{"seed", "resolution", "modularity", "communities": [...],
    "membership": {node: index}}``. Each community is ``{"index", "size",
    "members": [{"id", "name", "region"}], "regions": {group: count}}``;
    communities are ordered by size (largest first), then by their smallest
    id, so the numbering is stable for a given seed. Modularity is
    networkx's (Newman 2006) of exactly this partition, with ``weight``.

    References
    ----------
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008).
    Fast unfolding of communities in large networks. *J. Stat. Mech.* P10008.
    Newman, M. E. J. (2006). Modularity and community structure in networks. *PNAS* 103(23).

    Examples
    --------
    >>> H = nx.barbell_graph(3, 0)
    >>> sorted(c["size"] for c in louvain(H)["communities"])
    [3, 3]
    """
    if H.number_of_nodes() == 0:
        return {"seed": seed, "resolution": resolution, "modularity": 0.0, "communities": [], "membership": {}}
    parts = partition(H, weight=weight, resolution=resolution, seed=seed)
    parts = sorted((sorted(p, key=str) for p in parts), key=lambda p: (-len(p), str(p[0])))
    q = nx.community.modularity(H, parts, weight=weight, resolution=resolution) if H.number_of_edges() else 0.0
    communities, membership = [], {}
    for i, members in enumerate(parts, start=1):
        regions = dict.fromkeys(REGION_GROUPS, 0)
        for n in members:
            membership[n] = i
            g = H.nodes[n].get("region_group", "other")
            regions[g] = regions.get(g, 0) + 1
        communities.append({
            "index": i,
            "size": len(members),
            "members": [{"id": n, "name": H.nodes[n].get("name", n),
                         "region": H.nodes[n].get("region_group", "other")} for n in members],
            "regions": regions,
            "spans_regions": sum(1 for c in regions.values() if c),
        })
    return {"seed": seed, "resolution": resolution, "modularity": q,
            "communities": communities, "membership": membership}
