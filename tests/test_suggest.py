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
    # Organisations a (zigong), b (chengdu), c (zigong), d (chongqing), e (chengdu);
    # alliance X joins a, b, c; activity Y joins a, b; a–c tied directly; d–c tied
    # directly; activity Z joins d and e.
    P = nx.Graph()
    for n, g in {"a": "zigong", "b": "chengdu", "c": "zigong", "d": "chongqing", "e": "chengdu"}.items():
        P.add_node(n, label="Organization", region_group=g, name=n.upper())
    P.add_node("X", label="Alliance", name="Alliance X", region_group="other")
    P.add_node("Y", label="Activity", name="Activity Y", region_group="other")
    P.add_node("Z", label="Activity", name="Activity Z", region_group="other")
    P.add_edges_from([("a", "X"), ("b", "X"), ("c", "X"), ("a", "Y"), ("b", "Y"), ("a", "c"), ("d", "c"),
                      ("d", "Z"), ("e", "Z")])
    return P


def test_scores_by_hand():
    # Ties (organisations projection): a–b (X, Y), a–c (X, direct), b–c (X), c–d (direct), d–e (Z).
    # a and b share X and Y: tied, never suggested. For a: d is untied, other region,
    # common partner c (deg 3: a, b, d): AA = 1/ln 3, RA = 1/3, CN = 1.
    # e is three steps away: no common partner.
    [row] = suggest_partners(_small(), for_node="a")
    assert row["partner"] == "d"
    assert row["adamic_adar"] == pytest.approx(1 / math.log(3), abs=1e-6)
    assert row["resource_allocation"] == pytest.approx(1 / 3, abs=1e-6)
    assert row["common_neighbors"] == 1
    assert [r["id"] for r in row["reasons"]] == ["c"]
    assert row["reason"] == "共同伙伴 C（A：直接合作等 2 项；D：直接合作）"
    assert [h["id"] for h in row["reasons"][0]["via_a"]] == ["c", "X"]  # direct, and alliance X


def test_shared_alliance_agreement_activity_or_direct_tie_is_never_suggested():
    P = _small()
    # b's untied partners in other regions: d (via c); e is in b's own region.
    assert [r["partner"] for r in suggest_partners(P, for_node="b")] == ["d"]
    P.add_node("W", label="Agreement", name="Agreement W", region_group="other")
    P.add_edges_from([("b", "W"), ("d", "W")])  # now b and d share an agreement
    assert suggest_partners(P, for_node="b") == []
    rows = suggest_partners(P, top=0)
    assert ("b", "d") not in {(r["id"], r["partner"]) for r in rows}


def test_each_pair_once_sorted_by_score():
    rows = suggest_partners(_small(), top=0)
    # a–d and b–d share c (deg 3), c–e shares d (deg 2: c, e): AA 1/ln 2 ranks first.
    assert [(r["id"], r["partner"]) for r in rows] == [("c", "e"), ("a", "d"), ("b", "d")]
    pairs = [frozenset((r["id"], r["partner"])) for r in rows]
    assert len(pairs) == len(set(pairs))
    assert [r["adamic_adar"] for r in rows] == sorted((r["adamic_adar"] for r in rows), reverse=True)


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


def _ties(G):
    """Pairs of organisations sharing an alliance, agreement or activity or tied directly,
    read from the relationships themselves (not from the projection code)."""
    from alliances import model

    hubs: dict = {}
    tied = set()
    for u, v, k in G.edges(keys=True):
        if not model.is_partnership(k):
            continue
        lu, lv = G.nodes[u].get("label"), G.nodes[v].get("label")
        if lu == lv == "Organization":
            tied.add(frozenset((u, v)))
        for h, o, lh, lo in ((u, v, lu, lv), (v, u, lv, lu)):
            if lh in ("Alliance", "Agreement", "Activity") and lo == "Organization":
                hubs.setdefault(h, set()).add(o)
    for ms in hubs.values():
        tied |= {frozenset((a, b)) for a in ms for b in ms if a != b}
    return tied


