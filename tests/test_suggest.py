"""Partner suggestions: hand-worked scores, networkx reference indices, the bundled network, CLI."""

from __future__ import annotations

import json
import math

import networkx as nx
import pytest
from click.testing import CliRunner

from alliances.analysis.suggest import suggest_partners
from alliances.cli import cli
from alliances.graph import partnership_graph


def _small():
    # Organisations a (zigong), b (chengdu), c (zigong), d (chongqing);
    # alliance X joins a, b, c; activity Y joins a, b; a–c tied directly.
    P = nx.Graph()
    for n, g in {"a": "zigong", "b": "chengdu", "c": "zigong", "d": "chongqing"}.items():
        P.add_node(n, label="Organization", region_group=g, name=n.upper())
    P.add_node("X", label="Alliance", name="Alliance X", region_group="other")
    P.add_node("Y", label="Activity", name="Activity Y", region_group="other")
    P.add_edges_from([("a", "X"), ("b", "X"), ("c", "X"), ("a", "Y"), ("b", "Y"), ("a", "c")])
    return P


def test_scores_by_hand():
    # For a: candidates in other regions with a shared neighbour: b (via X, Y).
    # c is same region; d shares nothing. deg(X) = 3, deg(Y) = 2.
    # AA = 1/ln 3 + 1/ln 2; RA = 1/3 + 1/2 = 5/6; CN = 2.
    [row] = suggest_partners(_small(), for_node="a")
    assert row["partner"] == "b"
    assert row["adamic_adar"] == pytest.approx(1 / math.log(3) + 1 / math.log(2), abs=1e-6)
    assert row["resource_allocation"] == pytest.approx(5 / 6, abs=1e-6)
    assert row["common_neighbors"] == 2
    assert [r["id"] for r in row["reasons"]] == ["X", "Y"]
    assert row["reason"] == "共同活动：Activity Y；共同联盟：Alliance X"


def test_same_region_and_already_tied_are_left_out():
    P = _small()
    # c and a share X but are both in Zigong; b and c: other regions, share X.
    rows = suggest_partners(P, for_node="c")
    assert [r["partner"] for r in rows] == ["b"]
    P.add_edge("b", "c")  # now tied directly: no longer suggested
    assert suggest_partners(P, for_node="c") == []


def test_scores_match_networkx_link_prediction_on_karate():
    G = nx.karate_club_graph()
    for n in G:
        G.nodes[n]["label"] = "Organization"
        G.nodes[n]["region_group"] = "zigong" if G.nodes[n]["club"] == "Mr. Hi" else "chengdu"
    rows = suggest_partners(G, top=0)
    assert rows
    pairs = [(r["id"], r["partner"]) for r in rows]
    aa = {(u, v): s for u, v, s in nx.adamic_adar_index(G, pairs)}
    ra = {(u, v): s for u, v, s in nx.resource_allocation_index(G, pairs)}
    for r in rows:
        key = (r["id"], r["partner"])
        assert r["adamic_adar"] == pytest.approx(aa[key], abs=1e-6)
        assert r["resource_allocation"] == pytest.approx(ra[key], abs=1e-6)
        assert r["common_neighbors"] == len(list(nx.common_neighbors(G, *key)))
        assert G.nodes[key[0]]["club"] != G.nodes[key[1]]["club"] and not G.has_edge(*key)


def test_bundled_huashang_suggestions(bundled_graph):
    # From the CSVs: huashang-committee and yanshikou-committee share
    # huashang-yanshikou-alliance (deg 2), xianfeng-agreement (deg 2),
    # mv-shoot (deg 3) and three-place-activity (deg 3), with no direct tie:
    # AA = 2/ln2 + 2/ln3 = 4.705869; RA = 1/2+1/2+1/3+1/3 = 5/3; CN = 4.
    # With jiefangbei-committee: only the two activities: AA = 2/ln3, RA = 2/3.
    rows = suggest_partners(partnership_graph(bundled_graph), for_node="huashang-committee")
    assert [r["partner"] for r in rows] == ["yanshikou-committee", "jiefangbei-committee"]
    y, j = rows
    assert y["adamic_adar"] == pytest.approx(2 / math.log(2) + 2 / math.log(3), abs=1e-6)
    assert y["resource_allocation"] == pytest.approx(5 / 3, abs=1e-6)
    assert y["common_neighbors"] == 4
    assert j["adamic_adar"] == pytest.approx(2 / math.log(3), abs=1e-6)
    assert j["resource_allocation"] == pytest.approx(2 / 3, abs=1e-6)
    assert "“三地同唱一首歌”MV拍摄活动" in j["reason"]
    assert "“先锋同行”党建共建合作协议" in y["reason"]


def test_bundled_as_of_2020_mid_year_drops_the_agreement(bundled_graph):
    # xianfeng-agreement is dated 2020 (counts from 2020-12-31), so on
    # 2020-06-01 it is left out and huashang–yanshikou share three nodes.
    from alliances.analysis.centrality import scenario_graph

    G, meta = scenario_graph(bundled_graph, as_of="2020-06-01")
    [y] = [r for r in suggest_partners(partnership_graph(G), for_node="huashang-committee")
           if r["partner"] == "yanshikou-committee"]
    assert y["common_neighbors"] == 3
    # Undated relationships kept: relationships.csv has 46 rows, 3 of them dated
    # (2 PARTY_TO 2020, RECEIVED 2019), so 43 are undated and all are kept.
    assert meta["undated_relationships"] == 43


def test_cli_suggest_json_and_errors():
    runner = CliRunner()
    res = runner.invoke(cli, ["suggest", "--for", "自贡华商商圈党委", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["suggestions"][0]["partner_name"] == "成都盐市口商圈综合党委"
    assert data["meta"]["as_of"] is None
    bad = runner.invoke(cli, ["suggest", "--for", "自贡华商商圈"])  # a business circle, not an organisation
    assert bad.exit_code == 2 and "not an organisation" in bad.output
    bad_date = runner.invoke(cli, ["suggest", "--as-of", "2020-13-01"])
    assert bad_date.exit_code == 2 and "not a real date" in bad_date.output
