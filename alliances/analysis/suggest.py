"""Partner suggestions: organisations in other regions worth tying to, with reasons.

Two organisations are *tied* when they share an alliance, agreement or
activity or have a direct partnership relationship: the organisations
projection (:func:`alliances.graph.organizations_projection`, the same ties as
``alliances brokers``). A tied pair is never suggested. A pair is suggested
when it is not tied, its two organisations are in different regions and they
have at least one *common partner* (an organisation tied to both); the scores
are link-prediction indices over those common partners, and the reason says in
words how each end is tied to each common partner.

The scores run on sparse arrays (scipy) in blocks of rows, so the whole
network's best pairs are found without a Python loop over pairs; the answer
equals networkx's ``adamic_adar_index`` / ``resource_allocation_index`` on the
projection (tested). A block holds as many rows as keep its products within
:data:`alliances.engine.BLOCK_ENTRIES` entries (bounded from the degrees before multiplying), so
memory stays flat whatever the network's size or its hubs; the answer does not
depend on the blocks (tested).
"""

from __future__ import annotations

SCORES = ("adamic_adar", "resource_allocation", "common_neighbors")
#: How many common partners a reason names before "and N more".
REASON_PARTNERS = 2


def _projection(network):
    """``(Projection, attrs, region_groups, adjacency)`` of the organisations' ties.

    ``network`` is a :class:`~alliances.network.Network`, a ``MultiDiGraph`` or
    a partnership ``nx.Graph`` (nodes with ``label``; organisations are tied
    directly or through a shared node whose label is an alliance, agreement or
    activity).
    """
    import networkx as nx
    import numpy as np

    from alliances import engine
    from alliances.network import Network

    if not isinstance(network, (Network, nx.Graph)):  # a checked dataset
        network = Network(network)
    if isinstance(network, Network):
        return (network.projection_arrays("organizations"), network.attrs, network.region_groups,
                _LazyAdjacency(network))
    if isinstance(network, nx.MultiDiGraph):
        net = Network(graph=network)
        return net.projection_arrays("organizations"), net.nodes, net.region_groups, _LazyAdjacency(net)
    from alliances.order import HUB_LABELS

    P = network
    H = nx.Graph()
    orgs = sorted(n for n, d in P.nodes(data=True) if d.get("label") == "Organization")
    H.add_nodes_from(orgs)
    for u, v in P.edges():
        if u != v and P.nodes[u].get("label") == "Organization" and P.nodes[v].get("label") == "Organization":
            H.add_edge(u, v)
    from alliances.network import thresholds
    from alliances.order import capped_hub, hub_order

    cap, capped = thresholds().hub_members, []
    for z, d in P.nodes(data=True):
        if d.get("label") in HUB_LABELS:
            ms = sorted(m for m in P.neighbors(z) if P.nodes[m].get("label") == "Organization")
            if len(ms) > cap:  # as the organisations projection does (Thresholds.hub_members)
                capped.append((capped_hub(z, d["label"], len(ms)), ms))
                continue
            H.add_edges_from((a, b) for i, a in enumerate(ms) for b in ms[i + 1:])
    groups = {n: d.get("region_group", "other") for n, d in P.nodes(data=True)}
    proj = engine.projection_from_networkx(H)
    index = {nid: k for k, nid in enumerate(proj.ids)}
    capped.sort(key=lambda c: hub_order(c[0]))
    proj.capped_hubs = [c[0] for c in capped]
    proj.capped_members = [np.array([index[m] for m in c[1]], dtype=np.int32) for c in capped]
    return proj, P.nodes, groups, P


class _LazyAdjacency:
    """A network's partnership adjacency, built when a reason first asks for it (the rows
    shown are a few; a count-only question never builds it)."""

    def __init__(self, net):
        self.net = net

    def __getitem__(self, nid):
        return self.net.adjacency[nid]


