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


def test_the_counts_do_not_depend_on_the_row_blocks(tmp_path):
    """brokerage_arrays sums its n × groups × groups counts block by block: blocks of one row,
    of seven, blocks cut at one or 500 two-hop entries and the whole projection in one give the
    same columns (constraint to the last
    bits of its sparse row sums, which the table rounds to 6 decimals)."""
    import numpy as np

    from alliances import engine

    generate_dataset(tmp_path / "g", 300, seed=3)
    H, _ = organisations_view(build_graph(read_dataset(tmp_path / "g")))
    V = brokerage.view_of(H)
    codes: dict = {}
    groups = np.array([codes.setdefault(g, len(codes)) for g in V.groups])
    whole = engine.brokerage_arrays(V.P, groups, block=V.n, entries=10**12)
    assert whole["liaison"].sum() > 0 and whole["gatekeeper"].sum() > 0
    for kw in ({"block": 1}, {"block": 7}, {"entries": 1}, {"entries": 500}):
        got = engine.brokerage_arrays(V.P, groups, block=V.n, **kw) if "entries" in kw else \
            engine.brokerage_arrays(V.P, groups, **kw, entries=10**12)
        assert list(got) == list(whole)
        for k in whole:
            if k == "constraint":
                np.testing.assert_allclose(got[k], whole[k], rtol=1e-12, atol=0)
            else:
                np.testing.assert_array_equal(got[k], whole[k])


def test_the_first_rows_alone_are_the_first_rows_of_the_table(monkeypatch, tmp_path):
    """broker_table(top=N) on the arrays makes only the first N rows: the same as the networkx
    table's first N."""
    generate_dataset(tmp_path / "g", 400, seed=2)
    H, _ = organisations_view(build_graph(read_dataset(tmp_path / "g")))
    V = brokerage.view_of(H)
    ref = brokerage.broker_table(H)
    for top in (1, 10, 57):
        assert brokerage.broker_table(V, top=top) == ref[:top]
        assert brokerage.broker_table(H, top=top) == ref[:top]
    assert brokerage.broker_table(V, top=None) == brokerage.broker_table(V, top=0) == ref
