"""Brokerage: tie matrix, Gould–Fernandez roles, Burt's measures, cut points, corridors.

Expected values are worked out by hand in the comments, or taken from the
bundled CSVs (alliances/data/zigong/*.csv) read by hand.
"""

from __future__ import annotations

import networkx as nx
import pytest

from alliances.analysis.brokerage import (
    broker_table,
    brokerage_roles,
    corridor,
    corridor_cut_text,
    corridors,
    cut_points,
    region_tie_matrix,
)
from alliances.graph import organizations_projection


def _graph(edges, groups, directed=False):
    H = nx.DiGraph() if directed else nx.Graph()
    for n, g in groups.items():
        H.add_node(n, region_group=g, name=f"N{n}")
    H.add_edges_from(edges)
    return H


# ---------------------------------------------------------------------------
# Gould & Fernandez (1989), the five role diagrams of their Figure 1: in each,
# a sends to b, b sends to c, a does not send to c; b is the broker.


@pytest.mark.parametrize("ga,gb,gc,role", [
    ("x", "x", "x", "coordinator"),     # all in b's group
    ("x", "y", "x", "itinerant"),       # a and c share a group b is not in
    ("x", "x", "y", "representative"),  # b represents its group (a's) to c's
    ("x", "y", "y", "gatekeeper"),      # b admits a's flow into its own group
    ("x", "y", "z", "liaison"),         # three different groups
])
def test_each_role_on_a_single_directed_two_path(ga, gb, gc, role):
    H = _graph([("a", "b"), ("b", "c")], {"a": ga, "b": gb, "c": gc}, directed=True)
    roles = brokerage_roles(H)
    assert roles["b"][role] == 1 and roles["b"]["total"] == 1
    assert roles["a"]["total"] == 0 and roles["c"]["total"] == 0


def test_worked_directed_example_counted_by_hand():
    # Groups: A = {1, 2}, B = {3, 4}, C = {5}. Arcs:
    #   1→3, 2→3, 3→4, 4→5, 3→5, 5→1, 1→2
    # Two-paths through each broker b (a→b→c, a≠c, no arc a→c):
    #   b=3: in {1,2}, out {4,5}
    #     1→3→4  groups A,B,B  gatekeeper      (1→4? no)
    #     1→3→5  A,B,C  liaison                (1→5? no)
    #     2→3→4  A,B,B  gatekeeper
    #     2→3→5  A,B,C  liaison
    #   b=4: in {3}, out {5}: 3→4→5 — but 3→5 exists, so not counted.
    #   b=5: in {4,3}, out {1}: 4→5→1 B,C,A liaison; 3→5→1 B,C,A liaison
    #   b=1: in {5}, out {3,2}: 5→1→3 C,A,B liaison; 5→1→2 C,A,A gatekeeper
    #   b=2: in {1}, out {3}: 1→2→3, but 1→3 exists: not counted.
    H = _graph([(1, 3), (2, 3), (3, 4), (4, 5), (3, 5), (5, 1), (1, 2)],
               {1: "A", 2: "A", 3: "B", 4: "B", 5: "C"}, directed=True)
    r = brokerage_roles(H)
    assert (r[3]["gatekeeper"], r[3]["liaison"], r[3]["total"]) == (2, 2, 4)
    assert r[4]["total"] == 0 and r[2]["total"] == 0
    assert (r[5]["liaison"], r[5]["total"]) == (2, 2)
    assert (r[1]["liaison"], r[1]["gatekeeper"], r[1]["total"]) == (1, 1, 2)


def test_undirected_ties_count_both_ways():
    # Star: centre 0 (region z) with leaves 1 (z), 2 (c), 3 (q); leaves untied.
    # Ordered pairs (a, c) of distinct leaves: 6, each a two-path a→0→c.
    #   (1,2): z,z,c representative   (2,1): c,z,z gatekeeper
    #   (1,3): representative         (3,1): gatekeeper
    #   (2,3): c,z,q liaison          (3,2): liaison
    H = _graph([(0, 1), (0, 2), (0, 3)], {0: "z", 1: "z", 2: "c", 3: "q"})
    r = brokerage_roles(H)[0]
    assert r == {"coordinator": 0, "itinerant": 0, "representative": 2, "gatekeeper": 2,
                 "liaison": 2, "total": 6}


