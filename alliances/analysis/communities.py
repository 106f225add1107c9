"""Clusters: Louvain communities, their modularity and how they span regions."""

from __future__ import annotations

import networkx as nx

from alliances.model import REGION_GROUPS


def partition(H: nx.Graph, *, seed: int = 0, weight: str = "weight", resolution: float = 1.0) -> list[set]:
    """Louvain communities of ``H`` as a list of node sets.

    networkx's Louvain up to :data:`alliances.analysis.engine.FAST_THRESHOLD`
    nodes; above it networkit's PLM (the same method, compiled). Either runs
    on the graph in canonical order (:func:`partition_arrays`), so a seed
    gives the same partition however the graph was read (a folder, Neo4j).
    Louvain is a heuristic: the two give partitions of comparable
    modularity, not the same partition.
    """
    from alliances.analysis import engine

    P = engine.projection_from_networkx(H, weight)
    groups: dict[int, set] = {}
    for nid, c in zip(P.ids, partition_arrays(P, seed=seed, resolution=resolution).tolist()):
        groups.setdefault(c, set()).add(nid)
    return list(groups.values())


def partition_arrays(P, *, seed: int = 0, resolution: float = 1.0):
    """Louvain community of each node of a :class:`~alliances.analysis.engine.Projection`.

    Returns an integer array aligned with ``P.ids`` (equal numbers, same
    community). Works on ``P`` in canonical order, so the answer does not
    depend on how the arrays were read; networkx's Louvain up to
    :data:`~alliances.analysis.engine.FAST_THRESHOLD` nodes, networkit's PLM
    above, as :func:`partition`.
    """
    import numpy as np

    from alliances.analysis import engine

    C, order = engine.canonical(P)
    if C.n <= engine.FAST_THRESHOLD:
        H = nx.Graph()
        H.add_nodes_from(range(C.n))
        H.add_weighted_edges_from(zip(C.u.tolist(), C.v.tolist(), np.asarray(C.weight).tolist()))
        found = np.empty(C.n, dtype=np.int64)
        for i, members in enumerate(nx.community.louvain_communities(H, resolution=resolution, seed=seed)):
            found[list(members)] = i
    else:
        found = engine.communities_arrays(C, seed=seed, resolution=resolution)["membership"]
    membership = np.empty(P.n, dtype=np.int64)
    membership[order] = found
    return membership


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