def _matrices(proj, groups):
    import numpy as np
    from scipy.sparse import csr_matrix

    n = proj.n
    u, v = np.asarray(proj.u, dtype=np.int64), np.asarray(proj.v, dtype=np.int64)
    A = csr_matrix((np.ones(2 * len(u)), (np.r_[u, v], np.r_[v, u])), shape=(n, n))
    A.sum_duplicates()
    A.data[:] = 1.0
    deg = np.asarray(A.sum(axis=1)).ravel()
    # a node of degree 0 or 1 is nobody's common partner: its (positive) weight is never used
    aa = np.where(deg > 1, 1.0 / np.log(np.maximum(deg, 2)), 1.0)
    ra = 1.0 / np.maximum(deg, 1)
    codes: dict[str, int] = {}
    region = np.array([codes.setdefault(groups.get(i, "other"), len(codes)) for i in proj.ids], dtype=np.int64)
    return A, deg, aa, ra, region


def _capped_matrix(proj):
    """Organisations × capped hubs (members not tied in the projection), or ``None``."""
    if not proj.capped_members:
        return None
    import numpy as np
    from scipy.sparse import csr_matrix

    rows = np.concatenate(proj.capped_members).astype(np.int64)
    cols = np.repeat(np.arange(len(proj.capped_members)), [len(m) for m in proj.capped_members])
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(proj.n, len(proj.capped_members)))


def _scores_block(A, aa, ra, region, rows, *, upper: bool, capped=None):
    """Scores of every qualifying pair (i, j) with i in ``rows``: not tied, other region,
    at least one common partner (and j > i when ``upper``). ``capped``
    (:func:`_capped_matrix`): pairs sharing a hub too large to be projected are tied too."""
    import numpy as np
    B = A[rows]
    B.sort_indices()

    def weighted(w):
        W = B.copy()
        W.data = W.data * w[W.indices]
        return W

    # The three left factors share one layout, so scipy's products line up entry by
    # entry without sorting (checked; sorted otherwise).
    mats = [B @ A, weighted(aa) @ A, weighted(ra) @ A]
    if not all(np.array_equal(M.indices, mats[0].indices) for M in mats[1:]):
        for M in mats:
            M.sort_indices()
    cn = mats[0]
    r = np.repeat(np.arange(len(rows)), np.diff(cn.indptr))
    i, j = rows[r], cn.indices.astype(np.int64)
    keep = (j != i) & (region[j] != region[i])
    if upper:
        keep &= j > i
    # tied pairs: (row, column) keys of B's entries, ascending as B's rows and sorted indices are
    n = np.int64(A.shape[0])
    tied = np.repeat(np.arange(len(rows), dtype=np.int64), np.diff(B.indptr)) * n + B.indices
    key = r * n + j
    if len(tied):
        at = np.minimum(np.searchsorted(tied, key), len(tied) - 1)
        keep &= tied[at] != key
        del at
    del key, tied
    i, j = i[keep], j[keep]
    c, s_aa, s_ra = (M.data[keep] for M in mats)
    del mats, cn, keep
    if capped is not None and len(i):
        shared = np.asarray(capped[i].multiply(capped[j]).sum(axis=1)).ravel() > 0
        i, j, c, s_aa, s_ra = i[~shared], j[~shared], c[~shared], s_aa[~shared], s_ra[~shared]
    return i, j, c.astype(np.int64), s_aa, s_ra


def _order(by, i, j, c, s_aa, s_ra, rank, *, per_row: bool = False):
    """Best ``by`` first, ties by the other scores, then ids (with ``per_row``: grouped by
    row ``i``, each row's partners in that order, ties by the partner's id)."""
    import numpy as np

    cols = {"adamic_adar": np.round(s_aa, 6), "resource_allocation": np.round(s_ra, 6),
            "common_neighbors": c}
    order = [by] + [s for s in SCORES if s != by]
    scores = tuple(-cols[s] for s in reversed(order))
    if per_row:
        return np.lexsort((rank[j], *scores, i))
    lo = np.minimum(rank[i], rank[j])
    hi = np.maximum(rank[i], rank[j])
    return np.lexsort((hi, lo, *scores))


