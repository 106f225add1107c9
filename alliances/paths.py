"""Partnership paths between two nodes, with every hop's relationship."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

import networkx as nx

from alliances.graph import partnership_graph


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
    in the model's order when several do). Shorter paths come first.

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
    if source == target:
        return [{"hops": 0, "nodes": [source], "relationships": []}]
    if source not in P or target not in P:
        return []
    try:
        if k == 1:  # one path: a plain bidirectional BFS, no Yen machinery
            gen = iter([nx.bidirectional_shortest_path(P, source, target)])
        else:
            gen = nx.shortest_simple_paths(P, source, target)
        out = []
        for nodes in islice(gen, k):
            if max_hops is not None and len(nodes) - 1 > max_hops:
                break
            rels = [P[a][b]["rels"][0] for a, b in zip(nodes, nodes[1:])]
            out.append({"hops": len(nodes) - 1, "nodes": nodes, "relationships": rels})
        return out
    except nx.NetworkXNoPath:
        return []
