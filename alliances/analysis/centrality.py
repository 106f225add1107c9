"""Who are the hubs: centrality of organisations on a chosen projection."""

from __future__ import annotations

import networkx as nx

from alliances.graph import organization_ids, organizations_projection, partnership_graph

METRICS = ("degree", "weighted_degree", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank")
PROJECTIONS = ("organizations", "full")


def projection(G: nx.MultiDiGraph, name: str = "organizations") -> nx.Graph:
    """The graph a centrality runs on: ``organizations`` or ``full`` (partnership graph)."""
    if name == "organizations":
        return organizations_projection(G)
    if name == "full":
        H = partnership_graph(G)
        for u, v, d in H.edges(data=True):
            d["weight"] = len(d["rels"])
        return H
    raise ValueError(f"unknown projection {name!r}; use one of {PROJECTIONS}")


def centrality_scores(H: nx.Graph, *, seed: int = 0) -> dict[str, dict[str, float]]:
    """Every metric for every node of ``H``, normalised.

    - degree: networkx's degree centrality (share of other nodes tied to);
    - weighted_degree: sum of tie weights (number of shared ties), not normalised;
    - betweenness: Freeman betweenness, normalised by (n-1)(n-2)/2;
    - closeness: Wasserman–Faust closeness, defined on disconnected graphs;
    - harmonic: harmonic closeness divided by n-1;
    - eigenvector: leading eigenvector (power iteration), per component;
    - pagerank: PageRank with damping 0.85, weighted.

    References: Freeman (1977); Wasserman & Faust (1994); Marchiori & Latora
    (2000) for harmonic closeness; Page et al. (1999).
    """
    n = H.number_of_nodes()
    if n == 0:
        return {}
    out: dict[str, dict[str, float]] = {v: {} for v in H}
    deg = nx.degree_centrality(H) if n > 1 else {v: 0.0 for v in H}
    wdeg = dict(H.degree(weight="weight"))
    btw = nx.betweenness_centrality(H, normalized=True, seed=seed)
    clo = nx.closeness_centrality(H, wf_improved=True)
    har = nx.harmonic_centrality(H)
    eig = _eigenvector(H)
    pr = nx.pagerank(H, alpha=0.85, weight="weight")
    for v in H:
        out[v] = {
            "degree": deg[v],
            "weighted_degree": float(wdeg[v]),
            "betweenness": btw[v],
            "closeness": clo[v],
            "harmonic": har[v] / (n - 1) if n > 1 else 0.0,
            "eigenvector": eig[v],
            "pagerank": pr[v],
        }
    return out


def _eigenvector(H: nx.Graph) -> dict[str, float]:
    if H.number_of_edges() == 0:
        return {v: 0.0 for v in H}
    try:
        return nx.eigenvector_centrality(H, max_iter=10_000, tol=1e-10)
    except nx.PowerIterationFailedConvergence:
        return nx.eigenvector_centrality_numpy(H)


def centrality_table(
    G: nx.MultiDiGraph,
    *,
    projection_name: str = "organizations",
    by: str = "betweenness",
    top: int | None = None,
) -> list[dict]:
    """One row per organisation: id, name, region, kind, each metric and ranks.

    Rows are sorted by ``by`` (descending), then degree, then id; ``rank`` is
    the overall position and ``region_rank`` the position within its region.
    """
    if by not in METRICS:
        raise ValueError(f"unknown metric {by!r}; use one of {METRICS}")
    H = projection(G, projection_name)
    scores = centrality_scores(H)
    rows = []
    for nid in organization_ids(H):
        d = G.nodes[nid]
        row = {
            "id": nid,
            "name": d.get("name", ""),
            "name_en": d.get("name_en", ""),
            "region": d.get("region_group", "other"),
            "kind": d.get("kind", ""),
        }
        row.update({m: round(scores[nid][m], 6) for m in METRICS})
        rows.append(row)
    rows.sort(key=lambda r: (-r[by], -r["degree"], r["id"]))
    per_region: dict[str, int] = {}
    for i, row in enumerate(rows, start=1):
        row["rank"] = i
        per_region[row["region"]] = per_region.get(row["region"], 0) + 1
        row["region_rank"] = per_region[row["region"]]
    return rows[:top] if top else rows
