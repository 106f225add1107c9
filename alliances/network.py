"""One network: the checked dataset and the views analyses run on, each built once.

A :class:`Network` wraps a checked :class:`~alliances.dataset.Dataset` (or a
graph built elsewhere) and builds, only when first asked and then cached:

- :attr:`Network.graph`: the whole heterogeneous ``MultiDiGraph``
  (:func:`alliances.graph.build_graph`);
- :meth:`Network.partnership`: the undirected partnership graph;
- :attr:`Network.organisations`: the organisations projection;
- :attr:`Network.arrays`, :attr:`Network.adjacency`,
  :meth:`Network.projection_arrays`: the int32 arrays of
  :mod:`alliances.engine`, for networks too large for Python objects.

Which backend answers a question (networkx or the arrays) is decided here,
from one :class:`Thresholds` value, by the ``*_on_arrays`` / ``on_engine``
rules below; analyses and renderers ask, the CLI never does. The module
imports nothing heavy at load time so commands can take
:data:`THRESHOLDS` for their option defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property

from alliances.dataset import Dataset


@dataclass(frozen=True)
class Thresholds:
    """Every size threshold of the package, each defined here once.

    Sizes count nodes (of the graph the question runs on).
    """

    #: Above this, centrality and communities run on the compiled engine (networkit, scipy);
    #: at or below it on networkx, the reference.
    engine: int = 2_000
    #: Up to this, betweenness and closeness on the engine are exact; above it sampled
    #: within a stated bound (see :mod:`alliances.engine`).
    exact: int = 5_000
    #: Organisations projection: a hub (alliance, agreement, activity) with more organisation
    #: members than this ties none of them pairwise (m members would make m(m-1)/2 ties and
    #: brokerage m³ two-paths); the hubs left out are listed in every result's meta. The full
    #: projection, where a hub is one node, is never capped.
    hub_members: int = 250
    #: Above this, a single shortest path is found on the dataset's arrays (no whole graph).
    path_arrays: int = 50_000
    #: Maps: above this many nodes, positions are precomputed and physics is off (``--max-nodes``).
    map_physics: int = 2_000
    #: Maps: above this many nodes, the map is aggregated by community (``--hard-cap``).
    map_aggregate: int = 5_000
    #: Maps: above this many nodes, the browser's physics starts from precomputed positions.
    map_preseed: int = 300
    #: Maps: above this many nodes (or ``map_smooth_edges`` edges) edges are drawn straight.
    map_smooth_nodes: int = 500
    map_smooth_edges: int = 1_500
    #: Aggregated maps: a group drilled into in the page shows at most this many nodes; a larger
    #: one opens onto its own sub-communities (or, when it does not split, parts of this size).
    map_drill: int = 800

    def on_engine(self, n: int) -> bool:
        """Whether a measure on ``n`` nodes runs on the compiled engine rather than networkx."""
        return n > self.engine

    def exact_at(self, n: int) -> bool:
        """Whether the engine's betweenness and closeness are exact on ``n`` nodes."""
        return n <= self.exact

    def with_(self, **changes) -> "Thresholds":
        """A copy with some thresholds changed, e.g. ``THRESHOLDS.with_(engine=50)``."""
        return replace(self, **changes)


#: The thresholds in force. Functions read it when called (not when imported), so
#: ``monkeypatch.setattr(network, "THRESHOLDS", THRESHOLDS.with_(engine=50))`` works.
THRESHOLDS = Thresholds()


def thresholds(value: Thresholds | None = None) -> Thresholds:
    """``value``, or the thresholds in force."""
    return value if value is not None else THRESHOLDS


