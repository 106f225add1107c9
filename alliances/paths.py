"""Partnership paths between two nodes, with every hop's relationship."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from alliances.order import TIE_CAP, edge_sort_key, path_order, tie_value

if TYPE_CHECKING:  # networkx is imported where a graph is searched: a warm path on the arrays never needs it
    import networkx as nx


def find_paths(
    G: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    k: int = 1,
    max_hops: int | None = None,
    via: Iterable[str] | None = None,
) -> list[dict]:
    """The ``k`` shortest simple paths from ``source`` to ``target``.

    Paths run over :func:`~alliances.graph.partnership_graph` (``via`` picks
    the relationship types). Each path is ``{"hops", "nodes", "relationships"}``
    where ``relationships[i]`` joins ``nodes[i]`` and ``nodes[i+1]`` (the first
    in the model's order when several do). Shorter paths come first; equally
    short ones in :func:`path_order` (by node ids), so answers are repeatable.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="Organization"); G.add_node("b", label="Alliance")
    >>> G.add_node("c", label="Organization")
    >>> G.add_edge("a", "b", key="MEMBER_OF", start="a", type="MEMBER_OF", end="b")
    'MEMBER_OF'
    >>> G.add_edge("c", "b", key="MEMBER_OF", start="c", type="MEMBER_OF", end="b")
    'MEMBER_OF'
    >>> [p["hops"] for p in find_paths(G, "a", "c")]
    [2]
    """
    from alliances.graph import partnership_graph

    P = partnership_graph(G, via)
    return _answer(P, source, target, k=k, max_hops=max_hops, first_rel=lambda a, b: P[a][b]["rels"][0])


def _answer(P, source: str, target: str, *, k: int, max_hops: int | None, first_rel) -> list[dict]:
    """The paths of :func:`find_paths` on ``P``; ``first_rel(a, b)`` explains one hop."""
    import networkx as nx

    if source == target:
        return [{"hops": 0, "nodes": [source], "relationships": []}]
    if source not in P or target not in P:
        return []
    try:
        if k == 1:
            found = [first_shortest_path(P, source, target)]
        else:
            found = _k_shortest_with_ties(P, source, target, k)
    except nx.NetworkXNoPath:
        return []
    out = []
    for nodes in sorted(found, key=path_order)[:k]:
        if max_hops is not None and len(nodes) - 1 > max_hops:
            break
        rels = [first_rel(a, b) for a, b in zip(nodes, nodes[1:])]
        out.append({"hops": len(nodes) - 1, "nodes": nodes, "relationships": rels})
    return out


def network_paths(net, source: str, target: str, *, k: int = 1, max_hops: int | None = None,
                  via: Iterable[str] | None = None, weighted: bool = False) -> tuple[object, list[dict]]:
    """:func:`find_paths` (or :func:`find_weighted_paths`) on a :class:`~alliances.network.Network`,
    on the backend it picks.

    Returns ``(G, paths)``: ``G.nodes[nid]`` holds at least the answer's nodes with the
    attributes they have in the whole graph. On a large dataset
    (:meth:`~alliances.network.Network.paths_on_arrays`) the path comes from
    the arrays and ``G`` is :class:`AnswerNodes`: the answer's nodes only, no graph built
    (a warm path imports neither networkx nor scipy).
    """
    if net.paths_on_arrays(k=k, via=via):
        if weighted and k == 1:
            raw = find_weighted_path_arrays(net, source, target, max_hops=max_hops, via=via)
        else:
            raw = find_k_path_arrays(net, source, target, k=k, max_hops=max_hops, via=via, weighted=weighted)
        return AnswerNodes(net, [source, target, *(n for p in raw for n in p["nodes"])]), raw
    if weighted:
        return net.graph, find_weighted_paths(net.graph, source, target, k=k, max_hops=max_hops, via=via)
    return net.graph, find_paths(net.graph, source, target, k=k, max_hops=max_hops, via=via)


class AnswerNodes:
    """The nodes of a path answer as ``G.nodes[nid]`` reads them (each with its ``region_group``),
    and ``G.graph["regions"]``: what :func:`alliances.query.path_query` reads of a graph."""

    def __init__(self, net, ids):
        groups = net.region_groups
        self.nodes = {n: {**net.node(n), "region_group": groups.get(n, "other")} for n in dict.fromkeys(ids)}
        self.graph = {"regions": net.regions, "region_level": net.region_level}


def find_path_arrays(ds, source: str, target: str, *, max_hops: int | None = None,
                     via: Iterable[str] | None = None) -> list[dict]:
    """:func:`find_paths` with ``k=1`` over the partnership types (or the ``via`` types),
    without building the graph.

    The same search as :func:`first_shortest_path` (:func:`first_shortest_path_csr`) on the
    dataset's partnership graph held as a CSR by node position
    (:class:`~alliances.adjacency.PartnershipCSR`, mapped from a snapshot); each hop is
    explained by the first of its relationships in the model's order. For a
    million organisations this needs a few arrays, not the
    nine gigabytes of a networkx graph. Equal to :func:`find_paths` (tested
    pair by pair).
    """
    return find_k_path_arrays(ds, source, target, k=1, max_hops=max_hops, via=via)


def _hop_relationships(net, via, nodes):
    """``hop(a, b)``: the relationships of the partnership types (or the ``via`` types) between two
    of ``nodes`` (a path's), read from the arrays in one pass narrowed as it goes."""
    import numpy as np

    from alliances.adjacency import type_mask

    ds = net.dataset
    src, dst, types = net.edge_arrays()
    at = np.array(sorted({net.position(n) for n in nodes}), dtype=src.dtype)
    among = np.flatnonzero(np.isin(src, at))
    among = among[np.isin(dst[among], at)]
    among = among[type_mask(via)[types[among]]]
    ties: dict = {}
    for i in among.tolist():
        r = ds.relationship(i)
        ties.setdefault(frozenset((r["start"], r["end"])), []).append(r)
    return lambda a, b: ties.get(frozenset((a, b)), [])


def first_shortest_path_csr(C, source: int, target: int, *, banned=frozenset(), ties=frozenset()) -> list | None:
    """:func:`first_shortest_path` on a :class:`~alliances.adjacency.PartnershipCSR` by node position
    (``None`` when there is no path), avoiding the ``banned`` nodes and the ``ties`` (``frozenset``
    pairs): the same search, the smallest id being the smallest ``C.rank``."""
    if source == target:
        return [source]
    indptr, indices, rank = C.indptr, C.indices, C.rank

    def around(u):
        out = indices[indptr[u]:indptr[u + 1]].tolist()
        if banned:
            out = [v for v in out if v not in banned]
        if ties:
            out = [v for v in out if frozenset((u, v)) not in ties]
        return out

    return _first_shortest(source, target, around, rank.__getitem__)


def _first_shortest(source, target, around, key=None) -> list | None:
    """The search of :func:`first_shortest_path` (``None`` when there is no path): ``around(u)``
    gives a node's neighbours, ``key`` orders nodes (the smallest comes first; ``None``: the nodes
    themselves)."""
    ds, dt = {source: 0}, {target: 0}
    fs, ft = [source], [target]
    meet: list = []
    while fs and ft and not meet:
        forward = len(fs) <= len(ft)
        frontier, dist, other = (fs, ds, dt) if forward else (ft, dt, ds)
        nxt = []
        for u in frontier:
            du = dist[u] + 1
            for v in around(u):
                if v not in dist:
                    dist[v] = du
                    nxt.append(v)
                    if v in other:
                        meet.append(v)
        if forward:
            fs = nxt
        else:
            ft = nxt
    if not meet:
        return None
    # The meeting nodes all lie at one distance from each end (levels are whole).
    d = ds[meet[0]] + dt[meet[0]]
    level = ds[meet[0]]
    on = set(meet)  # source-side nodes on a shortest path, found back from the meeting nodes
    layer = on
    for j in range(level - 1, -1, -1):
        layer = {w for x in layer for w in around(x) if ds.get(w) == j}
        on |= layer
    path = [source]
    for i in range(d):
        u = path[-1]
        if i + 1 <= level:
            step = [v for v in around(u) if v in on and ds.get(v) == i + 1]
        else:
            step = [v for v in around(u) if dt.get(v) == d - i - 1]
        path.append(min(step, key=key))
    return path


def first_shortest_path(P: nx.Graph, source: str, target: str) -> list:
    """The shortest path that comes first in :func:`path_order` (``NetworkXNoPath`` if none).

    A bidirectional breadth-first search, one whole level at a time from the
    side with the smaller frontier, finds the distance ``d`` and the nodes
    where the two searches meet. Every node of the source's side that leads
    to a meeting node in as many steps as it has left is marked (walking
    back from the meeting nodes); on the target's side the distance to the
    target says it. Walking from ``source``, each step then takes the
    smallest id among the marked neighbours one step further: the smallest
    path in node-id order, however many shortest paths there are, and only
    the two half-balls are visited (at 100k organisations a tenth of one
    search from the target alone).
    """
    if source == target:
        return [source]
    path = _first_shortest(source, target, P.__getitem__)
    if path is None:
        import networkx as nx

        raise nx.NetworkXNoPath(f"no path between {source} and {target}")
    return path


def _k_shortest_with_ties(P: nx.Graph, source: str, target: str, k: int) -> list[list]:
    """The ``k`` shortest simple paths plus any as long as the ``k``-th (up to ``TIE_CAP`` more)."""
    import networkx as nx

    found: list[list] = []
    for nodes in nx.shortest_simple_paths(P, source, target):
        if len(found) >= k and (len(nodes) > len(found[k - 1]) or len(found) >= k + TIE_CAP):
            break
        found.append(nodes)
    return found


def nearest_of(P, source: str, targets, *, limit: int | None = None) -> tuple[int | None, list]:
    """``(d, nodes)``: the nodes of ``targets`` closest to ``source`` in ``P`` (all at hop
    distance ``d``, in id order, at most ``limit``); ``(None, [])`` when none is reachable.

    One breadth-first search, stopped at the first level that holds a target.
    ``P`` is a partnership graph or a :class:`~alliances.engine.PartnershipAdjacency`.
    """
    targets = set(targets)
    if source not in P:
        return None, []
    seen, frontier, d = {source}, [source], 0
    while frontier:
        hit = sorted(n for n in frontier if n in targets and n != source)
        if hit:
            return d, hit[:limit] if limit else hit
        d += 1
        nxt = []
        for u in frontier:
            for v in P[u]:
                if v not in seen:
                    seen.add(v)
                    nxt.append(v)
        frontier = nxt
    return None, []


# ---------------------------------------------------------------------------
# Weighted paths: strong ties are short


def tie_strength(rels) -> float:
    """A hop's strength: the sum of :func:`~alliances.order.tie_value` (weight x count) of the
    relationships between its two nodes — the weight the ``full`` projection gives the tie."""
    return float(sum(tie_value(r) for r in rels))


def tie_length(u, v, d) -> float:
    """A hop's length in a weighted path: ``1 / strength`` (a tie twice as strong is half as long).

    networkx's ``weight=`` is a length (Dijkstra adds it up); this is that length, so
    ``nx.dijkstra_path(P, a, b, weight=tie_length)`` is the reference.
    """
    return 1.0 / tie_strength(d["rels"])


#: Two path lengths closer than this (relative) are equal: sums of the same floats in another order.
LENGTH_TOLERANCE = 1e-9


def _close(x: float, y: float) -> bool:
    return abs(x - y) <= LENGTH_TOLERANCE * max(1.0, abs(x), abs(y))


def _weighted_walk(neighbours, source, target, to_target: dict, total: float) -> list:
    """The shortest path first in node-id order, from the distances to ``target``.

    Walking from ``source``, each step takes the smallest id ``v`` among the neighbours for which
    (length so far) + length(u, v) + distance(v, target) is the shortest length: the same rule
    as :func:`first_shortest_path`, so both backends give the same path when several are as short.
    ``neighbours(u)`` yields ``(v, length)``.
    """
    path, done = [source], 0.0
    while path[-1] != target:
        u = path[-1]
        best = min((v for v, length in neighbours(u) if v in to_target and v not in path
                    and _close(done + length + to_target[v], total)), key=str)
        done += next(length for v, length in neighbours(u) if v == best)
        path.append(best)
    return path


def find_weighted_paths(G: nx.MultiDiGraph, source: str, target: str, *, k: int = 1,
                        max_hops: int | None = None, via: Iterable[str] | None = None) -> list[dict]:
    """The ``k`` shortest partnership paths where a hop's length is ``1 / strength``.

    The strength of a hop is the sum of weight x count of the relationships between its two
    nodes (:func:`tie_strength`; 1 per relationship in unweighted data), so a path along strong
    ties is short: networkx's Dijkstra with :func:`tie_length` as ``weight`` is the reference.
    Each path is :func:`find_paths`' shape plus ``length`` (the sum of the hops' lengths) and
    ``strengths`` (one per hop). Equally short paths come in node-id order (``k=1``: the first,
    as :func:`first_shortest_path` picks among equal hop counts).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for n in "abc": G.add_node(n, label="Organization")
    >>> G.add_edge("a", "c", key="GUIDES", start="a", type="GUIDES", end="c", weight=1)
    'GUIDES'
    >>> G.add_edge("a", "b", key="GUIDES", start="a", type="GUIDES", end="b", weight=4)
    'GUIDES'
    >>> G.add_edge("b", "c", key="GUIDES", start="b", type="GUIDES", end="c", weight=4)
    'GUIDES'
    >>> [(p["nodes"], p["length"]) for p in find_weighted_paths(G, "a", "c")]
    [(['a', 'b', 'c'], 0.5)]

    References
    ----------
    E. W. Dijkstra, "A note on two problems in connexion with graphs", Numerische Mathematik 1 (1959).
    """
    import networkx as nx

    from alliances.graph import partnership_graph

    P = partnership_graph(G, via)
    if source == target:
        return [{"hops": 0, "nodes": [source], "relationships": [], "length": 0.0, "strengths": []}]
    if source not in P or target not in P:
        return []
    if k == 1:
        to_target = nx.single_source_dijkstra_path_length(P, target, weight=tie_length)
        if source not in to_target:
            return []
        found = [_weighted_walk(lambda u: ((v, tie_length(u, v, d)) for v, d in P[u].items()),
                                source, target, to_target, to_target[source])]
    else:
        found = []
        try:
            for nodes in nx.shortest_simple_paths(P, source, target, weight=tie_length):
                length = _length(P, nodes)
                if len(found) >= k and (not _close(length, _length(P, found[k - 1])) or len(found) >= k + TIE_CAP):
                    break
                found.append(nodes)
        except nx.NetworkXNoPath:
            return []
        found = _in_order(found, lambda n: _length(P, n))
    out = []
    for nodes in found[:k]:
        if max_hops is not None and len(nodes) - 1 > max_hops:
            continue
        hops = list(zip(nodes, nodes[1:]))
        strengths = [tie_strength(P[a][b]["rels"]) for a, b in hops]
        out.append({"hops": len(nodes) - 1, "nodes": nodes, "relationships": [P[a][b]["rels"][0] for a, b in hops],
                    "length": sum(1.0 / s for s in strengths), "strengths": strengths})
    return out


def _in_order(found: list[list], length) -> list[list]:
    """Shortest first (``length(nodes)``); paths of (nearly) equal length in :func:`path_order`."""
    found = sorted(found, key=length)
    out: list[list] = []
    group: list[list] = []
    for nodes in found:
        if group and not _close(length(nodes), length(group[0])):
            out += sorted(group, key=path_order)
            group = []
        group.append(nodes)
    return out + sorted(group, key=path_order)


def _length(P, nodes) -> float:
    return sum(tie_length(a, b, P[a][b]) for a, b in zip(nodes, nodes[1:]))


def find_weighted_path_arrays(ds, source: str, target: str, *, max_hops: int | None = None,
                              via: Iterable[str] | None = None) -> list[dict]:
    """:func:`find_weighted_paths` with ``k=1`` over the partnership types (or the ``via``
    types), on the arrays.

    scipy's Dijkstra (:func:`scipy.sparse.csgraph.dijkstra`) from the target on the partnership
    arrays with ``1 / strength`` as lengths (the strengths are the ``full`` projection's
    weights), then the walk of :func:`_weighted_walk`: the same path as networkx (tested on
    random pairs of a weighted generated network).
    """
    import numpy as np

    from alliances import engine
    from alliances.network import Network

    net = ds if isinstance(ds, Network) else Network(ds)
    ds, A, adj = net.dataset, net.arrays, net.adjacency_for(via)
    if source == target:  # as the graph answers: the node itself, whatever it is
        return [{"hops": 0, "nodes": [source], "relationships": [], "length": 0.0, "strengths": []}]
    if source not in adj or target not in adj:
        return []
    lengths = engine.tie_lengths(adj)
    dist = engine.dijkstra_lengths(lengths, adj.index[target])
    s = adj.index[source]
    if not np.isfinite(dist[s]):
        return []
    ids = adj.P.ids

    def neighbours(u):
        i = adj.index[u]
        lo, hi = lengths.indptr[i], lengths.indptr[i + 1]
        return zip((ids[j] for j in lengths.indices[lo:hi].tolist()), lengths.data[lo:hi].tolist())

    reach = {ids[j]: d for j, d in enumerate(dist.tolist()) if d <= dist[s]}
    nodes = _weighted_walk(neighbours, source, target, reach, float(dist[s]))
    if max_hops is not None and len(nodes) - 1 > max_hops:
        return []
    return [_weighted_answer(nodes, _hop_relationships(net, via, nodes))]


def _weighted_answer(nodes: list, hop) -> dict:
    """A weighted path's answer (:func:`find_weighted_paths`' shape), each hop's relationships from ``hop(a, b)``."""
    out_rels, strengths = [], []
    for a, b in zip(nodes, nodes[1:]):
        rels = hop(a, b)
        out_rels.append(min(rels, key=edge_sort_key))
        strengths.append(tie_strength(rels))
    return {"hops": len(nodes) - 1, "nodes": nodes, "relationships": out_rels,
            "length": sum(1.0 / x for x in strengths), "strengths": strengths}


# ---------------------------------------------------------------------------
# k shortest simple paths on the arrays (Yen)


def yen_paths(search, source, target, key):
    """Simple paths from ``source`` to ``target`` in the order of ``key``, one at a time (Yen 1971).

    ``search(spur, banned_nodes, banned_ties)`` gives the first path in ``key``'s order from
    ``spur`` to ``target`` that avoids the nodes and the ties (``frozenset`` pairs), or ``None``.
    Each path found is taken apart at each of its nodes (the spur): the part up to it is kept,
    the nodes before it are banned and so is the next tie of every path found with the same
    part, and the spur's best way on makes a candidate; the best candidate is the next path.
    When ``key`` ranks ``root + a`` against ``root + b`` as it ranks ``a`` against ``b`` (true
    of :func:`~alliances.order.path_order` and of length, then path order), and ``search``
    gives the first in that order, the paths come exactly in ``key``'s order: among equally
    short paths, the first in node-id order first, whatever the neighbours' order.

    References
    ----------
    J. Y. Yen, "Finding the K shortest loopless paths in a network", Management Science 17 (1971).
    """
    import heapq

    first = search(source, frozenset(), frozenset())
    if first is None:
        return
    found = [list(first)]
    seen = {tuple(first)}
    candidates: list = []
    yield found[0]
    while True:
        last = found[-1]
        for i in range(len(last) - 1):
            root = last[:i + 1]
            ties = frozenset(frozenset((p[i], p[i + 1])) for p in found if len(p) > i + 1 and p[:i + 1] == root)
            rest = search(last[i], frozenset(root[:-1]), ties)
            if rest is None:
                continue
            path = tuple(root[:-1]) + tuple(rest)
            if path not in seen:
                seen.add(path)
                heapq.heappush(candidates, (key(path), path))
        if not candidates:
            return
        found.append(list(heapq.heappop(candidates)[1]))
        yield found[-1]


def find_k_path_arrays(ds, source: str, target: str, *, k: int, max_hops: int | None = None,
                       via: Iterable[str] | None = None, weighted: bool = False) -> list[dict]:
    """:func:`find_paths` (or with ``weighted`` :func:`find_weighted_paths`) for any ``k``, on the arrays.

    Yen's k shortest simple paths (:func:`yen_paths`) on the partnership arrays: each spur
    path is :func:`first_shortest_path_csr` without the banned nodes and ties
    (weighted: scipy's Dijkstra from the target with those ties made infinitely long, then
    :func:`_weighted_walk`'s rule). The order is the graph's: fewer hops first, then
    :func:`~alliances.order.path_order` (weighted: shorter first, equally long ones in path
    order; weighted lengths are compared to 12 significant digits, so sums of the same hop
    lengths in another order tie). The answer equals the graph's whenever fewer than ``TIE_CAP``
    paths tie with the ``k``-th (the graph stops gathering ties there; this always gives the
    first in order), and the lengths equal networkx's ``shortest_simple_paths`` (both tested
    pair by pair).
    """
    from alliances.network import Network

    net = ds if isinstance(ds, Network) else Network(ds)
    if not weighted:
        if source == target:  # as the graph answers: the node itself, whatever it is
            return [{"hops": 0, "nodes": [source], "relationships": []}]
        C = net.partnership_csr(via)
        s, t = net.position(source), net.position(target)
        if s is None or t is None or not C.member[s] or not C.member[t]:
            return []
        rank = C.rank

        def search(spur, nodes, ties):
            return first_shortest_path_csr(C, spur, t, banned=nodes, ties=ties)

        paths = []
        for found in yen_paths(search, s, t, lambda p: (len(p), [int(rank[i]) for i in p])):
            if max_hops is not None and len(found) - 1 > max_hops:
                break
            paths.append([net.node_id(i) for i in found])
            if len(paths) >= k:  # before the generator takes the k-th path apart
                break
        hop = _hop_relationships(net, via, {n for p in paths for n in p})
        return [{"hops": len(nodes) - 1, "nodes": nodes,
                 "relationships": [min(hop(a, b), key=edge_sort_key) for a, b in zip(nodes, nodes[1:])]}
                for nodes in paths]
    adj = net.adjacency_for(via)
    if source == target:  # as the graph answers: the node itself, whatever it is
        return [{"hops": 0, "nodes": [source], "relationships": [], "length": 0.0, "strengths": []}]
    if source not in adj or target not in adj:
        return []
    search, length = _weighted_search(adj, target)
    found: list[list] = []
    # Lengths compared to 12 significant digits: sums of the same hop lengths in another order
    # are one length, and equally long paths then come in path order, so the first k are the
    # answer (no gathering of ties, which on unweighted data can be thousands of paths).
    for nodes in yen_paths(search, source, target, lambda p: (float(f"{length(p):.12g}"), len(p), list(p))):
        found.append(nodes)
        if len(found) >= k:
            break
    found = [nodes for nodes in _in_order(found, length) if max_hops is None or len(nodes) - 1 <= max_hops]
    hop = _hop_relationships(net, via, {n for p in found for n in p})
    return [_weighted_answer(nodes, hop) for nodes in found]


def _weighted_search(adj, target: str):
    """``(search, length)`` for :func:`yen_paths` on ``adj`` with hop lengths ``1 / strength``.

    ``search`` runs scipy's Dijkstra from ``target`` on a copy of the lengths in which the
    banned nodes' rows and the banned ties are infinite (so no path passes them), then walks
    from the spur as :func:`_weighted_walk` does; ``length(nodes)`` is a path's length.
    """
    import numpy as np

    from alliances import engine

    L = engine.tie_lengths(adj).copy()
    L.sort_indices()
    inf = float("inf")
    index, ids = adj.index, adj.P.ids
    t = index[target]
    indptr, indices, data = L.indptr, L.indices, L.data
    original = data.copy()

    def at(i, j):
        lo = indptr[i]
        return lo + int(np.searchsorted(indices[lo:indptr[i + 1]], j))

    def length(nodes) -> float:
        return sum(float(original[at(index[a], index[b])]) for a, b in zip(nodes, nodes[1:]))

    def search(spur, nodes, ties):
        banned = {index[n] for n in nodes}
        places = [np.arange(indptr[b], indptr[b + 1]) for b in banned]
        for tie in ties:
            x, y = (index[n] for n in tie)
            places.append(np.array([at(x, y), at(y, x)]))
        where = np.concatenate(places) if places else np.zeros(0, dtype=np.int64)
        data[where] = np.inf
        try:
            dist = engine.dijkstra_lengths(L, t, directed=True)
            s = index[spur]
            if not np.isfinite(dist[s]):
                return None
            total, done, path, on = float(dist[s]), 0.0, [s], {s}
            while path[-1] != t:
                u = path[-1]
                lo, hi = indptr[u], indptr[u + 1]
                best = None
                for j, step in zip(indices[lo:hi].tolist(), data[lo:hi].tolist()):
                    far = float(dist[j])
                    if j in on or j in banned or step == inf or far == inf or not _close(done + step + far, total):
                        continue
                    if best is None or str(ids[j]) < str(ids[best[0]]):
                        best = (j, step)
                done += best[1]
                path.append(best[0])
                on.add(best[0])
            return [ids[j] for j in path]
        finally:
            data[where] = original[where]

    return search, length
