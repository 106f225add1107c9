"""Who are the hubs: centrality of organisations on a chosen projection."""

from __future__ import annotations

import networkx as nx

from alliances.graph import organization_ids, organizations_projection, projection
from alliances.network import PROJECTIONS, Network, as_network, thresholds

METRICS = ("degree", "weighted_degree", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank")


def centrality_scores(H: nx.Graph, *, seed: int = 0, metrics=METRICS) -> dict[str, dict[str, float]]:
    """The chosen metrics (default: every one) for every node of ``H``, normalised.

    - degree: networkx's degree centrality (share of other nodes tied to);
    - weighted_degree: strength, the sum of tie weights (the number of shared ties in unweighted
      data; see :func:`alliances.graph.organizations_projection`), not normalised;
    - betweenness: Freeman betweenness, normalised by (n-1)(n-2)/2;
    - closeness: Wasserman–Faust closeness, defined on disconnected graphs;
    - harmonic: harmonic closeness divided by n-1;
    - eigenvector: leading eigenvector (power iteration), per component;
    - pagerank: PageRank with damping 0.85, weighted.

    The backend follows :data:`alliances.network.THRESHOLDS`: networkx (the
    reference) up to ``engine`` nodes, the compiled engine above it, with the
    same conventions (:mod:`alliances.engine`). ``alliances centrality`` and
    the map's node sizes both come from here, so they agree.

    References: Freeman (1977); Wasserman & Faust (1994); Marchiori & Latora
    (2000) for harmonic closeness; Page et al. (1999).
    """
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown}; use one of {METRICS}")
    n = H.number_of_nodes()
    if n == 0:
        return {}
    if thresholds().on_engine(n):  # large graphs: compiled engine, same conventions
        from alliances import engine

        return engine.centrality_scores_fast(H, metrics=tuple(metrics), seed=seed)
    want = set(metrics)
    cols: dict[str, dict] = {}
    if "degree" in want:
        cols["degree"] = nx.degree_centrality(H) if n > 1 else {v: 0.0 for v in H}
    if "weighted_degree" in want:
        cols["weighted_degree"] = {v: float(d) for v, d in H.degree(weight="weight")}
    if "betweenness" in want:
        cols["betweenness"] = nx.betweenness_centrality(H, normalized=True, seed=seed)
    if "closeness" in want:
        cols["closeness"] = nx.closeness_centrality(H, wf_improved=True)
    if "harmonic" in want:
        har = nx.harmonic_centrality(H)
        cols["harmonic"] = {v: har[v] / (n - 1) if n > 1 else 0.0 for v in H}
    if "eigenvector" in want:
        cols["eigenvector"] = _eigenvector(H)
    if "pagerank" in want:
        cols["pagerank"] = nx.pagerank(H, alpha=0.85, weight="weight")
    return {v: {m: cols[m][v] for m in metrics} for v in H}


def _eigenvector(H: nx.Graph) -> dict[str, float]:
    if H.number_of_edges() == 0:
        return {v: 0.0 for v in H}
    try:
        return nx.eigenvector_centrality(H, max_iter=10_000, tol=1e-10)
    except nx.PowerIterationFailedConvergence:
        return nx.eigenvector_centrality_numpy(H)


def capped_hubs_named(hubs: list[dict], nodes) -> list[dict]:
    """Hubs left out of the organisations projection for their size, with their names."""
    return [{**h, "name": nodes[h["id"]].get("name", h["id"]) if h["id"] in nodes else h["id"]} for h in hubs]


#: Hubs are ranked on their scores as the tables print them (this many decimals), so two equal
#: scores summed in a different order (another thread count, a part of the graph computed alone)
#: tie exactly and fall to degree, then id.
RANK_DECIMALS = 6


def rank_order(ids, score, degree):
    """Positions of ``ids`` ranked as hubs: by ``score`` (rounded to :data:`RANK_DECIMALS`), then
    degree (rounded alike), then id in string order. The one ranking of ``alliances centrality``,
    ``whatif``'s top hubs and the report."""
    import numpy as np

    from alliances import engine

    if not len(ids):
        return np.zeros(0, dtype=np.int64)
    score = np.round(np.asarray(score, dtype=np.float64), RANK_DECIMALS)
    degree = np.round(np.asarray(degree, dtype=np.float64), RANK_DECIMALS)
    return np.lexsort((engine.id_rank(ids), -degree, -score))


