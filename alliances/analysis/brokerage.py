"""Who brokers between regions: tie matrix, brokerage roles, structural holes, corridors.

The partition is the node attribute ``region_group``: the dataset's own
regions at one level (:mod:`alliances.regions`), ``other`` for none. Every function takes the graph first and returns plain
dicts and lists; nothing is printed and nothing is random.

Convention for undirected graphs (the organisations projection): each tie is
read as two arcs, one each way, so a path a–b–c with a and c not tied counts
as the two ordered two-paths a→b→c and c→b→a. Coordinator, itinerant and
liaison counts are therefore even, and representative equals gatekeeper for
every broker (a→b→c is representative exactly when c→b→a is gatekeeper).
"""

from __future__ import annotations

from itertools import combinations

import networkx as nx

GROUP = "region_group"
ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
_S, _T = ("__corridor_source__",), ("__corridor_sink__",)


def _group(H, n, attr=GROUP) -> str:
    return H.nodes[n].get(attr, "other")


def _name(H, n) -> str:
    return H.nodes[n].get("name", n)


# ---------------------------------------------------------------------------
# Region-pair tie matrix


def region_tie_matrix(H: nx.Graph, *, attr: str = GROUP, weight: str = "weight") -> list[dict]:
    """Ties and total weight between every pair of regions (including within one).

    Returns one row per unordered pair that has at least one tie:
    ``{"region_a", "region_b", "ties", "weight"}`` with ``region_a <= region_b``,
    sorted by the pair. A tie without ``weight`` counts 1.

    Examples
    --------
    >>> H = nx.Graph()
    >>> H.add_nodes_from([(1, {"region_group": "a"}), (2, {"region_group": "b"})])
    >>> H.add_edge(1, 2, weight=3)
    >>> region_tie_matrix(H)
    [{'region_a': 'a', 'region_b': 'b', 'ties': 1, 'weight': 3}]
    """
    if is_view(H):
        return _tie_matrix_view(H)
    cells: dict[tuple[str, str], list] = {}
    for u, v, d in H.edges(data=True):
        a, b = sorted((_group(H, u, attr), _group(H, v, attr)))
        cell = cells.setdefault((a, b), [0, 0])
        cell[0] += 1
        cell[1] += d.get(weight, 1)
    return [{"region_a": a, "region_b": b, "ties": t, "weight": w}
            for (a, b), (t, w) in sorted(cells.items())]


# ---------------------------------------------------------------------------
# Gould–Fernandez brokerage roles


def brokerage_roles(H: nx.Graph | nx.DiGraph, *, attr: str = GROUP) -> dict:
    """Gould–Fernandez brokerage role counts for every node.

    A two-path a→b→c with a ≠ c and no arc a→c makes b a broker; its role
    depends on the groups of a, b and c:

    - coordinator: all three in one group;
    - itinerant (consultant): a and c share a group, b is outside it;
    - representative: a and b share a group, c is outside;
    - gatekeeper: b and c share a group, a is outside;
    - liaison: all three in different groups.

    An undirected graph is read as arcs both ways (see the module docstring).

    Returns ``{node: {"coordinator", "itinerant", "representative",
    "gatekeeper", "liaison", "total"}}``.

    References
    ----------
    Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal
    approach to brokerage in transaction networks. *Sociological Methodology* 19, 89–126.

    Examples
    --------
    >>> H = nx.path_graph(3)
    >>> nx.set_node_attributes(H, {0: "x", 1: "y", 2: "z"}, "region_group")
    >>> brokerage_roles(H)[1]["liaison"]
    2
    """
    D = H if H.is_directed() else H.to_directed()
    out = {}
    for b in D:
        counts = dict.fromkeys(ROLES, 0)
        gb = _group(D, b, attr)
        for a in D.predecessors(b):
            ga = _group(D, a, attr)
            for c in D.successors(b):
                if c == a or c == b or a == b or D.has_edge(a, c):
                    continue
                gc = _group(D, c, attr)
                if ga == gb == gc:
                    counts["coordinator"] += 1
                elif ga == gc:
                    counts["itinerant"] += 1
                elif ga == gb:
                    counts["representative"] += 1
                elif gb == gc:
                    counts["gatekeeper"] += 1
                else:
                    counts["liaison"] += 1
        counts["total"] = sum(counts[r] for r in ROLES)
        out[b] = counts
    return out


