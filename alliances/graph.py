"""networkx graphs built from a dataset, and the views analyses run on.

``build_graph`` gives the whole heterogeneous graph as a ``MultiDiGraph``
(one edge per relationship, keyed by type). Analyses never use it directly:

- :func:`partnership_graph` is the undirected graph of working-together ties
  (the model's partnership types) without regions and zones, so two
  organisations are not partners merely for sharing a city. ``via`` picks
  other relationship types explicitly.
- :func:`organizations_projection` ties two organisations once for every
  alliance, agreement or activity they share, and for every direct tie.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable

import networkx as nx

from alliances import model, regions
from alliances.dataset import Dataset, date_end, paused_gc
from alliances.order import HUB_LABELS, capped_hub, edge_sort_key, hub_order, tie_value
from alliances.regions import DEFAULT_LEVEL


def build_graph(ds: Dataset, *, region_level: str = DEFAULT_LEVEL) -> nx.MultiDiGraph:
    """The dataset as a ``MultiDiGraph``; figures are folded into node attributes.

    Every node gets ``region_group`` (:mod:`alliances.regions`, at
    ``region_level``) and the graph carries the ordered region table in
    ``G.graph["regions"]``.

    The graph is frozen (``nx.freeze``): views built from it are cached
    without recounting its edges on every call (that count alone took 0.3 s
    per path query at 100k organisations); ``G.copy()`` gives a mutable copy.
    """
    with paused_gc():
        return nx.freeze(_build_graph(ds, region_level))


def _build_graph(ds: Dataset, region_level: str) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    figures: dict[str, dict] = {}
    for fig in ds.figures:
        figures.setdefault(fig["node"], {})[fig["key"]] = fig["value"]
    for nid, node in ds.nodes.items():
        attrs = dict(node)
        attrs.update(figures.get(nid, {}))
        G.add_node(nid, **attrs)
    for rel in ds.relationships:
        G.add_edge(rel["start"], rel["end"], key=rel["type"], **rel)
    groups = region_groups(G, level=region_level)
    nx.set_node_attributes(G, groups, "region_group")
    G.graph["region_level"] = region_level
    G.graph["regions"] = regions.region_table(ds.nodes, groups)
    return G


def region_groups(G: nx.MultiDiGraph, *, level: str = DEFAULT_LEVEL) -> dict[str, str]:
    """Every node's region group: the id of its Region at ``level``, or ``other``.

    See :func:`alliances.regions.group_nodes`: a node's ``region`` is traced
    up the ``PART_OF`` chain (Rongchang → Chongqing) to the level asked for.
    """
    def parents(rid):
        return [parent for _, parent, key in G.out_edges(rid, keys=True) if key == "PART_OF"]

    return regions.group_nodes(G.nodes, parents, level)


def dataset_region_groups(ds: Dataset, *, level: str = DEFAULT_LEVEL) -> dict[str, str]:
    """:func:`region_groups` of a dataset, without building its graph."""
    part_of: dict[str, list[str]] = {}
    for rel in ds.relationships:
        if rel["type"] == "PART_OF":
            part_of.setdefault(rel["start"], []).append(rel["end"])
    return regions.group_nodes(ds.nodes, lambda rid: part_of.get(rid, ()), level)


def ego_dataset(ds: Dataset, centre: str, hops: int) -> Dataset | None:
    """The part of ``ds`` that a map around ``centre`` needs, found without building the graph.

    The nodes within ``hops`` partnership steps of ``centre`` (a breadth-first
    search on the int32 arrays), every region and zone (so region groups come
    out as in the whole graph), and the relationships and figures among them.
    Distances within ``hops`` are the same in this part as in the whole, so
    the map around ``centre`` drawn from it equals the one drawn from the
    whole graph (tested). ``None`` when ``centre`` is a region or zone (its
    surroundings run over geography: use the whole graph).
    """
    import numpy as np
    from scipy.sparse.csgraph import dijkstra

    from alliances import engine

    A = engine.arrays_from_dataset(ds)
    adj = engine.PartnershipAdjacency(A)
    if centre not in adj:
        return None
    dist = dijkstra(adj.csr, indices=adj.index[centre], unweighted=True, limit=hops + 0.5)
    keep = np.zeros(len(A.ids), dtype=bool)
    keep[adj.where[np.isfinite(dist)]] = True
    keep |= engine.geographic_and_partnership_masks()[0][A.labels]
    nodes = {A.ids[i]: ds.nodes[A.ids[i]] for i in np.flatnonzero(keep).tolist()}
    rels = [ds.relationships[i] for i in np.flatnonzero(keep[A.src] & keep[A.dst]).tolist()]
    return Dataset(nodes=nodes, relationships=rels, figures=[f for f in ds.figures if f["node"] in nodes],
                   sources=ds.sources, path=ds.path)


def ego_graph(G: nx.MultiDiGraph, centre: str, hops: int) -> nx.MultiDiGraph:
    """The nodes within ``hops`` partnership steps of ``centre`` and every relationship among them.

    Steps run over :func:`partnership_graph`; a region or zone (not in it)
    reaches out over every relationship. Nodes and edges keep ``G``'s order.
    """
    P = partnership_graph(G)
    base = P if centre in P else nx.Graph(G.to_undirected(as_view=True))
    keep = set(nx.single_source_shortest_path_length(base, centre, cutoff=hops))
    # an ordered copy: a subgraph view would list nodes in the set's (hash) order, and the
    # map's edge ids with them, differently on every run
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if n in keep)
    H.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if u in keep and v in keep)
    return H


def dataset_part(ds: Dataset, ids) -> Dataset:
    """Some nodes of ``ds`` with every region and zone and the ``PART_OF`` ties among them.

    :func:`build_graph` of the result gives those nodes the attributes
    (region group included) they have in the whole graph, as
    :meth:`alliances.store.neo4j.Neo4jStore.read_nodes` does for Neo4j.
    """
    keep = set(ids) | set(ds.ids_with_labels(model.GEOGRAPHIC_LABELS))
    nodes = {n: ds.node(n) for n in ds.in_order(keep)}
    rels = [r for r in ds.relationships_of_types(["PART_OF"]) if r["start"] in nodes and r["end"] in nodes]
    return Dataset(nodes=nodes, relationships=rels, sources=ds.sources, path=ds.path)


def dated_after(date: str | None, as_of: str) -> bool:
    """Whether a fact dated ``date`` had not yet happened on the day ``as_of``.

    The rule of every ``--as-of``: a dated fact counts once its whole period
    has passed (``2020`` from 2020-12-31); an undated one always counts.
    """
    return bool(date) and date_end(date) > as_of


def ended_by(ended: str | None, as_of: str) -> bool:
    """Whether a fact that ``ended`` had stopped holding on the day ``as_of``: once the
    whole period of its end has passed (``ended 2022`` from 2022-12-31), as a date counts."""
    return bool(ended) and date_end(ended) <= as_of


def holds_on(fact: dict, as_of: str) -> bool:
    """Whether a node or relationship counts on ``as_of``: begun (:func:`dated_after`) and not ended (:func:`ended_by`)."""
    return not dated_after(fact.get("date"), as_of) and not ended_by(fact.get("ended"), as_of)


def dataset_as_of(ds: Dataset, as_of: str) -> tuple[Dataset, dict]:
    """The dataset as it stood on ``as_of``, by :func:`filter_graph`'s rule, without building a graph.

    Nodes dated later or ended by then go, with their relationships and
    figures; relationships dated later or ended go (:func:`holds_on`). Returns the part and the meta of
    :func:`alliances.analysis.centrality.scenario_graph` (same counts, tested),
    so a large network's scenario runs on its arrays.
    """
    nodes = {n: d for n, d in ds.nodes.items() if holds_on(d, as_of)}
    rels = [r for r in ds.relationships if r["start"] in nodes and r["end"] in nodes and holds_on(r, as_of)]
    part = Dataset(nodes=nodes, relationships=rels, figures=[f for f in ds.figures if f["node"] in nodes],
                   sources=ds.sources, path=ds.path)
    meta = {
        "as_of": as_of, "without": [], "without_ties": [],
        "undated_relationships": sum(1 for r in rels if not r.get("date")),
        "undated_nodes": sum(1 for d in nodes.values()
                             if not d.get("date") and d.get("label") not in model.GEOGRAPHIC_LABELS),
        "removed_nodes": len(ds.nodes) - len(nodes),
        "removed_relationships": len(ds.relationships) - len(rels),
    }
    return part, meta


def filter_graph(
    G: nx.MultiDiGraph,
    *,
    without: Iterable[str] = (),
    without_edges: Iterable[tuple[str, str]] = (),
    as_of: str | None = None,
) -> tuple[nx.MultiDiGraph, dict]:
    """A copy of ``G`` without some nodes or ties, or as it stood on a date.

    As of a date, a dated node or relationship counts once its whole period has
    passed (``2020`` counts from 2020-12-31) and until its ``ended`` period has
    passed (:func:`holds_on`); undated ones are kept and counted in the
    returned report rather than guessed.
    """
    H = G.copy()
    report = {"removed_nodes": [], "removed_edges": [], "undated_relationships": 0, "as_of": as_of}
    for n in without:
        if n in H:
            H.remove_node(n)
            report["removed_nodes"].append(n)
    drop = {frozenset(p) for p in without_edges}
    for u, v, k in list(H.edges(keys=True)):
        if frozenset((u, v)) in drop:
            H.remove_edge(u, v, k)
            report["removed_edges"].append((u, v, k))
    if as_of:
        for n, d in list(H.nodes(data=True)):
            if not holds_on(d, as_of):
                H.remove_node(n)
                report["removed_nodes"].append(n)
        for u, v, k, d in list(H.edges(keys=True, data=True)):
            if not holds_on(d, as_of):
                H.remove_edge(u, v, k)
                report["removed_edges"].append((u, v, k))
            elif not d.get("date"):
                report["undated_relationships"] += 1
    return H, report


_VIEWS: "weakref.WeakKeyDictionary[nx.MultiDiGraph, dict]" = weakref.WeakKeyDictionary()


def partnership_graph(G: nx.MultiDiGraph, via: Iterable[str] | None = None) -> nx.Graph:
    """Undirected simple graph of the ties that mean working together.

    Built once per graph and ``via`` and reused (many path queries on one
    graph); treat the result as read-only.

    Each edge carries ``rels``: the relationships between the two nodes, in the
    model's order. With ``via`` only those types count, and regions and zones
    may take part (the caller asked for geography); without it, the model's
    partnership types count and regions and zones are left out.
    """
    key = (tuple(sorted(set(via))) if via else None,)
    if not nx.is_frozen(G):  # a graph that may change: its size tells a stale view
        key += (G.number_of_nodes(), G.number_of_edges())
    cache = _VIEWS.setdefault(G, {})
    if key not in cache:
        cache.clear()  # the graph changed or another view was asked for: keep one
        cache[key] = _partnership_graph(G, via)
    return cache[key]


def _partnership_graph(G: nx.MultiDiGraph, via: Iterable[str] | None) -> nx.Graph:
    types = set(via) if via else set(model.PARTNERSHIP_TYPES)
    skip_places = not via
    H = nx.Graph()
    H.graph.update(G.graph)
    for n, d in G.nodes(data=True):
        if skip_places and d.get("label") in model.GEOGRAPHIC_LABELS:
            continue
        H.add_node(n, **d)
    for u, v, k, d in G.edges(keys=True, data=True):
        if k not in types or u not in H or v not in H:
            continue
        if H.has_edge(u, v):
            H[u][v]["rels"].append(d)
            H[u][v]["rels"].sort(key=edge_sort_key)
        else:
            H.add_edge(u, v, rels=[d])
    return H


def organizations_projection(G: nx.MultiDiGraph, *, max_members: int | None = None) -> nx.Graph:
    """Organisations tied by shared alliances, agreements, activities or a direct tie.

    ``weight`` sums the ties: a direct relationship adds its
    :func:`~alliances.order.tie_value` (``weight`` x ``count``, 1 each when
    absent), a shared hub the smaller of the two members' values (a member's
    value at a hub: the largest of its relationships to it). Unweighted data:
    the number of shared ties. ``via`` lists the ids of the shared nodes, and
    ``direct`` the direct relationship types.

    A hub with more than ``max_members`` organisation members (``None``: no
    limit; callers pass ``Thresholds.hub_members``) ties none of them: its
    m(m-1)/2 ties would not fit. Such hubs are listed, largest first, in
    ``H.graph["capped_hubs"]`` as ``{"id", "label", "members"}``.
    """
    P = partnership_graph(G)
    H = nx.Graph()
    H.graph.update(G.graph)
    orgs = [n for n, d in P.nodes(data=True) if d.get("label") == "Organization"]
    for n in orgs:
        H.add_node(n, **P.nodes[n])

    def tie(u, v, key, value, amount):
        if u == v:
            return
        if not H.has_edge(u, v):
            H.add_edge(u, v, weight=0, via=[], direct=[])
        H[u][v][key].append(value)
        H[u][v]["weight"] += amount

    for u, v, d in P.edges(data=True):
        if P.nodes[u].get("label") == "Organization" and P.nodes[v].get("label") == "Organization":
            for rel in d["rels"]:
                tie(u, v, "direct", rel["type"], _amount(rel))
    capped = []
    for hub, d in P.nodes(data=True):
        if d.get("label") not in HUB_LABELS:
            continue
        members = sorted(m for m in P.neighbors(hub) if P.nodes[m].get("label") == "Organization")
        if max_members is not None and len(members) > max_members:
            capped.append(capped_hub(hub, d.get("label", ""), len(members)))
            continue
        value = {m: max(_amount(r) for r in P[hub][m]["rels"]) for m in members}
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                tie(a, b, "via", hub, min(value[a], value[b]))
    H.graph["capped_hubs"] = sorted(capped, key=hub_order)
    return H


def _amount(rel: dict):
    """:func:`~alliances.order.tie_value`, kept an ``int`` 1 for an unweighted relationship."""
    return tie_value(rel) if "weight" in rel or "count" in rel else 1


def organization_ids(G: nx.Graph) -> list[str]:
    return [n for n, d in G.nodes(data=True) if d.get("label") == "Organization"]


def projection(G: nx.MultiDiGraph, name: str = "organizations", *, max_members: int | None = None) -> nx.Graph:
    """The graph a measure runs on: ``organizations`` (:func:`organizations_projection`, hubs
    above ``max_members`` members capped) or ``full`` (:func:`partnership_graph`, ``weight`` =
    the sum of its relationships' :func:`~alliances.order.tie_value`: their number, unweighted)."""
    if name == "organizations":
        return organizations_projection(G, max_members=max_members)
    if name == "full":
        H = partnership_graph(G)
        for u, v, d in H.edges(data=True):
            d["weight"] = sum(_amount(r) for r in d["rels"])
        return H
    from alliances.network import PROJECTIONS

    raise ValueError(f"unknown projection {name!r}; use one of {PROJECTIONS}")
