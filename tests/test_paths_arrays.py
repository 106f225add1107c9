"""``path --via`` on the arrays equals networkx's answer pair by pair (the graph is never built)."""

from __future__ import annotations

import random

import pytest

from alliances import network
from alliances.dataset import read_dataset
from alliances.generate import generate_dataset
from alliances.graph import build_graph
from alliances.network import Network
from alliances.paths import find_path_arrays, find_paths, network_paths

VIAS = [("MEMBER_OF", "PARTICIPATED_IN"), ("PARTY_TO", "MEMBER_OF", "FOUNDED"),
        ("LOCATED_IN", "PART_OF", "MEMBER_OF"), ("GUIDES", "BRANCH_OF", "MANAGES", "MEMBER_OF")]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("p") / "g"
    generate_dataset(folder, 1200, seed=4)
    return read_dataset(folder)


@pytest.mark.parametrize("via", VIAS)
def test_via_paths_on_arrays_equal_find_paths_pair_by_pair(generated, via):
    G = build_graph(generated)
    net = Network(generated)
    ids = list(generated.nodes)
    rng = random.Random(len(via))
    pairs = [(rng.choice(ids), rng.choice(ids)) for _ in range(80)] + [("org-3", "org-3"), ("zigong", "org-3")]
    found = 0
    for a, b in pairs:
        for hops in (None, 2):
            expected = find_paths(G, a, b, max_hops=hops, via=via)
            assert find_path_arrays(net, a, b, max_hops=hops, via=via) == expected, (a, b, via, hops)
            found += bool(expected)
    assert found >= 4  # not a vacuous check: some pairs are joined through these types


def test_a_large_network_answers_via_on_the_arrays_without_the_graph(generated, monkeypatch):
    ref = Network(generated)
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(path_arrays=0))
    net = Network(generated)
    via = ("LOCATED_IN", "PART_OF", "PARTICIPATED_IN")
    assert net.paths_on_arrays(via=via) and net.paths_on_arrays(k=2)  # k shortest too (test_paths_k_arrays)
    _, got = network_paths(net, "org-10", "org-900", via=via)
    assert not net.has_graph
    assert got == find_paths(ref.graph, "org-10", "org-900", via=via) and got
    assert {r["type"] for p in got for r in p["relationships"]} <= set(via)


def test_a_node_to_itself_is_the_node_on_the_arrays_as_on_the_graph(bundled):
    # a region takes no part in partnerships, yet a path from it to itself is it, as the graph says
    from alliances.paths import find_k_path_arrays, find_weighted_path_arrays, find_weighted_paths

    net = Network(bundled)
    for node in ("sichuan", "huashang-committee"):
        assert find_path_arrays(net, node, node) == find_paths(net.graph, node, node) == [
            {"hops": 0, "nodes": [node], "relationships": []}]
        assert find_k_path_arrays(net, node, node, k=2) == find_paths(net.graph, node, node, k=2)
        assert find_weighted_path_arrays(net, node, node) == find_weighted_paths(net.graph, node, node)
        assert find_k_path_arrays(net, node, node, k=2, weighted=True) == find_weighted_paths(net.graph, node, node,
                                                                                                k=2)