def centrality_table(
    G: Network | nx.MultiDiGraph | None,
    *,
    projection_name: str = "organizations",
    by: str = "betweenness",
    top: int | None = None,
    dataset=None,
    info: dict | None = None,
) -> list[dict]:
    """One row per organisation: id, name, region, kind, each metric and ranks.

    ``info``, when given, receives ``capped_hubs``: the hubs too large for the
    organisations projection (``Thresholds.hub_members``), named.

    Rows are sorted by ``by`` (descending), then degree, then id; ``rank`` is
    the overall position and ``region_rank`` the position within its region.
    With ``G=None`` the projection is built as int32 arrays straight from the
    checked ``dataset`` (a Dataset or a :class:`~alliances.network.Network`;
    equal to the graph's, tested) and only the rows asked for become dicts:
    at a million organisations no networkx graph is built.
    """
    import numpy as np

    from alliances import engine

    if by not in METRICS:
        raise ValueError(f"unknown metric {by!r}; use one of {METRICS}")
    if isinstance(G, Network):
        G = G.graph
    if G is None:
        if projection_name not in PROJECTIONS:
            raise ValueError(f"unknown projection {projection_name!r}; use one of {PROJECTIONS}")
        net = dataset if isinstance(dataset, Network) else Network(dataset)
        P = net.projection_arrays(projection_name)
        attrs, groups = net.nodes, net.region_groups
        capped = capped_hubs_named(P.capped_hubs, attrs)
        ids = P.ids
        if thresholds().on_engine(P.n):
            cols = engine.scores_arrays(P)
        else:  # small: the networkx reference, on the same graph
            H = nx.Graph()
            H.add_nodes_from(P.ids)
            H.add_weighted_edges_from(zip((ids[i] for i in P.u.tolist()), (ids[i] for i in P.v.tolist()),
                                          np.asarray(P.weight).tolist()))
            scores = centrality_scores(H)
            cols = {m: np.array([scores[nid][m] for nid in ids]) for m in METRICS}
        keep = [i for i, nid in enumerate(ids) if attrs[nid].get("label") == "Organization"]
        ids = [ids[i] for i in keep]
        values = {m: [round(x, 6) for x in cols[m][keep].tolist()] for m in METRICS}
        region = [groups.get(nid, "other") for nid in ids]
    else:
        H = projection(G, projection_name, max_members=thresholds().hub_members)
        capped = capped_hubs_named(H.graph.get("capped_hubs", []), G.nodes)
        scores = centrality_scores(H)
        ids = organization_ids(H)
        attrs = G.nodes
        values = {m: [round(scores[nid][m], 6) for nid in ids] for m in METRICS}
        region = [attrs[nid].get("region_group", "other") for nid in ids]
    if info is not None:
        info["capped_hubs"] = capped
    n = len(ids)
    order = rank_order(ids, values[by], values["degree"])
    codes = {g: i for i, g in enumerate(sorted(set(region)))}
    region_code = np.array([codes[g] for g in region], dtype=np.int64)
    region_rank = np.empty(n, dtype=np.int64)
    for c in range(len(codes)):  # position within its region, in table order
        at = order[region_code[order] == c]
        region_rank[at] = np.arange(1, len(at) + 1)
    rows = []
    for rank, i in enumerate(order[:top] if top else order, start=1):
        i = int(i)
        nid, d = ids[i], attrs[ids[i]]
        row = {"id": nid, "name": d.get("name", ""), "name_en": d.get("name_en", ""), "region": region[i],
               "kind": d.get("kind", "")}
        row.update({m: values[m][i] for m in METRICS})
        row["rank"], row["region_rank"] = rank, int(region_rank[i])
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------
# Scenarios (as of a date, without some nodes or ties) and hub explanations


def scenario_graph(
    G: nx.MultiDiGraph,
    *,
    as_of: str | None = None,
    without: tuple | list = (),
    without_ties: tuple | list = (),
) -> tuple[nx.MultiDiGraph, dict]:
    """``G`` as it stood on ``as_of`` and without some nodes or direct ties.

    A thin wrapper over :func:`alliances.graph.filter_graph` that also counts
    the undated nodes (other than regions and zones) a date filter had to keep,
    so callers can report them rather than guess. Returns ``(graph, meta)``;
    ``meta`` has ``as_of``, ``without``, ``without_ties``,
    ``undated_relationships``, ``undated_nodes``, ``removed_nodes`` and
    ``removed_relationships`` (counts).
    """
    from alliances.graph import filter_graph
    from alliances.model import GEOGRAPHIC_LABELS

    H, rep = filter_graph(G, without=without, without_edges=without_ties, as_of=as_of)
    undated_nodes = 0
    if as_of:
        undated_nodes = sum(
            1 for _, d in H.nodes(data=True)
            if not d.get("date") and d.get("label") not in GEOGRAPHIC_LABELS
        )
    meta = {
        "as_of": as_of,
        "without": list(without),
        "without_ties": [list(t) for t in without_ties],
        "undated_relationships": rep["undated_relationships"] if as_of else 0,
        "undated_nodes": undated_nodes,
        "removed_nodes": G.number_of_nodes() - H.number_of_nodes(),
        # edges of removed nodes go with them, so count the difference
        "removed_relationships": G.number_of_edges() - H.number_of_edges(),
    }
    return H, meta


ALLIANCE_TYPES = ("MEMBER_OF", "FOUNDED")
ACTIVITY_TYPES = ("ORGANIZED", "PARTICIPATED_IN")
AGREEMENT_TYPES = ("PARTY_TO",)


