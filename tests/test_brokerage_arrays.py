"""Brokerage on the arrays equals the networkx reference, row by row."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from alliances import network
from alliances.analysis import brokerage
from alliances.analysis.whatif import organisations_view
from alliances.dataset import read_dataset
from alliances.generate import generate_dataset
from alliances.graph import build_graph

GROUPS = ["zigong", "chengdu", "chongqing", "other"]


def on_arrays(monkeypatch, H):
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(engine=5))
    try:
        return brokerage.broker_table(H)
    finally:
        monkeypatch.undo()


def labelled(G, seed, groups=GROUPS):
    rng = random.Random(seed)
    H = nx.relabel_nodes(G, {n: f"n{n:04d}" for n in G})
    for n in H:
        H.nodes[n].update(region_group=rng.choice(groups), name=f"组织{n}")
    return H


@pytest.mark.parametrize("seed", range(4))
def test_random_graphs_with_isolates_and_one_group(monkeypatch, seed):
    G = nx.gnm_random_graph(120, 500 + 100 * seed, seed=seed)
    G.add_nodes_from(range(120, 124))
    H = labelled(G, seed, GROUPS if seed else ["zigong"])
    assert on_arrays(monkeypatch, H) == brokerage.broker_table(H)


def test_published_graphs(monkeypatch):
    for G in (nx.karate_club_graph(), nx.les_miserables_graph(), nx.florentine_families_graph()):
        H = labelled(nx.convert_node_labels_to_integers(nx.Graph(G)), 7)
        assert on_arrays(monkeypatch, H) == brokerage.broker_table(H)


def test_the_organisations_projection_of_a_generated_network(monkeypatch, tmp_path):
    generate_dataset(tmp_path / "g", 400, seed=2)
    H, _ = organisations_view(build_graph(read_dataset(tmp_path / "g")))
    assert on_arrays(monkeypatch, H) == brokerage.broker_table(H)


def test_an_edgeless_graph(monkeypatch):
    H = labelled(nx.empty_graph(8), 1)
    assert on_arrays(monkeypatch, H) == brokerage.broker_table(H)
