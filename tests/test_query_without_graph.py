"""``show`` and ``search`` answer from the dataset's rows: no whole graph, the graph's answer."""

from __future__ import annotations

import random

import pytest

from alliances import query
from alliances.dataset import read_dataset
from alliances.generate import generate_dataset
from alliances.graph import build_graph
from alliances.network import Network
from alliances.resolve import search
from alliances.source import GraphSource


def sources(ds):
    """A source whose network never built its graph, and one whose graph is built (the reference)."""
    lazy = GraphSource(_network=Network(ds))
    G = build_graph(ds)
    return lazy, GraphSource(_network=Network(ds, graph=G)), G


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "ds"
    generate_dataset(out, 400, seed=5)
    return read_dataset(out)


def test_show_equals_the_graphs_answer_for_every_bundled_node(bundled):
    lazy, built, _ = sources(bundled)
    for nid in bundled.nodes:
        assert query.show_node(lazy, nid) == query.show_node(built, nid), nid
    assert not lazy.network().has_graph


def test_show_equals_the_graphs_answer_on_a_generated_network(generated):
    lazy, built, _ = sources(generated)
    for nid in random.Random(2).sample(sorted(generated.nodes), 60):
        assert query.show_node(lazy, nid) == query.show_node(built, nid), nid
    assert not lazy.network().has_graph


@pytest.mark.parametrize("text", ["自贡", "商圈", "alliance", "党委", "CHENGDU", "nothing-like-this"])
def test_search_equals_the_graphs_answer(bundled, text):
    lazy, _, G = sources(bundled)
    want = [query.node_summary(G, n) for n in search(G, text, limit=50)]
    assert query.search_nodes(lazy, text, limit=50) == want
    assert not lazy.network().has_graph


def test_search_on_a_generated_network(generated):
    lazy, _, G = sources(generated)
    for text in ["党支部", "商圈", "联盟", "co"]:
        want = [query.node_summary(G, n) for n in search(G, text, limit=30)]
        assert query.search_nodes(lazy, text, limit=30) == want
    assert not lazy.network().has_graph
