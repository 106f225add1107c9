"""A compiled engine for centrality on large graphs, built from numpy arrays.

networkx stays the API and the reference; above ``Thresholds.engine`` nodes
(:mod:`alliances.network`) :func:`alliances.analysis.centrality.centrality_scores`
hands the work to :func:`centrality_scores_fast`, which runs on networkit (MIT
licence) and scipy, fed with ``int32`` edge arrays rather than Python objects.
This module is a backend, not an analysis family: it sits beside
:mod:`alliances.graph` and imports no analysis. (igraph, GPL-2.0-or-later, is
an optional extra used by :func:`alliances.analysis.brokerage.independent_routes`
(corridors) when installed and by the benchmark for comparison.)

For datasets too large for :func:`alliances.dataset.read_dataset` and
:func:`alliances.graph.build_graph` (a million organisations take minutes and
gigabytes as Python dicts), :func:`read_arrays` reads the CSV files straight
into arrays and :func:`projection_arrays` builds the organisations projection
with numpy; the result equals :func:`alliances.graph.organizations_projection`
edge for edge and weight for weight (it does not check the data: run
``alliances validate`` first).

Conventions (all aligned with networkx, see tests/test_engine.py):

- degree: degree / (n - 1); weighted_degree: sum of ``weight``;
- pagerank: damping 0.85, weighted, dangling nodes spread uniformly, power
  iteration to an L1 change below ``n * 1e-15`` (networkx's default stops at
  ``n * 1e-6``; the two agree to within that tolerance);
- betweenness: unweighted, normalised by (n-1)(n-2)/2 as networkx does for
  undirected graphs. networkit counts each unordered pair twice, so its raw
  scores are halved. Exact (Brandes 2001) up to ``exact_threshold`` nodes,
  above it KADABRA (Borassi & Natale 2019, networkit's KadabraBetweenness):
  every score is within ``epsilon`` of the exact one with probability at
  least ``1 - delta``. KADABRA bounds the share of sampled node pairs whose
  shortest path runs through a node, and networkx's score is that share times
  n/(n-2) (networkit reports twice the share); we ask it for
  ``epsilon (n-2)/n`` and rescale, so the bound holds on networkx's scale. networkit 11 counts its warm-up
  samples in the scores but not in the divisor, so scores run high by the
  warm-up's share of the samples; we shrink the warm-up to 1/1000 of the
  budget (:data:`KADABRA_START_FACTOR`), leaving ``epsilon + 0.002 * score``
  as the bound the tests check. It runs in deterministic mode on a pinned
  number of threads (:data:`KADABRA_THREADS`), so one seed gives the same
  numbers on any machine;
- closeness: Wasserman–Faust (networkx ``wf_improved=True``), harmonic:
  divided by n - 1. Exact up to ``exact_threshold``; above it estimated from
  ``k`` random pivots (Eppstein & Wang 2004): harmonic is the mean of 1/d over
  pivots, unbiased, within ``epsilon`` with probability ``1 - delta`` when
  ``k >= ln(2/delta) / (2 epsilon^2)`` (Hoeffding); closeness is the ratio of
  two such estimates (reach share squared over mean distance), so its error is
  about ``epsilon`` times the diameter on the mean distance;
- eigenvector: leading eigenvector of the unweighted adjacency (scipy's
  Lanczos), absolute values, unit Euclidean norm, as networkx's; on a
  disconnected graph networkx's power iteration stops with small non-zero
  values outside the dominant component where this gives 0;
- communities: Louvain (Blondel et al. 2008) via networkit's PLM, weighted,
  resolution 1, on one thread (its parallel runs gave a different partition
  each time): one seed gives one partition. It is not networkx's partition
  (Louvain is a heuristic), so modularity is what to compare with networkx.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from alliances import model
from alliances.adjacency import distinct, geographic_mask, id_rank, symmetric_csr, type_mask
from alliances.network import thresholds
from alliances.order import HUB_LABELS, capped_hub, hub_order, tie_value

METRICS = ("degree", "weighted_degree", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank")
LABEL_CODES = {name: i for i, name in enumerate(model.LABELS)}
LABEL_NAMES = list(model.LABELS)
TYPE_CODES = {name: i for i, name in enumerate(model.REL_TYPES)}


@dataclass
class GraphArrays:
    """The whole dataset as arrays: node ids and label codes, typed edges."""

    ids: list
    labels: object  # np.int8, index into model.LABELS
    src: object  # np.int32
    dst: object  # np.int32
    types: object  # np.int8, index into model.REL_TYPES
    #: np.float64 per relationship, :func:`alliances.order.tie_value` (weight x count), or
    #: None when no relationship carries a weight or count (every one counts 1).
    weight: object = None


@dataclass
class Projection:
    """An undirected simple graph as arrays: ``u < v``, one row per edge."""

    ids: list
    u: object  # np.int32
    v: object  # np.int32
    weight: object  # np.float64
    #: Hubs whose members were not tied (``max_members``): :func:`alliances.order.capped_hub`
    #: dicts, and ``capped_members[i]`` the member positions (into ``ids``) of ``capped_hubs[i]``.
    capped_hubs: list = field(default_factory=list)
    capped_members: list = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.ids)


# ---------------------------------------------------------------------------
# Arrays from files or from networkx


def read_arrays(path: str | os.PathLike) -> GraphArrays:
    """Read ``nodes.csv`` and ``relationships.csv`` (UTF-8) straight into arrays.

    A fast path for benchmarks and very large generated datasets; it trusts
    the files (validate them first) and reads only ids, labels and types.
    """
    import numpy as np

    folder = Path(path)
    with open(folder / "nodes.csv", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        i_id, i_label = header.index("id"), header.index("label")
        ids, labels = [], []
        for row in reader:
            if row:
                ids.append(row[i_id])
                labels.append(LABEL_CODES[row[i_label]])
    index = {nid: i for i, nid in enumerate(ids)}
    with open(folder / "relationships.csv", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        i_s, i_t, i_e = header.index("start"), header.index("type"), header.index("end")
        tie_cols = [(c, header.index(c)) for c in ("weight", "count") if c in header]
        src, dst, types, weights = [], [], [], []
        for row in reader:
            if row:
                src.append(index[row[i_s]])
                types.append(TYPE_CODES[row[i_t]])
                dst.append(index[row[i_e]])
                if tie_cols:
                    weights.append(tie_value({c: float(row[i]) for c, i in tie_cols if row[i]}))
    return GraphArrays(ids, np.array(labels, dtype=np.int8), np.array(src, dtype=np.int32),
                       np.array(dst, dtype=np.int32), np.array(types, dtype=np.int8),
                       np.array(weights, dtype=np.float64) if tie_cols else None)


def arrays_from_graph(G) -> GraphArrays:
    """The arrays of a :func:`alliances.graph.build_graph` ``MultiDiGraph``."""
    import numpy as np

    ids = list(G.nodes)
    index = {n: i for i, n in enumerate(ids)}
    labels = np.array([LABEL_CODES[G.nodes[n]["label"]] for n in ids], dtype=np.int8)
    edges = [(index[u], index[v], TYPE_CODES[k]) for u, v, k in G.edges(keys=True)]
    e = np.array(edges, dtype=np.int64).reshape(-1, 3)
    weighted = any("weight" in d or "count" in d for _, _, d in G.edges(data=True))
    weight = np.array([tie_value(d) for _, _, d in G.edges(data=True)], dtype=np.float64) if weighted else None
    return GraphArrays(ids, labels, e[:, 0].astype(np.int32), e[:, 1].astype(np.int32),
                       e[:, 2].astype(np.int8), weight)


def geographic_and_partnership_masks():
    """Boolean lookups by label code (regions, zones) and by type code (partnership types)."""
    return geographic_mask(), type_mask()


def arrays_from_dataset(ds) -> GraphArrays:
    """The arrays of a checked :class:`alliances.dataset.Dataset`, without building a graph.

    Node order is the dataset's (as :func:`alliances.graph.build_graph`'s);
    relationships keep the dataset's order.
    """
    import numpy as np

    ids = list(ds.nodes)
    index = {n: i for i, n in enumerate(ids)}
    labels = np.fromiter((LABEL_CODES[d["label"]] for d in ds.nodes.values()), dtype=np.int8, count=len(ids))
    m = len(ds.relationships)
    src = np.fromiter((index[r["start"]] for r in ds.relationships), dtype=np.int32, count=m)
    dst = np.fromiter((index[r["end"]] for r in ds.relationships), dtype=np.int32, count=m)
    types = np.fromiter((TYPE_CODES[r["type"]] for r in ds.relationships), dtype=np.int8, count=m)
    weight = None
    if any("weight" in r or "count" in r for r in ds.relationships):
        weight = np.fromiter((tie_value(r) for r in ds.relationships), dtype=np.float64, count=m)
    return GraphArrays(ids, labels, src, dst, types, weight)


def partnership_arrays(A: GraphArrays) -> tuple[Projection, object]:
    """The partnership graph of :func:`alliances.analysis.centrality.projection` ``"full"``, as arrays.

    Every node but regions and zones, tied where a partnership relationship
    joins two of them (either direction); ``weight`` is the sum of their
    :func:`~alliances.order.tie_value` (the number of such relationships in
    unweighted data), as the ``full`` projection's. Self-ties are left out.
    Returns the projection and, for each of its nodes, its index in ``A``.
    """
    import numpy as np

    geo, part = geographic_and_partnership_masks()
    keep_node = ~geo[A.labels]
    nodes = np.flatnonzero(keep_node)
    pos = np.full(len(A.labels), -1, dtype=np.int64)
    pos[nodes] = np.arange(len(nodes))
    keep = part[A.types] & keep_node[A.src] & keep_node[A.dst] & (A.src != A.dst)
    a, b = pos[A.src[keep]], pos[A.dst[keep]]
    n = max(len(nodes), 1)
    pairs, inverse, counts = np.unique(np.minimum(a, b) * n + np.maximum(a, b), return_inverse=True,
                                       return_counts=True)
    if A.weight is not None:
        counts = np.bincount(inverse.ravel(), A.weight[keep], minlength=len(pairs))
    return (Projection([A.ids[i] for i in nodes], (pairs // n).astype(np.int32), (pairs % n).astype(np.int32),
                       counts.astype(np.float64)), nodes)


def projection_arrays(A: GraphArrays, *, max_members: int | None = None) -> Projection:
    """The organisations projection of :func:`alliances.graph.organizations_projection`, as arrays.

    Two organisations are tied once per shared alliance, agreement or activity
    (a partnership tie to the hub, whatever its type or direction, counted
    once per hub) and once per direct partnership relationship; ``weight`` is
    the number of such ties in unweighted data. With weights (``GraphArrays.weight``)
    a direct relationship adds its :func:`~alliances.order.tie_value` and a
    shared hub the smaller of the two members' values (a member's value: the
    largest of its relationships to the hub). Regions and zones never take part. A hub with
    more than ``max_members`` members ties none of them (listed in
    ``capped_hubs``), as in :func:`alliances.graph.organizations_projection`.
    """
    import numpy as np

    labels = A.labels
    org_code = LABEL_CODES["Organization"]
    geo, part = geographic_and_partnership_masks()
    hub = np.zeros(len(model.LABELS), dtype=bool)
    hub[[LABEL_CODES[lab] for lab in HUB_LABELS]] = True

    keep = part[A.types] & ~geo[labels[A.src]] & ~geo[labels[A.dst]] & (A.src != A.dst)
    s, d = A.src[keep].astype(np.int64), A.dst[keep].astype(np.int64)
    w = A.weight[keep] if A.weight is not None else None
    orgs = np.flatnonzero(labels == org_code)
    n_all = len(labels)
    pos = np.full(n_all, -1, dtype=np.int64)
    pos[orgs] = np.arange(len(orgs))
    n = len(orgs)

    pieces_a, pieces_b, pieces_w = [], [], []
    direct = (labels[s] == org_code) & (labels[d] == org_code)
    pieces_a.append(pos[s[direct]])
    pieces_b.append(pos[d[direct]])
    if w is not None:
        pieces_w.append(w[direct])

    # (hub, member) once per pair, whichever the direction or type
    sh, dh = hub[labels[s]], hub[labels[d]]
    m1 = sh & (labels[d] == org_code)
    m2 = dh & (labels[s] == org_code)
    h = np.concatenate([s[m1], d[m2]])
    m = np.concatenate([pos[d[m1]], pos[s[m2]]])
    if w is not None and len(h):  # a member's value at a hub: the largest of its ties to it
        key, inv = np.unique(h * n + m, return_inverse=True)
        hw = np.zeros(len(key), dtype=np.float64)
        np.maximum.at(hw, inv.ravel(), np.concatenate([w[m1], w[m2]]))
    else:
        key = distinct(h * n + m) if len(h) else np.zeros(0, dtype=np.int64)
    h, m = key // max(n, 1), key % max(n, 1)
    capped, capped_members = [], []
    if len(h):
        starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
        sizes = np.diff(np.r_[starts, len(h)])
        if max_members is not None:
            for i in np.flatnonzero(sizes > max_members).tolist():
                hub = int(h[starts[i]])
                capped.append((capped_hub(A.ids[hub], LABEL_NAMES[labels[hub]], int(sizes[i])),
                               m[starts[i]:starts[i] + sizes[i]].astype(np.int32)))
            capped.sort(key=lambda c: hub_order(c[0]))
            capped, capped_members = [c[0] for c in capped], [c[1] for c in capped]
        for size in np.unique(sizes):
            if size < 2 or (max_members is not None and size > max_members):
                continue
            first = starts[sizes == size]
            members = m[first[:, None] + np.arange(size)[None, :]]  # hubs x size
            iu, ju = np.triu_indices(size, 1)
            pieces_a.append(members[:, iu].ravel())
            pieces_b.append(members[:, ju].ravel())
            if w is not None:
                mw = hw[first[:, None] + np.arange(size)[None, :]]
                pieces_w.append(np.minimum(mw[:, iu], mw[:, ju]).ravel())
    a = np.concatenate(pieces_a)
    b = np.concatenate(pieces_b)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pairs, inverse, counts = np.unique(lo * n + hi, return_inverse=True, return_counts=True)
    if w is not None:
        counts = np.bincount(inverse.ravel(), np.concatenate(pieces_w), minlength=len(pairs))
    return Projection([A.ids[i] for i in orgs], (pairs // n).astype(np.int32),
                      (pairs % n).astype(np.int32), counts.astype(np.float64), capped, capped_members)


def via_arrays(A: GraphArrays, via) -> tuple[Projection, object]:
    """The ties of the ``via`` relationship types (either direction), every node taking
    part, regions and zones too: :func:`alliances.graph.partnership_graph` with ``via``."""
    import numpy as np

    keep = type_mask(via)[A.types] & (A.src != A.dst)
    a, b = A.src[keep].astype(np.int64), A.dst[keep].astype(np.int64)
    n = max(len(A.ids), 1)
    pairs, inverse, counts = np.unique(np.minimum(a, b) * n + np.maximum(a, b), return_inverse=True,
                                       return_counts=True)
    if A.weight is not None:  # the ties' strength, as partnership_arrays sums it
        counts = np.bincount(inverse.ravel(), A.weight[keep], minlength=len(pairs))
    return (Projection(list(A.ids), (pairs // n).astype(np.int32), (pairs % n).astype(np.int32),
                       counts.astype(np.float64)), np.arange(len(A.ids)))


class PartnershipAdjacency:
    """A dataset's partnership graph (:func:`partnership_arrays`, or the ``via`` types' ties,
    :func:`via_arrays`) read by node id.

    ``nid in adj`` and ``adj[nid]`` (its neighbours' ids) are what
    :func:`alliances.paths.first_shortest_path` reads of a networkx graph, so
    the embedded path search runs on it unchanged; ``csr`` (symmetric) and
    ``index`` serve compiled searches, ``where`` maps back to ``A``.
    """

    def __init__(self, A: GraphArrays, via=None):
        import numpy as np
        from scipy.sparse import coo_matrix

        self.P, self.where = partnership_arrays(A) if not via else via_arrays(A, via)
        P = self.P
        both = np.concatenate([P.u, P.v]), np.concatenate([P.v, P.u])
        self.csr = coo_matrix((np.ones(len(both[0])), both), shape=(P.n, P.n)).tocsr()
        self.index = {nid: i for i, nid in enumerate(P.ids)}

    def __contains__(self, nid) -> bool:
        return nid in self.index

    def __getitem__(self, nid) -> list:
        i, ids, csr = self.index[nid], self.P.ids, self.csr
        return [ids[j] for j in csr.indices[csr.indptr[i]:csr.indptr[i + 1]].tolist()]


def tie_lengths(adj: PartnershipAdjacency):
    """The symmetric CSR matrix of hop lengths ``1 / strength`` on ``adj``'s partnership graph
    (the strengths are its projection's weights), for weighted paths; cached on ``adj``."""
    if getattr(adj, "_lengths", None) is None:
        import numpy as np
        from scipy.sparse import coo_matrix

        P = adj.P
        inv = 1.0 / P.weight
        adj._lengths = coo_matrix((np.concatenate([inv, inv]), (np.concatenate([P.u, P.v]),
                                                                np.concatenate([P.v, P.u]))),
                                  shape=(P.n, P.n)).tocsr()
    return adj._lengths


def dijkstra_lengths(lengths, i: int, *, directed: bool = False):
    """Shortest path lengths from node ``i`` to every node (``inf`` where unreachable).

    ``directed=True`` reads each row as the node's ties as they stand: for a symmetric
    ``lengths`` the same answer without scipy's transposed copy, and an infinite entry
    (a banned tie or node, :func:`alliances.paths.find_k_path_arrays`) is never crossed."""
    from scipy.sparse.csgraph import dijkstra

    return dijkstra(lengths, directed=directed, indices=i)


def projection_from_networkx(H, weight: str = "weight") -> Projection:
    """Arrays of an undirected networkx graph (missing weights count 1)."""
    import numpy as np

    ids = list(H.nodes)
    index = {n: i for i, n in enumerate(ids)}
    m = H.number_of_edges()
    u = np.empty(m, dtype=np.int32)
    v = np.empty(m, dtype=np.int32)
    w = np.empty(m, dtype=np.float64)
    for i, (a, b, d) in enumerate(H.edges(data=True)):
        x, y = index[a], index[b]
        u[i], v[i], w[i] = min(x, y), max(x, y), d.get(weight, 1)
    keep = u != v  # self-loops play no part in these measures
    return Projection(ids, u[keep], v[keep], w[keep])


def canonical(P: Projection) -> tuple[Projection, object]:
    """``P`` with nodes in id order and edges sorted, and the permutation used.

    Sampled measures depend on node numbering and adjacency order; putting
    both in a canonical order makes one seed give the same numbers whichever
    way the graph was read (a folder, Neo4j, networkx). Returns the new
    projection and ``order`` such that new node ``i`` is old node ``order[i]``.
    """
    import numpy as np

    rank = id_rank(P.ids)
    order = np.empty(P.n, dtype=np.int64)
    order[rank] = np.arange(P.n)
    a, b = rank[P.u], rank[P.v]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    edge_order = np.lexsort((hi, lo))
    return (Projection([P.ids[i] for i in order], lo[edge_order].astype(np.int32),
                       hi[edge_order].astype(np.int32), np.asarray(P.weight)[edge_order]), order)


# ---------------------------------------------------------------------------
# Engines


def networkit_graph(P: Projection, *, weighted: bool = False):
    """A networkit graph straight from the edge arrays."""
    import networkit as nk
    import numpy as np

    rows, cols = P.u.astype(np.uint64), P.v.astype(np.uint64)
    if weighted:
        return nk.GraphFromCoo((P.weight.astype(np.float64), (rows, cols)), n=P.n, directed=False,
                               weighted=True)
    return nk.GraphFromCoo((rows, cols), n=P.n, directed=False)


def _adjacency(P: Projection, weighted: bool):
    import numpy as np
    import scipy.sparse as sp

    data = P.weight if weighted else np.ones(len(P.u))
    A = sp.coo_array((np.r_[data, data], (np.r_[P.u, P.v], np.r_[P.v, P.u])), shape=(P.n, P.n))
    return A.tocsr()


def degree_arrays(P: Projection):
    import numpy as np

    deg = np.bincount(P.u, minlength=P.n) + np.bincount(P.v, minlength=P.n)
    wdeg = np.bincount(P.u, P.weight, minlength=P.n) + np.bincount(P.v, P.weight, minlength=P.n)
    return deg / (P.n - 1) if P.n > 1 else deg * 0.0, wdeg.astype(np.float64)


def pagerank_arrays(P: Projection, *, alpha: float = 0.85, tol: float = 1e-15, max_iter: int = 1000):
    """Weighted PageRank with networkx's conventions (uniform teleport and dangling)."""
    import numpy as np

    n = P.n
    A = _adjacency(P, weighted=True)
    S = np.asarray(A.sum(axis=1)).ravel()
    dangling = S == 0
    inv = np.where(dangling, 0.0, 1.0 / np.where(dangling, 1.0, S))
    AT = A.T.tocsr()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (AT @ (last * inv) + last[dangling].sum() / n) + (1 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            return x
    return x


def betweenness_arrays(P: Projection, *, exact: bool, epsilon: float = 0.01, delta: float = 0.1,
                       seed: int = 0):
    """Normalised undirected betweenness (networkx's convention); exact or sampled."""
    import networkit as nk
    import numpy as np

    n = P.n
    if n <= 2:
        return np.zeros(n)
    nk.setSeed(seed, False)
    g = networkit_graph(P)
    if exact:
        algo = nk.centrality.Betweenness(g, normalized=False)
        algo.run()
        # networkit sums over ordered pairs: half of it is networkx's raw score
        return np.asarray(algo.scores()) / 2 / ((n - 1) * (n - 2) / 2)
    # KADABRA (Borassi & Natale 2019): adaptive sampling of shortest paths found
    # by balanced bidirectional BFS; with deterministic=True one seed gives the
    # same numbers for a given thread count. See kadabra_error for the scale.
    # Its random streams are per thread, so the thread count is pinned: one seed
    # then gives the same numbers on any machine.
    nk.setSeed(seed, True)
    threads = nk.getMaxNumberOfThreads()
    nk.setNumberOfThreads(KADABRA_THREADS)
    try:
        algo = nk.centrality.KadabraBetweenness(g, kadabra_error(epsilon, n), delta, True, 0, 0,
                                                KADABRA_START_FACTOR)
        algo.run()
    finally:
        nk.setNumberOfThreads(threads)
    return np.asarray(algo.scores()) * n / (2 * (n - 2))


# networkit 11 leaves KADABRA's warm-up samples (1/start factor of its budget)
# in the scores but not in the count they are divided by: at its default of
# 100 every score came out 1% high (measured against exact networkx); at 1000
# the warm-up is 0.1% of the budget and the run time is the same.
KADABRA_START_FACTOR = 1000
KADABRA_THREADS = 2


def kadabra_error(epsilon: float, n: int) -> float:
    """The error to ask of networkit's KADABRA for ``epsilon`` on networkx's normalised scale.

    KADABRA bounds the share of sampled pairs whose path runs through a node;
    networkit then doubles it for undirected graphs, and networkx's scale is
    that share times n/(n-2).
    """
    return epsilon * (n - 2) / n


def pivots_needed(epsilon: float, delta: float) -> int:
    """Pivots for the Hoeffding bound: ``ceil(ln(2/delta) / (2 epsilon^2))``."""
    return math.ceil(math.log(2 / delta) / (2 * epsilon * epsilon))


def closeness_arrays(P: Projection, *, exact: bool, epsilon: float = 0.1, delta: float = 0.01,
                     seed: int = 0):
    """Wasserman–Faust closeness and harmonic/(n-1), exact or from random pivots."""
    import networkit as nk
    import numpy as np

    n = P.n
    if n <= 1:
        return np.zeros(n), np.zeros(n)
    if exact:
        g = networkit_graph(P)
        c = nk.centrality.Closeness(g, True, nk.centrality.ClosenessVariant.GENERALIZED)
        c.run()
        h = nk.centrality.HarmonicCloseness(g, True)
        h.run()
        return np.asarray(c.scores()), np.asarray(h.scores())
    from scipy.sparse.csgraph import shortest_path

    A = _adjacency(P, weighted=False)
    k = min(n, pivots_needed(epsilon, delta))
    rng = np.random.default_rng(seed)
    pivots = rng.choice(n, size=k, replace=False)
    inv_sum = np.zeros(n)
    reach = np.zeros(n)
    dist_sum = np.zeros(n)
    for lo in range(0, k, 16):
        D = shortest_path(A, method="D", unweighted=True, indices=pivots[lo:lo + 16])
        finite = np.isfinite(D) & (D > 0)
        Dz = np.where(finite, D, 0.0)
        with np.errstate(divide="ignore"):
            inv_sum += np.where(finite, 1.0 / np.where(finite, D, 1.0), 0.0).sum(axis=0)
        reach += finite.sum(axis=0)
        dist_sum += Dz.sum(axis=0)
    # a pivot equal to the node itself is not a sample for it
    own = np.zeros(n)
    own[pivots] = 1
    samples = k - own
    harmonic = inv_sum / np.maximum(samples, 1)
    f = reach / np.maximum(samples, 1)
    mean_d = dist_sum / np.maximum(samples, 1)
    closeness = np.where(mean_d > 0, f * f / np.where(mean_d > 0, mean_d, 1.0), 0.0)
    return closeness, harmonic


def eigenvector_arrays(P: Projection):
    import numpy as np
    from scipy.sparse.linalg import eigsh

    if len(P.u) == 0:
        return np.zeros(P.n)
    A = _adjacency(P, weighted=False).astype(np.float64)
    if P.n < 3:
        vals, vecs = np.linalg.eigh(A.toarray())
        x = vecs[:, -1]
    else:
        vals, vecs = eigsh(A, k=1, which="LA", tol=1e-12, v0=np.ones(P.n))
        x = vecs[:, 0]
    x = np.abs(x)
    return x / np.linalg.norm(x)


def communities_arrays(P: Projection, *, seed: int = 0, resolution: float = 1.0) -> dict:
    """Louvain communities (networkit PLM): ``{"membership": array, "modularity", "count"}``."""
    import networkit as nk
    import numpy as np

    g = networkit_graph(P, weighted=True)
    # PLM moves nodes in parallel: with two threads one seed gave a different
    # partition on every run. One thread makes the seed decide it.
    nk.setSeed(seed, False)
    threads = nk.getMaxNumberOfThreads()
    nk.setNumberOfThreads(1)
    try:
        plm = nk.community.PLM(g, refine=False, gamma=resolution)
        plm.run()
    finally:
        nk.setNumberOfThreads(threads)
    part = plm.getPartition()
    q = nk.community.Modularity().getQuality(part, g) if len(P.u) else 0.0
    membership = np.asarray(part.getVector(), dtype=np.int64)
    return {"membership": membership, "modularity": float(q), "count": int(len(np.unique(membership)))}


def scores_arrays(
    P: Projection,
    *,
    metrics=METRICS,
    exact_threshold: int | None = None,
    approx_betweenness_epsilon: float = 0.05,
    approx_betweenness_delta: float = 0.1,
    approx_closeness_epsilon: float = 0.1,
    approx_closeness_delta: float = 0.01,
    seed: int = 0,
) -> dict:
    """The chosen metrics as arrays aligned with ``P.ids``; see the module docstring.

    Sampled runs work on :func:`canonical` order, so one seed gives the same
    numbers whichever way the graph was read.
    """
    import numpy as np

    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown}; use {METRICS}")
    settings = dict(bc_epsilon=approx_betweenness_epsilon, bc_delta=approx_betweenness_delta,
                    cc_epsilon=approx_closeness_epsilon, cc_delta=approx_closeness_delta, seed=seed)
    if exact_threshold is None:
        exact_threshold = thresholds().exact
    if P.n <= exact_threshold:
        out = _metric_arrays(P, metrics, exact=True, **settings)
    else:
        Pc, order = canonical(P)
        res = _metric_arrays(Pc, metrics, exact=False, **settings)
        out = {}
        for m in metrics:
            out[m] = np.empty(P.n)
            out[m][order] = res[m]
    out["exact"] = P.n <= exact_threshold
    return out


def _metric_arrays(P: Projection, metrics, *, exact: bool, bc_epsilon, bc_delta, cc_epsilon,
                   cc_delta, seed) -> dict:
    import numpy as np

    out: dict = {}
    if {"degree", "weighted_degree"} & set(metrics):
        out["degree"], out["weighted_degree"] = degree_arrays(P)
    if "pagerank" in metrics:
        out["pagerank"] = pagerank_arrays(P)
    if "betweenness" in metrics:
        out["betweenness"] = betweenness_arrays(P, exact=exact, epsilon=bc_epsilon, delta=bc_delta,
                                                seed=seed)
    if {"closeness", "harmonic"} & set(metrics):
        out["closeness"], out["harmonic"] = closeness_arrays(P, exact=exact, epsilon=cc_epsilon,
                                                             delta=cc_delta, seed=seed)
    if "eigenvector" in metrics:
        out["eigenvector"] = eigenvector_arrays(P)
    return {m: np.asarray(out[m], dtype=np.float64) for m in metrics}


def centrality_scores_fast(
    H,
    *,
    metrics=METRICS,
    exact_threshold: int | None = None,
    approx_betweenness_epsilon: float = 0.05,
    approx_betweenness_delta: float = 0.1,
    seed: int = 0,
) -> dict[str, dict[str, float]]:
    """Centrality of every node on the compiled engine, as ``{node: {metric: value}}``.

    Same result shape and conventions as
    :func:`alliances.analysis.centrality.centrality_scores`; betweenness,
    closeness and harmonic are exact up to ``exact_threshold`` nodes and
    sampled with a stated bound above it (module docstring).

    Parameters
    ----------
    H : networkx.Graph or Projection
        Undirected graph; ``weight`` edge attribute for weighted measures.

    Examples
    --------
    >>> import networkx as nx
    >>> s = centrality_scores_fast(nx.path_graph(3), metrics=("degree", "betweenness"))
    >>> s[1]["betweenness"], s[0]["degree"]
    (1.0, 0.5)

    References
    ----------
    Brandes (2001); Borassi & Natale (2019, KADABRA); Eppstein & Wang (2004);
    Page et al. (1999); Wasserman & Faust (1994); Staudt, Sazonovs &
    Meyerhenke, "NetworKit" (2016).
    """
    P = H if isinstance(H, Projection) else projection_from_networkx(H)
    if P.n == 0:
        return {}
    arrays = scores_arrays(P, metrics=metrics, exact_threshold=exact_threshold,
                           approx_betweenness_epsilon=approx_betweenness_epsilon,
                           approx_betweenness_delta=approx_betweenness_delta, seed=seed)
    cols = {m: arrays[m].tolist() for m in metrics}
    return {nid: {m: cols[m][i] for m in metrics} for i, nid in enumerate(P.ids)}


#: At most this many two-hop entries (pairs with their common-neighbour count, an upper bound
#: summed from the degrees) in one block of rows of a sparse product ``A[rows] @ A``: each costs
#: ~100 bytes while a block is scored (the products and their masks), so a block stays under
#: ~1 GB whatever the network's size or its hubs (a row in a 250-member alliance has ~60,000).
BLOCK_ENTRIES = 8_000_000


def row_blocks(A, deg, budget: int = BLOCK_ENTRIES, *, max_rows: int | None = None) -> list[tuple[int, int]]:
    """``(start, stop)`` ranges covering the rows of the symmetric adjacency ``A``, in order, each
    with at most ``budget`` two-hop entries (Σ of its rows' neighbours' degrees ``deg``, an upper
    bound of the entries of ``A[rows] @ A``) and ``max_rows`` rows, or of one row."""
    import numpy as np

    n = A.shape[0]
    if n == 0:
        return []
    est = np.cumsum(A @ np.asarray(deg, dtype=np.float64))
    out, start = [], 0
    while start < n:
        base = est[start - 1] if start else 0.0
        stop = int(np.searchsorted(est, base + budget, side="right"))
        stop = max(stop, start + 1)
        if max_rows is not None:
            stop = min(stop, start + max_rows)
        stop = min(stop, n)
        out.append((start, stop))
        start = stop
    return out


# ---------------------------------------------------------------------------
# Brokerage on arrays


def brokerage_arrays(P: Projection, groups, *, block: int = 4096, entries: int = BLOCK_ENTRIES) -> dict:
    """Gould–Fernandez role counts, Burt's constraint and effective size of every node of ``P``.

    The quantities of :func:`alliances.analysis.brokerage.broker_table` (each
    undirected tie read both ways, unweighted), from sparse products in row
    blocks instead of a loop over every two-path: for a broker b, the ordered
    pairs (a, c) of its neighbours in groups (g, h) number
    ``n_g·n_h − [g = h]·n_g``, and those tied to each other are the row sums
    of ``(A·D_g·A) ∘ (A·D_h)``. Constraint is
    ``(d + 2·Σ_j S_bj + Σ_j S_bj²) / d²`` over b's neighbours j with
    ``S = A·D⁻¹·A``; effective size ``d − 2t/d`` (t: ties among b's
    neighbours). Isolates get ``nan`` for both, as networkx gives. A block holds at most
    ``block`` rows and ``entries`` two-hop entries (:func:`row_blocks`): the counts do not
    depend on the blocks, the constraint's row sums only in their last bits.

    ``groups`` is an int array (one code per node). Returns arrays of length
    ``P.n``: ``coordinator``, ``itinerant``, ``representative``,
    ``gatekeeper``, ``liaison``, ``constraint``, ``effective_size``.
    """
    import numpy as np
    from scipy.sparse import csr_matrix, diags

    n = P.n
    groups = np.asarray(groups, dtype=np.int64)
    u, v = np.asarray(P.u, dtype=np.int64), np.asarray(P.v, dtype=np.int64)
    keep = u != v
    u, v = u[keep], v[keep]
    A = csr_matrix((np.ones(2 * len(u)), (np.r_[u, v], np.r_[v, u])), shape=(n, n))
    A.sum_duplicates()
    A.data[:] = 1.0
    k = int(groups.max()) + 1 if n else 0
    onehot = csr_matrix((np.ones(n), (np.arange(n), groups)), shape=(n, max(k, 1)))
    N = (A @ onehot).toarray()  # n × k: neighbours per group
    deg = N.sum(axis=1)
    s1 = np.zeros(n)
    s2 = np.zeros(n)
    tied = np.zeros(n)  # ordered pairs of tied neighbours
    roles = {r: np.zeros(n, dtype=np.int64) for r in ("coordinator", "itinerant", "representative",
                                                      "gatekeeper", "liaison")}
    inv = diags(1.0 / np.maximum(deg, 1.0))
    masks = [diags((groups == g).astype(np.float64)) for g in range(k)]
    own = np.zeros((n, k), dtype=bool)
    own[np.arange(n), groups] = True
    same = np.eye(k, dtype=bool)[None, :, :]
    eye = np.eye(k)
    # the n × k × k counts are made and summed one block of rows at a time (1M organisations in
    # ten groups: 0.8 GB per such array, five of them at once when made whole)
    for start, stop in row_blocks(A, deg, entries, max_rows=block):
        rows = slice(start, stop)
        B = A[rows]
        T = np.zeros((B.shape[0], k, k))  # ordered pairs of tied neighbours by groups
        for g in range(k):
            X = (B @ masks[g] @ A).multiply(B)
            T[:, g, :] = (X @ onehot).toarray()
        S = (B @ inv @ A).multiply(B).tocsr()
        s1[rows] = np.asarray(S.sum(axis=1)).ravel()
        s2[rows] = np.asarray(S.multiply(S).sum(axis=1)).ravel()
        Nb = N[rows]
        open_ = Nb[:, :, None] * Nb[:, None, :] - np.einsum("ng,gh->ngh", Nb, eye) - T
        a_own, c_own = own[rows][:, :, None], own[rows][:, None, :]
        for r, m in (("coordinator", a_own & c_own), ("itinerant", same & ~a_own),
                     ("representative", a_own & ~c_own), ("gatekeeper", ~a_own & c_own),
                     ("liaison", ~same & ~a_own & ~c_own)):
            roles[r][rows] = np.rint((open_ * m).sum(axis=(1, 2))).astype(np.int64)
        tied[rows] = T.sum(axis=(1, 2))
    out = dict(roles)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["constraint"] = np.where(deg > 0, (deg + 2 * s1 + s2) / deg ** 2, np.nan)
        out["effective_size"] = np.where(deg > 0, deg - tied / deg, np.nan)
    return out


def region_distances(P: Projection, groups, keys) -> dict[tuple[str, str], int | None]:
    """The fewest ties between any node of one group and any of another, for each pair of ``keys``.

    ``groups`` gives each node of ``P`` its group key; pairs come in the order
    of ``keys`` (``a`` before ``b``); ``None`` when no node of ``b`` is
    reachable from ``a`` (or a group is empty). The ``distance`` of
    :func:`alliances.analysis.brokerage.corridor`, from one multi-source
    breadth-first search per group on the sparse adjacency (tested equal).
    """
    import numpy as np
    from scipy.sparse.csgraph import dijkstra

    g = np.asarray(groups, dtype=object)
    members = {k: np.flatnonzero(g == k) for k in keys}
    A = _adjacency(P, weighted=False) if P.n else None
    out: dict[tuple[str, str], int | None] = {}
    for i, a in enumerate(keys):
        rest = keys[i + 1:]
        if not len(members[a]) or not rest:
            out.update({(a, b): None for b in rest})
            continue
        dist = dijkstra(A, indices=members[a], unweighted=True, min_only=True)
        for b in rest:
            d = dist[members[b]].min() if len(members[b]) else np.inf
            out[(a, b)] = int(d) if np.isfinite(d) else None
    return out


def cross_region_brokers(P: Projection, groups, *, graph=None):
    """Whether each node of ``P`` brokers some cross-region two-path: a boolean array, true
    where :func:`alliances.analysis.brokerage.broker_table` gives ``cross_region > 0``.

    No role is counted: a node with d neighbours and t ties among them has d(d-1) - 2t open
    ordered two-paths through it (each undirected tie read both ways); of those, o(o-1) - 2t_o
    are coordinator ones, where o counts its neighbours in its own group and t_o the ties among
    them; every other open two-path crosses a region. t and t_o are triangles, counted by
    networkit on the graph (``graph``, :func:`networkit_graph` of ``P``, when given) and on its
    ties within one group.
    """
    import numpy as np

    n = P.n
    groups = np.asarray(groups, dtype=np.int64)
    u, v = np.asarray(P.u, dtype=np.int64), np.asarray(P.v, dtype=np.int64)
    keep = u != v
    u, v = u[keep], v[keep]
    same = groups[u] == groups[v]

    def degree_and_triangles(a, b, g=None):
        d = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
        if not len(a):
            return d, np.zeros(n, dtype=np.int64)
        import networkit as nk

        if g is None:
            g = nk.GraphFromCoo((a.astype(np.uint64), b.astype(np.uint64)), n=n, directed=False)
        lcc = nk.centrality.LocalClusteringCoefficient(g, turbo=True)
        lcc.run()
        # the coefficient is t / (d(d-1)/2); t < 2^50, so rounding gives it back exactly
        return d, np.rint(np.asarray(lcc.scores()) * d * (d - 1) / 2).astype(np.int64)

    d, t = degree_and_triangles(u, v, graph if keep.all() else None)
    o, t_o = degree_and_triangles(u[same], v[same])
    return d * (d - 1) - 2 * t - (o * (o - 1) - 2 * t_o) > 0


def group_distances(P: Projection, groups, keys, *, adjacency=None) -> dict:
    """Hop distance from the nearest node of each group in ``keys`` to every node of ``P``
    (``inf`` where none reaches): one multi-source search per group, as in
    :func:`region_distances`. A group with no node gets ``None``. ``adjacency``: ``P``'s
    symmetric scipy adjacency when the caller has it (built here otherwise)."""
    import numpy as np
    from scipy.sparse.csgraph import dijkstra

    g = np.asarray(groups, dtype=object)
    A = adjacency if adjacency is not None else _adjacency(P, weighted=False) if P.n else None
    out = {}
    for k in keys:
        members = np.flatnonzero(g == k)
        out[k] = dijkstra(A, indices=members, unweighted=True, min_only=True) if len(members) else None
    return out


# ---------------------------------------------------------------------------
# Corridors between node groups on CSR


class CSR:
    """A symmetric adjacency (``indptr``, ``indices``) of an undirected simple graph.

    Breadth-first searches here run one whole level at a time in numpy, so a
    search touches each tie once in compiled code; a node or a tie can be
    left out of a search without copying the graph.
    """

    def __init__(self, n: int, u, v):
        self.n = n
        self.indptr, self.indices, self.src = symmetric_csr(n, u, v)  # src: the row of each entry

    @classmethod
    def of(cls, P: Projection) -> "CSR":
        return cls(P.n, P.u, P.v)

    def neighbours(self, i: int):
        return self.indices[self.indptr[i]:self.indptr[i + 1]]

    def _expand(self, frontier):
        """Every (from, to) entry leaving the ``frontier`` nodes."""
        import numpy as np

        starts, ends = self.indptr[frontier], self.indptr[frontier + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if not total:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        offsets = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths) + np.arange(total)
        return np.repeat(frontier, lengths), self.indices[offsets]

    def distances(self, sources, *, skip_node: int = -1, skip_tie: tuple | None = None, stop=None):
        """Hop distance from the nearest of ``sources`` to every node (-1: unreachable).

        ``skip_node`` is left out of the search, ``skip_tie`` (a pair) is not
        crossed. With ``stop`` (a boolean mask), the search ends at the first
        level that reaches a node of it.
        """
        import numpy as np

        dist = np.full(self.n, -1, dtype=np.int64)
        frontier = distinct(np.asarray(sources, dtype=np.int64))
        if skip_node >= 0:
            frontier = frontier[frontier != skip_node]
            dist[skip_node] = -2  # never entered
        dist[frontier] = 0
        d = 0
        while len(frontier):
            if stop is not None and stop[frontier].any():
                break
            a, b = self._expand(frontier)
            if skip_tie is not None:
                x, y = skip_tie
                cross = ((a == x) & (b == y)) | ((a == y) & (b == x))
                b = b[~cross]
            b = b[dist[b] == -1]
            frontier = distinct(b)
            d += 1
            dist[frontier] = d
        if skip_node >= 0:
            dist[skip_node] = -1
        return dist

    def reaches(self, sources, targets_mask, **skip) -> bool:
        """Whether any node of ``targets_mask`` is reachable from ``sources`` (same ``skip_*``)."""
        dist = self.distances(sources, stop=targets_mask, **skip)
        return bool((dist[targets_mask] >= 0).any())


def corridor_arrays(C: CSR, a_nodes, b_nodes, *, ids=None) -> dict | None:
    """Distance, shortest-path nodes, cut nodes and cut ties between two node sets.

    The quantities of :func:`alliances.analysis.brokerage.corridor` on a
    :class:`CSR` (positions, not ids): ``distance`` the fewest ties from a node
    of ``a_nodes`` to one of ``b_nodes``; ``on`` every node with
    ``d_A + d_B == distance``; ``cut_nodes`` / ``cut_ties`` the single nodes /
    ties whose removal leaves no route (they lie on every route, so only one
    shortest path is tested: the one that takes the smallest ``ids`` rank at
    each step when ``ids`` ranks are given, else the smallest position);
    ``node_independent`` / ``edge_independent`` the maximum numbers of
    node- and tie-disjoint routes (maximum flows, scipy's Dinic). ``None``
    when no route exists.
    """
    import numpy as np

    n = C.n
    a_nodes = np.asarray(a_nodes, dtype=np.int64)
    b_nodes = np.asarray(b_nodes, dtype=np.int64)
    in_b = np.zeros(n, dtype=bool)
    in_b[b_nodes] = True
    da = C.distances(a_nodes)
    if not (da[in_b] >= 0).any():
        return None
    db = C.distances(b_nodes)
    d = int(da[in_b & (da >= 0)].min())
    on = np.flatnonzero((da >= 0) & (db >= 0) & (da + db == d))
    # one shortest path: from a node of A at distance d from B, step to a neighbour one nearer B
    rank = np.arange(n) if ids is None else ids
    start = on[da[on] == 0]
    path = [int(start[np.argmin(rank[start])])]
    for _ in range(d):
        nb = C.neighbours(path[-1])
        nb = nb[db[nb] == db[path[-1]] - 1]
        path.append(int(nb[np.argmin(rank[nb])]))
    cut_nodes = [x for x in path if not C.reaches(a_nodes, in_b, skip_node=x)]
    cut_ties = [(x, y) for x, y in zip(path, path[1:]) if not C.reaches(a_nodes, in_b, skip_tie=(x, y))]
    node_ind, edge_ind = independent_routes_arrays(C, a_nodes, b_nodes)
    return {"distance": d, "on": on, "cut_nodes": cut_nodes, "cut_ties": cut_ties,
            "node_independent": node_ind, "edge_independent": edge_ind}


def independent_routes_arrays(C: CSR, a_nodes, b_nodes) -> tuple[int, int]:
    """Node-disjoint and tie-disjoint routes between two node sets (maximum flows).

    As :func:`alliances.analysis.brokerage.independent_routes`: a super-source
    joined to ``a_nodes``, a super-sink joined to ``b_nodes``; nodes of capacity
    1 (each split in two, Menger) for the first, ties of capacity 1 each way
    with unlimited super links for the second.
    """
    import numpy as np
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import maximum_flow

    n = C.n
    a_nodes, b_nodes, in_a, in_b = _route_sides(C, a_nodes, b_nodes)
    # tie-disjoint. With unlimited links from the super-source to every node of A, A is one
    # node (so is B): ties inside A or inside B carry nothing, and each direct A–B tie is a
    # route of its own (some maximum flow saturates it: S→a→b→T augments otherwise). So the
    # value is the direct ties plus a flow on the rest, with A merged into s and B into t.
    src, dst = C.src, C.indices
    direct = int((in_a[src] & in_b[dst]).sum())
    keep = ~((in_a[src] | in_b[src]) & (in_a[dst] | in_b[dst])) & ~in_b[src] & ~in_a[dst]
    s, t = n, n + 1
    rows = np.where(in_a[src[keep]], s, src[keep])
    cols = np.where(in_b[dst[keep]], t, dst[keep])
    M = csr_array((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(n + 2, n + 2))
    edge_ind = direct + (int(maximum_flow(M, s, t, method="dinic").flow_value) if len(rows) else 0)
    M, s, t = _node_route_network(C, a_nodes, b_nodes)
    node_ind = int(maximum_flow(M, s, t, method="dinic").flow_value)
    return node_ind, edge_ind


def _route_sides(C: CSR, a_nodes, b_nodes):
    """The two node sets of a route count as int64 positions and as masks over ``C``'s nodes."""
    import numpy as np

    a_nodes = np.asarray(a_nodes, dtype=np.int64)
    b_nodes = np.asarray(b_nodes, dtype=np.int64)
    in_a, in_b = np.zeros(C.n, dtype=bool), np.zeros(C.n, dtype=bool)
    in_a[a_nodes], in_b[b_nodes] = True, True
    return a_nodes, b_nodes, in_a, in_b


def _node_route_network(C: CSR, a_nodes, b_nodes):
    """The flow network of node-disjoint routes: ``(M, s, t)``, capacities in a scipy CSR array.

    Node v is split into v_in = v and v_out = v + n with capacity 1 between them; s = 2n is
    joined to A's v_in, B's v_out to t = 2n+1. A route need never run from one node of A to
    another (it could start at the second), nor between two of B, nor into A or out of B:
    those arcs are left out.
    """
    import numpy as np
    from scipy.sparse import csr_array

    n = C.n
    a_nodes, b_nodes, in_a, in_b = _route_sides(C, a_nodes, b_nodes)
    big = len(C.indices) + len(a_nodes) + len(b_nodes) + 1
    src, dst = C.src, C.indices
    keep = ~(in_a[src] & in_a[dst]) & ~(in_b[src] & in_b[dst]) & ~in_b[src] & ~in_a[dst]
    src, dst = src[keep], dst[keep]
    s, t = 2 * n, 2 * n + 1
    rows = np.r_[np.arange(n), src + n, np.full(len(a_nodes), s), b_nodes + n]
    cols = np.r_[np.arange(n) + n, dst, a_nodes, np.full(len(b_nodes), t)]
    caps = np.r_[np.ones(n), np.full(len(src) + len(a_nodes) + len(b_nodes), big)].astype(np.int32)
    return csr_array((caps, (rows, cols)), shape=(2 * n + 2, 2 * n + 2)), s, t


def node_routes_arrays(C: CSR, a_nodes, b_nodes, *, nodes=(), ties=(), keep: bool = False):
    """Node-disjoint routes between two node sets, and whether the maximum flow found uses
    any of ``nodes`` or ``ties`` (positions; ties as pairs): ``(routes, used)``, and with
    ``keep`` a third item, ``(M, s, t, flow)``, for :func:`node_routes_without` when ``used``.

    The value is the first of :func:`independent_routes_arrays`. When the flow leaves
    ``nodes`` and ``ties`` alone, taking them away leaves it a flow of the same value, and
    taking things away cannot add routes: the value without them is the same, with no
    second flow to run (what :func:`alliances.analysis.whatif.what_if` relies on).
    """
    import numpy as np
    from scipy.sparse.csgraph import maximum_flow

    n = C.n
    M, s, t = _node_route_network(C, a_nodes, b_nodes)
    found = maximum_flow(M, s, t, method="dinic")
    x = np.asarray(list(nodes), dtype=np.int64)
    pairs = np.asarray(list(ties), dtype=np.int64).reshape(-1, 2)
    # a node carries flow on its v_in -> v_out arc, a tie on either of its v_out -> w_in arcs
    rows = np.r_[x, pairs[:, 0] + n, pairs[:, 1] + n]
    cols = np.r_[x + n, pairs[:, 1], pairs[:, 0]]
    used = bool(len(rows)) and bool((np.asarray(found.flow[rows, cols]).ravel() != 0).any())
    if keep:
        return int(found.flow_value), used, ((M, s, t, found.flow) if used else None)
    return int(found.flow_value), used


def node_routes_without(n: int, network, value: int, *, nodes=(), ties=()) -> int | None:
    """The node-disjoint routes left when ``nodes`` and ``ties`` (positions of the graph of
    ``n`` nodes the flow was found on) are taken away, warm-started from that maximum flow
    (``network``: ``(M, s, t, flow)`` from :func:`node_routes_arrays` with ``keep``, ``value``
    its value) instead of a second flow from nothing.

    Each unit of flow through a removed node (its ``v_in -> v_out`` arc) or tie (either
    ``v_out -> w_in`` arc) is cancelled along its route from s to t (every arc but s's and
    t's carries 0 or 1, so the route is found by following the flow), or along its cycle if
    it lies on one; the removed arcs get capacity 0; what is left is a flow of the network
    after, and a maximum flow on its residual network adds the routes that can be rerouted.
    Equal to a fresh :func:`node_routes_arrays` on the graph after (tested); ``None`` if the
    flow is not made of unit routes (never seen: then the caller runs a fresh flow).
    """
    import numpy as np
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import maximum_flow

    M, s, t, F = network
    size = M.shape[0]
    F = csr_array(F)
    F.sum_duplicates()
    Fc = F.tocoo()
    r, c, f = np.asarray(Fc.row, dtype=np.int64), np.asarray(Fc.col, dtype=np.int64), np.asarray(Fc.data)
    pos = f > 0
    r, c = r[pos], c[pos]
    succ = np.full(size, -1, dtype=np.int64)  # the one arc carrying flow out of a node but s
    pred = np.full(size, -1, dtype=np.int64)  # the one arc carrying flow into a node but t
    out, into = r != s, c != t
    succ[r[out]], pred[c[into]] = c[out], r[into]
    x = np.asarray(list(nodes), dtype=np.int64)
    pairs = np.asarray(list(ties), dtype=np.int64).reshape(-1, 2)
    arcs = [(int(v), int(v) + n) for v in x.tolist()]
    arcs += [(int(a) + n, int(b)) for a, b in pairs.tolist()] + [(int(b) + n, int(a)) for a, b in pairs.tolist()]
    cancelled, routes_lost = [], 0
    for p, q in arcs:
        if succ[p] != q:
            continue  # no flow on it (any more)
        path = [(p, q)]
        v = q
        while v != t and v != p:  # forward to t, or round a cycle back to p
            if succ[v] < 0 or len(path) > size:
                return None  # not a flow of unit routes: the caller runs a fresh one
            path.append((v, int(succ[v])))
            v = int(succ[v])
        if v == t:
            v = p
            while v != s:  # back to s
                if pred[v] < 0 or len(path) > size:
                    return None
                path.append((int(pred[v]), v))
                v = int(pred[v])
            routes_lost += 1
        for a, b in path:
            if a != s:
                succ[a] = -1
            if b != t:
                pred[b] = -1
        cancelled += path
    D = np.asarray(cancelled, dtype=np.int64).reshape(-1, 2)
    ones = np.ones(len(D), dtype=F.dtype)
    cancel = csr_array((np.r_[ones, -ones], (np.r_[D[:, 0], D[:, 1]], np.r_[D[:, 1], D[:, 0]])), shape=F.shape)
    # the removed arcs' capacity goes to 0
    gone = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    cap = csr_array(M, copy=True)
    cap.sum_duplicates()
    for a, b in gone.tolist():
        lo, hi = cap.indptr[a], cap.indptr[a + 1]
        hit = np.flatnonzero(cap.indices[lo:hi] == b)
        cap.data[lo + hit] = 0
    R = csr_array(cap - (F - cancel))  # residual capacities, all >= 0
    R.data[R.data < 0] = 0  # never: a removed arc's flow was cancelled above
    R.eliminate_zeros()
    R = csr_array(R.astype(np.int32))
    R.sort_indices()
    more = int(maximum_flow(R, s, t, method="dinic").flow_value) if R.nnz else 0
    return value - routes_lost + more


@dataclass
class OrganisationsView:
    """The organisations projection of a dataset as arrays, with what analyses read of its nodes.

    What :func:`alliances.analysis.whatif.organisations_view` gives above the
    engine threshold instead of a networkx graph: ``P`` (positions into
    ``P.ids``), ``attrs`` (id → node attributes), ``groups`` (the region group
    of each node of ``P``, aligned with ``P.ids``) and ``regions`` (the region
    table, :func:`alliances.regions.region_table`). The analyses of
    :mod:`alliances.analysis.brokerage` and :mod:`alliances.analysis.communities`
    take it where they take the graph.
    """

    P: Projection
    attrs: object
    groups: list
    regions: list

    @property
    def n(self) -> int:
        return self.P.n

    @property
    def csr(self) -> CSR:
        if "_csr" not in self.__dict__:
            self.__dict__["_csr"] = CSR.of(self.P)
        return self.__dict__["_csr"]

    def csr_matrix(self):
        """The symmetric adjacency as a scipy CSR matrix (ones)."""
        import numpy as np
        from scipy.sparse import csr_matrix

        C = self.csr
        return csr_matrix((np.ones(len(C.indices)), C.indices, C.indptr), shape=(C.n, C.n))

    def name(self, i: int) -> str:
        nid = self.P.ids[i]
        return self.attrs[nid].get("name", nid)
