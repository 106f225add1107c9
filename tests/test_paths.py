"""Partnership paths: tiny graphs and the bundled network, worked out by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from alliances.paths import find_paths
from alliances.resolve import resolve
from alliances.errors import NameResolutionError


def tiny():
    """a —MEMBER_OF→ X ←MEMBER_OF— b ; a —LOCATED_IN→ city ←LOCATED_IN— c ; b —GUIDES→ c."""
    G = nx.MultiDiGraph()
    for n, label in [("a", "Organization"), ("b", "Organization"), ("c", "Organization"),
                     ("X", "Alliance"), ("city", "Region")]:
        G.add_node(n, label=label, name=n.upper(), aliases=[])
    for s, t, k in [("a", "X", "MEMBER_OF"), ("b", "X", "MEMBER_OF"), ("a", "city", "LOCATED_IN"),
                    ("c", "city", "LOCATED_IN"), ("b", "c", "GUIDES")]:
        G.add_edge(s, t, key=k, start=s, type=k, end=t)
    return G


def test_shortest_path_uses_partnership_ties_not_a_shared_city():
    # a–city–c would be 2 hops, but a city is no partner: a–X–b–c is 3 hops.
    [p] = find_paths(tiny(), "a", "c")
    assert p["nodes"] == ["a", "X", "b", "c"]
    assert [r["type"] for r in p["relationships"]] == ["MEMBER_OF", "MEMBER_OF", "GUIDES"]


def test_via_geography_finds_the_shared_city():
    [p] = find_paths(tiny(), "a", "c", via=["LOCATED_IN"])
    assert p["nodes"] == ["a", "city", "c"]


def test_k_alternatives_in_length_order_and_max_hops():
    paths = find_paths(tiny(), "a", "c", k=5, via=["LOCATED_IN", "MEMBER_OF", "GUIDES"])
    assert [p["nodes"] for p in paths] == [["a", "city", "c"], ["a", "X", "b", "c"]]
    assert find_paths(tiny(), "a", "c", max_hops=2) == []


def test_no_path_is_an_empty_list():
    G = tiny()
    G.remove_edge("b", "c", "GUIDES")
    assert find_paths(G, "a", "c") == []


# ---------------------------------------------------------------------------
# The bundled network (relationships.csv read by hand)


def test_huashang_to_jiefangbei_is_two_hops_through_a_joint_activity(bundled_graph):
    # 华商 ORGANIZED the MV shoot and the planned three-place activity (¶17);
    # 解放碑 PARTICIPATED_IN both. Nothing ties them in one hop.
    paths = find_paths(bundled_graph, "huashang-committee", "jiefangbei-committee", k=3)
    assert [p["hops"] for p in paths[:2]] == [2, 2]
    assert {p["nodes"][1] for p in paths[:2]} == {"mv-shoot", "three-place-activity"}
    # the third: through 盐市口 (4 hops: 华商–activity–盐市口–activity–解放碑)
    assert paths[2]["hops"] == 4 and "yanshikou-committee" in paths[2]["nodes"]


def test_zhongxing_branch_to_jiefangbei_has_no_partnership_path(bundled_graph):
    # The branch's partners: its enterprise, 陈桂芳, the working committee, the zone
    # alliance and its co-building activities; none reaches the business circles.
    assert find_paths(bundled_graph, "zhongxing-branch", "jiefangbei-committee") == []


def test_zhongxing_branch_to_jiefangbei_through_geography(bundled_graph):
    # branch → 中兴耐磨 → 高新区 → 自贡 ← 华商商圈党委 → MV ← 解放碑 (6 hops)
    from alliances.model import PARTNERSHIP_TYPES

    via = [*PARTNERSHIP_TYPES, "LOCATED_IN", "PART_OF", "HELD_IN"]
    [p] = find_paths(bundled_graph, "zhongxing-branch", "jiefangbei-committee", via=via)
    assert p["hops"] == 6
    assert p["nodes"][:4] == ["zhongxing-branch", "zhongxing", "zg-hitech-zone", "zigong"]
    assert p["nodes"][4] == "huashang-committee" and p["nodes"][-1] == "jiefangbei-committee"
    assert p["nodes"][5] in {"mv-shoot", "three-place-activity"}


def test_regions_and_zones_never_appear_on_a_default_path(bundled_graph):
    ids = list(bundled_graph.nodes)
    for a in ids:
        for b in ("huashang-committee", "zone-working-committee"):
            for p in find_paths(bundled_graph, a, b):
                labels = {bundled_graph.nodes[n]["label"] for n in p["nodes"][1:-1]}
                assert not labels & {"Region", "Zone"}


@pytest.mark.parametrize("text, expected", [
    ("huashang-committee", "huashang-committee"),
    ("自贡华商商圈党委", "huashang-committee"),
    ("华商商圈党委", "huashang-committee"),  # alias
    ("Party Committee of the Chongqing Jiefangbei Business Circle", "jiefangbei-committee"),
    ("comprehensive party committee of the chengdu", "yanshikou-committee"),  # unique part, any case
    ("ＺＩＧＯＮＧ", "zigong"),  # full-width English name folds
])
def test_names_resolve(bundled_graph, text, expected):
    assert resolve(bundled_graph, text) == expected


def test_ambiguous_and_unknown_names_list_candidates(bundled_graph):
    with pytest.raises(NameResolutionError) as info:
        resolve(bundled_graph, "解放碑")
    assert set(info.value.candidates) == {
        "重庆解放碑商圈 (jiefangbei-circle, BusinessCircle)",
        "重庆解放碑商圈党委 (jiefangbei-committee, Organization)",
    }
    with pytest.raises(NameResolutionError, match="no node matches"):
        resolve(bundled_graph, "不存在的组织")


def ties():
    """Two 3-hop ways from s to t, added so that the later ids come first in adjacency order:

    s —MANAGES→ c —MANAGES→ p —MANAGES→ t   and   s —MANAGES→ b —MANAGES→ q —MANAGES→ t
    plus a third 3-hop way s — c — a — t. Smallest in node-id order: s, b, q, t
    (b < c decides at the second node although p < q and a < q).
    """
    G = nx.MultiDiGraph()
    for n in ["t", "s", "q", "p", "c", "b", "a"]:
        G.add_node(n, label="Organization", name=n, aliases=[])
    for a, b in [("s", "c"), ("c", "p"), ("p", "t"), ("c", "a"), ("a", "t"), ("s", "b"), ("b", "q"), ("q", "t")]:
        G.add_edge(a, b, key="MANAGES", start=a, type="MANAGES", end=b)
    return G


def test_equally_short_paths_are_broken_by_node_ids_whatever_the_insertion_order():
    G = ties()
    assert [p["nodes"] for p in find_paths(G, "s", "t")] == [["s", "b", "q", "t"]]
    assert [p["nodes"] for p in find_paths(G, "t", "s")] == [["t", "a", "c", "s"]]
    R = nx.MultiDiGraph()
    R.add_nodes_from(reversed(list(G.nodes(data=True))))
    R.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    assert find_paths(R, "s", "t") == find_paths(G, "s", "t")
    assert [p["nodes"] for p in find_paths(G, "s", "t", k=2)] == [["s", "b", "q", "t"], ["s", "c", "a", "t"]]
    assert [p["nodes"] for p in find_paths(G, "s", "t", k=5)] == [
        ["s", "b", "q", "t"], ["s", "c", "a", "t"], ["s", "c", "p", "t"]]


def _smallest_shortest_path_by_brute_force(P, s, t):
    """Reference: every shortest path (networkx), the least in node-id order."""
    return min(nx.all_shortest_paths(P, s, t), key=list)


@pytest.mark.parametrize("seed", range(6))
def test_bidirectional_search_gives_the_least_shortest_path_in_id_order(seed):
    import random

    from alliances.paths import first_shortest_path

    rng = random.Random(seed)
    # sparse random graphs with hubs and several components; string ids of mixed lengths
    P = nx.relabel_nodes(nx.gnm_random_graph(300, 330 + 40 * seed, seed=seed), lambda i: f"n{i * 7919 % 1000}")
    hubs = rng.sample(list(P), 3)
    for h in hubs:
        for v in rng.sample(list(P), 25):
            if v != h:
                P.add_edge(h, v)
    nodes = sorted(P)
    checked = unreachable = 0
    for _ in range(400):
        s, t = rng.choice(nodes), rng.choice(nodes)
        if not nx.has_path(P, s, t):
            with pytest.raises(nx.NetworkXNoPath):
                first_shortest_path(P, s, t)
            unreachable += 1
            continue
        assert first_shortest_path(P, s, t) == _smallest_shortest_path_by_brute_force(P, s, t), (s, t)
        checked += 1
    assert checked > 250 and unreachable > 0


def test_path_from_arrays_equals_find_paths_pair_by_pair(tmp_path):
    import random

    from alliances.dataset import read_dataset
    from alliances.generate import generate_dataset
    from alliances.graph import build_graph
    from alliances.paths import find_path_arrays

    generate_dataset(tmp_path / "g", 1500, seed=7)
    ds = read_dataset(tmp_path / "g")
    G = build_graph(ds)
    ids = list(ds.nodes)
    rng = random.Random(7)
    pairs = [(rng.choice(ids), rng.choice(ids)) for _ in range(150)]
    pairs += [("org-3", "org-3"), ("zigong", "org-3"), ("org-3", "org-1400")]
    found = 0
    for a, b in pairs:
        for hops in (None, 3):
            expected = find_paths(G, a, b, max_hops=hops)
            assert find_path_arrays(ds, a, b, max_hops=hops) == expected, (a, b, hops)
            found += bool(expected)
    assert found > 100


def test_path_query_on_a_large_dataset_uses_the_arrays_and_gives_the_same_answer(tmp_path, monkeypatch):
    from alliances import network, query
    from alliances.generate import generate_dataset
    from alliances.source import GraphSource

    generate_dataset(tmp_path / "g", 1500, seed=8)
    expected = query.path_query(GraphSource(str(tmp_path / "g")), "org-10", "org-900")
    source = GraphSource(str(tmp_path / "g"))  # a fresh network: its graph is not built
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(path_arrays=0))
    built = []
    # the whole graph is never built
    monkeypatch.setattr(network.Network, "graph", property(lambda self: built.append(1)))
    assert query.path_query(source, "org-10", "org-900") == expected
    assert query.path_query(source, "org-10", "org-900", max_hops=1)["paths"] == []
    assert built == [] and expected["paths"] and expected["from"]["region_group"]