def hub_explanation(G: nx.MultiDiGraph, nid: str, *, projection_graph: nx.Graph | None = None) -> dict:
    """Why an organisation is a hub: what it belongs to and whom it reaches.

    Returns ``{"alliances", "activities", "agreements", "partners_other_regions"}``,
    each a list of ``{"id", "name", "name_en"}`` (partners also carry ``region``),
    sorted by id. Partners in other regions are its neighbours in the
    organisations projection whose ``region_group`` differs from its own.

    Examples
    --------
    >>> from alliances.dataset import read_dataset
    >>> from alliances.graph import build_graph
    >>> G = build_graph(read_dataset(None))
    >>> [a["id"] for a in hub_explanation(G, "jiefangbei-committee")["activities"]]
    ['mv-shoot', 'three-place-activity']
    """
    def item(n):
        d = G.nodes[n]
        return {"id": n, "name": d.get("name", n), "name_en": d.get("name_en", "")}

    found: dict[str, set] = {"alliances": set(), "activities": set(), "agreements": set()}
    want = {"Alliance": ("alliances", ALLIANCE_TYPES), "Activity": ("activities", ACTIVITY_TYPES),
            "Agreement": ("agreements", AGREEMENT_TYPES)}
    for _, other, key in G.out_edges(nid, keys=True):
        label = G.nodes[other].get("label")
        if label in want and key in want[label][1]:
            found[want[label][0]].add(other)
    out = {k: [item(n) for n in sorted(v)] for k, v in found.items()}
    own = G.nodes[nid].get("region_group", "other")
    # the organisations projection of G, when the caller has it already (it is costly)
    P = organizations_projection(G, max_members=thresholds().hub_members) if projection_graph is None \
        else projection_graph
    partners = []
    if nid in P:
        for m in sorted(P.neighbors(nid)):
            if P.nodes[m].get("region_group", "other") != own:
                partners.append({**item(m), "region": P.nodes[m].get("region_group", "other")})
    out["partners_other_regions"] = partners
    return out


def explanation_text(expl: dict, lang: str = "zh", *, limit: int | None = None) -> str:
    """One line summarising :func:`hub_explanation` for a table or Markdown cell.

    With ``limit``, each list names at most ``limit`` items, then "等 N 个" / "and N more"
    (a hub of a large network can have thousands of partners)."""
    def names(items):
        key = "name_en" if lang == "en" else "name"
        shown = items if limit is None else items[:limit]
        text = "、".join((i.get(key) or i["name"]) for i in shown) if lang == "zh" else \
            "; ".join((i.get(key) or i["name"]) for i in shown)
        if len(shown) < len(items):
            text += f" 等 {len(items):,} 个" if lang == "zh" else f" and {len(items) - len(shown):,} more"
        return text

    heads = {"zh": {"alliances": "联盟", "activities": "活动", "agreements": "协议",
                    "partners_other_regions": "跨地区伙伴"},
             "en": {"alliances": "alliances", "activities": "activities", "agreements": "agreements",
                    "partners_other_regions": "partners in other regions"}}[lang]
    sep = "；" if lang == "zh" else " | "
    colon = "：" if lang == "zh" else ": "
    return sep.join(f"{heads[k]}{colon}{names(v)}" for k, v in expl.items() if v)


def centrality_report(
    G: Network | nx.MultiDiGraph | None,
    *,
    projection_name: str = "organizations",
    by: str = "betweenness",
    top: int | None = None,
    as_of: str | None = None,
    without: tuple | list = (),
    explain: bool = False,
    dataset=None,
) -> dict:
    """:func:`centrality_table` on a scenario, with explanations and metadata.

    ``G`` is a :class:`~alliances.network.Network`, a ``MultiDiGraph``, or
    ``None`` with the checked ``dataset``. The whole network of a dataset runs
    on its arrays (no graph built); a scenario or explanations need the graph.

    Returns ``{"meta": {...}, "rows": [...]}``; with ``explain`` each row has
    ``explanation`` (:func:`hub_explanation`) and ``explanation_text``.
    """
    net = as_network(G, dataset)
    if as_of or without or explain or net.dataset is None:
        G = net.graph
    else:  # the whole network of a dataset: straight from its arrays
        G = None
    if G is None:
        H, meta = None, {"as_of": None, "without": [], "without_ties": [], "undated_relationships": 0,
                         "undated_nodes": 0, "removed_nodes": 0, "removed_relationships": 0}
    else:
        H, meta = scenario_graph(G, as_of=as_of, without=without)
    info: dict = {}
    rows = centrality_table(H, projection_name=projection_name, by=by, top=top, dataset=net, info=info)
    meta["capped_hubs"] = info["capped_hubs"]
    if explain:
        for row in rows:
            row["explanation"] = hub_explanation(H, row["id"])
            row["explanation_text"] = explanation_text(row["explanation"])
    meta.update({"projection": projection_name, "by": by})
    return {"meta": meta, "rows": rows}