# ---------------------------------------------------------------------------
# Brokers table


def broker_table(H: nx.Graph, *, attr: str = GROUP, top: int | None = None) -> list[dict]:
    """One row per node: brokerage roles, Burt's constraint and effective size, cut status.

    ``constraint`` and ``effective_size`` are networkx's (unweighted, so every
    tie counts the same; ``None`` for an isolate, where they are undefined).
    ``articulation`` is true when removing the node splits its component;
    ``bridges`` names the ties of the node whose removal would.
    Rows are sorted by cross-region brokerage (all roles but coordinator),
    then total, then id; ``top`` keeps the first ``top`` rows (every row when
    ``None`` or 0), and on the arrays only those rows are made (1M organisations:
    a million row dicts otherwise).

    References
    ----------
    Burt, R. S. (1992). *Structural Holes*. Harvard University Press.
    Hopcroft, J. & Tarjan, R. (1973). Efficient algorithms for graph manipulation. *CACM* 16(6).
    """
    from alliances.network import thresholds

    if is_view(H):
        return _broker_table_view(H, top=top)
    U = nx.Graph(H)
    if thresholds().on_engine(U.number_of_nodes()) and not H.is_directed():
        roles, constraint, esize = _brokerage_on_arrays(U, attr)
    else:  # the networkx reference
        roles = brokerage_roles(H, attr=attr)
        constraint = nx.constraint(U) if U.number_of_edges() else {}
        esize = nx.effective_size(U) if U.number_of_edges() else {}
    arts = set(nx.articulation_points(U))
    bridges: dict = {n: [] for n in U}
    for u, v in nx.bridges(U):
        bridges[u].append(v)
        bridges[v].append(u)
    rows = []
    for n in H:
        r = roles[n]
        c = constraint.get(n)
        e = esize.get(n)
        rows.append({
            "id": n,
            "name": _name(H, n),
            "name_en": H.nodes[n].get("name_en", ""),
            "region": _group(H, n, attr),
            **{k: r[k] for k in ROLES},
            "cross_region": r["total"] - r["coordinator"],
            "total": r["total"],
            "constraint": None if c is None or c != c else round(c, 6),
            "effective_size": None if e is None or e != e else round(e, 6),
            "articulation": n in arts,
            "bridges": [_name(H, m) for m in sorted(bridges[n])],
        })
    rows.sort(key=lambda r: (-r["cross_region"], -r["total"], r["id"]))
    return rows[:top] if top else rows


def _brokerage_on_arrays(U: nx.Graph, attr: str) -> tuple[dict, dict, dict]:
    """:func:`brokerage_roles`, constraint and effective size from :func:`alliances.engine.brokerage_arrays`."""
    import numpy as np

    from alliances import engine

    P = engine.projection_from_networkx(U)
    codes: dict[str, int] = {}
    groups = np.array([codes.setdefault(_group(U, n, attr), len(codes)) for n in P.ids], dtype=np.int64)
    cols = engine.brokerage_arrays(P, groups)
    lists = {r: cols[r].tolist() for r in ROLES}
    roles = {}
    for i, n in enumerate(P.ids):
        counts = {r: lists[r][i] for r in ROLES}
        counts["total"] = sum(counts.values())
        roles[n] = counts
    if not U.number_of_edges():
        return roles, {}, {}
    constraint = dict(zip(P.ids, cols["constraint"].tolist()))
    esize = dict(zip(P.ids, cols["effective_size"].tolist()))
    return roles, constraint, esize