def test_closed_triangle_has_no_brokers():
    H = _graph([(0, 1), (1, 2), (0, 2)], {0: "a", 1: "b", 2: "c"})
    assert all(v["total"] == 0 for v in brokerage_roles(H).values())


# ---------------------------------------------------------------------------
# Burt's measures and cut points on a 5-node bowtie with a tail


def test_burt_constraint_and_effective_size_on_a_star():
    # Star with 4 leaves: centre's effective size = n - 2t/n = 4 - 0 = 4;
    # constraint = Σ_j p_ij² = 4 × (1/4)² = 0.25. A leaf: size 1, constraint 1.
    H = _graph([(0, i) for i in range(1, 5)], {i: "a" for i in range(5)})
    rows = {r["id"]: r for r in broker_table(H)}
    assert rows[0]["effective_size"] == pytest.approx(4.0)
    assert rows[0]["constraint"] == pytest.approx(0.25)
    assert rows[1]["effective_size"] == pytest.approx(1.0)
    assert rows[1]["constraint"] == pytest.approx(1.0)


def test_bowtie_cut_points_and_bridges():
    # Two triangles {0,1,2} and {2,3,4} sharing node 2, and a tail 4–5.
    # Articulation points: 2 (joins the triangles) and 4 (holds the tail).
    # Bridges: only 4–5 (every triangle edge lies on a cycle).
    H = _graph([(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (2, 4), (4, 5)], {i: "a" for i in range(6)})
    cuts = cut_points(H)
    assert [a["id"] for a in cuts["articulation_points"]] == [2, 4]
    assert [(b["a"], b["b"]) for b in cuts["bridges"]] == [(4, 5)]
    assert cuts["bridges"][0]["a_name"] == "N4"


def test_region_tie_matrix_by_hand():
    # Path 1(z)–2(z)–3(c)–4(q) with weights 1, 2, 5:
    # z–z: 1 tie weight 1; c–z: 1 tie weight 2; c–q: 1 tie weight 5.
    H = _graph([], {1: "z", 2: "z", 3: "c", 4: "q"})
    H.add_edge(1, 2, weight=1)
    H.add_edge(2, 3, weight=2)
    H.add_edge(3, 4, weight=5)
    assert region_tie_matrix(H) == [
        {"region_a": "c", "region_b": "q", "ties": 1, "weight": 5},
        {"region_a": "c", "region_b": "z", "ties": 1, "weight": 2},
        {"region_a": "z", "region_b": "z", "ties": 1, "weight": 1},
    ]


# ---------------------------------------------------------------------------
# Corridors


def test_corridor_through_a_single_intermediary():
    # z-side {1, 2}, c-side {5}; 1–3, 2–3, 3–4, 4–5 with 3, 4 in "o".
    # Shortest z–c distance: 1→3→4→5 = 3 ties; on shortest paths: 1, 2, 3, 4, 5.
    # Every route passes 3 and 4: node cut {3}, {4} and {5}; ties 3–4 and 4–5 cut.
    H = _graph([(1, 3), (2, 3), (3, 4), (4, 5)], {1: "z", 2: "z", 3: "o", 4: "o", 5: "c"})
    row = corridor(H, "z", "c")
    assert row["distance"] == 3
    assert [n["id"] for n in row["on_shortest_paths"]] == [1, 2, 3, 4, 5]
    assert row["node_independent"] == 1 and row["edge_independent"] == 1
    assert [n["id"] for n in row["cut_nodes"]] == [3, 4, 5]
    assert [(t["a"], t["b"]) for t in row["cut_ties"]] == [(3, 4), (4, 5)]
    assert row["cut"] == "node"


def test_corridor_with_two_independent_routes():
    # z = {1, 2}, c = {5, 6}; routes 1–3–5 and 2–4–6 share nothing.
    # Distance 2; node- and tie-independent routes 2; nothing single cuts it.
    H = _graph([(1, 3), (3, 5), (2, 4), (4, 6)], {1: "z", 2: "z", 3: "o", 4: "o", 5: "c", 6: "c"})
    row = corridor(H, "z", "c")
    assert row["distance"] == 2
    assert row["node_independent"] == 2 and row["edge_independent"] == 2
    assert row["cut_nodes"] == [] and row["cut_ties"] == [] and row["cut"] == "none"
    assert corridor_cut_text(row, "en") == "none: at least 2 independent routes"
    assert corridor_cut_text(row, "zh") == "无：至少 2 条独立路径"


def test_corridor_tie_cut_without_node_cut():
    # z = {1, 2}, c = {3, 4}; ties 1–2, 3–4 inside regions and the single
    # cross tie 2–3. Any route uses tie 2–3 (a tie cut), and nodes 2 and 3.
    # Route count: node-independent 1 (through 2 and 3), tie-independent 1.
    H = _graph([(1, 2), (2, 3), (3, 4)], {1: "z", 2: "z", 3: "c", 4: "c"})
    row = corridor(H, "z", "c")
    assert row["distance"] == 1
    assert [(t["a"], t["b"]) for t in row["cut_ties"]] == [(2, 3)]
    assert [n["id"] for n in row["cut_nodes"]] == [2, 3]


def test_disconnected_corridor():
    H = _graph([(1, 2)], {1: "z", 2: "z", 3: "c"})
    row = corridor(H, "z", "c")
    assert row["distance"] is None and row["cut"] == "disconnected" and row["node_independent"] == 0


# ---------------------------------------------------------------------------
# The bundled network, worked by hand from alliances/data/zigong/*.csv:
#
# Organisations in Chengdu: only yanshikou-committee; in Chongqing: only
# jiefangbei-committee. Shared hubs with more than one organisation:
#   huashang-yanshikou-alliance (MEMBER_OF): huashang, yanshikou
#   xianfeng-agreement (PARTY_TO): huashang, yanshikou
#   mv-shoot (ORGANIZED ×2, PARTICIPATED_IN): huashang, yanshikou, jiefangbei
#   three-place-activity (same): huashang, yanshikou, jiefangbei
# so huashang–yanshikou weight 4, huashang–jiefangbei 2, yanshikou–jiefangbei 2.
# No other Zigong organisation has a tie to any of the three (zone-alliance,
# huashang-alliance have one organisation each; cc-hitech-alliance only the
# Zigong Region). Hence every Zigong–Chengdu and Zigong–Chongqing route
# starts at huashang-committee: it alone (on the Zigong side) cuts both.


@pytest.fixture(scope="module")
def projection(bundled_graph):
    return organizations_projection(bundled_graph)


def test_bundled_tie_matrix(projection):
    # Zigong internal direct ties: 4 BRANCH_OF + MANAGES + GUIDES = 6, weight 6.
    m = {(r["region_a"], r["region_b"]): (r["ties"], r["weight"]) for r in region_tie_matrix(projection)}
    assert m == {("chengdu", "zigong"): (1, 4), ("chongqing", "zigong"): (1, 2),
                 ("chengdu", "chongqing"): (1, 2), ("zigong", "zigong"): (6, 6)}


def test_bundled_yanshikou_and_jiefangbei_tied_directly(projection):
    assert projection.has_edge("yanshikou-committee", "jiefangbei-committee")
    assert sorted(projection["yanshikou-committee"]["jiefangbei-committee"]["via"]) == \
        ["mv-shoot", "three-place-activity"]


def test_bundled_corridors_run_through_huashang(projection):
    rows = {(r["region_a"], r["region_b"]): r for r in corridors(projection)}
    assert list(rows) == [("zigong", "chengdu"), ("zigong", "chongqing"), ("chengdu", "chongqing")]
    zc, zq = rows[("zigong", "chengdu")], rows[("zigong", "chongqing")]
    # Direct ties: distance 1; on the shortest connection the two committees.
    assert zc["distance"] == 1 and zq["distance"] == 1
    assert [n["id"] for n in zc["on_shortest_paths"]] == ["huashang-committee", "yanshikou-committee"]
    assert [n["id"] for n in zq["on_shortest_paths"]] == ["huashang-committee", "jiefangbei-committee"]
    for row in (zc, zq):
        assert "huashang-committee" in [n["id"] for n in row["cut_nodes"]]
        # Two tie-disjoint routes: direct, and through the third region's committee.
        assert row["node_independent"] == 1 and row["edge_independent"] == 2
        assert row["cut_ties"] == []
    zig_cutters = {n["id"] for r in (zc, zq) for n in r["cut_nodes"] if n["region"] == "zigong"}
    assert zig_cutters == {"huashang-committee"}


def test_bundled_no_cross_region_brokers_in_a_closed_triangle(projection):
    # The three cross-region committees form a closed triangle, so no two-path
    # among them is open: zero cross-region brokerage everywhere.
    assert all(r["cross_region"] == 0 for r in broker_table(projection))
    # Articulation points: xindipeier-branch (holds the company and the
    # vanguard team) and zhongxing (holds its branch and the working committee).
    assert [a["id"] for a in cut_points(projection)["articulation_points"]] == ["xindipeier-branch", "zhongxing"]


# ---------------------------------------------------------------------------
# CLI


def test_cli_corridors_json_names_huashang():
    import json

    from click.testing import CliRunner

    from alliances.cli import cli

    res = CliRunner().invoke(cli, ["corridors", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    zc = data["corridors"][0]
    assert (zc["region_a"], zc["region_b"]) == ("zigong", "chengdu")
    assert zc["cut_nodes"][0]["name"] == "自贡华商商圈党委"
    assert data["meta"]["undated_relationships"] == 0  # no --as-of: nothing filtered


def test_cli_brokers_formats_and_as_of():
    import csv
    import io
    import json

    from click.testing import CliRunner

    from alliances.cli import cli

    runner = CliRunner()
    res = runner.invoke(cli, ["brokers", "--format", "json", "--as-of", "2020-06-01"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    # Without the 2020 agreement huashang–yanshikou weight is 3, not 4.
    m = {(r["region_a"], r["region_b"]): r["weight"] for r in data["tie_matrix"]}
    assert m[("chengdu", "zigong")] == 3
    assert data["meta"]["as_of"] == "2020-06-01" and data["meta"]["undated_relationships"] == 43
    out = runner.invoke(cli, ["brokers", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert len(rows) == 15 and {"coordinator", "gatekeeper", "constraint"} <= set(rows[0])
    bad = runner.invoke(cli, ["brokers", "--as-of", "June 2020"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_cli_corridors_subprocess_c_locale():
    from tests.conftest import run_cli

    proc = run_cli("corridors", "--format", "markdown", "--lang", "en", env={"LANG": "C", "LC_ALL": "C"})
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    out = proc.stdout.decode("utf-8")
    assert "| Zigong–Chengdu | 1 | 自贡华商商圈党委; 成都盐市口商圈综合党委 |" in out  # region names, not ids
    assert "zigong" not in out and "| regions | distance | on shortest paths |" in out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_independent_routes_igraph_equals_networkx(seed):
    import random

    from alliances.analysis.brokerage import independent_routes

    H = nx.powerlaw_cluster_graph(120, 2, 0.3, seed=seed)
    rng = random.Random(seed)
    groups = {n: rng.choice("zcq") for n in H}
    A = [n for n in H if groups[n] == "z"]
    B = [n for n in H if groups[n] == "c"]
    assert independent_routes(H, A, B, engine="igraph") == independent_routes(H, A, B, engine="networkx")


def test_independent_routes_by_hand_both_engines():
    from alliances.analysis.brokerage import independent_routes

    # A = {1, 2}, B = {5}; ties 1–3, 2–3, 3–5, 1–4, 4–5: node-disjoint routes
    # 1–4–5 and 2–3–5 share 5 (a B node), so only 1 node-disjoint (5 is on
    # every route); tie-disjoint: 3–5 and 4–5 → 2.
    H = nx.Graph([(1, 3), (2, 3), (3, 5), (1, 4), (4, 5)])
    for engine in ("igraph", "networkx"):
        assert independent_routes(H, [1, 2], [5], engine=engine) == (1, 2)
