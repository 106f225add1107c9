"""Clusters: Louvain communities, their modularity and how they span regions."""

from __future__ import annotations

import networkx as nx

from alliances import regions as region_groups


def partition(H: nx.Graph, *, seed: int = 0, weight: str = "weight", resolution: float = 1.0) -> list[set]:
    """Louvain communities of ``H`` as a list of node sets.

    networkx's Louvain up to ``Thresholds.engine`` nodes
    (:mod:`alliances.network`); above it networkit's PLM (the same method, compiled). Either runs
    on the graph in canonical order (:func:`partition_arrays`), so a seed
    gives the same partition however the graph was read (a folder, Neo4j).
    Louvain is a heuristic: the two give partitions of comparable
    modularity, not the same partition.
    """
    from alliances import engine

    P = engine.projection_from_networkx(H, weight)
    groups: dict[int, set] = {}
    for nid, c in zip(P.ids, partition_arrays(P, seed=seed, resolution=resolution).tolist()):
        groups.setdefault(c, set()).add(nid)
    return list(groups.values())


def partition_arrays(P, *, seed: int = 0, resolution: float = 1.0):
    """Louvain community of each node of a :class:`~alliances.engine.Projection`.

    Returns an integer array aligned with ``P.ids`` (equal numbers, same
    community). Works on ``P`` in canonical order, so the answer does not
    depend on how the arrays were read; networkx's Louvain up to
    ``Thresholds.engine`` nodes, networkit's PLM
    above, as :func:`partition`.
    """
    import numpy as np

    from alliances import engine

    from alliances.network import thresholds

    C, order = engine.canonical(P)
    if not thresholds().on_engine(C.n):
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
    from alliances.analysis.brokerage import is_view

    if is_view(H):
        return _louvain_view(H, seed=seed, resolution=resolution)
    if H.number_of_nodes() == 0:
        return {"seed": seed, "resolution": resolution, "modularity": 0.0, "communities": [], "membership": {}}
    parts = partition(H, weight=weight, resolution=resolution, seed=seed)
    parts = sorted((sorted(p, key=str) for p in parts), key=lambda p: (-len(p), str(p[0])))
    q = nx.community.modularity(H, parts, weight=weight, resolution=resolution) if H.number_of_edges() else 0.0
    communities, membership = [], {}
    # one column per region group with organisations or members here (the dataset's own, in its
    # order), and "other"
    table = region_groups.table_of(H)
    present = {r["key"] for r in table if r["organisations"]} | {H.nodes[n].get("region_group", "other") for n in H}
    columns = region_groups.order(table, present | {region_groups.NO_REGION})
    for i, members in enumerate(parts, start=1):
        regions = dict.fromkeys(columns, 0)
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


def communities_report(network, *, projection: str = "full", as_of: str | None = None,
                       seed: int = 0, resolution: float = 1.0) -> tuple[dict, dict]:
    """``(meta, louvain result)`` of a network's projection as of a date (``alliances communities``).

    ``network`` is a :class:`~alliances.network.Network` or a ``MultiDiGraph``;
    ``meta`` is :func:`alliances.analysis.centrality.scenario_graph`'s with ``projection``.
    """
    from alliances.analysis.centrality import scenario_graph
    from alliances.analysis.centrality import capped_hubs_named
    from alliances.graph import projection as make_projection
    from alliances.network import thresholds
    from alliances.network import graph_of

    net = network
    if getattr(net, "analyses_on_arrays", lambda: False)():  # a large dataset: its arrays, no graph
        if as_of:
            scene, meta = net.scenario(as_of)
        else:
            scene, meta = net, {"as_of": None, "without": [], "without_ties": [], "undated_relationships": 0,
                                "undated_nodes": 0, "removed_nodes": 0, "removed_relationships": 0}
        V = scene.view(projection)
        meta.update(projection=projection, capped_hubs=capped_hubs_named(V.P.capped_hubs, scene.nodes))
        return meta, louvain(V, seed=seed, resolution=resolution)
    G, meta = scenario_graph(graph_of(network), as_of=as_of)
    H = make_projection(G, projection, max_members=thresholds().hub_members)
    result = louvain(H, seed=seed, resolution=resolution)
    meta.update({"projection": projection, "capped_hubs": capped_hubs_named(H.graph.get("capped_hubs", []), G.nodes)})
    return meta, result


def _louvain_view(V, *, seed: int = 0, resolution: float = 1.0) -> dict:
    """:func:`louvain` on an :class:`alliances.engine.OrganisationsView` (the same partition,
    since both run :func:`partition_arrays` on the canonical arrays; modularity computed on the arrays)."""
    import numpy as np

    P = V.P
    ids = P.ids
    if P.n == 0:
        return {"seed": seed, "resolution": resolution, "modularity": 0.0, "communities": [], "membership": {}}
    found = partition_arrays(P, seed=seed, resolution=resolution)
    groups: dict[int, list] = {}
    for i, c in enumerate(found.tolist()):
        groups.setdefault(c, []).append(i)
    parts = sorted((sorted(p, key=lambda i: str(ids[i])) for p in groups.values()),
                   key=lambda p: (-len(p), str(ids[p[0]])))
    q = modularity_arrays(P, found, resolution=resolution) if len(P.u) else 0.0
    present = {r["key"] for r in V.regions if r["organisations"]} | set(V.groups)
    columns = region_groups.order(V.regions, present | {region_groups.NO_REGION})
    communities, membership = [], {}
    for k, members in enumerate(parts, start=1):
        regions = dict.fromkeys(columns, 0)
        for i in members:
            membership[ids[i]] = k
            regions[V.groups[i]] = regions.get(V.groups[i], 0) + 1
        communities.append({
            "index": k, "size": len(members),
            "members": [{"id": ids[i], "name": V.name(i), "region": V.groups[i]} for i in members],
            "regions": regions, "spans_regions": sum(1 for c in regions.values() if c),
        })
    return {"seed": seed, "resolution": resolution, "modularity": q,
            "communities": communities, "membership": membership}


def modularity_arrays(P, membership, *, resolution: float = 1.0) -> float:
    """Newman's weighted modularity of a partition of a :class:`~alliances.engine.Projection`,
    as :func:`networkx.community.modularity` computes it:
    ``Σ_c L_c / m − γ (D_c / 2m)²`` (``L_c`` the weight inside community c, ``D_c`` its total degree)."""
    import numpy as np

    c = np.asarray(membership, dtype=np.int64)
    w = np.asarray(P.weight, dtype=np.float64)
    m = float(w.sum())
    if m == 0:
        return 0.0
    inside = c[P.u] == c[P.v]
    k = int(c.max()) + 1
    L = np.bincount(c[P.u][inside], w[inside], minlength=k)
    D = np.bincount(c[P.u], w, minlength=k) + np.bincount(c[P.v], w, minlength=k)
    return float((L / m - resolution * (D / (2 * m)) ** 2).sum())