def _row_contenders(by, top, i, j, c, s_aa, s_ra):
    """The pairs that can be among their row's best ``top``: those scoring (``by``, rounded
    as :func:`_order` compares it) at least the row's ``top``-th best, ties kept. Ordering
    these alone by every key gives each row's best ``top`` exactly; sorting on one key
    first is what makes whole-network suggestions fast (a block's pairs run to millions)."""
    import numpy as np

    primary = {"adamic_adar": np.round(s_aa, 6), "resource_allocation": np.round(s_ra, 6),
               "common_neighbors": c}[by]
    if len(i) and (np.diff(i) < 0).any():  # not grouped by row (_scores_block groups them)
        o = np.argsort(i, kind="stable")
        i, j, c, s_aa, s_ra, primary = i[o], j[o], c[o], s_aa[o], s_ra[o], primary[o]
    # Each row's top-th best distinct value, by `top` passes of a per-row maximum instead of a
    # sort of the block's millions of pairs: no higher than the row's top-th best value counting
    # ties, so every contender is kept (a few more where values repeat, which the order drops).
    starts = np.r_[0, np.flatnonzero(i[1:] != i[:-1]) + 1] if len(i) else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, len(i)])
    left = primary.astype(np.float64)
    threshold = np.full(len(starts), -np.inf)
    for _ in range(top):
        best = np.maximum.reduceat(left, starts) if len(starts) else threshold
        found = best > -np.inf
        if not found.any():
            break
        threshold = np.where(found, best, threshold)
        left[left >= np.repeat(best, sizes)] = -np.inf
    keep = primary >= np.repeat(threshold, sizes)
    return i[keep], j[keep], c[keep], s_aa[keep], s_ra[keep]