class Network:
    """A checked dataset (or a built graph) and its cached views.

    Parameters
    ----------
    dataset : Dataset, optional
        A checked dataset (:func:`alliances.dataset.read_dataset`, a store's
        ``read_dataset``). Without it, ``graph`` must be given.
    graph : networkx.MultiDiGraph, optional
        A graph already built (:func:`alliances.graph.build_graph`); then it
        is the network, and the arrays are read from it.
    thresholds : Thresholds, optional
        Defaults to :data:`THRESHOLDS` at the time of each question.
    region_level : str, optional
        The level of the Region hierarchy nodes are grouped by
        (``province``, ``city`` or ``district``; :mod:`alliances.regions`).

    Examples
    --------
    >>> from alliances.dataset import read_dataset
    >>> net = Network(read_dataset(None))
    >>> net.graph is net.graph, net.resolve("华商")
    (True, 'huashang-committee')
    """

    def __init__(self, dataset=None, *, graph=None, thresholds: Thresholds | None = None,
                 region_level: str | None = None):
        if dataset is None and graph is None:
            raise ValueError("a Network needs a dataset or a graph")
        from alliances.regions import DEFAULT_LEVEL

        self.dataset = dataset
        self._thresholds = thresholds
        self.region_level = region_level or (graph.graph.get("region_level") if graph is not None else None) \
            or DEFAULT_LEVEL
        if graph is not None:
            self.__dict__["graph"] = graph

    @property
    def thresholds(self) -> Thresholds:
        return thresholds(self._thresholds)

    def __repr__(self) -> str:
        return f"Network({self.number_of_nodes():,} nodes{', graph built' if self.has_graph else ''})"

    # -- size and attributes, without building anything

    @property
    def has_graph(self) -> bool:
        """Whether the networkx graph is built (asking for it then costs nothing)."""
        return "graph" in self.__dict__

    def number_of_nodes(self) -> int:
        if self.dataset is not None:
            return self.dataset.number_of_nodes()
        return self.graph.number_of_nodes()

    def node(self, nid: str) -> dict:
        """The attributes of one node (from the dataset's rows without decoding the others)."""
        return self.dataset.node(nid) if self.dataset is not None else self.graph.nodes[nid]

    @cached_property
    def language(self) -> str:
        """``"zh"`` or ``"en"``: the language of most organisation names (of all names when there
        are no organisations), the default of every ``--lang`` (:func:`alliances.chars.language_of`), from at most 1,000
        names evenly spread."""
        from alliances.chars import language_of

        if self.dataset is not None:  # a snapshot answers from its columns: read a thousand names at most
            return language_of(self.dataset.names_spread(["Organization"], 1000))
        ids = [n for n, d in self.graph.nodes(data=True) if d.get("label") == "Organization"] or list(self.graph)
        return language_of([self.node(n).get("name") for n in ids[::max(1, len(ids) // 1000)]])

    def region_name(self, key: str, lang: str = "zh") -> str:
        """A region group's or a Region's name in ``lang`` (the legend's short name): the planner reads
        names, not ids. An unknown key is shown as itself."""
        from alliances.regions import NO_REGION, lookup, short_name

        if "_region_lookup" not in self.__dict__:
            self.__dict__["_region_lookup"] = lookup(self.regions)
        row = self.__dict__["_region_lookup"].get(key)
        if row is not None:
            return row["zh" if lang == "zh" else "en"]
        known = self.dataset.has_node(key) if self.dataset is not None else key in self.graph
        d = self.node(key) if known else None
        if d is None or key == NO_REGION:
            return key
        zh = short_name(d) or key
        return zh if lang == "zh" else (d.get("name_en") or zh)

    @property
    def nodes(self):
        """id → attributes (the dataset's, or the graph's when built from a graph)."""
        return self.dataset.nodes if self.dataset is not None else self.graph.nodes

    @property
    def attrs(self):
        """id → attributes read row by row, for an analysis that names a few nodes of a large
        dataset: :attr:`nodes` decodes every row of a snapshot at once (1M organisations: ~1 GB)."""
        if self.dataset is None or "nodes" in self.dataset.__dict__:
            return self.nodes
        return _NodeRows(self.dataset)

    @cached_property
    def names(self):
        """What :func:`alliances.resolve.resolve` reads: the graph when built, else the dataset's nodes."""
        if self.has_graph or self.dataset is None:
            return self.graph
        from alliances.resolve import DatasetNames

        return DatasetNames(self.dataset)

    def resolve(self, text: str) -> str:
        """The id of the one node ``text`` names (:func:`alliances.resolve.resolve`)."""
        if self.dataset is not None and not self.has_graph:
            found = self.dataset.find(text)  # a snapshot's name index, when it decides alone
            if found is not None:
                return found
        from alliances.resolve import resolve

        return resolve(self.names, text)

    def search(self, text: str, limit: int = 50) -> list[str]:
        """Ids of the nodes :func:`alliances.resolve.search` finds for ``text``."""
        if self.dataset is not None and not self.has_graph:
            found = self.dataset.search_ids(text, limit)  # a snapshot's text index
            if found is not None:
                return found
        from alliances.resolve import search

        return search(self.names, text, limit=limit)

    @cached_property
    def region_groups(self) -> dict[str, str]:
        """Each node's region group, without building the graph when it is not built."""
        if self.has_graph or self.dataset is None:
            return {n: d.get("region_group", "other") for n, d in self.graph.nodes(data=True)}
        stored = self.dataset.region_groups(self.region_level)  # a snapshot's, computed when written
        if stored is not None:
            return stored
        from alliances.graph import dataset_region_groups

        return dataset_region_groups(self.dataset, level=self.region_level)

    @cached_property
    def regions(self) -> list[dict]:
        """The region groups in order, with names and colours (:func:`alliances.regions.region_table`)."""
        if self.has_graph or self.dataset is None:
            from alliances.regions import table_of

            return table_of(self.graph)
        stored = self.dataset.region_table(self.region_level)
        if stored is not None:
            return stored
        from alliances.regions import region_table

        return region_table(self.dataset.nodes, self.region_groups)

    # -- networkx views

    @cached_property
    def graph(self):
        """The whole ``MultiDiGraph`` (frozen), built on first use."""
        from alliances.graph import build_graph

        return build_graph(self.dataset, region_level=self.region_level)

    def partnership(self, via=None):
        """:func:`alliances.graph.partnership_graph` of :attr:`graph` (cached per ``via``)."""
        from alliances.graph import partnership_graph

        return partnership_graph(self.graph, via)

    def projection(self, name: str = "organizations"):
        """:func:`alliances.graph.projection` of :attr:`graph`: ``organizations`` or ``full``."""
        from alliances.graph import projection

        return projection(self.graph, name)

    @cached_property
    def organisations(self):
        """:func:`alliances.graph.organizations_projection` of :attr:`graph` (treat as read-only)."""
        from alliances.graph import organizations_projection

        return organizations_projection(self.graph, max_members=self.thresholds.hub_members)

    # -- array views

    @cached_property
    def arrays(self):
        """:class:`alliances.engine.GraphArrays` of the dataset (or of the graph)."""
        from alliances import engine

        if self.dataset is not None:
            stored = self.dataset.graph_arrays()  # a snapshot's, computed when written
            if stored is not None:
                return engine.GraphArrays(*stored)
            return engine.arrays_from_dataset(self.dataset)
        return engine.arrays_from_graph(self.graph)

    @cached_property
    def adjacency(self):
        """:class:`alliances.engine.PartnershipAdjacency` of :attr:`arrays`."""
        from alliances import engine

        return engine.PartnershipAdjacency(self.arrays)

    def adjacency_for(self, via=None):
        """:attr:`adjacency`, or with ``via`` the ties of those relationship types only, every
        node taking part (:func:`alliances.graph.partnership_graph`'s rule); one cached per ``via``."""
        if not via:
            return self.adjacency
        from alliances import engine

        key = tuple(sorted(set(via)))
        cache = self.__dict__.setdefault("_via_adjacency", {})
        if key not in cache:
            cache.clear()  # one at a time: each holds a CSR of the network
            cache[key] = engine.PartnershipAdjacency(self.arrays, via=key)
        return cache[key]

    def edge_arrays(self) -> tuple:
        """``(src, dst, types)`` of :attr:`arrays` (a snapshot's, without reading its ids)."""
        if "arrays" not in self.__dict__ and self.dataset is not None:
            stored = self.dataset.edge_arrays()
            if stored is not None:
                return stored
        A = self.arrays
        return A.src, A.dst, A.types

    def partnership_csr(self, via=None):
        """:class:`alliances.adjacency.PartnershipCSR` of the partnership types (or the ``via``
        types) by dataset position: a snapshot's, mapped from its file, or built from
        :attr:`arrays` (one cached per ``via``)."""
        from alliances.adjacency import PartnershipCSR, partnership_csr

        key = tuple(sorted(set(via))) if via else ()
        cache = self.__dict__.setdefault("_csr", {})
        if key not in cache:
            stored = self.dataset.partnership_csr() if self.dataset is not None else None
            if stored is not None and not key:
                cache[key] = PartnershipCSR(*stored)
            else:
                if len(cache) > 1:
                    cache.clear()  # a few at a time: each holds the network's ties
                rank = stored[2] if stored is not None else cache[()].rank if () in cache else None
                A = self.arrays
                cache[key] = partnership_csr(A.ids, A.labels, A.src, A.dst, A.types, key or None, rank=rank)
        return cache[key]

    def position(self, nid) -> int | None:
        """``nid``'s place in the dataset's node order (the arrays' numbering); ``None``: not a node."""
        if self.dataset is not None:
            return self.dataset.position(nid)
        if "_positions" not in self.__dict__:
            self.__dict__["_positions"] = {n: i for i, n in enumerate(self.arrays.ids)}
        return self.__dict__["_positions"].get(nid)

    def node_id(self, i: int) -> str:
        """The id of the node at place ``i`` (:meth:`position`)."""
        return self.dataset.node_id(i) if self.dataset is not None else self.arrays.ids[i]

    def projection_arrays(self, name: str = "organizations"):
        """The named projection (``organizations`` or ``full``) as :class:`alliances.engine.Projection`."""
        from alliances import engine

        if name == "organizations":
            return engine.projection_arrays(self.arrays, max_members=self.thresholds.hub_members)
        if name == "full":
            return engine.partnership_arrays(self.arrays)[0]
        raise ValueError(f"unknown projection {name!r}; use one of {PROJECTIONS}")

    def view(self, name: str = "organizations"):
        """:class:`alliances.engine.OrganisationsView` of the named projection: its arrays,
        the nodes' attributes, each node's region group and the region table."""
        from alliances import engine

        P = self.projection_arrays(name)
        groups = self.region_groups
        return engine.OrganisationsView(P, self.nodes, [groups.get(n, "other") for n in P.ids], self.regions)

    def scenario(self, as_of: str | None = None, *, without=(), without_ties=()) -> tuple["Network", dict]:
        """The network as it stood on ``as_of`` and without some nodes or direct ties, cut
        from the dataset (no graph built), and its meta: what
        :func:`alliances.analysis.centrality.scenario_graph` gives for the graph (the same
        rule as :func:`alliances.graph.filter_graph`: the nodes and ties go first, then the
        date; :func:`alliances.graph.dataset_as_of`). Nodes keep the whole network's region
        groups and region table, as a filtered graph keeps them."""
        from alliances.graph import dataset_as_of

        ds = self.dataset
        arrays = None
        if without or without_ties:
            gone = set(without)
            drop = {frozenset(t) for t in without_ties}
            # the rows are cut when first read: an analysis on the arrays reads the nodes at most
            # (1M organisations: five million relationship dicts otherwise)
            ds = _CutDataset.of(ds, gone, drop)
            arrays = self._arrays_without(gone, without_ties)
        if as_of:
            ds, meta = dataset_as_of(ds, as_of)
            arrays = None
        else:
            meta = {"as_of": None, "undated_relationships": 0, "undated_nodes": 0}
        if arrays is not None:  # the arrays hold one entry per relationship, in the rows' order
            removed_rels = len(self.arrays.src) - len(arrays.src)
        else:
            removed_rels = len(self.dataset.relationships) - len(ds.relationships)
        meta.update({
            "without": list(without), "without_ties": [list(t) for t in without_ties],
            "removed_nodes": self.dataset.number_of_nodes() - ds.number_of_nodes(),
            "removed_relationships": removed_rels,
        })
        meta = {k: meta[k] for k in ("as_of", "without", "without_ties", "undated_relationships",
                                     "undated_nodes", "removed_nodes", "removed_relationships")}
        if ds is self.dataset:
            return self, meta
        scene = Network(ds, thresholds=self._thresholds, region_level=self.region_level)
        scene.__dict__["region_groups"] = self.region_groups
        scene.__dict__["regions"] = self.regions
        if arrays is not None:
            scene.__dict__["arrays"] = arrays
        return scene, meta

    def _arrays_without(self, gone: set, ties):
        """:attr:`arrays` without the nodes ``gone`` and the relationships of each tie (a pair,
        either direction), in the order :meth:`scenario` keeps the rest: what reading its cut
        dataset gives, from masks rather than one dict per row."""
        import numpy as np

        from alliances import engine

        A = self.arrays
        ids = list(A.ids)
        keep = np.fromiter((nid not in gone for nid in ids), dtype=bool, count=len(ids))
        rel = keep[A.src] & keep[A.dst]
        for a, b in ties:
            if a in gone or b in gone or a == b:
                continue
            try:
                x, y = ids.index(a), ids.index(b)
            except ValueError:
                continue
            rel &= ~(((A.src == x) & (A.dst == y)) | ((A.src == y) & (A.dst == x)))
        at = np.cumsum(keep) - 1
        return engine.GraphArrays([nid for nid, k in zip(ids, keep.tolist()) if k], A.labels[keep],
                                  at[A.src[rel]].astype(np.int32), at[A.dst[rel]].astype(np.int32),
                                  A.types[rel], None if A.weight is None else A.weight[rel])

    # -- which backend answers: the rules, in one place

    def analyses_on_arrays(self) -> bool:
        """Brokers, corridors, communities, suggestions, changes, scenarios (:meth:`scenario`)
        and the report on the arrays (:meth:`view`) rather than networkx graphs: a dataset
        above ``thresholds.engine`` nodes (even when its graph is built: cutting the dataset
        costs less than copying the graph; the answers are equal, tested)."""
        return self.dataset is not None and self.thresholds.on_engine(self.number_of_nodes())

    def paths_on_arrays(self, *, k: int = 1, via=None) -> bool:
        """A path question on the arrays: one path or the ``k`` shortest (Yen's, over the
        partnership types, or the ``via`` types) of a dataset whose graph is not built, above
        ``thresholds.path_arrays`` nodes or loaded from its snapshot at any size (its
        arrays are already there)."""
        return (self.dataset is not None and not self.has_graph
                and (self.dataset.graph_arrays() is not None
                     or self.number_of_nodes() > self.thresholds.path_arrays))

    def ego_on_arrays(self, hard_cap: int) -> bool:
        """The surroundings of a node found on the arrays, then only that part built as a
        graph: a dataset above ``hard_cap`` nodes whose graph is not built."""
        return self.dataset is not None and not self.has_graph and self.number_of_nodes() > hard_cap

    def ego(self, centre: str, hops: int, *, hard_cap: int | None = None):
        """The ``MultiDiGraph`` of the nodes within ``hops`` partnership steps of ``centre``.

        On a large dataset whose graph is not built, the part is found on the
        arrays (:func:`alliances.graph.ego_dataset`) and only it is built;
        the answer is the same (tested).
        """
        from alliances.graph import build_graph, ego_dataset, ego_graph

        cap = self.thresholds.map_aggregate if hard_cap is None else hard_cap
        if self.ego_on_arrays(cap):
            part = ego_dataset(self.dataset, centre, hops)
            if part is not None:
                part_graph = build_graph(part, region_level=self.region_level)
                part_graph.graph["regions"] = self.regions  # order and colours of the whole network
                return ego_graph(part_graph, centre, hops)
        return ego_graph(self.graph, centre, hops)


PROJECTIONS = ("organizations", "full")
#: The projection a command uses unless told otherwise (one default for every command):
#: the whole partnership graph, where alliances, agreements and activities are nodes too.
DEFAULT_PROJECTION = "full"


def as_network(value, dataset=None) -> Network:
    """A :class:`Network` from a Network, a built graph, or (``value=None``) a dataset."""
    if isinstance(value, Network):
        return value
    if value is None:
        return Network(dataset)
    return Network(dataset, graph=value)


def graph_of(value):
    """The ``MultiDiGraph`` of a :class:`Network`, or ``value`` itself when it is a graph."""
    return value.graph if isinstance(value, Network) else value


class _NodeRows(Mapping):
    """A dataset's nodes (id → attributes) as a read-only mapping that decodes a row when asked."""

    def __init__(self, dataset):
        self._ds = dataset

    def __getitem__(self, nid):
        if not self._ds.has_node(nid):
            raise KeyError(nid)
        return self._ds.node(nid)

    def __contains__(self, nid) -> bool:
        return self._ds.has_node(nid)

    def __iter__(self):
        return iter(self._ds.node_ids())

    def __len__(self) -> int:
        return self._ds.number_of_nodes()


class _CutDataset(Dataset):
    """A dataset without the nodes ``gone`` (and their relationships) and the direct ties
    ``drop`` (pairs), as :meth:`Network.scenario` cuts it: each table is cut from the
    dataset's own the first time it is read, single nodes are read through it."""

    @classmethod
    def of(cls, ds, gone: set, drop: set) -> "_CutDataset":
        cut = cls.__new__(cls)
        cut.__dict__.update(_of=ds, _gone=gone, _drop=drop, sources=ds.sources, path=ds.path, registry=[])
        return cut

    def __getattr__(self, name: str):
        # only the tables not cut yet get here (the others live in the instance dict)
        if name not in ("nodes", "relationships", "figures"):
            raise AttributeError(name)
        ds, gone, drop = self.__dict__["_of"], self.__dict__["_gone"], self.__dict__["_drop"]
        if name == "nodes":
            value = {n: d for n, d in ds.nodes.items() if n not in gone}
        elif name == "relationships":
            nodes = self.nodes
            value = [r for r in ds.relationships if r["start"] in nodes and r["end"] in nodes
                     and frozenset((r["start"], r["end"])) not in drop]
        else:
            value = [f for f in ds.figures if f["node"] not in gone and ds.has_node(f["node"])]
        self.__dict__[name] = value
        return value

    def number_of_nodes(self) -> int:
        if "nodes" in self.__dict__:
            return len(self.__dict__["nodes"])
        ds = self.__dict__["_of"]
        return ds.number_of_nodes() - sum(1 for n in self.__dict__["_gone"] if ds.has_node(n))

    def has_node(self, nid) -> bool:
        return nid not in self.__dict__["_gone"] and self.__dict__["_of"].has_node(nid)

    def node(self, nid: str) -> dict:
        if not self.has_node(nid):
            raise KeyError(nid)
        return self.__dict__["_of"].node(nid)