def cut_points(H: nx.Graph) -> dict:
    """Articulation points and bridges, named.

    Returns ``{"articulation_points": [{"id", "name", "region"}],
    "bridges": [{"a", "b", "a_name", "b_name"}]}``, sorted by id.
    """
    if is_view(H):
        arts, brs = _cuts_view(H)
        ids = H.P.ids
        return {
            "articulation_points": [{"id": ids[i], "name": H.name(i), "region": H.groups[i]}
                                    for i in sorted(arts, key=lambda i: ids[i])],
            "bridges": [{"a": a, "b": b, "a_name": _name_of(H, a), "b_name": _name_of(H, b)}
                        for a, b in sorted(tuple(sorted((ids[x], ids[y]))) for x, y in brs)],
        }
    U = nx.Graph(H)
    arts = sorted(nx.articulation_points(U))
    brs = sorted(tuple(sorted(e)) for e in nx.bridges(U))
    return {
        "articulation_points": [{"id": n, "name": _name(U, n), "region": _group(U, n)} for n in arts],
        "bridges": [{"a": a, "b": b, "a_name": _name(U, a), "b_name": _name(U, b)} for a, b in brs],
    }


# ---------------------------------------------------------------------------
# Corridors between regions


def _augmented(H: nx.Graph, A: list, B: list) -> nx.Graph:
    K = nx.Graph(H)
    K.add_node(_S)
    K.add_node(_T)
    K.add_edges_from((_S, a) for a in A)
    K.add_edges_from((b, _T) for b in B)
    return K


def _connected_without(K, nodes=(), edge=None) -> bool:
    view = nx.restricted_view(K, list(nodes), [edge] if edge else [])
    return nx.has_path(view, _S, _T)


def corridor(H: nx.Graph, region_a: str, region_b: str, *, attr: str = GROUP) -> dict:
    """How region A's organisations reach region B's, and what would cut them apart.

    Region A's and B's nodes are joined to a super-source and a super-sink.

    - ``distance``: the fewest ties from any node of A to any node of B
      (``None`` when none is reachable);
    - ``on_shortest_paths``: every node on some shortest A–B connection;
    - ``node_independent``: node-disjoint A–B routes (Menger: the node
      connectivity between super-source and super-sink; an A node tied
      directly to a B node is one route through both);
    - ``edge_independent``: tie-disjoint routes (maximum flow with capacity 1
      on each real tie, unlimited on the super-source and super-sink links);
    - ``cut_nodes`` / ``cut_ties``: every single node / tie whose removal
      leaves no A–B route (these lie on every route, so only one shortest
      path needs testing);
    - ``cut``: a sentence-free summary: ``"node"``, ``"tie"``, ``"none"`` or
      ``"disconnected"``.

    References
    ----------
    Menger, K. (1927). Zur allgemeinen Kurventheorie. *Fundamenta Mathematicae* 10;
    Ford, L. R. & Fulkerson, D. R. (1956). Maximal flow through a network.
    """
    A = sorted(n for n in H if _group(H, n, attr) == region_a)
    B = sorted(n for n in H if _group(H, n, attr) == region_b)
    base = {"region_a": region_a, "region_b": region_b, "size_a": len(A), "size_b": len(B)}
    empty = {"distance": None, "on_shortest_paths": [], "node_independent": 0,
             "edge_independent": 0, "cut_nodes": [], "cut_ties": [], "cut": "disconnected"}
    if not A or not B:
        return {**base, **empty}
    K = _augmented(H, A, B)
    if not nx.has_path(K, _S, _T):
        return {**base, **empty}
    ds = nx.single_source_shortest_path_length(K, _S)
    dt = nx.single_source_shortest_path_length(K, _T)
    d = ds[_T]
    on = sorted(n for n in H if n in ds and n in dt and ds[n] + dt[n] == d)
    path = nx.shortest_path(K, _S, _T)
    inner = path[1:-1]
    cut_nodes = [n for n in inner if not _connected_without(K, nodes=[n])]
    real_edges = list(zip(inner, inner[1:]))
    cut_ties = [e for e in real_edges if not _connected_without(K, edge=e)]
    node_ind, edge_ind = independent_routes(H, A, B)
    summary = "node" if cut_nodes else ("tie" if cut_ties else "none")
    return {
        **base,
        "distance": d - 2,
        "on_shortest_paths": [{"id": n, "name": _name(H, n), "region": _group(H, n, attr)} for n in on],
        "node_independent": node_ind,
        "edge_independent": edge_ind,
        "cut_nodes": [{"id": n, "name": _name(H, n), "region": _group(H, n, attr)} for n in sorted(cut_nodes)],
        "cut_ties": [{"a": a, "b": b, "a_name": _name(H, a), "b_name": _name(H, b)}
                     for a, b in sorted(tuple(sorted(e)) for e in cut_ties)],
        "cut": summary,
    }