def suggest_partners(
    network,
    *,
    for_node: str | None = None,
    top: int = 5,
    by: str = "adamic_adar",
    limit: int | None = None,
    info: dict | None = None,
    block_entries: int | None = None,
) -> list[dict]:
    """Not-yet-tied organisations in other regions with common partners, best first.

    ``network`` is a :class:`~alliances.network.Network`, a ``MultiDiGraph``
    or a partnership ``nx.Graph``. For a qualifying pair (u, v) with common
    partners Z (organisations tied to both, see the module docstring):

    - common_neighbors = |Z|;
    - adamic_adar = Σ_{z∈Z} 1 / ln deg(z);
    - resource_allocation = Σ_{z∈Z} 1 / deg(z);

    degrees counted in the organisations projection (every z has degree ≥ 2).
    With ``for_node``: that organisation's best ``top`` partners. Without it:
    each pair **once** (``id`` < ``partner`` in id order), the pairs that are
    among the best ``top`` of either end, best ``by`` first (ties by the other
    scores, then ids); ``limit`` keeps only the first ``limit`` of them (``info["total"]``,
    when ``info`` is given, counts them all). ``block_entries`` bounds a block of rows
    (default :data:`alliances.engine.BLOCK_ENTRIES`); the answer is the same for any value.
    ``top=0`` keeps every qualifying pair. Rows ``{"id", "name", "region",
    "partner", "partner_name", "partner_region", "adamic_adar",
    "resource_allocation", "common_neighbors", "reasons", "reason"}``;
    ``reasons`` lists the common partners (at most :data:`REASON_PARTNERS`,
    the most tied first), each ``{"id", "name", "label", "via_a", "via_b"}``
    where ``via_a``/``via_b`` say how each end is tied to it.

    Examples
    --------
    >>> import networkx as nx
    >>> P = nx.Graph([("a", "c"), ("b", "c")])
    >>> for n, g in {"a": "zigong", "b": "chengdu", "c": "zigong"}.items():
    ...     P.add_node(n, label="Organization", region_group=g, name=n)
    >>> [(r["id"], r["partner"], r["common_neighbors"]) for r in suggest_partners(P)]
    [('a', 'b', 1)]

    References
    ----------
    Adamic, L. A. & Adar, E. (2003). Friends and neighbors on the Web. *Social Networks* 25(3).
    Zhou, T., Lü, L. & Zhang, Y.-C. (2009). Predicting missing links via local
    information. *Eur. Phys. J. B* 71, 623–630.
    Liben-Nowell, D. & Kleinberg, J. (2007). The link-prediction problem for
    social networks. *JASIST* 58(7).
    """
    import numpy as np

    from alliances import engine

    if by not in SCORES:
        raise ValueError(f"unknown score {by!r}; use one of {SCORES}")
    proj, attrs, groups, adjacency = _projection(network)
    if proj.n == 0:
        return []
    A, deg, aa, ra, region = _matrices(proj, groups)
    capped = _capped_matrix(proj)
    rank = engine.id_rank(proj.ids)
    picked: list[tuple] = []
    if for_node is not None:
        index = {nid: k for k, nid in enumerate(proj.ids)}
        if for_node not in index:
            return []
        i, j, c, s_aa, s_ra = _scores_block(A, aa, ra, region, np.array([index[for_node]]), upper=False,
                                             capped=capped)
        o = _order(by, i, j, c, s_aa, s_ra, rank)
        o = o[:top] if top else o
        picked = [(int(i[k]), int(j[k]), int(c[k]), float(s_aa[k]), float(s_ra[k])) for k in o]
    else:
        parts = []
        for start, stop in engine.row_blocks(A, deg, block_entries or engine.BLOCK_ENTRIES):
            rows = np.arange(start, stop)
            i, j, c, s_aa, s_ra = _scores_block(A, aa, ra, region, rows, upper=not top, capped=capped)
            if top and len(i):
                i, j, c, s_aa, s_ra = _row_contenders(by, top, i, j, c, s_aa, s_ra)
                # each row's best `top`, ordered as for_node orders them (scores, then partner id)
                o = _order(by, i, j, c, s_aa, s_ra, rank, per_row=True)
                i_o = i[o]
                starts = np.r_[0, np.flatnonzero(i_o[1:] != i_o[:-1]) + 1]
                pos = np.arange(len(o)) - np.repeat(starts, np.diff(np.r_[starts, len(o)]))
                o = o[pos < top]
                i, j, c, s_aa, s_ra = i[o], j[o], c[o], s_aa[o], s_ra[o]
                lo, hi = np.minimum(i, j), np.maximum(i, j)  # each pair once
                i, j = lo, hi
            parts.append((i, j, c, s_aa, s_ra))
        i, j, c, s_aa, s_ra = (np.concatenate([p[k] for p in parts]) for k in range(5))
        if top and len(i):
            _, first = np.unique(i * proj.n + j, return_index=True)
            i, j, c, s_aa, s_ra = i[first], j[first], c[first], s_aa[first], s_ra[first]
        o = _order(by, i, j, c, s_aa, s_ra, rank)
        if info is not None:
            info["total"] = len(o)
        if limit is not None:
            o = o[:limit]
        picked = [(int(i[k]), int(j[k]), int(c[k]), float(s_aa[k]), float(s_ra[k])) for k in o]
        # each pair in id order (the smaller id first)
        picked = [p if rank[p[0]] < rank[p[1]] else (p[1], p[0], *p[2:]) for p in picked]
    ids = proj.ids
    rows_out = []
    for a, b, c, s_aa, s_ra in picked:
        u, v = ids[a], ids[b]
        common = np.intersect1d(A.indices[A.indptr[a]:A.indptr[a + 1]], A.indices[A.indptr[b]:A.indptr[b + 1]])
        common = sorted(common.tolist(), key=lambda z: (-deg[z], rank[z]))
        reasons = [{"id": ids[z], "name": attrs[ids[z]].get("name", ids[z]), "label": "Organization",
                    "via_a": _how_tied(adjacency, attrs, u, ids[z]),
                    "via_b": _how_tied(adjacency, attrs, v, ids[z])}
                   for z in common[:REASON_PARTNERS]]
        row = {"id": u, "name": attrs[u].get("name", u), "region": groups.get(u, "other"),
               "partner": v, "partner_name": attrs[v].get("name", v),
               "partner_region": groups.get(v, "other"),
               "adamic_adar": round(s_aa, 6), "resource_allocation": round(s_ra, 6),
               "common_neighbors": c, "reasons": reasons}
        row["reason"] = reason_text(row)
        rows_out.append(row)
    return rows_out


def _how_tied(adjacency, attrs, a, z) -> list[dict]:
    """What ties organisation ``a`` to organisation ``z``: shared hubs, or ``direct``."""
    from alliances.order import HUB_LABELS

    na, nz = set(adjacency[a]), set(adjacency[z])
    out = [{"id": h, "name": attrs[h].get("name", h), "label": attrs[h].get("label", "")}
           for h in sorted(na & nz) if attrs[h].get("label") in HUB_LABELS]
    if z in na:
        out.insert(0, {"id": z, "name": "", "label": "direct"})
    return out


