"""Fast, seeded node positions for maps too large for in-browser physics.

networkx's ``spring_layout`` is quadratic per iteration (about 9 s for 5,000
nodes with only 10 iterations), so large maps use a Fruchterman–Reingold
layout whose repulsion is estimated against a random sample of nodes each
iteration: O(n·s) instead of O(n²) per step.
"""

from __future__ import annotations

import networkx as nx


def sampled_force_layout(
    G: nx.Graph,
    *,
    iterations: int = 60,
    sample: int = 128,
    seed: int = 0,
    scale: float = 1000.0,
) -> dict:
    """Positions ``{node: (x, y)}`` from a sampled Fruchterman–Reingold layout.

    Attraction runs along every edge; repulsion from each node is estimated
    against ``sample`` random nodes and scaled up to the whole graph; a weak
    pull to the centre keeps components together. Coordinates are scaled so
    the drawing spans about ``scale`` units per 1,000 nodes (square-root
    growth), ready for vis-network's pixel space.

    Examples
    --------
    >>> pos = sampled_force_layout(nx.path_graph(3), iterations=5)
    >>> sorted(pos) == [0, 1, 2]
    True

    References
    ----------
    Fruchterman, T. M. J. & Reingold, E. M. (1991). Graph drawing by
    force-directed placement. *Software: Practice and Experience* 21(11).
    """
    import numpy as np

    nodes = list(G)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in G.edges() if u != v], dtype=np.int64).reshape(-1, 2)
    pos = force_layout_arrays(n, edges, iterations=iterations, sample=sample, seed=seed, scale=scale)
    return {v: (round(float(pos[i, 0]), 1), round(float(pos[i, 1]), 1)) for i, v in enumerate(nodes)}


def force_layout_arrays(n: int, edges, *, iterations: int = 60, sample: int = 128, seed: int = 0,
                        scale: float = 1000.0):
    """:func:`sampled_force_layout` on nodes ``0..n-1`` and an ``(m, 2)`` integer edge array.

    Returns an ``(n, 2)`` float array (the same positions as the graph version for the
    same nodes in the same order), so callers holding arrays need not build a graph.
    """
    import numpy as np

    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    rng = np.random.default_rng(seed)
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    edges = edges[edges[:, 0] != edges[:, 1]]
    pos = rng.random((n, 2)) - 0.5
    k = 1.0 / np.sqrt(n)  # ideal edge length in the unit square
    s = min(sample, n)
    temp = 0.1
    cool = temp / (iterations + 1)
    for _ in range(iterations):
        pick = rng.choice(n, size=s, replace=False)
        delta = pos[:, None, :] - pos[pick][None, :, :]
        dist2 = np.maximum((delta ** 2).sum(axis=2), 1e-6)
        disp = (delta * (k * k / dist2)[:, :, None]).sum(axis=1) * (n / s)
        if len(edges):
            d = pos[edges[:, 0]] - pos[edges[:, 1]]
            length = np.sqrt(np.maximum((d ** 2).sum(axis=1), 1e-9))
            f = d * (length / k)[:, None]
            np.add.at(disp, edges[:, 0], -f)
            np.add.at(disp, edges[:, 1], f)
        disp -= pos * (0.5 * n * k)  # gravity
        length = np.sqrt(np.maximum((disp ** 2).sum(axis=1), 1e-12))
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp -= cool
    pos -= pos.mean(axis=0)
    extent = np.abs(pos).max() or 1.0
    size = scale * max(1.0, np.sqrt(n / 1000.0))
    return pos / extent * size


