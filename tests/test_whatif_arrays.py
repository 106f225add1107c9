"""whatif on the arrays: each shortcut gives what a full recompute (networkx, the reference) gives.

The arrays path measures the state before once and, after a removal, recomputes only what
can change (alliances/analysis/whatif.py: _compare_views). Each test below builds random
graphs with several components, removes nodes or ties in one part, and compares against
networkx on the graph after the removal.
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from alliances import engine, network
from alliances.analysis import brokerage, whatif
from alliances.dataset import read_dataset
from alliances.generate import generate_dataset
from alliances.network import Network

from tests.test_brokerage_arrays import GROUPS, labelled

SIZES = [(60, 150), (30, 60), (12, 20), (6, 7)]  # nodes and ties of each component


def components_graph(seed: int) -> nx.Graph:
    """Four random components (largest first, each made connected) and three isolates, labelled."""
    parts = []
    for i, (k, m) in enumerate(SIZES):
        G = nx.gnm_random_graph(k, m, seed=seed * 10 + i)
        nodes = list(G)
        for a, b in zip(nodes, nodes[1:]):  # one component each
            if not nx.has_path(G, a, b):
                G.add_edge(a, b)
        parts.append(G)
    G = nx.disjoint_union_all(parts)
    G.add_nodes_from(range(len(G), len(G) + 3))
    return labelled(G, seed)


def part(H, index: int) -> list:
    """The nodes of the index-th largest component."""
    return sorted(sorted(nx.connected_components(H), key=len, reverse=True)[index])


def cut(H, nodes=(), ties=()) -> nx.Graph:
    H2 = H.copy()
    H2.remove_nodes_from(nodes)
    H2.remove_edges_from(ties)
    return H2


def scenarios(H, seed: int):
    """(nodes, ties) removals: in the smallest component, the largest, a tie, two parts at once, nothing."""
    rng = random.Random(seed)
    small, big, mid = part(H, 3), part(H, 0), part(H, 1)
    tie_in_mid = sorted(H.edges(mid))[rng.randrange(len(H.edges(mid)))]
    return [
        ([rng.choice(small)], []),
        ([max(big, key=H.degree)], []),
        ([], [tie_in_mid]),
        ([rng.choice(small)], [tie_in_mid]),
        (rng.sample(big, 3), []),
        ([], []),
    ]


@pytest.mark.parametrize("seed", range(4))
def test_whatif_on_views_equals_networkx_on_random_graphs_with_components(seed):
    H = components_graph(seed)
    for nodes, ties in scenarios(H, seed):
        H2 = cut(H, nodes, ties)
        ref = whatif._compare_graphs(H, H2, nodes, top=5)  # networkx: below the engine threshold
        got = whatif._compare_views(brokerage.view_of(H), brokerage.view_of(H2), nodes, top=5)
        assert got == ref, (nodes, ties)


def test_whatif_on_views_when_corridors_lengthen_and_break():
    # zigong x0 reaches chengdu by x0-m-y0 (2 ties) or x0-a-b-y1 (3); chongqing only through x5
    H = components_graph(3)
    ties = [("x0", "m"), ("m", "y0"), ("x0", "a"), ("a", "b"), ("b", "y1"), ("x5", "z0"), ("x0", "x5"),
            ("z0", "z1"), ("y0", "y1")]
    H.add_edges_from(ties)
    for n in ("x0", "x5", "m", "a", "b", "y0", "y1", "z0", "z1"):
        H.nodes[n].update(name=n, region_group={"x": "zigong", "y": "chengdu", "z": "chongqing"}.get(n[0], "other"))
    for n in list(H):  # the random part in a fifth region, so the hand-built corridors decide
        if n.startswith("n"):
            H.nodes[n]["region_group"] = "neijiang"
    seen = set()
    for nodes, gone_ties in ((["m"], []), ([], [("m", "y0")]), (["x5"], []), (["m", "x5"], []), (["a"], [])):
        H2 = cut(H, nodes, gone_ties)
        ref = whatif._compare_graphs(H, H2, nodes, top=5)
        assert whatif._compare_views(brokerage.view_of(H), brokerage.view_of(H2), nodes, top=5) == ref
        seen |= {r["change"] for r in ref["corridors"]}
    assert {"lengthened", "broken", "unchanged"} <= seen


def test_an_added_tie_makes_everything_after_computed_afresh():
    # a hub falling below Thresholds.hub_members ties its members: the state after has ties the
    # one before lacks, and no shortcut may assume removal only
    H = components_graph(7)
    a, b = part(H, 0)[0], part(H, 2)[0]
    H2 = cut(H, [part(H, 3)[0]])
    H2.add_edge(a, b)
    assert whatif._removal(brokerage.view_of(H), brokerage.view_of(H2)) is None
    ref = whatif._compare_graphs(H, H2, [], top=5)
    assert whatif._compare_views(brokerage.view_of(H), brokerage.view_of(H2), [], top=5) == ref
    assert any(r["change"] == "restored" or r["routes_after"] > r["routes_before"] for r in ref["corridors"]) \
        or ref["largest_component"]["after"] > ref["largest_component"]["before"]


@pytest.mark.parametrize("seed", range(4))
def test_betweenness_after_a_removal_in_one_component_keeps_the_others_and_equals_a_full_recompute(seed):
    H = components_graph(seed)
    rng = random.Random(seed)
    nodes = [rng.choice(part(H, 2))]
    H2 = cut(H, nodes)
    V, V2 = brokerage.view_of(H), brokerage.view_of(H2)
    bc = engine.scores_arrays(V.P, metrics=("betweenness",))["betweenness"]
    removal = whatif._removal(V, V2)
    redo, sub = whatif._betweenness_after_part(V, V2, removal, engine_components(V))
    assert sub.n == len(part(H, 2)) - 1  # only the touched component is computed again
    assert sorted(V2.P.ids[i] for i in redo) == sorted(set(part(H, 2)) - set(nodes))
    got = whatif._betweenness_after(V, V2, removal, bc, redo,
                                    engine.scores_arrays(sub, metrics=("betweenness",))["betweenness"])
    ref = nx.betweenness_centrality(H2, normalized=True)
    assert np.allclose(got, [ref[n] for n in V2.P.ids], rtol=0, atol=1e-12)
    # the untouched components: the scores before, rescaled from n to n - 1 nodes
    n = V.n
    untouched = [i for i, x in enumerate(V2.P.ids) if x not in set(part(H, 2))]
    before = {x: b for x, b in zip(V.P.ids, bc.tolist())}
    scale = (n - 1) * (n - 2) / ((n - 2) * (n - 3))
    assert untouched and np.allclose([got[i] for i in untouched],
                                     [before[V2.P.ids[i]] * scale for i in untouched], rtol=1e-14, atol=0)


@pytest.mark.parametrize("seed", range(4))
def test_warm_started_routes_after_a_removal_equal_a_fresh_maximum_flow(seed):
    # node_routes_without: the flow before, less its units through the removed nodes and ties,
    # then augmented, gives the node-disjoint routes of the graph after (a fresh flow, networkx)
    H = components_graph(seed)
    rng = random.Random(seed)
    big = part(H, 0)
    leaves = [n for n in big if H.degree(n) == 1] or [min(big, key=H.degree)]
    hub = max(big, key=H.degree)
    tie = sorted(H.edges(big))[rng.randrange(len(H.edges(big)))]
    cases = [([hub], []), ([rng.choice(leaves)], []), ([], [tie]), (rng.sample(big, 2), []),
             ([hub], [tie] if hub not in tie else []), ([], [])]
    V = brokerage.view_of(H)
    index = {x: i for i, x in enumerate(V.P.ids)}
    warm = 0
    for nodes, ties in cases:
        H2 = cut(H, nodes, ties)
        V2 = brokerage.view_of(H2)
        removal = whatif._removal(V, V2)
        for a, b in [("zigong", "chengdu"), ("chengdu", "chongqing"), ("zigong", "other")]:
            A = [index[x] for x in V.P.ids if H.nodes[x]["region_group"] == a]
            B = [index[x] for x in V.P.ids if H.nodes[x]["region_group"] == b]
            value, used, flow = engine.node_routes_arrays(V.csr, A, B, nodes=removal["nodes"],
                                                          ties=removal["ties"], keep=True)
            A2 = [x for x in H2 if H2.nodes[x]["region_group"] == a]
            B2 = [x for x in H2 if H2.nodes[x]["region_group"] == b]
            want = brokerage.independent_routes(H2, A2, B2, engine="networkx")[0]
            index2 = {x: i for i, x in enumerate(V2.P.ids)}
            assert engine.node_routes_arrays(V2.csr, [index2[x] for x in A2], [index2[x] for x in B2])[0] == want
            if not used:
                assert flow is None and value == want, (nodes, ties, a, b)
                continue
            warm += 1
            got = engine.node_routes_without(V.n, flow, value, nodes=removal["nodes"], ties=removal["ties"])
            assert got == want, (nodes, ties, a, b)
    assert warm  # the hub at least carried some flow


def engine_components(V):
    from scipy.sparse.csgraph import connected_components

    return connected_components(V.csr_matrix(), directed=False)[1]


@pytest.mark.parametrize("seed", range(4))
def test_cross_region_brokers_equal_the_broker_tables_cross_region_column(seed):
    G = nx.gnm_random_graph(120, 300 + 150 * seed, seed=seed)
    G.add_nodes_from(range(120, 124))
    H = labelled(G, seed, GROUPS if seed else ["zigong"])
    V = brokerage.view_of(H)
    codes: dict = {}
    got = engine.cross_region_brokers(V.P, [codes.setdefault(g, len(codes)) for g in V.groups])
    ref = {r["id"] for r in brokerage.broker_table(H) if r["cross_region"]}
    assert {V.P.ids[i] for i in np.flatnonzero(got)} == ref
    assert ref or not seed  # one group: nobody brokers across regions


def test_cross_region_brokers_on_published_graphs():
    for G in (nx.karate_club_graph(), nx.les_miserables_graph(), nx.florentine_families_graph()):
        H = labelled(nx.convert_node_labels_to_integers(nx.Graph(G)), 7)
        V = brokerage.view_of(H)
        codes: dict = {}
        got = engine.cross_region_brokers(V.P, [codes.setdefault(g, len(codes)) for g in V.groups])
        assert {V.P.ids[i] for i in np.flatnonzero(got)} == \
            {r["id"] for r in brokerage.broker_table(H) if r["cross_region"]}


@pytest.mark.parametrize("seed", range(3))
def test_routes_stay_when_the_flow_found_leaves_the_removed_nodes_alone(seed):
    H = components_graph(seed)
    V = brokerage.view_of(H)
    members = {g: [i for i, x in enumerate(V.groups) if x == g] for g in set(V.groups)}
    rng = random.Random(seed)
    kept = 0
    for a, b in [(a, b) for a in sorted(members) for b in sorted(members) if a < b]:
        for x in rng.sample(range(V.n), 8):
            value, used = engine.node_routes_arrays(V.csr, members[a], members[b], nodes=[x])
            ref = brokerage.independent_routes(H, [V.P.ids[i] for i in members[a]],
                                               [V.P.ids[i] for i in members[b]], engine="networkx")[0]
            assert value == ref
            H2 = cut(H, [V.P.ids[x]])
            after = brokerage.independent_routes(
                H2, [n for n in H2 if H2.nodes[n]["region_group"] == a],
                [n for n in H2 if H2.nodes[n]["region_group"] == b], engine="networkx")[0]
            assert after in (value, value - 1)
            if not used:
                kept += 1
                assert after == value
    assert kept  # some removals left the flow alone


def test_the_scenarios_arrays_equal_reading_its_cut_dataset(tmp_path):
    generate_dataset(tmp_path / "g", 300, seed=4)
    ds = read_dataset(tmp_path / "g")
    net = Network(ds)
    rel = next(r for r in ds.relationships if ds.nodes[r["start"]]["label"] == "Organization"
               and ds.nodes[r["end"]]["label"] == "Organization")
    scene, _ = net.scenario(without=["org-3", "alliance-1"], without_ties=[(rel["start"], rel["end"])])
    got = scene.arrays
    ref = engine.arrays_from_dataset(scene.dataset)
    assert got.ids == ref.ids
    for field in ("labels", "src", "dst", "types"):
        assert np.array_equal(getattr(got, field), getattr(ref, field)), field
    assert (got.weight is None) == (ref.weight is None) or np.array_equal(got.weight, np.ones(len(got.src)))
    if ref.weight is not None:
        assert np.array_equal(got.weight, ref.weight)
    assert len(got.src) < len(net.arrays.src)


def test_whatif_on_a_generated_network_with_a_removal_in_a_small_component(monkeypatch, tmp_path):
    generate_dataset(tmp_path / "g", 500, seed=9)
    ds = read_dataset(tmp_path / "g")
    ref_net = Network(ds)
    H, _ = whatif.organisations_view(ref_net.graph)
    comps = sorted(nx.connected_components(H), key=len)
    lone = next((c for c in comps if len(c) >= 2), None) or comps[-1]
    who = sorted(lone)[:1] + [max(comps[-1], key=H.degree)]
    ref = whatif.what_if(ref_net.graph, without=who)
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(engine=50))
    got = whatif.what_if(Network(ds), without=who)
    assert got == ref


def test_distinct_is_numpys_unique():
    rng = np.random.default_rng(1)
    for x in (rng.integers(0, 50, 400), rng.integers(-5, 5, 3), np.zeros(0, dtype=np.int64)):
        assert np.array_equal(engine.distinct(x), np.unique(x))