_VERB = {
    "zh": {"Alliance": "同在联盟{}", "Agreement": "同签{}", "Activity": "都参加了{}", "direct": "直接合作"},
    "en": {"Alliance": "both in {}", "Agreement": "both signed {}", "Activity": "both took part in {}",
           "direct": "tied directly"},
}


def _ties_words(via: list[dict], lang: str) -> str:
    words = _VERB[lang]
    first = words["direct"] if via[0]["label"] == "direct" else words.get(via[0]["label"], "{}").format(via[0]["name"])
    if len(via) == 1:
        return first
    return f"{first}等 {len(via)} 项" if lang == "zh" else f"{first} and {len(via) - 1} more"


def reason_text(row: dict, lang: str = "zh") -> str:
    """The reason in words: each common partner and how each end is tied to it.

    ``共同伙伴 C：与甲都参加了 X；与乙同在联盟 Y`` (``甲``/``乙`` are the pair's names).
    """
    if isinstance(row, list):  # reasons only (older callers): name the partners
        return ("共同伙伴：" + "、".join(r["name"] for r in row)) if lang == "zh" else \
            ("common partners: " + ", ".join(r["name"] for r in row))
    out = []
    for z in row["reasons"]:
        if lang == "zh":
            out.append(f"共同伙伴 {z['name']}（{row['name']}：{_ties_words(z['via_a'], lang)}；"
                       f"{row['partner_name']}：{_ties_words(z['via_b'], lang)}）")
        else:
            out.append(f"common partner {z['name']} ({row['name']}: {_ties_words(z['via_a'], lang)}; "
                       f"{row['partner_name']}: {_ties_words(z['via_b'], lang)})")
    more = row["common_neighbors"] - len(row["reasons"])
    if more > 0:
        out.append(f"另有 {more} 个共同伙伴" if lang == "zh" else f"and {more} more common partners")
    return ("；" if lang == "zh" else "; ").join(out)


def suggest_report(network, *, for_name: str | None = None, top: int = 5, by: str = "adamic_adar",
                   as_of: str | None = None, lang: str = "zh",
                   limit: int | None = None) -> tuple[dict, list[dict]]:
    """``(meta, rows)`` of ``alliances suggest``: :func:`suggest_partners` as of a date,
    for one organisation named by the user or all (each pair once). ``limit`` keeps the
    best ``limit`` rows (reasons are worked out for those only); ``meta["total"]`` counts
    every suggestion.

    Raises :class:`alliances.errors.UsageError` when ``for_name`` names a node
    that is not an organisation (then, on ``as_of``).
    """
    from alliances.analysis.centrality import scenario_graph
    from alliances.errors import UsageError
    import networkx as nx

    from alliances.network import Network

    if isinstance(network, Network):
        net = network
    else:
        net = Network(graph=network) if isinstance(network, nx.MultiDiGraph) else Network(network)
    meta = {"as_of": as_of, "without": [], "without_ties": [], "undated_relationships": 0,
            "undated_nodes": 0, "removed_nodes": 0, "removed_relationships": 0}
    if as_of and net.analyses_on_arrays():  # a large dataset: cut to the date, no graph
        net, meta = net.scenario(as_of)
    elif as_of:
        G, meta = scenario_graph(net.graph, as_of=as_of)
        net = Network(graph=G)
    nid = None
    if for_name:
        nid = net.resolve(for_name)
        if nid not in net.attrs or net.attrs[nid].get("label") != "Organization":
            raise UsageError(f"--for {for_name!r} names {nid}, which is not an organisation"
                             f"{' on ' + as_of if as_of else ''}; give an organisation's name or id.")
    info: dict = {}
    rows = suggest_partners(net, for_node=nid, top=top, by=by, limit=limit if nid is None else None, info=info)
    if nid is not None and limit is not None:
        info["total"], rows = len(rows), rows[:limit]
    meta["total"] = info.get("total", len(rows))
    if lang != "zh":
        for r in rows:
            r["reason"] = reason_text(r, lang)
    return meta, rows

