"""Centrality against igraph on classic networks; hub explanations and scenarios by hand."""

from __future__ import annotations

import json

import igraph as ig
import networkx as nx
import pytest
from click.testing import CliRunner

from alliances.analysis.centrality import centrality_report, centrality_scores, hub_explanation, scenario_graph
from alliances.cli import cli


def _igraph(H, weight=None):
    nodes = list(H)
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in H.edges()])
    if weight:
        g.es["weight"] = [d.get(weight, 1) for _, _, d in H.edges(data=True)]
    return nodes, g


@pytest.mark.parametrize("make", [nx.karate_club_graph, nx.florentine_families_graph, nx.les_miserables_graph])
def test_betweenness_closeness_pagerank_match_igraph(make):
    H = make()
    if make is nx.karate_club_graph:  # karate carries a 'weight'; compare unweighted PageRank elsewhere
        for _, _, d in H.edges(data=True):
            d.pop("weight", None)
    scores = centrality_scores(H)
    nodes, g = _igraph(H, weight="weight" if make is nx.les_miserables_graph else None)
    n = len(nodes)
    btw = g.betweenness(directed=False)  # unweighted shortest paths, as ours
    clo = g.closeness()
    pr = g.pagerank(damping=0.85, weights="weight" if make is nx.les_miserables_graph else None)
    for i, v in enumerate(nodes):
        assert scores[v]["betweenness"] == pytest.approx(btw[i] / ((n - 1) * (n - 2) / 2), abs=1e-9)
        assert scores[v]["closeness"] == pytest.approx(clo[i], abs=1e-9)  # connected: no WF correction
        # networkx stops its power iteration at tol=1e-6 × n (L1), igraph solves exactly
        assert scores[v]["pagerank"] == pytest.approx(pr[i], rel=2e-3)
        assert scores[v]["degree"] == pytest.approx(g.degree(i) / (n - 1))


def test_star_by_hand():
    # Star with centre 0 and 4 leaves (n = 5): centre betweenness = C(4,2) = 6
    # pairs, normalised by (n-1)(n-2)/2 = 6 → 1; closeness 4/4 = 1; leaf
    # closeness 4/(1+2+2+2) = 4/7; leaf betweenness 0.
    s = centrality_scores(nx.star_graph(4))
    assert s[0]["betweenness"] == pytest.approx(1.0) and s[0]["closeness"] == pytest.approx(1.0)
    assert s[1]["closeness"] == pytest.approx(4 / 7) and s[1]["betweenness"] == 0


def test_hub_explanation_of_huashang_by_hand(bundled_graph):
    # relationships.csv: huashang-committee FOUNDED huashang-alliance,
    # MEMBER_OF huashang-yanshikou-alliance, PARTY_TO xianfeng-agreement,
    # ORGANIZED mv-shoot and three-place-activity; partners in other regions in
    # the projection: jiefangbei-committee (chongqing), yanshikou-committee (chengdu).
    e = hub_explanation(bundled_graph, "huashang-committee")
    assert [a["id"] for a in e["alliances"]] == ["huashang-alliance", "huashang-yanshikou-alliance"]
    assert [a["id"] for a in e["activities"]] == ["mv-shoot", "three-place-activity"]
    assert [a["id"] for a in e["agreements"]] == ["xianfeng-agreement"]
    assert [(p["id"], p["region"]) for p in e["partners_other_regions"]] == [
        ("jiefangbei-committee", "chongqing"), ("yanshikou-committee", "chengdu")]


def test_scenario_as_of_counts_undated(bundled_graph):
    # As of 2019-12-31: xianfeng-agreement (2020) goes, with its 2 PARTY_TO
    # relationships; the 2019 award stays. 46 relationships, 3 dated → 43 undated.
    # Undated nodes other than regions/zones: 36 nodes − 6 places − 2 dated = 28.
    G, meta = scenario_graph(bundled_graph, as_of="2019-12-31")
    assert "xianfeng-agreement" not in G and "sichuan-advanced-2019" in G
    assert meta["undated_relationships"] == 43 and meta["undated_nodes"] == 28
    assert meta["removed_nodes"] == 1 and meta["removed_relationships"] == 2


def test_centrality_report_without_a_node(bundled_graph):
    rep = centrality_report(bundled_graph, without=["huashang-committee"], explain=True)
    assert "huashang-committee" not in {r["id"] for r in rep["rows"]}
    y = next(r for r in rep["rows"] if r["id"] == "yanshikou-committee")
    assert [p["id"] for p in y["explanation"]["partners_other_regions"]] == ["jiefangbei-committee"]


def test_cli_centrality_explain_json_and_markdown():
    runner = CliRunner()
    res = runner.invoke(cli, ["centrality", "--projection", "organizations", "--explain", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    hs = next(r for r in rows if r["id"] == "huashang-committee")
    assert hs["explanation"]["agreements"][0]["name"] == "“先锋同行”党建共建合作协议"
    md = runner.invoke(cli, ["centrality", "--explain", "--format", "markdown", "--top", "3"])
    assert md.exit_code == 0 and "| 说明 |" in md.output and "跨地区伙伴" in md.output  # explanation_text, in Chinese
