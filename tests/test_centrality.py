"""Centrality: hand-worked values on tiny graphs and on the bundled network."""

from __future__ import annotations

import networkx as nx
import pytest

from alliances.analysis.centrality import centrality_scores, centrality_table


def test_star_by_hand():
    # Star with centre c and leaves 1..4 (n = 5):
    # degree(c) = 4/4 = 1; a leaf 1/4. betweenness(c): all C(4,2) = 6 leaf pairs pass c,
    # normalised by (n-1)(n-2)/2 = 6 → 1. closeness(c) = 4/4 = 1; leaf: 4/(1+2+2+2) = 4/7.
    H = nx.star_graph(4)
    nx.set_edge_attributes(H, 1, "weight")
    s = centrality_scores(H)
    assert s[0]["degree"] == pytest.approx(1.0)
    assert s[1]["degree"] == pytest.approx(0.25)
    assert s[0]["betweenness"] == pytest.approx(1.0)
    assert s[1]["betweenness"] == pytest.approx(0.0)
    assert s[0]["closeness"] == pytest.approx(1.0)
    assert s[1]["closeness"] == pytest.approx(4 / 7)
    # harmonic(leaf) = (1 + 1/2 * 3) / 4 = 0.625
    assert s[1]["harmonic"] == pytest.approx(0.625)
    # PageRank of a star: by symmetry leaves equal, and all sum to 1
    assert sum(v["pagerank"] for v in s.values()) == pytest.approx(1.0)
    assert s[0]["pagerank"] > s[1]["pagerank"]


def test_disconnected_closeness_is_wasserman_faust():
    # Two components: path a-b-c and pair d-e (n = 5). For b: reaches 2 nodes at
    # distance 1 → (r/(n-1)) * (r/sum d) = (2/4) * (2/2) = 0.5; harmonic(b) = 2/4.
    H = nx.Graph([("a", "b"), ("b", "c"), ("d", "e")])
    s = centrality_scores(H)
    assert s["b"]["closeness"] == pytest.approx(0.5)
    assert s["b"]["harmonic"] == pytest.approx(0.5)
    # d reaches 1 node: (1/4) * (1/1) = 0.25
    assert s["d"]["closeness"] == pytest.approx(0.25)


def test_bundled_hubs_full_projection(bundled_graph):
    # The partnership graph has 30 nodes (36 less 5 regions and 1 zone), so n-1 = 29.
    # 华商商圈党委's neighbours: its circle, its alliance, the 华商–盐市口 alliance,
    # the agreement, the MV shoot, the planned activity → degree 6/29.
    # Betweenness worked by hand in its 11-node component: the circle and its
    # alliance reach the other 8 only through it (16 pairs), and of the pairs on
    # the 盐市口 side it carries A–G, A–M, A–T, G–M, G–T, A–J, G–J, A–JC, G–JC half
    # each (4.5) and M–T a third: 20.8333 → ×2/(29·28) = 0.051314.
    rows = centrality_table(bundled_graph, projection_name="full", by="betweenness")
    assert len(rows) == 15  # every organisation has a row
    top = rows[0]
    assert top["id"] == "huashang-committee" and top["region"] == "zigong"
    assert top["degree"] == pytest.approx(6 / 29, abs=1e-6)
    assert top["betweenness"] == pytest.approx(20.833333 * 2 / (29 * 28), abs=1e-6)
    # 盐市口: its circle through it (9 pairs) plus the same 4.8333 → 13.8333·2/812
    second = rows[1]
    assert second["id"] == "yanshikou-committee" and second["region"] == "chengdu"
    assert second["betweenness"] == pytest.approx(13.833333 * 2 / 812, abs=1e-6)
    assert second["region_rank"] == 1
    # isolated organisations score zero
    iso = {r["id"]: r for r in rows}["zone-two-new-committee"]
    assert iso["degree"] == 0 and iso["closeness"] == 0


def test_bundled_organizations_projection_weights(bundled_graph):
    # 华商–盐市口 share the alliance, the agreement, the MV shoot and the planned
    # activity: weight 4; each with 解放碑 shares the two activities: weight 2.
    from alliances.graph import organizations_projection

    P = organizations_projection(bundled_graph)
    assert P["huashang-committee"]["yanshikou-committee"]["weight"] == 4
    assert P["huashang-committee"]["jiefangbei-committee"]["weight"] == 2
    assert P["yanshikou-committee"]["jiefangbei-committee"]["weight"] == 2
    assert P.number_of_nodes() == 15
    rows = centrality_table(bundled_graph, projection_name="organizations", by="weighted_degree")
    assert [r["id"] for r in rows[:2]] == ["huashang-committee", "yanshikou-committee"]
    assert rows[0]["weighted_degree"] == 6


def _same_rows(a, b):
    assert [r["id"] for r in a] == [r["id"] for r in b]
    for x, y in zip(a, b):
        assert x.keys() == y.keys()
        for k in x:
            if isinstance(x[k], float):
                assert x[k] == pytest.approx(y[k], abs=2e-6), (x["id"], k)
            else:
                assert x[k] == y[k], (x["id"], k)


@pytest.mark.parametrize("projection", ["organizations", "full"])
def test_table_from_the_dataset_arrays_equals_the_graph_table(bundled, bundled_graph, projection):
    for by in ("betweenness", "pagerank"):
        _same_rows(centrality_table(None, dataset=bundled, projection_name=projection, by=by),
                   centrality_table(bundled_graph, projection_name=projection, by=by))
    top = centrality_table(None, dataset=bundled, projection_name=projection, top=3)
    assert [r["rank"] for r in top] == [1, 2, 3]


def test_large_table_from_arrays_equals_the_graph_table(tmp_path, monkeypatch):
    from alliances import engine, network
    from alliances.dataset import read_dataset
    from alliances.generate import generate_dataset
    from alliances.graph import build_graph

    generate_dataset(tmp_path / "g", 1500, seed=5)
    ds = read_dataset(tmp_path / "g")
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(engine=100))  # the compiled engine on both sides
    G = build_graph(ds)
    for projection in ("organizations", "full"):
        rows = centrality_table(None, dataset=ds, projection_name=projection)
        _same_rows(rows, centrality_table(G, projection_name=projection))
        # region ranks count each region from 1 in table order
        for region in {r["region"] for r in rows}:
            assert [r["region_rank"] for r in rows if r["region"] == region] == \
                list(range(1, sum(r["region"] == region for r in rows) + 1))