def _check_against_the_data(G, rows):
    tied = _ties(G)
    T = nx.Graph(list(map(tuple, tied)))
    pairs = [frozenset((r["id"], r["partner"])) for r in rows]
    assert len(pairs) == len(set(pairs))
    for r in rows:
        assert frozenset((r["id"], r["partner"])) not in tied
        assert r["region"] != r["partner_region"]
        assert r["common_neighbors"] == len(list(nx.common_neighbors(T, r["id"], r["partner"])))
        [(_, _, aa)] = nx.adamic_adar_index(T, [(r["id"], r["partner"])])
        [(_, _, ra)] = nx.resource_allocation_index(T, [(r["id"], r["partner"])])
        assert r["adamic_adar"] == pytest.approx(aa, abs=1e-6)
        assert r["resource_allocation"] == pytest.approx(ra, abs=1e-6)
    # Every qualifying pair is there: untied, other regions, a common partner.
    want = {frozenset((a, b)) for a in T for b in T if a < b and not T.has_edge(a, b)
            and G.nodes[a]["region_group"] != G.nodes[b]["region_group"]
            and any(True for _ in nx.common_neighbors(T, a, b))}
    assert set(pairs) == want
    scores = [(r["adamic_adar"], r["resource_allocation"], r["common_neighbors"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    return tied


def test_bundled_has_no_suggestion_the_cross_region_three_are_all_tied(bundled_graph):
    # 华商, 盐市口 and 解放碑 (the only organisations outside Zigong) are tied pairwise
    # (shared alliance, agreement and activities): nothing is left to suggest.
    tied = _check_against_the_data(bundled_graph, suggest_partners(bundled_graph, top=0))
    for pair in (("huashang-committee", "yanshikou-committee"), ("huashang-committee", "jiefangbei-committee"),
                 ("yanshikou-committee", "jiefangbei-committee")):
        assert frozenset(pair) in tied
    assert suggest_partners(bundled_graph, top=0) == []


def test_generated_network_suggestions_checked_against_the_data(tmp_path):
    from alliances.dataset import read_dataset
    from alliances.generate import generate_dataset
    from alliances.network import Network

    generate_dataset(tmp_path / "g", 200, seed=2)
    net = Network(read_dataset(str(tmp_path / "g")))
    rows = suggest_partners(net, top=0)
    assert len(rows) > 10
    _check_against_the_data(net.graph, rows)
    # top=3: each pair kept is among the best three of one of its ends
    best = suggest_partners(net, top=3)
    assert {(r["id"], r["partner"]) for r in best} <= {(r["id"], r["partner"]) for r in rows}
    for r in best[:25]:
        ranks = [[x["partner"] for x in suggest_partners(net, for_node=end, top=3)] for end in (r["id"], r["partner"])]
        assert r["partner"] in ranks[0] or r["id"] in ranks[1]


def test_bundled_huashang_has_no_suggestion_with_yanshikou(bundled_graph):
    rows = suggest_partners(partnership_graph(bundled_graph), for_node="huashang-committee", top=0)
    assert "yanshikou-committee" not in [r["partner"] for r in rows]
    assert "jiefangbei-committee" not in [r["partner"] for r in rows]  # two shared activities
    for r in rows:
        assert r["reasons"] and r["reason"].startswith("共同伙伴 ")


def test_graph_and_partnership_inputs_agree(bundled_graph, bundled):
    a = suggest_partners(partnership_graph(bundled_graph), top=0)
    b = suggest_partners(bundled, top=0)
    strip = lambda rows: [{k: v for k, v in r.items()} for r in rows]  # noqa: E731
    assert strip(a) == strip(b)


def test_bundled_as_of_2020_mid_year(bundled, bundled_graph):
    # xianfeng-agreement is dated 2020 (counts from 2020-12-31), so on 2020-06-01 it is
    # left out; the answer is that of the graph as it stood then.
    from alliances.analysis.centrality import scenario_graph
    from alliances.analysis.suggest import suggest_report

    G, _ = scenario_graph(bundled_graph, as_of="2020-06-01")
    assert "xianfeng-agreement" not in G
    meta, rows = suggest_report(bundled, as_of="2020-06-01", top=0)
    assert rows == suggest_partners(G, top=0)
    # Undated relationships kept: relationships.csv has 46 rows, 3 of them dated
    # (2 PARTY_TO 2020, RECEIVED 2019), so 43 are undated and all are kept.
    assert meta["undated_relationships"] == 43


def test_cli_suggest_json_and_errors():
    runner = CliRunner()
    res = runner.invoke(cli, ["suggest", "--for", "自贡华商商圈党委", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["suggestions"] == []  # its cross-region partners are all tied to it already
    assert data["meta"]["as_of"] is None
    bad = runner.invoke(cli, ["suggest", "--for", "自贡华商商圈"])  # a business circle, not an organisation
    assert bad.exit_code == 2 and "not an organisation" in bad.output
    bad_date = runner.invoke(cli, ["suggest", "--as-of", "2020-13-01"])
    assert bad_date.exit_code == 2 and "not a real date" in bad_date.output


def test_terminal_lists_the_best_suggestions_and_counts_the_rest(tmp_path):
    """Table and Markdown show the best 50 for the whole network (or --rows N), in the order of
    the JSON's full list, and say how many more there are; CSV and JSON list every pair."""
    from alliances.generate import generate_dataset

    generate_dataset(tmp_path / "g", 300, seed=2)
    data = ["--data", str(tmp_path / "g")]
    full = json.loads(CliRunner().invoke(cli, ["suggest", *data, "--format", "json"]).stdout)["suggestions"]
    assert len(full) > 60
    pairs = [(r["name"], r["partner_name"]) for r in full]
    md = CliRunner().invoke(cli, ["suggest", *data, "--format", "markdown", "--lang", "en"])
    assert md.exit_code == 0, md.output
    body = [line for line in md.stdout.splitlines() if line.startswith("| ") and not line.startswith("| name")]
    assert len(body) == 50
    assert [tuple(c.strip() for c in line.split("|")[1:4:2]) for line in body] == pairs[:50]
    assert f"And {len(full) - 50:,} more suggestions ({len(full):,} in all)" in md.stdout
    three = CliRunner().invoke(cli, ["suggest", *data, "--format", "markdown", "--rows", "3", "--lang", "zh"])
    assert len([ln for ln in three.stdout.splitlines() if ln.startswith("| ")]) == 1 + 3
    assert f"另有 {len(full) - 3:,} 条建议未列出（共 {len(full):,} 条）" in three.stdout
    csv_out = CliRunner().invoke(cli, ["suggest", *data, "--format", "csv"])
    assert len(csv_out.stdout.strip().splitlines()) == 1 + len(full)
    limited = json.loads(CliRunner().invoke(cli, ["suggest", *data, "--format", "json", "--rows", "7"]).stdout)
    assert [(r["name"], r["partner_name"]) for r in limited["suggestions"]] == pairs[:7]
    assert limited["meta"]["total"] == len(full)


@pytest.mark.parametrize("by", ["adamic_adar", "common_neighbors"])
def test_whole_network_pairs_are_those_among_either_ends_best(tmp_path, by):
    """Without --for, the pairs listed are exactly those among the best ``top`` of one of their
    two ends (each end's list as ``--for`` gives it), in the one order; common_neighbors ties
    often, so a row's cut falls inside a run of equal scores."""
    from alliances.dataset import read_dataset
    from alliances.generate import generate_dataset
    from alliances.network import Network

    generate_dataset(tmp_path / "g", 250, seed=6)
    net = Network(read_dataset(tmp_path / "g"))
    orgs = [n for n, d in net.nodes.items() if d["label"] == "Organization"]
    for top in (1, 3):
        every = suggest_partners(net, top=top, by=by)
        expected = set()
        for n in orgs:
            expected |= {frozenset((r["id"], r["partner"])) for r in suggest_partners(net, for_node=n, top=top, by=by)}
        assert {frozenset((r["id"], r["partner"])) for r in every} == expected
        assert len(every) == len(expected) > 20


def test_blocks_bound_the_two_hop_entries_and_cover_every_row():
    """Each block's bound (Σ of its rows' neighbours' degrees) is within the budget unless it is
    one row; the blocks cover the rows in order, once."""
    import numpy as np
    from scipy.sparse import csr_matrix

    from alliances.engine import row_blocks as _blocks

    # a star (centre 0, leaves 1..5) and a path 6-7-8: row 0's bound is 5 (five leaves of degree 1),
    # each leaf's is 5 (the centre's degree), 6 and 8 have 2, 7 has 2 (6 and 8 of degree 1 each)
    u = np.array([0, 0, 0, 0, 0, 6, 7])
    v = np.array([1, 2, 3, 4, 5, 7, 8])
    A = csr_matrix((np.ones(14), (np.r_[u, v], np.r_[v, u])), shape=(9, 9))
    deg = np.asarray(A.sum(axis=1)).ravel()
    assert (A @ deg).tolist() == [5, 5, 5, 5, 5, 5, 2, 2, 2]
    assert _blocks(A, deg, 10) == [(0, 2), (2, 4), (4, 6), (6, 9)]
    assert _blocks(A, deg, 4) == [(i, i + 1) for i in range(6)] + [(6, 8), (8, 9)]
    assert _blocks(A, deg, 10**9) == [(0, 9)]
    assert _blocks(A, deg, 10**9, max_rows=4) == [(0, 4), (4, 8), (8, 9)]
    assert _blocks(A, deg, 10, max_rows=1) == [(i, i + 1) for i in range(9)]
    assert _blocks(csr_matrix((0, 0)), np.zeros(0), 10) == []


@pytest.mark.parametrize("by", ["adamic_adar", "common_neighbors"])
def test_the_answer_does_not_depend_on_the_block_size(tmp_path, by):
    """Blocks of one row, of a few rows and the whole network in one block give the same rows,
    for the whole network's best pairs and for every qualifying pair."""
    from alliances.dataset import read_dataset
    from alliances.generate import generate_dataset
    from alliances.network import Network

    generate_dataset(tmp_path / "g", 300, seed=4)
    net = Network(read_dataset(tmp_path / "g"))
    for top in (0, 3):
        whole = suggest_partners(net, top=top, by=by, block_entries=10**12)
        assert len(whole) > 20
        for entries in (1, 50, 5_000):
            assert suggest_partners(net, top=top, by=by, block_entries=entries) == whole