def independent_routes(H: nx.Graph, A: list, B: list, *, engine: str = "auto") -> tuple[int, int]:
    """Node-disjoint and tie-disjoint routes from node set ``A`` to node set ``B``.

    Both are maximum flows from a super-source joined to ``A`` to a super-sink
    joined to ``B``: through nodes of capacity 1 (Menger) and through ties of
    capacity 1 with unlimited super links. ``engine`` is ``networkx``,
    ``igraph`` (C, much faster on thousands of nodes; from the ``fast``
    extra) or ``auto`` (igraph when installed).
    """
    if engine in ("auto", "igraph"):
        try:
            import igraph as ig
        except ImportError:
            if engine == "igraph":
                raise
        else:
            nodes = list(H)
            index = {n: i for i, n in enumerate(nodes)}
            s, t = len(nodes), len(nodes) + 1
            real = [(index[u], index[v]) for u, v in H.edges() if u != v]
            links = [(s, index[a]) for a in A] + [(index[b], t) for b in B]
            g = ig.Graph(n=len(nodes) + 2, edges=real + links)
            node_ind = g.vertex_connectivity(source=s, target=t, neighbors="ignore")
            big = len(real) + 1
            d = ig.Graph(n=len(nodes) + 2, directed=True,
                         edges=real + [(v, u) for u, v in real] + links)
            cap = [1] * (2 * len(real)) + [big] * len(links)
            edge_ind = int(d.maxflow_value(s, t, capacity=cap))
            return int(node_ind), edge_ind
    from networkx.algorithms.connectivity import local_node_connectivity
    from networkx.algorithms.flow import boykov_kolmogorov

    K = _augmented(H, A, B)
    node_ind = local_node_connectivity(K, _S, _T, flow_func=boykov_kolmogorov)
    F = nx.DiGraph()
    for u, v in H.edges():
        if u != v:
            F.add_edge(u, v, capacity=1)
            F.add_edge(v, u, capacity=1)
    F.add_edges_from((_S, a) for a in A)  # no capacity: unlimited
    F.add_edges_from((b, _T) for b in B)
    return node_ind, int(nx.maximum_flow_value(F, _S, _T, flow_func=boykov_kolmogorov))


def corridors(H: nx.Graph, *, regions: list[str] | None = None, attr: str = GROUP) -> list[dict]:
    """:func:`corridor` for every pair of distinct regions present (or ``regions``).

    Regions come in the network's order (:func:`alliances.regions.region_table`:
    most organisations first), "other" last.
    """
    from alliances import regions as region_groups

    from alliances.network import thresholds

    if not is_view(H) and attr == GROUP and thresholds().on_engine(H.number_of_nodes()):
        H = view_of(H)
    if is_view(H):
        present = region_groups.order(H.regions, set(H.groups))
        regions = present if regions is None else list(regions)
        return _corridors_view(H, regions)
    present = region_groups.order(region_groups.table_of(H), {_group(H, n, attr) for n in H})
    regions = present if regions is None else list(regions)
    return [corridor(H, a, b, attr=attr) for a, b in combinations(regions, 2)]


def distance_change(before: int | None, after: int | None, *, opened: str = "opened",
                    closed: str = "closed") -> str:
    """How a corridor's distance moved: ``closed`` (connected, then not), ``opened``,
    ``lengthened``, ``shortened`` or ``unchanged`` (``None`` = not connected). ``whatif``
    says ``broken``/``restored``, ``changes`` ``closed``/``opened``.

    >>> distance_change(1, 2), distance_change(None, 3), distance_change(2, None, closed="broken")
    ('lengthened', 'opened', 'broken')
    """
    if before is not None and after is None:
        return closed
    if before is None and after is not None:
        return opened
    if before is not None and after > before:
        return "lengthened"
    if before is not None and after < before:
        return "shortened"
    return "unchanged"


