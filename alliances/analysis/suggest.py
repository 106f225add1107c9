"""Partner suggestions: organisations in other regions worth tying to, with reasons.

Scores are link-prediction indices on the full partnership graph, restricted to
pairs of organisations in different regions that have no direct relationship
yet. Because the full graph keeps alliances, agreements and activities as
nodes, sharing one of them makes it a common neighbour of the pair.
"""

from __future__ import annotations

import math

import networkx as nx

SCORES = ("adamic_adar", "resource_allocation", "common_neighbors")


def suggest_partners(
    P: nx.Graph,
    *,
    for_node: str | None = None,
    top: int = 5,
    by: str = "adamic_adar",
) -> list[dict]:
    """Top not-yet-tied organisations in other regions, for one organisation or all.

    ``P`` is :func:`alliances.graph.partnership_graph` (nodes carry ``label``
    and ``region_group``). A pair qualifies when both are organisations, their
    region groups differ, they have no direct tie in ``P`` and at least one
    common neighbour. For each qualifying pair (u, v) with common neighbours Z:

    - common_neighbors = |Z|;
    - adamic_adar = Σ_{z∈Z} 1 / ln deg(z);
    - resource_allocation = Σ_{z∈Z} 1 / deg(z).

    Every z has degree ≥ 2 (it touches u and v), so the logarithm is positive.
    Rows ``{"id", "name", "region", "partner", "partner_name",
    "partner_region", "adamic_adar", "resource_allocation",
    "common_neighbors", "reasons": [{"id", "name", "label"}], "reason"}``,
    best ``by`` first (ties broken by the other scores, then ids); at most
    ``top`` per organisation.

    References
    ----------
    Adamic, L. A. & Adar, E. (2003). Friends and neighbors on the Web. *Social Networks* 25(3).
    Zhou, T., Lü, L. & Zhang, Y.-C. (2009). Predicting missing links via local
    information. *Eur. Phys. J. B* 71, 623–630.
    Liben-Nowell, D. & Kleinberg, J. (2007). The link-prediction problem for
    social networks. *JASIST* 58(7).
    """
    if by not in SCORES:
        raise ValueError(f"unknown score {by!r}; use one of {SCORES}")
    orgs = sorted(n for n, d in P.nodes(data=True) if d.get("label") == "Organization")
    subjects = [for_node] if for_node is not None else orgs
    others = set(orgs)
    rows: list[dict] = []
    for u in subjects:
        gu = P.nodes[u].get("region_group", "other")
        candidates: dict[str, list] = {}
        for z in P.neighbors(u):
            for v in P.neighbors(z):
                if v == u or v not in others or P.has_edge(u, v):
                    continue
                if P.nodes[v].get("region_group", "other") == gu:
                    continue
                candidates.setdefault(v, []).append(z)
        mine = []
        for v, zs in candidates.items():
            zs = sorted(set(zs))
            degs = [P.degree(z) for z in zs]
            mine.append({
                "id": u,
                "name": P.nodes[u].get("name", u),
                "region": gu,
                "partner": v,
                "partner_name": P.nodes[v].get("name", v),
                "partner_region": P.nodes[v].get("region_group", "other"),
                "adamic_adar": round(sum(1 / math.log(k) for k in degs), 6),
                "resource_allocation": round(sum(1 / k for k in degs), 6),
                "common_neighbors": len(zs),
                "reasons": [{"id": z, "name": P.nodes[z].get("name", z), "label": P.nodes[z].get("label", "")}
                            for z in zs],
            })
        order = [by] + [s for s in SCORES if s != by]
        mine.sort(key=lambda r: (*(-r[s] for s in order), r["partner"]))
        rows.extend(mine[:top] if top else mine)
    for r in rows:
        r["reason"] = reason_text(r["reasons"])
    return rows


_LABEL_ZH = {"Alliance": "联盟", "Agreement": "协议", "Activity": "活动", "Organization": "组织",
             "BusinessCircle": "商圈", "Project": "项目", "Person": "人物"}


def reason_text(reasons: list[dict], lang: str = "zh") -> str:
    """The shared neighbours named, grouped by kind: ``活动：A、B；联盟：C``."""
    groups: dict[str, list[str]] = {}
    for r in reasons:
        groups.setdefault(r["label"], []).append(str(r["name"]))
    if lang == "en":
        return "; ".join(f"shared {lab}: {', '.join(ns)}" for lab, ns in sorted(groups.items()))
    return "；".join(f"共同{_LABEL_ZH.get(lab, lab)}：{'、'.join(ns)}" for lab, ns in sorted(groups.items()))


def suggest_report(network, *, for_name: str | None = None, top: int = 5, by: str = "adamic_adar",
                   as_of: str | None = None) -> tuple[dict, list[dict]]:
    """``(meta, rows)`` of ``alliances suggest``: :func:`suggest_partners` on the
    partnership graph as of a date, for one organisation named by the user or all.

    Raises :class:`alliances.errors.UsageError` when ``for_name`` names a node
    that is not an organisation (then, on ``as_of``).
    """
    from alliances.analysis.centrality import scenario_graph
    from alliances.errors import UsageError
    from alliances.graph import partnership_graph
    from alliances.network import graph_of
    from alliances.resolve import resolve

    G, meta = scenario_graph(graph_of(network), as_of=as_of)
    P = partnership_graph(G)
    nid = None
    if for_name:
        nid = resolve(G, for_name)
        if nid not in P or P.nodes[nid].get("label") != "Organization":
            raise UsageError(f"--for {for_name!r} names {nid}, which is not an organisation"
                             f"{' on ' + as_of if as_of else ''}; give an organisation's name or id.")
    return meta, suggest_partners(P, for_node=nid, top=top, by=by)
