"""``path --k`` on the arrays (Yen's k shortest simple paths on the partnership CSR): equal to the
graph's answer pair by pair, and a valid set of k shortest simple paths by networkx's
``shortest_simple_paths`` (lengths equal, each path simple and real, no duplicates), unweighted and
weighted, with ``--via`` and ``--max-hops``; the graph is never built."""

from __future__ import annotations

import csv
import json
import random
from itertools import islice

import networkx as nx
import pytest
from click.testing import CliRunner

from alliances import model, network
from alliances.cli import cli
from alliances.dataset import read_dataset, write_dataset
from alliances.generate import generate_dataset
from alliances.network import Network
from alliances.paths import find_k_path_arrays, find_paths, find_weighted_paths, yen_paths
from alliances.order import path_order
from tests.test_paths_weighted import _reference


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("k") / "g"
    generate_dataset(folder, 1200, seed=4)
    return read_dataset(folder)


@pytest.fixture(scope="module")
def weighted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kw")
    ds = read_dataset(generate_dataset(tmp / "gen", 400, seed=6)["path"])
    rng = random.Random(9)
    for rel in ds.relationships:
        rel["weight"] = rng.choice([1, 2, 3, 0.5, round(rng.uniform(0.1, 10), 3)])  # ties of equal length too
        if rng.random() < 0.3:
            rel["count"] = rng.randint(1, 4)
    return read_dataset(write_dataset(ds, tmp / "weighted"))


def _assert_valid(H, a, b, got, k, *, weight=None):
    """``got`` is a set of k shortest simple paths of ``H``: lengths equal networkx's first k, each
    path simple and along real ties, no duplicates, shortest first."""
    cost = (lambda p: len(p) - 1) if weight is None else (lambda p: nx.path_weight(H, p, weight))
    want = [cost(p) for p in islice(nx.shortest_simple_paths(H, a, b, weight=weight), k)]
    nodes = [p["nodes"] for p in got]
    assert [cost(p) for p in nodes] == pytest.approx(want, rel=1e-9), (a, b)
    assert len({tuple(p) for p in nodes}) == len(nodes)
    for p in nodes:
        assert p[0] == a and p[-1] == b and len(set(p)) == len(p)
        assert all(H.has_edge(x, y) for x, y in zip(p, p[1:]))


def _pairs(H, rng, n):
    big = sorted(max(nx.connected_components(H), key=len))
    return [tuple(rng.sample(big, 2)) for _ in range(n)]


@pytest.mark.parametrize("k", [2, 3, 6])
def test_k_paths_on_the_arrays_equal_the_graphs_pair_by_pair(generated, k):
    H = _reference(generated)
    net, G = Network(generated), Network(generated).graph
    rng = random.Random(k)
    for a, b in _pairs(H, rng, 25):
        got = find_k_path_arrays(net, a, b, k=k)
        assert got == find_paths(G, a, b, k=k), (a, b)
        _assert_valid(H, a, b, got, k)
        assert [p["nodes"] for p in got] == sorted((p["nodes"] for p in got), key=path_order)
        for p in got:  # each hop explained by a real relationship between its two nodes
            for (x, y), rel in zip(zip(p["nodes"], p["nodes"][1:]), p["relationships"]):
                assert {rel["start"], rel["end"]} == {x, y} and rel["type"] in model.PARTNERSHIP_TYPES
    assert not net.has_graph


@pytest.mark.parametrize("via", [("MEMBER_OF", "PARTICIPATED_IN"), ("LOCATED_IN", "PART_OF", "MEMBER_OF")])
def test_k_paths_with_via_and_max_hops(generated, via):
    H = _reference(generated, via)
    net, G = Network(generated), Network(generated).graph
    rng = random.Random(len(via))
    for a, b in _pairs(H, rng, 15):
        got = find_k_path_arrays(net, a, b, k=4, via=via)
        assert got == find_paths(G, a, b, k=4, via=via)
        _assert_valid(H, a, b, got, 4)
        hops = got[0]["hops"]
        cut = find_k_path_arrays(net, a, b, k=4, via=via, max_hops=hops)
        assert cut == find_paths(G, a, b, k=4, via=via, max_hops=hops) == [p for p in got if p["hops"] <= hops]
    assert find_k_path_arrays(net, "org-1", "org-1", k=3, via=via) == find_paths(G, "org-1", "org-1", k=3, via=via)