def corridor_cut_text(row: dict, lang: str = "zh") -> str:
    """What would cut a corridor, in words: names, or how many routes remain."""
    if row["cut"] == "disconnected":
        return "不连通" if lang == "zh" else "not connected"
    if row["cut"] == "none":
        n = min(row["node_independent"], row["edge_independent"])
        return f"无：至少 {n} 条独立路径" if lang == "zh" else f"none: at least {n} independent routes"
    names = [c["name"] for c in row["cut_nodes"]] + [f"{t['a_name']}~{t['b_name']}" for t in row["cut_ties"]]
    return ("、" if lang == "zh" else "; ").join(names)


# ---------------------------------------------------------------------------
# The same tables on the arrays (an engine.OrganisationsView), above the engine threshold


def is_view(H) -> bool:
    """Whether ``H`` is an :class:`alliances.engine.OrganisationsView` rather than a graph."""
    return type(H).__name__ == "OrganisationsView"


def view_of(H: nx.Graph):
    """An :class:`alliances.engine.OrganisationsView` of a networkx organisations projection."""
    from alliances import engine
    from alliances import regions as region_groups

    P = engine.projection_from_networkx(H)
    return engine.OrganisationsView(P, H.nodes, [_group(H, n) for n in P.ids], region_groups.table_of(H))


def _name_of(V, nid) -> str:
    return V.attrs[nid].get("name", nid)


