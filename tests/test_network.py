"""The Network: one checked dataset, views built once, and the backend rules in one place."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from alliances import network
from alliances.cli import cli
from alliances.dataset import read_dataset
from alliances.generate import generate_dataset
from alliances.graph import build_graph
from alliances.network import THRESHOLDS, Network, Thresholds, as_network, graph_of
from alliances.source import GraphSource


def test_views_are_built_once_and_only_when_asked(bundled):
    net = Network(bundled)
    assert not net.has_graph and net.number_of_nodes() == len(bundled.nodes) == 36
    assert net.resolve("华商商圈党委") == "huashang-committee"
    assert not net.has_graph  # names resolve on the dataset
    assert net.arrays is net.arrays and net.adjacency is net.adjacency
    assert not net.has_graph  # the arrays come from the dataset
    G = net.graph
    assert net.has_graph and net.graph is G and net.organisations is net.organisations
    assert net.partnership() is net.partnership()


def test_a_source_reads_its_network_once(tmp_path):
    generate_dataset(tmp_path / "g", 60, seed=1)
    source = GraphSource(str(tmp_path / "g"))
    assert source.network() is source.network()
    assert source.dataset() is source.network().dataset and source.graph() is source.network().graph


def test_arrays_of_a_graph_equal_those_of_its_dataset(bundled):
    a, b = Network(bundled).arrays, Network(graph=build_graph(bundled)).arrays
    assert a.ids == b.ids
    pairs = lambda A: sorted(zip(A.src.tolist(), A.types.tolist(), A.dst.tolist()))  # noqa: E731
    assert pairs(a) == pairs(b) and np.array_equal(a.labels, b.labels)


def test_as_network_and_graph_of(bundled):
    G = build_graph(bundled)
    net = Network(bundled)
    assert as_network(net) is net and as_network(G).graph is G and as_network(None, bundled).dataset is bundled
    assert graph_of(G) is G and graph_of(net) is net.graph
    with pytest.raises(ValueError):
        Network()


def test_backend_rules_follow_the_thresholds(bundled, monkeypatch):
    t = Thresholds()
    assert (t.on_engine(2_000), t.on_engine(2_001), t.exact_at(5_000), t.exact_at(5_001)) == \
        (False, True, True, False)
    assert t.with_(engine=10).engine == 10 and t.engine == 2_000  # values, never changed in place
    net = Network(bundled)
    assert not net.paths_on_arrays()  # 36 nodes: the graph
    monkeypatch.setattr(network, "THRESHOLDS", THRESHOLDS.with_(path_arrays=10))
    # one path or the k shortest, over the partnership types or the --via types, on the arrays
    assert net.paths_on_arrays() and net.paths_on_arrays(k=2) and net.paths_on_arrays(via=["GUIDES"])
    assert Network(bundled, thresholds=Thresholds()).paths_on_arrays() is False  # its own thresholds win
    assert net.ego_on_arrays(10) and not net.ego_on_arrays(100)
    net.graph  # once the graph is built, it answers
    assert not net.paths_on_arrays() and not net.ego_on_arrays(10)


def test_ego_is_the_same_from_the_arrays_and_from_the_graph(tmp_path):
    generate_dataset(tmp_path / "g", 400, seed=2)
    ds = read_dataset(tmp_path / "g")
    small = Network(ds).ego("org-17", 2, hard_cap=10)  # on the arrays, a part built
    whole = Network(ds, graph=build_graph(ds)).ego("org-17", 2)  # on the whole graph
    assert list(small.nodes) == list(whole.nodes)
    assert sorted(small.edges(keys=True)) == sorted(whole.edges(keys=True))


def _map_sizes_agree_with_the_centrality_command(args, size_by):
    from alliances.render.map import build_map

    rows = json.loads(CliRunner().invoke(cli, ["centrality", "--projection", "full", "--by", size_by,
                                              "--format", "json", *args]).output)
    ds = read_dataset(args[1] if args else None)
    sizes = {n["id"]: n["size"] for n in build_map(Network(ds), size_by=size_by, max_nodes=10_000,
                                                    hard_cap=10_000)["nodes"]}
    top = max(rows, key=lambda r: r[size_by])
    assert top[size_by] > 0
    for r in rows:  # size = 10 + 30 * score / max score, so sizes are proportional to the scores
        expected = 10 + (sizes[top["id"]] - 10) * r[size_by] / top[size_by]
        assert sizes[r["id"]] == pytest.approx(expected, abs=0.02), r["id"]


@pytest.mark.parametrize("size_by", ["betweenness", "pagerank", "closeness"])
def test_map_node_sizes_are_the_scores_of_alliances_centrality_on_the_bundled_network(size_by):
    _map_sizes_agree_with_the_centrality_command([], size_by)


def test_map_node_sizes_agree_with_alliances_centrality_above_the_engine_threshold(tmp_path, monkeypatch):
    """Over 300 nodes the map used to sample its own betweenness (500 sources): now both use
    one function, on networkx up to the engine threshold and on the engine above it."""
    generate_dataset(tmp_path / "g", 400, seed=3)
    _map_sizes_agree_with_the_centrality_command(["--data", str(tmp_path / "g")], "betweenness")
    monkeypatch.setattr(network, "THRESHOLDS", THRESHOLDS.with_(engine=100))
    _map_sizes_agree_with_the_centrality_command(["--data", str(tmp_path / "g")], "betweenness")


def test_the_engine_threshold_can_be_moved_from_the_environment_of_the_cli():
    from tests.conftest import run_cli

    def rows(env):
        proc = run_cli("centrality", "--format", "json", env=env)
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
        return json.loads(proc.stdout)

    reference = rows({})  # 29 nodes in the full projection: networkx
    engine = rows({"ALLIANCES_FAST_THRESHOLD": "5"})  # the compiled engine, same conventions
    assert [r["id"] for r in engine] == [r["id"] for r in reference]
    for a, b in zip(engine, reference):
        for m in ("degree", "betweenness", "closeness", "pagerank"):
            assert a[m] == pytest.approx(b[m], abs=1e-5), (a["id"], m)
    bad = run_cli("centrality", env={"ALLIANCES_FAST_THRESHOLD": "many"})
    err = bad.stderr.decode("utf-8", "replace")
    assert bad.returncode == 2 and "ALLIANCES_FAST_THRESHOLD" in err and "Traceback" not in err


def test_a_large_map_never_builds_the_whole_graph(tmp_path):
    from alliances.render.map import build_map

    generate_dataset(tmp_path / "g", 1500, seed=4)
    net = Network(read_dataset(tmp_path / "g"))
    aggregated = build_map(net, max_nodes=100, hard_cap=100)
    assert aggregated["meta"]["notices"] and not net.has_graph  # from the arrays
    around = build_map(net, around="org-17", hops=1, max_nodes=100, hard_cap=100)
    assert 1 < len(around["nodes"]) < 100 and not net.has_graph  # from its part of the data
    build_map(net, path=("org-17", "org-900"), max_nodes=100, hard_cap=100)
    assert net.has_graph  # a path needs the whole graph
