"""Louvain communities: hand-worked modularity and reference values from networkx and igraph."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import pytest

from alliances.analysis.communities import louvain
from alliances.graph import organizations_projection


def test_two_triangles_joined_by_one_tie():
    # barbell_graph(3, 0): triangles {0,1,2}, {3,4,5}, tie 2–3; m = 7.
    # Each triangle: 3 internal ties, degree sum 2+2+3 = 7.
    # Q = 2 × (3/7 − (7/14)²) = 6/7 − 1/2 = 5/14.
    H = nx.barbell_graph(3, 0)
    res = louvain(H, seed=0)
    assert sorted(sorted(m["id"] for m in c["members"]) for c in res["communities"]) == [[0, 1, 2], [3, 4, 5]]
    assert res["modularity"] == pytest.approx(5 / 14)


def test_region_counts_per_community():
    H = nx.barbell_graph(3, 0)
    nx.set_node_attributes(H, {0: "zigong", 1: "zigong", 2: "chengdu", 3: "chongqing", 4: "chongqing", 5: "other"},
                           "region_group")
    res = louvain(H, seed=0)
    by_first = {c["members"][0]["id"]: c for c in res["communities"]}
    assert by_first[0]["regions"] == {"zigong": 2, "chengdu": 1, "chongqing": 0, "other": 0}
    assert by_first[0]["spans_regions"] == 2
    assert by_first[3]["regions"] == {"zigong": 0, "chengdu": 0, "chongqing": 2, "other": 1}


@pytest.mark.parametrize("make", [nx.karate_club_graph, nx.florentine_families_graph, nx.les_miserables_graph])
def test_modularity_matches_networkx_and_igraph(make):
    H = make()
    res = louvain(H, seed=0, weight=None)
    parts = [{m["id"] for m in c["members"]} for c in res["communities"]]
    assert sum(len(p) for p in parts) == H.number_of_nodes()
    assert res["modularity"] == pytest.approx(nx.community.modularity(H, parts, weight=None))
    nodes = list(H)
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in H.edges()])
    membership = [res["membership"][n] for n in nodes]
    assert res["modularity"] == pytest.approx(g.modularity(membership))


def test_karate_louvain_finds_a_good_split():
    # Published optimum modularity of the karate club is 0.4198 (Brandes et al.
    # 2008); Louvain should land close to it and not above it.
    res = louvain(nx.karate_club_graph(), seed=0, weight=None)
    assert 0.40 <= res["modularity"] <= 0.4198 + 1e-4


def test_seed_makes_it_repeatable():
    H = nx.les_miserables_graph()
    assert louvain(H, seed=3)["membership"] == louvain(H, seed=3)["membership"]


def test_bundled_modularity_by_hand(bundled_graph):
    # Organisations projection (see tests/test_brokerage.py for the ties):
    # total weight m = 14 (6 Zigong direct ties + 4 + 2 + 2).
    # Communities: triangle of committees (internal 8, degree sum 16):
    #   8/14 − (16/28)² = 4/7 − 16/49 = 12/49
    # xindipeier trio, zhongxing trio (internal 2, degree sum 4): 2 × (2/14 − (4/28)²) = 2 × 6/49
    # haichuan pair, weipeng pair (internal 1, degree sum 2): 2 × (1/14 − (2/28)²) = 2 × 3.25/49
    # two isolates: 0. Q = (12 + 12 + 6.5)/49 = 61/98.
    res = louvain(organizations_projection(bundled_graph), seed=0)
    assert res["modularity"] == pytest.approx(61 / 98)
    first = res["communities"][0]
    assert {m["id"] for m in first["members"]} == {"huashang-committee", "yanshikou-committee",
                                                   "jiefangbei-committee"}
    assert first["spans_regions"] == 3


def test_empty_graph():
    assert louvain(nx.Graph())["communities"] == []


def test_cli_communities_json_and_seed():
    import json

    from click.testing import CliRunner

    from alliances.cli import cli

    res = CliRunner().invoke(cli, ["communities", "--projection", "organizations", "--format", "json",
                                   "--seed", "7"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["seed"] == 7 and data["modularity"] == pytest.approx(61 / 98)
    # one --projection default for every command (as centrality's): the full partnership graph
    full = CliRunner().invoke(cli, ["communities", "--format", "json"])
    assert full.exit_code == 0 and json.loads(full.output)["meta"]["projection"] == "full"


def test_large_graphs_use_the_compiled_louvain_with_networkx_quality(monkeypatch):
    """Above the engine threshold: every node in exactly one community, modularity as
    networkx computes it for that partition, close to networkx's own Louvain, and the
    same partition whichever order the graph was read in."""
    import random

    from alliances import engine, network

    G = nx.relabel_nodes(nx.planted_partition_graph(8, 40, 0.3, 0.01, seed=3), lambda i: f"n{i:03d}")
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(engine=50))
    res = louvain(G, seed=0)
    members = [m["id"] for c in res["communities"] for m in c["members"]]
    assert sorted(members) == sorted(G.nodes)
    reference = nx.community.modularity(G, nx.community.louvain_communities(G, seed=0))
    assert abs(res["modularity"] - reference) < 0.02
    assert res["modularity"] == pytest.approx(
        nx.community.modularity(G, [{m["id"] for m in c["members"]} for c in res["communities"]]))
    H = nx.Graph()
    nodes = list(G.nodes)
    random.Random(1).shuffle(nodes)
    H.add_nodes_from(nodes)
    edges = [(v, u) for u, v in G.edges]
    random.Random(2).shuffle(edges)
    H.add_edges_from(edges)
    assert louvain(H, seed=0)["membership"] == res["membership"]
