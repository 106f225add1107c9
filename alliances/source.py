"""Where a network comes from: a dataset folder (default: the bundled one) or Neo4j.

A :class:`GraphSource` is the library's answer to "which network?": commands
build one from ``--data`` / ``--neo4j`` and hand it to :mod:`alliances.query`
and the analyses, which ask it for a :class:`~alliances.network.Network` (read
once, cached) or, for a path, let it answer from the store that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from alliances.settings import Neo4jSettings


@dataclass
class GraphSource:
    """A dataset folder (``data``; ``None``: the bundled dataset) or Neo4j (``settings``)."""

    data: str | None = None
    use_neo4j: bool = False
    settings: Neo4jSettings | None = None
    #: the level of the Region hierarchy that groups nodes (``--region-level``)
    region_level: str = "city"
    #: Folder of dataset snapshots (:mod:`alliances.snapshot`); ``None``: read and check every time.
    cache_dir: str | None = None
    #: Write a snapshot after checking the CSVs (``False``: only load a valid one; a one-off export).
    snapshot_write: bool = True
    _network: object = None

    def network(self):
        """The :class:`~alliances.network.Network` of this source, read once."""
        if self._network is None:
            from alliances.network import Network

            self._network = Network(self._read(), region_level=self.region_level)
        return self._network

    def dataset(self):
        """The checked dataset (the network's)."""
        return self.network().dataset

    def graph(self):
        """The network's whole ``MultiDiGraph`` (built once)."""
        return self.network().graph

    def _read(self):
        if self.use_neo4j:
            from alliances.store.neo4j import Neo4jStore

            with Neo4jStore(self.settings) as store:
                return store.read_dataset()
        from alliances.snapshot import read_checked

        return read_checked(self.data, cache_dir=self.cache_dir, save=self.snapshot_write)

    def paths(self, from_name: str, to_name: str, *, k: int = 1, max_hops=None, via=None, weighted: bool = False):
        """``(G, a, b, paths)``: the two nodes named, their paths, and a graph holding the answer's nodes.

        From a folder the network picks its backend (:func:`alliances.paths.network_paths`).
        From Neo4j only what the answer needs is read: the names (resolved by
        the embedded default's rules), the paths, and the nodes on them with
        the regions that place them. A weighted question (Cypher's shortest paths count hops)
        is answered on the network read from Neo4j, as from a folder.
        """
        if not self.use_neo4j or weighted:
            from alliances.paths import network_paths

            net = self.network()
            a, b = net.resolve(from_name), net.resolve(to_name)
            G, raw = network_paths(net, a, b, k=k, max_hops=max_hops, via=via, weighted=weighted)
            return G, a, b, raw
        import networkx as nx

        from alliances.graph import build_graph
        from alliances.resolve import resolve
        from alliances.store.neo4j import Neo4jStore

        with Neo4jStore(self.settings) as store:
            ends = []
            for text in (from_name, to_name):
                # candidates from the store's cjk full-text index where it decides, else the name table
                names = nx.Graph()
                names.add_nodes_from((row["id"], row) for row in store.name_candidates(text))
                ends.append(resolve(names, text))
            a, b = ends
            raw = store.paths(a, b, k=k, max_hops=max_hops, via=via)
            wanted = {a, b, *(n for p in raw for n in p["nodes"])}
            wanted.update(store.ids_of("Region"))
            return build_graph(store.read_nodes(wanted), region_level=self.region_level), a, b, raw

    def search(self, text: str, limit: int = 50):
        """``(G, ids)`` for :func:`alliances.query.search_nodes` from Neo4j's cjk full-text index, or None.

        Chinese text of two or more characters is looked up in the index and
        only the candidates (and the regions that place them) are read; the
        embedded rules (:func:`alliances.resolve.search`) then rank them.
        None: the whole network answers (a folder, or text the index cannot decide).
        """
        if not self.use_neo4j:
            return None
        from alliances.graph import build_graph
        from alliances.resolve import search
        from alliances.store.neo4j import Neo4jStore

        with Neo4jStore(self.settings) as store:
            hits = store.search_names(text)
            if hits is None:
                return None
            ids = {h["id"] for h in hits}
            G = build_graph(store.read_nodes(ids | set(store.ids_of("Region"))))
        return G, [n for n in search(G, text, limit=limit) if n in ids]

    def describe(self) -> str:
        if self.use_neo4j:
            return f"Neo4j {self.settings.uri} database {self.settings.database}"
        return self.data or "bundled dataset"