def _tie_matrix_view(V) -> list[dict]:
    import numpy as np

    codes = sorted(set(V.groups))
    g = np.array([codes.index(x) for x in V.groups], dtype=np.int64) if V.n else np.zeros(0, dtype=np.int64)
    names = np.array(codes, dtype=object)
    a, b = g[V.P.u], g[V.P.v]
    # sorted by name, as the graph version sorts the pair of group names
    lo = np.where(names[a] <= names[b], a, b) if len(a) else a
    hi = np.where(names[a] <= names[b], b, a) if len(a) else b
    k = max(len(codes), 1)
    keys, inv, ties = np.unique(lo * k + hi, return_inverse=True, return_counts=True)
    weight = np.bincount(inv.ravel(), V.P.weight, minlength=len(keys))
    rows = []
    for key, t, w in zip(keys.tolist(), ties.tolist(), weight.tolist()):
        w = int(w) if float(w).is_integer() else w
        rows.append({"region_a": codes[key // k], "region_b": codes[key % k], "ties": t, "weight": w})
    return sorted(rows, key=lambda r: (r["region_a"], r["region_b"]))


def _cuts_view(V, graph=None) -> tuple[list[int], list[tuple[int, int]]]:
    """Articulation points and bridges (positions) from networkit's biconnected components
    (on ``graph``, :func:`alliances.engine.networkit_graph` of ``V.P``, when given)."""
    import networkit as nk

    from alliances import engine

    if not len(V.P.u):
        return [], []
    g = graph if graph is not None else engine.networkit_graph(V.P)  # held: the algorithm keeps no reference
    comps = nk.components.BiconnectedComponents(g)
    comps.run()
    seen: dict[int, int] = {}
    bridges = []
    for comp in comps.getComponents():
        for x in comp:
            seen[x] = seen.get(x, 0) + 1
        if len(comp) == 2:  # a biconnected component of one tie is a bridge
            bridges.append((int(comp[0]), int(comp[1])))
    return [x for x, c in seen.items() if c > 1], bridges


def broker_order(ids: list[str], cols: dict, top: int | None = None):
    """The rows of the brokers table in order (cross-region brokerage, then total, then id) from
    :func:`alliances.engine.brokerage_arrays`' columns: ``(order, total, cross)``, the first
    ``top`` of the order only when ``top`` is given."""
    import numpy as np

    from alliances import engine

    total = np.zeros(len(ids), dtype=np.int64)
    for k in ROLES:
        total += np.asarray(cols[k], dtype=np.int64)
    cross = total - np.asarray(cols["coordinator"], dtype=np.int64)
    order = np.lexsort((engine.id_rank(ids), -total, -cross)) if len(ids) else np.zeros(0, dtype=np.int64)
    return (order[:top] if top else order), total, cross


def _broker_table_view(V, top: int | None = None) -> list[dict]:
    import numpy as np

    from alliances import engine

    codes: dict[str, int] = {}
    groups = np.array([codes.setdefault(g, len(codes)) for g in V.groups], dtype=np.int64)
    cols = engine.brokerage_arrays(V.P, groups)
    has_ties = len(V.P.u) > 0
    arts, brs = _cuts_view(V)
    arts = set(arts)
    ids = V.P.ids
    partners: dict[int, list] = {}
    for a, b in brs:
        partners.setdefault(a, []).append(ids[b])
        partners.setdefault(b, []).append(ids[a])
    order, total, cross = broker_order(ids, cols, top)  # rows are made for the ones kept only
    # the kept rows' values as Python numbers in one conversion per column (not one numpy read per cell)
    picked = {k: np.asarray(cols[k])[order].tolist() for k in (*ROLES, "constraint", "effective_size")}
    cross_kept, total_kept = cross[order].tolist(), total[order].tolist()
    rows = []
    for j, i in enumerate(order.tolist()):
        n = ids[i]
        r = {k: int(picked[k][j]) for k in ROLES}
        c = float(picked["constraint"][j]) if has_ties else None
        e = float(picked["effective_size"][j]) if has_ties else None
        rows.append({
            "id": n, "name": V.name(i), "name_en": V.attrs[n].get("name_en", ""), "region": V.groups[i],
            **r, "cross_region": int(cross_kept[j]), "total": int(total_kept[j]),
            "constraint": None if c is None or c != c else round(c, 6),
            "effective_size": None if e is None or e != e else round(e, 6),
            "articulation": i in arts,
            "bridges": [_name_of(V, m) for m in sorted(partners.get(i, []))],
        })
    return rows


def _corridors_view(V, regions: list[str]) -> list[dict]:
    """:func:`corridor` for each pair of ``regions`` on the arrays (:func:`alliances.engine.corridor_arrays`)."""
    import numpy as np

    from alliances import engine

    ids = V.P.ids
    rank = engine.id_rank(ids)
    C = V.csr
    members: dict[str, list[int]] = {}
    for i, g in enumerate(V.groups):
        members.setdefault(g, []).append(i)

    def node(i):
        return {"id": ids[i], "name": V.name(i), "region": V.groups[i]}

    out = []
    for a, b in combinations(regions, 2):
        A, B = members.get(a, []), members.get(b, [])
        row = {"region_a": a, "region_b": b, "size_a": len(A), "size_b": len(B)}
        found = engine.corridor_arrays(C, A, B, ids=rank) if A and B else None
        if found is None:
            out.append({**row, "distance": None, "on_shortest_paths": [], "node_independent": 0,
                        "edge_independent": 0, "cut_nodes": [], "cut_ties": [], "cut": "disconnected"})
            continue
        on = sorted(found["on"].tolist(), key=lambda i: ids[i])
        cut_nodes = sorted(found["cut_nodes"], key=lambda i: ids[i])
        ties = sorted(tuple(sorted((ids[x], ids[y]))) for x, y in found["cut_ties"])
        out.append({
            **row,
            "distance": found["distance"],
            "on_shortest_paths": [node(i) for i in on],
            "node_independent": found["node_independent"],
            "edge_independent": found["edge_independent"],
            "cut_nodes": [node(i) for i in cut_nodes],
            "cut_ties": [{"a": x, "b": y, "a_name": _name_of(V, x), "b_name": _name_of(V, y)} for x, y in ties],
            "cut": "node" if cut_nodes else ("tie" if ties else "none"),
        })
    return out