def test_k_weighted_paths_on_the_arrays_equal_the_graphs_and_networkx(weighted):
    H = _reference(weighted)
    net, G = Network(weighted), Network(weighted).graph
    rng = random.Random(2)
    for a, b in _pairs(H, rng, 25):
        for k in (2, 5):
            got = find_k_path_arrays(net, a, b, k=k, weighted=True)
            ref = find_weighted_paths(G, a, b, k=k)
            assert [p["nodes"] for p in got] == [p["nodes"] for p in ref], (a, b, k)
            assert [p["relationships"] for p in got] == [p["relationships"] for p in ref]
            assert [p["length"] for p in got] == pytest.approx([p["length"] for p in ref], rel=1e-12)
            _assert_valid(H, a, b, got, k, weight="length")
            for p in got:
                assert p["strengths"] == pytest.approx([H[x][y]["strength"] for x, y in zip(p["nodes"], p["nodes"][1:])])
        hops = got[0]["hops"]
        assert [p["nodes"] for p in find_k_path_arrays(net, a, b, k=5, weighted=True, max_hops=hops)] == \
            [p["nodes"] for p in find_weighted_paths(G, a, b, k=5, max_hops=hops)]


def _folder(tmp_path, node_ids, ties):
    """Organisations (written in the order given, so the neighbours' order is theirs) and GUIDES ties."""
    folder = tmp_path / "hand"
    folder.mkdir()
    (folder / "sources.csv").write_text("id,title,publisher,published,file,paragraphs\ns1,测试来源,,,,\n",
                                        encoding="utf-8")
    with open(folder / "nodes.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "label", "name", "name_en", "kind", "region", "date", "date_note", "status", "aliases",
                    "description", "source", "paragraphs"])
        for n in node_ids:
            w.writerow([n, "Organization", f"组织{n}", f"Org {n}", "enterprise", "", "", "", "", "", "", "s1", "1"])
    with open(folder / "relationships.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["start", "type", "end", "role", "date", "date_note", "status", "source", "paragraphs"])
        for s, e in ties:
            w.writerow([s, "GUIDES", e, "", "", "", "", "s1", "1"])
    return folder


def test_equally_short_paths_come_in_node_id_order_by_hand(tmp_path):
    """s reaches t through m1..m4 in two hops, and through x–y in three. Written m4 first, so a search
    that follows the neighbours' order would meet m4 first; the answer is in id order."""
    ties = [("s", "m4"), ("m4", "t"), ("s", "m2"), ("m2", "t"), ("s", "x"), ("x", "y"), ("y", "t"),
            ("s", "m3"), ("m3", "t"), ("s", "m1"), ("m1", "t")]
    net = Network(read_dataset(_folder(tmp_path, ["t", "y", "x", "m4", "m3", "m2", "m1", "s"], ties)))
    got = [p["nodes"] for p in find_k_path_arrays(net, "s", "t", k=6)]
    assert got == [["s", "m1", "t"], ["s", "m2", "t"], ["s", "m3", "t"], ["s", "m4", "t"], ["s", "x", "y", "t"]]
    assert [p["nodes"] for p in find_k_path_arrays(net, "s", "t", k=2)] == got[:2]
    assert find_k_path_arrays(net, "s", "t", k=6, max_hops=2) == find_k_path_arrays(net, "s", "t", k=4)


def test_yen_stops_when_no_simple_path_is_left():
    """A triangle a–b–c plus c–d: from a to d there are exactly two simple paths."""
    P = {"a": ["b", "c"], "b": ["a", "c"], "c": ["a", "b", "d"], "d": ["c"]}

    def search(spur, nodes, ties):
        G = nx.Graph((u, v) for u in P for v in P[u] if u not in nodes and v not in nodes
                     and frozenset((u, v)) not in ties)
        try:
            return min(nx.all_shortest_paths(G, spur, "d"), key=list) if spur in G and "d" in G else None
        except nx.NetworkXNoPath:
            return None

    assert list(yen_paths(search, "a", "d", path_order)) == [["a", "c", "d"], ["a", "b", "c", "d"]]


def test_path_k_command_on_the_arrays_equals_the_graph(generated, monkeypatch):
    folder = str(generated.path)
    H = _reference(generated)
    a, b = _pairs(H, random.Random(5), 1)[0]
    args = ["path", a, b, "--k", "4", "--format", "json", "--data", folder, "--no-cache"]
    on_graph = CliRunner().invoke(cli, args)
    assert on_graph.exit_code == 0, on_graph.output
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(path_arrays=0))
    from alliances.source import GraphSource

    assert GraphSource(folder).network().paths_on_arrays(k=4)
    on_arrays = CliRunner().invoke(cli, args)
    assert on_arrays.exit_code == 0, on_arrays.output
    assert json.loads(on_arrays.output) == json.loads(on_graph.output)
    assert len(json.loads(on_arrays.output)["paths"]) == 4
    text = CliRunner().invoke(cli, args[:5] + ["--data", folder, "--no-cache"])
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(path_arrays=10**9))
    graph_text = CliRunner().invoke(cli, args[:5] + ["--data", folder, "--no-cache"])
    assert text.exit_code == graph_text.exit_code == 0 and "4" in text.output  # "路径 4" / "Path 4"
    assert text.output == graph_text.output