def compact_layout(G: nx.Graph, *, radius: dict | None = None, edge_length: float = 150.0,
                   rounds: int = 200) -> dict:
    """Positions ``{node: (x, y)}`` for a small map, drawn as laid out (no physics in the page).

    Stress majorization (SMACOF) on the hop distances of the undirected graph,
    started from classical scaling, so the result is deterministic; nodes in
    different components are held one step further apart than the longest path.
    Isolated nodes are set in a row under the drawing. The drawing is scaled so
    an average edge is ``edge_length`` pixels long, then every node's disc
    (``radius[node]``, default 30) is pushed apart from the others until none
    overlap. Quadratic in the nodes: meant for up to a few hundred
    (``Thresholds.map_preseed``), which is what lets a page skip vis-network's
    stabilisation and its own Kamada–Kawai pass on opening.

    Examples
    --------
    >>> pos = compact_layout(nx.path_graph(3))
    >>> round(abs(pos[0][0] - pos[2][0]) + abs(pos[0][1] - pos[2][1])) > 150
    True

    References
    ----------
    Gansner, E. R., Koren, Y. & North, S. (2004). Graph drawing by stress
    majorization. *Graph Drawing*, LNCS 3383, 239–250.
    """
    import numpy as np

    nodes = list(G)
    if not nodes:
        return {}
    U = nx.Graph()
    U.add_nodes_from(nodes)
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    linked = [v for v in nodes if U.degree(v)]
    alone = [v for v in nodes if not U.degree(v)]
    r = {v: float((radius or {}).get(v, 30.0)) for v in nodes}
    pos = np.zeros((len(linked), 2))
    if len(linked) > 1:
        index = {v: i for i, v in enumerate(linked)}
        n = len(linked)
        D = np.full((n, n), np.inf)
        for u, row in nx.shortest_path_length(U):
            if u in index:
                D[index[u], [index[v] for v in row]] = list(row.values())
        D[np.isinf(D)] = D[np.isfinite(D)].max() + 1
        pos = _stress(D)
        pairs = np.array([(index[u], index[v]) for u, v in U.edges()], dtype=np.int64)
        mean = float(np.sqrt(((pos[pairs[:, 0]] - pos[pairs[:, 1]]) ** 2).sum(axis=1)).mean())
        pos *= edge_length / max(mean, 1e-9)
        pos = spread_discs(pos, np.array([r[v] for v in linked]), rounds=rounds)
        pos -= pos.mean(axis=0)
    out = {v: (float(pos[i, 0]), float(pos[i, 1])) for i, v in enumerate(linked)}
    if alone:  # a row (or rows) under the drawing, as wide as it
        top = float(pos[:, 1].max()) + max(r.values()) * 2 if linked else 0.0
        width = max(float(np.ptp(pos[:, 0])) if len(linked) > 1 else 0.0, 400.0)
        x0 = float(pos[:, 0].min()) if len(linked) > 1 else -width / 2
        x, y, gap = x0, top, 0.0
        for v in alone:
            step = 2 * r[v]
            if x + step > x0 + width + 1e-9 and x > x0:
                x, y = x0, y + gap
            out[v] = (x + r[v], y)
            x, gap = x + step, max(gap, step)
    return {v: (round(out[v][0], 1), round(out[v][1], 1)) for v in nodes}


def _stress(D, iterations: int = 200, tol: float = 1e-4):
    """2-D positions whose distances approach the matrix ``D`` (weights ``D**-2``), by SMACOF."""
    import numpy as np

    n = len(D)
    J = np.eye(n) - 1.0 / n  # classical scaling as the start: deterministic, already near
    vals, vecs = np.linalg.eigh(-0.5 * J @ (D ** 2) @ J)
    X = vecs[:, -2:][:, ::-1] * np.sqrt(np.maximum(vals[-2:][::-1], 1e-9))
    X *= np.where(X[np.abs(X).argmax(axis=0), [0, 1]] < 0, -1.0, 1.0)  # fix the eigenvectors' signs
    with np.errstate(divide="ignore"):
        W = np.where(D > 0, 1.0 / D ** 2, 0.0)
    np.fill_diagonal(W, 0.0)
    V = np.diag(W.sum(axis=1)) - W
    Vp = np.linalg.pinv(V)
    WD = W * D

    def distances(X):
        sq = (X ** 2).sum(axis=1)
        return np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * X @ X.T, 0.0))

    dist = distances(X)
    last = float((W * (dist - D) ** 2).sum())
    for _ in range(iterations):
        with np.errstate(divide="ignore", invalid="ignore"):
            B = np.where(dist > 1e-12, -WD / dist, 0.0)
        np.fill_diagonal(B, 0.0)
        np.fill_diagonal(B, -B.sum(axis=1))
        X = Vp @ (B @ X)
        dist = distances(X)
        now = float((W * (dist - D) ** 2).sum())
        if last - now < tol * last:
            break
        last = now
    return X


def spread_discs(pos, radius, rounds: int = 200):
    """Positions moved apart until no two discs (``radius`` each) overlap, or ``rounds`` passes."""
    import numpy as np

    pos = np.array(pos, dtype=float)
    radius = np.asarray(radius, dtype=float)
    reach = radius[:, None] + radius[None, :]
    for _ in range(rounds):
        sq = (pos ** 2).sum(axis=1)
        dist = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * pos @ pos.T, 0.0))
        need = reach - dist
        np.fill_diagonal(need, 0.0)
        if (need <= 0.5).all():
            break
        push = np.where(need > 0, need / (2 * np.maximum(dist, 1e-9)), 0.0)
        np.fill_diagonal(push, 0.0)
        # the push on i is the sum over j of push_ij * (p_i - p_j)
        pos += push.sum(axis=1)[:, None] * pos - push @ pos
    return pos
