"""Partnership paths between two nodes, with every hop's relationship."""

from __future__ import annotations

from collections.abc import Iterable
import networkx as nx

from alliances.graph import partnership_graph
from alliances.order import TIE_CAP, edge_sort_key, path_order


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
    P = partnership_graph(G, via)
    return _answer(P, source, target, k=k, max_hops=max_hops, first_rel=lambda a, b: P[a][b]["rels"][0])


def _answer(P, source: str, target: str, *, k: int, max_hops: int | None, first_rel) -> list[dict]:
    """The paths of :func:`find_paths` on ``P``; ``first_rel(a, b)`` explains one hop."""
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
                  via: Iterable[str] | None = None) -> tuple[nx.MultiDiGraph, list[dict]]:
    """:func:`find_paths` on a :class:`~alliances.network.Network`, on the backend it picks.

    Returns ``(G, paths)``: ``G`` holds at least the answer's nodes with the
    attributes they have in the whole graph. On a large dataset
    (:meth:`~alliances.network.Network.paths_on_arrays`) the path comes from
    the arrays and ``G`` is a graph of the answer's nodes only.
    """
    if net.paths_on_arrays(k=k, via=via):
        from alliances.graph import build_graph, dataset_part

        raw = find_path_arrays(net, source, target, max_hops=max_hops)
        G = build_graph(dataset_part(net.dataset, {source, target, *(n for p in raw for n in p["nodes"])}),
                        region_level=net.region_level)
        G.graph["regions"] = net.regions
        return G, raw
    return net.graph, find_paths(net.graph, source, target, k=k, max_hops=max_hops, via=via)


def find_path_arrays(ds, source: str, target: str, *, max_hops: int | None = None) -> list[dict]:
    """:func:`find_paths` with ``k=1`` over the partnership types, without building the graph.

    The same search (:func:`first_shortest_path`) on the dataset's
    partnership graph held as int32 arrays
    (:class:`~alliances.engine.PartnershipAdjacency`); each hop is
    explained by the first of its relationships in the model's order. For a
    million organisations this needs the dataset and a few arrays, not the
    nine gigabytes of a networkx graph. Equal to :func:`find_paths` (tested
    pair by pair).
    """
    import numpy as np

    from alliances import engine
    from alliances.network import Network

    net = ds if isinstance(ds, Network) else Network(ds)
    ds, A, adj = net.dataset, net.arrays, net.adjacency
    partnership = engine.geographic_and_partnership_masks()[1][A.types]

    def first_rel(a, b):
        x, y = adj.where[adj.index[a]], adj.where[adj.index[b]]
        tie = partnership & (((A.src == x) & (A.dst == y)) | ((A.src == y) & (A.dst == x)))
        return min((ds.relationship(i) for i in np.flatnonzero(tie).tolist()), key=edge_sort_key)

    return _answer(adj, source, target, k=1, max_hops=max_hops, first_rel=first_rel)


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
    ds, dt = {source: 0}, {target: 0}
    fs, ft = [source], [target]
    meet: list = []
    while fs and ft and not meet:
        forward = len(fs) <= len(ft)
        frontier, dist, other = (fs, ds, dt) if forward else (ft, dt, ds)
        nxt = []
        for u in frontier:
            du = dist[u] + 1
            for v in P[u]:
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
        raise nx.NetworkXNoPath(f"no path between {source} and {target}")
    # The meeting nodes all lie at one distance from each end (levels are whole).
    d = ds[meet[0]] + dt[meet[0]]
    level = ds[meet[0]]
    on = set(meet)  # source-side nodes on a shortest path, found back from the meeting nodes
    layer = on
    for j in range(level - 1, -1, -1):
        layer = {w for x in layer for w in P[x] if ds.get(w) == j}
        on |= layer
    path = [source]
    for i in range(d):
        u = path[-1]
        if i + 1 <= level:
            path.append(min(v for v in P[u] if v in on and ds.get(v) == i + 1))
        else:
            path.append(min(v for v in P[u] if dt.get(v) == d - i - 1))
    return path


def _k_shortest_with_ties(P: nx.Graph, source: str, target: str, k: int) -> list[list]:
    """The ``k`` shortest simple paths plus any as long as the ``k``-th (up to ``TIE_CAP`` more)."""
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
